"""Public-debt path and fiscal gap: identity, baseline reproduction, compounding, gap verified by recomputing."""

import dataclasses

import numpy as np
import pytest
import xarray as xr
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.errors import ModelInputError
from model.fiscal.debt import debt_path, fiscal_gap
from model.fiscal.macro import MACRO_FILE, load_macro

YEARS = np.arange(2023, 2041)


@pytest.fixture(scope="module")
def macro():
    return load_macro(years=range(2023, 2041))


def per_year(values, years=YEARS) -> xr.DataArray:
    return xr.DataArray(np.broadcast_to(np.asarray(values, dtype=float), years.shape).copy(), dims="year", coords={"year": years})


def assert_identity(ds: xr.Dataset) -> None:
    previous = ds.attrs["opening_public_debt"]
    for t in range(ds.sizes["year"]):
        i, pb, sfa = (float(ds[name][t]) for name in ("interest_rate", "primary_balance", "stock_flow_adjustment"))
        assert float(ds["public_debt"][t]) == previous * (1.0 + i) - pb + sfa
        assert float(ds["interest"][t]) == i * previous
        previous = float(ds["public_debt"][t])
    np.testing.assert_array_equal(ds["deficit"], ds["interest"] - ds["primary_balance"])


def test_identity_holds_exactly(macro):
    ds = debt_path(macro, extra_spending=per_year(np.linspace(0, 3e11, len(YEARS))), offsetting_revenue=per_year(5e10))
    assert_identity(ds)


def test_baseline_reproduces_mtff_deficits_and_debt(macro):
    ds = debt_path(macro)
    np.testing.assert_allclose(ds["deficit"], macro.baseline_deficit, rtol=1e-12)
    points = yaml.safe_load(MACRO_FILE.read_text(encoding="utf-8"))["series"]["public_debt"]["points"]
    for year, point in points.items():
        if year < 2023:
            continue
        if "value" in point:
            assert float(ds["public_debt"].sel(year=year)) == pytest.approx(point["value"] * 1e9, rel=1e-12)
        else:
            assert float(ds["public_debt_pct_gdp"].sel(year=year)) == pytest.approx(point["pct_gdp"], rel=1e-12)
    np.testing.assert_allclose(ds["debt_service"], ds["interest"] + macro.principal_repayment)
    assert ds["public_debt_pct_gdp"].attrs["units"] == "percent of GDP"


def test_one_off_spending_compounds_with_interest(macro):
    base = debt_path(macro)
    shock = debt_path(macro, extra_spending=xr.DataArray([1e11], dims="year", coords={"year": [2025]}))
    extra = (shock["public_debt"] - base["public_debt"]).values
    growth = np.cumprod(1 + macro.interest_rate)
    expected = np.where(YEARS >= 2025, 1e11 * growth / growth[2025 - 2023], 0.0)
    np.testing.assert_allclose(extra, expected, rtol=1e-9, atol=1e-3)
    # the deficit rises by the spending, then by the interest on the extra debt
    assert float(shock["deficit"].sel(year=2025) - base["deficit"].sel(year=2025)) == pytest.approx(1e11)
    extra_deficit = float(shock["deficit"].sel(year=2026) - base["deficit"].sel(year=2026))
    assert extra_deficit == pytest.approx(0.03 * 1e11)


def test_offsetting_revenue_cancels_spending(macro):
    spend = per_year(2e11)
    ds = debt_path(macro, extra_spending=spend, offsetting_revenue=spend)
    np.testing.assert_allclose(ds["public_debt"], debt_path(macro)["public_debt"], rtol=1e-12)
    np.testing.assert_allclose(ds["revenue"], macro.revenue + 2e11)


def test_fiscal_gap_brings_max_ratio_to_ceiling(macro):
    spend = per_year(np.where(YEARS >= 2027, 0.01, 0.0) * macro.gdp)
    gap = fiscal_gap(macro, from_year=2027, through_year=2040, extra_spending=spend)
    assert gap > 0
    change = per_year(np.where(YEARS >= 2027, macro.gdp, 0.0) * gap)
    ratio = debt_path(macro, extra_spending=spend, primary_balance_adjustment=change)["public_debt_pct_gdp"]
    assert float(ratio.sel(year=slice(2027, 2040)).max()) == pytest.approx(70.0, abs=1e-6)
    assert float(ratio.max()) <= 70.0 + 1e-6


def test_fiscal_gap_negative_when_there_is_room(macro):
    gap = fiscal_gap(macro, from_year=2031, through_year=2040, ceiling_pct=75.0)
    assert gap < 0
    change = per_year(np.where(YEARS >= 2031, macro.gdp, 0.0) * gap)
    ratio = debt_path(macro, primary_balance_adjustment=change)["public_debt_pct_gdp"]
    assert float(ratio.sel(year=slice(2031, 2040)).max()) == pytest.approx(75.0, abs=1e-6)


def test_fiscal_gap_errors(macro):
    with pytest.raises(ModelInputError, match="before the change starts"):
        fiscal_gap(macro, from_year=2030, through_year=2040, ceiling_pct=60.0)
    with pytest.raises(ModelInputError, match="from_year/through_year"):
        fiscal_gap(macro, from_year=2030, through_year=2050)


def test_extra_spending_outside_path_is_an_error(macro):
    with pytest.raises(ModelInputError, match="extra_spending: year 2050"):
        debt_path(macro, extra_spending=xr.DataArray([1.0], dims="year", coords={"year": [2050]}))
    with pytest.raises(ModelInputError, match="extra_spending"):
        debt_path(macro, extra_spending=xr.DataArray([[1.0]], dims=("year", "scheme")))


@settings(max_examples=60, deadline=None)
@given(
    spending=arrays(np.float64, len(YEARS), elements=st.floats(-1e12, 1e12)),
    rates=arrays(np.float64, len(YEARS), elements=st.floats(-0.05, 0.2)),
)
def test_identity_property(macro, spending, rates):
    synthetic = dataclasses.replace(macro, interest_rate=rates)
    ds = debt_path(synthetic, extra_spending=per_year(spending))
    assert_identity(ds)
    # the extra debt is the spending accumulated at interest
    extra = ds["public_debt"].values - debt_path(synthetic)["public_debt"].values
    tolerance = 1e-12 * np.abs(ds["public_debt"].values).max() * len(YEARS)
    accumulated = 0.0
    for t in range(len(YEARS)):
        accumulated = accumulated * (1 + rates[t]) + spending[t]
        assert extra[t] == pytest.approx(accumulated, abs=tolerance)
