"""The sweep file: YAML, parsed safely, validated with pydantic plus checks against the model's inputs.

A sweep runs one base scenario many times: every design point is the scenario plus changes of scheme
parameters, macro series or demographic multipliers, each run with ``draws`` seeds (seed = base seed +
draw). An optional ``uncertainty`` section varies inputs across the draws as well (then each point also has a
centre run without them). Every error is a ModelInputError naming the file, the YAML path of the field and the
bad value.

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
      macro:                        # overridable macro series (model.fiscal.macro.OVERRIDABLE); apply required
        real_growth: {apply: shift, low: -0.01, high: 0.01, from: 2026}
      demography:                   # fertility_multiplier, mortality_multiplier, migration_multiplier
        fertility_multiplier: {low: 0.8, high: 1.2, levels: 3}
      linked:                       # one value for several targets (parameter paths, macro.NAME, demography.NAME)
        flat: {set: [old_age_allowance.amount.age_60_69, old_age_allowance.amount.age_70_79],
               values: [900, 1200], from: 2025-10-01}
    uncertainty:                    # [none] varied across draws, the same variant at every point
      macro: {inflation: {apply: shift, distribution: normal, mean: 0, sd: 0.0075, from: 2026}}
      demography: {mortality_multiplier: {values: [0.9, 1.0, 1.1]}}     # listed values are taken in turn
      linked: {...}
      correlation: {factors: [macro.inflation, ...], matrix: [[1, 0.5], [0.5, 1]]}   # Gaussian copula
      parameter_files: false        # [false] true: also every parameter whose file has an `uncertainty:` entry
    draws: 3                        # [1] runs per point; >= 2 adds quantile bands and breach probabilities
    outputs: [total_cost_pct_gdp_2037, ssf_depletion_year]   # required: names of model.outputs
    max_runs: 5000                  # [none] runs this sweep may start without --yes (replaces the default
                                    # limits of 2,000 runs and 6 estimated hours; see model.sweep.cost)

A factor is ``{values: [...]}`` (grids; uncertain factors take them in turn), ``{low, high}`` (uniform: lhs,
sobol, oat, uncertainty; grids with ``levels``) or a distribution of `model.distributions` (``distribution:
normal|lognormal|triangular|uniform|discrete`` and its parameters; lhs, sobol and uncertainty sample it, oat uses
its 5% and 95% points as ends and its centre as centre), with optional ``base`` (oat centre), ``integer: true``
(round samples), ``apply`` (replace, shift or multiply: `model.sweep.targets`; required for macro series),
``from`` (parameters: the date, required; macro series: the first year changed, default 2024) and ``note``.

The file is read by `model.yaml_files.read_input_yaml` (UTF-8, no YAML aliases, no duplicate keys: a factor
named twice is an error), and every value a factor can take (its values, range ends, a distribution's 0.01% and
99.99% points, applied to the scenario's own path or parameter values) is checked against the target's kind and
valid range. A parameter factor dated after the projection's last year warns (ModelInputWarning): it would
change nothing.
"""

import datetime as dt
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError, model_validator

from .. import outputs
from ..distributions import PARAMETERS, Distribution, check_correlation
from ..errors import ModelInputError, ModelInputWarning, shorten
from ..schema import Date, Strict, validation_message
from ..fiscal.macro import FIRST_OVERRIDE_YEAR, OVERRIDABLE
from ..scenario import Demography, Scenario, load_scenario, safe_yaml
from ..yaml_files import read_input_file
from .targets import apply_value

MAX_SWEEP_BYTES = 1_000_000
MAX_RUNS = 100_000  # design points x draws
GROUPS = ("parameters", "macro", "demography", "linked")
Kind = Literal["grid", "lhs", "sobol", "oat"]


Finite = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Apply = Literal["replace", "shift", "multiply"]
APPLY_HELP = ("'shift' (added to the scenario's own path: 0 is the path itself), 'multiply' (the path times the "
              "value: 1 is the path itself) or 'replace' (the value in every year)")


class _Strict(Strict):
    model_config = ConfigDict(populate_by_name=True)


class Range(Distribution):
    """The values one factor takes: a list (grid, or cycled over draws), a range low..high, or a distribution
    (`model.distributions`: normal, lognormal, triangular, uniform, discrete).

    ``levels`` spreads a grid evenly over low..high; ``base`` is the centre of a one-at-a-time design (default:
    the distribution's centre); ``integer`` rounds sampled values; ``apply`` says what the value does to its
    target (replace, shift, multiply; required for macro series); ``from`` is the date a parameter override takes
    effect or the first year a macro series is changed; ``set`` lists the targets of a linked factor; ``note``
    documents where the range comes from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    levels: StrictInt | None = Field(None, ge=2, le=1000)
    base: Finite | None = None
    integer: StrictBool = False
    from_: Date | StrictInt | None = Field(None, alias="from")
    apply: Apply | None = None
    set: list[Annotated[StrictStr, Field(min_length=1, max_length=200)]] | None = Field(None, min_length=1,
                                                                                          max_length=100)
    note: StrictStr | None = None

    @model_validator(mode="after")
    def _grid_fields(self) -> "Range":
        if (self.levels is not None or self.base is not None) and self.kind != "uniform":
            raise ValueError("'levels' and 'base' go with 'low'/'high', not with 'values' or other distributions")
        if self.base is not None and not self.low <= self.base <= self.high:
            raise ValueError(f"'base' must lie within low..high (got {self.base})")
        return self

    def cycled(self) -> bool:
        """Values listed without a distribution: grid values, or taken in turn by uncertain draws."""
        return self.values is not None and self.distribution is None


class Factors(_Strict):
    """Factors by group: scheme parameter paths, macro series names, demographic multipliers, and linked factors
    (one value setting several targets, named in `set`)."""

    parameters: dict[str, Range] = {}
    macro: dict[str, Range] = {}
    demography: dict[str, Range] = {}
    linked: dict[Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,59}$")], Range] = {}


class DesignSection(Factors):
    """The design over the factors: its kind and, for lhs and sobol, the number of (base) samples."""

    kind: Kind = "grid"
    samples: StrictInt | None = Field(None, ge=1, le=MAX_RUNS)
    sample_seed: StrictInt = Field(0, ge=0, lt=2**32)
    second_order: StrictBool = False


class Correlation(_Strict):
    """Correlations of uncertain factors (a Gaussian copula): the factors' labels and their correlation matrix."""

    factors: list[StrictStr] = Field(min_length=2, max_length=50)
    matrix: list[list[Annotated[float, Field(allow_inf_nan=False)]]]


class UncertaintySection(Factors):
    """Factors varied across draws, optionally correlated, and optionally every parameter whose file documents
    an `uncertainty:` distribution."""

    correlation: Correlation | None = None
    parameter_files: StrictBool = False


class SweepFile(_Strict):
    """The whole sweep file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    description: str = ""
    scenario: StrictStr = "baseline"
    scale: Finite | None = None
    seed: StrictInt | None = None
    end_year: StrictInt | None = None
    design: DesignSection = DesignSection()
    uncertainty: UncertaintySection = UncertaintySection()
    draws: StrictInt = Field(1, ge=1, le=1000)
    outputs: list[StrictStr] = Field(min_length=1, max_length=100)
    max_runs: StrictInt | None = Field(None, ge=1, le=MAX_RUNS)


@dataclass(frozen=True)
class Factor:
    """One varied input: its group, its name in the group, its values or distribution, and its targets
    ((group, name) pairs: itself, or the inputs a linked factor sets)."""

    group: str
    name: str
    range: Range
    targets: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """Coordinate name in results: the parameter path, or ``macro.NAME`` / ``demography.NAME`` /
        ``linked.NAME``."""
        return self.name if self.group == "parameters" else f"{self.group}.{self.name}"

    def mode(self) -> str:
        """What the value does to each target: replace (default), shift or multiply."""
        return self.range.apply or "replace"


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: the file's content, the resolved base scenario, the factors (parameters, macro,
    demography, linked, each group in file order), the uncertain factors and their correlation matrix (over
    `correlated`, labels of uncertain factors)."""

    spec: SweepFile
    scenario: Scenario
    factors: tuple[Factor, ...]
    uncertain: tuple[Factor, ...]
    source: str
    correlated: tuple[str, ...] = ()
    correlation: tuple[tuple[float, ...], ...] = ()

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


def target_of(text: str) -> tuple[str, str]:
    """The (group, name) of a linked factor's target: ``macro.NAME``, ``demography.NAME`` or a parameter path."""
    group, _, name = text.partition(".")
    if group in ("macro", "demography") and name:
        return group, name
    return "parameters", text


def _factors(section: Factors) -> tuple[Factor, ...]:
    found = []
    for group in GROUPS:
        for name, rng in getattr(section, group).items():
            targets = tuple(target_of(t) for t in rng.set or ()) if group == "linked" else ((group, name),)
            found.append(Factor(group, name, rng, targets))
    return tuple(found)


def check_parameter_override(path: str, when: dt.date, value: Any) -> None:
    """Validation hook: the parameter tree accepts ``{path: {when: value}}`` (ParameterError otherwise)."""
    from ..parameters import ParameterTree

    ParameterTree.load().with_overrides({path: {when: value}})


def _range_values(rng: Range) -> list[Any]:
    """The values to check for one factor: its list, or its range ends (and base), or its distribution's
    extremes."""
    if rng.values is not None:
        return list(rng.values)
    return [*rng.extremes(), *([rng.base] if rng.base is not None else [])]


def _check_factor(factor: Factor, where: str, source: str, scenario: Scenario) -> None:
    rng, end_year = factor.range, scenario.years.end
    if factor.group == "linked" and not rng.set:
        raise _fail(source, f"{where}.set", "a linked factor needs 'set': the targets its value sets", None)
    if factor.group != "linked" and rng.set is not None:
        raise _fail(source, f"{where}.set", "only linked factors take 'set'", rng.set)
    for group, name in factor.targets:
        if group == "macro" and name not in OVERRIDABLE:
            raise _fail(source, where, f"not an overridable macro series ({', '.join(OVERRIDABLE)})", name)
        if group == "demography" and (name not in Demography.model_fields or name == "fertility_path"):
            raise _fail(source, where, "not a demographic multiplier (fertility_multiplier, mortality_multiplier, "
                        "migration_multiplier)", name)
    groups = {group for group, _ in factor.targets}
    if "macro" in groups and rng.apply is None:
        raise _fail(source, f"{where}.apply", f"a macro factor needs 'apply': {APPLY_HELP}", None)
    if "demography" in groups and rng.apply == "shift":
        raise _fail(source, f"{where}.apply", "demographic multipliers are replaced or multiplied, not shifted",
                    rng.apply)
    if rng.apply in ("shift", "multiply") and not rng.numeric():
        raise _fail(source, f"{where}.apply", f"'{rng.apply}' needs numbers", _shown(rng))
    if groups <= {"demography"} and rng.from_ is not None:
        raise _fail(source, f"{where}.from", "demographic multipliers take no 'from'", rng.from_)
    if "parameters" in groups:
        if rng.from_ is None:
            raise _fail(source, f"{where}.from", "a parameter override needs the date it takes effect", None)
        if not isinstance(rng.from_, dt.date):
            raise _fail(source, f"{where}.from", "must be a date YYYY-MM-DD", rng.from_)
        if rng.from_.year > end_year:
            warnings.warn(f"{source}: field '{where}.from': {rng.from_.isoformat()} is after the projection ends in "
                          f"{end_year}: the factor changes nothing", ModelInputWarning, stacklevel=4)
    elif rng.from_ is not None:
        year = rng.from_.year if isinstance(rng.from_, dt.date) else rng.from_
        if not FIRST_OVERRIDE_YEAR <= year <= end_year:
            raise _fail(source, f"{where}.from", f"the first year changed must be within {FIRST_OVERRIDE_YEAR}-"
                        f"{end_year}", rng.from_)
    for value in _range_values(rng):
        if rng.integer and (not rng.numeric() or value != int(value)):
            raise _fail(source, where, "an 'integer' factor needs whole-number values", value)
        try:
            apply_value(scenario, factor, value)
        except ModelInputError as error:
            raise _fail(source, where, str(error), value) from None


def _check_design(design: DesignSection, factors: tuple[Factor, ...], source: str, scenario: Scenario) -> None:
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
        if kind == "grid" and not rng.cycled() and rng.levels is None:
            raise _fail(source, where, "a grid needs 'values' or 'low'/'high' with 'levels'", _shown(rng))
        if kind != "grid" and (rng.cycled() or rng.levels is not None):
            raise _fail(source, where, f"{kind} designs sample 'low'..'high' or a distribution; 'values' and "
                        "'levels' are for grids", _shown(rng))
        if kind in ("sobol", "oat") and not rng.numeric():
            raise _fail(source, where, f"{kind} designs need numeric factors", _shown(rng))
        if kind != "oat" and rng.base is not None:
            raise _fail(source, f"{where}.base", "'base' is the centre of an oat design only", rng.base)
        _check_factor(factor, where, source, scenario)


def _check_uncertainty(uncertain: tuple[Factor, ...], designed: set[str], draws: int, source: str,
                       scenario: Scenario) -> None:
    for factor in uncertain:
        where = f"uncertainty.{factor.group}.{factor.name}"
        if factor.label in designed or any(t in designed for _, t in factor.targets):
            raise _fail(source, where, "a factor cannot be both in the design and uncertain", factor.name)
        if factor.range.levels is not None or factor.range.base is not None:
            raise _fail(source, where, "uncertain factors take 'values', 'low'/'high' or a distribution only",
                        _shown(factor.range))
        if draws < 2:
            raise _fail(source, "draws", "uncertain factors vary across draws: give draws of 2 or more", draws)
        _check_factor(factor, where, source, scenario)


def _check_correlation(section: UncertaintySection, uncertain: tuple[Factor, ...],
                       source: str) -> tuple[tuple[str, ...], tuple[tuple[float, ...], ...]]:
    corr = section.correlation
    if corr is None:
        return (), ()
    labels = {f.label: f for f in uncertain}
    for i, label in enumerate(corr.factors):
        if label not in labels:
            raise _fail(source, f"uncertainty.correlation.factors.{i}", "not an uncertain factor of this sweep "
                        f"({', '.join(labels) or 'none'})", label)
        if labels[label].range.cycled():
            raise _fail(source, f"uncertainty.correlation.factors.{i}", "a factor whose values are taken in turn "
                        "cannot be correlated: give it a distribution", label)
        if label in corr.factors[:i]:
            raise _fail(source, f"uncertainty.correlation.factors.{i}", "factor listed twice", label)
    matrix = np.array(corr.matrix, dtype=float) if all(len(r) == len(corr.matrix) for r in corr.matrix) else None
    problem = "must be square" if matrix is None else check_correlation(matrix)
    if problem is None and matrix.shape[0] != len(corr.factors):
        problem = f"needs {len(corr.factors)} rows and columns, one per factor"
    if problem is not None:
        raise _fail(source, "uncertainty.correlation.matrix", problem, corr.matrix)
    return tuple(corr.factors), tuple(tuple(row) for row in corr.matrix)


def parameter_file_factors(taken: set[str]) -> tuple[Factor, ...]:
    """Uncertain factors from parameter files that document an `uncertainty:` distribution (those not in
    `taken`, labels already designed or uncertain)."""
    from ..parameters import ParameterTree

    tree = ParameterTree.load()
    found = []
    for path in tree.paths():
        entry = tree.info(path).uncertainty
        if entry is None or path in taken:
            continue
        fields = entry.model_dump(include={"distribution", *PARAMETERS, "apply"}, exclude_none=True)
        rng = Range.model_validate({**fields, "from": entry.from_,
                                    "note": "; ".join(filter(None, [entry.reason, *(c.source for c in entry.reference)]))})
        found.append(Factor("parameters", path, rng, (("parameters", path),)))
    return tuple(found)


def design_size(spec: SweepFile, factors: tuple[Factor, ...]) -> int:
    """Number of design points."""
    kind, d = spec.design.kind, len(factors)
    if kind == "grid":
        return math.prod(len(f.range.values) if f.range.cycled() else f.range.levels for f in factors)
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
    _check_design(spec.design, factors, source, scenario)
    designed = {f.label for f in factors} | {name for f in factors for _, name in f.targets}
    _check_uncertainty(uncertain, designed, spec.draws, source, scenario)
    if spec.uncertainty.parameter_files:
        taken = designed | {f.label for f in uncertain} | {name for f in uncertain for _, name in f.targets}
        from_files = parameter_file_factors(taken)
        if not from_files:
            raise _fail(source, "uncertainty.parameter_files", "no parameter file documents an 'uncertainty:' "
                        "distribution (or all are already factors)", True)
        if spec.draws < 2:
            raise _fail(source, "draws", "uncertain factors vary across draws: give draws of 2 or more", spec.draws)
        for factor in from_files:
            _check_factor(factor, f"uncertainty.parameter_files ({factor.name})", source, scenario)
        uncertain = uncertain + from_files
    correlated, correlation = _check_correlation(spec.uncertainty, uncertain, source)
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
    return Sweep(spec, scenario, factors, uncertain, source, correlated, correlation)


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
