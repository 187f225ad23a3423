"""Shared fixtures: whole runs are expensive, so each is computed once per test process."""

import pytest

import model
from model.population.rates import load_inputs


@pytest.fixture(scope="session")
def inputs():
    """WPP single-age inputs for every year the data covers."""
    return load_inputs()


@pytest.fixture(scope="session")
def baseline_1000():
    """Baseline 2023-2037 at 1,000 persons per row."""
    return model.run("baseline", scale=1000)
