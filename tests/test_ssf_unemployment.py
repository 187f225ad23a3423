"""Section 33 unemployment benefit from the unemployed: the labour layer dates each move from section 33 employment
into unemployment (`s33_left_year`), the scheme pays those persons' claims (model/schemes/ssf_claims.py), and a
scenario with more unemployment pays more. Worked cases with amounts by hand: tests/cases/ssf_s33.yaml."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.api import resolve, simulate
from model.population import labour
from model.population.lookup import cells
from model.population.persons import Persons
from model.population.sampling import systematic
from model.population.status import CIVIL_SERVANT, INACTIVE, SSF_S33, UNEMPLOYED
from model.schemes import ssf_claims
from model.simulation import SocialSecurityModel
from model.validation.totals import load_totals

from scheme_cases import builder

BASE_YEAR = 2023
table = builder("Persons aged 40 unless given otherwise.", age=40)


# --- the people layer ---------------------------------------------------------------------------


@given(arrays(np.float64, (3, labour.N_GROUPS), elements=st.floats(0.0, 1.0)),
       st.floats(min_value=0.0, max_value=10.0))
@settings(max_examples=200, deadline=None)
def test_scaling_unemployment_moves_only_private_jobs(raw: np.ndarray, multiplier: float) -> None:
    """Each cell keeps its total; the unemployed share is multiplied up to what private work can give; civil
    servants and the out-of-work keep their shares; no share turns negative."""
    shares = raw / np.maximum(raw.sum(axis=1, keepdims=True), 1e-12)
    out = labour.scale_unemployment(shares, multiplier)
    private = shares[:, labour.PRIVATE_WORK].sum(axis=1)
    np.testing.assert_allclose(out.sum(axis=1), shares.sum(axis=1), atol=1e-12)
    expected = np.minimum(shares[:, UNEMPLOYED] * multiplier, shares[:, UNEMPLOYED] + private)
    np.testing.assert_allclose(out[:, UNEMPLOYED], np.where(private > 0, expected, shares[:, UNEMPLOYED]),
                               atol=1e-12)
    for group in (CIVIL_SERVANT, INACTIVE):
        np.testing.assert_array_equal(out[:, group], shares[:, group])
    assert (out >= -1e-12).all()


@given(arrays(np.float64, st.integers(0, 60), elements=st.floats(0.0, 1.0)), st.floats(0.0, 0.999999))
@settings(max_examples=200, deadline=None)
def test_systematic_sampling_takes_the_expected_number(p: np.ndarray, u: float) -> None:
    taken = systematic(p, u)
    assert np.floor(p.sum() - 1e-9) <= taken.sum() <= np.ceil(p.sum() + 1e-9)
    assert not taken[p == 0].any()


def test_systematic_sampling_takes_each_item_with_its_probability() -> None:
    p = np.array([0.1, 0.5, 0.9, 0.25, 1.0, 0.0, 0.7])
    taken = np.mean([systematic(p, u) for u in (np.arange(2000) + 0.5) / 2000], axis=0)
    np.testing.assert_allclose(taken, p, atol=1e-3)


def test_only_moves_from_section_33_into_unemployment_are_dated() -> None:
    persons = table(status=[UNEMPLOYED, UNEMPLOYED, SSF_S33, INACTIVE], s33_left_year=[0, 0, 0, 2020])
    rows = np.arange(4)
    labour.record_s33_exits(persons, rows, np.array([SSF_S33, INACTIVE, SSF_S33, SSF_S33], dtype=np.int8), 2030)
    assert persons.values_of("s33_left_year").tolist() == [2030, 0, 0, 2020]


@pytest.fixture(scope="module")
def stepped() -> tuple[Persons, Persons, np.ndarray]:
    """A baseline model at 1,000 persons per row: its base population (a copy), then the population a year on,
    and the base-year share of moves into unemployment that come from section 33 by cell."""
    model = SocialSecurityModel(resolve("baseline", scale=1000))
    base = model.persons
    share = labour.s33_share_of_unemployment_inflow(base, base.tables["status_shares"], model.params, BASE_YEAR)
    snapshot = Persons(base.as_columns(), base.scale)
    model.step()
    return snapshot, model.persons, share


def test_the_base_years_exits_are_unemployed_with_a_year_of_record(stepped) -> None:
    base, _, share = stepped
    left = base.values_of("s33_left_year") == BASE_YEAR
    assert left.any() and set(np.unique(base.values_of("s33_left_year"))) <= {0, BASE_YEAR}
    assert (base.status[left] == UNEMPLOYED).all()
    assert (base.s33_months[left] >= 12).all() and (base.avg_insurable_wage[left] > 0).all()
    # as many as the move plan sends from section 33 into unemployment, drawn systematically: the expected number
    expected = share[cells(base)[base.status == UNEMPLOYED]].sum()
    assert np.floor(expected) <= left.sum() <= np.ceil(expected)


def test_a_years_exits_are_unemployed_and_were_insured(stepped) -> None:
    _, persons, _ = stepped
    left = persons.values_of("s33_left_year") == BASE_YEAR + 1
    assert left.sum() > 20
    assert (persons.status[left] == UNEMPLOYED).all()
    assert (persons.s33_months[left] >= 12).all()
    assert (persons.values_of("s33_left_year") <= BASE_YEAR + 1).all()


def test_base_year_persons_paid_match_the_calibration_target() -> None:
    """The calibrated ratio gives the persons paid in July 2023 (T4.6) at the default scale and seed."""
    target = next(t for t in load_totals() if t.id == "T4.6")
    model = SocialSecurityModel(resolve("baseline"))
    ctx = model.year_context(BASE_YEAR)
    paid = ssf_claims.unemployment_beneficiaries(ctx, ssf_claims.unemployment_claimants(ctx))
    assert paid == pytest.approx(target.value, rel=target.tolerance)


# --- the branch follows unemployment ------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_and_recession():
    """Baseline and the same with unemployment doubled from 2025, 2023-2027 at 1,000 persons per row."""
    base = resolve("baseline", scale=1000, end_year=2027)
    recession = base.replaced(name="recession",
                              parameters={"population.labour.unemployment_multiplier": {"2025-01-01": 2.0}})
    return simulate(base)[0], simulate(recession)[0]


def test_more_unemployment_pays_more_unemployment_benefit(baseline_and_recession) -> None:
    base, recession = baseline_and_recession
    benefits = {name: ds.ssf_branch_benefits.sel(ssf_branch="unemployment") for name, ds in
                (("base", base), ("recession", recession))}
    before = [2023, 2024]
    np.testing.assert_array_equal(benefits["base"].sel(year=before), benefits["recession"].sel(year=before))
    unemployed = {name: ds.persons_by_status.sel(status="unemployed") for name, ds in
                  (("base", base), ("recession", recession))}
    for year in (2025, 2026, 2027):
        assert float(unemployed["recession"].sel(year=year)) > 1.7 * float(unemployed["base"].sel(year=year))
        assert float(benefits["recession"].sel(year=year)) > 1.5 * float(benefits["base"].sel(year=year))


def test_the_branch_cost_is_not_a_fixed_share_of_its_contributions(baseline_and_recession) -> None:
    """Benefits over contributions of the unemployment branch move with unemployment, year by year."""
    ratios = [ds.ssf_branch_benefits.sel(ssf_branch="unemployment")
              / ds.ssf_branch_contributions.sel(ssf_branch="unemployment") for ds in baseline_and_recession]
    assert float(ratios[1].sel(year=2026)) > float(ratios[0].sel(year=2026)) + 0.2
    assert float(np.ptp(ratios[0].values)) > 0.01


def test_the_back_test_reads_persons_paid_from_their_own_variable() -> None:
    """T4.6 (a month of 2023) is compared with the average month of calendar 2023; another scheme is refused."""
    import dataclasses

    import xarray as xr

    from model.validation.backtest import BacktestError, model_value

    total = next(t for t in load_totals() if t.id == "T4.6")
    ds = xr.Dataset({"ssf_unemployment_beneficiaries": ("year", [240_000.0, 250_000.0])},
                    coords={"year": [2023, 2024], "scheme": ["ssf_s33"]})
    found = model_value(total, ds)
    assert found.value == 240_000.0 and found.basis == "calendar 2023"
    with pytest.raises(BacktestError, match="ssf_s33"):
        model_value(dataclasses.replace(total, scheme="ssf_s39"), ds)
