"""Persistent take-up: whether a person claims a scheme, stable from year to year.

Every person has a fixed draw `propensity` ~ U(0, 1) (kept as a code: model.population.propensity). A row takes up
scheme X when `(propensity + offset(k)) % 1 < take_up`, so the same persons claim every year while the rate is
unchanged, a higher rate only adds claimants, and the shift by a scheme-specific offset keeps the claimants of two
schemes from being the same persons. Each scheme declares its draw number k (`take_up` of its
`SCHEME` declaration, distinct between schemes); the offsets are multiples k of the golden-ratio fraction
0.618..., which spreads them evenly over (0, 1).
"""

import functools

import numpy as np

from ..population.propensity import CODES, values
from . import kernels

_GOLDEN = 0.6180339887498949


def offset(number: int) -> float:
    """The offset of persistent draw number `number` (a scheme's declared `take_up`, model/schemes/declaration.py):
    number × 0.618... mod 1."""
    return (number * _GOLDEN) % 1.0


def draw(propensity: np.ndarray, offset: float) -> np.ndarray:
    """The scheme's persistent U(0, 1) draw for each row: (propensity + offset) mod 1, the propensity read from its
    code (model.population.propensity.values; the sum is below 2, so subtracting 1 where it reaches 1 is the same,
    exactly, and cheaper)."""
    shifted = values(propensity) + offset
    return shifted - (shifted >= 1.0)


def takes_up(propensity: np.ndarray, offset: float, take_up: float) -> np.ndarray:
    """Rows (of propensity codes) that claim the scheme when a share `take_up` (fraction) of the eligible claim it:
    draw(propensity, offset) < take_up."""
    return draw(propensity, offset) < take_up


def interval(offset: float, take_up: float) -> tuple[int, int, int]:
    """The test of `takes_up(propensity, offset, take_up)` as (mode, low, high) for the compiled loops of
    model.schemes.kernels, mode one of kernels.TAKE_*: the codes that take up are low <= code < high (TAKE_WITHIN)
    or, wrapping around, code >= low or code < high (TAKE_WRAPPED). Found from the test of every code, so that the
    loops pick exactly the rows of `takes_up` (remembered: schemes ask again for the same rates every month)."""
    return _interval(float(offset), float(take_up))


@functools.lru_cache(maxsize=4096)
def _interval(offset: float, take_up: float) -> tuple[int, int, int]:
    """`interval` of Python floats."""
    takes = takes_up(np.arange(CODES), offset, take_up)
    if takes.all():
        return kernels.TAKE_ALL, 0, 0
    if not takes.any():
        return kernels.TAKE_NONE, 0, 0
    if takes[0] and takes[-1]:  # around the end: every code but those of one run of refusals
        refusing = np.flatnonzero(~takes)
        return kernels.TAKE_WRAPPED, int(refusing[-1]) + 1, int(refusing[0])
    taking = np.flatnonzero(takes)
    return kernels.TAKE_WITHIN, int(taking[0]), int(taking[-1]) + 1
