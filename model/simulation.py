"""SocialSecurityModel: the mesa Model that steps the agent population one calendar year at a time."""

import dataclasses

import mesa
import numpy as np
import xarray as xr

from . import __version__
from .population.demography import step_demography
from .population.persons import Persons
from .population.rates import DemographicInputs, load_inputs
from .population.synthesis import base_persons
from .results import VARIABLES, build_dataset
from .scenario import Scenario


def scenario_inputs(scenario: Scenario) -> DemographicInputs:
    """WPP single-age inputs with the scenario's demographic multipliers applied."""
    inputs = load_inputs()
    d = scenario.demography
    if (d.fertility_multiplier, d.mortality_multiplier, d.migration_multiplier) == (1.0, 1.0, 1.0):
        return inputs
    return dataclasses.replace(inputs, asfr=inputs.asfr * d.fertility_multiplier, mx=inputs.mx * d.mortality_multiplier,
                               net_migration=inputs.net_migration * d.migration_multiplier)


class SocialSecurityModel(mesa.Model):
    """One step is one calendar year: record the state on 1 July, then age the population to the next 1 July.

    The population is a columnar `Persons` table, never mesa Agent objects; mesa provides the clock, the seeded
    numpy Generator (`self.rng`) and the DataCollector, whose model reporters return each year's aggregates.
    """

    def __init__(self, scenario: Scenario):
        super().__init__(seed=scenario.seed)
        self.scenario = scenario
        self.year = scenario.years.start
        self.inputs = scenario_inputs(scenario)
        self.persons: Persons
        self.persons, self.rounding = base_persons(self.inputs.base_population, scenario.scale)
        self.record: dict[str, np.ndarray] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, n=name: m.record[n]) for name in VARIABLES}
        )

    def step(self) -> None:
        """Advance one year: state on 1 July of `year`, then demography to 1 July of `year + 1`."""
        self.record = {"population": self.persons.count_by_sex_age()}
        flows = step_demography(self.persons, self.inputs, self.year, self.rng)
        self.record.update(deaths=flows.deaths, births=flows.births.sum(), births_by_sex=flows.births,
                           net_migration=flows.net_migration)
        self.datacollector.collect(self)
        self.year += 1

    @property
    def years(self) -> np.ndarray:
        """Calendar years simulated so far."""
        return np.arange(self.scenario.years.start, self.year)

    def results(self) -> xr.Dataset:
        """The result Dataset of the years stepped so far (the result contract of DESIGN.md)."""
        s = self.scenario
        attrs = {"scenario": s.name, "seed": s.seed, "scale": s.scale, "model_version": __version__,
                 "parameters_hash": s.fingerprint(), "base_population_rounding": str(self.rounding)}
        records = {name: self.datacollector.model_vars[name] for name in VARIABLES}
        return build_dataset(self.years, records, attrs)
