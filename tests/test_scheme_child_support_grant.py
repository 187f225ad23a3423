"""Child Support Grant: reforms, take-up and properties (worked cases: tests/cases/child_support_grant.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.households import income_per_person_of_rows
from model.population.persons import Persons
from model.schemes import child_support_grant

from scheme_cases import (AGE, FLAG, PROPENSITY, TREE, always, assert_only_eligible, assert_unchanged_before, builder,
                          evenly_spread, populations, random_columns, run_scheme)

ALWAYS = always(child_support_grant.SCHEME.take_up_offset)

people = builder("Thai children in households at 50,000 THB/person/year who always take up, unless given otherwise.",
                 thai=True, hh_income_pc=50_000.0, propensity=ALWAYS)


def paid(persons: Persons, year: int, params: ParameterTree = TREE) -> np.ndarray:
    return run_scheme(child_support_grant, persons, year, params).benefit


def test_future_reform_leaves_earlier_years_unchanged():
    # 1,200 THB/month from 1 Oct 2029 (A3.8 scenario; 2029 itself is a worked case).
    reform = TREE.with_overrides({"child_support_grant.amount": {"2029-10-01": 1200}})
    assert_unchanged_before(child_support_grant, people(age=[0, 4]), reform, 2029)


def test_cost_scales_linearly_with_a_flat_amount():
    rng = np.random.default_rng(3)
    columns = random_columns(rng, 500, max_age=9)
    persons = people(scale=100.0, **columns, hh_income_pc=rng.random(500) * 200_000)
    tripled = TREE.with_overrides({"child_support_grant.amount": {"2024-01-01": 1800}})
    assert np.isclose(paid(persons, 2024, tripled).sum(), 3 * paid(persons, 2024).sum())


def test_take_up_share_is_the_solved_rate():
    # child_support_grant.take_up = 0.887, solved against the FY2020-23 outturn (T1.7): that share of eligible
    # children with evenly spread propensities is paid.
    n = 10_000
    persons = people(age=np.full(n, 2), propensity=evenly_spread(n))
    assert abs((paid(persons, 2024) > 0).mean() - 0.887) < 1e-3


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, hh_income_pc=st.floats(0, 300_000), propensity=PROPENSITY),
       year=st.integers(2023, 2037), universal=st.booleans())
def test_benefits_never_negative_and_only_eligible_paid(persons, year, universal):
    params = TREE.with_overrides({"child_support_grant.universal": {"2023-01-01": universal, "2025-10-01": universal}})
    declared = income_per_person_of_rows(persons) * np.float32(0.855)
    eligible = persons.thai & (persons.age < 6) & (universal | (declared < 100_000))
    assert_only_eligible(run_scheme(child_support_grant, persons, year, params), eligible)
