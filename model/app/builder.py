"""The reform builder: every parameter of the tree, searchable by its path or its English or Thai label, with
its unit, current-law value, valid range and citation."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from ..parameters import ParameterTree, Value

TODAY_OF_LAW = dt.date(2025, 10, 1)  # the date whose current-law value the builder shows (start of FY2026)


@dataclass(frozen=True)
class Entry:
    """One parameter as the builder lists it."""

    path: str
    label_en: str
    label_th: str
    unit: str
    kind: str
    law: Value | None  # value in force on TODAY_OF_LAW (None before the parameter's first date)
    minimum: float
    maximum: float
    citation: str

    def matches(self, words: list[str]) -> bool:
        """Whether every word (lower case) is in the path or either label."""
        text = f"{self.path} {self.label_en} {self.label_th}".lower()
        return all(word in text for word in words)


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every parameter of the default tree, in path order."""
    tree = ParameterTree.load()
    found = []
    for path in tree.paths():
        info = tree.info(path)
        day = max(TODAY_OF_LAW, info.values[0].date)
        found.append(Entry(path, info.label_en, info.label_th, info.unit, info.kind,
                           tree.get(path, day), info.minimum, info.maximum, tree.citation(path, day)))
    return tuple(found)


def search(query: str) -> list[Entry]:
    """The parameters whose path or label (English or Thai) holds every word of `query` (all when empty)."""
    words = query.lower().split()
    return [entry for entry in entries() if entry.matches(words)]


def bound_text(value: float) -> str:
    """A range bound as text: whole numbers with separators, else as written."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
