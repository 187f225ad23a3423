"""Random draws over rows whose probabilities come from small tables.

`bernoulli_rows` picks each row independently with probability table[key of the row]. When every probability is
small it uses Poisson thinning: a Poisson number of candidate rows, uniform over all rows, each kept with
probability rate / max rate where rate = −ln(1 − p), so that a row is picked at least once with probability exactly
p; a year's incidence of a few per thousand then costs draws for a few per cent of the rows, not all of them.
"""

from collections.abc import Iterator

import numpy as np

from ..compiled import unique_ids
from . import kernels
from .lookup import BATCH, batches

THINNING_MAX = 0.1  # thinning only when every probability is at most this


def bernoulli_rows(table: np.ndarray, keys: np.ndarray, rng: np.random.Generator,
                   rows: np.ndarray | None = None) -> np.ndarray:
    """Sorted rows i picked independently with probability table[keys[i]] (table values in [0, 1]).

    With `rows` (row numbers), the draw is over those rows only, keys[rows] being their keys, and the result holds
    positions in `rows`: the same draws as bernoulli_rows(table, keys[rows], rng), without gathering every row's key
    when the thinning touches few of them."""
    table = np.asarray(table, dtype=float).ravel()
    if table.max(initial=0.0) > THINNING_MAX:
        return uniform_rows(table.astype(np.float32), keys[:] if rows is None else keys[rows], rng)
    rate = -np.log1p(-table)
    top = rate.max(initial=0.0)
    n = keys.size if rows is None else rows.size
    if top == 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    candidates = rng.integers(0, n, rng.poisson(n * top))
    chosen = np.zeros(n, dtype=bool)  # marking and scanning cost less than sorting the candidates
    key = keys[candidates] if rows is None else keys[rows[candidates]]
    chosen[candidates[rng.random(candidates.size) * top < rate[key]]] = True
    return np.flatnonzero(chosen)


def bernoulli_where(table: np.ndarray, keys: np.ndarray, rng: np.random.Generator, mask: np.ndarray) -> np.ndarray:
    """Sorted rows i where `mask` is true picked independently with probability table[keys[i]]: the same draws and
    rows as rows[bernoulli_rows(table, keys, rng, rows=rows)] with rows = np.flatnonzero(mask), without a list of
    the masked rows when the thinning touches few of them (their candidates' rows are found by one pass over the
    mask)."""
    table = np.asarray(table, dtype=float).ravel()
    if table.max(initial=0.0) > THINNING_MAX:
        rows = np.flatnonzero(mask)
        return rows[bernoulli_rows(table, keys, rng, rows=rows)]
    rate = -np.log1p(-table)
    top = rate.max(initial=0.0)
    n = int(np.count_nonzero(mask))
    if top == 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    candidates = rng.integers(0, n, rng.poisson(n * top))  # positions among the masked rows
    order = np.argsort(candidates, kind="stable")
    found = np.empty(candidates.size, dtype=np.intp)
    kernels.nth_true(mask, candidates[order], found)
    rows = np.empty(candidates.size, dtype=np.intp)
    rows[order] = found
    return unique_ids(rows[rng.random(candidates.size) * top < rate[keys[rows]]])


def consecutive_uniforms(rng: np.random.Generator, n: int, calls: int) -> list[np.random.Generator]:
    """Generators for the next `calls` draws rng.random(n) (float64 uniforms), the j-th positioned where the j-th
    call would start, so that each can be drawn from block by block (its blocks in order give that call's draws);
    `rng` itself is moved past them all, as after the calls. A float64 uniform is one 64-bit output: a copy of
    the bit generator advanced by j × n outputs (PCG64's `advance`) starts there."""
    if calls == 0:
        return []
    bit = rng.bit_generator
    if not hasattr(bit, "advance"):  # a bit generator that cannot jump: the calls' draws, served in order
        return [_Served(rng.random(n)) for _ in range(calls)]
    state = bit.state
    out = []
    for j in range(calls + 1):
        copy = type(bit)()
        copy.state = state
        copy.advance(j * n)
        if j < calls:
            out.append(np.random.Generator(copy))
        else:  # rng after the calls: its half-used 32-bit output (float32 draws) as it was
            moved = copy.state
            moved["has_uint32"], moved["uinteger"] = state["has_uint32"], state["uinteger"]
            bit.state = moved
    return out


class _Served:
    """Uniforms drawn at once, handed out in order by `random(k)` (consecutive_uniforms without `advance`)."""

    def __init__(self, u: np.ndarray):
        self._u, self._at = u, 0

    def random(self, k: int) -> np.ndarray:
        self._at += k
        return self._u[self._at - k:self._at]


def uniform_batches(rng: np.random.Generator, n: int) -> Iterator[tuple[slice, np.ndarray]]:
    """(rows, their float32 uniform draws) for rows 0..n-1 in `lookup.batches`: the same draws as one
    rng.random(n, dtype=np.float32) (the generator keeps a half-used 64-bit output between calls), without a
    full-length array. The draws' array is reused by the next batch."""
    draws = np.empty(min(n, BATCH), dtype=np.float32)
    for part in batches(n):
        yield part, rng.random(out=draws[:part.stop - part.start], dtype=np.float32)


def uniform_rows(threshold: np.ndarray, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sorted rows i whose float32 uniform draw is below threshold[keys[i]], one draw per row in row order.

    Drawn in `lookup.batches`; the draws are the same as one rng.random(keys.size, dtype=np.float32).
    """
    picked = [np.zeros(0, dtype=np.intp)]
    rows = np.empty(min(keys.size, BATCH), dtype=np.intp)
    for part, u in uniform_batches(rng, keys.size):
        picked.append(rows[:kernels.below_threshold(u, threshold, keys[part], part.start, rows)].copy())
    return np.concatenate(picked)


def categorical(keys: np.ndarray, probabilities: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Category of each row drawn from row `keys` of a [K, G] probability table with uniform draws u in [0, 1)."""
    k, g = probabilities.shape
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    bounds = (np.arange(k)[:, None] + cumulative).ravel()
    out = np.empty(keys.size, dtype=np.int8)
    for part in batches(keys.size):
        # the bounds at or below x = key + u: all those of the keys below (at most key <= x), and of the row's own
        # key's g increasing bounds, the last being key + 1 > x, those at or below x: counted among the first g - 1
        # by a compiled pass
        if kernels.categorical_search(keys[part], u[part], bounds, g, out[part]):
            continue
        key = keys[part].astype(np.intp)  # a draw on the next key's bounds: count every bound at or below it
        x = key + np.asarray(u[part], dtype=np.float64)
        out[part] = np.searchsorted(bounds, x, side="right") - key * g
    return out


def systematic(p: np.ndarray, u: float) -> np.ndarray:
    """Which items to take, item i with probability p[i] (each in [0, 1]), by systematic sampling with one uniform
    `u`: the item whose stretch (c[i-1], c[i]] of the cumulative probabilities c holds a point k - u, k integer. The
    number taken is sum(p) rounded down or up, never further from it: a binomial draw's spread of the total is
    gone."""
    points = np.floor(np.cumsum(p, dtype=np.float64) + u)  # points k - u at or below each c[i]
    return np.diff(points, prepend=np.floor(u)) > 0  # c[i-1] itself, not c[i] - p[i]: the same rounding
