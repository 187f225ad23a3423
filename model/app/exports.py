"""What the app reads and writes: uploaded scenario files, the scenario YAML of the current settings, and the
results as CSV and NetCDF."""

import os
from typing import Any

import pandas as pd
import xarray as xr
import yaml

from ..compare import compare_results
from ..errors import ModelInputError
from ..paths import ROOT_DIR, SCENARIO_DIR
from ..scenario import MAX_SCENARIO_BYTES, Scenario, parse_yaml, scenario_from_text
from .fiscal_years import with_fiscal_year_measures

JS_MAX_SAFE = 2**53 - 1  # the largest integer a browser's number holds exactly


def read_upload(name: str, data: bytes) -> Scenario:
    """A validated scenario from an uploaded file: at most 1 MB of UTF-8 YAML, parsed safely (nothing in it is
    executed), whose `base` names a shipped scenario (never a path: an upload reads nothing else on the server),
    with its parameter paths, values and macro overrides checked too. ModelInputError names field and value and
    never shows a path of the server."""
    try:
        return _read_upload(name, data)
    except ModelInputError as error:
        raise ModelInputError(_without_server_paths(str(error))) from None


def _read_upload(name: str, data: bytes) -> Scenario:
    if len(data) > MAX_SCENARIO_BYTES:
        raise ModelInputError(f"{name}: file is larger than {MAX_SCENARIO_BYTES:,} bytes "
                              f"({len(data) / 1e6:,.1f} MB); the limit is 1 MB")
    check_base(parse_yaml(data, name).get("base"), name)
    scenario = scenario_from_text(data, name)
    check_displayable(scenario, name)
    return scenario


def shipped_names() -> list[str]:
    """Names of the scenarios in scenarios/."""
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))


def check_base(base: Any, name: str) -> None:
    """An uploaded scenario may extend a shipped scenario by its name only: an absolute path, `..` or any other
    path would make the server read a file of its choosing (and show its contents in the error)."""
    if base is None:
        return
    names = shipped_names()
    if not isinstance(base, str) or base not in names:
        shown = repr(base) if len(repr(base)) <= 60 else repr(base)[:57] + "..."
        raise ModelInputError(f"{name}: field 'base': must be the name of a shipped scenario ({', '.join(names)}), "
                              f"not a path or another name (got {shown})")


def check_displayable(scenario: Scenario, name: str) -> None:
    """Refuse numbers the browser cannot show exactly in a control (beyond ±2^53, JavaScript's safe integers)."""
    for path, dated in scenario.parameters.items():
        for when, value in dated.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > JS_MAX_SAFE:
                raise ModelInputError(f"{name}: field 'parameters.{path}': the value for {when} is too large to "
                                      f"use or show (got {value:.6g})")


def _without_server_paths(message: str) -> str:
    """The message with the server's project folder left out of any path in it."""
    return message.replace(f"{ROOT_DIR}{os.sep}", "").replace(str(ROOT_DIR), ".")


def scenario_yaml(scenario: Scenario, keep_scale: bool = False) -> str:
    """The scenario as a self-contained YAML file (no `base`), which `scenario_from_text` reads back unchanged.
    The app's precision (`scale`) is left out unless `keep_scale`, so that the command line runs the file at its
    own default precision rather than at the precision chosen in the app."""
    data = scenario.model_dump(exclude={"base"} if keep_scale else {"base", "scale"})
    header = (f"# Scenario '{scenario.name}' saved from the app (model.app); run it with\n"
              f"#   python -m model run {scenario.name}.yaml\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def comparison(base: xr.Dataset, reform: xr.Dataset) -> xr.Dataset:
    """Both results on a `scenario` dimension (`compare_results`), each with the fiscal-year measures the charts
    show, and every variable's units and description kept (the comparison drops them)."""
    both = compare_results(*(with_fiscal_year_measures(ds) for ds in (base, reform)))
    for name, values in with_fiscal_year_measures(reform).data_vars.items():
        both[name].attrs.update(values.attrs)
    return both


def results_csv(ds: xr.Dataset) -> bytes:
    """Every variable of a result in long form: one row per value, with its coordinates and units."""
    frames = []
    for name, values in ds.data_vars.items():
        if values.ndim:
            frame = values.to_dataframe(name="value").reset_index()
        else:
            frame = pd.DataFrame({"value": [values.item()]})
        frames.append(frame.assign(variable=name, units=values.attrs.get("units", "")))
    table = pd.concat(frames, ignore_index=True)
    for name, coord in ds.coords.items():  # years stay whole numbers where other variables leave them empty
        if name in table and pd.api.types.is_integer_dtype(coord.dtype):
            table[name] = table[name].astype("Int64")
    first = ["variable", *[c for c in table.columns if c not in ("variable", "value", "units")], "value", "units"]
    return table[first].to_csv(index=False).encode("utf-8")


def results_netcdf(ds: xr.Dataset) -> bytes:
    """The result as a NetCDF-4 file (h5netcdf), as `python -m model run --out` writes it (the app adds the
    fiscal-year measures of its charts, `fiscal_years.with_fiscal_year_measures`)."""
    return bytes(ds.to_netcdf(engine="h5netcdf"))


WIDE_SKIPPED_DIMS = ("month",)  # monthly detail stays in the NetCDF file
WIDE_SUMMED_DIMS = ("age", "sex")  # variables by age are given as totals (by sex and age in the NetCDF file)
WIDE_SKIPPED_VARIABLES = ("persons_by_status_sex_age",)  # its totals are persons_by_status
PERIODS = {"year": "calendar_year", "fiscal_year": "fiscal_year"}


def _wide_columns(values: xr.DataArray, name: str, time: str) -> pd.DataFrame:
    """One variable as columns `name[coord,...] (units)` over its time dimension."""
    units = values.attrs.get("units", "")
    if "age" in values.dims:
        values = values.sum([d for d in WIDE_SUMMED_DIMS if d in values.dims])
    others = [d for d in values.dims if d != time]
    if not others:
        frame = values.to_series().to_frame(name)
    elif len(others) == 1:
        frame = values.transpose(time, *others).to_pandas()
    else:
        frame = values.to_series().unstack(others)
    if others:
        labels = frame.columns.to_flat_index()
        frame.columns = [f"{name}[{','.join(map(str, c if isinstance(c, tuple) else (c,)))}]" for c in labels]
    frame.columns = [f"{c} ({units})" if units else c for c in frame.columns]
    return frame


def results_wide_csv(ds: xr.Dataset) -> bytes:
    """The results of a comparison (or one run) as a tidy wide table: one row per scenario, kind of year and year
    (`period` is calendar_year or fiscal_year; years are whole numbers), one column per variable and category
    with its units; monthly and by-age detail and the run identities are in the NetCDF file."""
    runs = [ds.sel(scenario=name) for name in ds["scenario"].values] if "scenario" in ds.dims else [ds]
    rows = []
    for run in runs:
        name = str(run["scenario"].values) if "scenario" in run.coords else str(run.attrs.get("scenario", ""))
        for time, period in PERIODS.items():
            columns = [_wide_columns(values, variable, time) for variable, values in run.data_vars.items()
                       if time in values.dims and not set(values.dims) & set(WIDE_SKIPPED_DIMS)
                       and variable not in WIDE_SKIPPED_VARIABLES]
            frame = pd.concat(columns, axis=1)
            frame.index = frame.index.astype(int)
            rows.append(frame.rename_axis("year").reset_index().assign(scenario=name, period=period))
    table = pd.concat(rows, ignore_index=True)
    first = ["scenario", "period", "year"]
    return table[first + [c for c in table.columns if c not in first]].to_csv(index=False).encode("utf-8")
