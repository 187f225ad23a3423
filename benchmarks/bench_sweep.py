"""Benchmark a sweep: a 200-point Latin hypercube at scale 1000 on a local Dask cluster of 2 workers.

The factors are old-age allowance amounts (policy levers at the scenario's demography and seed), so each
worker computes the current-law reference run that `model.run` needs for a reform's extra cost only once.
Prints the wall time (from reading the sweep file to the merged results.nc), runs per second, the mean
wall and CPU time of one run on a worker (CPU time does not depend on other load on the machine) and peak
memory: this process's max RSS plus each worker's max RSS (MiB).
Usage: python benchmarks/bench_sweep.py [--points 200] [--scale 1000] [--workers 2] [--draws 1]
       python benchmarks/bench_sweep.py --spec sweeps/uncertainty_200.yaml [--workers 2]
With --spec it runs a shipped sweep file instead (e.g. the 200-draw stochastic sweep of the baseline) and also
prints its breach probabilities and the distribution of the SSF depletion year.
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

SWEEP = """name: bench_lhs
scale: {scale}
end_year: 2037
design:
  kind: lhs
  samples: {points}
  parameters:
    old_age_allowance.amount.age_60_69: {{low: 600, high: 1200, from: 2025-10-01, integer: true}}
    old_age_allowance.amount.age_70_79: {{low: 700, high: 1400, from: 2025-10-01, integer: true}}
    old_age_allowance.amount.age_80_89: {{low: 800, high: 1600, from: 2025-10-01, integer: true}}
draws: {draws}
outputs: [{outputs}]
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=200)
    p.add_argument("--scale", type=float, default=1000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--draws", type=int, default=1)
    p.add_argument("--outputs", default="total_cost_pct_gdp_2037, ssf_depletion_year, min_debt_headroom_pct_gdp")
    p.add_argument("--spec", type=Path, help="a sweep file to run instead of the Latin hypercube")
    args = p.parse_args()
    from model.sweep import run_sweep

    with tempfile.TemporaryDirectory() as folder:
        sweep = args.spec.absolute() if args.spec else Path(folder) / "bench.yaml"
        if not args.spec:
            sweep.write_text(SWEEP.format(scale=args.scale, points=args.points, draws=args.draws,
                                          outputs=args.outputs))
        start = time.perf_counter()
        ds, report = run_sweep(sweep, Path(folder) / "out", workers=args.workers, progress=True)
        wall = time.perf_counter() - start
        log = [json.loads(line) for line in (Path(folder) / "out" / "manifest.jsonl").open()]
    done = [r for r in log if "cpu_seconds" in r]  # runs computed by this invocation
    wall_per_run, cpu_per_run = (sum(r[key] for r in done) / max(1, len(done)) for key in ("seconds", "cpu_seconds"))
    load = os.getloadavg()[0]
    runs = report.finished + len(report.failed)
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    shape = (f"{ds.sizes['point']} points x {ds.sizes['draw']} draws (and centre runs) at scale {ds.attrs['scale']:g}"
             if args.spec else f"{args.points} points x {args.draws} draws at scale {args.scale:g}")
    print(f"{shape} on {args.workers} workers: "
          f"{runs} runs ({len(report.failed)} failed) in {wall:.1f} s wall ({runs / wall:.2f} runs/s)")
    print(f"one run on a worker: {wall_per_run:.2f} s wall, {cpu_per_run:.2f} s CPU on average "
          f"(machine load average {load:.1f} at the end)")
    print(f"peak memory {report.peak_memory_mib:,.0f} MiB: this process {report.parent_peak_mib:,.0f} MiB + workers "
          + ", ".join(f"{m:,.0f}" for m in report.worker_peak_mib.values()) + " MiB")
    print(f"merged results: {dict(ds.sizes)}")
    if "breach_probability" in ds:
        shares = ds["breach_probability"].isel(point=0)
        print("probability of breach: " + ", ".join(f"{c} ({b}) {v:.2f}" for c, b, v in zip(
            shares["criterion"].values, shares["criterion_basis"].values, shares.values)))
    if "ssf_depletion_year_distribution" in ds:
        dist = ds["ssf_depletion_year_distribution"].isel(point=0)
        print("SSF depletion year: " + ", ".join(f"{int(y)}: {v:.2f}" for y, v in zip(
            dist["ssf_depletion_year_value"].values, dist.values) if v > 0)
              + f" ({dist.attrs['censored_at']} = not by {dist.attrs['censored_at'] - 1})")


if __name__ == "__main__":
    main()
