"""Compiled passes over rows for the households (model.population.households).

Two kinds of loop, both written so that the compiler vectorises them or keeps them free of branches: counts by
household id in one pass (members, members aged 18+, float64 sums of incomes in row order, as np.bincount) and
row masks (`out[row] = condition`) that the caller turns into rows with np.flatnonzero, block by block. A mask
kernel replaces the several numpy passes and full-length temporaries of a compound condition; look-ups of a set of
person or household ids go through bit sets (`id_bits`, ids / 8 bytes, held in the CPU's cache). Everything is
integer logic or the same float64 sums in the same order: results are bit-identical to the numpy formulation.
"""
import numpy as np

from ..compiled import kernel
from .axes import FEMALE, N_AGES

ADULT_AGE = 18  # as model.population.households
ADULT_BIT = 20  # `census` counts a household's members below this bit and its adults from it (both < 2^11 rows)
ADULT_MASK = (1 << ADULT_BIT) - 1
CELLS = 2 * 2 * N_AGES  # [thai, sex, age] cells, raveled as model.population.lookup.cells



@kernel
def id_bits(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """A bit set over ids 0 .. n_ids - 1 with `ids` set, and one spare zero byte at the end, so that an id of -1
    (read through numba's wrap-around as the last byte's top bit) is never set."""
    bits = np.zeros((n_ids >> 3) + 2, dtype=np.uint8)
    for p in ids:
        bits[p >> 3] |= np.uint8(1 << (p & 7))
    return bits


POPCOUNT = np.array([bin(byte).count("1") for byte in range(256)], dtype=np.int64)  # [byte] its set bits


@kernel
def bit_ranks(bits: np.ndarray) -> np.ndarray:
    """[w] the number of ids set in bytes 0 .. 8w - 1 of the bit set `bits` (`id_bits`), for w = 0 .. its words (8
    bytes each): the last entry is the number of ids set (`rank_in`)."""
    n_words = (bits.size + 7) >> 3
    ranks = np.empty(n_words + 1, dtype=np.int64)
    total = 0
    for w in range(n_words):
        ranks[w] = total
        for b in range(w << 3, min((w + 1) << 3, bits.size)):
            total += POPCOUNT[bits[b]]
    ranks[n_words] = total
    return ranks


@kernel
def rank_in(bits: np.ndarray, ranks: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """[i] the place of ids[i] among the ids set in `bits` (ascending; np.searchsorted of their sorted list) when it
    is set, else the number of ids set (-1 never is): one look-up in `ranks` (`bit_ranks`) and a few bytes of the
    bit set, where a binary search over millions of ids misses the cache at every step."""
    out = np.empty(ids.size, dtype=np.int64)
    none = ranks[-1]
    for i in range(ids.size):
        q = ids[i]
        byte = q >> 3
        if q < 0 or ((bits[byte] >> (q & 7)) & 1) == 0:
            out[i] = none
            continue
        rank = ranks[byte >> 3] + POPCOUNT[bits[byte] & ((1 << (q & 7)) - 1)]
        for b in range((byte >> 3) << 3, byte):
            rank += POPCOUNT[bits[b]]
        out[i] = rank
    return out


@kernel
def top_id(hh: np.ndarray) -> int:
    """The largest household id (-1 for none)."""
    top = -1
    for i in range(hh.size):
        top = max(top, hh[i])
    return top


@kernel
def count_members(hh: np.ndarray, size: np.ndarray) -> np.ndarray:
    """`size` ([household id] zeros, of the caller's dtype) with the members (rows) of each id added, as
    np.bincount (ids must be below size.size)."""
    for i in range(hh.size):
        size[hh[i]] += 1
    return size


@kernel
def sum_by_household(hh: np.ndarray, values: np.ndarray, n_ids: int) -> np.ndarray:
    """[household id] float64 sum of `values` over members, in row order (np.bincount with weights)."""
    total = np.zeros(n_ids)
    for i in range(hh.size):
        total[hh[i]] += np.float64(values[i])
    return total


@kernel
def income_per_person(hh: np.ndarray, income: np.ndarray, size: np.ndarray) -> np.ndarray:
    """[household id] the float32 of its float64 sum of `income` (row order) over its members `size` (0 for an
    empty household id). The float32s are written over the float64 sums in id order (the h-th float32 lies within
    the float64s of ids up to h, each read before): a view of one buffer of 8 bytes an id, not 12 (peak memory)."""
    total = np.zeros(size.size)
    for i in range(hh.size):
        total[hh[i]] += np.float64(income[i])
    per_person = total.view(np.float32)
    for h in range(size.size):
        value = np.float32(0.0)
        if size[h] > 0:
            value = np.float32(total[h] / size[h])
        per_person[h] = value
    return per_person[:size.size]


@kernel
def spread(hh: np.ndarray, by_household: np.ndarray, out: np.ndarray) -> None:
    """out[row] = by_household[hh[row]] (of a block of rows)."""
    for i in range(hh.size):
        out[i] = by_household[hh[i]]


@kernel
def gone_bits(inverse: np.ndarray) -> np.ndarray:
    """The bit set (as `id_bits`) of the pids 0 .. inverse.size - 2 no longer in the table (`inverse`: row of each
    pid, -1 when gone, with one extra last entry), with a spare zero byte at the end (a pid of -1 is never set):
    an eighth of a byte a pid, held in the CPU's cache where `inverse`'s four bytes are not. One sequential pass,
    eight pids a byte."""
    n = inverse.size - 1
    bits = np.zeros((n >> 3) + 2, dtype=np.uint8)
    for w in range(n >> 3):
        byte = 0
        for j in range(8):
            byte |= np.int32(inverse[w * 8 + j] < 0) << j
        bits[w] = np.uint8(byte)
    for q in range((n >> 3) << 3, n):
        if inverse[q] < 0:
            bits[q >> 3] |= np.uint8(1 << (q & 7))
    return bits


@kernel
def lost_partner(partner: np.ndarray, gone: np.ndarray, out: np.ndarray) -> None:
    """out[row]: the row's partner (a pid, -1 for none) is no longer in the table (`gone`: `gone_bits`)."""
    for i in range(partner.size):
        q = partner[i]
        out[i] = ((gone[q >> 3] >> (q & 7)) & 1) == 1


@kernel
def unhoused(hh: np.ndarray):
    """(the first id after the largest in use, the rows without a household (hh -1) in row order)."""
    top = -1
    n_new = 0
    for i in range(hh.size):
        top = max(top, hh[i])
        n_new += hh[i] < 0
    new = np.empty(n_new, dtype=np.int64)
    k = 0
    if n_new:
        for i in range(hh.size):
            if hh[i] < 0:
                new[k] = i
                k += 1
    return top + 1, new


@kernel
def census(hh: np.ndarray, age: np.ndarray, n_ids: int, spare: int):
    """Members of each household id 0 .. n_ids - 1 (int32), with `spare` zero ids after them, and the bit set
    (`id_bits`) of the households with members but none aged 18+ (an empty array when there is none). One pass
    over the rows counts the members in the low ADULT_BIT bits of one int32 and the adults above them (one random
    access a row); the households' loops, each simple enough to run on vectors, count those without an adult, set
    their bits (when there are any) and keep the members."""
    members = np.zeros(n_ids + spare, dtype=np.int32)
    for i in range(hh.size):
        members[hh[i]] += 1 | (np.int32(age[i] >= ADULT_AGE) << ADULT_BIT)
    no_adult = 0
    for h in range(n_ids):
        no_adult += ((members[h] & ADULT_MASK) > 0) & ((members[h] >> ADULT_BIT) == 0)
    bits = np.zeros(0 if no_adult == 0 else (n_ids >> 3) + 2, dtype=np.uint8)
    if no_adult:
        for h in range(n_ids):
            if ((members[h] & ADULT_MASK) > 0) & ((members[h] >> ADULT_BIT) == 0):
                bits[h >> 3] |= np.uint8(1 << (h & 7))
    for h in range(n_ids):
        members[h] &= ADULT_MASK
    return members, bits


@kernel
def minor_in(hh: np.ndarray, age: np.ndarray, households: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged under 18 in one of the households of the bit set `households`."""
    for i in range(hh.size):
        out[i] = False
        if age[i] < ADULT_AGE:  # the age first: rows of one age tend to be together, so the branch predicts well
            h = hh[i]
            out[i] = ((households[h >> 3] >> (h & 7)) & 1) == 1


@kernel
def mother_in(mother: np.ndarray, age: np.ndarray, lo: int, hi: int, parents: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged lo..hi with a `mother` among the pids of the bit set `parents` (`id_bits`; -1 never is)."""
    for i in range(mother.size):
        out[i] = False
        a = age[i]
        if (a >= lo) & (a <= hi):  # the age first, as in `minor_in`
            q = mother[i]
            out[i] = ((parents[q >> 3] >> (q & 7)) & 1) == 1


@kernel
def women_aged(sex: np.ndarray, age: np.ndarray, lo: int, hi: int, out: np.ndarray) -> None:
    """out[row]: a woman aged lo..hi."""
    for i in range(sex.size):
        a = age[i]
        out[i] = (sex[i] == FEMALE) & (a >= lo) & (a <= hi)


@kernel
def linked_minor(mother: np.ndarray, age: np.ndarray, partner: np.ndarray, adult_age: int, out: np.ndarray) -> None:
    """out[row]: aged under adult_age, without a partner, with a mother (`mother`: row or -1)."""
    for i in range(age.size):
        out[i] = (mother[i] >= 0) & (age[i] < adult_age) & (partner[i] < 0)


@kernel
def single_adult(partner: np.ndarray, age: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged 18+ without a partner."""
    for i in range(age.size):
        out[i] = (partner[i] < 0) & (age[i] >= ADULT_AGE)


@kernel
def adult_with_mother(mother: np.ndarray, age: np.ndarray, old_age: int, out: np.ndarray) -> None:
    """out[row]: aged 18 .. old_age - 1 with a mother link."""
    for i in range(age.size):
        a = age[i]
        out[i] = (mother[i] >= 0) & (a >= ADULT_AGE) & (a < old_age)


@kernel
def move(hh: np.ndarray, size: np.ndarray, rows: np.ndarray, ids: np.ndarray) -> None:
    """Move `rows` (distinct) into households `ids` (one each), keeping `size` (members by id) up to date."""
    for j in range(rows.size):
        r = rows[j]
        size[hh[r]] -= 1
        hh[r] = ids[j]
        size[ids[j]] += 1


# --- base year ----------------------------------------------------------------------------------------------------

@kernel
def stable_argsort(values: np.ndarray) -> np.ndarray:
    """np.argsort(values, kind="stable") of finite floats spread over their range (ages plus a uniform): the
    ordering of `sorted_rows` applied to the positions 0 .. n - 1."""
    return sorted_rows(np.arange(values.size), values)


@kernel
def sorted_rows(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """rows[np.argsort(values, kind="stable")] (a new array of rows' dtype) for finite floats spread over their
    range (ages plus a uniform): a stable counting sort into buckets of about 8 values by a non-decreasing
    function of the value, then a stable insertion sort within each bucket; linear in time for such values. The
    rows are carried along, so that no array of positions is made."""
    n = values.size
    out = np.empty(n, dtype=rows.dtype)
    if n == 0:
        return out
    lo = values.min()
    hi = values.max()
    if not hi > lo:
        for i in range(n):
            out[i] = rows[i]
        return out
    n_buckets = max(n >> 3, 1)
    scale = n_buckets / (hi - lo)
    starts = np.zeros(n_buckets + 2, dtype=np.int64)
    for i in range(n):
        starts[min(np.int64((values[i] - lo) * scale), n_buckets) + 1] += 1
    for b in range(n_buckets + 1):
        starts[b + 1] += starts[b]
    at = starts[:n_buckets + 1].copy()
    ranked = np.empty(n)  # the values in bucket order, so that the insertion sort reads them in sequence
    for i in range(n):
        v = values[i]
        b = min(np.int64((v - lo) * scale), n_buckets)
        out[at[b]] = rows[i]
        ranked[at[b]] = v
        at[b] += 1
    for b in range(n_buckets + 1):
        s = starts[b]
        for j in range(s + 1, starts[b + 1]):
            x = out[j]
            v = ranked[j]
            t = j
            while t > s and ranked[t - 1] > v:
                out[t] = out[t - 1]
                ranked[t] = ranked[t - 1]
                t -= 1
            out[t] = x
            ranked[t] = v
    return out


@kernel
def rows_to_pids(links: np.ndarray, pid: np.ndarray) -> None:
    """links[i] = pid[links[i]] where a link is set (a row, not -1), in place: row links made person ids."""
    for i in range(links.size):
        m = links[i]
        if m >= 0:
            links[i] = pid[m]


@kernel
def follow_to_roots(parent: np.ndarray, first: int, out: np.ndarray) -> None:
    """out[j] = the root reached by following `parent` pointers (an acyclic forest, a root points to itself) from row
    first + j: a block of rows (`households.household_ids`)."""
    for j in range(out.size):
        r = first + j
        while parent[r] != r:
            r = parent[r]
        out[j] = r


@kernel
def mark_ids(ids: np.ndarray, flags: np.ndarray) -> None:
    """flags[id] = 1 for every id of `ids` (blocks of rows on threads may mark the same id: each writes the same 1)."""
    for i in range(ids.size):
        flags[ids[i]] = 1


@kernel
def ranks_in_place(flags: np.ndarray) -> None:
    """flags (1 for an id in use, else 0) made [id] the rank of the id among those in use, in their order."""
    total = 0
    for h in range(flags.size):
        used = flags[h]
        flags[h] = total
        total += used


@kernel
def ranks_of_used(size: np.ndarray) -> np.ndarray:
    """[id] the rank of each id among the ids with members (`size` > 0), in their order (int32): the new ids of
    `renumber`."""
    rank = np.empty(size.size, np.int32)
    total = 0
    for h in range(size.size):
        rank[h] = total
        total += size[h] > 0
    return rank


@kernel
def remap(hh: np.ndarray, new_id: np.ndarray) -> None:
    """hh[row] = new_id[hh[row]], in place."""
    for i in range(hh.size):
        hh[i] = new_id[hh[i]]


ALONE, COUPLE = 1, 2  # the kinds of independent older households of `elderly_counts`


@kernel
def elderly_counts(hh: np.ndarray, age: np.ndarray, partner: np.ndarray, size: np.ndarray, old_age: int):
    """Persons aged old_age+ (all, alone, with a partner only) and each household's kind: ALONE (one member, aged
    old_age+), COUPLE (two members, one of them with a partner, at least one aged old_age+) or 0. `partner`: the
    partner's row (-1 none). Returns (n_old, alone, spouse_only, kind int8 [household])."""
    olds_in = np.zeros(size.size, dtype=np.int32)
    couple_hh = np.zeros(size.size, dtype=np.bool_)
    n_old = 0
    alone = 0
    spouse_only = 0
    for i in range(hh.size):
        h = hh[i]
        r = partner[i]
        if r >= 0:
            couple_hh[h] = True
        if age[i] >= old_age:
            n_old += 1
            olds_in[h] += 1
            alone += size[h] == 1
            spouse_only += (size[h] == 2) & (r >= 0) & (hh[max(r, 0)] == h)
    kind = np.zeros(size.size, dtype=np.int8)
    for h in range(size.size):
        if (size[h] == 1) & (olds_in[h] == 1):
            kind[h] = ALONE
        elif (size[h] == 2) & couple_hh[h] & (olds_in[h] >= 1):
            kind[h] = COUPLE
    return n_old, alone, spouse_only, kind


@kernel
def first_old_rows(hh: np.ndarray, age: np.ndarray, moving: np.ndarray, old_age: int) -> np.ndarray:
    """The first row (in row order) aged old_age+ of each household where `moving`, in the order of the ids."""
    first = np.full(moving.size, -1, dtype=np.int32)  # rows fit 32 bits: half the memory at full scale
    for i in range(hh.size):
        h = hh[i]
        if moving[h] and age[i] >= old_age and first[h] < 0:
            first[h] = i
    n = 0
    for h in range(moving.size):
        n += first[h] >= 0
    out = np.empty(n, dtype=np.int64)
    k = 0
    for h in range(moving.size):
        if first[h] >= 0:
            out[k] = first[h]
            k += 1
    return out


@kernel
def union_by_sex(u: np.ndarray, table: np.ndarray, sex: np.ndarray, age: np.ndarray, out: np.ndarray) -> None:
    """out[row]: 1 + sex when u[row] < table[sex × N_AGES + age] (in a union), else 0."""
    for i in range(u.size):
        s = sex[i]
        out[i] = (u[i] < table[s * N_AGES + age[i]]) * (1 + s)


@kernel
def co_residence(mother: np.ndarray, partner: np.ndarray, age: np.ndarray, sex: np.ndarray, u: np.ndarray,
                 home: np.ndarray, couple_home: float, old_age: int, parent: np.ndarray, first: int = 0) -> None:
    """parent[row] = the partner's row for men with a partner; the mother's row for children under 18 without a
    partner, adults under old_age without a partner when u < home[age], and women under old_age with a partner
    when u < couple_home; the row itself otherwise (`mother`, `partner`: rows or -1; the arrays are the rows from
    `first` on, a block of the population)."""
    for i in range(mother.size):
        a = age[i]
        m = mother[i]
        p = partner[i] >= 0
        joins = (m >= 0) & (
            ((~p) & (a >= ADULT_AGE) & (a < old_age) & (u[i] < home[a]))
            | (p & (sex[i] == FEMALE) & (a < old_age) & (u[i] < couple_home))
            | ((a < ADULT_AGE) & (~p)))
        to = m if joins else first + i
        if p & (sex[i] != FEMALE):
            to = partner[i]
        parent[i] = to


@kernel
def pick_in_order(order: np.ndarray, starts: np.ndarray, candidates: np.ndarray, wanted: np.ndarray,
                  u: np.ndarray) -> np.ndarray:
    """For each draw d, candidates[order[starts[k] + int(u[d] × count)]] with k = wanted[d] and count the
    candidates of key k (`lookup.grouped`), -1 when there is none: the pick of households._pick from its uniform."""
    n_keys = starts.size - 1
    out = np.full(wanted.size, -1, dtype=np.int64)
    last = order.size - 1
    for d in range(wanted.size):
        k = wanted[d]
        if k >= 0 and k < n_keys:
            count = starts[k + 1] - starts[k]
            if count > 0:
                out[d] = candidates[order[min(starts[k] + np.int64(u[d] * count), last)]]
    return out


KEY_BLOCK = 4096  # rows of a block of `block_key_counts`: a draw of `rows_of_block_ranks` scans one such block


@kernel
def block_key_counts(thai: np.ndarray, age: np.ndarray, stride: int, block: int) -> np.ndarray:
    """[block, key] rows of each key thai × stride + age (ages below `stride`) in each block of `block` rows (int32;
    the last block may be shorter)."""
    n = age.size
    counts = np.zeros(((n + block - 1) // block, 2 * stride), dtype=np.int32)
    for b in range(counts.shape[0]):
        in_block = counts[b]
        for i in range(b * block, min(n, (b + 1) * block)):
            in_block[np.int64(thai[i]) * stride + age[i]] += 1
    return counts


@kernel
def rows_of_block_ranks(thai: np.ndarray, age: np.ndarray, stride: int, block: int, counts: np.ndarray,
                        keys: np.ndarray, ranks: np.ndarray, out: np.ndarray) -> None:
    """out[j] = the row (in row order) number ranks[j] among the rows of key keys[j] = thai × stride + age, for
    draws sorted by (key, rank), each rank below its key's count; `counts`: `block_key_counts` of the rows. Each
    draw's block and rank within it come from the counts, and only the blocks holding a draw are scanned
    (`rows_of_ranks` over the block's rows, its draws in (key, rank) order)."""
    n_draws = keys.size
    n_blocks = counts.shape[0]
    block_of = np.empty(n_draws, dtype=np.int64)
    local = np.empty(n_draws, dtype=np.int64)
    j = 0
    while j < n_draws:  # the draws of one key, by rank: their blocks come in order
        k = keys[j]
        b = 0
        before = 0  # rows of key k in the blocks before b
        while j < n_draws and keys[j] == k:
            while before + counts[b, k] <= ranks[j]:
                before += counts[b, k]
                b += 1
            block_of[j] = b
            local[j] = ranks[j] - before
            j += 1
    starts = np.zeros(n_blocks + 1, dtype=np.int64)  # the draws by block, (key, rank) order kept within each
    for j in range(n_draws):
        starts[block_of[j] + 1] += 1
    for b in range(n_blocks):
        starts[b + 1] += starts[b]
    at = starts[:n_blocks].copy()
    order = np.empty(n_draws, dtype=np.int64)
    for j in range(n_draws):
        order[at[block_of[j]]] = j
        at[block_of[j]] += 1
    for b in range(n_blocks):
        if starts[b] < starts[b + 1]:
            picked = order[starts[b]:starts[b + 1]]
            first = b * block
            end = min(first + block, age.size)
            found = np.empty(picked.size, dtype=np.int64)
            rows_of_ranks(thai[first:end], age[first:end], stride, keys[picked], local[picked], found)
            for t in range(picked.size):
                out[picked[t]] = first + found[t]


@kernel
def rows_of_ranks(thai: np.ndarray, age: np.ndarray, stride: int, keys: np.ndarray, ranks: np.ndarray,
                  out: np.ndarray) -> None:
    """out[j] = the row (in row order) number ranks[j] among the rows of key keys[j] = thai × stride + age, for
    draws sorted by (key, rank), each rank below its key's count: one pass over the rows up to the last draw's row,
    each key's draws taken in turn."""
    n_keys = 2 * stride
    first = np.full(n_keys + 1, keys.size, dtype=np.int64)  # each key's first draw
    for j in range(keys.size - 1, -1, -1):
        first[keys[j]] = j
    for k in range(n_keys - 1, -1, -1):
        first[k] = min(first[k], first[k + 1])
    next_draw = first[:n_keys].copy()
    seen = np.zeros(n_keys, dtype=np.int64)
    left = keys.size  # draws without their row yet: the pass stops at the last draw's row
    for i in range(age.size):
        if left == 0:
            break
        k = np.int64(thai[i]) * stride + age[i]
        c = seen[k]
        seen[k] = c + 1
        j = next_draw[k]
        while j < first[k + 1] and ranks[j] == c:
            out[j] = i
            j += 1
            left -= 1
        next_draw[k] = j


# --- each year: the drawn rows' own tests ------------------------------------------------------------------------

@kernel
def below_top(rows: np.ndarray, u: np.ndarray, top: float):
    """(rows[u < top], u[u < top]), in order, exactly sized: one pass counts them, one writes both without a branch
    (each row written, the next one over it unless kept)."""
    k = 0
    for j in range(u.size):
        k += u[j] < top
    kept_rows = np.empty(k + 1, dtype=rows.dtype)
    kept_u = np.empty(k + 1, dtype=u.dtype)
    k = 0
    for j in range(u.size):
        kept_rows[k] = rows[j]
        kept_u[k] = u[j]
        k += u[j] < top
    return kept_rows[:k], kept_u[:k]


@kernel
def below_hazard(rows: np.ndarray, u: np.ndarray, sex: np.ndarray, age: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    """rows[u < hazard[sex × N_AGES + age]] (rows and their uniforms, in order)."""
    out = np.empty(rows.size, dtype=np.int64)
    k = 0
    for j in range(rows.size):
        r = rows[j]
        out[k] = r
        k += u[j] < hazard[sex[r] * N_AGES + age[r]]
    return out[:k]


@kernel
def leaving(rows: np.ndarray, u: np.ndarray, partner: np.ndarray, sex: np.ndarray, age: np.ndarray,
            mother: np.ndarray, hh: np.ndarray, inverse: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The rows (in order) whose uniform is below table[key] (key: the age without a partner, N_AGES for a woman
    with one, N_AGES + 1 for a man with one) and whose mother is in the table and in the same household."""
    out = np.empty(rows.size, dtype=np.int64)
    k = 0
    for j in range(rows.size):
        r = rows[j]
        key = np.int64(age[r]) if partner[r] < 0 else N_AGES + np.int64(sex[r] != FEMALE)
        out[k] = r
        k += u[j] < table[key]
    drawn = out[:k]
    kept = np.empty(drawn.size, dtype=np.int64)
    k = 0
    for r in drawn:
        m = inverse[mother[r]]
        kept[k] = r
        k += (m >= 0) & (hh[max(m, 0)] == hh[r])
    return kept[:k]


@kernel
def table_draw(cdf: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: float) -> int:
    """The index that uniform u draws from the cumulative distribution `cdf` (np.searchsorted side right, as
    Generator.choice with p), read from the table lo/hi over len(lo) equal intervals of u
    (households.choice_table), with a search only when u's interval holds a bound."""
    interval = np.int64(u * lo.size)  # exact: a power of two
    drawn = lo[interval]
    if drawn != hi[interval]:
        drawn = np.searchsorted(cdf, u, side="right")
    return drawn


@kernel
def women_by_key(age: np.ndarray, sex: np.ndarray, thai: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """(starts, women): women[starts[k]:starts[k + 1]] are the rows (ascending, int32) of the women of key k =
    thai × stride + age (ages below `stride`)."""
    n_keys = 2 * stride
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(age.size):
        if sex[i] == FEMALE:
            starts[np.int64(thai[i]) * stride + age[i] + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    at = starts[:n_keys].copy()
    women = np.empty(starts[n_keys], dtype=np.int32)  # in key order, rows ascending within a key
    for i in range(age.size):
        if sex[i] == FEMALE:
            k = np.int64(thai[i]) * stride + age[i]
            women[at[k]] = i
            at[k] += 1
    return starts, women


@kernel
def mother_keys(age: np.ndarray, thai: np.ndarray, link_max_age: int, stride: int, cdf: np.ndarray, lo: np.ndarray,
                hi: np.ndarray, u_gap: np.ndarray, keys: np.ndarray) -> None:
    """keys[j] = the key (thai × stride + the mother's age, capped at stride - 1) of the mother of the j-th of these
    rows under link_max_age, her age at birth drawn from the cumulative distribution `cdf` with u_gap[j]
    (`table_draw`)."""
    j = 0
    for i in range(age.size):
        if age[i] < link_max_age:
            gap = table_draw(cdf, lo, hi, u_gap[j])
            keys[j] = np.int64(thai[i]) * stride + min(np.int64(age[i]) + gap, stride - 1)
            j += 1


@kernel
def pick_mothers(age: np.ndarray, link_max_age: int, keys: np.ndarray, u_pick: np.ndarray, starts: np.ndarray,
                 women: np.ndarray, out: np.ndarray) -> None:
    """out[row] = the mother's row of each of these rows under link_max_age (the j-th such: the woman
    floor(u_pick[j] × count) in row order among the `count` women of its mother's key keys[j], `women_by_key`, as
    households._pick over the women), -1 otherwise or when no woman fits."""
    last = women.size - 1
    j = 0
    for i in range(age.size):
        out[i] = -1
        if age[i] < link_max_age:
            k = np.int64(keys[j])
            count = starts[k + 1] - starts[k]
            if count > 0:
                out[i] = women[min(starts[k] + np.int64(u_pick[j] * count), last)]
            j += 1
