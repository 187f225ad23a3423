"""The compiled household passes give what the numpy formulations they replace give, exactly: sorts, counts and
sums by household, draws by key and the per-row draws of the yearly events (the same uniforms from the same
generator, whatever the block size)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import threads
from model.population import household_kernels as kernels
from model.population import households
from model.population.axes import MALE
from model.population.persons import Persons


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 3000), ties=st.booleans())
def test_stable_argsort_is_numpys_stable_order(seed, n, ties):
    """Ages plus a uniform (or, with ties, plus a coarse fraction that repeats), also with equal values."""
    rng = np.random.default_rng(seed)
    values = rng.integers(15, 101, n) + (rng.integers(0, 4, n) / 4 if ties else rng.random(n))
    np.testing.assert_array_equal(kernels.stable_argsort(values), np.argsort(values, kind="stable"))
    rows = rng.permutation(n).astype(np.int32)  # rows carried along: rows in the stable order, int32 kept
    ordered = kernels.sorted_rows(rows, values)
    assert ordered.dtype == np.int32
    np.testing.assert_array_equal(ordered, rows[np.argsort(values, kind="stable")])


def test_stable_argsort_of_equal_values_keeps_their_order():
    np.testing.assert_array_equal(kernels.stable_argsort(np.full(5, 7.5)), np.arange(5))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 2000))
def test_counts_and_sums_by_household_are_those_of_bincount(seed, n):
    """Sizes, float64 sums in row order and the float32 income per person, bit for bit."""
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, 101, n), "sex": rng.integers(0, 2, n)}, 100.0)
    persons.hh[:] = rng.integers(0, max(n // 3, 1), n)
    persons.income[:] = rng.lognormal(11, 1, n).astype(np.float32)
    size = np.bincount(persons.hh)
    np.testing.assert_array_equal(households.household_size(persons), size)
    total = np.bincount(persons.hh, weights=persons.income)
    np.testing.assert_array_equal(households.household_sum(persons, persons.income), total)
    households.refresh_income(persons)
    per_person = np.divide(total, size, out=np.zeros_like(total), where=size > 0).astype(np.float32)
    np.testing.assert_array_equal(households.income_per_person(persons), per_person)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 2000), spare=st.integers(0, 40))
def test_income_per_person_of_every_id_is_numpys_in_one_buffer(seed, n, spare):
    """The float32 income per person of every household id (0 for the empty ones, those between and the spare ids
    after), written over the float64 sums: numpy's values bit for bit, in a buffer of 8 bytes an id."""
    rng = np.random.default_rng(seed)
    hh = rng.integers(0, max(n // 3, 1), n).astype(np.int32)
    income = rng.lognormal(11, 1, n).astype(np.float32)
    size = np.bincount(hh, minlength=hh.max(initial=-1) + 1 + spare).astype(np.int32)
    total = np.bincount(hh, weights=income, minlength=size.size)
    expected = np.divide(total, size, out=np.zeros(size.size), where=size > 0).astype(np.float32)
    out = kernels.income_per_person(hh, income, size)
    assert out.dtype == np.float32 and out.tobytes() == expected.tobytes()
    assert memoryview(out.base).nbytes == 8 * size.size


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 500), draws=st.integers(0, 50), n_keys=st.integers(1, 20))
def test_pick_draws_a_uniform_candidate_of_the_key_in_row_order(seed, n, draws, n_keys):
    """The candidate floor(u × count) of the wanted key among its candidates in row order, -1 without one; one
    uniform per draw."""
    rng = np.random.default_rng(seed)
    candidates = np.sort(rng.choice(10 * n + 1, n, replace=False))
    keys = rng.integers(0, n_keys, n).astype(np.int16)
    wanted = rng.integers(-1, n_keys + 2, draws)
    ours, theirs = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    picked = households._pick(candidates, keys, n_keys, wanted, ours)
    u = theirs.random(draws)
    for d in range(draws):
        of_key = candidates[keys == wanted[d]]
        expected = of_key[int(u[d] * of_key.size)] if of_key.size else -1
        assert picked[d] == expected
    assert ours.bit_generator.state == theirs.bit_generator.state


@pytest.mark.parametrize("block", [1 << 18, 7, 64])
def test_drawn_rows_are_those_of_one_draw_per_candidate(monkeypatch, block):
    """Block by block, the same uniforms as one rng.random over all candidates, and the generator left in the same
    state."""
    monkeypatch.setattr(households, "BLOCK", block)
    rng = np.random.default_rng(3)
    partner = rng.integers(-1, 5, 1000).astype(np.int32)
    age = rng.integers(0, 101, 1000).astype(np.int16)
    ours, theirs = np.random.default_rng(9), np.random.default_rng(9)
    rows, u = households._drawn(kernels.single_adult, (partner, age), (), 0.3, ours)
    single = np.flatnonzero((partner < 0) & (age >= 18))
    all_u = theirs.random(single.size)
    np.testing.assert_array_equal(rows, single[all_u < 0.3])
    np.testing.assert_array_equal(u, all_u[all_u < 0.3])
    assert ours.bit_generator.state == theirs.bit_generator.state
    np.testing.assert_array_equal(households._where(kernels.single_adult, (partner, age)), single)


def test_household_ids_follow_pointers_to_compact_roots():
    parent = np.array([0, 0, 1, 2, 4, 4, 6, 4])
    hh = np.empty(parent.size, dtype=np.int32)
    households.household_ids(parent, hh)
    np.testing.assert_array_equal(hh, [0, 0, 0, 0, 1, 1, 2, 1])


def test_household_ids_over_many_blocks_are_the_roots_numbered_in_order():
    """A forest of pointers across several blocks of rows (threads.BLOCK): each row gets the rank of its root among
    the roots, as pointer jumping and np.unique give it; and ids renumbered compactly keep their order."""
    rng = np.random.default_rng(11)
    n = 3 * threads.BLOCK + 17
    parent = np.arange(n, dtype=np.int32)
    linked = rng.random(n) < 0.7
    parent[linked] = (rng.random(n)[linked] * np.flatnonzero(linked)).astype(np.int32)  # point to an earlier row
    _, expected = np.unique(households.roots(parent), return_inverse=True)
    hh = np.empty(n, dtype=np.int32)
    households.household_ids(parent, hh)
    np.testing.assert_array_equal(hh, expected)
    sparse = (hh * 3 + 5).astype(np.int32)  # ids with gaps
    households.compact_ids(sparse, np.zeros(int(sparse.max()) + 1, dtype=np.int32))
    np.testing.assert_array_equal(sparse, expected)


def test_row_links_are_made_pids_in_place():
    """rows_to_pids turns each set link (a row) into that row's pid and leaves -1 (none), as np.where would."""
    rng = np.random.default_rng(5)
    pid = rng.permutation(3_000).astype(np.int32)
    links = np.where(rng.random(3_000) < 0.5, rng.integers(0, 3_000, 3_000), -1).astype(np.int32)
    expected = np.where(links >= 0, pid[links], -1)
    kernels.rows_to_pids(links, pid)
    np.testing.assert_array_equal(links, expected)


def test_co_residence_by_blocks_is_the_whole_length_pass():
    """co_residence over blocks of rows (each told its first row) gives the parents of one pass over every row;
    men with a partner point to her."""
    from model.population import household_kernels as hk

    rng = np.random.default_rng(8)
    n = 5_000
    mother = np.where(rng.random(n) < 0.6, rng.integers(0, n, n), -1).astype(np.int32)
    partner = np.where(rng.random(n) < 0.4, rng.integers(0, n, n), -1).astype(np.int32)
    age = rng.integers(0, 101, n).astype(np.int16)
    sex, u, home = rng.integers(0, 2, n).astype(np.int8), rng.random(n), rng.random(101)
    whole, blocks = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
    hk.co_residence(mother, partner, age, sex, u, home, 0.3, 60, whole)
    for start in range(0, n, 777):
        rows = slice(start, min(start + 777, n))
        hk.co_residence(mother[rows], partner[rows], age[rows], sex[rows], u[rows], home, 0.3, 60, blocks[rows],
                        start)
    np.testing.assert_array_equal(blocks, whole)
    man = (partner >= 0) & (sex == MALE)
    np.testing.assert_array_equal(whole[man], partner[man])
    alone = (mother < 0) & ~man
    assert (whole[alone] == np.flatnonzero(alone)).all()  # no mother and not a partnered man: the row itself


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 2000), spare=st.integers(0, 50))
def test_census_counts_members_and_finds_households_without_an_adult(seed, n, spare):
    """Members by id (int32, np.bincount's counts, zeros for the spare ids) and the bit set of the households with
    members but no one aged 18+."""
    rng = np.random.default_rng(seed)
    n_ids = int(rng.integers(1, 400))
    hh = rng.integers(0, n_ids, n).astype(np.int32)
    age = rng.integers(0, 30, n).astype(np.int8)
    members, bits = kernels.census(hh, age, n_ids, spare)
    expected = np.bincount(hh, minlength=n_ids)
    assert members.dtype == np.int32
    np.testing.assert_array_equal(members, np.concatenate([expected, np.zeros(spare, dtype=np.int64)]))
    no_adult = (expected > 0) & (np.bincount(hh[age >= 18], minlength=n_ids) == 0)
    if not no_adult.any():
        assert bits.size == 0
    else:
        flagged = (bits[np.arange(n_ids) >> 3] >> (np.arange(n_ids) & 7)) & 1
        np.testing.assert_array_equal(flagged == 1, no_adult)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 3000), draws=st.integers(0, 300),
       block=st.sampled_from([1, 7, 64, kernels.KEY_BLOCK]))
def test_pick_by_key_is_the_pick_over_the_rows_of_the_wanted_keys(seed, n, draws, block):
    """households.pick_by_key (counts by block of rows, then a scan of the blocks holding a draw) picks what
    households._pick picks among the rows whose key thai × stride + age a draw asks for, sorted by key, with the
    same uniforms, whatever the block size (one or several blocks, a partial last block)."""
    rng = np.random.default_rng(seed)
    stride = 12
    thai, age = rng.random(n) < 0.7, rng.integers(0, stride, n).astype(np.int8)
    wanted = rng.integers(0, 2 * stride, draws)
    u = rng.random(draws)
    drawn = np.zeros(2 * stride, dtype=np.bool_)
    drawn[wanted] = True
    key = thai.astype(np.int64) * stride + age
    candidates = np.flatnonzero(drawn[key]).astype(np.int32)
    order, starts = households.grouped(key[candidates], 2 * stride)
    expected = kernels.pick_in_order(order, starts, candidates, wanted, u)
    np.testing.assert_array_equal(households.pick_by_key(thai, age, stride, wanted, u, block), expected)


@settings(max_examples=50, deadline=None)
@given(ids=st.lists(st.integers(0, 60), min_size=1, max_size=300), spare=st.integers(0, 5))
def test_renumbering_from_the_members_is_compact(ids, spare):
    """households.renumber (from the members of each id, with spare empty ids at the end as the household events
    leave them) renumbers the ids with members 0 .. H-1 in their order (numpy's unique and search); it returns
    their members."""
    n = len(ids)
    persons = Persons({"age": np.full(n, 30), "sex": np.full(n, MALE)}, 100.0)
    persons.hh[:] = ids
    size = np.concatenate([households.household_size(persons, np.int32), np.zeros(spare, np.int32)])
    expected = persons.hh.copy()
    used = np.unique(expected)
    expected = np.searchsorted(used, expected).astype(np.int32)
    members = households.renumber(persons, size)
    np.testing.assert_array_equal(persons.hh, expected)
    np.testing.assert_array_equal(members, households.household_size(persons, np.int32))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n_pids=st.integers(0, 2000), n=st.integers(0, 1500))
def test_lost_partner_through_the_bits_of_gone_pids_is_the_index_test(seed, n_pids, n):
    """A partner is lost exactly when its pid's row is -1 (any pid count, not only whole bytes); -1 (none) never is."""
    rng = np.random.default_rng(seed)
    inverse = np.append(np.where(rng.random(n_pids) < 0.3, -1, rng.integers(0, 10**6, n_pids)), -1).astype(np.int32)
    partner = rng.integers(-1, n_pids, n).astype(np.int32) if n_pids else np.full(n, -1, dtype=np.int32)
    gone = kernels.gone_bits(inverse)
    assert gone.size == (n_pids >> 3) + 2 and gone[-1] == 0
    out = np.empty(n, dtype=np.bool_)
    kernels.lost_partner(partner, gone, out)
    np.testing.assert_array_equal(out, (partner >= 0) & (inverse[partner] < 0))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 1500), top=st.sampled_from([0.0, 0.05, 0.5, 1.0]))
def test_below_top_keeps_the_rows_and_uniforms_of_numpys_compress(seed, n, top):
    rng = np.random.default_rng(seed)
    rows, u = np.sort(rng.choice(10**6, n, replace=False)).astype(np.int32), rng.random(n)
    kept_rows, kept_u = kernels.below_top(rows, u, top)
    assert kept_rows.dtype == np.int32 and kept_u.dtype == np.float64
    np.testing.assert_array_equal(kept_rows, rows[u < top])
    np.testing.assert_array_equal(kept_u, u[u < top])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_ids=st.integers(1, 3000), share=st.sampled_from([0.0, 0.01, 0.3, 1.0]))
def test_a_set_id_s_rank_is_its_place_among_the_set_ids(seed, n_ids, share):
    """rank_in gives np.searchsorted's place in the sorted distinct ids for a set id, and the number of set ids for
    any other (-1 included), whatever the bit set's length."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, n_ids, int(share * n_ids)).astype(np.int32)  # with repeats
    bits = kernels.id_bits(ids, n_ids)
    ranks = kernels.bit_ranks(bits)
    distinct = np.unique(ids)
    assert ranks[-1] == distinct.size
    queries = rng.integers(-1, n_ids, 500).astype(np.int32)
    expected = np.where(np.isin(queries, distinct), np.searchsorted(distinct, queries), distinct.size)
    np.testing.assert_array_equal(kernels.rank_in(bits, ranks, queries), expected)
