"""The macro loader: data reproduced, interpolation and extension rules, overrides, validation errors."""

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from model.errors import ModelInputError
from model.fiscal.macro import MACRO_FILE, SERIES_META, load_macro

BN = 1e9
RAW = yaml.safe_load(MACRO_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def macro():
    return load_macro()


def at(macro, name, year):
    return getattr(macro, name)[year - 2023]


def test_default_years_and_dataset_units(macro):
    assert macro.years[0] == 2023 and macro.years[-1] == 2100
    ds = macro.to_dataset()
    assert list(ds["year"].values) == list(range(2023, 2101))
    for name, (units, _) in SERIES_META.items():
        assert ds[name].attrs["units"] == units
    assert ds["cpi"].sel(year=2023) == 1.0 and ds["wage_index"].sel(year=2023) == 1.0


@pytest.mark.parametrize("name", ["real_growth", "inflation", "real_wage_growth", "interest_rate", "ssf_investment_return"])
def test_rate_points_reproduced(macro, name):
    for year, point in RAW["series"][name]["points"].items():
        assert at(macro, name, year) == pytest.approx(point["value"], abs=1e-15)


@pytest.mark.parametrize("name", ["revenue", "appropriation_budget", "baseline_deficit"])
def test_level_points_reproduced(macro, name):
    for year, point in RAW["series"][name]["points"].items():
        assert at(macro, name, year) == pytest.approx(point["value"] * BN, rel=1e-12)


def test_gdp_sourced_levels_and_mtff_derivation(macro):
    assert at(macro, "gdp", 2023) == 17900 * BN
    assert at(macro, "gdp", 2024) == pytest.approx(18600 * BN, rel=1e-12)
    assert at(macro, "gdp", 2026) == pytest.approx(860 * BN / 0.044, rel=1e-12)
    assert at(macro, "gdp", 2030) == pytest.approx(481 * BN / 0.021, rel=1e-12)
    # the published deficit ratios are reproduced at the anchors and within rounding in 2027-2028
    for year, published in {2026: 4.4, 2027: 3.9, 2028: 3.3, 2030: 2.1}.items():
        assert abs(at(macro, "baseline_deficit_pct_gdp", year) - published) <= 0.1
    # geometric interpolation between anchors
    assert at(macro, "gdp", 2025) == pytest.approx(np.sqrt(18600 * BN * 860 * BN / 0.044), rel=1e-12)


def test_fiscal_year_budget_ratios(macro):
    # C3.2: FY2023 spending was 17.79% of GDP, revenue ~14.9% in 2023
    assert at(macro, "appropriation_budget_pct_gdp", 2023) == pytest.approx(17.79, abs=0.01)
    assert at(macro, "principal_repayment", 2025) == pytest.approx(0.04 * 3752 * BN, rel=1e-12)


def test_ssf_and_debt_opening_values(macro):
    assert macro.opening_public_debt == 10373.9 * BN
    assert macro.ssf_opening_reserve == 2280 * BN
    assert sum(macro.ssf_opening_reserve_split.values()) == pytest.approx(1.0)
    assert macro.ssf_opening_reserve_split["old_age"] == pytest.approx(0.87)  # cited split: old age 87, short term 4, unemployment 9
    assert macro.ssf_opening_reserve_split["unemployment"] == pytest.approx(0.09)
    assert {c.name for c in macro.criteria} >= {"public_debt_ceiling", "debt_service_ceiling", "deficit_ceiling"}


def test_interpolation_between_points(macro):
    assert at(macro, "inflation", 2027) == pytest.approx(0.016)
    assert at(macro, "real_growth", 2029) == pytest.approx(0.03)


def test_extension_rules(macro):
    assert at(macro, "real_growth", 2045) == pytest.approx(0.03 + (0.015 - 0.03) * 15 / 30)
    assert np.allclose(macro.real_growth[2060 - 2023 :], 0.015)
    assert np.allclose(macro.inflation[2028 - 2023 :], 0.02)
    for name in ("revenue_pct_gdp", "appropriation_budget_pct_gdp", "baseline_deficit_pct_gdp"):
        assert np.allclose(getattr(macro, name)[2030 - 2023 :], at(macro, name, 2030), rtol=1e-12)
    t = np.arange(2031, 2101) - 2023
    assert np.allclose(macro.gdp[t] / macro.gdp[t - 1], (1 + macro.real_growth[t]) * (1 + macro.inflation[t]))
    assert np.allclose(macro.gdp_deflator_growth[t], macro.inflation[t])
    assert np.all(macro.debt_stock_flow_adjustment[t] == 0.0)
    assert np.allclose(macro.wage_growth, (1 + macro.inflation) * (1 + macro.real_wage_growth) - 1)
    assert np.allclose(macro.cpi[1:] / macro.cpi[:-1], 1 + macro.inflation[1:])


def test_years_subset():
    short = load_macro(years=range(2023, 2038))
    full = load_macro()
    assert list(short.years) == list(range(2023, 2038))
    assert np.array_equal(short.gdp, full.gdp[:15])


def test_scalar_growth_override_moves_gdp_consistently(macro):
    faster = load_macro({"real_growth": 0.04})
    assert faster.gdp[0] == macro.gdp[0]
    assert np.all(faster.gdp[1:] > macro.gdp[1:])
    # the implied deflator is kept: GDP ratio = (1 + new growth) / (1 + old growth) compounded
    expected = np.cumprod((1.04 / (1 + macro.real_growth[1:])))
    assert np.allclose(faster.gdp[1:] / macro.gdp[1:], expected, rtol=1e-12)
    # shares kept, levels follow GDP
    assert np.allclose(faster.revenue_pct_gdp, macro.revenue_pct_gdp)
    assert np.allclose(faster.revenue / faster.gdp, macro.revenue / macro.gdp)


def test_year_override_moves_only_later_gdp(macro):
    changed = load_macro({"real_growth": {2030: 0.05}})
    before, after = slice(0, 2030 - 2023), slice(2030 - 2023, None)
    assert np.array_equal(changed.gdp[before], macro.gdp[before])
    assert np.allclose(changed.gdp[after] / macro.gdp[after], 1.05 / 1.03)
    assert changed.real_growth[2031 - 2023] == macro.real_growth[2031 - 2023]


def test_inflation_override_moves_prices_wages_and_gdp(macro):
    changed = load_macro({"inflation": {"2030": 0.03}})
    i = 2030 - 2023
    assert changed.cpi[i] / changed.cpi[i - 1] == pytest.approx(1.03)
    assert changed.wage_growth[i] == pytest.approx(1.03 * 1.02 - 1)
    assert changed.gdp[i] / macro.gdp[i] == pytest.approx(1.03 / 1.02)


def test_share_and_wage_overrides(macro):
    changed = load_macro({"revenue_pct_gdp": 16.0, "wage_growth": {2025: 0.05}})
    assert np.allclose(changed.revenue[1:], 0.16 * changed.gdp[1:])
    assert changed.revenue[0] == macro.revenue[0]
    assert changed.wage_index[2] == pytest.approx(macro.wage_index[1] * 1.05)


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"gdp_growth": 0.03}, "gdp_growth"),
        ({"gdp": 1e13}, "macro.gdp: is derived"),
        ({"real_growth": 3.0}, "macro.real_growth: value 3.0"),
        ({"revenue_pct_gdp": 0.16}, "macro.revenue_pct_gdp: value 0.16"),
        ({"inflation": {2023: 0.02}}, "macro.inflation: year 2023"),
        ({"inflation": {"next": 0.02}}, "macro.inflation: year 'next'"),
        ({"inflation": "high"}, "macro.inflation: value must be a number"),
        ({"inflation": True}, "macro.inflation: value must be a number"),
    ],
)
def test_bad_overrides_name_the_field(overrides, fragment):
    with pytest.raises(ModelInputError) as error:
        load_macro(overrides)
    assert fragment in str(error.value)


@pytest.mark.parametrize("years", [range(2024, 2030), range(2023, 2102), range(2023, 2030, 2), range(2023, 2023)])
def test_bad_years(years):
    with pytest.raises(ModelInputError, match="years"):
        load_macro(years=years)


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "macro.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def broken(edit):
    data = copy.deepcopy(RAW)
    edit(data)
    return data


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda d: d["series"]["gdp"].update(colour="blue"), "field 'series.gdp.colour': unknown key"),
        (lambda d: d["series"].update(gdp_growth={}), "field 'series.gdp_growth': unknown key"),
        (lambda d: d["series"]["gdp"]["points"][2023].update(value=-17900.0), "field 'series.gdp.points.2023.value'"),
        (lambda d: d["series"]["revenue"]["points"][2024].update(value=-1.0), "field 'series.revenue.points.2024.value'"),
        (lambda d: d["series"]["real_growth"]["points"][2023].update(value="fast"), "field 'series.real_growth.points.2023.value'"),
        (lambda d: d["series"]["real_growth"]["points"][2023].update(value=2.0), "field 'series.real_growth.points.2023.value'"),
        (lambda d: d["series"]["real_growth"].update(unit="percent"), "field 'series.real_growth.unit'"),
        (lambda d: d["series"]["inflation"]["points"][2023].pop("reference"), "field 'series.inflation.points.2023'"),
        (lambda d: d["series"]["inflation"]["points"][2023].update(reference=["S999"]),
         "field 'series.inflation.points.2023.reference.0.source': not a source id of model/sources.yaml (got 'S999')"),
        (lambda d: d["series"]["gdp"]["points"][2023].update(derive="mtff_deficit_ratio"), "series.gdp.points.2023"),
        (lambda d: d["series"]["real_growth"]["extension"].update(by_year=2029), "series.real_growth.extension.by_year"),
        (lambda d: d["series"]["real_growth"]["points"].pop(2023), "series.real_growth.points"),
        (lambda d: d["series"]["public_debt"]["points"].pop(2025), "series.public_debt.points"),
        (lambda d: d["ssf"]["opening_reserve"].update(value=0), "field 'ssf.opening_reserve.value'"),
        (lambda d: d["ssf"]["opening_reserve_split"]["shares_pct"].pop("unemployment"), "ssf.opening_reserve_split"),
        (lambda d: d["sustainability_criteria"]["deficit_ceiling"].update(indicator="debt"), "indicator"),
        (lambda d: d.pop("series"), "field 'series'"),
    ],
)
def test_bad_file_names_the_field(tmp_path, edit, fragment):
    with pytest.raises(ModelInputError) as error:
        load_macro(path=write(tmp_path, broken(edit)))
    assert fragment in str(error.value)


def test_missing_and_unparseable_files(tmp_path):
    with pytest.raises(ModelInputError, match="no such file"):
        load_macro(path=tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("series: [unclosed", encoding="utf-8")
    with pytest.raises(ModelInputError, match="not valid YAML"):
        load_macro(path=bad)


def test_every_point_has_provenance():
    for name, series in RAW["series"].items():
        for year, point in series["points"].items():
            assert point.get("reference") or (point.get("assumption") and point.get("reason")), (name, year)


# --- coherent growth beyond the framework's horizon (employment in the model + labour productivity) --------------

HORIZON = 2030


def test_real_wages_follow_labour_productivity_after_the_horizon(macro):
    productivity = RAW["series"]["labour_productivity_growth"]["points"][2023]["value"]
    assert at(macro, "real_wage_growth", HORIZON) == RAW["series"]["real_wage_growth"]["points"][2023]["value"]
    for year in (HORIZON + 1, 2060, 2100):
        assert at(macro, "real_wage_growth", year) == productivity
        assert at(macro, "wage_growth", year) == pytest.approx((1 + at(macro, "inflation", year)) * (1 + productivity) - 1)


def test_real_growth_is_employment_growth_plus_productivity_after_the_horizon(macro):
    employment = {2029: 40e6, 2030: 39.8e6, 2031: 39.6e6, 2032: 39.0e6}
    linked = load_macro(employment=employment)
    p = at(macro, "labour_productivity_growth", 2031)
    assert at(linked, "real_growth", 2031) == pytest.approx(1.025 * 39.6 / 39.8 - 1, abs=1e-15) and p == 0.025
    assert at(linked, "real_growth", 2032) == pytest.approx(1.025 * 39.0 / 39.6 - 1, abs=1e-15)
    # within the horizon and after the employment ends the file's path holds; GDP compounds the new growth with CPI
    for year in (2030, 2033, 2050):
        assert at(linked, "real_growth", year) == at(macro, "real_growth", year)
    assert at(linked, "gdp", 2030) == at(macro, "gdp", 2030)
    assert at(linked, "gdp", 2032) == pytest.approx(
        at(macro, "gdp", 2030) * (1.025 * 39.6 / 39.8) * 1.02 * (1.025 * 39.0 / 39.6) * 1.02, rel=1e-12)
    # a scenario's real growth for a year wins over the rule
    given = load_macro({"real_growth": {2031: 0.01}}, employment=employment)
    assert at(given, "real_growth", 2031) == 0.01
    assert at(given, "real_growth", 2032) == at(linked, "real_growth", 2032)


@settings(max_examples=50, deadline=None)
@given(changes=st.lists(st.floats(-0.05, 0.03), min_size=5, max_size=30))
def test_labour_share_is_constant_after_the_horizon_when_wages_per_worker_follow_the_wage_index(changes):
    # A wage bill of employment × an average wage that grows with the wage index is a constant share of GDP from the
    # horizon on, whatever employment does.
    years = range(HORIZON, HORIZON + len(changes) + 1)
    employment = dict(zip(years, 40e6 * np.cumprod([1.0, *(1 + np.array(changes))])))
    macro = load_macro(employment=employment)
    i = np.array(list(years)) - 2023
    share = np.array(list(employment.values())) * macro.wage_index[i] / macro.gdp[i]
    np.testing.assert_allclose(share, share[0], rtol=1e-12)


@pytest.mark.parametrize("employment, fragment", [
    ({2031: 0.0}, "employment: persons in work in 2031 must be a positive number"),
    ({2031: float("nan")}, "employment: persons in work in 2031"),
    ({2031: "many"}, "employment: persons in work in 2031"),
])
def test_bad_employment_names_the_year(employment, fragment):
    with pytest.raises(ModelInputError, match=fragment):
        load_macro(employment=employment)


def test_productivity_override_moves_wages_and_linked_growth(macro):
    employment = {2030: 40e6, 2031: 40e6}
    faster = load_macro({"labour_productivity_growth": 0.03}, employment=employment)
    assert at(faster, "real_wage_growth", 2031) == 0.03 and at(faster, "real_growth", 2031) == pytest.approx(0.03)
    assert at(faster, "real_wage_growth", 2030) == at(macro, "real_wage_growth", 2030)  # data within the horizon
