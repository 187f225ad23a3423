"""Person frames of one year of a run, kept on request: the run made inside `capture(year)` keeps, in the year's
indicators phase, a frame of every row and optionally a sample of whole households with every scheme's amounts
(model.microdata reads them: winners and losers, the household sample file)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from zlib import crc32

import numpy as np
import pandas as pd

from ..population.households import household_size, income_per_person_of_rows
from ..population.persons import Persons
from ..population.regions import REGIONS
from ..population.status import STATUSES
from ..schemes.registry import SCHEMES, SchemesYear
from .distribution import household_deciles


@dataclass
class Captured:
    """What a captured run kept of `year`: `persons` (one row per table row: pid, hh, weight, sex, age, decile,
    region, cash benefits, own contributions and net transfers, THB/year) and `households` (the sample, or None)."""

    year: int
    sample_households: int | None = None
    seed: int = 0
    persons: pd.DataFrame | None = None
    households: pd.DataFrame | None = None


_CAPTURE: ContextVar[Captured | None] = ContextVar("capture", default=None)


@contextmanager
def capture(year: int, sample_households: int | None = None) -> Iterator[Captured]:
    """Keep the person frame of `year` (and a sample of `sample_households` households) of the first run made in
    the block."""
    captured = Captured(int(year), sample_households)
    token = _CAPTURE.set(captured)
    try:
        yield captured
    finally:
        _CAPTURE.reset(token)


@contextmanager
def uncaptured() -> Iterator[None]:
    """A block whose runs no open capture keeps (a run made on the side, such as a reform's current law)."""
    token = _CAPTURE.set(None)
    try:
        yield
    finally:
        _CAPTURE.reset(token)


def capturing() -> bool:
    """Whether a capture open in this context waits for the frames of a run."""
    captured = _CAPTURE.get()
    return captured is not None and captured.persons is None


def wanted(year: int) -> bool:
    """Whether a capture open in this context will keep the frames of `year` (so its per-row amounts must stay)."""
    return capturing() and _CAPTURE.get().year == year


def offer(persons: Persons, flows: SchemesYear, year: int, seed: int) -> None:
    """Called by every run in each year's indicators phase: keeps the frames if a capture of this year is open and
    has none yet."""
    if not wanted(year):
        return
    captured = _CAPTURE.get()
    captured.seed = seed
    captured.persons = person_frame(persons, flows)
    if captured.sample_households:
        captured.households = household_sample(persons, flows, captured.persons, captured.sample_households,
                                               np.random.default_rng([int(seed), crc32(b"household_sample"), year]))


def own_contributions(flows: SchemesYear, size: int) -> np.ndarray:
    """[row] THB/year of contributions each row pays itself, over the schemes that report them by row."""
    paid = np.zeros(size)
    for result in flows.schemes.values():
        if result.insured_by_row is not None:
            paid[result.insured_by_row.rows] += result.insured_by_row.amount
    return paid


def person_frame(persons: Persons, flows: SchemesYear) -> pd.DataFrame:
    """One row per table row of the year (see `Captured`); `weight` is persons per row."""
    cash = flows.cash_income().astype(np.float64)
    own = own_contributions(flows, len(persons))
    return pd.DataFrame({
        "pid": persons.pid.copy(), "hh": persons.hh.copy(), "weight": persons.scale,
        "sex": persons.sex.copy(), "age": persons.age.copy(),
        "decile": household_deciles(persons) + 1, "region": persons.region.copy(),
        "hh_income_pc": income_per_person_of_rows(persons).astype(np.float64), "cash_benefits": cash,
        "own_contributions": own, "net_transfers": cash - own})


def household_sample(persons: Persons, flows: SchemesYear, frame: pd.DataFrame, n: int,
                     rng: np.random.Generator) -> pd.DataFrame:
    """The members of `n` households drawn uniformly without replacement, with each scheme's benefit
    (`benefit_<scheme>`, THB/year, cash and in kind) and own contributions (`contribution_<scheme>`), labels for
    sex, status and region, and `household_weight` (households each sampled household stands for; every member
    carries it as `weight`, persons)."""
    size = household_size(persons)
    used = np.flatnonzero(size > 0)
    chosen = np.sort(rng.choice(used, min(n, used.size), replace=False))
    picked = np.zeros(size.size, dtype=bool)
    picked[chosen] = True
    rows = np.flatnonzero(picked[persons.hh])
    rows = rows[np.lexsort((persons.age[rows], persons.hh[rows]))]
    weight = persons.scale * used.size / chosen.size
    out = frame.iloc[rows].reset_index(drop=True)
    out["weight"] = weight
    out.insert(2, "household_weight", weight)
    out.insert(3, "household_size", size[persons.hh[rows]])
    out["sex"] = pd.Categorical.from_codes(out["sex"], ["male", "female"])
    out["region"] = pd.Categorical.from_codes(out["region"], list(REGIONS))
    out.insert(6, "status", pd.Categorical.from_codes(persons.status[rows], list(STATUSES)))
    out.insert(9, "income", persons.income[rows].astype(np.float64))
    out.insert(10, "wage", persons.wage[rows].astype(np.float64))
    out.insert(11, "disabled", persons.disabled[rows].copy())
    out.insert(12, "thai", persons.thai[rows].copy())
    for name in SCHEMES:
        result = flows.schemes[name]
        out[f"benefit_{name}"] = result.benefit[rows]
        own = np.zeros(len(persons))
        if result.insured_by_row is not None:
            own[result.insured_by_row.rows] = result.insured_by_row.amount
        out[f"contribution_{name}"] = own[rows]
    return out


