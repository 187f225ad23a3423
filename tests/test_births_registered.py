"""The registered-births scenario and the demography block's by-year fertility path {year: multiplier}."""

import numpy as np
import pytest

import model
from model.errors import ModelInputError
from model.population.cohort import project_cohorts
from model.population.rates import load_inputs
from model.scenario import load_scenario, scenario_from_text
from model.simulation import scenario_inputs

REGISTERED_2023 = 519_000  # births registered in 2023 (IPSR, Mahidol University, from the civil registration)


def test_scenario_births_2023_match_the_registration_at_scale_100():
    ds = model.run("births_registered", scale=100, seed=1, end_year=2023)
    assert float(ds.births.sel(year=2023)) == pytest.approx(REGISTERED_2023, rel=0.02)


def test_scenario_keeps_wpp_medium_as_reference():
    baseline, registered = load_scenario("baseline"), load_scenario("births_registered")
    assert baseline.demography.fertility_path == {}
    assert registered.base == "baseline" and registered.parameters == baseline.parameters
    assert registered.demography.mortality_multiplier == registered.demography.migration_multiplier == 1.0


def test_expected_births_follow_the_registration():
    """Expected births of 2023-2025 equal the registered counts the multipliers were derived from (0.1%)."""
    births = project_cohorts(scenario_inputs(load_scenario("births_registered")), 2023, 2025).births.values
    np.testing.assert_allclose(births, [519_000, 462_240, 416_574], rtol=1e-3)


def test_path_worked_case():
    """{2025: 0.8, 2030: 0.5} on top of a 0.9 multiplier: 0.9 before 2025, 0.9 x 0.8 = 0.72 in 2025-2029,
    0.9 x 0.5 = 0.45 from 2030; every age scaled alike, mortality and migration untouched."""
    scenario = scenario_from_text("name: t\ndemography:\n  fertility_multiplier: 0.9\n"
                                  "  fertility_path: {2030: 0.5, 2025: 0.8}\n")
    factors = scenario.demography.fertility_factors([2023, 2024, 2025, 2029, 2030, 2100])
    np.testing.assert_allclose(factors, [0.9, 0.9, 0.72, 0.72, 0.45, 0.45])
    wpp, inputs = load_inputs(), scenario_inputs(scenario)
    for year, factor in ((2024, 0.9), (2027, 0.72), (2031, 0.45)):
        i = wpp.index(year)
        np.testing.assert_allclose(inputs.asfr[i], wpp.asfr[i] * factor)
    np.testing.assert_array_equal(inputs.mx, wpp.mx)
    np.testing.assert_array_equal(inputs.net_migration, wpp.net_migration)


def test_a_path_of_ones_is_the_published_variant():
    scenario = scenario_from_text("name: t\ndemography:\n  fertility_path: {2023: 1.0}\n")
    np.testing.assert_array_equal(scenario_inputs(scenario).asfr, load_inputs().asfr)


def test_the_path_changes_the_run_identity():
    from model.identity import run_id

    base = load_scenario("baseline")
    assert run_id(base) != run_id(base.replaced(demography={"fertility_path": {2030: 0.9}}))


@pytest.mark.parametrize("path, expected", [
    ("{2020: 0.9}", "field 'demography.fertility_path': year 2020 is outside the data: fertility_path years must "
                    "be between 2023 and 2100"),
    ("{2101: 0.9}", "year 2101 is outside the data"),
    ("{2030: -0.5}", "field 'demography.fertility_path.2030': Input should be greater than 0 (got -0.5)"),
    ("{2030: 0}", "field 'demography.fertility_path.2030': Input should be greater than 0 (got 0)"),
    ("{2030: 4}", "field 'demography.fertility_path.2030': Input should be less than or equal to 3 (got 4)"),
    ("{next: 0.9}", "field 'demography.fertility_path.next': Input should be a valid integer"),
    ("0.9", "field 'demography.fertility_path': Input should be a valid dictionary (got 0.9)"),
])
def test_bad_path_is_one_clear_error(path, expected):
    with pytest.raises(ModelInputError) as error:
        scenario_from_text(f"name: t\ndemography:\n  fertility_path: {path}\n")
    message = str(error.value)
    assert expected in message and "\n" not in message, message
