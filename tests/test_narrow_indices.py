"""Narrower index arrays hold the same values: the cached sex-age cells (int16) through drops, appends and ageing,
the counting sort's order (int32), the schemes' recipient rows (int32), and a result's insured rows never keep a
whole-population row list alive."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population.axes import MAX_AGE, N_AGES
from model.population.lookup import grouped
from model.population.persons import Persons
from model.schemes.base import RowAmounts, SchemeYear


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 300), steps=st.integers(1, 4))
def test_cells_are_int16_and_follow_the_table(seed, n, steps):
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, N_AGES, n), "sex": rng.integers(0, 2, n)}, 100.0)
    persons.rows_by_cell()  # counted here, then kept up to date
    for _ in range(steps):
        persons.drop(np.flatnonzero(rng.random(len(persons)) < 0.3))
        k = int(rng.integers(0, 40))
        persons.append({"age": rng.integers(0, N_AGES, k), "sex": rng.integers(0, 2, k)}, k)
        persons.advance_age()
    cell = persons.cells[:]
    assert cell.dtype == np.int16
    expected = persons.sex.astype(np.intp) * N_AGES + np.minimum(persons.age, MAX_AGE)
    np.testing.assert_array_equal(cell, expected)
    np.testing.assert_array_equal(persons.rows_by_cell(), np.bincount(expected, minlength=2 * N_AGES))


@settings(max_examples=30, deadline=None)
@given(codes=st.lists(st.integers(0, 6), max_size=500))
def test_grouped_order_is_int32_flatnonzero(codes):
    codes = np.array(codes, dtype=np.int8)
    order, starts = grouped(codes, 7)
    assert order.dtype == np.int32
    for c in range(7):
        np.testing.assert_array_equal(order[starts[c]:starts[c + 1]], np.flatnonzero(codes == c))


def test_scheme_rows_are_int32_and_insured_rows_own_their_memory():
    whole = np.arange(1000, dtype=np.intp)  # a year's shared row list
    insured = whole[100:110]
    result = SchemeYear(size=1000, rows=np.array([3, 7, 999]), amount=1.0,
                        insured_by_row=RowAmounts(insured, np.ones(insured.size)))
    assert result.rows.dtype == np.int32
    np.testing.assert_array_equal(result.rows, [3, 7, 999])
    assert result.insured_by_row.rows.base is None  # a copy: the whole list can be freed
    np.testing.assert_array_equal(result.insured_by_row.rows, np.arange(100, 110))
