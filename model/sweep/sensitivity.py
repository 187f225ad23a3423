"""Sensitivity of scalar outputs to a sweep's factors: a one-at-a-time tornado and Sobol indices (SALib).

Both read each design point's mean over its draws (finished runs only), so seed noise is averaged out; a
censored output (the SSF depletion year when the fund is not depleted by the last year) counts as its
censored value. Yearly outputs are skipped: ask for ``NAME_YYYY`` to analyse one year.
"""

import warnings

import numpy as np
import pandas as pd
import xarray as xr
from SALib.analyze import sobol as sobol_analyze

from .. import outputs
from .design import Design, salib_problem
from .spec import Sweep

SIDES = ("low", "high")
INDICES = ("S1", "S1_conf", "ST", "ST_conf")


def point_means(ds: xr.Dataset, name: str) -> xr.DataArray:
    """Mean over draws of one output at each point (NaN where no draw finished)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        return outputs.fill_censored(ds[name]).where(ds["status"] == "finished").mean("draw")


def _scalar(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if outputs.is_scalar(n)]


def tornado(ds: xr.Dataset, design: Design, names: tuple[str, ...]) -> xr.Dataset:
    """`NAME_tornado(factor, side)`: the change in each scalar output when one factor moves from the centre
    to its low or high end (one-at-a-time design: point 0 is the centre, 2i+1 and 2i+2 move factor i)."""
    labels = list(design.labels)
    points = np.array(design.points, dtype=float)
    coords = {"factor": labels, "side": list(SIDES), "factor_centre": ("factor", points[0]),
              "factor_low": ("factor", points[1::2].diagonal()), "factor_high": ("factor", points[2::2].diagonal())}
    data = {}
    for name in _scalar(names):
        y = point_means(ds, name).values
        delta = np.stack([y[1::2] - y[0], y[2::2] - y[0]], axis=1)
        data[f"{name}_tornado"] = xr.DataArray(delta, dims=("factor", "side"), attrs={
            "units": ds[name].attrs.get("units", ""), "centre": float(y[0]),
            "description": f"change in {name} from the centre value when one factor is at its low or high end"})
    return xr.Dataset(data, coords=coords)


def sobol_indices(ds: xr.Dataset, sweep: Sweep) -> xr.Dataset:
    """`NAME_sobol(factor, index)`: first-order (S1) and total (ST) Sobol indices with 95% confidence half-widths.

    Needs every point of the Saltelli design; with a point missing the indices are NaN and `note` says why.
    """
    design = sweep.spec.design
    problem = salib_problem(sweep.factors)
    data = {}
    for name in _scalar(tuple(sweep.spec.outputs)):
        y = point_means(ds, name).values
        attrs = {"description": f"Sobol sensitivity indices of {name}"}
        missing = int(np.isnan(y).sum())
        if missing:
            table = np.full((len(sweep.factors), len(INDICES)), np.nan)
            attrs["note"] = f"not computed: {missing} design points have no finished run"
        else:
            with warnings.catch_warnings(), np.errstate(all="ignore"):  # a constant output gives NaN indices
                warnings.simplefilter("ignore")
                result = sobol_analyze.analyze(problem, y, calc_second_order=design.second_order,
                                               seed=design.sample_seed, print_to_console=False)
            table = np.stack([np.asarray(result[k], dtype=float) for k in INDICES], axis=1)
        data[f"{name}_sobol"] = xr.DataArray(table, dims=("factor", "index"), attrs=attrs)
    return xr.Dataset(data, coords={"factor": problem["names"], "index": list(INDICES)})


def tornado_table(ds: xr.Dataset, name: str) -> pd.DataFrame:
    """One output's tornado, largest swing first: factor values at each end, output changes and the swing."""
    delta = ds[f"{name}_tornado"]
    frame = pd.DataFrame({"low": ds["factor_low"].values, "high": ds["factor_high"].values,
                          "change at low": delta.sel(side="low").values,
                          "change at high": delta.sel(side="high").values}, index=delta["factor"].values)
    frame["swing"] = (frame["change at high"] - frame["change at low"]).abs()
    return frame.sort_values("swing", ascending=False)


def sobol_table(ds: xr.Dataset, name: str) -> pd.DataFrame:
    """One output's Sobol indices, largest total index first."""
    return ds[f"{name}_sobol"].to_pandas().sort_values("ST", ascending=False)
