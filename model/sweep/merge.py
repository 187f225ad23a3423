"""Merge a sweep's runs into one Dataset of outputs along `point` and `draw`, and add uncertainty bands.

The outputs of runs computed by this invocation come from the workers; those of runs finished earlier are
read from their files, opened one at a time and reduced at once. Memory holds the outputs of all runs,
never their results. Runs without a file (failed, or not run) give NaN and their `status` says why.
"""

import warnings
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .. import outputs
from .design import Design, Run, draw_values
from .runner import run_path
from .spec import Sweep

QUANTILES = (0.05, 0.5, 0.95)


def merge_runs(sweep: Sweep, design: Design, runs: list[Run], out_dir: Path,
               failed: Mapping[str, str] | None = None, computed: Mapping[str, xr.Dataset] | None = None) -> xr.Dataset:
    """Outputs of every run as variables over (point, draw[, year]), with the design values as coordinates.

    `failed` maps run ids to errors, `computed` run ids to their outputs already in memory. Also
    `status(point, draw)` (finished, failed or missing) and `run_id(point, draw)`, the file's name.
    """
    names = tuple(sweep.spec.outputs)
    shape = (len(design.points), sweep.draws)
    status = np.full(shape, "missing", dtype=object)
    ids = np.full(shape, "", dtype=object)
    members: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in runs:
        members[r.run_id].append((r.point, r.draw))
        ids[r.point, r.draw] = r.run_id
    values: dict[str, np.ndarray] = {}
    templates: dict[str, xr.DataArray] = {}
    for rid, cells in members.items():
        reduced = _reduced(rid, names, out_dir, computed or {})
        if reduced is None:
            for cell in cells:
                status[cell] = "failed" if failed and rid in failed else "missing"
            continue
        for name in names:
            if name not in values:
                templates[name] = reduced[name]
                values[name] = np.full(shape + reduced[name].shape, np.nan)
            for cell in cells:
                values[name][cell] = reduced[name].values
        for cell in cells:
            status[cell] = "finished"
    data = {name: _variable(name, values, templates, shape) for name in names}
    coords = _coords(sweep, design, templates)
    data["status"] = xr.DataArray(status.astype(str), dims=("point", "draw"),
                                  attrs={"description": "finished, failed (see manifest.jsonl) or missing"})
    data["run_id"] = xr.DataArray(ids.astype(str), dims=("point", "draw"), attrs={"description": "runs/RUN_ID.nc"})
    attrs = {"sweep": sweep.spec.name, "design": design.kind, "scenario": sweep.scenario.name,
             "scale": sweep.scenario.scale, "base_seed": sweep.scenario.seed, "end_year": sweep.scenario.years.end,
             "draws": sweep.draws, "description": sweep.spec.description}
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _reduced(rid: str, names: tuple[str, ...], out_dir: Path, computed: Mapping[str, xr.Dataset]) -> xr.Dataset | None:
    """A run's outputs: from memory, else from its file, else None."""
    if rid in computed:
        return computed[rid]
    path = run_path(out_dir, rid)
    if not path.exists():
        return None
    with xr.open_dataset(path) as ds:
        return outputs.compute_many(ds, names)


def _variable(name: str, values: dict[str, np.ndarray], templates: dict[str, xr.DataArray],
              shape: tuple[int, int]) -> xr.DataArray:
    if name not in templates:  # no run finished: scalar NaNs
        return xr.DataArray(np.full(shape, np.nan), dims=("point", "draw"))
    template = templates[name]
    return xr.DataArray(values[name], dims=("point", "draw", *template.dims), attrs=template.attrs)


def _coords(sweep: Sweep, design: Design, templates: dict[str, xr.DataArray]) -> dict[str, object]:
    coords: dict[str, object] = {"point": np.arange(len(design.points)), "draw": np.arange(sweep.draws),
                                 "seed": ("draw", sweep.scenario.seed + np.arange(sweep.draws))}
    for i, label in enumerate(design.labels):
        coords[label] = ("point", np.array([p[i] for p in design.points]))
    variants = draw_values(sweep)
    for i, factor in enumerate(sweep.uncertain):
        coords[factor.label] = ("draw", np.array([v[i] for v in variants]))
    for template in templates.values():  # NetCDF3 files hold integer years as int32: back to int64
        coords.update({dim: _int64(template[dim].values) for dim in template.dims})
    return coords


def _int64(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int64) if np.issubdtype(values.dtype, np.integer) else values


def add_bands(ds: xr.Dataset, names: tuple[str, ...]) -> xr.Dataset:
    """Add `NAME_band(quantile, point[, year])`: p5, p50 and p95 over draws of each output (finished runs only).

    An output's censored value (e.g. 'not depleted' → last year + 1) counts as that value.
    """
    finished = ds["status"] == "finished"
    bands = {}
    for name in names:
        values = outputs.fill_censored(ds[name]).where(finished)
        with warnings.catch_warnings():  # a point whose draws all failed gives NaN quietly
            warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
            band = values.quantile(list(QUANTILES), dim="draw")
        bands[f"{name}_band"] = band.assign_attrs(ds[name].attrs, description=f"p5, p50 and p95 over draws of {name}")
    return ds.assign(bands)


def summary_bands(ds: xr.Dataset, names: tuple[str, ...], max_points: int = 20) -> dict[str, pd.DataFrame]:
    """Per scalar output, a table of p5/p50/p95 by point (the first `max_points` points)."""
    tables = {}
    for name in names:
        band = ds.get(f"{name}_band")
        if band is None or "year" in band.dims:
            continue
        frame = band.isel(point=slice(0, max_points)).to_pandas().T
        frame.columns = [f"p{round(100 * q)}" for q in frame.columns]
        tables[name] = frame
    return tables


def summary_points(ds: xr.Dataset, names: tuple[str, ...], max_points: int = 20) -> pd.DataFrame:
    """Factor values and scalar outputs (mean over finished draws) of the first `max_points` points."""
    head = ds.isel(point=slice(0, max_points))
    columns = {str(c): head[c].values for c in head.coords if head[c].dims == ("point",) and c != "point"}
    with warnings.catch_warnings():  # a point whose draws all failed gives NaN quietly
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        for name in names:
            if "year" not in head[name].dims:
                columns[name] = head[name].where(head["status"] == "finished").mean("draw").values
    return pd.DataFrame(columns, index=pd.Index(head["point"].values, name="point"))
