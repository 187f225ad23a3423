"""Faster equivalents equal what they replace: the person table's pid-to-row index, kept up to date by drops and
appends, equals one built afresh; the categorical draw by a count of its key's bounds equals the search over all bounds;
the choice table's draws are Generator.choice's; a Bernoulli draw over a subset of rows draws as over their keys."""

import tracemalloc

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population import household_kernels
from model.population.households import choice_table
from model.population import persons as persons_module
from model.population.persons import Persons
from model.population.sampling import bernoulli_rows, bernoulli_where, categorical


def fresh_index(persons: Persons) -> np.ndarray:
    index = np.full(persons.next_pid + 1, -1, dtype=np.int32)
    index[persons.pid] = np.arange(len(persons), dtype=np.int32)
    return index


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 300), steps=st.integers(1, 6))
def test_kept_index_equals_a_fresh_one_after_drops_and_appends(seed, n, steps):
    """Kept up to date by drops and appends, or forgotten and rebuilt: the index built afresh."""
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, 101, n), "sex": rng.integers(0, 2, n)}, 1000.0)
    persons.row_of_pid()  # built here, then kept
    for _ in range(steps):
        dropped = np.flatnonzero(rng.random(len(persons)) < 0.3)
        persons.drop(dropped)
        assert np.array_equal(persons.row_of_pid(), fresh_index(persons))
        if rng.random() < 0.5:
            persons_module.MAPPED_BYTES = 0 if rng.random() < 0.5 else 1 << 24  # a large index, or a small one
            persons.forget_row_of_pid()  # a large one is freed between a year's readers: drops and appends go on
            persons_module.MAPPED_BYTES = 1 << 24
        k = int(rng.integers(0, 50))
        persons.append({"age": np.zeros(k), "sex": np.ones(k)}, k)
        index = persons.row_of_pid()
        assert np.array_equal(index, fresh_index(persons))
        assert index[-1] == -1  # the link -1 ("none") finds no row
        assert not index.flags.writeable


def test_index_is_rebuilt_when_ids_are_given_from_outside():
    persons = Persons({"age": np.arange(5), "sex": np.zeros(5)}, 1000.0)
    persons.row_of_pid()
    persons.next_pid = 10  # as a subset of a larger table keeps its ids
    assert persons.row_of_pid().size == 11
    assert np.array_equal(persons.row_of_pid(), fresh_index(persons))


def test_index_is_built_without_an_array_of_the_rows():
    """With the rows' pids out of order (as drops leave them), the index built afresh is numpy's index[pid] =
    np.arange(n), and building it holds nothing of the rows' length beside the index (peak memory)."""
    Persons({"age": np.zeros(3), "sex": np.zeros(3)}, 1000.0).row_of_pid()  # its kernel compiled (or loaded) first
    rng = np.random.default_rng(4)
    persons = Persons({"age": rng.integers(0, 101, 200_000), "sex": rng.integers(0, 2, 200_000)}, 1000.0)
    persons.drop(np.flatnonzero(rng.random(len(persons)) < 0.25))  # the last rows moved into the gaps
    assert (np.diff(persons.pid) < 0).any()
    tracemalloc.start()
    index = persons.row_of_pid()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.array_equal(index, fresh_index(persons))
    assert peak < index.base.nbytes + len(persons)  # an array of the rows would add 4 bytes a row


def _searched(keys: np.ndarray, probabilities: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The category as the number of bounds key + cumulative probability at or below key + u, over all keys."""
    k, g = probabilities.shape
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    bounds = (np.arange(k)[:, None] + cumulative).ravel()
    return np.searchsorted(bounds, keys + np.asarray(u, dtype=np.float64), side="right") - keys * g


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 40), g=st.integers(1, 12), f32=st.booleans())
def test_categorical_equals_the_search_over_all_bounds(seed, k, g, f32):
    rng = np.random.default_rng(seed)
    p = rng.random((k, g))
    p[rng.random((k, g)) < 0.4] = 0.0  # empty categories: equal bounds
    p[:, -1] += 1e-3
    p /= p.sum(axis=1, keepdims=True)
    keys = rng.integers(0, k, 500)
    u = rng.random(500, dtype=np.float32) if f32 else rng.random(500)
    below_one = np.nextafter(u.dtype.type(1.0), u.dtype.type(0.0))  # the largest draw below 1 of u's type
    u[:4] = [0.0, below_one, 0.5, below_one]
    out = categorical(keys, p, u)
    assert np.array_equal(out, _searched(keys, p, u))
    if f32:  # float32 draws: key + u is exact, below key + 1, so the category is one of the key's own
        assert out.min() >= 0 and out.max() < g


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 3000), size=st.integers(1, 120))
def test_the_choice_table_draws_as_the_generator_choice(seed, n, size):
    rng = np.random.default_rng(seed)
    weights = rng.random(size)
    weights[rng.random(size) < 0.3] = 0.0
    weights[-1] += 1e-3
    p = weights / weights.sum()
    cdf, lo, hi = choice_table(p)
    u = np.random.default_rng(seed + 1).random(n)  # the uniforms Generator.choice draws with p
    ours = np.array([household_kernels.table_draw(cdf, lo, hi, x) for x in u], dtype=np.int64)
    assert np.array_equal(ours, np.random.default_rng(seed + 1).choice(np.arange(size), size=n, p=p))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 2000), high=st.booleans())
def test_bernoulli_over_rows_draws_as_over_their_gathered_keys(seed, n, high):
    """Over a subset of rows, the keys looked up at the drawn candidates only: the same picks as gathering first,
    by thinning (small probabilities) and by a draw per row (high ones)."""
    rng = np.random.default_rng(seed)
    table = rng.random(20) * (0.9 if high else 0.05)
    keys = rng.integers(0, 20, n)
    rows = np.flatnonzero(rng.random(n) < 0.7)
    ours, theirs = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    assert np.array_equal(bernoulli_rows(table, keys, ours, rows=rows), bernoulli_rows(table, keys[rows], theirs))
    assert ours.random() == theirs.random()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 2000), high=st.booleans(), share=st.sampled_from([0.0, 0.3, 1.0]))
def test_bernoulli_over_a_mask_picks_the_rows_of_the_draw_over_its_rows(seed, n, high, share):
    """Over the rows of a mask, their candidates found by one pass over it: the same rows and the same generator
    position as the draw over the list of the masked rows, by thinning and by a draw per row."""
    rng = np.random.default_rng(seed)
    table = rng.random(20) * (0.9 if high else 0.05)
    keys = rng.integers(0, 20, n).astype(np.int16)
    mask = rng.random(n) < share
    rows = np.flatnonzero(mask)
    ours, theirs = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    picked = bernoulli_where(table, keys, ours, mask)
    assert np.array_equal(picked, rows[bernoulli_rows(table, keys, theirs, rows=rows)])
    assert ours.random() == theirs.random()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 5000), masked=st.booleans())
def test_block_counts_are_bincounts(seed, n, masked):
    """persons.bincount counts narrow codes block by block (here blocks of 97 rows), with or without a mask: the
    counts of np.bincount."""
    import model.population.persons as persons_module

    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 40, n).astype(np.int16)
    mask = rng.random(n) < 0.5 if masked else None
    block, persons_module.COUNT_BLOCK = persons_module.COUNT_BLOCK, 97
    try:
        got = persons_module.bincount(codes, 40, mask)
    finally:
        persons_module.COUNT_BLOCK = block
    np.testing.assert_array_equal(got, np.bincount(codes if mask is None else codes[mask], minlength=40))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 3000), share=st.floats(0.0, 1.0), draws=st.integers(0, 200))
def test_the_nth_true_rows_are_those_of_flatnonzero(seed, n, share, draws):
    """kernels.nth_true (eight rows at a time) finds np.flatnonzero(mask)[positions], repeated positions too."""
    from model.population import kernels

    rng = np.random.default_rng(seed)
    mask = rng.random(n) < share
    rows = np.flatnonzero(mask)
    positions = np.sort(rng.integers(0, max(rows.size, 1), draws if rows.size else 0))
    out = np.empty(positions.size, dtype=np.intp)
    kernels.nth_true(mask, positions, out)
    np.testing.assert_array_equal(out, rows[positions])
