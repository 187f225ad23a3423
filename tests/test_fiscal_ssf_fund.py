"""SSF fund accounting on synthetic flows: identity, depletion, ratios, actuarial balance, required rate."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.errors import ModelInputError
from model.fiscal.ssf_fund import (
    BRANCHES,
    actuarial_balance,
    depletion_year,
    fund_accounts,
    required_rate_increase,
    split_opening_reserve,
)

YEARS = np.arange(2023, 2043)


def by_branch(values) -> xr.DataArray:
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = np.repeat(values[:, None], len(BRANCHES), axis=1)
    return xr.DataArray(values, dims=("year", "branch"), coords={"year": YEARS[: len(values)], "branch": list(BRANCHES)})


def per_year(values, years=YEARS) -> xr.DataArray:
    return xr.DataArray(np.broadcast_to(np.asarray(values, dtype=float), years.shape).copy(), dims="year", coords={"year": years})


def opening(total: float) -> xr.DataArray:
    return split_opening_reserve(total, dict.fromkeys(BRANCHES, 1.0))


def ageing_fund(admin_fraction: float = 0.03, rate: float = 0.04) -> xr.Dataset:
    """Contributions growing 3% a year, benefits growing 10% a year: a fund that depletes."""
    t = np.arange(len(YEARS))
    contributions = by_branch(100.0 * 1.03**t)
    benefits = by_branch(80.0 * 1.10**t)
    return fund_accounts(contributions, benefits, opening(300.0), rate, admin_fraction, per_year(2000.0 * 1.03**t))


def assert_identity(ds: xr.Dataset) -> None:
    previous = ds["opening_reserve"].values
    for t in range(ds.sizes["year"]):
        c, b = ds["contributions"].values[t], ds["benefits"].values[t]
        income, admin = ds["investment_income"].values[t], ds["admin_cost"].values[t]
        np.testing.assert_array_equal(ds["reserve"].values[t], previous + c + income - b - admin)
        previous = ds["reserve"].values[t]


def test_identity_holds_exactly_every_year():
    ds = ageing_fund()
    assert_identity(ds)
    np.testing.assert_allclose(ds["reserve_total"], ds["reserve"].sum("branch"))
    np.testing.assert_allclose(ds["admin_cost"], 0.03 * ds["contributions"])


def test_returns_on_opening_reserve_plus_half_net_flow():
    ds = ageing_fund(rate=0.05)
    net = ds["contributions"] - ds["benefits"] - ds["admin_cost"]
    opening_of_year = np.vstack([ds["opening_reserve"].values, ds["reserve"].values[:-1]])
    expected = 0.05 * (opening_of_year + 0.5 * net.values)
    np.testing.assert_allclose(ds["investment_income"].values, expected, rtol=1e-12)


def test_depletion_year_by_hand():
    # no returns, no admin: 100 opening per branch, net outflow 30 a year: 70, 40, 10, -20 -> the 4th year
    ds = fund_accounts(by_branch(np.full(6, 10.0)), by_branch(np.full(6, 40.0)), opening(300.0), 0.0, 0.0, per_year(1000.0, YEARS[:6]))
    np.testing.assert_array_equal(ds["reserve"].sel(branch="old_age").values, [70, 40, 10, -20, -50, -80])
    assert depletion_year(ds["reserve_total"]) == 2026
    assert float(ds["depletion_year_total"]) == 2026
    assert list(ds["depletion_year"].values) == [2026.0] * 3
    assert depletion_year(ds["reserve_total"].where(ds["reserve_total"] > 0, 1.0)) is None


def test_not_depleted_reports_nan():
    ds = fund_accounts(by_branch(np.full(5, 50.0)), by_branch(np.full(5, 10.0)), opening(300.0), 0.02, 0.0, per_year(1000.0, YEARS[:5]))
    assert np.isnan(float(ds["depletion_year_total"]))


def test_reserve_ratio_and_rates():
    ds = ageing_fund()
    np.testing.assert_allclose(ds["reserve_ratio_total"], ds["reserve_total"] / (ds["benefits_total"] + ds["admin_cost_total"]))
    np.testing.assert_allclose(ds["cost_rate_pct"], 100 * ds["outgo"] / ds["insurable_wages"])
    np.testing.assert_allclose(ds["income_rate_pct_total"], 100 * ds["contributions_total"] / ds["insurable_wages"])
    assert ds["reserve"].attrs["units"].startswith("THB") and ds["cost_rate_pct"].attrs["units"].startswith("percent")


def test_actuarial_balance_is_discounted_ending_gap():
    ds = ageing_fund(rate=0.0)
    last = 2035
    part = ds.sel(year=slice(None, last))
    ending = float(part["reserve_total"][-1])
    target = float(part["outgo_total"][-1])
    expected = 100 * (ending - target) / float(part["insurable_wages"].sum())
    assert actuarial_balance(ds, through_year=last) == pytest.approx(expected, rel=1e-12)
    # with returns, the sign follows the ending reserve against the target
    with_returns = ageing_fund(rate=0.04)
    for year in (2026, 2042):
        part = with_returns.sel(year=slice(None, year))
        ahead = float(part["reserve_total"][-1]) > float(part["outgo_total"][-1])
        assert (actuarial_balance(with_returns, through_year=year) > 0) == ahead


def test_actuarial_balance_by_branch_and_target():
    ds = ageing_fund()
    assert actuarial_balance(ds, branch="old_age", target_ratio=0.0) > actuarial_balance(ds, branch="old_age")


@pytest.mark.parametrize("branch", [None, "unemployment"])
def test_required_rate_increase_makes_minimum_reserve_zero(branch):
    ds = ageing_fund()
    assert depletion_year(ds["reserve_total"]) is not None
    from_year, through_year = 2027, 2040
    rise = required_rate_increase(ds, from_year=from_year, through_year=through_year, branch=branch)
    assert rise > 0
    extra = per_year(np.where(YEARS >= from_year, ds["insurable_wages"].values, 0.0)) * rise
    shares = [1.0 / 3] * 3 if branch is None else [float(b == branch) for b in BRANCHES]
    weights = xr.DataArray(shares, dims="branch", coords={"branch": list(BRANCHES)})
    rerun = fund_accounts(
        ds["contributions"] + extra * weights,
        ds["benefits"],
        ds["opening_reserve"],
        ds["investment_return"],
        ds.attrs["admin_fraction"],
        ds["insurable_wages"],
    )
    reserve = rerun["reserve_total"] if branch is None else rerun["reserve"].sel(branch=branch)
    window = reserve.sel(year=slice(None, through_year))
    scale = float(ds["contributions_total"].max())
    assert float(window.min()) == pytest.approx(0.0, abs=1e-9 * scale)
    assert float(window.min()) >= -1e-9 * scale


def test_required_rate_increase_negative_when_solvent():
    ds = fund_accounts(by_branch(np.full(10, 50.0)), by_branch(np.full(10, 10.0)), opening(300.0), 0.02, 0.0, per_year(1000.0, YEARS[:10]))
    assert required_rate_increase(ds, from_year=2024, through_year=2032) < 0


def test_required_rate_increase_errors():
    ds = ageing_fund()
    first_negative = depletion_year(ds["reserve_total"])
    with pytest.raises(ModelInputError, match="already negative"):
        required_rate_increase(ds, from_year=first_negative + 1, through_year=2042)
    with pytest.raises(ModelInputError, match="from_year"):
        required_rate_increase(ds, from_year=2041, through_year=2030)
    with pytest.raises(ModelInputError, match="through_year"):
        required_rate_increase(ds, from_year=2025, through_year=2050)
    with pytest.raises(ModelInputError, match="branch"):
        required_rate_increase(ds, from_year=2025, through_year=2030, branch="pension")


def test_split_opening_reserve():
    split = split_opening_reserve(2.28e12, {"old_age": 7.0, "short_term": 4.5, "unemployment": 1.25})
    assert float(split.sum()) == pytest.approx(2.28e12)
    assert float(split.sel(branch="old_age")) == pytest.approx(2.28e12 * 7 / 12.75)
    with pytest.raises(ModelInputError, match="opening reserve shares"):
        split_opening_reserve(1.0, {"old_age": 1.0})


def test_bad_inputs_are_stopped():
    good = by_branch(np.full(3, 10.0))
    wages = per_year(100.0, YEARS[:3])
    with pytest.raises(ModelInputError, match="benefits: must be finite and non-negative"):
        fund_accounts(good, -good, opening(1.0), 0.0, 0.0, wages)
    with pytest.raises(ModelInputError, match="admin_fraction"):
        fund_accounts(good, good, opening(1.0), 0.0, 1.5, wages)
    with pytest.raises(ModelInputError, match="unknown branch 'pension'"):
        fund_accounts(good.assign_coords(branch=["old_age", "short_term", "pension"]), good, opening(1.0), 0.0, 0.0, wages)
    with pytest.raises(ModelInputError, match="insurable_wages: no value for year 2025"):
        fund_accounts(good, good, opening(1.0), 0.0, 0.0, wages.isel(year=[0, 1]))


flows = arrays(np.float64, (12, 3), elements=st.floats(0, 1e12, allow_nan=False, allow_infinity=False))


@settings(max_examples=60, deadline=None)
@given(
    contributions=flows,
    benefits=flows,
    rates=arrays(np.float64, 12, elements=st.floats(-0.3, 0.3)),
    admin_fraction=st.floats(0, 0.2),
    total=st.floats(0, 1e13),
)
def test_identity_property(contributions, benefits, rates, admin_fraction, total):
    years = YEARS[:12]
    rate, wages = per_year(rates, years), per_year(1e12, years)
    ds = fund_accounts(by_branch(contributions), by_branch(benefits), opening(total), rate, admin_fraction, wages)
    assert_identity(ds)
    first = depletion_year(ds["reserve_total"])
    negative = ds["reserve_total"].values < 0
    assert first == (int(years[negative][0]) if negative.any() else None)
