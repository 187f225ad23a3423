"""Person-level output of one year of a run: who receives and pays what, for the reform's winners and losers and for
analysts' own cross-tabulations.

A run keeps no person table after it ends. `capture(year)` (model.fiscal.persons_year) asks the run made inside the
`with` block (the first one: `model.run` may make further runs of current law afterwards) to keep, in the year's
indicators phase, a frame of every row (`Captured.persons`) and optionally a sample of whole households with every
scheme's amounts (`Captured.households`).

Winners and losers (`gains`): the base and reform runs of one seed are matched person by person on the person id
(`pid`), which common random numbers keep the same in both runs as long as the reform changes no demographic or
household event. A reform that does (a behaviour feeding back on births or deaths, say) gives persons present in
one run only, or the same id to different persons: rows whose id, sex and birth cohort do not match in both runs
are left out and counted (`unmatched_persons`, persons), never paired by guess. A person's net gain is the change
of the household's net transfers per member (cash benefits minus contributions the insured pay themselves, THB a
year, summed over the household and divided by its members), so everyone in a household that gains counts as
gaining; a gain or loss is counted beyond 1 THB a month (GAIN_THRESHOLD). Deciles are those of the base run.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import ModelInputError
from .fiscal.distribution import DECILES
from .fiscal.persons_year import Captured, capture
from .population.regions import REGIONS

GAIN_THRESHOLD = 12.0
"""THB a year: a net gain (or loss) counts beyond 1 THB a month."""
SAMPLE_HOUSEHOLDS = 5000
__all__ = ["Captured", "capture", "gains", "matched_change", "run_with_sample", "write_household_sample",
           "GAIN_THRESHOLD", "SAMPLE_HOUSEHOLDS"]


def write_household_sample(frame: pd.DataFrame, path: Path, attrs: dict[str, object]) -> None:
    """Write the sample as Parquet (pyarrow), the run's identity in the file's metadata; written to a temporary
    name and renamed when complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta.update({f"model.{k}".encode(): str(v).encode() for k, v in attrs.items()})
    table = table.replace_schema_metadata(meta)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        pq.write_table(table, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def check_sample_path(path: Path | None) -> None:
    """Refuse, before any run, a sample file that is not .parquet or whose folder does not exist."""
    if path is None:
        return
    if path.suffix != ".parquet":
        raise ModelInputError(f"--household-sample: the file must end in .parquet (got {str(path)!r})")
    if not path.parent.exists() or not path.parent.is_dir():
        raise ModelInputError(f"--household-sample: folder {str(path.parent)!r} does not exist")


# --- winners and losers -------------------------------------------------------------------------------------------

def household_net(frame: pd.DataFrame) -> np.ndarray:
    """[row] the row's household's net transfers per member, THB/year."""
    hh = frame["hh"].to_numpy()
    size = np.bincount(hh)
    total = np.bincount(hh, weights=frame["net_transfers"].to_numpy())
    return total[hh] / size[hh]


def matched_change(base: pd.DataFrame, reform: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """(persons present alike in both frames with their base decile and region, weight and `gain` (reform minus
    base household net transfers per member, THB/year), unmatched persons (weighted, both runs together))."""
    b = pd.DataFrame({"pid": base["pid"].to_numpy(), "sex": base["sex"].to_numpy(),
                      "cohort": base["age"].to_numpy(), "decile": base["decile"].to_numpy(),
                      "region": base["region"].to_numpy(), "weight": base["weight"].to_numpy(),
                      "net": household_net(base)})
    r = pd.DataFrame({"pid": reform["pid"].to_numpy(), "sex": reform["sex"].to_numpy(),
                      "cohort": reform["age"].to_numpy(), "net_reform": household_net(reform)})
    both = b.merge(r, on=["pid", "sex", "cohort"], how="inner")
    unmatched = float(base["weight"].sum() + reform["weight"].sum() - 2.0 * both["weight"].sum())
    both["gain"] = both["net_reform"] - both["net"]
    return both[["pid", "decile", "region", "weight", "gain"]], unmatched


def gains(base: pd.DataFrame, reform: pd.DataFrame, by: str = "decile") -> tuple[pd.DataFrame, float]:
    """(table by `by` (decile 1-10 or region) and for all persons: persons, average net gain per person (THB/year),
    shares of persons gaining and losing (percent); unmatched persons), see the module docstring."""
    both, unmatched = matched_change(base, reform)
    keys = list(DECILES) if by == "decile" else list(range(len(REGIONS)))
    labels = [str(k) for k in DECILES] if by == "decile" else list(REGIONS)
    rows = []
    for key, label in [*zip(keys, labels), (None, "all")]:
        part = both if key is None else both[both[by] == key]
        w = part["weight"].to_numpy()
        total = w.sum()
        gain = part["gain"].to_numpy()
        rows.append((label, total, float(w @ gain / total) if total else np.nan,
                     100.0 * float(w @ (gain > GAIN_THRESHOLD)) / total if total else np.nan,
                     100.0 * float(w @ (gain < -GAIN_THRESHOLD)) / total if total else np.nan))
    table = pd.DataFrame(rows, columns=[by, "persons", "net_gain", "share_gaining", "share_losing"])
    return table, unmatched


def run_with_sample(scenario: "str | Path | object", path: Path, *, year: int | None = None,
                    households: int = SAMPLE_HOUSEHOLDS, scale: float | None = None, seed: int | None = None,
                    end_year: int | None = None) -> xr.Dataset:
    """Run a scenario (`model.run`) and write a sample of `households` households of `year` (default: the last
    year) to the Parquet file `path`; returns the run's result. Bad input stops before the run."""
    from .api import resolve, run

    check_sample_path(path)
    if isinstance(households, bool) or not isinstance(households, int) or households < 1:
        raise ModelInputError(f"--sample-households: must be a whole number of at least 1 (got {households!r})")
    resolved = resolve(scenario, scale=scale, seed=seed, end_year=end_year)  # type: ignore[arg-type]
    year = resolved.years.end if year is None else year
    if isinstance(year, bool) or not resolved.years.start <= year <= resolved.years.end:
        raise ModelInputError(f"--sample-year: must be a simulated year, {resolved.years.start} to "
                              f"{resolved.years.end} (got {year!r})")
    with capture(year, households) as captured:
        ds = run(resolved)
    assert captured.households is not None  # the run stepped through `year`
    write_household_sample(captured.households, path, {"scenario": ds.attrs["scenario"], "seed": ds.attrs["seed"],
                                                       "scale": ds.attrs["scale"], "year": year,
                                                       "run_id": ds.attrs.get("run_id", ""),
                                                       "model_version": ds.attrs.get("model_version", "")})
    return ds
