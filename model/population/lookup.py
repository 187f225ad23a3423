"""Look-ups shared by the attribute modules: parameter values in force, age bands, nationality-sex-age cells."""

from collections.abc import Iterator

import numpy as np

from ..parameters import ParameterTree
from .axes import MAX_AGE, N_AGES
from .persons import Persons

N_CELLS = 2 * 2 * N_AGES  # nationality (0 non-Thai, 1 Thai) × sex × single age
CHUNK = 1 << 22  # rows per batch where a whole-population draw would need large temporaries (scale 1)
BATCH = 1 << 16  # rows per batch of per-row work whose temporaries should stay in the CPU's cache


def param(params: ParameterTree, path: str, year: int) -> float:
    """The numeric value of `path` in force on 1 July of `year` (`ParameterTree.mid_year`, as a float)."""
    return float(params.mid_year(path, year))


def band_ages(band: str) -> np.ndarray:
    """Single ages of an age band named like a target suffix: '25_29' → 25..29, '65_plus' → 65..100."""
    lo, hi = band.split("_")
    return np.arange(int(lo), MAX_AGE + 1 if hi == "plus" else int(hi) + 1)


def cells(persons: Persons) -> np.ndarray:
    """Each row's cell thai × 2 × N_AGES + sex × N_AGES + age, an index into a raveled [thai, sex, age] array.

    int16, computed from the narrow columns: a quarter of the memory traffic of intp arithmetic.
    """
    out = persons.thai.astype(np.int16)
    out *= 2
    out += persons.sex
    out *= N_AGES
    out += persons.age
    return out


def counts_by_cell(persons: Persons) -> np.ndarray:
    """[thai, sex, age] rows (not persons) of the table."""
    return np.bincount(cells(persons), minlength=N_CELLS).reshape(2, 2, N_AGES).astype(float)


def chunks(n: int) -> Iterator[np.ndarray]:
    """Row indices 0..n-1 in batches of at most CHUNK."""
    for start in range(0, n, CHUNK):
        yield np.arange(start, min(start + CHUNK, n))


def batches(n: int, size: int = BATCH) -> Iterator[slice]:
    """Slices of rows 0..n-1 of at most `size` rows. With BATCH, per-row temporaries of a few hundred kB stay in
    the CPU's cache and on the heap, where whole-population ones would be fresh pages from the system each time."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))
