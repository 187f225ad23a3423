"""Universal Coverage Scheme: members (A6.1), add-on funds and administration after their last dated values, reforms
and properties (worked cases: tests/cases/universal_coverage.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INACTIVE, SSF_S33, SSF_S39, STATUSES
from model.schemes import csmbs, health_cost, universal_coverage
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, assert_only_eligible, assert_unchanged_before, builder,
                          populations, random_columns, run_scheme)

# Add-on funds outside the capitation, million THB per fiscal year: published fund total less capitation envelope.
# FY2023: 204,140.03 - (165,525.153 - 3,922.5855) = 42,537.46; FY2024: 217,628.9596 - 165,525.153 = 52,103.81;
# FY2025: 235,842.8009 - 181,297.4444 = 54,545.36. NHSO administration: 1,950 (FY2023), 2,306.50 (FY2026).
ADD_ONS = {2023: 42_537.46, 2024: 52_103.81, 2025: 54_545.36}
ADMIN_FY2026 = 2_306.50

people = builder("Thai inactive persons aged 40 without household income (take-up draw 0.5), unless given otherwise.",
                 thai=True, propensity=0.5, status=INACTIVE, age=40, hh_income_pc=0.0)


def compute(persons: Persons, year: int, params: ParameterTree = TREE) -> SchemeYear:
    return run_scheme(universal_coverage, persons, year, params)


def indices(health: float, wage: float) -> dict[str, dict[int, float]]:
    """Macro indices growing at constant rates a year from 2022 (fractions)."""
    years = range(2022, 2041)
    return {"cpi": dict.fromkeys(years, 1.0), "wage": {y: (1 + wage) ** (y - 2022) for y in years},
            "health": {y: (1 + health) ** (y - 2022) for y in years}}


def test_add_on_funds_and_administration_grow_after_their_last_dated_value():
    # The FY2025 add-on funds (dated 1 Oct 2024) grow with the health index on each 1 October from 2025: calendar
    # 2030 = 9 months of FY2030 (54,545.36 × 1.05^5) + 3 of FY2031 (× 1.05^6). Administration (FY2026 value dated
    # 1 Oct 2025) grows with wages: 9 months × 1.03^4 + 3 × 1.03^5. One member: the drivers stay at 1.
    add_ons = 54_545.36 * (9 * 1.05**5 + 3 * 1.05**6) / 12
    admin = ADMIN_FY2026 * (9 * 1.03**4 + 3 * 1.03**5) / 12
    result = run_scheme(universal_coverage, people(age=[40]), 2030, indices=indices(0.05, 0.03))
    np.testing.assert_allclose(result.pooled_cost, (add_ons + admin) * 1e6)
    # With constant indices the lines stay at their last dated values, so the indices are what move them.
    np.testing.assert_allclose(compute(people(age=[40]), 2030).pooled_cost, (ADD_ONS[2025] + ADMIN_FY2026) * 1e6)


def test_cost_follows_the_members_age_against_the_base_year():
    # The first year computed is the population's base: its members average the capitation. Ten years older, the
    # same members cost more by their mean profile over the base year's, and so do the add-on funds; administration
    # does not move.
    persons = people(age=[2, 20, 35, 50, 58])
    base = run_scheme(universal_coverage, persons, 2024)
    np.testing.assert_allclose(base.total(), 5 * base.amount.values().mean())
    np.testing.assert_allclose(base.amount.values().mean(), (9 * 3472.24 + 3 * 3844.55) / 12)
    profile = health_cost.load_profiles()["universal_coverage"]
    ratio = profile[[12, 30, 45, 60, 68]].mean() / profile[[2, 20, 35, 50, 58]].mean()
    persons.columns["age"] += 10
    older = run_scheme(universal_coverage, persons, 2024)
    np.testing.assert_allclose(older.total(), ratio * base.total())
    admin = universal_coverage.fixed_monthly_cost(YearContext(persons, 2024, TREE)).sum()
    np.testing.assert_allclose(older.pooled_cost - admin, ratio * (base.pooled_cost - admin))
    np.testing.assert_allclose(ratio, (0.50 + 0.75 + 1.00 + 1.25 + 1.25) / (1.10 + 0.60 + 0.75 + 1.00 + 1.00))


def test_every_thai_is_covered_exactly_once_by_ucs_csmbs_or_ssf():
    rng = np.random.default_rng(8)
    n = 2000
    status = rng.integers(0, len(STATUSES), n)
    persons = people(age=rng.integers(0, 101, n), status=status,
                     state_employee=(status == CIVIL_SERVANT) & (rng.random(n) < 0.4),
                     state_pensioner=rng.random(n) < 0.02, propensity=rng.random(n))
    ctx = YearContext(persons, 2025, TREE)
    ucs, cs = universal_coverage.members(ctx), csmbs.csmbs_beneficiary(ctx)
    ssf = np.isin(persons.status, (SSF_S33, SSF_S39)) | persons.values_of("state_employee")
    assert not (ucs & cs).any() and not (ucs & ssf).any()
    assert (ucs | cs | ssf)[persons.thai].all()
    assert cs[~ucs & ~ssf].any()  # some drawn dependants, as A7.7 implies


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"universal_coverage.capitation": {"2029-10-01": 6000}})
    assert_unchanged_before(universal_coverage, people(age=[5, 70]), reform, 2029)


def test_cost_scales_linearly_with_a_flat_amount():
    persons = people(scale=5000.0, **random_columns(np.random.default_rng(9), 300, status=True))
    flat = TREE  # no indices: constant after the last dated value
    doubled = flat.with_overrides({"universal_coverage.capitation": {
        "2021-10-01": 6720, "2022-10-01": 6771.96, "2023-10-01": 6944.48, "2024-10-01": 7689.1,
        "2025-10-01": 8346.08}})
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
                & ~persons.values_of("state_pensioner"))
    assert_only_eligible(result, eligible)
    assert result.pooled_cost >= 0
