"""The base population against the people layer's calibration targets (model/population/calibration_targets.yaml):
one row per target with the model's value, the difference and whether it is within the stated tolerance."""

import pandas as pd

from ..api import resolve
from ..population.calibration import compare, measures
from ..population.targets import default_targets
from ..simulation import SocialSecurityModel


def calibration_table(scale: float = 100, seed: int | None = None) -> pd.DataFrame:
    """Every base-year target against the baseline scenario's 1 July 2023 population at `scale` persons per row."""
    model = SocialSecurityModel(resolve("baseline", scale=scale, seed=seed))
    return compare(default_targets(), measures(model.persons, model.year, model.params))
