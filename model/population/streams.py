"""Common random numbers: one independent random stream for each stochastic process and year.

A reform that changes one behaviour (who retires, who takes up a benefit) changes how many numbers that process
draws. Were every process to share one Generator, every later draw of every other process would shift, and the
difference between a reform and its baseline would be mostly noise. Each process therefore draws from its own
numpy Generator, seeded from the scenario's seed, the process's NAME and the year (never from a position in a
list, so adding a process leaves the others' draws unchanged), and a process's draws in one year do not shift its
draws in the next.

The processes and what each draws (model.population.*):

- "deaths": who dies, by sex and age (demography.apply_deaths);
- "births": which women give birth, the newborn's sex and infant deaths (demography.apply_births);
- "migration": who emigrates and the rounding of immigrant counts (demography.apply_migration);
- "nationality": the base population's nationality and that of a non-Thai mother's newborn;
- "propensity": each person's take-up propensity (base population, newborns and immigrants);
- "labour": the base population's labour status and each year's status changes (labour);
- "wages": wages of the base population and of persons who change status (wages);
- "civil_service": the civil-service record: officials' kind, salary, service, GPF membership, entry (civil_service);
- "civil_service_exit": whether a retiring official takes the one-off gratuity instead of a pension;
- "histories": contribution records of the base population and the section 40 option of new members (histories);
- "income": each person's income, its yearly shocks and the incomes of newborns and immigrants (income);
- "disability": the base population's disability and each year's incidence (disability);
- "households": the base population's households, mother and partner links, and each year's moves (households);
- "regions": the base population's regions, the regions of new arrivals and each year's internal migration (regions).

Where a process draws for a subset of persons that a reform may change (entrants to a status), each person's draw
is a function of one key from the stream and the person's row number (`row_uniforms`, `row_normals`: counter-based,
as SplitMix64), so that the other persons' draws stay the same. The base population's draws (phase "initial") and each year's (phase "year", keyed by the calendar year whose
1 July state is being advanced) never share a stream.
"""

from zlib import crc32

import numpy as np
from scipy.special import ndtri

from .. import threads
from . import kernels

PROCESSES = ("deaths", "births", "migration", "nationality", "propensity", "labour", "wages", "civil_service",
             "civil_service_exit", "histories", "income", "disability", "households", "regions")
_PHASES = {"initial": 0, "year": 1}


def stream_seed(seed: int, name: str, phase: str, year: int) -> np.random.SeedSequence:
    """The SeedSequence of process `name` in `phase` ("initial" or "year") of calendar `year`: a stable function of
    the seed, the name (its CRC-32) and the year, independent of any other process."""
    return np.random.SeedSequence([int(seed), crc32(name.encode()), _PHASES[phase], int(year)])


class Streams:
    """The random streams of one phase and year: `streams["labour"]` is the labour process's Generator, created on
    first use and continued by later uses in the same phase and year."""

    def __init__(self, seed: int, year: int, phase: str = "year"):
        if phase not in _PHASES:
            raise ValueError(f"phase must be one of {sorted(_PHASES)}, not {phase!r}")
        self.seed, self.year, self.phase = int(seed), int(year), phase
        self._generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in PROCESSES:
            raise KeyError(f"no random stream {name!r}; the processes are {', '.join(PROCESSES)}")
        if name not in self._generators:
            self._generators[name] = np.random.default_rng(stream_seed(self.seed, name, self.phase, self.year))
        return self._generators[name]


class ScenarioStreams:
    """All the random streams of one run, from the scenario's seed: `initial(year)` for the base population and
    `year(year)` for the step from 1 July of `year` to 1 July of `year + 1`."""

    def __init__(self, seed: int):
        self.seed = int(seed)

    def initial(self, year: int) -> Streams:
        """Streams of the base population of 1 July `year`."""
        return Streams(self.seed, year, "initial")

    def year(self, year: int) -> Streams:
        """Streams of the demography and attribute changes from 1 July `year` to 1 July `year + 1`."""
        return Streams(self.seed, year, "year")


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment (2**64 / golden ratio)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def row_bits(rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
    """64 random bits for each of `rows` (row numbers of the person table), counter-based: SplitMix64's output
    number row + 1 of a sequence keyed by one draw from `rng`. A row's bits depend on the key and its own row
    number only, so they do not change with which other rows draw (a reform that changes who enters a status
    leaves the others' draws unchanged), and they cost a few operations per drawing row, not per table row."""
    if rows.dtype == bool:
        raise TypeError("rows are row numbers, not a mask")
    key = rng.integers(0, np.iinfo(np.uint64).max, dtype=np.uint64, endpoint=True)
    z = key + (np.asarray(rows, dtype=np.uint64) + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def row_uniforms(rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
    """Uniform draws on (0, 1) for `rows` of the person table (`row_bits`: a row's draw does not depend on which
    other rows draw). float64 with 53 random bits."""
    if np.asarray(rows).dtype == bool:
        raise TypeError("rows are row numbers, not a mask")
    key = row_key(rng)  # row_bits's key, in one pass
    out = np.empty(np.size(rows), dtype=np.float64)
    flat = np.asarray(rows, dtype=np.int64).ravel()
    threads.for_blocks(lambda _, part: kernels.splitmix_uniforms(key, flat[part], out[part]), flat.size)
    return out.reshape(np.shape(rows))


def row_key(rng: np.random.Generator) -> np.uint64:
    """The key of one `row_uniforms` call, its only draw from `rng`: keyed_uniforms(key, rows) for parts of the
    rows then gives that call's draws part by part."""
    return rng.integers(0, np.iinfo(np.uint64).max, dtype=np.uint64, endpoint=True)


def keyed_uniforms(key: np.uint64, rows: np.ndarray) -> np.ndarray:
    """The uniforms of `row_uniforms` with this `key` for `rows` (row numbers, 1-d), one float64 each."""
    out = np.empty(rows.size, dtype=np.float64)
    kernels.splitmix_uniforms(key, np.asarray(rows, dtype=np.int64), out)
    return out


def row_normals(rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
    """Standard normal draws for `rows` of the person table, the inverse normal distribution function of
    `row_uniforms`. float32."""
    u = row_uniforms(rng, rows)
    out = np.empty(u.size, dtype=np.float32)
    flat = u.ravel()
    threads.for_blocks(lambda _, part: normals_of(flat[part], out[part]), flat.size)
    return out.reshape(np.shape(rows))


def normals_of(u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The standard normal draws (float32, into `out` when given) of `row_normals` from its uniforms `u`."""
    if out is None:
        out = np.empty(u.shape, dtype=np.float32)
    out[...] = ndtri(u)  # in float64, then rounded to float32
    return out
