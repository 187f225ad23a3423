"""Execute the reviewer notebooks top to bottom with nbclient and save them with their outputs.

    python notebooks/execute.py                       # every notebook, full precision, in place (= --full)
    python notebooks/execute.py --full                # the same, explicitly (`make notebooks`)
    python notebooks/execute.py 03 05_reforms         # named notebooks only (by number, stem or file name)
    python notebooks/execute.py --quick --out /tmp/nb # the test suite's settings, written elsewhere
    python notebooks/execute.py --scale 5000 04       # one scale for every notebook
    python notebooks/execute.py --refresh-uncertainty # rerun sweeps/uncertainty_200.yaml for notebook 05 (slow)

Each notebook reads its settings from environment variables in its first code cell:

    MODEL_NOTEBOOK_SCALE   persons per row (default: the full-precision value of the notebook, 100 for 01-04 and
                           1,000 for 05; notebook 04 runs its 2100 horizon at max(scale, 1,000))
    MODEL_NOTEBOOK_QUICK   "1" for the test suite's quick settings: shorter solver horizons in 04; every fourth
                           reform, 2 draws and 2 Sobol base samples in 05 (default "0": full)
    MODEL_NOTEBOOK_WORKERS Dask worker processes for notebook 05 (default 2; 0: one worker thread in the kernel)

`--full` removes any of these inherited from the shell, so the committed outputs always use the defaults. The
kernel also gets MODEL_NOTEBOOK_FILE, the notebook's path, whose code cells the notebook's stamp hashes
(model/report/stamp.py: the test suite fails when a committed notebook's stamp no longer matches the model).
A notebook runs with its own folder as working directory and is overwritten only after it executed without
error (an error leaves the file unchanged and exits with status 1).

Notebook 05 reads the 200-draw uncertainty sweep from `notebooks/results/uncertainty_200.nc` instead of running it
(about 200 runs to 2060 at scale 1,000: tens of minutes on 2 busy cores). `--refresh-uncertainty` reruns it with the
command line (`python -m model sweep sweeps/uncertainty_200.yaml --out DIR --workers N`; `--sweep-dir DIR` keeps
the run files there, and a rerun resumes, skipping finished runs) and writes the merged results to that file,
stamped with the commit, the date and the command; the notebook says whether the file's model version is the
current one. Run it after a change of the model, then execute the notebooks.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ENV_VARS = ("MODEL_NOTEBOOK_SCALE", "MODEL_NOTEBOOK_QUICK", "MODEL_NOTEBOOK_WORKERS")
QUICK_ENV = {"MODEL_NOTEBOOK_SCALE": "20000", "MODEL_NOTEBOOK_QUICK": "1", "MODEL_NOTEBOOK_WORKERS": "0"}
"""The test suite's settings: coarse scale, quick solvers and sweeps, no extra Dask processes."""
NOTEBOOK_FILE_ENV = "MODEL_NOTEBOOK_FILE"  # model.report.stamp.NOTEBOOK_ENV: the notebook being executed
CELL_TIMEOUT = 1800  # seconds per cell; the full-precision sweeps of notebook 05 take minutes
ROOT = HERE.parent
UNCERTAINTY_SWEEP = ROOT / "sweeps" / "uncertainty_200.yaml"
UNCERTAINTY_RESULTS = HERE / "results" / "uncertainty_200.nc"
"""The merged results of the 200-draw sweep that notebook 05 reads (written by --refresh-uncertainty)."""


def notebooks(names: list[str] | None = None) -> list[Path]:
    """The reviewer notebooks in order, or those matching `names` (a number such as 3 or 03, or the start of a
    file name such as 05_reforms or 05_reforms_and_sensitivity.ipynb)."""
    every = sorted(HERE.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        stem = Path(name).stem
        hits = [p for p in every if (p.stem.split("_", 1)[0] == stem.zfill(2) if stem.isdigit()
                                     else p.stem.startswith(stem))]
        if not hits:
            raise SystemExit(f"error: no notebook {name!r} (notebooks: {', '.join(p.stem for p in every)})")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def execute(path: Path, out: Path | None = None, env: Mapping[str, str | None] | None = None,
            timeout: int = CELL_TIMEOUT) -> tuple[nbformat.NotebookNode, float]:
    """Execute the notebook at `path` in a fresh kernel, in the notebook's folder, with this process's environment
    updated by `env` (a value of None removes the variable); write it to `out` (default: in place) unless a cell
    fails.

    Returns the executed notebook and the wall time in seconds. A failing cell raises
    nbclient's CellExecutionError and nothing is written.
    """
    nb = nbformat.read(path, as_version=4)
    kernel_env = dict(os.environ)
    # A backend chosen for this process (Streamlit, imported by other tests, sets MPLBACKEND=Agg) would stop the
    # kernel's inline backend from putting figures into the notebook.
    kernel_env.pop("MPLBACKEND", None)
    for key, value in (env or {}).items():
        if value is None:
            kernel_env.pop(key, None)
        else:
            kernel_env[key] = str(value)
    kernel_env[NOTEBOOK_FILE_ENV] = str(path.resolve())  # the stamp hashes this file's code cells
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.resolve().parent)}})
    start = time.perf_counter()
    client.execute(env=kernel_env)
    seconds = time.perf_counter() - start
    target = path if out is None else out
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return nb, seconds


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def refresh_uncertainty(sweep_dir: Path | None = None, workers: int = 2) -> Path:
    """Run sweeps/uncertainty_200.yaml with the command line into `sweep_dir` (a temporary folder if None; a
    folder of an earlier run resumes it) and write its merged results.nc to UNCERTAINTY_RESULTS, stamped with
    the commit, the date and the command. Returns the path written."""
    import xarray as xr

    folder = Path(sweep_dir) if sweep_dir is not None else Path(tempfile.mkdtemp(prefix="uncertainty_200-"))
    command = [sys.executable, "-m", "model", "sweep", str(UNCERTAINTY_SWEEP.relative_to(ROOT)), "--out", str(folder),
               "--workers", str(workers), "--no-progress"]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    seconds = time.perf_counter() - start
    with xr.open_dataset(folder / "results.nc") as opened:
        results = opened.load()
    dirty = bool(_git("status", "--porcelain", "--", "model", "data", "scenarios", "sweeps"))
    results.attrs.update(
        created=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        commit=_git("rev-parse", "--short=12", "HEAD") + ("+dirty" if dirty else ""),
        command=f"python -m model sweep {UNCERTAINTY_SWEEP.relative_to(ROOT)} --out DIR --workers {workers}",
        regenerate="python notebooks/execute.py --refresh-uncertainty",
        wall_seconds_last_call=round(seconds, 1))
    UNCERTAINTY_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = UNCERTAINTY_RESULTS.with_name(f".{UNCERTAINTY_RESULTS.name}.tmp")
    try:
        results.to_netcdf(tmp)
        tmp.replace(UNCERTAINTY_RESULTS)
    finally:
        tmp.unlink(missing_ok=True)
    return UNCERTAINTY_RESULTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python notebooks/execute.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="notebooks to execute (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="full precision: each notebook's default settings")
    mode.add_argument("--quick", action="store_true", help="the test suite's settings (scale 20,000, quick solvers and sweeps)")
    mode.add_argument("--scale", type=float, help="persons per row for every notebook")
    parser.add_argument("--out", type=Path, help="write the executed notebooks to this folder instead of in place")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help=f"seconds per cell (default {CELL_TIMEOUT})")
    parser.add_argument("--refresh-uncertainty", action="store_true",
                        help=f"rerun {UNCERTAINTY_SWEEP.relative_to(ROOT)} and write {UNCERTAINTY_RESULTS.relative_to(ROOT)} "
                             "(then execute no notebook unless named)")
    parser.add_argument("--sweep-dir", type=Path, help="with --refresh-uncertainty: the sweep's run folder (resumed if it exists)")
    parser.add_argument("--workers", type=int, default=2, help="with --refresh-uncertainty: local Dask workers (default 2)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers: must be at least 1 (got {args.workers})")
    if args.refresh_uncertainty:
        print(f"wrote {refresh_uncertainty(args.sweep_dir, args.workers)}")
        if not args.names:
            return 0
    if args.scale is not None and not args.scale > 0:
        parser.error(f"--scale: must be positive (got {args.scale:g})")

    env: dict[str, str | None] = {key: None for key in ENV_VARS} if args.full else {}
    if args.quick:
        env.update(QUICK_ENV)
    if args.scale is not None:
        env["MODEL_NOTEBOOK_SCALE"] = f"{args.scale:g}"
    if not (args.full or args.quick or args.scale is not None):
        env = {key: None for key in ENV_VARS}  # no mode given: full precision
    total = 0.0
    for path in notebooks(args.names):
        out = None if args.out is None else args.out / path.name
        print(f"{path.name} ...", end=" ", flush=True)
        try:
            _, seconds = execute(path, out, env, args.timeout)
        except Exception as exc:  # noqa: BLE001 - report the failing notebook and stop
            print("FAILED")
            print(exc, file=sys.stderr)
            return 1
        total += seconds
        print(f"{seconds:.1f} s -> {out or path}")
    print(f"total {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
