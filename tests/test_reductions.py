"""The year's reductions of the schemes' per-row results, made as each scheme is computed (model.fiscal.reductions):
the same support bits, health cost drivers and recipients as read from the whole results, whatever the number of
threads; the rows of the schemes paying no cash freed once the schemes reading them are computed, the paying
schemes' kept for the cash income; a reader of freed rows fails instead of reading nothing."""

import numpy as np
import pytest

from model.api import resolve
from model.fiscal import indicators, mpi
from model.fiscal.reductions import READERS, YearReductions
from model.schemes import health_cost
from model.schemes.base import REDUCE_ROWS, ByAge, SchemeYear
from model.schemes.registry import SCHEMES, apply_schemes
from model.simulation import SocialSecurityModel


def _stepped() -> SocialSecurityModel:
    """A baseline run at 1,000 persons per row stepped to 2024 (its schemes not yet computed for 2024)."""
    run = SocialSecurityModel(resolve("baseline", scale=1000, seed=5))
    run.step()
    return run


@pytest.fixture(scope="module")
def whole():
    """(the run, its context, the schemes' whole results of 2024, with no reductions)."""
    run = _stepped()
    ctx = run.year_context(run.year)
    return run, ctx, apply_schemes(ctx)


def _reduced(keep: bool = False):
    """(the run, its context, the year's reductions, the schemes' results of 2024 reduced as computed)."""
    run = _stepped()
    ctx = run.year_context(run.year)
    reductions = ctx.shared[REDUCE_ROWS] = YearReductions(run.persons, indicators.HouseholdTable(run.persons).code,
                                                          keep=keep)
    return run, ctx, reductions, apply_schemes(ctx)


@pytest.mark.parametrize("n_threads", [1, 3])
def test_bits_drivers_and_recipients_are_those_of_the_whole_results(whole, monkeypatch, n_threads):
    """Each scheme's rows OR-ed into the bits as it is computed, on one thread or on several at once (each OR under
    the lock): the bits of `mpi.support` over the whole results; the age-weighted members are numpy's sums of each
    member's relative cost; the recipients and their months are counted as from the rows."""
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    _, whole_ctx, flows = whole
    _, ctx, reductions, reduced = _reduced()
    np.testing.assert_array_equal(reductions.support(ctx).bits, mpi.support(whole_ctx, flows).bits)
    drivers = reductions.drivers(ctx)
    for i, name in enumerate(health_cost.HEALTH_COST_SCHEMES):
        rows = flows.schemes[name].rows
        expected = float(np.sum(health_cost.relative_cost(whole_ctx, name, rows))) * whole_ctx.persons.scale
        assert drivers["health_members_age_weighted"][i] == expected
    for name in ("recipients", "recipients_by_month", "benefit_cost", "cost_by_month"):
        np.testing.assert_array_equal(getattr(reduced, name), getattr(flows, name), err_msg=name)


def test_rows_of_the_schemes_paying_no_cash_are_freed_and_read_no_more(whole):
    """Once a run's year has computed every scheme, the health schemes' and the contribution-only results' rows are
    freed (counted still), the paying schemes' rows kept for the cash income, which frees them; reading freed rows
    raises, as the whole results' readers (`mpi.support`, a recipient mask) then do."""
    _, ctx, flows = whole
    _, reduced_ctx, _, reduced = _reduced()
    freed = [name for name in SCHEMES if not reduced.schemes[name].pays_cash]
    assert {"universal_coverage", "csmbs", "government_pension_fund", "national_savings_fund"} <= set(freed)
    for name in SCHEMES:
        result, expected = reduced.schemes[name], flows.schemes[name]
        assert result.n_rows == expected.n_rows and result.pays_cash == expected.pays_cash
        if name in freed:
            with pytest.raises(RuntimeError, match="rows were freed"):
                _ = result.rows
        else:
            np.testing.assert_array_equal(result.rows, expected.rows, err_msg=name)
    with pytest.raises(RuntimeError, match="rows were freed"):
        mpi.support(reduced_ctx, reduced)
    with pytest.raises(RuntimeError, match="rows were freed"):
        reduced.schemes["csmbs"].recipient_mask()
    np.testing.assert_array_equal(reduced.cash_income(free_rows=True), flows.cash_income())
    for name in SCHEMES:
        with pytest.raises(RuntimeError, match="rows were freed"):
            _ = reduced.schemes[name].rows


def test_a_capture_keeps_every_row():
    """With `keep` (a capture of the year's person frames reads every amount) nothing is freed."""
    _, _, _, reduced = _reduced(keep=True)
    for name in SCHEMES:
        assert reduced.schemes[name].rows.size == reduced.schemes[name].n_rows


def test_rows_a_later_scheme_reads_are_freed_only_once_it_is_computed():
    """UCS members exclude the CSMBS beneficiaries, read from the CSMBS result: its rows stay until UCS is computed,
    then both are freed."""
    assert READERS["csmbs"] == ("universal_coverage",) and READERS["universal_coverage"] == ()
    run = _stepped()
    ctx = run.year_context(run.year)
    ctx.shared[REDUCE_ROWS] = reductions = YearReductions(run.persons, indicators.HouseholdTable(run.persons).code)
    csmbs = ctx.result("csmbs")
    assert csmbs.rows.size == csmbs.n_rows > 0
    ucs = ctx.result("universal_coverage")
    for result in (csmbs, ucs):
        with pytest.raises(RuntimeError, match="rows were freed"):
            _ = result.rows
    covered = np.count_nonzero(reductions.bits & mpi.Support.HEALTH_COVER)
    assert covered == csmbs.n_rows + ucs.n_rows  # the two schemes never cover the same person
    with pytest.raises(RuntimeError, match="old_age_allowance: its result was not reduced"):
        reductions.support(ctx)  # the other schemes were not computed: their bits would be missing


def test_a_freed_result_keeps_its_counts_and_totals():
    """`drop_rows` on a result: its rows read raise, its count, total and months stay; an in-kind result has no
    cash to lose (cash_amounts None), a paying one raises."""
    ages = np.array([30, 70, 5], dtype=np.uint8)
    by_age, _ = ByAge.of(ages, np.arange(101, dtype=float))
    in_kind = SchemeYear(size=10, rows=np.array([1, 4, 7]), amount=by_age, cash=False)
    paying = SchemeYear(size=10, rows=np.array([2, 3]), amount=np.array([100.0, 50.0]))
    months = [result.by_month(2.0) for result in (in_kind, paying)]
    for result, expected_total, month in ((in_kind, 105.0, months[0]), (paying, 150.0, months[1])):
        result.drop_rows()
        with pytest.raises(RuntimeError, match="rows were freed"):
            _ = result.rows
        assert result.total() == expected_total
        for got, want in zip(result.by_month(2.0), month):
            np.testing.assert_array_equal(got, want)
        with pytest.raises(AttributeError):
            _ = result.no_such_field
    assert (in_kind.n_rows, paying.n_rows) == (3, 2)
    assert in_kind.cash_amounts() is None and not in_kind.pays_cash and paying.pays_cash
    with pytest.raises(RuntimeError, match="dropped"):
        paying.cash_amounts()


@pytest.mark.parametrize("n_threads", [1, 3])
def test_codes_given_by_a_function_reduce_as_the_codes_themselves(monkeypatch, n_threads):
    """The household table made on another thread while the schemes start (a function waiting for its codes,
    as model.simulation gives them): every scheme's sums by decile and region are those made from the codes."""
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    _, _, _, direct = _reduced()
    run = _stepped()
    ctx = run.year_context(run.year)
    called: list[int] = []

    def code() -> np.ndarray:
        called.append(1)
        return indicators.HouseholdTable(run.persons).code

    ctx.shared[REDUCE_ROWS] = YearReductions(run.persons, code)
    later = apply_schemes(ctx)
    assert called  # read when the results were reduced
    for name in SCHEMES:
        for got, expected in zip(later.schemes[name].row_sums, direct.schemes[name].row_sums, strict=True):
            assert (got is None) == (expected is None), name
            for got_part, expected_part in zip(got or (), expected or (), strict=True):  # by decile, by region
                np.testing.assert_array_equal(got_part, expected_part, err_msg=name)
