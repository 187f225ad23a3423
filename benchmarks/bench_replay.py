"""CPU and wall time of a reform run that replays current law's remembered population path, against the same reform
aging its own population, and of the current-law run that records the path (model.population.remembered_path).

Each round, in one warm process: the reform with no path remembered, then current law recording its path, then
the reform replaying it (a new allowance amount each round, so no result is reused). Whole `model.run` calls
(fiscal layer included). Prints a Markdown table for benchmarks/RESULTS.md.

Usage: python benchmarks/bench_replay.py [--scale 100] [--rounds 3]
"""

import argparse
import datetime as dt
import os
import platform
import time

from model.api import resolve, run
from model.population import remembered_path

LEVER = "old_age_allowance.amount.age_60_69"


def timed(scenario) -> tuple[float, float]:
    """(wall, CPU) seconds of one `model.run` of `scenario`."""
    wall, cpu = time.perf_counter(), time.process_time()
    run(scenario)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    law = resolve("baseline", scale=args.scale)
    run(resolve("baseline", scale=1000))  # parameter files read and kernels loaded, not timed
    rows: dict[str, list[tuple[float, float]]] = {"reform, aging its own population": [],
                                                   "current law, recording its path": [],
                                                   "reform, replaying the path": []}
    kept = 0
    for i in range(args.rounds):
        remembered_path.remember_paths(False)
        reform = law.replaced(parameters={LEVER: {dt.date(2025, 10, 1): 700.0 + i}})
        rows["reform, aging its own population"].append(timed(reform))
        remembered_path.remember_paths()
        rows["current law, recording its path"].append(timed(law))
        kept = sum(path.nbytes for path in remembered_path._PATHS.values())
        reform = law.replaced(parameters={LEVER: {dt.date(2025, 10, 1): 800.0 + i}})
        rows["reform, replaying the path"].append(timed(reform))
    remembered_path.remember_paths(False)
    load = os.getloadavg()[0]
    print(f"# {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, scale {args.scale:g}, 2023-2037, "
          f"MODEL_THREADS {os.environ.get('MODEL_THREADS', 'default')}, {args.rounds} rounds, load average {load:.1f}; "
          f"path kept {kept / 2**20:,.0f} MiB")
    print("| run | wall s (fastest) | CPU s (fastest) | CPU s (all rounds) |")
    print("|---|---|---|---|")
    for name, times in rows.items():
        wall, cpu = min(w for w, _ in times), min(c for _, c in times)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {' / '.join(f'{c:.2f}' for _, c in times)} |")


if __name__ == "__main__":
    main()
