"""CSMBS: beneficiaries (A6.9, A7.7), drawn dependants, spending growth, reforms and properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population.status import CHILD, CIVIL_SERVANT, INACTIVE, INFORMAL, RETIRED, SSF_S33, SSF_S39
from model.schemes import csmbs
from model.schemes.base import YearContext
from model.schemes.takeup import CSMBS_DEPENDANT

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before,
                          builder, never, populations, random_columns, run_scheme)

FIRST = always(CSMBS_DEPENDANT)  # smallest dependant draw: picked first
LAST = never(CSMBS_DEPENDANT)

people = builder("Thai inactive persons without household income whose dependant draw comes last, unless given "
                 "otherwise.", thai=True, propensity=LAST, status=INACTIVE, hh_income_pc=0.0)


def test_worked_case_spending_per_beneficiary():
    # 13,500 THB in 2023 (dated 1 Jan 2023, an assumption); grown by 4% on each 1 January after:
    # 2024 = 13,500 × 1.04 = 14,040; 2026 = 13,500 × 1.04^3 = 15,185.664.
    persons = people(age=[45, 70], status=[CIVIL_SERVANT, RETIRED], state_pensioner=[False, True])
    for year, expected in [(2023, 13500), (2024, 14040), (2026, 13500 * 1.04**3)]:
        np.testing.assert_allclose(csmbs.compute(YearContext(persons, year, TREE)).benefit, [expected, expected])


def test_uprated_monthly_compounds_on_anniversaries_of_the_last_dated_value():
    # UCS capitation FY2026 = 4,173.04 from 1 Oct 2025; FY2027 from 1 Oct 2026 = 4,173.04 × 1.04.
    values = csmbs.uprated_monthly(TREE, "universal_coverage.capitation", 2026)
    np.testing.assert_allclose(values, [4173.04] * 9 + [4173.04 * 1.04] * 3)
    # A growth reform from 2030 changes nothing before the 1 Oct 2030 anniversary.
    reform = TREE.with_overrides({"universal_coverage.growth_after_2026": {"2030-10-01": 0.10}})
    np.testing.assert_allclose(csmbs.uprated_monthly(reform, "universal_coverage.capitation", 2030)[:9],
                               csmbs.uprated_monthly(TREE, "universal_coverage.capitation", 2030)[:9])
    np.testing.assert_allclose(csmbs.uprated_monthly(reform, "universal_coverage.capitation", 2030)[9],
                               4173.04 * 1.04**4 * 1.10)


def test_dependants_number_dependants_per_civil_servant():
    # A7.7: 1.53 dependants per civil servant; 10 civil servants → round(15.3) = 15 dependants among candidates.
    n_cs, n_cand = 10, 100
    rng = np.random.default_rng(5)
    persons = people(
        age=np.r_[np.full(n_cs, 40), rng.choice([3, 15, 65, 80], n_cand), [10, 70, 40]],
        status=np.r_[np.full(n_cs, CIVIL_SERVANT), np.full(n_cand, INACTIVE), [SSF_S33, RETIRED, INFORMAL]],
        state_pensioner=np.r_[np.zeros(n_cs + n_cand, bool), [False, True, False]],
        propensity=np.r_[rng.random(n_cs + n_cand), [FIRST, FIRST, FIRST]],
    )
    dependant = csmbs.csmbs_dependant(YearContext(persons, 2024, TREE))
    assert dependant.sum() == 15
    assert not dependant[:n_cs].any()  # personnel are covered in their own right
    # Not candidates, whatever their draw: an insured child, a state pensioner, a working-age adult.
    assert not dependant[-3:].any()
    beneficiary = csmbs.csmbs_beneficiary(YearContext(persons, 2024, TREE))
    assert beneficiary.sum() == 10 + 15 + 1


def test_dependants_are_stable_when_personnel_grow():
    # More civil servants only add dependants: the drawn set with fewer is a subset of the set with more.
    rng = np.random.default_rng(6)
    n = 500
    status = np.where(rng.random(n) < 0.05, CIVIL_SERVANT, CHILD)
    persons = people(age=np.where(status == CIVIL_SERVANT, 40, rng.integers(0, 20, n)), status=status,
                     propensity=rng.random(n))
    before = csmbs.csmbs_dependant(YearContext(persons, 2024, TREE))
    status[np.flatnonzero(status == CHILD)[:10]] = CIVIL_SERVANT
    persons.set("status", status)
    after = csmbs.csmbs_dependant(YearContext(persons, 2024, TREE))
    assert after.sum() >= before.sum() - 10  # the 10 new civil servants may have been dependants
    assert not (before & ~after & (persons.status != CIVIL_SERVANT)).any()


def test_covered_groups_can_be_switched_off_in_a_future_year():
    reform = TREE.with_overrides({"csmbs.covered_groups.retirees": {"2030-01-01": False}})
    persons = people(age=[45, 70], status=[CIVIL_SERVANT, RETIRED], state_pensioner=[False, True])
    assert_unchanged_before(csmbs, persons, reform, 2030)
    assert csmbs.compute(YearContext(persons, 2030, reform)).recipient_mask().tolist() == [True, False]


def test_cost_scales_linearly_with_a_flat_amount():
    persons = people(scale=2000.0, **random_columns(np.random.default_rng(7), 300, status=True))
    doubled = TREE.with_overrides({"csmbs.spending_per_beneficiary": {"2023-01-01": 27000}})
    ctx, reform_ctx = YearContext(persons, 2027, TREE), YearContext(persons, 2027, doubled)
    assert np.isclose(csmbs.compute(reform_ctx).benefit.sum(), 2 * csmbs.compute(ctx).benefit.sum())


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, status=STATUS, state_pensioner=FLAG, propensity=PROPENSITY),
       year=st.integers(2023, 2037))
def test_benefits_never_negative_and_only_eligible_covered(persons, year):
    candidate = (persons.thai & ((persons.age < 20) | (persons.age >= 60)) & ~persons.state_pensioner
                 & ~np.isin(persons.status, (SSF_S33, SSF_S39, CIVIL_SERVANT)))
    eligible = (persons.status == CIVIL_SERVANT) | persons.state_pensioner | candidate
    assert_only_eligible(run_scheme(csmbs, persons, year), eligible)
    dependants = csmbs.csmbs_dependant(YearContext(persons, year, TREE)).sum()
    assert dependants == min(candidate.sum(), round(1.53 * (persons.status == CIVIL_SERVANT).sum()))
