"""Dated, cited scheme parameters and the small API the schemes read them through.

Each parameter is one YAML file in OpenFisca style; folders mirror the law. A file has a
description, English and Thai labels, a unit, optional uprating metadata and values keyed by
effective date, and every dated value cites its sources or is flagged ``assumption: true`` with a
reason: ``reference: [S30, {source: S83, note: "section 4"}]`` names ids of the source registry
``model/sources.yaml`` (`model.schema.Citation`). A value solved against a base-year administrative total
also carries ``calibrated: true``, the ``target`` row of ``data/administrative_totals.csv`` it was solved
against and the date ``calibrated_on``. A parameter's path is its file path under a root with ``/`` → ``.``
and no ``.yaml``:
``old_age_allowance/amount/age_60_69.yaml`` → ``old_age_allowance.amount.age_60_69``.

A numeric parameter has a valid range: the file's optional ``range: {min: .., max: ..}`` (as in OG-Core; a
missing bound is the default), else the default for its unit (`default_range`: amounts in THB 0 to 1e9 in
their unit, fractions 0 to 1, ages and other ``years`` 0 to 120, and so on; any other unit ±1e15, so every
value is finite and exact in a float64 column). Every dated value of the file and every override
(`ParameterTree.with_overrides`) must lie in it; an override error names the path, the date and the value.

The default tree is parsed once per process. A reform is ``tree.with_overrides({...})``: a new
tree that shares every untouched parameter, so building one never reads or walks files again
(PolicyEngine's reforms were 700x slower than baselines because they re-processed the tree).
Uprating is metadata of the parameter, applied in one place (`ParameterTree.uprated_monthly`): a file's
``uprating`` is ``null`` (none), an index of the macro path (``cpi``, ``wage``, or ``health``: wages × the excess
cost growth of health care, model.schemes.health_cost) or a growth-rate parameter
path, or a mapping ``{by: <one of those>, base: YYYY-MM-DD, switch: <boolean parameter path>}``. A value is
grown over the whole years from its own date (or from ``base``, the date whose prices the values are in),
compounding on each anniversary; with ``switch``, only in months the switch is on. Overrides replace dated
values, which are then uprated from their own dates, so a reform dated in the future cannot change earlier
years.

Run ``python -m model.parameters [--date 2026-01-01]`` to print every value in force on a date.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import hashlib
import json
import math
import numbers
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import numpy as np
import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    StrictBool,
    StrictFloat,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from model.errors import ParameterError, shorten
from model.distributions import Uncertainty
from model.schema import Date, Provenance, Strict, as_date, validation_message
from model.sources import cite, link
from model.yaml_files import read_yaml

Value = bool | int | float | str
"""A parameter value: a number, a boolean or a short string."""

Kind = Literal["number", "bool", "string"]

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_ROOTS: Mapping[str, Path] = {
    "": PACKAGE_DIR / "schemes" / "parameters",
    "population": PACKAGE_DIR / "population" / "parameters",
}
"""Mount prefix → directory. Paths under a non-empty prefix start with ``prefix.``."""

OPTIONAL_MOUNTS = frozenset({"population"})
"""Mounts whose directory may be missing (skipped silently)."""

UPRATING_INDICES = frozenset({"cpi", "wage", "health"})
"""Named indices allowed in ``uprating`` (series of the macro path by calendar year); anything else must be a
growth-rate parameter path."""

OVERRIDE_REASON = "scenario override"
MAX_STRING_LENGTH = 200
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

MAX_MAGNITUDE = 1e15
"""Largest absolute value of any number parameter: exact in float64 and far inside int64 (a sanity bound)."""

MAX_AMOUNT = 1e9
"""Largest amount in THB in the parameter's own unit (1e9 THB/month per person; 1e9 THB million/year is about 50
times Thailand's GDP): far above any policy, far below where sums over persons and years lose precision."""

UNIT_RANGES: tuple[tuple[str, float, float], ...] = (
    # (unit prefix, min, max); the first prefix the unit starts with applies
    ("fraction/year of age", 0.0, 1.0),
    ("fraction/year", -1.0, 1.0),  # growth, indexation and return rates may be negative
    ("fraction", 0.0, 1.0),  # shares, take-up, contribution and replacement rates
    ("THB", 0.0, MAX_AMOUNT),  # amounts, thresholds and THB-per-THB match rates
    ("years", 0.0, 120.0),  # ages, durations and divisors in years
    ("year", 1900.0, 2200.0),  # calendar years
    ("months", 0.0, 1440.0),
    ("days", 0.0, 366.0),
    ("children", 0.0, 100.0),
    ("persons", 0.0, 100.0),
    ("monthly pensions", 0.0, 1200.0),
    ("log points", -10.0, 10.0),
    ("ratio", 0.0, 100.0),
    ("elasticity", -100.0, 100.0),
)
"""Default valid range of a numeric parameter by unit, used when its file declares no ``range``."""


def default_range(unit: str) -> tuple[float, float]:
    """The default (min, max) of a numeric parameter in ``unit`` (`UNIT_RANGES`), else ±`MAX_MAGNITUDE`."""
    for prefix, low, high in UNIT_RANGES:
        if unit.startswith(prefix):
            return low, high
    return -MAX_MAGNITUDE, MAX_MAGNITUDE


def _number(x: float) -> str:
    """A bound as text: whole numbers with thousands separators, others as written."""
    return f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e16 else f"{x:g}"


class Reference(NamedTuple):
    """A citation: the source id (``model/sources.yaml``), the note on what in it supports the value, the text
    a reader sees (``[S32] Baker McKenzie InsightPlus, "..."; note``) and the page's URL if any."""

    source: str
    note: str | None
    title: str
    href: str | None


class Uprating(NamedTuple):
    """How a parameter's values grow after their date (the file's ``uprating``)."""

    by: str  # 'cpi' or 'wage' (an index of the macro path) or the path of a growth-rate parameter (fraction/year)
    base: date | None = None  # the date whose prices the values are in; None: each value's own date
    switch: str | None = None  # a boolean parameter: uprated only in months it is true; None: always


class DatedValue(NamedTuple):
    """One value and the date from which it is in force, with its citation or assumption."""

    date: date
    value: Value
    references: tuple[Reference, ...]
    assumption: bool
    reason: str | None
    target: str | None = None  # administrative-totals row the value was calibrated against
    calibrated_on: date | None = None  # when it was solved


@dataclass(frozen=True)
class ParameterInfo:
    """Everything known about one parameter; ``values`` are sorted by date."""

    path: str
    description: str
    label_en: str
    label_th: str
    unit: str
    uprating: Uprating | None
    values: tuple[DatedValue, ...]
    minimum: float = -MAX_MAGNITUDE  # valid range of a number parameter (the file's `range`, else by unit)
    maximum: float = MAX_MAGNITUDE
    uncertainty: Uncertainty | None = None  # the file's documented distribution, drawn by stochastic sweeps

    @property
    def kind(self) -> Kind:
        """``number``, ``bool`` or ``string`` (all dated values share one kind)."""
        return _kind(self.values[0].value)


@dataclass(frozen=True)
class NodeInfo:
    """The description and labels of a folder, from its ``index.yaml``."""

    path: str
    description: str
    label_en: str
    label_th: str


# --- file schema (pydantic) ---------------------------------------------------------------


def _kind(value: Value) -> Kind:
    if isinstance(value, bool):
        return "bool"
    return "string" if isinstance(value, str) else "number"


_Strict = Strict


class _LabelModel(_Strict):
    en: StrictStr = Field(min_length=1)
    th: StrictStr = Field(min_length=1)


class _ValueModel(Provenance):
    """A dated value with its provenance (`Provenance`: cited sources, or an assumption with its reason)."""

    value: Any
    calibrated: StrictBool = False
    target: StrictStr | None = None
    calibrated_on: Date | None = None

    @field_validator("value")
    @classmethod
    def _scalar(cls, value: Any) -> Value:
        if isinstance(value, bool) or (isinstance(value, str) and 0 < len(value) <= MAX_STRING_LENGTH):
            return value
        if isinstance(value, int | float) and math.isfinite(value):
            return value
        raise ValueError(f"must be a finite number, a boolean or a string of 1-{MAX_STRING_LENGTH} characters")

    @model_validator(mode="after")
    def _calibrated(self) -> _ValueModel:
        if self.calibrated != (self.target is not None) or self.calibrated != (self.calibrated_on is not None):
            raise ValueError("'calibrated: true' goes with 'target' (a row id of data/administrative_totals.csv) "
                             "and 'calibrated_on' (the date it was solved), and they only with it")
        if self.calibrated and not self.assumption:
            raise ValueError("a calibrated value is an assumption: it needs 'assumption: true' and a 'reason'")
        return self


_Bound = Annotated[StrictFloat, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


class _UpratingModel(_Strict):
    by: StrictStr = Field(min_length=1)
    base: Date | None = None
    switch: StrictStr | None = None


def _uprating_mapping(value: Any) -> Any:
    """``uprating: cpi`` is short for ``uprating: {by: cpi}``."""
    if isinstance(value, str):
        return {"by": value}
    if value is not None and not isinstance(value, dict):
        raise ValueError("must be null, 'cpi', 'wage', 'health', a growth-rate parameter path or a mapping {by, base, switch}")
    return value


class _RangeModel(_Strict):
    min: _Bound | None = None
    max: _Bound | None = None


class _ParameterModel(_Strict):
    description: StrictStr = Field(min_length=1)
    label: _LabelModel
    unit: StrictStr = Field(min_length=1)
    uprating: Annotated[_UpratingModel | None, BeforeValidator(_uprating_mapping)] = None
    range: _RangeModel | None = None
    values: dict[Date, _ValueModel] = Field(min_length=1)
    uncertainty: Uncertainty | None = None

    def bounds(self) -> tuple[float, float]:
        """The valid (min, max): the declared range, a missing bound taken from the unit's default."""
        low, high = default_range(self.unit)
        given = self.range or _RangeModel()
        return (low if given.min is None else given.min), (high if given.max is None else given.max)

    @model_validator(mode="after")
    def _in_range(self) -> _ParameterModel:
        kinds = {_kind(v.value) for v in self.values.values()}
        if self.range is not None and kinds != {"number"}:
            raise ValueError("'range' goes with number parameters only")
        low, high = self.bounds()
        if not low <= high:
            raise ValueError(f"range: min {_number(low)} is above max {_number(high)}")
        for when, v in self.values.items():
            if kinds == {"number"} and not low <= v.value <= high:
                raise ValueError(f"value on {_iso_key(when)} is {v.value}, outside the valid range "
                                 f"{_number(low)} to {_number(high)} [{self.unit}] (declare 'range' if it is right)")
        return self

    @field_validator("values")
    @classmethod
    def _one_kind(cls, values: dict[date, _ValueModel]) -> dict[date, _ValueModel]:
        kinds = sorted({_kind(v.value) for v in values.values()})
        if len(kinds) > 1:
            raise ValueError(f"values mix kinds {kinds}; all dated values must be numbers, booleans or strings")
        return values


class _IndexModel(_Strict):
    description: StrictStr = Field(min_length=1)
    label: _LabelModel


# --- loading ------------------------------------------------------------------------------


def _iso_key(key: Any) -> Any:
    return key.isoformat() if isinstance(key, date) and not isinstance(key, datetime) else key


def _parse(file: Path, schema: type[BaseModel]) -> Any:
    try:
        with file.open(encoding="utf-8") as handle:
            raw = read_yaml(handle)
    except yaml.YAMLError as exc:
        raise ParameterError(f"invalid parameter file {file}: not valid YAML ({' '.join(str(exc).split())})") from None
    if isinstance(raw, dict) and isinstance(raw.get("values"), dict):  # ISO keys read best in error locations
        raw["values"] = {_iso_key(k): v for k, v in raw["values"].items()}
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        raise ParameterError(validation_message(f"invalid parameter file {file}", exc, every=True)) from None


def _info(path: str, spec: _ParameterModel) -> ParameterInfo:
    values = tuple(
        DatedValue(
            when,
            v.value,
            tuple(Reference(r.source, r.note, cite(r.source, r.note), link(r.source, r.url)) for r in v.reference),
            v.assumption,
            v.reason,
            v.target,
            v.calibrated_on,
        )
        for when, v in sorted(spec.values.items())
    )
    low, high = spec.bounds()
    uprating = spec.uprating and Uprating(spec.uprating.by, spec.uprating.base, spec.uprating.switch)
    return ParameterInfo(path, spec.description, spec.label.en, spec.label.th, spec.unit, uprating, values,
                         float(low), float(high), spec.uncertainty)


def _build(roots: Mapping[str, Path]) -> ParameterTree:
    infos: dict[str, ParameterInfo] = {}
    nodes: dict[str, NodeInfo] = {}
    files: dict[str, Path] = {}
    for mount, root in roots.items():
        root = Path(root)
        if not root.is_dir():
            if mount in OPTIONAL_MOUNTS:
                continue
            raise ParameterError(f"parameter directory for mount '{mount}' not found: {root}")
        for file in sorted(root.rglob("*.yaml")):
            names = list(file.relative_to(root).with_suffix("").parts)
            bad = [n for n in names if not _NAME.match(n)]
            if bad:
                raise ParameterError(f"invalid parameter file {file}: name {bad[0]!r} must be lower_snake_case")
            parts = ([mount] if mount else []) + names
            if names[-1] == "index":
                node = _parse(file, _IndexModel)
                path = ".".join(parts[:-1])
                nodes[path] = NodeInfo(path, node.description, node.label.en, node.label.th)
                continue
            path = ".".join(parts)
            if path in infos:
                raise ParameterError(f"parameter path '{path}' is defined twice: {files[path]} and {file}")
            infos[path] = _info(path, _parse(file, _ParameterModel))
            files[path] = file
    prefixes = {".".join(p.split(".")[:i]) for p in infos for i in range(1, p.count(".") + 1)}
    for path, info in infos.items():
        if path in prefixes:
            raise ParameterError(f"invalid parameter file {files[path]}: '{path}' is both a parameter and a folder")
        if info.uprating is not None:
            _check_uprating(files[path], info, infos)
    return ParameterTree(infos, nodes)


def _check_uprating(file: Path, info: ParameterInfo, infos: Mapping[str, ParameterInfo]) -> None:
    """An uprating names a known index or a growth-rate parameter, and a boolean parameter as its switch."""
    by, _, switch = info.uprating
    if by not in UPRATING_INDICES and by not in infos:
        raise ParameterError(f"invalid parameter file {file}: uprating: must be null, 'cpi', 'wage', 'health' or a parameter path "
                             f"(got {by!r})")
    if by in infos and infos[by].kind != "number":
        raise ParameterError(f"invalid parameter file {file}: uprating: growth-rate parameter {by!r} is not a number")
    if info.kind != "number":
        raise ParameterError(f"invalid parameter file {file}: uprating: only number parameters can be uprated")
    if switch is not None and (switch not in infos or infos[switch].kind != "bool"):
        raise ParameterError(f"invalid parameter file {file}: uprating: switch must be a boolean parameter path "
                             f"(got {switch!r})")


@cache
def _default_tree() -> ParameterTree:
    return _build(DEFAULT_ROOTS)


def _as_date(when: date | str, what: str) -> date:
    try:
        return as_date(when)
    except ValueError:
        raise ParameterError(f"{what}: must be a date or an ISO date string YYYY-MM-DD "
                             f"(got {shorten(when, 80)})") from None


def _override_value(info: ParameterInfo, when: date, value: Any) -> Value:
    where = f"override of '{info.path}' on {when.isoformat()}"
    if info.kind == "number":
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ParameterError(f"{where}: must be a finite number in {info.unit} (got {shorten(value, 80)})")
        if not info.minimum <= value <= info.maximum:
            raise ParameterError(f"{where}: must be between {_number(info.minimum)} and {_number(info.maximum)} "
                                 f"[{info.unit}] (got {shorten(value, 80)})")
        return int(value) if isinstance(value, numbers.Integral) else float(value)
    if info.kind == "bool":
        if not isinstance(value, bool | np.bool_):
            raise ParameterError(f"{where}: must be true or false (got {shorten(value, 80)})")
        return bool(value)
    if not isinstance(value, str) or not 0 < len(value) <= MAX_STRING_LENGTH:
        raise ParameterError(f"{where}: must be a string of 1-{MAX_STRING_LENGTH} characters "
                             f"(got {shorten(value, 80)})")
    return value


# --- the tree -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ParameterTree:
    """An immutable set of parameters with date look-ups, cached monthly series and overrides."""

    _infos: Mapping[str, ParameterInfo]
    _nodes: Mapping[str, NodeInfo]
    _dates: dict[str, tuple[date, ...]] = field(init=False, repr=False)
    _monthly: dict[tuple[str, int], np.ndarray] = field(default_factory=dict, repr=False)
    # uprated monthly series by (path, year, whether indices were given): (values, the index values they read)
    _uprated: dict[tuple[str, int, bool], tuple[np.ndarray, tuple[tuple[str, int, float], ...]]] = field(
        default_factory=dict, repr=False)
    # a tree made by `with_overrides` shares the cached monthly series of the tree it overrides (`_base`) for
    # every path it does not override
    _base: ParameterTree | None = field(default=None, repr=False)
    _overridden: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        dates = {path: tuple(v.date for v in info.values) for path, info in self._infos.items()}
        object.__setattr__(self, "_dates", dates)

    @classmethod
    def load(cls, roots: Mapping[str, Path] | None = None) -> ParameterTree:
        """Parse and validate a tree; ``None`` returns the default tree, parsed once per process."""
        return _default_tree() if roots is None else _build(roots)

    def paths(self) -> tuple[str, ...]:
        """All parameter paths, sorted."""
        return tuple(sorted(self._infos))

    def __contains__(self, path: object) -> bool:
        return path in self._infos

    def info(self, path: str) -> ParameterInfo:
        """Metadata and dated values of ``path``; an unknown path raises with suggestions."""
        try:
            return self._infos[path]
        except (KeyError, TypeError):
            close = difflib.get_close_matches(str(path), list(self._infos), n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            raise ParameterError(f"unknown parameter path {str(path)!r}{hint}") from None

    def node(self, path: str) -> NodeInfo:
        """Description and labels of a folder that has an ``index.yaml``."""
        try:
            return self._nodes[path]
        except KeyError:
            raise ParameterError(f"no index.yaml describes parameter folder {path!r}") from None

    def entry(self, path: str, when: date | str) -> DatedValue:
        """The dated value of ``path`` in force on ``when`` (with its citation)."""
        info = self.info(path)
        day = _as_date(when, f"date for parameter '{path}'")
        dates = self._dates[path]
        index = bisect.bisect_right(dates, day) - 1
        if index < 0:
            raise ParameterError(
                f"parameter '{path}' has no value on {day.isoformat()}: its first value is dated {dates[0].isoformat()}"
            )
        return info.values[index]

    def get(self, path: str, when: date | str) -> Value:
        """The value of ``path`` in force on ``when`` (a date or ISO string), in the parameter's unit."""
        return self.entry(path, when).value

    def citation(self, path: str, when: date | str) -> str:
        """Short provenance of the value in force: ``title (href)`` per reference and/or ``assumption: reason``."""
        entry = self.entry(path, when)
        parts = [f"{r.title} ({r.href})" if r.href else r.title for r in entry.references]
        if entry.assumption:
            parts.append(f"assumption: {entry.reason}")
        return "; ".join(parts)

    def mid_year(self, path: str, year: int) -> Value:
        """The value of ``path`` in force on 1 July of calendar ``year`` (in its unit and type): the date of the
        population's ages and statuses, so the value that governs a yearly rule of that year."""
        return self.get(path, date(year, 7, 1))

    def uprated_monthly(self, path: str, year: int,
                        indices: Mapping[str, Mapping[int, float]] | None = None) -> np.ndarray:
        """The 12 values of ``path`` in force on the 1st of each month of ``year``, grown as its ``uprating`` says
        (float64, read-only); without ``uprating``, `monthly`. The one place uprating is applied.

        A value is grown over the whole years from its own date (or the uprating's ``base``) to the 1st of the
        month, compounding on each anniversary: by (1 + g) per anniversary, g the growth-rate parameter in force on
        it, or by the ratio of the named index (``indices[name]``: calendar year → index) between the year of the
        last anniversary and the base year. So annual dated values (a budget per fiscal year from 1 October) are
        used as they are, growth starts after the last one, and an override resets the level from its date. With
        a ``switch``, months in which the switch is off are not uprated. ``indices`` None: every index constant.

        Cached per (path, year) with the index values the series read, and used again only when ``indices`` holds
        the same values; a tree made by `with_overrides` uses the cache of the tree it overrides for a path when
        neither the path, its growth-rate parameter nor its switch is overridden.
        """
        uprating = self.info(path).uprating
        if uprating is None:
            return self.monthly(path, year)
        if self._base is not None and not {path, uprating.by, uprating.switch} & self._overridden:
            return self._base.uprated_monthly(path, year, indices)  # nothing it reads is overridden here
        key = (path, year, indices is None)
        cached = self._uprated.get(key)
        if cached is not None and all(indices.get(name, {}).get(y) == value for name, y, value in cached[1]):
            return cached[0]  # the same values of the same indices: the same series
        reads: list[tuple[str, int, float]] = []
        values = np.array(self.monthly(path, year), dtype=float)
        switch = self.monthly(uprating.switch, year) if uprating.switch else np.ones(12, dtype=bool)
        factors: dict[tuple[date, int], float] = {}  # (base date, anniversaries passed) → growth factor
        for month in range(12):
            if not switch[month]:
                continue
            day = date(year, month + 1, 1)
            base = uprating.base or self.entry(path, day).date
            years = day.year - base.year - ((day.month, day.day) < (base.month, base.day))
            if (base, years) not in factors:
                factors[base, years] = self._growth(path, uprating.by, base, years, indices, reads)
            values[month] *= factors[base, years]
        values.flags.writeable = False
        self._uprated[key] = (values, tuple(reads))
        return values

    def _growth(self, path: str, by: str, base: date, years: int, indices: Mapping[str, Mapping[int, float]] | None,
                reads: list[tuple[str, int, float]] | None = None) -> float:
        """Growth factor of `path` over `years` whole years from `base` by the index or growth-rate parameter `by`;
        the index values it reads are appended to `reads` as (index, year, value)."""
        if years < 0:
            raise ParameterError(f"parameter '{path}' is uprated from {base.isoformat()}: it has no value before that")
        if years == 0:  # no anniversary passed: nothing to grow by, whatever the index
            return 1.0
        if by not in UPRATING_INDICES:
            return math.prod(1.0 + self.get(by, base.replace(year=base.year + k)) for k in range(1, years + 1))
        if indices is None:
            return 1.0
        series = indices.get(by, {})
        missing = [y for y in (base.year, base.year + years) if y not in series]
        if missing:
            raise ParameterError(f"parameter '{path}' is uprated by the {by} index, which has no value for "
                                 f"{missing[0]}")
        if reads is not None:
            reads.extend((by, y, series[y]) for y in (base.year, base.year + years))
        return series[base.year + years] / series[base.year]

    def monthly(self, path: str, year: int) -> np.ndarray:
        """The 12 values in force on the 1st of each month of calendar ``year`` (read-only array).

        Numbers come back as float64, so an amount in THB/month changing on 1 Oct gives 9 old
        and 3 new months. Cached per (path, year).
        """
        key = (path, year)
        cached = self._monthly.get(key)
        if cached is not None:
            return cached
        if self._base is not None and path not in self._overridden:
            cached = self._monthly[key] = self._base.monthly(path, year)  # the same series, kept here too
            return cached
        if type(year) is not int and (isinstance(year, bool) or not isinstance(year, numbers.Integral)) \
                or not 1 <= year <= 9999:
            raise ParameterError(f"year for parameter '{path}': must be an integer calendar year "
                                 f"(got {shorten(year, 80)})")
        info = self.info(path)
        dates = self._dates[path]
        january, december = date(int(year), 1, 1), date(int(year), 12, 1)
        if january < dates[0]:
            self.entry(path, january)  # raises: no value yet
        dtype = {"number": float, "bool": bool, "string": object}[info.kind]
        first = bisect.bisect_right(dates, january) - 1
        if first == bisect.bisect_right(dates, december) - 1:  # one value in force all year
            cached = np.full(12, info.values[first].value, dtype=dtype)
        else:
            firsts = [date(int(year), month, 1) for month in range(1, 13)]
            cached = np.array([info.values[bisect.bisect_right(dates, day) - 1].value for day in firsts],
                              dtype=dtype)
        cached.flags.writeable = False
        self._monthly[key] = cached
        return cached

    def annual_sum(self, path: str, year: int) -> float:
        """Sum of the 12 monthly values: a THB/month amount becomes THB/year."""
        return float(self._numeric_monthly(path, year).sum())

    def annual_mean(self, path: str, year: int) -> float:
        """Mean of the 12 monthly values (e.g. the average rate in force over the year)."""
        return float(self._numeric_monthly(path, year).mean())

    def _numeric_monthly(self, path: str, year: int) -> np.ndarray:
        if self.info(path).kind != "number":
            raise ParameterError(f"parameter '{path}' is not numeric, so it has no annual sum or mean")
        return self.monthly(path, year)

    def with_overrides(self, overrides: Mapping[str, Mapping[date | str, Value]]) -> ParameterTree:
        """A new tree where ``{path: {date: value}}`` sets the parameter from each date on.

        The original tree is unchanged. A reform replaces the law from its first date: scheduled values
        dated on or after the earliest override date are dropped, so "the ceiling stays at 15,000 from
        2026" is one entry; several override dates for one path apply each from its own date.
        """
        infos = dict(self._infos)
        for path, dated in overrides.items():
            info = self.info(path)
            if not isinstance(dated, Mapping) or not dated:
                raise ParameterError(f"override of '{path}': must map dates to values (got {shorten(dated, 80)})")
            days: dict[date, Any] = {}
            for when, value in dated.items():
                day = _as_date(when, f"override date for '{path}'")
                if day in days:
                    raise ParameterError(f"override of '{path}': date {day.isoformat()} is given twice")
                days[day] = value
            entries = {v.date: v for v in info.values if v.date < min(days)}
            for day, value in days.items():
                entries[day] = DatedValue(day, _override_value(info, day, value), (), True, OVERRIDE_REASON)
            infos[path] = replace(info, values=tuple(entries[d] for d in sorted(entries)))
        base = self if self._base is None else self._base
        return ParameterTree(infos, self._nodes, _base=base, _overridden=self._overridden | set(overrides))

    def fingerprint(self) -> str:
        """SHA-256 hex of every parameter's dated values (numbers compared as floats); metadata excluded."""
        resolved = {
            path: [[v.date.isoformat(), float(v.value) if _kind(v.value) == "number" else v.value] for v in info.values]
            for path, info in self._infos.items()
        }
        text = json.dumps(resolved, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Print every parameter path with the value in force on ``--date``, its unit and provenance."""
    parser = argparse.ArgumentParser(prog="python -m model.parameters", description=main.__doc__)
    parser.add_argument("--date", default=date.today().isoformat(), help="ISO date (default: today)")
    args = parser.parse_args(argv)
    try:
        tree = ParameterTree.load()
        day = _as_date(args.date, "--date")
    except ParameterError as exc:
        print(exc, file=sys.stderr)
        return 2
    rows = [("parameter", "value", "unit", "provenance")]
    for path in tree.paths():
        if day < tree.info(path).values[0].date:
            rows.append((path, "-", tree.info(path).unit, "not yet in force"))
            continue
        entry = tree.entry(path, day)
        provenance = "source + assumption" if entry.references and entry.assumption else (
            "ASSUMPTION" if entry.assumption else "source")
        value = f"{entry.value:,}" if _kind(entry.value) == "number" else str(entry.value)
        rows.append((path, value, tree.info(path).unit, provenance))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
