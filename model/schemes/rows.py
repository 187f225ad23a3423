"""Row lists the schemes share within a year, each computed once from the population of 1 July.

Several schemes start from the same rows (the section 33 insured, the state pensioners, the unemployed, ...).
Finding them is a pass over the whole population each time; here it is done once a year, kept in the year's
`YearContext.shared`, and every scheme then tests only its candidate rows. All lists are row indices in ascending
order, exactly what np.flatnonzero of the same test gives, and read-only (a view shared between schemes).

The population's status, age and the other attributes read here do not change within a year (the schemes' `advance`
writes only their claim columns), so a list computed before or after `advance` is the same.
"""

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import threads
from ..compiled import true_rows
from ..population.status import N_STATUSES
from . import kernels
from .base import YearContext

_LOCK = threading.RLock()  # one computation of each shared value, whichever thread asks first


def once(ctx: YearContext, key: str, make: Callable[[], Any]) -> Any:
    """`ctx.shared[key]`, computed by `make()` the first time it is asked for in the year (under a lock, so two
    schemes on different threads get the same object, computed once)."""
    found = ctx.shared.get(key)
    if found is None:
        with _LOCK:
            found = ctx.shared.get(key)
            if found is None:
                found = ctx.shared[key] = make()
    return found


def mask_by_blocks(kernel: Callable[..., np.ndarray], n: int, *args: Any) -> np.ndarray:
    """[n rows] the bool mask kernel(*args) of a compiled per-row mask kernel, computed block by block on threads
    (`model.threads`); every one-dimensional array among `args` must be a column of the n rows (sliced by block),
    the others scalars or small tuples. Each row's value depends only on its own columns: the same whatever the
    threads."""
    out = np.empty(n, dtype=np.bool_)

    def work(_: int, rows: slice) -> None:
        out[rows] = kernel(*_block(args, rows))

    threads.for_blocks(work, n)
    return out


def _block(args: tuple, rows: slice) -> list:
    """`args` with each column (a one-dimensional array) cut to the block `rows`."""
    return [a[rows] if isinstance(a, np.ndarray) and a.ndim == 1 else a for a in args]


def rows_by_blocks(kernel: Callable[..., np.ndarray], n: int, *args: Any) -> np.ndarray:
    """The rows (ascending, int32) where `mask_by_blocks(kernel, n, *args)` is true, found block by block on threads:
    np.flatnonzero of the mask."""
    parts = threads.blocks(n)
    found: list[np.ndarray] = [np.zeros(0, dtype=np.int32)] * len(parts)

    def work(i: int, rows: slice) -> None:
        picked = true_rows(kernel(*_block(args, rows)))
        found[i] = picked + np.int32(rows.start) if rows.start else picked

    threads.for_each(work, parts)
    return found[0] if len(found) == 1 else np.concatenate(found) if found else np.zeros(0, dtype=np.int32)


def count_by_blocks(kernel: Callable[..., int], n: int, *args: Any) -> int:
    """The sum over blocks of the rows of the count kernel(*args) of a compiled per-row count kernel (the rows of its
    block meeting a test, counted without a mask), counted block by block on threads (`args` as in
    `mask_by_blocks`)."""
    parts = threads.blocks(n)
    counts = [0] * len(parts)

    def work(i: int, rows: slice) -> None:
        counts[i] = int(kernel(*_block(args, rows)))

    threads.for_each(work, parts)
    return sum(counts)


def by_row_blocks(kernel: Callable[..., None], column: np.ndarray, rows: np.ndarray, *args: Any,
                  dtype: type = np.float64) -> np.ndarray:
    """The array [rows] (float64, or `dtype`) that the compiled kernel(column, rows, *args, out) fills with one value
    per entry of `rows` that depends only on that row, filled over blocks of `rows` on threads."""
    out = np.empty(rows.size, dtype=dtype)

    def work(_: int, part: slice) -> None:
        kernel(column, rows[part], *args, out[part])

    threads.for_blocks(work, rows.size)
    return out


def like(value: Any, column: np.ndarray) -> Any:
    """`value` in the integer type of `column` when it is a whole number (not a bool) that type holds, else `value`
    as it is: a compiled rule comparing the column with it then compares in the column's own width (an int16 age
    against an int16 60, not an int64: four times as many rows a vector instruction), with the same results."""
    kind = column.dtype
    if kind.kind in "iu" and isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        bounds = np.iinfo(kind)
        if bounds.min <= value <= bounds.max:
            return kind.type(value)
    return value


def read_only(rows: np.ndarray) -> np.ndarray:
    """`rows` made read-only (a value shared between readers of the year), returned."""
    rows.flags.writeable = False
    return rows


def status_rows(ctx: YearContext, code: int, shared: bool = True) -> np.ndarray:
    """Rows whose labour status is `code` (model.population.status), ascending: np.flatnonzero(status == code), int32.
    Each status asked for has its own list (the schemes ask for a few small ones), not a grouping of every row;
    `shared`: kept for the year's other readers (False: the caller is its only reader, and the list is freed with
    the caller's last reference, not held to the end of the schemes: peak memory)."""
    key = f"rows.status.{code}"
    if not shared and key not in ctx.shared:
        return read_only(_status_rows(ctx, code))
    return once(ctx, key, lambda: read_only(_status_rows(ctx, code)))


def _status_rows(ctx: YearContext, code: int) -> np.ndarray:
    if not 0 <= code < N_STATUSES:
        raise ValueError(f"labour status codes must be 0..{N_STATUSES - 1}, not {code}")
    return rows_by_blocks(kernels.code_is, len(ctx.persons), ctx.persons.status, like(code, ctx.persons.status))


def flag_rows(ctx: YearContext, flag: str) -> np.ndarray:
    """Rows whose civil-service record has the flag `flag` set (a bool field of CS_FIELDS), ascending, int32 (e.g.
    the state pensioners); found among the records, not over the whole population, and sorted as int32 (twice as
    fast as `Records.rows_where`'s intp)."""
    cs = ctx.persons.cs

    def make() -> np.ndarray:
        rows = cs.rows_of(getattr(cs, flag))  # a new array: sorted in place
        rows.sort()
        return read_only(rows)

    return once(ctx, f"rows.{flag}", make)
