"""Ctrl-C that always stops a command-line run with one line, even when it lands inside numba's machinery.

A SIGINT raises KeyboardInterrupt wherever the interpreter is. When that is inside numba loading a kernel from its
on-disk cache or compiling one (each kernel's first call in a process), numba turns it into a SystemError, or
catches it as a failed cache read and compiles on: the interruption surfaces as another error, or not at all.
Within `caught()`, the handler notes that an interruption is pending and raises it at once unless it lands in
numba's or llvmlite's own code (DEFERRED_IN): `check()` (called by the model between the phases of each year) raises
it then, and `pending()` tells the command line that an error was the interruption in disguise.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pending = threading.Event()


DEFERRED_IN = ("/numba/", "/llvmlite/")
"""Where a SIGINT is only noted, for `check()` to raise: numba's and llvmlite's Python code, which turns a
KeyboardInterrupt into another error, swallows it, or (in a destructor) prints it as an ignored exception."""


def _handler(signum: int, frame: object) -> None:
    _pending.set()
    filename = getattr(getattr(frame, "f_code", None), "co_filename", "").replace("\\", "/")
    if not any(part in filename for part in DEFERRED_IN):
        raise KeyboardInterrupt


@contextmanager
def caught() -> Iterator[None]:
    """Within the block, a SIGINT raises KeyboardInterrupt as usual (but inside numba's and llvmlite's code, where it
    is only noted) and is remembered as pending until the block ends. Outside the main thread (where Python runs no
    signal handler) the block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pending.clear()
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _pending.clear()


def pending() -> bool:
    """Whether a SIGINT arrived within `caught()`."""
    return _pending.is_set()


def check() -> None:
    """Raise KeyboardInterrupt if a SIGINT arrived within `caught()` (again, if something swallowed it)."""
    if _pending.is_set():
        raise KeyboardInterrupt
