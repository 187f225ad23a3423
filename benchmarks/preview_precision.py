"""How precise the app's headline figures are at the quick-preview scale: run the app's default comparison (the
baseline against the old-age allowance ladder, 2023-2037, both at the same seed as the app runs them) with several
seeds at each scale, and report the relative standard error of one run's figures: the standard deviation over the
seeds (ddof=1) divided by the absolute mean, in percent.

The figures are the reform's total scheme cost over the plan period's fiscal years (THB) and its change against
the baseline (the budget impact over the plan period, `model.app.impact`). Writes them to
model/app/preview_precision.yaml (with the date and the method), where the app reads them for the text beside the
preview choice.

Usage: python benchmarks/preview_precision.py [--seeds 12] [--full-seeds 4] [--write]
"""

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

import yaml

from model.api import run
from model.app import impact, precision, runs
from model.scenario import load_scenario

BASELINE, REFORM = "baseline", "oaa_ladder_2025"  # the app's default comparison


def figures(scale: float, seed: int) -> dict[str, float]:
    """The headline figures of the default comparison at `scale` and `seed`, THB over the plan period."""
    base = run(runs.for_app(load_scenario(BASELINE), scale, seed))
    reform = run(runs.for_app(load_scenario(REFORM), scale, seed))
    budget = impact.budget_impact(base, reform)
    years = list(range(budget.first, budget.last + 1))
    total = float(reform["benefit_cost_fy"].sel(fiscal_year=years).sum())
    return {"reform_total_cost": total, "change_against_baseline": budget.total}


def spread(scale: float, seeds: list[int]) -> dict[str, object]:
    """Mean, standard deviation and relative standard error (percent) of each figure over `seeds`."""
    runs_ = []
    for seed in seeds:
        started = time.perf_counter()
        runs_.append(figures(scale, seed))
        print(f"scale {scale:g} seed {seed}: {runs_[-1]} ({time.perf_counter() - started:.1f} s)", flush=True)
    out: dict[str, object] = {"scale": scale, "seeds": seeds}
    for name in runs_[0]:
        values = [r[name] for r in runs_]
        out[name] = {"mean_thb": round(statistics.fmean(values), -6), "sd_thb": round(statistics.stdev(values), -6),
                     "rse_pct": round(precision.relative_standard_error(values), 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12, help="seeds at the preview scale")
    parser.add_argument("--full-seeds", type=int, default=4, help="seeds at full precision")
    parser.add_argument("--write", action="store_true", help=f"write {precision.FILE.name} for the app")
    args = parser.parse_args()
    if min(args.seeds, args.full_seeds) < 2:
        parser.error("--seeds and --full-seeds must be at least 2 (a standard deviation needs two runs)")
    first = load_scenario(REFORM).seed
    found = {"measured": dt.date.today().isoformat(),
             "method": (f"{BASELINE} against {REFORM}, 2023-2037, each pair at one seed as the app runs it; "
                        "relative standard error of one run = standard deviation over the seeds (ddof=1) / "
                        "|mean|; figures over the plan period's fiscal years"),
             "script": "benchmarks/preview_precision.py",
             "fiscal_years": list(impact.PLAN_PERIOD),
             "preview": spread(runs.PREVIEW_SCALE, [first + k for k in range(args.seeds)]),
             "full": spread(runs.FULL_SCALE, [first + k for k in range(args.full_seeds)])}
    text = yaml.safe_dump(found, sort_keys=False, allow_unicode=True)
    print(text)
    if args.write:
        Path(precision.FILE).write_text(text, encoding="utf-8")
        print(f"written to {precision.FILE}")


if __name__ == "__main__":
    main()
