"""Registered disability (disability identity card holders, A2.6): Thai nationals only.

Prevalence by sex and age is phi_sex × alpha × e^(beta × age) from 15 and phi_sex × alpha_child × (age + 1) below,
with beta, alpha, alpha_child and phi solved so that the base-year Thai population reproduces the targets: the
number of card holders, the shares aged 0-14 and 60+ and the share of men. Age-specific prevalence then stays at its
base-year value: each year a Thai non-holder gets a card with the probability that lifts the cohort from last
year's prevalence to this year's (newborns: the prevalence at age 0). `persons.tables["disability_incidence"]`
holds that [sex, age] probability.
"""

import numpy as np
from scipy.optimize import brentq

from .axes import N_AGES
from .persons import Persons
from .sampling import bernoulli_rows, uniform_batches
from .targets import Targets

CHILD_AGES = 15
OLD_AGE = 60
ITERATIONS = 20
MAX_PREVALENCE = 0.95


def prevalence(thai: np.ndarray, targets: Targets) -> np.ndarray:
    """[sex, age] share of card holders among Thai nationals, given the [sex, age] Thai population (persons)."""
    total = targets.value("disability.card_holders")
    child = total * targets.value("disability.share_0_14")
    old = total * targets.value("disability.share_60_plus")
    male = targets.value("disability.male_share")
    ages = np.arange(N_AGES)
    adult, elderly = (ages >= CHILD_AGES) & (ages < OLD_AGE), ages >= OLD_AGE
    phi = np.ones(2)
    for _ in range(ITERATIONS):
        weighted = phi @ thai

        def ratio(beta: float) -> float:
            curve = weighted * np.exp(beta * (ages - OLD_AGE))
            return curve[elderly].sum() / max(curve[adult].sum(), 1e-12) - old / (total - child - old)

        beta = brentq(ratio, -0.5, 0.5)
        shape = np.where(ages >= CHILD_AGES, np.exp(beta * (ages - OLD_AGE)), 0.0)
        shape *= (total - child) / max(np.sum(weighted * shape), 1e-12)
        young = (ages + 1.0) * (ages < CHILD_AGES)
        shape += young * child / max(np.sum(weighted * young), 1e-12)
        counts = thai @ shape
        phi = np.array([male, 1.0 - male]) * total / np.maximum(counts, 1e-12)
    return np.minimum(phi[:, None] * shape[None, :], MAX_PREVALENCE)


def initialise_disability(persons: Persons, targets: Targets, rng: np.random.Generator) -> None:
    """Draw card holders among Thai nationals and keep the yearly incidence that holds prevalence by age."""
    rate = prevalence(persons.count_by_sex_age(persons.thai), targets)
    incidence = rate.copy()
    incidence[:, 1:] = np.clip((rate[:, 1:] - rate[:, :-1]) / (1.0 - rate[:, :-1]), 0.0, 1.0)
    persons.tables["disability_incidence"] = incidence
    below, cell = rate.astype(np.float32).ravel(), persons.cells
    disabled = np.empty(len(persons), dtype=bool)
    for part, u in uniform_batches(rng, len(persons)):
        np.less(u, below[cell[part]], out=disabled[part])
    persons.set("disabled", persons.thai & disabled)


def advance_disability(persons: Persons, rng: np.random.Generator) -> None:
    """A year of new card holders among Thai non-holders (ages already advanced; newborns included): rows are drawn
    at the incidence of their sex and age, and those not Thai are dropped."""
    rows = bernoulli_rows(persons.tables["disability_incidence"], persons.cells, rng)
    persons.disabled[rows[persons.thai[rows]]] = True
