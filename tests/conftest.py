"""Shared fixtures: whole runs are expensive, so each is computed once per test process."""

import fcntl
import os
import subprocess
import sys
import tempfile

import pytest

import model
from model.population import remembered_path
from model.population.rates import load_inputs

COMPILE_RUN = {"scenario": "baseline", "scale": 1000, "end_year": 2024}
"""A short run (model.run's arguments) that compiles every kernel of the model into numba's on-disk cache (about
20 s of CPU on a fresh checkout, 0.3 s once cached)."""

COMPILED_LOCK = "MODEL_TESTS_COMPILED_LOCK"
"""Environment variable naming the file the compiling process holds locked until the kernels are cached."""
_COMPILING = pytest.StashKey[subprocess.Popen]()  # the controlling process's handle on the compiling process


def pytest_configure(config: pytest.Config) -> None:
    """Compile the model's kernels once, so that test processes read numba's on-disk cache instead of each compiling
    the same kernels. With parallel workers the compile runs in a process of its own while the workers start and
    collect the tests, and each worker waits for it before its first test (`pytest_collection_finish`)."""
    if hasattr(config, "workerinput"):  # a worker: the controlling process started the compile
        return
    if not getattr(config.option, "numprocesses", None):  # one process: compile here
        model.run(**COMPILE_RUN)
        return
    handle, path = tempfile.mkstemp(prefix="model-compile-", suffix=".lock")
    fcntl.flock(handle, fcntl.LOCK_EX)  # held by the compiling process, which shares this open file, until it ends
    command = [sys.executable, "-c", f"import model; model.run(**{COMPILE_RUN!r})"]
    config.stash[_COMPILING] = subprocess.Popen(command, stdout=subprocess.DEVNULL, pass_fds=(handle,))
    os.close(handle)
    os.environ[COMPILED_LOCK] = path  # the workers inherit it


def pytest_collection_finish(session: pytest.Session) -> None:
    """In a worker: wait until the compiling process has ended (its lock is released when it exits)."""
    path = os.environ.get(COMPILED_LOCK)
    if path and hasattr(session.config, "workerinput"):
        with open(path) as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)


def pytest_unconfigure(config: pytest.Config) -> None:
    """In the controlling process: reap the compiling process and remove its lock file."""
    compiling = config.stash.get(_COMPILING, None)
    if compiling is not None:
        compiling.wait()
        os.unlink(os.environ.pop(COMPILED_LOCK))


@pytest.fixture(autouse=True)
def no_remembered_paths():
    """Each test leaves its process remembering no population path (the app's page turns that on:
    model.population.remembered_path), so that no test replays another's."""
    yield
    if remembered_path.remembering():
        remembered_path.remember_paths(False)


@pytest.fixture(scope="session")
def inputs():
    """WPP single-age inputs for every year the data covers."""
    return load_inputs()


@pytest.fixture(scope="session")
def baseline_1000():
    """Baseline 2023-2037 at 1,000 persons per row."""
    return model.run("baseline", scale=1000)


SSF_SOLVE_SCALE, SSF_SOLVE_FROM, SSF_SOLVE_THROUGH = 5000, 2027, 2075
"""The SSF solvers' question of tests/test_ssf_solvers_branch.py and tests/test_fiscal_run.py: rates or pension age
from 2027 keeping the old-age branch solvent through 2075, at 5,000 persons per row (xdist group "ssf_solvers")."""


@pytest.fixture(scope="session")
def ssf_solve_scenario():
    """The baseline 2023-2075 the SSF solvers are asked about."""
    from model.api import resolve

    return resolve("baseline", scale=SSF_SOLVE_SCALE, end_year=SSF_SOLVE_THROUGH)


@pytest.fixture(scope="session")
def ssf_rise(ssf_solve_scenario):
    """The section 33 contribution-rate rise solver's answer (several runs to 2075), solved once per process."""
    from model import solvers

    return solvers.ssf_contribution_rise(ssf_solve_scenario, through_year=SSF_SOLVE_THROUGH, from_year=SSF_SOLVE_FROM)


@pytest.fixture(scope="session")
def ssf_pension_age(ssf_solve_scenario):
    """The section 33 pension-age solver's answer (a bisection of runs to 2075), solved once per process."""
    from model import solvers

    return solvers.ssf_pension_age(ssf_solve_scenario, through_year=SSF_SOLVE_THROUGH, from_year=SSF_SOLVE_FROM)


@pytest.fixture(scope="session")
def long_jobs():
    """Every job of a 2023-2100 run the app queues in this process (model.app.runs.LongRuns.submit), for a test to
    wait on. At the end of the session the queued jobs no test waited for are cancelled: they run at idle priority,
    one after another, and the process would wait for them all before it exits."""
    from model.app import runs

    jobs: list = []
    pools: dict[int, runs.LongRuns] = {}
    submit = runs.LongRuns.submit

    def recorded(self, scenario):
        job = submit(self, scenario)
        jobs.append(job)
        pools[id(self)] = self
        return job

    runs.LongRuns.submit = recorded
    try:
        yield jobs
    finally:
        runs.LongRuns.submit = submit
        for pool in pools.values():
            pool._executor.shutdown(wait=False, cancel_futures=True)


@pytest.fixture
def media(monkeypatch):
    """The media file managers of the app's test runs (AppTest makes one a run and drops it), to fetch downloads
    (tests/app_downloads.py)."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers: list[MediaFileManager] = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return managers
