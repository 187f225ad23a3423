"""Thai nationals and other residents in the base population.

WPP counts every resident; the Thai registered population (target `thai_nationals`) is smaller. The rest are
non-Thai: a share of them migrant workers spread evenly over working ages (split by sex by an assumed share), the
others spread over all ages and sexes like the whole population. Later, newborns take the mother's nationality
(column `thai` is inherited) and immigrants are non-Thai (the column's default).
"""

import numpy as np

from ..parameters import ParameterTree
from .axes import N_AGES
from .lookup import param
from .persons import Persons
from .targets import Targets

MAX_NON_THAI_SHARE = 0.9  # of any single sex-age cell


def non_thai_share(population: np.ndarray, thai_target: float, params: ParameterTree, year: int) -> np.ndarray:
    """[sex, age] expected fraction of non-Thai residents, given the [sex, age] population (persons)."""
    non_thai = max(population.sum() - thai_target, 0.0)
    workers = non_thai * param(params, "population.nationality.migrant_worker_share", year)
    ages = np.arange(N_AGES)
    lo = param(params, "population.nationality.migrant_worker_min_age", year)
    hi = param(params, "population.nationality.migrant_worker_max_age", year)
    working = population * ((ages >= lo) & (ages <= hi))
    male = param(params, "population.nationality.migrant_worker_male_share", year)
    by_sex = np.array([male, 1.0 - male])[:, None]
    count = workers * by_sex * working / np.maximum(working.sum(axis=1, keepdims=True), 1e-12)
    count += (non_thai - workers) * population / max(population.sum(), 1e-12)
    share = np.divide(count, population, out=np.zeros_like(count), where=population > 0)
    return np.minimum(share, MAX_NON_THAI_SHARE)


def initialise_nationality(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                           rng: np.random.Generator) -> None:
    """Draw each row's nationality so that Thai nationals match the target in expectation."""
    population = persons.count_by_sex_age()
    share = non_thai_share(population, targets.value("thai_nationals"), params, year)
    draw = rng.random(len(persons), dtype=np.float32)
    persons.set("thai", draw >= share.astype(np.float32).ravel()[persons.cell()])
