"""Both side tables of records (model.population.persons.Records): the civil-service record (`persons.cs`, CS_FIELDS)
and the SSF benefit record (`persons.ssf`, SSF_FIELDS). A row gets a record only for values other than 0; its values
follow the person through drops, appends, compaction, copies and pickling, and `values_of` reads exactly what a
full-length column would hold."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population import base_year, labour
from model.population.persons import CS_FIELDS, RECORD_TABLES, SSF_FIELDS, TABLE_OF, Persons
from model.population.status import SSF_S33, UNEMPLOYED

FIELDS = list(TABLE_OF)


def _random_values(rng: np.random.Generator, n: int, share: float) -> dict[str, np.ndarray]:
    """Full-length columns of every field of both tables for `n` rows: each field other than 0 on about `share` of
    the rows (so a row may have values in one table and none in the other), in the field's dtype."""
    values = {}
    for name in FIELDS:
        dtype = (CS_FIELDS | SSF_FIELDS)[name].dtype
        has = rng.random(n) < share
        if dtype is np.bool_:
            values[name] = has
        elif np.issubdtype(dtype, np.integer):
            values[name] = np.where(has, rng.integers(1990, 2040, n), 0).astype(dtype)
        else:
            values[name] = np.where(has, rng.uniform(1.0, 50_000.0, n), 0.0).astype(dtype)
    return values


def _assert_matches(persons: Persons, reference: dict[str, dict[int, float]]) -> None:
    """Each field's values per row are those the reference holds for the row's pid (0 for pids it lacks); a row has
    a record of a table exactly when it was given (or written) a value other than 0 in it; the records point back
    to their rows and at most half are dead."""
    for name in FIELDS:
        dtype = (CS_FIELDS | SSF_FIELDS)[name].dtype
        expected = np.array([reference[name].get(int(pid), 0) for pid in persons.pid]).astype(dtype)
        got = persons.values_of(name)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, expected, err_msg=name)
    for table, (index, fields) in RECORD_TABLES.items():
        side, column = getattr(persons, table), getattr(persons, index)
        touched = {pid for name in fields for pid in reference[name]}
        np.testing.assert_array_equal(column >= 0, np.isin(persons.pid, list(touched)), err_msg=table)
        with_record = np.flatnonzero(column >= 0)
        np.testing.assert_array_equal(side.row[column[with_record]], with_record)
        assert np.unique(column[with_record]).size == with_record.size  # one person per record
        assert side.dead == np.count_nonzero(side.row < 0) and 2 * side.dead <= side.size


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), steps=st.integers(1, 8))
def test_values_of_is_the_dense_column_through_drops_appends_writes_and_copies(seed, n, steps):
    rng = np.random.default_rng(seed)
    values = _random_values(rng, n, 0.15)
    persons = Persons({"age": rng.integers(0, 101, n), **values}, 1.0)
    reference = {name: {pid: v[pid] for pid in range(n) if v[pid] != 0} for name, v in values.items()}
    _assert_matches(persons, reference)
    for _ in range(steps):
        dropped = np.flatnonzero(rng.random(len(persons)) < rng.uniform(0.0, 0.6))
        for pid in persons.pid[dropped]:
            for held in reference.values():
                held.pop(int(pid), None)
        persons.drop(dropped)

        k = int(rng.integers(0, 40))
        given_values = _random_values(rng, k, 0.3) if rng.random() < 0.5 else {}
        first = persons.next_pid
        persons.append({"age": rng.integers(0, 101, k), **given_values}, k)
        for name, v in given_values.items():
            reference[name].update({first + i: v[i] for i in range(k) if v[i] != 0})

        name = FIELDS[int(rng.integers(0, len(FIELDS)))]  # an event: a value other than 0 for some rows
        written = np.flatnonzero(rng.random(len(persons)) < 0.1)
        new = _random_values(rng, written.size, 1.0)[name]
        records = persons.records_for(TABLE_OF[name], written)
        getattr(getattr(persons, TABLE_OF[name]), name)[records] = new
        reference[name].update(zip(persons.pid[written].tolist(), new))

        persons = (lambda p: p, base_year.clone, lambda p: Persons(p.as_columns(), p.scale),
                   lambda p: pickle.loads(pickle.dumps(p)))[int(rng.integers(0, 4))](persons)
        _assert_matches(persons, reference)


def test_only_rows_with_a_value_other_than_0_get_an_ssf_record():
    persons = Persons({"age": np.array([70, 40, 65, 30]), "ssf_pension": np.array([5_000.0, 0.0, 0.0, 0.0]),
                       "ssf_pension_start": np.array([2020, 0, 0, 0]), "s40_lump_sum_year": np.array([0, 0, 2021, 0]),
                       "s33_left_year": np.zeros(4, np.int16)}, 1.0)
    np.testing.assert_array_equal(persons.ssf_record, [0, -1, 1, -1])
    assert persons.ssf.size == 2 and persons.cs.size == 0
    np.testing.assert_array_equal(persons.values_of("ssf_pension_start", np.array([3, 0, 2])), [0, 2020, 0])
    np.testing.assert_array_equal(persons.values_of("s40_lump_sum_year"), [0, 0, 2021, 0])
    assert persons.values_of("ssf_pension").dtype == np.float32
    # newborns and appended rows without values have none
    persons.append(persons.newborn_values(np.array([0])), 1)
    persons.append({"age": np.array([20, 21]), "s33_left_year": np.array([0, 2024])}, 2)
    np.testing.assert_array_equal(persons.ssf_record, [0, -1, 1, -1, -1, -1, 2])
    # the person at row 0 dies: row 6 moves into its place with its record; one of three records dead
    persons.drop(np.array([0]))
    np.testing.assert_array_equal(persons.values_of("s33_left_year"), [2024, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(persons.ssf.row, [-1, 2, 0])
    # another death: two of three dead, compacted (the living record keeps its order and the row its index)
    persons.drop(np.array([0]))
    assert persons.ssf.size == 1 and persons.ssf.dead == 0
    np.testing.assert_array_equal(persons.ssf_record, [-1, -1, 0, -1, -1])
    np.testing.assert_array_equal(persons.values_of("s40_lump_sum_year"), [0, 0, 2021, 0, 0])


def test_ssf_values_are_fields_of_the_record_not_columns():
    with pytest.raises(ValueError, match="ssf_record"):
        Persons({"age": np.array([30]), "ssf_record": np.array([0])}, 1.0)
    persons = Persons({"age": np.array([30])}, 1.0)
    for name in ("ssf_record", "ssf_pension_start"):
        with pytest.raises(ValueError, match=name):
            persons.set(name, np.array([1]))
    with pytest.raises(AttributeError, match="persons.ssf.s33_left_year"):
        persons.s33_left_year  # noqa: B018: not a full-length column


def test_an_unknown_column_is_refused_with_its_name():
    """A column the table does not have is refused, not dropped unseen; the household's income per person, kept by
    household (model.population.households.income_per_person), among them."""
    for name in ("hh_income_pc", "wages"):
        with pytest.raises(ValueError, match=f"unknown person column '{name}'"):
            Persons({"age": np.array([30]), name: np.array([1.0])}, 1.0)
    assert len(Persons({"age": np.array([30]), "ssf_pension": np.array([5_000.0])}, 1.0)) == 1  # a record's field


def test_a_section_33_exit_gives_a_record_only_to_the_persons_who_left():
    # rows 0 and 2 were section 33 insured a year earlier; row 0 is now unemployed (an exit), row 2 still insured,
    # row 1 unemployed but was not insured: one record, row 0's
    persons = Persons({"age": np.array([40, 41, 42]), "status": np.array([UNEMPLOYED, UNEMPLOYED, SSF_S33])}, 1.0)
    labour.record_s33_exits(persons, np.array([0, 1, 2]), np.array([SSF_S33, UNEMPLOYED, SSF_S33]), 2030)
    np.testing.assert_array_equal(persons.ssf_record, [0, -1, -1])
    np.testing.assert_array_equal(persons.values_of("s33_left_year"), [2030, 0, 0])


@pytest.mark.parametrize("mapped_bytes, moves", [(1, False), (1 << 40, True)])
def test_mapped_record_buffers_have_room_for_every_row_and_never_move(monkeypatch, mapped_bytes, moves):
    """Where a table's room for a record per row is a mapping, the record buffers are that room from the start: adding
    records never moves them (no second copy beside the first at the peak); smaller ones grow from empty on the heap.
    Either way the values read are those written."""
    from model.population import persons as persons_module

    monkeypatch.setattr(persons_module, "MAPPED_BYTES", mapped_bytes)
    n = 1_000
    persons = Persons({"age": np.full(n, 40, dtype=np.int16)}, scale=1.0)
    buffer = persons.ssf._buffers["ssf_pension"]
    assert (buffer.size >= n) != moves
    for start in range(0, n, 100):  # records added in ten batches, as claims come year by year
        rows = np.arange(start, start + 100)
        records = persons.ssf_records(rows)
        persons.ssf.ssf_pension[records] = rows.astype(np.float32)
    assert (persons.ssf._buffers["ssf_pension"] is not buffer) == moves
    np.testing.assert_array_equal(persons.values_of("ssf_pension"), np.arange(n, dtype=np.float32))
