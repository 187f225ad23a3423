"""Results do not depend on the number of threads: blocks of rows are fixed by row number and draw from their own
streams, and the schemes' computations only read the population."""

import numpy as np
import pytest
import xarray as xr

from model import threads
from model.api import run
from model.errors import ModelInputError
from model.population import households, lookup
from model.population.status import N_STATUSES
from model.schemes import kernels, rows


def _run(monkeypatch: pytest.MonkeyPatch, n_threads: int) -> xr.Dataset:
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    monkeypatch.setattr(threads, "BLOCK", 4096)  # several blocks at this scale, so the blocks' threads differ
    monkeypatch.setattr(households, "BLOCK", 4096)  # and the households' masks too
    return run("baseline", scale=1000, seed=3, end_year=2027)


def test_results_are_the_same_on_one_thread_and_on_several(monkeypatch):
    one, several = _run(monkeypatch, 1), _run(monkeypatch, 3)
    assert len(threads.blocks(71_703)) > 3
    for name in one.data_vars:
        assert np.array_equal(one[name].values, several[name].values, equal_nan=True), name


def test_dependencies_run_first_whatever_the_threads(monkeypatch):
    monkeypatch.setenv("MODEL_THREADS", "4")
    done: list[str] = []
    order = ["a", "b", "c", "d", "e"]
    depends = {"c": ("a", "b"), "d": ("c",), "e": ("a",)}

    def work(name: str) -> None:
        assert all(d in done for d in depends.get(name, ())), name
        done.append(name)

    threads.in_dependency_order(order, depends, work)
    assert sorted(done) == order


@pytest.mark.parametrize("n_threads", [1, 2])
def test_background_work_is_done_once_and_its_value_or_error_reaches_the_waiter(monkeypatch, n_threads):
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    done: list[int] = []
    threads.in_background(lambda: done.append(1)).result()
    assert done == [1]
    assert threads.in_background(lambda: 6 * 7).result() == 42
    with pytest.raises(ZeroDivisionError):
        threads.in_background(lambda: 1 / 0).result()


def test_blocks_cover_every_row_once():
    parts = threads.blocks(3 * threads.BLOCK + 5)
    covered = np.concatenate([np.arange(p.start, p.stop) for p in parts])
    assert np.array_equal(covered, np.arange(3 * threads.BLOCK + 5))


@pytest.mark.parametrize(("n_threads", "n"), [(1, 10), (3, 10), (4, 3), (2, 0)])
def test_ranges_cover_every_row_once_one_range_a_thread(monkeypatch, n_threads, n):
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    parts = threads.ranges(n)
    assert len(parts) == max(1, min(n_threads, n))
    assert all(p.stop > p.start for p in parts) or n == 0
    covered = np.concatenate([np.arange(p.start, p.stop) for p in parts])
    assert np.array_equal(covered, np.arange(n))


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_thread_count_is_refused_with_its_value(monkeypatch, value):
    monkeypatch.setenv("MODEL_THREADS", value)
    with pytest.raises(ModelInputError, match=f"MODEL_THREADS.*{value}"):
        threads.thread_count()


def _small_blocks(monkeypatch: pytest.MonkeyPatch, n_threads: int = 3) -> None:
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    monkeypatch.setattr(threads, "BLOCK", 64)


@pytest.mark.parametrize("n", [0, 1, 63, 64, 1000])
def test_rows_grouped_by_blocks_are_those_of_one_pass(monkeypatch, n):
    _small_blocks(monkeypatch)
    codes = np.random.default_rng(n).integers(0, N_STATUSES, n).astype(np.int8)
    order, starts = lookup.grouped(codes, N_STATUSES)
    expected_order, expected_starts = kernels.group_rows(codes, N_STATUSES)
    assert np.array_equal(order, expected_order) and np.array_equal(starts, expected_starts)


@pytest.mark.parametrize("n", [0, 5, 64, 1000])
def test_masks_and_costs_by_blocks_are_those_of_one_pass(monkeypatch, n):
    _small_blocks(monkeypatch)
    rng = np.random.default_rng(n)
    thai, flag = rng.random(n) < 0.9, rng.random(n) < 0.3
    p = rng.random(n).astype(np.float32)
    mask = kernels.flag_taken_up(thai, flag, p, kernels.TAKE_WITHIN, np.float32(0.2), np.float32(0.7))
    args = (thai, flag, p, kernels.TAKE_WITHIN, np.float32(0.2), np.float32(0.7))
    assert np.array_equal(rows.mask_by_blocks(kernels.flag_taken_up, n, *args), mask)
    assert np.array_equal(rows.rows_by_blocks(kernels.flag_taken_up, n, *args), np.flatnonzero(mask))
    age = rng.integers(0, 101, n).astype(np.int16)
    picked, profile = np.flatnonzero(mask), rng.random(101)
    assert np.array_equal(rows.by_row_blocks(kernels.times_by_age, age, picked, profile, 12.0),
                          12.0 * profile[age[picked]])


def test_blocks_within_blocks_and_within_tasks_finish(monkeypatch):
    """Block work started from a block runs serially, and from a task on the pool of blocks: neither can wait for
    itself."""
    _small_blocks(monkeypatch, 2)
    out = np.zeros((4, 640), dtype=int)

    def outer(i: int, _: slice) -> None:
        threads.for_blocks(lambda j, part: out[i, part].__iadd__(j + 1), out.shape[1])

    threads.for_blocks(outer, 4 * 64)
    threads.in_dependency_order(["a", "b"], {"b": ("a",)},
                                lambda name: threads.for_blocks(lambda j, part: out[0, part].__iadd__(1), 640))
    expected = np.repeat(np.arange(1, 11), 64) + 2
    assert all(np.array_equal(row, expected - (2 if i else 0)) for i, row in enumerate(out))
