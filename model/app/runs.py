"""The app's model runs: scenarios at the app's scale and years, and the long SSF run in a worker process.

The SSF depletion year needs a run to 2100, which takes several seconds. It runs in one worker process on CPU
time nothing else wants, so that the page never waits for it and neither its own runs nor the browser are slowed
by it; each job is kept by the run's identity (`model.identity.run_id`), and jobs no page waits for any more are
cancelled before they start. The worker is started with "spawn", which imports the main module again: a script
that drives the app in its own process (as Streamlit's AppTest does) needs the ``if __name__ == "__main__":``
guard, as app.py has.
"""

import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

import xarray as xr

from ..api import run
from ..identity import run_id
from ..population.remembered_path import remember_paths
from ..scenario import Scenario

END_YEAR = 2037
LONG_END_YEAR = 2100
PREVIEW_SCALE = 5_000  # persons per row of the quick preview (its precision: `model.app.precision`)
FULL_SCALE = 100  # persons per row at full precision: the app's default, as the command line's
LONG_MIN_SCALE = 1_000  # the 2023-2100 run is never finer than this
SSF_VARIABLES = ("ssf_reserve", "ssf_depletion_year")
WORKER_NICENESS = 10  # where the idle class is missing, the worker's lower priority
_KEPT_JOBS = 64
FULL_SECONDS = 2.0  # a 2023-2037 run at FULL_SCALE before any has been timed (benchmarks/RESULTS.md)
MIN_SECONDS = 1.0  # the least estimate shown: a coarse run does not scale down to nothing (set-up, fiscal layer)
LONG_JOB_SECONDS = 15.0  # a 2023-2100 job before any has been timed
_run_seconds: dict[float, float] = {}  # the last 2023-2037 run's wall time by scale, this process


def record_run(scale: float, seconds: float) -> None:
    """Remember how long a 2023-2037 run at `scale` took (for `estimate_seconds`)."""
    _run_seconds[float(scale)] = seconds


def estimate_seconds(scale: float) -> float:
    """About how long a 2023-2037 run at `scale` takes: the last one timed at that scale, else the time of the
    finest scale timed (or full precision's default) scaled by the number of rows (inversely proportional to the
    scale), at least MIN_SECONDS."""
    if float(scale) in _run_seconds:
        return _run_seconds[float(scale)]
    known, seconds = min(_run_seconds.items(), default=(float(FULL_SCALE), FULL_SECONDS))
    return max(seconds * known / float(scale), MIN_SECONDS)


def for_app(scenario: Scenario, scale: float, seed: int) -> Scenario:
    """The scenario at the app's scale, seed and years (2023-2037)."""
    return scenario.replaced(scale=scale, seed=seed, end_year=END_YEAR)


def long_horizon(scenario: Scenario) -> Scenario:
    """The scenario run to 2100, at its scale or 1,000 persons per row if that is coarser."""
    return scenario.replaced(scale=max(scenario.scale, LONG_MIN_SCALE), end_year=LONG_END_YEAR)


def ssf_long_run(scenario_json: str) -> xr.Dataset:
    """SSF reserves by year and the depletion year of a scenario (given as JSON) run to 2100 (in the worker)."""
    return run(Scenario.model_validate_json(scenario_json))[list(SSF_VARIABLES)]


def _start_worker(parent: int) -> None:
    """Run the worker only on CPU time nothing else wants (Linux's idle scheduling class; elsewhere a lower
    priority), remembering current law's population paths, and end it once the process that started it is gone (a
    server or test process may end without shutting its pool down)."""
    remember_paths()  # a reform's long run replays current law's population path where it can
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or not allowed
        os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


class LongRuns:
    """Long SSF runs in one worker process, one job per run identity."""

    def __init__(self) -> None:
        self._executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(os.getpid(),))
        self._jobs: OrderedDict[str, Future[xr.Dataset]] = OrderedDict()
        self._lock = threading.RLock()  # re-entered by a done callback run at once
        self._started: dict[str, float] = {}  # when each job was queued (time.monotonic)
        self._seconds: list[float] = []  # how long finished jobs took from queueing, latest last

    def _finished(self, key: str, job: Future[xr.Dataset]) -> None:
        with self._lock:
            if not job.cancelled() and key in self._started:
                self._seconds = [*self._seconds[-9:], time.monotonic() - self._started.pop(key)]

    def progress(self, jobs: list[Future[xr.Dataset]]) -> tuple[float, float]:
        """(seconds since the earliest unfinished of `jobs` was queued, about how many seconds they take in all
        from then: the median time of the jobs finished so far, or LONG_JOB_SECONDS, for each)."""
        with self._lock:
            keys = [key for key, job in self._jobs.items() if job in jobs and not job.done()]
            started = [self._started[key] for key in keys if key in self._started]
        typical = sorted(self._seconds)[len(self._seconds) // 2] if self._seconds else LONG_JOB_SECONDS
        elapsed = time.monotonic() - min(started) if started else 0.0
        return elapsed, typical * max(len(keys), 1)

    def submit(self, scenario: Scenario) -> Future[xr.Dataset]:
        """The job of a long-horizon scenario, started (queued) unless one is kept or running already."""
        key = run_id(scenario)
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.cancelled():
                job = self._executor.submit(ssf_long_run, scenario.model_dump_json())
                self._jobs[key] = job
                self._started[key] = time.monotonic()
                job.add_done_callback(lambda done, key=key: self._finished(key, done))
            self._jobs.move_to_end(key)
            while len(self._jobs) > _KEPT_JOBS:
                self._jobs.popitem(last=False)
            return job

    def cancel_others(self, keep: Iterable[Scenario]) -> None:
        """Cancel the queued jobs of every scenario not in `keep` (running and finished jobs are left alone)."""
        wanted = {run_id(scenario) for scenario in keep}
        with self._lock:
            for key, job in self._jobs.items():
                if key not in wanted:
                    job.cancel()
