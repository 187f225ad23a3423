"""How a baseline run's time divides between work that several cores can share and work that one core does alone,
and the wall time that Amdahl's law then allows on more cores.

The run is timed on one thread (MODEL_THREADS=1). Every call of `model.threads.for_each` (blocks of rows, ranges
of rows or of household ids: the work any number of threads can share) is timed, the outermost call only; the rest
of each phase counts as serial. On n cores a phase then takes at least serial + shareable / n: a bound, since
memory bandwidth and the hand-overs between threads are left out. The schemes also run side by side as tasks
(`model.threads.in_dependency_order`) as far as their dependencies allow; that is not counted as shareable, so the
schemes' bound is high. With `--check N` the run is repeated on N threads and its measured wall time printed
beside the bound.

Usage: python benchmarks/bench_cores.py [--scale 10] [--cores 2 4 8] [--check 2]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

PHASES = ("record", "schemes", "indicators", "demography", "people")

CHILD = r"""
import json, sys, time
from collections import defaultdict
from contextlib import contextmanager
from model import threads
from model.api import resolve
from model.population.rates import load_inputs
from model.simulation import SocialSecurityModel

scale = float(sys.argv[1])
load_inputs()
parallel = defaultdict(float)
phase = ["set-up"]
depth = [0]

def timed_region(function):
    def wrapper(*args, **kwargs):
        depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                parallel[phase[0]] += time.perf_counter() - start
    return wrapper

threads.for_each = timed_region(threads.for_each)
timed = SocialSecurityModel.timed

@contextmanager
def in_phase(self, name):
    outer, phase[0] = phase[0], name
    try:
        with timed(self, name):
            yield
    finally:
        phase[0] = outer

SocialSecurityModel.timed = in_phase
SocialSecurityModel(resolve("baseline", scale=1000)).step()  # compilation and first readings, not timed
parallel.clear()
t0 = time.perf_counter()
model = SocialSecurityModel(resolve("baseline", scale=scale))
t1 = time.perf_counter()
phase[0] = "stepping"
for _ in range(15):
    model.step()
wall = {"set-up": t1 - t0, **dict(model.timings)}
print(json.dumps({"wall": wall, "parallel": dict(parallel)}))
"""


def one_run(scale: float, threads: int) -> dict:
    """A baseline run 2023-2037 in a fresh process on `threads` threads, its wall time by phase and the part of
    it spent in work that threads can share."""
    env = dict(os.environ, MODEL_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", CHILD, str(scale)], capture_output=True, text=True, check=True,
                         env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--cores", type=int, nargs="+", default=[2, 4, 8])
    parser.add_argument("--check", type=int, default=0, help="also run on this many threads and print its time")
    args = parser.parse_args()
    start_load = os.getloadavg()[0]
    run = one_run(args.scale, 1)
    checked = one_run(args.scale, args.check) if args.check else None
    print(f"# {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, scale {args.scale:g}, 2023-2037, "
          f"load average {start_load:.1f} -> {os.getloadavg()[0]:.1f}")
    head = " | ".join(f"bound on {n} cores s" for n in args.cores)
    extra = f" | measured on {args.check} threads s" if checked else ""
    print(f"| phase | one thread s | of which shareable s | serial s | {head}{extra} |")
    print("|---|---|---|---|" + "---|" * len(args.cores) + ("---|" if checked else ""))
    totals = [0.0, 0.0, 0.0] + [0.0] * len(args.cores)
    for name in ("set-up", *PHASES):
        wall = run["wall"].get(name, 0.0)
        shared = min(run["parallel"].get(name, 0.0), wall)
        bounds = [wall - shared + shared / n for n in args.cores]
        for k, value in enumerate([wall, shared, wall - shared, *bounds]):
            totals[k] += value
        measured = f" | {checked['wall'].get(name, 0.0):.2f}" if checked else ""
        print(f"| {name} | {wall:.2f} | {shared:.2f} | {wall - shared:.2f} | "
              + " | ".join(f"{b:.2f}" for b in bounds) + f"{measured} |")
    measured = f" | {sum(checked['wall'].values()):.2f}" if checked else ""
    print("| **all** | " + " | ".join(f"{v:.2f}" for v in totals) + f"{measured} |")


if __name__ == "__main__":
    main()
