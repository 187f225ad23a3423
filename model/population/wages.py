"""Monthly wages or earnings (THB/month): lognormal by kind of work, sex and age.

The median wage of a status, sex and age is level(kind) × female_ratio^sex × exp(−curvature × ((age − peak)/20)²)
(civil servants have their own peak age: salary scales rise by yearly steps to retirement) and a person's wage is
the median × exp(σ_kind × z) with z standard normal. In the base year each kind's level is set so that the mean wage
of its members equals its target (section 33, civil service, informal work: sections 39 and 40 and the uninsured).
The table of medians, `persons.tables["median_wage"]` [status, sex, age], then grows with nominal wage growth. A
person who keeps a working status sees the wage grow with wage growth and the step along the age profile; a person
who changes status draws a new wage; persons not working earn 0.

Officials (civil servants who are not state employees, see model.population.civil_service) are paid on salary
scales of their own: the median salary is the entry salary at the youngest entry age × female_ratio^sex ×
exp(slope × (age − entry age)), flat outside the entry-to-retirement ages, with the slope solved in the base year
so that officials' mean salary equals its target (`official_slope`). `persons.tables["official_median_wage"]`
[sex, age] grows with nominal wage growth like the other medians, and officials move along it year by year.
"""

import numpy as np
from scipy.optimize import brentq

from .. import threads
from ..parameters import ParameterTree
from . import kernels
from .axes import N_AGES
from .lookup import chunks, param
from .persons import Persons
from .status import CIVIL_SERVANT, INFORMAL, N_STATUSES, SSF_S33, SSF_S39, SSF_S40
from .streams import keyed_uniforms, normals_of, row_key, row_normals
from .targets import Targets

KINDS = ("ssf_s33", "civil_servant", "informal")
KIND = np.full(N_STATUSES, -1, dtype=np.int8)
KIND[SSF_S33], KIND[CIVIL_SERVANT] = 0, 1
KIND[[SSF_S39, SSF_S40, INFORMAL]] = 2
"""KIND[status]: index into KINDS, or -1 for statuses without a wage."""


def age_profile(params: ParameterTree, year: int, kind: str = "ssf_s33") -> np.ndarray:
    """[sex, age] relative median earnings of a kind of work (KINDS): 1 for men at the peak age."""
    ages = np.arange(N_AGES)
    peak = param(params, "population.wages.age_peak" + ("_civil_servant" if kind == "civil_servant" else ""), year)
    curve = np.exp(-param(params, "population.wages.age_curvature", year) * ((ages - peak) / 20.0) ** 2)
    return np.stack([curve, curve * param(params, "population.wages.female_ratio", year)])


def log_sd(params: ParameterTree, year: int) -> np.ndarray:
    """[kind] standard deviation of log earnings."""
    return np.array([param(params, f"population.wages.log_sd.{kind}", year) for kind in KINDS])


def draw_wages(persons: Persons, rows: np.ndarray, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """New wages for the given rows from the current medians of their status, sex and age (0 if not working); each
    row's draw is keyed by its row (`row_normals`), whichever other rows draw, so only the rows whose status has a
    spread draw one: the others' wage is their median (median × exp(0 × any normal), exactly)."""
    sd = np.append(log_sd(params, year), 0.0).astype(np.float32)[KIND]  # [status]; kind -1 picks the appended 0
    medians = persons.tables["median_wage"].astype(np.float32).ravel()
    cell = persons.cells
    key = row_key(rng)  # row_uniforms(rng, rows), drawn block by block: no float64 for every row at once

    def work(_: int, part: slice) -> None:  # each row's own wage: by block of the rows on threads
        drawn = rows[part]
        status = persons.status[drawn].astype(np.intp)  # index type once: the two look-ups below would each convert
        wage = medians[status * (2 * N_AGES) + cell[drawn]]
        spread = sd[status]
        varying = np.flatnonzero(spread != 0)
        wage[varying] *= np.exp(spread[varying] * normals_of(keyed_uniforms(key, drawn[varying])))
        persons.wage[drawn] = wage

    threads.for_blocks(work, np.size(rows))


def status_cell_counts(persons: Persons) -> np.ndarray:
    """[status × 2 × N_AGES + cell] rows (np.bincount of the key over every row), counted block by block: int16 keys
    of a block at a time, not an intp key for every row."""
    n_keys = N_STATUSES * 2 * N_AGES
    cell = persons.cells
    parts = threads.blocks(len(persons))
    counts = np.zeros((len(parts), n_keys), dtype=np.intp)

    def count(i: int, rows: slice) -> None:  # integer counts of each block, added afterwards
        key = persons.status[rows].astype(np.int16)
        key *= 2 * N_AGES
        key += cell[rows]
        counts[i] = kernels.code_counts(key, n_keys)

    threads.for_each(count, parts)
    return counts.sum(axis=0)


def initialise_wages(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                     rng: np.random.Generator) -> None:
    """Set the medians so each kind's expected mean wage is its target, then draw everyone's wage."""
    sd = log_sd(params, year)
    rows_by_status = status_cell_counts(persons).reshape(N_STATUSES, -1)
    median = np.zeros((N_STATUSES, 2, N_AGES))
    for k, name in enumerate(KINDS):
        profile = age_profile(params, year, name)
        rows = rows_by_status[KIND == k].sum(axis=0)
        mean_profile = rows @ profile.ravel() / rows.sum() if rows.sum() else 1.0
        median[KIND == k] = targets.value(f"mean_wage.{name}") / (np.exp(sd[k] ** 2 / 2) * mean_profile) * profile
    persons.tables["median_wage"] = median
    for rows in chunks(len(persons)):
        draw_wages(persons, rows, params, year, rng)


def grow_wages(persons: Persons, params: ParameterTree, year: int, growth: float) -> None:
    """A year of nominal growth for the medians and for every wage, plus each worker's step along the age profile
    (ages already advanced); wages of 0 stay 0."""
    profile = np.stack([age_profile(params, year, name) for name in KINDS])  # [kind, sex, age]
    step = np.full_like(profile, 1.0 + growth)
    step[:, :, 1:] *= profile[:, :, 1:] / profile[:, :, :-1]
    step = step.astype(np.float32).reshape(len(KINDS), -1)
    civil = step[KINDS.index("civil_servant")]
    step = step[0]  # every kind but the civil service shares one profile
    officials = "official_median_wage" in persons.tables
    official_factor = civil  # not read without officials' medians
    if officials:
        table = persons.tables["official_median_wage"]
        own = np.full_like(table, 1.0 + growth)
        own[:, 1:] *= table[:, 1:] / table[:, :-1]
        official_factor = own.ravel().astype(np.float32) / civil
        persons.tables["official_median_wage"] = table * (1.0 + growth)
    cell, civil_factor, employee = persons.cells, civil / step, persons.cs.state_employee
    threads.for_blocks(lambda _, rows: kernels.grow_wages(  # each row's own wage: by block on threads
        persons.wage[rows], cell[rows], persons.status[rows], persons.cs_record[rows], employee, step, CIVIL_SERVANT,
        civil_factor, official_factor, officials), len(persons))
    persons.tables["median_wage"] *= 1.0 + growth


def official_profile(slope: float, entry_age: float, retirement_age: float) -> np.ndarray:
    """[age] officials' median salary relative to the entry salary: exp(slope × (age − entry_age)), flat below the
    entry age and from the last age of service (retirement_age − 1) on."""
    ages = np.clip(np.arange(N_AGES, dtype=np.float64), entry_age, retirement_age - 1.0)
    return np.exp(slope * (ages - entry_age))


def official_medians(entry_salary: float, slope: float, female_ratio: float, entry_age: float,
                     retirement_age: float) -> np.ndarray:
    """[sex, age] officials' median salary (THB/month): the men's entry salary along the profile, women's × ratio."""
    curve = entry_salary * official_profile(slope, entry_age, retirement_age)
    return np.stack([curve, curve * female_ratio])


def official_slope(counts: np.ndarray, entry_salary: float, mean_salary: float, sd: float, female_ratio: float,
                   entry_age: float, retirement_age: float) -> float:
    """Yearly rise of log median salary (fraction) at which officials of the given [sex, age] counts average
    `mean_salary` (THB/month) with lognormal spread `sd` around medians starting from `entry_salary`."""
    weights = counts / counts.sum()

    def excess(slope: float) -> float:
        medians = official_medians(entry_salary, slope, female_ratio, entry_age, retirement_age)
        return float((weights * medians).sum() * np.exp(sd ** 2 / 2) - mean_salary)

    if excess(0.0) >= 0.0 or excess(0.2) <= 0.0:
        raise ValueError(f"no salary slope in [0, 0.2] gives officials a mean salary of {mean_salary:.0f} THB/month "
                         f"from an entry salary of {entry_salary:.0f}")
    return float(brentq(excess, 0.0, 0.2, xtol=1e-10))


def initialise_official_salaries(persons: Persons, rows: np.ndarray, targets: Targets, params: ParameterTree,
                                 year: int, rng: np.random.Generator) -> None:
    """Solve officials' salary profile on the base-year officials `rows`, keep its medians and draw their salaries."""
    entry_age = param(params, "population.civil_service.entry_age_min", year)
    retire = param(params, "civil_service_pension.retirement_age", year)
    female = param(params, "population.wages.female_ratio", year)
    entry = param(params, "population.civil_service.official_entry_salary", year)
    counts = np.bincount(persons.cells[rows], minlength=2 * N_AGES).reshape(2, N_AGES) + 1e-9  # none: uniform
    slope = official_slope(counts, entry, targets.value("mean_wage.official"), log_sd(params, year)[1], female,
                           entry_age, retire)
    persons.tables["official_median_wage"] = official_medians(entry, slope, female, entry_age, retire)
    draw_official_salaries(persons, rows, params, year, rng)


def draw_official_salaries(persons: Persons, rows: np.ndarray, params: ParameterTree, year: int,
                           rng: np.random.Generator) -> None:
    """New salaries (THB/month) for officials `rows` from the current officials' medians of their sex and age (each
    row's draw keyed by its row, `row_normals`)."""
    sd = np.float32(log_sd(params, year)[1])
    median = persons.tables["official_median_wage"].astype(np.float32).ravel()[persons.cells[rows]]
    persons.wage[rows] = median * np.exp(sd * row_normals(rng, rows))

