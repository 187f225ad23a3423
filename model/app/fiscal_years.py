"""Cost by fiscal year (FY t: 1 October t-1 to 30 September t) in the app's three measures, from a result's
monthly flows.

Nominal cost is the result's `benefit_cost_fy`. Real cost deflates each month's cost by its calendar year's CPI
index (the one the run's `cost_real` uses, 2023 = 1) before the twelve months are summed, so that the months of
a calendar year add up to `cost_real`. GDP has no monthly path, so the GDP of FY t is taken as 3/12 of calendar
t-1's GDP plus 9/12 of calendar t's (GDP spread evenly over the months of each calendar year); cost as a percent
of GDP divides by it. Only complete fiscal years (the result's `fiscal_year` coordinate) are given.
"""

import numpy as np
import xarray as xr

from ..results import fiscal_sum, gdp_fy, gdp_fy_values, price_index

MEASURE_UNITS = {"nominal": "THB", "real": "THB, 2023 prices", "pct_gdp": "percent of GDP"}


def cost_fy(ds: xr.Dataset, measure: str) -> xr.DataArray:
    """Benefit cost by fiscal year and scheme (dims fiscal_year, scheme) in a measure: THB nominal, THB at 2023
    prices, or percent of the fiscal year's GDP (`gdp_fy`)."""
    if measure == "nominal":
        cost = ds["benefit_cost_fy"]
    elif measure == "real":
        cost = fiscal_sum(ds["benefit_cost_by_month"] / price_index(ds), ds["fiscal_year"].values)
    elif measure == "pct_gdp":
        cost = 100.0 * ds["benefit_cost_fy"] / gdp_fy(ds)
    else:
        raise ValueError(f"measure: must be one of {', '.join(MEASURE_UNITS)} (got {measure!r})")
    return cost.transpose("fiscal_year", "scheme")


def total_cost_pct_gdp_fy(ds: xr.Dataset, fiscal_year: int) -> float:
    """Total cost of all schemes in a fiscal year, percent of that fiscal year's GDP (on plain arrays, in the
    order of operations of `cost_fy`: the same number to the last bit)."""
    row = int(ds.indexes["fiscal_year"].get_loc(fiscal_year))
    cost = ds["benefit_cost_fy"].transpose("fiscal_year", "scheme").values
    gdp = gdp_fy_values(ds["gdp"].values, ds["year"].values, ds["fiscal_year"].values)
    share = (100.0 * cost / gdp[:, None])[row]
    return float(np.where(np.isnan(share), 0.0, share).sum())


def with_fiscal_year_measures(ds: xr.Dataset) -> xr.Dataset:
    """The result with the fiscal-year GDP and the real and GDP-share cost by fiscal year that the app's charts
    show (`gdp_fy`, `cost_real_fy`, `cost_pct_gdp_fy`), for the downloads."""
    description = "benefit cost in the fiscal year (1 October of the year before to 30 September)"
    return ds.assign(
        gdp_fy=gdp_fy(ds),
        cost_real_fy=cost_fy(ds, "real").assign_attrs(
            units=MEASURE_UNITS["real"], description=f"{description}, each month deflated by its calendar year's CPI"),
        cost_pct_gdp_fy=cost_fy(ds, "pct_gdp").assign_attrs(
            units=MEASURE_UNITS["pct_gdp"], description=f"{description}, percent of gdp_fy"))
