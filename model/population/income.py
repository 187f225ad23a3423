"""Household income per person (THB/year): income from outside work plus a part tied to the person's earnings.

    income = floor + exp(mu + shift + z + e),

where `floor` is income from outside work per person (transfers from family, own savings, pensions in payment,
income in kind), equal for everyone; shift = wage_pooling × ln(wage / reference wage) for workers (the reference
is the base-year mean wage of the employed) and a status shift (`population.income.log_shift.*`) for everyone
else; z is a persistent and e a transitory log deviation (`income_transitory` column holds e). In the base year
floor, mu and sigma are solved so that the population's mean income, Gini and poverty headcount (below
12 × common.poverty_line) equal their targets with z + e = sigma × (a standard normal), split between the two
by `population.income.transitory_share` (the share of the variance that is transitory).

Each year (`grow_income`, `shock_income`):
- the floor grows with prices and a share (`population.income.outside_work_real_share`) of real growth of GDP
  per person, not with nominal wages: remittances from family, pensions in payment and the in-kind income of
  poor households keep their purchasing power and share only partly in growth;
- the part above the floor, mu and the reference wage grow with nominal wage growth (earnings follow the wage
  process);
- z follows an AR(1), z' = rho × z + eta with eta ~ N(0, sigma_p² (1 − rho²)), rho =
  `population.income.persistence`, so its variance sigma_p² stays that of the base year; e is drawn afresh,
  N(0, sigma_t²). Both shocks have mean zero in logs and the distribution of z + e is stationary, so the shocks
  reshuffle persons (mobility into and out of poverty) without moving the Gini or the mean of log income.
A person who changes status has the part above the floor moved by e^(new shift − old shift); newborns keep the
mother's income and transitory deviation (inherited columns) and immigrants draw afresh.
`persons.tables["income"]` holds (floor THB/year, mu, sigma, reference wage THB/month, rows at the last
update of the floor).

Poverty before transfers therefore falls with real growth (the earnings part gains on the price-indexed poverty
line) but does not vanish: the floor stays below the line unless real growth is shared in full for decades.
Official poverty moved 5.43% (2022) → 3.41% (2023) → 4.89% (2024) (fact sheet B13): year-to-year swings of this
size come from shocks common to many households (harvests, prices, the 2024 slowdown), which the model has no
source for; its path is a smooth trend from the 2023 calibration, so a single year's official figure may lie a
point or two either side of it.
"""

import hashlib
from datetime import date

import numpy as np
from scipy.optimize import least_squares
from scipy.special import ndtr

from ..parameters import ParameterTree
from ..remembered import Remembered
from .. import threads
from ..compiled import scatter_used
from . import kernels
from .lookup import batches, chunks, param
from .persons import Persons
from .status import CHILD, EMPLOYED, INACTIVE, N_STATUSES, RETIRED, UNEMPLOYED, in_status
from .targets import Targets

SAMPLE = 40_000  # rows used to solve the base-year distribution
_SOLVED: Remembered[tuple[float, float, float]] = Remembered(64)  # base-year solutions
POVERTY_BANDWIDTH = 0.02  # fraction of the line: the normal smoothing of the poverty share solved on households
SHIFTED = {UNEMPLOYED: "unemployed", INACTIVE: "inactive", RETIRED: "retired", CHILD: "child"}
EMPLOYED_CODES = tuple(int(s) for s in np.flatnonzero(EMPLOYED))
EMPLOYED_BELOW = len(EMPLOYED_CODES)  # the employed statuses are the codes below it (checked below)
if EMPLOYED_CODES != tuple(range(EMPLOYED_BELOW)) or N_STATUSES != kernels.N_TABLE:
    raise ImportError("income.shock_income expects the employed statuses first and N_STATUSES status codes")


def poverty_line(params: ParameterTree, year: int) -> float:
    """Official poverty line in force on 1 July of `year`, THB/person/year."""
    return 12.0 * float(params.get("common.poverty_line", date(year, 7, 1)))


def log_shift(status: np.ndarray, wage: np.ndarray, params: ParameterTree, year: int,
              reference_wage: float) -> np.ndarray:
    """Shift of log income above the floor (float32) for persons of the given statuses and wages (THB/month)."""
    return apply_log_shift(status, wage, *log_shift_parameters(params, year), reference_wage)


def log_shift_parameters(params: ParameterTree, year: int) -> tuple[np.ndarray, float]:
    """([status] shift of log income of persons without a wage (float32), the wage pooling elasticity) in `year`."""
    table = np.zeros(N_STATUSES, dtype=np.float32)
    for s, name in SHIFTED.items():
        table[s] = param(params, f"population.income.log_shift.{name}", year)
    return table, param(params, "population.income.wage_pooling", year)


def apply_log_shift(status: np.ndarray, wage: np.ndarray, table: np.ndarray, pooling: float,
                    reference_wage: float) -> np.ndarray:
    """`log_shift` from its parameters (`log_shift_parameters`): the status's shift, or for the employed with a wage
    the pooling elasticity times the log of the wage over the reference wage."""
    shift = np.take(table, status)  # take widens the int8 codes itself, faster than indexing
    working = np.flatnonzero(in_status(status, *EMPLOYED_CODES) & (wage > 0))  # comparisons: no look-up
    shift[working] = pooling * np.log(wage[working] / np.float32(reference_wage))
    return shift


def gini(values: np.ndarray) -> float:
    """Gini coefficient of equally weighted values."""
    return gini_of_sorted(np.sort(values))


def gini_of_sorted(x: np.ndarray) -> float:
    """`gini` of values already in ascending order."""
    n = x.size
    return float(2.0 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n)


def solve_distribution(shift: np.ndarray, noise: np.ndarray, mean: float, gini_target: float, poor: float,
                       line: float, group: np.ndarray | None = None) -> tuple[float, float, float]:
    """(floor, mu, sigma) giving the sample of shifts and normal draws the target mean, Gini and share below `line`.

    With `group` (each sample row's household, 0 .. G-1, whole households sampled) the targets are those of the
    household income per person every member gets (the members' incomes pooled); without it, of the rows' own
    incomes. Remembered by its inputs (the last 64 of them): runs of a baseline and its reforms at one seed and
    scale share the base year, so the app and sweeps solve it once."""
    digest = hashlib.blake2b(shift.tobytes(), digest_size=16)
    digest.update(noise.tobytes())
    if group is not None:
        digest.update(group.tobytes())
    key = (digest.digest(), shift.dtype.str, noise.dtype.str, mean, gini_target, poor, line, group is None)
    return _SOLVED.get(key, lambda: _solve(shift, noise, mean, gini_target, poor, line, group))


def _solve(shift: np.ndarray, noise: np.ndarray, mean: float, gini_target: float, poor: float,
           line: float, group: np.ndarray | None = None) -> tuple[float, float, float]:
    size = None if group is None else np.bincount(group)

    def unpack(x: np.ndarray) -> tuple[float, float, float]:
        floor, sigma = x[0] * line, x[1]
        mu = np.log((mean - floor) / np.mean(np.exp(shift + sigma * noise)))
        return floor, mu, sigma

    def residuals(x: np.ndarray) -> np.ndarray:
        floor, mu, sigma = unpack(x)
        if group is None:
            below = np.mean(ndtr((np.log(line - floor) - mu - shift) / sigma))
            return np.array([gini(floor + np.exp(mu + shift + sigma * noise)) - gini_target, (below - poor) * 10.0])
        # pooled over members; the share below the line smoothed over POVERTY_BANDWIDTH of it. Every member's
        # values are its household's: computed once a household and repeated, in row order for the mean and in
        # ascending order for the Gini (the sorted households, each repeated by its members, are the sorted rows)
        pooled = floor + np.bincount(group, np.exp(mu + shift + sigma * noise)) / size
        below = np.mean(ndtr((line - pooled) / (POVERTY_BANDWIDTH * line))[group])
        return np.array([gini_of_sorted(sorted_members(pooled, size)) - gini_target, (below - poor) * 10.0])

    fit = least_squares(residuals, x0=[0.5, 0.9], bounds=([0.0, 0.05], [0.95, 3.0]), xtol=1e-10)
    return unpack(fit.x)


def sorted_members(pooled: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Each household's value (`pooled`, float64) repeated by its members (`size`), in ascending order: the sorted
    values of its members' rows. A compiled radix sort when the values are non-negative (incomes), else numpy's."""
    if (pooled >= 0).all():  # also no NaN
        return kernels.sorted_repeated(pooled, size)
    order = np.argsort(pooled)
    return np.repeat(pooled[order], size[order])


def shock_sds(params: ParameterTree, year: int, sigma: float) -> tuple[float, float, float]:
    """(rho, sd of the persistent innovation eta, sd of the transitory deviation e) in log points for a base-year
    spread `sigma` of z + e: the persistent variance is (1 − transitory_share) × sigma², kept stationary."""
    rho = param(params, "population.income.persistence", year)
    share = param(params, "population.income.transitory_share", year)
    return rho, sigma * np.sqrt((1.0 - share) * (1.0 - rho ** 2)), sigma * np.sqrt(share)


def split_deviation(total: np.ndarray, sigma: float, share: float, rng: np.random.Generator) -> np.ndarray:
    """Transitory part e of log deviations `total` ~ N(0, sigma²) whose variance share `share` is transitory: a draw
    of e given z + e = total (bivariate normal), so that e ~ N(0, share × sigma²) and z = total − e independent."""
    noise = rng.standard_normal(total.size, dtype=np.float32)
    scale = np.float32(sigma * np.sqrt(share * (1.0 - share)))
    if total.dtype != np.float32:
        return (share * total + scale * noise).astype(np.float32)
    noise *= scale  # in place: numpy's float32 products and sums of the expression above
    out = share * total
    out += noise
    return out


def initialise_income(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                      rng: np.random.Generator) -> None:
    """Solve the base-year distribution on a sample of whole households (of rows, when the population has no
    households yet) and draw everyone's income: the targets are those of household income per person, the
    members' incomes pooled (model.population.households.refresh_income)."""
    working = EMPLOYED[persons.status]
    reference = float(persons.wage[working].mean()) if working.any() else 1.0
    sample, group = sample_households(persons, rng)
    shift = log_shift(persons.status[sample], persons.wage[sample], params, year, reference)
    common = None if group is None else rng.standard_normal(int(persons.hh.max()) + 1)  # one draw per household
    noise = rng.standard_normal(sample.size) if common is None else common[persons.hh[sample]]
    floor, mu, sigma = solve_distribution(shift, noise, targets.value("hh_income_pc.mean"),
                                          targets.value("hh_income_pc.gini"),
                                          targets.value("income_poverty_headcount"), poverty_line(params, year),
                                          group)
    persons.tables["income"] = np.array([floor, mu, sigma, reference, float(len(persons))])
    if common is None:
        for rows in chunks(len(persons)):
            draw_income(persons, rows, params, year, rng)
        return
    share = param(params, "population.income.transitory_share", year)
    common *= sigma  # in place: a household-length float64 array fewer
    total = common.astype(np.float32)
    del common  # its last reader
    transitory = split_deviation(total, sigma, share, rng)
    for rows in batches(len(persons)):  # per-row arithmetic only: small blocks, small temporaries
        h = persons.hh[rows]
        shift = log_shift(persons.status[rows], persons.wage[rows], params, year, reference)
        persons.income[rows] = floor + np.exp(mu + shift + total[h])
        persons.income_transitory[rows] = transitory[h]


def sample_households(persons: Persons, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """(rows, household of each row 0 .. G-1) of about SAMPLE rows in whole households drawn uniformly without
    replacement, so that every person counts once; (SAMPLE rows drawn with replacement, None) when the population
    has no households (`hh` -1)."""
    n = len(persons)
    if n == 0 or (persons.hh < 0).any():
        return rng.integers(0, n, min(SAMPLE, n)), None
    n_households = int(persons.hh.max()) + 1
    chosen = np.zeros(n_households, dtype=bool)
    wanted = min(n_households, max(1, int(SAMPLE * n_households / n)))
    chosen[rng.choice(n_households, wanted, replace=False)] = True
    rows = np.flatnonzero(chosen[persons.hh])
    _, group = np.unique(persons.hh[rows], return_inverse=True)
    return rows, group.astype(np.intp)


def draw_income(persons: Persons, rows: np.ndarray, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Fresh household income per person and its transitory deviation for the given rows from the current
    distribution."""
    floor, mu, sigma, reference = persons.tables["income"][:4]
    shift = log_shift(persons.status[rows], persons.wage[rows], params, year, reference)
    total = sigma * rng.standard_normal(rows.size)
    persons.income[rows] = floor + np.exp(mu + shift + total)
    share = param(params, "population.income.transitory_share", year)
    persons.income_transitory[rows] = split_deviation(total.astype(np.float32), sigma, share, rng)


def outside_work_growth(params: ParameterTree, year: int, inflation: float, real_growth: float,
                        population_growth: float) -> float:
    """Nominal growth (fraction) of income from outside work per person over the year from 1 July of `year`:
    prices, times the share `population.income.outside_work_real_share` of real growth of GDP per person."""
    share = param(params, "population.income.outside_work_real_share", year)
    per_person = (1.0 + real_growth) / (1.0 + population_growth) - 1.0
    return (1.0 + inflation) * (1.0 + share * per_person) - 1.0


def grow_income(persons: Persons, wage_growth: float, outside_growth: float) -> None:
    """A year of nominal growth: the part above the floor, mu and the reference wage with wages (fraction), the floor
    (income from outside work) with `outside_growth` (fraction); remembers the rows now in the table."""
    income = persons.tables["income"]
    old, new = np.float32(income[0]), np.float32(income[0] * (1.0 + outside_growth))
    factor = np.float32(1.0 + wage_growth)
    for part in batches(len(persons)):
        above = persons.income[part] - old
        above *= factor
        above += new
        persons.income[part] = above
    income[0] *= 1.0 + outside_growth
    income[1] += np.log1p(wage_growth)
    income[3] *= 1.0 + wage_growth
    income[4] = float(len(persons))


def household_draws(persons: Persons, rng: np.random.Generator,
                    size: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """The two standard normal draws (float32, [household id]) that `shock_income` gives each household, or None
    when some row has no household yet (each row then draws its own). With `size` ([household id] members), one
    pair for each id with members, in id order, placed at those ids: the draws each household gets once the ids
    are renumbered (`households.renumber`), made before, so that the shocks can be applied while the regions'
    moves run (model.population.attributes)."""
    if len(persons) == 0 or persons.hh.min() < 0:
        return None
    if size is None:
        n = int(persons.hh.max()) + 1
        return rng.standard_normal(n, dtype=np.float32), rng.standard_normal(n, dtype=np.float32)
    n = int(np.count_nonzero(size))
    draws = []
    for _ in range(2):  # drawn into the start of the array by id, then moved to their ids (no temporary: peak memory)
        by_id = np.empty(size.size, dtype=np.float32)
        rng.standard_normal(dtype=np.float32, out=by_id[:n])
        scatter_used(size, by_id[:n], 0.0, by_id)
        draws.append(by_id)
    return draws[0], draws[1]


def shock_income(persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator,
                 draws: tuple[np.ndarray, np.ndarray] | None,
                 before: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
    """A year of persistent and transitory shocks to the part of income above the floor (THB/year): with
    d = ln(income − floor) − mu − shift and e the row's transitory deviation, z = d − e becomes rho × z + eta and e a
    fresh draw. Rows without an income yet (NaN) are left alone. Members of a household share its two draws (their
    economic fortunes move together): `draws` = household_draws(persons, rng), made beforehand so that they can
    be drawn on another thread while other work runs. Rows without a household yet (`draws` None) draw their own,
    each block of rows (`model.threads`) from its own stream spawned from `rng`. The rows' arithmetic runs by block
    over threads, so results do not depend on how many threads do the work. `before` (rows ascending, their status
    and wage before): the statuses and wages the shocks read are those the rows had before the year's status moves,
    applied already (model.population.attributes)."""
    floor, mu, sigma, reference = persons.tables["income"][:4]
    rho, sd_eta, sd_e = (np.float32(v) for v in shock_sds(params, year, sigma))
    floor, mu = np.float32(floor), np.float32(mu)
    tiny = np.float32(1e-3)
    table, pooling = log_shift_parameters(params, year)
    per_household = draws is not None
    if per_household:  # each household's shocks, scaled once per household rather than once per member
        eta, fresh_draws = draws
        eta *= sd_eta
        fresh_draws *= sd_e
    else:
        generators = rng.spawn(len(threads.blocks(len(persons))))

    pooling = np.float32(pooling)
    reference = np.float32(reference)

    def work(i: int, part: slice) -> None:
        income, status, wage = persons.income[part], persons.status[part], persons.wage[part]
        if before is not None:  # the block's own copies, with the moved rows' statuses and wages before the moves
            lo, hi = np.searchsorted(before[0], (part.start, part.stop))
            if hi > lo:
                status, wage = status.copy(), wage.copy()
                status[before[0][lo:hi] - part.start] = before[1][lo:hi]
                wage[before[0][lo:hi] - part.start] = before[2][lo:hi]
        n = income.size
        logs = np.empty(2 * n, dtype=np.float32)  # log of income above the floor, of wage ratios
        kernels.income_shock_prepare(income, floor, tiny, status, wage, EMPLOYED_BELOW, reference, logs)
        np.log(logs, out=logs)
        draws = np.empty(2 * n, dtype=np.float32)  # eta, then the fresh transitory deviation
        if per_household:
            kernels.gather_pairs(persons.hh[part], eta, fresh_draws, draws)
        else:  # the draws of shocks(): rho × z + sd_eta × first draw, sd_e × second draw
            generators[i].standard_normal(out=draws[:n], dtype=np.float32)
            generators[i].standard_normal(out=draws[n:], dtype=np.float32)
            draws[:n] *= sd_eta
            draws[n:] *= sd_e
        kernels.income_shock_apply(logs, draws, status, wage, EMPLOYED_BELOW, table, pooling, mu, rho,
                                   persons.income_transitory[part])
        above = logs[:n]
        np.add(np.exp(above, out=above), floor, out=income)

    threads.for_blocks(work, len(persons))


def shocks(persistent: np.ndarray, rho: float, sd_eta: float, sd_e: float,
           draws: np.random.Generator | tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Next year's (persistent, transitory) log deviations (float32) from this year's persistent z: rho × z + eta
    with eta ~ N(0, sd_eta²), and a fresh e ~ N(0, sd_e²); both shocks have mean zero in logs. `draws`: the two
    standard normal draws per row (the household's, shared by its members), or a Generator to draw them one per
    row."""
    if isinstance(draws, np.random.Generator):
        n = persistent.size
        draws = (draws.standard_normal(n, dtype=np.float32), draws.standard_normal(n, dtype=np.float32))
    persistent_new = np.float32(rho) * persistent + np.float32(sd_eta) * draws[0]
    return persistent_new, np.float32(sd_e) * draws[1]


def inherit_income(persons: Persons, rows: np.ndarray, mothers: np.ndarray, params: ParameterTree,
                   year: int) -> None:
    """Newborns `rows` share their mothers' (rows `mothers`) household position: the mother's log deviation of income
    above the floor and transitory deviation, at the newborn's own status shift."""
    floor, _, _, reference = persons.tables["income"][:4]
    shift = log_shift_parameters(params, year)  # looked up once for both shifts
    change = apply_log_shift(persons.status[rows], persons.wage[rows], *shift, reference)
    change -= apply_log_shift(persons.status[mothers], persons.wage[mothers], *shift, reference)
    floor = np.float32(floor)
    persons.income[rows] = floor + (persons.income[mothers] - floor) * np.exp(change)
    persons.income_transitory[rows] = persons.income_transitory[mothers]


def shift_income(persons: Persons, rows: np.ndarray, old_status: np.ndarray, old_wage: np.ndarray,
                 params: ParameterTree, year: int) -> None:
    """Move the above-floor income of rows whose status changed by the change of their shift (float32 throughout:
    the income column's precision); an income not drawn yet (NaN) stays NaN."""
    floor, _, _, reference = persons.tables["income"][:4]
    shift = log_shift_parameters(params, year)  # looked up once for both shifts
    change = apply_log_shift(persons.status[rows], persons.wage[rows], *shift, reference)
    change -= apply_log_shift(old_status, old_wage, *shift, reference)
    floor = np.float32(floor)
    persons.income[rows] = floor + (persons.income[rows] - floor) * np.exp(change)
