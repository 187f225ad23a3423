"""Thai nationals and other residents in the base population.

WPP counts every resident; the Thai registered population (target `thai_nationals`) is smaller, and so is the
Thai registered population aged 60+ (target `thai_nationals_60_plus`, DOPA registration): WPP's residents aged 60+
exceed it by about 2.3 million. The non-Thai residents are placed in two steps:
- aged 60+: in each sex and age band of `OLD_BANDS`, the WPP residents above the registered Thai count of the band
  (the 60+ total split by the registered share of men and the registered age structure of each sex), spread evenly
  over the band's single ages;
- under 60, the rest: the registered migrant workers (`population.migration.migrant_worker_stock`, at most the
  rest) spread evenly over working ages (split by sex by an assumed share) and flagged `migrant_worker`, the others
  spread over ages 0-59 and both sexes like the whole population.
Later, a newborn is Thai when either parent is Thai (Nationality Act B.E. 2508 s.7(1)): without links to fathers,
a newborn of a Thai mother is Thai and one of a non-Thai mother is Thai with the probability that her partner is
Thai (`population.nationality.thai_partner_of_non_thai_mother`), see `newborn_thai`. WPP's net migration splits
by nationality in model.population.migration: migrant workers arrive and return so that their registered stock
follows its path, and Thai nationals take the rest of each sex-age cell's net.
"""

import numpy as np

from ..parameters import ParameterTree
from .axes import N_AGES, SEXES
from .lookup import band_ages, param
from .persons import Persons
from .sampling import uniform_batches
from .targets import Targets

MAX_NON_THAI_SHARE = 0.9  # of any single sex-age cell
OLD_AGE = 60
OLD_BANDS: tuple[str, ...] = ("60_64", "65_69", "70_74", "75_79", "80_plus")


def thai_old_counts(targets: Targets) -> np.ndarray:
    """[sex, band of OLD_BANDS] registered Thai nationals aged 60+ (persons): the 60+ total split by the share of men
    and, within each sex, by the band shares (the last band takes the remainder)."""
    total = targets.value("thai_nationals_60_plus")
    male = targets.value("thai_60_plus.male_share")
    counts = np.zeros((len(SEXES), len(OLD_BANDS)))
    for s, (sex, share) in enumerate(zip(SEXES, (male, 1.0 - male))):
        shares = [targets.value(f"thai_60_plus.{sex}.share_{band}") for band in OLD_BANDS[:-1]]
        shares.append(1.0 - sum(shares))
        counts[s] = total * share * np.asarray(shares)
    return counts


def non_thai_counts(population: np.ndarray, targets: Targets, params: ParameterTree, year: int) -> np.ndarray:
    """[sex, age] expected non-Thai residents (persons), given the [sex, age] population (persons)."""
    return non_thai_parts(population, targets, params, year)[0]


def non_thai_parts(population: np.ndarray, targets: Targets, params: ParameterTree,
                   year: int) -> tuple[np.ndarray, np.ndarray]:
    """([sex, age] expected non-Thai residents, [sex, age] of whom registered migrant workers), both in persons,
    given the [sex, age] population (persons)."""
    count = np.zeros_like(population, dtype=float)
    thai_old = thai_old_counts(targets)
    for b, band in enumerate(OLD_BANDS):
        ages = band_ages(band)
        residents = population[:, ages].sum(axis=1)
        excess = np.maximum(residents - thai_old[:, b], 0.0)
        count[:, ages] = population[:, ages] * (excess / np.maximum(residents, 1e-12))[:, None]
    non_thai = max(population.sum() - targets.value("thai_nationals"), 0.0)
    young = max(non_thai - count.sum(), 0.0)
    workers = min(young, param(params, "population.migration.migrant_worker_stock", year))
    ages = np.arange(N_AGES)
    lo = param(params, "population.nationality.migrant_worker_min_age", year)
    hi = param(params, "population.nationality.migrant_worker_max_age", year)
    working = population * ((ages >= lo) & (ages <= hi))
    male = param(params, "population.nationality.migrant_worker_male_share", year)
    by_sex = np.array([male, 1.0 - male])[:, None]
    worker_count = workers * by_sex * working / np.maximum(working.sum(axis=1, keepdims=True), 1e-12)
    count += worker_count
    under_60 = population * (ages < OLD_AGE)
    count += (young - workers) * under_60 / max(under_60.sum(), 1e-12)
    return count, worker_count


def non_thai_share(population: np.ndarray, targets: Targets, params: ParameterTree, year: int) -> np.ndarray:
    """[sex, age] expected fraction of non-Thai residents, given the [sex, age] population (persons)."""
    count = non_thai_counts(population, targets, params, year)
    share = np.divide(count, population, out=np.zeros_like(count), where=population > 0)
    return np.minimum(share, MAX_NON_THAI_SHARE)


def thai_birth_probability(mother_thai: np.ndarray, thai_partner: float) -> np.ndarray:
    """Probability that each newborn is Thai (fraction), given its mother's nationality: 1 for a Thai mother, the
    probability that a non-Thai mother's partner is Thai otherwise (a child is Thai when either parent is; Nationality
    Act B.E. 2508 s.7(1); a child of two aliens born in Thailand is not, s.7 bis)."""
    return np.where(mother_thai, 1.0, thai_partner)


def newborn_thai(mother_thai: np.ndarray, thai_partner: float, rng: np.random.Generator) -> np.ndarray:
    """Draw each newborn's nationality (True = Thai) from its mother's by `thai_birth_probability`; draws one
    uniform per newborn of a non-Thai mother only."""
    thai = np.asarray(mother_thai, dtype=bool).copy()
    foreign = np.flatnonzero(~thai)
    thai[foreign] = rng.random(foreign.size) < thai_partner
    return thai


def initialise_nationality(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                           rng: np.random.Generator) -> None:
    """Draw each row's nationality so that Thai nationals, in total and aged 60+ by sex and band, match the targets
    in expectation, and which non-Thai rows are registered migrant workers (`migrant_worker`), as many as the
    stock of `population.migration.migrant_worker_stock` in expectation."""
    population = persons.count_by_sex_age()
    share = non_thai_share(population, targets, params, year)
    count, workers = non_thai_parts(population, targets, params, year)
    worker_share = np.minimum(np.divide(workers, count, out=np.zeros_like(count), where=count > 0), 1.0)
    # a non-Thai row (draw < share) is a worker when its draw falls in the first worker_share of [0, share)
    thai_from, worker_below = share.astype(np.float32).ravel(), (share * worker_share).astype(np.float32).ravel()
    cell = persons.cells
    thai, worker = np.empty(len(persons), dtype=bool), np.empty(len(persons), dtype=bool)
    for part, u in uniform_batches(rng, len(persons)):  # one draw per row, without a full-length array
        c = cell[part]
        np.greater_equal(u, thai_from[c], out=thai[part])
        np.less(u, worker_below[c], out=worker[part])
    persons.set("thai", thai)
    persons.set("migrant_worker", worker)
