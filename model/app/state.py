"""The page's settings as the query string of its address, so that a reload keeps a reform and a link shares it.

    ?lang=th&baseline=baseline&reform=oaa_ladder_2025&precision=preview
     &set=old_age_allowance.amount.age_60_69@2025-10-01=1500&shift=real_growth=-0.5

`set` (repeated) is a parameter override `path@date=value` in the parameter's own unit (a fraction, not a
percent; `true`/`false` for switches), `shift` (repeated) a macro lever `series=percentage points`. Reading
never fails: anything unknown or invalid is left out and named in `Settings.ignored`, which the page shows.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import ModelInputError
from ..parameters import ParameterTree, Value
from . import levers

LANGS = ("en", "th")
PRECISIONS = ("preview", "full")
Edits = dict[str, tuple[dt.date, Value]]


@dataclass
class Settings:
    """What the address holds; None where it says nothing."""

    lang: str | None = None
    baseline: str | None = None
    reform: str | None = None
    precision: str | None = None
    edits: Edits = field(default_factory=dict)
    shifts: dict[str, float] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def value_text(value: Value) -> str:
    """A parameter value as the address writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def to_query(settings: Settings) -> dict[str, str | list[str]]:
    """The query parameters of the settings (keys left out where a setting is None or empty)."""
    query: dict[str, str | list[str]] = {key: value for key in ("lang", "baseline", "reform", "precision")
                                         if (value := getattr(settings, key)) is not None}
    if settings.edits:
        query["set"] = [f"{path}@{day.isoformat()}={value_text(value)}"
                        for path, (day, value) in sorted(settings.edits.items())]
    if settings.shifts:
        query["shift"] = [f"{series}={pp:g}" for series, pp in sorted(settings.shifts.items()) if pp]
    return query


def _edit(text: str, tree: ParameterTree) -> tuple[str, dt.date, Value]:
    """`path@date=value` checked against the parameter's kind and range; ModelInputError otherwise."""
    try:
        where, raw = text.split("=", 1)
        path, day_text = where.split("@", 1)
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise ModelInputError(f"set: expected path@YYYY-MM-DD=value (got {text[:60]!r})") from None
    kind = tree.info(path).kind
    value: Value
    if kind == "bool":
        if raw not in ("true", "false"):
            raise ModelInputError(f"set: {path} is a switch: true or false (got {raw[:20]!r})")
        value = raw == "true"
    elif kind == "number":
        number = float(raw)
        value = int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number
    else:
        value = raw
    tree.with_overrides({path: {day: value}})  # the parameter's own validation: kind and valid range
    return path, day, value


def from_query(query: Mapping[str, Sequence[str]], scenarios: Sequence[str]) -> Settings:
    """The settings in a query string ({key: all its values}); every part that is unknown or invalid is left out
    and named in `ignored`."""
    settings = Settings()
    allowed = {"lang": LANGS, "precision": PRECISIONS, "baseline": scenarios, "reform": scenarios}
    for key, options in allowed.items():
        values = list(query.get(key, []))
        if values and values[-1] in options:
            setattr(settings, key, values[-1])
        elif values:
            settings.ignored.append(f"{key}={values[-1][:40]}")
    tree = ParameterTree.load()
    for text in query.get("set", []):
        try:
            path, day, value = _edit(text, tree)
            settings.edits[path] = (day, value)
        except (ModelInputError, ValueError):
            settings.ignored.append(f"set={text[:60]}")
    for text in query.get("shift", []):
        series, _, raw = text.partition("=")
        try:
            pp = float(raw)
        except ValueError:
            pp = float("nan")
        if series in levers.MACRO_SERIES and abs(pp) <= levers.MACRO_SHIFT_PP:
            settings.shifts[series] = pp
        else:
            settings.ignored.append(f"shift={text[:40]}")
    return settings
