"""The fiscal layer of a run: budget aggregates, Social Security Fund accounts, public debt and the
sustainability test of guideline 3.1.2(4), added to the result Dataset.

Years are calendar years. Public debt follows the medium-term fiscal framework's deficits, taken to finance
current law under the reference assumptions, corrected by the scenario's current-law government cost above the
social spending they finance (`current_law_excess`; beyond the framework's horizon the primary balance is
revenue less other spending less the model's government cost, see `model.fiscal.debt`); a scenario's government
cost above that of current law under the same demography and macro path (`extra_spending`) adds to the deficit
and to debt, less any offsetting revenue the scenario names.
"""

import numpy as np
import xarray as xr

from . import actuarial
from .budget import budget_aggregates, government_cost
from .debt import debt_path, framework_social_spending
from .macro import MacroPath, criteria_not_evaluated
from .ssf_fund import fund_accounts, split_opening_reserve
from .sustainability import assess, overall_verdict

DEBT_VARIABLES = ("public_debt", "public_debt_pct_gdp", "deficit_pct_gdp", "debt_service_pct_revenue",
                  "primary_balance", "primary_balance_pct_gdp", "interest", "stock_flow_adjustment",
                  "extra_spending", "offsetting_revenue", "current_law_excess")


def ssf_accounts(ds: xr.Dataset, macro: MacroPath, admin_fraction: float,
                 wage_base: xr.DataArray | None = None) -> xr.Dataset:
    """Fund accounts by year and branch from the run's SSF branch flows (THB); cost and income rates are relative
    to `wage_base` (THB by year; default every section's insurable wages)."""
    years = ds["year"].values
    return_rate = xr.DataArray(macro.ssf_investment_return[np.searchsorted(macro.years, years)], dims="year",
                               coords={"year": years})
    return fund_accounts(
        contributions=ds["ssf_branch_contributions"].rename(ssf_branch="branch"),
        benefits=ds["ssf_branch_benefits"].rename(ssf_branch="branch"),
        opening_reserve=split_opening_reserve(macro.ssf_opening_reserve, macro.ssf_opening_reserve_split),
        investment_return=return_rate,
        admin_fraction=admin_fraction,
        insurable_wages=ds["insurable_wages"].sum("scheme") if wage_base is None else wage_base,
    )


def add_fiscal(ds: xr.Dataset, macro: MacroPath, admin_fraction: float,
               extra_spending: xr.DataArray | None = None,
               offsetting_revenue: xr.DataArray | None = None,
               current_law_cost: xr.DataArray | None = None,
               reference_cost: xr.DataArray | None = None) -> xr.Dataset:
    """`ds` with budget aggregates, SSF accounts, the public-debt path and the sustainability assessment.

    extra_spending, offsetting_revenue: THB by year (the scenario's government cost above current law, and
    new revenue financing it); None counts as zero. current_law_cost: the government cost of the scenario's
    current law (THB by year; default the run's government cost less extra_spending); reference_cost: that of
    current law under the reference assumptions, which the framework's deficits finance (default
    current_law_cost: the run is its own reference).
    """
    years = ds.variables["year"].values
    fund = ssf_accounts(ds, macro, admin_fraction)
    if current_law_cost is None:
        current_law_cost = government_cost(ds) - (0.0 if extra_spending is None else extra_spending)
    reference = current_law_cost if reference_cost is None else reference_cost
    financed, other_pct = framework_social_spending(macro, reference)
    excess = current_law_cost - financed
    debt = debt_path(macro, extra_spending, offsetting_revenue, current_law_excess=excess).sel(year=years)
    verdicts = assess(debt, macro.criteria, fund)
    # every part is on the run's years (and SSF branches) already: add their variables without re-aligning
    added = budget_aggregates(ds, macro)
    added.update({name: debt.variables[name] for name in DEBT_VARIABLES})
    added["framework_social_spending"] = financed.variable
    branch_vars = {"reserve": "ssf_reserve_by_branch", "contributions": "ssf_contributions_by_branch",
                   "benefits": "ssf_benefits_by_branch", "investment_income": "ssf_investment_income_by_branch"}
    accounts = fund.variables
    for name, target in branch_vars.items():
        added[target] = accounts[name].copy(deep=False)
        added[target].dims = tuple("ssf_branch" if dim == "branch" else dim for dim in accounts[name].dims)
    for name, target in {"cost_rate_pct_total": "ssf_cost_rate_pct", "income_rate_pct_total": "ssf_income_rate_pct",
                         "admin_cost_total": "ssf_admin_cost"}.items():
        added[target] = accounts[name]
    for name, target, units, text in (
            ("reserve_total", "ssf_reserve", "THB", "Social Security Fund reserves at the end of the year"),
            ("reserve_ratio_total", "ssf_reserve_ratio", "years of outgo",
             "reserves at the end of the year over that year's outgo"),
            ("depletion_year_total", "ssf_depletion_year", "calendar year",
             "first year the fund's reserves are negative (NaN: not within the run)")):
        added[target] = xr.Variable(accounts[name].dims, accounts[name].values, {"units": units, "description": text})
    added["ssf_depletion_year_by_branch"] = xr.Variable(("ssf_branch",), accounts["depletion_year"].values, {
        "units": "calendar year", "description": "first year each branch's reserve is negative (NaN: not within "
        "the run); the branch accounts add up to the pooled fund, whose year is ssf_depletion_year"})
    added.update(actuarial.result_variables(fund))
    for name, target in {"value": "criterion_value", "passes": "criterion_passes",
                         "headroom_pp": "headroom_pp", "headroom_thb": "headroom_thb",
                         "limit": "criterion_limit", "first_breach_year": "first_breach_year"}.items():
        added[target] = verdicts.variables[name]
    added["sustainability_verdict"] = xr.Variable((), overall_verdict(verdicts), {
        "description": "guideline 3.1.2(4): every binding criterion (legal ceilings and the fund's solvency) holds "
                       "in every year; framework targets and other actuarial tests are warnings and do not enter"})
    labels = {"criterion_basis": "basis", "criterion_role": "role", "criterion_legal_basis": "legal_basis"}
    coords = {"criterion": xr.IndexVariable("criterion", verdicts.variables["criterion"].values),
              "ssf_account": xr.IndexVariable("ssf_account", list(actuarial.ACCOUNTS)),
              "gap_horizon": xr.IndexVariable("gap_horizon", actuarial.valuation_spec().horizons_years),
              **{name: ("criterion", verdicts.variables[label].values.astype(str)) for name, label in labels.items()}}
    out = ds.assign({**coords, **added}).set_coords(list(labels))
    out.attrs.update(opening_public_debt=float(macro.opening_public_debt),
                     framework_horizon=-1 if macro.framework_horizon is None else int(macro.framework_horizon),
                     other_primary_spending_pct_gdp=float("nan") if other_pct is None else other_pct,
                     ssf_opening_reserve=float(fund["opening_reserve"].sum()),
                     ssf_valuation_date=f"{int(years[0]) - 1}-12-31",
                     ssf_gap_discount_rate="the fund's nominal investment return (ssf_investment_return)",
                     ssf_gap_target_reserve_ratio=actuarial.valuation_spec().target_reserve_ratio.value)
    described = out.variables
    described["headroom_pp"].attrs.update(description="headroom under each sustainability criterion, percent points "
                                          "of the criterion's base (GDP, revenue or outgo); negative = breach")
    described["headroom_thb"].attrs.update(description="headroom under each criterion in THB; negative = breach")
    described["criterion_passes"].attrs.update(
        description="the criterion holds in the year (True where it does not apply yet); its basis is the "
                    "criterion_basis coordinate (law, framework_target, actuarial), its role criterion_role "
                    "(binding: enters sustainability_verdict; warning: reported only)")
    described["criterion_basis"].attrs.update(description="basis of each criterion: law (State Fiscal and Financial "
                                              "Disciplines Act B.E. 2561 and ceilings set under it), framework_target "
                                              "(medium-term fiscal framework), actuarial (actuarial practice)")
    described["criterion_role"].attrs.update(description="binding (enters the overall verdict) or warning")
    described["criterion_legal_basis"].attrs.update(description="the Act and section of a legal ceiling ('' "
                                                    "otherwise)")
    out.attrs["criteria_not_evaluated"] = "; ".join(
        f"{name} ({spec.basis}, {spec.limit}): {spec.why_not_evaluated.split('. ')[0].rstrip('.')}"
        for name, spec in criteria_not_evaluated().items())
    return out
