"""The SSF in valuation form: PAYG cost rate and GAP on toy funds computed by hand, the GAP's defining property, the
branch accounts adding up to the pooled fund, the old-age branch in a run, the studies and the CLI report."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.cli import main
from model.errors import ModelInputError
from model.fiscal import actuarial
from model.fiscal.ssf_fund import BRANCHES, fund_accounts, project_reserve, split_opening_reserve

YEARS = [2023, 2024, 2025]


def toy(benefits, *, opening=10.0, rate=0.0, admin=0.0, wages=(100.0, 100.0, 100.0), contributions=None):
    """A 3-year fund whose old-age branch has the given benefits and opening reserve; the other branches are empty
    (an empty branch's GAP is zero; the pooled fund equals the old-age branch)."""
    n = len(benefits)
    years = YEARS[:n] if n <= 3 else list(range(2023, 2023 + n))
    coords = {"year": years, "branch": list(BRANCHES)}
    flows = np.zeros((n, 3))
    flows[:, 0] = benefits
    paid = np.zeros((n, 3))
    if contributions is not None:
        paid[:, 0] = contributions
    opening_by_branch = split_opening_reserve(opening, {"old_age": 1.0, "short_term": 1e-300, "unemployment": 1e-300})
    return fund_accounts(xr.DataArray(paid, dims=("year", "branch"), coords=coords),
                         xr.DataArray(flows, dims=("year", "branch"), coords=coords), opening_by_branch,
                         xr.DataArray(np.full(n, rate), dims="year", coords={"year": years}), admin,
                         xr.DataArray(np.asarray(wages, dtype=float), dims="year", coords={"year": years}))


def test_gap_of_a_three_year_fund_without_returns():
    # no return, no admin, no end reserve: GAP x (100+100+100) + 10 = 5 + 10 + 20, GAP = 25/300 = 8.333%
    accounts = toy([5.0, 10.0, 20.0])
    assert actuarial.general_average_premium(accounts, 3, target_ratio=0.0, account="old_age") == pytest.approx(
        100 * 25 / 300)
    # two years: (5 + 10 - 10) / 200 = 2.5%
    assert actuarial.general_average_premium(accounts, 2, target_ratio=0.0, account="old_age") == pytest.approx(2.5)


def test_gap_of_a_three_year_fund_with_a_ten_percent_return():
    # mid-year flows at r = 10%: weights 1.05/1.1, 1.05/1.1^2, 1.05/1.1^3 = 0.954545, 0.867769, 0.788881
    # PV wages = 100 x 2.611195 = 261.1195; PV benefits = 5 x 0.954545 + 10 x 0.867769 + 20 x 0.788881 = 29.2280
    # GAP = (29.2280 - 10) / 261.1195 = 7.3637%
    gap = actuarial.general_average_premium(toy([5.0, 10.0, 20.0], rate=0.10), 3, target_ratio=0.0,
                                            account="old_age")
    assert gap == pytest.approx(100 * (29.22802 - 10) / 261.11946, rel=1e-5)
    # the year-by-year recursion at that rate ends at zero: R = R(1.1) + (GAP x 100 - B) x 1.05
    reserve = 10.0
    for benefit in (5.0, 10.0, 20.0):
        reserve = reserve * 1.1 + (gap - benefit) * 1.05
    assert reserve == pytest.approx(0.0, abs=1e-9)


def test_gap_with_administration_and_a_one_year_target_reserve():
    # a = 10% of contributions, k = 1 year of the last year's outgo, no return:
    # 10 + 0.9 GAP x 300 - 35 = 1 x (20 + 0.1 GAP x 100)  =>  GAP = (35 + 20 - 10) / (270 - 10) = 45/260 = 17.3077%
    accounts = toy([5.0, 10.0, 20.0], admin=0.1)
    assert actuarial.general_average_premium(accounts, 3, target_ratio=1.0, account="old_age") == pytest.approx(
        100 * 45 / 260)


def test_payg_cost_rate_by_hand():
    # benefits 5 on wages 100 with a tenth of contributions spent on administration: 5 / (0.9 x 100) = 5.556%
    rates = actuarial.payg_cost_rate(toy([5.0, 10.0, 20.0], admin=0.1))
    np.testing.assert_allclose(rates.sel(account="old_age").values, [500 / 90, 1000 / 90, 2000 / 90])
    np.testing.assert_allclose(rates.sel(account="short_term").values, 0.0)


def test_valuation_reports_every_account_and_horizon():
    ds = actuarial.valuation(toy([5.0, 10.0, 20.0], contributions=[8.0, 8.0, 8.0]))
    assert list(ds["account"].values) == list(actuarial.ACCOUNTS)
    assert list(ds["horizon"].values) == [50, 75] and bool(ds["gap_pct"].isnull().all())  # 3 years < 50
    # reserve 10 + 3 - 2 - 12 = -1 at the end of 2025: depleted then; reserve ratio 2023 = 13 / 5
    assert float(ds["depletion_year"].sel(account="old_age")) == 2025
    assert float(ds["reserve_ratio"].sel(account="old_age", year=2023)) == pytest.approx(13 / 5)
    assert np.isnan(float(ds["depletion_year"].sel(account="unemployment")))


def test_gap_errors_name_the_field():
    accounts = toy([5.0, 10.0, 20.0])
    with pytest.raises(ModelInputError, match="horizon_years: 4"):
        actuarial.general_average_premium(accounts, 4, target_ratio=0.0)
    with pytest.raises(ModelInputError, match="account: unknown account 'health'"):
        actuarial.general_average_premium(accounts, 3, target_ratio=0.0, account="health")


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 30), seed=st.integers(0, 2**32 - 1), admin=st.floats(0.0, 0.2),
       target=st.floats(0.0, 3.0))
def test_contributing_the_gap_leaves_the_target_reserve(n, seed, admin, target):
    """The GAP's defining property, through the fund's own projection: contributions of GAP x wages from the first
    year leave, at the end of the horizon, `target` times that year's outgo (benefits + admin)."""
    rng = np.random.default_rng(seed)
    rate = rng.uniform(-0.05, 0.12, n)
    wages = rng.uniform(50.0, 150.0, n)
    benefits = rng.uniform(0.0, 40.0, n)
    opening = float(rng.uniform(0.0, 100.0))
    accounts = toy(benefits, opening=opening, rate=0.0, admin=admin, wages=wages)
    accounts["investment_return"] = ("year", rate)
    gap = actuarial.general_average_premium(accounts, n, target_ratio=target, account="old_age") / 100
    contributions = gap * wages
    reserve, admin_cost, _ = project_reserve(opening, contributions, benefits, admin, rate)
    assert reserve[-1] == pytest.approx(target * (benefits[-1] + admin_cost[-1]), abs=1e-7 * (1 + opening))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(0, 2**32 - 1), admin=st.floats(0.0, 0.2))
def test_branch_accounts_add_up_to_the_pooled_fund(n, seed, admin):
    """Each branch runs its own identity; the pooled fund (the sum of branch flows and openings, projected as one
    fund at the same returns) holds exactly the sum of the branch reserves, as the accounts report it."""
    rng = np.random.default_rng(seed)
    years = list(range(2023, 2023 + n))
    coords = {"year": years, "branch": list(BRANCHES)}
    contributions = rng.uniform(0.0, 100.0, (n, 3))
    benefits = rng.uniform(0.0, 120.0, (n, 3))
    rate = rng.uniform(-0.1, 0.15, n)
    opening = split_opening_reserve(float(rng.uniform(0, 500)), dict(zip(BRANCHES, rng.uniform(0.1, 1.0, 3))))
    fund = fund_accounts(xr.DataArray(contributions, dims=("year", "branch"), coords=coords),
                         xr.DataArray(benefits, dims=("year", "branch"), coords=coords), opening,
                         xr.DataArray(rate, dims="year", coords={"year": years}), admin,
                         xr.DataArray(np.full(n, 1000.0), dims="year", coords={"year": years}))
    for name in ("reserve", "contributions", "benefits", "admin_cost", "investment_income", "outgo"):
        assert np.array_equal(fund[f"{name}_total"].values, fund[name].values.sum(axis=1)), name
    pooled, _, _ = project_reserve(float(opening.sum()), contributions.sum(axis=1), benefits.sum(axis=1), admin, rate)
    np.testing.assert_allclose(fund["reserve_total"].values, pooled, rtol=1e-10, atol=1e-7)
    flows = actuarial.account_flows(fund)
    assert np.array_equal(flows["reserve"].sel(account="pooled").values, fund["reserve_total"].values)


@pytest.fixture(scope="module")
def long_run():
    """Baseline 2023-2097 (the 75-year horizon) at 1,000 persons per row."""
    return model.run("baseline", scale=1000, end_year=2097)


def test_old_age_branch_depletion_is_reported_and_binds_the_verdict(long_run):
    ds = long_run
    old_age = float(ds["ssf_depletion_year_by_branch"].sel(ssf_branch="old_age"))
    assert 2040 <= old_age <= 2097
    reserve = ds["ssf_reserve_by_branch"].sel(ssf_branch="old_age")
    assert float(reserve.sel(year=old_age)) < 0 <= float(reserve.sel(year=old_age - 1))
    assert float(ds["first_breach_year"].sel(criterion="ssf_reserve_positive")) == old_age
    assert not bool(ds["sustainability_verdict"])
    # the pooled fund's depletion year is reported, from reserves that are exactly the sum of the branches
    np.testing.assert_array_equal(ds["ssf_reserve"].values, ds["ssf_reserve_by_branch"].sum("ssf_branch").values)
    pooled = ds["ssf_reserve"].year.where(ds["ssf_reserve"] < 0).min()
    assert float(ds["ssf_depletion_year"]) == float(pooled)
    assert float(ds["ssf_depletion_year_by_branch"].sel(ssf_branch="old_age")) == float(
        ds.sel(ssf_account="old_age")["ssf_reserve_ratio_by_account"].year.where(
            ds.sel(ssf_account="old_age")["ssf_reserve_ratio_by_account"] < 0).min())


def test_run_carries_the_valuation(long_run):
    ds = long_run
    gap = ds["ssf_general_average_premium_pct"]
    assert gap.dims == ("ssf_account", "gap_horizon") and list(gap["gap_horizon"].values) == [50, 75]
    assert bool(gap.notnull().all())
    # the old-age branch is under-financed: its GAP is above its legislated income rate, more so over 75 years
    income = float(ds["ssf_income_rate_by_account_pct"].sel(ssf_account="old_age", year=2023))
    assert income < float(gap.sel(ssf_account="old_age", gap_horizon=50)) < float(
        gap.sel(ssf_account="old_age", gap_horizon=75))
    payg = ds["ssf_payg_cost_rate_pct"].sel(ssf_account="old_age")
    assert float(payg.sel(year=2060)) > 3 * float(payg.sel(year=2023))
    assert ds.attrs["ssf_valuation_date"] == "2022-12-31" and ds.attrs["ssf_gap_target_reserve_ratio"] == 1.0
    table = actuarial.reconciliation(ds).set_index("study")
    assert table.loc["sso_ilo_2020", "depletion_year"] == 2054
    assert table.loc["sso_ilo_2020", "difference_years"] == table.loc["sso_ilo_2020", "model_depletion_year"] - 2054
    assert table.loc["sso_ilo_2020", "model_rate_pct"] == pytest.approx(float(gap.sel(ssf_account="old_age",
                                                                                       gap_horizon=75)))


def test_short_run_leaves_gap_undefined(baseline_1000):
    assert bool(baseline_1000["ssf_general_average_premium_pct"].isnull().all())


def test_scenarios_that_touch_the_fund():
    from model.actuarial_report import fund_scenarios

    names = fund_scenarios()
    assert names[0] == "baseline"
    assert {"ssf_pension_age_60", "ssf_ceiling_frozen", "s40_expansion"} <= set(names)
    assert not {"oaa_flat_1000", "universal_csg_2026"} & set(names)


def test_cli_actuarial_report(capsys):
    assert main(["actuarial", "baseline", "ssf_pension_age_60", "--scale", "5000"]) == 0
    text = capsys.readouterr().out
    assert "GAP 75y %" in text and "sso_ilo_2020" in text and "ssf_pension_age_60" in text
    assert text.index("valuation form") < text.index("Published studies") < text.index("by scenario")


def test_cli_actuarial_bad_scenario(capsys):
    assert main(["actuarial", "no_such_scenario", "--scale", "5000"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no_such_scenario" in err and len(err.strip().splitlines()) == 1
