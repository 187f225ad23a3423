"""Persistent take-up: whether a person claims a scheme, stable from year to year.

Every person has a fixed draw `propensity` ~ U(0, 1). A row takes up scheme X when
`(propensity + offset(k)) % 1 < take_up`, so the same persons claim every year while the rate is
unchanged, a higher rate only adds claimants, and the shift by a scheme-specific offset keeps the
claimants of two schemes from being the same persons. Each scheme declares its draw number k (`take_up` of its
`SCHEME` declaration, distinct between schemes); the offsets are multiples k of the golden-ratio fraction
0.618..., which spreads them evenly over (0, 1).
"""

from typing import Any

import numpy as np

from . import kernels

_GOLDEN = 0.6180339887498949


def offset(number: int) -> float:
    """The offset of persistent draw number `number` (a scheme's declared `take_up`, model/schemes/declaration.py):
    number × 0.618... mod 1."""
    return (number * _GOLDEN) % 1.0


def draw(propensity: np.ndarray, offset: float) -> np.ndarray:
    """The scheme's persistent U(0, 1) draw for each row: (propensity + offset) mod 1 (the sum is below 2, so
    subtracting 1 where it reaches 1 is the same, exactly, and cheaper)."""
    shifted = np.asarray(propensity, dtype=np.float64) + offset
    return shifted - (shifted >= 1.0)


def takes_up(propensity: np.ndarray, offset: float, take_up: float) -> np.ndarray:
    """Rows that claim the scheme when a share `take_up` (fraction) of the eligible claim it.

    Same rows as `draw(propensity, offset) < take_up`, computed as an interval test on the propensity itself:
    (p + offset) mod 1 < take_up  <=>  p in [1 - offset, 1 - offset + take_up), wrapping around 1."""
    if take_up >= 1.0:
        return np.ones(propensity.shape, dtype=bool)
    if take_up <= 0.0:
        return np.zeros(propensity.shape, dtype=bool)
    low = 1.0 - offset
    high = low + take_up
    if high <= 1.0:
        return (propensity >= low) & (propensity < high)
    return (propensity >= low) | (propensity < high - 1.0)


def interval(propensity: np.ndarray, offset: float, take_up: float) -> tuple[int, Any, Any]:
    """The test of `takes_up(propensity, offset, take_up)` as (mode, low, high) for the compiled loops of
    model.schemes.kernels: mode is one of kernels.TAKE_*, the bounds are in the propensity's own type, as numpy
    casts a Python float to compare it with a float32 column."""
    kind = propensity.dtype.type
    if take_up >= 1.0:
        return kernels.TAKE_ALL, kind(0.0), kind(0.0)
    if take_up <= 0.0:
        return kernels.TAKE_NONE, kind(0.0), kind(0.0)
    low = 1.0 - offset
    high = low + take_up
    if high <= 1.0:
        return kernels.TAKE_WITHIN, kind(low), kind(high)
    return kernels.TAKE_WRAPPED, kind(low), kind(high - 1.0)
