"""SocialSecurityModel: the mesa Model that steps the agent population one calendar year at a time."""

import dataclasses
import time
from collections import defaultdict
from contextlib import contextmanager
from collections.abc import Iterator

import mesa
import numpy as np
import xarray as xr

from . import interrupts, threads
from .allocator import keep_temporaries_on_heap, release_free_memory
from .fiscal import distribution, kernels, mpi, persons_year
from .fiscal.indicators import HouseholdTable, YearHouseholds, household_records, poverty_line, target_group_records
from .fiscal.macro import MacroPath, agent_overrides, load_macro
from .fiscal.reductions import YearReductions
from .parameters import ParameterTree
from .population.attributes import advance_attributes
from .population.base_year import base_population
from .population.axes import N_AGES
from .population.demography import step_demography
from .population.migration import ByNationality, migration_parameters, migration_records
from .population.streams import ScenarioStreams
from .population.persons import Persons
from .population.rates import DemographicInputs, load_inputs
from .population.remembered_path import PathRecorder, find_path, inputs_key, remembering
from .population.status import EMPLOYED, N_STATUSES, in_status, status_bits
from .results import VARIABLES, build_dataset
from .scenario import Scenario
from .schemes import health_cost
from .schemes.base import REDUCE_ROWS, YearContext
from .schemes.registry import SchemesYear, apply_schemes, initialise_schemes


_EMPLOYED_STATUS = status_bits(np.flatnonzero(EMPLOYED))
"""The employed statuses (the wage bill's rows) as bits (`status_bits`)."""


def scenario_inputs(scenario: Scenario) -> DemographicInputs:
    """WPP single-age inputs with the scenario's demographic multipliers (and fertility path) applied."""
    inputs = load_inputs()
    d = scenario.demography
    if (d.fertility_multiplier, d.mortality_multiplier, d.migration_multiplier) == (1.0, 1.0, 1.0) \
            and not d.fertility_path:
        return inputs
    fertility = d.fertility_factors(inputs.years.tolist())[:, None]  # [year, 1]
    return dataclasses.replace(inputs, asfr=inputs.asfr * fertility, mx=inputs.mx * d.mortality_multiplier,
                               net_migration=inputs.net_migration * d.migration_multiplier)


def path_key(scenario: Scenario) -> tuple:
    """What a scenario's population path depends on besides parameters (`remembered_path.inputs_key`): its seed,
    scale, base year, demography and the macro overrides the agent model reads (not those of the fiscal layer
    alone, FISCAL_ONLY_OVERRIDES)."""
    return inputs_key(scenario.seed, scenario.scale, scenario.years.start, scenario.demography.model_dump(mode="json"),
                      agent_overrides(scenario.macro))


def uprating_indices(macro: MacroPath, params: ParameterTree) -> dict[str, dict[int, float]]:
    """The macro indices a parameter's `uprating` may name (calendar year -> index, 2023 = 1.0): prices (`cpi`),
    wages (`wage`, from the year before the base year, so that a value dated in it, an FY2023 budget from October
    2022, grows over the base year) and health cost (`health`, wages and the excess cost growth of `params`)."""
    years = macro.years.tolist()
    wage = {years[0] - 1: 1.0 / (1.0 + float(macro.wage_growth[0])), **dict(zip(years, macro.wage_index.tolist()))}
    return {"cpi": dict(zip(years, macro.cpi.tolist())), "wage": wage,
            "health": health_cost.health_index(params, wage)}


class SocialSecurityModel(mesa.Model):
    """One step is one calendar year: record the state on 1 July, apply every scheme to it for the calendar year,
    then age the population to the next 1 July.

    The population is a columnar `Persons` table, never mesa Agent objects. mesa provides three things: the clock
    (`self.steps`, which mesa counts as each step starts; the calendar year derives from it), the seeded numpy
    Generator (`self.rng`, kept for mesa's own use) and the DataCollector, whose model reporters return each year's
    aggregates. mesa's agents, spaces and schedulers are not used. The population's processes draw from
    `self.streams`, one stream per process and year from the scenario's seed (model.population.streams), so that a
    reform changing one behaviour leaves the other processes' draws unchanged. `self.params` is the parameter tree
    with the scenario's overrides applied; `self.macro` the macro path: unless one is given, rebuilt each year from
    the employment simulated so far (`self.employment`, persons in work on 1 July by year), so that beyond the
    fiscal framework's horizon real growth is the model's employment growth plus labour productivity growth
    (model.fiscal.macro); after the run it is the path the fiscal layer reads. In a process that remembers
    population paths, a run replays a remembered one whose state changes read what its own would (`self.path`), or a
    current-law run records its own (`self.recorder`, whose recording tree `self.state_params` the state changes
    read through; otherwise `self.params`): model.population.remembered_path.
    """

    def __init__(self, scenario: Scenario, macro: MacroPath | None = None):
        super().__init__(seed=scenario.seed)
        keep_temporaries_on_heap()
        self.scenario = scenario
        self.macro = load_macro(scenario.macro) if macro is None else macro
        self.linked = macro is None  # the path follows the run's employment
        self.employment: dict[int, float] = {}
        self.inputs = scenario_inputs(scenario)
        self.params = ParameterTree.load().with_overrides(scenario.parameters)
        self.indices = uprating_indices(self.macro, self.params)
        self.streams = ScenarioStreams(scenario.seed)  # one stream per stochastic process (common random numbers)
        # a remembered population path this run replays, or the recorder of its own (model.population.remembered_path)
        key = None if macro is not None else path_key(scenario)
        self.path = None if key is None else find_path(key, self.params)
        self.recorder = (PathRecorder(key, self.params, scenario.years.end - self.year + 2)
                         if key is not None and self.path is None and remembering() and not scenario.parameters
                         else None)
        self.state_params = self.params if self.recorder is None else self.recorder.tree  # what state changes read
        self.persons: Persons  # built with its attributes, a copy of the one built for the same inputs, or replayed
        if self.path is not None:
            self.persons, self.rounding = self.path.persons(self.year), self.path.rounding
        else:
            self.persons, self.rounding = base_population(self.inputs.base_population, scenario.scale, self.year,
                                                          self.state_params, self.streams)
            initialise_schemes(self.year_context(self.year, self.state_params))
        if self.recorder is not None:
            self.recorder.keep_state(self.year, self.persons)
        release_free_memory()  # the set-up's freed temporaries leave the resident set before the first step
        self.record: dict[str, np.ndarray] = {}
        self.timings: defaultdict[str, float] = defaultdict(float)  # seconds spent in each phase of step()
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, n=name: m.record[n]) for name in VARIABLES}
        )

    @property
    def year(self) -> int:
        """Calendar year of the 1 July state the population holds between steps: the base year plus the steps
        made (mesa's `steps`)."""
        return self.scenario.years.start + self.steps

    def macro_value(self, series: str, year: int) -> float:
        """The macro path's value for `year` (its unit in model.fiscal.macro.SERIES_META)."""
        return float(getattr(self.macro, series)[year - int(self.macro.years[0])])

    def step(self) -> None:
        """Advance one year: state on 1 July of `year`, the schemes for calendar year `year`, then demography and
        the people's attributes to 1 July of `year + 1` (taken from the remembered path the run replays, if any:
        model.population.remembered_path)."""
        year = self.year - 1  # mesa counts the step under way before running it
        if self.path is not None and year > self.scenario.years.start and year in self.path.states:
            self.persons = self.path.persons(year, self.persons)
        with self.timed("record"):
            # the rows' income deciles and regions, from the population alone, made on a thread of their own while
            # the stocks are counted and the first schemes computed; read when their first result is reduced
            made = threads.in_background(lambda: HouseholdTable(self.persons).with_code())
            self.record = self.state()
            self.employment[year] = float(self.record["employment"])
            horizon = self.macro.framework_horizon
            if self.linked and (horizon is None or year > horizon):
                # employment moves real growth only after the framework's horizon (model.fiscal.macro): up to it the
                # rebuilt path would be the one held, so it is rebuilt from the first year after it
                self.macro = load_macro(self.scenario.macro, employment=self.employment)
        with self.timed("indicators"):
            ctx = self.year_context(year)
            # what the year reads of each scheme's rows and amounts is made as soon as the scheme is computed, and
            # those no other reader needs are freed then (peak memory)
            reductions = ctx.shared[REDUCE_ROWS] = YearReductions(self.persons, lambda: made.result().code,
                                                                  keep=persons_year.wanted(year))
        tables = dict(self.persons.tables)
        with self.timed("schemes"):
            flows = apply_schemes(ctx, self.state_params)
            # the index of rows by person id that a scheme's links built (the child support grant's parents),
            # freed before the indicators rather than held to next year's households (peak memory)
            self.persons.forget_row_of_pid()
        with self.timed("indicators"):
            table = made.result()
            received = reductions.support(ctx)  # [row] bits of what each row receives
            drivers = reductions.drivers(ctx)
            sums = distribution.year_sums(self, flows, year, table.code)  # sums by decile and region
            ctx.shared.clear()  # the year's shared row lists and masks
            del reductions, table.code  # the rows' codes: read only by the schemes' sums by decile and region
            # the paying schemes' rows and amounts, added in the contract's order, then freed before the indicators'
            # own whole-length arrays (peak memory)
            shared = YearHouseholds(self.persons, flows, poverty_line(self.params, year, self.indices), table,
                                    free_rows=True)
            self.record.update(self.scheme_records(flows, year, shared, ctx, received))
            self.record.update(drivers)
            self.record.update(distribution.year_records(self, flows, year, shared, sums))
        del ctx, flows, shared, table, received  # the schemes' per-row results: freed before the next phases
        # the tables the schemes and indicators wrote this year (kept by a recorded path for its replays to carry);
        # the snapshot is freed before the population changes, so that it holds no table the people phase replaces
        kept = {key for key, value in self.persons.tables.items() if tables.get(key) is not value}
        del tables
        replayed = self.path is not None and self.path.replays(year)
        if self.recorder is not None:
            self.recorder.copied()  # the remembered state's columns, before the population's change
        yearly = self.path.records[year] if replayed else self.age_population()
        with self.timed("record"):
            self.record.update(yearly)
            if self.recorder is not None:
                self.recorder.keep_year(year, yearly, kept)
                self.recorder.keep_state(year + 1, self.persons)
                if year == self.scenario.years.end:
                    self.recorder.publish(self.rounding)
            self.datacollector.collect(self)

    def age_population(self) -> dict[str, object]:
        """Age the population from 1 July of the year under way to 1 July of the next (demography, then the
        people's attributes); what the demography and migration recorded."""
        year = self.year - 1
        with self.timed("demography"):
            thai_partner = float(self.state_params.get("population.nationality.thai_partner_of_non_thai_mother",
                                                       f"{year}-07-01"))
            streams = self.streams.year(year)
            migration = ByNationality(migration_parameters(self.state_params, year))
            demography = step_demography(self.persons, self.inputs, year, streams, thai_partner, migration)
            self.persons.release_dropped()  # the pages of rows dropped for good (peak memory)
        with self.timed("people"):
            advance_attributes(self.persons, year, self.state_params, self.macro_value("wage_growth", year), streams,
                               inflation=self.macro_value("inflation", year),
                               real_growth=self.macro_value("real_growth", year))
        return dict(deaths=demography.deaths, births=demography.births.sum(), births_by_sex=demography.births,
                    net_migration=demography.net_migration, **migration_records(migration.flows))

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Add the wall time of the block to `self.timings[phase]` (seconds). A Ctrl-C that something swallowed
        stops the run here (model.interrupts)."""
        interrupts.check()
        start = time.perf_counter()
        yield
        self.timings[phase] += time.perf_counter() - start

    def state(self) -> dict[str, np.ndarray]:
        """The stock variables of 1 July: persons by status, sex and age, by nationality, and their sums (one count
        of rows by status, nationality, sex and age: exact whole numbers, summed over what each variable leaves
        out), in one compiled pass over the rows with the wage bill, its wages added in row order
        (model.fiscal.kernels.stock_pass)."""
        p = self.persons
        # nationality index 0 thai, 1 non_thai (results.NATIONALITIES)
        counts, stats = kernels.stock_pass(p.status, p.thai, p.sex, p.age, p.wage, p.migrant_worker,
                                           _EMPLOYED_STATUS, N_STATUSES, N_AGES)
        rows = counts.reshape(N_STATUSES, 2, 2, N_AGES)
        by_status = rows.sum(axis=1) * p.scale
        by_nationality = rows.sum(axis=0) * p.scale
        total = float(stats[0])  # the wages added in row order
        if stats[1]:  # a wage that is negative, NaN or infinite: numpy's sum over the employed alone
            total = float(np.sum(p.wage, where=in_status(p.status, *np.flatnonzero(EMPLOYED)), dtype=np.float64))
        return {"population": by_status.sum(axis=0), "persons_by_status": by_status.sum(axis=(1, 2)),
                "persons_by_status_sex_age": by_status, "population_by_nationality": by_nationality,
                "employment": by_status[EMPLOYED].sum(),
                "wage_bill": 12.0 * p.scale * total,
                "migrant_workers": int(stats[2]) * p.scale}

    def year_context(self, year: int, params: ParameterTree | None = None) -> YearContext:
        """What the schemes read in `year`: the population, parameters (`params`, else the run's), the macro
        indices and demographic rates."""
        i = self.inputs.index(year)
        return YearContext(self.persons, year, self.params if params is None else params, indices=self.indices,
                           fertility=self.inputs.asfr[i], mortality=self.inputs.mx[i])

    def scheme_records(self, flows: SchemesYear, year: int, shared: YearHouseholds | None = None,
                       ctx: YearContext | None = None, received: mpi.Support | None = None) -> dict[str, np.ndarray]:
        """The year's records of the schemes' flows, the target groups' indicators under them (poverty, coverage,
        adequacy, the multidimensional poverty index) and the households of 1 July (`shared`: the year's household
        reductions, when already computed; `ctx`: the context the schemes were computed in, whose values computed
        once in the year the indicators read again; `received`: what each row receives, when already made)."""
        if shared is None:
            shared = YearHouseholds(self.persons, flows, poverty_line(self.params, year, self.indices))
        ctx = self.year_context(year) if ctx is None else ctx
        return {**target_group_records(ctx, flows, shared.line, shared, received),
                **household_records(self.persons, shared.size, shared),
                "recipients": flows.recipients, "benefit_cost": flows.benefit_cost,
                "contributions": flows.contributions_by_payer.sum(axis=1),
                "contributions_by_payer": flows.contributions_by_payer,
                "ssf_branch_benefits": flows.ssf_branch_benefits,
                "ssf_branch_contributions": flows.ssf_branch_contributions,
                "insurable_wages": flows.insurable_wages,
                "ssf_unemployment_beneficiaries": flows.ssf_unemployment_beneficiaries,
                "benefit_cost_by_month": flows.cost_by_month, "recipients_by_month": flows.recipients_by_month,
                "contributions_by_month": flows.contributions_by_month}

    @property
    def years(self) -> np.ndarray:
        """Calendar years simulated so far."""
        return np.arange(self.scenario.years.start, self.year)

    def results(self) -> xr.Dataset:
        """The result Dataset of the years stepped so far (the result contract: README.md, "Results"); the
        attributes that identify the run (run_id, model_version, parameters_hash) are added by `model.api.run`."""
        s = self.scenario
        attrs = {"scenario": s.name, "seed": s.seed, "scale": s.scale, "base_population_rounding": str(self.rounding)}
        records = {name: self.datacollector.model_vars[name] for name in VARIABLES}
        return build_dataset(self.years, records, attrs)
