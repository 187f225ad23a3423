"""Where the person table's buffers live does not change what it holds: buffers mapped outside the heap
(model.population.persons, MAPPED_BYTES) take drops, appends and whole-column replacements as heap buffers do, grow
in place while they have room, and give the same run."""

import mmap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import run
from model.population import persons as persons_module
from model.population.persons import Persons


def _table(rng: np.random.Generator, n: int) -> Persons:
    return Persons({"age": rng.integers(0, 101, n), "sex": rng.integers(0, 2, n)}, 1000.0)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 400), steps=st.integers(1, 5))
def test_mapped_buffers_hold_what_heap_buffers_hold(seed, n, steps):
    tables = []
    for mapped_bytes in (0, 2**62):  # every buffer mapped; none
        persons_module.MAPPED_BYTES = mapped_bytes
        try:
            rng = np.random.default_rng(seed)
            persons = _table(rng, n)
            for _ in range(steps):
                persons.drop(np.flatnonzero(rng.random(len(persons)) < 0.3))
                k = int(rng.integers(0, 60))
                persons.append({"age": rng.integers(0, 101, k), "sex": rng.integers(0, 2, k)}, k)
                persons.set("wage", rng.random(len(persons)))
                persons.income[:] = rng.random(len(persons))
            tables.append(persons)
        finally:
            persons_module.MAPPED_BYTES = 1 << 24
    mapped, heap = tables
    assert isinstance(mapped._buffers["age"].base, memoryview)  # really mapped
    for name in persons_module.COLUMNS:
        assert np.array_equal(mapped.columns[name], heap.columns[name], equal_nan=True), name


def test_a_mapped_buffer_grows_in_place_while_it_has_room(monkeypatch):
    monkeypatch.setattr(persons_module, "MAPPED_BYTES", 0)
    persons = _table(np.random.default_rng(1), 100)  # room for 10 more rows (GROWTH)
    buffer = persons._buffers["age"]
    persons.append({"age": np.full(5, 7), "sex": np.zeros(5)}, 5)
    assert persons._buffers["age"] is buffer and np.array_equal(persons.age[-5:], np.full(5, 7))
    persons.append({"age": np.full(50, 8), "sex": np.zeros(50)}, 50)
    assert persons._buffers["age"] is not buffer and len(persons) == 155 and persons.age[100:105].tolist() == [7] * 5


@pytest.mark.parametrize("mapped_bytes", [0])
def test_a_run_is_the_same_whatever_buffers_are_mapped(monkeypatch, mapped_bytes):
    default = run("baseline", scale=1000, seed=2, end_year=2025)
    monkeypatch.setattr(persons_module, "MAPPED_BYTES", mapped_bytes)
    mapped = run("baseline", scale=1000, seed=2, end_year=2025)
    for name in default.data_vars:
        assert np.array_equal(default[name].values, mapped[name].values, equal_nan=True), name


@pytest.mark.parametrize("mapped_bytes", [0, 2**62])
def test_a_whole_column_is_written_over_its_own_buffer(monkeypatch, mapped_bytes):
    """`set` of every row's values writes them, cast to the column's dtype, over the column's buffer (no second
    buffer beside it) and keeps no reference to the values given."""
    monkeypatch.setattr(persons_module, "MAPPED_BYTES", mapped_bytes)
    persons = _table(np.random.default_rng(3), 50)
    buffer = persons._buffers["wage"]
    values = np.arange(50, dtype=np.float64) + 0.5
    persons.set("wage", values)
    assert persons._buffers["wage"] is buffer and persons.wage.dtype == np.float32
    values[:] = -1.0
    assert np.array_equal(persons.wage, np.arange(50, dtype=np.float32) + 0.5)


def test_a_reader_shares_the_columns_and_owns_its_record_indices():
    persons = _table(np.random.default_rng(1), 50)
    persons.tables["kept"] = np.arange(3)
    reader = persons.reader()
    assert all(np.shares_memory(reader.columns[name], persons.columns[name])
               for name in persons_module.COLUMNS if name not in persons_module.INDEX_COLUMNS)
    for index in persons_module.INDEX_COLUMNS:
        assert not np.shares_memory(reader.columns[index], persons.columns[index])
        assert np.array_equal(reader.columns[index], persons.columns[index])
    reader.cs_record[:5] = 7  # a claim of the reader's
    reader.tables["new"] = np.zeros(1)
    assert (persons.cs_record[:5] == -1).all() and "new" not in persons.tables
    assert set(persons.column_buffers(but=persons_module.INDEX_COLUMNS)) == (
        set(persons_module.COLUMNS) - set(persons_module.INDEX_COLUMNS))


def test_the_pages_of_dropped_rows_are_given_back_and_appended_rows_fill_them(monkeypatch):
    """After rows are dropped for good, the whole pages of a mapped buffer past the rows in use read as zeros (given
    back to the system); the rows in use keep their values and appended rows get theirs."""
    monkeypatch.setattr(persons_module, "MAPPED_BYTES", 0)
    persons = Persons({"age": np.full(50_000, 30), "sex": np.ones(50_000)}, 1000.0)
    persons.drop(np.arange(20_000, 50_000))
    buffer = persons._buffers["age"]
    assert np.all(buffer[20_000:50_000] == 30)  # the dropped rows' values, still there
    persons.release_dropped()
    first_free = -(-20_000 * buffer.itemsize // mmap.PAGESIZE) * mmap.PAGESIZE // buffer.itemsize
    assert np.all(buffer[first_free:] == 0) and np.all(persons.age == 30) and len(persons) == 20_000
    persons.append({"age": np.full(10_000, 9), "sex": np.zeros(10_000)}, 10_000)
    assert np.all(persons.age[:20_000] == 30) and np.all(persons.age[20_000:] == 9)
    assert np.all(persons.sex[20_000:] == 0)
    assert np.array_equal(persons.pid, np.r_[np.arange(20_000), np.arange(50_000, 60_000)])
