"""The back-test: each validated administrative total against the model's value for the same period and basis.

Mapping (quantity → result variable, see totals.py): cost and benefits → `benefit_cost`, contributions →
`contributions` (all payers), counts of persons → the scheme's `recipients`, assets → `ssf_reserve`. The period
picks the variant: a complete simulated fiscal year → the `_fy` variable (recipients: average a month); a
calendar year → the calendar variable (recipients: persons paid during the year); a month or a dated count →
the `_by_month` variable of that month; a range → the yearly mean. Persons paid the SSF unemployment benefit →
`ssf_unemployment_beneficiaries` (an average month of the year; `YEARLY_QUANTITIES`). Periods before the model's first complete
fiscal year are compared with the first calendar year (2023: it holds 9 of the 12 months of FY2023, and the
figures from before the model are the latest found), and the basis column says so. An aggregate scheme name
sums its schemes' flows (`AGGREGATES`). A scheme the run does not have gives NaN and fails: "scheme not in the
model". Mid-year SSF assets are the mean of the reserves at the ends of the two calendar years around them:
the fund accounts spread flows evenly over the year (model/fiscal/ssf_fund.py), so that mean is the reserve on
30 June; the end-2022 reserve is the run's opening reserve, an input.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from ..errors import ModelInputError
from ..scenario import Scenario
from ..schemes.registry import names
from .totals import COUNT_QUANTITIES, FLOW_QUANTITIES, STOCK_QUANTITIES, YEARLY_QUANTITIES, Total, load_totals

AGGREGATES: dict[str, tuple[str, ...]] = {
    "cash_allowances": names(kind="allowance"),
    "ssf": names(fund="ssf"),
}
"""Aggregate names of the totals file → the schemes whose flows they sum (from their declarations: the
non-contributory allowances, the Social Security Fund's sections)."""
NOT_IN_MODEL = "scheme not in the model"
COLUMNS: tuple[str, ...] = ("scheme", "quantity", "period", "basis", "model", "target", "unit", "rel_error",
                            "tolerance", "passes", "type")


class BacktestError(ModelInputError):
    """A validated total the back-test cannot map onto the run (a period outside it, a quantity without a rule)."""


@dataclass(frozen=True)
class ModelValue:
    """The model's value of a total (its unit; NaN when the scheme is not in the model) and the basis it is on."""

    value: float
    basis: str


def model_value(total: Total, ds: xr.Dataset) -> ModelValue:
    """The run's value for `total`'s scheme, quantity and period (see the module docstring)."""
    if total.quantity in STOCK_QUANTITIES:
        return _reserve(total, ds)
    if total.quantity in YEARLY_QUANTITIES:
        return _yearly(total, ds)
    schemes = AGGREGATES.get(total.scheme, (total.scheme,))
    if any(s not in ds["scheme"].values for s in schemes):
        return ModelValue(math.nan, NOT_IN_MODEL)
    if total.quantity in COUNT_QUANTITIES:
        if len(schemes) > 1:
            raise BacktestError(f"total {total.id}: persons of the aggregate {total.scheme!r} cannot be counted by "
                                "summing its schemes' recipients (a person may receive several)")
        family = "recipients"
    elif total.quantity in FLOW_QUANTITIES:
        family = FLOW_QUANTITIES[total.quantity]
    else:
        raise BacktestError(f"total {total.id}: quantity {total.quantity!r} has no model counterpart")
    return _flow_or_count(total, ds, family, list(schemes))


def _flow_or_count(total: Total, ds: xr.Dataset, family: str, schemes: list[str]) -> ModelValue:
    period, years = total.period, [int(y) for y in ds["year"].values]
    first = years[0]

    def at(variable: str, **where: int) -> float:
        return float(ds[variable].sel(scheme=schemes, **where).sum("scheme"))

    def outside() -> BacktestError:
        return BacktestError(f"total {total.id}: period {period.text} is not covered by the run (calendar years "
                             f"{first}-{years[-1]})")

    if period.kind in ("month", "date"):
        if family != "recipients" and period.kind == "date":
            raise BacktestError(f"total {total.id}: a flow needs a period of time, not the date {period.text}")
        month = period.month or period.day.month  # type: ignore[union-attr]
        if period.first in years:
            return ModelValue(at(f"{family}_by_month", year=period.first, month=month),
                              f"month {period.first}-{month:02d}")
        if period.first < first:
            return ModelValue(at(family, year=first), f"calendar {first} (period before the run)")
        raise outside()
    if period.kind == "fy":
        fiscal = [int(y) for y in ds["fiscal_year"].values] if "fiscal_year" in ds.coords else []
        if all(y in fiscal for y in period.years):
            values = [at(f"{family}_fy", fiscal_year=y) for y in period.years]
            return ModelValue(float(np.mean(values)), _label("FY", period.years))
        if all(y <= first for y in period.years):
            if period.years == range(first, first + 1):
                return ModelValue(at(family, year=first), f"calendar {first} (9 of FY{first}'s 12 months)")
            return ModelValue(at(family, year=first), f"calendar {first} (period before FY{first + 1})")
        raise outside()
    if all(y in years for y in period.years):
        values = [at(family, year=y) for y in period.years]
        return ModelValue(float(np.mean(values)), _label("calendar ", period.years))
    if all(y < first for y in period.years):
        return ModelValue(at(family, year=first), f"calendar {first} (period before the run)")
    raise outside()


def _yearly(total: Total, ds: xr.Dataset) -> ModelValue:
    """A count in an average month of each year (`YEARLY_QUANTITIES`): a month or calendar years of the run read
    their years' values (a month is its year's average month, so its basis is the calendar year), earlier periods
    the first year."""
    scheme, variable = YEARLY_QUANTITIES[total.quantity]
    if total.scheme != scheme:
        raise BacktestError(f"total {total.id}: {total.quantity} is mapped for {scheme!r} only (got {total.scheme!r})")
    if total.period.kind == "fy":
        raise BacktestError(f"total {total.id}: {total.quantity} is compared by month or calendar year "
                            f"(got {total.period.text})")
    years, wanted = [int(y) for y in ds["year"].values], list(total.period.years)
    if all(y in years for y in wanted):
        return ModelValue(float(np.mean([float(ds[variable].sel(year=y)) for y in wanted])),
                          _label("calendar ", total.period.years))
    if all(y < years[0] for y in wanted):
        return ModelValue(float(ds[variable].sel(year=years[0])), f"calendar {years[0]} (period before the run)")
    raise BacktestError(f"total {total.id}: period {total.period.text} is not covered by the run (calendar years "
                        f"{years[0]}-{years[-1]})")


def _label(prefix: str, years: range) -> str:
    if len(years) == 1:
        return f"{prefix}{years[0]}"
    return f"mean of {prefix}{years[0]}-{years[-1]}"


def _reserve(total: Total, ds: xr.Dataset) -> ModelValue:
    if total.scheme != "ssf":
        raise BacktestError(f"total {total.id}: assets are mapped for the Social Security Fund ('ssf') only "
                            f"(got {total.scheme!r})")
    day = total.period.day
    if day is None:
        raise BacktestError(f"total {total.id}: assets need a date (got {total.period.text!r})")
    years = [int(y) for y in ds["year"].values]
    opening = float(ds.attrs["ssf_opening_reserve"])

    def end_of(year: int) -> float:
        return opening if year == years[0] - 1 else float(ds["ssf_reserve"].sel(year=year))

    if (day.month, day.day) == (12, 31) and years[0] - 1 <= day.year <= years[-1]:
        basis = "opening reserve (an input)" if day.year < years[0] else f"reserve at the end of {day.year}"
        return ModelValue(end_of(day.year), basis)
    if (day.month, day.day) == (6, 30) and day.year in years:
        return ModelValue((end_of(day.year - 1) + end_of(day.year)) / 2.0,
                          f"mean of the reserves at the ends of {day.year - 1} and {day.year}")
    raise BacktestError(f"total {total.id}: assets are compared on 30 June or 31 December of a simulated year "
                        f"(got {total.period.text})")


def compare(totals: list[Total], ds: xr.Dataset) -> pd.DataFrame:
    """The back-test table of the validated `totals` against the run `ds`: one row per total (index id), with the
    model's value and the target in the total's unit, the relative error (model / target - 1), the tolerance
    (fraction) and whether it passes (|error| <= tolerance, up to rounding of 1e-12; a missing scheme fails)."""
    rows = []
    for total in (t for t in totals if t.validated):
        found = model_value(total, ds)
        error = found.value / total.value - 1.0
        rows.append({"id": total.id, "scheme": total.scheme, "quantity": total.quantity,
                     "period": total.period.text, "basis": found.basis, "model": found.value, "target": total.value,
                     "unit": total.unit, "rel_error": error, "tolerance": total.tolerance,
                     "passes": bool(abs(error) <= total.tolerance + 1e-12), "type": total.type})
    return pd.DataFrame(rows, columns=("id", *COLUMNS)).set_index("id")


def last_year_needed(totals: list[Total]) -> int:
    """The last calendar year a run must simulate to give every validated total (FY t ends in calendar t)."""
    return max(t.period.last for t in totals if t.validated)


def validate(scenario: "str | Path | Scenario" = "baseline", *, scale: float | None = None, seed: int | None = None,
             totals: list[Total] | None = None) -> pd.DataFrame:
    """Run `scenario` (a name in scenarios/, a YAML path or a Scenario) as far as the totals need and return the
    back-test table (`compare`); its attrs hold the scenario, scale and seed."""
    from ..api import resolve, run

    totals = load_totals() if totals is None else totals
    resolved = resolve(scenario, scale=scale, seed=seed)
    end = max(last_year_needed(totals), resolved.years.start)
    ds = run(resolved, end_year=end)
    table = compare(totals, ds)
    table.attrs.update(scenario=ds.attrs["scenario"], scale=ds.attrs["scale"], seed=ds.attrs["seed"])
    return table


def calibrated_values() -> pd.DataFrame:
    """Every parameter value solved against an administrative total (``calibrated: true`` in its file): path,
    date in force, value, the total's row id and the date it was solved, one row each."""
    from ..parameters import ParameterTree

    tree = ParameterTree.load()
    rows = [{"parameter": path, "from": v.date.isoformat(), "value": v.value, "target": v.target,
             "calibrated_on": v.calibrated_on.isoformat()}
            for path in tree.paths() for v in tree.info(path).values if v.target is not None]
    return pd.DataFrame(rows, columns=["parameter", "from", "value", "target", "calibrated_on"])


def format_calibrated(values: pd.DataFrame) -> str:
    """The calibrated values as text, with a line saying what they are."""
    with pd.option_context("display.max_colwidth", 80, "display.width", 250):
        body = values.to_string(index=False)
    return ("Values solved against these totals (base year only; each file gives its reason), everything else is "
            f"a cited rule or a stated assumption:\n{body}")


DISPLAY_UNITS: dict[str, tuple[float, str]] = {"THB": (1e9, "THB bn"), "persons": (1e6, "million")}


def format_backtest(table: pd.DataFrame) -> str:
    """The back-test table as text: values in THB billion or million persons, errors and tolerances in percent,
    pass or FAIL, and a last line counting the failures."""
    shown = pd.DataFrame(index=table.index)
    for column in ("scheme", "quantity", "period", "basis"):
        shown[column] = table[column]
    divisors = table["unit"].map(lambda u: DISPLAY_UNITS.get(u, (1.0, u))[0])
    shown["model"] = (table["model"] / divisors).map(lambda v: "n/a" if math.isnan(v) else f"{v:,.2f}")
    shown["target"] = (table["target"] / divisors).map(lambda v: f"{v:,.2f}")
    shown["unit"] = table["unit"].map(lambda u: DISPLAY_UNITS.get(u, (1.0, u))[1])
    shown["error"] = table["rel_error"].map(lambda e: "n/a" if math.isnan(e) else f"{100 * e:+.1f}%")
    shown["tolerance"] = table["tolerance"].map(lambda t: f"±{100 * t:g}%")
    shown["result"] = table["passes"].map({True: "pass", False: "FAIL"})
    failed = int((~table["passes"]).sum())
    with pd.option_context("display.max_colwidth", 80, "display.width", 250):
        body = shown.to_string()
    head = ""
    if table.attrs:
        head = (f"Back-test of scenario {table.attrs['scenario']} (scale {table.attrs['scale']:g}, seed "
                f"{table.attrs['seed']}) against data/administrative_totals.csv\n")
    return f"{head}{body}\n{len(table) - failed} of {len(table)} totals within tolerance, {failed} outside"
