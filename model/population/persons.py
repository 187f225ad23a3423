"""The agent population as a columnar table: one numpy array per attribute, one row per `scale` persons.

All columns are declared once in COLUMNS with their dtype, the value new rows get, and whether a newborn
copies it from the mother. Rules operate on whole columns; no Python object exists per person.
"""

from dataclasses import dataclass

import numpy as np

from .axes import N_AGES


@dataclass(frozen=True)
class Column:
    """Declaration of one person attribute."""

    dtype: type
    default: float
    description: str
    inherited: bool = False  # newborns copy the mother's value


COLUMNS: dict[str, Column] = {
    "age": Column(np.int16, 0, "completed years of age on 1 July (100 means 100 and over)"),
    "sex": Column(np.int8, 0, "0 male, 1 female"),
}


class Persons:
    """Columnar person table; `persons.age` is the age column, `len(persons)` the number of rows."""

    def __init__(self, columns: dict[str, np.ndarray], scale: float):
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns differ in length: {lengths}")
        self.scale = float(scale)
        self._cell: np.ndarray | None = None
        self.columns = {name: np.asarray(columns.get(name, self._filled(name, next(iter(lengths), 0))), dtype=spec.dtype)
                        for name, spec in COLUMNS.items()}

    @staticmethod
    def _filled(name: str, n: int) -> np.ndarray:
        spec = COLUMNS[name]
        return np.full(n, spec.default, dtype=spec.dtype)

    def __len__(self) -> int:
        return len(self.columns["age"])

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    def set(self, name: str, values: np.ndarray) -> None:
        """Replace a whole column, cast to its declared dtype."""
        self.columns[name] = np.asarray(values, dtype=COLUMNS[name].dtype)
        if name in ("sex", "age"):
            self._cell = None

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where mask is False (deaths, emigration)."""
        for name, values in self.columns.items():
            self.columns[name] = values[mask]
        if self._cell is not None:
            self._cell = self._cell[mask]

    def append(self, values: dict[str, np.ndarray], n: int) -> None:
        """Add n rows; columns not given take their declared default."""
        for name, spec in COLUMNS.items():
            new = values[name] if name in values else np.full(n, spec.default)
            self.columns[name] = np.concatenate([self.columns[name], np.asarray(new, dtype=spec.dtype)])
        self._cell = None

    def newborn_values(self, mothers: np.ndarray) -> dict[str, np.ndarray]:
        """Values newborns inherit from their mothers (row indices), for the columns marked inherited."""
        return {name: self.columns[name][mothers] for name, spec in COLUMNS.items() if spec.inherited}

    def cell(self) -> np.ndarray:
        """Row index into a flattened [sex, age] array, sex × 101 + age; cached until ages or rows change."""
        if self._cell is None:
            self._cell = self.sex * np.intp(N_AGES) + self.age
        return self._cell

    def count_by_sex_age(self, mask: np.ndarray | None = None) -> np.ndarray:
        """[sex, age] persons (rows × scale), optionally among rows where mask is True."""
        cell = self.cell()
        if mask is not None:
            cell = cell[mask]
        return np.bincount(cell, minlength=2 * N_AGES).reshape(2, N_AGES) * self.scale
