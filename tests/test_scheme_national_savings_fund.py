"""National Savings Fund: matches by age band (A7.10-A7.11) by hand, dated caps, reforms and properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import INFORMAL, SSF_S33, SSF_S40
from model.schemes import national_savings_fund
from model.schemes.base import SchemeYear

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before,
                          builder, evenly_spread, never, populations, random_columns, run_scheme)

ALWAYS = always(national_savings_fund.SCHEME.take_up_offset)
NEVER = never(national_savings_fund.SCHEME.take_up_offset)

people = builder("Thai informal workers who always contribute, unless given otherwise.",
                 thai=True, status=INFORMAL, propensity=ALWAYS, hh_income_pc=0.0)


def compute(persons: Persons, year: int, params: ParameterTree = TREE) -> SchemeYear:
    return run_scheme(national_savings_fund, persons, year, params)


def test_worked_case_match_by_age_band():
    # Mean saving 1,200 THB/year (assumption). Match: 15-30 50% → 600; 31-50 80% → 960; 51-60 100% → 1,200,
    # all under the 1,800 cap (A7.11); 14 and 61 are outside the ages 15-60.
    result = compute(people(scale=10.0, age=[14, 15, 30, 31, 50, 51, 60, 61]), 2024)
    np.testing.assert_array_equal(result.benefit, [0, 600, 600, 960, 960, 1200, 1200, 0])
    assert result.cash is False
    assert result.recipient_mask().tolist() == [False] + [True] * 6 + [False]
    # Contributions by payer, whole population (× scale 10): insured 6 × 1,200 × 10; government the match.
    assert result.contributions == {"insured": 72_000.0, "government": 55_200.0}


def test_cap_raised_on_1_october_2022_costs_9_plus_3_months():
    # Saving 3,000 THB/year at age 55: match min(3,000, 1,200) = 1,200 to Sep 2022, min(3,000, 1,800) = 1,800
    # from Oct 2022 (A7.10 → A7.11); calendar 2022 = 9/12 × 1,200 + 3/12 × 1,800 = 1,350. Age 20: 50% × 3,000
    # = 1,500 capped at 600 then 1,500 → 9/12 × 600 + 3/12 × 1,500 = 825.
    # (take-up and mean saving are dated from 2023, the model start: set them for 2022 too.)
    reform = TREE.with_overrides({"national_savings_fund.mean_member_contribution": {"2022-01-01": 3000},
                                  "national_savings_fund.take_up": {"2022-01-01": 0.15}})
    np.testing.assert_allclose(compute(people(age=[55, 20]), 2022, reform).benefit, [1350, 825])
    np.testing.assert_allclose(compute(people(age=[55, 20]), 2023, reform).benefit, [1800, 1500])


def test_members_are_informal_workers_outside_the_ssf():
    persons = people(age=[40] * 5, status=[INFORMAL, SSF_S40, SSF_S33, INFORMAL, INFORMAL],
                     thai=[True, True, True, False, True], propensity=[ALWAYS] * 4 + [NEVER])
    assert compute(persons, 2024).recipient_mask().tolist() == [True, False, False, False, False]
    reform = TREE.with_overrides({"national_savings_fund.admits_s40_members": {"2026-01-01": True}})
    assert compute(persons, 2025, reform).recipient_mask().tolist() == [True, False, False, False, False]
    assert compute(persons, 2026, reform).recipient_mask().tolist() == [True, True, False, False, False]


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"national_savings_fund.match_rate.age_15_30": {"2032-01-01": 1.0},
                                  "national_savings_fund.max_age": {"2032-01-01": 65}})
    persons = people(age=[20, 63])
    assert_unchanged_before(national_savings_fund, persons, reform, 2032)
    # 2032: 100% × 1,200 at 20; at 63 the 51-60 band now runs to 65: 1,200.
    np.testing.assert_array_equal(compute(persons, 2032, reform).benefit, [1200, 1200])


def test_cost_scales_linearly_with_the_contribution_below_the_caps():
    persons = people(scale=300.0, **random_columns(np.random.default_rng(11), 400, max_age=79, status=True))
    half = TREE.with_overrides({"national_savings_fund.mean_member_contribution": {"2023-01-01": 600}})
    base, reform = compute(persons, 2025), compute(persons, 2025, half)
    assert np.isclose(reform.benefit.sum(), base.benefit.sum() / 2)
    assert np.isclose(reform.contributions["insured"], base.contributions["insured"] / 2)


def test_take_up_share():
    n = 10_000
    persons = people(age=np.full(n, 40), propensity=evenly_spread(n))
    share = compute(persons, 2024).recipient_mask().mean()
    assert abs(share - TREE.get("national_savings_fund.take_up", "2024-07-01")) < 1e-3


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, status=STATUS, propensity=PROPENSITY), year=st.integers(2023, 2037),
       contribution=st.floats(0, 20_000))
def test_benefits_never_negative_capped_and_only_eligible_members(persons, year, contribution):
    params = TREE.with_overrides({"national_savings_fund.mean_member_contribution": {"2023-01-01": contribution}})
    result = compute(persons, year, params)
    eligible = persons.thai & (persons.age >= 15) & (persons.age <= 60) & (persons.status == INFORMAL)
    members = assert_only_eligible(result, eligible)
    assert (result.benefit <= 1800).all()
    assert result.contributions["insured"] <= members.sum() * 13_200 + 1e-6
