"""Readers for the shipped UN World Population Prospects 2024 files (data/wpp2024_tha, CC BY 3.0 IGO)."""

from functools import cache

import pandas as pd

from ..paths import WPP_DIR


@cache
def read(name: str) -> pd.DataFrame:
    """One WPP input table by file stem, e.g. read('mortality'); read once per process."""
    return pd.read_csv(WPP_DIR / f"{name}.csv")


@cache
def last_year() -> int:
    """Last calendar year every annual WPP input covers (2100 in the shipped data); found once per process, from
    the tables `read` keeps."""
    return int(min(read(n)["year"].max() for n in ("tfr", "fertility", "migration", "sex_ratio_at_birth", "life_expectancy")))
