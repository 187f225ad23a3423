"""The Python entry point of the result contract: `run` a scenario and get its result Dataset."""

from dataclasses import dataclass, replace
from pathlib import Path

import xarray as xr
from tqdm.auto import tqdm

from .fiscal import persons_year
from .fiscal.assessment import add_fiscal
from .fiscal.budget import government_cost, macro_on_years
from .fiscal.macro import MacroPath, agent_overrides, load_macro
from .identity import parameters_hash, run_id
from .parameters import ParameterTree
from .population.remembered_path import remembering, replays_once_recorded
from .version import model_version
from .remembered import Remembered
from .scenario import Financing, Scenario, load_scenario
from .simulation import SocialSecurityModel, path_key

PROGRESS_ROW_YEARS = 50_000_000  # show a progress bar above this many row-years (a wait of many seconds)


def resolve(scenario: "str | Path | Scenario" = "baseline", *, scale: float | None = None, seed: int | None = None,
            end_year: int | None = None) -> Scenario:
    """The validated scenario with any explicit scale, seed or end year applied on top."""
    return load_scenario(scenario).replaced(scale=scale, seed=seed, end_year=end_year)


def simulate(scenario: Scenario, progress: bool | None = None) -> tuple[xr.Dataset, SocialSecurityModel]:
    """Step the agent model over the scenario's years; the Dataset holds the yearly aggregates, no fiscal layer."""
    model = SocialSecurityModel(scenario)
    n_years = scenario.years.end - scenario.years.start + 1
    if progress is None:
        progress = len(model.persons) * n_years > PROGRESS_ROW_YEARS
    for _ in tqdm(range(n_years), desc=f"{scenario.name} {scenario.years.start}-{scenario.years.end}", unit="year",
                  disable=not progress):
        model.step()
    return model.results(), model


_CURRENT_LAW_COST: Remembered[xr.DataArray] = Remembered(32)  # government cost (THB by year) by `agent_key`


@dataclass(frozen=True)
class AgentRun:
    """What a run's fiscal layer reads of its agent model run: the yearly aggregates (`simulate`'s Dataset),
    persons in work on 1 July by year (the macro path's link to the run: model.fiscal.macro) and the SSF
    administrative cost (fraction of contributions)."""

    ds: xr.Dataset
    employment: dict[int, float]
    admin_cost_fraction: float

    def macro(self, scenario: Scenario) -> MacroPath:
        """The macro path the fiscal layer of `scenario` reads: its overrides, linked to this run's employment."""
        return load_macro(scenario.macro, employment=self.employment)


_AGENT_RUNS: Remembered[AgentRun] = Remembered(16)  # by `agent_key`, in a process that remembers paths


def agent_key(scenario: Scenario) -> str:
    """The identity of a scenario's agent model run: its run identity without its financing and its macro
    overrides that move only the fiscal layer (model.fiscal.macro.FISCAL_ONLY_OVERRIDES), which the agent model
    does not read."""
    return run_id(scenario.model_copy(update={"macro": agent_overrides(scenario.macro), "financing": Financing()}))


def agent_run(scenario: Scenario, progress: bool | None = None) -> AgentRun:
    """The agent model run of `scenario`. A process that remembers population paths
    (model.population.remembered_path) remembers its last runs by `agent_key`: a scenario that differs from one of
    them only in financing or in macro overrides of the fiscal layer alone (an interest rate, a revenue share)
    takes that run's results, unless a capture of person frames is open (model.fiscal.persons_year)."""
    if not remembering():
        _AGENT_RUNS.clear()
    elif not persons_year.capturing():
        kept = _AGENT_RUNS.get(agent_key(scenario), lambda: agent_run_of(*simulate(scenario, progress)))
        return replace(kept, ds=kept.ds.copy(deep=True).assign_attrs(scenario=scenario.name))
    return agent_run_of(*simulate(scenario, progress))


def agent_run_of(ds: xr.Dataset, model: SocialSecurityModel) -> AgentRun:
    """The `AgentRun` of a stepped model and its Dataset."""
    admin = float(model.params.get("ssf_s33.fund.admin_cost_fraction", f"{model.scenario.years.start}-07-01"))
    return AgentRun(ds, dict(model.employment), admin)


def current_law(scenario: Scenario) -> Scenario:
    """The scenario without its parameter overrides: current law under the same demography, macro path, scale,
    seed and years."""
    return scenario.model_copy(update={"parameters": {}, "name": "current law", "description": "", "base": None})


def _remembered_cost(scenario: Scenario) -> xr.DataArray:
    """The government cost (THB by year) of a run of `scenario`, made once per process for all the scenarios of
    one `agent_key` (the cost is the agent model's)."""
    return _CURRENT_LAW_COST.get(agent_key(scenario), lambda: government_cost(agent_run(scenario).ds))


def _record_current_law(law: Scenario) -> None:
    """Run current law `law` itself (recording its population path) and remember its agent run and cost."""
    agent = agent_run_of(*simulate(law))
    _AGENT_RUNS.put(agent_key(law), agent)
    _CURRENT_LAW_COST.put(agent_key(law), government_cost(agent.ds))


def extra_government_cost(scenario: Scenario, cost: xr.DataArray) -> xr.DataArray | None:
    """The scenario's government cost (`cost`, its run's, THB by year) above that of current law (no parameter
    overrides) under the same demography, macro path, scale and seed; None for a current-law scenario. The
    current-law run is made once per process, or not at all after a run of that current-law scenario itself (a
    baseline)."""
    if not scenario.parameters:
        return None
    return cost - _remembered_cost(current_law(scenario))


def reference_scenario(scenario: Scenario) -> Scenario:
    """Current law under the reference assumptions, those the fiscal framework's deficits are taken to finance:
    the shipped baseline's demography and macro path at the scenario's scale, seed and end year."""
    return load_scenario("baseline").replaced(scale=scenario.scale, seed=scenario.seed, end_year=scenario.years.end)


def reference_government_cost(scenario: Scenario, law_cost: xr.DataArray) -> xr.DataArray:
    """The government cost of `reference_scenario` (THB by year), `law_cost` when the scenario's current law is
    the reference itself, else run once per process."""
    reference = reference_scenario(scenario)
    if agent_key(reference) == agent_key(current_law(scenario)):
        return law_cost
    return _remembered_cost(reference)


def offsetting_revenue(scenario: Scenario, macro: MacroPath, years: xr.DataArray) -> xr.DataArray | None:
    """New revenue the scenario names (THB by year: a share of the macro path's GDP), or None."""
    f = scenario.financing
    if f.offsetting_revenue_pct_gdp == 0:
        return None
    gdp = macro_on_years(macro, years)["gdp"]
    return (f.offsetting_revenue_pct_gdp / 100.0 * gdp).where(gdp["year"] >= f.from_year, 0.0)


def run(scenario: "str | Path | Scenario" = "baseline", *, scale: float | None = None, seed: int | None = None,
        end_year: int | None = None, progress: bool | None = None) -> xr.Dataset:
    """Run a scenario (a name in scenarios/, a YAML path or a Scenario) and return the result Dataset: the agent
    model's yearly aggregates plus budget aggregates, SSF accounts, public debt and sustainability verdicts. In a
    process that remembers population paths (model.population.remembered_path), a reform's current law is run
    first, so that the reform can replay its path (again if its path was forgotten and the reform's own agent run
    is not remembered)."""
    resolved = resolve(scenario, scale=scale, seed=seed, end_year=end_year)
    if resolved.parameters and remembering():
        law = current_law(resolved)
        steps = persons_year.capturing() or _AGENT_RUNS.peek(agent_key(resolved)) is None  # the reform will run
        with persons_year.uncaptured():  # current law first, so that the reform replays its population path
            if steps and replays_once_recorded(path_key(law), ParameterTree.load(),
                                               ParameterTree.load().with_overrides(resolved.parameters)):
                _record_current_law(law)  # its path was forgotten (another path replaced it)
            elif _CURRENT_LAW_COST.peek(agent_key(law)) is None:
                _remembered_cost(law)
    agent = agent_run(resolved, progress)
    ds, macro = agent.ds, agent.macro(resolved)
    cost = government_cost(ds)
    if not resolved.parameters:  # a current-law run: reforms of it need not run it again
        _CURRENT_LAW_COST.put(agent_key(resolved), cost)
    extra = extra_government_cost(resolved, cost)
    law_cost = cost if extra is None else cost - extra
    result = add_fiscal(ds, macro, agent.admin_cost_fraction, extra, offsetting_revenue(resolved, macro, ds["year"]),
                        current_law_cost=law_cost, reference_cost=reference_government_cost(resolved, law_cost))
    return result.assign_attrs(run_attributes(resolved))


def run_attributes(scenario: Scenario) -> dict[str, str]:
    """The attributes that identify a run's result: `run_id` (`model.identity.run_id`), `model_version` (package
    version + hash of code and data) and `parameters_hash` (sha256 of the resolved parameter tree)."""
    return {"run_id": run_id(scenario), "model_version": model_version(), "parameters_hash": parameters_hash(scenario)}
