"""The base population remembered per process (model/population/base_year.py): a run given a copy of the remembered
population is bit for bit a run that built it afresh, and a scenario that changes anything the set-up reads gets a
fresh build."""

from datetime import date

import numpy as np
import pytest

import model
from model.api import resolve
from model.parameters import ParameterTree
from model.population import base_year
from model.population.lookup import param
from model.simulation import SocialSecurityModel

SCALE, SEED, END = 1000, 3, 2026


@pytest.fixture
def builds(monkeypatch):
    """The list of fresh set-ups made (one entry per `initialise_attributes` call), memory emptied first."""
    base_year.forget()
    made: list[int] = []
    real = base_year.initialise_attributes

    def counted(persons, year, params, streams):
        made.append(year)
        real(persons, year, params, streams)

    monkeypatch.setattr(base_year, "initialise_attributes", counted)
    yield made
    base_year.forget()


def _equal(a, b) -> bool:
    """Every result variable of two runs holds the same bytes."""
    return sorted(a.data_vars) == sorted(b.data_vars) and all(
        a[v].dtype == b[v].dtype and np.ascontiguousarray(a[v].values).tobytes()
        == np.ascontiguousarray(b[v].values).tobytes() for v in a.data_vars)


def test_run_on_a_remembered_population_is_bit_identical_to_a_fresh_one(builds):
    fresh = model.run("baseline", scale=SCALE, seed=SEED, end_year=END)
    assert len(builds) == 1
    again = model.run("baseline", scale=SCALE, seed=SEED, end_year=END)
    assert len(builds) == 1  # no second set-up
    assert _equal(fresh, again)
    base_year.forget()
    rebuilt = model.run("baseline", scale=SCALE, seed=SEED, end_year=END)
    assert len(builds) == 2 and _equal(fresh, rebuilt)


def test_a_reform_of_a_scheme_shares_the_population_and_a_base_year_input_does_not(builds):
    base = SocialSecurityModel(resolve("baseline", scale=SCALE, seed=SEED))
    oaa = resolve("baseline", scale=SCALE, seed=SEED).replaced(
        parameters={"old_age_allowance.amount.age_60_69": {"2023-10-01": 1000.0}})
    reformed = SocialSecurityModel(oaa)
    assert len(builds) == 1  # the allowance is not read by the set-up
    assert np.array_equal(base.persons.region, reformed.persons.region)
    assert np.array_equal(base.persons.income, reformed.persons.income, equal_nan=True)
    assert reformed.persons.region is not base.persons.region  # a copy, not the same table

    share = {"population.regions.household_share.bangkok": {"2021-01-01": 0.30}}
    moved = SocialSecurityModel(resolve("baseline", scale=SCALE, seed=SEED).replaced(parameters=share))
    assert len(builds) == 2  # a parameter the set-up read changed: built afresh
    bangkok = [np.mean(m.persons.region == 0) for m in (base, moved)]
    assert bangkok[1] > bangkok[0]  # the population did follow the larger share
    SocialSecurityModel(resolve("baseline", scale=SCALE, seed=SEED + 1))
    SocialSecurityModel(resolve("baseline", scale=2 * SCALE, seed=SEED))
    assert len(builds) == 4  # another seed, another scale


def test_a_copy_is_independent_and_keeps_its_columns_views_of_their_buffers():
    persons = SocialSecurityModel(resolve("baseline", scale=20_000, seed=SEED)).persons
    copy = base_year.clone(persons)
    for name, column in copy.columns.items():
        assert np.array_equal(column, persons.columns[name], equal_nan=True)
        assert np.shares_memory(column, copy._buffers[name])  # appends keep writing where the column lives
        assert not np.shares_memory(column, persons.columns[name])
    for name, table in copy.tables.items():
        assert np.array_equal(table, persons.tables[name]) and not np.shares_memory(table, persons.tables[name])
    before = persons.wage.copy()
    copy.wage[:] += 1.0
    copy.append({}, 3)
    assert np.array_equal(persons.wage, before) and len(copy) == len(persons) + 3
    assert copy.next_pid == persons.next_pid + 3


def test_the_recording_tree_records_every_read():
    tree = base_year.RecordingTree.of(ParameterTree.load())
    assert param(tree, "population.regions.household_share.bangkok", 2023) == pytest.approx(0.214)
    tree.monthly("common.poverty_line", 2024)
    tree.info("population.income.persistence")
    assert tree.reads == {("entry", "population.regions.household_share.bangkok", date(2023, 7, 1)),
                          ("monthly", "common.poverty_line", 2024), "population.income.persistence"}
    tree.paths()
    assert base_year.EVERYTHING in tree.reads
    values = dict(base_year.read_values(ParameterTree.load(), frozenset(tree.reads)))
    assert values[base_year.EVERYTHING] == ParameterTree.load().fingerprint()


def test_a_reform_dated_after_the_values_the_set_up_read_shares_them():
    reads = frozenset({("entry", "ssf_s33.wage_ceiling", date(2023, 7, 1)), ("monthly", "ssf_s33.wage_ceiling", 2023)})
    tree = ParameterTree.load()
    later = tree.with_overrides({"ssf_s33.wage_ceiling": {"2026-01-01": 15000.0}})
    sooner = tree.with_overrides({"ssf_s33.wage_ceiling": {"2023-01-01": 15000.0}})
    assert base_year.read_values(later, reads) == base_year.read_values(tree, reads)
    assert base_year.read_values(sooner, reads) != base_year.read_values(tree, reads)
    whole = frozenset({"ssf_s33.wage_ceiling"})  # read other than by date: any change of its record counts
    assert base_year.read_values(later, whole) != base_year.read_values(tree, whole)


def test_a_reform_of_a_base_year_parameter_from_a_later_date_shares_the_population_bit_for_bit(builds):
    # the set-up reads the section 33 pension age in force on 1 July 2023; the reform raises it from 2027
    fresh = model.run("ssf_pension_age_60", scale=SCALE, seed=SEED, end_year=2029)
    base_year.forget()
    model.run("baseline", scale=SCALE, seed=SEED, end_year=2023)
    shared = model.run("ssf_pension_age_60", scale=SCALE, seed=SEED, end_year=2029)
    assert len(builds) == 2  # the reform's run used the baseline's population
    assert _equal(fresh, shared)
