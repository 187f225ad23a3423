"""Monthly wages or earnings (THB/month): lognormal by kind of work, sex and age.

The median wage of a status, sex and age is level(kind) × female_ratio^sex × exp(−curvature × ((age − peak)/20)²)
(civil servants have their own peak age: salary scales rise by yearly steps to retirement) and a person's wage is the median × exp(σ_kind × z) with z standard normal. In the base year each kind's level is
set so that the mean wage of its members equals its target (section 33, civil service, informal work: sections 39
and 40 and the uninsured). The table of medians, `persons.tables["median_wage"]` [status, sex, age], then grows with
nominal wage growth. A person who keeps a working status sees the wage grow with wage growth and the step along the
age profile; a person who changes status draws a new wage; persons not working earn 0.
"""

import numpy as np

from ..parameters import ParameterTree
from .axes import N_AGES
from .lookup import batches, chunks, param
from .persons import Persons
from .status import CIVIL_SERVANT, INFORMAL, N_STATUSES, SSF_S33, SSF_S39, SSF_S40
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
    """New wages for the given rows from the current medians of their status, sex and age (0 if not working)."""
    status = persons.status[rows].astype(np.intp)  # index type once: the two look-ups below would each convert
    sd = np.append(log_sd(params, year), 0.0).astype(np.float32)[KIND]  # [status]; kind -1 picks the appended 0
    median = persons.tables["median_wage"].astype(np.float32).ravel()[status * (2 * N_AGES) + persons.cell()[rows]]
    persons.wage[rows] = median * np.exp(sd[status] * rng.standard_normal(rows.size, dtype=np.float32))


def initialise_wages(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                     rng: np.random.Generator) -> None:
    """Set the medians so each kind's expected mean wage is its target, then draw everyone's wage."""
    sd = log_sd(params, year)
    key = persons.status.astype(np.intp)
    key *= 2 * N_AGES
    key += persons.cell()
    rows_by_status = np.bincount(key, minlength=N_STATUSES * 2 * N_AGES).reshape(N_STATUSES, -1)
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
    cell = persons.cell()
    for part in batches(len(persons)):
        persons.wage[part] *= step[cell[part]]
    rows = np.flatnonzero(persons.status == CIVIL_SERVANT)
    persons.wage[rows] *= civil[cell[rows]] / step[cell[rows]]
    persons.tables["median_wage"] *= 1.0 + growth
