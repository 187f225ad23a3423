"""The base population of 1 July 2023 as whole rows: controlled rounding of the graduated population."""

from dataclasses import dataclass

import numpy as np

from .axes import N_AGES
from .persons import Persons


@dataclass(frozen=True)
class RoundingReport:
    """How far whole rows miss the graduated base population (persons)."""

    max_cell_error: float  # largest |rows × scale − target| over sex × age cells
    total_error: float  # rows × scale − target, all cells

    def __str__(self) -> str:
        return f"base population rounding: largest sex-age cell error {self.max_cell_error:,.0f} persons, total {self.total_error:+,.0f}"


def controlled_rounding(target: np.ndarray) -> np.ndarray:
    """Whole numbers per cell, each the floor or ceiling of its target, with the sum equal to round(sum(target)).

    The leftover units go to the cells with the largest fractional parts (largest-remainder method).
    """
    flat = np.asarray(target, dtype=float).ravel()
    out = np.floor(flat)
    remainder = flat - out
    short = int(round(flat.sum())) - int(out.sum())  # round the total, not the shortfall (1.5: 2 rows, not 1)
    if short > 0:
        out[np.argsort(-remainder, kind="stable")[:short]] += 1
    return out.astype(np.int64).reshape(np.shape(target))


def base_persons(population: np.ndarray, scale: float) -> tuple[Persons, RoundingReport]:
    """Rows for a [sex, age] population where each row stands for `scale` persons, with the rounding error.

    Each sex is rounded separately so that male and female totals are both as close as whole rows allow.
    """
    rows = np.stack([controlled_rounding(population[s] / scale) for s in range(2)])
    # each row's sex and age (rows in sex-age cell order), one byte a row each: scale 1 is large
    sex = np.repeat(np.arange(2, dtype=np.int8), rows.sum(axis=1))
    age = np.repeat(np.tile(np.arange(N_AGES, dtype=np.int8), 2), rows.ravel())
    persons = Persons({"sex": sex, "age": age}, scale)
    del sex, age
    error = rows * scale - population
    return persons, RoundingReport(float(np.abs(error).max()), float(error.sum()))
