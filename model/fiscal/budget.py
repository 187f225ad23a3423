"""Budget aggregation of scheme costs: real terms, percent of GDP and of the budget, who finances them.

Input: a results Dataset with `benefit_cost(year, scheme)` (THB, nominal, paid during the year) and
`contributions_by_payer(year, scheme, payer)` (THB, nominal; payer in insured, employer, government), and a
MacroPath for the same calendar years (fiscal-year budget figures are assigned to calendar year t, see
`model.fiscal.macro`).

Financing split (the scheme lists below are the single place it is defined):
- government_cost = benefits of the tax-financed schemes + the government's contributions to the SSF
  sections and its matching contributions to the National Savings Fund;
- fund_financed_cost = benefits paid by the Social Security Fund (sections 33, 39 and 40).
"""

import xarray as xr

from ..errors import ModelInputError
from .macro import MacroPath

TAX_FINANCED_SCHEMES = (
    "old_age_allowance",
    "disability_allowance",
    "child_support_grant",
    "welfare_card",
    "universal_coverage",
    "csmbs",
    "civil_service_pension",
)
SSF_SCHEMES = ("ssf_s33", "ssf_s39", "ssf_s40")
GOVERNMENT_CONTRIBUTION_SCHEMES = (*SSF_SCHEMES, "national_savings_fund")
PAYERS = ("insured", "employer", "government")


def macro_on_years(macro: MacroPath, years: xr.DataArray) -> xr.Dataset:
    """The macro paths on the given years; ModelInputError if the path does not cover one of them."""
    ds = macro.to_dataset()
    missing = [int(y) for y in years.values if y not in ds["year"].values]
    if missing:
        raise ModelInputError(f"year: the macro path has no year {missing[0]} (it covers {macro.years[0]}-{macro.years[-1]})")
    return ds.sel(year=years.values)


def government_cost(results: xr.Dataset) -> xr.DataArray:
    """THB by year: the cost of the tax-financed schemes plus the government's contributions to the contributory
    ones."""
    government_contributions = results["contributions_by_payer"].sel(payer="government", drop=True)
    return (results["benefit_cost"].sel(scheme=list(TAX_FINANCED_SCHEMES)).sum("scheme")
            + government_contributions.sel(scheme=list(GOVERNMENT_CONTRIBUTION_SCHEMES)).sum("scheme"))


def add_budget_aggregates(results: xr.Dataset, macro: MacroPath) -> xr.Dataset:
    """`results` with budget aggregates added (new Dataset; inputs unchanged).

    Added variables: gdp (year, THB); cost_real (year, scheme: THB at 2023 prices, deflated by the CPI);
    cost_pct_gdp and cost_pct_budget (year, scheme: percent of GDP, of the appropriation budget);
    total_cost, government_cost, fund_financed_cost (year, THB) and each of them `_pct_gdp` and `_pct_budget`.
    """
    _require(results, "scheme", (*TAX_FINANCED_SCHEMES, *GOVERNMENT_CONTRIBUTION_SCHEMES))
    _require(results, "payer", ("government",))
    m = macro_on_years(macro, results["year"])
    cost = results["benefit_cost"]
    totals = {
        "total_cost": cost.sum("scheme"),
        "government_cost": government_cost(results),
        "fund_financed_cost": cost.sel(scheme=list(SSF_SCHEMES)).sum("scheme"),
    }
    out = results.assign(
        gdp=_with(m["gdp"], "THB", "nominal GDP"),
        cost_real=_with(cost / m["cpi"], "THB, 2023 prices", "benefit cost deflated by the CPI (2023 = 1)"),
        cost_pct_gdp=_with(100.0 * cost / m["gdp"], "percent of GDP", "benefit cost"),
        cost_pct_budget=_with(100.0 * cost / m["appropriation_budget"], "percent of the appropriation budget", "benefit cost"),
    )
    added = {}
    for name, value in totals.items():
        text = name.replace("_", " ")
        added[name] = _with(value, "THB", text)
        added[f"{name}_pct_gdp"] = _with(100.0 * value / m["gdp"], "percent of GDP", text)
        added[f"{name}_pct_budget"] = _with(100.0 * value / m["appropriation_budget"],
                                            "percent of the appropriation budget", text)
    return out.assign(added)


def _with(array: xr.DataArray, units: str, description: str) -> xr.DataArray:
    return array.assign_attrs(units=units, description=description)


def _require(results: xr.Dataset, dim: str, names: tuple[str, ...]) -> None:
    present = set(results[dim].values.tolist()) if dim in results.coords else set()
    missing = [n for n in names if n not in present]
    if missing:
        raise ModelInputError(f"results.{dim}: missing {missing[0]!r}")
