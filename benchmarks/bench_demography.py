"""Benchmark the demographic engine alone by scale: the base population (model.population.synthesis.base_persons),
then the yearly steps of model.population.demography.step_demography, without attributes or schemes. Each scale
runs in a fresh process so that peak memory (max RSS) belongs to that run alone.

Usage: python benchmarks/bench_demography.py [--scales 1000 100 10 1] [--end-year 2037] [--repeat 3] [--seed 1]
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

BASE_YEAR = 2023


def one_run(scale: float, end_year: int, seed: int) -> dict:
    """Time set-up and the steps BASE_YEAR..end_year in this process (called in a child process)."""
    from model.population.demography import step_demography
    from model.population.rates import load_inputs
    from model.population.streams import ScenarioStreams
    from model.population.synthesis import base_persons

    inputs = load_inputs()  # data preparation is cached per process; not part of the engine
    streams = ScenarioStreams(seed)
    t0 = time.perf_counter()
    persons, _ = base_persons(inputs.base_population, scale)
    t1, c1 = time.perf_counter(), time.process_time()
    rows = len(persons)
    for year in range(BASE_YEAR, end_year + 1):
        step_demography(persons, inputs, year, streams.year(year))
    t2, c2 = time.perf_counter(), time.process_time()
    years = end_year - BASE_YEAR + 1
    return {"scale": scale, "rows": rows, "final_rows": len(persons), "years": years, "setup_s": t1 - t0,
            "stepping_s": t2 - t1, "stepping_cpu_s": c2 - c1, "row_years_per_s": rows * years / (t2 - t1),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, as `uptime` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=float, nargs="+", default=[1000, 100, 10, 1])
    p.add_argument("--end-year", type=int, default=2037)
    p.add_argument("--repeat", type=int, default=3, help="runs per scale of 10 or more (the fastest is reported)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(one_run(args.scales[0], args.end_year, args.seed)))
        return
    print(f"# {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} cores, steps {BASE_YEAR}-{args.end_year}, load average {load_average()}")
    print("| scale | rows | set-up s | stepping s | stepping CPU s | row-years/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    for scale in args.scales:
        command = [sys.executable, __file__, "--child", "--scales", str(scale), "--end-year", str(args.end_year),
                   "--seed", str(args.seed)]
        runs = [json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
                for _ in range(args.repeat if scale >= 10 else 1)]
        best = min(runs, key=lambda r: r["stepping_s"])
        print(f"| {scale:g} | {best['rows']:,} | {best['setup_s']:.2f} | {best['stepping_s']:.2f} "
              f"| {best['stepping_cpu_s']:.2f} | {best['row_years_per_s'] / 1e6:.1f} M "
              f"| {max(r['peak_rss_mib'] for r in runs):,.0f} |", flush=True)
    print(f"# load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
