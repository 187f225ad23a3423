"""Worked cases as data: every case of tests/cases/<scheme>.yaml run through its scheme's `compute`.

A case is a small population, a year and the amounts computed by hand from the cited rule; a policy analyst adds
one by editing YAML, no Python. One file per scheme (the registry test checks that every scheme has one):

    scheme: old_age_allowance           # the scheme's name (model/schemes/registry.py)
    population:                         # optional: a value every case's rows take unless the case sets the column
      thai: true
      status: inactive
      propensity: takes_up
    cases:
      - name: Thai aged 72 without a state pension          # unique in the file
        reference:                                          # the rule: a title and a link, or a parameter path
          parameter: old_age_allowance.amount.age_70_79     #   (whose file cites the regulation)
        year: 2024                                          # the calendar year computed
        population:                                         # the rows: a list per column (one value a row),
          age: [72]                                         #   or one value for every row
        expected:
          benefit: [8400]                                   # THB/year per row
        explanation: 700 THB/month for ages 70-79 (A1.2), 12 months in 2024 = 8,400 THB.

Population columns are those of model/population/persons.py (COLUMNS: age, sex, thai, status, wage (THB/month),
disabled, s33_months, ...; and the civil-service record's CS_FIELDS: service_years, cs_salary, cs_pension, ..., the flags state_pensioner, gpf_member, ...; and the SSF benefit record's SSF_FIELDS:
ssf_pension, ssf_pension_start, s33_left_year, ...), and `hh_income_pc`, the household's income per person
(THB/year, one value a row, each row a household of its own); a column not given takes its declared default. Words stand for
codes: `status` a labour status (ssf_s33, ssf_s39, ssf_s40, civil_servant, informal_uninsured, unemployed, inactive,
child, retired), `sex` male or female, and `propensity` takes_up or does_not_take_up (a draw that takes up the scheme
at any take-up rate above 1%, or at none up to 99.9%).

Optional case fields: `scale` (persons per row, default 1), `overrides` (parameter changes as in a scenario:
`{parameter path: {date: value}}`), `advance: true` (run the scheme's yearly state changes first, such as pension
claims), `context` (`price_index`, `wage_index`: fractions relative to 2023; `indices`: `{cpi|wage|health:
{calendar year: index value}}`, the years an uprating reads; with any index given, those not given stay constant;
`fertility`: `{age: births per
woman}`; `mortality`: `{male|female: {age: central death rate}}`: when given, the ages not listed have rate 0, and
`{}` means none), `tolerance` (THB, default 0.005: half a satang).

`expected` may hold: `benefit` and `cash_benefit` (THB/year per row), `recipients` (true/false per row),
`contributions` (THB/year by payer insured, employer, government: the whole population, i.e. rows × scale; a
payer not listed is expected to pay nothing), `pooled_cost` (THB/year), `branch_benefits` and
`branch_contributions` (THB/year by SSF branch old_age, short_term, unemployment; a branch not listed is 0) and
`insurable_wages` (THB/year). Each case needs an `explanation`: the computation by hand.
"""

from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from model.population.axes import SEXES
from model.population.persons import COLUMNS, INDEX_COLUMNS, TABLE_OF, Persons
from model.population.status import STATUSES
from model.schemes.base import PAYERS, SSF_BRANCHES, SchemeYear
from model.schemes.registry import DECLARATIONS, SCHEME_MODULES
from model.yaml_files import read_input_file

from scheme_cases import TREE, always, builder, never, run_scheme

CASES = Path(__file__).with_name("cases")
MAX_BYTES = 1 << 20
Scalar = bool | int | float | str
Payer = Literal["insured", "employer", "government"]
Branch = Literal["old_age", "short_term", "unemployment"]
Sex = Literal["male", "female"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(_Strict):
    """The rule a case follows: a regulation's title and link, or a parameter whose file cites it."""

    title: str | None = None
    href: HttpUrl | None = None
    parameter: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Reference":
        if (self.parameter is None) == (self.title is None or self.href is None):
            raise ValueError("give either a title and an href, or a parameter")
        return self


class Context(_Strict):
    price_index: float | None = None
    wage_index: float | None = None
    indices: dict[Literal["cpi", "wage", "health"], dict[int, float]] = {}
    fertility: dict[int, float] | None = None
    mortality: dict[Sex, dict[int, float]] | None = None


class Expected(_Strict):
    benefit: list[float] | None = None
    cash_benefit: list[float] | None = None
    recipients: list[bool] | None = None
    contributions: dict[Payer, float] | None = None
    pooled_cost: float | None = None
    branch_benefits: dict[Branch, float] | None = None
    branch_contributions: dict[Branch, float] | None = None
    insurable_wages: float | None = None

    @model_validator(mode="after")
    def _something(self) -> "Expected":
        if not self.model_fields_set:
            raise ValueError("expect at least one amount")
        return self


class Case(_Strict):
    name: str = Field(min_length=1)
    reference: Reference
    year: int = Field(ge=2000, le=2100)
    scale: float = Field(1.0, gt=0)
    population: dict[str, list[Scalar] | Scalar]
    overrides: dict[str, dict[date, Scalar]] = {}
    advance: bool = False
    context: Context = Context()
    expected: Expected
    tolerance: float = Field(0.005, ge=0)
    explanation: str = Field(min_length=1)


class CaseFile(_Strict):
    scheme: str
    population: dict[str, Scalar] = {}
    cases: list[Case] = Field(min_length=1)


def load(path: Path) -> CaseFile:
    """The cases of one file, validated (a typo in a field name fails)."""
    return CaseFile.model_validate(read_input_file(path, str(path), MAX_BYTES))


def _all_cases() -> list[tuple[CaseFile, Case]]:
    return [(cases, case) for path in sorted(CASES.glob("*.yaml")) for cases in [load(path)] for case in cases.cases]


def _column(name: str, value: Scalar | list[Scalar], offset: float | None) -> Scalar | list[Scalar]:
    """A column's value(s) with the words for codes replaced by the codes."""
    if isinstance(value, list):
        return [_column(name, v, offset) for v in value]  # type: ignore[misc]
    if name == "status" and isinstance(value, str):
        return STATUSES.index(value)
    if name == "sex" and isinstance(value, str):
        return SEXES.index(value)
    if name == "propensity" and value in ("takes_up", "does_not_take_up"):
        if offset is None:
            raise ValueError("propensity: the scheme declares no take-up draw; give a number")
        return always(offset) if value == "takes_up" else never(offset)
    return value


def population(cases: CaseFile, case: Case) -> Persons:
    """The case's rows, built with the scheme tests' builder from the file's defaults and the case's columns."""
    scheme = DECLARATIONS[cases.scheme]
    offset = scheme.take_up_offset if scheme.take_up is not None else None
    known = [name for name in (*COLUMNS, *TABLE_OF, "hh_income_pc") if name not in INDEX_COLUMNS]
    unknown = sorted((set(cases.population) | set(case.population)) - set(known))
    assert not unknown, f"unknown population column {unknown[0]!r} (columns: {', '.join(known)})"
    defaults = {name: _column(name, value, offset) for name, value in cases.population.items()}
    lists = {name: value for name, value in case.population.items() if isinstance(value, list)}
    assert lists, "population: give at least one column as a list, one value a row"
    rows = {len(value) for value in lists.values()}
    assert len(rows) == 1, f"population: the columns have different numbers of rows {sorted(rows)}"
    defaults.update({name: _column(name, value, offset) for name, value in case.population.items()
                     if not isinstance(value, list)})
    people = builder(**defaults)
    return people(case.scale, **{name: _column(name, value, offset) for name, value in lists.items()})


def context(case: Case) -> dict[str, object]:
    """YearContext fields of the case (index values and demographic rates)."""
    fields: dict[str, object] = {}
    indices = {}
    for index, value in (("cpi", case.context.price_index), ("wage", case.context.wage_index)):
        if value is not None:  # the case's year at `value` times its 2023 level
            indices[index] = {2023: 1.0} if case.year == 2023 else {2023: 1.0, case.year: value}
    indices.update(case.context.indices)
    if indices:  # an index the case does not give stays constant
        fields["indices"] = {name: indices.get(name, dict.fromkeys(range(2000, 2101), 1.0))
                             for name in ("cpi", "wage", "health")}
    if case.context.fertility is not None:
        fertility = np.zeros(101)
        for age, rate in case.context.fertility.items():
            fertility[age] = rate
        fields["fertility"] = fertility
    if case.context.mortality is not None:
        mortality = np.zeros((len(SEXES), 101))
        for sex, rates in case.context.mortality.items():
            for age, rate in rates.items():
                mortality[SEXES.index(sex), age] = rate
        fields["mortality"] = mortality
    return fields


def compute(cases: CaseFile, case: Case) -> SchemeYear:
    """The scheme's flows for the case."""
    params = TREE.with_overrides({path: {str(day): value for day, value in values.items()}
                                  for path, values in case.overrides.items()}) if case.overrides else TREE
    return run_scheme(SCHEME_MODULES[cases.scheme], population(cases, case), case.year, params,
                      advance=case.advance, **context(case))


def check(result: SchemeYear, expected: Expected, tolerance: float) -> None:
    """Every expected amount against the result, within `tolerance` THB."""
    def close(got: object, want: object, what: str) -> None:
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=0,
                                   atol=tolerance, err_msg=what)

    if expected.benefit is not None:
        close(result.benefit, expected.benefit, "benefit (THB/year per row)")
    if expected.cash_benefit is not None:
        close(result.cash_benefit, expected.cash_benefit, "cash_benefit (THB/year per row)")
    if expected.recipients is not None:
        assert result.recipient_mask().tolist() == expected.recipients, "recipients"
    for field, keys in (("contributions", PAYERS), ("branch_benefits", SSF_BRANCHES),
                        ("branch_contributions", SSF_BRANCHES)):
        want = getattr(expected, field)
        if want is not None:
            got = getattr(result, field)
            close([got.get(k, 0.0) for k in keys], [want.get(k, 0.0) for k in keys], f"{field} {keys}")
    if expected.pooled_cost is not None:
        close(result.pooled_cost, expected.pooled_cost, "pooled_cost (THB/year)")
    if expected.insurable_wages is not None:
        close(result.insurable_wages, expected.insurable_wages, "insurable_wages (THB/year)")


ALL = _all_cases()


@pytest.mark.parametrize("cases, case", ALL, ids=[f"{f.scheme}: {c.name}" for f, c in ALL])
def test_worked_case(cases: CaseFile, case: Case) -> None:
    check(compute(cases, case), case.expected, case.tolerance)


def test_every_file_names_its_scheme_and_unique_cases() -> None:
    for path in sorted(CASES.glob("*.yaml")):
        cases = load(path)
        assert cases.scheme == path.stem and cases.scheme in DECLARATIONS, path
        names = [case.name for case in cases.cases]
        assert len(names) == len(set(names)), f"{path.name}: two cases share a name"
        for case in cases.cases:
            if case.reference.parameter is not None:
                TREE.info(case.reference.parameter)  # ParameterError if the path is unknown
            for path_ in case.overrides:
                TREE.info(path_)
            rows = len(next(v for v in case.population.values() if isinstance(v, list)))
            for field in ("benefit", "cash_benefit", "recipients"):
                values = getattr(case.expected, field)
                assert values is None or len(values) == rows, f"{path.name}, {case.name}: {field} has a value a row"
