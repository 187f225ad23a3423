"""Health cost that ages (model.schemes.health_cost) and the coherent macro path of a long run: the decomposition adds
up, the health index compounds the excess cost growth over wages, and in the baseline to 2060 the labour share is
stable while health cost rises as a share of GDP."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.errors import ModelInputError
from model.fiscal.macro import load_macro
from model.schemes import health_cost

from scheme_cases import TREE

HEALTH = list(health_cost.HEALTH_COST_SCHEMES)


def _over_years(values: np.ndarray) -> xr.DataArray:
    return xr.DataArray(values, dims=("year", "health_scheme"),
                        coords={"year": 2023 + np.arange(values.shape[0]), "health_scheme": HEALTH})


def test_decomposition_by_hand():
    # Year 1: 100 members, age-weighted 100, cost 1,000 of which 100 fixed: unit cost 9. Year 2: 90 members weighing
    # 99 (older), cost 1,300 of which 110 fixed: unit cost 1,190 / 99. Members -10 × 1 × 9 = -90; ageing 90 × (1.1 -
    # 1) × 9 = 81; unit cost 99 × (1,190 / 99 - 9) + 10 = 1,190 - 891 + 10 = 309; 1,000 - 90 + 81 + 309 = 1,300.
    cost, members = _over_years(np.array([[1000.0, 0], [1300, 0]])), _over_years(np.array([[100.0, 0], [90, 0]]))
    weighted, fixed = _over_years(np.array([[100.0, 0], [99, 0]])), _over_years(np.array([[100.0, 0], [110, 0]]))
    parts = health_cost.decomposition(cost, members, weighted, fixed).sel(health_scheme="universal_coverage", year=2024)
    np.testing.assert_allclose(parts.values, [1000, -90, 81, 309])
    assert list(parts["component"].values) == list(health_cost.COMPONENTS)


positive = st.floats(1.0, 1e9)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(0, 5e7), st.floats(0.5, 3.0), positive, st.floats(0, 1.0)),
                     min_size=1, max_size=12))
def test_components_add_up_to_the_cost(rows):
    members = np.array([r[0] for r in rows])
    weighted = members * np.array([r[1] for r in rows])
    fixed = np.array([r[2] * r[3] for r in rows])
    cost = weighted * np.array([r[2] for r in rows]) / 1e6 + fixed
    stack = lambda a: _over_years(np.column_stack([a, a[::-1]]))  # noqa: E731 - two schemes, any order of years
    parts = health_cost.decomposition(stack(cost), stack(members), stack(weighted), stack(fixed))
    np.testing.assert_allclose(parts.sum("component").values, stack(cost).values, rtol=1e-9, atol=1e-3)
    assert (parts.isel(year=0).sel(component=["members", "ageing", "unit_cost"]) == 0).all()


def test_health_index_is_wages_times_the_excess_growth():
    wage = {2022: 0.97, 2023: 1.0, 2024: 1.03, 2025: 1.07}
    index = health_cost.health_index(TREE, wage)
    excess = float(TREE.mid_year(health_cost.EXCESS_GROWTH, 2024))
    assert excess == 0.01
    np.testing.assert_allclose([index[y] for y in wage], [0.97, 1.0 * 1.01, 1.03 * 1.01**2, 1.07 * 1.01**3])
    # a reform of the excess growth from 2025 leaves the index's earlier growth alone
    reform = TREE.with_overrides({health_cost.EXCESS_GROWTH: {"2025-01-01": 0.03}})
    changed = health_cost.health_index(reform, wage)
    assert changed[2024] / changed[2023] == pytest.approx(index[2024] / index[2023])
    assert changed[2025] / changed[2024] == pytest.approx(1.07 / 1.03 * 1.03)


@pytest.mark.parametrize("text, fragment", [
    ("title: x\nprofiles: {}\n", "missing scheme 'universal_coverage'"),
    ("title: x\nprofiles:\n  universal_coverage: {bands: {5: 1.0}, assumption: true, reason: r}\n"
     "  csmbs: {bands: {0: 1.0}, assumption: true, reason: r}\n", "first band must start at age 0"),
    ("title: x\nprofiles:\n  universal_coverage: {bands: {0: -1.0}, assumption: true, reason: r}\n"
     "  csmbs: {bands: {0: 1.0}, assumption: true, reason: r}\n", "universal_coverage"),
    ("title: x\nprofiles:\n  universal_coverage: {bands: {0: 1.0}}\n  csmbs: {bands: {0: 1.0}, assumption: true, "
     "reason: r}\n", "reference"),
])
def test_bad_profile_file_names_the_field(tmp_path, text, fragment):
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelInputError, match=fragment):
        health_cost.load_profiles(path)


def test_profile_gives_the_base_year_ucs_members_aged_60_and_over_a_third_of_the_cost():
    # NHSO (FY2022): UCS members aged 60+ used one third of the scheme's resources. The model does not record
    # members by age, so the test reads them from a base-year model at the run's scale.
    from model.api import resolve
    from model.schemes.registry import apply_schemes
    from model.simulation import SocialSecurityModel

    m = SocialSecurityModel(resolve("baseline", scale=1000))
    rows = apply_schemes(m.year_context(2023)).schemes["universal_coverage"].rows
    profile = health_cost.load_profiles()["universal_coverage"][m.persons.age[rows]]
    assert profile[m.persons.age[rows] >= 60].sum() / profile.sum() == pytest.approx(1 / 3, abs=0.02)


# --- the baseline to 2060 at scale 1000 ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_run() -> xr.Dataset:
    return model.run("baseline", scale=1000, end_year=2060)


def test_labour_share_is_stable_from_2030_to_2060(long_run):
    share = long_run["labour_share_pct"].sel(year=slice(2030, 2060))
    assert float(share.max() - share.min()) < 2.0
    # it is the wage bill over GDP
    np.testing.assert_allclose(share, 100 * long_run["wage_bill"].sel(year=share.year) / long_run["gdp"].sel(
        year=share.year))


def test_gdp_after_the_horizon_follows_the_runs_employment(long_run):
    macro = load_macro()
    employment = long_run["employment"]
    for year in (2031, 2045, 2060):
        growth = float(long_run["gdp"].sel(year=year) / long_run["gdp"].sel(year=year - 1))
        expected = (1.025 * float(employment.sel(year=year) / employment.sel(year=year - 1))
                    * (1 + macro.inflation[year - 2023]))
        assert growth == pytest.approx(expected, rel=1e-12)


def test_health_cost_share_of_gdp_rises_and_its_decomposition_adds_up(long_run):
    health = long_run["cost_pct_gdp"].sel(scheme=HEALTH).sum("scheme")
    assert float(health.sel(year=2037)) > float(health.sel(year=2023))
    assert float(health.sel(year=2060)) > float(health.sel(year=2037))
    parts = long_run["health_cost_decomposition"]
    cost = long_run["benefit_cost"].sel(scheme=HEALTH).rename(scheme="health_scheme")
    np.testing.assert_allclose(parts.sum("component"), cost.transpose(*parts.sum("component").dims), rtol=1e-12)
    # the members' ageing raises the cost of both schemes by 2060
    assert (parts.sel(year=2060, component="ageing") > 0).all()
    # the base year's age-weighted members are its members: the profile leaves the base year's totals alone
    np.testing.assert_allclose(long_run["health_members_age_weighted"].sel(year=2023),
                               long_run["recipients"].sel(year=2023, scheme=HEALTH), rtol=1e-9)


def test_weighted_and_cost_is_the_relative_cost_sum_and_unit_times_each_relative_cost():
    """The members' age-weighted sum and their costs held by age: the sum of `relative_cost` (numpy's sum), unit ×
    each relative cost, their total (numpy's sum) and their sums by decile and region, bit for bit."""
    from model.fiscal import kernels as fiscal_kernels
    from model.api import resolve
    from model.schemes.base import YearContext
    from model.simulation import SocialSecurityModel

    m = SocialSecurityModel(resolve("baseline", scale=2000))
    rows = np.flatnonzero(m.persons.age % 3 == 0).astype(np.int32)
    unit = 3456.789
    for name in HEALTH:
        ctx = YearContext(m.persons, 2024, TREE)
        relative = health_cost.relative_cost(ctx, name, rows)
        weighted, cost = health_cost.weighted_and_cost(YearContext(m.persons, 2024, TREE), name, rows, unit)
        assert weighted == float(relative.sum())
        assert cost.values().tobytes() == (unit * relative).tobytes()
        assert cost.total == float(np.sum(unit * relative))
        code = (np.arange(len(m.persons)) % 80).astype(np.int8)
        got = cost.sums_by_code(code, rows, 8)
        expected = fiscal_kernels.sums_by_code(code, rows, unit * relative, 8)
        assert all(g.tobytes() == e.tobytes() for g, e in zip(got, expected))
