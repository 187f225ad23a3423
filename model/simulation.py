"""SocialSecurityModel: the mesa Model that steps the agent population one calendar year at a time."""

import dataclasses

import mesa
import numpy as np
import xarray as xr

from . import __version__
from .parameters import ParameterTree
from .population.attributes import advance_attributes, initialise_attributes
from .population.axes import N_AGES
from .population.demography import step_demography
from .population.persons import Persons
from .population.rates import DemographicInputs, load_inputs
from .population.status import N_STATUSES
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
    `self.params` is the parameter tree with the scenario's overrides applied.
    """

    def __init__(self, scenario: Scenario):
        super().__init__(seed=scenario.seed)
        self.scenario = scenario
        self.year = scenario.years.start
        self.inputs = scenario_inputs(scenario)
        self.persons: Persons
        self.persons, self.rounding = base_persons(self.inputs.base_population, scenario.scale)
        self.params = ParameterTree.load().with_overrides(scenario.parameters)
        initialise_attributes(self.persons, self.year, self.params, self.rng)
        self.record: dict[str, np.ndarray] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, n=name: m.record[n]) for name in VARIABLES}
        )

    def step(self) -> None:
        """Advance one year: state on 1 July of `year`, then demography and the people's attributes to 1 July of
        `year + 1`."""
        self.record = self.state()
        flows = step_demography(self.persons, self.inputs, self.year, self.rng)
        wage_growth = self.params.annual_mean("population.wage_growth", self.year)
        advance_attributes(self.persons, self.year, self.params, wage_growth, self.rng)
        self.record.update(deaths=flows.deaths, births=flows.births.sum(), births_by_sex=flows.births,
                           net_migration=flows.net_migration)
        self.datacollector.collect(self)
        self.year += 1

    def state(self) -> dict[str, np.ndarray]:
        """The stock variables of 1 July: persons by status, sex and age, and their sums."""
        p = self.persons
        cell = p.status.astype(np.intp) * (2 * N_AGES) + p.cell()
        by_status = np.bincount(cell, minlength=N_STATUSES * 2 * N_AGES).reshape(N_STATUSES, 2, N_AGES) * p.scale
        return {"population": by_status.sum(axis=0), "persons_by_status": by_status.sum(axis=(1, 2)),
                "persons_by_status_sex_age": by_status}

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
