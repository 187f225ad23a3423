"""Designs over a sweep's factors and the run plan.

Designs: a full grid, a Latin hypercube (scipy.stats.qmc), Saltelli's scheme for Sobol indices
(SALib.sample.sobol) and one-at-a-time (the centre, then each factor at its low and its high end with
the others at the centre). Latin hypercubes and Saltelli samples are drawn on the unit cube and turned into
values by each factor's distribution (uniform on low..high unless it names another). The plan crosses design
points with draws: draw k runs with seed = base seed + k and, when the sweep has uncertain factors, the k-th
of their sampled values, the same for every point (common random numbers), so that differences between points
are not sampling noise; each point then also has a centre run without uncertainty, the path bands are read
against.
"""

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib.sample import sobol as sobol_sample
from scipy.stats import qmc

from .. import identity
from ..scenario import Scenario
from ..distributions import correlated
from .spec import Factor, Range, Sweep
from .targets import apply


@dataclass(frozen=True)
class Design:
    """Design points: one row of factor values per point, in the order of ``labels``."""

    kind: str
    labels: tuple[str, ...]
    points: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Run:
    """One run of the plan: design point and draw (CENTRE: the point itself, no uncertain factor changed,
    seed of draw 0), the scenario to run and its run id."""

    point: int
    draw: int
    scenario: Scenario
    run_id: str


CENTRE = -1  # the draw number of a point's centre run


def run_id(scenario: Scenario) -> str:
    """The run's identity (`model.identity.run_id`): a hash of its resolved inputs and the model version."""
    return identity.run_id(scenario)


def salib_problem(factors: tuple[Factor, ...]) -> dict[str, Any]:
    """The SALib problem definition of a design's factors over the unit cube (each factor's own distribution
    turns its coordinate into a value: `Range.ppf`)."""
    return {"num_vars": len(factors), "names": [f.label for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}


def _python(value: Any, rng: Range) -> Any:
    """A plain Python value (rounded for integer factors) that validates and hashes the same everywhere."""
    if isinstance(value, np.generic):
        value = value.item()
    if rng.integer:
        return int(round(value))
    return float(value) if isinstance(value, float) else value


def _values(unit: np.ndarray, factors: tuple[Factor, ...]) -> list[list[Any]]:
    """Columns of a unit-cube sample [point, factor] turned into each factor's values."""
    return [list(f.range.ppf(unit[:, i])) for i, f in enumerate(factors)]


def _rows(columns: list[list[Any]], n: int) -> list[tuple[Any, ...]]:
    return [tuple(col[k] for col in columns) for k in range(n)]


def grid(factors: tuple[Factor, ...]) -> list[tuple[Any, ...]]:
    """Every combination of the factors' values (a range with ``levels`` is spread evenly); the last factor varies
    fastest."""
    axes = [f.range.values if f.range.cycled() else np.linspace(f.range.low, f.range.high, f.range.levels)
            for f in factors]
    return list(itertools.product(*axes))


def unit_hypercube(d: int, samples: int, seed: int) -> np.ndarray:
    """``samples`` x ``d`` Latin-hypercube sample of the unit cube."""
    return qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(samples)


def latin_hypercube(factors: tuple[Factor, ...], samples: int, seed: int) -> list[tuple[Any, ...]]:
    """``samples`` points of a Latin hypercube, each factor drawn from its distribution (uniform on low..high)."""
    return _rows(_values(unit_hypercube(len(factors), samples, seed), factors), samples)


def saltelli(factors: tuple[Factor, ...], samples: int, seed: int, second_order: bool) -> list[tuple[Any, ...]]:
    """Saltelli's sample for Sobol indices: samples x (D + 2) points, or samples x (2D + 2) with second order."""
    unit = sobol_sample.sample(salib_problem(factors), samples, calc_second_order=second_order, seed=seed)
    return _rows(_values(unit, factors), len(unit))


def ends(factor: Factor) -> tuple[float, float]:
    """The low and high ends of a one-at-a-time design: low..high, else the distribution's 5% and 95% points."""
    rng = factor.range
    if rng.kind == "uniform":
        return rng.low, rng.high
    low, high = rng.ppf(np.array([0.05, 0.95]))
    return float(low), float(high)


def centre(factor: Factor) -> float:
    """The centre of a one-at-a-time design: ``base`` if given, else the distribution's centre (the midpoint of
    low..high)."""
    rng = factor.range
    return rng.base if rng.base is not None else rng.centre()


def one_at_a_time(factors: tuple[Factor, ...]) -> list[tuple[Any, ...]]:
    """Point 0 is the centre; points 2i+1 and 2i+2 move factor i to its low and its high end."""
    base = [centre(f) for f in factors]
    rows = [tuple(base)]
    for i, factor in enumerate(factors):
        for end in ends(factor):
            row = list(base)
            row[i] = end
            rows.append(tuple(row))
    return rows


def build_design(sweep: Sweep) -> Design:
    """The design points of a sweep."""
    d, factors = sweep.spec.design, sweep.factors
    if d.kind == "grid":
        rows: Any = grid(factors)
    elif d.kind == "lhs":
        rows = latin_hypercube(factors, d.samples, d.sample_seed)
    elif d.kind == "sobol":
        rows = saltelli(factors, d.samples, d.sample_seed, d.second_order)
    else:
        rows = one_at_a_time(factors)
    points = tuple(tuple(_python(v, f.range) for v, f in zip(row, factors)) for row in rows)
    return Design(d.kind, tuple(f.label for f in factors), points)


def draw_values(sweep: Sweep) -> list[tuple[Any, ...]]:
    """Values of the uncertain factors for each draw: listed values in turn; distributions through a Latin
    hypercube, made dependent by the sweep's correlation matrix (a Gaussian copula) where it has one."""
    uncertain, draws = sweep.uncertain, sweep.draws
    sampled = tuple(f for f in uncertain if not f.range.cycled())
    unit = unit_hypercube(len(sampled), draws, sweep.spec.design.sample_seed + 1) if sampled else np.empty((draws, 0))
    if sweep.correlated:
        at = [[f.label for f in sampled].index(label) for label in sweep.correlated]
        unit[:, at] = correlated(unit[:, at], np.array(sweep.correlation))
    columns = iter(_values(unit, sampled))
    by_factor = [[f.range.values[k % len(f.range.values)] for k in range(draws)] if f.range.cycled()
                 else next(columns) for f in uncertain]
    return [tuple(_python(col[k], f.range) for col, f in zip(by_factor, uncertain)) for k in range(draws)]


def plan(sweep: Sweep, design: Design) -> list[Run]:
    """Every (point, draw) run, points in design order and draws within points; with uncertain factors, each
    point also has its centre run (draw CENTRE: the point's scenario without uncertainty, seed of draw 0), the
    path the bands are read against."""
    variants = draw_values(sweep)
    runs = []
    for p, values in enumerate(design.points):
        scenario = apply(sweep.scenario, sweep.factors, values)
        for k, variant in enumerate(variants):  # the seed needs no validation: base seed + draw
            drawn = apply(scenario, sweep.uncertain, variant).model_copy(update={"seed": sweep.scenario.seed + k})
            runs.append(Run(p, k, drawn, run_id(drawn)))
        if sweep.uncertain:
            runs.append(Run(p, CENTRE, scenario, run_id(scenario)))
    return runs
