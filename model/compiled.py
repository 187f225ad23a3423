"""The one way the model compiles its per-row kernels (numba), and the row-finding kernel every layer shares.

`kernel` compiles on first use and caches the machine code on disk (`cache=True`, in each module's __pycache__);
`nogil` lets kernels called from several threads (model/threads.py) run at once. Divisions follow IEEE arithmetic
(`error_model="numpy"`: no test of each divisor for a Python ZeroDivisionError, which keeps a loop with a division
from running on vectors); every quotient a kernel computes is the same.
"""

import numba
import numpy as np

kernel = numba.njit(cache=True, nogil=True, error_model="numpy")
# compiled into each kernel that calls it
inline_kernel = numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")


def true_rows(mask: np.ndarray) -> np.ndarray:
    """np.flatnonzero(mask) of a bool mask (row indices, ascending, int32: half intp's memory, rows stay below
    2**31). Its time hardly depends on how the true rows are spread, where numpy's grows several times on masks
    of a tenth or so: sparse masks skip eight rows at a time where all are false, denser ones take every row
    without a branch."""
    flags = np.ascontiguousarray(mask).view(np.uint8)
    n = int(np.count_nonzero(flags))
    return _sparse_rows(flags, n) if n * SPARSE < flags.size else _dense_rows(flags, n)


SPARSE = 16  # a mask with fewer than one true row in SPARSE is read eight rows at a time


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
def _sparse_rows(flags: np.ndarray, n: int) -> np.ndarray:
    """As `_dense_rows`, skipping each eight rows whose flags are all 0 with one test."""
    words = flags.size // 8
    packed = flags[:words * 8].view(np.uint64)
    out = np.empty(n + 8, dtype=np.int32)
    k = 0
    for w in range(words):
        if packed[w] != 0:
            for i in range(w * 8, w * 8 + 8):
                out[k] = i
                k += flags[i]
    for i in range(words * 8, flags.size):
        out[k] = i
        k += flags[i]
    return out[:n]
