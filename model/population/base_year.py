"""The base population of 1 July of the base year with its attributes, built once per process for each set of inputs.

A warm process runs several scenarios at one seed and scale (the app's baseline, current law and reform; a sweep's
points): their base populations are identical whenever everything the set-up reads is. `base_population` builds
the population (model.population.synthesis.base_persons, then model.population.attributes.initialise_attributes)
and remembers a private copy under its inputs: the seed, the scale, the base year, the graduated base population,
the calibration targets and demographic inputs it reads, and the dated values of every parameter the set-up
actually read (recorded while it ran, so a parameter a future set-up reads is keyed on without a list to keep). A
later scenario whose inputs are all equal gets a copy of the remembered population, bit for bit what a fresh
build gives; one that changes any of them (a reform of a base-year parameter) builds afresh. The set-up's random
streams (phase "initial", model.population.streams) are used by nothing after it, so no stream position is kept.
"""

import copy
import hashlib
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from ..parameters import NodeInfo, ParameterInfo, ParameterTree
from ..remembered import Remembered
from .attributes import initialise_attributes
from .persons import Persons
from .rates import load_inputs
from .streams import ScenarioStreams
from .synthesis import RoundingReport, base_persons
from .targets import default_targets

REMEMBERED_POPULATIONS = 2  # base populations kept per process (the least recently used is forgotten first)
MAX_REMEMBERED_BYTES = 256 << 20  # a larger population (finer than about 32 persons a row) is built afresh
EVERYTHING = "*"  # the recorded read when the set-up looked at the whole tree (paths(), fingerprint())


class RecordingTree(ParameterTree):
    """The same parameter tree, recording the path of every parameter (and folder) read through it: every value
    look-up goes through `info`, `node` or `monthly`; a look at the whole tree records EVERYTHING."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "reads", set())

    @classmethod
    def of(cls, tree: ParameterTree) -> "RecordingTree":
        """A recording view of `tree` (sharing its parameters and cached monthly series)."""
        return cls(tree._infos, tree._nodes, tree._monthly, _base=tree._base, _overridden=tree._overridden)

    def info(self, path: str) -> ParameterInfo:
        self.reads.add(path)
        return super().info(path)

    def node(self, path: str) -> NodeInfo:
        self.reads.add("node:" + str(path))
        return super().node(path)

    def monthly(self, path: str, year: int) -> np.ndarray:
        self.reads.add(path)
        return super().monthly(path, year)

    def paths(self) -> tuple[str, ...]:
        self.reads.add(EVERYTHING)
        return super().paths()

    def __contains__(self, path: object) -> bool:
        self.reads.add(str(path))
        return super().__contains__(path)

    def fingerprint(self) -> str:
        self.reads.add(EVERYTHING)
        return super().fingerprint()

    def with_overrides(self, overrides: dict) -> ParameterTree:
        self.reads.add(EVERYTHING)  # reads of the derived tree are not recorded
        return super().with_overrides(overrides)


def read_values(tree: ParameterTree, reads: frozenset[str]) -> tuple[tuple[str, Hashable], ...]:
    """(path, what `tree` holds for it) for each recorded read, sorted: a parameter's dated values (with their
    references) and uprating, a folder's labels, whether a path exists, or the whole tree's fingerprint."""
    out = []
    for path in sorted(reads):
        if path == EVERYTHING:
            out.append((path, tree.fingerprint()))
        elif path.startswith("node:"):
            name = path[len("node:"):]
            out.append((path, tree._nodes.get(name)))
        elif path in tree:
            info = tree.info(path)
            out.append((path, (info.values, info.uprating, info.minimum, info.maximum)))
        else:
            out.append((path, None))
    return tuple(out)


@dataclass(frozen=True)
class Built:
    """A remembered base population (never handed out: `base_population` gives copies) and its rounding."""

    persons: Persons
    rounding: RoundingReport


_BUILT: Remembered[Built] = Remembered(REMEMBERED_POPULATIONS)
_READS: Remembered[frozenset[str]] = Remembered(8)  # the sets of parameters set-ups read (usually one)


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
            return clone(built.persons), built.rounding
    persons, rounding = base_persons(population, scale)
    recording = RecordingTree.of(params)
    initialise_attributes(persons, year, recording, streams.initial(year))
    reads = frozenset(recording.reads)
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


def _arrays(value: object, out: list[np.ndarray]) -> None:
    """Every numpy array inside `value` (dicts, lists and tuples followed)."""
    if isinstance(value, np.ndarray):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _arrays(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _arrays(v, out)


def nbytes(persons: Persons) -> int:
    """Bytes of the memory behind `persons`' arrays (each buffer once)."""
    arrays: list[np.ndarray] = []
    _arrays(vars(persons), arrays)
    return sum({id(r): r.nbytes for r in map(_root, arrays)}.values())


def clone(persons: Persons) -> Persons:
    """An independent copy of `persons`: each buffer copied once and every array that was a view of a buffer made
    the same view of its copy (the columns stay views of their spare-room buffers), everything else deep-copied."""
    roots: dict[int, np.ndarray] = {}
    memo: dict[int, object] = {}

    def array(a: np.ndarray) -> np.ndarray:
        root = _root(a)
        if a.dtype.hasobject or root.dtype.hasobject or not root.flags.c_contiguous or a.size == 0:
            return a.copy()
        if id(root) not in roots:
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
