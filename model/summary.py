"""Plain-text summary tables of a result Dataset, for the command line."""

import pandas as pd
import xarray as xr

SUMMARY_YEARS = (2023, 2025, 2030, 2035, 2037)


def _years(ds: xr.Dataset) -> list[int]:
    return [y for y in SUMMARY_YEARS if y in ds.year.values]


def population_table(ds: xr.Dataset) -> pd.DataFrame:
    """Population by broad age group (millions) and the old-age dependency ratio, for the summary years."""
    pop = ds.population.sum("sex").sel(year=_years(ds))
    age = pop.age

    def band(lo: int, hi: int = 200) -> xr.DataArray:
        return pop.where((age >= lo) & (age <= hi)).sum("age")

    rows = {
        "total (million)": pop.sum("age") / 1e6,
        "0-14 (million)": band(0, 14) / 1e6,
        "15-59 (million)": band(15, 59) / 1e6,
        "60+ (million)": band(60) / 1e6,
        "65+ (million)": band(65) / 1e6,
        "80+ (million)": band(80) / 1e6,
        "old-age dependency ratio, 65+ per 100 aged 15-64": 100 * band(65) / band(15, 64),
    }
    return pd.DataFrame({name: values.to_series() for name, values in rows.items()}).T


def format_table(df: pd.DataFrame, title: str, digits: int = 2) -> str:
    """A titled fixed-width table."""
    return f"{title}\n{df.round(digits).to_string()}\n"
