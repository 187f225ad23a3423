"""Look-ups shared by the attribute modules: parameter values in force, age bands, nationality-sex-age cells."""

from collections.abc import Iterator

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import kernels
from .axes import MAX_AGE, N_AGES
from .persons import Persons, bincount

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


def cells(persons: Persons, rows: slice = slice(None)) -> np.ndarray:
    """Each row's cell (of the block `rows`) thai × 2 × N_AGES + sex × N_AGES + age, an index into a raveled
    [thai, sex, age] array.

    int16, computed from the narrow columns: a quarter of the memory traffic of intp arithmetic.
    """
    out = persons.thai[rows].astype(np.int16)
    out *= 2
    out += persons.sex[rows]
    out *= N_AGES
    out += persons.age[rows]
    return out


def counts_by_cell(persons: Persons) -> np.ndarray:
    """[thai, sex, age] rows (not persons) of the table."""
    return cell_counts(persons).reshape(2, 2, N_AGES).astype(float)


def cell_counts(persons: Persons) -> np.ndarray:
    """[cell] rows in each of `cells`' cells (np.bincount(cells(persons), minlength=N_CELLS)), the cells made and
    counted block by block: no whole-length int16 cells or their intp copy."""
    n = len(persons)
    counts = np.zeros(N_CELLS, dtype=np.intp)
    for start in range(0, n, CHUNK):
        counts += bincount(cells(persons, slice(start, min(start + CHUNK, n))), N_CELLS)
    return counts


def chunks(n: int) -> Iterator[np.ndarray]:
    """Row indices 0..n-1 in batches of at most CHUNK."""
    for start in range(0, n, CHUNK):
        yield np.arange(start, min(start + CHUNK, n))


def batches(n: int, size: int = BATCH) -> Iterator[slice]:
    """Slices of rows 0..n-1 of at most `size` rows. With BATCH, per-row temporaries of a few hundred kB stay in
    the CPU's cache and on the heap, where whole-population ones would be fresh pages from the system each time."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def grouped(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """(order, starts): order[starts[c]:starts[c + 1]] are the rows whose code is c (0..n_codes-1), ascending, i.e.
    np.flatnonzero(codes == c) as int32 (while rows fit 32 bits): a stable counting sort, block by block on
    threads (`model.threads`). Each block counts its rows of each code, then places them after those of the
    earlier blocks; integer work, the same whatever the threads."""
    parts = threads.blocks(codes.size)
    counts = np.zeros((len(parts), n_codes), dtype=np.intp)

    def count(i: int, rows: slice) -> None:
        counts[i] = kernels.code_counts(codes[rows], n_codes)

    threads.for_each(count, parts)
    starts = np.zeros(n_codes + 1, dtype=np.intp)
    np.cumsum(counts.sum(axis=0), out=starts[1:])
    position = starts[:-1] + np.cumsum(counts, axis=0) - counts  # [block, code] where the block's rows go
    order = np.empty(codes.size, dtype=np.int32 if codes.size < 2**31 else np.intp)  # half intp's memory
    threads.for_each(lambda i, rows: kernels.place_rows(codes[rows], rows.start, position[i], order), parts)
    return order, starts
