"""Child Support Grant: worked cases from fact sheet A3, dated look-ups, reforms and properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.schemes import child_support_grant

from scheme_cases import (AGE, FLAG, PROPENSITY, TREE, always, assert_only_eligible, assert_unchanged_before, builder,
                          evenly_spread, never, populations, random_columns, run_scheme)

ALWAYS = always(child_support_grant.SCHEME.take_up_offset)
NEVER = never(child_support_grant.SCHEME.take_up_offset)

people = builder("Thai children in households at 50,000 THB/person/year who always take up, unless given otherwise.",
                 thai=True, hh_income_pc=50_000.0, propensity=ALWAYS)


def paid(persons: Persons, year: int, params: ParameterTree = TREE) -> np.ndarray:
    return run_scheme(child_support_grant, persons, year, params).benefit


def test_worked_case_birth_to_sixth_birthday():
    # A3.1-A3.2: 600 × 12 = 7,200 THB a year for ages 0-5 on 1 July; nothing from age 6.
    np.testing.assert_array_equal(paid(people(age=[0, 3, 5, 6, 10]), 2024), [7200, 7200, 7200, 0, 0])


def test_income_test_is_strict_and_nationality_required():
    # A3.3: declared household income per person below 100,000 THB/year, declared income being the money share
    # 0.855 of total income (common.money_income_share): 116,959 × 0.855 = 99,999.9 passes, 116,960 × 0.855 =
    # 100,000.8 fails; A3.4: Thai child.
    persons = people(age=[2, 2, 2, 2], hh_income_pc=[116_959, 116_960, 20_000, 20_000],
                     thai=[True, True, True, False], propensity=[ALWAYS, ALWAYS, NEVER, ALWAYS])
    np.testing.assert_array_equal(paid(persons, 2024), [7200, 0, 0, 0])


def test_universal_switch_from_fy2026_drops_the_income_test():
    # A3.6 from 1 Oct 2025: a child in a household at 200,000 THB/person is paid 3 months in 2025 (1,800), 12 in 2026.
    reform = TREE.with_overrides({"child_support_grant.universal": {"2025-10-01": True}})
    rich = people(age=[1], hh_income_pc=[200_000])
    assert paid(rich, 2025)[0] == 0
    assert paid(rich, 2025, reform)[0] == 1800
    assert paid(rich, 2026, reform)[0] == 7200


def test_future_reform_leaves_earlier_years_unchanged():
    # 1,200 THB/month from 1 Oct 2029 (A3.8 scenario): 2029 = 9 × 600 + 3 × 1,200 = 9,000.
    reform = TREE.with_overrides({"child_support_grant.amount": {"2029-10-01": 1200}})
    persons = people(age=[0, 4])
    assert_unchanged_before(child_support_grant, persons, reform, 2029)
    np.testing.assert_array_equal(paid(persons, 2029, reform), [9000, 9000])


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
    eligible = persons.thai & (persons.age < 6) & (universal | (persons.hh_income_pc * np.float32(0.855) < 100_000))
    assert_only_eligible(run_scheme(child_support_grant, persons, year, params), eligible)
