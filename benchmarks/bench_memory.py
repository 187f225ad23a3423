"""Peak memory by phase of a baseline run: the set-up, then each phase of each year (record, indicators, schemes,
demography, people), with the resident set at its start, its peak within the phase and at its end (MiB), the
minor page faults and processor time it took, and glibc's heap (arena size and the bytes in use at the end).

The peak of a phase is the kernel's high-water mark of the resident set (VmHWM), reset at the phase's start
(/proc/self/clear_refs), so each line says which phase set the run's peak. Linux only.

Usage: python benchmarks/bench_memory.py [--scale 10] [--years 2] [--threads N]
"""

import argparse
import ctypes
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

MiB = 2**20


class _HeapInfo(ctypes.Structure):
    """glibc's struct mallinfo2 (malloc.h)."""

    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]


def _resident() -> tuple[float, float]:
    """(resident set, its high-water mark since the last reset), MiB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def _reset_peak() -> None:
    """Start the high-water mark of the resident set afresh (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="persons per row (1: all of Thailand)")
    parser.add_argument("--years", type=int, default=2, help="years stepped after the set-up")
    parser.add_argument("--threads", type=int, help="MODEL_THREADS for the run (default: the model's)")
    args = parser.parse_args()
    if args.threads:
        os.environ["MODEL_THREADS"] = str(args.threads)

    from model.api import resolve  # imported first: it sets the allocator (model.allocator)
    from model.population.rates import load_inputs
    from model.simulation import SocialSecurityModel

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _HeapInfo
    load_inputs()

    @contextmanager
    def measured(phase: str) -> Iterator[None]:
        _reset_peak()
        start, _ = _resident()
        cpu, faults = time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        yield
        end, peak = _resident()
        heap = libc.mallinfo2()
        print(f"| {phase} | {start:,.0f} | {peak:,.0f} | {end:,.0f} | "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults:,} | {time.process_time() - cpu:.2f} | "
              f"{heap.arena / MiB:,.0f} / {heap.uordblks / MiB:,.0f} |", flush=True)

    timed = SocialSecurityModel.timed

    @contextmanager
    def timed_and_measured(self: SocialSecurityModel, phase: str) -> Iterator[None]:
        with timed(self, phase), measured(f"{self.year - 1} {phase}"):
            yield

    SocialSecurityModel.timed = timed_and_measured
    print(f"# scale {args.scale:g}, {args.years} years, MODEL_THREADS {os.environ.get('MODEL_THREADS', 'default')}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print("| phase | RSS at start MiB | peak MiB | at end MiB | minor faults | CPU s | heap arena / in use MiB |")
    print("|---|---|---|---|---|---|---|")
    with measured("set-up"):
        model = SocialSecurityModel(resolve("baseline", scale=args.scale))
    for _ in range(args.years):
        model.step()
    print(f"peak of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
