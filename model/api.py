"""The Python entry point of the result contract: `run` a scenario and get its result Dataset."""

from pathlib import Path

import xarray as xr
from tqdm.auto import tqdm

from .fiscal import persons_year
from .fiscal.assessment import add_fiscal
from .fiscal.budget import government_cost, macro_on_years
from .fiscal.macro import MacroPath
from .identity import parameters_hash, run_id
from .population.remembered_path import remembering
from .version import model_version
from .remembered import Remembered
from .scenario import Scenario, load_scenario
from .simulation import SocialSecurityModel

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


_CURRENT_LAW_COST: Remembered[xr.DataArray] = Remembered(32)  # government cost (THB by year) by run identity


def current_law(scenario: Scenario) -> Scenario:
    """The scenario without its parameter overrides: current law under the same demography, macro path, scale,
    seed and years."""
    return scenario.model_copy(update={"parameters": {}, "name": "current law", "description": "", "base": None})


def _remembered_cost(scenario: Scenario) -> xr.DataArray:
    """The government cost (THB by year) of a run of `scenario`, made once per process."""
    return _CURRENT_LAW_COST.get(run_id(scenario), lambda: government_cost(simulate(scenario)[0]))


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
    if run_id(reference) == run_id(current_law(scenario).model_copy(update={"financing": reference.financing})):
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
    first, so that the reform can replay its path."""
    resolved = resolve(scenario, scale=scale, seed=seed, end_year=end_year)
    if resolved.parameters and remembering():
        law = current_law(resolved)
        if _CURRENT_LAW_COST.peek(run_id(law)) is None:
            with persons_year.uncaptured():  # current law first, so that the reform replays its population path
                _remembered_cost(law)
    ds, model = simulate(resolved, progress)
    cost = government_cost(ds)
    if not resolved.parameters:  # a current-law run: reforms of it need not run it again
        _CURRENT_LAW_COST.put(run_id(resolved), cost)
    admin = float(model.params.get("ssf_s33.fund.admin_cost_fraction", f"{resolved.years.start}-07-01"))
    extra = extra_government_cost(resolved, cost)
    law_cost = cost if extra is None else cost - extra
    result = add_fiscal(ds, model.macro, admin, extra, offsetting_revenue(resolved, model.macro, ds["year"]),
                        current_law_cost=law_cost, reference_cost=reference_government_cost(resolved, law_cost))
    return result.assign_attrs(run_attributes(resolved))


def run_attributes(scenario: Scenario) -> dict[str, str]:
    """The attributes that identify a run's result: `run_id` (`model.identity.run_id`), `model_version` (package
    version + hash of code and data) and `parameters_hash` (sha256 of the resolved parameter tree)."""
    return {"run_id": run_id(scenario), "model_version": model_version(), "parameters_hash": parameters_hash(scenario)}
