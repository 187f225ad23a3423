"""State Welfare Card: eligibility, reforms and properties (worked cases: tests/cases/welfare_card.yaml)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.households import income_per_person_of_rows
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INACTIVE, RETIRED
from model.schemes import welfare_card
from model.schemes.base import SchemeYear, YearContext

from scheme_cases import (AGE, FLAG, PROPENSITY, STATUS, TREE, always, assert_only_eligible, assert_unchanged_before,
                          builder, never, populations, random_columns, run_scheme)

ALWAYS = always(welfare_card.SCHEME.take_up_offset)
NEVER = never(welfare_card.SCHEME.take_up_offset)

MONEY_SHARE = 0.855  # common.money_income_share: the tests count declared money income, 85.5% of total income


people = builder("Thai inactive adults aged 30 without wage in households at 50,000 THB/person/year who always take "
                 "up, unless given otherwise.",
                 thai=True, hh_income_pc=50_000.0, propensity=ALWAYS, status=INACTIVE, age=30)


def split(result: SchemeYear) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """In-kind credits, cash top-ups (THB/year per row) and holders, over the whole population."""
    return result.benefit - result.cash_benefit, result.cash_benefit, result.recipient_mask()


def parts(persons: Persons, year: int, params: ParameterTree = TREE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`split` of the year's flows."""
    return split(run_scheme(welfare_card, persons, year, params))


def test_eligibility_tests_and_exclusions():
    # A4.1 age 18+ and Thai; A4.2 own income ≤ 100,000 (wage 8,400 × 12 = 100,800 fails);
    # A4.3 declared household money income ≤ 100,000 per person: total income 116,960 × 0.855 = 100,000.8 fails,
    # 110,000 × 0.855 = 94,050 passes; A4.6 civil servants, state and SSF pensioners excluded.
    cases = {
        "eligible": {}, "age 17": {"age": 17}, "non-Thai": {"thai": False}, "own income": {"wage": 8400},
        "household": {"hh_income_pc": 116_960}, "eligible, household 110,000": {"hh_income_pc": 110_000}, "civil servant": {"status": CIVIL_SERVANT, "wage": 1000},
        "state pensioner": {"state_pensioner": True, "status": RETIRED},
        "SSF pensioner": {"ssf_pension_start": 2021, "status": RETIRED}, "no take-up": {"propensity": NEVER},
    }
    columns = {name: [case.get(name, default) for case in cases.values()]
               for name, default in [("age", 30), ("thai", True), ("wage", 0.0), ("hh_income_pc", 50_000.0),
                                     ("status", INACTIVE), ("state_pensioner", False), ("ssf_pension_start", 0),
                                     ("propensity", ALWAYS)]}
    _, _, holder = parts(people(**columns), 2024)
    assert dict(zip(cases, holder.tolist())) == {name: name.startswith("eligible") for name in cases}
    reform = TREE.with_overrides({"welfare_card.excludes_state_personnel": {"2024-01-01": False}})
    _, _, holder = parts(people(**columns), 2024, reform)
    assert holder[list(cases).index("civil servant")]


def test_future_reform_leaves_earlier_years_unchanged():
    reform = TREE.with_overrides({"welfare_card.goods_credit.low_income": {"2028-01-01": 500},
                                  "welfare_card.transport_usage_rate": {"2028-01-01": 0.5}})
    assert_unchanged_before(welfare_card, people(age=[30, 70], disabled=[False, True]), reform, 2028)


def test_cost_scales_linearly_with_a_flat_amount():
    rng = np.random.default_rng(4)
    n = 400
    columns = random_columns(rng, n)
    persons = people(scale=1000.0, **columns, wage=rng.random(n) * 12_000, hh_income_pc=rng.random(n) * 150_000,
                     disabled=rng.random(n) < 0.1)
    amounts = {"goods_credit.low_income": 300, "goods_credit.standard": 300, "transport_credit": 750,
               "gas_discount": 80, "disability_topup": 200}  # no elderly top-up after March 2023
    doubled = TREE.with_overrides({f"welfare_card.{p}": {"2025-01-01": 2 * v} for p, v in amounts.items()})
    base = welfare_card.compute(YearContext(persons, 2025, TREE)).benefit.sum()
    assert np.isclose(welfare_card.compute(YearContext(persons, 2025, doubled)).benefit.sum(), 2 * base)


@settings(max_examples=60, deadline=None)
@given(persons=populations(age=AGE, thai=FLAG, status=STATUS, wage=st.floats(0, 20_000),
                           hh_income_pc=st.floats(0, 300_000), state_pensioner=FLAG,
                           ssf_pension_start=st.sampled_from([0, 2019]), disabled=FLAG, propensity=PROPENSITY),
       year=st.integers(2023, 2037))
def test_benefits_never_negative_and_only_eligible_paid(persons, year):
    result = run_scheme(welfare_card, persons, year)
    eligible = (persons.thai & (persons.age >= 18) & (persons.wage.astype(np.float64) * 12.0 <= 100_000)
                & (income_per_person_of_rows(persons) * np.float32(MONEY_SHARE) <= 100_000)
                & (persons.status != CIVIL_SERVANT)
                & ~persons.values_of("state_pensioner")
                & (persons.values_of("ssf_pension_start") == 0))
    assert_only_eligible(result, eligible)
    in_kind, cash, holder = split(result)
    assert (in_kind >= 0).all() and (cash >= 0).all()
    assert not ((in_kind + cash > 0) & ~holder).any()
