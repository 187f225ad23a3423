"""Compiled per-row loops of the schemes, where one pass replaces several numpy passes over the same rows.

Each kernel computes exactly what the numpy expression named in its docstring computes (integer work, and float
sums in the same order), so results are bit-identical to that expression. Compiled on first use and cached on disk
(`cache=True`); `nogil` lets the schemes that run on threads (model/threads.py) call them at once.
"""

import numpy as np

from ..compiled import inline_kernel, kernel
from ..population.propensity import CODES


@kernel
def group_rows(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by a small code (a counting sort): (order, starts), where order[starts[c]:starts[c + 1]] are the
    rows whose code is c, ascending, i.e. np.flatnonzero(codes == c). Every code must be in 0..n_codes-1."""
    counts = np.zeros((4, n_codes), dtype=np.intp)  # four lanes: rows of one code often follow each other
    for i in range(codes.size):
        counts[i & 3, codes[i]] += 1
    starts = np.zeros(n_codes + 1, dtype=np.intp)
    for c in range(n_codes):
        starts[c + 1] = starts[c] + counts[0, c] + counts[1, c] + counts[2, c] + counts[3, c]
    position = starts[:-1].copy()
    order = np.empty(codes.size, dtype=np.intp)
    for i in range(codes.size):
        c = codes[i]
        order[position[c]] = i
        position[c] += 1
    return order, starts


@kernel
def cell_counts(sex: np.ndarray, age: np.ndarray, rows: np.ndarray, n_ages: int) -> np.ndarray:
    """[cell] number of `rows` in each sex-age cell, sex × n_ages + age: np.bincount(cell[rows],
    minlength=2 * n_ages), as float64."""
    counts = np.zeros((4, 2 * n_ages), dtype=np.int64)  # four lanes: rows of one cell often follow each other
    for k in range(rows.size):
        r = rows[k]
        counts[k & 3, np.int64(sex[r]) * n_ages + np.int64(age[r])] += 1
    out = np.zeros(2 * n_ages, dtype=np.float64)
    for c in range(2 * n_ages):
        out[c] = counts[0, c] + counts[1, c] + counts[2, c] + counts[3, c]
    return out


@kernel
def cell_counts_and_sums(sex: np.ndarray, age: np.ndarray, rows: np.ndarray, weights: np.ndarray,
                         n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """(`cell_counts`, [cell] `weights` (aligned with `rows`) summed by the sex-age cell of each row, in row order,
    in float64) in one pass over the rows: np.bincount(cell[rows], minlength=2 * n_ages) as float64 and
    np.bincount(cell[rows], weights=weights, minlength=2 * n_ages). A run of rows of one cell is summed in a
    register (the same additions in the same order)."""
    n_cells = 2 * n_ages
    counts = np.zeros((4, n_cells), dtype=np.int64)
    sums = np.zeros(n_cells, dtype=np.float64)
    current = np.int64(sex[rows[0]]) * n_ages + np.int64(age[rows[0]]) if rows.size else np.int64(0)
    total = 0.0
    for k in range(rows.size):
        r = rows[k]
        c = np.int64(sex[r]) * n_ages + np.int64(age[r])
        counts[k & 3, c] += 1
        if c != current:
            sums[current] = total
            current = c
            total = sums[c]
        total += np.float64(weights[k])
    if rows.size:
        sums[current] = total
    out = np.zeros(n_cells, dtype=np.float64)
    for c in range(n_cells):
        out[c] = counts[0, c] + counts[1, c] + counts[2, c] + counts[3, c]
    return out, sums


@kernel
def ages_into(age: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
    """out = age[rows] as uint8 (ages 0..100): the recipients' ages in an eighth of a float64 per recipient."""
    for k in range(rows.size):
        out[k] = age[rows[k]]


@kernel
def _pairwise_leaf(ages: np.ndarray, first: np.ndarray, second: np.ndarray, start: int,
                   n: int) -> tuple[float, float]:
    """numpy's pairwise sum of n <= 128 values from `start` (`pairwise_sums_by_age`): below 8 values in order, else
    eight lanes, their sums paired, then the values past the last multiple of 8 (lanes in registers, no arrays)."""
    if n < 8:
        a = 0.0
        b = 0.0
        for i in range(start, start + n):
            a += first[ages[i]]
            b += second[ages[i]]
        return a, b
    a0, a1, a2, a3 = first[ages[start]], first[ages[start + 1]], first[ages[start + 2]], first[ages[start + 3]]
    a4, a5, a6, a7 = first[ages[start + 4]], first[ages[start + 5]], first[ages[start + 6]], first[ages[start + 7]]
    b0, b1, b2, b3 = second[ages[start]], second[ages[start + 1]], second[ages[start + 2]], second[ages[start + 3]]
    b4, b5 = second[ages[start + 4]], second[ages[start + 5]]
    b6, b7 = second[ages[start + 6]], second[ages[start + 7]]
    end = start + n - n % 8
    i = start + 8
    while i < end:
        g0, g1, g2, g3 = ages[i], ages[i + 1], ages[i + 2], ages[i + 3]
        g4, g5, g6, g7 = ages[i + 4], ages[i + 5], ages[i + 6], ages[i + 7]
        a0 += first[g0]
        a1 += first[g1]
        a2 += first[g2]
        a3 += first[g3]
        a4 += first[g4]
        a5 += first[g5]
        a6 += first[g6]
        a7 += first[g7]
        b0 += second[g0]
        b1 += second[g1]
        b2 += second[g2]
        b3 += second[g3]
        b4 += second[g4]
        b5 += second[g5]
        b6 += second[g6]
        b7 += second[g7]
        i += 8
    a = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    b = ((b0 + b1) + (b2 + b3)) + ((b4 + b5) + (b6 + b7))
    while i < start + n:
        a += first[ages[i]]
        b += second[ages[i]]
        i += 1
    return a, b


@kernel
def pairwise_sums_by_age(ages: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[float, float]:
    """(np.sum(first[ages]), np.sum(second[ages])) of two float64 [age] tables, bit for bit, without the per-row
    arrays: numpy sums a contiguous float64 array pairwise (a range of more than 128 values is split in two at half
    its length rounded down to a multiple of 8, each half summed so, and the two sums added; `_pairwise_leaf` sums
    the others), added to 0.0. The ranges are walked depth first on a stack of (start, length) with a marker that
    adds the last two sums."""
    n = ages.size
    if n == 0:
        return 0.0, 0.0
    starts = np.empty(128, dtype=np.int64)  # depth < 64 for any n: two entries a level
    lengths = np.empty(128, dtype=np.int64)  # -1: add the last two sums
    sums_a = np.empty(64)
    sums_b = np.empty(64)
    starts[0], lengths[0] = 0, n
    top, held = 1, 0
    while top > 0:
        top -= 1
        start, m = starts[top], lengths[top]
        if m < 0:
            held -= 1
            sums_a[held - 1] = sums_a[held - 1] + sums_a[held]
            sums_b[held - 1] = sums_b[held - 1] + sums_b[held]
        elif m <= 128:
            sums_a[held], sums_b[held] = _pairwise_leaf(ages, first, second, start, m)
            held += 1
        else:
            half = m // 2
            half -= half % 8
            starts[top], lengths[top] = 0, -1  # after both halves
            starts[top + 1], lengths[top + 1] = start + half, m - half  # then the second half
            starts[top + 2], lengths[top + 2] = start, half  # the first half first
            top += 3
    return 0.0 + sums_a[0], 0.0 + sums_b[0]


@kernel
def sums_by_code_by_age(code: np.ndarray, rows: np.ndarray, ages: np.ndarray, by_age: np.ndarray,
                        n_regions: int) -> tuple[np.ndarray, np.ndarray]:
    """([decile], [region]) of by_age[ages] (aligned with `rows`) summed by the rows' `code` (decile × 8 + region) in
    the order of `rows`: what model.fiscal.kernels.sums_by_code gives on the array by_age[ages], without it."""
    by_decile = np.zeros(10, np.float64)
    by_region = np.zeros(n_regions, np.float64)
    for j in range(rows.size):
        c = code[rows[j]]
        value = by_age[ages[j]]
        by_decile[c >> 3] += value
        by_region[c & 7] += value
    return by_decile, by_region


# Take-up tests (model.schemes.takeup.takes_up) inside a kernel: `mode` says which test, `low` and `high` are its
# bounds on the propensity's code (model.population.propensity), from takeup.interval.
TAKE_NONE, TAKE_ALL, TAKE_WITHIN, TAKE_WRAPPED = 0, 1, 2, 3


@inline_kernel
def _takes(p: int, mode: int, low: int, high: int) -> bool:
    """Whether a row with propensity code `p` takes up (see takeup.interval); branch-free, so loops stay vectorised."""
    return ((mode == TAKE_ALL) | ((mode == TAKE_WITHIN) & (p >= low) & (p < high))
            | ((mode == TAKE_WRAPPED) & ((p >= low) | (p < high))))


@kernel
def takes_up(propensity: np.ndarray, mode: int, low: int, high: int) -> np.ndarray:
    """[rows] takeup.takes_up(propensity, offset, take_up), from its interval (takeup.interval)."""
    out = np.empty(propensity.size, dtype=np.bool_)
    for i in range(propensity.size):
        out[i] = _takes(propensity[i], mode, low, high)
    return out


@kernel
def old_age_eligible(thai: np.ndarray, age: np.ndarray, excluded: np.ndarray, status: np.ndarray,
                     propensity: np.ndarray, lowest_age: float, not_code: int,
                     mode: int, low: int, high: int) -> np.ndarray:
    """[rows] thai & (age >= lowest_age) & ~excluded & (status != not_code; -1: no test) & take-up, in one pass (the
    old-age allowance's rule; `excluded`: the pensioners it excludes, state or SSF ones as switched)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        out[i] = (thai[i] & (age[i] >= lowest_age) & ~excluded[i] & (status[i] != not_code)
                  & _takes(propensity[i], mode, low, high))
    return out


@kernel
def flag_taken_up(thai: np.ndarray, flag: np.ndarray, propensity: np.ndarray, mode: int, low: int,
                  high: int) -> np.ndarray:
    """[rows] thai & flag & take-up, in one pass (e.g. the disability allowance's registered claimants)."""
    out = np.empty(flag.size, dtype=np.bool_)
    for i in range(flag.size):
        out[i] = thai[i] & flag[i] & _takes(propensity[i], mode, low, high)
    return out


@kernel
def young_taken_up(thai: np.ndarray, age: np.ndarray, max_age: float, propensity: np.ndarray, mode: int, low: int,
                   high: int) -> np.ndarray:
    """[rows] thai & (age < max_age) & take-up, in one pass (the child support grant's children before the income
    test: `in_households`)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        out[i] = thai[i] & (age[i] < max_age) & _takes(propensity[i], mode, low, high)
    return out


@kernel
def low_wage_adults(thai: np.ndarray, age: np.ndarray, min_age: float, wage: np.ndarray, max_wage: float,
                    propensity: np.ndarray, mode: int, low: int, high: int, exclude: bool, status: np.ndarray,
                    code: int) -> np.ndarray:
    """[rows] thai & (age >= min_age) & (wage <= max_wage, in float64) & take-up & (if `exclude`) (status != code),
    in one pass (the welfare card's holders before the household income test, `in_households`, and before the
    pensioners are left out, `without_records`)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        excluded = exclude & (status[i] == code)
        out[i] = (thai[i] & (age[i] >= min_age) & (np.float64(wage[i]) <= max_wage)
                  & _takes(propensity[i], mode, low, high) & ~excluded)
    return out


@kernel
def in_households(rows: np.ndarray, hh: np.ndarray, passes: np.ndarray) -> np.ndarray:
    """The `rows` (in their order) whose household passes (`passes`: [household] bool, e.g. an income test made once
    a household, declared_income.passes_income_test): a table by household read only at the rows the rows' own
    tests leave, after a pass over every row that needs no look-up (vectorised)."""
    out = np.empty(rows.size, dtype=rows.dtype)
    k = 0
    for j in range(rows.size):  # without a branch: every row written, k moves on a kept one
        out[k] = rows[j]
        k += passes[hh[rows[j]]]
    return out[:k]


@kernel
def without_records(rows: np.ndarray, n: int, row_a: np.ndarray, where_a: np.ndarray, row_b: np.ndarray,
                    where_b: np.ndarray) -> int:
    """Leave out of `rows` (rows below `n`; in place, order kept) the persons of the records of two tables that meet
    `where_a` or `where_b` ([record] bool; `row_a`, `row_b`: [record] the person's row, -1 for a dead record, as
    `Records.row`): the rows kept are rows[:count], count returned. The excluded rows are marked, straight from the
    records, in a bitmap of the `n` rows (an eighth of a byte a row, not a full-length mask; no list, no sort)."""
    marked = np.zeros((n + 7) // 8, np.uint8)
    for r in range(where_a.size):
        i = row_a[r]
        if where_a[r] and i >= 0:
            marked[i >> 3] |= np.uint8(1) << (i & 7)
    for r in range(where_b.size):
        i = row_b[r]
        if where_b[r] and i >= 0:
            marked[i >> 3] |= np.uint8(1) << (i & 7)
    kept = 0
    for k in range(rows.size):
        r = rows[k]
        rows[kept] = r
        kept += 1 - ((marked[r >> 3] >> (r & 7)) & 1)
    return kept


@kernel
def dependant_candidates(thai: np.ndarray, age: np.ndarray, child_limit: float, parent_age: float,
                         status: np.ndarray, codes: tuple[int, int, int], state_pensioner: np.ndarray,
                         propensity: np.ndarray, mode: int, low: int, high: int) -> np.ndarray:
    """[rows] thai & ((age < child_limit) | (age >= parent_age)) & status not one of the three `codes` &
    ~state_pensioner & take-up, in one pass (the CSMBS dependants' candidates)."""
    out = np.empty(age.size, dtype=np.bool_)
    a, b, c = codes
    for i in range(age.size):
        s = status[i]
        own = (s == a) | (s == b) | (s == c)
        out[i] = (thai[i] & ((age[i] < child_limit) | (age[i] >= parent_age)) & ~own & ~state_pensioner[i]
                  & _takes(propensity[i], mode, low, high))
    return out


@kernel
def dependant_count(thai: np.ndarray, age: np.ndarray, child_limit: float, parent_age: float, status: np.ndarray,
                    codes: tuple[int, int, int], state_pensioner: np.ndarray) -> int:
    """np.count_nonzero(dependant_candidates(...)) when every row takes up: the CSMBS dependants' candidates whatever
    their draw, counted in one pass without a mask and without reading the propensities."""
    a, b, c = codes
    count = 0
    for i in range(age.size):
        s = status[i]
        own = (s == a) | (s == b) | (s == c)
        count += thai[i] & ((age[i] < child_limit) | (age[i] >= parent_age)) & ~own & ~state_pensioner[i]
    return count


FULL_BUCKET = 1024
"""Draws in the bucket of `smallest_draws` above which it leaves the choice to numpy's partition (a bucket holds
about eight when the draws are spread evenly)."""


@kernel
def smallest_draws(propensity: np.ndarray, rows: np.ndarray, offset: float, wanted: int) -> np.ndarray:
    """The `wanted` (0 < wanted < rows.size) of `rows` whose persistent draws, takeup.draw(propensity[rows], offset),
    are the smallest, in the order of `rows`: the set np.argpartition(draws, wanted)[:wanted] picks whenever the
    wanted-th smallest draw is below the next one (it is then the only such set). Empty when they are equal (or a
    draw is NaN): which of the tied rows numpy picks is its own, so the caller asks it. The draws are bucketed by
    value (a counting pass) and only the bucket holding the wanted-th one is sorted, in time linear in the rows;
    empty too when that bucket holds more than FULL_BUCKET draws (draws bunched, e.g. by an outlier: the caller's
    partition is then the faster)."""
    n = rows.size
    none = np.empty(0, dtype=rows.dtype)
    draws = np.empty(n, dtype=np.float64)
    low, high = np.inf, -np.inf
    for k in range(n):
        shifted = (np.float64(propensity[rows[k]]) + 0.5) / CODES + offset  # the propensity from its code
        d = shifted - 1.0 if shifted >= 1.0 else shifted  # takeup.draw: shifted - (shifted >= 1.0), exactly
        if d != d:
            return none
        draws[k] = d
        low = min(low, d)
        high = max(high, d)
    if not high > low:
        return none
    n_buckets = n // 8 + 1
    per = n_buckets / (high - low)  # bucket of a draw: nondecreasing in the draw
    if not per < np.inf:
        return none
    counts = np.zeros(n_buckets + 1, dtype=np.int64)
    for k in range(n):
        counts[min(int((draws[k] - low) * per), n_buckets - 1)] += 1
    below, j = 0, 0  # draws in the buckets before j; j: the bucket of the wanted-th smallest (rank wanted - 1)
    while below + counts[j] < wanted:
        below += counts[j]
        j += 1
    nxt = j + 1  # the first bucket after j holding a draw (n_buckets: none)
    while nxt < n_buckets and counts[nxt] == 0:
        nxt += 1
    if counts[j] > FULL_BUCKET:
        return none
    bucket = np.empty(counts[j], dtype=np.float64)
    following = np.inf  # the smallest draw of bucket `nxt`
    m = 0
    for k in range(n):
        b = min(int((draws[k] - low) * per), n_buckets - 1)
        if b == j:
            bucket[m] = draws[k]
            m += 1
        elif b == nxt:
            following = min(following, draws[k])
    for a in range(1, m):  # insertion sort: a bucket holds a few draws (about eight on average)
        d = bucket[a]
        b = a
        while b > 0 and bucket[b - 1] > d:
            bucket[b] = bucket[b - 1]
            b -= 1
        bucket[b] = d
    last = bucket[wanted - 1 - below]  # the wanted-th smallest draw
    after = bucket[wanted - below] if wanted - below < m else following  # the next one
    if not last < after:
        return none
    out = np.empty(wanted, dtype=rows.dtype)
    m = 0
    for k in range(n):
        if draws[k] <= last:
            out[m] = rows[k]
            m += 1
    return out


@kernel
def welfare_card_amounts(rows: np.ndarray, wage: np.ndarray, age: np.ndarray, disabled: np.ndarray, months: int,
                         max_low_wage: float, goods_low: float, goods_standard: float, goods_usage: float,
                         other_credits: float, elderly_age: float, elderly_low: float, elderly_standard: float,
                         disability_topup: float) -> tuple[np.ndarray, np.ndarray]:
    """(in-kind credits, cash top-ups), THB over `months`, of each holder of `rows`, in one pass: with low = wage <=
    max_low_wage (float64), goods = choose(low, goods_low, goods_standard), credits = goods × goods_usage +
    other_credits, top-ups = (age >= elderly_age) × choose(low, elderly_low, elderly_standard) + disabled ×
    disability_topup, each × months (base.choose's arithmetic, in the same order)."""
    in_kind = np.empty(rows.size, dtype=np.float64)
    cash = np.empty(rows.size, dtype=np.float64)
    for k in range(rows.size):
        r = rows[k]
        low = np.float64(wage[r]) <= max_low_wage
        goods = goods_standard + (goods_low - goods_standard) * low if goods_low != goods_standard else goods_standard
        elderly = (elderly_standard + (elderly_low - elderly_standard) * low
                   if elderly_low != elderly_standard else elderly_standard)
        in_kind[k] = months * (goods * goods_usage + other_credits)
        cash[k] = months * ((age[r] >= elderly_age) * elderly + disabled[r] * disability_topup)
    return in_kind, cash


@kernel
def times_by_age(age: np.ndarray, rows: np.ndarray, by_age: np.ndarray, factor: float, out: np.ndarray) -> None:
    """out = factor × by_age[age[rows]], float64, in one pass."""
    for k in range(rows.size):
        out[k] = factor * by_age[age[rows[k]]]


@kernel
def unclaimed_contributors(age: np.ndarray, min_age: float, claimed: np.ndarray, months_a: np.ndarray,
                           months_b: np.ndarray) -> np.ndarray:
    """[rows] (age >= min_age) & ~claimed & ((months_a > 0) | (months_b > 0)), in one pass (the SSF old-age claims'
    candidates; `claimed`: a pension or lump sum claimed before)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        out[i] = (age[i] >= min_age) & ~claimed[i] & ((months_a[i] > 0) | (months_b[i] > 0))
    return out


@kernel
def insured_in(status: np.ndarray, code_a: int, code_b: int, code_c: int, cs_record: np.ndarray,
               flag: np.ndarray) -> np.ndarray:
    """[rows] (status == code_a) | (status == code_b) | ((status == code_c) & the row's civil-service flag), in one
    pass (the Social Security Fund's medical care: sections 33/39 and state employees). `flag`: [record] a flag of
    the civil-service records, row i's at cs_record[i] (-1: no record, the flag unset)."""
    out = np.empty(status.size, dtype=np.bool_)
    for i in range(status.size):  # without branches: vectorised
        s = status[i]
        out[i] = (s == code_a) | (s == code_b)
    for i in range(status.size):  # the few code_c rows: their record's flag
        if status[i] == code_c:
            r = cs_record[i]
            out[i] = r >= 0 and flag[r]
    return out


@kernel
def thai_without(thai: np.ndarray, status: np.ndarray, code_a: int, code_b: int, code_c: int,
                 flag: np.ndarray) -> np.ndarray:
    """[rows] thai & (status != code_a) & (status != code_b) & ~((status == code_c) & flag), in one pass (the
    Universal Coverage Scheme's members, before the CSMBS beneficiaries are taken out)."""
    out = np.empty(thai.size, dtype=np.bool_)
    for i in range(thai.size):
        s = status[i]
        out[i] = thai[i] & (s != code_a) & (s != code_b) & ~((s == code_c) & flag[i])
    return out


@kernel
def code_is(codes: np.ndarray, code: int) -> np.ndarray:
    """[rows] codes == code, in one pass (the rows of one labour status)."""
    out = np.empty(codes.size, dtype=np.bool_)
    for i in range(codes.size):
        out[i] = codes[i] == code
    return out


@kernel
def status_age_taken_up(thai: np.ndarray, status: np.ndarray, code_a: int, code_b: int, age: np.ndarray,
                        min_age: float, max_age: float, propensity: np.ndarray, mode: int, low: int,
                        high: int) -> np.ndarray:
    """[rows] thai & ((status == code_a) | (status == code_b); -1: no second code) & (min_age <= age <= max_age) &
    take-up, in one pass (the National Savings Fund's members)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        s = status[i]
        out[i] = (thai[i] & ((s == code_a) | (s == code_b)) & (age[i] >= min_age) & (age[i] <= max_age)
                  & _takes(propensity[i], mode, low, high))
    return out


@kernel
def status_option_age(status: np.ndarray, code: int, option: np.ndarray, age: np.ndarray, min_age: float,
                      max_age: float) -> np.ndarray:
    """[rows] (status == code) & (option > 0) & (min_age <= age <= max_age), in one pass (the section 40 members)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        out[i] = (status[i] == code) & (option[i] > 0) & (age[i] >= min_age) & (age[i] <= max_age)
    return out


@kernel
def set_rows(mask: np.ndarray, rows: np.ndarray, value: bool) -> None:
    """mask[rows] = value, in one pass: numpy's setting by int32 rows converts them to intp first and takes about six
    times as long."""
    for k in range(rows.size):
        mask[rows[k]] = value


@kernel
def union_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The rows of two ascending lists `a` and `b` merged, each once, ascending (int32): np.union1d(a, b), in one pass
    over them (no sort)."""
    out = np.empty(a.size + b.size, dtype=np.int32)
    i, j, k = 0, 0, 0
    while i < a.size and j < b.size:
        if a[i] < b[j]:
            out[k] = a[i]
            i += 1
        elif b[j] < a[i]:
            out[k] = b[j]
            j += 1
        else:
            out[k] = a[i]
            i += 1
            j += 1
        k += 1
    while i < a.size:
        out[k] = a[i]
        i += 1
        k += 1
    while j < b.size:
        out[k] = b[j]
        j += 1
        k += 1
    return out[:k]


@kernel
def ascending(rows: np.ndarray) -> bool:
    """Whether `rows` are in strictly ascending order (np.all(rows[1:] > rows[:-1])), stopping at the first row out of
    order, without a temporary."""
    for j in range(1, rows.size):
        if rows[j] <= rows[j - 1]:
            return False
    return True


@kernel
def add_block(out: np.ndarray, rows: np.ndarray, amount: np.ndarray, first: int, start: int) -> int:
    """out[rows[j] - first] += amount[j] for j from `start` on while rows[j] < first + out.size (`rows` unique and
    ascending from `start`, or all in the block), in one pass, with no copy of the rows; returns the j it stopped at
    (the next block's `start`). Each sum is in the type numpy adds them in (a float32 `out` and float64 amounts add
    in float64) and stored in out's type, as numpy stores it."""
    end = first + out.size
    j = start
    while j < rows.size and rows[j] < end:
        r = rows[j] - first
        out[r] = out[r] + amount[j]
        j += 1
    return j


@kernel
def unclaimed_savers(claimed: np.ndarray, option: np.ndarray, min_option: int, months: np.ndarray,
                     age: np.ndarray, min_age: float) -> np.ndarray:
    """[rows] ~claimed & (option >= min_option) & (months > 0) & (age >= min_age), in one pass (the section 40
    old-age lump sum's candidates; `claimed`: the lump sum paid before)."""
    out = np.empty(age.size, dtype=np.bool_)
    for i in range(age.size):
        out[i] = ~claimed[i] & (option[i] >= min_option) & (months[i] > 0) & (age[i] >= min_age)
    return out


@kernel
def exact_in_float32(values: np.ndarray) -> bool:
    """Whether float32 holds every one of the float64 `values` exactly (NaN: no): np.array_equal(values.astype(
    np.float32), values), without the copies."""
    for i in range(values.size):
        if np.float64(np.float32(values[i])) != values[i]:
            return False
    return True


@kernel
def fold_exact_float32(total: np.ndarray, amount: np.ndarray, add: bool) -> bool:
    """total = total + amount (the float32 `total` widened, the sum in float64) if `add`, else total = amount, in
    place, when float32 holds every new value exactly (NaN: no); whether it did (if not, `total` is untouched)."""
    for k in range(total.size):
        value = np.float64(total[k]) + amount[k] if add else amount[k]
        if np.float64(np.float32(value)) != value:
            return False
    for k in range(total.size):
        total[k] = np.float32(np.float64(total[k]) + amount[k] if add else amount[k])
    return True


@kernel
def add_clipped(out: np.ndarray, wages: np.ndarray, factor: float, floor: float, ceiling: float) -> None:
    """out += factor × np.clip(wages, floor, ceiling), the wages widened to float64, in one pass without the
    temporaries (a NaN wage stays NaN, as numpy's clip keeps it)."""
    for i in range(out.size):
        w = np.float64(wages[i])
        if w == w:
            w = floor if w < floor else w
            w = ceiling if w > ceiling else w
        out[i] += factor * w
