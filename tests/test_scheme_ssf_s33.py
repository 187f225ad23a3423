"""Tests of the Social Security Fund section 33 scheme (model/schemes/ssf_s33.py; fact sheet A5.1-A5.25); worked
cases: tests/cases/ssf_s33.yaml."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.errors import ParameterError
from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import RETIRED, SSF_S33, SSF_S39, SSF_S40, STATUSES, UNEMPLOYED
from model.schemes import ssf_common, ssf_s33
from model.schemes.base import PAYERS, SchemeYear, YearContext

from scheme_cases import AGE, STATUS, TREE, assert_ssf_accounts, assert_unchanged_before, builder, run_scheme

CEILING = "ssf_s33.wage_ceiling"
# An entitled person unemployed on 1 July stands for 3.05 persons paid in a month, 3.05 x 365 / 97.2 claims a year
# (mean days 0.08 x 180 + 0.92 x 90 = 97.2), each paying (0.08 x 50% x 180 + 0.92 x 30% x 90) / 30 = 1.068 months
# of the insurable wage (A5.20, layoff_share 0.08).
CLAIM_MONTHS = (0.08 * 0.5 * 180 + 0.92 * 0.3 * 90) / 30
CLAIMS = 3.05 * 365 / (0.08 * 180 + 0.92 * 90)
NO_RATES = {"fertility": np.zeros(101), "mortality": np.zeros((2, 101))}
"""Demographic rates of zero: no births or deaths, so only the per-member and unemployment costs remain."""


table = builder("Persons aged 40 unless given otherwise, with the given columns; the rest at their declared defaults.",
                age=40)


def compute(persons: Persons, year: int, tree: ParameterTree = TREE, **kw: float) -> SchemeYear:
    """The year's flows, without the year's pension and lump-sum claims."""
    return run_scheme(ssf_s33, persons, year, tree, **kw)


def run(persons: Persons, year: int, tree: ParameterTree = TREE, **kw: float) -> SchemeYear:
    """The year's flows after the year's pension and lump-sum claims (`advance`)."""
    return run_scheme(ssf_s33, persons, year, tree, advance=True, **kw)


def employee(wage: float, scale: float = 1.0) -> Persons:
    return table(scale, status=[SSF_S33], wage=[wage])


def leaver(months: int, avg: float, age: int = 55, status: int = RETIRED, s39_months: int = 0) -> Persons:
    return table(age=[age], status=[status], s33_months=[months], s39_months=[s39_months], avg_insurable_wage=[avg])


# --- contributions ----------------------------------------------------------------------------


@pytest.mark.parametrize("year, ceiling", [(2025, 15000), (2026, 17500), (2028, 17500), (2029, 20000),
                                           (2031, 20000), (2032, 23000), (2037, 23000)])
def test_ceiling_look_up_across_its_phases(year: int, ceiling: int) -> None:
    assert TREE.get(CEILING, date(year, 6, 30)) == ceiling
    # a 30,000 THB wage is capped: employee 5% x ceiling x 12
    result = compute(employee(30000), year)
    assert result.contributions["insured"] == pytest.approx(0.05 * ceiling * 12)


def test_baseline_branch_rates_add_up_to_payer_rates() -> None:
    for payer, key in ssf_s33.PAYER_KEYS.items():
        branches = sum(TREE.get(f"ssf_s33.branch_rate.{folder}.{key}", "2025-01-01")
                       for folder in ssf_common.BRANCH_RATE_FOLDERS.values())
        assert branches == pytest.approx(TREE.get(f"ssf_s33.contribution_rate.{key}", "2025-01-01")), payer


def test_a_payer_rate_reform_keeps_branches_summing_to_payers() -> None:
    tree = TREE.with_overrides({"ssf_s33.contribution_rate.employee": {"2030-01-01": 0.06}})
    result = compute(employee(15000), 2030, tree)
    assert result.contributions["insured"] == pytest.approx(0.06 * 15000 * 12)
    assert sum(result.branch_contributions.values()) == pytest.approx(sum(result.contributions.values()))


def test_payer_rate_without_branch_rates_is_rejected() -> None:
    zero = {f"ssf_s33.branch_rate.{folder}.employee": {"2030-01-01": 0.0}
            for folder in ssf_common.BRANCH_RATE_FOLDERS.values()}
    with pytest.raises(ParameterError, match="employee"):
        compute(employee(15000), 2030, TREE.with_overrides(zero))


@pytest.mark.parametrize("start", ["2026-01-01", "2029-01-01"])
def test_ceiling_reform_changes_only_years_from_its_date(start: str) -> None:
    frozen = {date_: 15000 for date_ in ("2026-01-01", "2029-01-01", "2032-01-01") if date_ >= start}
    reform = TREE.with_overrides({CEILING: frozen})
    first = int(start[:4])
    assert_unchanged_before(ssf_s33, employee(30000), reform, first)
    for year in range(first, 2038):
        base = compute(employee(30000), year).contributions
        new = compute(employee(30000), year, reform).contributions
        assert new["insured"] == pytest.approx(0.05 * 15000 * 12), year
        assert new["insured"] < base["insured"], year


def test_contributions_scale_linearly_with_rows_and_scale() -> None:
    one = compute(employee(12000), 2025)
    many = compute(table(250.0, status=[SSF_S33] * 4, wage=[12000] * 4), 2025)
    for payer in PAYERS:
        assert many.contributions[payer] == pytest.approx(1000 * one.contributions[payer])
    assert many.pooled_cost == pytest.approx(1000 * one.pooled_cost)


def test_only_section_33_rows_contribute() -> None:
    persons = table(status=[s for s in range(len(STATUSES)) if s != SSF_S33], wage=[15000] * (len(STATUSES) - 1))
    result = compute(persons, 2025)
    assert all(v == 0 for v in result.contributions.values())
    assert result.insurable_wages == 0


# --- old-age pension --------------------------------------------------------------------------


def test_pension_counts_section_39_months() -> None:
    # 200 section 33 + 100 section 39 months = 300 → 35% x 12,000 = 4,200
    persons = leaver(200, 12000, status=SSF_S40, s39_months=100)
    run(persons, 2025)
    assert persons.values_of("ssf_pension")[0] == pytest.approx(4200)


def test_no_pension_below_age_or_in_employment_or_below_minimum() -> None:
    persons = table(age=[54, 55, 55, 70], status=[RETIRED, SSF_S33, RETIRED, UNEMPLOYED],
                    s33_months=[400, 400, 179, 0], avg_insurable_wage=[15000] * 4)
    result = run(persons, 2030)
    assert (persons.values_of("ssf_pension") == 0).all() and (persons.values_of("ssf_pension_start") == 0).all()
    # row 2 (179 months) gets a lump sum instead, nobody a pension
    assert result.benefit[[0, 1, 3]].tolist() == [0, 0, 0]


def test_late_claim_accrues_beyond_55() -> None:
    # working at 55 with 240 months, leaves at 60 with 300: 35% (A5.18)
    persons = leaver(240, 15000, status=SSF_S33)
    run(persons, 2030)
    assert persons.values_of("ssf_pension")[0] == 0
    persons.set("age", [60])
    persons.set("s33_months", [300])
    persons.set("status", [RETIRED])
    run(persons, 2035)
    assert persons.values_of("ssf_pension")[0] == pytest.approx(5250)


def test_pension_suspended_while_reemployed_under_section_33() -> None:
    persons = leaver(300, 15000)
    run(persons, 2027)
    persons.set("status", [SSF_S33])
    persons.set("wage", [10000])
    suspended = run(persons, 2028)
    assert suspended.benefit[0] == 0 and not suspended.recipient_mask()[0]
    assert suspended.contributions["insured"] == pytest.approx(0.05 * 10000 * 12)
    persons.set("status", [RETIRED])
    assert run(persons, 2029).benefit[0] == pytest.approx(12 * 5250)
    paid = TREE.with_overrides({"ssf_s33.pension.suspended_on_reemployment": {"2030-01-01": False}})
    persons.set("status", [SSF_S33])
    assert run(persons, 2030, paid).benefit[0] == pytest.approx(12 * 5250)


def test_indexation_applies_to_pensions_started_in_earlier_years() -> None:
    tree = TREE.with_overrides({"ssf_s33.pension.indexation": {"2028-01-01": 0.02}})
    old, new = leaver(300, 15000), leaver(300, 15000)
    run(old, 2027, tree)
    assert run(old, 2028, tree).benefit[0] == pytest.approx(12 * 5250 * 1.02)
    assert run(new, 2028, tree).benefit[0] == pytest.approx(12 * 5250)
    assert run(leaver(300, 15000), 2027).benefit[0] == pytest.approx(12 * 5250)  # baseline: flat


def test_no_indexation_by_default() -> None:
    persons = leaver(300, 15000)
    for year in range(2027, 2031):
        assert run(persons, year).benefit[0] == pytest.approx(12 * 5250)


def test_phased_pension_age_reform() -> None:
    tree = TREE.with_overrides({"ssf_s33.pension.age": {"2030-01-01": 56, "2032-01-01": 57}})
    for year, age, claims in [(2029, 55, True), (2030, 55, False), (2031, 56, True), (2032, 56, False),
                              (2032, 57, True)]:
        persons = leaver(200, 15000, age=age)
        run(persons, year, tree)
        assert bool(persons.values_of("ssf_pension_start")[0] == year) is claims, (year, age)
        persons = leaver(100, 15000, age=age)
        run(persons, year, tree)
        assert bool(persons.values_of("ssf_lump_sum_year")[0] == year) is claims, (year, age)


def test_pension_age_reform_leaves_earlier_years_unchanged() -> None:
    tree = TREE.with_overrides({"ssf_s33.pension.age": {"2031-01-01": 60}})
    assert_unchanged_before(ssf_s33, leaver(250, 14000), tree, 2031, advance=True)


# --- lump sums --------------------------------------------------------------------------------


def test_lump_sum_return_is_a_parameter() -> None:
    tree = TREE.with_overrides({"ssf_s33.lump_sum.annual_return": {"2023-01-01": 0.0}})
    assert run(leaver(100, 10000), 2026, tree).benefit[0] == pytest.approx(60000)


def test_lump_sum_is_paid_once_and_months_are_kept() -> None:
    persons = leaver(100, 10000)
    assert run(persons, 2026).benefit[0] > 0
    for year in (2027, 2028):
        persons.set("age", persons.age + 1)
        result = run(persons, year)
        assert result.benefit[0] == 0 and not result.recipient_mask()[0]
    assert persons.s33_months[0] == 100 and persons.values_of("ssf_lump_sum_year")[0] == 2026
    # a later return to work adding months does not turn it into a pension
    persons.set("s33_months", [200])
    run(persons, 2029)
    assert persons.values_of("ssf_pension_start")[0] == 0


def test_no_lump_sum_while_insured_under_section_33_or_39() -> None:
    persons = table(age=[58, 58, 58], status=[SSF_S33, SSF_S39, SSF_S40], s33_months=[100] * 3,
                    avg_insurable_wage=[9000] * 3, wage=[9000, 0, 0])
    result = run(persons, 2027)
    assert persons.values_of("ssf_lump_sum_year").tolist() == [0, 0, 2027]
    assert (result.benefit[:2] == 0).all() and result.benefit[2] > 0


def test_no_pension_while_insured_under_section_39() -> None:
    # the pension is paid once insurance has ended (A5.13): a section 39 member of 58 with 200 months keeps
    # contributing; after leaving section 39 she claims (20% + 1.5% x 1 year = 21.5% of 9,000 = 1,935)
    persons = table(age=[58], status=[SSF_S39], s33_months=[150], s39_months=[50], avg_insurable_wage=[9000])
    result = run(persons, 2027)
    assert persons.values_of("ssf_pension_start")[0] == 0 and result.benefit[0] == 0
    persons.set("status", [SSF_S40])
    result = run(persons, 2028)
    assert persons.values_of("ssf_pension_start")[0] == 2028
    assert result.benefit[0] == pytest.approx(12 * 0.215 * 9000)


def test_back_dated_pensions_start_no_earlier_than_december_2014() -> None:
    # base year 2023: a pensioner of 66 reached 55 in 2012, before the first pensions (T4.5), so the claim dates
    # from 2014; one of 60 reached 55 in 2018; a lump-sum claimant of 66 keeps 2012
    persons = table(age=[66, 60, 66], status=[RETIRED] * 3, s33_months=[200, 200, 100],
                    avg_insurable_wage=[10000] * 3)
    ssf_s33.initialise(YearContext(persons, 2023, TREE))
    assert persons.values_of("ssf_pension_start").tolist() == [2014, 2018, 0]
    assert persons.values_of("ssf_lump_sum_year").tolist() == [0, 0, 2012]


def test_nobody_without_contributions_gets_anything() -> None:
    persons = table(age=[60, 80], status=[RETIRED, RETIRED])
    result = run(persons, 2027)
    assert (result.benefit == 0).all() and result.pooled_cost == 0


# --- survivor lump sum and other branches ----------------------------------------------------


def test_survivor_lump_sum_expected_value_within_60_months() -> None:
    # 0.009 deaths/year x 10 x 5,250 = 472.50 THB/year in each of the first 5 years, then nothing
    persons = leaver(300, 15000)
    for year in range(2027, 2034):
        result = run(persons, year)
        expected = 0.009 * 10 * 5250 if year < 2032 else 0.0
        assert result.pooled_cost == pytest.approx(expected), year
        assert result.branch_benefits["old_age"] == pytest.approx(12 * 5250 + expected), year


def test_unemployment_claims_need_six_months_an_age_under_55_and_a_recent_exit() -> None:
    persons = table(age=[40, 40, 55, 40, 40], status=[UNEMPLOYED] * 4 + [SSF_S33], wage=[0] * 4 + [10000],
                    s33_left_year=[2025, 2025, 2025, 2024, 2025], s33_months=[5, 6, 300, 100, 100],
                    avg_insurable_wage=[10000] * 5)
    result = compute(persons, 2025, **NO_RATES)
    assert result.branch_benefits["unemployment"] == pytest.approx(CLAIMS * CLAIM_MONTHS * 10000)


@given(st.integers(min_value=0, max_value=40), st.integers(min_value=1, max_value=40),
       st.floats(min_value=1650, max_value=40000))
@settings(max_examples=30, deadline=None)
def test_unemployment_benefits_are_proportional_to_the_insured_unemployed(entitled: int, others: int,
                                                                          wage: float) -> None:
    """Benefits are the entitled count times one person's benefit; persons in work or long unemployed add nothing."""
    persons = table(status=[UNEMPLOYED] * entitled + [SSF_S33] * others, wage=[0.0] * entitled + [wage] * others,
                    s33_left_year=[2027] * (entitled + others), s33_months=[60] * (entitled + others),
                    avg_insurable_wage=[wage] * (entitled + others))
    result = compute(persons, 2027, **NO_RATES)
    insurable = min(max(wage, 1650), 17500)
    assert result.branch_benefits["unemployment"] == pytest.approx(entitled * CLAIMS * CLAIM_MONTHS * insurable)


def test_cost_scales_linearly_with_a_flat_amount() -> None:
    persons = table(status=[SSF_S33] * 3, wage=[15000] * 3)
    base = compute(persons, 2030).pooled_cost
    doubled = TREE.with_overrides({"ssf_s33.branch_cost.sickness": {"2023-01-01": 2 * 4200}})
    assert compute(persons, 2030, doubled).pooled_cost == pytest.approx(base + 3 * 4200)
    tripled = TREE.with_overrides({"ssf_s33.branch_cost.sickness": {"2023-01-01": 3 * 4200}})
    assert compute(persons, 2030, tripled).pooled_cost == pytest.approx(base + 2 * 3 * 4200)


# --- properties -------------------------------------------------------------------------------

ROW = st.tuples(
    AGE,
    STATUS,
    st.floats(0, 100000),  # wage
    st.integers(0, 600),  # s33 months
    st.integers(0, 300),  # s39 months
    st.floats(0, 23000),  # average insurable wage
    st.sampled_from([0, 0, 1, 4, 5, 8]),  # years since a pension claim (0: none), kept only where it was possible
)


def random_table(rows: list[tuple], year: int, scale: float) -> Persons:
    age, status, wage, s33, s39, avg, since = (np.array(c) for c in zip(*rows))
    could_claim = (age - since >= 55) & (s33 + s39 >= 180)
    start = np.where((since > 0) & could_claim, year - since, 0)
    return table(scale, age=age, status=status, wage=wage, s33_months=s33, s39_months=s39,
                 avg_insurable_wage=avg, ssf_pension=np.where(start > 0, 0.2 * avg, 0.0), ssf_pension_start=start)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=30), st.integers(2023, 2037), st.sampled_from([1.0, 500.0]))
def test_properties(rows: list[tuple], year: int, scale: float) -> None:
    persons = random_table(rows, year, scale)
    claimed_before = persons.values_of("ssf_pension_start") > 0
    result = run(persons, year)
    # no negative flow; identities: payers = branches; every THB of outgo in exactly one branch
    assert_ssf_accounts(result, scale)
    # eligibility of new claims: at the pension age, out of section 33, with enough months for a pension
    months = persons.s33_months.astype(int) + persons.s39_months
    new = (persons.values_of("ssf_pension_start") == year) & ~claimed_before
    assert (persons.age[new] >= 55).all() and (months[new] >= 180).all() and (persons.status[new] != SSF_S33).all()
    lump = persons.values_of("ssf_lump_sum_year") == year
    assert (persons.age[lump] >= 55).all() and (months[lump] < 180).all() and (months[lump] > 0).all()
    assert not (lump & (persons.values_of("ssf_pension_start") > 0)).any()
    # nobody under the pension age or with fewer than 180 months is paid a pension
    pension = result.recipient_mask() & (persons.values_of("ssf_pension_start") > 0)
    assert (persons.age[pension] >= 55).all() and (months[pension] >= 180).all()
    assert not (pension & (persons.status == SSF_S33)).any()
    assert (result.recipient_mask() <= ((persons.values_of("ssf_pension_start") > 0) | lump)).all()
