"""The base-year household income distribution: its solved parameters hit the targets and are remembered by their
inputs only."""

import numpy as np
import pytest

from model.population import income
from model.population.income import gini

TARGETS = {"mean": 100_000.0, "gini_target": 0.35, "poor": 0.06, "line": 35_000.0}  # THB/person/year, fraction


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(7)
    return rng.normal(0.0, 0.3, 20_000).astype(np.float32), rng.standard_normal(20_000)


def test_solved_distribution_reproduces_mean_gini_and_poverty(sample):
    shift, noise = sample
    floor, mu, sigma = income.solve_distribution(shift, noise, **TARGETS)
    values = floor + np.exp(mu + shift + sigma * noise)
    assert values.mean() == pytest.approx(TARGETS["mean"], rel=1e-9)
    assert gini(values) == pytest.approx(TARGETS["gini_target"], abs=1e-4)
    assert np.mean(values < TARGETS["line"]) == pytest.approx(TARGETS["poor"], abs=0.005)


def test_solution_is_remembered_by_its_inputs(sample):
    shift, noise = sample
    first = income.solve_distribution(shift, noise, **TARGETS)
    assert income.solve_distribution(shift.copy(), noise.copy(), **TARGETS) == first  # equal inputs: same answer
    assert first == income._solve(shift, noise, **TARGETS)  # the remembered answer is the solver's
    other_line = income.solve_distribution(shift, noise, **{**TARGETS, "line": 36_000.0})
    other_noise = income.solve_distribution(shift, noise[::-1].copy(), **TARGETS)
    assert other_line != first and other_noise != first
