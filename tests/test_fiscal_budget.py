"""Budget aggregates on a synthetic results Dataset: real terms, shares, who finances what."""

import numpy as np
import pytest
import xarray as xr

from model.errors import ModelInputError
from model.fiscal.budget import (
    GOVERNMENT_CONTRIBUTION_SCHEMES,
    PAYERS,
    SSF_SCHEMES,
    TAX_FINANCED_SCHEMES,
    add_budget_aggregates,
)
from model.fiscal.macro import load_macro
from model.schemes.registry import SCHEMES

YEARS = np.arange(2023, 2028)


@pytest.fixture(scope="module")
def macro():
    return load_macro(years=range(2023, 2038))


@pytest.fixture()
def results():
    """Scheme s costs (s + 1) bn in 2023, growing 10% a year; each payer pays 1, 2, 3 bn to every scheme."""
    growth = 1.1 ** np.arange(len(YEARS))[:, None]
    cost = (np.arange(len(SCHEMES)) + 1.0)[None, :] * 1e9 * growth
    contributions = np.broadcast_to(np.array([1.0, 2.0, 3.0]) * 1e9, (len(YEARS), len(SCHEMES), 3)).copy()
    coords = {"year": YEARS, "scheme": list(SCHEMES), "payer": list(PAYERS)}
    return xr.Dataset(
        {
            "benefit_cost": (("year", "scheme"), cost, {"units": "THB"}),
            "contributions_by_payer": (("year", "scheme", "payer"), contributions, {"units": "THB"}),
        },
        coords=coords,
    )


def test_scheme_lists_cover_the_contract_once():
    assert set(TAX_FINANCED_SCHEMES) | set(GOVERNMENT_CONTRIBUTION_SCHEMES) == set(SCHEMES)
    assert not set(TAX_FINANCED_SCHEMES) & set(GOVERNMENT_CONTRIBUTION_SCHEMES)
    assert set(SSF_SCHEMES) < set(GOVERNMENT_CONTRIBUTION_SCHEMES)


def test_government_and_fund_financed_cost(results, macro):
    out = add_budget_aggregates(results, macro)
    growth = 1.1 ** np.arange(len(YEARS))
    tax = sum(SCHEMES.index(s) + 1 for s in TAX_FINANCED_SCHEMES)
    expected_government = tax * 1e9 * growth + 3e9 * len(GOVERNMENT_CONTRIBUTION_SCHEMES)
    np.testing.assert_allclose(out["government_cost"], expected_government)
    ssf = sum(SCHEMES.index(s) + 1 for s in SSF_SCHEMES)
    np.testing.assert_allclose(out["fund_financed_cost"], ssf * 1e9 * growth)
    np.testing.assert_allclose(out["total_cost"], sum(range(1, len(SCHEMES) + 1)) * 1e9 * growth)


def test_real_terms_and_shares(results, macro):
    out = add_budget_aggregates(results, macro)
    m = macro.to_dataset().sel(year=YEARS)
    np.testing.assert_allclose(out["gdp"], m["gdp"])
    np.testing.assert_allclose(out["cost_real"].sel(year=2023), results["benefit_cost"].sel(year=2023))
    np.testing.assert_allclose(out["cost_real"], results["benefit_cost"] / m["cpi"])
    np.testing.assert_allclose(out["cost_pct_gdp"], 100 * results["benefit_cost"] / m["gdp"])
    np.testing.assert_allclose(out["cost_pct_budget"], 100 * results["benefit_cost"] / m["appropriation_budget"])
    np.testing.assert_allclose(out["government_cost_pct_gdp"], 100 * out["government_cost"] / m["gdp"])
    assert out["cost_pct_gdp"].attrs["units"] == "percent of GDP"
    assert out["cost_real"].attrs["units"] == "THB, 2023 prices"
    assert "benefit_cost" in out and "gdp" not in results


def test_missing_scheme_or_year_is_an_error(results, macro):
    with pytest.raises(ModelInputError, match="results.scheme: missing 'csmbs'"):
        add_budget_aggregates(results.drop_sel(scheme="csmbs"), macro)
    with pytest.raises(ModelInputError, match="no year 2024"):
        add_budget_aggregates(results, load_macro(years=range(2023, 2024)))
