"""The base population's rows grouped by household (`Persons.group_by_household`): every person keeps every value,
link and record, only the rows' order and the pids that follow it change."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import resolve
from model.population.persons import RECORD_TABLES, Persons
from model.simulation import SocialSecurityModel
from tests.test_persons_records import _random_values


def _table(rng: np.random.Generator, n: int, n_households: int) -> Persons:
    """A base table of `n` rows (pids its rows) in `n_households` household ids (some without members), with
    mother and partner links to other rows, records on about a fifth of the rows, two columns mostly at their
    default (moved by their other values) and a unique wage as each row's tag."""
    links = {name: np.where(rng.random(n) < 0.5, rng.integers(0, max(n, 1), n), -1).astype(np.int32)
             for name in ("mother", "partner")}
    columns = {"age": rng.integers(0, 101, n).astype(np.int16), "sex": rng.integers(0, 2, n).astype(np.int8),
               "hh": rng.integers(0, n_households, n).astype(np.int32), "wage": rng.permutation(n).astype(np.float32),
               "income": rng.uniform(0.0, 1e6, n).astype(np.float32), "disabled": rng.random(n) < 0.05,
               "s39_months": np.where(rng.random(n) < 0.1, rng.integers(1, 300, n), 0).astype(np.int16),
               **links, **_random_values(rng, n, 0.2)}
    return Persons(columns, scale=100.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 400), n_households=st.integers(1, 150))
def test_each_person_keeps_values_links_and_records_with_rows_grouped_by_household(seed, n, n_households):
    rng = np.random.default_rng(seed)
    persons = _table(rng, n, n_households)
    before = persons.as_columns()
    persons.group_by_household(unset=("region",))  # still its default everywhere: left as it is

    tag = persons.wage.astype(np.int64)  # each row's old row (the wages were a permutation of the rows)
    old_row = np.argsort(before["wage"]).astype(np.int64)[tag] if n else tag
    for name, values in before.items():
        if name not in ("pid", "mother", "partner"):
            np.testing.assert_array_equal(persons.values_of(name), values[old_row], err_msg=name)
    np.testing.assert_array_equal(persons.pid, np.arange(n))
    assert persons.next_pid == n
    new_row = np.empty(n, dtype=np.int64)
    new_row[old_row] = np.arange(n)
    for name in ("mother", "partner"):  # a link names the same person, by the pid (row) it now has
        old_link = before[name][old_row]
        np.testing.assert_array_equal(persons.columns[name], np.where(old_link >= 0, new_row[old_link], -1))
    # households' rows together, in the order of their ids, each household's rows in their old order
    assert np.all(np.diff(persons.hh) >= 0)
    same = np.flatnonzero(np.diff(persons.hh) == 0)
    assert np.all(old_row[same + 1] > old_row[same])
    for table, (index, _) in RECORD_TABLES.items():  # records in the order of their rows, each pointing back
        side, column = getattr(persons, table), persons.columns[index]
        assert np.all(np.diff(side.row) > 0)
        np.testing.assert_array_equal(column[side.row], np.arange(side.size))
        assert np.count_nonzero(column >= 0) == side.size


def test_only_a_table_whose_pids_are_its_rows_is_regrouped():
    rng = np.random.default_rng(3)
    dropped = _table(rng, 50, 10)
    dropped.drop(np.array([4, 7]))
    replaced = _table(rng, 50, 10)  # as many rows as pids given, but not in their order
    replaced.drop(np.array([4, 7]))
    replaced.append({"hh": np.zeros(2, dtype=np.int32)}, 2)
    for persons in (dropped, replaced):
        with pytest.raises(ValueError, match="pids are its rows"):
            persons.group_by_household()
    grown = _table(rng, 50, 10)  # rows appended only: still pid = row
    grown.append({"hh": np.zeros(2, dtype=np.int32)}, 2)
    grown.group_by_household()
    np.testing.assert_array_equal(grown.pid, np.arange(52))


def test_a_column_named_unset_must_hold_its_default_and_every_row_a_household():
    rng = np.random.default_rng(5)
    persons = _table(rng, 40, 8)
    with pytest.raises(ValueError, match="income is not its default"):  # incomes given: they must move
        persons.group_by_household(unset=("income",))
    persons.hh[3] = -1
    with pytest.raises(ValueError, match="no household"):
        persons.group_by_household()


def test_the_base_population_is_grouped_by_household():
    """A run's set-up leaves each household's rows next to each other (before the first year moves anyone), its
    pids its rows."""
    persons = SocialSecurityModel(resolve("baseline", scale=5000, end_year=2024)).persons
    assert np.all(np.diff(persons.hh) >= 0) and persons.hh[0] == 0
    np.testing.assert_array_equal(persons.pid, np.arange(len(persons)))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 400), n_households=st.integers(1, 150))
def test_work_done_meanwhile_on_the_touched_columns_moves_with_the_rows(seed, n, n_households):
    """Work run while the grouping moves the other columns (`meanwhile`) may read `hh` and rewrite the `touched`
    columns in the old row order: the table is then what that work followed by the grouping leaves."""
    grouped = _table(np.random.default_rng(seed), n, n_households)

    def work(persons: Persons) -> None:  # reads the household ids and a touched column, writes another
        persons.income[:] = persons.wage * 2 + persons.hh

    expected = Persons(grouped.as_columns(), scale=100.0)
    work(expected)
    expected.group_by_household()
    grouped.group_by_household(meanwhile=lambda: work(grouped), touched=("income", "wage"))
    for name, values in expected.as_columns().items():
        np.testing.assert_array_equal(grouped.values_of(name), values, err_msg=name)


def test_only_an_ordinary_column_may_be_touched_meanwhile():
    persons = _table(np.random.default_rng(2), 30, 5)
    for name in ("hh", "pid", "mother"):
        with pytest.raises(ValueError, match=f"{name} cannot be touched meanwhile"):
            persons.group_by_household(meanwhile=lambda: None, touched=(name,))


def test_the_base_year_incomes_read_only_what_the_grouping_leaves_in_place():
    """The base-year incomes are drawn while the rows are grouped by household (model.population.attributes): they
    may read the household ids and the columns INCOME_READS, which are moved after them, and nothing else."""
    from model.population import income
    from model.population.attributes import INCOME_READS
    from model.population.persons import COLUMNS
    from model.population.targets import default_targets

    model = SocialSecurityModel(resolve("baseline", scale=5000, end_year=2024))

    class Reads:  # the model's table, noting each column read through it
        def __init__(self, persons: Persons) -> None:
            self.persons, self.names = persons, set()

        def __len__(self) -> int:
            return len(self.persons)

        def __getattr__(self, name: str) -> object:
            if name in COLUMNS or name == "columns":
                self.names.add(name)
            return getattr(self.persons, name)

    reads = Reads(model.persons)
    income.initialise_income(reads, default_targets(), model.params, 2023, np.random.default_rng(1))
    assert "hh" in reads.names and reads.names <= {"hh", *INCOME_READS}
