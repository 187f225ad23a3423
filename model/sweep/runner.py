"""Run a sweep's plan on dask.distributed, one NetCDF file per run, with a manifest and resume.

Layout of the output folder::

    DIR/manifest.jsonl     one JSON object per line: a `sweep` line per invocation, then per run
                           `submitted`, `finished` or `failed` (with the error) and its timing and memory
    DIR/runs/RUN_ID.nc     the result Dataset of one run (written to a temporary name, then renamed)
    DIR/results.nc         the merged results (see `model.sweep.merge`)

Run files are NetCDF3 (64-bit offset), which writes and reads a result of some fifty small variables about
twenty times faster than NetCDF4/HDF5; a result NetCDF3 cannot hold (an integer attribute beyond 32 bits)
falls back to NetCDF4. `xarray.open_dataset` reads both.

A run's id is its identity (`model.identity.run_id`): a hash of the resolved parameter tree, macro path,
demographic inputs, scale, seed, years and model version (code and data). A run whose file exists is finished:
rerunning a sweep skips it, and an interrupted sweep loses at most the runs in flight; a run made before a
parameter file, a data file or the code changed has another identity, so it is computed again (the manifest's
`inputs` hash of what the sweep states tells how many finished runs were stale). Workers must run the same model
version as this process. The worker that computes a run
writes its file (so the folder must be on a filesystem the workers share with this process) and returns
only the requested outputs; this process alone writes the manifest, and an exclusive lock on
``DIR/.lock`` keeps a second sweep out. Results never depend on completion order: each run is seeded on
its own, and the merge places outputs by plan position.
"""

import datetime as dt
import fcntl
import json
import logging
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xarray as xr
from distributed import Client, Scheduler, SpecCluster, as_completed, get_worker
from distributed.deploy.subprocess import SubprocessWorker
from tqdm.auto import tqdm

from .. import outputs
from ..errors import ModelInputError
from ..identity import inputs_id
from ..version import model_version
from ..io import write_netcdf
from ..population.remembered_path import remember_paths
from ..scenario import Scenario
from .design import Run
from .uncertainty import breaches

MANIFEST = "manifest.jsonl"
RUNS = "runs"
IN_FLIGHT_PER_THREAD = 4  # tasks queued per worker thread: keeps workers busy, bounds memory of huge sweeps
CONNECT_TIMEOUT = "10s"
TRIM = "MALLOC_TRIM_THRESHOLD_"
ONE_THREAD = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MODEL_THREADS")
"""One thread for numerical libraries (as Dask's nannies set them) and for the model's own blocks of rows
(model.threads): the worker processes already use the cores."""
QUIET = "DASK_LOGGING__DISTRIBUTED"  # workers' log level (their start-up messages would fill the terminal)

Simulate = Callable[[Scenario], xr.Dataset]


def simulate(scenario: Scenario) -> xr.Dataset:
    """The default run of one scenario: `model.run` without a progress bar, in a worker that remembers current
    law's population path, so that the runs of a sweep over what the schemes pay replay it
    (model.population.remembered_path)."""
    from ..api import run

    remember_paths()
    return run(scenario, progress=False)


@dataclass
class Outcome:
    """What a worker returns for one run: the requested outputs, or the error; wall and CPU time (s) and the
    worker's peak RSS (MiB)."""

    outputs: xr.Dataset | None
    error: str | None
    fatal: bool
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    worker: str
    version: str = ""


def execute(scenario: Scenario, names: tuple[str, ...], run: Simulate, path: str, run_id: str) -> Outcome:
    """On a worker: run one scenario, compute the requested outputs and write the result to `path` atomically.

    An error in the run is returned, not raised, so that the sweep records it and goes on; an output the
    result cannot provide is `fatal` (every run would fail the same way).
    """
    start, cpu = time.perf_counter(), time.process_time()
    reduced, error, fatal = None, None, False
    try:
        dataset = run(scenario)
        reduced = reduce_run(dataset, names)
        # encoded in memory by model.io (NetCDF3 when it can): writing to a path inside a Dask worker would make
        # xarray take a cluster-wide lock through the scheduler for every variable
        write_netcdf(dataset.assign_attrs(run_id=run_id, model_version=model_version()), Path(path), compact=True)
    except outputs.OutputUnavailable as exc:
        reduced, error, fatal = None, str(exc), True
    except Exception as exc:  # noqa: BLE001 - any failure of one run is recorded and the sweep goes on
        reduced, error = None, f"{type(exc).__name__}: {exc}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Outcome(reduced, error, fatal, time.perf_counter() - start, time.process_time() - cpu, peak,
                   get_worker().address, model_version())


def reduce_run(result: xr.Dataset, names: tuple[str, ...]) -> xr.Dataset:
    """What a sweep keeps of one run: the requested outputs and, when the result has sustainability criteria,
    its breach flags (`model.sweep.uncertainty.breaches`)."""
    reduced = outputs.compute_many(result, names)
    return reduced.merge(breaches(result)) if "criterion_passes" in result.variables else reduced


class Manifest:
    """The append-only JSON-lines record of a sweep folder (a line cut short by a kill is ignored)."""

    def __init__(self, path: Path):
        self.path = path

    def append(self, event: str, **fields: Any) -> None:
        """Add one record with the event name and the current time (UTC, ISO 8601)."""
        record = {"event": event, "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), **fields}
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")

    def records(self) -> list[dict[str, Any]]:
        """Every complete record, oldest first."""
        if not self.path.exists():
            return []
        records = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return records

    def finished(self) -> set[str]:
        """Run ids with a `finished` record."""
        return {r["run_id"] for r in self.records() if r.get("event") == "finished"}

    def finished_inputs(self) -> set[str]:
        """Inputs ids (`model.identity.inputs_id`) of runs with a `finished` record; in folders of sweeps made
        before run ids covered the resolved inputs, the run id was the inputs id."""
        return {r.get("inputs", r["run_id"]) for r in self.records() if r.get("event") == "finished"}


@dataclass
class RunReport:
    """Counts (`stale`: runs finished earlier under another model version or other resolved inputs, computed
    again), failures (run id → error), wall time (s) and peak memory (MiB) of one invocation, and the
    outputs of the runs it computed (run id → Dataset of the requested outputs), which spares the merge
    from reading their files again."""

    runs: int
    skipped: int
    stale: int = 0
    finished: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, xr.Dataset] = field(default_factory=dict)
    wall_seconds: float = 0.0
    parent_peak_mib: float = 0.0
    worker_peak_mib: dict[str, float] = field(default_factory=dict)

    @property
    def peak_memory_mib(self) -> float:
        """Peak resident memory of this process plus each worker's peak, MiB."""
        return self.parent_peak_mib + sum(self.worker_peak_mib.values())


def run_path(out_dir: Path, run_id: str) -> Path:
    """The NetCDF file of one run."""
    return out_dir / RUNS / f"{run_id}.nc"


@contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Create the output folder and hold an exclusive lock on it (released even if the process is killed)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ModelInputError(f"--out: {str(out_dir)!r} is a file, not a folder")
    if not out_dir.parent.is_dir():
        raise ModelInputError(f"--out: folder {str(out_dir.parent)!r} does not exist")
    (out_dir / RUNS).mkdir(parents=True, exist_ok=True)
    handle: IO[str] = (out_dir / ".lock").open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ModelInputError(f"--out: another sweep is writing to {str(out_dir)!r}") from None
        remove_partial_files(out_dir)
        yield
    finally:
        handle.close()


def remove_partial_files(out_dir: Path) -> None:
    """Remove the temporary files of runs being written when a sweep was killed or interrupted (never renamed,
    never finished)."""
    for partial in (out_dir / RUNS).glob(".*.tmp"):
        partial.unlink(missing_ok=True)


def check_versions(client: Client, option: str) -> None:
    """Refuse workers whose model version (code and data) differs from this process's: they would compute
    other numbers under the same run ids."""
    mine = model_version()
    theirs = client.run(model_version)
    odd = sorted((address, version) for address, version in theirs.items() if version != mine)
    if odd:
        address, version = odd[0]
        raise ModelInputError(f"{option}: worker {address} runs model version {version}, this process {mine} "
                              f"({len(odd)} of {len(theirs)} workers differ); install the same model on every worker")


@contextmanager
def local_cluster(workers: int) -> Iterator[SpecCluster]:
    """A local cluster: a scheduler in this process and `workers` single-threaded workers, each a fresh Python
    process (``python -m dask spec``, started as a subprocess, not forked or spawned by multiprocessing).

    So the caller's main module is never imported again in a worker, and a script may call `run_sweep` at its top
    level without an ``if __name__ == "__main__":`` guard. Workers get this process's import path (PYTHONPATH) so
    they import the same model and any `run` function defined beside it, one thread for numerical libraries (as
    Dask's nannies set it), and start without the
    MALLOC_TRIM_THRESHOLD_ that Dask's nannies set: any value of it turns off glibc's dynamic mmap threshold, so
    that each of the model's large temporary arrays is mapped and unmapped anew, which makes a run about 1.5
    times slower.
    """
    saved = {key: os.environ.get(key) for key in (TRIM, "PYTHONPATH", QUIET, *ONE_THREAD)}
    os.environ.pop(TRIM, None)
    os.environ.update({QUIET: "error", **dict.fromkeys(ONE_THREAD, "1")})
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in [os.getcwd(), *sys.path] if p and os.path.isdir(p))
    worker = {"cls": SubprocessWorker, "options": {"worker_class": "distributed.Worker",
                                                   "worker_kwargs": {"nthreads": 1}}}
    try:  # the environment stays set while the cluster lives: workers may start after the constructor returns
        with SpecCluster(scheduler={"cls": Scheduler, "options": {"dashboard_address": ":0", "port": 0,
                                                                  "host": "127.0.0.1"}},
                         workers={i: worker for i in range(workers)}, silence_logs=logging.ERROR,
                         name="sweep") as cluster:
            yield cluster
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def open_client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    """A Client of the scheduler at `scheduler`, or of a new local cluster of `workers` single-threaded processes."""
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, ValueError, TypeError) as error:
            raise ModelInputError(f"--scheduler: cannot connect to {scheduler!r} ({error})") from None
        with client:
            yield client
        return
    with local_cluster(workers if workers is not None else os.cpu_count() or 1) as cluster, Client(cluster) as client:
        yield client


def execute_runs(runs: list[Run], out_dir: Path, names: tuple[str, ...], *, workers: int | None = None,
                 scheduler: str | None = None, progress: bool = False, run: Simulate = simulate,
                 label: str = "sweep", announce: Callable[[str], None] | None = None) -> RunReport:
    """Compute every run of the plan whose file does not exist yet; the caller holds `locked(out_dir)`.
    `announce` is told how many finished runs are stale."""
    start = time.perf_counter()
    unique: dict[str, Run] = {}
    for r in runs:
        unique.setdefault(r.run_id, r)
    manifest = Manifest(out_dir / MANIFEST)
    done = {rid for rid in unique if run_path(out_dir, rid).exists()}
    for rid in sorted(done - manifest.finished()):  # file renamed just before a kill: finished, not lost
        manifest.append("finished", run_id=rid, point=unique[rid].point, draw=unique[rid].draw,
                        inputs=inputs_id(unique[rid].scenario), recovered=True)
    pending = [r for rid, r in unique.items() if rid not in done]
    earlier = manifest.finished_inputs() | {p.stem for p in (out_dir / RUNS).glob("*.nc")}
    stale = sum(inputs_id(r.scenario) in earlier for r in pending)
    report = RunReport(runs=len(unique), skipped=len(done), stale=stale)
    manifest.append("sweep", name=label, runs=len(unique), skipped=len(done), pending=len(pending), stale=stale,
                    model_version=model_version())
    if stale and announce is not None:
        announce(f"{stale:,} finished runs are stale and will be recomputed (a parameter file, an input or the "
                 "model changed since they ran)")
    if pending:
        try:
            with open_client(workers, scheduler) as client:
                check_versions(client, "--scheduler" if scheduler is not None else "--workers")
                _compute(client, pending, out_dir, names, run, manifest, report, progress, label)
        except KeyboardInterrupt:
            remove_partial_files(out_dir)
            manifest.append("interrupted", finished=report.finished, failed=len(report.failed))
            raise
    report.wall_seconds = time.perf_counter() - start
    report.parent_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def _compute(client: Client, pending: list[Run], out_dir: Path, names: tuple[str, ...], run: Simulate,
             manifest: Manifest, report: RunReport, progress: bool, label: str) -> None:
    queue = iter(pending)
    by_key: dict[str, Run] = {}
    window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
    futures = as_completed()

    def submit_next() -> None:
        r = next(queue, None)
        if r is None:
            return
        key = f"run-{r.run_id}"
        by_key[key] = r
        path = str(run_path(out_dir, r.run_id))
        futures.add(client.submit(execute, r.scenario, names, run, path, r.run_id, key=key, pure=False))
        manifest.append("submitted", run_id=r.run_id, point=r.point, draw=r.draw, seed=r.scenario.seed,
                        inputs=inputs_id(r.scenario))

    for _ in range(window):
        submit_next()
    with tqdm(total=len(pending), desc=label, unit="run", disable=not progress) as bar:
        for future in futures:
            r = by_key.pop(future.key)
            try:
                outcome: Outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - the worker itself died; record and go on
                outcome = Outcome(None, f"{type(exc).__name__}: {exc}", False, 0.0, 0.0, 0.0, "")
            future.release()
            if outcome.fatal:
                raise ModelInputError(outcome.error)
            if outcome.version and outcome.version != model_version():  # a worker that joined after the check
                raise ModelInputError(f"worker {outcome.worker} runs model version {outcome.version}, this process "
                                      f"{model_version()}; install the same model on every worker")
            _record(r, outcome, out_dir, manifest, report)
            bar.update()
            submit_next()


def _record(r: Run, outcome: Outcome, out_dir: Path, manifest: Manifest, report: RunReport) -> None:
    if outcome.worker:
        report.worker_peak_mib[outcome.worker] = max(report.worker_peak_mib.get(outcome.worker, 0.0),
                                                     outcome.peak_rss_mib)
    timing = {"seconds": round(outcome.seconds, 3), "cpu_seconds": round(outcome.cpu_seconds, 3),
              "worker": outcome.worker, "peak_rss_mib": round(outcome.peak_rss_mib, 1)}
    if outcome.outputs is None:
        report.failed[r.run_id] = outcome.error or "unknown error"
        manifest.append("failed", run_id=r.run_id, point=r.point, draw=r.draw, error=outcome.error, **timing)
        return
    path = run_path(out_dir, r.run_id)
    if not path.exists():
        raise ModelInputError(f"--out: worker {outcome.worker} wrote {path.name}, but it is not in {str(out_dir)!r} "
                              "here; use a folder on a filesystem shared with the workers")
    report.finished += 1
    report.outputs[r.run_id] = outcome.outputs
    manifest.append("finished", run_id=r.run_id, point=r.point, draw=r.draw, file=str(path.relative_to(out_dir)),
                    inputs=inputs_id(r.scenario), **timing)
