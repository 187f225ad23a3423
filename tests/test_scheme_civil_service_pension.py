"""Civil-service pension: the A7.2 formula by hand, award and indexation in `advance`, reforms and properties."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, RETIRED
from model.schemes import civil_service_pension

from scheme_cases import FLAG, TREE, assert_only_eligible, assert_unchanged_before, builder, populations, run_scheme

retirees = builder("Retired civil servants aged 61 drawing a state pension (Thai, take-up draw 0.5, no household "
                   "income), unless given otherwise.",
                   age=61, thai=True, status=RETIRED, state_pensioner=True, propensity=0.5, hh_income_pc=0.0)


def run_year(persons: Persons, year: int, params: ParameterTree = TREE) -> np.ndarray:
    """THB/year paid to each row in `year`, after the year's awards and indexation (`advance`)."""
    return run_scheme(civil_service_pension, persons, year, params, advance=True).benefit


def test_worked_cases_formula_and_cap():
    # A7.2: 40,000 × 30 / 50 = 24,000 THB/month; 40,000 × 40 / 50 = 32,000 > 70% × 40,000 = 28,000 → 28,000.
    # 35 years reaches the cap exactly: 40,000 × 35 / 50 = 28,000.
    persons = retirees(cs_salary=[40_000, 40_000, 40_000], service_years=[30, 40, 35])
    np.testing.assert_array_equal(run_year(persons, 2024), [24_000 * 12, 28_000 * 12, 28_000 * 12])
    np.testing.assert_array_equal(persons.cs_pension, [24_000, 28_000, 28_000])


def test_serving_civil_servants_are_not_paid():
    persons = retirees(cs_salary=[40_000], service_years=[20], state_pensioner=[False], status=[CIVIL_SERVANT])
    assert run_year(persons, 2024)[0] == 0 and persons.cs_pension[0] == 0


def test_pension_is_awarded_once_and_indexed_in_later_years():
    # Indexation 2% from 2026 (reform): awarded 24,000 in 2025; 2026 24,480; 2027 24,969.6.
    reform = TREE.with_overrides({"civil_service_pension.indexation": {"2026-01-01": 0.02}})
    persons = retirees(cs_salary=[40_000], service_years=[30])
    assert run_year(persons, 2025, reform)[0] == 24_000 * 12
    persons.set("cs_salary", [50_000])  # later salary records do not change a pension in payment
    np.testing.assert_allclose(run_year(persons, 2026, reform), [24_480 * 12])
    np.testing.assert_allclose(run_year(persons, 2027, reform), [24_969.6 * 12], rtol=1e-6)


def test_new_retirees_join_the_pensions_in_payment():
    persons = retirees(cs_salary=[40_000, 30_000], service_years=[30, 25], state_pensioner=[True, False],
                       status=[RETIRED, CIVIL_SERVANT])
    np.testing.assert_array_equal(run_year(persons, 2024), [288_000, 0])
    persons.set("state_pensioner", [True, True])  # the people layer retires the second at 60
    persons.set("status", [RETIRED, RETIRED])
    # 30,000 × 25 / 50 = 15,000 THB/month.
    np.testing.assert_array_equal(run_year(persons, 2025), [288_000, 180_000])


def test_future_reform_leaves_earlier_years_unchanged():
    # Accrual divisor 60 from 2030 (reform): a 2030 retiree with 30 years at 40,000 gets 40,000 × 30 / 60 = 20,000;
    # earlier retirees keep theirs.
    reform = TREE.with_overrides({"civil_service_pension.accrual_divisor": {"2030-01-01": 60}})
    early, late = retirees(cs_salary=[40_000], service_years=[30]), retirees(cs_salary=[40_000], service_years=[30])
    for year in range(2023, 2030):
        assert run_year(early, year, reform)[0] == 288_000
    assert run_year(early, 2030, reform)[0] == 288_000
    formula = civil_service_pension.pension_formula(np.array([40_000]), np.array([30]), reform, date(2030, 1, 1))
    assert formula[0] == 20_000
    assert run_year(late, 2030, reform)[0] == 240_000
    # And a retiree first paid in any year before 2030 is paid exactly as in the baseline.
    assert_unchanged_before(civil_service_pension, retirees(cs_salary=[40_000], service_years=[30]), reform, 2030,
                            advance=True)


def test_cost_scales_linearly_with_salary():
    rng = np.random.default_rng(10)
    salary, years = rng.uniform(15_000, 80_000, 200), rng.uniform(0, 42, 200)
    base = run_year(retirees(cs_salary=salary, service_years=years), 2024).sum()
    doubled = run_year(retirees(cs_salary=2 * salary, service_years=years), 2024).sum()
    assert np.isclose(doubled, 2 * base)


@settings(max_examples=60, deadline=None)
@given(persons=populations(build=retirees, cs_salary=st.just(0.0) | st.floats(1_000, 200_000),
                           service_years=st.floats(0, 45), state_pensioner=FLAG),
       year=st.integers(2023, 2037))
def test_benefits_never_negative_capped_and_only_state_pensioners_paid(persons, year):
    result = run_scheme(civil_service_pension, persons, year, advance=True)
    assert_only_eligible(result, persons.state_pensioner)
    assert (persons.cs_pension <= 0.7 * persons.cs_salary.astype(np.float64) * (1 + 1e-6)).all()
