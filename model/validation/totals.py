"""The administrative totals the model is checked against (data/administrative_totals.csv), read with clear errors.

One row per figure of the reference: its id (the reference's row, with a suffix where a row holds several
figures), scheme (a result-contract scheme name or an aggregate), quantity, period, value, unit, type, tolerance,
whether the back-test checks it, source (ids of model/sources.yaml, separated by spaces) and note. The tolerance follows the type (`TOLERANCE_BY_TYPE`); the
loader refuses a row that departs from the rule, so the file cannot drift from its documentation.
"""

import csv
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ModelInputError
from ..paths import DATA_DIR
from ..sources import source_ids

TOTALS_FILE = DATA_DIR / "administrative_totals.csv"
COLUMNS: tuple[str, ...] = ("id", "scheme", "quantity", "period", "value", "unit", "type", "tolerance", "validated",
                            "source", "note")
TOLERANCE_BY_TYPE: dict[str, float] = {
    "outturn": 0.07,  # audited or official spending outturns
    "allocation": 0.10,  # budget allocations: what was planned, not spent
    "reported": 0.10,  # counts reported by an agency or the press
    "registration": 0.10,  # registration counts (e.g. disability cards)
    "average": 0.15,  # multi-year averages compared with one model year
    "approximate": 0.15,  # figures given as "about", "around" or a compiler's estimate
}
"""Relative tolerance (fraction of the target) by type of figure."""
FLOW_QUANTITIES: dict[str, str] = {"cost": "benefit_cost", "benefits": "benefit_cost",
                                   "contributions": "contributions"}
"""Money flows the back-test maps (quantity → result variable family; unit THB)."""
COUNT_QUANTITIES: tuple[str, ...] = ("recipients", "members", "beneficiaries", "holders", "pensioners", "claimants")
"""Counts of persons the back-test maps to a scheme's recipients (unit persons)."""
STOCK_QUANTITIES: tuple[str, ...] = ("assets",)
"""Stocks the back-test maps (the Social Security Fund's reserve; unit THB)."""
YEARLY_QUANTITIES: dict[str, tuple[str, str]] = {
    "unemployment_beneficiaries": ("ssf_s33", "ssf_unemployment_beneficiaries"),
}
"""Counts the back-test reads from a yearly result variable of their own (quantity → (scheme, variable); unit
persons in an average month of the year)."""
UNITS: dict[str, str] = {**dict.fromkeys(FLOW_QUANTITIES, "THB"), **dict.fromkeys(COUNT_QUANTITIES, "persons"),
                         **dict.fromkeys(STOCK_QUANTITIES, "THB"), **dict.fromkeys(YEARLY_QUANTITIES, "persons")}

_FISCAL = re.compile(r"FY(\d{4})(?:-FY(\d{4}))?")
_CALENDAR = re.compile(r"CY(\d{4})(?:-CY(\d{4}))?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class TotalsError(ModelInputError):
    """A malformed row or column of the administrative totals file."""


@dataclass(frozen=True)
class Period:
    """When a figure applies. kind: `fy` (fiscal years first..last, 1 October to 30 September; a range is a
    yearly average), `cy` (calendar years first..last), `month` (a calendar month) or `date` (a stock or count
    on a day). `first`/`last` are years; `month` 1-12 for `month`; `day` for `date`."""

    kind: str
    first: int
    last: int
    text: str
    month: int | None = None
    day: date | None = None

    @property
    def years(self) -> range:
        """The years of the period (fiscal or calendar, as `kind` says)."""
        return range(self.first, self.last + 1)


def parse_period(text: str) -> Period:
    """A Period from `FY2023`, `FY2020-FY2023`, `CY2024`, `CY2023-CY2024`, `2023-08` or `2023-06-30`."""
    for kind, pattern in (("fy", _FISCAL), ("cy", _CALENDAR)):
        if match := pattern.fullmatch(text):
            first = int(match[1])
            last = int(match[2] or first)
            if last < first:
                raise ValueError(f"the range ends before it starts (got {text!r})")
            return Period(kind, first, last, text)
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 01-12 (got {text!r})")
        return Period("month", year, year, text, month=month)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError("must be FY2023, FY2020-FY2023, CY2024, CY2023-CY2024, a month 2023-08 or a date "
                         f"2023-06-30 (got {text!r})") from None
    return Period("date", day.year, day.year, text, day=day)


@dataclass(frozen=True)
class Total:
    """One administrative figure: value in `unit` (THB, persons, ...), relative `tolerance` (fraction)."""

    id: str
    scheme: str
    quantity: str
    period: Period
    value: float
    unit: str
    type: str
    tolerance: float
    validated: bool
    source: str
    note: str


def load_totals(path: Path | None = None) -> list[Total]:
    """Every row of the totals file (default `TOTALS_FILE`), checked: TotalsError names the file, line, row id,
    column and value."""
    path = TOTALS_FILE if path is None else path
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = tuple(reader.fieldnames or ())
            if header != COLUMNS:
                raise TotalsError(f"{path}: columns must be {', '.join(COLUMNS)} (got {', '.join(header) or 'none'})")
            totals = [_row(path, reader.line_num, raw) for raw in reader]
    except FileNotFoundError:
        raise TotalsError(f"administrative totals file: {path} does not exist") from None
    seen: set[str] = set()
    for total in totals:
        if total.id in seen:
            raise TotalsError(f"{path}: id {total.id!r} appears more than once")
        seen.add(total.id)
    if not totals:
        raise TotalsError(f"{path}: no rows")
    return totals


def _row(path: Path, line: int, raw: dict[str, str | None]) -> Total:
    where = f"{path}, line {line} (id {raw.get('id')!r})"
    if None in raw or any(raw[c] is None for c in COLUMNS):
        raise TotalsError(f"{where}: needs exactly {len(COLUMNS)} fields")
    cells = {c: (raw[c] or "").strip() for c in COLUMNS}

    def fail(column: str, problem: str) -> TotalsError:
        return TotalsError(f"{where}: {column}: {problem} (got {cells[column]!r})")

    for column in ("id", "scheme", "quantity", "unit", "source"):
        if not cells[column]:
            raise fail(column, "must not be empty")
    unknown = [key for key in cells["source"].split() if key not in source_ids()]
    if unknown:
        raise fail("source", f"unknown source id {unknown[0]!r}: give ids of model/sources.yaml separated by spaces")
    try:
        period = parse_period(cells["period"])
    except ValueError as error:
        raise TotalsError(f"{where}: period: {error}") from None
    value = _number(cells["value"])
    if value is None or not value > 0:
        raise fail("value", "must be a positive number")
    if cells["type"] not in TOLERANCE_BY_TYPE:
        raise fail("type", f"must be one of {', '.join(TOLERANCE_BY_TYPE)}")
    tolerance = _number(cells["tolerance"])
    if tolerance is None or tolerance != TOLERANCE_BY_TYPE[cells["type"]]:
        raise fail("tolerance", f"must be {TOLERANCE_BY_TYPE[cells['type']]:g} for a figure of type "
                                f"{cells['type']!r} (data/README.md)")
    if cells["validated"] not in ("true", "false"):
        raise fail("validated", "must be true or false")
    validated = cells["validated"] == "true"
    if validated:
        expected_unit = UNITS.get(cells["quantity"])
        if expected_unit is None:
            raise fail("quantity", f"a validated row needs a quantity the back-test maps: {', '.join(UNITS)}")
        if cells["unit"] != expected_unit:
            raise fail("unit", f"must be {expected_unit} for quantity {cells['quantity']!r}")
    elif not cells["note"]:
        raise fail("note", "a row that is not validated must say why")
    return Total(id=cells["id"], scheme=cells["scheme"], quantity=cells["quantity"], period=period, value=value,
                 unit=cells["unit"], type=cells["type"], tolerance=tolerance, validated=validated,
                 source=cells["source"], note=cells["note"])


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
