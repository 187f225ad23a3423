"""Compiled per-row passes of the region assignment (model.population.regions), fused so that one pass over the
households replaces numpy's several full-length temporaries.

Each kernel does the arithmetic of the numpy expression it replaces in the same order (row sums left to right,
column sums down the rows), so the results are bit for bit numpy's; the exponentials stay numpy's (`np.exp`),
whose last bit numba's may not match.
"""

import numpy as np

from ..compiled import inline_kernel, kernel


@kernel
def shifted_logits(z: np.ndarray, intercept: np.ndarray, slope: np.ndarray, out: np.ndarray) -> None:
    """out[i, j] = intercept[j] + z[i] × slope[j] less its row's maximum (the argument of a stable softmax). Each
    logit is computed again for its difference (the same arithmetic, the same value) rather than stored and read
    back."""
    n, k = out.shape
    for i in range(n):
        top = -np.inf
        zi = z[i]
        for j in range(k):
            x = intercept[j] + zi * slope[j]
            if x > top or x != x:  # a NaN propagates, as np.max's
                top = x
        for j in range(k):
            out[i, j] = (intercept[j] + zi * slope[j]) - top


@kernel
def share_sums(e: np.ndarray, income: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """([j] Σ_i p[i, j], [j] Σ_i p[i, j] × income[i]) with p = e / its row sum: the column sums of a softmax whose
    exponentials are `e` [row, j], unweighted and weighted by `income` [row]."""
    n, k = e.shape
    shares = np.zeros(k)
    weighted = np.zeros(k)
    for i in range(n):
        s = e[i, 0]
        for j in range(1, k):
            s += e[i, j]
        for j in range(k):
            p = e[i, j] / s
            shares[j] += p
            weighted[j] += p * income[i]
    return shares, weighted


@kernel
def draw_softmax(e: np.ndarray, u: np.ndarray) -> np.ndarray:
    """[row] int8 index drawn from the softmax whose exponentials are `e` [row, j] with the uniforms `u` [row]:
    the number of cumulative probabilities below u × their total, at most k − 1 (model.population.regions.draw)."""
    n, k = e.shape
    out = np.empty(n, dtype=np.int8)
    cumulative = np.empty(k)
    for i in range(n):
        s = e[i, 0]
        for j in range(1, k):
            s += e[i, j]
        c = e[i, 0] / s
        cumulative[0] = c
        for j in range(1, k):
            c += e[i, j] / s
            cumulative[j] = c
        x = u[i] * cumulative[k - 1]
        count = 0
        for j in range(k):
            count += x > cumulative[j]
        out[i] = min(count, k - 1)
    return out


@kernel
def income_per_person(hh: np.ndarray, income: np.ndarray, size: np.ndarray,
                      sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """([household with members] max(Σ income, 1) / members, in id order; [k] max(Σ income, 1) of the sample[k]-th
    such household, `sample` ascending): the float64 sums of np.bincount with weights (row order), the household
    income within its floor and the division of numpy's np.maximum(total, 1.0) / size. The per-person values
    overwrite the sums in place (the j-th household with members is at most the j-th id): one float64 a household."""
    total = np.zeros(size.size)
    for i in range(hh.size):
        total[hh[i]] += np.float64(income[i])
    picked = np.empty(sample.size)
    j = 0
    k = 0
    for h in range(size.size):
        if size[h] > 0:
            t = total[h]
            if t < 1.0:  # np.maximum(t, 1.0): a NaN stays NaN
                t = 1.0
            if k < sample.size and sample[k] == j:
                picked[k] = t
                k += 1
            total[j] = t / np.float64(size[h])
            j += 1
    return total[:j], picked


@kernel
def sum_of_squares(x: np.ndarray) -> float:
    """np.add.reduce(x * x) of a contiguous float64 array, without the array of squares: numpy's pairwise summation
    of it, so bit for bit numpy's sum (np.std's, of the deviations from the mean). A run of more than 128 values is
    split in two at half its count rounded down to a multiple of 8 and the sums of the halves are added; shorter
    runs are summed by `_run_of_squares`. The halves are worked through with a stack, not by recursion (a recursive
    kernel cannot be loaded back from numba's cache)."""
    if x.size <= 128:
        return _run_of_squares(x, 0, x.size)
    starts = np.empty(256, dtype=np.int64)  # runs to sum, last first; a count of -1 marks an addition of two sums
    counts = np.empty(256, dtype=np.int64)
    sums = np.empty(128)
    top = 0
    starts[0] = 0
    counts[0] = x.size
    n_sums = 0
    while top >= 0:
        start = starts[top]
        n = counts[top]
        top -= 1
        if n < 0:  # both halves summed: the first half's sum plus the second's
            n_sums -= 1
            sums[n_sums - 1] = sums[n_sums - 1] + sums[n_sums]
        elif n <= 128:
            sums[n_sums] = _run_of_squares(x, start, n)
            n_sums += 1
        else:
            half = n // 2
            half -= half % 8
            counts[top + 1] = -1
            starts[top + 2] = start + half
            counts[top + 2] = n - half
            starts[top + 3] = start
            counts[top + 3] = half
            top += 3
    return sums[0]


@kernel
def _run_of_squares(x: np.ndarray, start: int, n: int) -> float:
    """The sum of the squares of x[start:start + n] (n at most 128) in the order of numpy's pairwise sum: fewer than
    8 values one after the other from 0, else eight interleaved partial sums added in pairs, then the rest one by
    one."""
    if n < 8:
        total = 0.0
        for i in range(start, start + n):
            total += x[i] * x[i]
        return total
    r0 = x[start] * x[start]
    r1 = x[start + 1] * x[start + 1]
    r2 = x[start + 2] * x[start + 2]
    r3 = x[start + 3] * x[start + 3]
    r4 = x[start + 4] * x[start + 4]
    r5 = x[start + 5] * x[start + 5]
    r6 = x[start + 6] * x[start + 6]
    r7 = x[start + 7] * x[start + 7]
    i = 8
    while i < n - n % 8:
        j = start + i
        r0 += x[j] * x[j]
        r1 += x[j + 1] * x[j + 1]
        r2 += x[j + 2] * x[j + 2]
        r3 += x[j + 3] * x[j + 3]
        r4 += x[j + 4] * x[j + 4]
        r5 += x[j + 5] * x[j + 5]
        r6 += x[j + 6] * x[j + 6]
        r7 += x[j + 7] * x[j + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for j in range(start + i, start + n):
        total += x[j] * x[j]
    return total


# The table by household of advance_regions: one int32 per household id, so that each row's pass touches one cell.
REGION_BITS = 0xFF  # the region + 1 of the household (0: none)
TOUCHED = 0x100  # a row moved into the household this year
SEEN = 0x200  # the household's representative so far is in `best`
WORKER = 0x400  # a member of a touched household is a migrant worker
SIZE_SHIFT = 11  # the rows of the household, above


# The rows' households before the year's events (households.HouseholdMoves): `logged` (ascending) are the rows whose
# household was set, `before` their households before; any other row's was its household now, or, when the ids were
# renumbered since, renumbered[its id now] (`renumbered` empty when they were not). A row moved when its household
# now differs from that before (after a renumbering, compared as numbers across the two numberings).

@inline_kernel
def household_before(i: int, h: int, logged: np.ndarray, before: np.ndarray, renumbered: np.ndarray,
                     j: int) -> tuple[int, int]:
    """(the household before the events of row i, in household h now; the position in `logged` of the first row
    not below i), given j, such a position for a row before i: rows are visited in ascending order."""
    while j < logged.size and logged[j] < i:
        j += 1
    if j < logged.size and logged[j] == i:
        return before[j], j
    if renumbered.size:
        return renumbered[h], j
    return h, j


@kernel
def mark_moved(hh: np.ndarray, logged: np.ndarray, before: np.ndarray, renumbered: np.ndarray,
               table: np.ndarray) -> int:
    """Flag TOUCHED in table[h] for each household h some row moved into (its household now differs from the one
    before); returns the rows that moved. A pass over the logged rows only, unless the ids were renumbered."""
    moved = 0
    if renumbered.size == 0:
        for j in range(logged.size):
            h = hh[logged[j]]
            if h != before[j]:
                table[h] |= TOUCHED
                moved += 1
        return moved
    j = 0
    for i in range(hh.size):
        h = hh[i]
        was, j = household_before(i, h, logged, before, renumbered, j)
        if h != was:
            table[h] |= TOUCHED
            moved += 1
    return moved


@kernel
def household_pass(hh: np.ndarray, region: np.ndarray, logged: np.ndarray, before: np.ndarray,
                   renumbered: np.ndarray, sex: np.ndarray, age: np.ndarray, migrant_worker: np.ndarray, female: int,
                   adult_age: int, table: np.ndarray, best: np.ndarray,
                   at: np.ndarray = np.zeros(0, dtype=np.int32), n_rows: int = -1) -> np.ndarray:
    """One pass over the rows: each row adds one to its household's size and sets its region (the last row's wins,
    as numpy's region_of[hh] = region) in `table`. With `best` int64 (empty: not wanted), the rows of the
    TOUCHED households are returned (ascending, int32), each such household gets WORKER when a member is a migrant
    worker and best[h] = the smallest `candidate` of its rows: its low 32 bits are the representative row, the
    first of the smallest (no region, moved, not an adult woman, −age), as a stable lexsort gives; whether a row
    moved is read from `logged`, `before` and `renumbered` (as `mark_moved`). With `at` [household] (each TOUCHED
    household's position among them, `touched`), `best` has one entry per such household, in their order, else one
    per household id. `n_rows`: the rows of the TOUCHED households when the caller knows them (their members),
    else (-1) a first pass counts them: an array of their own length, not a buffer for every row."""
    n = hh.size
    j = 0  # the first logged row not below the row at hand
    collect = best.size > 0
    k = max(n_rows, 0)
    if collect and n_rows < 0:
        for i in range(n):
            k += (table[hh[i]] & TOUCHED) != 0
    rows = np.empty(k, dtype=np.int32)
    k = 0
    for i in range(n):
        h = hh[i]
        if h < 0:
            raise ValueError("a row without a household (hh -1)")
        t = table[h]
        cell = (t & ~REGION_BITS) + (1 << SIZE_SHIFT) + (region[i] + 1)
        if collect and t & TOUCHED:
            if k == rows.size:
                raise ValueError("more rows in the touched households than n_rows")
            rows[k] = i
            k += 1
            was, j = household_before(i, h, logged, before, renumbered, j)
            c = candidate(i, region[i], h != was, sex[i], age[i], female, adult_age)
            b = at[h] if at.size else h
            if not t & SEEN:
                best[b] = c
                cell |= SEEN
            elif c < best[b]:
                best[b] = c
            if migrant_worker[i]:
                cell |= WORKER
        table[h] = cell
    if k != rows.size:
        raise ValueError("fewer rows in the touched households than n_rows")
    return rows


@kernel
def candidate(row: int, region: int, moved: bool, sex: int, age: int, female: int, adult_age: int) -> int:
    """A household member as a candidate representative: one int64 whose order is that of (no region, moved, not
    an adult woman, −age, row) and whose low 32 bits are the row."""
    woman = sex == female and age >= adult_age
    key = ((np.int64(region < 0) * 2 + np.int64(moved)) * 2 + np.int64(not woman)) * 65536 + (32767 - np.int64(age))
    return (key << 32) | np.int64(row)


@kernel
def touched(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the TOUCHED households of `table`, ascending (int64, an array of their own length); [household] the
    position of each among them, int32, -1 for the others)."""
    at = np.full(table.size, -1, dtype=np.int32)
    n = 0
    for h in range(table.size):
        if table[h] & TOUCHED:
            at[h] = n
            n += 1
    ids = np.empty(n, dtype=np.int64)
    n = 0
    for h in range(table.size):
        if table[h] & TOUCHED:
            ids[n] = h
            n += 1
    return ids, at


@kernel
def scan(table: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """([region] rows of the households with members and a region, the number of those households) of the packed
    `table`."""
    population = np.zeros(k)
    used = 0
    for h in range(table.size):
        t = table[h]
        size = t >> SIZE_SHIFT
        region = (t & REGION_BITS) - 1
        if size > 0 and region >= 0:
            population[region] += size
            used += 1
    return population, used


@kernel
def leavers(table: np.ndarray, leave: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The households (ascending) with members and a region whose uniform (u, one per such household in id order)
    is below their region's probability of leaving `leave` [region] (int32, an array of their own length)."""
    return leavers_from(table, leave, u, 0)[1]


@kernel
def leavers_from(table: np.ndarray, leave: np.ndarray, u: np.ndarray, first: int) -> tuple[int, np.ndarray]:
    """`leavers` for the households from id `first` on that the uniforms `u` cover (one per household with members
    and a region, in id order), and the id after the last of them: the next block of uniforms starts there, so
    that blocks of draws give the households of one draw of them all."""
    out = np.empty(u.size, dtype=np.int32)
    k = 0
    j = 0
    h = first
    while j < u.size and h < table.size:
        t = table[h]
        region = (t & REGION_BITS) - 1
        if t >> SIZE_SHIFT > 0 and region >= 0:
            if u[j] < leave[region]:
                out[k] = h
                k += 1
            j += 1
        h += 1
    return h, out[:k].copy()  # not a view: the block's buffer is freed here


@kernel
def regions_of(table: np.ndarray) -> np.ndarray:
    """[household] int8 region of each household in `table` (-1 none)."""
    region_of = np.empty(table.size, dtype=np.int8)
    for h in range(table.size):
        region_of[h] = (table[h] & REGION_BITS) - 1
    return region_of


@kernel
def spread(hh: np.ndarray, region_of: np.ndarray, region: np.ndarray) -> None:
    """region[i] = region_of[hh[i]] (`regions_of`), for every row (of a block)."""
    for i in range(hh.size):
        region[i] = region_of[hh[i]]
