"""Civil-service pensions and gratuities: each formula of the Civil Service Pension Act B.E. 2494 and the GPF Act
B.E. 2539 by hand (Comptroller General's Department method), award and indexation in `advance`, reforms and
properties (worked cases of whole years: tests/cases/civil_service_pension.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.civil_service import gratuity_due
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, RETIRED
from model.schemes import civil_service_pension as csp
from model.schemes.base import YearContext

from scheme_cases import FLAG, TREE, assert_only_eligible, assert_unchanged_before, builder, populations, run_scheme

retirees = builder("Retired officials aged 66 drawing a state pension, GPF members who have received the whole "
                   "living gratuity (Thai, take-up draw 0.5, no household income), unless given otherwise.",
                   age=66, thai=True, status=RETIRED, state_pensioner=True, gpf_member=True,
                   cs_living_gratuity=500_000.0, propensity=0.5, hh_income_pc=0.0)
CTX = YearContext(retirees(age=[66]), 2024, TREE)
"""The rules in force on 1 January 2024 (`advance` awards pensions on that date)."""


def run_year(persons: Persons, year: int, params: ParameterTree = TREE) -> np.ndarray:
    """THB/year paid to each row in `year`, after the year's awards, indexation and instalments (`advance`)."""
    return run_scheme(csp, persons, year, params, advance=True).benefit


def test_pre_1997_formula_last_salary_whole_years_no_70_percent_cap():
    # 40,000 × 35 / 50 = 28,000; 42.6 years count as 43: 40,000 × 43 / 50 = 34,400 (86% of salary, no 70% cap);
    # 30.4 years count as 30: 24,000; 60 years (with double-time service) 48,000 is capped at the last salary 40,000.
    pension = csp.pre_1997_pension(CTX, np.full(4, 40_000.0), np.array([35, 42.6, 30.4, 60]))
    np.testing.assert_allclose(pension, [28_000, 34_400, 24_000, 40_000])


def test_gpf_formula_average_salary_capped_at_70_percent():
    # 36,000 × 30 / 50 = 21,600; 35 years reach 70% exactly: 25,200; 40 years: 28,800 capped at 25,200;
    # fractions of a year count: 36,000 × 30.5 / 50 = 21,960.
    pension = csp.gpf_pension(CTX, np.full(4, 36_000.0), np.array([30, 35, 40, 30.5]))
    np.testing.assert_allclose(pension, [21_600, 25_200, 25_200, 21_960])


def test_living_gratuity_instalments_by_age_cap():
    # 15 × 20,000 = 300,000: at 61 capped at 200,000; at 65 with 200,000 received, 100,000 more (entitlement
    # 300,000 under the 400,000 cap); 15 × 30,000 = 450,000 at 70 with 400,000 received: 50,000 more (cap 500,000);
    # 15 × 10,000 = 150,000 at 61: all of it; a pensioner with all received gets nothing.
    due = csp.living_gratuity_instalment(CTX, np.array([20_000, 20_000, 30_000, 10_000, 40_000]),
                                         np.array([0, 200_000, 400_000, 0, 500_000]),
                                         np.array([61, 65, 70, 61, 75]))
    np.testing.assert_allclose(due, [200_000, 100_000, 50_000, 150_000, 0])


def test_living_gratuity_is_paid_once_on_top_of_the_pension():
    # A new pensioner aged 61 with 20,000/month: 240,000 pension + 200,000 living gratuity in 2024; in 2025 only the
    # pension; at 65 (2029) the 100,000 top-up.
    persons = retirees(age=[61], cs_pension=[20_000.0], cs_living_gratuity=[0.0])
    assert run_year(persons, 2024)[0] == 240_000 + 200_000
    assert run_year(persons, 2025)[0] == 240_000
    persons.set("age", [65])
    assert run_year(persons, 2029)[0] == 240_000 + 100_000
    assert persons.values_of("cs_living_gratuity")[0] == 300_000


def test_death_gratuity_to_heirs_less_living_gratuity():
    # 30 × 20,000 − 200,000 = 400,000; 30 × 10,000 − 500,000 < 0: nothing.
    np.testing.assert_allclose(csp.death_gratuity(CTX, np.array([20_000, 10_000]), np.array([200_000, 500_000])),
                               [400_000, 0])


def test_cost_of_living_supplement_tops_pensions_up_to_the_floor():
    # Royal Decree on the cost-of-living supplement No. 16 (floor 10,000 from June 2019) and No. 17 (11,000 from
    # 1 May 2024). 2023: a pension of 8,000 gets 2,000 a month, 120,000 a year with the pension; 12,000 gets none.
    # 2024: 9,500 gets 500 a month for January-April and 1,500 for May-December: 114,000 + 2,000 + 12,000 = 128,000.
    np.testing.assert_allclose(csp.cost_of_living_supplement(np.array([8_000, 10_000, 12_000]), 10_000),
                               [2_000, 0, 0])
    persons = retirees(age=[66, 66, 66], cs_pension=[8_000.0, 12_000.0, 9_500.0])
    np.testing.assert_allclose(run_year(persons, 2023), [120_000, 144_000, 114_000 + 6_000])
    np.testing.assert_allclose(run_year(persons, 2024), [8_000 * 12 + 4 * 2_000 + 8 * 3_000, 144_000, 128_000])
    # the pension itself is unchanged
    np.testing.assert_array_equal(persons.values_of("cs_pension"), [8_000, 12_000, 9_500])


def test_one_off_gratuity_instead_of_a_pension():
    # Last salary 40,000 × 30.4 years: 30 whole years outside the GPF, 1,200,000; members count the fraction,
    # 1,216,000. The gratuity is paid in the year it is due, and the official has no pension.
    np.testing.assert_allclose(gratuity_due(np.array([40_000, 40_000]), np.array([30.4, 30.4]),
                                            np.array([False, True])), [1_200_000, 1_216_000])
    persons = retirees(state_pensioner=[False], cs_gratuity_due=[1_200_000.0])
    assert run_year(persons, 2024)[0] == 1_200_000 and persons.values_of("cs_pension")[0] == 0


def test_serving_civil_servants_are_not_paid():
    persons = retirees(cs_salary=[40_000], service_years=[20], state_pensioner=[False], status=[CIVIL_SERVANT])
    assert run_year(persons, 2024)[0] == 0 and persons.values_of("cs_pension")[0] == 0


def test_pension_is_awarded_once_and_indexed_in_later_years():
    # Indexation 2% from 2026 (reform): awarded 24,000 (GPF, 40,000 × 30 / 50) in 2025; 2026 24,480; 2027 24,969.6.
    reform = TREE.with_overrides({"civil_service_pension.indexation": {"2026-01-01": 0.02}})
    persons = retirees(cs_salary=[40_000], service_years=[30])
    assert run_year(persons, 2025, reform)[0] == 24_000 * 12
    # later salary records do not change a pension in payment
    records = persons.cs_records(np.array([0]))
    persons.cs.cs_salary[records] = 50_000
    np.testing.assert_allclose(run_year(persons, 2026, reform), [24_480 * 12])
    np.testing.assert_allclose(run_year(persons, 2027, reform), [24_969.6 * 12], rtol=1e-6)


def test_future_reform_leaves_earlier_years_unchanged():
    # Accrual divisor 60 from 2030 (reform): a 2030 retiree with 30 years at 40,000 gets 40,000 × 30 / 60 = 20,000;
    # earlier retirees keep theirs.
    reform = TREE.with_overrides({"civil_service_pension.accrual_divisor": {"2030-01-01": 60}})
    early, late = retirees(cs_salary=[40_000], service_years=[30]), retirees(cs_salary=[40_000], service_years=[30])
    for year in range(2023, 2031):
        assert run_year(early, year, reform)[0] == 288_000
    assert run_year(late, 2030, reform)[0] == 240_000
    assert_unchanged_before(csp, retirees(cs_salary=[40_000], service_years=[30]), reform, 2030, advance=True)


@settings(max_examples=60, deadline=None)
@given(salary=st.floats(0, 200_000), years=st.integers(0, 45), lower=st.floats(0, 1))
def test_pre_1997_formula_never_below_the_gpf_formula(salary, years, lower):
    # Same whole years; the GPF average of the last 60 months is at most the last salary.
    last = np.array([salary])
    pre = csp.pre_1997_pension(CTX, last, np.array([years]))
    gpf = csp.gpf_pension(CTX, last * lower, np.array([years]))
    assert pre[0] >= gpf[0] >= 0


@settings(max_examples=60, deadline=None)
@given(persons=populations(build=retirees, cs_salary=st.just(0.0) | st.floats(1_000, 200_000),
                           cs_last_salary=st.floats(0, 200_000), service_years=st.floats(0, 45),
                           state_pensioner=FLAG, gpf_member=FLAG, age=st.integers(60, 100),
                           cs_living_gratuity=st.floats(0, 500_000)),
       year=st.integers(2023, 2037))
def test_payments_never_negative_capped_and_only_state_pensioners_paid(persons, year):
    q = np.full((2, 101), 0.03)
    result = run_scheme(csp, persons, year, advance=True, mortality=-np.log1p(-q))
    assert_only_eligible(result, persons.values_of("state_pensioner"))
    assert result.pooled_cost >= 0
    member = persons.values_of("gpf_member")
    pension, salary = persons.values_of("cs_pension"), persons.values_of("cs_salary").astype(np.float64)
    assert (pension[member] <= 0.7 * salary[member] * (1 + 1e-6)).all()
    last_salary = persons.values_of("cs_last_salary").astype(np.float64)
    assert (pension[~member] <= last_salary[~member] * (1 + 1e-6)).all()
    assert (persons.values_of("cs_living_gratuity") <= 500_000 * (1 + 1e-6)).all()
