"""Compiled per-row passes of the region assignment (model.population.regions), fused so that one pass over the
households replaces numpy's several full-length temporaries.

Each kernel does the arithmetic of the numpy expression it replaces in the same order (row sums left to right,
column sums down the rows), so the results are bit for bit numpy's; the exponentials stay numpy's (`np.exp`),
whose last bit numba's may not match.
"""

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def shifted_logits(z: np.ndarray, intercept: np.ndarray, slope: np.ndarray, out: np.ndarray) -> None:
    """out[i, j] = intercept[j] + z[i] × slope[j] less its row's maximum (the argument of a stable softmax)."""
    n, k = out.shape
    for i in range(n):
        top = -np.inf
        for j in range(k):
            x = intercept[j] + z[i] * slope[j]
            out[i, j] = x
            if x > top or x != x:  # a NaN propagates, as np.max's
                top = x
        for j in range(k):
            out[i, j] -= top


@numba.njit(cache=True, nogil=True)
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


@numba.njit(cache=True, nogil=True)
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
