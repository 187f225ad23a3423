"""National Savings Fund: reforms, take-up and properties (worked cases: tests/cases/national_savings_fund.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import INFORMAL
from model.schemes import national_savings_fund
from model.schemes.base import SchemeYear

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before,
                          builder, evenly_spread, populations, random_columns, run_scheme)

ALWAYS = always(national_savings_fund.SCHEME.take_up_offset)

people = builder("Thai informal workers who always contribute, unless given otherwise.",
                 thai=True, status=INFORMAL, propensity=ALWAYS, hh_income_pc=0.0)


def compute(persons: Persons, year: int, params: ParameterTree = TREE) -> SchemeYear:
    return run_scheme(national_savings_fund, persons, year, params)


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"national_savings_fund.match_rate.age_15_30": {"2032-01-01": 1.0},
                                  "national_savings_fund.max_age": {"2032-01-01": 65}})
    assert_unchanged_before(national_savings_fund, people(age=[20, 63]), reform, 2032)


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
