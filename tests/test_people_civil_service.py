"""Officials' salary profile (model.population.wages): the entry salary rising with age, solved to the officials'
mean salary, by hand; and in a run, officials keep to it while state employees keep the civil-service wage. Local
officials (model.population.civil_service): drawn at their share, outside the GPF and the central pensions."""

from datetime import date

import numpy as np
import pytest

from model.api import resolve
from model.population.axes import N_AGES
from model.population.civil_service import local_officials, update_civil_service
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INACTIVE, RETIRED, SSF_S33
from model.population.targets import default_targets
from model.population.wages import official_medians, official_profile, official_slope
from model.simulation import SocialSecurityModel

from scheme_cases import TREE


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
    officials = (base.status == CIVIL_SERVANT) & ~base.values_of("state_employee")
    m.base_official_mean = float(base.wage[officials].mean())
    for _ in range(3):
        m.step()
    return m


def test_base_year_officials_average_their_target(model):
    assert model.base_official_mean == pytest.approx(default_targets().value("mean_wage.official"), rel=0.02)


def test_officials_keep_to_their_profile_and_state_employees_to_the_civil_service_wage(model):
    p = model.persons
    civil = p.status == CIVIL_SERVANT
    officials, employees = civil & ~p.values_of("state_employee"), civil & p.values_of("state_employee")
    table = p.tables["official_median_wage"]
    for lo in (30, 40, 50):  # median salary of men officials in a ten-year band against the table's medians
        band = officials & (p.sex == 0) & (p.age >= lo) & (p.age < lo + 10)
        expected = np.median(table[0, p.age[band]])
        assert np.median(p.wage[band]) == pytest.approx(expected, rel=0.1)
    civil_medians = p.tables["median_wage"][CIVIL_SERVANT]
    older = employees & (p.age >= 50) & (p.age < 60)
    assert np.median(p.wage[older] / civil_medians[p.sex[older], p.age[older]]) == pytest.approx(1.0, rel=0.1)
    assert p.wage[officials & (p.age >= 55) & (p.age < 60)].mean() > 2.5 * p.wage[officials & (p.age < 30)].mean()


# --- local-government officials: outside the GPF and the central pension line ---------------------------------

def _civil_service_rows(n: int, **columns: object) -> Persons:
    """`n` rows, aged 61 unless given, with the official salary table the entrants' salaries are drawn from."""
    table = {"age": np.full(n, 61), "sex": np.zeros(n, dtype=np.int8), "thai": np.ones(n, dtype=bool)}
    table.update({name: np.asarray(values) for name, values in columns.items()})
    persons = Persons(table, 1.0)
    persons.tables["official_median_wage"] = official_medians(15_000.0, 0.04, 0.92, 25.0, 60.0)
    return persons


def test_local_officials_are_drawn_at_their_share():
    # 100,000 officials at a share of 0.143: 14,300 expected, standard deviation sqrt(1e5 × 0.143 × 0.857) = 111.
    drawn = local_officials(np.arange(100_000), 0.143, np.random.default_rng(1))
    assert abs(drawn.size - 14_300) < 4 * 111
    assert local_officials(np.arange(50), 0.0, np.random.default_rng(1)).size == 0
    assert local_officials(np.arange(50), 1.0, np.random.default_rng(1)).tolist() == list(range(50))


def test_retiring_local_officials_draw_no_central_pension_or_gratuity():
    # Rows 0-1: central and local officials retiring at 61 with 30 years of service; the central one draws a
    # state pension or (share gratuity_share) the one-off gratuity, 40,000 × 30 = 1,200,000 THB; the local one
    # neither. Row 2: a local official leaving for a section 33 job loses the flag.
    persons = _civil_service_rows(3, status=[RETIRED, RETIRED, SSF_S33], local_official=[False, True, True],
                                  service_years=[30.0, 30.0, 10.0], cs_last_salary=[40_000.0] * 3)
    update_civil_service(persons, np.arange(3), np.full(3, CIVIL_SERVANT), default_targets(), TREE, 2024,
                         np.random.default_rng(0))
    pensioner, due = persons.values_of("state_pensioner"), persons.values_of("cs_gratuity_due")
    central_paid = pensioner[0] or due[0] == pytest.approx(1_200_000.0)
    assert central_paid and pensioner[0] != (due[0] > 0)
    assert not pensioner[1] and persons.values_of("local_official")[1]
    assert persons.values_of("cs_gratuity_due")[1] == 0.0
    assert not persons.values_of("local_official")[2]


def test_entrants_local_officials_are_not_gpf_members():
    # 50,000 entrants aged 25: state employees at the targets' ratio (1.2 / 3.0 = 0.4), then local officials at
    # 0.143 of the 30,000 officials (4,290 expected, sd 61); every other official joins the GPF by law.
    n = 50_000
    persons = _civil_service_rows(n, age=np.full(n, 25), status=np.full(n, CIVIL_SERVANT))
    update_civil_service(persons, np.arange(n), np.full(n, INACTIVE), default_targets(), TREE, 2024,
                         np.random.default_rng(0))
    officials = ~persons.values_of("state_employee")
    assert abs(officials.sum() - 30_000) < 4 * np.sqrt(n * 0.4 * 0.6)
    share = TREE.get("population.civil_service.local_official_share", date(2024, 7, 1))
    expected = officials.sum() * share
    assert abs(persons.values_of("local_official").sum() - expected) < 4 * np.sqrt(expected * (1 - share))
    assert not (persons.values_of("local_official") & persons.values_of("state_employee")).any()
    np.testing.assert_array_equal(persons.values_of("gpf_member"), officials & ~persons.values_of("local_official"))
    assert (persons.wage[officials] > 0).all()


def test_in_a_run_local_officials_are_neither_gpf_members_nor_state_pensioners(model):
    p = model.persons
    officials = (p.status == CIVIL_SERVANT) & ~p.values_of("state_employee")
    share = (officials & p.values_of("local_official")).sum() / officials.sum()
    assert share == pytest.approx(TREE.get("population.civil_service.local_official_share", date(2026, 7, 1)),
                                  abs=0.02)
    assert not (p.values_of("local_official") & p.values_of("gpf_member")).any()
    assert not (p.values_of("local_official") & p.values_of("state_pensioner")).any()
    assert not (p.values_of("local_official") & (p.values_of("cs_gratuity_due") > 0)).any()
    assert not (p.values_of("local_official") & ~((p.status == CIVIL_SERVANT) | (p.status == RETIRED))).any()
