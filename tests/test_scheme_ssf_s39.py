"""Tests of the Social Security Fund section 39 scheme (model/schemes/ssf_s39.py; fact sheet A5.26-A5.29)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import RETIRED, SSF_S33, SSF_S39
from model.schemes import ssf_s33, ssf_s39
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import AGE, FLAG, STATUS, TREE, assert_ssf_accounts, assert_unchanged_before, builder, run_scheme

# Per member per year at constant wages: sickness 4,200 + invalidity 300 = 4,500, all short_term.
PER_MEMBER = 4500.0
NO_RATES = {"fertility": np.zeros(101), "mortality": np.zeros((2, 101))}
"""Demographic rates of zero: no births or deaths, so only the per-member costs remain."""


table = builder("Persons aged 45 unless given otherwise, with the given columns; the rest at their declared defaults.",
                age=45)


def compute(persons: Persons, year: int, tree: ParameterTree = TREE, **kw: float) -> SchemeYear:
    return run_scheme(ssf_s39, persons, year, tree, **kw)


def members(n: int, scale: float = 1.0) -> Persons:
    return table(scale, status=[SSF_S39] * n, s33_months=[60] * n)


def test_contributions_432_insured_and_120_government_a_month() -> None:
    # insured 9% x 4,800 = 432 THB/month = 5,184/year (A5.27); government 120 x 12 = 1,440 (A5.28)
    result = compute(members(1), 2025)
    assert result.contributions == pytest.approx({"insured": 5184.0, "employer": 0.0, "government": 1440.0})
    assert result.insurable_wages == pytest.approx(4800 * 12)


def test_branch_split_mirrors_section_33_without_unemployment() -> None:
    # insured 432 x 6/9 = 288 old age, 144 short term; government 120 x 1/2.5 = 48 old age, 72 short term
    result = compute(members(1), 2025)
    assert result.branch_contributions["old_age"] == pytest.approx((288 + 48) * 12)
    assert result.branch_contributions["short_term"] == pytest.approx((144 + 72) * 12)
    assert result.branch_contributions["unemployment"] == 0
    assert sum(result.branch_contributions.values()) == pytest.approx(sum(result.contributions.values()))


def test_government_contribution_reform_from_a_future_year() -> None:
    # the 2.75% reading of A5.28: 132 THB/month from 2030
    tree = TREE.with_overrides({"ssf_s39.government_contribution": {"2030-01-01": 132}})
    assert_unchanged_before(ssf_s39, members(1), tree, 2030)
    for year in range(2023, 2038):
        expected = 1440.0 if year < 2030 else 132 * 12
        assert compute(members(1), year, tree).contributions["government"] == pytest.approx(expected), year


def test_mid_year_change_of_the_deemed_wage() -> None:
    # deemed wage 6,000 from 1 Oct 2028: 9% x (9 x 4,800 + 3 x 6,000) = 5,508 THB
    tree = TREE.with_overrides({"ssf_s39.deemed_wage": {"2028-10-01": 6000}})
    assert compute(members(1), 2028, tree).contributions["insured"] == pytest.approx(0.09 * (9 * 4800 + 3 * 6000))


def test_per_member_branches() -> None:
    result = compute(members(2, scale=100.0), 2025, **NO_RATES)
    assert result.branch_benefits == pytest.approx({"old_age": 0.0, "short_term": 200 * PER_MEMBER,
                                                    "unemployment": 0.0})
    assert result.pooled_cost == pytest.approx(200 * PER_MEMBER)
    # only the sickness cost (medical care) is uprated with wages
    uprated = compute(members(1), 2025, indices={"wage": {2023: 1.0, 2025: 1.2}}, **NO_RATES)
    assert uprated.pooled_cost == pytest.approx(PER_MEMBER + 0.2 * 4200)


def test_maternity_and_funeral_per_claim() -> None:
    # a member aged 30 with fertility 0.1: 0.1 x (15,000 + 50% x 4,800 deemed wage x 90 / 30 = 7,200) = 2,220;
    # a death rate of 0.02 at her age: (1 - exp(-0.02)) x 50,000 funeral grant = 990.07 (A5.21, A5.22)
    fertility, mortality = np.zeros(101), np.zeros((2, 101))
    fertility[30], mortality[1, 30] = 0.1, 0.02
    persons = table(age=[30], sex=[1], status=[SSF_S39], s33_months=[60])
    result = compute(persons, 2025, fertility=fertility, mortality=mortality)
    expected = PER_MEMBER + 0.1 * (15000 + 7200) + 50000 * (1 - np.exp(-0.02))
    assert result.branch_benefits["short_term"] == pytest.approx(expected)


def test_cost_scales_linearly_with_a_flat_amount() -> None:
    base = compute(members(3), 2030).pooled_cost
    tree = TREE.with_overrides({"ssf_s39.branch_cost.invalidity": {"2023-01-01": 600}})
    assert compute(members(3), 2030, tree).pooled_cost == pytest.approx(base + 3 * 300)


def test_no_pension_or_benefit_attributed_to_rows() -> None:
    result = compute(members(3), 2030)
    assert (result.benefit == 0).all() and not result.recipient_mask().any()


def test_pension_is_claimed_after_leaving_section_39() -> None:
    # a member aged 55 with 200 + 40 months keeps contributing (insurance has not ended, A5.13); once she has
    # left section 39 she claims the pension, costed in ssf_s33 (240 months: 27.5% of 9,000)
    persons = table(age=[55], status=[SSF_S39], s33_months=[200], s39_months=[40], avg_insurable_wage=[9000])
    assert run_scheme(ssf_s33, persons, 2027, advance=True).benefit[0] == 0
    assert compute(persons, 2027).contributions["insured"] == pytest.approx(5184)
    persons.set("status", [RETIRED])
    pension = run_scheme(ssf_s33, persons, 2028, advance=True)
    assert pension.benefit[0] == pytest.approx(12 * 0.275 * 9000)
    persons.set("status", [SSF_S39])  # a claimant is no longer a member, whatever the status says
    after = compute(persons, 2028)
    assert all(v == 0 for v in after.contributions.values()) and after.pooled_cost == 0


def test_member_short_of_180_months_keeps_contributing() -> None:
    persons = table(age=[57], status=[SSF_S39], s33_months=[100], s39_months=[30], avg_insurable_wage=[6000])
    assert run_scheme(ssf_s33, persons, 2027, advance=True).benefit[0] == 0
    assert compute(persons, 2027).contributions["insured"] == pytest.approx(5184)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(AGE, STATUS, FLAG), min_size=1, max_size=30), st.integers(2023, 2037),
       st.sampled_from([1.0, 300.0]))
def test_properties(rows: list[tuple], year: int, scale: float) -> None:
    age, status, claimed = (np.array(c) for c in zip(*rows))
    persons = table(scale, age=age, status=status, ssf_pension_start=np.where(claimed, 2020, 0))
    result = compute(persons, year)
    n = ((status == SSF_S39) & ~claimed).sum() * scale
    assert result.contributions["insured"] == pytest.approx(n * 5184)
    assert (result.benefit == 0).all()
    assert_ssf_accounts(result, scale)  # with no row paid, the branch benefits add up to the pooled cost
    assert not (ssf_s39.members(YearContext(persons, year, TREE)) & (status != SSF_S39)).any()


def test_statuses_other_than_s39_are_not_members() -> None:
    persons = table(status=[SSF_S33, RETIRED])
    assert compute(persons, 2025).contributions["insured"] == 0
