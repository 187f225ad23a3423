"""Work on fixed blocks of rows spread over threads.

numpy releases the GIL in its random fills and most element-wise loops, and the compiled kernels (numba, nogil) in
all of theirs, so blocks of a large array can be worked on by several threads at once. The blocks are fixed by row
number (BLOCK rows each), never by the number of threads, and each block draws from its own random stream, so
results are the same whatever the number of threads. Work done by blocks is per row (each row's output depends only
on its own inputs and small tables) or integer counts per block added afterwards; float sums over rows are never
split over blocks, as that would change their order.

The number of threads is the environment variable MODEL_THREADS if set (1 works serially), otherwise the number of
CPUs this process may use, at most 8.
"""

import itertools
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from .errors import ModelInputError

T = TypeVar("T")
_PREFIX = "model-block"  # names of the threads that work on blocks
_TASKS = "model-task"  # names of the threads that run tasks in dependency order
_BACKGROUND = "model-background"  # the name of the thread that runs work nothing waits for yet

BLOCK = 1 << 17  # rows per block: large enough that a thread's work outweighs handing it over


def thread_count() -> int:
    """Threads used for block work: MODEL_THREADS, or the CPUs available to this process (at most 8)."""
    value = os.environ.get("MODEL_THREADS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ModelInputError(f"MODEL_THREADS must be a whole number of at least 1, not {value!r}")
        return int(value)
    return max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


@cache
def _executor(threads: int, prefix: str = _PREFIX) -> ThreadPoolExecutor:
    """The pool of `threads` threads named `prefix`: one for blocks of rows (whose work never waits for other
    work), one for the tasks of `in_dependency_order` (which may wait for blocks), so that no wait can deadlock."""
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix=prefix)


def blocks(n: int) -> list[slice]:
    """Slices of rows 0..n-1 of BLOCK rows each (the last may be shorter)."""
    return [slice(start, min(start + BLOCK, n)) for start in range(0, n, BLOCK)]


def ranges(n: int) -> list[slice]:
    """One contiguous range of rows 0..n-1 a thread (`thread_count()` of them, none empty but for n = 0), for work
    whose result is the same however the rows are cut, such as whole-number counts added afterwards: fewer and
    larger parts than `blocks` where each part has a table of its own to add."""
    k = max(1, min(thread_count(), n))
    return [slice(n * i // k, n * (i + 1) // k) for i in range(k)]


def for_blocks(work: Callable[[int, slice], None], n: int) -> None:
    """Call work(i, block) for each block i of rows 0..n-1, on several threads when there are several blocks;
    `work` must write only to its own block's rows."""
    for_each(work, blocks(n))


def for_each(work: Callable[[int, T], None], items: Sequence[T]) -> None:
    """Call work(i, item) for each item i of `items` (e.g. fixed blocks of rows), on several threads when there are
    several items; each call must write only to what belongs to its own item, so that the result is the same
    whatever the number of threads. The calling thread and threads - 1 of the pool's take the next item in turn
    until none is left: one hand-over per thread, not per item. Called from a pool thread (items within an item),
    it runs serially: that thread waiting for the pool's other threads could otherwise leave none free to work."""
    threads = min(thread_count(), len(items))
    if threads <= 1 or threading.current_thread().name.startswith(_PREFIX):
        for i, item in enumerate(items):
            work(i, item)
        return
    take = itertools.count().__next__  # one call under the GIL: each item is taken once

    def drain() -> None:
        while (i := take()) < len(items):
            work(i, items[i])

    helpers = [_executor(threads - 1).submit(drain) for _ in range(threads - 1)]
    try:
        drain()
    finally:
        for helper in helpers:
            helper.result()  # waits for the items the helpers took; re-raises an item's exception here


def in_background(work: Callable[[], T]) -> Future:
    """Start work() on a thread of its own (one such thread, taking work in the order given) and return its
    Future (whose result is work's value), for the caller to wait on before it reads what the work writes; with
    one thread (MODEL_THREADS=1), do the work now. Work may wait for background work given before it, never for
    work given after it (it would wait for itself)."""
    if thread_count() <= 1:
        future: Future = Future()
        try:
            value = work()
        except Exception as error:
            future.set_exception(error)
        else:
            future.set_result(value)
        return future
    return _executor(1, _BACKGROUND).submit(work)


def in_dependency_order(names: Sequence[str], depends_on: Mapping[str, Sequence[str]],
                        work: Callable[[str], None]) -> None:
    """Call work(name) for every name, each after the names it depends on, on several threads when there are
    several. `names` must be in an order where every name comes after its dependencies (a topological order): the
    pool starts tasks in that order, so a task that waits for its dependencies never blocks one they wait for."""
    threads = min(thread_count(), len(names))
    if threads <= 1:
        for name in names:
            work(name)
        return
    futures: dict[str, Future] = {}

    def task(name: str) -> None:
        for dependency in depends_on.get(name, ()):
            futures[dependency].result()
        work(name)

    for name in names:
        futures[name] = _executor(threads, _TASKS).submit(task, name)
    for future in futures.values():
        future.result()
