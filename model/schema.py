"""What every YAML reader of the project shares: a strict base model, the citation of a source, the rule that a
value is cited or a stated assumption, and one formatter of validation errors.

A citation names a source id of the registry `model/sources.yaml` (see `model.sources`), either bare (``S83``)
or with a note on what in the source supports the value and, if it helps, the page it is on
(``{source: S83, note: "section 4", url: https://...}``). Every reader (parameters, macro assumptions,
calibration targets, scenarios, sweeps, the source registry itself) builds its models on `Strict` and reports a
`pydantic.ValidationError` through `validation_message`, so every message has the same shape:
``<file>: field '<where>': <problem> (got <value>)``.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, ValidationError, field_validator, model_validator

from .errors import shorten

SOURCE_ID_PATTERN = r"^(S\d+|S-[A-Za-z0-9]+|T\d+)$"
"""A source id: a fact-sheet key (S83), a named source (S-CGD2019a) or an administrative-totals key (T1)."""


def as_date(value: Any) -> dt.date:
    """A date as YAML gives it (a date, or a timestamp at midnight) or an ISO string; ValueError otherwise, numbers
    included (pydantic would read 2025 as a Unix timestamp in 1970)."""
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be a date YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(as_date)]
"""A field or key holding a date (`as_date`)."""


class Strict(BaseModel):
    """A model that refuses unknown keys and is immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    """One source a value rests on: its registry id, optionally what in it supports the value and a deep link."""

    source: StrictStr = Field(pattern=SOURCE_ID_PATTERN)
    note: StrictStr | None = Field(None, min_length=1)
    url: StrictStr | None = Field(None, pattern=r"^https?://\S+$")

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, data: Any) -> Any:
        return {"source": data} if isinstance(data, str) else data

    @field_validator("source")
    @classmethod
    def _known(cls, source: str) -> str:
        from .sources import source_ids  # the registry is itself read with this module's models

        if source not in source_ids():
            raise ValueError("not a source id of model/sources.yaml")
        return source


class Provenance(Strict):
    """A value's provenance: a non-empty `reference` list of citations, or `assumption: true` with a `reason`
    (or both)."""

    reference: list[Citation] = []
    assumption: StrictBool = False
    reason: StrictStr | None = None

    @model_validator(mode="after")
    def _cited(self) -> "Provenance":
        if self.assumption and not (self.reason or "").strip():
            raise ValueError("'assumption: true' needs a non-empty 'reason'")
        if self.reason is not None and not self.assumption:
            raise ValueError("'reason' is only allowed with 'assumption: true'")
        if not self.reference and not self.assumption:
            raise ValueError("needs a non-empty 'reference' list or 'assumption: true' with a 'reason'")
        return self


def location(loc: Iterable[Any]) -> str:
    """A pydantic error location as dotted text (``series.gdp.points.2023``); mapping-key markers dropped."""
    return ".".join(str(part) for part in loc if part != "[key]") or "(top level)"


def validation_message(source: str, error: ValidationError, *, every: bool = False,
                       locate: Callable[[tuple[Any, ...]], str] = location) -> str:
    """One line for a validation error: ``<source>: field '<where>': <problem> (got <value>)``.

    Only the first problem unless `every` (then all, joined by "; "). `locate` turns a location into text (e.g.
    to add the name of the list item). A missing field shows no value; any value is shortened to a few dozen
    characters.
    """
    problems = []
    for item in error.errors()[: None if every else 1]:
        where = locate(tuple(item["loc"]))
        where = where if len(where) <= 120 else where[:117] + "..."
        if item["type"] == "missing":
            problems.append(f"field '{where}': required field is missing")
            continue
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"].removeprefix("Value error, ")
        shown = "" if "(got " in message else f" (got {shorten(item.get('input'))})"
        problems.append(f"field '{where}': {message}{shown}")
    return f"{source}: " + "; ".join(problems)
