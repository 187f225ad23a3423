"""The four headline numbers of a result: cost (in the last complete fiscal year), SSF depletion, debt headroom
and old-age poverty (calendar years)."""

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .fiscal_years import total_cost_pct_gdp_fy
from .impact import position

DEBT_CRITERION = "public_debt_ceiling"
POVERTY_GROUP = "aged_60_plus"
POVERTY_BASIS = "after_transfers"
POVERTY_PERIOD = (2023, 2027)  # the first five-year period of the master plan's phase 2 (goal 170201)


@dataclass(frozen=True)
class Headlines:
    """Headline numbers of one 2023-2037 result (percent, percentage points; calendar years unless named fiscal)."""

    start_year: int
    end_year: int
    cost_fiscal_year: int  # the last complete fiscal year (FY t: 1 October t-1 to 30 September t)
    cost_pct_gdp: float  # total scheme cost in that fiscal year, percent of its GDP (`fiscal_years.gdp_fy`)
    debt_limit: float  # the public-debt ceiling, percent of GDP
    debt_headroom_pp: float  # smallest headroom under the ceiling over the years, percent of GDP
    debt_headroom_year: int  # the year of that smallest headroom
    poverty_first: float  # old-age poverty rate after transfers in the first year of POVERTY_PERIOD, percent
    poverty_last: float  # ... and in its last year

    @property
    def poverty_change_pp(self) -> float:
        """Change of the old-age poverty rate over POVERTY_PERIOD, percentage points."""
        return self.poverty_last - self.poverty_first


def headlines(ds: xr.Dataset) -> Headlines:
    """The headline numbers of a result Dataset with the fiscal layer (read from its arrays by position: the page
    computes them on every run)."""
    years = ds["year"].values
    start, end = int(years.min()), int(years.max())
    fiscal_year = int(ds["fiscal_year"].values.max())
    criterion = position(ds, "criterion", DEBT_CRITERION)
    headroom = ds["headroom_pp"].transpose("year", "criterion").values[:, criterion]
    poverty = ds["poverty_rate"].transpose("year", "group", "income_basis").values[
        :, position(ds, "group", POVERTY_GROUP), position(ds, "income_basis", POVERTY_BASIS)]
    first, last = POVERTY_PERIOD
    return Headlines(
        start_year=start,
        end_year=end,
        cost_fiscal_year=fiscal_year,
        cost_pct_gdp=total_cost_pct_gdp_fy(ds, fiscal_year),
        debt_limit=float(ds["criterion_limit"].values[criterion]),
        debt_headroom_pp=float(np.nanmin(headroom)),
        debt_headroom_year=int(years[np.nanargmin(headroom)]),
        poverty_first=float(poverty[position(ds, "year", first)]),
        poverty_last=float(poverty[position(ds, "year", last)]),
    )


def depletion_year(long_run: xr.Dataset) -> int | None:
    """First year the SSF reserves are negative in a long run; None if they stay positive."""
    year = float(long_run["ssf_depletion_year"])
    return None if math.isnan(year) else int(year)
