"""Results do not depend on the number of threads: blocks of rows are fixed by row number and draw from their own
streams, and the schemes' computations only read the population."""

import numpy as np
import pytest
import xarray as xr

from model import threads
from model.api import run
from model.errors import ModelInputError


def _run(monkeypatch: pytest.MonkeyPatch, n_threads: int) -> xr.Dataset:
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    monkeypatch.setattr(threads, "BLOCK", 4096)  # several blocks at this scale, so the blocks' threads differ
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


def test_blocks_cover_every_row_once():
    parts = threads.blocks(3 * threads.BLOCK + 5)
    covered = np.concatenate([np.arange(p.start, p.stop) for p in parts])
    assert np.array_equal(covered, np.arange(3 * threads.BLOCK + 5))


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_thread_count_is_refused_with_its_value(monkeypatch, value):
    monkeypatch.setenv("MODEL_THREADS", value)
    with pytest.raises(ModelInputError, match=f"MODEL_THREADS.*{value}"):
        threads.thread_count()
