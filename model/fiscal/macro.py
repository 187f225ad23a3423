"""Macro-fiscal paths for 2023-2100 from the dated, sourced assumptions in `macro_assumptions.yaml`.

Conventions
- Years are calendar years. A fiscal-year figure (FY t = 1 Oct t-1 .. 30 Sep t) is assigned to calendar
  year t, the year that holds 9 of its 12 months: an approximation (no re-phasing by quarter; end-FY stocks
  stand for end-of-year stocks).
- Money in THB, nominal (the YAML file uses THB bn; the loader converts). Rates are fractions; names
  with `_pct` are percent.

How the paths are built (documented in the YAML file next to the data)
- Rates (growth, inflation, interest, returns, principal share) are interpolated linearly between dated
  points, then extended to 2100 by the series' rule: hold the last value, or move linearly to a stated
  target by a stated year and hold it.
- Nominal GDP: sourced levels for 2022-2024; MTFF years given as deficit / (deficit % of GDP); geometric
  interpolation between anchors; after the last anchor it compounds with real growth and CPI inflation.
  The GDP deflator growth is implied: (GDP[t] / GDP[t-1]) / (1 + real growth[t]) - 1.
- Revenue, appropriation budget and baseline deficit are data in THB for 2023-2030; the loader turns them
  into shares of GDP, which are interpolated and extended (held at the 2030 share) and multiplied back by GDP.
- Public-debt points (levels or ratios) define a baseline stock-flow adjustment, the part of each year's
  debt change not explained by the deficit, so that the baseline debt path reproduces them; zero after.

Coherent growth beyond the framework's horizon (`employment`, persons in work on 1 July by year, from the run).
Past the last year of the framework's deficits, real GDP growth is labour productivity growth plus the growth of
employment in the model, (1 + labour_productivity_growth[t]) × employment[t] / employment[t-1] − 1, and real wages
grow with labour productivity; the GDP deflator rises with the CPI, so the labour share (wage bill / GDP) moves only
with the composition of employment. The wages of the people layer (model.population.wages) need no employment
(they follow productivity), so the path is built before the run without it and rebuilt each year from the
employment simulated so far (`model.simulation`): a year's growth is known once its 1 July population is, and the
run's final path, GDP included, is the one its fiscal layer reads (`employment_path` gives it from a result).
Years without employment (before a run, after its end) keep the file's `real_growth` path. A scenario's
`real_growth` or `real_wage_growth` override of a year wins over the rule for that year.

Overrides (a scenario's `macro:` section) map a series name to a number applied to every year from 2024
or to `{year: value}` for given years 2024-2100 (2023 is the base year and stays data). Levels are never
overridden directly: `real_growth` and `inflation` recompute nominal GDP (keeping the implied deflator gap
to CPI), `inflation` also moves the CPI and nominal wage growth, and the `*_pct_gdp` shares recompute
revenue, budget and deficit levels. Shares keep their data values when growth is overridden, so levels
follow GDP. The stock-flow adjustment stays in THB. `other_primary_spending_pct_gdp` (primary spending other
than social protection, used after the framework horizon by `model.fiscal.debt`) is NaN unless overridden:
it is then held at its horizon share of GDP, calibrated from the model's reference current-law cost.
"""

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import xarray as xr
import yaml
from pydantic import Field, StrictBool, ValidationError, model_validator

from ..errors import ModelInputError
from ..schema import Provenance, Strict, validation_message
from ..sources import cite, link
from ..yaml_files import read_yaml
from .ssf_fund import BRANCHES

MACRO_FILE = Path(__file__).with_name("macro_assumptions.yaml")
FIRST_YEAR = 2023  # base year; the internal grid starts a year earlier for opening stocks
FIRST_OVERRIDE_YEAR = FIRST_YEAR + 1
LAST_YEAR = 2100
BN = 1e9
_GRID = np.arange(FIRST_YEAR - 1, LAST_YEAR + 1)

Finite = Annotated[float, Field(allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Year = Annotated[int, Field(ge=FIRST_YEAR - 1, le=LAST_YEAR)]
Indicator = Literal[
    "public_debt_pct_gdp", "debt_service_pct_revenue", "deficit_pct_gdp", "ssf_reserve_pct_gdp", "ssf_reserve_ratio_pct",
    "ssf_old_age_reserve_pct_gdp", "ssf_old_age_reserve_ratio_pct"
]


_Strict = Strict


class _Provenance(Provenance):
    """Where a value comes from: cited source ids (`reference`), or an assumption with its reason (or both)."""

    note: str | None = None


class RatePoint(_Provenance):
    value: Annotated[float, Field(ge=-0.5, le=0.5, allow_inf_nan=False)]


class LevelPoint(_Provenance):
    value: Positive


class DeficitPoint(_Provenance):
    value: Finite
    published_pct_gdp: Annotated[float, Field(gt=0, lt=100)] | None = None


class _OneOf(_Provenance):
    _choices: ClassVar[tuple[str, str]]

    @model_validator(mode="after")
    def _exactly_one(self) -> "_OneOf":
        given = [name for name in self._choices if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {' or '.join(self._choices)}")
        return self


class GdpPoint(_OneOf):
    _choices = ("value", "derive")
    value: Positive | None = None
    derive: Literal["mtff_deficit_ratio"] | None = None


class DebtPoint(_OneOf):
    _choices = ("value", "pct_gdp")
    value: Positive | None = None
    pct_gdp: Annotated[float, Field(gt=0, lt=1000)] | None = None


class Extension(_Strict):
    """Past the last point: `hold` the last value, or go `linear`ly to `target` by `by_year`, then hold."""

    method: Literal["hold", "linear"]
    target: Finite | None = None
    by_year: Year | None = None
    reason: str = Field(min_length=1)

    @model_validator(mode="after")
    def _target_iff_linear(self) -> "Extension":
        if (self.method == "linear") != (self.target is not None and self.by_year is not None):
            raise ValueError("method linear needs target and by_year; hold takes neither")
        return self


class GdpExtension(_Strict):
    method: Literal["compound"]
    reason: str = Field(min_length=1)


class RateSeries(_Strict):
    unit: Literal["fraction"]
    description: str
    points: dict[Year, RatePoint] = Field(min_length=1)
    extension: Extension


class LevelSeries(_Strict):
    unit: Literal["THB bn"]
    description: str
    points: dict[Year, LevelPoint] = Field(min_length=1)
    extension: Extension


class DeficitSeries(LevelSeries):
    points: dict[Year, DeficitPoint] = Field(min_length=1)


class GdpSeries(_Strict):
    unit: Literal["THB bn"]
    description: str
    points: dict[Year, GdpPoint] = Field(min_length=1)
    derivation: str
    extension: GdpExtension


class DebtSeries(_Strict):
    unit: Literal["THB bn"]
    description: str
    points: dict[Year, DebtPoint] = Field(min_length=2)


class SeriesSet(_Strict):
    real_growth: RateSeries
    inflation: RateSeries
    real_wage_growth: RateSeries
    labour_productivity_growth: RateSeries
    interest_rate: RateSeries
    ssf_investment_return: RateSeries
    principal_repayment_budget_share: RateSeries
    gdp: GdpSeries
    revenue: LevelSeries
    appropriation_budget: LevelSeries
    baseline_deficit: DeficitSeries
    public_debt: DebtSeries


class OpeningReserve(_Provenance):
    date: dt.date
    value: Positive
    unit: Literal["THB bn"]


class ReserveSplit(_Provenance):
    shares_pct: dict[Literal[BRANCHES], Positive]

    @model_validator(mode="after")
    def _all_branches(self) -> "ReserveSplit":
        missing = [b for b in BRANCHES if b not in self.shares_pct]
        if missing:
            raise ValueError(f"missing branch {missing[0]!r} (branches: {', '.join(BRANCHES)})")
        return self


class Ssf(_Strict):
    opening_reserve: OpeningReserve
    opening_reserve_split: ReserveSplit


Basis = Literal["law", "framework_target", "actuarial"]
BASES: tuple[str, ...] = ("law", "actuarial", "framework_target")  # order in which tables group criteria


class CriterionSpec(_Provenance):
    """A sustainability test and its basis: `law` (a ceiling of the State Fiscal and Financial Disciplines Act or
    set under it; binding, `legal_basis` names the section), `framework_target` (a fiscal framework's target; a
    warning, never binding) or `actuarial` (a test of actuarial practice; binding only for the fund's solvency)."""

    description: str = Field(min_length=1)
    indicator: Indicator
    comparison: Literal["<=", "<", ">=", ">"]
    limit: Finite
    from_year: Year
    basis: Basis
    binding: StrictBool
    legal_basis: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _basis_rules(self) -> "CriterionSpec":
        if self.basis == "law" and not self.binding:
            raise ValueError("a criterion with basis 'law' is binding ('binding: true')")
        if self.basis == "law" and self.legal_basis is None:
            raise ValueError("a criterion with basis 'law' needs 'legal_basis' (the Act and section)")
        if self.basis == "framework_target" and self.binding:
            raise ValueError("a criterion with basis 'framework_target' is a warning ('binding: false')")
        if self.basis != "law" and self.legal_basis is not None:
            raise ValueError(f"'legal_basis' is only allowed with basis 'law' (basis is {self.basis!r})")
        return self


class UnevaluatedCriterionSpec(_Provenance):
    """A criterion of the same standing that the model cannot evaluate (it has no indicator for it): documented,
    reported as not evaluated, never tested."""

    description: str = Field(min_length=1)
    basis: Basis
    limit: str = Field(min_length=1)  # as stated in the source, e.g. "<= 32% of the annual budget"
    legal_basis: str | None = Field(default=None, min_length=1)
    why_not_evaluated: str = Field(min_length=1)


class MacroFile(_Strict):
    """The whole of `macro_assumptions.yaml`."""

    title: str
    version: str
    series: SeriesSet
    ssf: Ssf
    sustainability_criteria: dict[str, CriterionSpec] = Field(min_length=1)
    criteria_not_evaluated: dict[str, UnevaluatedCriterionSpec] = {}


@dataclasses.dataclass(frozen=True)
class Criterion:
    """One sustainability test: `indicator comparison limit` must hold in every year from `from_year`.

    `limit` is in the indicator's unit (percent of GDP, of revenue or of annual outgo); `source` is the
    reference text (source titles and URLs, or the assumption and its reason); `basis` is law, framework_target
    or actuarial, `binding` whether the overall verdict rests on it (a non-binding criterion is a warning) and
    `legal_basis` the Act and section of a legal ceiling ("" otherwise).
    """

    name: str
    description: str
    indicator: str
    comparison: str
    limit: float
    from_year: int
    source: str
    basis: str
    binding: bool
    legal_basis: str


# name -> (units, description) of every year-indexed array of MacroPath
SERIES_META: dict[str, tuple[str, str]] = {
    "gdp": ("THB", "nominal GDP"),
    "real_growth": ("fraction", "real GDP growth"),
    "inflation": ("fraction", "CPI inflation"),
    "gdp_deflator_growth": ("fraction", "GDP deflator growth (implied by nominal GDP and real growth)"),
    "cpi": ("index, 2023 = 1.0", "consumer price index"),
    "real_wage_growth": ("fraction", "real average wage growth"),
    "labour_productivity_growth": ("fraction", "growth of real GDP per employed person after the framework horizon"),
    "wage_growth": ("fraction", "nominal average wage growth"),
    "wage_index": ("index, 2023 = 1.0", "nominal average wage index"),
    "interest_rate": ("fraction", "effective interest rate on public debt at the end of the previous year"),
    "revenue": ("THB", "net government revenue"),
    "revenue_pct_gdp": ("percent of GDP", "net government revenue"),
    "appropriation_budget": ("THB", "annual appropriation budget"),
    "appropriation_budget_pct_gdp": ("percent of GDP", "annual appropriation budget"),
    "baseline_deficit": ("THB", "baseline overall budget deficit"),
    "baseline_deficit_pct_gdp": ("percent of GDP", "baseline overall budget deficit"),
    "principal_repayment_budget_share": ("fraction of the appropriation budget", "principal repaid in the budget"),
    "principal_repayment": ("THB", "principal repayment of public debt included in the appropriation budget"),
    "debt_stock_flow_adjustment": ("THB", "baseline debt change not explained by the deficit (stock-flow adjustment)"),
    "ssf_investment_return": ("fraction", "nominal investment return on Social Security Fund reserves"),
    "other_primary_spending_pct_gdp": ("percent of GDP", "primary spending other than social protection after the "
                                       "framework horizon; NaN: held at its horizon share (model.fiscal.debt)"),
}

# overridable series -> (lowest, highest) accepted value, in the series' unit
OVERRIDABLE: dict[str, tuple[float, float]] = {
    "real_growth": (-0.5, 0.5),
    "inflation": (-0.5, 0.5),
    "real_wage_growth": (-0.5, 0.5),
    "labour_productivity_growth": (-0.5, 0.5),
    "wage_growth": (-0.5, 0.5),
    "interest_rate": (-0.5, 0.5),
    "ssf_investment_return": (-0.5, 0.5),
    "principal_repayment_budget_share": (0.0, 0.5),
    "revenue_pct_gdp": (1.0, 100.0),
    "appropriation_budget_pct_gdp": (1.0, 100.0),
    "baseline_deficit_pct_gdp": (-20.0, 20.0),
    "other_primary_spending_pct_gdp": (0.0, 100.0),
}
AGENT_SERIES = ("cpi", "wage_index", "wage_growth", "inflation", "real_growth")
"""The series the agent model reads (model.simulation: the uprating indices, the people's wages and incomes); the
others only the fiscal layer reads."""
FISCAL_ONLY_OVERRIDES = frozenset({
    "interest_rate", "ssf_investment_return", "principal_repayment_budget_share", "revenue_pct_gdp",
    "appropriation_budget_pct_gdp", "baseline_deficit_pct_gdp", "other_primary_spending_pct_gdp",
})
"""Overrides that move none of AGENT_SERIES, whatever the employment (tests/test_agent_runs.py): runs that differ
only in them have the same agent model results."""


def agent_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A scenario's macro overrides without those of the fiscal layer alone (FISCAL_ONLY_OVERRIDES): what of them
    the agent model's results depend on."""
    return {name: value for name, value in overrides.items() if name not in FISCAL_ONLY_OVERRIDES}

_RATE_SERIES = (
    "real_growth", "inflation", "real_wage_growth", "labour_productivity_growth", "interest_rate",
    "ssf_investment_return", "principal_repayment_budget_share"
)
_DERIVED_FROM = {
    "gdp": "real_growth and inflation",
    "gdp_deflator_growth": "inflation",
    "cpi": "inflation",
    "wage_index": "wage_growth",
    "revenue": "revenue_pct_gdp",
    "appropriation_budget": "appropriation_budget_pct_gdp",
    "baseline_deficit": "baseline_deficit_pct_gdp",
    "principal_repayment": "principal_repayment_budget_share",
}


@dataclasses.dataclass(frozen=True, eq=False)
class MacroPath:
    """Macro-fiscal assumptions by calendar year: read-only numpy arrays aligned with `years`.

    Units are in `SERIES_META`; `opening_public_debt` (THB) is public debt at the end of 2022 (end-FY2022);
    `ssf_opening_reserve` (THB) is the Social Security Fund reserve on 31 Dec 2022, split by branch in
    proportion to `ssf_opening_reserve_split` (shares summing to 1); `criteria` are the sustainability tests;
    `framework_horizon` is the last year of the medium-term fiscal framework's deficits (see `model.fiscal.debt`).
    """

    years: np.ndarray
    gdp: np.ndarray
    real_growth: np.ndarray
    inflation: np.ndarray
    gdp_deflator_growth: np.ndarray
    cpi: np.ndarray
    real_wage_growth: np.ndarray
    labour_productivity_growth: np.ndarray
    wage_growth: np.ndarray
    wage_index: np.ndarray
    interest_rate: np.ndarray
    revenue: np.ndarray
    revenue_pct_gdp: np.ndarray
    appropriation_budget: np.ndarray
    appropriation_budget_pct_gdp: np.ndarray
    baseline_deficit: np.ndarray
    baseline_deficit_pct_gdp: np.ndarray
    principal_repayment_budget_share: np.ndarray
    principal_repayment: np.ndarray
    debt_stock_flow_adjustment: np.ndarray
    ssf_investment_return: np.ndarray
    other_primary_spending_pct_gdp: np.ndarray
    opening_public_debt: float
    ssf_opening_reserve: float
    ssf_opening_reserve_split: Mapping[str, float]
    criteria: tuple[Criterion, ...]
    framework_horizon: int | None = None  # last year of the framework's published deficits (None: no horizon)

    def __post_init__(self) -> None:
        for name in ("years", *SERIES_META):
            array = np.array(getattr(self, name), dtype=np.int64 if name == "years" else np.float64)
            if array.shape != (len(self.years),):
                raise ValueError(f"MacroPath.{name} has shape {array.shape}; expected ({len(self.years)},)")
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    def to_dataset(self) -> xr.Dataset:
        """The paths as an xarray Dataset over `year`, each variable with `units` and `description`."""
        data = {
            name: xr.DataArray(getattr(self, name), dims="year", attrs={"units": units, "description": text})
            for name, (units, text) in SERIES_META.items()
        }
        attrs = {
            "opening_public_debt_thb": self.opening_public_debt,
            "ssf_opening_reserve_thb": self.ssf_opening_reserve,
            "year_convention": "calendar years; fiscal year t (1 Oct t-1 to 30 Sep t) is assigned to calendar year t",
        }
        return xr.Dataset(data, coords={"year": self.years}, attrs=attrs)


def load_macro(
    overrides: Mapping[str, Any] | None = None, path: Path | None = None, years: range = range(FIRST_YEAR, LAST_YEAR + 1),
    employment: Mapping[int, float] | None = None,
) -> MacroPath:
    """Macro paths for `years` (a step-1 range from 2023, at most to 2100) from the YAML file, with overrides;
    beyond the framework's horizon real growth follows `employment` (persons in work on 1 July by calendar year,
    the run's) where it covers a year and the one before (see the module docstring).

    Raises ModelInputError naming the field for a malformed file, an unknown or derived override name, an
    override year outside 2024-2100 or a value outside the series' range, a bad `years` range and employment
    that is not positive and finite.
    """
    spec = macro_file(path)
    index = _check_years(years)
    series = _build(spec, _normalise(overrides or {}), _check_employment(employment or {}))
    kept = {name: values[index] for name, values in series.items()}
    debt_points = spec.series.public_debt.points
    split = spec.ssf.opening_reserve_split.shares_pct
    return MacroPath(
        years=_GRID[index],
        **kept,
        opening_public_debt=debt_points[FIRST_YEAR - 1].value * BN,
        ssf_opening_reserve=spec.ssf.opening_reserve.value * BN,
        ssf_opening_reserve_split={b: split[b] / sum(split.values()) for b in BRANCHES},
        criteria=tuple(_criterion(name, c) for name, c in spec.sustainability_criteria.items()),
        framework_horizon=max(spec.series.baseline_deficit.points),
    )


def macro_file(path: Path | None = None) -> MacroFile:
    """The validated macro assumptions file (default MACRO_FILE), parsed once per path and modification time."""
    path = MACRO_FILE if path is None else Path(path)
    return _read(path.resolve(), path.stat().st_mtime_ns if path.is_file() else 0)


@functools.lru_cache(maxsize=8)
def _read(path: Path, modified_ns: int) -> MacroFile:
    """The validated macro file, parsed once per path and modification time."""
    if not path.is_file():
        raise ModelInputError(f"macro assumptions: no such file {path}")
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ModelInputError(f"{path.name}: not valid YAML ({error})".replace("\n", " ")) from None
    try:
        spec = MacroFile.model_validate(raw)
    except ValidationError as error:
        raise ModelInputError(validation_message(path.name, error)) from None
    _check_semantics(spec, path.name)
    return spec


def provenances(spec: MacroFile) -> Iterator[tuple[str, Provenance]]:
    """(field, provenance) of every dated point, the SSF opening reserve and its split, and every criterion."""
    for name in SeriesSet.model_fields:
        for year, point in getattr(spec.series, name).points.items():
            yield f"series.{name}.points.{year}", point
    yield "ssf.opening_reserve", spec.ssf.opening_reserve
    yield "ssf.opening_reserve_split", spec.ssf.opening_reserve_split
    for name, criterion in spec.sustainability_criteria.items():
        yield f"sustainability_criteria.{name}", criterion
    for name, criterion in spec.criteria_not_evaluated.items():
        yield f"criteria_not_evaluated.{name}", criterion


def _check_semantics(spec: MacroFile, source: str) -> None:
    """Cross-field rules pydantic types cannot express; each error names the field."""
    for name in SeriesSet.model_fields:
        series = getattr(spec.series, name)
        years = sorted(series.points)
        first = FIRST_YEAR - 1 if name in ("gdp", "public_debt") else FIRST_YEAR
        if years[0] != first:
            raise ModelInputError(f"{source}: field 'series.{name}.points': the first year must be {first} (got {years[0]})")
        extension = getattr(series, "extension", None)
        if isinstance(extension, Extension) and extension.method == "linear" and extension.by_year <= years[-1]:
            raise ModelInputError(
                f"{source}: field 'series.{name}.extension.by_year': must be after the last point {years[-1]} "
                f"(got {extension.by_year})"
            )
    debt_points = spec.series.public_debt.points
    debt_years = sorted(debt_points)
    if debt_points[debt_years[0]].value is None:
        raise ModelInputError(f"{source}: field 'series.public_debt.points.{debt_years[0]}.value': the opening stock must be a level")
    if debt_years != list(range(debt_years[0], debt_years[-1] + 1)):
        raise ModelInputError(f"{source}: field 'series.public_debt.points': years must be consecutive (got {debt_years})")
    deficits = spec.series.baseline_deficit.points
    for year, point in spec.series.gdp.points.items():
        if point.derive and (year not in deficits or deficits[year].published_pct_gdp is None):
            raise ModelInputError(
                f"{source}: field 'series.gdp.points.{year}.derive': needs series.baseline_deficit.points.{year} "
                "with value and published_pct_gdp"
            )


def employment_path(results: xr.Dataset) -> dict[int, float]:
    """Persons in work on 1 July by year (`employment(year)` of a run's result): what `load_macro` links growth to."""
    return dict(zip(results["year"].values.tolist(), results["employment"].values.tolist()))


def _check_employment(employment: Mapping[int, float]) -> dict[int, float]:
    out = {}
    for year, value in employment.items():
        if not (isinstance(value, (int, float, np.floating)) and math.isfinite(value) and value > 0):
            raise ModelInputError(f"employment: persons in work in {year} must be a positive number (got {value!r})")
        out[int(year)] = float(value)
    return out


def _employment_growth(real_growth: np.ndarray, productivity: np.ndarray, employment: Mapping[int, float],
                       after: int, kept: Mapping[int, float]) -> np.ndarray:
    """`real_growth` on the grid with the years after `after` that `employment` covers (with the year before) set to
    (1 + productivity)(employment growth) - 1, except the years in `kept` (a scenario's real_growth overrides)."""
    out = real_growth.copy()
    for year, value in employment.items():
        if year > after and year - 1 in employment and year not in kept and _GRID[0] <= year <= _GRID[-1]:
            i = year - _GRID[0]
            out[i] = (1.0 + productivity[i]) * value / employment[year - 1] - 1.0
    return out


def _check_years(years: range) -> slice:
    if not isinstance(years, range) or years.step != 1 or len(years) == 0:
        raise ModelInputError(f"years: must be a non-empty range with step 1 (got {years!r})")
    if years.start != FIRST_YEAR or years[-1] > LAST_YEAR:
        raise ModelInputError(f"years: must start at {FIRST_YEAR} and end by {LAST_YEAR} (got {years!r})")
    return slice(1, 1 + len(years))


def _normalise(overrides: Mapping[str, Any]) -> dict[str, dict[int, float]]:
    """Overrides as {series: {year: value}}, each checked; errors name the series, year and value."""
    if not isinstance(overrides, Mapping):
        raise ModelInputError(f"macro: overrides must be a mapping of series name to value (got {overrides!r})")
    result: dict[str, dict[int, float]] = {}
    for name, given in overrides.items():
        if name in _DERIVED_FROM:
            raise ModelInputError(f"macro.{name}: is derived and cannot be overridden; override {_DERIVED_FROM[name]} instead")
        if name not in OVERRIDABLE:
            raise ModelInputError(f"macro.{name}: unknown macro series (overridable: {', '.join(OVERRIDABLE)})")
        if isinstance(given, Mapping):
            by_year = {_override_year(name, year): _override_value(name, value) for year, value in given.items()}
        else:
            value = _override_value(name, given)
            by_year = dict.fromkeys(range(FIRST_OVERRIDE_YEAR, LAST_YEAR + 1), value)
        result[name] = by_year
    return result


def _override_year(name: str, year: Any) -> int:
    try:
        number = int(year)
    except (TypeError, ValueError):
        number = None
    if isinstance(year, bool) or number is None or str(number) != str(year).strip():
        raise ModelInputError(f"macro.{name}: year {year!r} is not a calendar year")
    if not FIRST_OVERRIDE_YEAR <= number <= LAST_YEAR:
        raise ModelInputError(f"macro.{name}: year {number} is outside {FIRST_OVERRIDE_YEAR}-{LAST_YEAR}")
    return number


def _override_value(name: str, value: Any) -> float:
    low, high = OVERRIDABLE[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelInputError(f"macro.{name}: value must be a number or a {{year: number}} mapping (got {value!r})")
    if not low <= value <= high:
        unit = "percent" if name.endswith("_pct_gdp") else "a fraction"
        raise ModelInputError(f"macro.{name}: value {value!r} is outside {low}..{high} ({unit})")
    return float(value)


def _extend(points: Mapping[int, float], extension: Extension) -> np.ndarray:
    """Linear interpolation between points, then the extension rule, on the internal 2022-2100 grid."""
    xs, ys = list(points), list(points.values())
    if extension.method == "linear":
        xs, ys = [*xs, extension.by_year], [*ys, extension.target]
    return np.interp(_GRID, xs, ys)  # np.interp holds the end values: `hold` after the last point


def _rate_path(series: RateSeries) -> np.ndarray:
    return _extend({year: p.value for year, p in sorted(series.points.items())}, series.extension)


def _apply(values: np.ndarray, changes: Mapping[int, float]) -> np.ndarray:
    out = values.copy()
    for year, value in changes.items():
        out[year - _GRID[0]] = value
    return out


def _chain(start_index: int, level: float, growth: np.ndarray) -> np.ndarray:
    """Levels on the grid from `level` at `start_index`, compounding `growth` afterwards (NaN before)."""
    out = np.full(_GRID.shape, np.nan)
    out[start_index] = level
    out[start_index + 1 :] = level * np.cumprod(1.0 + growth[start_index + 1 :])
    return out


def _baseline_gdp(spec: MacroFile, real_growth: np.ndarray, inflation: np.ndarray) -> np.ndarray:
    deficits = spec.series.baseline_deficit.points
    anchors = {
        year: (p.value if p.value is not None else deficits[year].value / (deficits[year].published_pct_gdp / 100.0)) * BN
        for year, p in sorted(spec.series.gdp.points.items())
    }
    last = max(anchors)
    gdp = np.exp(np.interp(_GRID, list(anchors), np.log(list(anchors.values()))))
    gdp[np.array(list(anchors)) - _GRID[0]] = list(anchors.values())  # exact at the anchors
    tail = _chain(last - _GRID[0], anchors[last], (1.0 + real_growth) * (1.0 + inflation) - 1.0)
    return np.where(_GRID > last, tail, gdp)


def _shares_pct(series: LevelSeries, gdp: np.ndarray) -> np.ndarray:
    points = {year: 100.0 * p.value * BN / gdp[year - _GRID[0]] for year, p in sorted(series.points.items())}
    return _extend(points, series.extension)


def _stock_flow_adjustment(spec: MacroFile, gdp: np.ndarray, deficit: np.ndarray) -> np.ndarray:
    levels = {
        year: p.value * BN if p.value is not None else p.pct_gdp / 100.0 * gdp[year - _GRID[0]]
        for year, p in sorted(spec.series.public_debt.points.items())
    }
    sfa = np.zeros(_GRID.shape)
    for year in list(levels)[1:]:
        i = year - _GRID[0]
        sfa[i] = levels[year] - levels[year - 1] - deficit[i]
    return sfa


def _build(spec: MacroFile, overrides: Mapping[str, Mapping[int, float]],
           employment: Mapping[int, float] | None = None) -> dict[str, np.ndarray]:
    """Every series of SERIES_META on the internal 2022-2100 grid (real growth after the framework's horizon from
    `employment` where it covers the year, real wages with labour productivity after it)."""
    s = spec.series
    horizon = max(s.baseline_deficit.points)
    base = {name: _rate_path(getattr(s, name)) for name in _RATE_SERIES}
    gdp0 = _baseline_gdp(spec, base["real_growth"], base["inflation"])
    deflator0 = np.full(_GRID.shape, np.nan)
    deflator0[1:] = gdp0[1:] / gdp0[:-1] / (1.0 + base["real_growth"][1:]) - 1.0
    shares = {
        "revenue_pct_gdp": _shares_pct(s.revenue, gdp0),
        "appropriation_budget_pct_gdp": _shares_pct(s.appropriation_budget, gdp0),
        "baseline_deficit_pct_gdp": _shares_pct(s.baseline_deficit, gdp0),
        "other_primary_spending_pct_gdp": np.full(_GRID.shape, np.nan),  # calibrated unless overridden
    }
    sfa = _stock_flow_adjustment(spec, gdp0, shares["baseline_deficit_pct_gdp"] / 100.0 * gdp0)

    out = {name: _apply(values, overrides.get(name, {})) for name, values in {**base, **shares}.items()}
    productivity = out["labour_productivity_growth"]
    out["real_wage_growth"] = _apply(np.where(_GRID > horizon, productivity, out["real_wage_growth"]),
                                     overrides.get("real_wage_growth", {}))
    out["real_growth"] = _employment_growth(out["real_growth"], productivity, employment or {}, horizon,
                                            overrides.get("real_growth", {}))
    deflator = (1.0 + deflator0) * (1.0 + out["inflation"]) / (1.0 + base["inflation"]) - 1.0
    i_base = FIRST_YEAR - _GRID[0]
    gdp = _chain(i_base, gdp0[i_base], (1.0 + out["real_growth"]) * (1.0 + deflator) - 1.0)
    gdp[:i_base] = gdp0[:i_base]
    nominal_wages = (1.0 + out["inflation"]) * (1.0 + out["real_wage_growth"]) - 1.0
    wage_growth = _apply(nominal_wages, overrides.get("wage_growth", {}))
    budget = out["appropriation_budget_pct_gdp"] / 100.0 * gdp
    return {
        **out,
        "gdp": gdp,
        "gdp_deflator_growth": deflator,
        "cpi": _chain(i_base, 1.0, out["inflation"]),
        "wage_growth": wage_growth,
        "wage_index": _chain(i_base, 1.0, wage_growth),
        "revenue": out["revenue_pct_gdp"] / 100.0 * gdp,
        "appropriation_budget": budget,
        "baseline_deficit": out["baseline_deficit_pct_gdp"] / 100.0 * gdp,
        "principal_repayment": out["principal_repayment_budget_share"] * budget,
        "debt_stock_flow_adjustment": sfa,
    }


def _criterion(name: str, spec: CriterionSpec) -> Criterion:
    refs = [f"{cite(c.source, c.note)} - {link(c.source, c.url)}" for c in spec.reference]
    if spec.assumption:
        refs.append(f"assumption: {spec.reason}")
    return Criterion(
        name=name,
        description=spec.description,
        indicator=spec.indicator,
        comparison=spec.comparison,
        limit=spec.limit,
        from_year=spec.from_year,
        source="; ".join(refs),
        basis=spec.basis,
        binding=spec.binding,
        legal_basis=spec.legal_basis or "",
    )


def criteria_not_evaluated(path: Path | None = None) -> dict[str, UnevaluatedCriterionSpec]:
    """The documented criteria the model has no indicator for (name -> spec), from the macro file."""
    return dict(macro_file(path).criteria_not_evaluated)
