"""Compiled passes over rows for the households (model.population.households).

Two kinds of loop, both written so that the compiler vectorises them or keeps them free of branches: counts by
household id in one pass (members, members aged 18+, float64 sums of incomes in row order, as np.bincount) and
row masks (`out[row] = condition`) that the caller turns into rows with np.flatnonzero, block by block. A mask
kernel replaces the several numpy passes and full-length temporaries of a compound condition; look-ups of a set of
person or household ids go through bit sets (`_bits`, ids / 8 bytes, held in the CPU's cache). Everything is
integer logic or the same float64 sums in the same order: results are bit-identical to the numpy formulation.
"""
import numba
import numpy as np

from .axes import FEMALE, N_AGES

ADULT_AGE = 18  # as model.population.households
CELLS = 2 * 2 * N_AGES  # [thai, sex, age] cells, raveled as model.population.lookup.cells
LOW = (np.int64(1) << 32) - 1  # the low half of a packed count (members), the high half counting adults

jit = numba.njit(cache=True, nogil=True)


@jit
def _bits(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """A bit set over ids 0 .. n_ids - 1 with `ids` set, and one spare zero byte at the end, so that an id of -1
    (read through numba's wrap-around as the last byte's top bit) is never set."""
    bits = np.zeros((n_ids >> 3) + 2, dtype=np.uint8)
    for p in ids:
        bits[p >> 3] |= np.uint8(1 << (p & 7))
    return bits


@jit
def top_id(hh: np.ndarray) -> int:
    """The largest household id (-1 for none)."""
    top = -1
    for i in range(hh.size):
        top = max(top, hh[i])
    return top


@jit
def count_members(hh: np.ndarray, n_ids: int) -> np.ndarray:
    """[household id] members (rows) of ids 0 .. n_ids - 1, as np.bincount (ids must be 0 .. n_ids - 1)."""
    size = np.zeros(n_ids, dtype=np.int64)
    for i in range(hh.size):
        size[hh[i]] += 1
    return size


@jit
def sum_by_household(hh: np.ndarray, values: np.ndarray, n_ids: int) -> np.ndarray:
    """[household id] float64 sum of `values` over members, in row order (np.bincount with weights)."""
    total = np.zeros(n_ids)
    for i in range(hh.size):
        total[hh[i]] += np.float64(values[i])
    return total


@jit
def pool_income(hh: np.ndarray, income: np.ndarray, size: np.ndarray, out: np.ndarray) -> None:
    """out[row] = the float32 of its household's float64 sum of `income` (row order) over its members `size`
    (0 for an empty household id)."""
    total = np.zeros(size.size)
    for i in range(hh.size):
        total[hh[i]] += np.float64(income[i])
    per_person = np.zeros(size.size, dtype=np.float32)
    for h in range(size.size):
        if size[h] > 0:
            per_person[h] = np.float32(total[h] / size[h])
    for i in range(hh.size):
        out[i] = per_person[hh[i]]


@jit
def lost_partner(partner: np.ndarray, inverse: np.ndarray, out: np.ndarray) -> None:
    """out[row]: the row's partner (a pid) is no longer in the table (`inverse`: row of each pid, -1 when gone)."""
    for i in range(partner.size):
        q = partner[i]
        out[i] = (q >= 0) & (inverse[q] < 0)


@jit
def census(hh: np.ndarray, age: np.ndarray, spare: int):
    """Members and members aged 18+ of each household id, with `spare` zero ids after the ids the rows without a
    household (hh -1, listed in row order) will take. Returns (size, adults, those rows, the first id they take)."""
    top = -1
    n_new = 0
    for i in range(hh.size):
        top = max(top, hh[i])
        n_new += hh[i] < 0
    n_ids = top + 1 + n_new
    packed = np.zeros(n_ids + spare + 1, dtype=np.int64)  # the last entry: rows without a household
    for i in range(hh.size):
        h = hh[i]
        packed[h if h >= 0 else packed.size - 1] += 1 + (np.int64(age[i] >= ADULT_AGE) << 32)
    size = np.empty(n_ids + spare, dtype=np.int64)
    adults = np.empty(n_ids + spare, dtype=np.int64)
    for h in range(size.size):
        size[h] = packed[h] & LOW
        adults[h] = packed[h] >> 32
    new = np.empty(n_new, dtype=np.int64)
    k = 0
    if n_new:
        for i in range(hh.size):
            if hh[i] < 0:
                new[k] = i
                k += 1
    return size, adults, new, top + 1


@jit
def empty_of_adults(size: np.ndarray, adults: np.ndarray) -> np.ndarray:
    """Bit set (`_bits`) over household ids of the households with members but none aged 18+, or an empty array
    when there is none."""
    n = 0
    for h in range(size.size):
        n += (size[h] > 0) & (adults[h] == 0)
    if n == 0:
        return np.zeros(0, dtype=np.uint8)
    ids = np.empty(n, dtype=np.int64)
    k = 0
    for h in range(size.size):
        if (size[h] > 0) & (adults[h] == 0):
            ids[k] = h
            k += 1
    return _bits(ids, size.size)


@jit
def minor_in(hh: np.ndarray, age: np.ndarray, households: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged under 18 in one of the households of the bit set `households`."""
    for i in range(hh.size):
        h = hh[i]
        out[i] = (age[i] < ADULT_AGE) & (((households[h >> 3] >> (h & 7)) & 1) == 1)


@jit
def mother_in(mother: np.ndarray, age: np.ndarray, lo: int, hi: int, parents: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged lo..hi with a `mother` among the pids of the bit set `parents` (`_bits`; -1 never is)."""
    for i in range(mother.size):
        q = mother[i]
        a = age[i]
        out[i] = (a >= lo) & (a <= hi) & (((parents[q >> 3] >> (q & 7)) & 1) == 1)


@jit
def women_aged(sex: np.ndarray, age: np.ndarray, lo: int, hi: int, out: np.ndarray) -> None:
    """out[row]: a woman aged lo..hi."""
    for i in range(sex.size):
        a = age[i]
        out[i] = (sex[i] == FEMALE) & (a >= lo) & (a <= hi)


@jit
def keyed(thai: np.ndarray, age: np.ndarray, stride: int, wanted: np.ndarray, out: np.ndarray) -> None:
    """out[row]: wanted[thai × stride + age] (`wanted` has 2 × stride entries)."""
    for i in range(age.size):
        out[i] = wanted[np.int64(thai[i]) * stride + age[i]]


@jit
def single_adult(partner: np.ndarray, age: np.ndarray, out: np.ndarray) -> None:
    """out[row]: aged 18+ without a partner."""
    for i in range(age.size):
        out[i] = (partner[i] < 0) & (age[i] >= ADULT_AGE)


@jit
def adult_with_mother(mother: np.ndarray, age: np.ndarray, old_age: int, out: np.ndarray) -> None:
    """out[row]: aged 18 .. old_age - 1 with a mother link."""
    for i in range(age.size):
        a = age[i]
        out[i] = (mother[i] >= 0) & (a >= ADULT_AGE) & (a < old_age)


@jit
def move(hh: np.ndarray, size: np.ndarray, rows: np.ndarray, ids: np.ndarray) -> None:
    """Move `rows` (distinct) into households `ids` (one each), keeping `size` (members by id) up to date."""
    for j in range(rows.size):
        r = rows[j]
        size[hh[r]] -= 1
        hh[r] = ids[j]
        size[ids[j]] += 1
