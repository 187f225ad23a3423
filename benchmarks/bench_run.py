"""Benchmark whole runs by scale: set-up, stepping time per phase, the fiscal layer, row-years per second, processor
time (user and system: system time is mostly the kernel handing out fresh memory) and peak memory. Each scale runs
in a fresh process so that peak memory (max RSS) and page faults belong to that run alone.

Usage: python benchmarks/bench_run.py [--scales 1000 100 10 1] [--end-year 2037] [--repeat 3]
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time


def one_run(scale: float, end_year: int) -> dict:
    """Time one baseline run in this process (called in a child process)."""
    from model.api import resolve
    from model.fiscal.assessment import add_fiscal
    from model.population.rates import load_inputs
    from model.simulation import SocialSecurityModel

    load_inputs()  # data preparation is cached per process; not part of a run
    u0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    model = SocialSecurityModel(resolve("baseline", scale=scale, end_year=end_year))
    t1 = time.perf_counter()
    rows = len(model.persons)
    years = end_year - 2023 + 1
    for _ in range(years):
        model.step()
    t2 = time.perf_counter()
    ds = model.results()
    t3 = time.perf_counter()
    admin = float(model.params.get("ssf_s33.fund.admin_cost_fraction", "2023-07-01"))
    add_fiscal(ds, model.macro, admin)
    t4 = time.perf_counter()
    u4 = resource.getrusage(resource.RUSAGE_SELF)
    return {"scale": scale, "rows": rows, "years": years, "setup_s": t1 - t0, "stepping_s": t2 - t1,
            "phases": dict(model.timings), "results_s": t3 - t2, "fiscal_s": t4 - t3,
            "row_years_per_s": rows * years / (t2 - t1),
            "user_s": u4.ru_utime - u0.ru_utime, "system_s": u4.ru_stime - u0.ru_stime,
            "minor_faults": u4.ru_minflt - u0.ru_minflt, "load": os.getloadavg()[0],
            "peak_rss_mib": u4.ru_maxrss / 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", type=float, nargs="+", default=[1000, 100, 10, 1])
    p.add_argument("--end-year", type=int, default=2037)
    p.add_argument("--repeat", type=int, default=3, help="runs per scale of 10 or more (the fastest is reported)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(one_run(args.scales[0], args.end_year)))
        return
    print(f"# {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')}, end year {args.end_year}")
    print("| scale | rows | set-up s | stepping s | of which demography / people / schemes / indicators / recording s "
          "| schemes ÷ rest of stepping | fiscal layer s | row-years/s | CPU user / system s | minor faults | load "
          "| peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for scale in args.scales:
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--child", "--scales", str(scale),
                                           "--end-year", str(args.end_year)],
                                          check=True, capture_output=True, text=True).stdout)
                for _ in range(args.repeat if scale >= 10 else 1)]
        best = min(runs, key=lambda r: r["stepping_s"])
        ph = best["phases"]
        rest = ph["demography"] + ph["people"] + ph["record"]  # stepping without the schemes and their indicators
        print(f"| {scale:g} | {best['rows']:,} | {best['setup_s']:.2f} | {best['stepping_s']:.2f} "
              f"| {ph['demography']:.2f} / {ph['people']:.2f} / {ph['schemes']:.2f} / {ph['indicators']:.2f} "
              f"/ {ph['record']:.2f} | {ph['schemes'] / rest:.2f} "
              f"| {best['fiscal_s']:.3f} | {best['row_years_per_s'] / 1e6:.1f} M "
              f"| {best['user_s']:.1f} / {best['system_s']:.1f} | {best['minor_faults']:,} | {best['load']:.1f} "
              f"| {max(r['peak_rss_mib'] for r in runs):,.0f} |", flush=True)


if __name__ == "__main__":
    main()
