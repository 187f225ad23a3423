"""Base-year calibration targets of the people layer, read from calibration_targets.yaml and validated.

Each target names the model measure it is compared with (see model.population.calibration), its value and unit,
a tolerance (relative or absolute), a role — `input` (the 2023 population is built from it), `check` (compared
only) or `reference` (shown, not tested) — and either a source or `assumption: true` with a reason.
"""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from ..errors import ModelInputError
from ..yaml_files import read_yaml

TARGETS_FILE = Path(__file__).with_name("calibration_targets.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerance(_Strict):
    """Allowed |model − target|: a fraction of the target (relative) or in the target's unit (absolute)."""

    relative: float | None = Field(None, gt=0, le=1)
    absolute: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> "Tolerance":
        if (self.relative is None) == (self.absolute is None):
            raise ValueError("give exactly one of 'relative' or 'absolute'")
        return self

    def allowed(self, target: float) -> float:
        """The largest allowed |model − target|, in the target's unit."""
        return self.absolute if self.absolute is not None else self.relative * abs(target)


class Source(_Strict):
    """Where a value comes from: fact-sheet row key(s), a title naming the [S..] source, and a URL."""

    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    href: str | None = None


class Target(_Strict):
    """One base-year (1 July 2023) calibration target."""

    name: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    value: float
    unit: str = Field(min_length=1)
    role: Literal["input", "check", "reference"]
    tolerance: Tolerance | None = None
    source: Source | None = None
    assumption: StrictBool = False
    reason: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _provenance(self) -> "Target":
        if self.assumption and not (self.reason or "").strip():
            raise ValueError("'assumption: true' needs a non-empty 'reason'")
        if self.reason is not None and not self.assumption:
            raise ValueError("'reason' is only allowed with 'assumption: true'")
        if self.source is None and not self.assumption:
            raise ValueError("needs a 'source' or 'assumption: true' with a 'reason'")
        if (self.tolerance is None) != (self.role == "reference"):
            raise ValueError("'tolerance' is required for input and check targets and not allowed for references")
        return self

    @property
    def provenance(self) -> str:
        """Short source text: key and title, plus the assumption's reason."""
        parts = [f"{self.source.key}: {self.source.title}"] if self.source else []
        if self.assumption:
            parts.append(f"assumption: {self.reason}")
        return "; ".join(parts)


class TargetFile(_Strict):
    """The whole file: a description, shared sources (YAML anchors the targets refer to) and the targets."""

    description: str = Field(min_length=1)
    sources: list[Source] = []
    targets: list[Target] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "TargetFile":
        seen: set[str] = set()
        for t in self.targets:
            if t.name in seen:
                raise ValueError(f"target name {t.name!r} appears twice")
            seen.add(t.name)
        return self


class Targets:
    """Validated targets by name."""

    def __init__(self, targets: list[Target]):
        self.by_name = {t.name: t for t in targets}

    def __getitem__(self, name: str) -> Target:
        try:
            return self.by_name[name]
        except KeyError:
            raise ModelInputError(f"{TARGETS_FILE.name}: no target named {name!r}") from None

    def value(self, name: str) -> float:
        """The target value of `name`, in its unit."""
        return self[name].value


def _location(data: object, loc: tuple) -> str:
    """`targets[3].tolerance (target 'employed')` from a pydantic error location."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    try:
        text += f" (target {data['targets'][loc[1]]['name']!r})"  # type: ignore[index]
    except (IndexError, KeyError, TypeError):
        pass
    return text or "(top level)"


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_targets(path: Path = TARGETS_FILE) -> Targets:
    """Parse and validate a targets file; any problem raises ModelInputError naming the field."""
    try:
        data = read_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ModelInputError(f"{path}: cannot read calibration targets ({' '.join(str(error).split())})") from None
    try:
        return Targets(TargetFile.model_validate(data).targets)
    except ValidationError as error:
        first = error.errors()[0]
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
        where = _location(data, first["loc"])
        raise ModelInputError(f"{path}: field '{where}': {message} (got {_short(first.get('input'))})") from None


@cache
def default_targets() -> Targets:
    """The shipped targets, parsed once per process."""
    return load_targets()
