"""Household calculator: what each scheme pays one household, and what its members pay in, in one calendar year
under a scenario's rules.

The household becomes a tiny population (`model.population.persons.Persons`: one row per member, one person per
row) and the schemes run on it through the model's own code path: a `YearContext` with the scenario's parameter
tree, its macro path's uprating indices and its demographic rates, then every scheme's `initialise`, yearly
`advance` and `compute` (`model.schemes.registry`). No rule is restated here, so an amount is what a run of the
whole population pays a person in the same situation. Where a household differs from a row of a run:

- Take-up: the household claims every benefit it is entitled to. Every take-up rate (`*.take_up`, a share of the
  eligible population) is set to 1; a run pays only the share that claims.
- Household income per person (THB/year, model.population.households.income_per_person): 12 × the members'
  monthly wages plus the household's income from outside work (`outside_income`, THB/year: transfers from family,
  savings, pensions, income in kind), over the members. Income is counted as a household survey counts it, money
  and in kind; the tests of the child support grant and the welfare card read its money part,
  `common.money_income_share` of it, as in a run (`HouseholdResult.money_income_per_person`).
- Pension claims: a member past the SSF pension age (or the section 40 lump-sum age) with contributions and out of
  insurance has claimed in the year the age was reached, as the model dates the claims of its base population: the
  pension is paid, a one-off lump sum of an earlier year is not paid again; a member at the age claims now.
- Health cover (UCS, CSMBS) is the cost of the member's care, in kind: the scheme's cost per member at the member's
  age relative to the average member of the scenario's base year (`model.schemes.health_cost`), measured on a
  reference population of the scenario at REFERENCE_SCALE persons per row.
- CSMBS dependants: the model covers `csmbs.dependants_per_principal` dependants per principal among the candidates
  (children under the age limit, parents from the minimum age, without cover of their own); in a household the
  first listed candidates are covered.
- Only amounts a scheme attributes to persons count. Costs the schemes pool (the SSF's sickness and maternity cost
  per insured person, expected survivor and death gratuities, the UCS add-on funds) belong to no one.

Amounts are THB per calendar year; per month they are the year's divided by 12 (a change on 1 October counts
for 3 months of that year). From Python:

    from model.household_calculator import compare
    household = {"members": [{"age": 72, "sex": "female"}, {"age": 0, "sex": "male"}], "outside_income": 60_000}
    compare(household, "oaa_ladder_2025", 2026)    # THB/month and THB/year by scheme, baseline and reform
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, StrictBool, ValidationError

from .errors import ModelInputError, shorten
from .fiscal.macro import LAST_YEAR, load_macro
from .parameters import ParameterTree
from .population import wpp
from .population.axes import MAX_AGE
from .population.households import income_per_person, refresh_income
from .population.persons import Persons
from .population.status import CHILD, CIVIL_SERVANT, EMPLOYED, SSF_S33, SSF_S40, STATUSES, WORKING_AGE
from .remembered import Remembered
from .scenario import BASE_YEAR, Scenario, load_scenario
from .schema import Strict, validation_message
from .schemes import health_cost
from .schemes.base import PAYERS, YearContext
from .schemes.registry import DECLARATIONS, SCHEMES, SchemesYear, apply_schemes, initialise_schemes
from .simulation import SocialSecurityModel, scenario_inputs, uprating_indices

SOURCE = "household"  # how messages name the input
MAX_MEMBERS = 20
MAX_AMOUNT = 1e9  # THB: the largest wage (a month) or income (a year) accepted
MAX_MONTHS = 12 * (MAX_AGE - WORKING_AGE)
REFERENCE_SCALE = 1_000.0  # persons per row of the reference population that measures the base year's health cost
TOTAL = "total"
COLUMNS = ("benefit", "cash", "in_kind", "contribution_insured", "contribution_employer", "contribution_government",
           "amount")
"""The columns of `HouseholdResult.schemes` (THB/year): benefits paid or spent on the members, their cash and in-kind
parts, contributions by payer, and `amount`, what the scheme gives the household net of what its members pay in:
benefit - contribution_insured, except for the savings schemes (GPF, NSF), whose members' contributions stay their
own savings, so the amount is the government's contribution credited to their accounts (the benefit)."""

Sex = Literal["male", "female"]
Nationality = Literal["thai", "non_thai"]
Status = Literal[STATUSES]  # type: ignore[valid-type]


class Member(Strict):
    """One member of the household. Amounts in THB/month; contribution histories in months."""

    age: int = Field(ge=0, le=120, description="completed years; 100 and over are the model's 100+ group")
    sex: Sex
    nationality: Nationality = "thai"
    status: Status | None = Field(None, description="labour status; default 'child' under 15, else 'inactive'")
    wage: float = Field(0.0, ge=0, le=MAX_AMOUNT, description="monthly wage or earnings, THB/month")
    disabled: StrictBool = Field(False, description="holds a disability identity card")
    s33_months: int = Field(0, ge=0, le=MAX_MONTHS, description="months of section 33 contributions")
    s39_months: int = Field(0, ge=0, le=MAX_MONTHS, description="months of section 39 contributions")
    s40_months: int = Field(0, ge=0, le=MAX_MONTHS, description="months of section 40 contributions")
    avg_insurable_wage: float | None = Field(
        None, ge=0, le=MAX_AMOUNT, description="average insurable wage of the last 60 section 33/39 months, "
        "THB/month; default for a section 33 insured: the wage within the floor and ceiling in force")
    s40_option: int = Field(0, ge=0, le=3, description="section 40 option (1, 2 or 3) of the latest membership")
    state_employee: StrictBool = Field(False, description="a civil servant employed as a state employee")
    gpf_member: StrictBool = Field(False, description="official or retired official who is a GPF member")
    local_official: StrictBool = Field(False, description="official of a local government")
    state_pensioner: StrictBool = Field(False, description="retired official drawing a state pension")
    service_years: float = Field(0.0, ge=0, le=60, description="civil-service years of service")
    last_salary: float = Field(0.0, ge=0, le=MAX_AMOUNT, description="civil-service salary of the last month, "
                               "THB/month")
    average_salary: float | None = Field(None, ge=0, le=MAX_AMOUNT, description="civil-service average salary of "
                                         "the last 60 months, THB/month; default: the last salary")
    mother: int | None = Field(None, ge=0, description="position of the member's mother in `members` (0 = first)")
    partner: int | None = Field(None, ge=0, description="position of the member's partner in `members`")


class Household(Strict):
    """The members, and the household's income from outside work (THB/year, the whole household's)."""

    members: list[Member] = Field(min_length=1, max_length=MAX_MEMBERS)
    outside_income: float = Field(0.0, ge=0, le=MAX_AMOUNT)


@dataclass(frozen=True)
class HouseholdResult:
    """One household under one scenario in one calendar year.

    schemes: THB/year by scheme (index, the result contract's order), columns COLUMNS.
    members: THB/year of benefits paid to or spent on each member (index: position in `members`) by scheme.
    income_per_person: household income per person the income tests read, THB/year.
    money_income_per_person: its money part (declared income), THB/year.
    """

    scenario: str
    year: int
    schemes: pd.DataFrame
    members: pd.DataFrame
    income_per_person: float
    money_income_per_person: float

    @property
    def amount(self) -> pd.Series:
        """THB/year by scheme: benefits net of the members' own contributions (savings schemes: the government's
        contributions credited to the members' accounts)."""
        return self.schemes["amount"]


def read_household(household: "Household | Mapping[str, Any]") -> Household:
    """A validated household; ModelInputError naming the field and the value (e.g. `members.1.wage`)."""
    if isinstance(household, Household):
        checked = household
    else:
        try:
            checked = Household.model_validate(household)
        except ValidationError as error:
            raise ModelInputError(validation_message(SOURCE, error)) from None
    _check_members(checked.members)
    return checked


def _fail(index: int, name: str, problem: str, value: Any) -> None:
    raise ModelInputError(f"{SOURCE}: field 'members.{index}.{name}': {problem} (got {shorten(value)})")


def _check_members(members: Sequence[Member]) -> None:
    """The rules between fields, which the field types cannot say: statuses that fit the age, wages only for work,
    contribution months that fit the years of working age, links to other members."""
    for i, m in enumerate(members):
        status = m.status or ("child" if m.age < WORKING_AGE else "inactive")
        code = STATUSES.index(status)
        if (code == CHILD) != (m.age < WORKING_AGE):
            _fail(i, "status", f"'child' is the status of everyone under {WORKING_AGE} and of no one older "
                  f"(age {m.age})", status)
        if m.wage > 0 and not EMPLOYED[code]:
            _fail(i, "wage", f"a member whose status is '{status}' has no wage", m.wage)
        room = 12 * max(min(m.age, MAX_AGE) - WORKING_AGE, 0)
        for name in ("s33_months", "s39_months", "s40_months"):
            if getattr(m, name) > room:
                _fail(i, name, f"at most 12 months a year from age {WORKING_AGE}, {room} at age {m.age}",
                      getattr(m, name))
        if m.s33_months + m.s39_months > room:
            _fail(i, "s39_months", f"section 33 and 39 months together are at most {room} at age {m.age}",
                  m.s33_months + m.s39_months)
        if (m.s33_months + m.s39_months > 0 and m.avg_insurable_wage is None
                and not (code == SSF_S33 and m.wage > 0)):
            _fail(i, "avg_insurable_wage", "needed with section 33 or 39 months (the pension and lump sum are "
                  "computed on it)", None)
        if code == SSF_S40 and m.s40_option == 0:
            _fail(i, "s40_option", "a section 40 member has option 1, 2 or 3", m.s40_option)
        if m.s40_months > 0 and m.s40_option == 0:
            _fail(i, "s40_option", "section 40 months need the option they were paid in (1, 2 or 3)", m.s40_option)
        if m.state_pensioner and code == CIVIL_SERVANT:
            _fail(i, "state_pensioner", "a serving civil servant draws no state pension", True)
        if m.state_pensioner and (m.service_years <= 0 or m.last_salary <= 0):
            _fail(i, "service_years" if m.service_years <= 0 else "last_salary",
                  "a state pensioner's pension needs years of service and the last salary",
                  m.service_years if m.service_years <= 0 else m.last_salary)
        for name in ("mother", "partner"):
            j = getattr(m, name)
            if j is not None and (j >= len(members) or j == i):
                _fail(i, name, f"must be the position of another member, 0 to {len(members) - 1}", j)
        if m.mother is not None and members[m.mother].sex != "female":
            _fail(i, "mother", "the mother is a female member", m.mother)
        if m.partner is not None and members[m.partner].partner not in (None, i):
            _fail(i, "partner", f"member {m.partner} names another partner", m.partner)


def check_year(year: Any) -> int:
    """The calendar year, or ModelInputError: the base year to the last year of the data."""
    last = min(wpp.last_year(), LAST_YEAR)
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not BASE_YEAR <= year <= last:
        raise ModelInputError(f"{SOURCE}: field 'year': must be a calendar year from {BASE_YEAR} to {last} "
                              f"(got {shorten(year)})")
    return int(year)


def household_persons(household: Household, params: ParameterTree, year: int) -> Persons:
    """The household as a population of one person per row (columns of model.population.persons), on 1 July of
    `year`: its income per person, links by person id (the position), and take-up draws that rank the members in
    the order listed (which CSMBS candidates are covered as dependants first)."""
    members = household.members
    n = len(members)
    status = np.array([STATUSES.index(m.status or ("child" if m.age < WORKING_AGE else "inactive"))
                       for m in members], dtype=np.int8)
    wage = np.array([m.wage for m in members], dtype=np.float64)
    day = date(year, 7, 1)
    floor, ceiling = (float(params.get(f"ssf_s33.{bound}", day)) for bound in ("wage_floor", "wage_ceiling"))
    insurable = np.array([m.avg_insurable_wage if m.avg_insurable_wage is not None else min(max(m.wage, floor), ceiling)
                          if m.s33_months + m.s39_months > 0 else 0.0 for m in members])
    income_pc = (12.0 * wage.sum() + household.outside_income) / n
    partner = [m.partner for m in members]
    for i, j in enumerate(partner):  # a union named on one side holds both ways
        if j is not None and partner[j] is None:
            partner[j] = i
    rank = (np.arange(n) + 1.0) / (n + 2.0)  # each member's CSMBS draw, in the order listed
    columns: dict[str, Any] = {
        "age": np.minimum([m.age for m in members], MAX_AGE),
        "sex": [int(m.sex == "female") for m in members],
        "thai": [m.nationality == "thai" for m in members],
        "status": status,
        "wage": wage,
        "disabled": [m.disabled for m in members],
        "s33_months": [m.s33_months for m in members],
        "s39_months": [m.s39_months for m in members],
        "s40_months": [m.s40_months for m in members],
        "avg_insurable_wage": insurable,
        "s40_option": [m.s40_option for m in members],
        "state_employee": [m.state_employee for m in members],
        "gpf_member": [m.gpf_member for m in members],
        "local_official": [m.local_official for m in members],
        "state_pensioner": [m.state_pensioner for m in members],
        "service_years": [m.service_years for m in members],
        "cs_last_salary": [m.last_salary for m in members],
        "cs_salary": [m.last_salary if m.average_salary is None else m.average_salary for m in members],
        "pid": np.arange(n),
        "hh": np.zeros(n),
        "mother": [-1 if m.mother is None else m.mother for m in members],
        "partner": [-1 if j is None else j for j in partner],
        "income": np.full(n, income_pc),
        "propensity": (rank - DECLARATIONS["csmbs"].take_up_offset) % 1.0,
    }
    persons = Persons({name: np.asarray(values) for name, values in columns.items()}, 1.0)
    refresh_income(persons)  # every member's income is the household's income per person
    return persons


_TREES: Remembered[ParameterTree] = Remembered(16)
_HEALTH_BASES: Remembered[dict[str, np.ndarray]] = Remembered(16)


def entitlement_tree(scenario: Scenario) -> ParameterTree:
    """The scenario's parameters with every take-up rate at 1 from its first date: the household claims all it is
    entitled to."""
    def build() -> ParameterTree:
        tree = ParameterTree.load().with_overrides(scenario.parameters)
        rates = [path for path in tree.paths() if path.rsplit(".", 1)[-1] == "take_up"]
        return tree.with_overrides({path: {tree.info(path).values[0].date: 1.0} for path in rates})

    return _TREES.get(scenario.fingerprint(), build)


def reference_scenario(scenario: Scenario) -> Scenario:
    """The scenario at REFERENCE_SCALE persons per row (or coarser), with its seed and inputs: its base population
    is the reference."""
    return scenario.replaced(scale=max(scenario.scale, REFERENCE_SCALE))


def health_bases(scenario: Scenario) -> dict[str, np.ndarray]:
    """The base year's average member of each health scheme (the `persons.tables` entries of
    model.schemes.health_cost), measured on the scenario's base population at REFERENCE_SCALE; made once per
    process and scenario."""
    reference = reference_scenario(scenario)

    def measure() -> dict[str, np.ndarray]:
        population = SocialSecurityModel(reference)
        ctx = population.year_context(BASE_YEAR)
        for name in health_cost.HEALTH_COST_SCHEMES:
            health_cost.relative_cost(ctx, name, ctx.result(name).rows)
        return {key: value.copy() for key, value in population.persons.tables.items()
                if key.startswith("health_base.")}

    return _HEALTH_BASES.get(reference.fingerprint(), measure)


def run_schemes(persons: Persons, scenario: Scenario, params: ParameterTree, year: int) -> SchemesYear:
    """Every scheme on `persons` in calendar `year` through the model's code path: the context of the year
    (parameters, uprating indices of the scenario's macro path, its demographic rates), the schemes' `initialise`
    (claims of members past a claim age dated back), then their `advance` and `compute` (`apply_schemes`)."""
    indices = uprating_indices(load_macro(scenario.macro), params)
    inputs = scenario_inputs(scenario)
    i = inputs.index(year)

    def context() -> YearContext:
        return YearContext(persons, year, params, indices=indices, fertility=inputs.asfr[i], mortality=inputs.mx[i])

    initialise_schemes(context())
    return apply_schemes(context())


def calculate(household: "Household | Mapping[str, Any]", scenario: "str | Path | Scenario" = "baseline",
              year: int = 2026) -> HouseholdResult:
    """What each scheme pays the household and what its members pay in, under `scenario` (a name in scenarios/, a
    path or a Scenario) in calendar `year`, THB/year; ModelInputError naming the field for bad input."""
    checked = read_household(household)
    year = check_year(year)
    resolved = load_scenario(scenario)
    params = entitlement_tree(resolved)
    persons = household_persons(checked, params, year)
    persons.tables.update({key: value.copy() for key, value in health_bases(resolved).items()})
    flows = run_schemes(persons, resolved, params, year)
    rows = {}
    members = {}
    for name in SCHEMES:
        result = flows.schemes[name]
        benefit, cash = result.benefit, result.cash_benefit
        paid = {payer: float(result.contributions.get(payer, 0.0)) for payer in PAYERS}
        rows[name] = {"benefit": float(benefit.sum()), "cash": float(cash.sum()),
                      "in_kind": float(benefit.sum() - cash.sum()),
                      **{f"contribution_{payer}": value for payer, value in paid.items()},
                      "amount": float(benefit.sum()) - (0.0 if DECLARATIONS[name].kind == "savings"
                                                        else paid["insured"])}
        members[name] = benefit
    share = float(params.mid_year("common.money_income_share", year))
    income = float(income_per_person(persons)[0])
    return HouseholdResult(
        scenario=resolved.name, year=year,
        schemes=pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS)).rename_axis("scheme"),
        members=pd.DataFrame(members).rename_axis("member"),
        income_per_person=income, money_income_per_person=float(np.float32(income) * np.float32(share)))


def compare(household: "Household | Mapping[str, Any]", reform: "str | Path | Scenario", year: int = 2026,
            base: "str | Path | Scenario" = "baseline") -> pd.DataFrame:
    """Each scheme's amount for the household (benefits net of the members' own contributions, COLUMNS) under `base` and
    `reform` side by side, and the difference, THB/month (the year's over 12) and THB/year; the last row is the
    total. Columns: base_month, reform_month, difference_month, base_year, reform_year, difference_year."""
    amounts = [calculate(household, scenario, year).amount for scenario in (base, reform)]
    return side_by_side(*amounts)


def side_by_side(base: pd.Series, reform: pd.Series) -> pd.DataFrame:
    """Two scenarios' amounts by scheme (THB/year) as the table `compare` returns, with the total row."""
    table = pd.DataFrame({"base_year": base, "reform_year": reform})
    table.loc[TOTAL] = table.sum()
    table["difference_year"] = table["reform_year"] - table["base_year"]
    for kind in ("base", "reform", "difference"):
        table[f"{kind}_month"] = table[f"{kind}_year"] / 12.0
    order = [f"{kind}_{period}" for period in ("month", "year") for kind in ("base", "reform", "difference")]
    return table[order].rename_axis("scheme")
