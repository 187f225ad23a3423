"""Yearly demographic processes on the agent population, in a fixed order: deaths, ageing, births, migration.

One step moves the population from 1 July of year t to 1 July of t+1 using the calendar-year-t inputs.
Flows are indexed by age on 1 July of t+1 (the age after ageing), so that exactly, by sex:
    population[t+1, a]   = population[t, a-1]           - deaths[t, a] + net_migration[t, a]   (1 <= a <= 99)
    population[t+1, 100] = population[t, 99] + population[t, 100] - deaths[t, 100] + net_migration[t, 100]
    population[t+1, 0]   = births[t]                       - deaths[t, 0] + net_migration[t, 0]
where deaths[t, 0] are babies born during the year who die before 1 July of t+1.
Each process draws from its own random stream (model.population.streams); none loops over persons. A row dies,
becomes a mother or emigrates with the probability of its sex-age cell, drawn by `sampling.bernoulli_rows`:
Poisson thinning where every probability is small (births, emigration, deaths under OLD_AGE), so that these cost in proportion to the
rows drawn rather than to the population, and a uniform draw per row elsewhere.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..compiled import true_rows
from .axes import AGES, FEMALE, MAX_AGE, N_AGES
from .nationality import newborn_thai
from .persons import Persons
from .rates import DemographicInputs
from .sampling import bernoulli_rows
from .streams import Streams

Migrate = Callable[[Persons, np.ndarray, np.random.Generator], np.ndarray]
"""Applies [sex, age] net migrants (persons) to the table with a random stream; returns those realised."""

OLD_AGE = 70  # deaths are drawn row by row from this age (on 1 July t), by Poisson thinning below it


@dataclass(frozen=True)
class DemographicFlows:
    """Persons flowing in one step, by age on 1 July of t+1."""

    deaths: np.ndarray  # [sex, age]
    births: np.ndarray  # [sex]
    net_migration: np.ndarray  # [sex, age]


def death_probability(mx: np.ndarray, exposure: float = 1.0) -> np.ndarray:
    """Probability of dying within `exposure` years at constant central death rate mx (fraction)."""
    return -np.expm1(-mx * exposure)


def end_age_index(counts_by_start_age: np.ndarray) -> np.ndarray:
    """Re-index [sex, age on 1 July t] counts by age on 1 July t+1 (100+ stays 100+)."""
    out = np.zeros_like(counts_by_start_age)
    out[:, 1:] = counts_by_start_age[:, :-1]
    out[:, MAX_AGE] += counts_by_start_age[:, MAX_AGE]
    return out


def birth_rates_by_end_age(asfr: np.ndarray) -> np.ndarray:
    """ASFR by mother's age on 1 July t+1 (rates are defined on her age on 1 July t, one year younger)."""
    out = np.zeros_like(asfr)
    out[1:] = asfr[:-1]
    return out


def apply_deaths(persons: Persons, mx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Remove persons who die during the year; returns deaths [sex, age on 1 July t+1] (persons).

    Each row dies with its cell's probability. Under OLD_AGE, where that is at most a few per cent, deaths are
    drawn by Poisson thinning over the whole table; rows of OLD_AGE and over (about a tenth of the rows, found by a
    scan of the age column) get a uniform draw each.
    """
    q = death_probability(mx)
    cell = persons.cells
    old = true_rows(persons.age >= OLD_AGE)  # np.flatnonzero, int32 (faster to find, and to gather by with np.take)
    younger = bernoulli_rows(np.where(AGES < OLD_AGE, q, 0.0), cell, rng)
    dead = np.concatenate([younger, old[bernoulli_rows(q, cell[old], rng)]])
    by_start_age = np.bincount(cell[dead], minlength=2 * N_AGES).reshape(2, N_AGES) * persons.scale
    persons.drop(dead)
    return end_age_index(by_start_age)


def apply_ageing(persons: Persons) -> None:
    """Everyone alive becomes one year older; 100 stays 100 (the open group)."""
    persons.advance_age()


def apply_births(persons: Persons, asfr: np.ndarray, male_share: float, infant_mx: np.ndarray,
                 rng: np.random.Generator, thai_partner: float = 0.0,
                 nationality_rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Women give birth with their single-age rate; the baby's sex follows the SRB; babies born during the year
    (half a year of exposure on average) may die before 1 July of t+1 at the age-0 death rate. A baby is Thai when
    its mother is, and otherwise with probability `thai_partner` that her partner is Thai (`newborn_thai`, drawn
    from `nationality_rng`, by default `rng`).

    Returns (births [sex], deaths at age 0 among them [sex]), both in persons; surviving babies are appended.
    """
    rate = np.zeros((2, N_AGES))
    rate[FEMALE] = birth_rates_by_end_age(asfr)
    mothers = bernoulli_rows(rate, persons.cells, rng)
    sex = (rng.random(mothers.size) >= male_share).astype(np.int8)
    dies = rng.random(mothers.size) < death_probability(infant_mx, 0.5)[sex]
    births = np.bincount(sex, minlength=2) * persons.scale
    infant_deaths = np.bincount(sex[dies], minlength=2) * persons.scale
    survivors = ~dies
    values = persons.newborn_values(mothers[survivors])
    values.update(sex=sex[survivors], age=np.zeros(survivors.sum()),
                  thai=newborn_thai(values["thai"], thai_partner, rng if nationality_rng is None else nationality_rng))
    persons.append(values, int(survivors.sum()))
    return births, infant_deaths


def apply_migration(persons: Persons, net_migrants: np.ndarray, rng: np.random.Generator,
                    immigrant_values: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Net migration by sex and age (after ageing). Returns the net migrants realised [sex, age] (persons).

    Inflows: net_migrants/scale rows per cell, rounded stochastically (floor plus one with probability equal to
    the fractional part), so the expected count is exact. Outflows: each row of the cell leaves with probability
    |net_migrants| / (persons in the cell), at most 1, so the expected count is exact and a cell never goes below
    zero.
    """
    cell = persons.cells
    flat = net_migrants.ravel()
    outflow = np.where(flat < 0, -flat, 0.0)
    in_cell = persons.count_by_sex_age().ravel()
    leave_p = np.divide(outflow, in_cell, out=np.zeros_like(outflow), where=in_cell > 0)
    leaving = bernoulli_rows(np.minimum(leave_p, 1.0), cell, rng)
    removed = np.bincount(cell[leaving], minlength=2 * N_AGES)
    persons.drop(leaving)

    expected = np.where(flat > 0, flat, 0.0) / persons.scale
    added = (np.floor(expected) + (rng.random(expected.size) < expected % 1.0)).astype(np.int64)
    new_cell = np.repeat(np.arange(2 * N_AGES), added)
    values = dict(immigrant_values or {})
    values.update(sex=new_cell // N_AGES, age=new_cell % N_AGES)
    persons.append(values, new_cell.size)
    return ((added - removed) * persons.scale).reshape(2, N_AGES)


def step_demography(persons: Persons, inputs: DemographicInputs, year: int, streams: Streams,
                    thai_partner: float = 0.0, migrate: Migrate | None = None) -> DemographicFlows:
    """One year of demography, in the fixed order deaths, ageing, births, migration; `thai_partner` is the
    probability that a non-Thai mother's partner is Thai (fraction; see `apply_births`). `migrate` applies the net
    migrants by nationality (model.population.migration), by default `apply_migration`. Deaths, births, newborns'
    nationality and migration each draw from their own stream of `streams` (model.population.streams)."""
    i = inputs.index(year)
    deaths = apply_deaths(persons, inputs.mx[i], streams["deaths"])
    apply_ageing(persons)
    births, infant_deaths = apply_births(persons, inputs.asfr[i], inputs.male_birth_share[i], inputs.mx[i, :, 0],
                                         streams["births"], thai_partner, streams["nationality"])
    deaths[:, 0] += infant_deaths
    migration = (migrate or apply_migration)(persons, inputs.net_migration[i], streams["migration"])
    return DemographicFlows(deaths=deaths, births=births, net_migration=migration)
