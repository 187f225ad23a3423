"""Results by household income decile and region (model/fiscal/distribution.py), regions of residence
(model/population/regions.py), the insured's own contributions by row, winners and losers and the household sample
(model/microdata.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model import microdata
from model.cli import main
from model.fiscal.distribution import household_deciles
from model.population import regions
from model.population.axes import FEMALE, MALE
from model.population.households import HouseholdMoves, income_per_person_of_rows, refresh_income
from model.population.persons import Persons
from model.population.regions import REGIONS
from model.population.status import SSF_S33, SSF_S39, SSF_S40
from model.schemes import ssf_s33, ssf_s39, ssf_s40

from scheme_cases import TREE, builder, run_scheme

RTOL = 1e-12  # the national totals are summed in another order than the deciles' and regions' parts
people = builder("Persons aged 40 unless given otherwise.", age=40)


# --- the insured's own contributions by row: worked cases --------------------------------------------------------

def test_section_33_employee_pays_five_percent_of_the_clamped_wage() -> None:
    # 2026: ceiling 17,500 THB/month from 1 January, employee rate 5%: 30,000 pays 0.05 x 17,500 x 12 = 10,500;
    # 10,000 pays 0.05 x 10,000 x 12 = 6,000; 1,000 pays on the floor 1,650: 0.05 x 1,650 x 12 = 990
    persons = people(10.0, status=[SSF_S33] * 3, wage=[30000, 10000, 1000])
    result = run_scheme(ssf_s33, persons, 2026, TREE)
    own = result.insured_by_row
    assert own is not None
    assert dict(zip(own.rows.tolist(), own.amount.tolist())) == pytest.approx({0: 10500.0, 1: 6000.0, 2: 990.0})
    assert own.total() * persons.scale == pytest.approx(result.contributions["insured"], rel=1e-12)


def test_section_39_member_pays_nine_percent_of_the_deemed_wage() -> None:
    # 9% x 4,800 = 432 THB a month, 5,184 a year (A5.27)
    persons = people(status=[SSF_S39, SSF_S39, SSF_S33])
    own = run_scheme(ssf_s39, persons, 2025, TREE).insured_by_row
    assert own.rows.tolist() == [0, 1]
    assert own.amount.tolist() == pytest.approx([5184.0, 5184.0])


def test_section_40_members_pay_their_option() -> None:
    persons = people(5.0, status=[SSF_S40] * 3, s40_option=[1, 2, 3])
    result = run_scheme(ssf_s40, persons, 2025, TREE)
    own = result.insured_by_row
    paid = dict(zip(own.rows.tolist(), own.amount.tolist()))
    for row, option in enumerate((1, 2, 3)):
        assert paid[row] == pytest.approx(TREE.annual_sum(f"ssf_s40.contribution.option_{option}", 2025))
    assert own.total() * persons.scale == pytest.approx(result.contributions["insured"], rel=1e-12)


# --- deciles ------------------------------------------------------------------------------------------------------

def households_table(sizes: list[int], incomes: list[float]) -> Persons:
    """Households of the given sizes, every member with the household's income per person."""
    hh = np.repeat(np.arange(len(sizes)), sizes)
    income = np.repeat(np.asarray(incomes, dtype=float), sizes)
    persons = Persons({"age": np.full(hh.size, 40), "sex": np.zeros(hh.size), "hh": hh, "income": income}, scale=1.0)
    refresh_income(persons)
    return persons


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.floats(0, 1e6)), min_size=1, max_size=300))
def test_deciles_keep_households_whole_and_rank_by_income(households: list[tuple[int, float]]) -> None:
    sizes, incomes = zip(*households)
    persons = households_table(list(sizes), list(incomes))
    decile = household_deciles(persons)
    assert decile.min() >= 0 and decile.max() <= 9
    for h in range(len(sizes)):  # one decile per household
        assert np.unique(decile[persons.hh == h]).size == 1
    income = income_per_person_of_rows(persons)
    for d in range(9):  # a poorer decile never holds a richer household
        lower, upper = income[decile == d], income[decile > d]
        if lower.size and upper.size:
            assert lower.max() <= upper.min()


def test_deciles_hold_a_tenth_of_persons_to_within_a_household() -> None:
    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 6, 2000)
    persons = households_table(sizes.tolist(), rng.lognormal(10, 1, sizes.size).tolist())
    counts = np.bincount(household_deciles(persons), minlength=10)
    assert np.all(np.abs(counts - len(persons) / 10) <= sizes.max())


# --- regions ------------------------------------------------------------------------------------------------------

def test_assignment_solves_shares_and_income_ratios_in_expectation() -> None:
    rng = np.random.default_rng(5)
    income = rng.lognormal(10, 0.8, 50_000)
    z = (np.log(income) - np.log(income).mean()) / np.log(income).std()
    shares, ratios = regions.household_shares(TREE, 2023), regions.income_ratios(TREE, 2023)
    p = regions.posterior(z, regions.solve_assignment(z, income, shares, ratios))
    assert p.mean(axis=0) == pytest.approx(shares, abs=5e-4)  # least squares over 9 equations for 8 unknowns
    expected = (p * income[:, None]).mean(axis=0) / p.mean(axis=0) / income.mean()
    assert expected == pytest.approx(ratios, abs=2e-3)  # the cited ratios sum with the shares to 1.0003, not 1


def test_net_rates_balance_over_the_population() -> None:
    population = np.array([15.0, 16.0, 12.0, 18.0, 9.0])
    rates = regions.net_rates(TREE, 2030, population)
    assert rates @ population == pytest.approx(0.0, abs=1e-12)
    # the cited rates (percent) less their population-weighted mean
    cited = np.array([-0.20, 0.06, 0.13, -0.14, -0.09]) / 100
    assert rates == pytest.approx(cited - cited @ population / population.sum())


def test_movers_take_their_new_household_region_and_arrivals_draw_one() -> None:
    # household 0 in the north (woman 50, her son 20); household 1 in the south (a man 30 who joins household 0);
    # household 2: a woman 25 (north, left home) and her partner 27 (south) forming a new household 3; household 4:
    # an arriving migrant worker without a region
    north, south = REGIONS.index("north"), REGIONS.index("south")
    persons = Persons({"age": np.array([50, 20, 30, 25, 27, 30]), "sex": np.array([FEMALE, MALE, MALE, FEMALE, MALE, MALE]),
                       "hh": np.array([0, 0, 0, 3, 3, 4]), "region": np.array([north, north, south, north, south, -1]),
                       "migrant_worker": np.array([0, 0, 0, 0, 0, 1], dtype=bool)}, scale=1.0)
    moves = HouseholdMoves()  # rows 2-5 were set: their households before (-1: the arrival had none)
    moves.record(np.array([0, 0, 1, 2, 1, -1]), np.array([2, 3, 4, 5]))
    regions.settle_movers(persons, moves, TREE, 2024, np.random.default_rng(1))
    assert persons.region[:5].tolist() == [north] * 5  # the joiner takes the hosts'; the new couple the woman's
    assert persons.region[5] >= 0


def test_internal_migration_moves_whole_households_at_the_net_rates() -> None:
    n_households = 200_000
    hh = np.repeat(np.arange(n_households), 2)
    region = np.repeat(np.arange(n_households) % len(REGIONS), 2).astype(np.int8)
    persons = Persons({"age": np.full(hh.size, 40), "sex": np.zeros(hh.size), "hh": hh, "region": region}, 1.0)
    before = np.bincount(persons.region, minlength=5).astype(float)
    regions.migrate_internally(persons, TREE, 2030, np.random.default_rng(2))
    after = np.bincount(persons.region, minlength=5)
    assert after.sum() == before.sum()
    assert np.all(persons.region[0::2] == persons.region[1::2])  # households move whole
    expected = regions.net_rates(TREE, 2030, before) * before
    # households of two persons leave with probability |rate|: 4 binomial standard deviations (persons)
    assert np.all(np.abs(after - before - expected) <= 4 * 2 * np.sqrt(before / 2 * 0.003) + 2)


# --- whole runs ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run_2027():
    """A baseline run to 2027 at scale 1000 with its model (to read the person table)."""
    scenario = model.api.resolve("baseline", scale=1000, end_year=2027)
    return model.api.simulate(scenario)


def test_base_year_regions_reproduce_the_cited_shares_and_income_ratios(baseline_1000) -> None:
    ds = baseline_1000.sel(year=2023)
    households = ds["households_by_region"].values
    shares = households / households.sum()
    assert shares == pytest.approx(regions.household_shares(TREE, 2023), abs=0.01)  # 1 pp at scale 1000
    income = ds["household_income_by_region"].values
    ratio = income / (income @ households / households.sum())
    assert ratio == pytest.approx(regions.income_ratios(TREE, 2023), rel=0.05)  # 5% at scale 1000


def test_every_household_lives_in_one_region(run_2027) -> None:
    _, sim = run_2027
    p = sim.persons
    assert (p.region >= 0).all()
    low = np.full(p.hh.max() + 1, 99)
    high = np.full(p.hh.max() + 1, -1)
    np.minimum.at(low, p.hh, p.region)
    np.maximum.at(high, p.hh, p.region)
    assert np.array_equal(low[p.hh], high[p.hh])


def test_decile_and_region_sums_equal_the_national_totals(baseline_1000) -> None:
    ds = baseline_1000
    population = ds["population"].sum(["sex", "age"])
    assert np.array_equal(ds["population_by_decile"].sum("decile"), population)
    assert np.array_equal(ds["population_by_region"].sum("region"), population)
    for by in ("decile", "region"):
        benefits = ds[f"benefits_by_{by}"].sum(by) + ds["pooled_benefit_cost"]
        np.testing.assert_allclose(benefits, ds["benefit_cost"], rtol=RTOL)
        insured = ds[f"contributions_by_{by}"].sum(by) + ds["pooled_insured_contributions"]
        np.testing.assert_allclose(insured, ds["contributions_by_payer"].sel(payer="insured"), rtol=RTOL)
        cash = ds[f"cash_benefits_by_{by}"]
        assert (cash >= 0).all() and (cash.sum(by) <= ds["benefit_cost"].sum("scheme") * (1 + RTOL)).all()
    # every contributory scheme reports its insured by row: nothing pooled
    assert (ds["pooled_insured_contributions"] == 0).all()
    share = ds["population_by_decile"] / population
    assert np.abs(share - 0.1).max() < 0.001


def test_poverty_by_region_averages_to_the_national_rate(baseline_1000) -> None:
    ds = baseline_1000
    weights = ds["population_by_region"] / ds["population_by_region"].sum("region")
    national = (ds["poverty_rate_by_region"] * weights).sum("region")
    np.testing.assert_allclose(national, ds["poverty_rate"].sel(group="all"), rtol=1e-9)


def test_result_variables_carry_units(baseline_1000) -> None:
    for name in ("benefits_by_decile", "benefits_by_region", "population_by_region", "poverty_rate_by_region",
                 "contributions_by_decile", "pooled_benefit_cost"):
        assert baseline_1000[name].attrs["units"]
    assert baseline_1000["decile"].values.tolist() == list(range(1, 11))
    assert baseline_1000["region"].values.tolist() == list(REGIONS)


# --- winners and losers -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def flat_1000_frames():
    """Every household of 2027 in the baseline and oaa_flat_1000 at scale 1000, same seed."""
    frames = []
    for name in ("baseline", "oaa_flat_1000"):
        with microdata.capture(2027, sample_households=10**7) as captured:
            model.run(name, scale=1000, end_year=2027)
        frames.append(captured.households)
    return frames


def test_flat_allowance_everyone_paid_gains_nobody_loses(flat_1000_frames) -> None:
    base, reform = flat_1000_frames
    both, unmatched = microdata.matched_change(base, reform)
    assert unmatched == 0  # an allowance reform changes no demography: the same persons in both runs
    assert (both["gain"] >= -1e-6).all()
    paid = base.set_index("pid")["benefit_old_age_allowance"]
    paid_after = reform.set_index("pid")["benefit_old_age_allowance"]
    age = base.set_index("pid")["age"]
    # 2027: every recipient aged 60-89 on 1 July gets 1,000 THB a month instead of 600-800: 12 x the difference
    recipients = paid.index[(paid > 0) & (age <= 89)]
    assert len(recipients) > 0
    gain = both.set_index("pid")["gain"]
    assert (gain.loc[recipients] > microdata.GAIN_THRESHOLD).all()
    band = np.select([age.loc[recipients] < 70, age.loc[recipients] < 80], [600.0, 700.0], 800.0)
    np.testing.assert_allclose(paid_after.loc[recipients] - paid.loc[recipients], 12 * (1000.0 - band))
    table, _ = microdata.gains(base, reform, "decile")
    assert (table["share_losing"] == 0).all() and (table["net_gain"] > 0).all()


def test_compare_adds_winners_and_losers_and_their_table() -> None:
    ds = model.compare("baseline", "oaa_flat_1000", scale=1000, end_year=2027, gains_year=2027)
    assert ds.attrs["gains_year"] == 2027
    assert (ds["share_losing_by_decile"] == 0).all() and (ds["share_losing_all"] == 0).all()
    assert (ds["share_gaining_by_decile"] > 0).all() and float(ds["unmatched_persons"].sum()) == 0
    np.testing.assert_allclose(ds["persons_by_decile"].sum("decile"), ds["persons_all"])
    # the average gain over persons is the reform's extra cash benefits per person (household pooling moves
    # benefits between members, never in or out)
    extra = (ds["cash_benefits_by_decile"].sel(year=2027).sum("decile").diff("scenario").squeeze()
             / ds["population"].sel(year=2027).sum(["sex", "age"]).isel(scenario=0))
    np.testing.assert_allclose(ds["net_gain_all"].squeeze(), extra.squeeze(), rtol=1e-9)
    from model.compare_tables import GAINS_COLUMNS, comparison_tables

    sections = {s.key: s for s in comparison_tables(ds)}
    table = sections["gains_decile"].table
    assert list(table.columns) == ["decile", *GAINS_COLUMNS]
    assert table["decile"].tolist() == [str(d) for d in range(1, 11)] + ["all"]
    assert sections["gains_region"].table["region"].tolist() == [*REGIONS, "all"]


# --- command line -------------------------------------------------------------------------------------------------

def test_household_sample_file(tmp_path, capsys) -> None:
    out = tmp_path / "sample.parquet"
    assert main(["run", "--scale", "5000", "--end-year", "2025", "--household-sample", str(out),
                 "--sample-households", "500"]) == 0
    frame = pd.read_parquet(out)
    assert frame["hh"].nunique() == 500
    assert {"weight", "household_weight", "age", "status", "region", "income", "decile",
            "benefit_old_age_allowance", "contribution_ssf_s33", "net_transfers"} <= set(frame.columns)
    households = frame.groupby("hh")["household_weight"].first().sum()
    ds = model.run("baseline", scale=5000, end_year=2025)
    assert households == pytest.approx(float(ds["households_by_region"].sel(year=2025).sum()), rel=1e-9)
    assert set(frame["region"].astype(str)) <= set(REGIONS)


@pytest.mark.parametrize("args, expected", [
    (["run", "--household-sample", "{tmp}/s.csv"], "--household-sample: the file must end in .parquet"),
    (["run", "--household-sample", "{tmp}/s.parquet", "--sample-year", "2050"], "--sample-year: must be a simulated"),
    (["run", "--household-sample", "{tmp}/s.parquet", "--sample-households", "0"], "--sample-households"),
    (["compare", "baseline", "oaa_flat_1000", "--by-decile", "2040"], "--by-decile: must be a simulated year"),
])
def test_bad_distribution_options(tmp_path, capsys, args, expected) -> None:
    assert main([a.format(tmp=tmp_path) for a in args] + ["--scale", "5000"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())
