"""The base-year back-test in the app: the table of `model validate` for the page's baseline run, with its
periods, bases, units and verdicts in the page's language.

The table comes from the baseline's result the page has already (`validation.compare` on it): a run to 2037
gives the same base-year values as `model.validate`'s run to the last year the totals need, at the same
scale and seed, so the tab costs no model run.
"""

import re
from collections.abc import Callable

import pandas as pd
import xarray as xr

from ..validation import calibrated_values, compare, load_totals
from ..validation.backtest import DISPLAY_UNITS

Label = Callable[..., str]
BASIS_PATTERNS: tuple[tuple[str, str], ...] = (
    ("basis.month", r"month (?P<year>\d{4})-(?P<month>\d{2})"),
    ("basis.fy", r"FY(?P<year>\d{4})"),
    ("basis.fy_mean", r"mean of FY(?P<first>\d{4})-(?P<last>\d{4})"),
    ("basis.cy", r"calendar (?P<year>\d{4})"),
    ("basis.cy_mean", r"mean of calendar (?P<first>\d{4})-(?P<last>\d{4})"),
    ("basis.before_run", r"calendar (?P<year>\d{4}) \(period before the run\)"),
    ("basis.part_of_fy", r"calendar (?P<year>\d{4}) \(9 of FY(?P<fy>\d{4})'s 12 months\)"),
    ("basis.before_fy", r"calendar (?P<year>\d{4}) \(period before FY(?P<fy>\d{4})\)"),
    ("basis.opening_reserve", r"opening reserve \(an input\)"),
    ("basis.reserve_end", r"reserve at the end of (?P<year>\d{4})"),
    ("basis.reserve_mid", r"mean of the reserves at the ends of (?P<first>\d{4}) and (?P<last>\d{4})"),
    ("basis.not_in_model", r"scheme not in the model"),
)
"""The bases `validation.backtest` writes (label key, pattern of its English text); the English label of each key
gives the text back, so a basis matched here reads the same in English as on the command line."""
PERIOD_PATTERNS: tuple[tuple[str, str], ...] = (
    ("period.fy", r"FY(?P<year>\d{4})"),
    ("period.fy_range", r"FY(?P<first>\d{4})-FY(?P<last>\d{4})"),
    ("period.cy", r"CY(?P<year>\d{4})"),
    ("period.cy_range", r"CY(?P<first>\d{4})-CY(?P<last>\d{4})"),
)
"""Periods of the totals file that name fiscal or calendar years (months and dates are shown as written)."""


def backtest(ds: xr.Dataset) -> pd.DataFrame:
    """The back-test table (`validation.compare`) of every validated administrative total against a result, with
    the run's scenario, scale and seed in its attrs."""
    table = compare(load_totals(), ds)
    table.attrs.update(scenario=ds.attrs["scenario"], scale=float(ds.attrs["scale"]), seed=int(ds.attrs["seed"]))
    return table


def translated(text: str, patterns: tuple[tuple[str, str], ...], t: Label) -> str:
    """`text` through the first pattern that matches it whole, as that pattern's label; else `text` as it is."""
    for key, pattern in patterns:
        if match := re.fullmatch(pattern, text):
            return t(key, **match.groupdict())
    return text


def shown_table(table: pd.DataFrame, t: Label) -> pd.DataFrame:
    """The back-test table as the page shows it: scheme, quantity and period in words; model value and target in
    THB billion or million persons; the error and the tolerance in percent; pass or fail; then the model's basis
    and the kind of figure."""
    divisors = table["unit"].map(lambda unit: DISPLAY_UNITS.get(unit, (1.0, unit))[0])
    shown = pd.DataFrame({
        t("bt.scheme"): [t(f"scheme.{s}") for s in table["scheme"]],
        t("bt.quantity"): [t(f"quantity.{q}") for q in table["quantity"]],
        t("bt.period"): [translated(p, PERIOD_PATTERNS, t) for p in table["period"]],
        t("bt.model"): (table["model"] / divisors).round(2),
        t("bt.target"): (table["target"] / divisors).round(2),
        t("bt.unit"): [t(f"bt.unit.{u}") for u in table["unit"]],
        t("bt.error"): (100 * table["rel_error"]).round(1),
        t("bt.tolerance"): (100 * table["tolerance"]).round(1),
        t("bt.result"): [t("pass") if passes else t("fail") for passes in table["passes"]],
        t("bt.basis"): [translated(b, BASIS_PATTERNS, t) for b in table["basis"]],
        t("bt.type"): [t(f"total_type.{kind}") for kind in table["type"]],
    }, index=table.index)
    shown.index.name = t("bt.id")
    return shown


def summary_counts(table: pd.DataFrame) -> tuple[int, int]:
    """(totals within tolerance, totals checked)."""
    return int(table["passes"].sum()), len(table)


def calibrated(t: Label) -> pd.DataFrame:
    """The parameter values solved against the totals (`validation.calibrated_values`), with translated headers."""
    values = calibrated_values()
    values["value"] = values["value"].map(str)  # numbers and switches in one column: shown as written
    return values.rename(columns={column: t(f"calibrated.{column}") for column in values.columns})
