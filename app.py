"""Streamlit app for budget analysts: choose a baseline and a reform, move the levers, and see at once what the
reform costs, whether it is sustainable and whom it helps.

Run with ``make app`` (``streamlit run app.py``). Results are cached by run identity (`model.identity.run_id`:
resolved inputs and model version). Any input error is shown as a message on the page, never as a traceback.
The SSF depletion year comes from 2023-2100 runs in a worker process (`model.app.runs`); the page does not wait
for them but looks every second and shows them when they are done. Costs are shown by fiscal year (1 October to
30 September, `model.app.fiscal_years`), the demography, debt, poverty and coverage by calendar year; every axis
and tile says which. The base-year tab holds the back-test of the baseline (`model.app.base_year`).
"""

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial

import pandas as pd
import streamlit as st
import xarray as xr

from model.api import run
from model.app import base_year, charts, exports, levers, runs
from model.app.headlines import POVERTY_PERIOD, Headlines, depletion_year, headlines
from model.app.labels import LANGUAGES, Lang, label
from model.errors import ModelInputError
from model.identity import run_id
from model.parameters import ParameterTree, Value
from model.scenario import Scenario, load_scenario

# The uploader takes files up to this size (MB), so that `exports.read_upload` says in words that a file over the
# 1 MB limit of scenarios is too large; the browser refuses bigger ones with only a red icon. The server's limit in
# .streamlit/config.toml is the same.
UPLOAD_LIMIT_MB = 10
UPLOADED = "\0uploaded"  # the reform choice that stands for the uploaded scenario
SCALES = {"preview": runs.PREVIEW_SCALE, "full": runs.FULL_SCALE}
EARLIEST_START = dt.date(2023, 1, 1)
POLL_SECONDS = 1.0  # how often the page looks whether the long runs have finished (each look reruns a fragment)
TILE_HEIGHT = 170  # pixels: the four tiles line up whether or not they show a difference
ROW_PIXELS = 35  # height of a row of st.dataframe: the back-test table shows every row without scrolling
BUDDHIST_ERA = 543  # years the Buddhist era (B.E.) is ahead of the common era: FY2024 is FY B.E. 2567
Label = Callable[..., str]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_run(identity: str, _scenario: Scenario) -> xr.Dataset:
    """The result of a scenario (already at the app's scale, seed and years), cached by its run identity."""
    return run(_scenario)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_backtest(identity: str, _base: xr.Dataset) -> pd.DataFrame:
    """The base-year back-test of a baseline result, cached by the result's run identity."""
    return base_year.backtest(_base)


@st.cache_resource
def long_runs() -> runs.LongRuns:
    """The worker process of the 2023-2100 runs, one per server."""
    return runs.LongRuns()


def shipped() -> list[str]:
    """Names of the scenarios in scenarios/."""
    return exports.shipped_names()


def number(value: float) -> str:
    """A number with thousands separators and at most two decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def choose_scenarios(t: Label) -> tuple[Scenario, Scenario]:
    """Sidebar: the baseline and the reform, from scenarios/ or an uploaded file (validated, errors shown)."""
    choice = st.sidebar.container()
    upload = st.sidebar.file_uploader(t("upload"), type=["yaml", "yml"], max_upload_size=UPLOAD_LIMIT_MB,
                                      key="upload")
    if upload is not None and upload.file_id != st.session_state.get("upload_id"):
        st.session_state.upload_id = upload.file_id
        st.session_state.upload_error = None
        try:
            st.session_state.uploaded = exports.read_upload(upload.name, upload.getvalue())
            st.session_state.reform = UPLOADED
        except ModelInputError as error:
            st.session_state.upload_error = str(error)
    if upload is not None and st.session_state.upload_error:
        st.sidebar.error(t("upload_error", error=st.session_state.upload_error))
    names = shipped()
    options = names + ([UPLOADED] if "uploaded" in st.session_state else [])
    st.session_state.setdefault("baseline", "baseline")
    st.session_state.setdefault("reform", "oaa_ladder_2025")

    def show(name: str) -> str:
        return t("uploaded", name=st.session_state.uploaded.name) if name == UPLOADED else name

    with choice:
        st.subheader(t("scenarios"))
        base_name = st.selectbox(t("baseline"), names, key="baseline")
        reform_name = st.selectbox(t("reform"), options, format_func=show, key="reform")
    reform = st.session_state.uploaded if reform_name == UPLOADED else load_scenario(reform_name)
    if reform_name == UPLOADED:
        st.sidebar.success(t("upload_ok", name=reform.name))
    return load_scenario(base_name), reform


def shown_value(lever: levers.Lever, value: Value, t: Label) -> str:
    """A parameter value as the control shows it."""
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    return number(float(lever.shown(value)))


def schedule_text(lever: levers.Lever, tree: ParameterTree, start: dt.date, t: Label) -> str:
    """The value in force on `start` and the later dated values to 2037, e.g. '15,000; from 2026-01-01: 17,500'."""
    steps = levers.schedule(tree.info(lever.path), start)
    first, *later = [shown_value(lever, value, t) for _, value in steps]
    return "; ".join([first, *(f"{t('from')} {day.isoformat()}: {text}" for (day, _), text in zip(steps[1:], later))])


def lever_control(lever: levers.Lever, trees: tuple[ParameterTree, ParameterTree], default_start: dt.date,
                  start: dt.date, key: str, t: Label, lang: Lang) -> tuple[Value, Value]:
    """One control with its unit, the current-law value and its citation; returns (value, untouched value)."""
    law, reform = trees
    info = law.info(lever.path)
    name = info.label_th if lang == "th" else info.label_en
    default = lever.shown(reform.get(lever.path, default_start))
    citation = law.citation(lever.path, start)
    if isinstance(default, bool):
        value: Value = st.toggle(name, value=default, key=key, help=citation)
    else:
        integral = isinstance(default, int) and float(lever.step).is_integer()
        cast = int if integral else float
        low, high = lever.bounds(info)
        value = st.number_input(f"{name} ({t(lever.unit)})", min_value=cast(min(low, default)),
                                max_value=cast(max(high, default)), value=cast(default), step=cast(lever.step),
                                format=None if integral else "%.2f", key=key, help=citation)
    law_text = schedule_text(lever, law, start, t)
    reform_text = schedule_text(lever, reform, start, t)
    source = citation.split(",")[0]  # e.g. "[S1] The Nation"; the whole citation is in the help text
    caption = f"{t('current_law')}: {law_text}"
    if reform_text != law_text:
        caption += f" · {t('in_reform')}: {reform_text}"
    st.caption(f"{caption} · {t('source')}: {source}")
    return value, default


def lever_controls(reform: Scenario, t: Label, lang: Lang) -> Scenario:
    """Sidebar: the levers, grouped by scheme, then the macro levers; returns the reform with the changes."""
    st.sidebar.subheader(t("levers"))
    st.sidebar.caption(t("levers_note"))
    rid = reform.fingerprint()[:10]  # controls start again from the reform's values when another is chosen
    trees = (ParameterTree.load(), levers.reform_tree(reform))
    changes: dict[str, tuple[dt.date, Value]] = {}
    for group in levers.GROUPS:
        with st.sidebar.expander(t(f"scheme.{group.key}")):
            default_start = levers.group_start(group, reform)
            start = st.date_input(t("start_date"), value=default_start, min_value=min(default_start, EARLIEST_START),
                                  max_value=levers.HORIZON_END, key=f"{group.key}.start@{rid}")
            for lever in group.levers:
                value, default = lever_control(lever, trees, default_start, start, f"{lever.path}@{rid}", t, lang)
                if value != default:
                    changes[lever.path] = (start, lever.stored(value))
    shifts: dict[str, float] = {}
    with st.sidebar.expander(t("macro")):
        for series in levers.MACRO_SERIES:
            path = levers.macro_path(reform.macro, series)
            sources, assumptions = levers.macro_citation(series)
            shifts[series] = st.number_input(
                f"{t('shift', name=t(series))} ({t('unit.pp')})", min_value=-levers.MACRO_SHIFT_PP,
                max_value=levers.MACRO_SHIFT_PP, value=0.0, step=0.25, format="%.2f", key=f"macro.{series}@{rid}",
                help=t("macro_sources", sources=sources, assumptions=assumptions))
            steps = " · ".join(f"{year}: {100 * path[year]:.1f}%" for year in levers.MACRO_PATH_YEARS)
            st.caption(f"{t('assumption_path')}: {steps} · {t('source')}: {sources.split('; ')[0]}")
    return levers.with_levers(reform, changes, shifts)


def tile(title: str, value: str, change: float | None, show_change: Callable[[float], str], baseline: str,
         colour: str, help_text: str) -> None:
    """One headline number: the reform's value, its difference from the baseline (hidden when it shows as zero)
    and the baseline's value."""
    delta = None if change is None or show_change(change) == show_change(0.0) else show_change(change)
    with st.container(border=True, height=TILE_HEIGHT):
        st.metric(title, value, delta, delta_color=colour, help=help_text)  # type: ignore[arg-type]
        st.caption(baseline)


def headline_tiles(base: Headlines, reform: Headlines, t: Label) -> st.delta_generator.DeltaGenerator:
    """The cost, debt-headroom and old-age poverty tiles; returns the column that will hold the SSF depletion tile."""
    cost_col, depletion_col, headroom_col, poverty_col = st.columns(4)

    def pp(value: float) -> str:
        return t("pp", value=value)

    def pct(value: float) -> str:
        return t("pct", value=value)

    with cost_col:
        year = reform.cost_fiscal_year
        tile(t("tile_cost", year=year), pct(reform.cost_pct_gdp), reform.cost_pct_gdp - base.cost_pct_gdp,
             pp, t("tile_baseline", value=pct(base.cost_pct_gdp)), "inverse",
             t("help_cost", year=year, previous=year - 1, be=year + BUDDHIST_ERA))
    with headroom_col:
        tile(t("tile_headroom"), pp(reform.debt_headroom_pp), reform.debt_headroom_pp - base.debt_headroom_pp, pp,
             t("tile_baseline", value=pp(base.debt_headroom_pp)), "normal",
             t("help_headroom", limit=reform.debt_limit, start=reform.start_year, end=reform.end_year,
               year=reform.debt_headroom_year))
    with poverty_col:
        start, end = POVERTY_PERIOD
        tile(t("tile_poverty", start=start, end=end), pp(reform.poverty_change_pp),
             reform.poverty_change_pp - base.poverty_change_pp, pp,
             t("tile_baseline", value=pp(base.poverty_change_pp)), "inverse",
             t("help_poverty", start=start, end=end, first=reform.poverty_first, last=reform.poverty_last))
    return depletion_col


def depletion_tile(years: tuple[int | None, int | None] | None, scale: float, t: Label) -> None:
    """The SSF depletion tile: the year the reserves run out (or 'after 2100'), or a note while it is computed."""
    help_text = t("help_depletion", scale=scale)
    if years is None:
        tile(t("tile_depletion"), "…", None, str, t("computing"), "off", help_text)
        return

    def text(year: int | None) -> str:
        return t("after_2100") if year is None else str(year)

    base, reform = years
    change = None if base is None or reform is None else reform - base
    tile(t("tile_depletion"), text(reform), change, lambda value: t("year_delta", value=int(value)),
         t("tile_baseline", value=text(base)), "normal", help_text)


def long_jobs(scenarios: tuple[Scenario, Scenario]) -> list[Future[xr.Dataset]]:
    """The worker's jobs of the 2023-2100 runs of the baseline and the reform, started if need be."""
    return [long_runs().submit(scenario) for scenario in scenarios]


def finished(jobs: list[Future[xr.Dataset]]) -> bool:
    """Whether every job has finished (with a result or an error)."""
    return all(job.done() and not job.cancelled() for job in jobs)


def poll_long_runs(scenarios: tuple[Scenario, Scenario]) -> None:
    """Look at the long runs every POLL_SECONDS, and run the page again when they have finished; the page itself
    never waits for them, so a change of a control is shown at once."""
    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        if finished(long_jobs(scenarios)):
            st.rerun()

    poll()


def long_results(jobs: list[Future[xr.Dataset]]) -> tuple[tuple[xr.Dataset, xr.Dataset] | None, str | None]:
    """(results, None) of finished long runs, or (None, error message) if one failed."""
    try:
        return (jobs[0].result(), jobs[1].result()), None
    except BrokenProcessPool as error:
        long_runs.clear()  # the next page run starts a new worker
        return None, str(error)
    except ModelInputError as error:
        return None, str(error)


def chart_tabs(base: xr.Dataset, reform: xr.Dataset, long: tuple[xr.Dataset, xr.Dataset] | None,
               names: tuple[str, str], t: Label) -> None:
    """The chart tabs, of which only the open one is drawn; the SSF chart needs the long runs (`long`, None
    while they run)."""
    keys = ("cost", "difference", "debt", "ssf", "population", "groups", "verdicts", "backtest")
    tabs = dict(zip(keys, st.tabs([t(f"tab_{key}") for key in keys], key="tab", on_change="rerun")))
    years = [int(y) for y in reform.year.values]

    def measure_label(measure: str) -> str:
        return t(f"measure.{measure}")

    if tabs["cost"].open:
        with tabs["cost"]:
            measure = st.radio(t("measure"), charts.MEASURES, format_func=measure_label, horizontal=True,
                               key="measure")
            st.plotly_chart(charts.cost_by_scheme(reform, base, measure, names, t))
            st.caption(t("cost_note"))
    if tabs["difference"].open:
        with tabs["difference"]:
            measure = st.radio(t("measure"), charts.MEASURES, format_func=measure_label, horizontal=True,
                               key="measure_difference")
            st.plotly_chart(charts.cost_difference(base, reform, measure, t))
            st.caption(t("cost_note"))
    if tabs["debt"].open:
        with tabs["debt"]:
            st.plotly_chart(charts.public_debt(base, reform, headlines(reform).debt_limit, names, t))
    if tabs["population"].open:
        with tabs["population"]:
            year = st.slider(t("pyramid_year"), years[1], years[-1], years[-1], key="pyramid_year")
            st.plotly_chart(charts.pyramids(reform, (years[0], year), t))
    if tabs["groups"].open:
        with tabs["groups"]:
            st.plotly_chart(charts.target_groups(base, reform, names, t))
            st.caption(t("poverty_note"))
    if tabs["verdicts"].open:
        with tabs["verdicts"]:
            for ds, name in zip((base, reform), names):
                st.markdown(charts.overall_verdict(ds, name, t))
            st.dataframe(charts.verdict_table(base, reform, names, t))
            st.caption(t("verdict_note", start=years[0], end=years[-1]))
            st.caption(t("not_evaluated_note"))
    if tabs["backtest"].open:
        with tabs["backtest"]:
            backtest_tab(base, t)
    if tabs["ssf"].open:
        with tabs["ssf"]:
            if long is None:
                st.caption(t("computing"))
            else:
                depletion = (depletion_year(long[0]), depletion_year(long[1]))
                st.plotly_chart(charts.ssf_reserves(long, depletion, names, years[-1], t))
                st.caption(t("ssf_caption", scale=float(long[1].attrs["scale"]), end=years[-1]))


def backtest_tab(base: xr.Dataset, t: Label) -> None:
    """The base-year back-test of the baseline at the page's scale and seed: every validated administrative total
    with the model's value, the error, the tolerance and pass or fail; and the values solved against them."""
    table = cached_backtest(base.attrs["run_id"], base)
    passed, checked = base_year.summary_counts(table)
    st.dataframe(base_year.shown_table(table, t), height=ROW_PIXELS * (len(table) + 1) + 3, column_config={
        t("bt.model"): st.column_config.NumberColumn(format="%.2f"),
        t("bt.target"): st.column_config.NumberColumn(format="%.2f"),
        t("bt.error"): st.column_config.NumberColumn(format="%+.1f"),
        t("bt.tolerance"): st.column_config.NumberColumn(format="%.0f")})
    st.caption(t("backtest_caption", name=table.attrs["scenario"], scale=table.attrs["scale"],
                 seed=table.attrs["seed"], passed=passed, checked=checked))
    with st.expander(t("calibrated_title")):
        st.dataframe(base_year.calibrated(t), hide_index=True)
        st.caption(t("calibrated_note"))


def downloads(scenario: Scenario, base: xr.Dataset, reform: xr.Dataset, t: Label) -> None:
    """Download buttons: the current settings as a scenario file, and both results (with the fiscal-year measures
    the charts show) as CSV and NetCDF."""
    st.subheader(t("downloads"))
    yaml_col, csv_col, nc_col = st.columns(3)
    yaml_col.download_button(t("download_yaml"), exports.scenario_yaml(scenario), f"{scenario.name}.yaml",
                             "application/x-yaml", on_click="ignore", key="download_yaml")
    both = partial(exports.comparison, base, reform)
    csv_col.download_button(t("download_csv"), lambda: exports.results_csv(both()), f"{scenario.name}.csv",
                            "text/csv", on_click="ignore", key="download_csv")
    nc_col.download_button(t("download_nc"), lambda: exports.results_netcdf(both()), f"{scenario.name}.nc",
                           "application/x-netcdf", on_click="ignore", key="download_nc")


def main() -> None:
    """The page; an input error anywhere in it is shown as a message."""
    st.set_page_config(page_title="Thailand social protection 2023–2037", layout="wide")
    lang: Lang = st.sidebar.radio(label("language", "en"), list(LANGUAGES),
                                  format_func=LANGUAGES.__getitem__, horizontal=True, key="lang",
                                  label_visibility="collapsed")
    t: Label = partial(label, lang=lang)
    st.title(t("title"))
    try:
        page(t, lang)
    except ModelInputError as error:
        st.error(t("run_error", error=error))


def page(t: Label, lang: Lang) -> None:
    """Scenarios, levers, tiles, charts and downloads."""
    base_file, reform_file = choose_scenarios(t)
    precision = st.sidebar.radio(t("precision"), list(SCALES), key="precision",
                                 format_func=lambda key: t(f"scale_{key}", scale=SCALES[key]))
    edited = lever_controls(reform_file, t, lang)
    scale = SCALES[precision]
    try:
        reform_sc = runs.for_app(edited, scale, edited.seed)
        base_sc = runs.for_app(base_file, scale, edited.seed)
    except ModelInputError as error:
        st.error(t("run_error", error=error))
        st.stop()
    long_scenarios = (runs.long_horizon(base_sc), runs.long_horizon(reform_sc))
    long_runs().cancel_others(long_scenarios)
    jobs = long_jobs(long_scenarios)
    try:
        with st.spinner(t("running", name=reform_sc.name, scale=scale), show_time=True):
            base = cached_run(run_id(base_sc), base_sc)
            reform = cached_run(run_id(reform_sc), reform_sc)
    except ModelInputError as error:
        st.error(t("run_error", error=error))
        st.stop()
    for role, scenario, ds in ((t("baseline"), base_sc, base), (t("reform"), reform_sc, reform)):
        st.caption(f"{role} **{scenario.name}** · " + t(
            "run_info", scale=ds.attrs["scale"], seed=ds.attrs["seed"], start=int(ds.year[0]), end=int(ds.year[-1]),
            fy_start=int(ds.fiscal_year[0]), fy_end=int(ds.fiscal_year[-1]), hash=ds.attrs["parameters_hash"][:12]))
    long, error = long_results(jobs) if finished(jobs) else (None, None)
    names = (t("baseline"), t("reform"))
    with headline_tiles(headlines(base), headlines(reform), t):
        depletion = None if long is None else (depletion_year(long[0]), depletion_year(long[1]))
        depletion_tile(depletion, long_scenarios[1].scale, t)
        if error is not None:
            st.error(t("run_error", error=error))
        elif long is None:
            poll_long_runs(long_scenarios)
    chart_tabs(base, reform, long, names, t)
    downloads(reform_sc, base, reform, t)
    st.caption(t("poverty_note"))


if __name__ == "__main__":  # Streamlit runs the page as __main__; the worker process imports it as __mp_main__
    main()
