"""CSMBS: beneficiaries (A6.9, A7.7, Royal Decree on Medical Welfare B.E. 2553), drawn dependants, spending growth with
the health index, reforms and properties (worked cases: tests/cases/csmbs.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population.status import CHILD, CIVIL_SERVANT, INACTIVE, INFORMAL, RETIRED, SSF_S33, SSF_S39
from model.schemes import csmbs
from model.schemes.base import YearContext

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before,
                          builder, never, populations, random_columns, run_scheme)

FIRST = always(csmbs.SCHEME.take_up_offset)  # smallest dependant draw: picked first
LAST = never(csmbs.SCHEME.take_up_offset)

people = builder("Thai inactive persons without household income whose dependant draw comes last, unless given "
                 "otherwise.", thai=True, propensity=LAST, status=INACTIVE, hh_income_pc=0.0)


def test_spending_grows_with_the_health_index():
    # 11,220 THB dated 1 Oct 2022: calendar 2028 = 9 months after five anniversaries + 3 after six, each × the
    # health index's growth (here 5% a year); without indices it stays at 11,220. One beneficiary: profile 1.
    persons = people(age=[45], status=[CIVIL_SERVANT])
    health = {y: 1.05 ** (y - 2022) for y in range(2022, 2030)}
    grown = csmbs.compute(YearContext(persons, 2028, TREE, indices={"health": health})).benefit
    np.testing.assert_allclose(grown, [11_220 * (9 * 1.05**5 + 3 * 1.05**6) / 12])
    np.testing.assert_allclose(csmbs.compute(YearContext(people(age=[45], status=[CIVIL_SERVANT]), 2028, TREE)).benefit,
                               [11_220])


def test_dependants_number_dependants_per_principal():
    # A7.7: 4.6 M family members / (1.8 M officials + 0.8 M retirees) = 1.77 per principal. 10 officials and
    # 1 state pensioner (principals) and 5 state employees (not principals) → round(1.77 × 11) = round(19.47)
    # = 19 dependants among the candidates.
    n_cs, n_se, n_cand = 10, 5, 100
    rng = np.random.default_rng(5)
    persons = people(
        age=np.r_[np.full(n_cs + n_se, 40), rng.choice([3, 15, 65, 80], n_cand), [10, 70, 40]],
        status=np.r_[np.full(n_cs + n_se, CIVIL_SERVANT), np.full(n_cand, INACTIVE), [SSF_S33, RETIRED, INFORMAL]],
        state_employee=np.r_[np.zeros(n_cs, bool), np.ones(n_se, bool), np.zeros(n_cand + 3, bool)],
        state_pensioner=np.r_[np.zeros(n_cs + n_se + n_cand, bool), [False, True, False]],
        propensity=np.r_[rng.random(n_cs + n_se + n_cand), [FIRST, FIRST, FIRST]],
    )
    dependant = csmbs.csmbs_dependant(YearContext(persons, 2024, TREE))
    assert dependant.sum() == 19
    assert not dependant[:n_cs + n_se].any()  # personnel are covered in their own right or insured under s33
    # Not candidates, whatever their draw: an insured child, a state pensioner, a working-age adult.
    assert not dependant[-3:].any()
    beneficiary = csmbs.csmbs_beneficiary(YearContext(persons, 2024, TREE))
    assert beneficiary.sum() == 10 + 19 + 1


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
    doubled = TREE.with_overrides({"csmbs.spending_per_beneficiary": {"2022-10-01": 22440}})
    ctx, reform_ctx = YearContext(persons, 2027, TREE), YearContext(persons, 2027, doubled)
    assert np.isclose(csmbs.compute(reform_ctx).benefit.sum(), 2 * csmbs.compute(ctx).benefit.sum())


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, status=STATUS, state_employee=FLAG, state_pensioner=FLAG,
                           propensity=PROPENSITY), year=st.integers(2023, 2037))
def test_benefits_never_negative_and_only_eligible_covered(persons, year):
    candidate = (persons.thai & ((persons.age < 20) | (persons.age >= 60)) & ~persons.values_of("state_pensioner")
                 & ~np.isin(persons.status, (SSF_S33, SSF_S39, CIVIL_SERVANT)))
    official = (persons.status == CIVIL_SERVANT) & ~persons.values_of("state_employee")
    eligible = official | persons.values_of("state_pensioner") | candidate
    assert_only_eligible(run_scheme(csmbs, persons, year), eligible)
    dependants = csmbs.csmbs_dependant(YearContext(persons, year, TREE)).sum()
    assert dependants == min(candidate.sum(), round(1.77 * (official | persons.values_of("state_pensioner")).sum()))
