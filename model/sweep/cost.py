"""What a sweep will cost before it starts: runs, CPU and wall time, and disk, with the limits above which it
needs `--yes` (or a `max_runs` field in the sweep file).

Time per run from the benchmark figures in benchmarks/RESULTS.md (one run on a worker: 0.62 s at scale 1000 for
2023-2037; set-up about 3.2 million rows a second, stepping 3.5-6 million row-years a second): a fixed 0.3 s
(imports are paid once per worker; this is scenario validation, the fiscal layer and writing the file) plus the
set-up of the rows plus the stepping of rows times years. The estimate errs on the long side at fine scales.
Disk per run from the size of run files (NetCDF3: about 21 KB a projected year, 327 KB for 2023-2037).
"""

from dataclasses import dataclass

from ..errors import ModelInputError
from ..population.axes import BASE_YEAR

FULL_POPULATION_ROWS = 71_702_435  # rows of the base population at scale 1 (persons per row)
SECONDS_PER_RUN = 0.3
SETUP_ROWS_PER_SECOND = 3.2e6
ROW_YEARS_PER_SECOND = 5.0e6
BYTES_PER_RUN = 4_000
BYTES_PER_YEAR = 21_500
MAX_RUNS = 2_000  # runs started without --yes or max_runs
MAX_HOURS = 6.0  # estimated wall hours started without --yes or max_runs


@dataclass(frozen=True)
class Cost:
    """The estimate for `runs` runs on `workers` worker processes (None: the size of a cluster is unknown)."""

    runs: int
    seconds_per_run: float
    bytes_per_run: float
    workers: int | None

    @property
    def cpu_hours(self) -> float:
        """Hours of one CPU for all the runs."""
        return self.runs * self.seconds_per_run / 3600

    @property
    def wall_hours(self) -> float:
        """Wall hours on the workers (CPU hours for a cluster of unknown size)."""
        return self.cpu_hours / (self.workers or 1)

    @property
    def disk_bytes(self) -> float:
        """Bytes of the run files (the merged results.nc holds outputs only and is far smaller)."""
        return self.runs * self.bytes_per_run

    def describe(self) -> str:
        """E.g. '2,000 runs: about 20 min of CPU time (10 min on 2 workers) and 650 MB of disk'."""
        time = f"about {duration(self.cpu_hours)} of CPU time"
        if self.workers and self.workers > 1:
            time += f" ({duration(self.wall_hours)} on {self.workers} workers)"
        return f"{self.runs:,} runs: {time} and {size(self.disk_bytes)} of disk"


def duration(hours: float) -> str:
    """Hours as '40 s', '12 min' or '3.5 h'."""
    seconds = hours * 3600
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{hours:.1f} h"


def size(n_bytes: float) -> str:
    """Bytes as '650 kB', '12 MB' or '32 GB' (powers of 1000)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}" if n_bytes < 10 * scale else f"{n_bytes / scale:,.0f} {unit}"
    return f"{n_bytes / 1e3:,.0f} kB"


def estimate(runs: int, scale: float, end_year: int, workers: int | None) -> Cost:
    """The cost of `runs` runs at `scale` persons per row from the base year to `end_year`."""
    rows = FULL_POPULATION_ROWS / scale
    years = end_year - BASE_YEAR + 1
    seconds = SECONDS_PER_RUN + rows / SETUP_ROWS_PER_SECOND + rows * years / ROW_YEARS_PER_SECOND
    return Cost(runs, seconds, BYTES_PER_RUN + BYTES_PER_YEAR * years, workers)


def check(cost: Cost, max_runs: int | None, yes: bool, source: str) -> None:
    """Refuse a sweep above the limits unless `yes`; a sweep file's `max_runs` replaces both default limits
    (the runs must not exceed it, however long they take)."""
    if yes:
        return
    if max_runs is not None:
        if cost.runs > max_runs:
            raise ModelInputError(f"{source}: {cost.describe()}; that is more than its max_runs of {max_runs:,} "
                                  "(raise max_runs, or give --yes)")
        return
    if cost.runs > MAX_RUNS or cost.wall_hours > MAX_HOURS:
        raise ModelInputError(f"{source}: {cost.describe()}; above the limit of {MAX_RUNS:,} runs or "
                              f"{MAX_HOURS:g} hours without confirmation: give --yes, or set max_runs in the "
                              "sweep file")
