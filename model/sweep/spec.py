"""The sweep file: YAML, parsed safely, validated with pydantic plus checks against the model's inputs.

A sweep runs one base scenario many times: every design point is the scenario plus overrides of scheme
parameters, macro series or demographic multipliers, each run with ``draws`` seeds (seed = base seed +
draw). An optional ``uncertainty`` section varies macro or demographic inputs across the draws as well.
Every error is a ModelInputError naming the file, the YAML path of the field and the bad value.

Schema (defaults in brackets)::

    name: oaa_levels                # required: letters, digits, _ . - (used in messages and results)
    description: ...                # [""]
    scenario: baseline              # [baseline] name in scenarios/ or a .yaml path (relative to this file)
    scale: 1000                     # [the scenario's] persons per row
    seed: 20230701                  # [the scenario's] seed of draw 0
    end_year: 2037                  # [the scenario's]
    design:                         # [one point: the scenario itself]
      kind: grid                    # [grid] grid | lhs | sobol | oat
      samples: 64                   # lhs: points; sobol: base samples N, a power of two (N(D+2) points)
      sample_seed: 0                # [0] seed of the lhs/sobol sample (draw variants use sample_seed + 1)
      second_order: false           # [false] sobol: also second-order indices (N(2D+2) points)
      parameters:                   # scheme parameter paths (see `python -m model.parameters`)
        old_age_allowance.amount.age_60_69: {values: [600, 800, 1000], from: 2025-10-01}
      macro:                        # overridable macro series (model.fiscal.macro.OVERRIDABLE), all years
        real_growth: {low: 0.01, high: 0.04}
      demography:                   # fertility_multiplier, mortality_multiplier, migration_multiplier
        fertility_multiplier: {low: 0.8, high: 1.2, levels: 3}
    uncertainty:                    # [none] varied across draws, the same variant at every point
      macro: {inflation: {low: 0.005, high: 0.03}}
      demography: {mortality_multiplier: {values: [0.9, 1.0, 1.1]}}
    draws: 3                        # [1] runs per point; >= 2 adds p5/p50/p95 bands
    outputs: [total_cost_pct_gdp_2037, ssf_depletion_year]   # required: names of model.outputs
    max_runs: 5000                  # [none] runs this sweep may start without --yes (replaces the default
                                    # limits of 2,000 runs and 6 estimated hours; see model.sweep.cost)

A factor is ``{values: [...]}`` (grids; uncertain factors cycle through them) or ``{low, high}`` (lhs,
sobol, oat, uncertainty; grids with ``levels``), with optional ``base`` (oat centre, default the
midpoint), ``integer: true`` (round samples) and, for parameters only and required there, ``from``.

The file is read by `model.yaml_files.read_input_yaml` (UTF-8, no YAML aliases, no duplicate keys: a factor
named twice is an error), and every parameter value is checked against the parameter's kind and valid range.
A parameter factor dated after the projection's last year warns (ModelInputWarning): it would change nothing.
"""

import datetime as dt
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError, model_validator

from .. import outputs
from ..errors import ModelInputError, ModelInputWarning, shorten
from ..schema import Date, Strict, validation_message
from ..fiscal.macro import OVERRIDABLE
from ..scenario import Demography, Scenario, load_scenario, safe_yaml
from ..yaml_files import read_input_file

MAX_SWEEP_BYTES = 1_000_000
MAX_RUNS = 100_000  # design points x draws
GROUPS = ("parameters", "macro", "demography")
Kind = Literal["grid", "lhs", "sobol", "oat"]


Finite = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Scalar = StrictBool | StrictInt | Finite | Annotated[StrictStr, Field(min_length=1, max_length=200)]


class _Strict(Strict):
    model_config = ConfigDict(populate_by_name=True)


class Range(_Strict):
    """The values one factor takes: a list (grid, or cycled over draws) or a numeric range low..high.

    ``levels`` spreads a grid evenly over low..high; ``base`` is the centre of a one-at-a-time design
    (default: the midpoint); ``integer`` rounds sampled values; ``from`` is the date a parameter
    override takes effect (parameters only).
    """

    values: list[Scalar] | None = Field(None, min_length=1, max_length=1000)
    low: Finite | None = None
    high: Finite | None = None
    levels: StrictInt | None = Field(None, ge=2, le=1000)
    base: Finite | None = None
    integer: StrictBool = False
    from_: Date | None = Field(None, alias="from")

    @model_validator(mode="after")
    def _values_or_range(self) -> "Range":
        has_range = self.low is not None or self.high is not None
        if (self.values is None) == (not has_range):
            raise ValueError("give either 'values' or both 'low' and 'high'")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both 'low' and 'high'")
        if has_range and not self.low < self.high:
            raise ValueError(f"'low' must be below 'high' (got low {self.low}, high {self.high})")
        if self.values is not None and (self.levels is not None or self.base is not None):
            raise ValueError("'levels' and 'base' go with 'low'/'high', not with 'values'")
        if self.base is not None and not self.low <= self.base <= self.high:
            raise ValueError(f"'base' must lie within low..high (got {self.base})")
        return self

    def numeric(self) -> bool:
        """Whether every value is a number (booleans excluded)."""
        if self.values is None:
            return True
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)


class Factors(_Strict):
    """Factors by group: scheme parameter paths, macro series names, demographic multipliers."""

    parameters: dict[str, Range] = {}
    macro: dict[str, Range] = {}
    demography: dict[str, Range] = {}


class DesignSection(Factors):
    """The design over the factors: its kind and, for lhs and sobol, the number of (base) samples."""

    kind: Kind = "grid"
    samples: StrictInt | None = Field(None, ge=1, le=MAX_RUNS)
    sample_seed: StrictInt = Field(0, ge=0, lt=2**32)
    second_order: StrictBool = False


class SweepFile(_Strict):
    """The whole sweep file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    description: str = ""
    scenario: StrictStr = "baseline"
    scale: Finite | None = None
    seed: StrictInt | None = None
    end_year: StrictInt | None = None
    design: DesignSection = DesignSection()
    uncertainty: Factors = Factors()
    draws: StrictInt = Field(1, ge=1, le=1000)
    outputs: list[StrictStr] = Field(min_length=1, max_length=100)
    max_runs: StrictInt | None = Field(None, ge=1, le=MAX_RUNS)


@dataclass(frozen=True)
class Factor:
    """One varied input: its group, its name in the group, and its values or range."""

    group: str
    name: str
    range: Range

    @property
    def label(self) -> str:
        """Coordinate name in results: the parameter path, or ``macro.NAME`` / ``demography.NAME``."""
        return self.name if self.group == "parameters" else f"{self.group}.{self.name}"


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: the file's content, the resolved base scenario, and the factors (parameters, then
    macro, then demography, each group in file order)."""

    spec: SweepFile
    scenario: Scenario
    factors: tuple[Factor, ...]
    uncertain: tuple[Factor, ...]
    source: str

    @property
    def draws(self) -> int:
        """Seeds (and uncertainty draws) per design point."""
        return self.spec.draws


def _fail(source: str, where: str, message: str, got: Any) -> ModelInputError:
    """The error for one field; the bad value is appended unless the message already shows it."""
    shown = "" if "(got " in message else f" (got {shorten(got)})"
    return ModelInputError(f"{source}: field '{where}': {message}{shown}")


def _shown(rng: Range) -> dict[str, Any]:
    """The fields of a factor as written in the file."""
    return rng.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def _factors(section: Factors) -> tuple[Factor, ...]:
    return tuple(Factor(group, name, rng) for group in GROUPS for name, rng in getattr(section, group).items())


def check_parameter_override(path: str, when: dt.date, value: Any) -> None:
    """Validation hook: the parameter tree accepts ``{path: {when: value}}`` (ParameterError otherwise)."""
    from ..parameters import ParameterTree

    ParameterTree.load().with_overrides({path: {when: value}})


def _range_values(rng: Range) -> list[Any]:
    """The values to check for one factor: its list, or its range ends (and base)."""
    if rng.values is not None:
        return list(rng.values)
    return [v for v in (rng.low, rng.high, rng.base) if v is not None]


def _check_factor(factor: Factor, where: str, source: str, end_year: int | None = None) -> None:
    rng = factor.range
    if factor.group != "parameters" and rng.from_ is not None:
        raise _fail(source, f"{where}.from", "only parameter overrides take a 'from' date", rng.from_.isoformat())
    if factor.group == "parameters" and rng.from_ is None:
        raise _fail(source, f"{where}.from", "a parameter override needs the date it takes effect", None)
    if factor.group == "parameters" and end_year is not None and rng.from_.year > end_year:
        warnings.warn(f"{source}: field '{where}.from': {rng.from_.isoformat()} is after the projection ends in "
                      f"{end_year}: the factor changes nothing", ModelInputWarning, stacklevel=4)
    for value in _range_values(rng):
        if rng.integer and (not rng.numeric() or value != int(value)):
            raise _fail(source, where, "an 'integer' factor needs whole-number values", value)
        if factor.group == "parameters":
            try:
                check_parameter_override(factor.name, rng.from_, value)
            except ModelInputError as error:
                raise _fail(source, where, str(error), value) from None
        elif factor.group == "macro":
            if factor.name not in OVERRIDABLE:
                raise _fail(source, where, f"not an overridable macro series ({', '.join(OVERRIDABLE)})", factor.name)
            low, high = OVERRIDABLE[factor.name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise _fail(source, where, f"macro series {factor.name} must be a number in {low}..{high}", value)
        else:
            if factor.name not in Demography.model_fields:
                raise _fail(source, where, f"not a demographic multiplier ({', '.join(Demography.model_fields)})",
                            factor.name)
            try:
                Demography.model_validate({factor.name: value})
            except ValidationError as error:
                raise _fail(source, where, error.errors()[0]["msg"], value) from None


def _check_design(design: DesignSection, factors: tuple[Factor, ...], source: str, end_year: int) -> None:
    kind = design.kind
    if kind in ("lhs", "sobol") and design.samples is None:
        raise _fail(source, "design.samples", f"{kind} designs need the number of samples", None)
    if kind in ("grid", "oat") and design.samples is not None:
        raise _fail(source, "design.samples", f"only lhs and sobol designs take samples, not {kind}", design.samples)
    if kind == "sobol" and design.samples & (design.samples - 1):
        raise _fail(source, "design.samples", "a sobol design needs a power of two (Saltelli/Sobol' sequence)",
                    design.samples)
    if kind != "grid" and not factors:
        raise _fail(source, "design", f"{kind} designs need at least one factor", kind)
    for factor in factors:
        where = f"design.{factor.group}.{factor.name}"
        rng = factor.range
        if kind == "grid" and rng.values is None and rng.levels is None:
            raise _fail(source, where, "a grid needs 'values' or 'low'/'high' with 'levels'", _shown(rng))
        if kind != "grid" and (rng.values is not None or rng.levels is not None):
            raise _fail(source, where, f"{kind} designs sample 'low'..'high'; 'values' and 'levels' are for grids",
                        _shown(rng))
        if kind != "oat" and rng.base is not None:
            raise _fail(source, f"{where}.base", "'base' is the centre of an oat design only", rng.base)
        _check_factor(factor, where, source, end_year)


def _check_uncertainty(uncertain: tuple[Factor, ...], designed: set[str], draws: int, source: str,
                       end_year: int) -> None:
    for factor in uncertain:
        where = f"uncertainty.{factor.group}.{factor.name}"
        if factor.label in designed:
            raise _fail(source, where, "a factor cannot be both in the design and uncertain", factor.name)
        if factor.range.levels is not None or factor.range.base is not None:
            raise _fail(source, where, "uncertain factors take 'values' or 'low'/'high' only", _shown(factor.range))
        if draws < 2:
            raise _fail(source, "draws", "uncertain factors vary across draws: give draws of 2 or more", draws)
        _check_factor(factor, where, source, end_year)


def design_size(spec: SweepFile, factors: tuple[Factor, ...]) -> int:
    """Number of design points."""
    kind, d = spec.design.kind, len(factors)
    if kind == "grid":
        return math.prod(len(f.range.values) if f.range.values is not None else f.range.levels for f in factors)
    if kind == "lhs":
        return spec.design.samples
    if kind == "sobol":
        return spec.design.samples * (2 * d + 2 if spec.design.second_order else d + 2)
    return 1 + 2 * d


def _resolve_scenario(spec: SweepFile, base_dir: Path, source: str) -> Scenario:
    ref = spec.scenario
    if ref.endswith((".yaml", ".yml")) and not Path(ref).is_absolute():
        ref = str(base_dir / ref)
    try:
        scenario = load_scenario(ref)
    except ModelInputError as error:
        raise _fail(source, "scenario", str(error), spec.scenario) from None
    try:
        return scenario.replaced(scale=spec.scale, seed=spec.seed, end_year=spec.end_year)
    except ModelInputError as error:
        raise ModelInputError(f"{source}: {error}") from None


def validate(data: Any, source: str, base_dir: Path, draws: int | None = None) -> Sweep:
    """A validated Sweep from parsed YAML; ``draws`` (e.g. from --draws) replaces the file's draws."""
    if not isinstance(data, dict):
        raise ModelInputError(f"{source}: a sweep file must be a YAML mapping of fields (got {type(data).__name__})")
    if draws is not None:
        data = {**data, "draws": draws}
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as error:
        raise ModelInputError(validation_message(source, error)) from None
    scenario = _resolve_scenario(spec, base_dir, source)
    if scenario.seed + spec.draws > 2**63:
        raise _fail(source, "seed", f"the seeds of {spec.draws} draws (seed + draw) must stay below 2**63", scenario.seed)
    factors, uncertain = _factors(spec.design), _factors(spec.uncertainty)
    _check_design(spec.design, factors, source, scenario.years.end)
    _check_uncertainty(uncertain, {f.label for f in factors}, spec.draws, source, scenario.years.end)
    for i, name in enumerate(spec.outputs):
        try:
            outputs.check_year(name, scenario.years.start, scenario.years.end)
        except ModelInputError as error:
            raise _fail(source, f"outputs.{i}", str(error), name) from None
        if name in spec.outputs[:i]:
            raise _fail(source, f"outputs.{i}", "output listed twice", name)
    runs = design_size(spec, factors) * spec.draws
    if runs > MAX_RUNS:
        raise _fail(source, "design", f"{runs:,} runs (points x draws) exceed the limit of {MAX_RUNS:,}",
                    spec.design.kind)
    return Sweep(spec, scenario, factors, uncertain, source)


def load_sweep(path: str | Path, draws: int | None = None) -> Sweep:
    """A validated Sweep from a YAML file; a relative scenario path is read from the file's folder."""
    path = Path(path)
    if not path.is_file():
        raise ModelInputError(f"sweep file {shorten(str(path), 200)}: no such file")
    return validate(read_input_file(path, path.name, MAX_SWEEP_BYTES), path.name, path.parent, draws)


def sweep_from_text(text: str | bytes, source: str = "sweep", base_dir: Path = Path("."),
                    draws: int | None = None) -> Sweep:
    """A validated Sweep from YAML text (or the bytes of a file)."""
    return validate(safe_yaml(text, source, MAX_SWEEP_BYTES), source, base_dir, draws)
