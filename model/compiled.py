"""The one way the model compiles its per-row kernels (numba), and the row-finding and placing kernels every layer
shares.

`kernel` compiles on first use and caches the machine code on disk (`cache=True`, in each module's __pycache__);
`nogil` lets kernels called from several threads (model/threads.py) run at once. Divisions follow IEEE arithmetic
(`error_model="numpy"`: no test of each divisor for a Python ZeroDivisionError, which keeps a loop with a division
from running on vectors); every quotient a kernel computes is the same.
"""

import numba
import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# compiled into each kernel that calls it
inline_kernel = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")


def true_rows(mask: np.ndarray) -> np.ndarray:
    """np.flatnonzero(mask) of a bool mask (row indices, ascending, int32: half intp's memory, rows stay below
    2**31). Its time hardly depends on how the true rows are spread, where numpy's grows several times on masks
    of a tenth or so: dense masks take every row without a branch, sparser ones write one row per true flag, 64
    rows at a time."""
    flags = np.ascontiguousarray(mask).view(np.uint8)
    n = int(np.count_nonzero(flags))
    return _dense_rows(flags, n) if n * DENSE >= flags.size else _bit_rows(flags, n)


def unique_ids(ids: np.ndarray) -> np.ndarray:
    """np.unique(ids) of whole numbers (rows, person or household ids), sorted then each run's first kept: numpy's
    own (2.4) finds them through a hash table, a hundred times slower for millions of distinct ids."""
    ordered = np.sort(ids)
    return ordered[_run_starts(ordered)]


def unique_first(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(ids, return_index=True) of non-negative whole numbers below 2**31 (rows, ids): the distinct ids,
    ascending, and the position of each one's first occurrence; one sort of id × 2**32 + position instead of
    numpy's stable argsort (several times faster for millions of ids)."""
    keys = ids.astype(np.int64) << 32
    keys |= np.arange(ids.size, dtype=np.int64)
    keys.sort()
    keep = _run_starts(keys >> 32)
    return (keys[keep] >> 32).astype(ids.dtype), (keys[keep] & 0xFFFFFFFF).astype(np.intp)


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """[i] whether ordered[i] is the first of its run of equal values (bool)."""
    starts = np.empty(ordered.size, dtype=np.bool_)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return starts


@kernel
def scatter_used(size: np.ndarray, values: np.ndarray, empty: float, out: np.ndarray) -> None:
    """out[h] = the j-th of `values` for the j-th id h with members (size[h] > 0), `empty` for the others: one
    value drawn for each household with members (as many values as such ids), placed at its id. From the last id
    down, so that `values` may be the start of `out` itself (each value is read before its place is written)."""
    j = values.size - 1
    for h in range(size.size - 1, -1, -1):
        if size[h] > 0:
            out[h] = values[j]
            j -= 1
        else:
            out[h] = empty


DENSE = 3  # a mask with at least one true row in DENSE takes every row without a branch


@kernel
def _dense_rows(flags: np.ndarray, n: int) -> np.ndarray:
    """The n rows whose flag (0 or 1) is 1, ascending: every row written, the next true one over it."""
    out = np.empty(n + 1, dtype=np.int32)
    k = 0
    for i in range(flags.size):
        out[k] = i
        k += flags[i]
    return out[:n]


@kernel
def _bit_rows(flags: np.ndarray, n: int) -> np.ndarray:
    """As `_dense_rows`, 64 rows at a time: their flags packed into the bits of one word (each eight flags by one
    multiplication: byte j of the eight lands on bit j of the product's top byte), then one row written for each
    bit set, found by its trailing zeros."""
    groups = flags.size // 64
    packed = flags[:groups * 64].view(np.uint64)
    out = np.empty(n + 1, dtype=np.int32)
    k = 0
    for g in range(groups):
        word = np.uint64(0)
        for t in range(8):
            word |= ((packed[8 * g + t] * np.uint64(0x0102040810204080)) >> np.uint64(56)) << np.uint64(8 * t)
        while word != 0:
            out[k] = 64 * g + np.int64(trailing_zeros(word))
            k += 1
            word &= word - np.uint64(1)
    for i in range(groups * 64, flags.size):
        out[k] = i
        k += flags[i]
    return out[:n]
