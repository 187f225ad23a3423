"""Budget aggregation of scheme costs: real terms, percent of GDP and of the budget, who finances them.

Input: a results Dataset with `benefit_cost(year, scheme)` (THB, nominal, paid during the year) and
`contributions_by_payer(year, scheme, payer)` (THB, nominal; payer in insured, employer, government), and a
MacroPath for the same calendar years (fiscal-year budget figures are assigned to calendar year t, see
`model.fiscal.macro`).

Financing split, from each scheme's declaration (`financing` and `fund`, model/schemes/declaration.py):
- government_cost = benefits of the budget-financed schemes + the government's contributions to the schemes
  financed by a fund and the budget (today the SSF sections, the Government Pension Fund's matching, compensation
  and reserve allotment, and the National Savings Fund's match);
- fund_financed_cost = benefits paid by the Social Security Fund (the schemes whose fund is "ssf").
"""

import numpy as np
import xarray as xr

from ..errors import ModelInputError
from ..schemes.registry import names
from .macro import MacroPath

TAX_FINANCED_SCHEMES: tuple[str, ...] = names(financing="budget")
"""Schemes whose benefits count in government cost."""
SSF_SCHEMES: tuple[str, ...] = names(fund="ssf")
"""Schemes whose benefits the Social Security Fund pays (fund_financed_cost)."""
GOVERNMENT_CONTRIBUTION_SCHEMES: tuple[str, ...] = names(financing="budget_and_fund")
"""Schemes whose government contributions count in government cost."""
PAYERS = ("insured", "employer", "government")


def macro_on_years(macro: MacroPath, years: xr.DataArray) -> xr.Dataset:
    """The macro paths on the given years; ModelInputError if the path does not cover one of them."""
    return macro.to_dataset().isel(year=_positions(macro, years.values))


def government_cost(results: xr.Dataset) -> xr.DataArray:
    """THB by year: the cost of the tax-financed schemes plus the government's contributions to the contributory
    ones."""
    return xr.DataArray(_government_cost(results), dims="year", coords={"year": results.variables["year"].values})


def _government_cost(results: xr.Dataset) -> np.ndarray:
    """`government_cost` [year] THB, read from the results' variables."""
    variables = results.variables
    schemes = variables["scheme"].values
    cost = variables["benefit_cost"].transpose("year", "scheme").values
    government = results.indexes["payer"].get_loc("government")
    contributions = variables["contributions_by_payer"].isel(payer=government).transpose("year", "scheme").values
    return (cost[:, np.isin(schemes, TAX_FINANCED_SCHEMES)].sum(axis=1)
            + contributions[:, np.isin(schemes, GOVERNMENT_CONTRIBUTION_SCHEMES)].sum(axis=1))


def add_budget_aggregates(results: xr.Dataset, macro: MacroPath) -> xr.Dataset:
    """`results` with the `budget_aggregates` added (new Dataset; inputs unchanged)."""
    return results.assign(budget_aggregates(results, macro))


def budget_aggregates(results: xr.Dataset, macro: MacroPath) -> dict[str, xr.Variable]:
    """The budget aggregates of `results` as variables on its years and schemes.

    gdp (year, THB); cost_real (year, scheme: THB at 2023 prices, deflated by the CPI); cost_pct_gdp and
    cost_pct_budget (year, scheme: percent of GDP, of the appropriation budget); total_cost, government_cost,
    fund_financed_cost (year, THB) and each of them `_pct_gdp` and `_pct_budget`; labour_share_pct (year, percent of
    GDP) when the results hold the wage bill.
    """
    _require(results, "scheme", (*TAX_FINANCED_SCHEMES, *GOVERNMENT_CONTRIBUTION_SCHEMES))
    _require(results, "payer", ("government",))
    variables = results.variables
    at = _positions(macro, variables["year"].values)
    gdp, cpi, budget = macro.gdp[at], macro.cpi[at], macro.appropriation_budget[at]
    cost = variables["benefit_cost"].transpose("year", "scheme")
    by_scheme = cost.values
    ssf = np.isin(variables["scheme"].values, SSF_SCHEMES)
    totals = {
        "total_cost": by_scheme.sum(axis=1),
        "government_cost": _government_cost(results),
        "fund_financed_cost": by_scheme[:, ssf].sum(axis=1),
    }
    pct_budget = "percent of the appropriation budget"
    added = {
        "gdp": ("year", gdp, _meta("THB", "nominal GDP")),
        "cost_real": (cost.dims, by_scheme / cpi[:, None],
                      _meta("THB, 2023 prices", "benefit cost deflated by the CPI (2023 = 1)")),
        "cost_pct_gdp": (cost.dims, 100.0 * by_scheme / gdp[:, None], _meta("percent of GDP", "benefit cost")),
        "cost_pct_budget": (cost.dims, 100.0 * by_scheme / budget[:, None], _meta(pct_budget, "benefit cost")),
    }
    if "wage_bill" in results:
        added["labour_share_pct"] = ("year", 100.0 * variables["wage_bill"].values / gdp,
                                     _meta("percent of GDP", "labour share: wage bill / GDP (model.fiscal.macro)"))
    for name, value in totals.items():
        text = name.replace("_", " ")
        added[name] = ("year", value, _meta("THB", text))
        added[f"{name}_pct_gdp"] = ("year", 100.0 * value / gdp, _meta("percent of GDP", text))
        added[f"{name}_pct_budget"] = ("year", 100.0 * value / budget, _meta(pct_budget, text))
    return {name: xr.Variable(*spec) for name, spec in added.items()}


def _positions(macro: MacroPath, years: np.ndarray) -> np.ndarray:
    """Positions of `years` on the macro path; ModelInputError if the path does not cover one of them."""
    missing = [int(y) for y in years if y not in macro.years]
    if missing:
        raise ModelInputError(f"year: the macro path has no year {missing[0]} (it covers {macro.years[0]}-{macro.years[-1]})")
    return np.searchsorted(macro.years, years)


def _meta(units: str, description: str) -> dict[str, str]:
    return {"units": units, "description": description}


def _require(results: xr.Dataset, dim: str, names: tuple[str, ...]) -> None:
    present = set(results.variables[dim].values.tolist()) if dim in results.coords else set()
    missing = [n for n in names if n not in present]
    if missing:
        raise ModelInputError(f"results.{dim}: missing {missing[0]!r}")
