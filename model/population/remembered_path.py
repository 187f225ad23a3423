"""The population path of a current-law run, remembered so that reforms of what the schemes pay replay it.

A run's population on 1 July of each year depends on its seed, scale, base year, demographic inputs, macro
path (the series the agent model reads: not the fiscal layer's own, model.fiscal.macro.FISCAL_ONLY_OVERRIDES)
and on the parameters its yearly state changes read: the set-up, the schemes' claims (`initialise` and
`advance`: SSF and civil-service pension awards), the demography and the people's attributes. It does not depend
on what the schemes compute from it (amounts, take-up, contributions), which only read it. A reform that changes
only such parameters (an allowance's amount, an income test, a new grant) therefore has the same population path
as current law, year by year, and need not age its own population again.

A process that asks for it (`remember_paths`: the app, sweep workers, solvers) remembers the path of each
current-law run it makes: a copy of the population of 1 July of every year, what the demography recorded each
year, and every parameter value the state changes read (`RecordingTree`, as the remembered base populations do). A
later run whose inputs are the same and whose parameters give the same values for every one of those reads replays
the path: its schemes and indicators run on each year's remembered population, its demography and people phases
are not run, and its results are bit for bit those of a run that ages its own population
(tests/test_remembered_path.py). Any other run ages its own. The replaying run's population of a year shares the
remembered columns (the schemes and indicators only read them; the tests check that no replay writes into them)
and has its own claims' records and record indices, which the schemes' yearly claims write. A table the schemes
keep from one year to the next (the health schemes' base-year profile) is carried from the replaying run's own
previous year, not taken from the path.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from ..remembered import Remembered
from .base_year import Read, RecordingTree, clone, nbytes, read_values
from .persons import INDEX_COLUMNS, Persons
from .rates import load_inputs
from .synthesis import RoundingReport
from .targets import default_targets

MAX_PATH_BYTES = 1 << 30  # a path holding more (finer than about 100 persons a row for 2023-2037) is not kept
REMEMBERED_PATHS = 1  # paths kept per process (a new one replaces the one before)

_PATHS: Remembered[PopulationPath] = Remembered(REMEMBERED_PATHS)
_READS: Remembered[frozenset[Read]] = Remembered(REMEMBERED_PATHS)  # the read sets of the paths kept
_remembering = threading.Event()


def remember_paths(enabled: bool = True) -> None:
    """Make this process remember the population path of each current-law run (or stop, forgetting those kept)."""
    if enabled:
        _remembering.set()
    else:
        _remembering.clear()
        forget()


@contextmanager
def paths_remembered() -> Iterator[None]:
    """Within the block, remember current-law paths (`remember_paths`); after it, as before."""
    was = remembering()
    remember_paths()
    try:
        yield
    finally:
        if not was:
            remember_paths(False)


def forget() -> None:
    """Forget every remembered path."""
    _PATHS.clear()
    _READS.clear()


def inputs_key(seed: int, scale: float, start: int, demography: Any, macro: dict[str, Any]) -> tuple:
    """What a population path depends on besides parameters: seed, scale (persons per row), base year, the
    scenario's demographic assumptions and macro overrides (both as JSON), and the process's demographic inputs
    and calibration targets (identities: each is read once per process)."""
    return (int(seed), float(scale), int(start), json.dumps(demography, sort_keys=True, default=str),
            json.dumps(macro, sort_keys=True, default=str), id(load_inputs()), id(default_targets()))


@dataclass
class PopulationPath:
    """The remembered path of one run: `states[y]` the population of 1 July of year y (a copy), `records[y]`
    what the demography and migration recorded from 1 July y to 1 July y + 1, `reads` every parameter read the
    state changes made, `rounding` the base population's rounding report, `carried` the tables the schemes keep
    from year to year (taken from the replaying run), `nbytes` the memory the states hold."""

    reads: frozenset[Read]
    rounding: RoundingReport
    states: dict[int, Persons] = field(default_factory=dict)
    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    carried: set[str] = field(default_factory=set)
    nbytes: int = 0

    def replays(self, year: int) -> bool:
        """Whether the path holds the demography of `year` and the population it led to: the year's demography and
        people phases need not run."""
        return year in self.records and year + 1 in self.states

    def persons(self, year: int, previous: Persons | None = None) -> Persons:
        """The population of 1 July `year` for a replaying run: its columns are the remembered arrays, its claims'
        records, record indices and pid index its own, its tables a new dict with the carried tables of `previous`
        (the run's population of the year before). A copy of its own when the path does not replay `year` (the run
        ages it itself)."""
        state = self.states[year]
        if not self.replays(year):
            persons = clone(state)
        else:
            persons = state.reader()
            persons.cs, persons.ssf = clone(state.cs), clone(state.ssf)
        if previous is not None:
            persons.tables.update({key: previous.tables[key] for key in self.carried if key in previous.tables})
        return persons


def find_path(key: tuple, params: ParameterTree) -> PopulationPath | None:
    """The remembered path for the inputs `key` (`inputs_key`) under which `params` gives every value the path's
    state changes read, else None."""
    for reads in _READS.values():
        path = _PATHS.peek((key, read_values(params, reads)))
        if path is not None:
            return path
    return None


def replays_once_recorded(key: tuple, law: ParameterTree, params: ParameterTree) -> bool:
    """Whether no path is remembered for current law's inputs `key` (parameters `law`) and a run with `params`
    would replay one once recorded: the reads of the path last kept give the same values under both (a path of
    the same kind, this process keeping paths of this size). A reform that changes what the population's changes
    read would age its own population whatever is remembered."""
    if find_path(key, law) is not None:
        return False
    return any(read_values(params, reads) == read_values(law, reads) for reads in _READS.values())


class PathRecorder:
    """Records the path of a current-law run as it steps: `tree` is the parameter tree the run's state changes
    read through (recording what they read), `keep_state` and `keep_year` take each year's population and records,
    `publish` remembers the path once the run's last year is stepped. Nothing is kept when the `states`
    populations of the run (one more than its years) would hold more than MAX_PATH_BYTES: none is copied when the
    first already says so, and the copies stop once they pass it."""

    def __init__(self, key: tuple, params: ParameterTree, states: int) -> None:
        forget()  # the path this one replaces (REMEMBERED_PATHS): its memory is reused for this one's copies
        self.key = key
        self.tree = RecordingTree.of(params)
        self.expected = states
        self.states: dict[int, Persons] | None = {}  # None: too large to keep
        self.records: dict[int, dict[str, Any]] = {}
        self.carried: set[str] = set()
        self.nbytes = 0
        self.copying: Future | None = None  # the copy of the last state's columns, made on a thread of its own

    def keep_state(self, year: int, persons: Persons) -> None:
        """Remember the population of 1 July `year` (a copy). The columns (all but the record indices, which the
        schemes' claims write) are copied on a thread of their own while the next year's schemes and indicators,
        which only read them, run: `copied` waits for that copy before anything changes them."""
        self.copied()
        if self.states is None:
            return
        size = nbytes(persons)
        self.nbytes += size
        if self.nbytes > MAX_PATH_BYTES or (not self.states and size * self.expected > MAX_PATH_BYTES):
            self.states = None
            return
        rows = len(persons)
        columns = {id(buffer): buffer for buffer in persons.column_buffers(but=INDEX_COLUMNS).values()}
        copies: dict[int, np.ndarray | None] = dict.fromkeys(columns)
        self.states[year] = clone(persons, copies)
        pairs = [(copies[key], columns[key]) for key in columns if copies[key] is not None]
        self.copying = threads.in_background(lambda: [np.copyto(new[:rows], old[:rows]) for new, old in pairs])

    def copied(self) -> None:
        """Wait until the last state's columns are copied (before the population's columns change, or the path is
        read)."""
        if self.copying is not None:
            self.copying.result()
            self.copying = None

    def keep_year(self, year: int, records: dict[str, Any], carried: set[str]) -> None:
        """Remember what the demography recorded in `year`, and the tables the schemes wrote that year."""
        self.records[year] = {name: np.array(value, copy=True) if isinstance(value, np.ndarray) else value
                              for name, value in records.items()}
        self.carried |= carried

    def publish(self, rounding: RoundingReport) -> None:
        """Remember the path under its inputs and the values of what its state changes read."""
        self.copied()
        if self.states is None:
            return
        reads = frozenset(self.tree.reads)
        _READS.put(reads, reads)
        _PATHS.put((self.key, read_values(self.tree, reads)),
                   PopulationPath(reads, rounding, self.states, self.records, self.carried, self.nbytes))
        self.states = None


def remembering() -> bool:
    """Whether this process remembers the paths of its current-law runs (`remember_paths`)."""
    return _remembering.is_set()
