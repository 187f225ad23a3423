"""Compare two scenarios: one Dataset with a `scenario` dimension, and tables of reform minus base.

``python -m model compare BASE REFORM``. The tables show what the results hold: benefit cost by scheme
(THB bn and percent of GDP) when the result has `benefit_cost` / `cost_pct_gdp`, the indicators of
`model.outputs` (and any other scalar result variable), and sustainability verdicts (boolean result
variables, or variables named ``*verdict*``), reduced over years to 'holds in every year'.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from . import outputs
from .errors import ModelInputError
from .scenario import Scenario
from .summary import SUMMARY_YEARS

RUN_ATTRS = ("seed", "scale", "parameters_hash", "run_id")
BN = 1e9


def compare_results(base: xr.Dataset, reform: xr.Dataset) -> xr.Dataset:
    """Two results along a new `scenario` dimension (base first), with `role`, seed, scale and hash per scenario."""
    if not np.array_equal(base["year"].values, reform["year"].values):
        raise ModelInputError(f"compare: the scenarios cover different years ({_span(base)} and {_span(reform)}); "
                              "give --end-year")
    names = [str(base.attrs.get("scenario", "base")), str(reform.attrs.get("scenario", "reform"))]
    if names[0] == names[1]:
        names = [f"{names[0]} (base)", f"{names[1]} (reform)"]
    both = xr.concat([base, reform], dim=pd.Index(names, name="scenario"), data_vars="all", coords="minimal",
                     compat="override", join="outer", combine_attrs="drop")
    per_run = {key: ("scenario", [base.attrs.get(key), reform.attrs.get(key)]) for key in RUN_ATTRS
               if key in base.attrs and key in reform.attrs}
    attrs = {"base": names[0], "reform": names[1], "model_version": base.attrs.get("model_version", ""),
             "description": "scenario comparison; differences are reform minus base"}
    return both.assign_coords(role=("scenario", ["base", "reform"]), **per_run).assign_attrs(attrs)


def compare(base: "str | Path | Scenario", reform: "str | Path | Scenario", *, scale: float | None = None,
            seed: int | None = None, end_year: int | None = None) -> xr.Dataset:
    """Run both scenarios (same scale, seed and end year when given) and return `compare_results`; both are
    validated before either runs."""
    from .api import resolve, run

    scenarios = [resolve(s, scale=scale, seed=seed, end_year=end_year) for s in (base, reform)]
    return compare_results(*(run(s) for s in scenarios))


def difference(ds: xr.Dataset) -> xr.Dataset:
    """Reform minus base for every numeric variable of a comparison Dataset."""
    numeric = [v for v in ds.data_vars if np.issubdtype(ds[v].dtype, np.number)]
    return ds[numeric].sel(scenario=ds.attrs["reform"]) - ds[numeric].sel(scenario=ds.attrs["base"])


def verdict_variables(ds: xr.Dataset) -> list[str]:
    """Result variables read as sustainability verdicts: booleans, or variables named *verdict*."""
    return [str(v) for v in ds.data_vars if ds[v].dtype == bool or "verdict" in str(v)]


def _span(ds: xr.Dataset) -> str:
    return f"{int(ds['year'].min())}-{int(ds['year'].max())}"


def _side_by_side(base: pd.Series, reform: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"base": base, "reform": reform})
    frame["difference"] = frame["reform"] - frame["base"]
    frame["difference %"] = 100 * frame["difference"] / frame["base"].where(frame["base"] != 0)
    return frame


def _pair(ds: xr.Dataset, values: xr.DataArray) -> pd.DataFrame:
    return _side_by_side(values.sel(scenario=ds.attrs["base"]).to_series(),
                         values.sel(scenario=ds.attrs["reform"]).to_series())


def _by_scheme(ds: xr.Dataset, name: str, factor: float, year: int) -> pd.DataFrame:
    values = ds[name].sel(year=year) / factor
    with_total = xr.concat([values, values.sum("scheme").expand_dims(scheme=["total"])], dim="scheme")
    return _pair(ds, with_total)


def _indicators(ds: xr.Dataset) -> pd.DataFrame:
    """Registry outputs (yearly ones in the last year; per-scheme costs are in their own table), then any other
    numeric result variable without a year dimension, by its other dimension if it has one."""
    end = int(ds["year"].max())
    rows = {}
    for name in outputs.available(ds.isel(scenario=0)):
        if name.removesuffix("_cost_pct_gdp") in outputs.SCHEMES:
            continue
        label = f"{name}_{end}" if outputs.OUTPUTS[name].yearly else name
        rows[f"{label} ({outputs.OUTPUTS[name].units})"] = outputs.compute(ds, label)
    for name in ds.data_vars:
        values = ds[name]
        other = [d for d in values.dims if d != "scenario"]
        if name in outputs.OUTPUTS or "year" in values.dims or len(other) > 1 or values.dtype.kind not in "iuf":
            continue
        units = values.attrs.get("units", "")
        for key in (values[other[0]].values if other else [None]):
            label = f"{name} {key}" if other else str(name)
            rows[f"{label} ({units})" if units else label] = values.sel({other[0]: key}) if other else values
    base, reform = ({label: float(values.sel(scenario=ds.attrs[role])) for label, values in rows.items()}
                    for role in ("base", "reform"))
    return _side_by_side(pd.Series(base, dtype=float), pd.Series(reform, dtype=float))


def _verdicts(ds: xr.Dataset, names: list[str]) -> pd.DataFrame:
    rows = {}
    for name in names:
        values = ds[name].all("year") if "year" in ds[name].dims and ds[name].dtype == bool else ds[name]
        other = [d for d in values.dims if d != "scenario"]
        table = values.to_series().unstack("scenario") if other else values.to_series().to_frame().T
        for key, row in table.iterrows():
            rows[f"{name} {key}" if other else name] = row
    frame = pd.DataFrame(rows).T[[ds.attrs["base"], ds.attrs["reform"]]]
    frame.columns = ["base", "reform"]
    frame["changed"] = frame["base"] != frame["reform"]
    return frame


def comparison_tables(ds: xr.Dataset) -> list[tuple[str, pd.DataFrame]]:
    """Titled tables of a comparison Dataset; sections whose variables the results lack are left out."""
    end = int(ds["year"].max())
    tables = []
    if "benefit_cost" in ds:
        tables.append((f"Benefit cost by scheme in {end}, THB bn, nominal", _by_scheme(ds, "benefit_cost", BN, end)))
    if "cost_pct_gdp" in ds:
        tables.append((f"Benefit cost by scheme in {end}, percent of GDP", _by_scheme(ds, "cost_pct_gdp", 1.0, end)))
        years = [y for y in SUMMARY_YEARS if y in ds["year"].values]
        total = ds["cost_pct_gdp"].sum("scheme").sel(year=years)
        tables.append(("Total benefit cost by year, percent of GDP", _pair(ds, total)))
    tables.append((f"Indicators (yearly ones in {end})", _indicators(ds)))
    verdicts = verdict_variables(ds)
    if verdicts:
        tables.append(("Sustainability verdicts (booleans: holds in every year)", _verdicts(ds, verdicts)))
    return tables


def _number(value: float) -> str:
    """Thousands separators from 10,000, whole numbers (such as years) without decimals, else three decimals."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"


def format_comparison(ds: xr.Dataset) -> str:
    """The command line's text: a header and every comparison table."""
    header = f"base: {ds.attrs['base']}   reform: {ds.attrs['reform']}   years {_span(ds)}"
    if "seed" in ds.coords:
        header += f"   seeds {', '.join(str(s) for s in ds['seed'].values)}"
    tables = [f"{title}\n{table.to_string(float_format=_number)}\n" for title, table in comparison_tables(ds)]
    return "\n".join([header, *tables])
