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


def grouped(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """kernels.group_rows(codes, n_codes), block by block on threads (`model.threads`): each block counts its rows
    of each code, then places them after those of the earlier blocks; integer work, the same whatever the threads."""
    parts = threads.blocks(codes.size)
    counts = np.zeros((len(parts), n_codes), dtype=np.intp)

    def count(i: int, rows: slice) -> None:
        counts[i] = kernels.code_counts(codes[rows], n_codes)

    threads.for_each(count, parts)
    starts = np.zeros(n_codes + 1, dtype=np.intp)
    np.cumsum(counts.sum(axis=0), out=starts[1:])
    position = starts[:-1] + np.cumsum(counts, axis=0) - counts  # [block, code] where the block's rows go
    order = np.empty(codes.size, dtype=np.intp)
    threads.for_each(lambda i, rows: kernels.place_rows(codes[rows], rows.start, position[i], order), parts)
    return order, starts


def _read_only(rows: np.ndarray) -> np.ndarray:
    rows.flags.writeable = False
    return rows


def _by_status(ctx: YearContext) -> tuple[np.ndarray, np.ndarray]:
    status = ctx.persons.status
    if status.size and not (0 <= status.min() and status.max() < N_STATUSES):
        raise ValueError(f"labour status codes must be 0..{N_STATUSES - 1}, not {status.min()}..{status.max()}")
    order, starts = grouped(status, N_STATUSES)
    return _read_only(order), starts


def status_rows(ctx: YearContext, code: int) -> np.ndarray:
    """Rows whose labour status is `code` (model.population.status), ascending: np.flatnonzero(status == code)."""
    order, starts = once(ctx, "rows.by_status", lambda: _by_status(ctx))
    return order[starts[code]:starts[code + 1]]


def flag_rows(ctx: YearContext, column: str) -> np.ndarray:
    """Rows where the boolean column `column` of the population is True, ascending (e.g. the state pensioners)."""
    return once(ctx, f"rows.{column}", lambda: _read_only(np.flatnonzero(getattr(ctx.persons, column))))
