"""Probability distributions of uncertain inputs, as written in sweep files and in parameter files' `uncertainty:`.

One model, `Distribution`, read from YAML with the fields of its kind (anything else is an error):

    uniform     low, high                     (the default when only low and high are given)
    normal      mean, sd
    lognormal   median, sigma                 (sigma: standard deviation of the logarithm)
    triangular  low, mode, high
    discrete    values [, weights]            (weights: relative, default equal)

`ppf(u)` maps probabilities in (0, 1) to values (the inverse cumulative distribution), so a Latin hypercube, a
Saltelli sample or a Gaussian copula over the unit cube becomes a sample of the distribution. `correlated`
turns independent uniforms into uniforms whose normal scores have a given correlation (a Gaussian copula).
"""

import datetime as dt
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator
from scipy import stats

from .schema import Date, Provenance, Strict

Kind = Literal["uniform", "normal", "lognormal", "triangular", "discrete"]
FIELDS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
    "discrete": ("values",),
}
OPTIONAL: dict[str, tuple[str, ...]] = {"discrete": ("weights",)}
PARAMETERS = ("low", "high", "mean", "sd", "median", "sigma", "mode", "values", "weights")
EDGE = 1e-4  # probabilities are kept in [EDGE, 1 - EDGE] for unbounded distributions (no infinite values)

Finite = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Scalar = StrictBool | StrictInt | Finite | Annotated[StrictStr, Field(min_length=1, max_length=200)]


class Distribution(Strict):
    """A distribution of one value: its kind and the parameters of that kind (see the module docstring)."""

    distribution: Kind | None = None
    low: Finite | None = None
    high: Finite | None = None
    mean: Finite | None = None
    sd: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    median: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    sigma: Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)] | None = None
    mode: Finite | None = None
    values: list[Scalar] | None = Field(None, min_length=1, max_length=1000)
    weights: list[Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = None

    @property
    def kind(self) -> str:
        """The kind written, or the one its fields imply (values: discrete; low and high: uniform)."""
        if self.distribution is not None:
            return self.distribution
        return "discrete" if self.values is not None else "uniform"

    def given(self) -> set[str]:
        """Names of the distribution parameters given."""
        return {name for name in PARAMETERS if getattr(self, name) is not None}

    @model_validator(mode="after")
    def _fields_of_kind(self) -> "Distribution":
        check_fields(self)
        return self

    def numeric(self) -> bool:
        """Whether every value is a number (booleans excluded)."""
        if self.values is None:
            return True
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at probabilities `u` (an array in [0, 1]); for discrete kinds, an object array of the values."""
        u = np.asarray(u, dtype=float)
        kind = self.kind
        if kind == "uniform":
            return self.low + u * (self.high - self.low)
        if kind == "triangular":
            return stats.triang.ppf(u, (self.mode - self.low) / (self.high - self.low), loc=self.low,
                                    scale=self.high - self.low)
        clipped = np.clip(u, EDGE, 1 - EDGE)
        if kind == "normal":
            return stats.norm.ppf(clipped, loc=self.mean, scale=self.sd)
        if kind == "lognormal":
            return self.median * np.exp(self.sigma * stats.norm.ppf(clipped))
        cumulative = np.cumsum(self.probabilities())
        index = np.minimum(np.searchsorted(cumulative, u, side="right"), len(self.values) - 1)
        return np.array(self.values, dtype=object)[index]

    def probabilities(self) -> np.ndarray:
        """Probabilities of a discrete distribution's values (weights normalised; equal without weights)."""
        weights = np.ones(len(self.values)) if self.weights is None else np.array(self.weights, dtype=float)
        return weights / weights.sum()

    def centre(self) -> Any:
        """The central value: the midpoint (uniform), mean (normal), median (lognormal, discrete) or mode
        (triangular)."""
        kind = self.kind
        if kind == "uniform":
            return (self.low + self.high) / 2
        if kind == "normal":
            return self.mean
        if kind == "lognormal":
            return self.median
        if kind == "triangular":
            return self.mode
        return self.ppf(np.array([0.5]))[0]

    def extremes(self) -> list[Any]:
        """The values to check against a target's valid range: the ends (or values) of bounded kinds, the
        0.01% and 99.99% points of unbounded ones."""
        if self.kind == "discrete":
            return list(self.values)
        return [float(v) for v in self.ppf(np.array([0.0, 1.0]))]


def check_fields(dist: Distribution) -> None:
    """ValueError unless the fields given are exactly those of the kind (optional ones allowed)."""
    kind = dist.kind
    required, optional = set(FIELDS[kind]), set(OPTIONAL.get(kind, ()))
    given = dist.given()
    missing, extra = sorted(required - given), sorted(given - required - optional)
    if missing:
        raise ValueError(f"a {kind} distribution needs {', '.join(FIELDS[kind])} (missing {', '.join(missing)})")
    if extra:
        raise ValueError(f"a {kind} distribution takes {', '.join(FIELDS[kind] + OPTIONAL.get(kind, ()))}, "
                         f"not {', '.join(extra)}")
    if kind in ("uniform", "triangular") and not dist.low < dist.high:
        raise ValueError(f"'low' must be below 'high' (got low {dist.low}, high {dist.high})")
    if kind == "triangular" and not dist.low <= dist.mode <= dist.high:
        raise ValueError(f"'mode' must lie within low..high (got {dist.mode})")
    if dist.weights is not None and len(dist.weights) != len(dist.values):
        raise ValueError(f"'weights' needs one weight per value ({len(dist.values)}; got {len(dist.weights)})")
    if dist.weights is not None and sum(dist.weights) <= 0:
        raise ValueError("'weights' must not all be zero")
    if kind != "discrete" and dist.values is not None:
        raise ValueError(f"a {kind} distribution takes no 'values'")


def check_correlation(matrix: np.ndarray) -> str | None:
    """Why `matrix` is not a correlation matrix (square, symmetric, unit diagonal, entries in -1..1, positive
    definite), or None if it is."""
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        return f"must be square (got shape {matrix.shape})"
    if not np.allclose(matrix, matrix.T):
        return "must be symmetric"
    if not np.allclose(np.diag(matrix), 1.0):
        return "must have 1 on the diagonal"
    if np.any(np.abs(matrix) > 1):
        return "entries must lie within -1..1"
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return "must be positive definite (some correlations contradict each other)"
    return None


def correlated(u: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Uniforms [draw, factor] made dependent through a Gaussian copula with correlation `matrix` of their normal
    scores; each column stays uniform on (0, 1)."""
    z = stats.norm.ppf(np.clip(u, EDGE / 10, 1 - EDGE / 10))
    return stats.norm.cdf(z @ np.linalg.cholesky(matrix).T)




class Uncertainty(Distribution, Provenance):
    """A parameter file's `uncertainty:` entry: a documented distribution that stochastic sweeps draw the
    parameter from (`uncertainty: {parameter_files: true}` in a sweep file).

    `apply` says what the drawn value does to the dated values in force from `from` on: `multiply` them (the
    default; a distribution centred on 1 keeps the calibrated value at the centre), `shift` them (add it) or
    `replace` them. Like every value it cites its source or is an assumption with its reason.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    apply: Literal["replace", "shift", "multiply"] = "multiply"
    from_: Date = Field(dt.date(2024, 1, 1), alias="from")


__all__ = ["Distribution", "FIELDS", "Uncertainty", "check_correlation", "check_fields", "correlated"]
