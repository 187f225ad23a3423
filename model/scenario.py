"""Scenario files: YAML, parsed safely, validated with pydantic, composable through `base`.

A scenario names a base scenario it extends, parameter overrides {path: {date: value}}, macro overrides,
demographic options, the scale (persons per row), the seed and the projection years. Every error names the
file, the YAML path of the field and the bad value (shortened to a few dozen characters).

Files and uploads are read by `model.yaml_files.read_input_yaml`: UTF-8 only, no YAML aliases, no duplicate keys,
every YAML error an input error. A scenario read from a file or text also has its parameter overrides checked
against each parameter's kind and valid range (`ParameterTree.with_overrides`) and its macro overrides checked
(`model.fiscal.macro`); overrides dated wholly after the projection's last year warn (ModelInputWarning), since
they change nothing.
"""

import datetime as dt
import hashlib
import json
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import numpy as np

from pydantic import Field, ValidationError, field_validator

from .errors import ModelInputError, ModelInputWarning, shorten
from .paths import SCENARIO_DIR
from .population import wpp
from .population.axes import BASE_YEAR
from .schema import Date, Strict, as_date, validation_message
from .yaml_files import read_input_file, read_input_yaml

MAX_SCENARIO_BYTES = 1_000_000
MAX_LISTED = 5  # overrides named in one warning


def _date_or_none(value: Any) -> dt.date | None:
    try:
        return as_date(value)
    except ValueError:
        return None


ParameterOverrides = dict[str, dict[Date, Any]]


class Years(Strict):
    """Projection years, both included: the start is the base year of the data."""

    start: int = BASE_YEAR
    end: int = 2037

    @field_validator("start")
    @classmethod
    def _base_year(cls, start: int) -> int:
        if start != BASE_YEAR:
            raise ValueError(f"the projection starts from the {BASE_YEAR} base population; start must be {BASE_YEAR}")
        return start

    @field_validator("end")
    @classmethod
    def _in_data(cls, end: int) -> int:
        last = wpp.last_year()
        if not BASE_YEAR <= end <= last:
            raise ValueError(f"end year must be between {BASE_YEAR} and {last}, the last year the shipped data covers")
        return end


FertilityFactor = Annotated[float, Field(gt=0, le=3)]


class Demography(Strict):
    """Demographic variants: multipliers on the WPP medium-variant inputs (1.0 = as published).

    `fertility_path` {year: multiplier} scales the age-specific fertility rates from that calendar year on, until
    the next year listed (years before the first listed year: 1.0); it applies on top of `fertility_multiplier`.
    """

    fertility_multiplier: float = Field(1.0, gt=0, le=3)
    mortality_multiplier: float = Field(1.0, gt=0, le=3)
    migration_multiplier: float = Field(1.0, ge=0, le=10)
    fertility_path: dict[int, FertilityFactor] = {}

    @field_validator("fertility_path")
    @classmethod
    def _years_in_data(cls, path: dict[int, float]) -> dict[int, float]:
        last = wpp.last_year()
        for year in path:
            if not BASE_YEAR <= year <= last:
                raise ValueError(f"year {year} is outside the data: fertility_path years must be between "
                                 f"{BASE_YEAR} and {last}")
        return dict(sorted(path.items()))

    def fertility_factors(self, years: Sequence[int]) -> np.ndarray:
        """[year] multiplier of the age-specific fertility rates in each of `years` (fraction, 1.0 = WPP)."""
        factors = np.full(len(years), self.fertility_multiplier)
        for start, factor in self.fertility_path.items():  # sorted by year: later entries override
            factors[np.asarray(years) >= start] = self.fertility_multiplier * factor
        return factors


class Financing(Strict):
    """New revenue a scenario names to pay for its extra government cost (it then does not add to debt)."""

    offsetting_revenue_pct_gdp: float = Field(0.0, ge=0.0, le=10.0)
    from_year: int = Field(BASE_YEAR, ge=BASE_YEAR)


class Scenario(Strict):
    """A fully resolved scenario (its base, if any, already merged in)."""

    name: str = Field(min_length=1, max_length=80)
    description: str = ""
    base: str | None = None
    scale: float = Field(100.0, ge=1.0, le=100_000.0)
    seed: int = Field(20230701, ge=0, lt=2**63)
    years: Years = Years()
    parameters: ParameterOverrides = {}
    macro: dict[str, Any] = {}
    demography: Demography = Demography()
    financing: Financing = Financing()

    @field_validator("parameters", mode="before")
    @classmethod
    def _dates_once(cls, value: Any) -> Any:
        """The same date written twice (as a YAML date and as a string) would otherwise be merged silently."""
        if isinstance(value, Mapping):
            for path, dated in value.items():
                if isinstance(dated, Mapping) and len(dated) > 1:
                    seen: set[dt.date] = set()
                    for day in filter(None, map(_date_or_none, dated)):
                        if day in seen:
                            raise ValueError(f"override of {shorten(path)}: date {day} is given twice")
                        seen.add(day)
        return value

    @field_validator("parameters")
    @classmethod
    def _paths_look_like_paths(cls, value: ParameterOverrides) -> ParameterOverrides:
        for path in value:
            if not path or any(not part.isidentifier() for part in path.split(".")):
                raise ValueError(f"parameter path {shorten(path)} is not a dotted name such as "
                                 "old_age_allowance.amount.age_60_69")
        return value

    def fingerprint(self) -> str:
        """sha256 of everything that determines the results except the name and description."""
        payload = self.model_dump(mode="json", exclude={"name", "description", "base"})
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def replaced(self, **changes: Any) -> "Scenario":
        """A copy with some fields changed (None values ignored), validated again."""
        data = self.model_dump()
        for key, value in changes.items():
            if value is None:
                continue
            if key == "end_year":
                data["years"] = {**data["years"], "end": value}
            else:
                data[key] = value
        return _validate(data, f"scenario {self.name!r}", before=self)


def _validate(data: dict[str, Any], source: str, before: Scenario | None = None) -> Scenario:
    """The Scenario of `data`; warns of overrides after its last year (those not already late in `before`)."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ModelInputError(validation_message(source, error)) from None
    known = set() if before is None else set(_late_overrides(before))
    _warn_late_overrides([item for item in _late_overrides(scenario) if item not in known], scenario.years.end, source)
    return scenario


def _late_overrides(scenario: Scenario) -> list[str]:
    """Parameter and macro overrides dated wholly after the projection's last year: they change nothing."""
    end = scenario.years.end
    late = [f"parameters.{path} from {min(dated).isoformat()}" for path, dated in scenario.parameters.items()
            if dated and min(dated).year > end]
    late += [f"macro.{name} from {min(given)}" for name, given in scenario.macro.items()
             if isinstance(given, Mapping) and given and all(isinstance(y, int) and y > end for y in given)]
    return late


def _warn_late_overrides(late: list[str], end: int, source: str) -> None:
    if late:
        shown = ", ".join(late[:MAX_LISTED]) + (f" and {len(late) - MAX_LISTED} more" if len(late) > MAX_LISTED else "")
        warnings.warn(f"{source}: overrides dated after the projection ends in {end} have no effect: {shown}",
                      ModelInputWarning, stacklevel=3)


def _check_macro_values(macro: dict[str, Any]) -> None:
    """Macro overrides are finite numbers or {year: finite number} mappings; errors show the value shortened."""
    for name, given in macro.items():
        if not isinstance(name, str) or not name.isidentifier() or len(name) > 60:
            raise ModelInputError(f"macro: {shorten(name)} is not the name of a macro series")
        where = f"macro.{name}"
        by_year = given if isinstance(given, Mapping) else {None: given}
        for year, value in by_year.items():
            if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
                raise ModelInputError(f"{where}: year {shorten(year)} is not a calendar year")
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                at = "" if year is None else f" in {year}"
                raise ModelInputError(f"{where}: value{at} must be a finite number or a {{year: number}} mapping "
                                      f"(got {shorten(value)})")


def check_values(scenario: Scenario, source: str) -> None:
    """Every parameter override against its parameter's kind and valid range, and every macro override against
    its series' range; ModelInputError naming the source, the field, the date and the value."""
    from .fiscal.macro import load_macro
    from .parameters import ParameterTree

    try:
        ParameterTree.load().with_overrides(scenario.parameters)
    except ModelInputError as error:
        raise ModelInputError(f"{source}: field 'parameters': {error}") from None
    try:
        _check_macro_values(scenario.macro)
        load_macro(scenario.macro)
    except ModelInputError as error:
        raise ModelInputError(f"{source}: {error}") from None


def scenario_path(ref: str | Path) -> Path:
    """The file of a scenario given as a name in scenarios/ or a path; error if it does not exist."""
    path = Path(ref)
    if path.suffix not in (".yaml", ".yml"):
        path = SCENARIO_DIR / f"{ref}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")))
        raise ModelInputError(f"scenario {str(ref)!r}: no such file {path} (shipped scenarios: {known})")
    return path


def safe_yaml(text: str | bytes, source: str, max_bytes: int) -> Any:
    """A user's YAML document of at most `max_bytes`, read by `model.yaml_files.read_input_yaml` (UTF-8, no
    aliases, no duplicate keys, no tags that build Python objects); ModelInputError naming the source otherwise."""
    return read_input_yaml(text, source, max_bytes)


def _mapping(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ModelInputError(f"{source}: a scenario must be a YAML mapping of fields (got {type(data).__name__})")
    return data


def parse_yaml(text: str | bytes, source: str) -> dict[str, Any]:
    """Safe-load one scenario mapping; size-limited; errors name the source."""
    return _mapping(safe_yaml(text, source, MAX_SCENARIO_BYTES), source)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Child fields override the base; parameter overrides and macro overrides merge key by key."""
    merged = {**base, **child}
    for key in ("parameters", "macro", "demography", "years", "financing"):
        if isinstance(base.get(key), dict) and isinstance(child.get(key), dict):
            inner = dict(base[key])
            for k, v in child[key].items():
                inner[k] = {**inner[k], **v} if key == "parameters" and isinstance(inner.get(k), dict) and isinstance(v, dict) else v
            merged[key] = inner
    return merged


def _raw(ref: str | Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    path = scenario_path(ref).resolve()
    if path in seen:
        chain = " -> ".join(p.stem for p in (*seen, path))
        raise ModelInputError(f"{path.name}: field 'base': scenarios extend each other in a cycle ({chain})")
    data = _mapping(read_input_file(path, path.name, MAX_SCENARIO_BYTES), path.name)
    base = data.get("base")
    if base is None:
        return data
    if not isinstance(base, str):
        raise ModelInputError(f"{path.name}: field 'base': must be a scenario name or path (got {shorten(base)})")
    base_ref = base if not base.endswith((".yaml", ".yml")) else str((path.parent / base))
    return _merge({k: v for k, v in _raw(base_ref, (*seen, path)).items() if k not in ("name", "description")}, data)


def load_scenario(ref: "str | Path | Scenario") -> Scenario:
    """A validated scenario from a name in scenarios/, a YAML path, or an existing Scenario."""
    if isinstance(ref, Scenario):
        return ref
    data = _raw(ref, ())
    source = scenario_path(ref).name
    scenario = _validate(data, source)
    check_values(scenario, source)
    return scenario


def scenario_from_text(text: str | bytes, source: str = "uploaded scenario") -> Scenario:
    """A validated scenario from YAML text or the bytes of an upload; `base` is resolved against scenarios/."""
    data = parse_yaml(text, source)
    if isinstance(data.get("base"), str):
        data = _merge({k: v for k, v in _raw(data["base"], ()).items() if k not in ("name", "description")}, data)
    scenario = _validate(data, source)
    check_values(scenario, source)
    return scenario
