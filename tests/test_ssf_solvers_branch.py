"""The SSF solvers answer for the old-age branch, the branch the verdict's solvency criterion tests, and a
contribution-rate rise goes to that branch's slice (model/solvers.py)."""

from datetime import date

import numpy as np
import pytest

import model
from model import solvers
from model.api import resolve
from model.parameters import ParameterTree

from conftest import SSF_SOLVE_FROM as FROM
from conftest import SSF_SOLVE_SCALE as SCALE
from conftest import SSF_SOLVE_THROUGH as THROUGH

# the solvers' answers are shared with tests/test_fiscal_run.py (tests/conftest.py), solved once in one process
pytestmark = pytest.mark.xdist_group("ssf_solvers")


@pytest.fixture(scope="module")
def scenario(ssf_solve_scenario):
    assert ssf_solve_scenario == resolve("baseline", scale=SCALE, end_year=THROUGH)
    return ssf_solve_scenario


@pytest.fixture(scope="module")
def rise(ssf_rise):
    return ssf_rise


def _raised(scenario, rise_pp: float):
    tree = ParameterTree.load()
    overrides = solvers._rate_rise_overrides(tree, date(FROM, 1, 1), rise_pp / 100.0)
    return model.run(scenario.replaced(parameters=overrides))


@pytest.fixture(scope="module")
def at_rise(scenario, rise):
    """The run at the solver's rise (read by two tests)."""
    return _raised(scenario, rise.answer)


def test_the_verdict_and_the_solvers_test_the_same_branch() -> None:
    assert solvers.SOLVENCY_BRANCH == "old_age"


def test_the_rise_brings_the_old_age_branch_to_zero_and_no_lower(scenario, rise, at_rise) -> None:
    assert rise.answer > 0 and "old-age branch's lowest reserve" in rise.check
    at = at_rise
    low, contributions = solvers._minimum_reserve(at, FROM, THROUGH)
    assert abs(low) <= solvers.RESERVE_TOLERANCE * contributions
    below = _raised(scenario, rise.answer - 0.1)
    assert solvers._minimum_reserve(below, FROM, THROUGH)[0] < 0


def test_the_rise_goes_to_the_old_age_slice_only(scenario, rise, at_rise) -> None:
    """Section 33's rise goes wholly to the old-age branch; section 39's fixed contribution, split by the section 33
    branch rates, moves a little from short term to old age; the unemployment branch keeps every baht."""
    base, raised = model.run(scenario), at_rise
    change = raised.ssf_branch_contributions - base.ssf_branch_contributions
    np.testing.assert_allclose(raised.ssf_branch_contributions.sel(ssf_branch="unemployment"),
                               base.ssf_branch_contributions.sel(ssf_branch="unemployment"), rtol=1e-12)
    np.testing.assert_array_equal(change.sel(year=slice(2023, FROM - 1)), 0.0)
    years = slice(FROM, THROUGH)
    wages = base.insurable_wages.sel(scheme="ssf_s33", year=years)
    np.testing.assert_allclose(change.sel(ssf_branch=["old_age", "short_term"], year=years).sum("ssf_branch"),
                               rise.answer / 100.0 * wages, rtol=1e-9)
    shift = -change.sel(ssf_branch="short_term", year=years)
    assert (shift >= 0).all() and (shift < 0.05 * rise.answer / 100.0 * wages).all()


def test_the_pension_age_keeps_the_old_age_branch_solvent(scenario, ssf_pension_age) -> None:
    age = ssf_pension_age
    at = model.run(scenario.replaced(parameters={"ssf_s33.pension.age": {date(FROM, 1, 1): int(age.answer)}}))
    assert solvers._minimum_reserve(at, FROM, THROUGH)[0] >= 0
    assert "old-age branch" in age.check or "already suffices" in age.check
