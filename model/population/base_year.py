"""The base population of 1 July of the base year with its attributes, built once per process for each set of inputs.

A warm process runs several scenarios at one seed and scale (the app's baseline, current law and reform; a sweep's
points): their base populations are identical whenever everything the set-up reads is. `base_population` builds
the population (model.population.synthesis.base_persons, then model.population.attributes.initialise_attributes)
and remembers a private copy under its inputs: the seed, the scale, the base year, the graduated base population,
the calibration targets and demographic inputs it reads, and every parameter value the set-up actually read (the
value in force on each date it asked for, recorded while it ran by `RecordingTree`, so a parameter a future
set-up reads is keyed on without a list to keep). A later scenario whose inputs are all equal gets a copy of the
remembered population, bit for bit what a fresh build gives; one that changes any of them builds afresh (a
reform dated after every date the set-up read a parameter on shares it). The set-up's random streams (phase
"initial", model.population.streams) are used by nothing after it, so no stream position is kept.
"""

import copy
import hashlib
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np

from ..errors import ParameterError
from ..parameters import DatedValue, NodeInfo, ParameterInfo, ParameterTree
from ..remembered import Remembered
from ..schema import as_date
from .attributes import initialise_attributes
from .persons import Persons, Records
from .rates import load_inputs
from .streams import ScenarioStreams
from .synthesis import RoundingReport, base_persons
from .targets import default_targets

REMEMBERED_POPULATIONS = 2  # base populations kept per process (the least recently used is forgotten first)
MAX_REMEMBERED_BYTES = 256 << 20  # a larger population (finer than about 19 persons a row) is built afresh
EVERYTHING = "*"  # the recorded read when the set-up looked at the whole tree (paths(), fingerprint())


Cloned = TypeVar("Cloned", Persons, Records)
Read = str | tuple[str, str, object]  # a path, a folder ("node:" path), EVERYTHING, or (kind, path, date or year)


class RecordingTree(ParameterTree):
    """The same parameter tree, recording what the set-up (or a run's yearly state changes:
    model.population.remembered_path) reads through it: the value in force of a path on a date (`entry`, through
    which `get` and `mid_year` go), a path's monthly values in a year (`monthly`), or grown by its uprating
    (`uprated_monthly`; grown by the macro indices, EVERYTHING: they are not parameters), a path's whole record when
    read otherwise (`info`: its dated values, uprating and range), a folder's labels, and
    EVERYTHING when it looks at the whole tree. A value in force before a reform's first date is the same object
    under the reform, so reforms dated after the values read share them."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "reads", set())
        object.__setattr__(self, "_inside", threading.local())  # in `entry` or `monthly`: their own `info` calls

    @classmethod
    def of(cls, tree: ParameterTree) -> "RecordingTree":
        """A recording view of `tree` (sharing its parameters and cached monthly series)."""
        return cls(tree._infos, tree._nodes, tree._monthly, _base=tree._base, _overridden=tree._overridden)

    def _within(self, look_up: Callable[[], object], read: Callable[[], Read]) -> object:
        """`look_up()`, recording `read()` unless inside another recorded look-up (whose own calls these are)."""
        depth = getattr(self._inside, "depth", 0)
        self._inside.depth = depth + 1
        try:
            value = look_up()
        finally:
            self._inside.depth = depth
        if not depth:
            self.reads.add(read())
        return value

    def entry(self, path: str, when: date | str) -> DatedValue:
        return self._within(lambda: super(RecordingTree, self).entry(path, when),
                            lambda: ("entry", path, as_date(when)))

    def monthly(self, path: str, year: int) -> np.ndarray:
        return self._within(lambda: super(RecordingTree, self).monthly(path, year),
                            lambda: ("monthly", path, int(year)))

    def info(self, path: str) -> ParameterInfo:
        if not getattr(self._inside, "depth", 0):
            self.reads.add(str(path))
        return super().info(path)

    def node(self, path: str) -> NodeInfo:
        self.reads.add("node:" + str(path))
        return super().node(path)

    def paths(self) -> tuple[str, ...]:
        self.reads.add(EVERYTHING)
        return super().paths()

    def __contains__(self, path: object) -> bool:
        self.reads.add(str(path))
        return super().__contains__(path)

    def fingerprint(self) -> str:
        self.reads.add(EVERYTHING)
        return super().fingerprint()

    def uprated_monthly(self, path: str, year: int,
                        indices: Mapping[str, Mapping[int, float]] | None = None) -> np.ndarray:
        if indices is not None:  # grown by the run's macro indices, which are not parameters
            self.reads.add(EVERYTHING)
            return super().uprated_monthly(path, year, indices)
        return self._within(lambda: super(RecordingTree, self).uprated_monthly(path, year),
                            lambda: ("uprated", path, int(year)))

    def with_overrides(self, overrides: Mapping) -> ParameterTree:
        self.reads.add(EVERYTHING)  # reads of the derived tree are not recorded
        return super().with_overrides(overrides)


def read_values(tree: ParameterTree, reads: frozenset[Read]) -> tuple[tuple[Read, Hashable], ...]:
    """(read, what `tree` gives for it) for each recorded read, in a fixed order: the dated value in force (with
    its references), the monthly values, a parameter's whole record, a folder's labels, whether a path exists,
    or the whole tree's fingerprint."""
    out = []
    for read in sorted(reads, key=repr):
        out.append((read, _value(tree, read)))
    return tuple(out)


def _value(tree: ParameterTree, read: Read) -> Hashable:
    if isinstance(read, tuple):
        kind, path, when = read
        if path not in tree:
            return None
        try:
            if kind == "entry":
                return tree.entry(path, when)
            values = tree.uprated_monthly(path, when) if kind == "uprated" else tree.monthly(path, when)
            return values.dtype.str, tuple(values.tolist())
        except ParameterError as error:
            return str(error)
    if read == EVERYTHING:
        return tree.fingerprint()
    if read.startswith("node:"):
        return tree._nodes.get(read[len("node:"):])
    if read not in tree:
        return None
    info = tree.info(read)
    return info.values, info.uprating, info.minimum, info.maximum


@dataclass(frozen=True)
class Built:
    """A remembered base population (never handed out: `base_population` gives copies) and its rounding."""

    persons: Persons
    rounding: RoundingReport


_BUILT: Remembered[Built] = Remembered(REMEMBERED_POPULATIONS)
_READS: Remembered[frozenset[Read]] = Remembered(8)  # the sets of parameters set-ups read (usually one)


def _inputs_key(population: np.ndarray, scale: float, year: int, seed: int) -> tuple:
    """The set-up's inputs other than parameters: seed, scale, base year, the graduated population [sex, age]
    (persons) and the process's calibration targets and demographic inputs (identities: each is read once per
    process)."""
    population = np.ascontiguousarray(population)
    digest = hashlib.blake2b(population.tobytes(), digest_size=16).hexdigest()
    return (int(seed), float(scale), int(year), digest, population.dtype.str, population.shape,
            id(default_targets()), id(load_inputs()))


def base_population(population: np.ndarray, scale: float, year: int, params: ParameterTree,
                    streams: ScenarioStreams) -> tuple[Persons, RoundingReport]:
    """The base population of 1 July `year` (`population` [sex, age] persons, `scale` persons per row) with its
    attributes drawn from `streams` under `params`, and its rounding report: a copy of the one remembered for the
    same inputs, else built (and remembered when under MAX_REMEMBERED_BYTES)."""
    key = _inputs_key(population, scale, year, streams.seed)
    for reads in _READS.values():
        built = _BUILT.peek((key, read_values(params, reads)))
        if built is not None:
            if isinstance(params, RecordingTree):  # a run recording what its population depends on
                params.reads.update(reads)
            return clone(built.persons), built.rounding
    persons, rounding = base_persons(population, scale)
    recording = RecordingTree.of(params)
    initialise_attributes(persons, year, recording, streams.initial(year))
    reads = frozenset(recording.reads)
    if isinstance(params, RecordingTree):
        params.reads.update(reads)
    if nbytes(persons) <= MAX_REMEMBERED_BYTES:
        _READS.put(reads, reads)
        _BUILT.put((key, read_values(params, reads)), Built(clone(persons), rounding))
    return persons, rounding


def forget() -> None:
    """Forget every remembered base population."""
    _BUILT.clear()
    _READS.clear()


# --- copies in which views of a buffer stay views of its copy -----------------------------------------------------


def _root(a: np.ndarray) -> np.ndarray:
    """The array owning `a`'s memory (`a` itself when it owns it)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def arrays_in(value: object, out: list[np.ndarray]) -> None:
    """Every numpy array inside `value` (dicts, lists and tuples followed)."""
    if isinstance(value, np.ndarray):
        out.append(value)
    elif isinstance(value, Records):
        arrays_in(vars(value), out)
    elif isinstance(value, dict):
        for v in value.values():
            arrays_in(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            arrays_in(v, out)


def nbytes(persons: Persons) -> int:
    """Bytes of the memory behind `persons`' arrays (each buffer once)."""
    arrays: list[np.ndarray] = []
    arrays_in(vars(persons), arrays)
    return sum({id(r): r.nbytes for r in map(_root, arrays)}.values())


def clone(persons: Cloned, unfilled: dict[int, np.ndarray | None] | None = None) -> Cloned:
    """An independent copy of `persons` (a person table or one of its tables of records): each buffer copied once
    and every array that was a view of a buffer made the same view of its copy (the columns stay views of their
    spare-room buffers), everything else deep-copied. A buffer whose id is a key of `unfilled` is allocated but
    not copied: its copy becomes that key's value, for the caller to fill before the clone is read."""
    roots: dict[int, np.ndarray] = {}
    memo: dict[int, object] = {}

    def array(a: np.ndarray) -> np.ndarray:
        root = _root(a)
        if a.dtype.hasobject or root.dtype.hasobject or not root.flags.c_contiguous or a.size == 0:
            return a.copy()
        if id(root) not in roots:
            if unfilled is not None and id(root) in unfilled:
                roots[id(root)] = unfilled[id(root)] = np.empty_like(root)
            else:
                roots[id(root)] = root.copy()
        new_root = roots[id(root)]
        if a is root:
            return new_root
        offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        view = np.ndarray(a.shape, a.dtype, buffer=new_root, offset=offset, strides=a.strides)
        view.flags.writeable = a.flags.writeable
        return view

    def value(v: object) -> object:
        if id(v) in memo:
            return memo[id(v)]
        if isinstance(v, np.ndarray):
            out: object = array(v)
        elif type(v) is dict:
            out = {k: value(x) for k, x in v.items()}
        elif isinstance(v, Records):  # its buffers copied as the table's are
            out = object.__new__(Records)
            out.__dict__.update(value(vars(v)))
        elif isinstance(v, list):
            out = [value(x) for x in v]
        elif isinstance(v, tuple) and type(v) is tuple:
            out = tuple(value(x) for x in v)
        else:
            out = copy.deepcopy(v)
        memo[id(v)] = out
        return out

    new = object.__new__(type(persons))
    new.__dict__.update({name: value(v) for name, v in vars(persons).items()})
    return new
