"""Batch sweeps: a design over scenario inputs, run in parallel on dask.distributed, merged into one Dataset.

``python -m model sweep SWEEP.yaml --out DIR``. The sweep file is described in `model.sweep.spec`, the
designs in `model.sweep.design`, the output folder and resume in `model.sweep.runner`, the merged Dataset
in `model.sweep.merge` and the tornado and Sobol indices in `model.sweep.sensitivity`.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xarray as xr

from ..errors import ModelInputError
from ..version import model_version
from ..io import check_output_folder, write_netcdf
from ..summary import format_table
from . import cost
from .design import build_design, plan
from .export import EXPORTS, export
from .merge import merge_runs, summary_bands, summary_points
from .runner import RunReport, Simulate, execute_runs, locked, simulate
from .sensitivity import sobol_indices, sobol_table, tornado, tornado_table
from .spec import Sweep, design_size, load_sweep, sweep_from_text
from .uncertainty import add_bands, add_breach_probabilities, add_censored_distributions, probability_table

RESULTS = "results.nc"
MAX_WORKERS = 256


def run_sweep(sweep: "Sweep | str | Path", out_dir: str | Path, *, workers: int | None = None,
              scheduler: str | None = None, draws: int | None = None, progress: bool = False,
              run: Simulate = simulate, yes: bool = False,
              announce: Callable[[str], None] | None = None,
              exports: tuple[str, ...] = ()) -> tuple[xr.Dataset, RunReport]:
    """Run (or resume) a sweep into `out_dir` and return the merged Dataset (also `DIR/results.nc`) and a report.

    `sweep` is a Sweep or a sweep file; `draws` replaces the file's draws; `workers` sizes the local cluster
    (default: one per CPU); `scheduler` is the address of an existing Dask scheduler instead; `run` computes
    one scenario's result (default `model.run`). Before any run starts, the estimated cost (`model.sweep.cost`)
    goes to `announce`, and a sweep above the limits is refused unless `yes` or its file's `max_runs` allow it.
    `exports` also writes the merged results as `results.parquet` and/or `results.dta` (`model.sweep.export`).

    Local workers are separate Python processes started afresh (not forked or spawned from the caller), so a
    script may call run_sweep at its top level, without an ``if __name__ == "__main__":`` guard.
    """
    unknown = [e for e in exports if e not in EXPORTS]
    if unknown:
        raise ModelInputError(f"--export: {unknown[0]!r} is not a format ({', '.join(EXPORTS)})")
    if workers is not None and scheduler is not None:
        raise ModelInputError("--workers: a cluster given by --scheduler has its own workers; give one or the other")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ModelInputError(f"--workers: must be between 1 and {MAX_WORKERS} (got {workers})")
    out_dir = Path(out_dir).absolute()  # workers may run in other folders: they get absolute paths
    check_output_folder(out_dir, "--out")
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep, draws)
    n_workers = None if scheduler is not None else workers or os.cpu_count() or 1
    points = design_size(sweep.spec, sweep.factors)
    price = cost.estimate(points * sweep.draws + (points if sweep.uncertain else 0), sweep.scenario.scale,
                          sweep.scenario.years.end, n_workers)
    cost.check(price, sweep.spec.max_runs, yes, f"sweep {sweep.spec.name}")
    if announce is not None:
        announce(f"sweep {sweep.spec.name}: {price.describe()} (scale {sweep.scenario.scale:g}, "
                 f"{sweep.scenario.years.start}-{sweep.scenario.years.end})")
    design = build_design(sweep)
    runs = plan(sweep, design)
    names = tuple(sweep.spec.outputs)
    with locked(out_dir):
        report = execute_runs(runs, out_dir, names, workers=workers, scheduler=scheduler, progress=progress,
                              run=run, label=sweep.spec.name, announce=announce)
        ds = merge_runs(sweep, design, runs, out_dir, report.failed, report.outputs)
        if sweep.draws > 1:
            ds = add_censored_distributions(add_breach_probabilities(add_bands(ds, names)), names)
        if design.kind == "oat":
            ds = ds.merge(tornado(ds, design, names))
        elif design.kind == "sobol":
            ds = ds.merge(sobol_indices(ds, sweep))
        ds.attrs.update(wall_seconds=round(report.wall_seconds, 2), peak_memory_mib=round(report.peak_memory_mib, 1),
                        failed_runs=len(report.failed), stale_runs_recomputed=report.stale,
                        model_version=model_version())
        write_netcdf(ds, out_dir / RESULTS)
        for kind in exports:
            export(ds, out_dir, kind, sweep)
    return ds, report


def format_summary(ds: xr.Dataset, report: RunReport) -> str:
    """The command line's report: runs, time and memory, then bands, tornado or Sobol tables."""
    peaks = ", ".join(f"{m:,.0f}" for m in report.worker_peak_mib.values())
    workers = f"workers {peaks} MiB" if peaks else "no workers used"
    parts = [f"sweep {ds.attrs['sweep']}: {report.runs} runs ({report.skipped} already finished, {report.finished} "
             f"computed, {len(report.failed)} failed) in {report.wall_seconds:.1f} s\n"
             f"peak memory {report.peak_memory_mib:,.0f} MiB (this process {report.parent_peak_mib:,.0f} MiB; "
             f"{workers})\n"]
    names = [str(v) for v in ds.data_vars if {"point", "draw"} <= set(ds[v].dims) and v not in ("status", "run_id")]
    if ds.sizes["draw"] == 1 and ds.sizes["point"] > 1:
        parts.append(format_table(summary_points(ds, tuple(names)), "Outputs by design point (first 20)", 4))
    for name, table in summary_bands(ds, tuple(names)).items():
        note = ds[f"{name}_band"].attrs.get("note")
        parts.append(format_table(table, f"{name}: centre run and quantiles over {ds.sizes['draw']} draws, by design "
                                  f"point" + (f" ({note})" if note else "")))
    uncertain = [str(c) for c in ds.coords if ds[c].dims == ("draw",) and c not in ("seed", "draw")]
    if uncertain and ds.sizes["draw"] > 1:
        drawn = pd.DataFrame({c: ds[c].values for c in uncertain if ds[c].dtype.kind in "fiu"})
        frame = drawn.describe(percentiles=[0.05, 0.5, 0.95]).T
        parts.append(format_table(frame[["mean", "5%", "50%", "95%"]], "Uncertain factors: values drawn", 4))
    if "breach_probability" in ds:
        parts.append(format_table(probability_table(ds), "Probability of breaching each criterion (point 0; basis: "
                                  "law = legal ceiling)", 3))
    for name in names:
        if f"{name}_distribution" in ds and "year" not in ds[name].dims:
            dist = ds[f"{name}_distribution"].isel(point=0)
            frame = dist.to_pandas().to_frame("share of draws") if dist.ndim == 1 else dist.to_pandas().T
            parts.append(format_table(frame, f"{name}: distribution over draws (point 0; "
                                      f"{dist.attrs['censored_at']} = not by {dist.attrs['censored_at'] - 1})", 3))
    for name in names:
        if f"{name}_tornado" in ds:
            parts.append(format_table(tornado_table(ds, name), f"{name}: one-at-a-time tornado "
                                      f"(centre {ds[f'{name}_tornado'].attrs['centre']:.4g})", 4))
        if f"{name}_sobol" in ds:
            note = ds[f"{name}_sobol"].attrs.get("note", "")
            parts.append(format_table(sobol_table(ds, name), f"{name}: Sobol indices {note}".rstrip(), 3))
    return "\n".join(parts)


__all__ = ["EXPORTS", "RESULTS", "export", "RunReport", "Sweep", "format_summary", "load_sweep", "run_sweep", "sweep_from_text"]
