"""Tests of the Social Security Fund section 40 scheme (model/schemes/ssf_s40.py; fact sheet A5.30-A5.39); worked
cases: tests/cases/ssf_s40.yaml."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import INFORMAL, RETIRED, SSF_S40
from model.schemes import ssf_s40
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import AGE, FLAG, STATUS, TREE, assert_ssf_accounts, assert_unchanged_before, builder, run_scheme


table = builder("Persons aged 40 unless given otherwise, with the given columns; the rest at their declared defaults.",
                age=40)


def run(persons: Persons, year: int, tree: ParameterTree = TREE) -> SchemeYear:
    """The year's flows after the year's lump-sum claims (`advance`)."""
    return run_scheme(ssf_s40, persons, year, tree, advance=True)


def member(option: int, scale: float = 1.0, **columns) -> Persons:
    return table(scale, status=[SSF_S40], s40_option=[option], **columns)


def test_lump_sum_return_is_a_parameter() -> None:
    tree = TREE.with_overrides({"ssf_s40.old_age_lump_sum.annual_return": {"2023-01-01": 0.0}})
    persons = table(age=[60], status=[INFORMAL], s40_option=[2], s40_months=[100])
    assert run(persons, 2030, tree).benefit[0] == pytest.approx(5000)


def test_lump_sum_paid_once_when_membership_ends_at_60_or_later() -> None:
    persons = table(age=[59, 60, 62, 66], status=[RETIRED, SSF_S40, RETIRED, SSF_S40], s40_option=[3] * 4,
                    s40_months=[100] * 4)
    first = run(persons, 2030)
    # under 60: not yet; a member at 60 keeps contributing; left at 62: paid; past the maximum age 65: paid
    assert first.recipient_mask().tolist() == [False, False, True, True]
    assert first.contributions["insured"] == pytest.approx(12 * 300)  # only the 60-year-old member pays
    persons.set("age", persons.age + 1)
    persons.set("status", [RETIRED] * 4)
    second = run(persons, 2031)
    # the first two reach 60 out of membership; the last two were paid in 2030, never again
    assert second.recipient_mask().tolist() == [True, True, False, False]
    assert persons.values_of("s40_lump_sum_year").tolist() == [2031, 2031, 2030, 2030]
    assert persons.s40_months.tolist() == [100] * 4


def test_age_range_of_membership() -> None:
    persons = table(age=[14, 15, 65, 66], status=[SSF_S40] * 4, s40_option=[1] * 4)
    assert ssf_s40.members(YearContext(persons, 2025, TREE)).tolist() == [False, True, True, False]


def test_contribution_reform_from_a_future_year_and_linear_cost() -> None:
    tree = TREE.with_overrides({"ssf_s40.contribution.option_1": {"2031-01-01": 140},
                                "ssf_s40.other_benefit_cost.option_1": {"2031-01-01": 750}})
    persons = table(3.0, status=[SSF_S40] * 2, s40_option=[1, 1])
    assert_unchanged_before(ssf_s40, persons, tree, 2031, advance=True)
    for year in range(2031, 2038):
        base, new = run(persons, year), run(persons, year, tree)
        assert new.contributions["insured"] == pytest.approx(2 * base.contributions["insured"])
        assert new.pooled_cost == pytest.approx(2 * base.pooled_cost)


def test_option_mix_shares_sum_to_one() -> None:
    assert sum(TREE.get(f"ssf_s40.option_mix.option_{k}", "2025-01-01") for k in (1, 2, 3)) == pytest.approx(1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(AGE, STATUS, st.integers(0, 3), st.integers(0, 600), FLAG), min_size=1, max_size=30),
       st.integers(2023, 2037), st.sampled_from([1.0, 250.0]))
def test_properties(rows: list[tuple], year: int, scale: float) -> None:
    age, status, option, months, paid_before = (np.array(c) for c in zip(*rows))
    persons = table(scale, age=age, status=status, s40_option=option, s40_months=months,
                    s40_lump_sum_year=np.where(paid_before, 2020, 0))
    result = run(persons, year)
    assert_ssf_accounts(result, scale)
    paid = result.recipient_mask()
    assert (age[paid] >= 60).all() and np.isin(option[paid], (2, 3)).all() and (months[paid] > 0).all()
    assert not (paid & paid_before).any()
    assert not (paid & ssf_s40.members(YearContext(persons, year, TREE))).any()
