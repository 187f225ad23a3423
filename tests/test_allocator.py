"""The allocator settings (model.allocator): applied where the C library is glibc, numpy's huge-page requests off,
heap pages returned on request without touching live arrays, and one heap for every thread."""

import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from model import allocator

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
ROOT = Path(__file__).resolve().parents[1]


def test_settings_apply_where_the_c_library_is_glibc_and_huge_page_requests_are_off():
    assert allocator.keep_temporaries_on_heap() is GLIBC
    switch = np._core.multiarray._set_madvise_hugepage
    previous = switch(False)  # returns the setting in force
    assert previous is False


def test_released_memory_keeps_live_arrays_intact():
    allocator.keep_temporaries_on_heap()
    kept = np.arange(3_000_000, dtype=np.int64)
    for _ in range(3):
        freed = np.ones(5_000_000)  # 40 MB: above glibc's largest mapping threshold, now on the heap
        del freed
    allocator.release_free_memory()
    assert kept.sum() == 3_000_000 * 2_999_999 // 2
    assert np.array_equal(np.zeros(5_000_000)[::999_999], np.zeros(6))


_POOL_BLOCKS = """
import sys
if sys.argv[1] == "thread-first":  # a thread that allocated before `model` was imported has a heap of its own
    import threading
    started = threading.Thread(target=lambda: bytearray(1 << 20))
    started.start()
    started.join()
import ctypes
from concurrent.futures import ThreadPoolExecutor
from model import allocator
import numpy as np

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                              "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
allocator.keep_temporaries_on_heap()

def block(_):
    a = np.ones(20_000_000)  # 160 MB from a pool thread
    return float(a[::1000].sum()), libc.mallinfo2().hblkhd

with ThreadPoolExecutor(2) as pool:
    print(max(mapped for _, mapped in pool.map(block, range(4))) // 2**20)
"""


@pytest.mark.skipif(not GLIBC, reason="the heap settings apply to glibc only")
def test_threads_large_blocks_come_from_the_one_heap_when_model_is_imported_first():
    """Imported before any thread allocates, `model` leaves one heap for every thread, so a pool thread's large
    block is not a fresh mapping (mallinfo2's mapped bytes stay at glibc's few); a thread that allocated first
    keeps a heap of its own that pool threads may be given, whose large blocks are mapped afresh."""
    mapped = {}
    for order in ("model-first", "thread-first"):
        done = subprocess.run([sys.executable, "-c", _POOL_BLOCKS, order], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        mapped[order] = int(done.stdout.split()[-1])
    assert mapped["model-first"] < 16 and mapped["thread-first"] > 100, mapped
