"""Mean-preserving graduation of grouped counts or rates to single years of age.

The cumulative total at the group boundaries is interpolated with a monotone cubic (PCHIP, Fritsch-Carlson)
and differenced at whole ages. Because the cumulative curve passes through every boundary, every group total is
reproduced exactly; because PCHIP keeps a monotone input monotone, no single-age value is negative; and the
result is smooth (continuously differentiable cumulative curve).
"""

import numpy as np
from scipy.interpolate import PchipInterpolator


def graduate(group_totals: np.ndarray, boundaries: np.ndarray) -> np.ndarray:
    """Split group totals into single years.

    `boundaries` has one more element than `group_totals`: group i covers ages boundaries[i] .. boundaries[i+1]-1.
    Returns one value per single age from boundaries[0] to boundaries[-1]-1, summing to each group total.
    """
    totals = np.asarray(group_totals, dtype=float)
    edges = np.asarray(boundaries, dtype=float)
    if totals.ndim != 1 or edges.shape != (totals.size + 1,):
        raise ValueError("boundaries must have exactly one more element than group_totals")
    if np.any(totals < 0):
        raise ValueError("group totals must be non-negative")
    cumulative = np.concatenate([[0.0], np.cumsum(totals)])
    spline = PchipInterpolator(edges, cumulative)
    ages = np.arange(edges[0], edges[-1] + 1)
    single = np.diff(spline(ages))
    single = np.clip(single, 0.0, None)  # guards against -1e-12 rounding noise only
    # Re-impose exact group totals against floating-point drift.
    out = np.empty_like(single)
    for lo, hi, total in zip(edges[:-1].astype(int), edges[1:].astype(int), totals):
        part = single[lo - int(edges[0]) : hi - int(edges[0])]
        s = part.sum()
        out[lo - int(edges[0]) : hi - int(edges[0])] = part * (total / s) if s > 0 else total / part.size
    return out
