"""The app's levers: which parameters and macro series an analyst can change, and how a change becomes a scenario.

A scheme lever sets one dated parameter from its group's start date on (the values dated before it are kept,
later dated values of current law or of the reform are replaced, as in `ParameterTree.with_overrides`). A macro
lever shifts a series of the reform's macro path by a number of percentage points in every year from 2024.
"""

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..fiscal.macro import FIRST_OVERRIDE_YEAR, LAST_YEAR, load_macro, macro_file
from ..parameters import ParameterInfo, ParameterTree, Value
from ..scenario import Scenario
from ..sources import cite

HORIZON_END = dt.date(2037, 12, 31)
MACRO_SERIES = ("real_growth", "inflation", "interest_rate")
MACRO_SHIFT_PP = 5.0  # largest shift a macro lever allows, percentage points either way
MACRO_PATH_YEARS = (2024, 2030, 2037)  # years whose assumed value a macro lever's caption shows


@dataclass(frozen=True)
class Lever:
    """One scheme parameter; the widget shows `value * factor` in `unit` (a label key), within `bounds`.

    The bounds are the parameter's valid range (its file's `range`, else its unit's default; see
    `model.parameters`), the same range a scenario's override must respect, so no lever repeats a number of a
    parameter file. `low` and `high` (in shown units) may narrow that range where a widget needs a practical
    limit; they never widen it.
    """

    path: str
    unit: str
    step: float = 50
    factor: float = 1
    low: float | None = None
    high: float | None = None

    def bounds(self, info: ParameterInfo) -> tuple[float, float]:
        """(lowest, highest) value the widget accepts, in shown units."""
        low, high = info.minimum * self.factor, info.maximum * self.factor
        return (low if self.low is None else max(low, self.low)), (high if self.high is None else min(high, self.high))

    def shown(self, value: Value) -> Value:
        """The parameter value as the widget shows it (booleans and whole numbers unchanged)."""
        if isinstance(value, bool) or self.factor == 1:
            return value
        return round(float(value) * self.factor, 6)

    def stored(self, shown: Value) -> Value:
        """The parameter value for a widget value."""
        if isinstance(shown, bool) or self.factor == 1:
            return shown
        return round(float(shown) / self.factor, 8)


@dataclass(frozen=True)
class LeverGroup:
    """The levers of one scheme (`key` is the scheme name) and the default date they take effect."""

    key: str
    start: dt.date
    levers: tuple[Lever, ...]


_FY2026 = dt.date(2025, 10, 1)
GROUPS: tuple[LeverGroup, ...] = (
    LeverGroup("old_age_allowance", _FY2026, (
        Lever("old_age_allowance.amount.age_60_69", "unit.thb_month"),
        Lever("old_age_allowance.amount.age_70_79", "unit.thb_month"),
        Lever("old_age_allowance.amount.age_80_89", "unit.thb_month"),
        Lever("old_age_allowance.amount.age_90_plus", "unit.thb_month"),
        Lever("old_age_allowance.income_test.enabled", "unit.switch"),
    )),
    LeverGroup("disability_allowance", _FY2026, (
        Lever("disability_allowance.amount_adult", "unit.thb_month"),
        Lever("disability_allowance.amount_child", "unit.thb_month"),
    )),
    LeverGroup("child_support_grant", _FY2026, (
        Lever("child_support_grant.amount", "unit.thb_child_month"),
        Lever("child_support_grant.max_age", "unit.years", step=1),
        Lever("child_support_grant.universal", "unit.switch"),
    )),
    LeverGroup("welfare_card", _FY2026, (
        Lever("welfare_card.goods_credit.standard", "unit.thb_month"),
        Lever("welfare_card.transport_credit", "unit.thb_month"),
    )),
    LeverGroup("ssf_s33", dt.date(2026, 1, 1), (
        Lever("ssf_s33.contribution_rate.employee", "unit.pct_wage", step=0.25, factor=100),
        Lever("ssf_s33.contribution_rate.employer", "unit.pct_wage", step=0.25, factor=100),
        Lever("ssf_s33.contribution_rate.government", "unit.pct_wage", step=0.25, factor=100),
        Lever("ssf_s33.wage_ceiling", "unit.thb_month", step=500),
        Lever("ssf_s33.pension.age", "unit.years", step=1),
    )),
    LeverGroup("universal_coverage", dt.date(2026, 10, 1), (
        Lever("common.health_excess_cost_growth", "unit.pct_year", step=0.5, factor=100),
    )),
)


def group_start(group: LeverGroup, reform: Scenario) -> dt.date:
    """The earliest date the reform changes any of the group's parameters, else the group's default."""
    dates = [day for lever in group.levers for day in reform.parameters.get(lever.path, {})]
    return min(dates, default=group.start)


def reform_tree(reform: Scenario) -> ParameterTree:
    """Current law with the reform's parameter overrides."""
    return ParameterTree.load().with_overrides(reform.parameters)


def schedule(info: ParameterInfo, start: dt.date) -> list[tuple[dt.date, Value]]:
    """The value in force on `start` (with its date) and every later dated value up to the end of 2037."""
    in_force = [v for v in info.values if v.date <= start][-1:]
    later = [v for v in info.values if start < v.date <= HORIZON_END]
    return [(v.date, v.value) for v in (*in_force, *later)]


def with_levers(reform: Scenario, changes: Mapping[str, tuple[dt.date, Value]],
                shifts: Mapping[str, float]) -> Scenario:
    """The reform with each changed parameter {path: (start, value)} set from its start date on, and each macro
    series shifted by {series: percentage points}; the reform itself when nothing changed."""
    shifts = {series: pp for series, pp in shifts.items() if pp}
    if not changes and not shifts:
        return reform
    parameters = dict(reform.parameters)
    for path, (start, value) in changes.items():
        kept = {day: v for day, v in reform.parameters.get(path, {}).items() if day < start}
        parameters[path] = {**kept, start: value}
    macro = dict(reform.macro)
    for series, pp in shifts.items():
        macro[series] = shifted_path(reform.macro, series, pp)
    # the name says the reform was edited; results do not depend on name or description (fingerprints and the
    # remembered current-law runs leave them out)
    return reform.replaced(name=f"{reform.name}_edited"[:80], description=f"{reform.description} (edited in the app)",
                           parameters=parameters, macro=macro)


@lru_cache(maxsize=32)
def _macro_paths(overrides_json: str) -> dict[str, dict[int, float]]:
    macro = load_macro(json.loads(overrides_json))
    return {series: dict(zip(macro.years.tolist(), getattr(macro, series).tolist())) for series in MACRO_SERIES}


def macro_path(overrides: Mapping[str, object], series: str) -> dict[int, float]:
    """{year: value} of a macro series (a fraction) under the given macro overrides, 2023-2100."""
    return _macro_paths(json.dumps(overrides, sort_keys=True, default=str))[series]


def shifted_path(overrides: Mapping[str, object], series: str, pp: float) -> dict[int, float]:
    """The series under `overrides`, plus `pp` percentage points in every year from 2024: a macro override."""
    path = macro_path(overrides, series)
    return {year: round(path[year] + pp / 100, 6) for year in range(FIRST_OVERRIDE_YEAR, LAST_YEAR + 1)}


@lru_cache(maxsize=None)
def macro_citation(series: str) -> tuple[str, str]:
    """(source titles, assumptions with their years and reasons) of a macro series in the assumptions file."""
    spec = macro_file()
    data = getattr(spec.series, series)
    keys = dict.fromkeys(c.source for point in data.points.values() for c in point.reference)
    sources = "; ".join(cite(key) for key in keys)
    assumed = [f"{year}: {point.reason}" for year, point in data.points.items() if point.assumption]
    assumed.append(f"after {max(data.points)}: {data.extension.reason}")
    return sources, "; ".join(assumed)
