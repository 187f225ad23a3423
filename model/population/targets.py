"""Base-year calibration targets of the people layer, read from calibration_targets.yaml and validated.

Each target names the model measure it is compared with (see model.population.calibration), its value and unit,
a tolerance (relative or absolute), a role — `input` (the 2023 population is built from it), `check` (compared
only) or `reference` (shown, not tested) — and either its sources (`reference`: ids of model/sources.yaml) or `assumption: true` with a reason.
"""

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, model_validator

from ..errors import ModelInputError
from ..schema import Provenance, Strict, validation_message
from ..sources import cite
from ..yaml_files import read_yaml

TARGETS_FILE = Path(__file__).with_name("calibration_targets.yaml")


_Strict = Strict


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


class Target(Provenance):
    """One base-year (1 July 2023) calibration target, with its sources (`reference`) or an assumption."""

    name: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    value: float
    unit: str = Field(min_length=1)
    role: Literal["input", "check", "reference"]
    tolerance: Tolerance | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _tolerance(self) -> "Target":
        if (self.tolerance is None) != (self.role == "reference"):
            raise ValueError("'tolerance' is required for input and check targets and not allowed for references")
        return self

    @property
    def provenance(self) -> str:
        """Short source text: each citation, plus the assumption's reason."""
        parts = [cite(c.source, c.note) for c in self.reference]
        if self.assumption:
            parts.append(f"assumption: {self.reason}")
        return "; ".join(parts)


class TargetFile(_Strict):
    """The whole file: a description and the targets."""

    description: str = Field(min_length=1)
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


def load_targets(path: Path = TARGETS_FILE) -> Targets:
    """Parse and validate a targets file; any problem raises ModelInputError naming the field."""
    try:
        data = read_yaml(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ModelInputError(f"{path}: cannot read calibration targets ({' '.join(str(error).split())})") from None
    try:
        return Targets(TargetFile.model_validate(data).targets)
    except ValidationError as error:
        raise ModelInputError(validation_message(str(path), error, locate=lambda loc: _location(data, loc))) from None


@cache
def default_targets() -> Targets:
    """The shipped targets, parsed once per process."""
    return load_targets()
