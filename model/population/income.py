"""Household income per person (THB/year): a shifted lognormal tied to each person's earnings and status.

    income = floor + exp(mu + shift + sigma * e),  e standard normal,

where shift = wage_pooling × ln(wage / reference wage) for workers (the reference is the base-year mean wage of the
employed) and a status shift (`population.income.log_shift.*`) for everyone else. In the base year floor, mu and
sigma are solved so that the population's mean income, Gini and poverty headcount (below 12 × common.poverty_line)
equal their targets. Every year incomes, the floor, e^mu and the reference wage grow with nominal wage growth; a
person who changes status has the part above the floor moved by e^(new shift − old shift); newborns keep the
mother's value (inherited column) and immigrants draw afresh. `persons.tables["income"]` holds
(floor THB/year, mu, sigma, reference wage THB/month).
"""

import hashlib
from datetime import date

import numpy as np
from scipy.optimize import least_squares
from scipy.special import ndtr

from ..parameters import ParameterTree
from ..remembered import Remembered
from .lookup import chunks, param
from .persons import Persons
from .status import CHILD, EMPLOYED, INACTIVE, N_STATUSES, RETIRED, UNEMPLOYED
from .targets import Targets

SAMPLE = 40_000  # rows used to solve the base-year distribution
_SOLVED: Remembered[tuple[float, float, float]] = Remembered(64)  # base-year solutions
SHIFTED = {UNEMPLOYED: "unemployed", INACTIVE: "inactive", RETIRED: "retired", CHILD: "child"}


def poverty_line(params: ParameterTree, year: int) -> float:
    """Official poverty line in force on 1 July of `year`, THB/person/year."""
    return 12.0 * float(params.get("common.poverty_line", date(year, 7, 1)))


def log_shift(status: np.ndarray, wage: np.ndarray, params: ParameterTree, year: int,
              reference_wage: float) -> np.ndarray:
    """Shift of log income above the floor (float32) for persons of the given statuses and wages (THB/month)."""
    table = np.zeros(N_STATUSES, dtype=np.float32)
    for s, name in SHIFTED.items():
        table[s] = param(params, f"population.income.log_shift.{name}", year)
    pooling = param(params, "population.income.wage_pooling", year)
    status = status.astype(np.intp)  # the index type once: the two look-ups below would each convert
    shift = table[status]
    working = np.flatnonzero(EMPLOYED[status] & (wage > 0))
    shift[working] = pooling * np.log(wage[working] / np.float32(reference_wage))
    return shift


def gini(values: np.ndarray) -> float:
    """Gini coefficient of equally weighted values."""
    x = np.sort(values)
    n = x.size
    return float(2.0 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n)


def solve_distribution(shift: np.ndarray, noise: np.ndarray, mean: float, gini_target: float, poor: float,
                       line: float) -> tuple[float, float, float]:
    """(floor, mu, sigma) giving the sample of shifts and normal draws the target mean, Gini and share below `line`.

    Remembered by its inputs (the last 64 of them): runs of a baseline and its reforms at one seed and
    scale share the base year, so the app and sweeps solve it once."""
    digest = hashlib.blake2b(shift.tobytes(), digest_size=16)
    digest.update(noise.tobytes())
    key = (digest.digest(), shift.dtype.str, noise.dtype.str, mean, gini_target, poor, line)
    return _SOLVED.get(key, lambda: _solve(shift, noise, mean, gini_target, poor, line))


def _solve(shift: np.ndarray, noise: np.ndarray, mean: float, gini_target: float, poor: float,
           line: float) -> tuple[float, float, float]:
    def unpack(x: np.ndarray) -> tuple[float, float, float]:
        floor, sigma = x[0] * line, x[1]
        mu = np.log((mean - floor) / np.mean(np.exp(shift + sigma * noise)))
        return floor, mu, sigma

    def residuals(x: np.ndarray) -> np.ndarray:
        floor, mu, sigma = unpack(x)
        below = np.mean(ndtr((np.log(line - floor) - mu - shift) / sigma))
        income = floor + np.exp(mu + shift + sigma * noise)
        return np.array([gini(income) - gini_target, (below - poor) * 10.0])

    fit = least_squares(residuals, x0=[0.5, 0.9], bounds=([0.0, 0.05], [0.95, 3.0]), xtol=1e-10)
    return unpack(fit.x)


def initialise_income(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                      rng: np.random.Generator) -> None:
    """Solve the base-year distribution on a sample of rows and draw everyone's household income per person."""
    working = EMPLOYED[persons.status]
    reference = float(persons.wage[working].mean()) if working.any() else 1.0
    sample = rng.integers(0, len(persons), min(SAMPLE, len(persons)))
    shift = log_shift(persons.status[sample], persons.wage[sample], params, year, reference)
    floor, mu, sigma = solve_distribution(shift, rng.standard_normal(sample.size), targets.value("hh_income_pc.mean"),
                                          targets.value("hh_income_pc.gini"),
                                          targets.value("income_poverty_headcount"), poverty_line(params, year))
    persons.tables["income"] = np.array([floor, mu, sigma, reference])
    for rows in chunks(len(persons)):
        draw_income(persons, rows, params, year, rng)


def draw_income(persons: Persons, rows: np.ndarray, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Fresh household income per person for the given rows from the current distribution."""
    floor, mu, sigma, reference = persons.tables["income"]
    shift = log_shift(persons.status[rows], persons.wage[rows], params, year, reference)
    persons.hh_income_pc[rows] = floor + np.exp(mu + shift + sigma * rng.standard_normal(rows.size))


def grow_income(persons: Persons, growth: float) -> None:
    """A year of nominal growth of every income and of the distribution's floor, scale and reference wage."""
    persons.hh_income_pc[:] *= np.float32(1.0 + growth)
    income = persons.tables["income"]
    income[0] *= 1.0 + growth
    income[1] += np.log1p(growth)
    income[3] *= 1.0 + growth


def shift_income(persons: Persons, rows: np.ndarray, old_status: np.ndarray, old_wage: np.ndarray,
                 params: ParameterTree, year: int) -> None:
    """Move the above-floor income of rows whose status changed by the change of their shift (float32 throughout:
    the income column's precision); an income not drawn yet (NaN) stays NaN."""
    floor, _, _, reference = persons.tables["income"]
    change = log_shift(persons.status[rows], persons.wage[rows], params, year, reference)
    change -= log_shift(old_status, old_wage, params, year, reference)
    floor = np.float32(floor)
    persons.hh_income_pc[rows] = floor + (persons.hh_income_pc[rows] - floor) * np.exp(change)
