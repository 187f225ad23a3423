"""The civil-service records (model.population.persons.CsRecords): a person's six civil-service values follow the
person through drops, appends, copies and pickling as six full-length columns would, and the person table is
narrower for holding them apart."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population import base_year, civil_service
from model.population.persons import COLUMNS, CS_FIELDS, Persons
from model.population.status import CIVIL_SERVANT, INACTIVE

FIELDS = list(CS_FIELDS)


def _random_values(rng: np.random.Generator, n: int, share: float) -> dict[str, np.ndarray]:
    """Full-length civil-service columns of `n` rows, a `share` of them with values (the others all 0)."""
    has = rng.random(n) < share
    return {name: np.where(has, rng.uniform(1.0, 50_000.0, n), 0.0).astype(np.float32) for name in FIELDS}


def _assert_matches(persons: Persons, reference: dict[int, np.ndarray]) -> None:
    """Each row's civil-service values are those the reference holds for its pid (0 for pids it lacks), and the
    records' bookkeeping is consistent: every record points back to its row, dead ones are counted."""
    none = np.zeros(len(FIELDS), np.float32)
    expected = np.array([reference.get(int(pid), none) for pid in persons.pid], np.float32).reshape(-1, len(FIELDS))
    for k, name in enumerate(FIELDS):
        np.testing.assert_array_equal(persons.values_of(name), expected[:, k], err_msg=name)
    cs = persons.cs
    with_record = np.flatnonzero(persons.cs_record >= 0)
    np.testing.assert_array_equal(cs.row[persons.cs_record[with_record]], with_record)
    assert np.unique(persons.cs_record[with_record]).size == with_record.size  # one person per record
    assert cs.dead == np.count_nonzero(cs.row < 0) and 2 * cs.dead <= cs.size


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), steps=st.integers(1, 8))
def test_values_follow_their_person_through_drops_appends_writes_and_copies(seed, n, steps):
    rng = np.random.default_rng(seed)
    values = _random_values(rng, n, 0.2)
    persons = Persons({"age": rng.integers(0, 101, n), **values}, 1.0)
    reference = {pid: np.array([values[name][pid] for name in FIELDS], np.float32)
                 for pid in range(n) if any(values[name][pid] != 0 for name in FIELDS)}
    _assert_matches(persons, reference)
    for _ in range(steps):
        dropped = np.flatnonzero(rng.random(len(persons)) < rng.uniform(0.0, 0.6))
        for pid in persons.pid[dropped]:
            reference.pop(int(pid), None)
        persons.drop(dropped)

        k = int(rng.integers(0, 40))
        given_values = _random_values(rng, k, 0.3) if rng.random() < 0.5 else {}
        first = persons.next_pid
        persons.append({"age": rng.integers(0, 101, k), **given_values}, k)
        for i in range(k):
            row = [given_values[name][i] for name in FIELDS] if given_values else [0.0] * len(FIELDS)
            if any(v != 0 for v in row):
                reference[first + i] = np.array(row, np.float32)

        written = np.flatnonzero(rng.random(len(persons)) < 0.1)  # some enter civil service, some already in it
        records = persons.cs_records(written)
        amount = rng.uniform(1.0, 9_000.0, written.size).astype(np.float32)
        persons.cs.cs_pension[records] += amount
        for pid, a in zip(persons.pid[written], amount):
            row = reference.setdefault(int(pid), np.zeros(len(FIELDS), np.float32))
            row[FIELDS.index("cs_pension")] += a

        persons = (lambda p: p, base_year.clone, lambda p: Persons(p.as_columns(), p.scale),
                   lambda p: pickle.loads(pickle.dumps(p)))[int(rng.integers(0, 4))](persons)
        _assert_matches(persons, reference)


def test_a_clone_has_its_own_records():
    persons = Persons({"age": np.array([50, 60]), "cs_salary": np.array([0.0, 30_000.0])}, 1.0)
    copy = base_year.clone(persons)
    records = copy.cs_records(np.array([0, 1]))  # first: a new record may move the records' buffers
    copy.cs.cs_salary[records] = 1.0
    np.testing.assert_array_equal(persons.values_of("cs_salary"), [0.0, 30_000.0])
    np.testing.assert_array_equal(copy.values_of("cs_salary"), [1.0, 1.0])
    assert base_year.nbytes(persons) > sum(buffer.nbytes for buffer in persons._buffers.values())  # records counted


def test_newborns_and_rows_without_values_have_no_record():
    persons = Persons({"age": np.array([30, 40, 50]), "service_years": np.array([0.0, 12.5, 0.0]),
                       "cs_gratuity_due": np.array([0.0, 0.0, 0.0])}, 1.0)
    persons.append(persons.newborn_values(np.array([1])), 1)
    np.testing.assert_array_equal(persons.cs_record, [-1, 0, -1, -1])
    assert persons.cs.size == 1


def test_the_table_keeps_the_record_index_itself():
    with pytest.raises(ValueError, match="cs_record"):
        Persons({"age": np.array([30]), "cs_record": np.array([0])}, 1.0)
    persons = Persons({"age": np.array([30])}, 1.0)
    for name in ("cs_record", "cs_salary"):
        with pytest.raises(ValueError, match=name):
            persons.set(name, np.array([1.0]))
    with pytest.raises(AttributeError, match="values_of"):
        persons.cs_salary  # noqa: B018: no longer a full-length column


def test_a_row_takes_20_bytes_less_than_with_six_full_length_columns():
    # 95 bytes a row with the six float32 columns (24 bytes); 75 with the int32 record index in their place.
    row_bytes = sum(np.dtype(spec.dtype).itemsize for spec in COLUMNS.values())
    assert not set(CS_FIELDS) & set(COLUMNS)
    assert sum(np.dtype(spec.dtype).itemsize for spec in CS_FIELDS.values()) == 24
    assert row_bytes == 95 - 24 + 4 == 75


def test_a_civil_servant_without_a_record_accrues_as_one_with_a_zero_record():
    # A table built from the status alone: the civil servant gets a record of zeros, then a year of service
    # (salary average (0 × 0 + 30,000 × 12) / 12 = 30,000, last salary 30,000, 1 year of service).
    params = ParameterTree.load()
    persons = Persons({"age": np.array([30, 40, 50]), "status": np.array([CIVIL_SERVANT, INACTIVE, CIVIL_SERVANT]),
                       "wage": np.array([30_000.0, 0.0, 20_000.0]),
                       "service_years": np.array([0.0, 0.0, 10.0]), "cs_salary": np.array([0.0, 0.0, 20_000.0]),
                       "cs_last_salary": np.array([0.0, 0.0, 20_000.0])}, 1.0)
    assert persons.cs_record[0] == -1
    civil_service.accrue_service(persons, params, 2023)
    np.testing.assert_array_equal(persons.values_of("service_years"), [1.0, 0.0, 11.0])
    np.testing.assert_array_equal(persons.values_of("cs_salary"), [30_000.0, 0.0, 20_000.0])
    np.testing.assert_array_equal(persons.values_of("cs_last_salary"), [30_000.0, 0.0, 20_000.0])
    assert persons.cs_record[1] == -1
