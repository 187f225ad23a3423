"""Social Security Fund accounting by branch: reserves, ratios, depletion, actuarial balance, required rate.

Branches: `old_age` (old-age pensions, lump sums and child allowance), `short_term` (sickness, maternity,
invalidity, death) and `unemployment`. Years are calendar years; money is THB, nominal.

The accounting identity holds exactly, every year and branch:

    reserve[t] = reserve[t-1] + contributions[t] + investment_income[t] - benefits[t] - admin_cost[t]

with admin_cost[t] = admin_fraction * contributions[t] (administration modelled as a share of contributions,
an assumption: the fact sheet gives no administrative-cost figure) and investment_income[t] =
investment_return[t] * (reserve[t-1] + net_flow[t] / 2), net_flow = contributions - benefits - admin_cost:
flows arrive on average at mid-year and earn half a year's return. A reserve may go negative after
depletion: it is not floored at zero (that would create money); a negative reserve is charged the same rate,
as if the branch borrowed, and the depletion year is reported.
"""

from collections.abc import Mapping

import numpy as np
import xarray as xr

from ..errors import ModelInputError

BRANCHES = ("old_age", "short_term", "unemployment")


def split_opening_reserve(total: float, shares: Mapping[str, float]) -> xr.DataArray:
    """The opening reserve (THB) by branch, proportional to `shares` (any positive weights, normalised).

    The default (macro_assumptions.yaml, `ssf.opening_reserve_split`) is the documented split of the end-2022
    reserve: unemployment 9% (the SSO's 2020 statement), short-term branches about a year of their outgo (4%),
    old age the rest (87%); branch reserves are not published.
    """
    if set(shares) != set(BRANCHES) or any(not v > 0 for v in shares.values()):
        raise ModelInputError(f"opening reserve shares: need a positive share for each of {BRANCHES} (got {dict(shares)!r})")
    weights = np.array([shares[b] for b in BRANCHES], dtype=float)
    coords = {"branch": list(BRANCHES)}
    return xr.DataArray(total * weights / weights.sum(), dims="branch", coords=coords, attrs={"units": "THB"})


def project_reserve(
    opening: np.ndarray | float,
    contributions: np.ndarray,
    benefits: np.ndarray,
    admin_fraction: float,
    investment_return: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reserve at the end of each year, admin cost and investment income (all THB), by the module's identity.

    `contributions` and `benefits` have years on the first axis (any trailing axes, e.g. branch);
    `investment_return` (fraction) has one value per year; `opening` is the reserve before the first year.
    """
    contributions = np.asarray(contributions, dtype=float)
    benefits = np.asarray(benefits, dtype=float)
    rate = np.asarray(investment_return, dtype=float).reshape((-1,) + (1,) * (contributions.ndim - 1))
    admin = admin_fraction * contributions
    net = contributions - benefits - admin
    income = np.empty_like(contributions)
    reserve = np.empty_like(contributions)
    previous = np.broadcast_to(np.asarray(opening, dtype=float), contributions.shape[1:])
    for t in range(contributions.shape[0]):
        income[t] = rate[t] * (previous + 0.5 * net[t])
        reserve[t] = previous + contributions[t] + income[t] - benefits[t] - admin[t]
        previous = reserve[t]
    return reserve, admin, income


def fund_accounts(
    contributions: xr.DataArray,
    benefits: xr.DataArray,
    opening_reserve: xr.DataArray,
    investment_return: xr.DataArray | float,
    admin_fraction: float,
    insurable_wages: xr.DataArray,
) -> xr.Dataset:
    """Fund accounts by year and branch.

    Inputs: `contributions` and `benefits` (year, branch) in THB; `opening_reserve` (branch) in THB at the
    end of the year before the first; `investment_return` (year) or a constant, fraction; `admin_fraction`,
    the share of contributions spent on administration; `insurable_wages` (year), THB, the wage bill on
    which contributions are levied (the base of cost and income rates).

    Output variables: contributions, benefits, admin_cost, investment_income, outgo (benefits + admin),
    reserve (end of year), reserve_ratio (reserve / that year's outgo), cost_rate_pct, income_rate_pct
    (outgo and contributions as percent of insurable wages), all (year, branch), each also summed over
    branches as `*_total` (year); opening_reserve (branch); depletion_year (branch) and
    depletion_year_total, the first year the reserve is negative (NaN if never); insurable_wages and
    investment_return (year). Attribute `admin_fraction`.
    """
    contributions, benefits = _flows(contributions, "contributions"), _flows(benefits, "benefits")
    if not all(np.array_equal(contributions[d].values, benefits[d].values) for d in ("year", "branch")):
        raise ModelInputError("benefits: must have the same years and branches as contributions")
    years = contributions["year"]
    opening = _on(opening_reserve, "branch", contributions["branch"], "opening_reserve")
    if np.isscalar(investment_return):
        investment_return = xr.DataArray(float(investment_return))
    rate = _on(investment_return, "year", years, "investment_return", broadcast=True)
    wages = _on(insurable_wages, "year", years, "insurable_wages")
    if not 0.0 <= admin_fraction < 1.0:
        raise ModelInputError(f"admin_fraction: must be in [0, 1) (got {admin_fraction!r})")
    if (rate.values <= -1).any():
        raise ModelInputError(f"investment_return: must be above -1 (got {float(rate.min())!r})")
    if (wages.values <= 0).any():
        raise ModelInputError(f"insurable_wages: must be positive (got {float(wages.min())!r})")

    flows = {"contributions": contributions.values, "benefits": benefits.values}
    flows["reserve"], flows["admin_cost"], flows["investment_income"] = project_reserve(
        opening.values, flows["contributions"], flows["benefits"], admin_fraction, rate.values
    )
    flows["outgo"] = flows["benefits"] + flows["admin_cost"]
    totals = {name: values.sum(axis=1) for name, values in flows.items()}
    variables: dict[str, tuple] = {}
    for suffix, part, dims, bill in (("", flows, ("year", "branch"), wages.values[:, None]),
                                     ("_total", totals, ("year",), wages.values)):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            part = {**part, "reserve_ratio": part["reserve"] / part["outgo"],
                    "cost_rate_pct": 100.0 * part["outgo"] / bill,
                    "income_rate_pct": 100.0 * part["contributions"] / bill}
        variables.update({f"{name}{suffix}": (dims, values, {"units": _UNITS[name]}) for name, values in part.items()})
    for name, given in (("contributions", contributions), ("benefits", benefits)):
        variables[name][2].update(given.attrs, units=_UNITS[name])  # keep the inputs' descriptions
    depletion = [_nan_if_none(_first_negative(years.values, reserve)) for reserve in flows["reserve"].T]
    variables["depletion_year"] = ("branch", np.array(depletion), {"units": _UNITS["depletion_year"]})
    variables["depletion_year_total"] = ((), _nan_if_none(_first_negative(years.values, totals["reserve"])),
                                         {"units": _UNITS["depletion_year"]})
    variables["opening_reserve"] = ("branch", opening.values, {"units": _UNITS["opening_reserve"]})
    variables["insurable_wages"] = ("year", wages.values, {"units": _UNITS["insurable_wages"]})
    variables["investment_return"] = ("year", rate.values, {"units": _UNITS["investment_return"]})
    return xr.Dataset(variables, coords={"year": years.values, "branch": contributions["branch"].values},
                      attrs={"admin_fraction": admin_fraction})


_UNITS = {
    "contributions": "THB",
    "benefits": "THB",
    "admin_cost": "THB",
    "investment_income": "THB",
    "outgo": "THB",
    "reserve": "THB, end of year",
    "opening_reserve": "THB, end of the year before the first",
    "insurable_wages": "THB",
    "investment_return": "fraction",
    "reserve_ratio": "years of that year's outgo",
    "cost_rate_pct": "percent of insurable wages",
    "income_rate_pct": "percent of insurable wages",
    "depletion_year": "calendar year (NaN: not depleted)",
}


def depletion_year(reserve: xr.DataArray) -> int | None:
    """The first year in which `reserve` (dim year, THB) is below zero, or None."""
    return _first_negative(reserve["year"].values, reserve.values)


def _first_negative(years: np.ndarray, reserve: np.ndarray) -> int | None:
    negative = years[reserve < 0]
    return int(negative[0]) if negative.size else None


def actuarial_balance(
    accounts: xr.Dataset, *, through_year: int | None = None, target_ratio: float = 1.0, branch: str | None = None
) -> float:
    """Actuarial balance over the projection to `through_year`, percent of the present value of insurable wages.

    SSA-style: (opening reserve + PV contributions - PV outgo - PV target ending reserve) / PV insurable
    wages x 100, where the target ending reserve is `target_ratio` x the last year's outgo, held at the end
    of the last year. Present values discount at the fund's investment return with the same mid-year timing
    as the accounts: a flow in year t is weighted (1 + r[t]/2) / prod_{s<=t}(1 + r[s]). So the balance is
    exactly (ending reserve - target) discounted, over PV wages: positive means the scheme is in surplus
    over the period. `branch` selects one branch; default the whole fund.
    """
    flows = _select(accounts, branch, through_year)
    rate = flows["investment_return"].values
    discount = np.cumprod(1.0 / (1.0 + rate))
    weight = (1.0 + rate / 2.0) * discount
    net = flows["contributions"].values - flows["outgo"].values
    target = target_ratio * flows["outgo"].values[-1] * discount[-1]
    balance = float(flows["opening"]) + float(np.sum(weight * net)) - target
    return 100.0 * balance / float(np.sum(weight * flows["insurable_wages"].values))


def required_rate_increase(
    accounts: xr.Dataset, *, from_year: int, through_year: int, branch: str | None = None
) -> float:
    """The uniform contribution-rate change (fraction of insurable wages) from `from_year` that keeps the
    reserve at or above zero in every year up to `through_year`, with its minimum over those years at zero.

    Closed form: the reserve is affine in the rate change d, reserve_t(d) = reserve_t(0) + d * unit_t, where
    unit_t is the reserve path built from contributions equal to the insurable wages from `from_year` (net of
    the admin fraction, with returns); so d = max over from_year..through_year of -reserve_t(0) / unit_t.
    A negative value is the uniform cut the fund could afford. `branch` selects one branch; default the whole
    fund. Raises ModelInputError if the reserve is already negative before `from_year`.
    """
    flows = _select(accounts, branch, through_year)
    years = flows["contributions"]["year"].values
    if not years[0] <= from_year <= through_year:
        raise ModelInputError(f"from_year: must be between {years[0]} and through_year {through_year} (got {from_year})")
    rate, fraction = flows["investment_return"].values, accounts.attrs["admin_fraction"]
    contributions, benefits = flows["contributions"].values, flows["benefits"].values
    reserve, _, _ = project_reserve(float(flows["opening"]), contributions, benefits, fraction, rate)
    extra = np.where(years >= from_year, flows["insurable_wages"].values, 0.0)
    unit, _, _ = project_reserve(0.0, extra, np.zeros_like(extra), fraction, rate)
    before = years < from_year
    if (reserve[before] < 0).any():
        first = int(years[before][reserve[before] < 0][0])
        raise ModelInputError(f"from_year {from_year}: the reserve is already negative in {first}, before the rise starts")
    window = ~before
    return float(np.max(-reserve[window] / unit[window]))


def _select(accounts: xr.Dataset, branch: str | None, through_year: int | None) -> dict[str, xr.DataArray]:
    """Flows of one branch (or the whole fund) for the years up to `through_year`."""
    years = accounts["year"].values
    last = int(years[-1]) if through_year is None else through_year
    if not years[0] <= last <= years[-1]:
        raise ModelInputError(f"through_year: must be between {years[0]} and {years[-1]} (got {through_year})")
    if branch is not None and branch not in accounts["branch"].values:
        raise ModelInputError(f"branch: unknown branch {branch!r} (branches: {', '.join(accounts['branch'].values)})")
    part = accounts.sel(year=slice(None, last))

    def pick(name: str) -> xr.DataArray:
        return part[name].sum("branch") if branch is None else part[name].sel(branch=branch)

    return {
        "contributions": pick("contributions"),
        "benefits": pick("benefits"),
        "outgo": pick("outgo"),
        "opening": pick("opening_reserve"),
        "investment_return": part["investment_return"],
        "insurable_wages": part["insurable_wages"],
    }


def _flows(flows: xr.DataArray, name: str) -> xr.DataArray:
    if not isinstance(flows, xr.DataArray) or set(flows.dims) != {"year", "branch"}:
        raise ModelInputError(f"{name}: must be an xarray DataArray with dims (year, branch)")
    unknown = [b for b in flows["branch"].values.tolist() if b not in BRANCHES]
    if unknown:
        raise ModelInputError(f"{name}: unknown branch {unknown[0]!r} (branches: {', '.join(BRANCHES)})")
    years = flows["year"].values
    if len(years) == 0 or not np.array_equal(years, np.arange(years[0], years[0] + len(years))):
        raise ModelInputError(f"{name}: years must be consecutive (got {years.tolist()})")
    if not np.isfinite(flows.values).all() or (flows.values < 0).any():
        raise ModelInputError(f"{name}: must be finite and non-negative THB (got minimum {float(flows.min())!r})")
    return flows.transpose("year", "branch").astype(float)


def _on(array: xr.DataArray, dim: str, coord: xr.DataArray, name: str, broadcast: bool = False) -> xr.DataArray:
    """`array` on exactly the coordinate values `coord` of `dim` (a 0-d array is broadcast if allowed)."""
    if broadcast and array.ndim == 0:
        return array.astype(float).expand_dims({dim: coord.values}).copy()
    if not isinstance(array, xr.DataArray) or array.dims != (dim,):
        raise ModelInputError(f"{name}: must be an xarray DataArray with the single dim {dim!r}")
    given, wanted = array[dim].values, coord.values
    missing = wanted[~np.isin(wanted, given)]
    if missing.size:
        raise ModelInputError(f"{name}: no value for {dim} {missing.tolist()[0]!r}")
    values = (array if np.array_equal(given, wanted) else array.sel({dim: wanted})).astype(float)
    if not np.isfinite(values.values).all():
        raise ModelInputError(f"{name}: must be finite")
    return values


def _nan_if_none(year: int | None) -> float:
    return float("nan") if year is None else float(year)
