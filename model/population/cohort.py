"""Deterministic cohort-component projection from the same single-age inputs and in the same order as the
agent model (expected values, no randomness): the reference the agent projection is tested against."""

import numpy as np
import xarray as xr

from .axes import AGES, FEMALE, SEXES
from .demography import birth_rates_by_end_age, death_probability, end_age_index
from .rates import DemographicInputs


def project_cohorts(inputs: DemographicInputs, start_year: int, end_year: int) -> xr.Dataset:
    """Expected population(year, sex, age) on 1 July and flows(year, ...) for start_year..end_year (persons)."""
    years = np.arange(start_year, end_year + 1)
    pop = np.empty((years.size, 2, AGES.size))
    deaths = np.empty_like(pop)
    births = np.empty((years.size, 2))
    current = inputs.base_population.copy()
    for k, year in enumerate(years):  # loop over years, not persons
        i = inputs.index(year)
        pop[k] = current
        q = death_probability(inputs.mx[i])
        deaths[k] = end_age_index(current * q)
        survivors = end_age_index(current * (1.0 - q))
        total_births = (birth_rates_by_end_age(inputs.asfr[i]) * survivors[FEMALE]).sum()
        share = np.array([inputs.male_birth_share[i], 1.0 - inputs.male_birth_share[i]])
        births[k] = total_births * share
        infant_deaths = births[k] * death_probability(inputs.mx[i, :, 0], 0.5)
        deaths[k, :, 0] = infant_deaths
        survivors[:, 0] = births[k] - infant_deaths
        current = survivors + inputs.net_migration[i]
    coords = {"year": years, "sex": list(SEXES), "age": AGES}
    return xr.Dataset(
        {
            "population": (("year", "sex", "age"), pop, {"units": "persons"}),
            "deaths": (("year", "sex", "age"), deaths, {"units": "persons"}),
            "births": (("year",), births.sum(axis=1), {"units": "persons"}),
            "births_by_sex": (("year", "sex"), births, {"units": "persons"}),
            "net_migration": (("year", "sex", "age"), inputs.net_migration[years - inputs.years[0]], {"units": "persons"}),
        },
        coords=coords,
    )
