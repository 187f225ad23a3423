"""The Social Security Fund in actuarial-valuation form, as the ILO's valuations of social security schemes present
it: PAYG cost rate, general average premium (GAP) over 50 and 75 years, reserve ratio and depletion year, for each
branch (old_age, short_term, unemployment) and the pooled fund, plus the reconciliation with published depletion
studies (ssf_valuation.yaml). Money is THB, nominal; rates are percent of insurable wages; years are calendar years.

Definitions, on the fund accounts of model.fiscal.ssf_fund (flows at mid-year, administration a fraction `a` of
contributions, the fund's investment return r_t as the discount rate):

    PAYG cost rate_t = B_t / ((1 - a) W_t)
        the contribution rate that would pay the year's benefits B_t and the administration it costs itself,
        out of the insurable wages W_t (equal to B_t / W_t when a = 0).

    v_t = prod_{s <= t} 1 / (1 + r_s)           discount factor to the valuation date (end of the year before)
    w_t = (1 + r_t / 2) v_t                     weight of a mid-year flow of year t
    PV(X) = sum_{t=1..n} w_t X_t                present value over the horizon of n years

    GAP_n = (PV(B) + k v_n B_n - R_0) / ((1 - a) PV(W) - k a v_n W_n)
        the constant contribution rate from the first year that, with the opening reserve R_0, pays the benefits
        over n years and leaves at the end of year n a reserve of k times that year's outgo (benefits plus the
        administration the GAP itself costs). It solves, by the accounts' identity R_n v_n = R_0 + sum w_t (C_t -
        B_t - A_t) with C_t = GAP W_t and A_t = a C_t, the condition R_n = k (B_n + a GAP W_n). k is the target
        reserve ratio (ssf_valuation.yaml). A GAP above the legislated rate means the scheme is under-financed over
        the horizon; below it, over-financed.

    reserve ratio_t = R_t / (B_t + A_t)         years of that year's outgo held at the end of the year.
"""

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import BaseModel, ConfigDict, Field

from ..errors import ModelInputError
from ..yaml_files import read_yaml
from .ssf_fund import BRANCHES

POOLED = "pooled"
ACCOUNTS: tuple[str, ...] = (*BRANCHES, POOLED)
"""The SSF accounts a valuation reports: each branch and the pooled fund (the sum of the branches)."""
VALUATION_FILE = Path(__file__).with_name("ssf_valuation.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetRatio(_Strict):
    value: float = Field(ge=0.0, le=10.0, allow_inf_nan=False)
    assumption: bool
    reason: str = Field(min_length=1)


class Study(_Strict):
    """A published projection of the fund: who, when, what it projects and on which scope."""

    study: str = Field(min_length=1)
    published: int = Field(ge=1990, le=2100)
    scope: str = Field(pattern="^(old_age|pooled)$")
    depletion_year: int | None = Field(default=None, ge=2000, le=2200)
    rate_pct: float | None = Field(default=None, gt=0.0, lt=100.0)
    rate_horizon_years: int | None = Field(default=None, gt=0, le=200)
    reference: list[str] = Field(min_length=1)
    note: str = Field(min_length=1)


class ValuationSpec(_Strict):
    horizons_years: list[int] = Field(min_length=1)
    target_reserve_ratio: TargetRatio
    studies: dict[str, Study]


@cache
def valuation_spec(path: Path = VALUATION_FILE) -> ValuationSpec:
    """The valuation settings and the published studies (ssf_valuation.yaml)."""
    return ValuationSpec.model_validate(read_yaml(path.read_text(encoding="utf-8")))


def account_flows(accounts: xr.Dataset) -> xr.Dataset:
    """The fund accounts' benefits, outgo, contributions and reserve over (year, account), with the pooled fund
    as the sum of the branches (the identity that makes branch accounts add up to the fund)."""
    out = {name: (("account",) if name == "opening_reserve" else ("year", "account"), values)
           for name, values in _account_arrays(accounts).items()}
    return xr.Dataset(out, coords={"year": accounts["year"].values, "account": list(BRANCHES) + [POOLED]})


def _account_arrays(accounts: xr.Dataset) -> dict[str, np.ndarray]:
    """`account_flows` as plain arrays: [year, account] THB for the flows and reserve, [account] THB for the
    opening reserve, accounts in ACCOUNTS order."""
    out = {}
    for name in ("benefits", "outgo", "contributions", "reserve", "admin_cost", "investment_income"):
        by_branch = accounts[name].transpose("year", "branch").values
        out[name] = np.column_stack([by_branch, by_branch.sum(axis=1)])
    opening = accounts["opening_reserve"].values
    out["opening_reserve"] = np.append(opening, opening.sum())
    return out


def payg_cost_rate(accounts: xr.Dataset) -> xr.DataArray:
    """PAYG cost rate (percent of insurable wages) by year and account: benefits / ((1 - a) x insurable wages)."""
    return xr.DataArray(_payg_values(accounts, _account_arrays(accounts)), dims=("year", "account"),
                        coords={"year": accounts["year"].values, "account": list(ACCOUNTS)},
                        attrs={"units": "percent of insurable wages"})


def _payg_values(accounts: xr.Dataset, flows: dict[str, np.ndarray]) -> np.ndarray:
    """`payg_cost_rate` [year, account] (percent) from the accounts' `_account_arrays`."""
    fraction = float(accounts.attrs["admin_fraction"])
    wages = accounts["insurable_wages"].values[:, None]
    return 100.0 * flows["benefits"] / ((1.0 - fraction) * wages)


def general_average_premium(accounts: xr.Dataset, horizon_years: int, *, target_ratio: float,
                            account: str = POOLED) -> float:
    """GAP (percent of insurable wages) of `account` over the first `horizon_years` years of the accounts: the
    module's formula, discounting at the fund's investment return. Raises ModelInputError if the accounts are
    shorter than the horizon or the denominator is not positive (a target so high no rate reaches it)."""
    return _premium(accounts, _account_arrays(accounts), horizon_years, target_ratio, account)


def _premium(accounts: xr.Dataset, flows: dict[str, np.ndarray], horizon_years: int, target_ratio: float,
             account: str) -> float:
    """`general_average_premium` (percent) from the accounts' `_account_arrays`."""
    years = accounts["year"].values
    if not 0 < horizon_years <= len(years):
        raise ModelInputError(f"horizon_years: {horizon_years} needs accounts of at least that many years "
                              f"(they run {years[0]}-{years[-1]})")
    if account not in ACCOUNTS:
        raise ModelInputError(f"account: unknown account {account!r} (accounts: {', '.join(ACCOUNTS)})")
    if not target_ratio >= 0:
        raise ModelInputError(f"target_ratio: must be >= 0 (got {target_ratio!r})")
    column = ACCOUNTS.index(account)
    rate = accounts["investment_return"].values[:horizon_years]
    wages = accounts["insurable_wages"].values[:horizon_years]
    fraction = float(accounts.attrs["admin_fraction"])
    discount = np.cumprod(1.0 / (1.0 + rate))
    weight = (1.0 + rate / 2.0) * discount
    benefits = flows["benefits"][:horizon_years, column]
    numerator = (weight @ benefits + target_ratio * discount[-1] * benefits[-1]
                 - float(flows["opening_reserve"][column]))
    denominator = (1.0 - fraction) * (weight @ wages) - target_ratio * fraction * discount[-1] * wages[-1]
    if not denominator > 0:
        raise ModelInputError(f"target_ratio: {target_ratio} leaves no contribution rate that reaches the target")
    return 100.0 * numerator / denominator


def gap_table(accounts: xr.Dataset, horizons: Sequence[int], *, target_ratio: float) -> xr.DataArray:
    """GAP (percent of insurable wages) over (account, horizon); NaN where the accounts are shorter than the
    horizon."""
    return xr.DataArray(_gap_values(accounts, _account_arrays(accounts), horizons, target_ratio),
                        dims=("account", "horizon"), coords={"account": list(ACCOUNTS), "horizon": list(horizons)},
                        attrs={"units": "percent of insurable wages"})


def _gap_values(accounts: xr.Dataset, flows: dict[str, np.ndarray], horizons: Sequence[int],
                target_ratio: float) -> np.ndarray:
    """`gap_table` [account, horizon] (percent) from the accounts' `_account_arrays`."""
    n_years = accounts.sizes["year"]
    return np.array([[_premium(accounts, flows, h, target_ratio, a) if h <= n_years else np.nan
                      for h in horizons] for a in ACCOUNTS])


def valuation(accounts: xr.Dataset, spec: ValuationSpec | None = None) -> xr.Dataset:
    """The fund in valuation form, over (year, account) and (account, horizon): payg_cost_rate_pct,
    income_rate_pct (contributions / insurable wages), reserve, reserve_ratio (years of outgo),
    depletion_year (first year the reserve is negative; NaN if never) and gap_pct; attributes: valuation date,
    discount rate and target reserve ratio."""
    spec = valuation_spec() if spec is None else spec
    variables, attrs = _valuation_parts(accounts, spec)
    gap = variables.pop("gap_pct")
    return xr.Dataset({"year": ("year", accounts["year"].values), "account": ("account", list(ACCOUNTS)),
                       **variables, "horizon": ("horizon", list(spec.horizons_years)), "gap_pct": gap}, attrs=attrs)


def _valuation_parts(accounts: xr.Dataset, spec: ValuationSpec) -> tuple[dict[str, tuple], dict[str, object]]:
    """`valuation`'s variables as (dims, values, attributes) and its attributes, on plain arrays."""
    flows = _account_arrays(accounts)
    wages = accounts["insurable_wages"].values[:, None]
    years = accounts["year"].values
    reserve = flows["reserve"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = reserve / flows["outgo"]
    negative = reserve < 0
    depletion = np.where(negative.any(axis=0), years[np.argmax(negative, axis=0)], np.nan)
    dims = ("year", "account")
    k = spec.target_reserve_ratio.value
    rate_units = "percent of insurable wages"
    variables = {
        "payg_cost_rate_pct": (dims, _payg_values(accounts, flows), {"units": rate_units}),
        "income_rate_pct": (dims, 100.0 * flows["contributions"] / wages, {"units": rate_units}),
        "reserve": (dims, reserve, {"units": "THB, end of year"}),
        "reserve_ratio": (dims, ratio, {"units": "years of that year's outgo"}),
        "depletion_year": (("account",), depletion, {"units": "calendar year (NaN: not depleted)"}),
        "gap_pct": (("account", "horizon"), _gap_values(accounts, flows, spec.horizons_years, k),
                    {"units": rate_units}),
    }
    return variables, {"valuation_date": f"{int(years[0]) - 1}-12-31",
                       "discount_rate": "the fund's investment return", "target_reserve_ratio": k}


def result_variables(accounts: xr.Dataset, spec: ValuationSpec | None = None) -> dict[str, xr.Variable]:
    """The valuation as result variables over `ssf_account` (and `year`, `gap_horizon`)."""
    variables, attrs = _valuation_parts(accounts, valuation_spec() if spec is None else spec)
    k = attrs["target_reserve_ratio"]
    texts = {
        "payg_cost_rate_pct": ("ssf_payg_cost_rate_pct", "PAYG cost rate: benefits / ((1 - admin fraction) x "
                               "insurable wages), the contribution rate that pays the year's benefits and its own "
                               "administration; by SSF branch and the pooled fund"),
        "income_rate_pct": ("ssf_income_rate_by_account_pct", "contributions / insurable wages, by SSF branch and "
                            "the pooled fund"),
        "reserve_ratio": ("ssf_reserve_ratio_by_account", "reserve at the end of the year / that year's outgo, by "
                          "SSF branch and the pooled fund"),
        "gap_pct": ("ssf_general_average_premium_pct", f"general average premium over the horizon (years from "
                    f"{attrs['valuation_date']}): the constant contribution rate that with the opening reserve "
                    f"pays the benefits and leaves {k:g} year(s) of outgo at the horizon, discounting at the "
                    "fund's investment return (model.fiscal.actuarial); NaN where the run is shorter than the "
                    "horizon"),
    }
    renamed = {"account": "ssf_account", "horizon": "gap_horizon"}
    out = {}
    for name, (target, text) in texts.items():
        dims, values, units = variables[name]
        out[target] = xr.Variable(tuple(renamed.get(d, d) for d in dims), values, {**units, "description": text})
    return out


def reconciliation(ds: xr.Dataset, spec: ValuationSpec | None = None) -> pd.DataFrame:
    """Published studies beside the model: one row per study with its depletion year (or required rate) and the
    model's for the same scope (old-age branch or pooled fund) from a run result `ds` (with the valuation
    variables); model_rate_pct is the model's GAP over the study's horizon (NaN if the run is shorter)."""
    spec = valuation_spec() if spec is None else spec
    rows = []
    for name, study in spec.studies.items():
        account = "old_age" if study.scope == "old_age" else POOLED
        model_year = _depletion(ds, account)
        rate = np.nan
        if study.rate_horizon_years is not None and study.rate_horizon_years in ds["gap_horizon"].values:
            rate = float(ds["ssf_general_average_premium_pct"].sel(ssf_account=account,
                                                                    gap_horizon=study.rate_horizon_years))
        rows.append({
            "study": name, "published": study.published, "scope": study.scope,
            "depletion_year": study.depletion_year, "model_depletion_year": model_year,
            "difference_years": (None if study.depletion_year is None or model_year is None
                                 else model_year - study.depletion_year),
            "rate_pct": study.rate_pct, "model_rate_pct": rate, "note": study.note,
        })
    return pd.DataFrame(rows)


def _depletion(ds: xr.Dataset, account: str) -> int | None:
    value = float(ds["ssf_depletion_year"] if account == POOLED
                  else ds["ssf_depletion_year_by_branch"].sel(ssf_branch=account))
    return None if np.isnan(value) else int(value)


def touches_fund(parameters: Mapping[str, object], macro: Mapping[str, object]) -> bool:
    """A scenario touches the fund if it overrides a Social Security Fund parameter (ssf_s33, ssf_s39, ssf_s40), a
    parameter of membership in one of its sections (a name with s33, s39 or s40 in it, e.g. the section 40 uptake)
    or the fund's investment return."""
    def ssf(path: str) -> bool:
        parts = path.split(".")
        return parts[0] in ("ssf_s33", "ssf_s39", "ssf_s40") or any(
            tag in part for part in parts for tag in ("s33", "s39", "s40"))
    return any(ssf(path) for path in parameters) or "ssf_investment_return" in macro


REPORT_YEARS = (2023, 2030, 2040, 2050, 2060, 2070, 2080, 2090)


def valuation_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per account of a run result: PAYG cost rate in REPORT_YEARS within the run, income rate of the
    first year, reserve ratio at the end of the first year, depletion year and GAP over each horizon."""
    years = [y for y in REPORT_YEARS if y in ds["year"].values]
    first = int(ds["year"].values[0])
    table = pd.DataFrame(index=pd.Index(list(ACCOUNTS), name="account"))
    for year in years:
        table[f"payg {year} %"] = ds["ssf_payg_cost_rate_pct"].sel(year=year).values
    table[f"income {first} %"] = ds["ssf_income_rate_by_account_pct"].sel(year=first).values
    table[f"reserve ratio {first}"] = ds["ssf_reserve_ratio_by_account"].sel(year=first).values
    table["depleted"] = [_depletion(ds, a) for a in ACCOUNTS]
    for horizon in ds["gap_horizon"].values:
        table[f"GAP {int(horizon)}y %"] = ds["ssf_general_average_premium_pct"].sel(gap_horizon=horizon).values
    return table


def reform_row(name: str, ds: xr.Dataset) -> dict[str, object]:
    """A scenario's depletion years (each branch and the pooled fund) and old-age and pooled GAPs."""
    row: dict[str, object] = {"scenario": name}
    row.update({f"depleted {a}": _depletion(ds, a) for a in ACCOUNTS})
    for horizon in ds["gap_horizon"].values:
        for account in ("old_age", POOLED):
            row[f"GAP {int(horizon)}y {account} %"] = float(
                ds["ssf_general_average_premium_pct"].sel(ssf_account=account, gap_horizon=horizon))
    return row
