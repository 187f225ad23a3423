"""The civil-service records (model.population.persons.Records of CS_FIELDS): a person's civil-service values (six
amounts, four flags) follow the person through drops, appends, copies and pickling as ten full-length columns would,
a flag set on a row gives it a record, and the person table is narrower for holding them apart."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population import base_year, civil_service
from model.population.persons import COLUMNS, CS_FIELDS, SSF_FIELDS, Persons
from model.population.status import CIVIL_SERVANT, INACTIVE

FIELDS = list(CS_FIELDS)
FLAGS = [name for name, spec in CS_FIELDS.items() if spec.dtype is np.bool_]


def _random_values(rng: np.random.Generator, n: int, share: float) -> dict[str, np.ndarray]:
    """Full-length civil-service columns of `n` rows, a `share` of them with values (the others all 0): amounts, and
    flags each set on about half of those rows (a row may have flags and no amount, or amounts and no flag)."""
    has = rng.random(n) < share
    return {name: (has & (rng.random(n) < 0.5) if name in FLAGS
                   else np.where(has, rng.uniform(1.0, 50_000.0, n), 0.0).astype(np.float32)) for name in FIELDS}


def _assert_matches(persons: Persons, reference: dict[int, np.ndarray]) -> None:
    """Each row's civil-service values are those the reference holds for its pid (0 for pids it lacks), and the
    records' bookkeeping is consistent: every record points back to its row, dead ones are counted."""
    none = np.zeros(len(FIELDS), np.float32)
    expected = np.array([reference.get(int(pid), none) for pid in persons.pid], np.float32).reshape(-1, len(FIELDS))
    for k, name in enumerate(FIELDS):
        np.testing.assert_array_equal(persons.values_of(name), expected[:, k].astype(CS_FIELDS[name].dtype),
                                      err_msg=name)
    for name in FLAGS:
        np.testing.assert_array_equal(persons.flag_mask(name), expected[:, FIELDS.index(name)] != 0, err_msg=name)
    rows = np.arange(len(persons), dtype=np.int32)[::-2]  # int32 row indices in no order, and a slice of rows
    for k, name in enumerate(FIELDS):
        np.testing.assert_array_equal(persons.values_of(name, rows), expected[rows, k].astype(CS_FIELDS[name].dtype))
        np.testing.assert_array_equal(persons.values_of(name, slice(1, None)),
                                      expected[1:, k].astype(CS_FIELDS[name].dtype))
    paid = persons.cs.cs_pension > 4_500.0  # [record], dead records too
    high = expected[:, FIELDS.index("cs_pension")] > 4_500.0
    np.testing.assert_array_equal(persons.record_mask("cs", paid), high)
    found = persons.cs.rows_where(paid)
    assert found.dtype == np.intp
    np.testing.assert_array_equal(found, np.flatnonzero(high))
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
        flag = FLAGS[int(rng.integers(0, len(FLAGS)))]
        getattr(persons.cs, flag)[records] = amount > 4_500.0
        for pid, a in zip(persons.pid[written], amount):
            row = reference.setdefault(int(pid), np.zeros(len(FIELDS), np.float32))
            row[FIELDS.index("cs_pension")] += a
            row[FIELDS.index(flag)] = a > 4_500.0

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


def test_a_row_takes_32_bytes_less_than_with_the_records_values_as_full_length_columns():
    # 89 bytes a row with the civil-service record's six float32 columns and four bool flags (28 bytes) and the SSF
    # benefit record's float32 pension and four int16 years (12 bytes) in the table; 57 with the two int32 record
    # indices in their place (the household's income per person, once a column of 4 bytes, is kept by household;
    # the take-up propensity is a 2-byte code).
    row_bytes = sum(np.dtype(spec.dtype).itemsize for spec in COLUMNS.values())
    assert not (set(CS_FIELDS) | set(SSF_FIELDS)) & set(COLUMNS)
    assert sum(np.dtype(spec.dtype).itemsize for spec in CS_FIELDS.values()) == 24 + 4
    assert sum(np.dtype(spec.dtype).itemsize for spec in SSF_FIELDS.values()) == 4 + 4 * 2
    assert row_bytes == 89 - 28 - 12 + 2 * 4 == 57


def test_a_flag_lives_in_the_record_and_setting_it_gives_the_row_one():
    # Rows 0 and 2 are state pensioners given as a full-length column (row 2 also a GPF member), row 1 has a salary
    # record only, row 3 nothing: records for rows 0, 1 and 2 only (False values need none).
    persons = Persons({"age": np.array([70, 40, 80, 30]), "cs_salary": np.array([0.0, 30_000.0, 0.0, 0.0]),
                       "state_pensioner": np.array([True, False, True, False]),
                       "gpf_member": np.array([False, False, True, False]),
                       "state_employee": np.zeros(4, bool)}, 1.0)
    np.testing.assert_array_equal(persons.cs_record >= 0, [True, True, True, False])
    np.testing.assert_array_equal(persons.flag_mask("state_pensioner"), [True, False, True, False])
    np.testing.assert_array_equal(persons.flag_mask("gpf_member"), [False, False, True, False])
    assert not persons.flag_mask("local_official").any()
    # setting a flag on row 3 (no record yet) through `cs_records` gives it one (records first: a new record may
    # move the fields' buffers)
    records = persons.cs_records(np.array([3]))
    persons.cs.local_official[records] = True
    assert persons.cs_record[3] == 3 and persons.cs.size == 4
    np.testing.assert_array_equal(persons.flag_mask("local_official"), [False, False, False, True])
    # the flag follows its person when the rows move: drop row 0, row 3 moves into its place
    persons.drop(np.array([0]))
    np.testing.assert_array_equal(persons.flag_mask("local_official"), [True, False, False])
    np.testing.assert_array_equal(persons.flag_mask("state_pensioner"), [False, False, True])
    np.testing.assert_array_equal(persons.values_of("state_pensioner", np.array([2, 0])), [True, False])
    # a newborn inherits no flag, and the four names are no longer whole columns
    persons.append(persons.newborn_values(np.array([2])), 1)
    assert persons.cs_record[3] == -1 and not persons.flag_mask("state_pensioner")[3]
    for name in FLAGS:
        assert name not in persons.columns
        with pytest.raises(AttributeError, match="values_of"):
            getattr(persons, name)
    with pytest.raises(ValueError, match="not a civil-service flag"):
        persons.flag_mask("cs_salary")
    # `into`: the flagged rows are set in the given mask, the others left as they were
    into = np.array([False, True, False, False])
    assert persons.flag_mask("state_pensioner", into=into) is into
    np.testing.assert_array_equal(into, [False, True, True, False])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 200))
def test_flag_mask_is_the_records_flag_spelled_out_per_row(seed, n):
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, 101, n), **_random_values(rng, n, 0.3)}, 1.0)
    persons.drop(np.flatnonzero(rng.random(n) < 0.4))  # dead records (row -1) must not show in the mask
    for name in FLAGS:
        mask = persons.flag_mask(name)
        assert mask.dtype == np.bool_ and mask.shape == (len(persons),)
        np.testing.assert_array_equal(mask, persons.values_of(name))
        assert not (mask & (persons.cs_record < 0)).any()  # a set flag always has its record


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
