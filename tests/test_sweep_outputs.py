"""The output registry: names, years, units, and errors only when an output's variables are missing."""

import numpy as np
import pytest
import xarray as xr

from model import outputs
from model.errors import ModelInputError

YEARS = np.arange(2023, 2038)


def fiscal_result(reserve_sign_change: int | None = 2031) -> xr.Dataset:
    """A synthetic result with the fiscal variables of the result contract."""
    schemes = ["old_age_allowance", "csmbs"]
    reserve = np.where(YEARS < (reserve_sign_change or 9999), 1e12, -1e12)
    population = np.ones((len(YEARS), 2, 101)) * 1000.0
    return xr.Dataset(
        {
            "population": (("year", "sex", "age"), population),
            "births": (("year",), np.full(len(YEARS), 500.0)),
            "benefit_cost": (("year", "scheme"), np.ones((len(YEARS), 2)) * 1e11),
            "contributions": (("year", "scheme"), np.ones((len(YEARS), 2)) * 5e10),
            "cost_pct_gdp": (("year", "scheme"), np.tile([0.5, 0.25], (len(YEARS), 1))),
            "gdp": (("year",), np.full(len(YEARS), 2e13)),
            "ssf_reserve": (("year",), reserve),
            "public_debt_pct_gdp": (("year",), np.linspace(60, 68, len(YEARS))),
        },
        coords={"year": YEARS, "sex": ["male", "female"], "age": np.arange(101), "scheme": schemes},
    )


def test_population_outputs_from_a_demographic_result():
    ds = fiscal_result()[["population", "births"]]
    assert outputs.compute(ds, "total_population_2037").item() == 202 * 1000.0
    ratio = outputs.compute(ds, "old_age_dependency_ratio")
    assert ratio.dims == ("year",) and np.allclose(ratio, 100 * 36 / 50)  # ages 65..100 over 15..64
    assert outputs.compute(ds, "total_population_2037").attrs["units"] == "persons"
    assert set(outputs.available(ds)) >= {"total_population", "old_age_dependency_ratio", "total_births"}
    assert "total_cost_pct_gdp" not in outputs.available(ds)


def test_fiscal_outputs():
    ds = fiscal_result()
    assert outputs.compute(ds, "total_cost_pct_gdp_2037").item() == pytest.approx(0.75)
    assert outputs.compute(ds, "old_age_allowance_cost_pct_gdp_2030").item() == pytest.approx(0.5)
    assert outputs.compute(ds, "ssf_depletion_year").item() == 2031
    ceiling = outputs.debt_ceiling_pct_gdp()
    assert ceiling == 70.0
    assert outputs.compute(ds, "min_debt_headroom_pct_gdp").item() == pytest.approx(2.0)
    assert outputs.compute(ds, "ssf_reserve_pct_gdp").sel(year=2023).item() == pytest.approx(5.0)


def test_depletion_year_is_censored_when_the_fund_lasts():
    depletion = outputs.compute(fiscal_result(reserve_sign_change=None), "ssf_depletion_year")
    assert np.isnan(depletion.item()) and depletion.attrs["censored_at"] == 2038
    assert outputs.fill_censored(depletion).item() == 2038


def test_missing_variables_raise_only_when_requested():
    ds = fiscal_result()[["population"]]
    outputs.compute(ds, "total_population")
    with pytest.raises(outputs.OutputUnavailable, match="needs result variable.*cost_pct_gdp"):
        outputs.compute(ds, "total_cost_pct_gdp_2037")
    with pytest.raises(outputs.OutputUnavailable, match="has no year 2040"):
        outputs.compute(ds, "total_population_2040")
    with pytest.raises(outputs.OutputUnavailable, match="no scheme 'welfare_card'"):
        outputs.compute(fiscal_result(), "welfare_card_cost_pct_gdp")


@pytest.mark.parametrize("name, scalar", [("total_population", False), ("total_population_2030", True),
                                          ("ssf_depletion_year", True), ("welfare_card_cost_pct_gdp_2037", True)])
def test_names(name, scalar):
    assert outputs.is_scalar(name) is scalar


@pytest.mark.parametrize("name", ["no_such_output", "ssf_depletion_year_2030", "total_population_20x0", ""])
def test_unknown_names(name):
    with pytest.raises(ModelInputError, match="unknown output"):
        outputs.parse(name)


def test_year_check():
    outputs.check_year("total_population_2037", 2023, 2037)
    with pytest.raises(ModelInputError, match="outside the projection years 2023-2030"):
        outputs.check_year("total_population_2037", 2023, 2030)


def test_old_age_branch_outputs_beside_the_pooled_fund():
    """The old-age branch's reserve and depletion year, as the verdict tests it, next to the pooled fund's."""
    ds = fiscal_result(reserve_sign_change=None)
    branches = ["old_age", "short_term", "unemployment"]
    by_branch = np.tile([-2e11, 5e11, 7e11], (len(YEARS), 1))
    by_branch[YEARS < 2034, 0] = 4e11  # the old-age branch runs dry in 2034 while the pool stays positive
    ds = ds.assign(ssf_reserve_by_branch=(("year", "ssf_branch"), by_branch)).assign_coords(ssf_branch=branches)
    assert np.isnan(outputs.compute(ds, "ssf_depletion_year").item())
    assert outputs.compute(ds, "ssf_old_age_depletion_year").item() == 2034
    assert outputs.compute(ds, "ssf_old_age_reserve_pct_gdp_2023").item() == pytest.approx(2.0)
    never = ds.assign(ssf_reserve_by_branch=ds.ssf_reserve_by_branch.where(False, 1e12))
    assert outputs.fill_censored(outputs.compute(never, "ssf_old_age_depletion_year")).item() == YEARS[-1] + 1
    with pytest.raises(outputs.OutputUnavailable, match="ssf_reserve_by_branch"):
        outputs.compute(fiscal_result(), "ssf_old_age_depletion_year")

