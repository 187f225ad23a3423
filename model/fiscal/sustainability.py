"""Sustainability tests: each criterion (data: `MacroPath.criteria`, from macro_assumptions.yaml) checked by year.

A criterion says `indicator comparison limit` must hold in every calendar year from `from_year`, e.g.
public_debt_pct_gdp <= 70. Indicators are percentages of a THB base, which gives the headroom in THB:

    public_debt_pct_gdp       public debt, end of year, percent of GDP           base: gdp
    debt_service_pct_revenue  interest + budget principal, percent of revenue    base: revenue
    deficit_pct_gdp           overall deficit, percent of GDP                    base: gdp
    ssf_reserve_pct_gdp       SSF reserve, end of year, percent of GDP           base: gdp
    ssf_reserve_ratio_pct     SSF reserve / that year's outgo, percent           base: ssf_outgo

Headroom is the distance to the limit on the allowed side (negative when breached), in percent points of
the base and in THB. A value at the limit passes a non-strict test within TOLERANCE_PP (rounding).
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import ModelInputError
from .macro import Criterion

INDICATOR_BASES = {
    "public_debt_pct_gdp": "gdp",
    "debt_service_pct_revenue": "revenue",
    "deficit_pct_gdp": "gdp",
    "ssf_reserve_pct_gdp": "gdp",
    "ssf_reserve_ratio_pct": "ssf_outgo",
}
SSF_INDICATORS = ("ssf_reserve_pct_gdp", "ssf_reserve_ratio_pct")
TOLERANCE_PP = 1e-9


def indicators(fiscal: xr.Dataset, fund: xr.Dataset | None = None) -> xr.Dataset:
    """The indicators and their THB bases by year, from `debt_path` output and optionally `fund_accounts`."""
    names = ["public_debt_pct_gdp", "debt_service_pct_revenue", "deficit_pct_gdp", "gdp", "revenue"]
    ds = fiscal[names]
    if fund is not None:
        missing = [int(y) for y in ds["year"].values if y not in fund["year"].values]
        if missing:
            raise ModelInputError(f"fund: no SSF accounts for year {missing[0]}")
        f = fund.sel(year=ds["year"].values)
        ds = ds.assign(
            ssf_reserve_pct_gdp=100.0 * f["reserve_total"] / ds["gdp"],
            ssf_reserve_ratio_pct=100.0 * f["reserve_ratio_total"],
            ssf_outgo=f["outgo_total"],
        )
    return ds


def assess(fiscal: xr.Dataset, criteria: Sequence[Criterion], fund: xr.Dataset | None = None) -> xr.Dataset:
    """Every criterion in every year: a Dataset over (year, criterion).

    Variables: value (indicator, its unit), applies (year >= from_year), passes (True where not applicable),
    headroom_pp (percent points of the base; NaN where not applicable), headroom_thb (THB; NaN where not
    applicable), limit (criterion), first_breach_year (criterion; NaN if never). Coordinates on
    `criterion`: indicator, comparison, from_year, description, source.
    """
    for criterion in criteria:
        if criterion.indicator not in INDICATOR_BASES:
            raise ModelInputError(f"criterion {criterion.name!r}: unknown indicator {criterion.indicator!r}")
        if fund is None and criterion.indicator in SSF_INDICATORS:
            raise ModelInputError(f"criterion {criterion.name!r}: needs the SSF fund accounts (fund is None)")
    ind = indicators(fiscal, fund)
    years = ind["year"].values
    columns = [_one(ind, c, years) for c in criteria]
    names = [c.name for c in criteria]
    ds = xr.concat(columns, dim=pd.Index(names, name="criterion")).transpose("year", "criterion")
    ds = ds.assign_coords(
        indicator=("criterion", [c.indicator for c in criteria]),
        comparison=("criterion", [c.comparison for c in criteria]),
        from_year=("criterion", [c.from_year for c in criteria]),
        description=("criterion", [c.description for c in criteria]),
        source=("criterion", [c.source for c in criteria]),
    )
    ds["limit"] = xr.DataArray([c.limit for c in criteria], dims="criterion", attrs={"units": "indicator's unit"})
    breached = ~ds["passes"]
    ds["first_breach_year"] = xr.where(breached.any("year"), ds["year"].where(breached).min("year"), np.nan)
    ds["first_breach_year"].attrs["units"] = "calendar year (NaN: never)"
    return ds


def _one(ind: xr.Dataset, criterion: Criterion, years: np.ndarray) -> xr.Dataset:
    value = ind[criterion.indicator]
    base = ind[INDICATOR_BASES[criterion.indicator]]
    below = criterion.comparison in ("<=", "<")
    headroom = (criterion.limit - value) if below else (value - criterion.limit)
    strict = criterion.comparison in ("<", ">")
    ok = headroom > 0 if strict else headroom >= -TOLERANCE_PP
    applies = xr.DataArray(years >= criterion.from_year, dims="year", coords={"year": years})
    return xr.Dataset(
        {
            "value": value.assign_attrs(units=value.attrs.get("units", "percent")),
            "applies": applies,
            "passes": ok | ~applies,
            "headroom_pp": headroom.where(applies).assign_attrs(units="percent points of the base"),
            "headroom_thb": (headroom / 100.0 * base).where(applies).assign_attrs(units="THB"),
        }
    )


def verdict_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per criterion: criterion, comparison, limit, worst_value and worst_year (the applicable year
    with the least headroom), min_headroom_pp, min_headroom_thb, first_breach_year (None if never),
    verdict (PASS or FAIL)."""
    rows = []
    for name in ds["criterion"].values:
        c = ds.sel(criterion=name)
        headroom = c["headroom_pp"].where(c["applies"], drop=True)
        worst = int(headroom["year"].values[int(np.nanargmin(headroom.values))]) if headroom.size else None
        first = float(c["first_breach_year"])
        rows.append(
            {
                "criterion": str(name),
                "comparison": str(c["comparison"].values),
                "limit": float(c["limit"]),
                "worst_value": float(c["value"].sel(year=worst)) if worst is not None else None,
                "worst_year": worst,
                "min_headroom_pp": float(headroom.min()) if headroom.size else None,
                "min_headroom_thb": float(c["headroom_thb"].min()) if headroom.size else None,
                "first_breach_year": None if np.isnan(first) else int(first),
                "verdict": "PASS" if bool(c["passes"].all()) else "FAIL",
            }
        )
    return pd.DataFrame(rows)
