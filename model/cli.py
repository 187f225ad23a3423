"""Command line: `python -m model run [SCENARIO] [--scale N] [--seed S] [--end-year Y] [--out FILE.nc]`, and the
other subcommands (compare, sweep, calibrate, solve, validate).

User mistakes print one line `error: ...` on stderr and exit with status 2; no output file is left behind.
Valid input that is probably a mistake (an override dated after the projection) prints one line `warning: ...`.
Output paths are checked before any run starts; Ctrl-C prints `interrupted` and exits with status 130.
"""

import argparse
import contextlib
import os
import sys
import warnings
from pathlib import Path

from . import interrupts
from .errors import ModelInputError, ModelInputWarning
from .io import check_output_file, check_output_folder, write_netcdf
from .summary import fiscal_table, fiscal_year_costs, format_table, population_table, schemes_table, verdict_report

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command ended by Ctrl-C


def check_output_path(out: Path | None) -> None:
    """Refuse, before any work is done, a result file that is not a .nc file or could not be written."""
    if out is None:
        return
    if out.suffix != ".nc" and not out.is_dir():
        raise ModelInputError(f"--out: the result file must end in .nc (got {str(out)!r})")
    check_output_file(out, "--out")


def _run(args: argparse.Namespace) -> None:
    from .api import resolve, run
    from .population.remembered_path import paths_remembered

    check_output_path(args.out)
    scenario = resolve(args.scenario, scale=args.scale, seed=args.seed, end_year=args.end_year)
    # a reform runs its current law too: that one first, its population path remembered for the reform to replay
    with paths_remembered() if scenario.parameters else contextlib.nullcontext():
        if args.household_sample is not None:
            from .microdata import run_with_sample

            ds = run_with_sample(scenario, args.household_sample, year=args.sample_year,
                                 households=args.sample_households)
        else:
            ds = run(scenario)
    print(f"scenario {ds.attrs['scenario']}: scale {ds.attrs['scale']:g} persons per row, seed {ds.attrs['seed']}")
    print(format_table(population_table(ds), "Population on 1 July"))
    print(format_table(schemes_table(ds), "Schemes: recipients and cost by calendar year (January-December, nominal)"))
    if ds.sizes.get("fiscal_year", 0):
        print(format_table(fiscal_year_costs(ds), "Schemes: cost by fiscal year, THB bn (FY t = 1 October t-1 to "
                                                  "30 September t, nominal)"))
    print(format_table(fiscal_table(ds), "Cost and fiscal position"))
    print(verdict_report(ds))
    if args.out is not None:
        write_netcdf(ds, args.out)
        print(f"wrote {args.out}")
    if args.household_sample is not None:
        print(f"wrote {args.household_sample}")


def _compare(args: argparse.Namespace) -> None:
    from .compare import check_draws, compare
    from .compare_format import check_format, render, write_table
    from .compare_tables import comparison_tables, header_lines

    check_draws(args.draws, "--draws")
    fmt = check_format(args.format, args.table)
    check_output_path(args.out)
    if args.table is not None:
        check_output_file(args.table, "--table")
    ds = compare(args.base, args.reform, scale=args.scale, seed=args.seed, end_year=args.end_year, draws=args.draws,
                 gains_year=args.by_decile)
    header, sections = header_lines(ds), comparison_tables(ds, fiscal_years=args.fiscal_years)
    if args.table is None:
        print(render(header, sections, fmt))
    else:
        write_table(header, sections, fmt, args.table)
        print(f"wrote {args.table}")
    if args.out is not None:
        write_netcdf(ds, args.out)
        print(f"wrote {args.out}")


def _sweep(args: argparse.Namespace) -> None:
    from .sweep import RESULTS, format_summary, run_sweep

    check_output_folder(args.out, "--out")
    ds, report = run_sweep(args.sweep, args.out, workers=args.workers, scheduler=args.scheduler, draws=args.draws,
                           progress=not args.no_progress, yes=args.yes, announce=_announce,
                           exports=tuple(args.export or ()))
    print(format_summary(ds, report))
    print(f"wrote {args.out / RESULTS}" + "".join(f" and results.{ {'parquet': 'parquet', 'stata': 'dta'}[e]}"
                                                  for e in args.export or ()))
    if report.failed:
        first = next(iter(report.failed.values()))
        print(f"{len(report.failed)} runs failed (first: {first}); see {args.out / 'manifest.jsonl'}", file=sys.stderr)
        raise SystemExit(1)


def _announce(line: str) -> None:
    print(line, flush=True)


def _actuarial(args: argparse.Namespace) -> None:
    from . import actuarial_report

    actuarial_report.report(args.scenarios, scale=args.scale, seed=args.seed, end_year=args.end_year)


def _calibrate(args: argparse.Namespace) -> None:
    import pandas as pd

    from .validation import calibration_table

    table = calibration_table(scale=args.scale, seed=args.seed)
    shown = table.assign(source=table["source"].str.slice(0, 70))
    with pd.option_context("display.max_rows", None, "display.width", 250, "display.float_format", "{:,.4g}".format):
        print(shown.to_string())
    tested = table["within"].notna() & (table["role"] != "reference")
    misses = int((tested & ~table["within"].astype(bool)).sum())
    print(f"\n{int(tested.sum())} tested targets at scale {args.scale:g}, {misses} outside their tolerance "
          "(tolerances hold at scale 100; full sources in model/population/calibration_targets.yaml)")


def _validate(args: argparse.Namespace) -> None:
    from .validation import calibrated_values, format_backtest, format_calibrated, validate

    table = validate(args.scenario, scale=args.scale, seed=args.seed)
    print(format_backtest(table))
    print()
    print(format_calibrated(calibrated_values()))
    if not table["passes"].all():
        raise SystemExit(1)


SOLVERS = ("oaa", "ssf-rate", "pension-age", "fiscal-gap")


def _solve(args: argparse.Namespace) -> None:
    from datetime import date

    from .api import resolve
    from . import solvers

    scenario = resolve(args.scenario, scale=args.scale, seed=args.seed)
    if args.what == "oaa":
        result = solvers.max_uniform_old_age_allowance(scenario, date.fromisoformat(args.start))
    elif args.what == "ssf-rate":
        result = solvers.ssf_contribution_rise(scenario, args.through_year, args.from_year)
    elif args.what == "pension-age":
        result = solvers.ssf_pension_age(scenario, args.through_year, args.from_year)
    else:
        result = solvers.fiscal_gap(scenario, args.from_year)
    print(result)


def parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    p = argparse.ArgumentParser(prog="python -m model", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario and print its summary")
    r.add_argument("scenario", nargs="?", default="baseline", help="a name in scenarios/ or a YAML path")
    _add_scale_seed(r)
    r.add_argument("--end-year", type=int, help="last year to project (default from the scenario, 2037)")
    r.add_argument("--out", type=Path, help="write the result Dataset to this NetCDF file")
    r.add_argument("--household-sample", type=Path, help="write a sample of households (members, weights, incomes, "
                   "region, benefits and contributions by scheme) to this Parquet file")
    r.add_argument("--sample-year", type=int, help="year of the household sample (default: the last year)")
    r.add_argument("--sample-households", type=int, default=5000, help="households in the sample (default 5000)")
    r.set_defaults(handler=_run)
    c = sub.add_parser("compare", help="run two scenarios and tabulate reform minus base")
    c.add_argument("base", help="the base scenario: a name in scenarios/ or a YAML path")
    c.add_argument("reform", help="the reform scenario: a name in scenarios/ or a YAML path")
    _add_scale_seed(c, runs=" for both runs")
    c.add_argument("--end-year", type=int, help="last year to project (default from the scenarios)")
    c.add_argument("--out", type=Path, help="write every run along `scenario` and `draw` dimensions to this NetCDF "
                   "file (units and attributes kept)")
    c.add_argument("--draws", type=int, default=1, help="runs of each scenario, seeds SEED .. SEED+N-1, both scenarios "
                   "with the same seed in a draw; differences get Monte Carlo standard errors (default 1)")
    c.add_argument("--format", help="tables as text (default), markdown, csv or xlsx (xlsx needs --table)")
    c.add_argument("--table", type=Path, help="write the tables to this file (.txt, .md, .csv or .xlsx; the format "
                   "follows the suffix unless --format is given) instead of printing them")
    c.add_argument("--by-decile", type=int, metavar="YEAR", help="winners and losers of YEAR by household income "
                   "decile and region (persons of both runs matched; average net gain, shares gaining and losing)")
    c.add_argument("--fiscal-years", action="store_true", help="cost and recipients by fiscal year (1 October to 30 "
                   "September) instead of calendar year")
    c.set_defaults(handler=_compare)
    w = sub.add_parser("sweep", help="run a sweep file's design in parallel on Dask and merge the results")
    w.add_argument("sweep", type=Path, help="the sweep YAML file (see sweeps/)")
    w.add_argument("--out", type=Path, required=True, help="output folder: one NetCDF per run, manifest, results.nc")
    w.add_argument("--workers", type=int, help="worker processes of the local Dask cluster (default: one per CPU)")
    w.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    w.add_argument("--draws", type=int, help="seeds per design point (replaces the file's draws): quantile bands")
    w.add_argument("--export", action="append", choices=("parquet", "stata"),
                   help="also write the results as results.parquet or results.dta, labels and units kept (repeatable)")
    w.add_argument("--no-progress", action="store_true", help="no progress bar")
    w.add_argument("--yes", action="store_true", help="start however many runs the sweep has and however long "
                   "they are estimated to take (otherwise a sweep above the limits of model.sweep.cost is refused)")
    w.set_defaults(handler=_sweep)
    _add_other_commands(sub)
    return p


def _add_other_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    k = sub.add_parser("calibrate", help="base-year attributes against every calibration target")
    _add_scale_seed(k, scale=100.0)
    k.set_defaults(handler=_calibrate)
    v = sub.add_parser("solve", help="goal-seek a policy lever against the sustainability criteria")
    v.add_argument("what", choices=SOLVERS, help="oaa: highest flat old-age allowance passing every binding criterion; "
                   "ssf-rate: contribution rise, all to the old-age branch, keeping the SSF old-age branch reserve >= 0; "
                   "pension-age: lowest pension age doing so; fiscal-gap: primary-balance change keeping debt under the ceiling")
    v.add_argument("scenario", nargs="?", default="baseline", help="a name in scenarios/ or a YAML path")
    _add_scale_seed(v, scale=1000.0)
    v.add_argument("--through-year", type=int, default=2060, help="SSF solvers: keep the old-age branch reserve >= 0 to this year")
    v.add_argument("--from-year", type=int, default=2027, help="first year of the rate, age or balance change")
    v.add_argument("--start", default="2025-10-01", help="oaa: date the flat allowance starts (ISO)")
    v.set_defaults(handler=_solve)
    a = sub.add_parser("actuarial", help="the SSF in actuarial-valuation form: PAYG cost rate, GAP, reserve ratio, "
                       "depletion by branch, published studies and the reforms that touch the fund")
    a.add_argument("scenarios", nargs="*", help="scenarios to value (default: baseline and every shipped scenario "
                   "that touches the fund)")
    _add_scale_seed(a, scale=1000.0, runs=" for every run")
    a.add_argument("--end-year", type=int, help="last year (default: the valuation year + the longest GAP horizon - 1)")
    a.set_defaults(handler=_actuarial)
    b = sub.add_parser("validate", help="back-test: base-year results against the administrative totals "
                       "(exit status 1 if any is outside its tolerance)")
    b.add_argument("scenario", nargs="?", default="baseline", help="a name in scenarios/ or a YAML path")
    _add_scale_seed(b)
    b.set_defaults(handler=_validate)


def _add_scale_seed(p: argparse.ArgumentParser, *, scale: float | None = None, runs: str = "") -> None:
    """The --scale and --seed options; `scale` is the default scale (None: the scenario's)."""
    default = f"default {scale:g}" if scale else "default from the scenario"
    p.add_argument("--scale", type=float, default=scale, help=f"persons per row{runs} (1 = full population; {default})")
    p.add_argument("--seed", type=int, help=f"random seed{runs} (default from the scenario)")


def _show_input_warnings() -> None:
    """Print ModelInputWarnings as one `warning: ...` line each; other warnings as Python shows them."""
    shown = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if issubclass(category, ModelInputWarning):
            print(f"warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("default", ModelInputWarning)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parser().parse_args(argv)
    with interrupts.caught():
        try:
            with warnings.catch_warnings():
                _show_input_warnings()
                args.handler(args)
        except ModelInputError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:  # the reader of the output stopped early (`... | head`): not an error of the run
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
            return 0
        except Exception:
            if not interrupts.pending():
                raise
            print("interrupted", file=sys.stderr)  # Ctrl-C that numba's cache or compiler turned into an error
            return EXIT_INTERRUPTED
    return 0
