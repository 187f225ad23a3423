"""Helpers shared by the scheme tests (tests/test_scheme_*.py).

- tiny populations built from columns: `persons_of` (the households' incomes given as a column), `builder` makes a
  `people(scale, **columns)` function with the test file's defaults, `always`/`never` give propensities that surely
  take up or surely do not, `evenly_spread` a grid of propensities whose take-up share is the rate, `random_columns` random ages, statuses and propensities;
- random populations for hypothesis: `populations` with the column strategies `AGE`, `FLAG`, `STATUS`,
  `PROPENSITY`;
- one scheme-year: `run_scheme` (with the scheme's yearly `advance` where the test wants it);
- the checks every scheme must pass: `assert_only_eligible` (no negative amount, no recipient outside the
  eligibility), `assert_unchanged_before` (a reform dated in a future year leaves every earlier year exactly as
  the baseline has it) and, for the Social Security Fund schemes, `assert_ssf_accounts`.
"""

from collections.abc import Callable
from types import ModuleType

import numpy as np
import pytest
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population import households
from model.population.persons import Persons
from model.population.status import STATUSES
from model.schemes.base import SSF_BRANCHES, SchemeYear, YearContext

TREE = ParameterTree.load()
"""The baseline parameters, loaded once per test process."""
FIRST_YEAR = 2023
"""The model's base year: the first year a reform is compared in."""

# --- tiny populations from columns ----------------------------------------------------------------------------


def always(offset: float) -> float:
    """A propensity whose draw for the scheme with `offset` is 0.01: takes up at any take-up rate above 1%."""
    return (0.01 - offset) % 1.0


def never(offset: float) -> float:
    """A propensity whose draw for the scheme with `offset` is 0.999: does not take up at a rate up to 99.9%."""
    return (0.999 - offset) % 1.0


def evenly_spread(n: int = 10_000) -> np.ndarray:
    """`n` propensities evenly spread over (0, 1), (k + 0.5) / n: any scheme's draws of them are spread evenly too,
    so the share taking up is the take-up rate to within 1/n."""
    return (np.arange(n) + 0.5) / n


def builder(description: str = "", /, **defaults: object) -> Callable[..., Persons]:
    """A function `people(scale=1.0, **columns) -> Persons` for tiny test populations.

    The columns given (sequences of equal length, one value a row) set the rows; each of `defaults` (one value
    for every row) fills the column of that name where it is not given, and the other columns take their declared
    default (model.population.persons.COLUMNS; the records' values, CS_FIELDS and SSF_FIELDS, are 0 without a record).
    `description` becomes the function's docstring. `hh_income_pc` sets the households' incomes (`persons_of`).
    """

    def people(scale: float = 1.0, **columns: object) -> Persons:
        n = len(next(iter(columns.values())))
        table = {name: np.full(n, value) for name, value in defaults.items()}
        table.update({name: np.asarray(values) for name, values in columns.items()})
        return persons_of(table, scale)

    people.__doc__ = description or "Persons from the given columns, the rest at their declared defaults."
    return people


def persons_of(columns: dict[str, np.ndarray], scale: float = 1.0) -> Persons:
    """Persons from `columns` (as `Persons` takes them), where a column `hh_income_pc` (THB/person/year, one value a
    row, the same for the members of a household) sets the households' income per person
    (households.income_per_person). Without an `hh` column, each row is a household of its own."""
    columns = dict(columns)
    income = columns.pop("hh_income_pc", None)
    if income is not None and "hh" not in columns:
        columns["hh"] = np.arange(len(income))
    persons = Persons(columns, scale)
    if income is not None:
        set_household_income(persons, income)
    return persons


def set_household_income(persons: Persons, per_row: np.ndarray) -> None:
    """Set the households' income per person from one value a row (THB/person/year; every member of a household
    the same, as `households.refresh_income` leaves them)."""
    per_row = np.asarray(np.broadcast_to(per_row, (len(persons),)), dtype=np.float32)
    by_household = np.zeros(households.n_households(persons), dtype=np.float32)
    by_household[persons.hh] = per_row
    assert np.array_equal(by_household[persons.hh], per_row), "hh_income_pc differs within a household"
    persons.tables[households.INCOME_PER_PERSON] = by_household


def random_columns(rng: np.random.Generator, n: int, max_age: int = 100, status: bool = False) -> dict[str, np.ndarray]:
    """Columns of `n` random rows (the cost-scaling tests), drawn from `rng` in this order: age uniform on 0 to
    `max_age`; with `status`, any labour status, uniformly; the take-up propensity, U(0, 1)."""
    columns = {"age": rng.integers(0, max_age + 1, n)}
    if status:
        columns["status"] = rng.integers(0, len(STATUSES), n)
    columns["propensity"] = rng.random(n)
    return columns


plain = builder()
"""Persons from the given columns only, the rest at their declared defaults."""


def copy_of(persons: Persons) -> Persons:
    """An independent copy of `persons` (columns, scale and tables, the households' incomes among them), for a run
    whose `advance` changes them."""
    copy = Persons(persons.as_columns(), persons.scale)
    copy.tables.update({name: values.copy() for name, values in persons.tables.items()})
    return copy


# --- random populations for hypothesis ------------------------------------------------------------------------

AGE = st.integers(0, 100)
"""Completed years of age, 0 to the open group 100."""
FLAG = st.booleans()
"""A yes/no column (thai, disabled, state_pensioner, ...)."""
STATUS = st.integers(0, len(STATUSES) - 1)
"""Any labour status."""
PROPENSITY = st.floats(0, 0.999)
"""A take-up propensity."""


@st.composite
def populations(draw: st.DrawFn, build: Callable[..., Persons] = plain, scale: st.SearchStrategy[float] = st.just(1.0),
                max_rows: int = 40, **columns: st.SearchStrategy) -> Persons:
    """Random populations of 1 to `max_rows` rows: each of `columns` drawn row by row from its strategy, the
    population made by `build` (a `builder` function: its defaults fill the columns not drawn) at a scale drawn
    from `scale`."""
    n = draw(st.integers(1, max_rows))
    drawn = {name: draw(st.lists(strategy, min_size=n, max_size=n)) for name, strategy in columns.items()}
    return build(draw(scale), **drawn)


# --- running a scheme and the checks every scheme passes ------------------------------------------------------


def run_scheme(scheme: ModuleType, persons: Persons, year: int, params: ParameterTree = TREE, *,
               advance: bool = False, **context: object) -> SchemeYear:
    """`scheme.compute` for one year (after `scheme.advance`, its yearly state changes, when `advance`);
    `context` sets YearContext's other fields (indices, fertility, mortality)."""
    ctx = YearContext(persons, year, params, **context)
    if advance:
        scheme.advance(ctx)
    return scheme.compute(ctx)


def assert_only_eligible(result: SchemeYear, eligible: np.ndarray) -> np.ndarray:
    """Check that no row is paid a negative amount and that no recipient lies outside `eligible` (bool per row);
    return the recipients (bool per row)."""
    benefit = result.benefit
    assert (benefit >= 0).all(), f"negative amounts at rows {np.flatnonzero(benefit < 0)}"
    recipients = result.recipient_mask()
    stray = recipients & ~np.asarray(eligible, dtype=bool)
    assert not stray.any(), f"rows {np.flatnonzero(stray)} are recipients but not eligible"
    return recipients


def assert_same_year(ours: SchemeYear, theirs: SchemeYear, label: object = "") -> None:
    """Check that two scheme-years are the same, exactly: amounts, cash amounts and recipients per row, pooled
    cost, contributions, SSF branch flows, insurable wages and whether the benefit is cash."""
    np.testing.assert_array_equal(ours.benefit, theirs.benefit, err_msg=f"benefit {label}")
    np.testing.assert_array_equal(ours.cash_benefit, theirs.cash_benefit, err_msg=f"cash benefit {label}")
    np.testing.assert_array_equal(ours.recipient_mask(), theirs.recipient_mask(), err_msg=f"recipients {label}")
    fields = ("pooled_cost", "contributions", "branch_benefits", "branch_contributions", "insurable_wages", "cash")
    for name in fields:
        assert getattr(ours, name) == getattr(theirs, name), (name, label)


def assert_unchanged_before(scheme: ModuleType, persons: Persons, reform: ParameterTree, first_year: int, *,
                            advance: bool = False, **context: object) -> None:
    """Check that `reform`, whose changes are dated from `first_year` on, leaves every year from FIRST_YEAR up to
    (not including) `first_year` exactly as the baseline has it (`assert_same_year`). Each run starts from its own
    copy of `persons`, since `advance` changes them."""
    for year in range(FIRST_YEAR, first_year):
        assert_same_year(run_scheme(scheme, copy_of(persons), year, reform, advance=advance, **context),
                         run_scheme(scheme, copy_of(persons), year, TREE, advance=advance, **context), year)


def assert_ssf_accounts(result: SchemeYear, scale: float) -> None:
    """Check the accounts of a Social Security Fund scheme-year: no negative flow; contributions by branch add up
    to contributions by payer; every THB of outgo (row amounts × `scale`, plus the pooled cost) is in exactly one
    branch."""
    assert (result.benefit >= 0).all() and result.pooled_cost >= 0
    assert all(v >= 0 for v in (*result.contributions.values(), *result.branch_contributions.values(),
                                *result.branch_benefits.values()))
    assert set(result.branch_benefits) == set(SSF_BRANCHES) == set(result.branch_contributions)
    assert sum(result.branch_contributions.values()) == pytest.approx(sum(result.contributions.values()))
    assert sum(result.branch_benefits.values()) == pytest.approx(result.benefit.sum() * scale + result.pooled_cost)
