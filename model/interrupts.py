"""Ctrl-C that always stops a command-line run with one line, even when it lands inside numba's machinery.

A SIGINT raises KeyboardInterrupt wherever the interpreter is. When that is inside numba loading a kernel from its
on-disk cache or compiling one (each kernel's first call in a process), numba turns it into a SystemError, or
catches it as a failed cache read and compiles on: the interruption surfaces as another error, or not at all.
Within `caught()`, the handler also notes that an interruption is pending: `check()` (called by the model between
the phases of each year) raises it again if it was swallowed, and `pending()` tells the command line that an error
was the interruption in disguise.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pending = threading.Event()


def _handler(signum: int, frame: object) -> None:
    _pending.set()
    raise KeyboardInterrupt


@contextmanager
def caught() -> Iterator[None]:
    """Within the block, a SIGINT raises KeyboardInterrupt as usual and is remembered as pending until the block
    ends. Outside the main thread (where Python runs no signal handler) the block changes nothing."""
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
