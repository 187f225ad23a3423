"""Compare two scenarios: one Dataset with a `scenario` dimension (and a `draw` dimension over seeds), the
reform-minus-base differences, and their Monte Carlo standard errors.

``model.compare(base, reform, draws=N)`` runs both scenarios with seeds seed, seed+1, ..., seed+N-1; both runs of
a draw share their seed, and since every stochastic process draws from its own stream (common random numbers) a
reform's difference in a draw carries only the noise of the processes it changes. The standard error of a mean
difference is the standard deviation of the per-draw differences over √N. The memo tables are in
`model.compare_tables`, their rendering (text, Markdown, CSV, Excel) in `model.compare_format`.
"""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import ModelInputError
from .population.remembered_path import paths_remembered
from .scenario import Scenario

RUN_ATTRS = ("seed", "scale", "parameters_hash", "run_id")
"""Attributes that identify a run: kept as coordinates along `scenario` (and `draw`)."""
NOISE_SE = 2.0
"""A mean difference smaller than this many standard errors (in absolute value) is marked as within noise."""
SAME_RTOL = 1e-12
"""Base and reform values this close (relative) are the same: the rounding of quantities derived alike."""


def compare_results(base: xr.Dataset, reform: xr.Dataset) -> xr.Dataset:
    """Two results along a new `scenario` dimension (base first), with `role`, seed, scale and hash per scenario.
    Variables keep their attributes (units, description); a Dataset attribute the two results share is kept,
    one they differ on becomes a coordinate along `scenario`."""
    if not np.array_equal(base["year"].values, reform["year"].values):
        raise ModelInputError(f"compare: the scenarios cover different years ({_span(base)} and {_span(reform)}); "
                              "give --end-year")
    names = [str(base.attrs.get("scenario", "base")), str(reform.attrs.get("scenario", "reform"))]
    if names[0] == names[1]:
        names = [f"{names[0]} (base)", f"{names[1]} (reform)"]
    both, shared = _stack([base, reform], pd.Index(names, name="scenario"), keep_as_coords=RUN_ATTRS)
    shared.update(base=names[0], reform=names[1], description="scenario comparison; differences are reform minus base")
    return both.assign_coords(role=("scenario", ["base", "reform"])).assign_attrs(shared)


def _stack(datasets: Sequence[xr.Dataset], index: pd.Index,
           keep_as_coords: Sequence[str] = ()) -> tuple[xr.Dataset, dict[str, object]]:
    """`datasets` concatenated along a new dimension (variables keep the first one's attributes, which are
    alike), and the Dataset attributes they all share; an attribute in `keep_as_coords`, or one they differ on,
    becomes a coordinate along the new dimension (text if its values are of mixed types)."""
    stacked = xr.concat(datasets, dim=index, data_vars="all", coords="different", compat="equals", join="outer",
                        combine_attrs="override")
    keys = dict.fromkeys(key for ds in datasets for key in ds.attrs)
    shared, per_item = {}, {}
    for key in keys:
        if key == index.name:
            continue
        values = [ds.attrs.get(key) for ds in datasets]
        if key not in keep_as_coords and all(_same(v, values[0]) for v in values):
            shared[key] = values[0]
        elif all(v is not None for v in values):
            kinds = {type(v) for v in values}
            per_item[key] = (index.name, values if len(kinds) == 1 else [str(v) for v in values])
    stacked = stacked.assign_coords(per_item)
    stacked.attrs = {}
    return stacked, shared


def _same(a: object, b: object) -> bool:
    """Whether two attribute values are equal (NaN equals NaN)."""
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except TypeError:  # not numbers: NaN cannot occur
        return bool(np.array_equal(a, b))


def check_draws(draws: object, field: str = "draws") -> int:
    """The number of draws, or ModelInputError naming `field` if it is not a whole number of at least 1."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ModelInputError(f"{field}: must be a whole number of at least 1 (got {draws!r})")
    return int(draws)


@paths_remembered()
def compare(base: "str | Path | Scenario", reform: "str | Path | Scenario", *, scale: float | None = None,
            seed: int | None = None, end_year: int | None = None, draws: int = 1,
            gains_year: int | None = None) -> xr.Dataset:
    """Run both scenarios `draws` times and return their results along `scenario` and `draw`.

    Draw k runs both with seed `seed` + k (default: the base scenario's seed), so the two runs of a draw share
    their random numbers; scale and end year apply to both when given. Both scenarios are validated before any
    run. Coordinates: `seed(draw)`, `run_id(draw, scenario)`, `parameters_hash(scenario)`, `role(scenario)`.
    With `gains_year`, each draw's two runs keep their persons of that year and the winners and losers are added
    by decile and region (`add_gains`: `net_gain_by_decile(draw, decile)` and the like). A current-law base's
    population path is remembered, so a reform of what the schemes pay replays it
    (model.population.remembered_path).
    """
    from .api import resolve, run
    from . import microdata

    n = check_draws(draws)
    first = [resolve(s, scale=scale, seed=seed, end_year=end_year) for s in (base, reform)]
    if gains_year is not None:
        check_gains_year(gains_year, first)
    start = first[0].seed
    per_draw, gains = [], []
    for k in range(n):
        pair = [s.replaced(seed=start + k) for s in first]
        if gains_year is None:
            per_draw.append(compare_results(*(run(s) for s in pair)))
            continue
        results, frames = [], []
        for s in pair:
            with microdata.capture(gains_year) as captured:
                results.append(run(s))
            frames.append(captured.persons)
        per_draw.append(compare_results(*results))
        gains.append(gain_tables(*frames))
    stacked, shared = _stack(per_draw, pd.Index(range(n), name="draw"))
    run_ids = stacked["run_id"]
    if "draw" not in run_ids.dims:  # one draw: concatenation kept it along scenario only
        run_ids = run_ids.expand_dims(draw=stacked["draw"].values)
    stacked = stacked.drop_vars(["seed", "run_id"]).assign_coords(
        seed=("draw", [start + k for k in range(n)]), run_id=run_ids.transpose("draw", "scenario"))
    stacked = stacked.assign_attrs(shared, draws=n)
    return stacked if gains_year is None else add_gains(stacked, gains, gains_year)


def check_gains_year(year: object, scenarios: Sequence[Scenario], field: str = "--by-decile") -> None:
    """ModelInputError naming `field` unless `year` is a simulated year of every scenario."""
    first = max(s.years.start for s in scenarios)
    last = min(s.years.end for s in scenarios)
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not first <= year <= last:
        raise ModelInputError(f"{field}: must be a simulated year, {first} to {last} (got {year!r})")


GAIN_VARIABLES = {"net_gain": ("THB/year", "average net gain per person: change of the household's cash benefits "
                               "minus the contributions its insured pay themselves, per member, reform minus base"),
                  "share_gaining": ("percent", "persons whose household net gain per member exceeds 1 THB a month"),
                  "share_losing": ("percent", "persons whose household net loss per member exceeds 1 THB a month"),
                  "persons": ("persons", "persons matched in both runs (base run's deciles and regions)")}
"""Winners-and-losers measures (model.microdata.gains): units and description."""


def gain_tables(base: pd.DataFrame, reform: pd.DataFrame) -> dict[str, object]:
    """One draw's winners and losers: the tables by decile and by region, and the unmatched persons."""
    from .microdata import gains

    by_decile, unmatched = gains(base, reform, "decile")
    by_region, _ = gains(base, reform, "region")
    return {"decile": by_decile, "region": by_region, "unmatched": unmatched}


def add_gains(ds: xr.Dataset, per_draw: list[dict[str, object]], year: int) -> xr.Dataset:
    """The comparison with the winners and losers of each draw: `<measure>_by_decile(draw, decile)`,
    `<measure>_by_region(draw, region)`, `<measure>_all(draw)` for the measures of GAIN_VARIABLES, and
    `unmatched_persons(draw)`; attribute `gains_year`."""
    from .fiscal.distribution import DECILES
    from .population.regions import REGIONS

    draws = ds["draw"].values
    out = {}
    for by, labels in (("decile", list(DECILES)), ("region", list(REGIONS))):
        for measure, (units, description) in GAIN_VARIABLES.items():
            values = np.array([table[by][measure].to_numpy() for table in per_draw])  # type: ignore[index]
            out[f"{measure}_by_{by}"] = xr.DataArray(values[:, :-1], dims=("draw", by), coords={"draw": draws, by: labels},
                                                     attrs={"units": units, "description": f"{description}, {year}"})
            if by == "decile":
                out[f"{measure}_all"] = xr.DataArray(values[:, -1], dims=("draw",), coords={"draw": draws},
                                                     attrs={"units": units, "description": f"{description}, all "
                                                            f"persons, {year}"})
    out["unmatched_persons"] = xr.DataArray([float(t["unmatched"]) for t in per_draw], dims=("draw",),  # type: ignore[arg-type]
                                            coords={"draw": draws},
                                            attrs={"units": "persons", "description": "persons of either run without "
                                                   "the same person (id, sex, age) in the other, left out"})
    return ds.assign(out).assign_attrs(gains_year=int(year))


def with_draws(ds: xr.Dataset) -> xr.Dataset:
    """A comparison Dataset with a `draw` dimension (one draw added to a `compare_results` Dataset)."""
    return ds if "draw" in ds.dims else ds.expand_dims(draw=[0])


def difference(ds: xr.Dataset) -> xr.Dataset:
    """Reform minus base for every numeric variable of a comparison Dataset (per draw, if it has draws)."""
    numeric = [v for v in ds.data_vars if np.issubdtype(ds[v].dtype, np.number)]
    return ds[numeric].sel(scenario=ds.attrs["reform"]) - ds[numeric].sel(scenario=ds.attrs["base"])


def draw_statistics(values: xr.DataArray, base: str, reform: str) -> xr.Dataset:
    """Means over draws of a quantity in base and reform, the mean difference, its Monte Carlo standard error
    (standard deviation of the per-draw differences over √N; NaN with one draw), `within_noise` (|difference| <
    2 s.e.) and `identical` (base equals reform in every draw). `values` has dims scenario, draw, ..."""
    b, r = values.sel(scenario=base, drop=True), values.sel(scenario=reform, drop=True)
    d = r - b
    n = values.sizes["draw"]
    se = d.std("draw", ddof=1) / np.sqrt(n) if n > 1 else xr.full_like(d.isel(draw=0, drop=True), np.nan, float)
    diff = d.mean("draw")
    same = ((abs(r - b) <= SAME_RTOL * np.maximum(abs(b), abs(r))) | (b.isnull() & r.isnull())).all("draw")
    return xr.Dataset({"base": b.mean("draw"), "reform": r.mean("draw"), "difference": diff, "se": se,
                       "within_noise": abs(diff) < NOISE_SE * se, "identical": same})


def _span(ds: xr.Dataset) -> str:
    return f"{int(ds['year'].min())}-{int(ds['year'].max())}"
