"""Compiled per-row loops of the schemes, where one pass replaces several numpy passes over the same rows.

Each kernel computes exactly what the numpy expression named in its docstring computes (integer work, and float
sums in the same order), so results are bit-identical to that expression. Compiled on first use and cached on disk
(`cache=True`); `nogil` lets the schemes that run on threads (model/threads.py) call them at once.
"""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def group_rows(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by a small code (a counting sort): (order, starts), where order[starts[c]:starts[c + 1]] are the
    rows whose code is c, ascending, i.e. np.flatnonzero(codes == c). ValueError if a code is outside 0..n_codes-1."""
    starts = np.zeros(n_codes + 1, dtype=np.intp)
    for i in range(codes.size):
        c = codes[i]
        if c < 0 or c >= n_codes:
            raise ValueError("group_rows: a code is outside 0..n_codes-1")
        starts[c + 1] += 1
    for c in range(n_codes):
        starts[c + 1] += starts[c]
    position = starts[:-1].copy()
    order = np.empty(codes.size, dtype=np.intp)
    for i in range(codes.size):
        c = codes[i]
        order[position[c]] = i
        position[c] += 1
    return order, starts


@numba.njit(cache=True, nogil=True)
def cell_counts(cell: np.ndarray, rows: np.ndarray, n_cells: int) -> np.ndarray:
    """[cell] number of `rows` in each cell: np.bincount(cell[rows], minlength=n_cells), as float64."""
    out = np.zeros(n_cells, dtype=np.float64)
    for k in range(rows.size):
        out[cell[rows[k]]] += 1.0
    return out


@numba.njit(cache=True, nogil=True)
def cell_sums(cell: np.ndarray, rows: np.ndarray, weights: np.ndarray, n_cells: int) -> np.ndarray:
    """[cell] `weights` (aligned with `rows`) summed by the cell of each row, in row order:
    np.bincount(cell[rows], weights=weights, minlength=n_cells)."""
    out = np.zeros(n_cells, dtype=np.float64)
    for k in range(rows.size):
        out[cell[rows[k]]] += weights[k]
    return out


@numba.njit(cache=True, nogil=True)
def ratio_by_age(age: np.ndarray, rows: np.ndarray, by_age: np.ndarray, base: float) -> np.ndarray:
    """by_age[age[rows]] / base, float64, in one pass."""
    out = np.empty(rows.size, dtype=np.float64)
    for k in range(rows.size):
        out[k] = by_age[age[rows[k]]] / base
    return out
