"""The household calculator (model/household_calculator.py): worked cases computed by hand from the cited rules,
its input errors, and agreement with the amounts a run of the whole population pays the same persons."""

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import ModelInputError
from model.household_calculator import (COLUMNS, TOTAL, calculate, check_year, compare, read_household)
from model.population.households import income_per_person
from model.population.status import (CIVIL_SERVANT, RETIRED, SSF_S33, SSF_S40, STATUSES,
                                     WORKING_AGE)
from model.scenario import load_scenario
from model.schemes.registry import DECLARATIONS, SCHEMES, apply_schemes
from model.simulation import SocialSecurityModel


def one(**member: object) -> dict:
    """A household of one member (outside income 0 unless given as `outside_income`)."""
    outside = member.pop("outside_income", 0.0)
    return {"members": [member], "outside_income": outside}


def income_test_from(day: date):
    """Current law with the old-age allowance's income test (A1.10) switched on from `day`."""
    return load_scenario("baseline").replaced(name="oaa_income_test",
                                              parameters={"old_age_allowance.income_test.enabled": {day: True}})


# --- worked cases --------------------------------------------------------------------------------------------


def test_a_72_year_old_thai_gets_the_70_79_band_of_the_old_age_allowance():
    # A1.2: 700 THB/month for ages 70-79, no means test in current law: 12 x 700 = 8,400 THB in 2026.
    result = calculate(one(age=72, sex="female"), "baseline", 2026)
    assert result.schemes.loc["old_age_allowance", "benefit"] == pytest.approx(8_400)
    assert result.schemes.loc["old_age_allowance", "cash"] == pytest.approx(8_400)
    table = compare(one(age=72, sex="female"), "baseline", 2026)
    assert table.loc["old_age_allowance", "base_month"] == pytest.approx(700)


def test_under_an_income_test_only_new_entrants_above_the_threshold_lose_the_allowance():
    # A1.10 with the test on from 1 Jan 2026: a person reaching 60 from then on needs household income per person at
    # most 100,000 THB a year; those who reached 60 earlier keep the allowance.
    reform = income_test_from(date(2026, 1, 1))
    poor = one(age=60, sex="male", outside_income=90_000)  # 90,000 THB per person a year
    rich = one(age=60, sex="male", outside_income=150_000)
    protected = one(age=72, sex="male", outside_income=150_000)  # reached 60 in 2014
    assert calculate(poor, reform, 2026).amount["old_age_allowance"] == pytest.approx(12 * 600)  # A1.1
    assert calculate(rich, reform, 2026).amount["old_age_allowance"] == 0
    assert calculate(protected, reform, 2026).amount["old_age_allowance"] == pytest.approx(12 * 700)
    assert calculate(rich, "baseline", 2026).amount["old_age_allowance"] == pytest.approx(12 * 600)


def test_a_newborn_in_a_poor_household_gets_the_child_support_grant():
    # A3: 600 THB/month per Thai child under 6 when declared income per person is below 100,000 THB a year.
    # Mother earning 5,000 THB/month and 12,000 THB a year from outside work: (60,000 + 12,000) / 2 = 36,000 THB per
    # person, of which money 0.855 x 36,000 = 30,780 < 100,000: 12 x 600 = 7,200 THB in 2026.
    poor = {"members": [{"age": 0, "sex": "male", "mother": 1},
                        {"age": 25, "sex": "female", "status": "informal_uninsured", "wage": 5_000}],
            "outside_income": 12_000}
    result = calculate(poor, "baseline", 2026)
    assert result.income_per_person == pytest.approx(36_000)
    assert result.money_income_per_person == pytest.approx(30_780)
    assert result.members.loc[0, "child_support_grant"] == pytest.approx(7_200)
    assert result.members.loc[1, "child_support_grant"] == 0
    # earning 20,000 a month: (240,000 + 12,000) / 2 = 126,000, money 107,730 >= 100,000: no grant
    richer = {**poor, "members": [poor["members"][0], {**poor["members"][1], "wage": 20_000}]}
    assert calculate(richer, "baseline", 2026).amount["child_support_grant"] == 0


def test_a_section_33_worker_pays_5_percent_of_the_capped_wage():
    # A5.1-A5.3: employee 5%, employer 5%, government 2.75% of the wage within [1,650, ceiling]; the ceiling is
    # 15,000 THB/month to 2025 and 17,500 from 1 Jan 2026.
    worker = one(age=30, sex="female", status="ssf_s33", wage=20_000, s33_months=60)
    in_2025 = calculate(worker, "baseline", 2025).schemes.loc["ssf_s33"]
    assert in_2025["contribution_insured"] == pytest.approx(0.05 * 15_000 * 12)  # 9,000
    assert in_2025["contribution_employer"] == pytest.approx(0.05 * 15_000 * 12)
    assert in_2025["contribution_government"] == pytest.approx(0.0275 * 15_000 * 12)  # 4,950
    assert in_2025["amount"] == pytest.approx(-9_000)
    assert calculate(worker, "baseline", 2026).amount["ssf_s33"] == pytest.approx(-0.05 * 17_500 * 12)  # -10,500
    low = one(age=30, sex="female", status="ssf_s33", wage=1_000)
    assert calculate(low, "baseline", 2025).amount["ssf_s33"] == pytest.approx(-0.05 * 1_650 * 12)  # the floor: -990


def test_a_retired_insured_person_draws_the_ssf_pension():
    # A5.13-A5.14: 300 months: 20% + 1.5% x 10 full years beyond 180 months = 35% of 15,000 = 5,250 THB/month.
    retired = one(age=60, sex="male", status="retired", s33_months=300, avg_insurable_wage=15_000)
    assert calculate(retired, "baseline", 2026).amount["ssf_s33"] == pytest.approx(12 * 5_250)
    # still insured under section 33: no pension, contributions instead
    working = one(age=60, sex="male", status="ssf_s33", wage=15_000, s33_months=300, avg_insurable_wage=15_000)
    assert calculate(working, "baseline", 2026).amount["ssf_s33"] == pytest.approx(-0.05 * 15_000 * 12)


def test_disability_allowance_for_a_child_and_an_adult():
    # A2.1-A2.2: 1,000 THB/month under 18, 800 from 18.
    assert calculate(one(age=10, sex="male", disabled=True), "baseline", 2026).amount[
        "disability_allowance"] == pytest.approx(12 * 1_000)
    assert calculate(one(age=40, sex="male", disabled=True), "baseline", 2026).amount[
        "disability_allowance"] == pytest.approx(12 * 800)
    assert calculate(one(age=40, sex="male", nationality="non_thai", disabled=True), "baseline", 2026).amount[
        "disability_allowance"] == 0


def test_the_reform_column_and_the_difference():
    # oaa_ladder_2025: 850 THB/month at 70-79 from 1 Oct 2025 instead of 700, so +150 a month in 2026.
    table = compare(one(age=72, sex="female"), "oaa_ladder_2025", 2026)
    row = table.loc["old_age_allowance"]
    assert (row["base_month"], row["reform_month"], row["difference_month"]) == pytest.approx((700, 850, 150))
    assert row["difference_year"] == pytest.approx(1_800)
    assert table.loc[TOTAL, "difference_year"] == pytest.approx(1_800)
    assert table.loc[TOTAL, "base_year"] == pytest.approx(table.drop(TOTAL)["base_year"].sum())
    # a change from 1 October counts for three months of that calendar year: 3 x 150 = 450 in 2025
    assert compare(one(age=72, sex="female"), "oaa_ladder_2025", 2025).loc[TOTAL, "difference_year"] == \
        pytest.approx(450)


def test_every_scheme_and_column_is_there_and_benefits_split_into_cash_and_in_kind():
    result = calculate({"members": [{"age": 72, "sex": "female"}, {"age": 3, "sex": "male"}]}, "baseline", 2026)
    assert list(result.schemes.index) == list(SCHEMES)
    assert list(result.schemes.columns) == list(COLUMNS)
    s = result.schemes
    np.testing.assert_allclose(s["benefit"], s["cash"] + s["in_kind"])
    saving = [DECLARATIONS[name].kind == "savings" for name in s.index]
    np.testing.assert_allclose(s["amount"], s["benefit"] - s["contribution_insured"].where(~np.array(saving), 0.0))
    np.testing.assert_allclose(result.members.sum(), s["benefit"])
    assert s.loc["universal_coverage", "in_kind"] > 0  # both are UCS members: health cover in kind


# --- input errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("household, message", [
    ({"members": []}, "field 'members'"),
    (one(age=130, sex="male"), "field 'members.0.age'"),
    (one(age=30, sex="other"), "field 'members.0.sex'"),
    (one(age=30, sex="male", status="boss"), "field 'members.0.status'"),
    (one(age=30, sex="male", wage=-1), "field 'members.0.wage'"),
    (one(age=30, sex="male", wage=5_000), "field 'members.0.wage': a member whose status is 'inactive' has no wage"),
    (one(age=10, sex="male", status="ssf_s33"), "field 'members.0.status'"),
    (one(age=20, sex="male", s33_months=100, avg_insurable_wage=9_000), "at most 12 months a year from age 15"),
    (one(age=60, sex="male", s33_months=200), "field 'members.0.avg_insurable_wage'"),
    (one(age=40, sex="male", status="ssf_s40"), "field 'members.0.s40_option'"),
    (one(age=70, sex="male", state_pensioner=True), "field 'members.0.service_years'"),
    (one(age=4, sex="male", mother=3), "field 'members.0.mother'"),
    (one(age=40, sex="male", colour="blue"), "field 'members.0.colour': unknown key"),
    (one(age=40, sex="male", outside_income=-5), "field 'outside_income'"),
])
def test_bad_input_names_the_field_and_the_value(household, message):
    with pytest.raises(ModelInputError, match="^household: ") as error:
        read_household(household)
    assert message in str(error.value)
    assert "(got" in str(error.value) or "required" in str(error.value)


@pytest.mark.parametrize("year", [2022, 2101, 2026.5, "2026", True])
def test_a_year_outside_the_data_is_refused(year):
    with pytest.raises(ModelInputError, match="field 'year'"):
        check_year(year)


# --- invariants -----------------------------------------------------------------------------------------------

MEMBER = st.fixed_dictionaries({
    "age": st.integers(0, 100), "sex": st.sampled_from(["male", "female"]),
    "nationality": st.sampled_from(["thai", "non_thai"]), "disabled": st.booleans(),
    "wage": st.sampled_from([0, 3_000, 12_000, 40_000])})


def _fit(member: dict) -> dict:
    """A drawn member made valid: the status its age and wage allow."""
    if member["age"] < WORKING_AGE:
        return {**member, "wage": 0, "status": "child"}
    return {**member, "status": "informal_uninsured" if member["wage"] else "inactive"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MEMBER, min_size=1, max_size=5), st.sampled_from([0, 50_000, 500_000]))
def test_current_law_against_itself_changes_nothing_and_benefits_are_never_negative(members, outside):
    household = {"members": [_fit(m) for m in members], "outside_income": outside}
    table = compare(household, "baseline", 2027)
    assert (table["difference_year"] == 0).all()
    result = calculate(household, "baseline", 2027)
    assert (result.members.to_numpy() >= 0).all()
    assert (result.schemes.filter(like="contribution") >= 0).all().all()


# --- agreement with a run ---------------------------------------------------------------------------------------

YEAR = 2025
TAKE_UP = {name for name, scheme in DECLARATIONS.items() if scheme.take_up is not None and name != "csmbs"}


@pytest.fixture(scope="module")
def population():
    """The baseline at 1,000 persons per row stepped to 1 July 2025, and every scheme's flows of 2025."""
    scenario = load_scenario("baseline").replaced(scale=1_000)
    sim = SocialSecurityModel(scenario)
    while sim.year < YEAR:
        sim.step()
    flows = apply_schemes(sim.year_context(YEAR))  # after the year's claims, as a run computes the year
    return scenario, sim.persons, flows


def member_of(persons, row: int, positions: dict[int, int]) -> dict:
    """A row of the population as a household member (links by position in its household)."""
    p = persons
    status = STATUSES[int(p.status[row])]
    member = {"age": int(p.age[row]), "sex": "female" if p.sex[row] else "male",
              "nationality": "thai" if p.thai[row] else "non_thai", "status": status, "wage": float(p.wage[row]),
              "disabled": bool(p.disabled[row]), "s33_months": int(p.s33_months[row]),
              "s39_months": int(p.s39_months[row]), "s40_months": int(p.s40_months[row]),
              "avg_insurable_wage": float(p.avg_insurable_wage[row]), "s40_option": int(p.s40_option[row]),
              **{flag: bool(p.values_of(flag)[row])
                 for flag in ("state_employee", "gpf_member", "local_official", "state_pensioner")},
              "service_years": float(p.values_of("service_years")[row]),
              "last_salary": float(p.values_of("cs_last_salary")[row]),
              "average_salary": float(p.values_of("cs_salary")[row])}
    for link in ("mother", "partner"):
        if int(getattr(p, link)[row]) in positions:
            member[link] = positions[int(getattr(p, link)[row])]
    return member


def sample_households(persons, year: int, per_kind: int = 6) -> list[np.ndarray]:
    """Rows of households of every kind the schemes tell apart (an older person, a young child, a section 33, 39
    or 40 insured, a disabled person, an official, a state pensioner, an SSF pensioner), up to `per_kind` each,
    leaving out what a household cannot say: one-off claims made this year past the claim age, and a one-off
    civil-service gratuity."""
    p = persons
    income = income_per_person(p)
    order = np.argsort(p.hh, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(p.hh[order]) != 0])
    groups = np.split(order, starts[1:])
    kinds = [lambda r: p.age[r] >= 60, lambda r: p.age[r] < 6, lambda r: p.status[r] == SSF_S33,
             lambda r: p.s39_months[r] > 0, lambda r: p.status[r] == SSF_S40, lambda r: p.disabled[r],
             lambda r: p.status[r] == CIVIL_SERVANT, lambda r: p.values_of("state_pensioner")[r],
             lambda r: p.values_of("ssf_pension_start")[r] > 0, lambda r: p.status[r] == RETIRED]
    chosen: list[np.ndarray] = []
    counts = [0] * len(kinds)
    for rows in groups:
        if len(rows) > 8 or (p.values_of("cs_gratuity_due")[rows] > 0).any():
            continue
        late = (((p.values_of("ssf_lump_sum_year")[rows] == year) & (p.age[rows] > 55))
                | ((p.values_of("s40_lump_sum_year")[rows] == year) & (p.age[rows] > 60)))
        if late.any() or 12.0 * p.wage[rows].sum() > len(rows) * income[p.hh[rows[0]]]:
            continue
        wanted = [k for k, kind in enumerate(kinds) if counts[k] < per_kind and kind(rows).any()]
        if wanted:
            chosen.append(rows)
            for k in wanted:
                counts[k] += 1
        if min(counts) >= per_kind:
            break
    return chosen


def test_the_calculator_pays_a_person_what_a_run_pays_the_same_person(population):
    """Every amount a run pays a row (take-up schemes: where the row claims) is what the calculator pays the same
    person in the same household; health cover is compared where the CSMBS covers the person in both or neither."""
    scenario, persons, flows = population
    households = sample_households(persons, YEAR)
    assert len(households) >= 30
    compared = dict.fromkeys(SCHEMES, 0)
    income = income_per_person(persons)
    for rows in households:
        positions = {int(persons.pid[r]): i for i, r in enumerate(rows)}
        outside = len(rows) * float(income[persons.hh[rows[0]]]) - 12.0 * float(persons.wage[rows].sum())
        household = {"members": [member_of(persons, r, positions) for r in rows], "outside_income": outside}
        ours = calculate(household, scenario, YEAR).members
        model_csmbs = flows.schemes["csmbs"].benefit[rows] > 0
        ours_csmbs = ours["csmbs"].to_numpy() > 0
        for name in SCHEMES:
            theirs, mine = flows.schemes[name].benefit[rows], ours[name].to_numpy()
            if name in TAKE_UP:
                check = theirs > 0  # the row claims: the calculator's amount is the run's
            elif name in ("csmbs", "universal_coverage"):
                check = model_csmbs == ours_csmbs
            else:
                check = np.ones(len(rows), dtype=bool)
            np.testing.assert_allclose(mine[check], theirs[check], rtol=1e-5, atol=0.01,
                                       err_msg=f"{name}, household rows {rows}")
            compared[name] += int(np.count_nonzero(check & (theirs > 0)))
    paid = [name for name in ("old_age_allowance", "child_support_grant", "welfare_card", "disability_allowance",
                              "ssf_s33", "universal_coverage", "csmbs", "civil_service_pension",
                              "government_pension_fund") if compared[name] == 0]
    assert not paid, f"no positive amount compared for {paid}"
