"""How precise the quick preview is, as measured by benchmarks/preview_precision.py and shipped in
preview_precision.yaml: the relative standard error (percent) of one run's headline figures (the reform's total
cost over the plan period, its change against the baseline) over runs with several seeds, at the preview scale
and at full precision."""

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).with_name("preview_precision.yaml")


@dataclass(frozen=True)
class Precision:
    """Relative standard errors of one run, percent, at one scale (persons per row), over `seeds` seeds."""

    scale: float
    seeds: int
    cost_rse_pct: float  # the reform's total scheme cost over the plan period
    change_rse_pct: float  # the reform's budget impact against the baseline over the plan period


@dataclass(frozen=True)
class Measured:
    """The measurement shipped with the app: when, over which fiscal years, and the precision at the preview scale
    and at full precision."""

    measured: dt.date
    first: int  # the plan period's first and last fiscal year the figures sum over
    last: int
    preview: Precision
    full: Precision


def relative_standard_error(values: Sequence[float]) -> float:
    """The relative standard error of one run, percent: the standard deviation of a figure over runs with
    different seeds (ddof=1) divided by the absolute value of its mean."""
    if len(values) < 2:
        raise ValueError("values: a standard deviation needs at least two runs")
    return 100.0 * statistics.stdev(values) / abs(statistics.fmean(values))


def _precision(entry: dict) -> Precision:
    return Precision(scale=float(entry["scale"]), seeds=len(entry["seeds"]),
                     cost_rse_pct=float(entry["reform_total_cost"]["rse_pct"]),
                     change_rse_pct=float(entry["change_against_baseline"]["rse_pct"]))


@cache
def measured() -> Measured:
    """The shipped measurement (read once per process)."""
    found = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    first, last = found["fiscal_years"]
    return Measured(measured=dt.date.fromisoformat(str(found["measured"])), first=int(first), last=int(last),
                    preview=_precision(found["preview"]), full=_precision(found["full"]))
