"""Universal Coverage Scheme: members (A6.1), capitation by fiscal year (A6.2-A6.7), reforms and properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INACTIVE, RETIRED, SSF_S33, SSF_S39, SSF_S40, STATUSES
from model.schemes import csmbs, universal_coverage
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, assert_only_eligible, assert_unchanged_before, builder,
                          populations, random_columns, run_scheme)

# A6.8 add-on envelopes (FY2026 values, assumed for FY2023-25): 4,529.36 + 16,074.98 + 1,700.61 + 1,490.29
# = 23,795.24 million THB a year.
ADD_ONS = 23_795.24e6

people = builder("Thai inactive persons aged 40 without household income (take-up draw 0.5), unless given otherwise.",
                 thai=True, propensity=0.5, status=INACTIVE, age=40, hh_income_pc=0.0)


def compute(persons: Persons, year: int, params: ParameterTree = TREE) -> SchemeYear:
    return run_scheme(universal_coverage, persons, year, params)


def test_worked_case_capitation_by_fiscal_year():
    # Calendar 2024 = 9 months of FY2024 (3,470) + 3 of FY2025 (3,844.55): (9 × 3,470 + 3 × 3,844.55) / 12
    # = 3,563.6375 THB per member. Calendar 2026 = (9 × 4,173.04 (FY2026) + 3 × 4,173.04 × 1.04 (FY2027, the
    # last dated value grown 4%)) / 12 = 4,214.7704.
    result = compute(people(age=[40]), 2024)
    np.testing.assert_allclose(result.benefit, [3563.6375])
    np.testing.assert_allclose(compute(people(age=[40]), 2026).benefit, [(9 * 4173.04 + 3 * 4173.04 * 1.04) / 12])
    assert result.cash is False
    np.testing.assert_allclose(result.pooled_cost, ADD_ONS)


def test_members_exclude_ssf_insured_csmbs_and_non_thai():
    persons = people(status=[INACTIVE, SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT, RETIRED, INACTIVE],
                     state_pensioner=[False, False, False, False, False, True, False],
                     thai=[True, True, True, True, True, True, False])
    assert universal_coverage.members(YearContext(persons, 2024, TREE)).tolist() == [
        True, False, False, True, False, False, False]


def test_every_thai_is_covered_exactly_once_by_ucs_csmbs_or_ssf():
    rng = np.random.default_rng(8)
    n = 2000
    persons = people(age=rng.integers(0, 101, n), status=rng.integers(0, len(STATUSES), n),
                     state_pensioner=rng.random(n) < 0.02, propensity=rng.random(n))
    ctx = YearContext(persons, 2025, TREE)
    ucs, cs = universal_coverage.members(ctx), csmbs.csmbs_beneficiary(ctx)
    ssf = np.isin(persons.status, (SSF_S33, SSF_S39))
    assert not (ucs & cs).any() and not (ucs & ssf).any()
    assert (ucs | cs | ssf)[persons.thai].all()
    assert cs[~ucs & ~ssf].any()  # some drawn dependants, as A7.7 implies


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"universal_coverage.capitation": {"2029-10-01": 6000}})
    persons = people(age=[5, 70])
    assert_unchanged_before(universal_coverage, persons, reform, 2029)
    # 2029: 9 months FY2029 (4,173.04 × 1.04^3) + 3 months at the reform's 6,000.
    np.testing.assert_allclose(compute(persons, 2029, reform).benefit, (9 * 4173.04 * 1.04**3 + 3 * 6000) / 12)
    # 2031: 9 months of 6,000 × 1.04 (FY2031) + 3 of 6,000 × 1.04^2 (FY2032).
    np.testing.assert_allclose(compute(persons, 2031, reform).benefit, (9 * 6000 * 1.04 + 3 * 6000 * 1.04**2) / 12)


def test_cost_scales_linearly_with_a_flat_amount():
    persons = people(scale=5000.0, **random_columns(np.random.default_rng(9), 300, status=True))
    flat = TREE.with_overrides({"universal_coverage.growth_after_2026": {"2023-01-01": 0.0}})
    doubled = flat.with_overrides({"universal_coverage.capitation": {
        "2021-10-01": 6720, "2022-10-01": 6940, "2023-10-01": 6940, "2024-10-01": 7689.1, "2025-10-01": 8346.08}})
    for year in (2024, 2030):
        base, reform = compute(persons, year, flat), compute(persons, year, doubled)
        assert np.isclose(reform.benefit.sum(), 2 * base.benefit.sum())
        assert reform.pooled_cost == base.pooled_cost


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, status=STATUS, state_pensioner=FLAG, propensity=PROPENSITY),
       year=st.integers(2023, 2037))
def test_benefits_never_negative_and_only_eligible_members(persons, year):
    result = compute(persons, year)
    eligible = (persons.thai & ~np.isin(persons.status, (SSF_S33, SSF_S39)) & (persons.status != CIVIL_SERVANT)
                & ~persons.state_pensioner)
    assert_only_eligible(result, eligible)
    assert result.pooled_cost >= 0
