"""Streamlit app for budget analysts: choose a baseline and a reform, move the levers, and see at once what the
reform costs, whether it is sustainable and whom it helps.

Run with ``make app`` (``streamlit run app.py``). Results are cached by run identity (`model.identity.run_id`:
resolved inputs and model version). Any input error is shown as a message on the page, never as a traceback.
The SSF depletion year comes from 2023-2100 runs in a worker process (`model.app.runs`); the page does not wait
for them but looks every second and shows them when they are done. Costs are shown by fiscal year (1 October to
30 September, `model.app.fiscal_years`), the demography, debt, poverty and coverage by calendar year; every axis
and tile says which. The base-year tab holds the back-test of the baseline (`model.app.base_year`).

The page opens on the headline: the reform's budget impact by fiscal year and over the plan period
(`model.app.impact`) in one sentence, and a pass/fail banner per criterion. Every chart has its table and its
own download. The settings live in the page's address (`model.app.state`), so a reload keeps a reform and a link
shares it. The Thai view shows Buddhist-era years and uses the Sarabun font served from static/fonts (OFL).
"""

import datetime as dt
import gc
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial

import pandas as pd
import streamlit as st
import xarray as xr

from model.api import run
from model.app import (base_year, builder, charts, current_policy, exports, household, impact, levers, precision,
                       runs, snippet, state, summary_text, tables, who_gains)
from model.app.headlines import POVERTY_PERIOD, Headlines, depletion_year, headlines
from model.app.labels import LANGUAGES, Lang, date_text, era_year, label
from model.app.widgets import sticky_choice, sticky_toggle
from model.app.workbook import WorkbookInput, workbook_bytes
from model.errors import ModelInputError
from model.identity import run_id
from model.parameters import ParameterTree, Value
from model.population.remembered_path import remember_paths
from model.scenario import Scenario, load_scenario

# The uploader takes files up to this size (MB), so that `exports.read_upload` says in words that a file over the
# 1 MB limit of scenarios is too large; the browser refuses bigger ones with only a red icon. The server's limit in
# .streamlit/config.toml is the same.
UPLOAD_LIMIT_MB = 10
UPLOADED = "\0uploaded"  # the reform choice that stands for the uploaded scenario
SCALES = {"preview": runs.PREVIEW_SCALE, "full": runs.FULL_SCALE}
DEFAULT_PRECISION = "full"  # an address without a precision, or a new session, runs at 1 row = 100 persons
EARLIEST_START = dt.date(2023, 1, 1)
POLL_SECONDS = 1.0  # how often the page looks whether the long runs have finished (each look reruns a fragment)
TILE_HEIGHT = 170  # pixels: the four tiles line up whether or not they show a difference
ROW_PIXELS = 35  # height of a row of st.dataframe: the back-test table shows every row without scrolling
Label = Callable[..., str]
FONT_FILES = (("thai", "400"), ("thai", "700"), ("latin", "400"), ("latin", "700"))
UNICODE_RANGES = {"thai": "U+02D7,U+0303,U+0331,U+0E01-0E5B,U+200C-200D,U+25CC",
                  "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,"
                           "U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"}
FONTS = {"en": '"Source Sans", "Source Sans Pro", "Sarabun", sans-serif', "th": '"Sarabun", sans-serif'}
BANNER = {"pass": ("green", "check_circle"), "fail": ("red", "cancel"), "met": ("gray", "check"),
          "warning": ("orange", "warning")}  # colour and Material icon of each kind of verdict in the banner


@st.cache_data(max_entries=64, show_spinner=False)
def cached_run(identity: str, _scenario: Scenario) -> xr.Dataset:
    """The result of a scenario (already at the app's scale, seed and years), cached by its run identity."""
    return run(_scenario)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_backtest(identity: str, _base: xr.Dataset) -> pd.DataFrame:
    """The base-year back-test of a baseline result, cached by the result's run identity."""
    return base_year.backtest(_base)


@st.cache_resource(show_spinner=False)
def settled_heap() -> int:
    """Once per server process, after its first page run: collect, then move every object then alive (modules,
    parameter trees, Streamlit's, pandas' and plotly's own: about 310,000) out of the cyclic garbage collector's
    way (`gc.freeze`; they are still freed when no longer referenced). The full collection Streamlit makes after
    every page run and every look at the long runs (runner.postScriptGC) then takes milliseconds instead of about
    0.15 s of CPU, during which no other thread of the server can run. Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


@st.cache_resource
def long_runs() -> runs.LongRuns:
    """The worker process of the 2023-2100 runs, one per server."""
    return runs.LongRuns()


def style(t: Label, lang: Lang) -> None:
    """The Sarabun font (static/fonts, SIL Open Font License) for the page in Thai, and a mark on charts that
    show the previous result while the page runs again."""
    faces = "".join(
        f"@font-face{{font-family:'Sarabun';font-style:normal;font-weight:{weight};font-display:swap;"
        f"src:url('app/static/fonts/sarabun-{subset}-{weight}-normal.woff2') format('woff2');"
        f"unicode-range:{UNICODE_RANGES[subset]};}}" for subset, weight in FONT_FILES)
    font = FONTS[lang]
    st.html(f"""<style>{faces}
html, body, .stApp, .stApp p, .stApp label, .stApp button, .stApp input, .stApp textarea, .stApp li,
.stApp h1, .stApp h2, .stApp h3, [data-testid="stMetricValue"], [data-testid="stMetricLabel"] {{font-family:{font};}}
.stElementContainer[data-stale="true"] [data-testid="stPlotlyChart"] {{opacity:.35;filter:grayscale(1);}}
.stElementContainer[data-stale="true"]:has([data-testid="stPlotlyChart"]) {{position:relative;}}
.stElementContainer[data-stale="true"]:has([data-testid="stPlotlyChart"])::after {{content:"{t('updating')}";
 position:absolute;top:45%;left:0;right:0;text-align:center;font-weight:600;font-size:1.2rem;color:#555;}}
.st-key-headline p {{font-size:1.15rem;}}
</style>""")


def restore_from_address() -> None:
    """Once per session: the settings of the page's address (`model.app.state`) into the session; the parameter
    changes wait in `pending_edits` and `pending_shifts` until the reform's controls are drawn."""
    if "address_read" in st.session_state:
        return
    st.session_state.address_read = True
    settings = state.from_query({key: st.query_params.get_all(key) for key in st.query_params}, shipped())
    for key in ("lang", "baseline", "reform", "precision"):
        if getattr(settings, key) is not None:
            st.session_state[key] = getattr(settings, key)
    st.session_state.pending_edits = settings.edits
    st.session_state.pending_shifts = settings.shifts
    st.session_state.address_ignored = settings.ignored


def write_address(lang: Lang, edits: state.Edits, shifts: dict[str, float]) -> None:
    """The page's settings into its address (the uploaded reform cannot be named there)."""
    reform = st.session_state.get("reform")
    settings = state.Settings(lang=lang, baseline=st.session_state.get("baseline"),
                              reform=None if reform == UPLOADED else reform,
                              precision=st.session_state.get("precision"), edits=dict(edits), shifts=dict(shifts))
    query = state.to_query(settings)
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: value if isinstance(value, list) else [value] for key, value in query.items()}:
        st.query_params.from_dict(query)


def scenario_name(name: str, t: Label) -> str:
    """A shipped scenario's name in the page's language (its file name when it has no label)."""
    text = t(f"scenario.{name}")
    return name if text == f"scenario.{name}" else text


def shipped() -> list[str]:
    """Names of the scenarios in scenarios/."""
    return exports.shipped_names()


def number(value: float) -> str:
    """A number with thousands separators and at most two decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def read_upload(t: Label) -> None:
    """Sidebar: the uploader; a valid upload becomes the reform, an invalid one is reported."""
    upload = st.sidebar.file_uploader(t("upload"), type=["yaml", "yml"], max_upload_size=UPLOAD_LIMIT_MB,
                                      key="upload")
    if upload is not None and upload.file_id != st.session_state.get("upload_id"):
        st.session_state.upload_id = upload.file_id
        st.session_state.upload_error = None
        try:
            st.session_state.uploaded = exports.read_upload(upload.name, upload.getvalue())
            st.session_state.upload_name = upload.name
            st.session_state.reform = UPLOADED
        except ModelInputError as error:
            st.session_state.upload_error = str(error)
    if upload is not None and st.session_state.upload_error:
        st.sidebar.error(t("upload_error", error=st.session_state.upload_error))


def chosen_scenarios() -> tuple[Scenario, Scenario]:
    """The baseline and the reform as chosen (the session's values; the select boxes are drawn later)."""
    names = shipped()
    if st.session_state.get("baseline") not in names:
        st.session_state.baseline = "baseline"
    options = names + ([UPLOADED] if "uploaded" in st.session_state else [])
    if st.session_state.get("reform") not in options:
        st.session_state.reform = "oaa_ladder_2025"
    reform_name = st.session_state.reform
    reform = st.session_state.uploaded if reform_name == UPLOADED else load_scenario(reform_name)
    return load_scenario(st.session_state.baseline), reform


def scenario_selectors(box: st.delta_generator.DeltaGenerator, edits: int, t: Label, lang: Lang) -> None:
    """The baseline and reform select boxes (in `box`, at the top of the sidebar); the reform's says when the
    controls have changed it and how many changes."""
    names = shipped()
    options = names + ([UPLOADED] if "uploaded" in st.session_state else [])

    def show(name: str) -> str:
        text = t("uploaded", name=st.session_state.uploaded.name) if name == UPLOADED else scenario_name(name, t)
        return t("edited", name=text, count=edits) if edits and name == st.session_state.reform else text

    with box:
        st.subheader(t("scenarios"))
        sticky_choice(st.selectbox, t("baseline"), names, "baseline", "baseline", lang,
                      format_func=lambda name: scenario_name(name, t))
        sticky_choice(st.selectbox, t("reform"), options, "reform", "oaa_ladder_2025",
                      f"{lang}{'.edited' if edits else ''}", format_func=show)
        if edits:
            st.caption(t("edited_note", count=edits, name=show(st.session_state.reform).split(" · ")[0]))
        if st.session_state.reform == UPLOADED:
            st.success(t("upload_ok", name=st.session_state.uploaded.name))


def shown_value(lever: levers.Lever, value: Value, t: Label) -> str:
    """A parameter value as the control shows it."""
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    return number(float(lever.shown(value)))


def schedule_text(lever: levers.Lever, tree: ParameterTree, start: dt.date, t: Label, lang: Lang) -> str:
    """The value in force on `start` and the later dated values to 2037, e.g. '15,000; from 2026-01-01: 17,500'."""
    steps = levers.schedule(tree.info(lever.path), start)
    first, *later = [shown_value(lever, value, t) for _, value in steps]
    return "; ".join([first, *(f"{t('from')} {date_text(day, lang)}: {text}"
                                for (day, _), text in zip(steps[1:], later))])


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
    law_text = schedule_text(lever, law, start, t, lang)
    reform_text = schedule_text(lever, reform, start, t, lang)
    source = citation.split(",")[0]  # e.g. "[S1] The Nation"; the whole citation is in the help text
    caption = f"{t('current_law')}: {law_text}"
    if reform_text != law_text:
        caption += f" · {t('in_reform')}: {reform_text}"
    st.caption(f"{caption} · {t('source')}: {source}")
    return value, default


def apply_pending(rid: str) -> None:
    """The parameter changes of the page's address (read once per session) onto the controls of the reform now
    chosen: a lever's value and its group's start date; any other change (or a second date in a group) joins
    the builder's changes."""
    edits: state.Edits = st.session_state.pop("pending_edits", {})
    shifts: dict[str, float] = st.session_state.pop("pending_shifts", {})
    built = st.session_state.setdefault("builder_edits", {})
    starts: dict[str, dt.date] = {}
    for path, (day, value) in edits.items():
        found = [(group, lever) for group in levers.GROUPS for lever in group.levers if lever.path == path]
        if found and starts.setdefault(found[0][0].key, day) == day:
            group, lever = found[0]
            st.session_state[f"{group.key}.start@{rid}"] = day
            st.session_state[f"{path}@{rid}"] = lever.shown(value)
        else:
            built[path] = (day, value)
    for series, pp in shifts.items():
        st.session_state[f"macro.{series}@{rid}"] = float(pp)


def lever_controls(reform: Scenario, t: Label, lang: Lang) -> tuple[state.Edits, dict[str, float]]:
    """Sidebar: the levers, grouped by scheme, then the macro levers; returns the changed parameters
    {path: (start, value)} and macro shifts {series: percentage points}."""
    st.sidebar.subheader(t("levers"))
    st.sidebar.caption(t("levers_note"))
    rid = reform.fingerprint()[:10]  # controls start again from the reform's values when another is chosen
    apply_pending(rid)
    trees = (ParameterTree.load(), levers.reform_tree(reform))
    changes: state.Edits = {}
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
            steps = " · ".join(f"{era_year(year, lang)}: {100 * path[year]:.1f}%" for year in levers.MACRO_PATH_YEARS)
            st.caption(f"{t('assumption_path')}: {steps} · {t('source')}: {sources.split('; ')[0]}")
    return changes, {series: pp for series, pp in shifts.items() if pp}


def builder_controls(t: Label, lang: Lang) -> state.Edits:
    """Sidebar: the reform builder over every parameter (search, then a value from a date); returns its changes
    {path: (date, value)}, kept for the session (and in the page's address)."""
    built: state.Edits = st.session_state.setdefault("builder_edits", {})
    with st.sidebar.expander(t("builder"), expanded=bool(built)):
        query = st.text_input(t("builder_search"), key="builder_query")
        found = builder.search(query)
        st.caption(t("builder_matches", count=len(found), total=len(builder.entries())))
        if found:
            entries = {entry.path: entry for entry in found}

            def show(path: str) -> str:
                entry = entries[path]
                return f"{entry.label_th if lang == 'th' else entry.label_en} · {path}"

            path = st.selectbox(t("builder_pick"), list(entries), format_func=show, key=f"builder_pick.{lang}")
            entry = entries[path]
            st.caption(t("builder_info", unit=entry.unit, law=entry.law, low=builder.bound_text(entry.minimum),
                         high=builder.bound_text(entry.maximum), source=entry.citation))
            with st.form(f"builder_form.{path}", border=False):
                if entry.kind == "bool":
                    value: Value = st.toggle(t("builder_value", unit=entry.unit), value=bool(entry.law),
                                             key=f"builder_value.{path}")
                elif entry.kind == "number":
                    law = float(entry.law) if entry.law is not None else entry.minimum
                    value = st.number_input(t("builder_value", unit=entry.unit), min_value=float(entry.minimum),
                                            max_value=float(entry.maximum), value=min(max(law, entry.minimum),
                                                                                      entry.maximum),
                                            format="%g", key=f"builder_value.{path}")
                    if float(value).is_integer() and isinstance(entry.law, int):
                        value = int(value)
                else:
                    value = st.text_input(t("builder_value", unit=entry.unit), value=str(entry.law or ""),
                                          key=f"builder_value.{path}")
                day = st.date_input(t("builder_date"), value=builder.TODAY_OF_LAW, min_value=EARLIEST_START,
                                    max_value=levers.HORIZON_END, key=f"builder_date.{path}")
                if st.form_submit_button(t("builder_add")):
                    try:
                        ParameterTree.load().with_overrides({path: {day: value}})
                        built[path] = (day, value)
                    except ModelInputError as error:
                        st.error(t("builder_error", error=error))
        for path, (day, value) in list(built.items()):
            text, remove = st.columns([5, 2])
            info = ParameterTree.load().info(path)
            text.caption(t("builder_edit", label=info.label_th if lang == "th" else info.label_en, value=value,
                           date=date_text(day, lang)))
            if remove.button(t("builder_remove"), key=f"builder_remove.{path}"):
                built.pop(path)
                st.rerun()
    return dict(built)


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
             t("help_cost", year=year, previous=year - 1))
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
             t("help_poverty", start=start, end=end, rate_first=reform.poverty_first, rate_last=reform.poverty_last))
    return depletion_col


def depletion_tile(years: tuple[int | None, int | None] | None, scale: float, t: Label, lang: Lang) -> None:
    """The SSF depletion tile: the year the reserves run out (or 'after 2100'), or a note while it is computed."""
    help_text = t("help_depletion", scale=scale)
    if years is None:
        tile(t("tile_depletion"), "…", None, str, t("computing"), "off", help_text)
        return

    def text(year: int | None) -> str:
        return t("after_2100") if year is None else str(era_year(year, lang))

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


def poll_long_runs(scenarios: tuple[Scenario, Scenario], t: Label) -> None:
    """Look at the long runs every POLL_SECONDS, show their progress against an estimate of their time, and run
    the page again when they have finished; the page itself never waits for them, so a change of a control is
    shown at once."""
    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        jobs = long_jobs(scenarios)
        if finished(jobs):
            st.rerun()
        elapsed, estimate = long_runs().progress(jobs)
        st.progress(min(elapsed / estimate, 0.99) if estimate > 0 else 0.0,
                    text=t("long_progress", elapsed=elapsed, estimate=max(estimate, elapsed)))

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


def headline(budget: impact.BudgetImpact, verdicts: list[impact.CriterionVerdict], reform_name: str,
             years: tuple[int, int], t: Label) -> tuple[str, list[tuple[str, str]]]:
    """The one-line summary and the banner of criteria at the top of the page; returns both (for the workbook)."""
    sentence = summary_text.summary_sentence(budget, verdicts, reform_name, years[1], t)
    lines = summary_text.banner(verdicts, t)
    with st.container(key="headline"):
        st.markdown(sentence)
    with st.container(key="banner"):
        st.markdown(" ".join(f":{BANNER[kind][0]}-badge[:material/{BANNER[kind][1]}: {text}]" for kind, text in lines))
        st.caption(t("banner_note", start=years[0], end=years[1]))
    return sentence, lines


def styled(fig: charts.go.Figure, lang: Lang) -> charts.go.Figure:
    """A figure in the page's font."""
    return fig.update_layout(font={"family": FONTS[lang].replace('"', "")})


def chart_block(fig: charts.go.Figure, table: pd.DataFrame, name: str, t: Label, lang: Lang) -> None:
    """A chart, its table (in an expander) and the table's own download."""
    st.plotly_chart(styled(fig, lang), key=f"chart_{name}")
    with st.expander(t("table")):
        st.dataframe(table)
    table_download(table, name, t)


def table_download(table: pd.DataFrame, name: str, t: Label) -> None:
    """A table's own download (CSV)."""
    st.download_button(t("download_table"), tables.csv_bytes(table), f"{name}.csv", "text/csv",
                       key=f"download_{name}", on_click="ignore")


def erosion_caption(base: xr.Dataset, reference: tuple[xr.Dataset, str] | None, t: Label) -> None:
    """How much of current law's fall in cost is the erosion of its frozen amounts, when the page shows current
    law and current policy (as the baseline and the reference path, either way round)."""
    baseline = st.session_state.get("baseline")
    if reference is None or baseline not in (current_policy.CURRENT_LAW, current_policy.CURRENT_POLICY):
        return
    law, policy = (base, reference[0]) if baseline == current_policy.CURRENT_LAW else (reference[0], base)
    found = current_policy.erosion(law, policy)
    share = found.share_of_fall_pct
    st.caption(t("erosion_note", first=found.first, last=found.last, law_first=found.law_first,
                 law_last=found.law_last, policy_last=found.policy_last, erosion=found.erosion_pp,
                 share="" if share is None else t("erosion_share", share=share)))


def chart_tabs(base: xr.Dataset, reform: xr.Dataset, long: tuple[xr.Dataset, xr.Dataset] | None,
               budget: impact.BudgetImpact, names: tuple[str, str], t: Label, lang: Lang,
               reference: tuple[xr.Dataset, str] | None = None,
               scenarios: tuple[Scenario, Scenario] | None = None) -> None:
    """The chart tabs, of which only the open one is drawn; the SSF chart needs the long runs (`long`, None
    while they run). The tab of effects by household (`who_gains`) is there once the results carry them. The cost
    and debt charts draw the `reference` path (its result and name; current policy beside current law) when given;
    the household calculator computes under the baseline and reform `scenarios` as the page runs them."""
    keys = ["impact", "cost", "difference", "debt", "ssf", "population", "groups", "verdicts", "backtest"]
    if who_gains.available(reform):
        keys.insert(keys.index("groups"), "who_gains")
    if scenarios is not None:
        keys.insert(keys.index("groups"), "household")
    tabs = dict(zip(keys, st.tabs([t(f"tab_{key}") for key in keys], key="tab", on_change="rerun")))
    years = [int(y) for y in reform.year.values]

    def measure_label(measure: str) -> str:
        return t(f"measure.{measure}")

    if tabs["impact"].open:
        with tabs["impact"]:
            chart_block(charts.budget_impact(budget, t), tables.impact_table(budget, t), "budget_impact", t, lang)
            st.caption(t("impact_note"))
    if tabs["cost"].open:
        with tabs["cost"]:
            measure = sticky_choice(st.radio, t("measure"), charts.MEASURES, "measure", "nominal", lang,
                                    format_func=measure_label, horizontal=True)
            totals = [(base, names[0])] + ([] if reference is None else [reference])
            chart_block(charts.cost_by_scheme(reform, base, measure, names, t, reference),
                        tables.cost_table(reform, measure, t, totals), "cost_by_scheme", t, lang)
            erosion_caption(base, reference, t)
            st.caption(t("cost_note"))
    if tabs["difference"].open:
        with tabs["difference"]:
            measure = sticky_choice(st.radio, t("measure"), charts.MEASURES, "measure_difference", "nominal", lang,
                                    format_func=measure_label, horizontal=True)
            chart_block(charts.cost_difference(base, reform, measure, t),
                        tables.difference_table(base, reform, measure, t), "reform_minus_baseline", t, lang)
            st.caption(t("cost_note"))
    if tabs["debt"].open:
        with tabs["debt"]:
            limit = headlines(reform).debt_limit
            chart_block(charts.public_debt(base, reform, limit, names, t, reference),
                        tables.debt_table(base, reform, limit, names, t, reference), "public_debt", t, lang)
            erosion_caption(base, reference, t)
    if tabs["population"].open:
        with tabs["population"]:
            era = era_year(0, lang)
            year = st.slider(t("pyramid_year"), years[1] + era, years[-1] + era, years[-1] + era,
                             key=f"pyramid_year.{lang}") - era
            chart_block(charts.pyramids(reform, (years[0], year), t), tables.pyramid_table(reform, (years[0], year), t),
                        "population", t, lang)
    if "household" in tabs and tabs["household"].open and scenarios is not None:
        with tabs["household"]:
            household.section(*scenarios, names, t, lang, partial(table_download, t=t))
    if "who_gains" in tabs and tabs["who_gains"].open:
        with tabs["who_gains"]:
            who_gains.section(base, reform, names, t)
    if tabs["groups"].open:
        with tabs["groups"]:
            chart_block(charts.target_groups(base, reform, names, t), tables.groups_table(base, reform, names, t),
                        "target_groups", t, lang)
            st.caption(t("poverty_note"))
            if "mpi" in reform and "mpi" in base:
                st.subheader(t("mpi_heading"))
                chart_block(charts.mpi_adequacy(base, reform, names, t), tables.mpi_table(base, reform, names, t),
                            "mpi_adequacy", t, lang)
                st.caption(t("mpi_note"))
    if tabs["verdicts"].open:
        with tabs["verdicts"]:
            for ds, name in zip((base, reform), names):
                st.markdown(charts.overall_verdict(ds, name, t))
            table = charts.verdict_table(base, reform, names, t)
            st.dataframe(table)
            st.download_button(t("download_table"), tables.csv_bytes(table), "verdicts.csv", "text/csv",
                               key="download_verdicts", on_click="ignore")
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
                chart_block(charts.ssf_reserves(long, depletion, names, years[-1], t), tables.ssf_table(long, names, t),
                            "ssf_reserves", t, lang)
                st.caption(t("ssf_caption", scale=float(long[1].attrs["scale"]), end=years[-1]))


def backtest_tab(base: xr.Dataset, t: Label) -> None:
    """The base-year back-test of the baseline at the page's scale and seed: every validated administrative total
    with the model's value, the error, the tolerance and pass or fail; and the values solved against them."""
    table = cached_backtest(base.attrs["run_id"], base)
    passed, checked = base_year.summary_counts(table)
    shown = base_year.shown_table(table, t)
    st.dataframe(shown, height=ROW_PIXELS * (len(table) + 1) + 3, column_config={
        t("bt.model"): st.column_config.NumberColumn(format="%.2f"),
        t("bt.target"): st.column_config.NumberColumn(format="%.2f"),
        t("bt.error"): st.column_config.NumberColumn(format="%+.1f"),
        t("bt.tolerance"): st.column_config.NumberColumn(format="%.0f")})
    st.download_button(t("download_table"), tables.csv_bytes(shown), "backtest.csv", "text/csv",
                       key="download_backtest", on_click="ignore")
    st.caption(t("backtest_caption", name=table.attrs["scenario"], scale=table.attrs["scale"],
                 seed=table.attrs["seed"], passed=passed, checked=checked))
    with st.expander(t("calibrated_title")):
        st.dataframe(base_year.calibrated(t), hide_index=True)
        st.caption(t("calibrated_note"))


def downloads(scenario: Scenario, base: xr.Dataset, reform: xr.Dataset, workbook: Callable[[], bytes],
              t: Label) -> None:
    """Download buttons: the current settings as a scenario file (without the app's precision unless asked),
    the Excel workbook, and both results (with the fiscal-year measures the charts show) as a wide CSV and as
    NetCDF."""
    st.subheader(t("downloads"))
    yaml_col, xlsx_col, csv_col, nc_col = st.columns(4)
    keep_scale = yaml_col.checkbox(t("include_scale"), key="include_scale")
    yaml_col.download_button(t("download_yaml"), exports.scenario_yaml(scenario, keep_scale), f"{scenario.name}.yaml",
                             "application/x-yaml", on_click="ignore", key="download_yaml")
    xlsx_col.download_button(t("download_xlsx"), workbook, f"{scenario.name}.xlsx",
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                             key="download_xlsx")
    both = partial(exports.comparison, base, reform)
    csv_col.download_button(t("download_wide"), lambda: exports.results_wide_csv(both()), f"{scenario.name}.csv",
                            "text/csv", on_click="ignore", key="download_csv")
    nc_col.download_button(t("download_nc"), lambda: exports.results_netcdf(both()), f"{scenario.name}.nc",
                           "application/x-netcdf", on_click="ignore", key="download_nc")


def reproduce(reform_file: Scenario, reform_sc: Scenario, shifts: dict[str, float], t: Label) -> None:
    """The code that reproduces the page's comparison: Python with the reform's overrides, and the command lines
    that run the downloaded scenario file at the page's precision, seed and years."""
    baseline = st.session_state.baseline
    uploaded = st.session_state.reform == UPLOADED
    source = st.session_state.get("upload_name", f"{reform_file.name}.yaml") if uploaded else reform_file.name
    with st.expander(t("reproduce")):
        st.caption(t("reproduce_python"))
        st.code(snippet.python_snippet(baseline, source, reform_file, reform_sc, shifts), language="python")
        st.caption(t("reproduce_cli"))
        st.code(snippet.cli_commands(baseline, reform_sc), language="bash")


def main() -> None:
    """The page; an input error anywhere in it is shown as a message."""
    st.set_page_config(page_title="Thailand social protection 2023–2037", layout="wide")
    remember_paths()  # reforms of what the schemes pay replay current law's population path
    restore_from_address()
    lang: Lang = st.sidebar.radio(label("language", "en"), list(LANGUAGES),
                                  format_func=LANGUAGES.__getitem__, horizontal=True, key="lang",
                                  label_visibility="collapsed")
    t: Label = partial(label, lang=lang)
    style(t, lang)
    st.title(t("title"))
    try:
        page(t, lang)
    except ModelInputError as error:
        st.error(t("run_error", error=error))
    settled_heap()


def precision_choice(t: Label, lang: Lang) -> str:
    """Sidebar: the precision (full by default), the preview's measured precision beside its choice."""
    found = precision.measured()
    rse = {"cost": found.preview.cost_rse_pct, "change": found.preview.change_rse_pct}
    chosen = sticky_choice(st.sidebar.radio, t("precision"), list(SCALES), "precision", DEFAULT_PRECISION, lang,
                           format_func=lambda key: t(f"scale_{key}", scale=SCALES[key], **rse))
    st.sidebar.caption(t("precision_note", first=found.first, last=found.last, **rse,
                         full_cost=found.full.cost_rse_pct, full_change=found.full.change_rse_pct,
                         date=date_text(found.measured, lang), seeds=found.preview.seeds, full_seeds=found.full.seeds))
    return chosen


def timed_run(scenario: Scenario, t: Label) -> xr.Dataset:
    """A cached run; a run not in the cache shows a spinner with an estimate of its time and is timed."""
    identity = run_id(scenario)
    started = time.perf_counter()
    with st.spinner(t("running_estimate", name=scenario.name, scale=scenario.scale,
                      estimate=runs.estimate_seconds(scenario.scale)), show_time=True):
        result = cached_run(identity, scenario)
    seconds = time.perf_counter() - started
    if seconds > 0.2:  # a run, not a look-up in the cache
        runs.record_run(scenario.scale, seconds)
    return result


def page(t: Label, lang: Lang) -> None:
    """Scenarios, levers, headline, tiles, charts and downloads."""
    choice = st.sidebar.container()
    read_upload(t)
    base_file, reform_file = chosen_scenarios()
    level = precision_choice(t, lang)
    with st.sidebar:
        show_policy = sticky_toggle(t("show_policy"), "show_policy", True, lang, help=t("show_policy_help"))
    changes, shifts = lever_controls(reform_file, t, lang)
    changes.update(builder_controls(t, lang))
    scenario_selectors(choice, len(changes) + len(shifts), t, lang)
    if ignored := st.session_state.get("address_ignored"):
        st.sidebar.warning(t("url_ignored", items=", ".join(ignored)))
    write_address(lang, changes, shifts)
    st.sidebar.caption(t("share_note"))
    edited = levers.with_levers(reform_file, changes, shifts)
    scale = SCALES[level]
    try:
        reform_sc = runs.for_app(edited, scale, edited.seed)
        base_sc = runs.for_app(base_file, scale, edited.seed)
    except ModelInputError as error:
        st.error(t("run_error", error=error))
        st.stop()
    st.session_state[who_gains.SCENARIOS_KEY] = (base_sc, reform_sc)  # for the persons' comparison of the tab
    long_scenarios = (runs.long_horizon(base_sc), runs.long_horizon(reform_sc))
    long_runs().cancel_others(long_scenarios)
    jobs = long_jobs(long_scenarios)
    try:
        base = timed_run(base_sc, t)
        reform = timed_run(reform_sc, t)
        reference = None
        if show_policy:
            name = current_policy.reference_name(st.session_state.baseline)
            reference = (timed_run(runs.for_app(load_scenario(name), scale, edited.seed), t), t(f"reference.{name}"))
    except ModelInputError as error:
        st.error(t("run_error", error=error))
        st.stop()
    names = (t("baseline"), t("reform"))
    reform_name = (t("uploaded", name=reform_file.name) if st.session_state.reform == UPLOADED
                   else scenario_name(reform_file.name, t))
    if changes or shifts:
        reform_name = t("edited", name=reform_name, count=len(changes) + len(shifts))
    budget = impact.budget_impact(base, reform)
    verdicts = impact.criterion_verdicts(base, reform)
    sentence, banner = headline(budget, verdicts, reform_name, (int(reform.year[0]), int(reform.year[-1])), t)
    long, error = long_results(jobs) if finished(jobs) else (None, None)
    with headline_tiles(headlines(base), headlines(reform), t):
        depletion = None if long is None else (depletion_year(long[0]), depletion_year(long[1]))
        depletion_tile(depletion, long_scenarios[1].scale, t, lang)
        if error is not None:
            st.error(t("run_error", error=error))
        elif long is None:
            poll_long_runs(long_scenarios, t)
    chart_tabs(base, reform, long, budget, names, t, lang, reference, (base_sc, reform_sc))
    for role, scenario, ds in ((t("baseline"), base_sc, base), (t("reform"), reform_sc, reform)):
        st.caption(f"{role} **{scenario.name}** · " + t(
            "run_info", scale=ds.attrs["scale"], seed=ds.attrs["seed"], start=int(ds.year[0]), end=int(ds.year[-1]),
            fy_start=int(ds.fiscal_year[0]), fy_end=int(ds.fiscal_year[-1]), hash=ds.attrs["parameters_hash"][:12]))
    data = WorkbookInput(base, reform, base_sc, reform_sc, budget, sentence, banner, names)
    downloads(reform_sc, base, reform, lambda: workbook_bytes(data, t), t)
    reproduce(reform_file, reform_sc, shifts, t)
    st.caption(t("poverty_note"))


if __name__ == "__main__":  # Streamlit runs the page as __main__; the worker process imports it as __mp_main__
    main()
