"""Memory-allocator settings for the many large, short-lived numpy temporaries of a yearly step.

By default glibc's malloc serves blocks above a threshold (128 KiB at first, 32 MiB at most) with fresh pages from
the operating system and gives them back when freed, so each temporary column (1-6 MB at scale 100, 70-600 MB at
scale 1) starts on cold memory: the kernel zeroes every page again, which at full scale was a third of the run's
time (system time). Here every block comes from the heap, threads included (one arena), and up to 2 GiB of freed
heap is kept in the process, so a temporary reuses the memory of the one before it (`one_arena` is set when `model`
is imported, before numpy). numpy's request for huge pages
on large arrays is turned off: with memory reused it gains nothing, and the kernel's work to assemble huge pages
cost more system time than it saved (benchmarks/RESULTS.md, "Full scale (scale 1)"). The peak memory (maximum
resident set) stays that of the largest set of arrays alive at once. Only the glibc allocator is tuned; elsewhere
(macOS, musl) malloc is left alone.
"""

import ctypes
import functools

M_TRIM_THRESHOLD, M_MMAP_MAX, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -4, -3, -8  # mallopt parameter numbers (malloc.h)
MMAP_THRESHOLD = 32 * 2**20  # bytes: the largest glibc accepts on 64-bit systems (in case mapping is allowed again)
TRIM_THRESHOLD = 2**31 - 1  # bytes of free heap kept before memory is returned to the system (2 GiB: a C int)
ARENAS = 1  # one heap for all threads: a thread's own arena would map its large blocks afresh


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """The C library when it is glibc (with mallopt and malloc_trim), else None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # glibc's
    except (OSError, AttributeError):
        return None
    return libc


@functools.cache
def one_arena() -> bool:
    """Make every thread allocate from the one heap (ARENAS); False where the C library is not glibc. Called when
    `model` is imported, before numpy: glibc settles the number of heaps at a thread's first allocation, and a
    heap of a thread that numpy's linear algebra starts at import would otherwise serve the model's threads, whose
    large blocks it can only map afresh each time (a quarter more peak memory at full scale on two threads, and
    page faults). Importing numpy before `model` leaves that risk (benchmarks/RESULTS.md)."""
    libc = _libc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, ARENAS))


@functools.cache
def keep_temporaries_on_heap() -> bool:
    """Apply the settings once per process (before the model's threads first allocate); False where the C library
    is not glibc."""
    _no_huge_pages()
    libc = _libc()
    if libc is None:
        return False
    settings = ((M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_MMAP_MAX, 0))
    return all([bool(libc.mallopt(parameter, value)) for parameter, value in settings] + [one_arena()])


def release_free_memory() -> None:
    """Give the pages of the heap's free blocks back to the operating system (glibc's malloc_trim), so that memory
    freed in one phase of a step does not stay resident beside the next phase's arrays (peak memory); the next
    temporaries fault their pages in again, once per step instead of once per temporary."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _no_huge_pages() -> None:
    """Stop numpy from asking the kernel for transparent huge pages on large arrays (numpy's private switch, where it
    exists; the environment variable NUMPY_MADVISE_HUGEPAGE=0 does the same at import)."""
    import numpy as np  # here: the module is imported before numpy (`one_arena`)

    switch = getattr(getattr(np, "_core", None), "multiarray", None)
    switch = getattr(switch, "_set_madvise_hugepage", None)
    if switch is not None:
        switch(False)
