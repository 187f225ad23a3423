"""Old Age Allowance: dated look-ups, reforms and properties (worked cases: tests/cases/old_age_allowance.yaml)."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.households import income_per_person_of_rows
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INACTIVE
from model.schemes import old_age_allowance

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before, builder,
                          evenly_spread, never, populations, random_columns, run_scheme)

ALWAYS = always(old_age_allowance.SCHEME.take_up_offset)  # draw 0.01: takes up at any rate above 1%
NEVER = never(old_age_allowance.SCHEME.take_up_offset)  # draw 0.999: never takes up at the baseline rate

people = builder("Thai inactive persons who always take up, with zero household income unless given.",
                 thai=True, propensity=ALWAYS, hh_income_pc=0.0, status=INACTIVE)


def paid(persons: Persons, year: int, params: ParameterTree = TREE, price_index: float = 1.0) -> np.ndarray:
    """THB paid to each row in `year` when consumer prices are `price_index` times their 2023 level."""
    cpi = {2023: 1.0, year: price_index} if year != 2023 else {2023: 1.0}
    return run_scheme(old_age_allowance, persons, year, params, indices={"cpi": cpi}).benefit


def test_take_up_is_persistent_and_near_the_rate():
    n = 10_000
    persons = people(age=np.full(n, 65), propensity=evenly_spread(n))
    first, second = paid(persons, 2024) > 0, paid(persons, 2030) > 0
    np.testing.assert_array_equal(first, second)
    assert abs(first.mean() - TREE.get("old_age_allowance.take_up", "2024-07-01")) < 1e-3
    assert paid(people(age=[65], propensity=[NEVER]), 2024)[0] == 0


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"old_age_allowance.amount.age_60_69": {"2030-01-01": 3000},
                                  "old_age_allowance.band_lower_age.age_60_69": {"2030-01-01": 55}})
    persons = people(age=[56, 65, 75])
    assert_unchanged_before(old_age_allowance, persons, reform, 2030)
    # From 2030 the lowest band starts at 55 and pays 3,000 × 12 = 36,000.
    np.testing.assert_array_equal(paid(persons, 2030, reform), [36000, 36000, 8400])


def test_cost_scales_linearly_with_a_flat_amount():
    persons = people(scale=500.0, **random_columns(np.random.default_rng(1), 300))
    base = paid(persons, 2026).sum()
    doubled = TREE.with_overrides({f"old_age_allowance.amount.{band}": {"2026-01-01": 2 * value}
                                   for band, value in zip(old_age_allowance.BANDS, (600, 700, 800, 1000))})
    assert np.isclose(paid(persons, 2026, doubled).sum(), 2 * base)


def test_income_test_from_a_future_date_protects_everyone_already_60():
    reform = TREE.with_overrides({"old_age_allowance.income_test.enabled": {"2027-01-01": True}})
    assert old_age_allowance.income_test_start(reform, date(2028, 3, 1)) == date(2027, 1, 1)
    rich = {"hh_income_pc": [150_000, 150_000]}
    # In 2027 the person aged 61 turned 60 in 2026 (protected); the one aged 60 turned 60 on 1 Jan 2027 (tested).
    np.testing.assert_array_equal(paid(people(age=[61, 60], **rich), 2027, reform), [7200, 0])
    np.testing.assert_array_equal(paid(people(age=[61, 60], **rich), 2026, reform), [7200, 7200])


def test_income_test_start_is_the_beginning_of_the_enabled_run():
    reform = TREE.with_overrides({"old_age_allowance.income_test.enabled": {"2023-08-12": True, "2025-01-01": True}})
    assert old_age_allowance.income_test_start(reform, date(2026, 1, 1)) == date(2023, 8, 12)


def test_indexed_amounts_are_in_2023_prices_whatever_their_date():
    # The basic-pension scenario sets 3,043 THB "in 2023 prices" from 1 Oct 2026, indexed from then: with prices
    # 1.2 times their 2023 level in 2027, 3,043 × 1.2 × 12 = 43,819.20 THB at age 65.
    reform = TREE.with_overrides({"old_age_allowance.amount.age_60_69": {"2026-10-01": 3043},
                                  "old_age_allowance.indexation": {"2026-10-01": True}})
    assert np.isclose(paid(people(age=[65]), 2027, reform, price_index=1.2)[0], 3043 * 1.2 * 12)


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, state_pensioner=FLAG, ssf_pension_start=st.sampled_from([0, 2020]),
                           status=STATUS,
                           hh_income_pc=st.floats(0, 500_000), propensity=PROPENSITY,
                           scale=st.sampled_from([1.0, 1000.0])),
       year=st.integers(2023, 2037), income_test=st.booleans())
def test_benefits_never_negative_and_only_eligible_paid(persons, year, income_test):
    params = TREE.with_overrides({"old_age_allowance.income_test.enabled": {"2023-08-12": income_test}})
    result = run_scheme(old_age_allowance, persons, year, params)
    recipients = assert_only_eligible(result, persons.thai & (persons.age >= 60) & ~persons.values_of("state_pensioner")
                                      & (persons.status != CIVIL_SERVANT))
    if income_test:
        new_entrant = year - persons.age.astype(int) + 60 >= 2024
        assert not (recipients & new_entrant & (income_per_person_of_rows(persons) > 100_000)).any()
