"""Shared coordinate axes of the population: sexes and single ages 0..100 (100 = 100 and over)."""

import numpy as np

SEXES: tuple[str, str] = ("male", "female")
MALE, FEMALE = 0, 1
MAX_AGE = 100
AGES = np.arange(MAX_AGE + 1)
N_AGES = MAX_AGE + 1
BASE_YEAR = 2023
