"""The take-up propensity: a fixed U(0, 1) draw per person (model.schemes.takeup), kept as a 16-bit code.

A draw p is kept as the code k = floor(p × CODES), 0 .. CODES − 1, and read back as the middle of its interval,
(k + 0.5) / CODES: 2 bytes a person instead of a float32's 4 (137 MiB at full scale), at a resolution of 1/65,535
(0.0015 percentage points of take-up), far finer than any take-up rate is known. The code UNSET marks rows not
given their attributes yet (newborns and immigrants).
"""

import numpy as np

CODES = 65535  # codes of drawn propensities: 0 .. CODES - 1
UNSET = CODES  # the code of a row without a propensity yet
BLOCK = 1 << 18  # draws made and coded at once (no float64 array of every row)


def encode(p: np.ndarray | float) -> np.ndarray:
    """The codes (uint16) of propensities `p` in [0, 1) (fractions); NaN (no propensity yet) gives UNSET."""
    p = np.asarray(p, dtype=np.float64)
    code = np.clip(np.floor(p * CODES), 0, CODES - 1)
    return np.where(np.isnan(p), UNSET, code).astype(np.uint16)


def values(codes: np.ndarray) -> np.ndarray:
    """The propensities (float64, fractions) that `codes` stand for: the middle of each code's interval."""
    return (np.asarray(codes, dtype=np.float64) + 0.5) / CODES


def draw(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` fresh propensities, coded: float32 uniforms of `rng` (rng.random(n, dtype=np.float32), made by blocks)."""
    out = np.empty(n, dtype=np.uint16)
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        out[start:stop] = encode(rng.random(stop - start, dtype=np.float32))
    return out
