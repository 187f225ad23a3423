"""Execute the reviewer notebooks top to bottom with nbclient and save them with their outputs.

    python notebooks/execute.py                       # every notebook, full precision, in place (= --full)
    python notebooks/execute.py --full                # the same, explicitly (`make notebooks`)
    python notebooks/execute.py 03 05_reforms         # named notebooks only (by number, stem or file name)
    python notebooks/execute.py --quick --out /tmp/nb # the test suite's settings, written elsewhere
    python notebooks/execute.py --scale 5000 04       # one scale for every notebook

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
"""

import argparse
import os
import sys
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
    args = parser.parse_args(argv)
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
