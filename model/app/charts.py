"""Plotly figures and tables of the app, drawn from result Datasets; every text comes through a label function."""

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from .. import summary
from ..fiscal.macro import macro_file
from .fiscal_years import cost_fy
from .headlines import POVERTY_BASIS
from .impact import BudgetImpact

Label = Callable[..., str]
"""`label` with the language bound: key and format values -> text."""

MEASURES = ("nominal", "real", "pct_gdp")
BN = 1e9
SCHEME_COLOURS = px.colors.qualitative.Safe
GROUP_COLOURS = px.colors.qualitative.D3
SCENARIO_DASH = ("dot", "solid")  # baseline, reform
AGE_BAND = 5
SSF_YEARS_AFTER_DEPLETION = 10  # the SSF chart stops this many years after the later depletion year
DEBT_MARGIN_PP = 2.0  # the debt axis spans the paths and the ceiling with this margin, not from 0
SHARE_COLOURS = {"government": "#1f77b4", "fund": "#2ca02c"}
REFERENCE_COLOUR = "#9467bd"  # the reference path (current policy beside current law)


def cost(ds: xr.Dataset, measure: str) -> xr.DataArray:
    """Cost by fiscal year (dims fiscal_year, scheme) in a measure: THB bn nominal, THB bn in 2023 prices, or
    percent of the fiscal year's GDP (`fiscal_years.cost_fy`)."""
    values = cost_fy(ds, measure)
    return values if measure == "pct_gdp" else values / BN


def _era(t: Label) -> int:
    """Years to add to common-era years in the page's language (the Buddhist era in Thai)."""
    return int(t("era_offset"))


def _years(ds: xr.Dataset | xr.DataArray, t: Label) -> np.ndarray:
    """The calendar years in the page's era as a numpy array: Plotly takes numpy arrays far faster than xarray
    objects."""
    return ds["year"].values + _era(t)


def _fiscal_years(ds: xr.Dataset | xr.DataArray, t: Label) -> np.ndarray:
    """The fiscal years (FY t: 1 October t-1 to 30 September t) in the page's era as a numpy array."""
    return ds["fiscal_year"].values + _era(t)


def _colour(scheme: str, schemes: Sequence[str]) -> str:
    return SCHEME_COLOURS[list(schemes).index(scheme) % len(SCHEME_COLOURS)]


def _layout(fig: go.Figure, y_title: str, t: Label, x_title: str = "calendar_year_axis") -> go.Figure:
    """Axis titles (the x axis says which kind of year it counts), unified hover and tight margins."""
    return fig.update_layout(xaxis_title=t(x_title), yaxis_title=y_title, hovermode="x unified", legend_title_text="",
                             margin={"t": 30, "b": 10})


def cost_by_scheme(ds: xr.Dataset, base: xr.Dataset, measure: str, names: tuple[str, str], t: Label,
                   reference: tuple[xr.Dataset, str] | None = None) -> go.Figure:
    """Stacked areas of the reform's cost by scheme and fiscal year, with the baseline's total as a line, and the
    total of a `reference` path (its result and name: current policy beside current law) as another."""
    values = cost(ds, measure)
    schemes = [str(s) for s in values.scheme.values]
    fig = go.Figure()
    for scheme, series in zip(schemes, values.values.T):
        if not series.any():
            continue
        fig.add_scatter(x=_fiscal_years(ds, t), y=series, name=t(f"scheme.{scheme}"), stackgroup="cost",
                        mode="lines", line={"width": 0.5, "color": _colour(scheme, schemes)})
    fig.add_scatter(x=_fiscal_years(base, t), y=cost(base, measure).values.sum(axis=1), name=f"Σ {names[0]}",
                    mode="lines", line={"color": "black", "dash": "dot", "width": 2})
    if reference is not None:
        fig.add_scatter(x=_fiscal_years(reference[0], t), y=cost(reference[0], measure).values.sum(axis=1),
                        name=f"Σ {reference[1]}", mode="lines", line={"color": REFERENCE_COLOUR, "dash": "dashdot",
                                                                      "width": 2})
    return _layout(fig, t(f"measure.{measure}"), t, "fiscal_year_axis")


def cost_difference(base: xr.Dataset, reform: xr.Dataset, measure: str, t: Label) -> go.Figure:
    """Reform minus baseline cost by scheme and fiscal year (bars, stacked with signs) and in total (line)."""
    difference = cost(reform, measure) - cost(base, measure)
    schemes = [str(s) for s in difference.scheme.values]
    fig = go.Figure()
    for scheme, series in zip(schemes, difference.values.T):
        if np.abs(series).max() < 1e-9:
            continue
        fig.add_bar(x=_fiscal_years(difference, t), y=series, name=t(f"scheme.{scheme}"),
                    marker_color=_colour(scheme, schemes))
    fig.add_scatter(x=_fiscal_years(difference, t), y=difference.values.sum(axis=1), name="Σ", mode="lines+markers",
                    line={"color": "black"})
    fig.update_layout(barmode="relative")
    return _layout(fig, t("difference_axis", measure=t(f"measure.{measure}")), t, "fiscal_year_axis")


def debt_range(paths: Sequence[np.ndarray], limit: float) -> tuple[float, float]:
    """The debt axis (percent of GDP): the paths and the ceiling with DEBT_MARGIN_PP either side, not from 0, so
    that a breach of a few tenths of a point shows."""
    values = np.concatenate([np.asarray(p, dtype=float) for p in paths] + [np.array([limit])])
    return float(values.min()) - DEBT_MARGIN_PP, float(values.max()) + DEBT_MARGIN_PP


def public_debt(base: xr.Dataset, reform: xr.Dataset, limit: float, names: tuple[str, str], t: Label,
                reference: tuple[xr.Dataset, str] | None = None) -> go.Figure:
    """Public debt (percent of GDP) of both scenarios against the ceiling, the area above the ceiling shaded and
    each scenario's first year above it marked, and a `reference` path (its result and name: current policy beside
    current law) as a line; the axis spans the paths and the ceiling, not from 0."""
    fig = go.Figure()
    paths = [ds["public_debt_pct_gdp"].values for ds in (base, reform)]
    extra = [] if reference is None else [reference[0]["public_debt_pct_gdp"].values]
    low, high = debt_range(paths + extra, limit)
    fig.add_hrect(y0=limit, y1=high, fillcolor="crimson", opacity=0.07, line_width=0)
    for ds, path, name, dash in zip((base, reform), paths, names, SCENARIO_DASH):
        years = _years(ds, t)
        fig.add_scatter(x=years, y=path, name=name, mode="lines+markers", line={"dash": dash, "color": "#1f77b4"})
        above = np.flatnonzero(path > limit)
        if len(above):
            year, value = int(years[above[0]]), float(path[above[0]])
            fig.add_scatter(x=[year], y=[value], mode="markers", showlegend=False, hoverinfo="skip",
                            marker={"color": "crimson", "size": 13, "symbol": "x"})
            fig.add_annotation(x=year, y=value, text=t("breach_mark", name=name, year=year - _era(t), value=value),
                               showarrow=True, arrowcolor="crimson", font={"color": "crimson"}, ay=-35)
    if reference is not None:
        fig.add_scatter(x=_years(reference[0], t), y=extra[0], name=reference[1], mode="lines",
                        line={"dash": "dashdot", "color": REFERENCE_COLOUR})
    fig.add_hline(y=limit, line={"color": "crimson", "dash": "dash"}, annotation_text=t("ceiling", limit=limit),
                  annotation_position="bottom left")
    fig.update_yaxes(range=[low, high])
    return _layout(fig, t("debt_axis"), t, "end_of_year_axis")


def budget_impact(impact: BudgetImpact, t: Label) -> go.Figure:
    """The reform's budget impact by fiscal year (THB bn): the government's and the fund's shares as bars
    stacked with signs, each year's total written above its bars."""
    years = impact.table.index.values + _era(t)
    fig = go.Figure()
    for share in ("government", "fund"):
        values = impact.table[share].values / BN
        if np.abs(values).max(initial=0.0) < 1e-9:
            continue
        fig.add_bar(x=years, y=values, name=t(f"share.{share}"), marker_color=SHARE_COLOURS[share])
    total = impact.table["total"].values / BN
    fig.add_scatter(x=years, y=total, name=t("share.total"), mode="markers+text", text=[f"{v:,.1f}" for v in total],
                    textposition=["top center" if v >= 0 else "bottom center" for v in total],
                    marker={"color": "black", "size": 7})
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    fig.update_layout(barmode="relative")
    return _layout(fig, t("impact_axis"), t, "fiscal_year_axis")


def ssf_reserves(long_runs: tuple[xr.Dataset, xr.Dataset], depletion: tuple[int | None, int | None],
                 names: tuple[str, str], end_year: int, t: Label) -> go.Figure:
    """SSF reserves (THB bn) of both scenarios from the long runs, to ten years after the later depletion (or to
    2100), with the depletion years and the end of the projection marked."""
    last = int(long_runs[0].year.max())
    if all(year is not None for year in depletion):
        last = min(last, max(year for year in depletion if year is not None) + SSF_YEARS_AFTER_DEPLETION)
    fig = go.Figure()
    for ds, name, dash in zip(long_runs, names, SCENARIO_DASH):
        reserve = ds["ssf_reserve"].sel(year=slice(None, last)) / BN
        fig.add_scatter(x=_years(reserve, t), y=reserve.values, name=name, mode="lines", line={"dash": dash, "color": "#2ca02c"})
    for year in sorted({year for year in depletion if year is not None}):
        who = ", ".join(name for name, y in zip(names, depletion) if y == year)
        fig.add_vline(x=year + _era(t), line={"color": "crimson", "dash": "dash", "width": 1},
                      annotation_text=t("depletes", name=who, year=year), annotation_position="top right")
    fig.add_vline(x=end_year + _era(t), line={"color": "grey", "width": 1}, annotation_text=t("projection_end"),
                  annotation_position="bottom left")
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    return _layout(fig, t("reserve_axis"), t, "end_of_year_axis")


def _age_bands(population: xr.DataArray) -> pd.DataFrame:
    """Persons (thousand) by five-year age band (rows, youngest first) and sex (columns)."""
    band = np.minimum(population.age.values // AGE_BAND * AGE_BAND, 100)
    frame = population.to_pandas().T.groupby(band).sum() / 1e3
    frame.index = [f"{lo}–{lo + AGE_BAND - 1}" if lo < 100 else "100+" for lo in frame.index]
    return frame


def pyramids(ds: xr.Dataset, years: tuple[int, int], t: Label) -> go.Figure:
    """Population pyramids (thousand persons by five-year age band and sex) of two years side by side."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[t("pyramid_title", year=year) for year in years])
    frames = [_age_bands(ds["population"].sel(year=year)) for year in years]
    top = max(float(frame.to_numpy().max()) for frame in frames) * 1.05
    step = next(s for s in (50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000) if s * 3 >= top)
    for col, frame in enumerate(frames, start=1):
        for sex, sign, colour in (("male", -1, "#1f77b4"), ("female", 1, "#e377c2")):
            fig.add_bar(y=frame.index, x=sign * frame[sex], orientation="h", name=t(sex), marker_color=colour,
                        customdata=frame[sex], hovertemplate="%{y}: %{customdata:,.0f}", legendgroup=sex,
                        showlegend=col == 1, row=1, col=col)
        ticks = np.arange(-top // step * step, top, step)
        fig.update_xaxes(range=[-top, top], tickvals=ticks, ticktext=[f"{abs(v):,.0f}" for v in ticks],
                         title_text=t("persons_thousand"), row=1, col=col)
    fig.update_yaxes(title_text=t("age"), row=1, col=1)
    return fig.update_layout(barmode="relative", bargap=0.05, margin={"t": 40, "b": 10}, height=520)


def target_groups(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> go.Figure:
    """Poverty after transfers and coverage of each target group, baseline dotted and reform solid."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=[t("poverty_axis"), t("coverage_axis")])
    groups = [str(g) for g in reform.group.values]
    for ds, name, dash in zip((base, reform), names, SCENARIO_DASH):
        poverty = ds["poverty_rate"].sel(income_basis=POVERTY_BASIS).transpose("year", "group").sel(group=groups)
        coverage = ds["coverage_rate"].transpose("year", "group").sel(group=groups)
        for i, group in enumerate(groups):
            style = {"dash": dash, "color": GROUP_COLOURS[i % len(GROUP_COLOURS)]}
            legend = f"{t(f'group.{group}')} · {name}"
            fig.add_scatter(x=_years(ds, t), y=poverty.values[:, i], name=legend, legendgroup=legend, mode="lines",
                            line=style, row=1, col=1)
            fig.add_scatter(x=_years(ds, t), y=coverage.values[:, i], name=legend, legendgroup=legend,
                            mode="lines", line=style, showlegend=False, row=1, col=2)
    fig.update_xaxes(title_text=t("calendar_year_axis"))
    return fig.update_layout(hovermode="x unified", margin={"t": 40, "b": 10}, height=480)


MPI_PANELS: tuple[tuple[str, str], ...] = (("mpi", "mpi_axis"), ("mpi_headcount", "mpi_headcount_axis"),
                                         ("mpi_intensity", "mpi_intensity_axis"),
                                         ("adequacy_benefit_pct_line", "adequacy_axis"),
                                         ("lifted_by_transfers_pct", "lifted_axis"))
"""The master plan's indicators shown per target group: result variable, label of its axis."""


def mpi_adequacy(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> go.Figure:
    """The multidimensional poverty index (M0, H, A) and the adequacy of benefits (received as % of the poverty
    line, % lifted above it by transfers) of each target group by calendar year, baseline dotted, reform solid."""
    panels = [(name, key) for name, key in MPI_PANELS if name in reform and name in base]
    fig = make_subplots(rows=(len(panels) + 1) // 2, cols=2, subplot_titles=[t(key) for _, key in panels])
    groups = [str(g) for g in reform.group.values]
    for ds, name, dash in zip((base, reform), names, SCENARIO_DASH):
        for p, (variable, _) in enumerate(panels):
            values = ds[variable].transpose("year", "group").sel(group=groups)
            for i, group in enumerate(groups):
                legend = f"{t(f'group.{group}')} · {name}"
                fig.add_scatter(x=_years(ds, t), y=values.values[:, i], name=legend, legendgroup=legend,
                                mode="lines", line={"dash": dash, "color": GROUP_COLOURS[i % len(GROUP_COLOURS)]},
                                showlegend=p == 0, row=p // 2 + 1, col=p % 2 + 1)
    fig.update_xaxes(title_text=t("calendar_year_axis"))
    return fig.update_layout(hovermode="x unified", margin={"t": 40, "b": 10}, height=300 * ((len(panels) + 1) // 2))


def verdict_table(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> pd.DataFrame:
    """Each sustainability criterion, grouped by basis (legal ceiling, actuarial test, framework target): its
    basis, its role, its limit, and per scenario the least headroom and the verdict (PASS/FAIL with the first
    year of breach if binding; met or a warning from a year otherwise)."""
    tables = [summary.verdicts(ds) for ds in (base, reform)]
    specs = criterion_specs()
    table = pd.DataFrame({t("basis"): [t(f"basis_{b}") for b in tables[0]["basis"]],
                          t("role"): [t(f"role_{r}") for r in tables[0]["role"]],
                          t("limit"): [f"{specs[c].comparison} {limit:g}" for c, limit in tables[0]["limit"].items()],
                          t("col.unit"): [t(f"cunit.{specs[c].indicator}") for c in tables[0].index]},
                         index=tables[0].index)
    for verdicts, name in zip(tables, names):
        table[t("headroom_unit", name=name)] = verdicts["least headroom (pp)"].round(2)
    shown = {"PASS": "pass", "FAIL": "fail_from", "met": "met", "warning": "warning_from"}
    for verdicts, name in zip(tables, names):
        table[t("verdict", name=name)] = [t(shown[verdict], year=first) if "from" in shown[verdict] else t(shown[verdict])
                                          for verdict, first in zip(verdicts["verdict"], verdicts["first breach"])]
    table.index = [t(f"criterion.{c}") for c in table.index]
    table.index.name = t("criterion")
    return table


def criterion_specs() -> dict:
    """The sustainability criteria of the assumptions file by name (indicator, comparison, limit, basis)."""
    return dict(macro_file().sustainability_criteria)


def overall_verdict(ds: xr.Dataset, name: str, t: Label) -> str:
    """The overall verdict of guideline 3.1.2(4) for one scenario, with the number of warnings."""
    table = summary.verdicts(ds)
    warnings = int((table["verdict"] == "warning").sum())
    return t("overall_verdict", name=name, verdict=t("pass") if "FAIL" not in set(table["verdict"]) else t("fail"),
             warnings=warnings)
