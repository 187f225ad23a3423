"""Compiled passes over the rows for the year's indicators and distribution records (numba): each pass reads every
row once and fills several counts and sums at a time, instead of one numpy pass (and one full-length temporary) per
mask, flag and group.

Counts are whole numbers, the same in any order. Every float sum adds its terms one at a time in row order, as
np.bincount(..., weights=...) does, and every comparison is made in the dtype numpy uses, so the results are those
of the numpy reductions (model.fiscal.indicators, model.fiscal.distribution) bit for bit.

Rows are in no order of household, so a household's value is a random access. A loop that does much per row keeps
few such accesses in flight, so the passes gather (or scatter) household values in a loop of their own, which does
nothing else, and do the rest row by row in order: three times faster at ten million rows.
"""

import numpy as np

from ..compiled import inline_kernel, kernel


N_GROUP_BITS = 4
"""Target groups held as bits of a row (model.fiscal.indicators.GROUPS but `all`, in that order)."""

CHUNK = 1 << 12
"""Rows whose per-row codes a pass holds at once (a few kB, in the CPU's cache), instead of whole-length arrays."""


@kernel
def household_table(hh: np.ndarray, region: np.ndarray, n_households: int,
                    n_regions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """By household id: members (rows, int16) and the region (int8) of the household's last row (as `array[hh] =
    column` leaves it); and [region] the households (ids with members) by that region. Made from the population
    alone (before the schemes' flows). The pass over the rows keeps the two in one uint32 a household (members in
    bits 0-15, region 16-23), so that a row reads and writes one place, not two: the rows' households are scattered
    over the ids."""
    cell = np.zeros(n_households, np.uint32)
    for i in range(hh.size):
        h = hh[i]
        members = (cell[h] & np.uint32(0xFFFF)) + np.uint32(1)
        cell[h] = members | (np.uint32(np.uint8(region[i])) << np.uint32(16))
    size = np.empty(n_households, np.int16)  # members: a household of rows is a household of persons
    region_of = np.empty(n_households, np.int8)
    by_region = np.zeros(n_regions, np.int64)
    for h in range(n_households):
        c = cell[h]
        size[h] = np.int16(c & np.uint32(0xFFFF))
        region_of[h] = np.int8(np.uint8((c >> np.uint32(16)) & np.uint32(0xFF)))
        if size[h] > 0:
            by_region[region_of[h]] += 1
    return size, region_of, by_region


PAID_CASH = 8
"""The bit of `poverty_pass`'s row flags set for a row paid cash (the bit of model.fiscal.indicators.flag_codes)."""


@inline_kernel
def _group_bits(a: np.int64, s: np.int64, disabled: np.int64, aged_from: int, child_to: int,
                informal_status: int) -> np.int64:
    """The row's target-group bits (1 aged `aged_from`+, 2 aged `child_to` or less, 4 disabled, 8 informal worker:
    status `s` one of the bits of `informal_status`, codes 0..63) from its age `a`, status and disability."""
    known = np.int64((s >= 0) & (s < 64))
    return (np.int64(a >= aged_from) | (np.int64(a <= child_to) << 1) | (disabled << 2)
            | (((informal_status >> (s & 63)) & known) << 3))


@kernel
def cash_pass(hh: np.ndarray, cash: np.ndarray, first: int, per_person: np.ndarray, paid: np.ndarray,
              cash_by_bits: np.ndarray, age: np.ndarray, status: np.ndarray, disabled: np.ndarray, aged_from: int,
              child_to: int, informal_status: int) -> None:
    """All the year's indicators read of the rows' cash benefits, for the block of rows `first`.. of the cash
    column (`cash`, THB/year; `first` a multiple of 8), added in place, so that blocks taken in row order give the
    whole column's results and the column is never whole at once (`SchemesYear.cash_blocks`; peak memory):
    ([household] `per_person`: the members' cash summed, THB/year, float64, added in row order as np.bincount over
    the rows with non-zero cash; [row / 8] `paid`: uint8 the rows paid cash (cash > 0) as bits, row i at bit i % 8 of
    byte i // 8 (np.packbits' little bit order): an eighth of a byte a row; [group bits] `cash_by_bits`: THB/year of
    cash of the rows paid cash by their `_group_bits`, float64, added in row order)."""
    n = cash.size
    for b in range(n >> 3):  # each byte made in a register, then stored once
        byte = np.uint8(0)
        for t in range(8):
            byte |= np.uint8(cash[8 * b + t] > 0) << np.uint8(t)
        paid[(first >> 3) + b] = byte
    for j in range(n & ~7, n):
        paid[(first + j) >> 3] |= np.uint8(cash[j] > 0) << np.uint8(j & 7)
    nonzero = np.empty(min(n, CHUNK) + 1, np.int32)  # a chunk's rows with cash other than 0 (a quarter of rows)
    for start in range(0, n, CHUNK):
        k = 0
        for j in range(start, min(start + CHUNK, n)):  # listed without a branch: every row written, k moves on a paid
            nonzero[k] = j
            k += cash[j] != 0
        for t in range(k):  # the household's value in a loop of its own; a zero would add nothing (from +0.0)
            j = nonzero[t]
            per_person[hh[first + j]] += np.float64(cash[j])
        for t in range(k):
            j = nonzero[t]
            c = np.float64(cash[j])
            if c > 0:  # adding 0.0 to a sum from +0.0 of positive terms changes nothing
                i = first + j
                g = _group_bits(np.int64(age[i]), np.int64(status[i]), np.int64(disabled[i]), aged_from, child_to,
                                informal_status)
                cash_by_bits[g] += c


@kernel
def per_member(total: np.ndarray, size: np.ndarray) -> None:
    """total /= size in place where size > 0 (`total`: [household] float64; `size`: [household] members), left as
    it is for an empty id: np.divide(total, size, out=total, where=size > 0) without the mask, in one pass."""
    for h in range(total.size):
        if size[h] > 0:
            total[h] /= np.float64(size[h])


@kernel
def household_poverty(income: np.ndarray, per_person: np.ndarray, line: float, line32: np.float32) -> np.ndarray:
    """[household] uint8: 1 income per person (`income`, THB/person/year, float32) below the line before transfers
    (compared in float32 with `line32`, as numpy compares a float32 column with a Python float), 2 below `line` after
    the household's pooled cash transfers (`per_person` + income, float64, as
    model.fiscal.indicators.income_after_transfers; `per_person`: THB/person/year)."""
    flags = np.empty(income.size, np.uint8)
    for h in range(income.size):
        before = income[h]
        flags[h] = np.uint8(before < line32) | (np.uint8(per_person[h] + np.float64(before) < line) << 1)
    return flags


@kernel
def poverty_pass(hh: np.ndarray, household: np.ndarray, paid: np.ndarray, first: int, flags: np.ndarray) -> None:
    """[row] uint8 `flags` of the rows first.. (a block of `hh` and `flags`; `first` a multiple of 8), in place: the
    household's poverty bits (`household`: [household] `household_poverty`), and PAID_CASH for a row paid cash (the
    bits `paid` of every row from `cash_pass`)."""
    n = hh.size
    for i in range(n):  # the household's value in a loop of its own
        flags[i] = household[hh[i]]
    p = first >> 3
    for b in range(n >> 3):  # eight rows a byte of `paid`, a loop of fixed length (unrolled)
        byte = paid[p + b]
        for t in range(8):
            flags[8 * b + t] |= ((byte >> np.uint8(t)) & np.uint8(1)) << np.uint8(3)
    for i in range(n & ~7, n):
        flags[i] |= ((paid[p + (i >> 3)] >> np.uint8(i & 7)) & np.uint8(1)) << np.uint8(3)


@kernel
def or_rows(bits: np.ndarray, rows: np.ndarray, bit: int) -> None:
    """bits[rows] |= bit, in place (`rows`: row indices)."""
    b = np.uint8(bit)
    for i in range(rows.size):
        bits[rows[i]] |= b


@kernel
def or_mask(bits: np.ndarray, mask: np.ndarray, bit: int) -> None:
    """bits |= bit where `mask` is true, in place (`mask`: [row] bool)."""
    b = np.uint8(bit)
    for i in range(bits.size):
        bits[i] |= np.uint8(mask[i]) * b


@kernel
def pattern_pass(hh: np.ndarray, poor: np.ndarray, bit: int, age: np.ndarray, status: np.ndarray, disabled: np.ndarray,
                 received: np.ndarray, old_age: int, working_age: int, adult_age: int, informal: int,
                 pattern: np.ndarray) -> None:
    """[household] deprivation pattern of model.fiscal.mpi.household_patterns (bit d for dimension d: a member
    concerned is deprived), from the rows' income poverty after transfers (bit number `bit` of `poor`) and what
    they receive (`received`: bits 1 old-age income, 2 health cover, 4 disability allowance, as
    model.fiscal.mpi.Support): aged is `old_age`+, of working age `working_age` to below `old_age`, a child below
    `adult_age`; `informal`: the status code of informal uninsured work. OR-ed into `pattern` ([household] uint8)
    in place: the rows may be cut into parts, each with a pattern of its own, OR-ed together after. The rows' bits in
    a loop without branches or table look-ups (vectorised), the households' in a loop of their own, CHUNK rows at a
    time."""
    bits = np.empty(min(hh.size, CHUNK), np.uint8)  # the rows' deprivations of one chunk of rows at a time
    for start in range(0, hh.size, CHUNK):
        stop = min(start + CHUNK, hh.size)
        age_c, poor_c, status_c = age[start:stop], poor[start:stop], status[start:stop]
        disabled_c, received_c, hh_c = disabled[start:stop], received[start:stop], hh[start:stop]
        for j in range(stop - start):
            a = np.int64(age_c[j])
            aged = np.int64(a >= old_age)
            working = np.int64((a >= working_age) & (a < old_age))
            child = np.int64(a < adult_age)
            income_poor = np.int64((poor_c[j] >> bit) & 1)
            r = np.int64(received_c[j])
            bits[j] = np.uint8(income_poor
                               | (aged & (1 - (r & 1))) << 1
                               | (working & np.int64(np.int64(status_c[j]) == informal)) << 2
                               | (1 - ((r >> 1) & 1)) << 3
                               | (np.int64(disabled_c[j]) & (1 - ((r >> 2) & 1))) << 4
                               | (child & income_poor) << 5)
        for j in range(stop - start):  # the households' values in a loop of their own
            pattern[hh_c[j]] |= bits[j]


@kernel
def household_codes(pattern: np.ndarray, size: np.ndarray, decile_of: np.ndarray) -> np.ndarray:
    """[household] uint16 code `count_pass` reads: the deprivation pattern (bits 0..5, `pattern`), bit 6 set for a
    household of one member (`size`: members), the income decile (0..9, `decile_of`) from bit 7; in one pass."""
    code = np.empty(pattern.size, np.uint16)
    for h in range(pattern.size):
        code[h] = (np.uint16(pattern[h]) | (np.uint16(size[h] == 1) << np.uint16(6))
                   | (np.uint16(np.uint8(decile_of[h])) << np.uint16(7)))
    return code


@kernel
def count_pass(hh: np.ndarray, poor: np.ndarray, received: np.ndarray, age: np.ndarray, status: np.ndarray,
               disabled: np.ndarray, insured_status: int, state_pensioner: np.ndarray, aged_from: int, child_to: int,
               informal_status: int, household: np.ndarray, n_patterns: int, old_age: int,
               region: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The target groups' counts of the rows in one pass: ([group bits, pattern, flag code] rows, by the code of
    model.fiscal.indicators.flag_codes and the household's deprivation pattern; [2] rows aged `old_age`+ and of
    those the rows living alone; [decile, 8, poverty bits] rows, from which, with the income by region summed in row
    order apart from these counts, `distribution_counts` makes the counts of `distribution_pass`). Whole-number
    counts: the rows may be cut into parts whose counts are added (on threads). `poor`: the flags of
    `poverty_pass` (bits 1 and 2 poor before and after transfers, PAID_CASH); `household`: [household] the
    deprivation pattern, bit 6 set for a household of one member, and the income decile (0..9) from bit 7;
    `received`: bit 8 set for rows paid a benefit other than health cover (model.fiscal.mpi.Support.COVERED, the
    other bits not read); group bits: `_group_bits`. `insured_status`: bit s set for each status code s (0..63)
    of the insured.

    The row's codes are made in a loop without branches or table look-ups (which the compiler vectorises), the
    counts in a loop of their own, both over CHUNK rows at a time (so the codes are held for a chunk, not for every
    row): the same counts as one loop doing all. (Sums over axes are left to numpy: compiled, they cost seconds of
    compile time.)"""
    n = hh.size
    counts = np.zeros((1 << N_GROUP_BITS) * n_patterns * 16, np.int64)
    by_code = np.zeros(10 * 8 * 4, np.int64)  # [decile, region, poverty bits]
    of_row = np.empty(min(n, CHUNK), household.dtype)  # the per-row codes of one chunk of rows at a time
    key = np.empty(min(n, CHUNK), np.uint16)
    by_region = np.empty(min(n, CHUNK), np.uint16)
    n_old = 0
    alone = 0
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        m = stop - start
        hh_c, age_c, status_c, poor_c = hh[start:stop], age[start:stop], status[start:stop], poor[start:stop]
        received_c, disabled_c = received[start:stop], disabled[start:stop]
        pensioner_c, region_c = state_pensioner[start:stop], region[start:stop]
        for j in range(m):  # the households' values in a loop of their own
            of_row[j] = household[hh_c[j]]
        for j in range(m):
            a = np.int64(age_c[j])
            s = np.int64(status_c[j])
            known = np.int64((s >= 0) & (s < 64))
            p = np.int64(poor_c[j])
            insured = (insured_status >> (s & 63)) & known
            covered = (np.int64(received_c[j]) >> 3) & 1
            code = (p & (3 | PAID_CASH)) | ((covered | insured | np.int64(pensioner_c[j])) << 2)
            g = _group_bits(a, s, np.int64(disabled_c[j]), aged_from, child_to, informal_status)
            h = np.int64(of_row[j])
            key[j] = (g * n_patterns + (h & 63)) * 16 + code
            old = np.int64(a >= old_age)
            n_old += old
            alone += old & (h >> 6) & 1
            by_region[j] = (((((h >> 7) << 3) | np.int64(region_c[j]))) << 2) | (p & 3)
        for j in range(m):
            counts[key[j]] += 1
            by_code[by_region[j]] += 1
    return counts.reshape((1 << N_GROUP_BITS, n_patterns, 16)), np.array([n_old, alone]), by_code.reshape((10, 8, 4))


def distribution_counts(table: np.ndarray, income: np.ndarray,
                        n_regions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The counts of `distribution_pass` from those `count_pass` made alongside the target groups (`table`:
    [decile, 8, poverty bits] rows) and [region] `income` (summed in row order): [decile, 8] rows, [region, 4] rows
    by poverty bits, [region] income (whole-number counts summed: exact)."""
    return table.sum(axis=2), table[:, :n_regions, :].sum(axis=0), income


@kernel
def distribution_pass(hh: np.ndarray, region: np.ndarray, decile_of: np.ndarray, poor: np.ndarray,
                      income: np.ndarray, n_regions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """([decile, 8] rows by decile and region, [region, 4] rows by the two poverty bits of `poor`, [region] the rows'
    `income` summed in row order (float64)); `decile_of`: [household] decile 0..9. (`count_pass` counts the same
    along with the target groups.)"""
    by_both = np.zeros((10, 8), np.int64)
    by_poverty = np.zeros((n_regions, 4), np.int64)
    income_by_region = np.zeros(n_regions, np.float64)
    for i in range(hh.size):
        d = decile_of[hh[i]]
        r = region[i]
        by_both[d, r] += 1
        by_poverty[r, poor[i] & 3] += 1
        income_by_region[r] += np.float64(income[i])
    return by_both, by_poverty, income_by_region


@kernel
def code_pass(hh: np.ndarray, region: np.ndarray, decile_of: np.ndarray, code: np.ndarray) -> None:
    """[row] int8 `code` decile × 8 + region of the rows (a block of `hh`, `region` and `code`), in place: the code
    of `distribution_pass` alone (`decile_of`: [household] decile 0..9), so that the schemes' amounts can be summed
    by decile and region before the counts are made."""
    for i in range(hh.size):  # the households' values in a loop of their own
        code[i] = decile_of[hh[i]]
    for i in range(hh.size):
        code[i] = (np.int64(code[i]) << 3) | region[i]


@kernel
def sums_by_code(code: np.ndarray, rows: np.ndarray, amount: np.ndarray,
                 n_regions: int) -> tuple[np.ndarray, np.ndarray]:
    """([decile], [region]) `amount` (aligned with `rows`, widened to float64) summed by the rows' decile and region
    (`code`: decile × 8 + region), in the order of `rows`."""
    by_decile = np.zeros(10, np.float64)
    by_region = np.zeros(n_regions, np.float64)
    for j in range(rows.size):
        c = code[rows[j]]
        value = np.float64(amount[j])
        by_decile[c >> 3] += value
        by_region[c & 7] += value
    return by_decile, by_region


@kernel
def deciles(income: np.ndarray, size: np.ndarray, n_persons: int) -> np.ndarray:
    """[household] income decile 0..9 (int8; 0 for an empty id) of households ranked by `income` (float32 income
    per person) then id, deciles of persons: floor(10 × middle / persons), middle the persons ranked before plus
    half the household's own. Households go to buckets by the leading bits of an order-preserving key of their
    income; only the buckets a cut passes through are sorted (see model.fiscal.distribution.household_deciles),
    so the deciles are those of a sort of every household. A bucket's decile is found by whole-number comparisons
    (10 × persons before >= (d + 1) × persons), the same as floor(10.0 × before / persons) in float64 for fewer than
    2**49 persons: a quotient that is not a whole number is at least 1 / persons below the next one, more than the
    rounding can close."""
    n_hh = size.size
    n = max(n_persons, 1)
    width = 0  # n_hh.bit_length(): about four ids a bucket (any width gives the same deciles, only faster or not),
    while (n_hh >> width) > 0:  # at most 2**20 buckets (18 MiB of counts)
        width += 1
    shift = 32 - min(20, max(8, width - 2))
    n_buckets = (0xFFFFFFFF >> shift) + 1
    in_bucket = np.zeros(n_buckets, np.int32)  # persons: fewer than 2**31 rows
    households_in = np.zeros(n_buckets, np.int32)
    bits = income.view(np.uint32)
    for h in range(n_hh):  # without a branch: an empty id adds no persons and no household to its bucket
        k = _income_key(bits[h]) >> shift
        in_bucket[k] += size[h]
        households_in[k] += np.int32(size[h] > 0)
    before = np.empty(n_buckets, np.int64)
    low = np.empty(n_buckets, np.int8)
    cuts = np.zeros(n_buckets, np.bool_)
    running = 0
    n_cut = 0
    d = 0  # min(floor(10 × running / n), 9): the persons ranked so far reach decile d + 1 at (d + 1) × n / 10
    for k in range(n_buckets):
        before[k] = running
        low[k] = d
        running += in_bucket[k]
        while d < 9 and 10 * running >= (d + 1) * n:
            d += 1
        cuts[k] = d != low[k]
        n_cut += households_in[k] if cuts[k] else 0
    out = np.zeros(n_hh, np.int8)
    cut = np.empty(n_cut, np.uint64)
    n_cut = 0
    for h in range(n_hh):
        b = _income_key(bits[h])  # made again, not kept: no household-length array of keys
        k = b >> shift
        used = size[h] > 0
        out[h] = low[k] * np.int8(used)  # without a branch but for the few households in a bucket a cut passes
        if cuts[k] and used:
            cut[n_cut] = (np.uint64(b) << np.uint64(32)) | np.uint64(h)
            n_cut += 1
    cut.sort()  # unique keys (income key, then id): one order whatever the algorithm
    bucket = -1
    within = 0
    for j in range(n_cut):
        h = np.int64(cut[j] & np.uint64(0xFFFFFFFF))
        k = np.int64((cut[j] >> np.uint64(32)) >> np.uint64(shift))
        if k != bucket:
            bucket = k
            within = 0
        within += size[h]
        middle = np.float64(before[k] + within) - size[h] / 2.0
        out[h] = min(np.int64(10 * middle / n), 9)
    return out


@inline_kernel
def _income_key(b: np.uint32) -> np.uint32:
    """The order-preserving key of a float32 income's bits (`deciles`): one NaN, -0.0 as 0.0, then the sign flipped
    for positives and every bit for negatives, so that the keys sort as the incomes do."""
    if (b & 0x7FFFFFFF) > 0x7F800000:
        b = np.uint32(0x7FC00000)  # one NaN
    elif b == 0x80000000:
        b = np.uint32(0)  # -0.0 is 0.0
    if b >> 31:
        b ^= np.uint32(0xFFFFFFFF)
    else:
        b ^= np.uint32(0x80000000)
    return b


@kernel
def stock_pass(status: np.ndarray, thai: np.ndarray, sex: np.ndarray, age: np.ndarray, wage: np.ndarray,
               migrant_worker: np.ndarray, employed_status: int, n_statuses: int,
               n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """([status, nationality (0 Thai, 1 not), sex-age cell (sex × n_ages + age)] rows, [3] the wages (THB/month) of
    the rows in an employed status (`employed_status`: bit s set for each status code s, 0..63, of the employed):
    their sum in row order, whether any is negative or NaN, or any row's is not finite (1.0), and the rows that are
    migrant workers).

    Over CHUNK rows at a time: the rows' codes and wages (0.0 for a row not employed, which adds nothing to a sum
    from +0.0) in a loop without branches or table look-ups (vectorised), then the counts and the wages' sum, whose
    additions wait on each other one by one, in a loop of their own: the same counts and sum as one loop doing all."""
    n_cells = 2 * n_ages
    counts = np.zeros(n_statuses * 2 * n_cells, np.int64)
    key = np.empty(min(status.size, CHUNK), np.int32)  # the rows' codes and wages of one chunk of rows at a time
    wages = np.empty(min(status.size, CHUNK), np.float64)
    total = 0.0
    odd = 0
    migrants = 0
    for start in range(0, status.size, CHUNK):
        stop = min(start + CHUNK, status.size)
        status_c, thai_c, sex_c, age_c = status[start:stop], thai[start:stop], sex[start:stop], age[start:stop]
        wage_c, migrant_c = wage[start:stop], migrant_worker[start:stop]
        for j in range(stop - start):
            s = np.int64(status_c[j])
            key[j] = (s * 2 + 1 - np.int64(thai_c[j])) * n_cells + np.int64(sex_c[j]) * n_ages + np.int64(age_c[j])
            employed = (employed_status >> (s & 63)) & np.int64((s >= 0) & (s < 64))
            w = np.float64(wage_c[j]) * np.float64(employed)  # a NaN or infinite wage makes `odd`
            wages[j] = w
            odd |= np.int64(not w >= 0)
            migrants += np.int64(migrant_c[j])
        for j in range(stop - start):
            counts[key[j]] += 1
            total += wages[j]
    return counts.reshape((n_statuses, 2, n_cells)), np.array([total, float(odd), float(migrants)])
