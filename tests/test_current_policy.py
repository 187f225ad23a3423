"""The current-policy scenario (scenarios/current_policy.yaml): allowances, welfare-card credits and means-test
thresholds held at their 2025 value in real terms from 2026, beside current law's frozen nominal values."""

import numpy as np
import pytest

from model.api import run
from model.fiscal.macro import load_macro
from model.parameters import ParameterTree
from model.scenario import load_scenario

# CPI of the macro path by hand (model/fiscal/macro_assumptions.yaml, headline inflation): 1.2% in 2024-2026,
# 1.6% in 2027 (linear from 1.2% in 2026 to 2.0% in 2028), 2.0% from 2028.
CPI_2037_OVER_2025 = 1.012 * 1.016 * 1.02 ** 10
INDEXED = ("disability_allowance.amount_adult", "disability_allowance.amount_child", "child_support_grant.amount",
           "child_support_grant.income_threshold", "welfare_card.income_threshold",
           "welfare_card.household_income_threshold", "welfare_card.low_income_threshold",
           "welfare_card.goods_credit.standard", "welfare_card.transport_credit", "welfare_card.gas_discount",
           "welfare_card.disability_topup")
OAA_2025 = {"age_60_69": 600, "age_70_79": 700, "age_80_89": 800, "age_90_plus": 1000}  # THB/month, A1.1-A1.4


@pytest.fixture(scope="module")
def trees() -> tuple[ParameterTree, ParameterTree, dict[str, dict[int, float]]]:
    """Current law's tree, current policy's tree and the macro path's CPI (calendar year → index, 2023 = 1)."""
    scenario = load_scenario("current_policy")
    macro = load_macro(scenario.macro)
    cpi = {"cpi": dict(zip(macro.years.tolist(), macro.cpi.tolist()))}
    law = ParameterTree.load()
    return law, law.with_overrides(scenario.parameters), cpi


def test_scenario_loads_on_current_law() -> None:
    scenario = load_scenario("current_policy")
    assert scenario.name == "current_policy"
    assert scenario.macro == load_scenario("baseline").macro
    switches = {path for path in scenario.parameters if path.endswith(".indexation")}
    assert switches == {"old_age_allowance.indexation", "disability_allowance.indexation",
                        "child_support_grant.indexation", "welfare_card.indexation"}


def test_macro_cpi_is_the_hand_worked_path(trees) -> None:
    cpi = trees[2]["cpi"]
    assert cpi[2025] / cpi[2023] == pytest.approx(1.012 ** 2, rel=1e-12)
    assert cpi[2037] / cpi[2025] == pytest.approx(CPI_2037_OVER_2025, rel=1e-12)


@pytest.mark.parametrize("band", OAA_2025)
def test_old_age_allowance_keeps_its_2025_real_value(trees, band: str) -> None:
    law, policy, cpi = trees
    path = f"old_age_allowance.amount.{band}"
    for year in (2023, 2024, 2025):  # unchanged before indexation starts
        np.testing.assert_array_equal(policy.uprated_monthly(path, year, cpi), law.uprated_monthly(path, year, cpi))
    assert law.uprated_monthly(path, 2037, cpi)[0] == OAA_2025[band]  # frozen under current law
    nominal_2037 = policy.uprated_monthly(path, 2037, cpi)
    assert np.all(nominal_2037 == nominal_2037[0])  # indexed once a year, on 1 January
    # 600 THB in 2025 is 600 × 1.012 × 1.016 × 1.02^10 = 752.05 THB in 2037; in 2025 prices, 600 again
    assert nominal_2037[0] == pytest.approx(OAA_2025[band] * CPI_2037_OVER_2025, abs=0.01)
    real_2037 = nominal_2037[0] * cpi["cpi"][2025] / cpi["cpi"][2037]
    assert real_2037 == pytest.approx(OAA_2025[band], abs=0.005)  # the scenario's 2023-price values have 4 decimals
    assert policy.uprated_monthly(path, 2026, cpi)[0] == pytest.approx(OAA_2025[band] * 1.012, abs=0.005)


@pytest.mark.parametrize("path", INDEXED)
def test_allowances_and_thresholds_keep_their_2025_real_value(trees, path: str) -> None:
    law, policy, cpi = trees
    value_2025 = law.uprated_monthly(path, 2025, cpi)[-1]
    assert law.uprated_monthly(path, 2037, cpi)[0] == value_2025  # current law: frozen
    np.testing.assert_array_equal(policy.uprated_monthly(path, 2025, cpi), law.uprated_monthly(path, 2025, cpi))
    assert policy.uprated_monthly(path, 2037, cpi)[0] == pytest.approx(value_2025 * CPI_2037_OVER_2025, rel=1e-12)


def test_switches_are_off_in_current_law(trees) -> None:
    law = trees[0]
    for scheme in ("old_age_allowance", "disability_allowance", "child_support_grant", "welfare_card"):
        assert law.monthly(f"{scheme}.indexation", 2037).sum() == 0


@pytest.fixture(scope="module")
def runs():
    return run("baseline", scale=1000), run("current_policy", scale=1000)


def test_means_tested_recipients_erode_less_under_current_policy(runs) -> None:
    law, policy = runs
    for scheme in ("welfare_card", "child_support_grant"):
        assert float(policy["recipients"].sel(scheme=scheme, year=2037)) > float(
            law["recipients"].sel(scheme=scheme, year=2037))
    # price indexation costs more than frozen amounts in every year from 2026, and nothing before
    years = [2023, 2024, 2025]
    np.testing.assert_array_equal(policy["total_cost_pct_gdp"].sel(year=years),
                                  law["total_cost_pct_gdp"].sel(year=years))
    later = law["year"] >= 2026
    assert bool((policy["total_cost_pct_gdp"].where(later, drop=True)
                 > law["total_cost_pct_gdp"].where(later, drop=True)).all())
    # the old-age allowance's recipients do not depend on its amount, so its cost grows by the CPI ratio exactly
    ratio = (policy["benefit_cost"].sel(scheme="old_age_allowance", year=2037)
             / law["benefit_cost"].sel(scheme="old_age_allowance", year=2037))
    assert float(ratio) == pytest.approx(CPI_2037_OVER_2025, rel=1e-5)
