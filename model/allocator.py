"""Memory-allocator settings for the many large, short-lived numpy temporaries of a yearly step.

By default glibc's malloc serves blocks above a threshold (128 KiB at first) with fresh pages from the
operating system and gives freed memory back soon, so each temporary column (1-6 MB at scale 100) starts on
cold memory. Keeping blocks up to 32 MiB on the heap, and up to 256 MiB of freed heap in the process, makes the
scheme rules about a third faster (benchmarks/RESULTS.md). Only the glibc allocator is tuned; elsewhere
(macOS, musl) nothing changes.
"""

import ctypes
import functools

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt parameter numbers (malloc.h)
MMAP_THRESHOLD = 32 * 2**20  # bytes: the largest glibc accepts on 64-bit systems; larger blocks are still mapped
TRIM_THRESHOLD = 256 * 2**20  # bytes of free heap kept before memory is returned to the operating system


@functools.cache
def keep_temporaries_on_heap() -> bool:
    """Apply the settings once per process; False where the C library is not glibc."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
