"""The place of the 'who gains' tab: effects of the reform by household income decile and region, once the
results carry them (the `decile` dimension of the result contract). Until then the tab is not shown.

A section added here draws into the open tab with the same arguments as the other tabs (both results, the
scenarios' names as the page shows them, the label function) and follows the same pattern: a chart, its table
and the table's download (`app.chart_block`)."""

from collections.abc import Callable

import streamlit as st
import xarray as xr

Label = Callable[..., str]
REQUIRED_DIMS = ("decile",)


def available(ds: xr.Dataset) -> bool:
    """Whether a result carries the household distribution this tab shows."""
    return all(dim in ds.dims for dim in REQUIRED_DIMS)


def section(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> None:
    """The tab's content: the variables over `decile` the results carry, reform minus baseline, as a table."""
    variables = [name for name, values in reform.data_vars.items() if "decile" in values.dims and name in base]
    for name in variables:
        change = (reform[name] - base[name]).sum([d for d in reform[name].dims if d not in ("decile", "year")])
        st.markdown(f"**{name}** ({reform[name].attrs.get('units', '')})")
        st.dataframe(change.to_pandas())
