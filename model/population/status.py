"""Labour statuses of the result contract: one int8 code per person, an index into STATUSES.

"child" is everyone under WORKING_AGE; "civil_servant" includes state employees; "ssf_s39" and "ssf_s40" members
work outside section 33 employment; "retired" left work for a pension or old age and does not return.
"""

import numpy as np

from .persons import Persons

STATUSES: tuple[str, ...] = ("ssf_s33", "ssf_s39", "ssf_s40", "civil_servant", "informal_uninsured", "unemployed",
                             "inactive", "child", "retired")
SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT, INFORMAL, UNEMPLOYED, INACTIVE, CHILD, RETIRED = range(len(STATUSES))
N_STATUSES = len(STATUSES)
WORKING_AGE = 15  # youngest age at which a person may be anything but "child" (years)

EMPLOYED = np.zeros(N_STATUSES, dtype=bool)
EMPLOYED[[SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT, INFORMAL]] = True
"""EMPLOYED[status] is True for the statuses counted as employed (they have a wage)."""

INFORMAL_WORK = np.zeros(N_STATUSES, dtype=bool)
INFORMAL_WORK[[SSF_S40, INFORMAL]] = True
"""Employed statuses without employment-based protection (NSO's informal workers, B2)."""


def in_status(status: np.ndarray, *codes: int) -> np.ndarray:
    """Rows whose status is one of `codes` (chained comparisons on the int8 codes: faster than np.isin or a
    table look-up, which must first widen the codes to indices)."""
    out = status == codes[0]
    for code in codes[1:]:
        out |= status == code
    return out


def status_bits(codes: np.ndarray) -> int:
    """The status codes `codes` (0..63) as the bits of one int, bit s for code s: a set of statuses that compiled
    passes test with one shift and mask."""
    if codes.size and not (0 <= codes.min() and codes.max() < 64):
        raise ValueError(f"status codes must be 0..63 to be held as bits, not {codes.tolist()}")
    return int(sum(1 << int(code) for code in codes))


def status_counts(persons: Persons) -> np.ndarray:
    """Persons by status in STATUSES order (rows × scale)."""
    return np.bincount(persons.status, minlength=N_STATUSES) * persons.scale
