"""The multidimensional poverty index (Alkire-Foster) and the household-based target-group indicators: worked
cases computed by hand, invariants of the measures, and identities on a whole run."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model.errors import ParameterError
from model.fiscal import indicators, mpi
from model.parameters import ParameterTree
from model.population import households
from model.population.households import income_per_person_of_rows
from model.population.persons import Persons
from model.population.status import CHILD, INACTIVE, INFORMAL, RETIRED, SSF_S33

EQUAL = np.full(len(mpi.DIMENSIONS), 1 / 6)
K = 1 / 3
INCOME, OLD_AGE, INSURANCE, HEALTH, DISABILITY, CHILD_POOR = range(len(mpi.DIMENSIONS))


def matrix(*rows: tuple[int, ...]) -> np.ndarray:
    """[unit, dimension] deprivations from the dimension numbers each unit is deprived in."""
    out = np.zeros((len(rows), len(mpi.DIMENSIONS)), dtype=bool)
    for i, dims in enumerate(rows):
        out[i, list(dims)] = True
    return out


# four households of 3, 2, 1 and 4 persons:
#   A: income, social insurance and child poverty, score 3/6 = 0.5, poor;
#   B: health cover only, 1/6, not poor;
#   C: old-age security and health cover, 2/6, poor (exactly at k);
#   D: nothing.
TOY = matrix((INCOME, INSURANCE, CHILD_POOR), (HEALTH,), (OLD_AGE, HEALTH), ())
SIZES = np.array([3, 2, 1, 4])


def test_worked_case_by_hand():
    """H = (3 + 1) / 10 = 0.4; A = (3 × 0.5 + 1 × 1/3) / 4 = 0.458333; M0 = H × A = 0.183333."""
    h, a, m0 = mpi.af_measures(TOY, EQUAL, K, SIZES)
    assert h == pytest.approx(0.4)
    assert a == pytest.approx((1.5 + 1 / 3) / 4)
    assert m0 == pytest.approx(0.4 * (1.5 + 1 / 3) / 4) == pytest.approx(0.183333, abs=1e-6)
    np.testing.assert_allclose(mpi.scores(TOY, EQUAL), [0.5, 1 / 6, 1 / 3, 0.0])


def test_worked_case_censored_headcounts_sum_to_m0():
    """Censored headcounts: B's health deprivation is not counted (B is not poor); income 3/10, old age 1/10,
    insurance 3/10, health 1/10 (C only), disability 0, child poverty 3/10; weighted sum 1.1/6 = M0."""
    censored = mpi.censored_headcounts(TOY, EQUAL, K, SIZES)
    np.testing.assert_allclose(censored, [0.3, 0.1, 0.3, 0.1, 0.0, 0.3])
    assert censored @ EQUAL == pytest.approx(mpi.af_measures(TOY, EQUAL, K, SIZES)[2])


def test_cutoff_and_weights_change_who_is_poor():
    """At k = 1/2 only A is poor (H = 0.3, A = 0.5); with the income weight doubled (weights 2,1,1,1,1,1 / 7),
    A scores 4/7 and C 2/7 < 1/3, so only A is poor at k = 1/3."""
    assert mpi.af_measures(TOY, EQUAL, 0.5, SIZES) == pytest.approx((0.3, 0.5, 0.15))
    weights = np.array([2, 1, 1, 1, 1, 1]) / 7
    assert mpi.af_measures(TOY, weights, K, SIZES) == pytest.approx((0.3, 4 / 7, 0.3 * 4 / 7))


def test_no_poor_gives_zeros():
    assert mpi.af_measures(matrix((), (HEALTH,)), EQUAL, K) == (0.0, 0.0, 0.0)
    assert mpi.af_measures(TOY, EQUAL, K, np.zeros(4)) == (0.0, 0.0, 0.0)


@settings(max_examples=200, deadline=None)
@given(deprived=hnp.arrays(bool, st.tuples(st.integers(1, 30), st.just(len(mpi.DIMENSIONS)))),
       raw=hnp.arrays(float, len(mpi.DIMENSIONS), elements=st.floats(0.01, 1.0)),
       cutoff=st.floats(0.05, 1.0), data=st.data())
def test_measures_stay_in_their_bounds(deprived, raw, cutoff, data):
    """0 <= M0 <= H <= 1; A in [k, 1] whenever someone is poor; M0 = H × A = the weighted censored headcounts."""
    weights = raw / raw.sum()
    # persons per unit, never subnormal: a subnormal count times a score underflows to 0
    population = data.draw(hnp.arrays(float, deprived.shape[0], elements=st.floats(0.0, 50.0, allow_subnormal=False)))
    h, a, m0 = mpi.af_measures(deprived, weights, cutoff, population)
    assert 0.0 <= m0 <= h + 1e-12 <= 1.0 + 1e-12
    if h > 0:
        assert cutoff - mpi.SCORE_TOLERANCE <= a <= 1.0 + 1e-12
    assert m0 == pytest.approx(h * a)
    assert mpi.censored_headcounts(deprived, weights, cutoff, population) @ weights == pytest.approx(m0, abs=1e-12)


def toy_persons() -> Persons:
    """Three households (scale 100):
    0: a grandmother (70, no old-age allowance) with two grandchildren (4 and 9), income 24,000 THB a year;
    1: a couple, an informal worker (40) and a section 33 employee (38, disabled, no disability allowance),
       income 300,000 and 150,000;
    2: a pensioner alone (65, allowance paid), income 50,000."""
    persons = Persons({"age": np.array([70, 4, 9, 40, 38, 65]), "sex": np.array([1, 0, 1, 0, 1, 1]),
                       "status": np.array([RETIRED, CHILD, CHILD, INFORMAL, SSF_S33, INACTIVE])}, 100.0)
    persons.hh[:] = [0, 0, 0, 1, 1, 2]
    persons.income[:] = [24_000, 0, 0, 300_000, 150_000, 50_000]
    persons.disabled[:] = [False, False, False, False, True, False]
    households.refresh_income(persons)
    return persons


def test_pooling_shares_a_member_s_cash_over_the_real_household():
    """Two child grants of 7,200 THB a year pooled over household 0's three members add 14,400 / 3 = 4,800 a
    person to its 24,000 / 3 = 8,000; the pensioner's 7,200 is her one-person household's alone."""
    persons = toy_persons()
    cash = np.array([0, 7_200, 7_200, 0, 0, 7_200], dtype=np.float32)
    after = indicators.income_after_transfers(persons, cash)
    np.testing.assert_allclose(after, [12_800, 12_800, 12_800, 225_000, 225_000, 57_200])


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_pooling_preserves_total_income(data):
    """Summed over persons, income per person after transfers = members' incomes + members' cash benefits."""
    n = data.draw(st.integers(1, 40))
    persons = Persons({"age": np.full(n, 30), "sex": np.zeros(n, dtype=int)}, 100.0)
    persons.hh[:] = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n - 1)))
    persons.income[:] = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, 1e6, width=32)))
    cash = data.draw(hnp.arrays(np.float32, n, elements=st.floats(0, 1e5, width=32)))
    households.refresh_income(persons)
    after = indicators.income_after_transfers(persons, cash)
    assert after.sum() == pytest.approx(float(persons.income.sum(dtype=np.float64) + cash.sum(dtype=np.float64)),
                                        rel=1e-5)
    assert np.all(after >= income_per_person_of_rows(persons))


def test_household_deprivations_by_hand():
    """Line 30,000 THB: household 0 (8,000 a person) is income-poor, has a 60+ member without old-age income and
    children in a poor household; household 1 has an informal worker aged 15-59 and a disabled member without the
    allowance; household 2 is deprived in nothing. Everyone has health cover except the informal worker."""
    persons = toy_persons()
    poor = income_per_person_of_rows(persons) < 30_000
    received = mpi.Support.of(old_age_income=np.array([False, False, False, False, False, True]),
                           health_cover=np.array([True, True, True, False, True, True]),
                           disability_allowance=np.zeros(6, dtype=bool))
    deprived = mpi.household_deprivations(persons, poor, received)
    np.testing.assert_array_equal(deprived, matrix((INCOME, OLD_AGE, CHILD_POOR), (INSURANCE, HEALTH, DISABILITY),
                                                   ()))
    masks = {"aged_60_plus": persons.age >= 60, "all": np.ones(6, dtype=bool)}
    measures, censored = mpi.by_group(persons, deprived, masks, mpi.Rule(EQUAL, K))
    # 60+: the grandmother (score 1/2, poor) and the pensioner (0): H 1/2, A 1/2, M0 1/4
    np.testing.assert_allclose(measures[0], [0.5, 0.5, 0.25])
    # all six: households 0 and 1 are poor (3 + 2 persons), both score 1/2: H 5/6, A 1/2
    np.testing.assert_allclose(measures[1], [5 / 6, 0.5, 5 / 12])
    np.testing.assert_allclose(censored[1], [0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 0.5])


def test_adequacy_and_lifted_by_hand():
    """Line 12,000 THB a year: household 0 (8,000 a person) is lifted by the grandmother's 7,200 THB of allowance
    (8,000 + 2,400 = 10,400 < 12,000: not lifted) plus 2 × 3,000 of child grant (10,400 + 2,000 = 12,400: lifted).
    Adequacy of the 60+: 7,200 / 12,000 = 60%; of children 0-6: 3,000 / 12,000 = 25%."""
    persons = toy_persons()
    cash = np.array([7_200, 3_000, 3_000, 0, 0, 0], dtype=np.float32)
    out = indicators.target_group_indicators(persons, cash, cash > 0, 12_000.0)
    g = {name: i for i, name in enumerate(indicators.GROUPS)}
    assert out["poverty_rate"][g["all"]] == pytest.approx([50.0, 0.0])
    assert out["lifted_by_transfers_pct"][g["all"]] == pytest.approx(50.0)
    assert out["lifted_by_transfers_pct"][g["aged_60_plus"]] == pytest.approx(50.0)
    assert out["adequacy_benefit_pct_line"][g["aged_60_plus"]] == pytest.approx(60.0)
    assert out["adequacy_benefit_pct_line"][g["children_0_6"]] == pytest.approx(25.0)
    assert out["adequacy_benefit_pct_line"][g["informal_workers"]] == 0.0  # no recipient


def test_rule_normalises_weights_and_refuses_all_zero():
    params = ParameterTree.load()
    the_rule = mpi.rule(params, 2030)
    assert the_rule.weights.sum() == pytest.approx(1.0) and the_rule.cutoff == pytest.approx(1 / 3, abs=1e-6)
    doubled = params.with_overrides({"common.mpi.weight.income": {"2023-01-01": 0.333334}})
    assert mpi.rule(doubled, 2030).weights[INCOME] == pytest.approx(2 / 7, abs=1e-5)
    zero = params.with_overrides({f"common.mpi.weight.{d}": {"2023-01-01": 0.0} for d in mpi.DIMENSIONS})
    with pytest.raises(ParameterError, match="common.mpi.weight"):
        mpi.rule(zero, 2030)


def goal_ds(values: dict[int, float]) -> xr.Dataset:
    years = sorted(values)
    mpi_values = xr.DataArray([[values[y]] for y in years], dims=("year", "group"),
                              coords={"year": years, "group": ["all"]})
    return xr.Dataset({"mpi": mpi_values})


def test_goal_170201_compares_each_period_with_the_previous_one():
    """0.10 → 0.085 (−15%, met) → 0.08 (−5.9%, not met) → 0.072 (−10%, met)."""
    goal = indicators.goal_170201(goal_ds({2023: 0.10, 2028: 0.085, 2033: 0.08, 2037: 0.072}))
    change = goal["mpi_change_pct"].sel(group="all")
    np.testing.assert_allclose(change, [-15.0, 100 * (0.08 / 0.085 - 1), -10.0])
    assert goal["meets_goal"].sel(group="all").values.tolist() == [True, False, True]
    assert list(goal["period"].values) == ["2023-2028", "2028-2033", "2033-2037"]


def test_goal_170201_at_zero():
    """Nothing left to fall meets the goal; rising from zero does not."""
    goal = indicators.goal_170201(goal_ds({2023: 0.0, 2028: 0.0, 2033: 0.01, 2037: 0.005}))
    assert goal["meets_goal"].sel(group="all").values.tolist() == [True, False, True]


# --- a whole run ---------------------------------------------------------------------------------------------

def test_run_identities(baseline_1000):
    ds = baseline_1000
    assert float(abs(ds["mpi"] - ds["mpi_headcount"] * ds["mpi_intensity"] / 1e4).max()) < 1e-12
    assert bool(((ds["mpi"] >= 0) & (ds["mpi"] <= ds["mpi_headcount"] / 100 + 1e-12)).all())
    poor = ds["mpi_headcount"] > 0
    assert bool((ds["mpi_intensity"].where(poor) >= 100 / 3 - 1e-3).where(poor, True).all())
    weighted = (ds["mpi_deprived_poor_pct"] / 100 / len(mpi.DIMENSIONS)).sum("mpi_dimension")
    np.testing.assert_allclose(weighted, ds["mpi"], atol=1e-12)
    # lifted = poor before − poor after: pooled cash only raises a household's income
    rate = ds["poverty_rate"]
    gap = rate.sel(income_basis="before_transfers") - rate.sel(income_basis="after_transfers")
    np.testing.assert_allclose(ds["lifted_by_transfers_pct"], gap, atol=1e-9)
    # households × mean size = population
    np.testing.assert_allclose(ds["households"] * ds["household_mean_size"], ds["population"].sum(("sex", "age")),
                               rtol=1e-9)
    assert bool((ds["elderly_living_alone"] <= ds["population"].sel(age=slice(60, None)).sum(("sex", "age"))).all())
    assert ds["mpi"].attrs["units"] == "index (0-1)"


def test_goal_test_on_a_run(baseline_1000):
    goal = indicators.goal_170201(baseline_1000)
    by_hand = 100 * (baseline_1000["mpi"].sel(year=2028) / baseline_1000["mpi"].sel(year=2023) - 1)
    np.testing.assert_allclose(goal["mpi_change_pct"].sel(period="2023-2028"), by_hand)
    income = indicators.goal_170201_income_poverty(baseline_1000)
    assert set(income.data_vars) == {"poverty_change_pct", "meets_goal"}
