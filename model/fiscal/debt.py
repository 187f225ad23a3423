"""Public-debt path under a scenario's costs, and the fiscal gap against the debt ceiling.

Identity (exact, every calendar year t; THB, nominal; end-of-year stocks, FY t assigned to year t):

    debt[t] = debt[t-1] * (1 + i[t]) - primary_balance[t] + stock_flow_adjustment[t]
    interest[t] = i[t] * debt[t-1]          deficit[t] = interest[t] - primary_balance[t]

Framework path: the primary balance is the MTFF deficit less interest, primary_balance0[t] = i[t] * debt0[t-1] -
baseline_deficit[t], so the framework's debt changes by deficit + stock-flow adjustment (the adjustment
reproduces the published debt ratios, see `model.fiscal.macro`).

Closing the loop: the framework's deficits are taken to finance current law under the reference assumptions
(the shipped baseline's demography and macro path), whose government cost is `reference_cost`. Through the
framework's horizon (`MacroPath.framework_horizon`, its last published year) the social-protection spending the
framework finances is that reference cost. Beyond it, revenue (`revenue_pct_gdp`) and primary spending other
than social protection are held at their horizon shares of GDP (a scenario may override either,
`revenue_pct_gdp` and `other_primary_spending_pct_gdp`); the latter is calibrated as (revenue - primary
balance0 - reference cost) / GDP at the horizon, so the implied social spending is revenue - other spending -
primary_balance0. `current_law_excess` = the scenario's current-law government cost less that implied spending
lowers the primary balance: through the horizon a scenario's deficit is the framework's plus its current-law
cost above the reference's; beyond it the primary balance is revenue - other spending - the scenario's own
government cost, and interest follows the debt.

A scenario further lowers the primary balance by `extra_spending` (a reform's government cost above its own
current law), raises it by `offsetting_revenue` (named new revenue financing it, which also adds to revenue)
and by any `primary_balance_adjustment`; the extra debt pays interest, so the effect compounds. Debt service =
interest + principal repaid within the budget (the definition behind the 35%-of-revenue ceiling).
"""

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from ..errors import ModelInputError
from .macro import MacroPath

GAP_TOLERANCE_PP = 1e-6  # the fiscal gap's debt ratio must equal the ceiling within this many percent points


def project_debt(
    opening_debt: float, interest_rate: np.ndarray, primary_balance: np.ndarray, stock_flow_adjustment: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Debt at the end of each year and interest paid in it (THB) from the module's identity.

    `opening_debt` (THB) is debt at the end of the year before the first; `interest_rate` (fraction) applies
    to the previous year-end debt; `primary_balance` and `stock_flow_adjustment` are THB per year.
    """
    debt = np.empty(len(primary_balance))
    interest = np.empty(len(primary_balance))
    previous = float(opening_debt)
    for t in range(len(primary_balance)):
        interest[t] = interest_rate[t] * previous
        debt[t] = previous * (1.0 + interest_rate[t]) - primary_balance[t] + stock_flow_adjustment[t]
        previous = debt[t]
    return debt, interest


def framework_primary_balance(macro: MacroPath) -> np.ndarray:
    """THB by year of `macro.years`: the primary balance behind the framework's deficits (primary_balance0)."""
    baseline_debt = macro.opening_public_debt + np.cumsum(macro.baseline_deficit + macro.debt_stock_flow_adjustment)
    baseline_previous = np.concatenate(([macro.opening_public_debt], baseline_debt[:-1]))
    return macro.interest_rate * baseline_previous - macro.baseline_deficit


def framework_social_spending(macro: MacroPath, reference_cost: xr.DataArray) -> tuple[xr.DataArray, float | None]:
    """The social-protection spending the framework's deficits finance (THB by year, on `reference_cost`'s years)
    and the share of GDP (percent) at which other primary spending is held beyond the horizon (None if the
    years do not reach past it).

    `reference_cost` is the government cost of current law under the reference assumptions (THB by year).
    Through the horizon the implied spending is that cost; beyond it, revenue - other primary spending -
    the framework's primary balance, other spending held at its horizon share of GDP (the returned share) or,
    in years a scenario overrides `other_primary_spending_pct_gdp`, at that share.
    """
    years = reference_cost["year"].values
    horizon = macro.framework_horizon
    if horizon is None or years[-1] <= horizon:
        return reference_cost.copy(), None
    if horizon not in years:
        raise ModelInputError(f"reference_cost: must cover the framework horizon {horizon} (got {years[0]}-{years[-1]})")
    at = np.searchsorted(macro.years, years)
    if not np.array_equal(macro.years[np.minimum(at, len(macro.years) - 1)], years):
        raise ModelInputError(f"reference_cost: years {years[0]}-{years[-1]} are outside the macro path")
    primary0 = framework_primary_balance(macro)[at]
    revenue, gdp = macro.revenue[at], macro.gdp[at]
    h = int(np.flatnonzero(years == horizon)[0])
    other_share = (revenue[h] - primary0[h] - float(reference_cost.values[h])) / gdp[h]
    given = macro.other_primary_spending_pct_gdp[at] / 100.0  # a scenario's override (NaN: not given)
    other = np.where(np.isfinite(given), given, other_share)
    implied = np.where(years <= horizon, reference_cost.values, revenue - other * gdp - primary0)
    out = xr.DataArray(implied, dims="year", coords={"year": years},
                       attrs={"units": "THB", "description": "social-protection spending the fiscal framework's "
                              "deficits finance (reference current-law cost through the horizon, then implied)"})
    return out, float(100.0 * other_share)


def debt_path(
    macro: MacroPath,
    extra_spending: xr.DataArray | None = None,
    offsetting_revenue: xr.DataArray | None = None,
    primary_balance_adjustment: xr.DataArray | None = None,
    current_law_excess: xr.DataArray | None = None,
) -> xr.Dataset:
    """Public finances by year over `macro.years`.

    The optional inputs are DataArrays over `year` in THB (years not given count as zero; a year outside the
    macro path is an error). Output variables (year): gdp, revenue (THB, baseline + offsetting revenue),
    interest_rate (fraction), extra_spending, offsetting_revenue, primary_balance_adjustment, current_law_excess,
    stock_flow_adjustment, primary_balance, interest, debt_service, deficit, public_debt (THB, end of year);
    primary_balance_pct_gdp, deficit_pct_gdp, public_debt_pct_gdp (percent of GDP); debt_service_pct_revenue
    (percent of revenue). Attribute `opening_public_debt` (THB, end of the year before the first).
    """
    years = macro.years
    extra = _on_years(extra_spending, years, "extra_spending")
    offset = _on_years(offsetting_revenue, years, "offsetting_revenue")
    adjustment = _on_years(primary_balance_adjustment, years, "primary_balance_adjustment")
    excess = _on_years(current_law_excess, years, "current_law_excess")
    rate = macro.interest_rate
    sfa = macro.debt_stock_flow_adjustment
    primary = framework_primary_balance(macro) - excess - extra + offset + adjustment
    debt, interest = project_debt(macro.opening_public_debt, rate, primary, sfa)
    deficit = interest - primary
    revenue = macro.revenue + offset
    debt_service = interest + macro.principal_repayment

    def var(values: np.ndarray, units: str, text: str) -> tuple[str, np.ndarray, dict[str, str]]:
        return "year", values, {"units": units, "description": text}

    return xr.Dataset(
        {
            "year": ("year", years),
            "gdp": var(macro.gdp, "THB", "nominal GDP"),
            "revenue": var(revenue, "THB", "government revenue, baseline plus offsetting revenue"),
            "interest_rate": var(rate, "fraction", "interest rate on the previous year-end debt"),
            "extra_spending": var(extra, "THB", "government cost above the scenario's current law"),
            "current_law_excess": var(excess, "THB", "current-law government cost above the social-protection "
                                      "spending the fiscal framework finances"),
            "offsetting_revenue": var(offset, "THB", "new revenue financing the extra spending"),
            "primary_balance_adjustment": var(adjustment, "THB", "other change in the primary balance"),
            "stock_flow_adjustment": var(sfa, "THB", "debt change not explained by the deficit"),
            "primary_balance": var(primary, "THB", "revenue less non-interest spending"),
            "interest": var(interest, "THB", "interest on the previous year-end debt"),
            "debt_service": var(debt_service, "THB", "interest plus principal repaid in the budget"),
            "deficit": var(deficit, "THB", "overall deficit: interest less primary balance"),
            "public_debt": var(debt, "THB", "public debt at the end of the year"),
            "primary_balance_pct_gdp": var(100.0 * primary / macro.gdp, "percent of GDP", "primary balance"),
            "deficit_pct_gdp": var(100.0 * deficit / macro.gdp, "percent of GDP", "overall deficit"),
            "public_debt_pct_gdp": var(100.0 * debt / macro.gdp, "percent of GDP", "public debt, end of year"),
            "debt_service_pct_revenue": var(100.0 * debt_service / revenue, "percent of revenue", "debt service"),
        },
        attrs={"opening_public_debt": macro.opening_public_debt},
    )


def fiscal_gap(
    macro: MacroPath,
    *,
    from_year: int,
    through_year: int,
    ceiling_pct: float | None = None,
    extra_spending: xr.DataArray | None = None,
    offsetting_revenue: xr.DataArray | None = None,
    current_law_excess: xr.DataArray | None = None,
) -> float:
    """The permanent change in the primary balance from `from_year`, as a fraction of each year's GDP, that
    brings the highest debt ratio over `from_year`..`through_year` exactly to the ceiling.

    Positive: the tightening needed to keep debt at or below the ceiling; negative: the room left.
    `ceiling_pct` defaults to the limit of the macro path's criterion on `public_debt_pct_gdp` (70%).
    Solved with scipy's brentq (the debt ratio falls monotonically in the change) and verified by
    recomputing the path. ModelInputError if the years are outside the path or the ceiling is already
    breached before `from_year`.
    """
    years = macro.years
    if not years[0] <= from_year <= through_year <= years[-1]:
        raise ModelInputError(
            f"from_year/through_year: need {years[0]} <= from_year <= through_year <= {years[-1]} "
            f"(got {from_year}, {through_year})"
        )
    ceiling = _debt_ceiling(macro) if ceiling_pct is None else ceiling_pct
    window = (years >= from_year) & (years <= through_year)
    shape = xr.DataArray(np.where(years >= from_year, macro.gdp, 0.0), dims="year", coords={"year": years})

    def ratios(change: float) -> np.ndarray:
        path = debt_path(macro, extra_spending, offsetting_revenue, primary_balance_adjustment=change * shape,
                         current_law_excess=current_law_excess)
        return path["public_debt_pct_gdp"].values

    before = ratios(0.0)[(years < from_year)]
    if (before > ceiling).any():
        first = int(years[years < from_year][before > ceiling][0])
        raise ModelInputError(f"from_year {from_year}: debt already exceeds {ceiling}% of GDP in {first}, before the change starts")

    def excess(change: float) -> float:
        return float(ratios(change)[window].max() - ceiling)

    low, high = -0.05, 0.05
    while excess(low) < 0 or excess(high) > 0:
        low, high = 2 * low, 2 * high
        if high > 10:
            raise ModelInputError(f"ceiling_pct {ceiling}: no primary-balance change within +-1000% of GDP reaches it")
    gap = brentq(excess, low, high, xtol=1e-14, rtol=1e-12)
    if abs(excess(gap)) > GAP_TOLERANCE_PP:
        raise RuntimeError(f"fiscal gap {gap} does not reproduce the ceiling (excess {excess(gap)} pp)")
    return float(gap)


def _debt_ceiling(macro: MacroPath) -> float:
    for criterion in macro.criteria:
        if criterion.indicator == "public_debt_pct_gdp":
            return criterion.limit
    raise ModelInputError("ceiling_pct: not given and the macro path has no criterion on public_debt_pct_gdp")


def _on_years(values: xr.DataArray | None, years: np.ndarray, name: str) -> np.ndarray:
    """THB per year of the macro path from an optional DataArray over `year` (zero where not given)."""
    if values is None:
        return np.zeros(len(years))
    if not isinstance(values, xr.DataArray) or values.dims != ("year",):
        raise ModelInputError(f"{name}: must be an xarray DataArray with the single dim 'year'")
    outside = [int(y) for y in values["year"].values if y not in years]
    if outside:
        raise ModelInputError(f"{name}: year {outside[0]} is outside the macro path {years[0]}-{years[-1]}")
    if not np.isfinite(values.values).all():
        raise ModelInputError(f"{name}: must be finite THB values")
    out = np.zeros(len(years))
    out[np.searchsorted(years, values["year"].values)] = values.values
    return out
