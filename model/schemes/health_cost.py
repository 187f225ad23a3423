"""Health cost that ages: the age-cost profile of the health schemes and the decomposition of their cost.

Per member, the Universal Coverage Scheme's capitation and the CSMBS spending per beneficiary are the average cost at
the base year's age mix; a member of age a costs that average × profile(a) / A0, where profile is the scheme's
relative cost by age (`health_age_cost.yaml`, sourced and assumed parts marked) and A0 the mean profile of the
scheme's members in the first year computed for the population (the base year 2023 in a run), kept in
`persons.tables`. So the base year's totals are those of a flat cost per member, and the cost then rises as the
members age. The members weighted by profile / A0 are the scheme's age-weighted members (persons); they equal the
members in the base year.

The unit cost (THB per age-weighted member) grows, after the last published value, with the `health` index of the
macro path: nominal wages × (1 + `common.health_excess_cost_growth`) a year (`health_index`). Add-on funds outside
the UCS capitation follow their drivers, the age-weighted members and the unit cost; the NHSO's administration
follows wages.

Decomposition (`decomposition`): with N members, W age-weighted members, F the cost that follows neither (UCS
administration) and V = (cost − F) / W the unit cost, each year's cost is the base year's plus three parts, taken in
this order so that they add up exactly: members (N − N0) × a0 × V0, ageing N × (a − a0) × V0 with a = W / N, and unit
cost W × (V − V0) + F − F0.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import numpy as np
import xarray as xr
import yaml
from pydantic import Field, ValidationError, model_validator

from ..errors import ModelInputError
from ..parameters import ParameterTree
from ..population.axes import N_AGES
from ..schema import Provenance, Strict, validation_message
from ..yaml_files import read_yaml
from . import kernels
from .base import ByAge, YearContext
from .rows import by_row_blocks

PROFILE_FILE = Path(__file__).with_name("health_age_cost.yaml")
HEALTH_COST_SCHEMES: tuple[str, ...] = ("universal_coverage", "csmbs")
"""Schemes whose cost per member follows the age-cost profile."""
COMPONENTS: tuple[str, ...] = ("base_year", "members", "ageing", "unit_cost")
"""Parts of each year's health cost: the base year's cost and the three changes since (they sum to the cost)."""
EXCESS_GROWTH = "common.health_excess_cost_growth"
_BASE = "health_base."  # persons.tables key prefix: [mean profile A0, members N0 (persons)] of the base year


class Profile(Provenance):
    """Relative cost per member by age band: lower age bound -> relative cost (the bands run to the next bound)."""

    bands: dict[Annotated[int, Field(ge=0, le=100)], Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]]

    @model_validator(mode="after")
    def _from_zero(self) -> "Profile":
        if 0 not in self.bands:
            raise ValueError("bands: the first band must start at age 0")
        return self


class ProfileFile(Strict):
    title: str
    profiles: dict[str, Profile]

    @model_validator(mode="after")
    def _every_scheme(self) -> "ProfileFile":
        missing = [s for s in HEALTH_COST_SCHEMES if s not in self.profiles]
        if missing:
            raise ValueError(f"profiles: missing scheme {missing[0]!r}")
        return self


def profile_file(path: Path = PROFILE_FILE) -> ProfileFile:
    """The validated profile file; ModelInputError naming the field if it is malformed."""
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
        return ProfileFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise ModelInputError(f"{path.name}: cannot be read ({error})".replace("\n", " ")) from None
    except ValidationError as error:
        raise ModelInputError(validation_message(path.name, error)) from None


def provenances(path: Path = PROFILE_FILE) -> list[tuple[str, Provenance]]:
    """(field, provenance) of each scheme's profile."""
    return [(f"profiles.{scheme}", profile) for scheme, profile in profile_file(path).profiles.items()]


def load_profiles(path: Path = PROFILE_FILE) -> dict[str, np.ndarray]:
    """[age] relative cost per member of each scheme (ages 0..100), from the validated profile file."""
    out = {}
    for scheme, profile in profile_file(path).profiles.items():
        starts = sorted(profile.bands)
        values = np.array([profile.bands[s] for s in starts])
        out[scheme] = values[np.searchsorted(starts, np.arange(N_AGES), side="right") - 1]
    return out


_PROFILES: dict[str, np.ndarray] = load_profiles()


def relative_cost(ctx: YearContext, scheme: str, rows: np.ndarray) -> np.ndarray:
    """[rows] cost of each member relative to the base year's average member: profile(age) / A0. The first call
    for a population records its base (A0 and the members, persons)."""
    return relative_by_age(ctx, scheme, rows)[ctx.persons.age[rows]]


def ages_of(ctx: YearContext, rows: np.ndarray) -> np.ndarray:
    """[rows] the ages of `rows` as uint8 (0..100), gathered over blocks of rows on threads."""
    return by_row_blocks(kernels.ages_into, ctx.persons.age, rows, dtype=np.uint8)


def relative_by_age(ctx: YearContext, scheme: str, rows: np.ndarray, ages: np.ndarray | None = None) -> np.ndarray:
    """[age] cost of a member of each age relative to the base year's average member, profile / A0 (float64); the
    first call for a population records its base from the members `rows` (`ages`: theirs, uint8, when known)."""
    return _PROFILES[scheme] / _base_mean(ctx, scheme, rows, ages)


def weighted_and_cost(ctx: YearContext, scheme: str, rows: np.ndarray, unit: float) -> tuple[float, ByAge]:
    """(`relative_cost_sum` of the members `rows`, their cost `unit` × `relative_cost` (THB/year per member at
    `unit` THB/year per average member) held by age: `ByAge`, the members' ages and the cost of each age). Both
    sums (the relative costs', and the costs' total) are numpy's of the per-member arrays, made in one pass over
    the ages without those arrays (peak memory); each cost is unit × relative cost, as before one at a time."""
    ages = ages_of(ctx, rows)
    relative = relative_by_age(ctx, scheme, rows, ages)
    cost, weighted = ByAge.of(ages, relative * float(unit), relative)
    ctx.shared[f"relative_cost_sum.{scheme}"] = (rows, weighted)
    return weighted, cost


def _base_mean(ctx: YearContext, scheme: str, rows: np.ndarray, ages: np.ndarray | None = None) -> float:
    """A0, the mean profile of the scheme's members in the population's base year, recorded (with the members,
    persons) on the first call for the population with that year's members `rows` (`ages`: theirs, when known)."""
    key = _BASE + scheme
    if key not in ctx.persons.tables:
        mean = 1.0
        if rows.size:  # np.mean of profile[age[rows]]: numpy's sum of it (ByAge), over the members
            ages = ages_of(ctx, rows) if ages is None else ages
            mean = ByAge.of(ages, _PROFILES[scheme])[0].total / rows.size
        ctx.persons.tables[key] = np.array([mean, rows.size * ctx.persons.scale])
    return float(ctx.persons.tables[key][0])


def relative_cost_sum(ctx: YearContext, scheme: str, rows: np.ndarray) -> float:
    """The sum of the `relative_cost` of the members `rows` (row indices) of `scheme` (rows; × scale: the
    age-weighted members, persons), numpy's sum of them. The scheme's cost (`weighted_and_cost`) leaves its sum in
    `ctx.shared` for the same rows, taken (and forgotten: it holds the rows) by the first call here, so that the
    cost and the year's cost drivers sum them once."""
    kept = ctx.shared.pop(f"relative_cost_sum.{scheme}", None)
    if kept is not None and kept[0] is rows:
        return kept[1]
    ages = ages_of(ctx, rows)
    return ByAge.of(ages, relative_by_age(ctx, scheme, rows, ages))[0].total


def age_weighted_members(ctx: YearContext, scheme: str, rows: np.ndarray) -> float:
    """Age-weighted members (persons) of `scheme` whose members are `rows`: their `relative_cost_sum` × scale. A
    run's year takes it from each health scheme's result as soon as it is computed (model.fiscal.reductions)."""
    return relative_cost_sum(ctx, scheme, rows) * ctx.persons.scale


def base_members(ctx: YearContext, scheme: str) -> float:
    """Members of the scheme in the population's base year (persons; after `relative_cost` was called)."""
    return float(ctx.persons.tables[_BASE + scheme][1])


def driver_growth(ctx: YearContext, scheme: str, weighted: float) -> float:
    """Age-weighted members (`weighted`, persons) over the base year's members: how a cost driven by the members and
    their age (the UCS add-on funds) grows, the unit cost apart."""
    base = base_members(ctx, scheme)
    return weighted / base if base > 0 else 1.0


def health_index(params: ParameterTree, wage_index: Mapping[int, float]) -> dict[int, float]:
    """The `health` uprating index by calendar year, on the years of `wage_index`: the wage index × the compounded
    excess cost growth, (1 + excess(t)) for each year t after the first, excess read on 1 July of t (only its
    ratios between years are used)."""
    years = sorted(wage_index)
    out, excess = {}, 1.0
    for year in years:
        if year > years[0]:
            excess *= 1.0 + float(params.mid_year(EXCESS_GROWTH, year))
        out[year] = wage_index[year] * excess
    return out


def decomposition(benefit_cost: xr.DataArray, members: xr.DataArray, weighted: xr.DataArray,
                  fixed: xr.DataArray) -> xr.DataArray:
    """THB by (year, health_scheme, component): each year's cost as the first year's plus the changes due to the
    number of members, their ageing and the unit cost (module docstring); the components sum to `benefit_cost`.
    All inputs are over (year, health_scheme): cost and `fixed` cost in THB, members and age-weighted members in
    persons (on the years and schemes they share)."""
    inputs = [x.transpose("year", "health_scheme") for x in xr.align(benefit_cost, members, weighted, fixed)]
    return xr.DataArray(decomposition_values(*(x.values for x in inputs)), dims=("year", "health_scheme", "component"),
                        coords={"health_scheme": inputs[0]["health_scheme"].values, "year": inputs[0]["year"].values,
                                "component": list(COMPONENTS)})


def decomposition_values(benefit_cost: np.ndarray, members: np.ndarray, weighted: np.ndarray,
                         fixed: np.ndarray) -> np.ndarray:
    """`decomposition` on plain arrays over (year, health scheme): [year, scheme, component] THB, a transposed
    view of the components stacked first."""
    def per(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)

    unit = per(benefit_cost - fixed, weighted)
    age = per(weighted, members)
    n0, a0, v0, f0 = members[0], age[0], unit[0], fixed[0]
    out = np.empty((len(COMPONENTS), *benefit_cost.shape))
    out[0] = benefit_cost[0]
    out[1] = (members - n0) * a0 * v0
    out[2] = members * (age - a0) * v0
    out[3] = weighted * (unit - v0) + fixed - f0
    return out.transpose(1, 2, 0)


def drivers(ctx: YearContext, weighted: Mapping[str, float]) -> dict[str, np.ndarray]:
    """The year's cost drivers of each health scheme (HEALTH_COST_SCHEMES order): `health_members_age_weighted`
    (persons: `weighted[name]`, the scheme's `age_weighted_members`) and `health_fixed_cost` (THB, the cost that
    follows neither)."""
    from .registry import SCHEME_MODULES  # the registry imports the scheme modules, which import this one

    fixed = []
    for name in HEALTH_COST_SCHEMES:
        fixed_cost = getattr(SCHEME_MODULES[name], "fixed_monthly_cost", None)
        fixed.append(0.0 if fixed_cost is None else float(fixed_cost(ctx).sum()))
    return {"health_members_age_weighted": np.array([weighted[name] for name in HEALTH_COST_SCHEMES]),
            "health_fixed_cost": np.array(fixed)}


def decomposition_data(values: Mapping[str, np.ndarray], schemes: np.ndarray,
                       health_schemes: np.ndarray) -> tuple[np.ndarray, tuple] | None:
    """The result variable `health_cost_decomposition(year, health_scheme, component)` (THB) as (dims, values,
    attributes) from the stacked yearly records `values` (benefit cost and recipients over year and `schemes`,
    the health cost drivers over year and `health_schemes`), with the health_scheme labels it is on (those of
    `schemes`, HEALTH_COST_SCHEMES order); None without the drivers."""
    if "health_members_age_weighted" not in values:
        return None
    at = _positions(schemes, "scheme")
    by_scheme = [values[name][:, at] for name in ("benefit_cost", "recipients")]
    drivers_at = _positions(health_schemes, "health_scheme")
    weighted, fixed = (values[name][:, drivers_at] for name in ("health_members_age_weighted", "health_fixed_cost"))
    return np.asarray(schemes)[at], (("year", "health_scheme", "component"),
                                     decomposition_values(*by_scheme, weighted, fixed), {
        "units": "THB", "description": "health cost as the first year's cost plus the changes since due to the "
        "number of members, their ageing and the unit cost (model.schemes.health_cost); the components sum to "
        "benefit_cost"})


def _positions(labels: np.ndarray, dim: str) -> np.ndarray:
    """Positions of HEALTH_COST_SCHEMES among `labels` (of `dim`); KeyError naming one that is missing."""
    index = {label: i for i, label in enumerate(np.asarray(labels).tolist())}
    missing = [name for name in HEALTH_COST_SCHEMES if name not in index]
    if missing:
        raise KeyError(f"{dim}: {missing} not in the result's labels")
    return np.array([index[name] for name in HEALTH_COST_SCHEMES])
