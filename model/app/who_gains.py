"""The 'who gains' tab: effects of the reform by household income decile and by region, as charts with their
tables and downloads (the pattern of `app.chart_block`).

From the two results (aggregates, exact): the average net gain per person (cash benefits minus the contributions
the insured pay themselves, reform minus baseline, per person of the decile or region, THB a year), the benefit
change by scheme and decile, and poverty by region. The shares of persons gaining and losing need the two runs'
persons matched (model.microdata.gains): they are computed for the chosen year when the tab is open, from the
scenarios the page ran (`st.session_state[SCENARIOS_KEY]`), and cached.
"""

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import xarray as xr

from ..population.regions import REGIONS
from ..scenario import Scenario
from . import tables

Label = Callable[..., str]
REQUIRED_DIMS = ("decile",)
SCENARIOS_KEY = "who_gains_scenarios"
"""Session key of the (baseline, reform) scenarios the page ran, for the persons' comparison."""


def available(ds: xr.Dataset) -> bool:
    """Whether a result carries the household distribution this tab shows."""
    return all(dim in ds.dims for dim in REQUIRED_DIMS)


def net_transfers(ds: xr.Dataset, by: str) -> xr.DataArray:
    """Cash benefits minus the insured's own contributions by `by` (decile or region), THB, by year."""
    return ds[f"cash_benefits_by_{by}"] - ds[f"contributions_by_{by}"].sum("scheme")


def average_gain(base: xr.Dataset, reform: xr.Dataset, year: int, by: str) -> pd.Series:
    """Average net gain per person of each decile or region in `year`, THB a year (reform minus baseline, over the
    baseline's persons of the group)."""
    change = (net_transfers(reform, by) - net_transfers(base, by)).sel(year=year)
    return (change / base[f"population_by_{by}"].sel(year=year)).to_pandas()


def gain_table(base: xr.Dataset, reform: xr.Dataset, year: int, by: str, t: Label,
               shares: pd.DataFrame | None) -> pd.DataFrame:
    """The table of the tab for `by`: persons (thousand), average net gain (THB/year) and, when computed, the shares
    gaining and losing (percent)."""
    labels = _labels(by, t)
    table = pd.DataFrame({t("wg.col.persons"): base[f"population_by_{by}"].sel(year=year).values / 1e3,
                          t("wg.col.gain"): average_gain(base, reform, year, by).values}, index=labels)
    if shares is not None:
        table[t("wg.col.gaining")] = shares["share_gaining"].to_numpy()[:len(labels)]
        table[t("wg.col.losing")] = shares["share_losing"].to_numpy()[:len(labels)]
    table.index.name = t(f"wg.{by}")
    return table


def _labels(by: str, t: Label) -> list[str]:
    return [t("wg.decile_n", n=d) for d in range(1, 11)] if by == "decile" else [t(f"region.{r}") for r in REGIONS]


def gain_chart(table: pd.DataFrame, t: Label) -> go.Figure:
    """Bars of the average net gain per person, and the shares gaining and losing on a second axis when known."""
    fig = go.Figure(go.Bar(x=list(table.index), y=table[t("wg.col.gain")], name=t("wg.col.gain"),
                           text=[f"{v:,.0f}" for v in table[t("wg.col.gain")]], textposition="outside"))
    if t("wg.col.gaining") in table:
        for column, colour in ((t("wg.col.gaining"), "#2ca02c"), (t("wg.col.losing"), "#d62728")):
            fig.add_trace(go.Scatter(x=list(table.index), y=table[column], name=column, yaxis="y2",
                                     mode="lines+markers", line={"color": colour}))
        fig.update_layout(yaxis2={"title": "%", "overlaying": "y", "side": "right", "rangemode": "tozero"})
    return fig.update_layout(yaxis_title=t("wg.axis_gain"), legend_title_text="", margin={"t": 30, "b": 10},
                             legend={"orientation": "h"})


@st.cache_data(max_entries=8, show_spinner=False)
def person_shares(base_json: str, reform_json: str, year: int) -> dict[str, pd.DataFrame]:
    """Shares of persons gaining and losing by decile and region in `year`: both scenarios run to `year` at the
    same seed, their persons matched (model.microdata.gains)."""
    from .. import microdata
    from ..api import run

    frames = []
    for text in (base_json, reform_json):
        scenario = Scenario.model_validate_json(text).replaced(end_year=year)
        with microdata.capture(year) as captured:
            run(scenario)
        frames.append(captured.persons)
    return {by: microdata.gains(*frames, by)[0] for by in ("decile", "region")}


def section(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> None:
    """The tab's content: a year, then by decile and by region the average net gain per person with the shares
    gaining and losing (chart, table, download), the benefit change by scheme and decile, poverty by region, and the
    target groups' poverty, multidimensional poverty and coverage under both runs."""
    years = [int(y) for y in reform["year"].values]
    era = int(t("era_offset"))
    year = st.select_slider(t("wg.year"), options=[y + era for y in years], value=years[-1] + era,
                            key="who_gains_year") - era
    shares: dict[str, pd.DataFrame] | None = None
    scenarios = st.session_state.get(SCENARIOS_KEY)
    if scenarios is not None:
        with st.spinner(t("wg.matching")):
            shares = person_shares(scenarios[0].model_dump_json(), scenarios[1].model_dump_json(), year)
    for by in ("decile", "region"):
        st.subheader(t(f"wg.title.{by}", year=year))
        table = gain_table(base, reform, year, by, t, None if shares is None else shares[by])
        _block(gain_chart(table, t), table, f"who_gains_{by}", t)
    st.caption(t("wg.note"))
    st.subheader(t("wg.title.schemes", year=year))
    change = (reform["benefits_by_decile"] - base["benefits_by_decile"]).sel(year=year) / 1e6
    by_scheme = change.to_pandas().T
    by_scheme.index = _labels("decile", t)
    by_scheme.columns = [t(f"scheme.{s}") for s in by_scheme.columns]
    by_scheme = by_scheme.loc[:, (by_scheme.abs() > 1e-9).any()]
    if by_scheme.empty:
        st.info(t("wg.no_change"))
    else:
        fig = go.Figure([go.Bar(x=list(by_scheme.index), y=by_scheme[c], name=c) for c in by_scheme.columns])
        fig.update_layout(barmode="relative", yaxis_title=t("wg.axis_scheme"), margin={"t": 30, "b": 10})
        _block(fig, by_scheme, "who_gains_schemes", t)
    st.subheader(t("wg.title.poverty", year=year))
    poverty = pd.DataFrame({name: ds["poverty_rate_by_region"].sel(year=year, income_basis="after_transfers").values
                            for name, ds in zip(names, (base, reform))}, index=_labels("region", t))
    poverty.index.name = t("wg.region")
    fig = go.Figure([go.Bar(x=list(poverty.index), y=poverty[c], name=c) for c in poverty.columns])
    fig.update_layout(barmode="group", yaxis_title=t("wg.axis_poverty"), margin={"t": 30, "b": 10})
    _block(fig, poverty, "who_gains_poverty", t)
    st.caption(t("wg.poverty_note"))
    st.subheader(t("wg.title.groups", year=year))
    groups = group_table(base, reform, year, t)
    st.dataframe(groups)
    st.download_button(t("download_table"), tables.csv_bytes(groups), "who_gains_target_groups.csv", "text/csv",
                       key="download_who_gains_target_groups", on_click="ignore")
    st.caption(t("wg.groups_note"))


GROUP_MEASURES: tuple[tuple[str, str], ...] = (("poverty", "wg.col.poverty"), ("mpi", "wg.col.mpi"),
                                               ("coverage", "wg.col.coverage"))
"""The target-group measures of the reform table: poverty after transfers (% of the group), the multidimensional
poverty index M0 (x 100) and coverage by a benefit or social insurance (% of the group)."""


def group_table(base: xr.Dataset, reform: xr.Dataset, year: int, t: Label) -> pd.DataFrame:
    """[target group] each measure of GROUP_MEASURES under the baseline and the reform in `year`, and the reform's
    change in percentage points (M0 in points of 100 x M0)."""
    def measure(ds: xr.Dataset, name: str) -> np.ndarray:
        if name == "poverty":
            return ds["poverty_rate"].sel(year=year, income_basis="after_transfers").values
        if name == "mpi":
            return 100.0 * ds["mpi"].sel(year=year).values
        return ds["coverage_rate"].sel(year=year).values

    groups = [str(g) for g in reform["group"].values]
    columns = {}
    for name, key in GROUP_MEASURES:
        before, after = measure(base, name), measure(reform, name)
        columns[f"{t(key)}: {t('wg.baseline')}"] = before
        columns[f"{t(key)}: {t('wg.reform')}"] = after
        columns[f"{t(key)}: {t('wg.change')}"] = after - before
    table = pd.DataFrame(columns, index=[t(f"group.{g}") for g in groups]).round(2)
    table.index.name = t("wg.group")
    return table


def _block(fig: go.Figure, table: pd.DataFrame, name: str, t: Label) -> None:
    """A chart, its table and the table's download."""
    st.plotly_chart(fig, key=f"chart_{name}")
    with st.expander(t("table")):
        st.dataframe(table)
    st.download_button(t("download_table"), tables.csv_bytes(table), f"{name}.csv", "text/csv",
                       key=f"download_{name}", on_click="ignore")
