"""Scenario files: YAML, parsed safely, validated with pydantic, composable through `base`.

A scenario names a base scenario it extends, parameter overrides {path: {date: value}}, macro overrides,
demographic options, the scale (persons per row), the seed and the projection years. Every error names the
file, the YAML path of the field and the bad value.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ModelInputError
from .paths import SCENARIO_DIR
from .population import wpp
from .population.axes import BASE_YEAR
from .yaml_files import read_yaml

MAX_SCENARIO_BYTES = 1_000_000
ParameterOverrides = dict[str, dict[dt.date, Any]]


class Years(BaseModel):
    """Projection years, both included: the start is the base year of the data."""

    model_config = ConfigDict(extra="forbid")
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


class Demography(BaseModel):
    """Demographic variants: multipliers on the WPP medium-variant inputs (1.0 = as published)."""

    model_config = ConfigDict(extra="forbid")
    fertility_multiplier: float = Field(1.0, gt=0, le=3)
    mortality_multiplier: float = Field(1.0, gt=0, le=3)
    migration_multiplier: float = Field(1.0, ge=0, le=10)


class Financing(BaseModel):
    """New revenue a scenario names to pay for its extra government cost (it then does not add to debt)."""

    model_config = ConfigDict(extra="forbid")
    offsetting_revenue_pct_gdp: float = Field(0.0, ge=0.0, le=10.0)
    from_year: int = Field(BASE_YEAR, ge=BASE_YEAR)


class Scenario(BaseModel):
    """A fully resolved scenario (its base, if any, already merged in)."""

    model_config = ConfigDict(extra="forbid")
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

    @field_validator("parameters")
    @classmethod
    def _paths_look_like_paths(cls, value: ParameterOverrides) -> ParameterOverrides:
        for path in value:
            if not path or any(not part.isidentifier() for part in path.split(".")):
                raise ValueError(f"parameter path {path!r} is not a dotted name such as old_age_allowance.amount.age_60_69")
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
        return _validate(data, f"scenario {self.name!r}")


def _format_error(source: str, error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{source}: field '{where}': {message} (got {first.get('input')!r})"


def _validate(data: dict[str, Any], source: str) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ModelInputError(_format_error(source, error)) from None


def scenario_path(ref: str | Path) -> Path:
    """The file of a scenario given as a name in scenarios/ or a path; error if it does not exist."""
    path = Path(ref)
    if path.suffix not in (".yaml", ".yml"):
        path = SCENARIO_DIR / f"{ref}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")))
        raise ModelInputError(f"scenario {str(ref)!r}: no such file {path} (shipped scenarios: {known})")
    return path


def safe_yaml(text: str, source: str, max_bytes: int) -> Any:
    """Safe-load YAML text of at most `max_bytes` (no tags that build Python objects); errors name the source."""
    if len(text.encode()) > max_bytes:
        raise ModelInputError(f"{source}: file is larger than {max_bytes:,} bytes")
    try:
        return read_yaml(text)
    except yaml.YAMLError as error:
        raise ModelInputError(f"{source}: not valid YAML ({error})".replace("\n", " ")) from None


def parse_yaml(text: str, source: str) -> dict[str, Any]:
    """Safe-load one scenario mapping; size-limited; errors name the source."""
    data = safe_yaml(text, source, MAX_SCENARIO_BYTES)
    if not isinstance(data, dict):
        raise ModelInputError(f"{source}: a scenario must be a YAML mapping of fields (got {type(data).__name__})")
    return data


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
    data = parse_yaml(path.read_text(encoding="utf-8"), path.name)
    base = data.get("base")
    if base is None:
        return data
    if not isinstance(base, str):
        raise ModelInputError(f"{path.name}: field 'base': must be a scenario name or path (got {base!r})")
    base_ref = base if not base.endswith((".yaml", ".yml")) else str((path.parent / base))
    return _merge({k: v for k, v in _raw(base_ref, (*seen, path)).items() if k not in ("name", "description")}, data)


def load_scenario(ref: "str | Path | Scenario") -> Scenario:
    """A validated scenario from a name in scenarios/, a YAML path, or an existing Scenario."""
    if isinstance(ref, Scenario):
        return ref
    data = _raw(ref, ())
    return _validate(data, scenario_path(ref).name)


def scenario_from_text(text: str, source: str = "uploaded scenario") -> Scenario:
    """A validated scenario from YAML text (for uploads); `base` is resolved against scenarios/."""
    data = parse_yaml(text, source)
    if isinstance(data.get("base"), str):
        data = _merge({k: v for k, v in _raw(data["base"], ()).items() if k not in ("name", "description")}, data)
    return _validate(data, source)
