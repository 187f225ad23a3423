"""Sweep results as tables for other tools: Parquet and Stata, with labels and units kept.

One row per run (point, draw; and year for yearly outputs, in a second table), one column per design factor,
uncertain factor and output. Parquet keeps each column's label, unit and description in the field metadata
(and the sweep's attributes in the file's); Stata gets names derived from the labels (lower case, letters,
digits and underscores, at most 32 characters, unique) and a variable label of at most 80 characters with the
unit, never a mangled dotted name. Files are written to a temporary name and renamed when complete.

    results.parquet / results_yearly.parquet     results.dta / results_yearly.dta
"""

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from .. import outputs
from .spec import Sweep

EXPORTS = ("parquet", "stata")
STATA_NAME = 32
STATA_LABEL = 80


def factor_labels(sweep: Sweep) -> dict[str, str]:
    """Coordinate name -> readable label of each factor: a parameter's English label, else the series or
    multiplier name, with what the value does (shift, multiply)."""
    from ..parameters import ParameterTree

    tree = ParameterTree.load()
    labels = {}
    for factor in (*sweep.factors, *sweep.uncertain):
        if factor.group == "parameters" and factor.name in tree:
            text = tree.info(factor.name).label_en
        else:
            text = factor.name.replace("_", " ")
        mode = factor.mode()
        labels[factor.label] = text if mode == "replace" else f"{text} ({mode})"
    return labels


def _units(sweep: Sweep, label: str) -> str:
    from ..parameters import ParameterTree

    tree = ParameterTree.load()
    for factor in (*sweep.factors, *sweep.uncertain):
        if factor.label == label:
            if factor.mode() == "multiply":
                return "multiplier"
            group, name = factor.targets[0]
            if group == "parameters" and name in tree:
                return tree.info(name).unit
            return "fraction" if group == "macro" else "multiplier"
    return ""


def tables(ds: xr.Dataset, sweep: Sweep) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dict[str, str]]]:
    """The run table (scalar outputs), the yearly table (yearly outputs) and each column's label, units and
    description."""
    names = [n for n in sweep.spec.outputs if n in ds]
    labels = factor_labels(sweep)
    meta: dict[str, dict[str, str]] = {
        "point": {"label": "design point", "units": "", "description": "design point number"},
        "draw": {"label": "draw", "units": "", "description": "draw number (seed = base seed + draw)"},
        "seed": {"label": "seed", "units": "", "description": "random seed of the run"},
        "year": {"label": "year", "units": "calendar year", "description": "calendar year"},
    }
    factor_cols = {}
    for coord, label in labels.items():
        if coord in ds.coords:
            factor_cols[coord] = ds[coord]
            meta[coord] = {"label": label, "units": _units(sweep, coord), "description": f"factor {coord}"}
    base = ds[["status"]].assign_coords(seed=ds["seed"])
    frames = []
    for yearly in (False, True):
        chosen = [n for n in names if ("year" in ds[n].dims) == yearly and ds[n].dims[:2] == ("point", "draw")
                  and set(ds[n].dims) <= {"point", "draw", "year"}]
        if not chosen:
            frames.append(pd.DataFrame())
            continue
        frame = xr.merge([base, ds[chosen]]).to_dataframe().reset_index()
        for coord, values in factor_cols.items():
            frame[coord] = values.to_series().reindex(frame[values.dims[0]]).values
        frames.append(frame)
        for n in chosen:
            year = outputs.parse(n)[1]
            label = ds[n].attrs.get("description", n) + (f", {year}" if year is not None else "")
            meta[n] = {"label": label, "units": ds[n].attrs.get("units", ""),
                       "description": ds[n].attrs.get("description", "")}
    meta["status"] = {"label": "run status", "units": "", "description": "finished, failed or missing"}
    return frames[0], frames[1], meta


def stata_names(columns: list[str], meta: dict[str, dict[str, str]]) -> dict[str, str]:
    """Column -> Stata name derived from its label (or its name): lower case, [a-z0-9_], a letter first, at most
    32 characters (a trailing year kept whole), unique (a numeric suffix when two labels give the same name)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        text = meta.get(column, {}).get("label") or column
        if column in ("point", "draw", "seed", "year", "status"):
            text = column
        slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "v"
        if not slug[0].isalpha():
            slug = "v_" + slug
        tail = slug.rsplit("_", 1)[-1]
        if len(slug) > STATA_NAME and tail.isdigit() and tail != slug:  # keep a trailing year whole
            slug = slug[: STATA_NAME - len(tail) - 1].rstrip("_") + "_" + tail
        slug = slug[:STATA_NAME].rstrip("_")
        name, k = slug, 2
        while name in used:
            suffix = f"_{k}"
            name, k = slug[: STATA_NAME - len(suffix)] + suffix, k + 1
        used.add(name)
        names[column] = name
    return names


def _stata_label(meta: dict[str, str]) -> str:
    units = f" [{meta['units']}]" if meta.get("units") else ""
    text = meta.get("label", "")
    return (text[: STATA_LABEL - len(units)] + units)[:STATA_LABEL].encode("latin-1", "replace").decode("latin-1")


def _write_parquet(frame: pd.DataFrame, meta: dict[str, dict[str, str]], attrs: dict[str, Any], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [field.with_metadata({k: str(v) for k, v in meta.get(field.name, {}).items()}) for field in table.schema]
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}),
                                         b"sweep": json.dumps(attrs, default=str).encode()})
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table.cast(schema), tmp)
    tmp.replace(path)


def _write_stata(frame: pd.DataFrame, meta: dict[str, dict[str, str]], attrs: dict[str, Any], path: Path) -> None:
    names = stata_names(list(frame.columns), meta)
    out = frame.rename(columns=names)
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype(str)
    labels = {names[c]: _stata_label(meta.get(c, {"label": c})) for c in frame.columns}
    tmp = path.with_name(f".{path.name}.tmp")
    out.to_stata(tmp, write_index=False, variable_labels=labels, version=118,
                 data_label=f"sweep {attrs.get('sweep', '')}"[:80])
    tmp.replace(path)


def export(ds: xr.Dataset, out_dir: Path, kind: str, sweep: Sweep) -> list[Path]:
    """Write the sweep's results as `kind` (parquet or stata) into `out_dir`; the paths written."""
    runs, yearly, meta = tables(ds, sweep)
    suffix = {"parquet": "parquet", "stata": "dta"}[kind]
    writer = _write_parquet if kind == "parquet" else _write_stata
    written = []
    for stem, frame in (("results", runs), ("results_yearly", yearly)):
        if frame.empty:
            continue
        path = Path(out_dir) / f"{stem}.{suffix}"
        writer(frame, meta, dict(ds.attrs), path)
        written.append(path)
    return written


__all__ = ["EXPORTS", "export", "factor_labels", "stata_names", "tables"]
