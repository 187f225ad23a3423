"""Single-age period life tables: life expectancy at birth from central death rates m(x).

Single-year intervals with deaths at mid-interval (a(x) = 0.5) except at age 0, where a(0) follows
Andreev and Kingkade (2015, Demographic Research 33:363), and the open 100+ group, where L(100) = l(100)/m(100).
"""

import numpy as np

from .axes import FEMALE, MALE

# Andreev-Kingkade a0 segments: (upper m0 bound of segment, intercept, slope) by sex; last segment constant.
_A0_RULES = {
    MALE: ((0.02300, 0.14929, -1.99545), (0.08307, 0.02832, 3.26201), (np.inf, 0.29915, 0.0)),
    FEMALE: ((0.01724, 0.14903, -2.05527), (0.06891, 0.04667, 3.88089), (np.inf, 0.31411, 0.0)),
}


def infant_separation_factor(m0: float, sex: int) -> float:
    """Average fraction of the first year lived by infants who die (a0), from the infant death rate m0."""
    for bound, intercept, slope in _A0_RULES[sex]:
        if m0 < bound:
            return intercept + slope * m0
    raise AssertionError("unreachable")


def life_expectancy_at_birth(mx: np.ndarray, sex: int) -> float:
    """Life expectancy at birth (years) of a period life table with single-age rates m(0..100+), 100 open."""
    mx = np.asarray(mx, dtype=float)
    ax = np.full(mx.size, 0.5)
    ax[0] = infant_separation_factor(mx[0], sex)
    qx = mx / (1.0 + (1.0 - ax) * mx)
    qx[-1] = 1.0
    lx = np.concatenate([[1.0], np.cumprod(1.0 - qx[:-1])])
    dx = lx * qx
    Lx = lx - (1.0 - ax) * dx
    Lx[-1] = lx[-1] / mx[-1]
    return float(Lx.sum())
