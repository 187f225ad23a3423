"""What a stochastic sweep says: bands read against the centre run, breach probabilities of each sustainability
criterion, and the distribution of censored years (the SSF depletion year).

- Bands: quantiles p5, p25, p50, p75 and p95 over a point's draws (finished runs only). A quantile q is shown
  only with at least ``ceil(1 / min(q, 1 - q))`` draws (20 for p5/p95, 4 for p25/p75, 2 for the median), so
  that at least one draw lies beyond it; with fewer it is NaN and the band's `note` says how many draws it
  needs. The centre run (`NAME_centre`: the point's scenario without uncertainty, the seed of draw 0) is the
  path the bands are read against: with shifts of mean 0 and multipliers of median 1 it is the baseline's own.
- Breaches: each run's `criterion_passes(year, criterion)` gives whether a criterion is breached in any year
  (`breach`); `breach_probability(point, criterion)` is the share of finished draws that breach it, with the
  criterion's basis (law, framework_target, actuarial) and role (binding, warning) as coordinates.
- Censored years: an output with a `censored_at` attribute (the SSF depletion year, for the pooled fund or each
  branch, whatever other dimensions it has) gets `NAME_distribution(point, year_of[, ...])`, the share of draws
  in each year, the censored value standing for "not by the last year".
"""

import math
import warnings

import numpy as np
import xarray as xr

from .. import outputs

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
CRITERIA = ("criterion_passes",)  # result variables a run's breach flags are read from


def min_draws(q: float) -> int:
    """Draws needed to show quantile q: at least one draw beyond it on its side."""
    return math.ceil(1 / min(q, 1 - q) - 1e-9)


def breaches(result: xr.Dataset) -> xr.Dataset:
    """A run's breach flags by criterion (1.0: breached in some projection year, 0.0: never), with the
    criteria's basis and role; an empty Dataset when the result has no criteria."""
    if "criterion_passes" not in result.variables:
        return xr.Dataset()
    passes = result["criterion_passes"].astype(bool)
    breach = (~passes).any("year").astype(float)
    coords = {c: result[c] for c in ("criterion_basis", "criterion_role", "criterion_legal_basis") if c in result.coords}
    breach = breach.assign_coords(coords).assign_attrs(
        units="1 = breached in some year", description="whether the criterion is breached in any projection year")
    return xr.Dataset({"breach": breach.load()})


def add_bands(ds: xr.Dataset, names: tuple[str, ...]) -> xr.Dataset:
    """Add `NAME_band(quantile, point[, year])` over draws of each output (finished runs only); quantiles with too
    few draws are NaN and the band's `note` says so. A censored value counts as its censored value."""
    finished = ds["status"] == "finished"
    n = int(finished.sum("draw").min()) if ds.sizes.get("draw") else 0
    hidden = [q for q in QUANTILES if n < min_draws(q)]
    bands = {}
    for name in names:
        values = outputs.fill_censored(ds[name]).where(finished)
        with warnings.catch_warnings():  # a point whose draws all failed gives NaN quietly
            warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
            band = values.quantile(list(QUANTILES), dim="draw")
        if hidden:
            band = band.where(~band["quantile"].isin(hidden))
        attrs = dict(ds[name].attrs, description=f"p5, p25, p50, p75 and p95 over draws of {name}", draws=n)
        if hidden:
            shown = ", ".join(f"p{round(100 * q)}" for q in hidden)
            attrs["note"] = (f"{shown} not shown: {n} finished draws per point; p5/p95 need {min_draws(0.05)}, "
                             f"p25/p75 {min_draws(0.25)}")
        bands[f"{name}_band"] = band.assign_attrs(attrs)
    return ds.assign(bands)


def add_breach_probabilities(ds: xr.Dataset) -> xr.Dataset:
    """Add `breach_probability(point, criterion)`: the share of finished draws breaching each criterion."""
    if "breach" not in ds:
        return ds
    finished = ds["status"] == "finished"
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        share = ds["breach"].where(finished).mean("draw")
    return ds.assign(breach_probability=share.assign_attrs(
        units="fraction of draws", draws=int(finished.sum("draw").min()),
        description="share of draws in which the criterion is breached in some projection year"))


def add_censored_distributions(ds: xr.Dataset, names: tuple[str, ...]) -> xr.Dataset:
    """Add `NAME_distribution(point, NAME_value[, ...])` for each output with a `censored_at` attribute."""
    finished = ds["status"] == "finished"
    added = {}
    for name in names:
        censored_at = ds[name].attrs.get("censored_at")
        if censored_at is None:
            continue
        values = outputs.fill_censored(ds[name]).where(finished)
        seen = np.unique(values.values[np.isfinite(values.values)])
        years = np.union1d(seen, [float(censored_at)]).astype(int)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            shares = xr.concat([(values == y).where(finished).sum("draw") / finished.sum("draw") for y in years],
                               dim=xr.DataArray(years, dims=f"{name}_value", name=f"{name}_value"))
        added[f"{name}_distribution"] = shares.assign_attrs(
            units="fraction of draws", censored_at=int(censored_at),
            description=f"share of draws with each value of {name}; {int(censored_at)} stands for 'not by "
                        f"{int(censored_at) - 1}'")
    return ds.assign(added)


def probability_table(ds: xr.Dataset, point: int = 0) -> "object":
    """Breach probabilities at one point, criteria grouped by basis (law first), as a DataFrame."""
    import pandas as pd

    share = ds["breach_probability"].isel(point=point)
    frame = pd.DataFrame({"basis": share["criterion_basis"].values if "criterion_basis" in share.coords else "",
                          "role": share["criterion_role"].values if "criterion_role" in share.coords else "",
                          "probability of breach": share.values}, index=share["criterion"].values)
    order = {"law": 0, "actuarial": 1, "framework_target": 2}
    return frame.sort_values("basis", key=lambda b: b.map(order).fillna(9), kind="stable")


__all__ = ["QUANTILES", "add_bands", "add_breach_probabilities", "add_censored_distributions", "breaches",
           "min_draws", "probability_table"]
