"""Tables formatted for people: thousands separators, a fixed number of decimals per column, units in the
headers (the caller's column names carry them), no scientific notation, no raw reprs.

    people(df, decimals=2, formats={"persons": "{:,.0f}"})   # a pandas Styler, shown as HTML in a notebook
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

MISSING = "–"


def number(value: object, decimals: int = 2) -> str:
    """One value as text: whole numbers and floats with thousands separators and `decimals` places, booleans as
    yes/no, missing values as a dash, anything else as its str."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.{decimals}f}"
    return str(value)


def column_format(series: pd.Series, decimals: int) -> str | None:
    """The format of a numeric column: no decimals when every value is whole, else `decimals`."""
    if series.dtype == bool or not pd.api.types.is_numeric_dtype(series):
        return None
    values = series.dropna().to_numpy(dtype=float)
    whole = values.size and np.all(np.abs(values - np.round(values)) < 1e-9) and np.all(np.abs(values) < 1e15)
    return "{:,.0f}" if whole else f"{{:,.{decimals}f}}"


def people(df: pd.DataFrame | pd.Series, decimals: int = 2, formats: Mapping[str, str] | None = None,
           caption: str | None = None) -> Styler:
    """`df` as a table for people: every numeric column with thousands separators and `decimals` places (whole
    columns without decimals), `formats` overriding it per column ("{:+.1f}", "{:.1%}", ...), missing values as
    a dash, booleans as yes/no, and an optional caption ("Table 3. ... Source: ...")."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    formats = dict(formats or {})
    styler = frame.style
    for column in frame.columns:
        pattern = formats.get(column) or column_format(frame[column], decimals)
        if pattern is not None:
            styler = styler.format(pattern, subset=[column], na_rep=MISSING)
        elif frame[column].dtype == bool:
            styler = styler.format(lambda v: "yes" if v else "no", subset=[column])
        else:
            styler = styler.format(lambda v: number(v, decimals), subset=[column])
    # index labels are names, years or ids: whole numbers without separators, floats with them
    styler = styler.format_index(lambda v: number(v, decimals) if isinstance(v, (float, np.floating)) else str(v), axis=0)
    if caption:
        styler = styler.set_caption(caption)
    return styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"},
        {"selector": "td", "props": "text-align: right;"},
    ], overwrite=False)


class Tables:
    """Numbers a document's tables: `tables.caption("Recipients, million persons", "model run")` gives
    "Table n. Recipients, million persons. Source: model run"."""

    def __init__(self, first: int = 1) -> None:
        self.number = first - 1

    def caption(self, title: str, source: str) -> str:
        self.number += 1
        return f"Table {self.number}. {title}. Source: {source}."
