"""Wage draws (model.population.wages.draw_wages): every drawn row gets median × exp(sd × its own keyed normal), the
formula over all the drawn rows at once, bit for bit, though only the rows whose status has a wage spread draw a
normal; a row's wage does not depend on which other rows draw."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population import wages
from model.population.axes import N_AGES
from model.population.persons import Persons
from model.population.status import N_STATUSES
from model.population.streams import keyed_uniforms, normals_of, row_key

TREE = ParameterTree.load()
YEAR = 2030


def _persons(seed: int, n: int) -> Persons:
    rng = np.random.default_rng(seed)
    persons = Persons({"sex": rng.integers(0, 2, n).astype(np.int8), "age": rng.integers(0, N_AGES, n).astype(np.int8)},
                      100.0)
    persons.status[:] = rng.integers(0, N_STATUSES, n)
    median = rng.lognormal(9.5, 0.5, (N_STATUSES, 2, N_AGES))
    median[wages.KIND < 0] = 0.0  # statuses without a wage
    persons.tables["median_wage"] = median
    return persons


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 2000))
def test_drawn_wages_are_the_formula_over_every_drawn_row(seed, n):
    persons = _persons(seed, n)
    rows = np.sort(np.random.default_rng(seed + 1).choice(n, max(1, n // 3), replace=False))
    wages.draw_wages(persons, rows, TREE, YEAR, np.random.default_rng(seed + 2))
    sd = np.append(wages.log_sd(TREE, YEAR), 0.0).astype(np.float32)[wages.KIND]
    status = persons.status[rows].astype(np.intp)
    median = persons.tables["median_wage"].astype(np.float32).ravel()[status * (2 * N_AGES) + persons.cells[rows]]
    normals = normals_of(keyed_uniforms(row_key(np.random.default_rng(seed + 2)), rows))
    expected = median * np.exp(sd[status] * normals)
    assert persons.wage[rows].tobytes() == expected.tobytes()
    assert (persons.wage[rows][wages.KIND[status] < 0] == 0).all()


def test_a_rows_wage_does_not_depend_on_the_other_rows_drawn():
    persons = _persons(3, 600)
    every = np.arange(600)
    wages.draw_wages(persons, every, TREE, YEAR, np.random.default_rng(4))
    whole = persons.wage.copy()
    some = every[::7]
    persons.wage[:] = -1.0
    wages.draw_wages(persons, some, TREE, YEAR, np.random.default_rng(4))
    assert persons.wage[some].tobytes() == whole[some].tobytes()
