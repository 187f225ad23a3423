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
from .design import CENTRE, Design, Run, draw_values
from .runner import reduce_run, run_path
from .spec import Sweep



def merge_runs(sweep: Sweep, design: Design, runs: list[Run], out_dir: Path,
               failed: Mapping[str, str] | None = None, computed: Mapping[str, xr.Dataset] | None = None) -> xr.Dataset:
    """Outputs of every run as variables over (point, draw[, year]), with the design values as coordinates.

    `failed` maps run ids to errors, `computed` run ids to their outputs already in memory. Also
    `status(point, draw)` (finished, failed or missing) and `run_id(point, draw)`, the file's name; each run's
    `breach(point, draw, criterion)` when the results have sustainability criteria; and, when the sweep has
    uncertain factors, each point's centre run as `NAME_centre(point[, year])` with `centre_status(point)`.
    """
    names = tuple(sweep.spec.outputs)
    shape = (len(design.points), sweep.draws)
    status = np.full(shape, "missing", dtype=object)
    centre_status = np.full(shape[:1], "missing", dtype=object)
    ids = np.full(shape, "", dtype=object)
    members: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in runs:
        members[r.run_id].append((r.point, r.draw))
        if r.draw != CENTRE:
            ids[r.point, r.draw] = r.run_id
    values: dict[str, np.ndarray] = {}
    centres: dict[str, np.ndarray] = {}
    templates: dict[str, xr.DataArray] = {}
    for rid, cells in members.items():
        reduced = _reduced(rid, names, out_dir, computed or {})
        if reduced is None:
            for p, k in cells:
                state = "failed" if failed and rid in failed else "missing"
                if k == CENTRE:
                    centre_status[p] = state
                else:
                    status[p, k] = state
            continue
        for name in reduced.data_vars:
            if name not in values:
                templates[name] = reduced[name]
                values[name] = np.full(shape + reduced[name].shape, np.nan)
                centres[name] = np.full(shape[:1] + reduced[name].shape, np.nan)
            for p, k in cells:
                if k == CENTRE:
                    centres[name][p] = reduced[name].values
                else:
                    values[name][p, k] = reduced[name].values
        for p, k in cells:
            if k == CENTRE:
                centre_status[p] = "finished"
            else:
                status[p, k] = "finished"
    data = {name: _variable(name, values, templates, shape) for name in (*names, *sorted(set(templates) - set(names)))}
    if any(r.draw == CENTRE for r in runs):
        for name in names:
            if name in templates:
                data[f"{name}_centre"] = xr.DataArray(centres[name], dims=("point", *templates[name].dims),
                                                      attrs={**templates[name].attrs, "description": (
                                                          f"{name} of the point's centre run: its scenario without "
                                                          "uncertainty, seed of draw 0")})
        data["centre_status"] = xr.DataArray(centre_status.astype(str), dims=("point",),
                                             attrs={"description": "finished, failed or missing"})
    coords = _coords(sweep, design, templates)
    data["status"] = xr.DataArray(status.astype(str), dims=("point", "draw"),
                                  attrs={"description": "finished, failed (see manifest.jsonl) or missing"})
    data["run_id"] = xr.DataArray(ids.astype(str), dims=("point", "draw"), attrs={"description": "runs/RUN_ID.nc"})
    attrs = {"sweep": sweep.spec.name, "design": design.kind, "scenario": sweep.scenario.name,
             "scale": sweep.scenario.scale, "base_seed": sweep.scenario.seed, "end_year": sweep.scenario.years.end,
             "draws": sweep.draws, "description": sweep.spec.description}
    return xr.Dataset(data, coords=coords, attrs=attrs)


def _reduced(rid: str, names: tuple[str, ...], out_dir: Path, computed: Mapping[str, xr.Dataset]) -> xr.Dataset | None:
    """A run's outputs (and breach flags): from memory, else from its file, else None."""
    if rid in computed:
        return computed[rid]
    path = run_path(out_dir, rid)
    if not path.exists():
        return None
    with xr.open_dataset(path) as ds:
        return reduce_run(ds, names)


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
        coords.update({str(c): (template[c].dims, template[c].values.astype(str)) for c in template.coords
                       if c not in template.dims and template[c].dims})
    return coords


def _int64(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int64) if np.issubdtype(values.dtype, np.integer) else values


def summary_bands(ds: xr.Dataset, names: tuple[str, ...], max_points: int = 20) -> dict[str, pd.DataFrame]:
    """Per scalar output, a table by point (the first `max_points` points): the point's factor values, its centre
    run (when the sweep has uncertain factors) and the quantiles over draws (NaN: too few draws, see the band's
    note)."""
    tables = {}
    head = ds.isel(point=slice(0, max_points))
    factors = {str(c): head[c].values for c in head.coords if head[c].dims == ("point",) and c != "point"}
    for name in names:
        band = head.get(f"{name}_band")
        if band is None or band.dims != ("quantile", "point"):
            continue
        frame = pd.DataFrame(factors, index=pd.Index(head["point"].values, name="point"))
        if f"{name}_centre" in head:
            frame["centre"] = outputs.fill_censored(head[f"{name}_centre"]).values
        for q in band["quantile"].values:
            frame[f"p{round(100 * q)}"] = band.sel(quantile=q).values
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
