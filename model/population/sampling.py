"""Random draws over rows whose probabilities come from small tables.

`bernoulli_rows` picks each row independently with probability table[key of the row]. When every probability is
small it uses Poisson thinning: a Poisson number of candidate rows, uniform over all rows, each kept with
probability rate / max rate where rate = −ln(1 − p), so that a row is picked at least once with probability exactly
p; a year's incidence of a few per thousand then costs draws for a few per cent of the rows, not all of them.
"""

import numpy as np

from .lookup import CHUNK, batches

THINNING_MAX = 0.1  # thinning only when every probability is at most this


def bernoulli_rows(table: np.ndarray, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sorted rows i picked independently with probability table[keys[i]] (table values in [0, 1])."""
    table = np.asarray(table, dtype=float).ravel()
    if table.max(initial=0.0) > THINNING_MAX:
        return uniform_rows(table.astype(np.float32), keys, rng)
    rate = -np.log1p(-table)
    top = rate.max(initial=0.0)
    if top == 0 or keys.size == 0:
        return np.zeros(0, dtype=np.intp)
    candidates = rng.integers(0, keys.size, rng.poisson(keys.size * top))
    chosen = np.zeros(keys.size, dtype=bool)
    chosen[candidates[rng.random(candidates.size) * top < rate[keys[candidates]]]] = True
    return np.flatnonzero(chosen)


def uniform_rows(threshold: np.ndarray, keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sorted rows i whose float32 uniform draw is below threshold[keys[i]], one draw per row in row order.

    Drawn in `lookup.batches`; the draws are the same as one rng.random(keys.size, dtype=np.float32).
    """
    picked = [np.zeros(0, dtype=np.intp)]
    for part in batches(keys.size):
        batch = keys[part]
        picked.append(part.start + np.flatnonzero(rng.random(batch.size, dtype=np.float32) < threshold[batch]))
    return np.concatenate(picked)


def categorical(keys: np.ndarray, probabilities: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Category of each row drawn from row `keys` of a [K, G] probability table with uniform draws u in [0, 1)."""
    k, g = probabilities.shape
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    bounds = (np.arange(k)[:, None] + cumulative).ravel()
    out = np.empty(keys.size, dtype=np.int8)
    for part in batches(keys.size, CHUNK):
        index = np.searchsorted(bounds, keys[part] + np.asarray(u[part], dtype=np.float64), side="right")
        out[part] = index - keys[part] * g
    return out


def systematic(p: np.ndarray, u: float) -> np.ndarray:
    """Which items to take, item i with probability p[i] (each in [0, 1]), by systematic sampling with one uniform
    `u`: the item whose stretch (c[i-1], c[i]] of the cumulative probabilities c holds a point k - u, k integer. The
    number taken is sum(p) rounded down or up, never further from it: a binomial draw's spread of the total is
    gone."""
    points = np.floor(np.cumsum(p, dtype=np.float64) + u)  # points k - u at or below each c[i]
    return np.diff(points, prepend=np.floor(u)) > 0  # c[i-1] itself, not c[i] - p[i]: the same rounding
