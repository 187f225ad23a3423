"""Designs over a sweep's factors and the run plan.

Designs: a full grid, a Latin hypercube (scipy.stats.qmc), Saltelli's scheme for Sobol indices
(SALib.sample.sobol) and one-at-a-time (the centre, then each factor at its low and its high end with
the others at the centre). The plan crosses design points with draws: draw k runs with seed = base seed
+ k and, when the sweep has uncertain factors, the k-th of their sampled values, the same for every
point (common random numbers), so that differences between points are not sampling noise.
"""

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib.sample import sobol as sobol_sample
from scipy.stats import qmc

from .. import identity
from ..scenario import Scenario
from .spec import Factor, Range, Sweep


@dataclass(frozen=True)
class Design:
    """Design points: one row of factor values per point, in the order of ``labels``."""

    kind: str
    labels: tuple[str, ...]
    points: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Run:
    """One run of the plan: design point and draw, the scenario to run and its run id."""

    point: int
    draw: int
    scenario: Scenario
    run_id: str


def run_id(scenario: Scenario) -> str:
    """The run's identity (`model.identity.run_id`): a hash of its resolved inputs and the model version."""
    return identity.run_id(scenario)


def salib_problem(factors: tuple[Factor, ...]) -> dict[str, Any]:
    """The SALib problem definition (names and bounds) of numeric range factors."""
    return {"num_vars": len(factors), "names": [f.label for f in factors],
            "bounds": [[f.range.low, f.range.high] for f in factors]}


def _python(value: Any, rng: Range) -> Any:
    """A plain Python value (rounded for integer factors) that validates and hashes the same everywhere."""
    if isinstance(value, np.generic):
        value = value.item()
    if rng.integer:
        return int(round(value))
    return float(value) if isinstance(value, float) else value


def _scale(unit: np.ndarray, factors: tuple[Factor, ...]) -> np.ndarray:
    low = np.array([f.range.low for f in factors])
    high = np.array([f.range.high for f in factors])
    return low + unit * (high - low)


def grid(factors: tuple[Factor, ...]) -> list[tuple[Any, ...]]:
    """Every combination of the factors' values (a range with ``levels`` is spread evenly); the last factor varies
    fastest."""
    axes = [f.range.values if f.range.values is not None else np.linspace(f.range.low, f.range.high, f.range.levels)
            for f in factors]
    return list(itertools.product(*axes))


def latin_hypercube(factors: tuple[Factor, ...], samples: int, seed: int) -> np.ndarray:
    """``samples`` x factors Latin-hypercube sample over each factor's low..high."""
    return _scale(qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(samples), factors)


def saltelli(factors: tuple[Factor, ...], samples: int, seed: int, second_order: bool) -> np.ndarray:
    """Saltelli's sample for Sobol indices: samples x (D + 2) points, or samples x (2D + 2) with second order."""
    return sobol_sample.sample(salib_problem(factors), samples, calc_second_order=second_order, seed=seed)


def centre(factor: Factor) -> float:
    """The centre of a one-at-a-time design: ``base`` if given, else the midpoint of low..high."""
    rng = factor.range
    return rng.base if rng.base is not None else (rng.low + rng.high) / 2


def one_at_a_time(factors: tuple[Factor, ...]) -> np.ndarray:
    """Point 0 is the centre; points 2i+1 and 2i+2 move factor i to its low and its high end."""
    base = np.array([centre(f) for f in factors])
    rows = [base]
    for i, factor in enumerate(factors):
        for end in (factor.range.low, factor.range.high):
            row = base.copy()
            row[i] = end
            rows.append(row)
    return np.array(rows)


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
    """Values of the uncertain factors for each draw: a Latin hypercube over ranges, value lists in turn."""
    uncertain, draws = sweep.uncertain, sweep.draws
    ranged = tuple(f for f in uncertain if f.range.values is None)
    sample = latin_hypercube(ranged, draws, sweep.spec.design.sample_seed + 1) if ranged else np.empty((draws, 0))
    columns = iter(sample.T)
    by_factor = [[f.range.values[k % len(f.range.values)] for k in range(draws)] if f.range.values is not None
                 else list(next(columns)) for f in uncertain]
    return [tuple(_python(col[k], f.range) for col, f in zip(by_factor, uncertain)) for k in range(draws)]


def apply(scenario: Scenario, factors: tuple[Factor, ...], values: tuple[Any, ...]) -> Scenario:
    """The scenario with each factor set to its value, merged with the scenario's own overrides."""
    if not factors:
        return scenario
    parameters = dict(scenario.parameters)
    macro = dict(scenario.macro)
    demography = scenario.demography.model_dump()
    for factor, value in zip(factors, values):
        if factor.group == "parameters":
            parameters[factor.name] = {**parameters.get(factor.name, {}), factor.range.from_: value}
        elif factor.group == "macro":
            macro[factor.name] = value
        else:
            demography[factor.name] = value
    return scenario.replaced(parameters=parameters, macro=macro, demography=demography)


def plan(sweep: Sweep, design: Design) -> list[Run]:
    """Every (point, draw) run, points in design order and draws within points."""
    variants = draw_values(sweep)
    runs = []
    for p, values in enumerate(design.points):
        scenario = apply(sweep.scenario, sweep.factors, values)
        for k, variant in enumerate(variants):  # the seed needs no validation: base seed + draw
            drawn = apply(scenario, sweep.uncertain, variant).model_copy(update={"seed": sweep.scenario.seed + k})
            runs.append(Run(p, k, drawn, run_id(drawn)))
    return runs
