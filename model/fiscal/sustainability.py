"""Sustainability tests: each criterion (data: `MacroPath.criteria`, from macro_assumptions.yaml) checked by year.

A criterion says `indicator comparison limit` must hold in every calendar year from `from_year`, e.g.
public_debt_pct_gdp <= 70. Indicators are percentages of a THB base, which gives the headroom in THB:

    public_debt_pct_gdp       public debt, end of year, percent of GDP           base: gdp
    debt_service_pct_revenue  interest + budget principal, percent of revenue    base: revenue
    deficit_pct_gdp           overall deficit, percent of GDP                    base: gdp
    ssf_reserve_pct_gdp       SSF reserve, end of year, percent of GDP           base: gdp
    ssf_reserve_ratio_pct     SSF reserve / that year's outgo, percent           base: ssf_outgo
    ssf_old_age_reserve_pct_gdp    SSF old-age branch reserve, percent of GDP    base: gdp
    ssf_old_age_reserve_ratio_pct  old-age branch reserve / its outgo, percent   base: ssf_old_age_outgo

The first two describe the pooled fund, the last two its old-age branch (model.fiscal.ssf_fund).

Each criterion carries its basis (law, framework_target or actuarial) and its role: `binding` criteria (the
legal ceilings and the fund's solvency) make the overall verdict of guideline 3.1.2(4); the others (framework
targets, other actuarial tests) are `warning`s, reported but never failing it.

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
    "ssf_old_age_reserve_pct_gdp": "gdp",
    "ssf_old_age_reserve_ratio_pct": "ssf_old_age_outgo",
}
SSF_INDICATORS = ("ssf_reserve_pct_gdp", "ssf_reserve_ratio_pct", "ssf_old_age_reserve_pct_gdp",
                  "ssf_old_age_reserve_ratio_pct")
TOLERANCE_PP = 1e-9


def indicators(fiscal: xr.Dataset, fund: xr.Dataset | None = None) -> dict[str, np.ndarray]:
    """The indicators and their THB bases by year of `fiscal` (`debt_path` output), with the SSF ones if the
    `fund_accounts` are given."""
    names = ["public_debt_pct_gdp", "debt_service_pct_revenue", "deficit_pct_gdp", "gdp", "revenue"]
    values = {name: fiscal[name].values for name in names}
    if fund is not None:
        years = fiscal["year"].values
        fund_years = fund["year"].values
        missing = [int(y) for y in years if y not in fund_years]
        if missing:
            raise ModelInputError(f"fund: no SSF accounts for year {missing[0]}")
        at = np.searchsorted(fund_years, years)
        branch = fund.indexes["branch"].get_loc("old_age")
        accounts = fund.variables
        old_age = {name: accounts[name].isel(branch=branch).values for name in ("reserve", "reserve_ratio", "outgo")}
        values.update(
            ssf_reserve_pct_gdp=100.0 * accounts["reserve_total"].values[at] / values["gdp"],
            ssf_reserve_ratio_pct=100.0 * accounts["reserve_ratio_total"].values[at],
            ssf_outgo=accounts["outgo_total"].values[at],
            ssf_old_age_reserve_pct_gdp=100.0 * old_age["reserve"][at] / values["gdp"],
            ssf_old_age_reserve_ratio_pct=100.0 * old_age["reserve_ratio"][at],
            ssf_old_age_outgo=old_age["outgo"][at],
        )
    return values


def assess(fiscal: xr.Dataset, criteria: Sequence[Criterion], fund: xr.Dataset | None = None) -> xr.Dataset:
    """Every criterion in every year: a Dataset over (year, criterion).

    Variables: value (indicator, its unit), applies (year >= from_year), passes (True where not applicable),
    headroom_pp (percent points of the base; NaN where not applicable), headroom_thb (THB; NaN where not
    applicable), limit (criterion), first_breach_year (criterion; NaN if never). Coordinates on
    `criterion`: indicator, comparison, from_year, description, source, basis, role (binding or warning),
    legal_basis ("" unless the basis is law).
    """
    for criterion in criteria:
        if criterion.indicator not in INDICATOR_BASES:
            raise ModelInputError(f"criterion {criterion.name!r}: unknown indicator {criterion.indicator!r}")
        if fund is None and criterion.indicator in SSF_INDICATORS:
            raise ModelInputError(f"criterion {criterion.name!r}: needs the SSF fund accounts (fund is None)")
    ind = indicators(fiscal, fund)
    years = fiscal["year"].values
    # one column per criterion, all criteria at once: (year, criterion) arrays
    value = np.column_stack([ind[c.indicator] for c in criteria]).astype(float)
    base = np.column_stack([ind[INDICATOR_BASES[c.indicator]] for c in criteria]).astype(float)
    limit = np.array([c.limit for c in criteria], dtype=float)
    below = np.array([c.comparison in ("<=", "<") for c in criteria])
    strict = np.array([c.comparison in ("<", ">") for c in criteria])
    headroom = np.where(below, limit - value, value - limit)
    ok = np.where(strict, headroom > 0, headroom >= -TOLERANCE_PP)
    applies = years[:, None] >= np.array([c.from_year for c in criteria])
    passes = ok | ~applies
    breached = ~passes
    first_breach = np.where(breached.any(axis=0), years[np.argmax(breached, axis=0)], np.nan)
    dims = ("year", "criterion")
    return xr.Dataset(
        {
            "value": (dims, value, {"units": "the indicator's unit (percent)", "description": "the criterion's indicator"}),
            "applies": (dims, applies, {"description": "the criterion applies (year >= from_year)"}),
            "passes": (dims, passes, {"description": "the criterion holds (True where it does not apply)"}),
            "headroom_pp": (dims, np.where(applies, headroom, np.nan), {"units": "percent points of the base"}),
            "headroom_thb": (dims, np.where(applies, headroom / 100.0 * base, np.nan), {"units": "THB"}),
            "limit": ("criterion", limit, {"units": "the indicator's unit (percent)"}),
            "first_breach_year": ("criterion", first_breach, {"units": "calendar year (NaN: never)"}),
        },
        coords={
            "year": years,
            "criterion": [c.name for c in criteria],
            "indicator": ("criterion", [c.indicator for c in criteria]),
            "comparison": ("criterion", [c.comparison for c in criteria]),
            "from_year": ("criterion", [c.from_year for c in criteria]),
            "description": ("criterion", [c.description for c in criteria]),
            "source": ("criterion", [c.source for c in criteria]),
            "basis": ("criterion", [c.basis for c in criteria]),
            "role": ("criterion", [role(c.binding) for c in criteria]),
            "legal_basis": ("criterion", [c.legal_basis for c in criteria]),
        },
    )


def role(binding: bool) -> str:
    """'binding' (the overall verdict rests on it) or 'warning'."""
    return "binding" if binding else "warning"


def criterion_verdict(holds: bool, criterion_role: str) -> str:
    """PASS or FAIL for a binding criterion; 'met' or 'warning' for a non-binding one."""
    if criterion_role == "binding":
        return "PASS" if holds else "FAIL"
    return "met" if holds else "warning"


def overall_verdict(ds: xr.Dataset) -> bool:
    """Guideline 3.1.2(4) on an `assess` Dataset: every binding criterion holds in every year (warnings ignored)."""
    binding = ds["role"].values == "binding"
    return bool(np.all(ds["passes"].transpose(..., "criterion").values | ~binding))


def verdict_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per criterion: criterion, basis, role, comparison, limit, worst_value and worst_year (the
    applicable year with the least headroom), min_headroom_pp, min_headroom_thb, first_breach_year (None if
    never), verdict (PASS or FAIL if binding, met or warning otherwise)."""
    rows = []
    for name in ds["criterion"].values:
        c = ds.sel(criterion=name)
        headroom = c["headroom_pp"].where(c["applies"], drop=True)
        worst = int(headroom["year"].values[int(np.nanargmin(headroom.values))]) if headroom.size else None
        first = float(c["first_breach_year"])
        rows.append(
            {
                "criterion": str(name),
                "basis": str(c["basis"].values),
                "role": str(c["role"].values),
                "comparison": str(c["comparison"].values),
                "limit": float(c["limit"]),
                "worst_value": float(c["value"].sel(year=worst)) if worst is not None else None,
                "worst_year": worst,
                "min_headroom_pp": float(headroom.min()) if headroom.size else None,
                "min_headroom_thb": float(c["headroom_thb"].min()) if headroom.size else None,
                "first_breach_year": None if np.isnan(first) else int(first),
                "verdict": criterion_verdict(bool(c["passes"].all()), str(c["role"].values)),
            }
        )
    return pd.DataFrame(rows)
