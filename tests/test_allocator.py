"""The allocator settings (model.allocator): applied where the C library is glibc, numpy's huge-page requests off,
and heap pages returned on request without touching live arrays."""

import platform

import numpy as np

from model import allocator

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


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
