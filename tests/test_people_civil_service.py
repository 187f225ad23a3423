"""Officials' salary profile (model.population.wages): the entry salary rising with age, solved to the officials'
mean salary, by hand; and in a run, officials keep to it while state employees keep the civil-service wage."""

import numpy as np
import pytest

from model.api import resolve
from model.population.axes import N_AGES
from model.population.status import CIVIL_SERVANT
from model.population.targets import default_targets
from model.population.wages import official_medians, official_profile, official_slope
from model.simulation import SocialSecurityModel


def test_profile_rises_from_the_entry_salary_to_the_last_age_of_service():
    # Slope 0.04 from 25: at 35 e^0.4 = 1.49182; at 59 (last age of service before 60) e^1.36 = 3.89619, flat
    # after; below 25 the entry salary. Entry salary 15,000: 35-year-old men 22,377.37, women × 0.92 = 20,587.18.
    profile = official_profile(0.04, 25.0, 60.0)
    np.testing.assert_allclose(profile[[20, 25, 35, 59, 62, 100]],
                               [1.0, 1.0, 1.4918247, 3.8961933, 3.8961933, 3.8961933], rtol=1e-7)
    medians = official_medians(15_000.0, 0.04, 0.92, 25.0, 60.0)
    assert medians.shape == (2, N_AGES)
    np.testing.assert_allclose(medians[:, 35], [22_377.37, 20_587.18], rtol=1e-6)


def test_slope_is_solved_to_the_mean_salary():
    # All officials men aged 35, spread 0: a mean of 15,000 × e^0.4 = 22,377.37 needs slope 0.04. With spread 0.4
    # the mean is the median × e^0.08, so 22,377.37 × e^0.08 needs the same slope. Half men, half women at 35:
    # mean = 22,377.37 × (1 + 0.92) / 2 = 21,482.28 at slope 0.04.
    counts = np.zeros((2, N_AGES))
    counts[0, 35] = 10.0
    assert official_slope(counts, 15_000.0, 22_377.37, 0.0, 0.92, 25.0, 60.0) == pytest.approx(0.04, abs=1e-7)
    assert official_slope(counts, 15_000.0, 22_377.37 * np.exp(0.08), 0.4, 0.92, 25.0, 60.0) == pytest.approx(
        0.04, abs=1e-7)
    counts[1, 35] = 10.0
    assert official_slope(counts, 15_000.0, 21_482.28, 0.0, 0.92, 25.0, 60.0) == pytest.approx(0.04, abs=1e-7)


def test_a_mean_below_the_entry_salary_has_no_profile():
    counts = np.ones((2, N_AGES))
    with pytest.raises(ValueError, match="no salary slope"):
        official_slope(counts, 15_000.0, 14_000.0, 0.4, 0.92, 25.0, 60.0)


@pytest.fixture(scope="module")
def model():
    """A baseline at 1,000 persons per row after three years."""
    m = SocialSecurityModel(resolve("baseline", scale=1000))
    base = m.persons
    officials = (base.status == CIVIL_SERVANT) & ~base.state_employee
    m.base_official_mean = float(base.wage[officials].mean())
    for _ in range(3):
        m.step()
    return m


def test_base_year_officials_average_their_target(model):
    assert model.base_official_mean == pytest.approx(default_targets().value("mean_wage.official"), rel=0.02)


def test_officials_keep_to_their_profile_and_state_employees_to_the_civil_service_wage(model):
    p = model.persons
    civil = p.status == CIVIL_SERVANT
    officials, employees = civil & ~p.state_employee, civil & p.state_employee
    table = p.tables["official_median_wage"]
    for lo in (30, 40, 50):  # median salary of men officials in a ten-year band against the table's medians
        band = officials & (p.sex == 0) & (p.age >= lo) & (p.age < lo + 10)
        expected = np.median(table[0, p.age[band]])
        assert np.median(p.wage[band]) == pytest.approx(expected, rel=0.1)
    civil_medians = p.tables["median_wage"][CIVIL_SERVANT]
    older = employees & (p.age >= 50) & (p.age < 60)
    assert np.median(p.wage[older] / civil_medians[p.sex[older], p.age[older]]) == pytest.approx(1.0, rel=0.1)
    assert p.wage[officials & (p.age >= 55) & (p.age < 60)].mean() > 2.5 * p.wage[officials & (p.age < 30)].mean()
