"""Time the model's answer to the app's macro levers: in one process that remembers paths, as the app's server does,
run a reform, then, for each lever, the reform again and then shifted several times (a new scenario each time), through
`model.api.run`. An interest-rate shift moves only the fiscal layer (model.api.agent_run takes the agent results
of the run before); an inflation or real-growth shift makes the reform's current law age its own population first.
Last, back on the reform's own macro path, new allowance amounts: the first runs current law again (its path was
replaced by a shifted one's), the later ones replay it.

Usage: python benchmarks/bench_macro_levers.py [--scale 100] [--changes 5] [--reform oaa_flat_1000]
"""

import argparse
import os
import platform
import statistics
import time

from model import api
from model.app import levers
from model.population.remembered_path import remember_paths
from model.solvers import OAA_BANDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100.0, help="persons per row (100: the app's full precision)")
    parser.add_argument("--changes", type=int, default=5, help="shifts timed for each lever")
    parser.add_argument("--reform", default="oaa_flat_1000", help="the reform the levers shift")
    args = parser.parse_args()
    remember_paths()
    base = api.resolve("baseline", scale=args.scale, end_year=2037)
    reform = api.resolve(args.reform, scale=args.scale, end_year=2037)
    api.run(base)
    api.run(reform)
    print(f"## Macro levers ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, MODEL_THREADS "
          f"{os.environ.get('MODEL_THREADS', 'unset')}, scale {args.scale:g}, reform {args.reform})\n")
    print("| lever | changes | wall median s | fastest s | slowest s |")
    print("|---|---|---|---|---|")
    for series in levers.MACRO_SERIES:
        api.run(reform)  # back to the reform before shifting it, as an analyst would
        seconds = []
        for k in range(args.changes):
            scenario = levers.with_levers(reform, {}, {series: 0.25 * (k + 1)})
            start = time.perf_counter()
            api.run(scenario)
            seconds.append(time.perf_counter() - start)
        print(f"| {series} | {args.changes} | {statistics.median(seconds):.3f} | {min(seconds):.3f} "
              f"| {max(seconds):.3f} |")
    seconds = []
    for k in range(args.changes):  # back to the reform's own macro path, a new allowance each time
        amount = {"2025-10-01": 1000.0 + 10 * (k + 1)}
        scenario = reform.replaced(name=f"allowance {k}",
                                   parameters={f"old_age_allowance.amount.{band}": amount for band in OAA_BANDS})
        start = time.perf_counter()
        api.run(scenario)
        seconds.append(time.perf_counter() - start)
    print(f"\nThen back on the reform's own macro path (the reform run again, untimed), {args.changes} new allowance "
          f"amounts: the first {seconds[0]:.3f} s, the later ones median {statistics.median(seconds[1:]):.3f} s.")


if __name__ == "__main__":
    main()
