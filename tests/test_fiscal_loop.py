"""The closed fiscal loop: debt follows the model's current-law cost, not only a reform's cost above it."""

import numpy as np
import pytest
import xarray as xr

import model
from model.api import reference_scenario, resolve
from model.fiscal.debt import debt_path, framework_primary_balance, framework_social_spending
from model.fiscal.macro import employment_path, load_macro

SCALE = 1000
END = 2045


@pytest.fixture(scope="module")
def baseline():
    return model.run("baseline", scale=SCALE, end_year=END)


@pytest.fixture(scope="module")
def longer_lives():
    scenario = resolve("baseline", scale=SCALE, end_year=END)
    demography = {**scenario.demography.model_dump(), "mortality_multiplier": 0.7}
    return model.run(scenario.replaced(name="longer_lives", demography=demography))


def test_longer_lives_raise_debt(baseline, longer_lives):
    assert not longer_lives.extra_spending.any()  # no parameter overrides: all of the change is current law
    gap = float(longer_lives.public_debt_pct_gdp.sel(year=END) - baseline.public_debt_pct_gdp.sel(year=END))
    assert gap >= 0.5


def test_extra_current_law_cost_moves_debt_by_the_identity(baseline, longer_lives):
    # Through the framework's horizon both runs share the macro path and the reference, so the framework finances
    # the same spending and the primary balance differs by the extra government cost. Beyond it GDP follows each
    # run's employment (model.fiscal.macro), so revenue and other spending, held as shares of GDP, differ too:
    # the primary balance differs by (revenue share - other spending share) x the GDP difference - the extra cost.
    # Debt differs by that difference cumulated with interest.
    horizon = baseline.attrs["framework_horizon"]
    through = baseline.year.values <= horizon
    np.testing.assert_allclose(longer_lives.framework_social_spending[through],
                               baseline.framework_social_spending[through], rtol=0)
    extra_cost = (longer_lives.government_cost - baseline.government_cost).values
    np.testing.assert_allclose((longer_lives.current_law_excess - baseline.current_law_excess)[through],
                               extra_cost[through], rtol=1e-9, atol=1.0)
    years = range(2023, END + 1)
    run_macro = {name: load_macro(years=years, employment=employment_path(ds))
                 for name, ds in (("base", baseline), ("longer", longer_lives))}
    other = baseline.attrs["other_primary_spending_pct_gdp"] / 100.0
    assert longer_lives.attrs["other_primary_spending_pct_gdp"] == baseline.attrs["other_primary_spending_pct_gdp"]
    d_revenue = run_macro["longer"].revenue - run_macro["base"].revenue
    d_gdp = run_macro["longer"].gdp - run_macro["base"].gdp
    d_primary = np.where(through, -extra_cost, d_revenue - other * d_gdp - extra_cost)
    np.testing.assert_allclose((longer_lives.primary_balance - baseline.primary_balance).values, d_primary,
                               rtol=1e-9, atol=1e3)
    rate = run_macro["base"].interest_rate
    expected, carried = [], 0.0
    for t, change in enumerate(d_primary):
        carried = carried * (1.0 + rate[t]) - change
        expected.append(carried)
    difference = (longer_lives.public_debt - baseline.public_debt).values
    np.testing.assert_allclose(difference, expected, rtol=1e-9, atol=1e3)
    assert difference[-1] > 0


def test_baseline_keeps_the_framework_through_its_horizon(baseline):
    horizon = baseline.attrs["framework_horizon"]
    through = baseline.sel(year=slice(None, horizon))
    assert float(abs(through.current_law_excess).max()) == 0.0
    published = {2026: 68.17, 2027: 69.36, 2028: 69.78, 2029: 69.52, 2030: 68.22}
    for year, ratio in published.items():
        assert float(baseline.public_debt_pct_gdp.sel(year=year)) == pytest.approx(ratio, abs=1e-9)
    # the difference between the model's current law and what the framework finances is reported
    np.testing.assert_allclose(baseline.current_law_excess, baseline.government_cost - baseline.framework_social_spending,
                               rtol=1e-12, atol=1.0)


def test_beyond_the_horizon_primary_balance_is_revenue_less_other_spending_less_government_cost(baseline):
    horizon = baseline.attrs["framework_horizon"]
    other = baseline.attrs["other_primary_spending_pct_gdp"] / 100.0
    macro = load_macro(years=range(2023, END + 1), employment=employment_path(baseline))  # the run's own path
    after = baseline.year.values > horizon
    expected = macro.revenue - other * macro.gdp - baseline.government_cost.values
    np.testing.assert_allclose(baseline.primary_balance.values[after], expected[after], rtol=1e-9)
    # at the horizon the same rule reproduces the framework's primary balance (the calibration of `other`)
    h = int(np.flatnonzero(baseline.year.values == horizon)[0])
    assert expected[h] == pytest.approx(framework_primary_balance(macro)[h], rel=1e-9)


def test_framework_social_spending_by_hand():
    macro = load_macro(years=range(2023, 2036))
    years = macro.years
    cost = xr.DataArray(np.linspace(8e11, 1.2e12, len(years)), dims="year", coords={"year": years})
    financed, other_pct = framework_social_spending(macro, cost)
    h = int(np.flatnonzero(years == macro.framework_horizon)[0])
    primary0 = framework_primary_balance(macro)
    share = (macro.revenue[h] - primary0[h] - cost.values[h]) / macro.gdp[h]
    assert other_pct == pytest.approx(100.0 * share, rel=1e-12)
    np.testing.assert_allclose(financed.values[: h + 1], cost.values[: h + 1], rtol=0)
    np.testing.assert_allclose(financed.values[h + 1:], (macro.revenue - share * macro.gdp - primary0)[h + 1:], rtol=1e-12)
    # with that cost, the primary balance beyond the horizon is revenue - other spending - the cost
    path = debt_path(macro, current_law_excess=cost - financed)
    expected = macro.revenue - share * macro.gdp - cost.values
    np.testing.assert_allclose(path.primary_balance.values[h:], expected[h:], rtol=1e-9)
    np.testing.assert_allclose(path.public_debt.values[: h + 1], debt_path(macro).public_debt.values[: h + 1], rtol=0)


def test_other_spending_override_after_the_horizon():
    years = range(2023, 2036)
    held = load_macro(years=years)
    cost = xr.DataArray(np.full(len(held.years), 9e11), dims="year", coords={"year": held.years})
    _, other_pct = framework_social_spending(held, cost)
    raised = load_macro({"other_primary_spending_pct_gdp": {2033: other_pct + 1.0}}, years=years)
    base = debt_path(held, current_law_excess=cost - framework_social_spending(held, cost)[0])
    more = debt_path(raised, current_law_excess=cost - framework_social_spending(raised, cost)[0])
    change = (more.primary_balance - base.primary_balance).values
    np.testing.assert_allclose(change[held.years == 2033], -0.01 * held.gdp[held.years == 2033], rtol=1e-9)
    np.testing.assert_allclose(change[held.years != 2033], 0.0, atol=1e-3)
    # before the horizon the framework's deficits rule and the override has no effect
    early = load_macro({"other_primary_spending_pct_gdp": {2027: 50.0}}, years=years)
    np.testing.assert_allclose(framework_social_spending(early, cost)[0], framework_social_spending(held, cost)[0], rtol=0)


def test_runs_that_end_at_the_horizon_need_no_calibration():
    macro = load_macro(years=range(2023, 2031))
    cost = xr.DataArray(np.full(8, 9e11), dims="year", coords={"year": macro.years})
    financed, other_pct = framework_social_spending(macro, cost)
    assert other_pct is None
    np.testing.assert_allclose(financed, cost, rtol=0)


def test_reference_is_the_shipped_baseline_at_the_run_scale_seed_and_end():
    scenario = resolve("low_growth", scale=SCALE, seed=7, end_year=2040)
    reference = reference_scenario(scenario)
    assert (reference.scale, reference.seed, reference.years.end) == (SCALE, 7, 2040)
    assert reference.macro == resolve("baseline").macro and reference.demography == resolve("baseline").demography
    assert not reference.parameters
