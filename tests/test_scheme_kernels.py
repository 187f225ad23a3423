"""The schemes' compiled loops and shared row lists give exactly what the numpy expressions they replace give."""

import threading

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.compiled import scatter_used, true_rows, unique_first, unique_ids
from model.population import propensity
from model.population.persons import Persons
from model.population.status import CIVIL_SERVANT, INFORMAL, N_STATUSES, SSF_S33, SSF_S39, SSF_S40, in_status
from model.schemes import kernels, rows, takeup
from model.schemes.base import YearContext, choose
from model.schemes.ssf_s33 import distinct_months
from scheme_cases import TREE

SEEDS = st.integers(0, 2**32 - 1)


def _population(seed: int, n: int) -> dict[str, np.ndarray]:
    """Columns in their declared dtypes, with ties and runs (rows of one cell or status in a row) as in a real one."""
    rng = np.random.default_rng(seed)
    age = np.sort(rng.integers(0, 101, n)).astype(np.int16)
    age[rng.random(n) < 0.3] = rng.integers(0, 101)
    p = propensity.encode(rng.random(n))
    p[rng.random(n) < 0.05] = propensity.encode(0.7)  # ties, as among the coded propensities of many rows
    return {"age": age, "status": rng.integers(0, N_STATUSES, n).astype(np.int8), "thai": rng.random(n) < 0.9,
            "flag": rng.random(n) < 0.1, "other": rng.random(n) < 0.05, "propensity": p,
            "year": np.where(rng.random(n) < 0.2, rng.integers(2000, 2030, n), 0).astype(np.int16),
            "months": np.where(rng.random(n) < 0.5, rng.integers(0, 400, n), 0).astype(np.int16),
            "wage": (rng.random(n) * 20000).astype(np.float32), "income": (rng.random(n) * 2e5).astype(np.float32),
            "sex": (rng.random(n) < 0.5).astype(np.int8)}


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 3000))
def test_group_rows_lists_each_code_ascending(seed, n):
    status = _population(seed, n)["status"]
    order, starts = kernels.group_rows(status, N_STATUSES)
    for code in range(N_STATUSES):
        assert np.array_equal(order[starts[code]:starts[code + 1]], np.flatnonzero(status == code))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 3000))
def test_cell_counts_and_sums_are_bincounts_in_row_order(seed, n):
    c = _population(seed, n)
    sex, age, wage = c["sex"], c["age"], c["wage"]
    cell = sex.astype(np.intp) * 101 + age
    picked = np.flatnonzero(c["thai"])
    assert np.array_equal(kernels.cell_counts(sex, age, picked, 101),
                          np.bincount(cell[picked], minlength=202).astype(np.float64))
    counts, sums = kernels.cell_counts_and_sums(sex, age, picked, wage[picked], 101)
    assert np.array_equal(counts, np.bincount(cell[picked], minlength=202).astype(np.float64))
    assert np.array_equal(sums, np.bincount(cell[picked], weights=wage[picked].astype(np.float64), minlength=202))


@settings(max_examples=200, deadline=None)
@given(seed=SEEDS, number=st.integers(1, 9), take_up=st.floats(-0.1, 1.1))
def test_take_up_interval_picks_the_rows_of_takes_up(seed, number, take_up):
    """Every code (the interval's edges among them) and a population's: the compiled test is the modular draw's."""
    p = np.concatenate([_population(seed, 500)["propensity"], np.arange(propensity.CODES, dtype=np.uint16)])
    offset = takeup.offset(number)
    assert np.array_equal(kernels.takes_up(p, *takeup.interval(offset, take_up)), takeup.takes_up(p, offset, take_up))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 500), households=st.integers(1, 200))
def test_rows_in_passing_households_are_those_of_the_numpy_look_up(seed, n, households):
    rng = np.random.default_rng(seed)
    hh = rng.integers(0, households, n).astype(np.int32)
    passes = rng.random(households) < 0.4
    rows = np.flatnonzero(rng.random(n) < 0.5).astype(np.int32)
    kept = kernels.in_households(rows, hh, passes)
    assert kept.dtype == rows.dtype and kept.tolist() == rows[passes[hh[rows]]].tolist()


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, lowest=st.integers(50, 70), take_up=st.floats(0.0, 1.0), switches=st.tuples(*[st.booleans()] * 3))
def test_eligibility_passes_match_their_numpy_rules(seed, lowest, take_up, switches):
    c = _population(seed, 2000)
    p, age, status, thai = c["propensity"], c["age"], c["status"], c["thai"]
    takes = takeup.takes_up(p, 0.3, take_up)
    interval = takeup.interval(0.3, take_up)
    pensioner, salaried, ssf = switches
    expected = thai & (age >= lowest) & takes
    if pensioner:
        expected &= ~c["flag"]
    if salaried:
        expected &= status != CIVIL_SERVANT
    if ssf:
        expected &= c["year"] == 0
    excluded = (pensioner & c["flag"]) | (ssf & (c["year"] != 0))  # state pensioners, SSF pensioners, as switched
    got = kernels.old_age_eligible(thai, age, excluded, status, p, lowest, CIVIL_SERVANT if salaried else -1,
                                   *interval)
    assert np.array_equal(got, expected)
    assert np.array_equal(kernels.flag_taken_up(thai, c["flag"], p, *interval), thai & c["flag"] & takes)
    assert np.array_equal(kernels.young_taken_up(thai, age, 6, p, *interval), thai & (age < 6) & takes)
    adults = thai & (age >= 18) & (c["wage"] <= np.float64(100000) / 12.0) & takes
    got = kernels.low_wage_adults(thai, age, 18, c["wage"], np.float64(100000) / 12.0, p, *interval, True, status,
                                  CIVIL_SERVANT)
    assert np.array_equal(got, adults & (status != CIVIL_SERVANT))
    rows = np.flatnonzero(got).astype(np.int32)
    pensioner = c["flag"] | (c["year"] > 0)
    # the pensioners' records: in reverse row order, a row's record twice, dead records (-1) and records not met
    row_a = np.concatenate([np.flatnonzero(pensioner)[::-1], np.flatnonzero(c["flag"]), [-1, -1]]).astype(np.int32)
    where_a = np.ones(row_a.size, dtype=bool)
    row_b = np.arange(status.size, dtype=np.int32)
    kept = kernels.without_records(rows, status.size, row_a, where_a, row_b, np.zeros(status.size, dtype=bool))
    assert rows[:kept].tolist() == np.flatnonzero(got & ~pensioner).tolist()
    own = (status == SSF_S33) | (status == SSF_S39) | (status == CIVIL_SERVANT)
    got = kernels.dependant_candidates(thai, age, 20, lowest, status, (SSF_S33, SSF_S39, CIVIL_SERVANT), c["flag"], p,
                                       *interval)
    assert np.array_equal(got, thai & ((age < 20) | (age >= lowest)) & ~own & ~c["flag"] & takes)
    assert kernels.dependant_count(thai, age, 20, lowest, status, (SSF_S33, SSF_S39, CIVIL_SERVANT), c["flag"]) \
        == np.count_nonzero(thai & ((age < 20) | (age >= lowest)) & ~own & ~c["flag"])
    got = kernels.unclaimed_contributors(age, lowest, c["flag"], c["months"], c["year"])
    assert np.array_equal(got, (age >= lowest) & ~c["flag"] & ((c["months"] > 0) | (c["year"] > 0)))
    got = kernels.thai_without(thai, status, SSF_S33, SSF_S39, CIVIL_SERVANT, c["flag"])
    assert np.array_equal(got, thai & (status != SSF_S33) & (status != SSF_S39)
                          & ~((status == CIVIL_SERVANT) & c["flag"]))
    assert np.array_equal(kernels.code_is(status, CIVIL_SERVANT), status == CIVIL_SERVANT)
    option = (c["months"] % 4).astype(np.int8)
    assert np.array_equal(kernels.status_option_age(status, SSF_S40, option, age, 15, lowest),
                          (status == SSF_S40) & (option > 0) & (age >= 15) & (age <= lowest))
    # the flag read from civil-service records: rows with c["other"] have none (-1), the others one each, in
    # reverse row order
    n = status.size
    has = ~c["other"]
    cs_record = np.full(n, -1, dtype=np.int32)
    cs_record[has] = np.arange(has.sum(), dtype=np.int32)[::-1]
    by_record = np.zeros(has.sum(), dtype=bool)
    by_record[cs_record[has]] = c["flag"][has]
    got = kernels.insured_in(status, SSF_S33, SSF_S39, CIVIL_SERVANT, cs_record, by_record)
    assert np.array_equal(got, (status == SSF_S33) | (status == SSF_S39)
                          | ((status == CIVIL_SERVANT) & c["flag"] & has))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, months=st.integers(1, 12), low=st.sampled_from([200, 300, 312.37]),
       elderly=st.sampled_from([(100, 50), (0, 0), (101.5, 50.25)]), topup=st.sampled_from([200, 212.8]))
def test_welfare_card_amounts_match_their_numpy_arithmetic(seed, months, low, elderly, topup):
    c = _population(seed, 2000)
    picked = np.flatnonzero(c["thai"])
    wage, age, disabled = c["wage"][picked], c["age"][picked], c["flag"][picked]
    max_low = np.float64(30000) / 12.0
    other = 750 * 0.0032 + 80 / 3.0 * 0.115
    is_low = wage <= max_low
    credits = choose(is_low, low, 300) * 0.917 + other
    topups = (age >= 60) * choose(is_low, *elderly) + disabled * topup
    in_kind, cash = kernels.welfare_card_amounts(picked, c["wage"], c["age"], c["flag"], months, float(max_low),
                                                 float(low), 300.0, 0.917, other, 60.0, float(elderly[0]),
                                                 float(elderly[1]), float(topup))
    assert np.array_equal(in_kind, np.broadcast_to(np.asarray(months * credits, dtype=np.float64), picked.shape))
    assert np.array_equal(cash, np.asarray(months * topups, dtype=np.float64))


@settings(max_examples=100, deadline=None)
@given(seed=SEEDS, width=st.integers(1, 5), distinct=st.integers(1, 4))
def test_distinct_months_are_the_groups_of_np_unique(seed, width, distinct):
    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, 0.0275, 0.05, 1650.0, 15000.0, 17500.0], size=(distinct, width))
    table = values[rng.integers(0, distinct, 12)]
    unique, inverse, counts = np.unique(table, axis=0, return_inverse=True, return_counts=True)
    groups = distinct_months(table)
    assert len(groups) == len(unique)
    for i, (row, months) in enumerate(groups):
        assert np.array_equal(row, unique[i])
        assert months == np.flatnonzero(inverse.ravel() == i).tolist() and len(months) == counts[i]


def test_a_shared_row_list_is_computed_once_whatever_the_threads():
    persons = Persons({"status": np.array([0, 3, 3, 1, 3])}, 1.0)
    ctx = YearContext(persons, 2025, TREE)
    made = []

    def make() -> np.ndarray:
        made.append(1)
        return np.flatnonzero(persons.status == 3)

    got = []
    workers = [threading.Thread(target=lambda: got.append(rows.once(ctx, "test", make))) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(made) == 1 and all(g is got[0] for g in got)
    assert rows.status_rows(ctx, 3).tolist() == [1, 2, 4] and not rows.status_rows(ctx, 3).flags.writeable
    assert rows.status_rows(ctx, 3, shared=False) is rows.status_rows(ctx, 3)  # a list kept is the one read
    alone = rows.status_rows(ctx, 0, shared=False)  # its only reader: not kept for the year
    assert alone.tolist() == [0] and not alone.flags.writeable and "rows.status.0" not in ctx.shared


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, ages=st.tuples(st.integers(0, 70), st.integers(0, 70)), second=st.booleans(),
       take_up=st.floats(0.0, 1.0))
def test_savings_members_pass_matches_its_numpy_rule(seed, ages, second, take_up):
    c = _population(seed, 2000)
    status, age, p = c["status"], c["age"], c["propensity"]
    codes = (INFORMAL, SSF_S40) if second else (INFORMAL,)
    expected = (c["thai"] & in_status(status, *codes) & (age >= ages[0]) & (age <= ages[1])
                & takeup.takes_up(p, 0.6, take_up))
    got = kernels.status_age_taken_up(c["thai"], status, INFORMAL, SSF_S40 if second else -1, age, ages[0], ages[1],
                                      p, *takeup.interval(0.6, take_up))
    assert np.array_equal(got, expected)


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 400), kind=st.sampled_from(["float64", "float32", "broadcast", "int64"]))
def test_add_block_is_numpy_s_fancy_index_addition(seed, n, kind):
    """out[rows] += amount (unique rows) on a float32 column, as one block from row 0: the same sums rounded to
    float32 as numpy's, for float64, float32, broadcast and whole-number amounts, added scheme after scheme."""
    rng = np.random.default_rng(seed)
    ours = (rng.random(n) * 1e4).astype(np.float32)
    theirs = ours.copy()
    for _ in range(3):
        rows_ = np.sort(rng.choice(n, rng.integers(0, n + 1), replace=False))
        amount = {"float64": lambda: rng.random(rows_.size) * 1e5 + rng.random(rows_.size) * 1e-7,
                  "float32": lambda: (rng.random(rows_.size) * 1e5).astype(np.float32),
                  "broadcast": lambda: np.broadcast_to(np.float64(7200.123456789), rows_.shape),
                  "int64": lambda: rng.integers(0, 10**6, rows_.size)}[kind]()
        assert kernels.add_block(ours, rows_, amount, 0, 0) == rows_.size
        theirs[rows_] += amount
    np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, min_option=st.integers(0, 4), min_age=st.one_of(st.integers(0, 100), st.floats(0.0, 100.0)))
def test_unclaimed_savers_pass_matches_its_numpy_rule(seed, min_option, min_age):
    c = _population(seed, 2000)
    option = (c["months"] % 4).astype(np.int8)
    expected = (c["year"] == 0) & (option >= min_option) & (c["months"] > 0) & (c["age"] >= min_age)
    got = rows.rows_by_blocks(kernels.unclaimed_savers, 2000, c["year"] != 0, option, min_option, c["months"],
                              c["age"], min_age)
    assert np.array_equal(got, np.flatnonzero(expected))


@given(value=st.one_of(st.integers(-2**40, 2**40), st.floats(-1e5, 1e5), st.booleans()),
       dtype=st.sampled_from([np.int8, np.int16, np.int32, np.uint8, np.float32]))
def test_like_compares_as_the_value_does(value, dtype):
    """`rows.like` gives a whole number the column's integer type when the type holds it, anything else as it is:
    the column compares with either the same way."""
    column = np.arange(-300, 300).astype(dtype)
    got = rows.like(value, column)
    holds = (np.dtype(dtype).kind in "iu" and not isinstance(value, bool) and isinstance(value, int)
             and np.iinfo(dtype).min <= value <= np.iinfo(dtype).max)
    assert type(got) is (np.dtype(dtype).type if holds else type(value))
    for compare in (np.less, np.less_equal, np.equal, np.not_equal, np.greater_equal):
        assert np.array_equal(compare(column, got), compare(column, value))


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 3000), density=st.sampled_from([0.0, 0.001, 0.03, 0.1, 0.5, 0.97, 1.0]),
       offset=st.integers(0, 7))
def test_true_rows_are_flatnonzero(seed, n, density, offset):
    """Sparse masks (read 64 rows at a time) and dense ones, of any length and starting at any byte."""
    mask = (np.random.default_rng(seed).random(n + offset) < density)[offset:]
    got = true_rows(mask)
    assert got.dtype == np.int32 and np.array_equal(got, np.flatnonzero(mask))


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 3000), top=st.sampled_from([1, 5, 100, 2**31 - 1]),
       dtype=st.sampled_from(["int32", "int64"]))
def test_unique_ids_and_their_first_positions_are_numpy_s_unique(seed, n, top, dtype):
    """The distinct ids ascending, in the ids' dtype, and the first position of each, as np.unique gives them, for
    few distinct ids (many repeats) and many."""
    ids = np.random.default_rng(seed).integers(0, top, n).astype(dtype)
    expected, first = np.unique(ids, return_index=True)
    got = unique_ids(ids)
    assert got.dtype == ids.dtype and np.array_equal(got, expected)
    got, got_first = unique_first(ids)
    assert got.dtype == ids.dtype and np.array_equal(got, expected)
    assert got_first.dtype == np.intp and np.array_equal(got_first, first)


@settings(max_examples=40, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 500), empty=st.sampled_from([-1, 0]), dtype=st.sampled_from(["int8", "float32"]))
def test_scatter_used_is_numpy_s_masked_assignment(seed, n, empty, dtype):
    """The values go to the ids with members, in id order, the others get `empty`: out[size > 0] = values; the same
    when the values are the start of `out` itself."""
    rng = np.random.default_rng(seed)
    size = rng.integers(0, 3, n).astype(np.int32)
    values = rng.integers(-5, 6, int(np.count_nonzero(size))).astype(dtype)
    expected = np.full(n, empty, dtype=dtype)
    expected[size > 0] = values
    got = np.empty(n, dtype=dtype)
    scatter_used(size, values, empty, got)
    assert np.array_equal(got, expected)
    in_place = np.empty(n, dtype=dtype)
    in_place[:values.size] = values
    scatter_used(size, in_place[:values.size], empty, in_place)
    assert np.array_equal(in_place, expected)


@settings(max_examples=80, deadline=None)
@given(seed=SEEDS, n=st.sampled_from([0, 1, 7, 8, 9, 127, 128, 129, 135, 136, 255, 256, 257, 1000, 1031, 4096,
                                      8193, 65537, 250_001]))
def test_pairwise_sums_by_age_are_numpy_s_sums_of_the_gathered_arrays(seed, n):
    """np.sum of table[ages] (numpy's pairwise sum, whose rounding differs from a sum in order) bit for bit, for
    lengths around its block of 128 and its halving at multiples of 8."""
    rng = np.random.default_rng(seed)
    ages = rng.integers(0, 101, n).astype(np.uint8)
    first = rng.random(101) * 3.7
    second = first * 1234.567
    got = kernels.pairwise_sums_by_age(ages, first, second)
    assert got[0] == np.sum(first[ages]) and got[1] == np.sum(second[ages])


def test_numpy_s_sum_is_not_a_sum_in_order():
    """Why the pairwise kernel: an in-order sum (np.cumsum's last value) rounds differently from np.sum."""
    ages = np.random.default_rng(3).integers(0, 101, 250_001).astype(np.uint8)
    table = np.random.default_rng(4).random(101) * 1234.567
    got = kernels.pairwise_sums_by_age(ages, table, table)[0]
    assert got == np.sum(table[ages]) and got != np.cumsum(table[ages])[-1]


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(0, 3000))
def test_sums_by_code_by_age_are_the_distribution_s_sums_of_the_gathered_array(seed, n):
    from model.fiscal import kernels as fiscal_kernels

    rng = np.random.default_rng(seed)
    code = (rng.integers(0, 10, 5000) * 8 + rng.integers(0, 6, 5000)).astype(np.int8)
    rows = np.sort(rng.choice(5000, size=min(n, 5000), replace=False)).astype(np.int32)
    ages = rng.integers(0, 101, rows.size).astype(np.uint8)
    by_age = rng.random(101) * 999.1
    got = kernels.sums_by_code_by_age(code, rows, ages, by_age, 6)
    expected = fiscal_kernels.sums_by_code(code, rows, by_age[ages], 6)
    assert all(g.tobytes() == e.tobytes() for g, e in zip(got, expected))


def test_ages_into_and_exact_in_float32():
    age = np.array([0, 5, 100, 64, 30], dtype=np.int16)
    rows = np.array([4, 2, 0], dtype=np.int32)
    out = np.empty(3, dtype=np.uint8)
    kernels.ages_into(age, rows, out)
    assert out.tolist() == [30, 100, 0]
    assert kernels.exact_in_float32(np.array([7200.0, 0.0, 12000.0, 2.5]))
    assert not kernels.exact_in_float32(np.array([7200.0, 0.1]))
    assert not kernels.exact_in_float32(np.array([np.nan]))
    assert kernels.exact_in_float32(np.zeros(0))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, factor=st.sampled_from([0.05 * 9, 0.05 * 3, 0.0475 * 12]), floor=st.sampled_from([1650.0, 0.0]),
       ceiling=st.sampled_from([15000.0, 17500.0]))
def test_add_clipped_is_numpy_s_clipped_contribution(seed, factor, floor, ceiling):
    """out += factor × np.clip(wages, floor, ceiling) on float32 wages widened to float64, NaN kept, bit for bit."""
    rng = np.random.default_rng(seed)
    wages = (rng.random(500) * 30000).astype(np.float32)
    wages[::97] = np.nan
    start = rng.random(500) * 100
    expected = start + factor * np.clip(wages.astype(np.float64), floor, ceiling)
    got = start.copy()
    kernels.add_clipped(got, wages, factor, floor, ceiling)
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=60, deadline=None)
@given(SEEDS, st.integers(2, 3000), st.booleans())
def test_smallest_draws_is_the_set_argpartition_picks(seed: int, n: int, tied: bool) -> None:
    """The rows of the `wanted` smallest persistent draws are the set np.argpartition picks whenever the wanted-th
    smallest draw is below the next one, in the order of the rows; none (the caller then asks numpy) when they tie,
    as they do often among propensities rounded to a few values."""
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    if tied:
        p = np.floor(p * rng.integers(2, 40)) / 40
    p = propensity.encode(p)
    rows_in = np.sort(rng.choice(n, size=int(rng.integers(2, n + 1)), replace=False)).astype(np.int32)
    wanted = int(rng.integers(1, rows_in.size))
    offset = takeup.offset(int(rng.integers(1, 9)))
    got = kernels.smallest_draws(p, rows_in, offset, wanted)
    draws = takeup.draw(p[rows_in], offset)
    ordered = np.sort(draws)
    if ordered[wanted - 1] < ordered[wanted]:
        picked = rows_in[np.argpartition(draws, wanted)[:wanted]]
        if tied and got.size == 0:  # draws bunched in few values: a full bucket, left to numpy
            return
        assert got.dtype == rows_in.dtype and got.tolist() == np.sort(picked).tolist()
    else:
        assert got.size == 0


@settings(max_examples=30, deadline=None)
@given(SEEDS, st.integers(0, 400))
def test_record_values_are_values_of(seed: int, n: int) -> None:
    """The fields of the rows' records, looked up once for several fields (`Persons.record_values`), are numpy's
    gather of each through the rows' records: 0 for a row without a record, whether every row asked for has one or
    not; `Persons.values_of` gives the same."""
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, 101, n).astype(np.int16),
                       "state_employee": rng.random(n) < 0.3,
                       "cs_pension": np.where(rng.random(n) < 0.4, rng.random(n) * 9000, 0.0)}, scale=1.0)
    for picked in (np.flatnonzero(rng.random(n) < 0.5).astype(np.int32),
                   persons.cs.rows_where(persons.cs.state_employee).astype(np.int32)):
        got = persons.record_values(picked, "state_employee", "cs_pension")
        records = persons.cs_record[picked]
        for name, values in zip(("state_employee", "cs_pension"), got):
            field = getattr(persons.cs, name)
            expected = np.array([field[r] if r >= 0 else 0 for r in records], dtype=field.dtype)  # none: no field
            assert values.dtype == expected.dtype and values.tolist() == expected.tolist()
            assert values.tolist() == persons.values_of(name, picked).tolist()


@settings(max_examples=30, deadline=None)
@given(SEEDS, st.integers(0, 400))
def test_record_masks_are_numpys(seed: int, n: int) -> None:
    """The masks of records set by the compiled loop (`Persons.record_mask`, `Persons.flag_mask`) are numpy's
    setting of the records' living rows, alone and set into a mask given; dead records (row -1) are left out."""
    rng = np.random.default_rng(seed)
    persons = Persons({"age": rng.integers(0, 101, n).astype(np.int16), "state_pensioner": rng.random(n) < 0.2,
                       "ssf_pension_start": np.where(rng.random(n) < 0.3, 2020, 0).astype(np.int16)}, scale=1.0)
    persons.drop(np.flatnonzero(rng.random(n) < 0.1))
    where = persons.ssf.ssf_pension_start != 0
    row = persons.ssf.row[where]
    expected = np.zeros(len(persons), dtype=bool)
    expected[row[row >= 0]] = True
    assert np.array_equal(persons.record_mask("ssf", where), expected)
    into = rng.random(len(persons)) < 0.5
    row = persons.cs.row[persons.cs.state_pensioner]
    expected = into.copy()
    expected[row[row >= 0]] = True
    assert np.array_equal(persons.flag_mask("state_pensioner", into=into), expected)
    picked = np.flatnonzero(rng.random(len(persons)) < 0.3).astype(np.int32)
    mask = np.ones(len(persons), dtype=bool)
    kernels.set_rows(mask, picked, False)
    assert mask.tolist() == [i not in set(picked.tolist()) for i in range(len(persons))]


@settings(max_examples=50, deadline=None)
@given(SEEDS, st.integers(0, 500), st.integers(0, 500))
def test_union_rows_is_union1d(seed: int, n_a: int, n_b: int) -> None:
    """Two ascending row lists merged, each row once: np.union1d's rows, as int32."""
    rng = np.random.default_rng(seed)
    a = np.unique(rng.integers(0, 700, n_a)).astype(np.int32)
    b = np.unique(rng.integers(0, 700, n_b)).astype(np.int32)
    got = kernels.union_rows(a, b)
    assert got.dtype == np.int32 and got.tolist() == np.union1d(a, b).tolist()


@settings(max_examples=50, deadline=None)
@given(SEEDS, st.integers(0, 300), st.booleans())
def test_ascending_is_numpys_test_of_order(seed: int, n: int, shuffled: bool) -> None:
    rng = np.random.default_rng(seed)
    found = np.sort(rng.choice(1000, size=min(n, 1000), replace=bool(rng.random() < 0.3))).astype(np.int32)
    if shuffled:
        rng.shuffle(found)
    assert kernels.ascending(found) == bool(np.all(found[1:] > found[:-1]))


@settings(max_examples=50, deadline=None)
@given(SEEDS, st.integers(1, 2000), st.integers(1, 700))
def test_add_block_adds_the_blocks_rows_as_numpy(seed: int, n: int, per_block: int) -> None:
    """Block by block from each block's first row, the float32 sums of float32 and float64 amounts that numpy's
    out[rows] += amount gives, and each block stops at the first row past it."""
    rng = np.random.default_rng(seed)
    picked = np.flatnonzero(rng.random(n) < 0.4).astype(np.int32)
    out = rng.random(n).astype(np.float32)
    for amount in (rng.random(picked.size) * 1e4, (rng.random(picked.size) * 1e4).astype(np.float32)):
        expected = out.copy()
        expected[picked] += amount
        got, done = out.copy(), 0
        for first in range(0, n, per_block):
            done = kernels.add_block(got[first:first + per_block], picked, amount, first, done)
            assert done == np.searchsorted(picked, min(first + per_block, n))
        assert got.tobytes() == expected.tobytes()
