"""The Python entry point of the result contract."""

from pathlib import Path

import xarray as xr
from tqdm.auto import tqdm

from .scenario import Scenario, load_scenario
from .simulation import SocialSecurityModel

PROGRESS_PERSON_YEARS = 50_000_000  # show a progress bar above this many row-years (a wait of seconds)


def resolve(scenario: "str | Path | Scenario" = "baseline", *, scale: float | None = None, seed: int | None = None,
            end_year: int | None = None) -> Scenario:
    """The validated scenario with any explicit scale, seed or end year applied on top."""
    return load_scenario(scenario).replaced(scale=scale, seed=seed, end_year=end_year)


def run(scenario: "str | Path | Scenario" = "baseline", *, scale: float | None = None, seed: int | None = None,
        end_year: int | None = None, progress: bool | None = None) -> xr.Dataset:
    """Run a scenario (a name in scenarios/, a YAML path or a Scenario) and return the result Dataset."""
    resolved = resolve(scenario, scale=scale, seed=seed, end_year=end_year)
    model = SocialSecurityModel(resolved)
    n_years = resolved.years.end - resolved.years.start + 1
    if progress is None:
        progress = len(model.persons) * n_years > PROGRESS_PERSON_YEARS
    for _ in tqdm(range(n_years), desc=f"{resolved.name} {resolved.years.start}-{resolved.years.end}", unit="year",
                  disable=not progress):
        model.step()
    return model.results()
