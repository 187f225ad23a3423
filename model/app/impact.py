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
from ..results import fiscal_sum_values, gdp_fy_values

PLAN_PERIOD = (2025, 2037)  # fiscal years of the plan period the headline sums over (clipped to the run's)
SHARES = ("government", "fund")


def _nan_sum(values: np.ndarray, axis: int) -> np.ndarray:
    """Sum over an axis skipping NaN, as xarray's `.sum(dim)` does for floats (NaN replaced by 0, then np.sum):
    the same numbers to the last bit."""
    return np.where(np.isnan(values), 0.0, values).sum(axis=axis)


def position(ds: xr.Dataset, dim: str, label: object) -> int:
    """Where `label` is along `dim` (as `.sel` finds it; a missing label raises KeyError)."""
    return int(ds.indexes[dim].get_loc(label))


def positions(ds: xr.Dataset, dim: str, labels: tuple[object, ...]) -> np.ndarray:
    """Positions of `labels` along `dim`, in the order of `labels` (as `.sel(dim=list(labels))` takes them)."""
    return np.array([position(ds, dim, label) for label in labels], dtype=np.intp)


def _government_contributions_values(ds: xr.Dataset) -> np.ndarray:
    """`government_contributions_fy` as a plain array (fiscal_year, scheme), THB."""
    by_payer = ds["contributions_by_payer"].transpose("year", "scheme", "payer").values
    total = _nan_sum(by_payer, axis=2)
    government = by_payer[:, :, position(ds, "payer", "government")]
    share = np.where(total > 0, government / np.where(total > 0, total, np.nan), 0.0)
    monthly = ds["contributions_by_month"].transpose("year", "month", "scheme")
    return fiscal_sum_values(monthly.values * share[:, None, :], ds["year"].values, ds["month"].values,
                             ds["fiscal_year"].values)


def government_contributions_fy(ds: xr.Dataset) -> xr.DataArray:
    """The government's contributions by fiscal year and scheme, THB: each month's contributions times its
    calendar year's government share of the scheme's contributions."""
    return xr.DataArray(_government_contributions_values(ds), dims=("fiscal_year", "scheme"),
                        coords={"fiscal_year": ds["fiscal_year"].values, "scheme": ds["scheme"].values})


def shares_fy(ds: xr.Dataset) -> pd.DataFrame:
    """Cost by fiscal year (index) borne by the government and by the Social Security Fund (columns), THB.
    Computed on plain arrays in the order of operations of the labelled arithmetic (the same numbers to the last
    bit, in a fraction of the time: the app computes it on every change)."""
    cost = ds["benefit_cost_fy"].transpose("fiscal_year", "scheme").values
    contributions = ds["contributions_fy"].transpose("fiscal_year", "scheme").values
    government = (_nan_sum(cost[:, positions(ds, "scheme", TAX_FINANCED_SCHEMES)], axis=1)
                  + _nan_sum(_government_contributions_values(ds)[:, positions(ds, "scheme",
                                                                             GOVERNMENT_CONTRIBUTION_SCHEMES)], axis=1))
    fund = _nan_sum((cost - contributions)[:, positions(ds, "scheme", SSF_SCHEMES)], axis=1)
    index = pd.Index(ds["fiscal_year"].values.astype(int), name="fiscal_year")
    return pd.DataFrame({"government": government, "fund": fund}, index=index)


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
    difference["gdp_fy"] = gdp_fy_values(reform["gdp"].values, reform["year"].values, years)
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
    first = float(ds["first_breach_year"].values[position(ds, "criterion", criterion)])
    return None if np.isnan(first) else int(first)


def criterion_verdicts(base: xr.Dataset, reform: xr.Dataset) -> list[CriterionVerdict]:
    """Every criterion of the reform, binding ones (legal ceilings, the fund's solvency) first."""
    names = tuple(str(c) for c in reform["criterion"].values)
    basis, role = reform["criterion_basis"].values, reform["criterion_role"].values
    passes = reform["criterion_passes"].transpose("criterion", ...).values
    limit, breach = reform["criterion_limit"].values, reform["first_breach_year"].values
    verdicts = []
    for i, name in enumerate(names):
        first = float(breach[i])
        verdicts.append(CriterionVerdict(
            criterion=name, basis=str(basis[i]), binding=str(role[i]) == "binding", holds=bool(passes[i].all()),
            first_breach=None if np.isnan(first) else int(first), baseline_breach=_first_breach(base, name),
            limit=float(limit[i])))
    return sorted(verdicts, key=lambda v: not v.binding)
