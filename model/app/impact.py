"""The reform's budget impact by fiscal year (reform minus baseline, THB nominal), who bears it, and the verdict
of each sustainability criterion, for the app's headline.

Who bears it, by fiscal year (FY t: 1 October t-1 to 30 September t), with the schemes' financing of
`model.fiscal.budget`:
- government: benefits of the budget-financed schemes plus the government's contributions to the schemes
  financed by a fund and the budget (`budget.government_cost`, here by fiscal year);
- fund: the Social Security Fund's benefits less all contributions it receives (its net outgo; the
  government's contribution is counted once as the government's cost and once as the fund's income, so the two
  shares add up to the public sector's net cost).
The government's contributions have no monthly path: each month's contributions are split by its calendar
year's government share (`contributions_by_payer`), exact while that share does not change within a year.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from ..fiscal.budget import GOVERNMENT_CONTRIBUTION_SCHEMES, SSF_SCHEMES, TAX_FINANCED_SCHEMES
from ..results import fiscal_sum, gdp_fy

PLAN_PERIOD = (2025, 2037)  # fiscal years of the plan period the headline sums over (clipped to the run's)
SHARES = ("government", "fund")


def government_contributions_fy(ds: xr.Dataset) -> xr.DataArray:
    """The government's contributions by fiscal year and scheme, THB: each month's contributions times its
    calendar year's government share of the scheme's contributions."""
    by_payer = ds["contributions_by_payer"]
    total = by_payer.sum("payer")
    share = xr.where(total > 0, by_payer.sel(payer="government") / total.where(total > 0), 0.0)
    return fiscal_sum(ds["contributions_by_month"] * share, ds["fiscal_year"].values)


def shares_fy(ds: xr.Dataset) -> pd.DataFrame:
    """Cost by fiscal year (index) borne by the government and by the Social Security Fund (columns), THB."""
    cost = ds["benefit_cost_fy"]
    contributions = ds["contributions_fy"]
    government = (cost.sel(scheme=list(TAX_FINANCED_SCHEMES)).sum("scheme")
                  + government_contributions_fy(ds).sel(scheme=list(GOVERNMENT_CONTRIBUTION_SCHEMES)).sum("scheme"))
    fund = (cost - contributions).sel(scheme=list(SSF_SCHEMES)).sum("scheme")
    index = pd.Index(ds["fiscal_year"].values.astype(int), name="fiscal_year")
    return pd.DataFrame({"government": government.values, "fund": fund.values}, index=index)


@dataclass(frozen=True)
class BudgetImpact:
    """Reform minus baseline by fiscal year: `table` (index fiscal_year; columns government, fund, total in THB,
    gdp_fy in THB, total_pct_gdp in percent of the fiscal year's GDP) over the plan period `first`-`last`."""

    table: pd.DataFrame
    first: int
    last: int

    @property
    def government(self) -> float:
        """The government's share over the period, THB."""
        return float(self.table["government"].sum())

    @property
    def fund(self) -> float:
        """The Social Security Fund's share over the period, THB."""
        return float(self.table["fund"].sum())

    @property
    def total(self) -> float:
        """The whole budget impact over the period, THB."""
        return float(self.table["total"].sum())

    @property
    def pct_gdp_a_year(self) -> float:
        """The mean of the yearly impact as a percent of the fiscal year's GDP."""
        return float(self.table["total_pct_gdp"].mean())


def budget_impact(base: xr.Dataset, reform: xr.Dataset, period: tuple[int, int] = PLAN_PERIOD) -> BudgetImpact:
    """The reform's budget impact against the baseline over the fiscal years of `period` both runs complete."""
    years = np.intersect1d(base["fiscal_year"].values, reform["fiscal_year"].values)
    years = years[(years >= period[0]) & (years <= period[1])]
    if not len(years):
        raise ValueError(f"period: no complete fiscal year of {period[0]}-{period[1]} in both runs")
    difference = (shares_fy(reform) - shares_fy(base)).loc[years]
    difference["total"] = difference["government"] + difference["fund"]
    difference["gdp_fy"] = gdp_fy(reform).sel(fiscal_year=years).values
    difference["total_pct_gdp"] = 100.0 * difference["total"] / difference["gdp_fy"]
    return BudgetImpact(difference, int(years[0]), int(years[-1]))


@dataclass(frozen=True)
class CriterionVerdict:
    """One sustainability criterion of a run: `binding` criteria pass or fail, the others warn; `first_breach`
    is the first calendar year it does not hold (None if never); `baseline_breach` the same for the baseline."""

    criterion: str
    basis: str
    binding: bool
    holds: bool
    first_breach: int | None
    baseline_breach: int | None
    limit: float


def _first_breach(ds: xr.Dataset, criterion: str) -> int | None:
    first = float(ds["first_breach_year"].sel(criterion=criterion))
    return None if np.isnan(first) else int(first)


def criterion_verdicts(base: xr.Dataset, reform: xr.Dataset) -> list[CriterionVerdict]:
    """Every criterion of the reform, binding ones (legal ceilings, the fund's solvency) first."""
    verdicts = []
    for name in (str(c) for c in reform["criterion"].values):
        verdicts.append(CriterionVerdict(
            criterion=name, basis=str(reform["criterion_basis"].sel(criterion=name).values),
            binding=str(reform["criterion_role"].sel(criterion=name).values) == "binding",
            holds=bool(reform["criterion_passes"].sel(criterion=name).all()),
            first_breach=_first_breach(reform, name), baseline_breach=_first_breach(base, name),
            limit=float(reform["criterion_limit"].sel(criterion=name))))
    return sorted(verdicts, key=lambda v: not v.binding)
