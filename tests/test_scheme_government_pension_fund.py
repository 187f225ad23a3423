"""Government Pension Fund: the contribution formula and the reserve allotment (GPF Act B.E. 2539) by hand,
membership, and properties (worked cases: tests/cases/government_pension_fund.yaml)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population.civil_service import GPF_START, gpf_membership
from model.population.status import CIVIL_SERVANT
from model.schemes import government_pension_fund as gpf
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import FLAG, TREE, assert_only_eligible, builder, populations

officials = builder("Serving officials aged 40, GPF members, salary 30,000 THB/month (Thai), unless given otherwise.",
                    age=40, thai=True, status=CIVIL_SERVANT, gpf_member=True, wage=30_000.0, propensity=0.5,
                    hh_income_pc=0.0)


def pension_cost(thb: float) -> dict[str, SchemeYear]:
    """A year's results in which the civil-service pension scheme costs `thb` THB (pooled, no rows)."""
    return {"civil_service_pension": SchemeYear(size=0, rows=np.empty(0, dtype=np.intp), amount=0.0, pooled_cost=thb)}


def test_contributions_by_hand():
    # 30,000 THB/month for 12 months: member 3% = 10,800; government 3% matching + 2% compensation = 18,000.
    own, government = gpf.contributions(np.array([30_000.0]), 12, 0.03, 0.03, 0.02)
    assert (own[0], government[0]) == (10_800, 18_000)


def test_reserve_allotment_is_the_allotted_share_of_the_pension_budget():
    # From 2023 the budget allots 15.2% (solved against the FY2024 allocation, T3.3) of a pension and gratuity
    # budget of 300 bn = 45.6 bn on top of the matching contributions (18,000 for one member of 30,000).
    persons = officials(wage=[30_000.0])
    ctx = YearContext(persons, 2024, TREE, results=pension_cost(300e9))
    result = gpf.compute(ctx)
    assert result.pooled_cost == pytest.approx(45.6e9, rel=1e-12)
    assert result.contributions["government"] == pytest.approx(45.6e9 + 18_000, rel=1e-12)


def test_reserve_allotment_before_2023_is_the_legal_minimum():
    # GPF Act: at least 20% of the pension and gratuity budget, the rate in force before the base year:
    # 20% of 300 bn = 60 bn in 2022.
    ctx = YearContext(officials(wage=[30_000.0]), 2022, TREE, results=pension_cost(300e9))
    assert gpf.compute(ctx).pooled_cost == pytest.approx(60e9, rel=1e-12)


def test_membership_compulsory_after_27_march_1997():
    rng = np.random.default_rng(0)
    entry = np.array([1997.0, GPF_START, 2010.0, 1980.0, 1980.0])
    exit_ = np.array([2030.0, 2030.0, 2040.0, 1996.0, 2020.0])
    assert gpf_membership(entry, exit_, 0.0, rng).tolist() == [False, True, True, False, False]
    assert gpf_membership(entry, exit_, 1.0, rng).tolist() == [True, True, True, False, True]


@settings(max_examples=60, deadline=None)
@given(persons=populations(build=officials, wage=st.floats(0, 200_000), gpf_member=FLAG, state_employee=FLAG,
                           local_official=FLAG),
       cost=st.floats(0, 1e12))
def test_contributions_never_negative_and_only_member_officials(persons, cost):
    ctx = YearContext(persons, 2024, TREE, results=pension_cost(cost))
    result = gpf.compute(ctx)
    assert_only_eligible(result, persons.values_of("gpf_member") & ~persons.values_of("state_employee")
                         & ~persons.values_of("local_official"))
    assert result.pooled_cost >= 0 and min(result.contributions.values()) >= 0
