"""The year's household reductions computed once and shared (model.fiscal.indicators.YearHouseholds), the income
deciles ranked by buckets (model.fiscal.distribution.household_deciles) and the multidimensional poverty index
counted by deprivation pattern (model.fiscal.mpi): each gives what the direct computation gives, and the index
does not depend on the numerical library's threads."""

import json
import os
import subprocess
import sys
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model.api import resolve
from model.fiscal import distribution, indicators, kernels, mpi
from model.population import household_kernels, households
from model.population.axes import N_AGES
from model.population.persons import Persons
from model.population.status import EMPLOYED, INFORMAL, N_STATUSES, WORKING_AGE, in_status
from model.schemes import ssf_s33
from model.schemes.registry import HEALTH_SCHEMES, apply_schemes
from model.schemes.universal_coverage import ssf_medical_insured
from model.simulation import SocialSecurityModel


def deciles_by_full_sort(persons: Persons) -> np.ndarray:
    """[row] household income decile 0..9 by a sort of every household (income, then id): the definition."""
    size = households.household_size(persons)
    income = np.zeros(size.size)
    income[persons.hh] = households.income_per_person_of_rows(persons)
    used = np.flatnonzero(size > 0)
    order = used[np.lexsort((used, income[used]))]
    middle = np.cumsum(size[order]) - size[order] / 2.0
    decile = np.zeros(size.size, dtype=np.int8)
    decile[order] = np.minimum((10 * middle / max(len(persons), 1)).astype(np.int64), 9)
    return decile[persons.hh]


def _covered(flows) -> np.ndarray:
    """[row] paid a benefit of a scheme other than health cover (the coverage indicators' definition)."""
    covered = np.zeros(flows.size, dtype=bool)
    for name, result in flows.schemes.items():
        if name not in HEALTH_SCHEMES:
            covered[result.rows] = True
    return covered


@pytest.fixture(scope="module")
def year_1000():
    """A baseline run at 1,000 persons per row stepped to 2026, with the schemes' flows of 2026."""
    run = SocialSecurityModel(resolve("baseline", scale=1000, seed=5))
    for _ in range(3):
        run.step()
    ctx = run.year_context(run.year)
    return run, ctx, apply_schemes(ctx)


def test_deciles_of_a_run_are_those_of_the_full_sort(year_1000):
    run, _, _ = year_1000
    np.testing.assert_array_equal(distribution.household_deciles(run.persons), deciles_by_full_sort(run.persons))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_deciles_are_those_of_the_full_sort(data):
    """Any households (ids with gaps, equal incomes, zeros, negative incomes, -0.0, NaN): the same deciles."""
    n = data.draw(st.integers(1, 400))
    persons = Persons({"age": np.full(n, 30), "sex": np.zeros(n, dtype=int)}, 10.0)
    persons.hh[:] = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, 2 * n)))
    values = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 12_000.0, -5.0, float("nan")]),
                       st.floats(-1e3, 1e7, width=32, allow_nan=False))
    income = data.draw(hnp.arrays(np.float32, 2 * n + 1, elements=values))
    persons.tables[households.INCOME_PER_PERSON] = income[:households.n_households(persons)]  # by household id
    np.testing.assert_array_equal(distribution.household_deciles(persons), deciles_by_full_sort(persons))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_household_table_is_numpy_s_scatter_by_household(data):
    """Members by id and the region of each id's last row (numpy's `array[hh] = column`), ids without members
    included, and the households with members by region."""
    n = data.draw(st.integers(0, 300))
    hh = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n + 2)))
    region = data.draw(hnp.arrays(np.int8, n, elements=st.integers(0, 7)))
    size, region_of, by_region = kernels.household_table(hh, region, n + 3, 8)
    expected_region = np.zeros(n + 3, np.int8)
    expected_region[hh] = region
    assert size.dtype == np.int16 and size.tolist() == np.bincount(hh, minlength=n + 3).tolist()
    assert region_of.tolist() == expected_region.tolist()
    assert by_region.tolist() == np.bincount(expected_region[size > 0], minlength=8).tolist()


def test_household_records_are_the_living_arrangements_measures(year_1000):
    run, _, _ = year_1000
    persons = run.persons
    measures = households.living_arrangements(persons)
    old = np.count_nonzero(persons.age >= households.OLD_AGE)
    records = indicators.household_records(persons)
    assert records["household_mean_size"] == measures["households.mean_size"]
    assert records["elderly_living_alone"] == measures["households.elderly_alone_share"] * old * persons.scale
    assert records["households"] == np.count_nonzero(households.household_size(persons)) * persons.scale


def test_support_bits_are_the_recipients_masks(year_1000):
    """What each row receives, set bit by bit from the schemes' rows: the masks of the dimensions' definitions
    (old-age allowance, SSF pension in payment or civil-service pension; SSF medical care, UCS or CSMBS; disability
    allowance) and of coverage (a scheme other than health cover), and none of them for a row that receives
    nothing."""
    run, ctx, flows = year_1000
    persons, schemes = run.persons, flows.schemes
    pension = np.zeros(len(persons), dtype=bool)
    pension[persons.cs.rows_where(persons.cs.cs_pension > 0)] = True
    expected = [schemes["old_age_allowance"].recipient_mask() | ssf_s33.pension_in_payment(ctx) | pension,
                ssf_medical_insured(persons) | schemes["universal_coverage"].recipient_mask()
                | schemes["csmbs"].recipient_mask(),
                schemes["disability_allowance"].recipient_mask(), _covered(flows)]
    bits = mpi.support(ctx, flows).bits
    assert all(mask.any() and not mask.all() for mask in expected)
    for mask, bit in zip(expected, (mpi.Support.OLD_AGE_INCOME, mpi.Support.HEALTH_COVER,
                                    mpi.Support.DISABILITY_ALLOWANCE, mpi.Support.COVERED)):
        np.testing.assert_array_equal((bits & bit) > 0, mask)
    assert not (bits & ~np.uint8(15)).any()
    np.testing.assert_array_equal(mpi.Support.of(*expected).bits, bits)


def test_cash_blocks_make_the_cash_column(year_1000):
    """The cash column block by block (SchemesYear.cash_blocks), whatever the blocks, is numpy's sum of each paying
    scheme's amounts over its rows in the contract's order, in float32, though some schemes' rows are in no order."""
    _, _, flows = year_1000
    expected = np.zeros(flows.size, np.float32)
    for result in flows.schemes.values():
        if result.pays_cash:
            expected[result.rows] += result.cash_amounts()
    assert any(np.any(np.diff(result.rows) < 0) for result in flows.schemes.values() if result.pays_cash)
    assert np.count_nonzero(expected) > flows.size // 10
    for rows_per_block in (8, 1000, 4096 + 8, flows.size, flows.size + 8):
        firsts, blocks = zip(*[(first, cash.copy()) for first, cash in flows.cash_blocks(rows_per_block)])
        assert firsts == tuple(range(0, flows.size, rows_per_block))
        np.testing.assert_array_equal(np.concatenate(blocks), expected)
    np.testing.assert_array_equal(flows.cash_income(), expected)


def test_shared_reductions_give_the_same_records(year_1000):
    run, ctx, flows = year_1000
    line = indicators.poverty_line(run.params, ctx.year, run.indices)
    shared = indicators.YearHouseholds(run.persons, flows, line)
    alone = indicators.target_group_records(ctx, flows, line)
    together = indicators.target_group_records(ctx, flows, line, shared)
    for name in alone:
        np.testing.assert_array_equal(alone[name], together[name], err_msg=name)
    cash = flows.cash_income()
    direct = indicators.target_group_indicators(run.persons, cash, _covered(flows), line)
    for name in direct:
        np.testing.assert_array_equal(direct[name], together[name], err_msg=name)
    by_region = distribution.records(run.persons, flows, run.params, ctx.year, run.indices)
    shared_region = distribution.records(run.persons, flows, run.params, ctx.year, run.indices, shared)
    for name in by_region:
        np.testing.assert_array_equal(by_region[name], shared_region[name], err_msg=name)


def test_amounts_summed_first_then_dropped_give_the_same_records():
    """As a run's year does it: the schemes' amounts summed by decile and region first (`year_sums`, with the rows'
    code of `YearHouseholds.code`, the code of the distribution pass), then dropped, and the records made after
    that: the same records as from the whole flows; an amount read after the drop raises."""
    run = SocialSecurityModel(resolve("baseline", scale=1000, seed=5))
    run.step()
    ctx = run.year_context(run.year)
    flows = apply_schemes(ctx)
    line = indicators.poverty_line(run.params, ctx.year, run.indices)
    expected = {**run.scheme_records(flows, ctx.year, None, ctx),
                **distribution.records(run.persons, flows, run.params, ctx.year, run.indices)}
    shared = indicators.YearHouseholds(run.persons, flows, line)
    np.testing.assert_array_equal(shared.code,
                                  (shared.decile_of[run.persons.hh].astype(np.int64) << 3 | run.persons.region)
                                  .astype(np.int8))
    sums = distribution.year_sums(run, flows, ctx.year, shared.code)
    for result in flows.schemes.values():
        result.drop_row_amounts()
    got = {**run.scheme_records(flows, ctx.year, shared, ctx),
           **distribution.year_records(run, flows, ctx.year, shared, sums)}
    assert got.keys() == expected.keys()
    for name in expected:
        np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
    with pytest.raises(RuntimeError, match="dropped"):
        flows.cash_income()
    with pytest.raises(RuntimeError, match="dropped"):
        distribution.scheme_sums(run.persons, flows, shared.code)


def test_schemes_reduced_as_computed_give_the_same_flows_and_sums():
    """A run's year reduces each scheme's amounts as soon as it is computed (model.fiscal.reductions): the same
    totals, monthly flows and sums by decile and region as the whole results; what is paid in kind and the insured's
    own contributions by row are freed, the cash amounts kept; with `keep` (a capture wants the frames) nothing is."""
    from model.fiscal.reductions import YearReductions
    from model.schemes.base import REDUCE_ROWS

    def stepped() -> SocialSecurityModel:
        run = SocialSecurityModel(resolve("baseline", scale=1000, seed=5))
        run.step()
        return run

    run = stepped()
    table = indicators.HouseholdTable(run.persons)
    whole = apply_schemes(run.year_context(run.year))  # the schemes' yearly state changes are made once per state
    expected = distribution.scheme_sums(run.persons, whole, table.code)
    for keep in (False, True):
        run = stepped()
        ctx = run.year_context(run.year)
        ctx.shared[REDUCE_ROWS] = YearReductions(run.persons, table.code, keep=keep)
        reduced = apply_schemes(ctx)
        for name in ("recipients", "benefit_cost", "contributions_by_payer", "cost_by_month", "recipients_by_month"):
            np.testing.assert_array_equal(getattr(reduced, name), getattr(whole, name), err_msg=name)
        got = distribution.scheme_sums(run.persons, reduced, table.code)
        for name in expected:
            np.testing.assert_array_equal(got[name], expected[name], err_msg=name)
        np.testing.assert_array_equal(reduced.cash_income(), whole.cash_income())
        in_kind = reduced.schemes["universal_coverage"]
        assert (in_kind.amount is None) != keep and (reduced.schemes["ssf_s40"].insured_by_row is None) != keep
        assert isinstance(reduced.schemes["old_age_allowance"].amount, np.ndarray)  # cash: kept
        # whole THB a year: kept in float32 once reduced (the cash income above is the same)
        assert reduced.schemes["old_age_allowance"].amount.dtype == (np.float64 if keep else np.float32)
    expected_code = deciles_by_full_sort(run.persons).astype(np.int64) * 8 + run.persons.region
    np.testing.assert_array_equal(table.code, expected_code.astype(np.int8))


@settings(max_examples=100, deadline=None)
@given(deprived=hnp.arrays(bool, st.tuples(st.integers(1, 40), st.just(len(mpi.DIMENSIONS)))),
       raw=hnp.arrays(float, len(mpi.DIMENSIONS), elements=st.floats(0.01, 1.0)),
       cutoff=st.floats(0.05, 1.0), data=st.data())
def test_measures_by_pattern_are_those_by_unit(deprived, raw, cutoff, data):
    """Counting persons by deprivation pattern gives the measures computed unit by unit."""
    weights = raw / raw.sum()
    population = data.draw(hnp.arrays(np.int64, deprived.shape[0], elements=st.integers(0, 50)))
    c = deprived.astype(float) @ weights
    poor = c >= cutoff - mpi.SCORE_TOLERANCE
    total, in_poor = population.sum(), population * poor
    h, a, m0 = mpi.af_measures(deprived, weights, cutoff, population)
    if total == 0 or in_poor.sum() == 0:
        assert (h, a, m0) == (0.0, 0.0, 0.0)
        return
    assert h == in_poor.sum() / total  # counts of persons: exact
    assert a == pytest.approx(float(in_poor @ c) / in_poor.sum(), rel=1e-12)
    np.testing.assert_array_equal(mpi.censored_headcounts(deprived, weights, cutoff, population),
                                  (in_poor @ deprived.astype(float)) / total)


def _index_of_a_large_sample() -> list:
    """The index and censored headcounts of 60,000 random units (more terms than OpenBLAS splits between threads)."""
    rng = np.random.default_rng(11)
    deprived = rng.random((60_000, len(mpi.DIMENSIONS))) < 0.3
    population = rng.integers(1, 9, 60_000)
    weights = rng.random(len(mpi.DIMENSIONS))
    weights /= weights.sum()
    return [list(mpi.af_measures(deprived, weights, 0.3, population)),
            mpi.censored_headcounts(deprived, weights, 0.3, population).tolist()]


def test_the_index_does_not_depend_on_the_numerical_library_s_threads():
    """The same index with one thread of OpenBLAS (a child process) as with as many as the machine has (this
    one): no sum of the index is left to the library, whose dot product of more than 10,000 terms is split between
    its threads, each adding its part."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join([os.getcwd(), *sys.path])}
    code = f"import json, sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); " \
           "from test_indicator_passes import _index_of_a_large_sample as f; print(json.dumps(f()))"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == _index_of_a_large_sample()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_cash_of_each_group_s_recipients_is_the_masked_sum(data):
    """Counted at once by group bits when the sums are exact, else group by group: the same sums as
    np.sum(cash, where=mask & paid) bit for bit (amounts in whole baht, halves, or any float32)."""
    n = data.draw(st.integers(1, 300))
    amounts = data.draw(st.sampled_from([st.integers(0, 20_000).map(float), st.integers(0, 40_000).map(lambda x: x / 2),
                                         st.floats(0, 1e6, width=32)]))
    cash = data.draw(hnp.arrays(np.float32, n, elements=amounts))
    masks = {f"g{i}": data.draw(hnp.arrays(bool, n)) for i in range(3)}
    masks["all"] = np.ones(n, dtype=bool)
    bits, which = indicators.group_bits(masks)
    expected = [float(np.sum(cash, where=mask & (cash > 0), dtype=np.float64)) for mask in masks.values()]
    assert indicators.recipients_cash(cash, masks, bits, which) == expected


def _patterns_by_numpy(persons: Persons, income_poor: np.ndarray, received: list[np.ndarray], n: int) -> np.ndarray:
    """[household] deprivation pattern, one numpy scatter per dimension: the definition of mpi.household_patterns
    (`received`: the old-age income, health cover and disability allowance masks)."""
    age, hh = persons.age, persons.hh
    old_age_income, health_cover, disability_allowance = received
    by_row = (income_poor, (age >= households.OLD_AGE) & ~old_age_income,
              (age >= WORKING_AGE) & (age < households.OLD_AGE) & (persons.status == INFORMAL), ~health_cover,
              persons.disabled & ~disability_allowance, (age < households.ADULT_AGE) & income_poor)
    pattern = np.zeros(n, dtype=np.uint8)
    for d, flag in enumerate(by_row):
        deprived = np.zeros(n, dtype=bool)
        deprived[hh[flag]] = True
        pattern |= deprived.view(np.uint8) << np.uint8(d)
    return pattern


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_compiled_patterns_are_the_scatter_of_each_dimension(data):
    """Any members, ages (any int16), statuses (any int8) and receipts: the compiled pass gives each dimension's
    scatter."""
    n = data.draw(st.integers(1, 300))
    ages = st.one_of(st.integers(0, 100), st.integers(-(1 << 15), (1 << 15) - 1))
    persons = Persons({"age": data.draw(hnp.arrays(np.int16, n, elements=ages)),
                       "sex": np.zeros(n, dtype=int)}, 10.0)
    persons.hh[:] = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n)))
    persons.status[:] = data.draw(hnp.arrays(np.int8, n, elements=st.one_of(st.integers(0, 8),
                                                                             st.integers(-128, 127))))
    persons.disabled[:] = data.draw(hnp.arrays(bool, n))
    flags = [data.draw(hnp.arrays(bool, n)) for _ in range(4)]
    n_households = households.n_households(persons)
    np.testing.assert_array_equal(mpi.household_patterns(persons, flags[3], mpi.Support.of(*flags[:3]), n_households),
                                  _patterns_by_numpy(persons, flags[3], flags[:3], n_households))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_shared_household_reductions_are_the_numpy_ones(data):
    """Members, poverty flags (with the rows paid cash), the groups' cash and households by region of
    YearHouseholds: those of np.bincount, income_after_transfers, flag_codes and the comparisons with the line
    (zeros, NaN and negative cash), whatever the blocks the cash column is read in."""
    n = data.draw(st.integers(1, 300))
    persons = Persons({"age": np.full(n, 30), "sex": np.zeros(n, dtype=int)}, 10.0)
    persons.hh[:] = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n)))
    income = data.draw(hnp.arrays(np.float32, n + 1, elements=st.floats(-1e3, 1e6, width=32)))
    persons.tables[households.INCOME_PER_PERSON] = income[:households.n_households(persons)]
    persons.region[:] = data.draw(hnp.arrays(np.int8, n + 1, elements=st.integers(0, 4)))[persons.hh]
    cash = data.draw(hnp.arrays(np.float32, n, elements=st.one_of(st.just(0.0), st.floats(-10.0, 1e5, width=32))))
    line = data.draw(st.floats(0.0, 2e5))
    persons.age[:] = data.draw(hnp.arrays(np.int16, n, elements=st.integers(-3, 120)))
    persons.status[:] = data.draw(hnp.arrays(np.int8, n, elements=st.integers(-128, 127)))
    persons.disabled[:] = data.draw(hnp.arrays(bool, n))

    class Flows:
        def cash_blocks(self, rows_per_block: int, free_rows: bool = False):
            for first in range(0, n, rows_per_block):
                yield first, cash[first:first + rows_per_block]

    block = 8 * data.draw(st.integers(1, 40))  # rows of the cash column read at once
    with patch.object(indicators, "CASH_BLOCK_ROWS", block):
        shared = indicators.YearHouseholds(persons, Flows(), line)
    size = households.household_size(persons)
    np.testing.assert_array_equal(shared.size, size)
    after = indicators.income_after_transfers(persons, cash, size)
    np.testing.assert_array_equal(shared.poor[0], households.income_per_person_of_rows(persons) < line)
    np.testing.assert_array_equal(shared.poor[1], after < line)
    np.testing.assert_array_equal(shared.poverty, indicators.flag_codes(persons, cash, np.zeros(n, bool),
                                                                        shared.poor) & ~np.uint8(4))
    _, paid_bits, _ = indicators.pooled_cash(persons, Flows(), size.astype(np.int32))
    np.testing.assert_array_equal(paid_bits, np.packbits(cash > 0, bitorder="little"))
    informal = in_status(persons.status, *np.flatnonzero(indicators.INFORMAL_WORK))
    group = ((persons.age >= 60) | (persons.age <= 6) << 1 | persons.disabled << 2 | informal << 3).astype(np.intp)
    paid = cash > 0
    np.testing.assert_array_equal(shared.cash_by_bits, np.bincount(group[paid], minlength=16,
                                                                   weights=cash[paid].astype(np.float64)))
    region_of = np.zeros(size.size, dtype=np.int8)
    region_of[persons.hh] = persons.region
    np.testing.assert_array_equal(shared.households_by_region, np.bincount(region_of[size > 0], minlength=5))


def test_stock_variables_are_the_numpy_counts(year_1000):
    """The state of 1 July from the compiled pass: the counts of np.bincount and numpy's wage bill."""
    run, _, _ = year_1000
    p = run.persons
    key = (p.status.astype(np.intp) * 2 + ~p.thai) * (2 * N_AGES) + p.sex.astype(np.intp) * N_AGES + p.age
    rows = np.bincount(key, minlength=N_STATUSES * 4 * N_AGES).reshape(N_STATUSES, 2, 2, N_AGES)
    state = run.state()
    np.testing.assert_array_equal(state["persons_by_status_sex_age"], rows.sum(axis=1) * p.scale)
    np.testing.assert_array_equal(state["population_by_nationality"], rows.sum(axis=0) * p.scale)
    employed = in_status(p.status, *np.flatnonzero(EMPLOYED))
    assert state["wage_bill"] == 12.0 * p.scale * float(np.sum(p.wage, where=employed, dtype=np.float64))
    assert state["migrant_workers"] == np.count_nonzero(p.migrant_worker) * p.scale


@pytest.mark.parametrize("odd_wage", [None, -1.0, np.nan, np.inf])
def test_stock_pass_is_the_numpy_count(odd_wage):
    """Rows spanning several of the pass's chunks (and a last, shorter one): the counts of np.bincount, the employed
    rows' wages added one by one in row order, and the flag of a negative or NaN wage of the employed or a wage that
    is not finite on any row (here on a row not employed)."""
    from functools import reduce

    from model.simulation import _EMPLOYED_STATUS

    rng = np.random.default_rng(7)
    n = 2 * kernels.CHUNK + 77
    status = rng.integers(0, N_STATUSES, n).astype(np.int8)
    thai, migrant = rng.random(n) < 0.9, rng.random(n) < 0.05
    sex, age = (rng.random(n) < 0.5).astype(np.int8), rng.integers(0, N_AGES, n).astype(np.int16)
    wage = rng.uniform(0.0, 1e5, n).astype(np.float32)
    employed = in_status(status, *np.flatnonzero(EMPLOYED))
    if odd_wage is not None:
        wage[np.flatnonzero(~employed)[3]] = odd_wage
    counts, stats = kernels.stock_pass(status, thai, sex, age, wage, migrant, _EMPLOYED_STATUS, N_STATUSES, N_AGES)
    key = (status.astype(np.intp) * 2 + ~thai) * (2 * N_AGES) + sex.astype(np.intp) * N_AGES + age
    np.testing.assert_array_equal(counts.ravel(), np.bincount(key, minlength=N_STATUSES * 4 * N_AGES))
    assert stats[1] == float(odd_wage is not None and not np.isfinite(odd_wage))
    if not stats[1]:
        assert stats[0] == reduce(lambda total, w: total + w, wage[employed].astype(np.float64).tolist(), 0.0)
    assert stats[2] == np.count_nonzero(migrant)

@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_count_pass_is_the_numpy_count(data):
    """Any ages (negative too), status codes (any int8), flags, household codes and amounts: the compiled count of
    rows by group bits, deprivation pattern and flag code, the old living alone and the distribution counts are those
    of np.bincount over the same keys (sums added in row order)."""
    n = data.draw(st.integers(1, 300))
    n_households = data.draw(st.integers(1, 40))
    hh = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n_households - 1)))
    poor = data.draw(hnp.arrays(np.uint8, n, elements=st.sampled_from([0, 1, 2, 3, 8, 9, 10, 11])))
    covered, disabled, pensioner = (data.draw(hnp.arrays(bool, n)) for _ in range(3))
    age = data.draw(hnp.arrays(np.int16, n, elements=st.integers(-3, 120)))
    status = data.draw(hnp.arrays(np.int8, n, elements=st.integers(-128, 127)))
    region = data.draw(hnp.arrays(np.int8, n, elements=st.integers(0, 4)))
    income = data.draw(hnp.arrays(np.float32, n, elements=st.floats(-1e3, 1e6, width=32)))
    household = (data.draw(hnp.arrays(np.uint16, n_households, elements=st.integers(0, 127)))
                 | (data.draw(hnp.arrays(np.uint16, n_households, elements=st.integers(0, 9))) << 7))
    _check_count_pass(hh, poor, covered, age, status, disabled, pensioner, region, income, household)


def test_count_pass_over_several_chunks_is_the_numpy_count():
    """Rows spanning several of the pass's chunks of rows (and a last, shorter one): the same counts and sums."""

    rng = np.random.default_rng(5)
    n, n_households = 2 * kernels.CHUNK + 77, 900
    household = rng.integers(0, 128, n_households).astype(np.uint16) | (
        rng.integers(0, 10, n_households).astype(np.uint16) << 7)
    poor = rng.integers(0, 4, n).astype(np.uint8) | (rng.random(n) < 0.5).astype(np.uint8) << 3
    _check_count_pass(rng.integers(0, n_households, n).astype(np.int32), poor,
                      rng.random(n) < 0.3, rng.integers(-3, 121, n).astype(np.int16),
                      rng.integers(-128, 128, n).astype(np.int8), rng.random(n) < 0.1, rng.random(n) < 0.05,
                      rng.integers(0, 5, n).astype(np.int8), rng.uniform(-1e3, 1e6, n).astype(np.float32),
                      household)


def _check_count_pass(hh, poor, covered, age, status, disabled, pensioner, region, income, household):
    """kernels.count_pass of these rows against np.bincount over the same keys (sums added in row order)."""

    received = covered.astype(np.uint8) * np.uint8(mpi.Support.COVERED) | (hh % 8).astype(np.uint8)  # other bits
    counts, old, made = kernels.count_pass(
        hh, poor, received, age, status, disabled, indicators._INSURED_STATUS, pensioner, 60, 6,
        indicators._INFORMAL_STATUS, household, mpi.N_PATTERNS, households.OLD_AGE, region)
    by_both, by_poverty, income_by_region = kernels.distribution_counts(
        made, household_kernels.sum_by_household(region, income, 5), 5)

    codes = status.astype(np.int64)
    insured = np.isin(codes, [s for s in range(64) if indicators._INSURED_STATUS >> s & 1])
    informal = in_status(status, *np.flatnonzero(indicators.INFORMAL_WORK))
    flag = poor | (covered | insured | pensioner) << 2  # poor holds bit 8: paid cash
    group = (age >= 60) | (age <= 6) << 1 | disabled << 2 | informal << 3
    of_row = household[hh].astype(np.int64)
    key = (group * mpi.N_PATTERNS + (of_row & 63)) * 16 + flag
    np.testing.assert_array_equal(counts.ravel(), np.bincount(key, minlength=counts.size))
    aged = age >= households.OLD_AGE
    assert old.tolist() == [np.count_nonzero(aged), np.count_nonzero(aged & (of_row >> 6 & 1 == 1))]
    decile = of_row >> 7
    np.testing.assert_array_equal(by_both, np.bincount(decile * 8 + region, minlength=80).reshape(10, 8))
    np.testing.assert_array_equal(by_poverty, np.bincount(region * 4 + (poor & 3), minlength=20).reshape(5, 4))
    np.testing.assert_array_equal(income_by_region, np.bincount(region, weights=income.astype(np.float64),
                                                                minlength=5))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_counts_and_patterns_by_parts_are_those_of_one_pass(data):
    """The rows cut anywhere into parts (as threads.ranges cuts them, one part a thread): the parts' counts added
    are the one pass's counts, and their deprivation patterns OR-ed are the one pass's patterns."""

    n = data.draw(st.integers(1, 400))
    n_households = data.draw(st.integers(1, 50))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    parts = [slice(a, b) for a, b in zip([0, *cuts], [*cuts, n])]
    hh = data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, n_households - 1)))
    poor = data.draw(hnp.arrays(np.uint8, n, elements=st.sampled_from([0, 1, 2, 3, 8, 9, 10, 11])))
    received = data.draw(hnp.arrays(np.uint8, n, elements=st.integers(0, 15)))
    disabled, pensioner = (data.draw(hnp.arrays(bool, n)) for _ in range(2))
    age = data.draw(hnp.arrays(np.int16, n, elements=st.integers(0, 100)))
    status = data.draw(hnp.arrays(np.int8, n, elements=st.integers(-1, N_STATUSES - 1)))
    region = data.draw(hnp.arrays(np.int8, n, elements=st.integers(0, 4)))
    household = data.draw(hnp.arrays(np.uint16, n_households, elements=st.integers(0, (10 << 7) - 1)))

    def count(rows: slice) -> tuple:
        return kernels.count_pass(hh[rows], poor[rows], received[rows], age[rows], status[rows], disabled[rows],
                                  indicators._INSURED_STATUS, pensioner[rows], 60, 6, indicators._INFORMAL_STATUS,
                                  household, mpi.N_PATTERNS, households.OLD_AGE, region[rows])

    def patterns(rows: slice) -> np.ndarray:
        out = np.zeros(n_households, np.uint8)
        kernels.pattern_pass(hh[rows], poor[rows], 1, age[rows], status[rows], disabled[rows], received[rows],
                             mpi.OLD_AGE, WORKING_AGE, households.ADULT_AGE, INFORMAL, out)
        return out

    whole = count(slice(0, n))
    by_parts = [count(rows) for rows in parts]
    for k in range(3):
        np.testing.assert_array_equal(sum(part[k] for part in by_parts), whole[k])
    np.testing.assert_array_equal(np.bitwise_or.reduce([patterns(rows) for rows in parts]), patterns(slice(0, n)))
