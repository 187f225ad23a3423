"""Household income per person: the base-year distribution's solved parameters hit the targets and are remembered
by their inputs only; the yearly process keeps incomes positive, its shocks have mean zero in logs, and poverty
before transfers falls with real growth without vanishing."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import resolve, simulate
from model.population import households, income
from model.population.income import gini
from model.population.persons import Persons
from model.simulation import SocialSecurityModel

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


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), households=st.integers(1, 300), floor=st.floats(0.0, 1e5))
def test_gini_of_households_repeated_in_order_is_that_of_the_rows(seed, households, floor):
    """The base-year fit's Gini of pooled incomes (model.population.income._solve): each household's value, sorted
    and repeated by its members (`sorted_members`), gives exactly the sorted rows' values and their Gini, ties and
    rounding included."""
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 6, households)
    group = rng.permutation(np.repeat(np.arange(households), size))
    pooled = floor + np.round(rng.lognormal(10.0, 1.0, households), int(rng.integers(-3, 3)))  # with ties
    assert income.gini_of_sorted(income.sorted_members(pooled, size)) == gini(pooled[group])
    assert income.sorted_members(pooled, size).tobytes() == np.sort(pooled[group]).tobytes()
    negative = pooled - pooled.mean()  # numpy's sort for values the radix sort does not order
    assert income.sorted_members(negative, size).tobytes() == np.sort(negative[group]).tobytes()


@settings(max_examples=30, deadline=None)
@given(rho=st.floats(0.0, 0.99), share=st.floats(0.0, 0.9), sigma=st.floats(0.2, 1.5), seed=st.integers(0, 2**32 - 1))
def test_shocks_have_mean_zero_in_logs_and_keep_the_spread(rho, share, sigma, seed):
    """From the stationary distribution (z ~ N(0, (1 − share) σ²), e ~ N(0, share σ²)) one year of shocks leaves the
    log deviation z + e with mean 0 and variance σ², and the shocks eta = z' − rho z and e' have mean 0."""
    rng = np.random.default_rng(seed)
    n = 200_000
    z = (sigma * np.sqrt(1.0 - share) * rng.standard_normal(n)).astype(np.float32)
    params = _Params(rho, share)
    _, sd_eta, sd_e = income.shock_sds(params, 2024, sigma)
    z_new, e_new = income.shocks(z, rho, sd_eta, sd_e, rng)
    se = sigma / np.sqrt(n)
    assert abs(np.mean(z_new - np.float32(rho) * z)) < 5 * se and abs(np.mean(e_new)) < 5 * se
    total = z_new.astype(float) + e_new
    assert abs(total.mean()) < 5 * se
    assert total.var() == pytest.approx(sigma ** 2, rel=0.03)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 2**32 - 1), years=st.integers(1, 5),
       wage_growth=st.floats(-0.05, 0.1), outside_growth=st.floats(-0.05, 0.1))
def test_income_stays_positive_finite_and_above_the_floor(base, n, seed, years, wage_growth, outside_growth):
    """Growth and shocks never give a negative, zero or missing income, nor one below income from outside work."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(base.persons), n)
    persons = Persons(base.persons.as_columns(rows), base.persons.scale)
    persons.tables = copy.deepcopy(base.persons.tables)
    for year in range(2023, 2023 + years):
        income.grow_income(persons, wage_growth, outside_growth)
        income.shock_income(persons, base.params, year, rng, income.household_draws(persons, rng))
        floor = persons.tables["income"][0]
        assert np.isfinite(persons.income).all() and (persons.income > 0).all()
        assert (persons.income >= np.float32(floor) * np.float32(1 - 1e-6)).all()
        assert np.isfinite(persons.income_transitory).all()


def test_poverty_before_transfers_declines_with_growth_but_stays(long_run):
    """Baseline to 2060 at 1,000 persons per row (positive real wage growth every year): poverty of all persons
    before transfers falls decade by decade, stays above zero, and in 2037 is still at least 30% of 2023's."""
    rate = long_run.poverty_rate.sel(group="all", income_basis="before_transfers")
    decades = [float(rate.sel(year=slice(y, y + 4)).mean()) for y in (2023, 2033, 2043, 2053)]
    assert all(later < earlier for earlier, later in zip(decades, decades[1:]))
    assert (rate > 0).all()
    assert float(rate.sel(year=2037)) >= 0.3 * float(rate.sel(year=2023))


@pytest.fixture(scope="module")
def base():
    """A base population (1,000 persons per row) whose rows and tables the income tests borrow."""
    return SocialSecurityModel(resolve("baseline", scale=1000))


@pytest.fixture(scope="module")
def long_run():
    return simulate(resolve("baseline", scale=1000, end_year=2060))[0]


class _Params:
    """The two shock parameters as the income module reads them (`mid_year`)."""

    def __init__(self, rho: float, share: float):
        self.values = {"population.income.persistence": rho, "population.income.transitory_share": share}

    def mid_year(self, path: str, year: int) -> float:
        return self.values[path]


def test_household_draws_made_before_renumbering_reach_each_row_as_after(base):
    """The shocks' draws made for the ids with members while empty ids remain (model.population.attributes makes
    them before `households.renumber`): each row gets the numbers it gets when drawn after the renumbering."""
    before = Persons(base.persons.as_columns(np.arange(len(base.persons))), base.persons.scale)
    before.hh[:] = 3 * before.hh + 1  # ids 0, 2, 3, 5, ... left empty
    size = np.bincount(before.hh)
    early = income.household_draws(before, np.random.default_rng(4), size)
    after = Persons(before.as_columns(np.arange(len(before))), before.scale)
    assert households.renumber(after, size).size == np.count_nonzero(size)
    late = income.household_draws(after, np.random.default_rng(4))
    for drawn_early, drawn_late in zip(early, late, strict=True):
        assert drawn_late.size == np.count_nonzero(size)
        np.testing.assert_array_equal(drawn_early[before.hh], drawn_late[after.hh])
