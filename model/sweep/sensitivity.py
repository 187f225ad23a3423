"""Sensitivity of scalar outputs to a sweep's factors: a one-at-a-time tornado and Sobol indices (SALib).

Both read each design point's mean over its draws (finished runs only), so seed noise is averaged out; a
censored output (the SSF depletion year when the fund is not depleted by the last year) counts as its
censored value. Yearly outputs are skipped: ask for ``NAME_YYYY`` to analyse one year.
"""

import math
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
BOOTSTRAP = 1000  # bootstrap resamples of a tornado's draws


def point_means(ds: xr.Dataset, name: str) -> xr.DataArray:
    """Mean over draws of one output at each point (NaN where no draw finished)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        return outputs.fill_censored(ds[name]).where(ds["status"] == "finished").mean("draw")


def _scalar(names: tuple[str, ...]) -> list[str]:
    return [n for n in names if outputs.is_scalar(n)]


def tornado(ds: xr.Dataset, design: Design, names: tuple[str, ...], resamples: int = BOOTSTRAP,
            seed: int = 0) -> xr.Dataset:
    """`NAME_tornado(factor, side)`: the change in each scalar output when one factor moves from the centre
    to its low or high end (one-at-a-time design: point 0 is the centre, 2i+1 and 2i+2 move factor i), and
    `NAME_tornado_ci(factor, side, bound)`: its 95% bootstrap interval over draws (draws resampled together at
    every point, as they share their seeds and uncertain values; NaN with a single draw)."""
    labels = list(design.labels)
    points = np.array(design.points, dtype=float)
    coords = {"factor": labels, "side": list(SIDES), "bound": ["low", "high"], "factor_centre": ("factor", points[0]),
              "factor_low": ("factor", points[1::2].diagonal()), "factor_high": ("factor", points[2::2].diagonal())}
    data = {}
    for name in _scalar(names):
        y = point_means(ds, name).values
        delta = np.stack([y[1::2] - y[0], y[2::2] - y[0]], axis=1)
        units = ds[name].attrs.get("units", "")
        data[f"{name}_tornado"] = xr.DataArray(delta, dims=("factor", "side"), attrs={
            "units": units, "centre": float(y[0]),
            "description": f"change in {name} from the centre value when one factor is at its low or high end"})
        interval, note = _bootstrap(ds, name, resamples, seed)
        data[f"{name}_tornado_ci"] = xr.DataArray(interval, dims=("factor", "side", "bound"), attrs={
            "units": units, "resamples": resamples, "note": note,
            "description": f"95% bootstrap interval over draws of the change in {name}"})
    return xr.Dataset(data, coords=coords)


def _bootstrap(ds: xr.Dataset, name: str, resamples: int, seed: int) -> tuple[np.ndarray, str]:
    """[factor, side, bound] percentile interval of the tornado's changes, resampling draws with replacement."""
    values = outputs.fill_censored(ds[name]).where(ds["status"] == "finished").values  # [point, draw]
    n_factors = (values.shape[0] - 1) // 2
    if values.shape[1] < 2:
        return np.full((n_factors, 2, 2), np.nan), "no interval: one draw per point (give draws >= 2)"
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, values.shape[1], size=(resamples, values.shape[1]))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        means = np.nanmean(values[:, picks], axis=2)  # [point, resample]
        changes = np.stack([means[1::2] - means[0], means[2::2] - means[0]], axis=1)  # [factor, side, resample]
        interval = np.nanpercentile(changes, [2.5, 97.5], axis=2).transpose(1, 2, 0)
    return interval, f"{values.shape[1]} draws per point, {resamples} bootstrap resamples"


def sobol_indices(ds: xr.Dataset, sweep: Sweep) -> xr.Dataset:
    """`NAME_sobol(factor, index)`: first-order (S1) and total (ST) Sobol indices with 95% confidence half-widths.

    Needs every point of the Saltelli design; with a point missing, or an output that does not vary over the
    design (its indices are undefined), the indices are NaN and `note` says why. `ranking_separated` says whether
    the confidence intervals of the total indices separate the ranking reported; when they do not, `note` names
    the factors they do not separate and the base samples that would (the half-widths shrink as 1/sqrt(N)).
    """
    design = sweep.spec.design
    problem = salib_problem(sweep.factors)
    data = {}
    for name in _scalar(tuple(sweep.spec.outputs)):
        y = point_means(ds, name).values
        attrs: dict[str, object] = {"description": f"Sobol sensitivity indices of {name}", "samples": design.samples}
        missing = int(np.isnan(y).sum())
        table = np.full((len(sweep.factors), len(INDICES)), np.nan)
        if missing:
            attrs["note"] = f"not computed: {missing} design points have no finished run"
        elif np.ptp(y) == 0:
            attrs["note"] = f"not defined: {name} is the same ({y[0]:.6g}) at every design point"
        else:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                # the confidence intervals' resamples seeded with sample_seed + 1: for a seed of 0 (the default)
                # SALib would draw them from numpy's global state, different in every analysis
                result = sobol_analyze.analyze(problem, y, calc_second_order=design.second_order,
                                               seed=design.sample_seed + 1, print_to_console=False)
            table = np.stack([np.asarray(result[k], dtype=float) for k in INDICES], axis=1)
            separated, note = ranking(table, problem["names"], design.samples)
            attrs.update(ranking_separated=int(separated), note=note)
        data[f"{name}_sobol"] = xr.DataArray(table, dims=("factor", "index"), attrs=attrs)
    return xr.Dataset(data, coords={"factor": problem["names"], "index": list(INDICES)})


def ranking(table: np.ndarray, names: list[str], samples: int) -> tuple[bool, str]:
    """Whether the 95% intervals of the total indices (ST ± ST_conf) of neighbours in the ranking are disjoint,
    and a note; when they overlap, the base samples (a power of two) that would separate the closest pair."""
    st, conf = table[:, 2], table[:, 3]
    order = np.argsort(-st)
    overlaps = []
    for a, b in zip(order[:-1], order[1:]):
        gap = st[a] - st[b]
        if st[a] - conf[a] <= st[b] + conf[b]:
            needed = samples * ((conf[a] + conf[b]) / gap) ** 2 if gap > 0 else math.inf
            overlaps.append((names[a], names[b], needed))
    if not overlaps:
        return True, f"ranking by ST separated by the 95% intervals at {samples} base samples"
    first, second, needed = max(overlaps, key=lambda o: o[2])
    pairs = "; ".join(f"{a} / {b}" for a, b, _ in overlaps)
    more = ("not separable (equal indices)" if not math.isfinite(needed)
            else f"about {2 ** math.ceil(math.log2(max(needed, samples + 1))):,} base samples would separate them")
    return False, (f"ranking by ST NOT separated at {samples} base samples: intervals overlap for {pairs}; "
                   f"{more} (closest pair {first} / {second})")


def tornado_table(ds: xr.Dataset, name: str) -> pd.DataFrame:
    """One output's tornado, largest swing first: factor values at each end, output changes, their 95% bootstrap
    intervals (when the sweep has draws) and the swing."""
    delta = ds[f"{name}_tornado"]
    frame = pd.DataFrame({"low": ds["factor_low"].values, "high": ds["factor_high"].values,
                          "change at low": delta.sel(side="low").values,
                          "change at high": delta.sel(side="high").values}, index=delta["factor"].values)
    ci = ds.get(f"{name}_tornado_ci")
    if ci is not None and np.isfinite(ci.values).any():
        for side in SIDES:
            frame[f"95% CI at {side}"] = [f"{lo:.4g} .. {hi:.4g}" for lo, hi in ci.sel(side=side).values]
    frame["swing"] = (frame["change at high"] - frame["change at low"]).abs()
    return frame.sort_values("swing", ascending=False)


def sobol_table(ds: xr.Dataset, name: str) -> pd.DataFrame:
    """One output's Sobol indices, largest total index first."""
    return ds[f"{name}_sobol"].to_pandas().sort_values("ST", ascending=False)
