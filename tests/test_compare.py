"""Scenario comparison: one Dataset with a `scenario` dimension and tables of reform minus base."""

import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from model.cli import main
from model.compare import compare, compare_results, comparison_tables, difference, format_comparison, verdict_variables
from model.errors import ModelInputError
from model.parameters import ParameterTree
from model.scenario import load_scenario

from test_sweep_outputs import fiscal_result


def result(name: str, cost_factor: float = 1.0, debt_ok: bool = True) -> xr.Dataset:
    """A synthetic result with fiscal variables and a boolean verdict by criterion and year."""
    ds = fiscal_result()
    ds["benefit_cost"] = ds["benefit_cost"] * cost_factor
    ds["cost_pct_gdp"] = ds["cost_pct_gdp"] * cost_factor
    verdict = np.ones((ds.sizes["year"], 2), dtype=bool)
    verdict[-1, 0] = debt_ok
    ds["criterion_met"] = (("year", "criterion"), verdict)
    ds = ds.assign_coords(criterion=["public_debt_ceiling", "ssf_reserve_positive"])
    ds["first_breach_year"] = ("criterion", [np.nan if debt_ok else 2037.0, np.nan])
    return ds.assign_attrs(scenario=name, seed=1, scale=1000.0, parameters_hash=name * 3)


def test_comparison_dataset_has_a_scenario_dimension():
    ds = compare_results(result("baseline"), result("oaa_1000", cost_factor=1.5))
    assert list(ds["scenario"].values) == ["baseline", "oaa_1000"]
    assert list(ds["role"].values) == ["base", "reform"]
    assert list(ds["parameters_hash"].values) == ["baseline" * 3, "oaa_1000" * 3]
    assert ds["benefit_cost"].dims == ("scenario", "year", "scheme")
    diff = difference(ds)
    assert diff["cost_pct_gdp"].sel(year=2037, scheme="old_age_allowance").item() == pytest.approx(0.25)
    assert "criterion_met" not in diff


def test_tables_show_costs_indicators_and_verdicts():
    ds = compare_results(result("baseline"), result("reform", cost_factor=1.5, debt_ok=False))
    tables = dict(comparison_tables(ds))
    by_scheme = tables["Benefit cost by scheme in 2037, THB bn, nominal"]
    assert by_scheme.loc["total", "base"] == pytest.approx(200.0)
    assert by_scheme.loc["total", "difference"] == pytest.approx(100.0)
    assert by_scheme.loc["csmbs", "difference %"] == pytest.approx(50.0)
    pct = tables["Total benefit cost by year, percent of GDP"]
    assert list(pct.index) == [2023, 2025, 2030, 2035, 2037]
    assert pct.loc[2037, "difference"] == pytest.approx(0.375)
    indicators = tables["Indicators (yearly ones in 2037)"]
    assert indicators.loc["total_cost_pct_gdp_2037 (percent of GDP)", "reform"] == pytest.approx(1.125)
    assert indicators.loc["ssf_depletion_year (calendar year (NaN: not depleted))", "base"] == 2031
    assert indicators.loc["first_breach_year public_debt_ceiling", "reform"] == 2037
    assert not any("csmbs" in label for label in indicators.index)  # per-scheme costs have their own table
    verdicts = tables["Sustainability verdicts (booleans: holds in every year)"]
    assert verdicts.loc["criterion_met public_debt_ceiling", "changed"]
    assert not verdicts.loc["criterion_met ssf_reserve_positive", "changed"]
    assert verdict_variables(ds) == ["criterion_met"]
    text = format_comparison(ds)
    assert "base: baseline   reform: reform" in text and "Sustainability verdicts" in text


def test_sections_without_their_variables_are_left_out():
    base = result("a")[["population", "births"]].assign_attrs(scenario="a")
    tables = dict(comparison_tables(compare_results(base, base.assign_attrs(scenario="b"))))
    assert list(tables) == ["Indicators (yearly ones in 2037)"]


def test_same_names_get_roles_and_different_years_are_refused():
    ds = compare_results(result("x"), result("x"))
    assert list(ds["scenario"].values) == ["x (base)", "x (reform)"]
    with pytest.raises(ModelInputError, match="different years"):
        compare_results(result("a"), result("b").sel(year=slice(2023, 2030)))


@pytest.mark.slow
def test_compare_command_runs_both_and_writes_one_dataset(tmp_path, capsys):
    reform = tmp_path / "longer_lives.yaml"
    reform.write_text("name: longer_lives\nbase: baseline\ndemography:\n  mortality_multiplier: 0.8\n")
    out = tmp_path / "comparison.nc"
    args = ["compare", "baseline", str(reform), "--scale", "5000", "--end-year", "2027", "--out", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "base: baseline   reform: longer_lives   years 2023-2027" in text and "total_population_2027" in text
    ds = xr.load_dataset(out, engine="h5netcdf")
    assert list(ds["scenario"].values) == ["baseline", "longer_lives"]
    population = ds["population"].sum(["sex", "age"]).sel(year=2027)
    assert population.sel(scenario="longer_lives") > population.sel(scenario="baseline")
    assert not list(tmp_path.glob(".*.tmp"))


def test_model_compare_is_the_function_the_readme_names():
    import model
    import model.compare  # noqa: F401 - importing the module by name keeps model.compare the function

    assert model.compare is compare and "compare" in model.__all__
    ds = model.compare("baseline", "oaa_ladder_2025", scale=5000, end_year=2026)
    assert list(ds["role"].values) == ["base", "reform"]
    assert ds["run_id"].values[0] != ds["run_id"].values[1] and ds.attrs["model_version"]
    law = ParameterTree.load()  # parameters_hash hashes the resolved tree, not the overrides
    reform = law.with_overrides(load_scenario("oaa_ladder_2025").parameters)
    assert list(ds["parameters_hash"].values) == [law.fingerprint(), reform.fingerprint()]


def test_importing_the_sweep_package_does_not_import_the_command_line():
    code = "import sys, model.sweep; assert 'model.cli' not in sys.modules, sorted(sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
