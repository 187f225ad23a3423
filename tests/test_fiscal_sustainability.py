"""Sustainability verdicts on a synthetic flat economy where every number can be checked by hand."""

import dataclasses

import numpy as np
import pytest
import xarray as xr

from model.errors import ModelInputError
from model.fiscal.debt import debt_path
from model.fiscal.macro import BASES, MACRO_FILE, load_macro, macro_file
from model.fiscal.ssf_fund import BRANCHES, fund_accounts, split_opening_reserve
from model.fiscal.sustainability import assess, overall_verdict, verdict_table

YEARS = np.arange(2023, 2041)
N = len(YEARS)


@pytest.fixture(scope="module")
def flat():
    """GDP 1000 every year, revenue 200, interest 2%, baseline deficit 2 a year, debt 600 at end-2022.

    Baseline debt at the end of year t is 600 + 2 (t - 2022): at most 636 (63.6% of GDP) by 2040.
    """
    real = load_macro(years=range(2023, 2041))

    def constant(value: float) -> np.ndarray:
        return np.full(N, float(value))

    return dataclasses.replace(
        real,
        gdp=constant(1000),
        revenue=constant(200),
        revenue_pct_gdp=constant(20),
        interest_rate=constant(0.02),
        baseline_deficit=constant(2),
        baseline_deficit_pct_gdp=constant(0.2),
        principal_repayment=constant(0),
        debt_stock_flow_adjustment=constant(0),
        opening_public_debt=600.0,
    )


def fiscal_criteria(macro):
    return [c for c in macro.criteria if not c.indicator.startswith("ssf_")]


def spending_from_2030(amount: float) -> xr.DataArray:
    return xr.DataArray(np.where(YEARS >= 2030, amount, 0.0), dims="year", coords={"year": YEARS})


def test_baseline_passes_everything(flat):
    table = verdict_table(assess(debt_path(flat), fiscal_criteria(flat)))
    assert list(table["verdict"]) == ["PASS", "PASS", "met"]  # the deficit target is met, not passed: a warning test
    debt = table.set_index("criterion").loc["public_debt_ceiling"]
    assert debt["worst_year"] == 2040 and debt["worst_value"] == pytest.approx(63.6)
    assert debt["min_headroom_pp"] == pytest.approx(6.4) and debt["min_headroom_thb"] == pytest.approx(64.0)
    assert debt["first_breach_year"] is None


def test_extra_spending_flips_the_debt_verdict_in_the_year_computed_by_hand(flat):
    # Extra debt E_t = 1.02 E_{t-1} + 25 from 2030; baseline debt B_t = 600 + 2 (t - 2022):
    # 2030: 616 + 25 = 641; 2031: 618 + 50.5 = 668.5; 2032: 620 + 76.51 = 696.51; 2033: 622 + 103.04 = 725.04
    expected_year, extra, year = None, 0.0, 2029
    while expected_year is None:
        year += 1
        extra = 1.02 * extra + 25.0
        if 600 + 2 * (year - 2022) + extra > 700:
            expected_year = year
    assert expected_year == 2033
    ds = assess(debt_path(flat, extra_spending=spending_from_2030(25.0)), fiscal_criteria(flat))
    debt = ds.sel(criterion="public_debt_ceiling")
    assert int(debt["first_breach_year"]) == expected_year
    assert bool(debt["passes"].sel(year=expected_year - 1)) and not bool(debt["passes"].sel(year=expected_year))
    row = verdict_table(ds).set_index("criterion").loc["public_debt_ceiling"]
    assert row["verdict"] == "FAIL" and row["first_breach_year"] == expected_year


def test_small_extra_spending_leaves_the_verdict_passing(flat):
    # 3 a year from 2030 accumulates to 3 * (1.02^11 - 1) / 0.02 = 36.5 by 2040: debt 672.5 < 700
    ds = assess(debt_path(flat, extra_spending=spending_from_2030(3.0)), fiscal_criteria(flat))
    assert bool(ds["passes"].all())
    assert np.isnan(ds["first_breach_year"]).all()
    headroom = ds["headroom_pp"].sel(criterion="public_debt_ceiling", year=2040)
    assert float(headroom) == pytest.approx(70 - (636 + 3 * (1.02**11 - 1) / 0.02) / 10)


def test_headroom_in_thb_and_points(flat):
    fiscal = debt_path(flat, extra_spending=spending_from_2030(10.0))
    ds = assess(fiscal, fiscal_criteria(flat))
    debt = ds.sel(criterion="public_debt_ceiling")
    np.testing.assert_allclose(debt["headroom_thb"], 0.70 * 1000 - fiscal["public_debt"])
    np.testing.assert_allclose(debt["headroom_pp"], 70 - fiscal["public_debt_pct_gdp"])
    service = ds.sel(criterion="debt_service_ceiling")
    np.testing.assert_allclose(service["headroom_thb"], 0.35 * 200 - fiscal["debt_service"])


def test_deficit_rule_applies_only_from_2029(flat):
    one_off = xr.DataArray([40.0], dims="year", coords={"year": [2026]})  # deficit 4.2% of GDP in 2026
    ds = assess(debt_path(flat, extra_spending=one_off), fiscal_criteria(flat))
    deficit = ds.sel(criterion="deficit_ceiling")
    assert float(deficit["value"].sel(year=2026)) == pytest.approx(4.2)
    assert not bool(deficit["applies"].sel(year=2026)) and np.isnan(float(deficit["headroom_pp"].sel(year=2026)))
    assert bool(deficit["passes"].all())
    late = xr.DataArray([40.0], dims="year", coords={"year": [2031]})
    ds = assess(debt_path(flat, extra_spending=late), fiscal_criteria(flat))
    assert int(ds["first_breach_year"].sel(criterion="deficit_ceiling")) == 2031


def test_ssf_criteria(flat):
    # per branch: opening 100, net outflow 30 a year, no returns: reserve 70, 40, 10, -20 ... -> 2026
    def flows(value: float) -> xr.DataArray:
        return xr.DataArray(np.full((N, 3), value), dims=("year", "branch"), coords={"year": YEARS, "branch": list(BRANCHES)})

    wages = xr.DataArray(np.full(N, 1000.0), dims="year", coords={"year": YEARS})
    opening = split_opening_reserve(300.0, dict.fromkeys(BRANCHES, 1.0))
    fund = fund_accounts(flows(10.0), flows(40.0), opening, 0.0, 0.0, wages)
    ds = assess(debt_path(flat), flat.criteria, fund)
    assert int(ds["first_breach_year"].sel(criterion="ssf_reserve_positive")) == 2026
    # reserve / outgo: 70/40, 40/40 (= 100%, passes), 10/40 -> first below one year of outgo in 2025
    assert int(ds["first_breach_year"].sel(criterion="ssf_reserve_ratio_floor")) == 2025
    reserve = ds.sel(criterion="ssf_reserve_positive")
    np.testing.assert_allclose(reserve["headroom_thb"], fund["reserve"].sel(branch="old_age"))
    table = verdict_table(ds).set_index("criterion")
    assert table.loc["ssf_reserve_positive", "verdict"] == "FAIL"
    assert table.loc["public_debt_ceiling", "verdict"] == "PASS"


def test_ssf_solvency_is_tested_on_the_old_age_branch_not_the_pool(flat):
    # old age: opening 100, outflow 30 a year -> negative in 2026; the other branches' surpluses (+50 a year each)
    # keep the pooled fund positive throughout, yet the binding solvency criterion fails in 2026
    contributions = np.tile([10.0, 60.0, 60.0], (N, 1))
    benefits = np.tile([40.0, 10.0, 10.0], (N, 1))
    coords = {"year": YEARS, "branch": list(BRANCHES)}
    wages = xr.DataArray(np.full(N, 1000.0), dims="year", coords={"year": YEARS})
    fund = fund_accounts(xr.DataArray(contributions, dims=("year", "branch"), coords=coords),
                         xr.DataArray(benefits, dims=("year", "branch"), coords=coords),
                         split_opening_reserve(300.0, dict.fromkeys(BRANCHES, 1.0)), 0.0, 0.0, wages)
    assert bool((fund["reserve_total"] > 0).all())
    ds = assess(debt_path(flat), flat.criteria, fund)
    assert int(ds["first_breach_year"].sel(criterion="ssf_reserve_positive")) == 2026
    assert str(ds["indicator"].sel(criterion="ssf_reserve_positive").values) == "ssf_old_age_reserve_pct_gdp"


def test_dataset_shape_and_table_columns(flat):
    ds = assess(debt_path(flat), fiscal_criteria(flat))
    assert ds["passes"].dims == ("year", "criterion")
    assert list(ds["criterion"].values) == ["public_debt_ceiling", "debt_service_ceiling", "deficit_ceiling"]
    assert ds["headroom_thb"].attrs["units"] == "THB"
    assert "S140" in str(ds["source"].sel(criterion="public_debt_ceiling").values)
    columns = verdict_table(ds).columns
    assert list(columns) == [
        "criterion", "basis", "role", "comparison", "limit", "worst_value", "worst_year", "min_headroom_pp", "min_headroom_thb",
        "first_breach_year", "verdict",
    ]


def test_ssf_criterion_without_fund_is_an_error(flat):
    with pytest.raises(ModelInputError, match="ssf_reserve_positive"):
        assess(debt_path(flat), flat.criteria)


def test_every_criterion_declares_its_basis_and_role():
    criteria = load_macro().criteria
    assert {c.name: (c.basis, c.binding) for c in criteria} == {
        "public_debt_ceiling": ("law", True), "debt_service_ceiling": ("law", True),
        "deficit_ceiling": ("framework_target", False),
        "ssf_reserve_positive": ("actuarial", True), "ssf_reserve_ratio_floor": ("actuarial", False)}
    assert all(c.basis in BASES for c in criteria)
    assert all("section 50" in c.legal_basis for c in criteria if c.basis == "law")
    unevaluated = macro_file().criteria_not_evaluated["section_28_obligations_ceiling"]
    assert unevaluated.basis == "law" and "section 28" in unevaluated.legal_basis and "32%" in unevaluated.limit


@pytest.mark.parametrize("edit, message", [
    ("basis: framework_target\n    binding: false", "deficit_ceiling"),  # unchanged: valid
    ("basis: framework_target\n    binding: true", "'framework_target' is a warning"),
    ("basis: law\n    binding: false", "'law' is binding"),
    ("basis: law\n    binding: true", "needs 'legal_basis'"),
    ("basis: statute\n    binding: false", "basis"),
])
def test_basis_rules_are_validated(tmp_path, edit, message):
    text = MACRO_FILE.read_text(encoding="utf-8")
    target = "basis: framework_target\n    binding: false"
    assert text.count(target) == 1
    path = tmp_path / "macro.yaml"
    path.write_text(text.replace(target, edit), encoding="utf-8")
    if edit == target:
        assert macro_file(path).sustainability_criteria["deficit_ceiling"].basis == "framework_target"
        return
    with pytest.raises(ModelInputError, match=message):
        macro_file(path)


def test_a_breached_target_is_a_warning_and_the_verdict_passes(flat):
    # 40 extra in 2031 only: deficit (2 + 40) / 1000 = 4.2% of GDP > 3% target; debt at the end of
    # 2031 is 600 + 2 x 9 + 40 = 658 (65.8% < 70%), debt service (interest 2% of at most 658+) far under 35%.
    late = xr.DataArray([40.0], dims="year", coords={"year": [2031]})
    ds = assess(debt_path(flat, extra_spending=late), fiscal_criteria(flat))
    assert float(ds["value"].sel(criterion="deficit_ceiling", year=2031)) == pytest.approx(4.2)
    assert float(ds["value"].sel(criterion="public_debt_ceiling", year=2031)) == pytest.approx(65.8)
    table = verdict_table(ds).set_index("criterion")
    assert table.loc["deficit_ceiling", "verdict"] == "warning" and table.loc["deficit_ceiling", "role"] == "warning"
    assert list(table.loc[["public_debt_ceiling", "debt_service_ceiling"], "verdict"]) == ["PASS", "PASS"]
    assert overall_verdict(ds)
    # a breach of a legal ceiling fails it: 80 extra a year from 2030 takes debt over 70% (see above)
    assert not overall_verdict(assess(debt_path(flat, extra_spending=spending_from_2030(80.0)), fiscal_criteria(flat)))


def test_a_breached_reserve_ratio_warns_but_depletion_fails(flat):
    # the flat fund of test_ssf_criteria: ratio below 100% from 2025 (warning), depleted in 2026 (binding)
    def flows(value: float) -> xr.DataArray:
        return xr.DataArray(np.full((N, 3), value), dims=("year", "branch"), coords={"year": YEARS, "branch": list(BRANCHES)})

    wages = xr.DataArray(np.full(N, 1000.0), dims="year", coords={"year": YEARS})
    opening = split_opening_reserve(300.0, dict.fromkeys(BRANCHES, 1.0))
    ssf = [c for c in flat.criteria if c.name == "ssf_reserve_ratio_floor"]
    only_ratio = assess(debt_path(flat), fiscal_criteria(flat) + ssf, fund_accounts(flows(10.0), flows(40.0), opening, 0.0, 0.0, wages))
    assert verdict_table(only_ratio).set_index("criterion").loc["ssf_reserve_ratio_floor", "verdict"] == "warning"
    assert overall_verdict(only_ratio)
    both = assess(debt_path(flat), flat.criteria, fund_accounts(flows(10.0), flows(40.0), opening, 0.0, 0.0, wages))
    assert not overall_verdict(both)
