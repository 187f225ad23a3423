"""Disability Allowance: reforms, take-up and properties (worked cases: tests/cases/disability_allowance.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import INACTIVE
from model.schemes import disability_allowance, old_age_allowance
from model.schemes.base import YearContext

from scheme_cases import (AGE, FLAG, PROPENSITY, TREE, always, assert_only_eligible, assert_unchanged_before, builder,
                          evenly_spread, populations, random_columns, run_scheme)

ALWAYS = always(disability_allowance.SCHEME.take_up_offset)

people = builder("Thai registered disabled persons who always take up, unless given otherwise.",
                 thai=True, disabled=True, hh_income_pc=0.0, propensity=ALWAYS, status=INACTIVE)


def paid(persons: Persons, year: int, params: ParameterTree = TREE) -> np.ndarray:
    return run_scheme(disability_allowance, persons, year, params).benefit


def test_paid_alongside_the_old_age_allowance():
    # A2.6: a disabled Thai aged 65 gets 9,600 here and 7,200 old-age allowance (take-up draw 0.01 in both).
    assert (ALWAYS + old_age_allowance.SCHEME.take_up_offset) % 1.0 < TREE.get("old_age_allowance.take_up", "2024-07-01")
    persons = people(age=[65, 65], state_pensioner=[False, True])
    ctx = YearContext(persons, 2024, TREE)
    np.testing.assert_array_equal(old_age_allowance.compute(ctx).benefit, [7200, 0])
    np.testing.assert_array_equal(paid(persons, 2024), [9600, 9600])
    # Not cumulative (reform): the old-age allowance recipient loses the disability allowance,
    # the state pensioner (no old-age allowance) keeps it.
    reform = TREE.with_overrides({"disability_allowance.cumulative_with_old_age_allowance": {"2024-01-01": False}})
    np.testing.assert_array_equal(paid(persons, 2024, reform), [0, 9600])


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"disability_allowance.amount_adult": {"2031-01-01": 3000},
                                  "disability_allowance.child_age_limit": {"2031-01-01": 20}})
    persons = people(age=[5, 19, 50])
    assert_unchanged_before(disability_allowance, persons, reform, 2031)
    np.testing.assert_array_equal(paid(persons, 2031, reform), [12000, 12000, 36000])


def test_cost_scales_linearly_with_a_flat_amount():
    rng = np.random.default_rng(2)
    columns = random_columns(rng, 400)
    persons = people(scale=250.0, **columns, disabled=rng.random(400) < 0.3)
    doubled = TREE.with_overrides({"disability_allowance.amount_adult": {"2027-01-01": 1600},
                                   "disability_allowance.amount_child": {"2027-01-01": 2000}})
    assert np.isclose(paid(persons, 2027, doubled).sum(), 2 * paid(persons, 2027).sum())


def test_take_up_share():
    n = 10_000
    persons = people(age=np.full(n, 40), propensity=evenly_spread(n))
    assert abs((paid(persons, 2024) > 0).mean() - TREE.get("disability_allowance.take_up", "2024-07-01")) < 1e-3


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, disabled=FLAG, state_pensioner=FLAG, propensity=PROPENSITY,
                           hh_income_pc=st.floats(0, 300_000)),
       year=st.integers(2023, 2037), cumulative=st.booleans())
def test_benefits_never_negative_and_only_eligible_paid(persons, year, cumulative):
    params = TREE.with_overrides({"disability_allowance.cumulative_with_old_age_allowance": {"2023-01-01": cumulative}})
    assert_only_eligible(run_scheme(disability_allowance, persons, year, params), persons.thai & persons.disabled)
