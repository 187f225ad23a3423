"""The compiled per-row passes give bit for bit what the numpy passes they replace gave: batched uniform draws
equal one draw of all rows, leavers and their destination groups equal the comparison and binary search over the
cumulative probabilities, the SplitMix64 uniforms equal the numpy bit arithmetic, and the yearly contribution
records equal the masked numpy updates."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population import kernels
from model.population.labour import N_GROUPS, draw_moves
from model.population.lookup import BATCH
from model.population.sampling import uniform_batches
from model.population.status import CIVIL_SERVANT, SSF_S33, SSF_S39, SSF_S40


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.sampled_from([0, 1, 7, BATCH, 2 * BATCH + 3]))
def test_uniform_batches_draw_as_one_call(seed, n):
    whole = np.random.default_rng(seed).random(n, dtype=np.float32)
    rng = np.random.default_rng(seed)
    batched = np.concatenate([np.zeros(0, np.float32)] + [u.copy() for _, u in uniform_batches(rng, n)])
    assert np.array_equal(batched, whole)
    # and the generator goes on where one call would have left it
    assert rng.random(dtype=np.float32) == np.random.default_rng(seed).random(n + 1, dtype=np.float32)[-1]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 3000), keys=st.integers(1, 40))
def test_draw_moves_equals_comparison_and_binary_search(seed, n, keys):
    rng = np.random.default_rng(seed)
    move = rng.random((keys, N_GROUPS)) * rng.random((keys, 1)) / N_GROUPS
    move[0] = 0.0
    move[-1, -1] = 1.0 - move[-1, :-1].sum()  # a certain move
    key = rng.integers(0, keys, n).astype(np.int16)
    rows, groups = draw_moves(lambda part: key[part], n, move, np.random.default_rng(seed + 1))
    cumulative = np.cumsum(move, axis=1).astype(np.float32)
    u = np.random.default_rng(seed + 1).random(n, dtype=np.float32)
    expected = np.flatnonzero(u < cumulative[key, -1])
    assert np.array_equal(rows, expected)
    assert np.array_equal(groups, (cumulative[key[expected], :-1] <= u[expected, None]).sum(axis=1))


def test_splitmix_uniforms_equal_numpy_bits():
    rows = np.array([0, 1, 5, 2**40, 123456789], dtype=np.int64)
    key = np.uint64(0xDEADBEEF12345678)
    z = key + (rows.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    out = np.empty(rows.size)
    kernels.splitmix_uniforms(key, rows, out)
    assert np.array_equal(out, ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0 ** -53)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(0, 500))
def test_contribution_records_equal_masked_numpy_updates(seed, n):
    rng = np.random.default_rng(seed)
    status = rng.integers(0, 9, n).astype(np.int8)
    wage = (rng.random(n) * 30_000).astype(np.float32)
    average = (rng.random(n) * 15_000).astype(np.float32)
    months = [rng.integers(0, 400, n).astype(np.int16) for _ in range(3)]
    floor, ceiling, deemed, window = 1650, 15000, 4800, 60.0
    rows = np.flatnonzero((status == SSF_S33) | (status == SSF_S39))
    wage_in = np.where(status[rows] == SSF_S39, np.float32(deemed), np.clip(wage[rows], floor, ceiling))
    earlier = np.minimum(months[0][rows].astype(np.int32) + months[1][rows], window - 12).astype(np.float32)
    expected_average = average.copy()
    expected_average[rows] = (average[rows] * earlier + wage_in * np.float32(12)) / (earlier + np.float32(12))
    expected_months = [m + 12 * (status == s).astype(np.int16) for m, s in zip(months, (SSF_S33, SSF_S39, SSF_S40))]
    kernels.accrue_contributions(status, wage, average, *months, SSF_S33, SSF_S39, SSF_S40, np.float32(floor),
                                 np.float32(ceiling), np.float32(deemed), window - 12)
    assert np.array_equal(average, expected_average)
    for got, expected in zip(months, expected_months):
        assert np.array_equal(got, expected)


def test_wage_growth_reads_the_state_employee_flag_from_the_civil_service_record():
    # Rows: an SSF worker, a state employee (record 1), an official (record 0), a civil servant without a record
    # (an official: the flag is unset). Every wage × 1.1 (step), civil servants × 2 (civil factor), the officials
    # among them × 3 (official factor): 1,000 → 1,100; 6,600; 19,800; 19,800 (float32 products, as the kernel).
    wage = np.full(4, 1000.0, dtype=np.float32)
    cell = np.zeros(4, dtype=np.int16)
    status = np.array([SSF_S33, CIVIL_SERVANT, CIVIL_SERVANT, CIVIL_SERVANT], dtype=np.int8)
    cs_record = np.array([-1, 1, 0, -1], dtype=np.int32)
    state_employee = np.array([False, True])  # [record]
    step, civil, official = (np.array([v], dtype=np.float32) for v in (1.1, 2.0, 3.0))
    kernels.grow_wages(wage, cell, status, cs_record, state_employee, step, CIVIL_SERVANT, civil, official, True)
    f = np.float32
    expected = [f(1000) * f(1.1), f(1000) * f(1.1) * f(2), f(1000) * f(1.1) * f(2) * f(3),
                f(1000) * f(1.1) * f(2) * f(3)]
    np.testing.assert_array_equal(wage, np.array(expected, dtype=np.float32))
