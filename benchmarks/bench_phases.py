"""Wall and CPU time of each phase of a whole baseline run, for one or more versions of the model run interleaved.

Each version is a source tree (a worktree, or `git archive COMMIT | tar -x -C DIR`); every run is a fresh process
with that tree first on the path, and the versions take turns, so that on a shared machine each sees the same load.
CPU time (this process's user + system, all its threads) is the steadier measure on a busy machine; wall time is
what a user waits. The phases are those `SocialSecurityModel.timings` records (record, schemes, indicators,
demography, people); set-up builds the 2023 population with its attributes.

Usage: python benchmarks/bench_phases.py [--scale 100] [--rounds 3] [--threads 1] TREE [TREE ...]
(no TREE: this checkout). Prints one markdown row per version: the fastest run by stepping CPU time, and the
range over the rounds.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

PHASES = ("record", "schemes", "indicators", "demography", "people")

CHILD = r"""
import json, sys, time
from collections import defaultdict
from contextlib import contextmanager
from model.api import resolve
from model.population.rates import load_inputs
from model.simulation import SocialSecurityModel

scale = float(sys.argv[1])
load_inputs()
cpu = defaultdict(float)
timed = SocialSecurityModel.timed

@contextmanager
def cpu_timed(self, phase):
    start = time.process_time()
    with timed(self, phase):
        yield
    cpu[phase] += time.process_time() - start

SocialSecurityModel.timed = cpu_timed
SocialSecurityModel(resolve("baseline", scale=1000)).step()  # first readings of the parameter files, not timed
cpu.clear()
t0, c0 = time.perf_counter(), time.process_time()
model = SocialSecurityModel(resolve("baseline", scale=scale))
t1, c1 = time.perf_counter(), time.process_time()
for _ in range(15):
    model.step()
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"setup": t1 - t0, "setup_cpu": c1 - c0, "stepping": t2 - t1, "stepping_cpu": c2 - c1,
                  "wall": dict(model.timings), "cpu": dict(cpu)}))
"""


def one_run(tree: Path, scale: float, threads: str | None) -> dict:
    """Time one baseline run 2023-2037 of the model in `tree`, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if threads:
        env["MODEL_THREADS"] = threads
    out = subprocess.run([sys.executable, "-c", CHILD, str(scale)], cwd=tree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("trees", nargs="*", type=Path)
    p.add_argument("--scale", type=float, default=100)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", default=None, help="MODEL_THREADS for the runs (default: the model's own choice)")
    args = p.parse_args()
    trees = [t.resolve() for t in args.trees] or [Path(__file__).resolve().parents[1]]
    runs: dict[Path, list[dict]] = {t: [] for t in trees}
    start_load = os.getloadavg()
    for _ in range(args.rounds):
        for tree in trees:
            runs[tree].append(one_run(tree, args.scale, args.threads))
    end_load = os.getloadavg()
    print(f"# {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}, scale {args.scale:g}, 2023-2037, MODEL_THREADS "
          f"{args.threads or 'default'}, {args.rounds} rounds interleaved, load average "
          f"{start_load[0]:.1f} -> {end_load[0]:.1f}")
    print("| version | set-up CPU / wall s | stepping CPU / wall s | CPU by phase: "
          + " / ".join(PHASES) + " s | wall by phase s | stepping CPU range s |")
    print("|---|---|---|---|---|---|")
    for tree, results in runs.items():
        best = min(results, key=lambda r: r["stepping_cpu"])
        cpu = " / ".join(f"{best['cpu'].get(ph, 0.0):.2f}" for ph in PHASES)
        wall = " / ".join(f"{best['wall'].get(ph, 0.0):.2f}" for ph in PHASES)
        steps = [r["stepping_cpu"] for r in results]
        print(f"| {tree.name} | {best['setup_cpu']:.2f} / {best['setup']:.2f} | {best['stepping_cpu']:.2f} / "
              f"{best['stepping']:.2f} | {cpu} | {wall} | {min(steps):.2f}-{max(steps):.2f} |", flush=True)


if __name__ == "__main__":
    main()
