"""What a factor's value does to a scenario: replace, shift or multiply each of its targets.

A target is a scheme parameter, a macro series or a demographic multiplier (a linked factor has several).

- Macro series are changed around the scenario's own path, as `model.fiscal.macro.load_macro` produces it
  (framework years, extension rules and the scenario's overrides included): ``shift`` adds the value in every
  year from ``from`` (default 2024) to the projection's end, ``multiply`` multiplies, ``replace`` puts the
  value itself (a constant). The result is a ``{year: value}`` override, so a shift of 0 or a multiplier of 1
  leaves the scenario untouched and its run is the scenario's own run.
- Parameters: ``replace`` overrides the value from the ``from`` date (later scheduled values are replaced, as
  in a scenario); ``shift`` and ``multiply`` change the value in force on that date and every later dated
  value alike, so a scheduled change keeps its shape.
- Demographic multipliers: ``replace`` sets the multiplier, ``multiply`` scales the scenario's.
"""

import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import ModelInputError
from ..fiscal.macro import FIRST_OVERRIDE_YEAR, LAST_YEAR, MacroPath, load_macro
from ..scenario import Demography, Scenario

if TYPE_CHECKING:
    from .spec import Factor

NEUTRAL = {"shift": 0.0, "multiply": 1.0}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@functools.lru_cache(maxsize=16)
def _macro_path(key: str) -> MacroPath:
    return load_macro(json.loads(key, object_hook=_int_years))


def _int_years(mapping: dict[str, Any]) -> dict[Any, Any]:
    return {int(k) if k.isdigit() else k: v for k, v in mapping.items()}


def macro_path(macro: Mapping[str, Any]) -> MacroPath:
    """The macro path of a scenario's macro overrides (cached)."""
    return _macro_path(_key(dict(macro)))


@functools.lru_cache(maxsize=2)  # a parameter tree holds megabytes
def _tree(key: str) -> Any:
    from ..parameters import ParameterTree

    overrides = {path: {dt.date.fromisoformat(d): v for d, v in dated.items()} for path, dated in json.loads(key).items()}
    return ParameterTree.load().with_overrides(overrides)


def _transform(mode: str, current: float, value: float) -> float:
    if mode == "shift":
        return float(current + value)
    if mode == "multiply":
        return float(current * value)
    return value


def _macro(scenario: Scenario, name: str, mode: str, value: Any, start: int) -> dict[str, Any]:
    macro = dict(scenario.macro)
    if mode in NEUTRAL and value == NEUTRAL[mode]:
        return macro
    path = macro_path(macro)
    series = getattr(path, name)
    years = range(max(start, FIRST_OVERRIDE_YEAR), min(scenario.years.end, LAST_YEAR) + 1)
    changed = {y: _transform(mode, float(series[y - int(path.years[0])]), value) for y in years}
    existing = macro.get(name)
    if isinstance(existing, Mapping):
        merged = {**existing, **changed}
    elif existing is not None:
        merged = {**dict.fromkeys(range(FIRST_OVERRIDE_YEAR, scenario.years.end + 1), existing), **changed}
    else:
        merged = changed
    macro[name] = merged
    macro_path(macro)  # checks every value against the series' range (ModelInputError naming the series)
    return macro


def _parameter(scenario: Scenario, path: str, mode: str, value: Any, when: dt.date) -> dict[str, Any]:
    parameters = dict(scenario.parameters)
    own = parameters.get(path, {})
    if mode == "replace":
        entries = {when: value}
    elif value == NEUTRAL[mode]:
        return parameters
    else:
        tree = _tree(_key({p: {d.isoformat(): v for d, v in dated.items()} for p, dated in parameters.items()}))
        if isinstance(tree.get(path, when), bool | str):
            raise ModelInputError(f"parameter {path!r} is not a number: it cannot be {mode}ed")
        later = [e for e in tree.info(path).values if e.date > when]
        entries = {when: _transform(mode, tree.get(path, when), value),
                   **{e.date: _transform(mode, e.value, value) for e in later}}
    _tree(_key({path: {d.isoformat(): v for d, v in entries.items()}}))  # kind and range of every value
    parameters[path] = {**own, **entries}
    return parameters


def _demography(scenario: Scenario, name: str, mode: str, value: Any) -> Demography:
    demography = scenario.demography.model_dump()
    demography[name] = _transform(mode, demography[name], value) if mode == "multiply" else value
    try:
        return Demography.model_validate(demography)
    except ValidationError as error:
        raise ModelInputError(f"{error.errors()[0]['msg']} (got {demography[name]!r})") from None


def apply_value(scenario: Scenario, factor: "Factor", value: Any) -> Scenario:
    """The scenario with one factor's value applied to each of its targets; ModelInputError if a target would
    leave its valid range."""
    mode, start = factor.mode(), factor.range.from_
    changes: dict[str, Any] = {}
    current = scenario
    for group, name in factor.targets:
        if group == "macro":
            year = start.year if isinstance(start, dt.date) else (start or FIRST_OVERRIDE_YEAR)
            changes = {"macro": _macro(current, name, mode, value, year)}
        elif group == "parameters":
            changes = {"parameters": _parameter(current, name, mode, value, start)}
        else:
            changes = {"demography": _demography(current, name, mode, value)}
        current = current.model_copy(update=changes)
    return scenario.replaced(parameters=current.parameters, macro=current.macro,
                             demography=current.demography.model_dump())


def apply(scenario: Scenario, factors: Sequence["Factor"], values: Sequence[Any]) -> Scenario:
    """The scenario with each factor set to its value in turn, merged with the scenario's own overrides."""
    for factor, value in zip(factors, values):
        scenario = apply_value(scenario, factor, value)
    return scenario


__all__ = ["NEUTRAL", "apply", "apply_value", "macro_path"]
