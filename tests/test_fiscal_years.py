"""Monthly flows and fiscal years: the months of a calendar year sum to it exactly, fiscal years (1 October to
30 September) are exact sums of their twelve months, and a fiscal year appears only when all its months ran."""

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.results import add_fiscal_years, fiscal_years
from model.schemes.base import Months, Payments, SchemeYear, folded_payments, pairwise_total
from model.schemes.registry import monthly_flows


def test_calendar_flows_are_the_sums_of_their_months(baseline_1000):
    ds = baseline_1000
    np.testing.assert_allclose(ds.benefit_cost_by_month.sum("month"), ds.benefit_cost, rtol=1e-12)
    np.testing.assert_allclose(ds.contributions_by_month.sum("month"), ds.contributions, rtol=1e-12)
    assert ds.benefit_cost_by_month.attrs["units"] == "THB" and ds.recipients_by_month.attrs["units"] == "persons"


def test_fiscal_years_are_the_sums_of_october_to_september(baseline_1000):
    ds = baseline_1000
    assert ds.fiscal_year.values.tolist() == list(range(2024, 2038))  # FY2023 began before the run
    for fy in (2024, 2030, 2037):
        months = [(fy - 1, m) for m in (10, 11, 12)] + [(fy, m) for m in range(1, 10)]
        for monthly, annual in (("benefit_cost_by_month", "benefit_cost_fy"),
                                ("contributions_by_month", "contributions_fy")):
            expected = sum(ds[monthly].sel(year=y, month=m) for y, m in months)
            np.testing.assert_allclose(ds[annual].sel(fiscal_year=fy), expected, rtol=1e-12)
        recipients = sum(ds.recipients_by_month.sel(year=y, month=m) for y, m in months) / 12
        np.testing.assert_allclose(ds.recipients_fy.sel(fiscal_year=fy), recipients, rtol=1e-12)


def test_monthly_recipients_never_exceed_the_persons_paid_in_the_year(baseline_1000):
    ds = baseline_1000
    assert (ds.recipients_by_month <= ds.recipients * (1 + 1e-12)).all()


def test_capitation_set_per_fiscal_year_changes_on_1_october(baseline_1000):
    """UCS capitation is dated 1 October, so its monthly cost steps in October, not in January."""
    ucs = baseline_1000.benefit_cost_by_month.sel(scheme="universal_coverage", year=2024).values
    np.testing.assert_allclose(ucs[:9], ucs[0], rtol=1e-12)
    np.testing.assert_allclose(ucs[9:], ucs[9], rtol=1e-12)
    assert ucs[9] != pytest.approx(ucs[0], rel=1e-6)


def test_a_reform_from_1_october_shows_in_the_last_three_months_only():
    base = model.run("baseline", scale=5000, end_year=2026)
    reform = model.run("oaa_ladder_2025", scale=5000, end_year=2026)
    oaa = {name: ds.benefit_cost_by_month.sel(scheme="old_age_allowance", year=2025).values
           for name, ds in (("base", base), ("reform", reform))}
    np.testing.assert_allclose(oaa["reform"][:9], oaa["base"][:9], rtol=1e-12)
    assert (oaa["reform"][9:] > oaa["base"][9:] * 1.05).all()
    fy = {name: float(ds.benefit_cost_fy.sel(scheme="old_age_allowance", fiscal_year=2026))
          for name, ds in (("base", base), ("reform", reform))}
    assert fy["reform"] > fy["base"] * 1.05  # FY2026 is wholly under the ladder


def test_a_run_of_one_calendar_year_has_no_fiscal_year():
    ds = model.run("baseline", scale=5000, end_year=2023)
    assert ds.sizes["fiscal_year"] == 0 and ds.benefit_cost_fy.dims == ("fiscal_year", "scheme")


def test_payments_spread_each_group_over_its_own_months():
    """Worked case: rows 0-2 paid 600 THB a month January-September, rows 1-3 700 THB October-December."""
    payments = Payments(5)
    payments.add(np.array([0, 1, 2]), Months(range(9)) * np.full(3, 600.0), months=Months(range(9)))
    payments.add(np.array([1, 2, 3]), 3 * 700.0, months=Months([9, 10, 11]))
    rows, (total,) = payments.merged()
    assert rows.tolist() == [0, 1, 2, 3] and total.tolist() == [5400.0, 7500.0, 7500.0, 2100.0]
    flows = payments.monthly(scale=10.0)
    assert flows["monthly_cost"].tolist() == [18_000.0] * 9 + [21_000.0] * 3  # 3 rows x 10 persons x 600 / 700
    assert flows["monthly_recipients"].tolist() == [30.0] * 12
    assert flows["monthly_cost"].sum() == pytest.approx(total.sum() * 10.0, rel=1e-15)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_merged_payments_are_the_sums_over_the_whole_population(data):
    """Any groups of distinct rows with amounts per row or one for all: the merged totals, summed by recipient, are
    bit for bit those of adding each group into a whole-population array in group order."""
    size = data.draw(st.integers(1, 60))
    payments = Payments(size)
    groups = []
    for _ in range(data.draw(st.integers(2, 4))):
        rows = np.array(sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1))), dtype=np.int64)
        if groups and data.draw(st.booleans()):
            rows = groups[0][0]  # the same recipients as the first group (the usual case)
        amounts = [data.draw(st.one_of(st.floats(-1e6, 1e6), st.just(None))) for _ in range(2)]
        amounts = tuple(np.array(data.draw(st.lists(st.floats(-1e6, 1e6), min_size=rows.size,
                                                    max_size=rows.size))) if a is None else a for a in amounts)
        payments.add(rows, *amounts)
        groups.append((rows, amounts))
    rows, totals = payments.merged()
    paid = np.zeros(size, dtype=bool)
    for group_rows, _ in groups:
        paid[group_rows] = True
    assert rows.tolist() == np.flatnonzero(paid).tolist()
    for k, total in enumerate(totals):
        dense = np.zeros(size)
        for group_rows, amounts in groups:
            dense[group_rows] += amounts[k]
        assert total.tobytes() == dense[rows].tobytes()


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_folded_payments_are_merged_payments_of_the_same_recipients(data):
    """Month groups paying the same recipients, folded in one at a time (`folded_payments`): the totals and the
    monthly flows bit for bit those of `Payments`, with one group or several, signed zeros included."""
    size = data.draw(st.sampled_from([1, 40, 3000]))
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=700))), dtype=np.int32)
    cuts = sorted(data.draw(st.sets(st.integers(1, 11), max_size=3)))
    months = [Months(range(a, b)) for a, b in zip([0, *cuts], [*cuts, 12])]
    value = st.one_of(st.floats(-1e6, 1e6), st.sampled_from([0.0, -0.0]))
    groups = [[np.array(data.draw(st.lists(value, min_size=rows.size, max_size=rows.size))) for _ in range(2)]
              for _ in months]
    payments = Payments(size)
    for group, in_months in zip(groups, months):
        payments.add(rows, *group, months=in_months)
    merged_rows, expected = payments.merged()
    expected_flows = payments.monthly(7.0, cost=(0, 1))
    def maker(group: list[np.ndarray]):
        return lambda block: [a[np.searchsorted(rows, block)] for a in group]  # the block's amounts

    makers = [(in_months, maker(group)) for group, in_months in zip(groups, months)]
    totals, flows = folded_payments(rows, makers, 7.0, cost=(0, 1), block=128)
    assert merged_rows.tolist() == rows.tolist()
    assert all(t.tobytes() == e.tobytes() for t, e in zip(totals, expected))
    assert flows.keys() == expected_flows.keys()
    assert all(flows[k].tobytes() == expected_flows[k].tobytes() for k in flows)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_narrowed_folded_totals_are_the_float64_ones(data):
    """A total folded with `narrow`: float32 when every value it takes as the groups are added (whole THB, or not)
    is exact in it, else float64, and its values those of the total held in float64 throughout, bit for bit
    (signed zeros included)."""
    size = 3000
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=700))), dtype=np.int32)
    cuts = sorted(data.draw(st.sets(st.integers(1, 11), max_size=3)))
    months = [Months(range(a, b)) for a, b in zip([0, *cuts], [*cuts, 12])]
    whole = st.one_of(st.integers(-2**24, 2**24).map(float), st.sampled_from([0.0, -0.0, 1e300, 0.1]))
    value = data.draw(st.sampled_from([whole, st.integers(0, 3000).map(float), st.floats(-1e6, 1e6)]))
    groups = [[np.array(data.draw(st.lists(value, min_size=rows.size, max_size=rows.size))) for _ in range(2)]
              for _ in months]

    def maker(group: list[np.ndarray]):
        return lambda block: [a[np.searchsorted(rows, block)] for a in group]

    makers = [(in_months, maker(group)) for group, in_months in zip(groups, months)]
    wide, _ = folded_payments(rows, makers, 7.0, cost=(0, 1), block=128)
    narrow, _ = folded_payments(rows, makers, 7.0, cost=(0, 1), block=128, narrow=(1,))
    assert narrow[0].tobytes() == wide[0].tobytes()
    partial = np.zeros(rows.size) if len(groups) > 1 else groups[0][1]  # the total after each group in turn
    exact = True
    with np.errstate(over="ignore"):  # 1e300 is no float32: not exact
        for group in groups if len(groups) > 1 else []:
            partial = partial + group[1]
            exact &= np.array_equal(partial.astype(np.float32), partial)
        exact &= np.array_equal(partial.astype(np.float32), partial)
    assert narrow[1].dtype == (np.float32 if exact else np.float64)
    assert narrow[1].astype(np.float64).tobytes() == wide[1].tobytes()


@settings(max_examples=60, deadline=None)
@given(n=st.sampled_from([0, 1, 127, 128, 129, 300, 1031, 4096, 5000, 70_001]), most=st.sampled_from([128, 136, 1000]),
       seed=st.integers(0, 2**16))
def test_pairwise_total_is_numpy_s_sum_from_its_ranges(n, most, seed):
    """np.sum of an array bit for bit from np.sum of the ranges its pairwise summation reaches, taken in order."""
    values = np.random.default_rng(seed).random(n) * 1e4 - 10.0
    taken = []

    def range_sum(start: int, stop: int) -> float:
        taken.append((start, stop))
        return float(np.sum(values[start:stop]))

    assert pairwise_total(n, range_sum, most) == float(np.sum(values))
    assert all(stop - start <= most for start, stop in taken)
    assert [start for start, _ in taken] == [0, *(stop for _, stop in taken)][:len(taken)]  # consecutive, in order
    assert sum(stop - start for start, stop in taken) == n
    with pytest.raises(ValueError, match="at least 128"):
        pairwise_total(n, range_sum, 64)


def test_cash_kept_for_the_cash_income_is_float32_only_when_exact():
    """After the distribution's sums, a scheme's cash amounts stay for the rows' cash income, in float32 when every
    value is exact in it; in-kind amounts go, and the total stays."""
    whole = SchemeYear(size=4, rows=np.array([0, 2]), amount=np.array([7200.0, 8400.0]))
    odd = SchemeYear(size=4, rows=np.array([1]), amount=np.array([0.1]))
    in_kind = SchemeYear(size=4, rows=np.array([3]), amount=np.array([5.5]), cash=False,
                         cash_amount=np.array([1200.0]))
    broadcast = SchemeYear(size=4, rows=np.array([0, 1]), amount=np.broadcast_to(np.float64(600.0), (2,)))
    for result in (whole, odd, in_kind, broadcast):
        total = result.total()
        result.drop_row_amounts(keep_cash=True)
        assert result.total() == total and not result.amounts_dropped
    assert whole.amount.dtype == np.float32 and whole.cash_amounts().tolist() == [7200.0, 8400.0]
    assert odd.amount.dtype == np.float64 and broadcast.amount.strides == (0,)
    assert in_kind.amount is None and in_kind.cash_amount.dtype == np.float32
    in_kind.drop_row_amounts()
    assert in_kind.amounts_dropped and in_kind.total() == 5.5
    with pytest.raises(RuntimeError, match="dropped"):
        in_kind.cash_amounts()


def test_payments_need_the_months_of_every_group():
    payments = Payments(3)
    payments.add(np.array([0]), 600.0)
    payments.add(np.array([1]), 700.0)
    with pytest.raises(ValueError, match="every group needs its months"):
        payments.monthly(scale=1.0)


def test_months_counts_like_an_int_and_knows_its_months():
    months = Months([9, 10, 11])
    assert months == 3 and months * 600 == 1800 and months / 12.0 == 0.25 and months.indices == (9, 10, 11)


def test_monthly_flows_that_do_not_add_up_stop_the_run():
    good = SchemeYear(size=2, rows=np.array([0, 1]), amount=1200.0)
    bad = SchemeYear(size=2, rows=np.array([0]), amount=1200.0, monthly_cost=np.full(12, 50.0))
    results = {"old_age_allowance": good, "csmbs": bad}
    with pytest.raises(RuntimeError, match="scheme csmbs: monthly cost"):
        monthly_flows(results, 1.0, np.array([2400.0, 1200.0]), np.zeros(2))
    cost, recipients, _ = monthly_flows({"old_age_allowance": good}, 1.0, np.array([2400.0]), np.zeros(1))
    assert cost[:, 0].tolist() == [200.0] * 12 and recipients[:, 0].tolist() == [2.0] * 12


def _synthetic(values: np.ndarray, first_year: int = 2023) -> xr.Dataset:
    years = np.arange(first_year, first_year + values.shape[0])
    by_month = xr.DataArray(values, dims=("year", "month", "scheme"),
                            coords={"year": years, "month": np.arange(1, 13), "scheme": ["a", "b"]})
    return xr.Dataset({"benefit_cost_by_month": by_month, "recipients_by_month": by_month,
                       "contributions_by_month": 2 * by_month})


def test_fiscal_year_worked_case():
    values = np.zeros((2, 12, 2))
    values[0, 9:, 0] = 1.0  # October-December 2023: 1 THB a month
    values[1, :9, 0] = 2.0  # January-September 2024: 2 THB a month
    values[1, 9:, 0] = 100.0  # October-December 2024 belong to FY2025, not simulated in full
    ds = add_fiscal_years(_synthetic(values))
    assert ds.fiscal_year.values.tolist() == [2024]
    assert ds.benefit_cost_fy.sel(scheme="a").values.tolist() == [3.0 + 18.0]
    assert ds.contributions_fy.sel(scheme="a").values.tolist() == [42.0]
    assert ds.recipients_fy.sel(scheme="a").values.tolist() == [21.0 / 12]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_fiscal_years_partition_the_simulated_months(n_years, seed):
    """Whatever the flows, the fiscal years plus January-September of the first year and October-December of the
    last hold every simulated month exactly once."""
    values = np.random.default_rng(seed).lognormal(20, 2, size=(n_years, 12, 2))
    ds = add_fiscal_years(_synthetic(values))
    assert ds.sizes["fiscal_year"] == n_years - 1
    assert fiscal_years(ds.year.values).tolist() == list(range(2024, 2023 + n_years))
    total = ds.benefit_cost_fy.sum("fiscal_year") + values[0, :9].sum(axis=0) + values[-1, 9:].sum(axis=0)
    np.testing.assert_allclose(total, values.sum(axis=(0, 1)), rtol=1e-12)
