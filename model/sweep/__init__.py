"""Batch sweeps: a design over scenario inputs, run in parallel on dask.distributed, merged into one Dataset.

``python -m model sweep SWEEP.yaml --out DIR``. The sweep file is described in `model.sweep.spec`, the
designs in `model.sweep.design`, the output folder and resume in `model.sweep.runner`, the merged Dataset
in `model.sweep.merge` and the tornado and Sobol indices in `model.sweep.sensitivity`.
"""

import os
from collections.abc import Callable
from pathlib import Path

import xarray as xr

from ..errors import ModelInputError
from ..version import model_version
from ..io import check_output_folder, write_netcdf
from ..summary import format_table
from . import cost
from .design import build_design, plan
from .merge import add_bands, merge_runs, summary_bands, summary_points
from .runner import RunReport, Simulate, execute_runs, locked, simulate
from .sensitivity import sobol_indices, sobol_table, tornado, tornado_table
from .spec import Sweep, design_size, load_sweep, sweep_from_text

RESULTS = "results.nc"
MAX_WORKERS = 256


def run_sweep(sweep: "Sweep | str | Path", out_dir: str | Path, *, workers: int | None = None,
              scheduler: str | None = None, draws: int | None = None, progress: bool = False,
              run: Simulate = simulate, yes: bool = False,
              announce: Callable[[str], None] | None = None) -> tuple[xr.Dataset, RunReport]:
    """Run (or resume) a sweep into `out_dir` and return the merged Dataset (also `DIR/results.nc`) and a report.

    `sweep` is a Sweep or a sweep file; `draws` replaces the file's draws; `workers` sizes the local cluster
    (default: one per CPU); `scheduler` is the address of an existing Dask scheduler instead; `run` computes
    one scenario's result (default `model.run`). Before any run starts, the estimated cost (`model.sweep.cost`)
    goes to `announce`, and a sweep above the limits is refused unless `yes` or its file's `max_runs` allow it.
    """
    if workers is not None and scheduler is not None:
        raise ModelInputError("--workers: a cluster given by --scheduler has its own workers; give one or the other")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ModelInputError(f"--workers: must be between 1 and {MAX_WORKERS} (got {workers})")
    out_dir = Path(out_dir).absolute()  # workers may run in other folders: they get absolute paths
    check_output_folder(out_dir, "--out")
    if not isinstance(sweep, Sweep):
        sweep = load_sweep(sweep, draws)
    n_workers = None if scheduler is not None else workers or os.cpu_count() or 1
    price = cost.estimate(design_size(sweep.spec, sweep.factors) * sweep.draws, sweep.scenario.scale,
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
            ds = add_bands(ds, names)
        if design.kind == "oat":
            ds = ds.merge(tornado(ds, design, names))
        elif design.kind == "sobol":
            ds = ds.merge(sobol_indices(ds, sweep))
        ds.attrs.update(wall_seconds=round(report.wall_seconds, 2), peak_memory_mib=round(report.peak_memory_mib, 1),
                        failed_runs=len(report.failed), stale_runs_recomputed=report.stale,
                        model_version=model_version())
        write_netcdf(ds, out_dir / RESULTS)
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
        parts.append(format_table(table, f"{name}: p5/p50/p95 over {ds.sizes['draw']} draws, by design point"))
    for name in names:
        if f"{name}_tornado" in ds:
            parts.append(format_table(tornado_table(ds, name), f"{name}: one-at-a-time tornado "
                                      f"(centre {ds[f'{name}_tornado'].attrs['centre']:.4g})", 4))
        if f"{name}_sobol" in ds:
            note = ds[f"{name}_sobol"].attrs.get("note", "")
            parts.append(format_table(sobol_table(ds, name), f"{name}: Sobol indices {note}".rstrip(), 3))
    return "\n".join(parts)


__all__ = ["RESULTS", "RunReport", "Sweep", "format_summary", "load_sweep", "run_sweep", "sweep_from_text"]
