"""The Streamlit app, driven by Streamlit's AppTest: each group of controls moves the outputs the right way, bad
uploads are reported on the page, and the helpers behind downloads and levers keep scenarios intact.

The page opens at full precision (100 persons per row): one test checks that; the others, which do not concern
precision, run at the quick-preview scale (5,000 persons per row). The SSF depletion year arrives from the worker
process, so tests that read it run the page again until it is there.
"""

import base64
import datetime as dt
import io
import json
import re
import time
from concurrent import futures
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from streamlit.testing.v1 import AppTest

import model
import model.parameters
from model import identity, results
from model.app import base_year, charts, exports, fiscal_years, levers, precision, runs
from model.app.charts import MEASURES
from app_downloads import download
from model.app.labels import LABELS, label
from model.validation import load_totals
from model.errors import ModelInputError
from model.parameters import ParameterTree
from model.scenario import load_scenario, scenario_from_text

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT = 300  # seconds for one page run: the first one runs the model, under load on a shared machine
COST, DEPLETION, HEADROOM, POVERTY = range(4)  # the order of the headline tiles

# one process keeps the runs cached for every test; the 2023-2100 jobs are recorded (tests/conftest.py)
pytestmark = [pytest.mark.xdist_group("app"), pytest.mark.usefixtures("long_jobs")]


def start(precision: str | None = "preview", query: dict[str, str] | None = None, **session: object) -> AppTest:
    """The page after its first run at `precision` (None: the page's default), with the given address query and
    session state (e.g. a chosen reform)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if precision is not None:
        at.session_state["precision"] = precision
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def control(at: AppTest, path: str):
    """The control of a parameter (its key is the path plus the reform's id)."""
    widgets = [*at.number_input, *at.toggle, *at.date_input]
    return next(w for w in widgets if w.key and w.key.split("@")[0] == path)


def change(at: AppTest, path: str, value: object) -> AppTest:
    """Set a control and run the page."""
    control(at, path).set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tile(at: AppTest, index: int) -> float:
    """The number a headline tile shows ('after 2100' counts as 2101)."""
    text = at.metric[index].value
    return 2101.0 if text == label("after_2100", "en") else float(re.sub(r"[^0-9.\-]", "", text))


def depletion(at: AppTest, jobs: list[Future], limit: float = 600) -> float:
    """The SSF depletion tile once the long runs have finished: wait (without using CPU the worker process needs)
    until the jobs queued so far are done, then run the page again, until the tile shows a year."""
    deadline = time.monotonic() + limit
    while at.metric[DEPLETION].value == "…":
        assert time.monotonic() < deadline, "the 2023-2100 runs did not finish"
        futures.wait([job for job in jobs if not job.done()], timeout=max(deadline - time.monotonic(), 0.0))
        at.run()
    return tile(at, DEPLETION)


def chart_spec(at: AppTest, index: int = 0) -> dict:
    """The Plotly figure of a chart on the page, as JSON."""
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def values(data: object) -> np.ndarray:
    """The numbers of a Plotly trace's x or y (a list, or base64-packed binary)."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    return np.array(data)


def cost_series(at: AppTest, scheme: str, lang: str = "en") -> pd.Series:
    """A scheme's cost by fiscal year (the index, in the page's era) from the stacked cost chart (THB bn, nominal),
    the cost tab opened if need be."""
    if "tab" not in at.session_state or at.session_state["tab"] != label("tab_cost", lang):
        show_tab(at, "cost", lang)
    trace = next(d for d in chart_spec(at)["data"] if d["name"] == label(f"scheme.{scheme}", lang))
    return pd.Series(values(trace["y"]), index=values(trace["x"]).astype(int))


@pytest.fixture(scope="module")
def page() -> AppTest:
    """The default page (baseline against the old-age allowance ladder) at the preview scale, run once."""
    return start()


def preview_label(lang: str = "en") -> str:
    """The preview choice's text, with the shipped measurement of its precision."""
    found = precision.measured().preview
    return label("scale_preview", lang, scale=runs.PREVIEW_SCALE, cost=found.cost_rse_pct,
                 change=found.change_rse_pct)


def test_default_page_shows_tiles_run_info_and_no_error(page):
    assert [m.label for m in page.metric] == [
        label("tile_cost", "en", year=2037), label("tile_depletion", "en"), label("tile_headroom", "en"),
        label("tile_poverty", "en", start=2023, end=2027)]
    captions = " ".join(c.value for c in page.caption)
    assert "1 row = 5,000 persons" in captions and "seed 20230701" in captions and "parameter hash" in captions
    assert label("poverty_note", "en") in captions
    assert label("tile_baseline", "en", value="").strip() in captions
    assert [r.value for r in page.radio if r.key == "precision.en"] == [preview_label()]
    assert tile(page, COST) > 0 and not page.error


def test_an_address_with_the_preview_precision_opens_the_preview():
    at = start(precision=None, query={"precision": "preview"})
    assert [r.value for r in at.radio if r.key == "precision.en"] == [preview_label()]
    assert "1 row = 5,000 persons" in " ".join(c.value for c in at.caption)
    assert at.query_params["precision"] == "preview"


def test_controls_show_unit_current_law_and_citation(page):
    amount = control(page, "old_age_allowance.amount.age_60_69")
    assert "(THB/month)" in amount.label and amount.value == 700  # the ladder reform's value
    assert "[S1]" in amount.help
    captions = [c.value for c in page.caption]
    assert any(c.startswith("Current law: 600 · in the reform: 700 · Source: [S1]") for c in captions)
    ceiling = control(page, "ssf_s33.wage_ceiling")
    assert ceiling.value == 17_500 and "from 2029-01-01: 20,000" in " ".join(captions)
    assert "%" in control(page, "ssf_s33.contribution_rate.employee").label


def test_raising_the_60_69_allowance_raises_its_cost_and_the_cost_tile():
    at = start()
    cost, oaa = tile(at, COST), cost_series(at, "old_age_allowance")
    change(at, "old_age_allowance.amount.age_60_69", 1000)
    assert tile(at, COST) > cost
    assert cost_series(at, "old_age_allowance").iloc[-1] > oaa.iloc[-1]


def test_a_later_start_date_delays_the_allowance_increase():
    at = start()
    oaa = cost_series(at, "old_age_allowance")
    change(at, "old_age_allowance.amount.age_70_79", 1500)
    raised = cost_series(at, "old_age_allowance")
    change(at, "old_age_allowance.start", dt.date(2030, 1, 1))
    later = cost_series(at, "old_age_allowance")
    assert raised[2027] > later[2027] and later.iloc[-1] == pytest.approx(raised.iloc[-1])
    assert later.iloc[-1] > oaa.iloc[-1]


def test_income_test_lowers_the_allowance_cost_and_helps_less_against_poverty():
    at = start()
    oaa, poverty = cost_series(at, "old_age_allowance"), tile(at, POVERTY)
    change(at, "old_age_allowance.income_test.enabled", True)
    assert cost_series(at, "old_age_allowance").iloc[-1] < oaa.iloc[-1]
    assert tile(at, POVERTY) >= poverty


@pytest.mark.parametrize("path, scheme, value", [
    ("disability_allowance.amount_adult", "disability_allowance", 1500),
    ("disability_allowance.amount_child", "disability_allowance", 2000),
    ("child_support_grant.amount", "child_support_grant", 1200),
    ("child_support_grant.max_age", "child_support_grant", 12),
    ("child_support_grant.universal", "child_support_grant", True),
    ("welfare_card.goods_credit.standard", "welfare_card", 600),
    ("welfare_card.transport_credit", "welfare_card", 1500),
    ("common.health_excess_cost_growth", "universal_coverage", 5.0),
])
def test_a_more_generous_scheme_costs_more(path, scheme, value):
    at = start()
    before, total = cost_series(at, scheme), tile(at, COST)
    change(at, path, value)
    assert cost_series(at, scheme).iloc[-1] > before.iloc[-1]
    assert tile(at, COST) >= total  # the tile shows two decimals: a small scheme may not move it


def test_higher_ssf_contributions_and_a_later_pension_age_delay_depletion(long_jobs):
    at = start()
    year = depletion(at, long_jobs)
    change(at, "ssf_s33.contribution_rate.employee", 7.5)
    change(at, "ssf_s33.contribution_rate.employer", 7.5)
    higher = depletion(at, long_jobs)
    assert higher > year
    change(at, "ssf_s33.pension.age", 60)
    assert depletion(at, long_jobs) >= higher


def test_a_frozen_wage_ceiling_brings_depletion_forward(long_jobs):
    at = start()
    year = depletion(at, long_jobs)
    change(at, "ssf_s33.wage_ceiling", 15_000)
    assert depletion(at, long_jobs) < year


@pytest.mark.parametrize("series, pp, tile_index, direction", [
    ("real_growth", -1.0, COST, +1),  # slower growth: the same benefits are a larger share of GDP
    ("inflation", +1.0, COST, -1),  # fixed nominal amounts shrink against nominal GDP
])
def test_macro_levers_move_the_tiles(series, pp, tile_index, direction):
    at = start()
    before = tile(at, tile_index)
    change(at, f"macro.{series}", pp)
    assert np.sign(tile(at, tile_index) - before) == direction


def verdict_row(at: AppTest, criterion: str):
    """The verdict table's row of one criterion (the table is on the verdicts tab)."""
    at.session_state["tab"] = label("tab_verdicts", "en")
    at.run()
    return at.dataframe[0].value.loc[label(f"criterion.{criterion}", "en")]


def test_interest_rate_lever_leaves_less_room_under_the_debt_service_ceiling():
    # The debt path follows the fiscal framework's deficits, so dearer debt shows in debt service, not in the
    # debt-ceiling tile (which moves by thousandths of a point, through the interest on the reform's extra cost).
    at = start()
    column = label("headroom_unit", "en", name=label("reform", "en"))
    before = verdict_row(at, "debt_service_ceiling")[column]
    change(at, "macro.interest_rate", 1.0)
    assert verdict_row(at, "debt_service_ceiling")[column] < before - 1.0


def test_choosing_another_reform_resets_the_controls_to_its_values():
    at = start()
    at.selectbox(key="reform.en").set_value(label("scenario.oaa_flat_1000", "en")).run()
    assert control(at, "old_age_allowance.amount.age_90_plus").value == 1000
    assert not at.exception


def test_language_switch_keeps_the_settings():
    at = start()
    change(at, "old_age_allowance.amount.age_60_69", 900)
    cost = tile(at, COST)
    at.radio(key="lang").set_value("th").run()
    assert at.metric[COST].label == label("tile_cost", "th", year=2037)
    assert control(at, "old_age_allowance.amount.age_60_69").value == 900
    assert tile(at, COST) == cost


def test_display_controls_never_run_the_model(monkeypatch):
    """The language, the chart tab, the chart's measure, the pyramid's year and the reference path change what the
    page shows, not what it computes: every result comes from the cache, and no model step runs."""
    at = start()
    runs_made: list[object] = []
    simulate = model.api.simulate
    monkeypatch.setattr(model.api, "simulate", lambda *args, **kwargs: runs_made.append(args) or simulate(*args, **kwargs))
    cost = tile(at, COST)
    at.radio(key="lang").set_value("th").run()
    show_tab(at, "cost", "th")
    next(r for r in at.radio if r.key == "measure.th").set_value(label("measure.pct_gdp", "th")).run()
    show_tab(at, "population", "th")
    at.slider(key="pyramid_year.th").set_value(2030 + int(label("era_offset", "th"))).run()
    next(t for t in at.toggle if t.key == "show_policy.th").set_value(False).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and not at.error
    assert tile(at, COST) == cost and runs_made == []


def test_every_tab_draws(page):
    for key in ("impact", "cost", "difference", "debt", "ssf", "population", "groups", "verdicts", "backtest"):
        page.session_state["tab"] = label(f"tab_{key}", "en")
        page.run()
        assert not page.exception and not page.error
        assert page.get("plotly_chart") or page.dataframe or label("computing", "en") in [c.value for c in page.caption]
    page.session_state["tab"] = label("tab_verdicts", "en")
    page.run()
    table = page.dataframe[0].value
    debt = table.loc[label("criterion.public_debt_ceiling", "en")]
    assert debt[label("limit", "en")] == "<= 70" and debt[label("col.unit", "en")] == "% of GDP"
    # each criterion shows its basis and role; rows grouped by basis (legal ceilings first, the target last)
    assert debt[label("basis", "en")] == label("basis_law", "en") and debt[label("role", "en")] == label("role_binding", "en")
    bases = list(table[label("basis", "en")])
    assert bases == sorted(bases, key=[label(f"basis_{b}", "en") for b in ("law", "actuarial", "framework_target")].index)
    target = table.loc[label("criterion.deficit_ceiling", "en")]
    assert target[label("role", "en")] == label("role_warning", "en")
    assert target[label("verdict", "en", name=label("reform", "en"))] in (
        label("met", "en"), *(label("warning_from", "en", year=y) for y in range(2023, 2101)))
    assert any("legal ceilings and SSF solvency" in m.value for m in page.markdown)


def preview_run(name: str) -> xr.Dataset:
    """A shipped scenario run as the default page runs it: quick-preview scale, the reform's seed, 2023-2037."""
    seed = load_scenario("oaa_ladder_2025").seed
    return model.run(runs.for_app(load_scenario(name), runs.PREVIEW_SCALE, seed))


def show_tab(at: AppTest, key: str, lang: str = "en") -> AppTest:
    """Open a tab of the page (tabs are kept by their label) and run the page."""
    at.session_state["tab"] = label(f"tab_{key}", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_cost_charts_are_by_fiscal_year_and_the_other_charts_say_calendar_year():
    at = show_tab(start(), "cost")
    reform, base = preview_run("oaa_ladder_2025"), preview_run("baseline")
    spec = chart_spec(at)
    assert spec["layout"]["xaxis"]["title"]["text"] == label("fiscal_year_axis", "en") == "Fiscal year (1 Oct–30 Sep)"
    assert all(list(values(trace["x"])) == list(range(2024, 2038)) for trace in spec["data"])
    oaa = cost_series(at, "old_age_allowance")
    np.testing.assert_allclose(oaa.values, reform["benefit_cost_fy"].sel(scheme="old_age_allowance").values / 1e9)
    # FY2026 is October 2025 to September 2026: not calendar 2026, which the ladder (from 1 October 2025) fills
    calendar = float(reform["benefit_cost"].sel(year=2026, scheme="old_age_allowance")) / 1e9
    assert oaa[2026] < calendar
    at.radio(key="measure.en").set_value(label("measure.pct_gdp", "en")).run()
    np.testing.assert_allclose(cost_series(at, "old_age_allowance").values,
                               fiscal_years.cost_fy(reform, "pct_gdp").sel(scheme="old_age_allowance").values)
    assert tile(at, COST) == round(fiscal_years.total_cost_pct_gdp_fy(reform, 2037), 2)
    show_tab(at, "difference")
    spec = chart_spec(at)
    assert spec["layout"]["xaxis"]["title"]["text"] == label("fiscal_year_axis", "en")
    total = next(trace for trace in spec["data"] if trace["name"] == "Σ")
    assert list(values(total["x"])) == list(range(2024, 2038))
    np.testing.assert_allclose(values(total["y"]), (reform["benefit_cost_fy"] - base["benefit_cost_fy"]).sum(
        "scheme").values / 1e9, atol=1e-9)
    show_tab(at, "debt")
    assert chart_spec(at)["layout"]["xaxis"]["title"]["text"] == label("end_of_year_axis", "en")
    show_tab(at, "groups")
    layout = chart_spec(at)["layout"]
    assert layout["xaxis"]["title"]["text"] == layout["xaxis2"]["title"]["text"] == label("calendar_year_axis", "en")
    show_tab(at, "population")
    titles = [a["text"] for a in chart_spec(at)["layout"]["annotations"]]
    assert titles == [label("pyramid_title", "en", year=2023), label("pyramid_title", "en", year=2037)]
    assert "1 July" in titles[0] and "calendar" in at.slider(key="pyramid_year.en").label.lower()


def test_fiscal_year_cost_worked_case():
    # scheme a pays 10 a month in 2023 and 20 in 2024; scheme b pays m in month m of 2023 and nothing in 2024
    by_month = np.zeros((2, 12, 2))
    by_month[0, :, 0], by_month[1, :, 0] = 10.0, 20.0
    by_month[0, :, 1] = np.arange(1, 13)
    cpi = np.array([1.0, 1.25])
    ds = results.add_fiscal_years(xr.Dataset(
        {"benefit_cost_by_month": (("year", "month", "scheme"), by_month),
         "benefit_cost": (("year", "scheme"), by_month.sum(axis=1)),
         "cost_real": (("year", "scheme"), by_month.sum(axis=1) / cpi[:, None]),
         "gdp": ("year", [4_000.0, 8_000.0])},
        coords={"year": [2023, 2024], "month": np.arange(1, 13), "scheme": ["a", "b"]}))
    assert list(ds["fiscal_year"].values) == [2024]
    fy = {measure: fiscal_years.cost_fy(ds, measure).sel(fiscal_year=2024).values for measure in MEASURES}
    np.testing.assert_allclose(fy["nominal"], [3 * 10 + 9 * 20, 10 + 11 + 12])  # October-December 2023, then 2024
    np.testing.assert_allclose(fy["real"], [3 * 10 / 1.0 + 9 * 20 / 1.25, 33.0])
    gdp = 3 / 12 * 4_000 + 9 / 12 * 8_000
    assert float(results.gdp_fy(ds).sel(fiscal_year=2024)) == pytest.approx(gdp) == 7_000
    np.testing.assert_allclose(fy["pct_gdp"], [100 * 210 / 7_000, 100 * 33 / 7_000])
    assert fiscal_years.total_cost_pct_gdp_fy(ds, 2024) == pytest.approx(100 * 243 / 7_000)
    with pytest.raises(ValueError, match="measure"):
        fiscal_years.cost_fy(ds, "ppp")


def test_fiscal_year_measures_agree_with_the_run():
    ds = preview_run("baseline")
    fy = ds["fiscal_year"].values
    assert (results.fiscal_sum(ds["benefit_cost_by_month"], fy) == ds["benefit_cost_fy"]).all()
    # the price index found is the run's: deflated months add up to the calendar year's real cost
    deflated = (ds["benefit_cost_by_month"] / results.price_index(ds)).sum("month")
    np.testing.assert_allclose(deflated.values, ds["cost_real"].transpose(*deflated.dims).values, rtol=1e-12)
    assert float(results.price_index(ds).sel(year=2023)) == pytest.approx(1.0)
    share = fiscal_years.cost_fy(ds, "pct_gdp") * results.gdp_fy(ds) / 100
    np.testing.assert_allclose(share.values, ds["benefit_cost_fy"].transpose("fiscal_year", "scheme").values)
    gdp = results.gdp_fy(ds)
    assert ((gdp > ds["gdp"].sel(year=fy - 1).values) & (gdp < ds["gdp"].sel(year=fy).values)).all()  # growing GDP


def test_the_base_year_tab_shows_every_validated_total_with_pass_or_fail():
    at = show_tab(start(), "backtest")
    shown = at.dataframe[0].value
    expected = model.validate("baseline", scale=runs.PREVIEW_SCALE, seed=load_scenario("oaa_ladder_2025").seed)
    assert list(shown.index) == [total.id for total in load_totals() if total.validated] == list(expected.index)
    verdicts = [label("pass", "en") if passes else label("fail", "en") for passes in expected["passes"]]
    assert list(shown[label("bt.result", "en")]) == verdicts and set(verdicts) <= {"PASS", "FAIL"}
    assert list(shown[label("bt.period", "en")]) == list(expected["period"])
    assert list(shown[label("bt.basis", "en")]) == list(expected["basis"])  # the command line's words
    divisor = expected["unit"].map({"THB": 1e9, "persons": 1e6})
    np.testing.assert_allclose(shown[label("bt.model", "en")], (expected["model"] / divisor).round(2))
    np.testing.assert_allclose(shown[label("bt.target", "en")], (expected["target"] / divisor).round(2))
    np.testing.assert_allclose(shown[label("bt.error", "en")], (100 * expected["rel_error"]).round(1))
    np.testing.assert_allclose(shown[label("bt.tolerance", "en")], 100 * expected["tolerance"])
    passed = int(expected["passes"].sum())
    assert any(f"{passed} of {len(expected)} within tolerance" in c.value and "seed 20230701" in c.value
               for c in at.caption)
    calibrated = at.dataframe[1].value
    assert set(calibrated[label("calibrated.target", "en")]) <= set(expected.index)  # solved against these totals


@pytest.mark.parametrize("text", [
    "month 2023-08", "FY2024", "mean of FY2024-2025", "calendar 2024", "mean of calendar 2023-2024",
    "calendar 2023 (period before the run)", "calendar 2023 (9 of FY2023's 12 months)",
    "calendar 2023 (period before FY2024)", "opening reserve (an input)", "reserve at the end of 2023",
    "mean of the reserves at the ends of 2022 and 2023", "scheme not in the model"])
def test_every_basis_of_the_back_test_reads_the_same_in_english_and_has_its_thai(text):
    def t(lang: str):
        return lambda key, **values: label(key, lang, **values)

    assert base_year.translated(text, base_year.BASIS_PATTERNS, t("en")) == text
    thai = base_year.translated(text, base_year.BASIS_PATTERNS, t("th"))
    assert not re.search("[A-Za-z]", thai), thai
    assert re.findall(r"\d{4}", thai) == [str(int(y) + 543) for y in re.findall(r"\d{4}", text)]  # Buddhist era


def test_the_thai_view_shows_buddhist_era_years():
    at = start(lang="th")
    assert at.metric[COST].label == label("tile_cost", "th", year=2037) == "ค่าใช้จ่ายปีงบ 2580 (% GDP)"
    assert "พ.ศ. 2580" in at.metric[COST].help and "1 ต.ค. 2579" in at.metric[COST].help
    assert "ปีปฏิทิน" in at.metric[POVERTY].label and "2566–2570" in at.metric[POVERTY].label
    assert any("ปีปฏิทิน 2566–2580 ปีงบประมาณที่ครบ 12 เดือน 2567–2580" in c.value for c in at.caption)
    headline = at.markdown[0].value if "**" in at.markdown[0].value else next(m.value for m in at.markdown if "**" in m.value)
    assert "ปีงบประมาณ 2568–2580" in headline and "2571" in headline  # FY2025-2037; debt breach at the end of 2028
    assert not re.search(r"(?<!\d)20[2-9]\d(?!\d)", headline), headline
    show_tab(at, "cost", "th")
    axis = chart_spec(at)["layout"]["xaxis"]["title"]["text"]
    assert axis == label("fiscal_year_axis", "th") and "ปีงบประมาณ" in axis and "พ.ศ." in axis
    assert list(cost_series(at, "old_age_allowance", "th").index) == list(range(2567, 2581))
    shown = show_tab(at, "backtest", "th").dataframe[0].value
    totals = {total.id: total for total in load_totals() if total.validated}
    for total_id, period in shown[label("bt.period", "th")].items():
        if totals[total_id].period.kind == "fy":
            assert period.startswith("ปีงบประมาณ 25"), period
        if totals[total_id].period.kind == "cy":
            assert period.startswith("ปีปฏิทิน 25"), period
    assert not any(re.search("[A-Za-z]", basis) for basis in shown[label("bt.basis", "th")])
    assert set(shown[label("bt.result", "th")]) <= {"ผ่าน", "ไม่ผ่าน"}
    show_tab(at, "debt", "th")
    spec = chart_spec(at)
    assert spec["layout"]["xaxis"]["title"]["text"] == "ปีปฏิทิน (พ.ศ.; ณ สิ้นปี)"
    assert list(values(spec["data"][0]["x"]))[:2] == [2566, 2567]


def test_the_downloads_hold_the_fiscal_year_variables(media):
    at = start()
    reform = preview_run("oaa_ladder_2025")
    table = pd.read_csv(io.BytesIO(download(at, media, "download_csv")))
    fy = table[(table["period"] == "fiscal_year") & (table["scenario"] == "oaa_ladder_2025")].set_index("year")
    assert set(fy.index) == set(range(2024, 2038)) and set(table["scenario"]) == {"baseline", "oaa_ladder_2025"}
    for name in ("benefit_cost_fy[old_age_allowance] (THB)", "contributions_fy[ssf_s33] (THB)", "gdp_fy (THB)",
                 "cost_real_fy[old_age_allowance] (THB, 2023 prices)",
                 "cost_pct_gdp_fy[old_age_allowance] (percent of GDP)"):
        assert name in fy.columns, name
    expected = float(reform["benefit_cost_fy"].sel(fiscal_year=2030, scheme="old_age_allowance"))
    assert fy.loc[2030, "benefit_cost_fy[old_age_allowance] (THB)"] == pytest.approx(expected, rel=1e-12)
    back = xr.open_dataset(io.BytesIO(download(at, media, "download_nc")), engine="h5netcdf")
    np.testing.assert_allclose(back["benefit_cost_fy"].sel(scenario="oaa_ladder_2025").values,
                               reform["benefit_cost_fy"].values)
    np.testing.assert_allclose(back["cost_pct_gdp_fy"].sel(scenario="oaa_ladder_2025").values,
                               fiscal_years.cost_fy(reform, "pct_gdp").values)
    assert back["gdp_fy"].attrs["units"] == "THB" and list(back["fiscal_year"].values) == list(range(2024, 2038))
    saved = download(at, media, "download_yaml").decode()
    assert "scale:" not in saved and scenario_from_text(saved, "saved.yaml").scale == 100
    chart_table = pd.read_csv(io.BytesIO(download(at, media, "download_budget_impact")), encoding="utf-8-sig")
    assert list(chart_table.iloc[:13, 0].astype(int)) == list(range(2025, 2038))


@pytest.mark.parametrize("name, data, message", [
    ("unknown.yaml", b"name: x\nbase: baseline\nparamters: {}\n", "field 'paramters': unknown key"),
    ("negative.yaml", b"name: x\nscale: -5\n", "field 'scale'"),
    ("path.yaml", b"name: x\nparameters:\n  old_age_allowance.amount.age_6069: {2025-10-01: 700}\n", "age_6069"),
    ("macro.yaml", b"name: x\nmacro:\n  gdp: 0.02\n", "macro.gdp"),
    ("code.yaml", b"name: !!python/object/apply:os.system ['echo hacked']\n", "not valid YAML"),
    ("big.yaml", b"name: x\n" + b"#" * 1_000_001, "larger than 1,000,000 bytes"),
    ("latin1.yaml", "name: caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ("absolute.yaml", b"name: x\nbase: /etc/hostname\n", "field 'base': must be the name of a shipped scenario"),
    ("climb.yaml", b"name: x\nbase: ../scenarios/baseline.yaml\n", "field 'base': must be the name of a shipped"),
    ("file_name.yaml", b"name: x\nbase: baseline.yaml\n", "field 'base': must be the name of a shipped scenario"),
    ("unknown_base.yaml", b"name: x\nbase: no_such_scenario\n", "(baseline, "),
    ("huge_value.yaml", b"name: x\nparameters:\n  old_age_allowance.amount.age_60_69: {2025-10-01: 1.0e+300}\n",
     "old_age_allowance.amount.age_60_69"),
])
def test_a_bad_upload_shows_its_error_on_the_page(name, data, message):
    at = start()
    at.file_uploader(key="upload").set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any(message in e and name in e for e in errors), errors
    assert not any(str(ROOT) in e for e in errors)  # no path of the server
    assert at.session_state["reform"] == "oaa_ladder_2025"  # the reform stays as it was


@pytest.mark.parametrize("base", ["{secret}", "{secret_yaml}", "../../../../../../..{secret_yaml}"])
def test_an_upload_never_reads_files_outside_the_shipped_scenarios(tmp_path, base):
    secret = tmp_path / "secret"
    secret.write_text("api_token: s3cr3t-value\n")
    secret_yaml = tmp_path / "secret.yaml"
    secret_yaml.write_text("api_token: s3cr3t-value\n")
    text = f"name: x\nbase: {base.format(secret=secret, secret_yaml=secret_yaml)}\n".encode()
    with pytest.raises(ModelInputError, match="field 'base': must be the name of a shipped scenario") as error:
        exports.read_upload("mine.yaml", text)
    assert "s3cr3t" not in str(error.value) and "api_token" not in str(error.value)


def test_an_upload_over_the_limit_reaches_the_server_and_is_refused_in_words():
    # the browser refuses a file above the uploader's own limit with a red icon only: that limit is set well
    # above the 1 MB of scenarios (and the server's to the same), so read_upload says why a file is refused
    at = start()
    limit = at.file_uploader(key="upload").proto.max_upload_size_mb
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert limit >= 2 and re.search(rf"^maxUploadSize = {limit}$", config, re.M)
    data = b"name: x\n" + b"#" * 2_500_000
    at.file_uploader(key="upload").set_value(("large.yaml", data, "application/x-yaml")).run()
    assert any("large.yaml: file is larger than 1,000,000 bytes (2.5 MB); the limit is 1 MB" in e.value
               for e in at.error)


def test_results_are_kept_by_run_identity(tmp_path, monkeypatch):
    reform = load_scenario("oaa_ladder_2025").replaced(scale=runs.PREVIEW_SCALE, end_year=2025)
    first = identity.run_id(reform)
    assert identity.run_id(reform.replaced(name="renamed", description="other words")) == first
    assert identity.run_id(reform.replaced(seed=1)) != first
    law = ParameterTree.load()
    changed = law.with_overrides({"old_age_allowance.take_up": {law.info("old_age_allowance.take_up").values[0].date:
                                                                0.6}})
    monkeypatch.setattr(model.parameters, "_default_tree", lambda: changed)  # a parameter file edited
    assert identity.run_id(reform) != first


def test_a_good_upload_becomes_the_reform():
    at = start()
    text = exports.scenario_yaml(load_scenario("disability_1000")).replace("name: disability_1000", "name: mine")
    at.file_uploader(key="upload").set_value(("mine.yaml", text.encode(), "application/x-yaml")).run()
    assert not at.exception and not at.error
    assert at.session_state["reform"] != "oaa_ladder_2025" and "mine" in at.success[0].value
    assert control(at, "disability_allowance.amount_adult").value == 1000
    assert [b.key for b in at.get("download_button")][-4:] == ["download_yaml", "download_xlsx", "download_csv",
                                                                "download_nc"]


def test_scenario_yaml_reads_back_with_the_same_fingerprint():
    reform = load_scenario("ssf_pension_age_60")
    edited = levers.with_levers(reform, {"old_age_allowance.amount.age_60_69": (dt.date(2026, 10, 1), 900),
                                         "ssf_s33.pension.age": (dt.date(2031, 1, 1), 62)},
                                {"real_growth": -0.5})
    again = scenario_from_text(exports.scenario_yaml(edited), "saved.yaml")
    assert again.fingerprint() == edited.fingerprint() and again.name == "ssf_pension_age_60_edited"
    assert again.parameters["ssf_s33.pension.age"] == {dt.date(2027, 1, 1): 56, dt.date(2029, 1, 1): 57,
                                                       dt.date(2031, 1, 1): 62}
    assert again.macro["real_growth"][2030] == pytest.approx(0.025)


def test_unchanged_levers_leave_the_reform_alone():
    reform = load_scenario("oaa_ladder_2025")
    assert levers.with_levers(reform, {}, {"inflation": 0.0}) is reform


def test_results_download_as_csv_and_netcdf():
    ds = model.run("baseline", scale=runs.PREVIEW_SCALE)
    table = exports.results_csv(ds).decode()
    assert table.startswith("variable,") and "ssf_depletion_year" in table and "benefit_cost" in table
    back = xr.open_dataset(io.BytesIO(exports.results_netcdf(ds)), engine="h5netcdf")
    cost = back["total_cost_pct_gdp"].sel(year=2037)
    assert float(cost) == pytest.approx(float(ds["total_cost_pct_gdp"].sel(year=2037)))
    assert back.attrs["parameters_hash"] == ds.attrs["parameters_hash"]


def test_every_label_has_both_languages_and_covers_the_result():
    ds = model.run("baseline", scale=runs.PREVIEW_SCALE)
    keys = [f"scheme.{s}" for s in ds.scheme.values] + [f"group.{g}" for g in ds.group.values]
    keys += [f"criterion.{c}" for c in ds.criterion.values] + [f"scheme.{g.key}" for g in levers.GROUPS]
    keys += [f"basis_{b}" for b in ds.criterion_basis.values] + [f"role_{r}" for r in ds.criterion_role.values]
    assert all(key in LABELS for key in keys), [k for k in keys if k not in LABELS]
    assert all(english and thai for english, thai in LABELS.values())


def test_upload_rejects_what_validation_rejects():
    with pytest.raises(ModelInputError, match="field 'years.end'"):
        exports.read_upload("late.yaml", b"name: x\nyears: {end: 2200}\n")


def test_an_input_error_anywhere_in_the_page_is_a_message_not_a_traceback():
    broken = load_scenario("baseline").model_copy(update={
        "name": "broken", "parameters": {"old_age_allowance.amount.age_6069": {dt.date(2025, 10, 1): 700}}})
    at = start(uploaded=broken, reform="\0uploaded")  # as if a scenario had slipped past the upload's checks
    assert not at.exception
    assert any("unknown parameter path 'old_age_allowance.amount.age_6069'" in e.value for e in at.error)


def test_lever_bounds_are_the_parameter_ranges_that_overrides_respect():
    """A lever accepts exactly what a scenario override accepts: its bounds come from the parameter's range."""
    tree = ParameterTree.load()
    for group in levers.GROUPS:
        for lever in group.levers:
            info = tree.info(lever.path)
            if info.kind != "number":
                continue
            low, high = lever.bounds(info)
            assert (low, high) == (info.minimum * lever.factor, info.maximum * lever.factor), lever.path
            for shown in (low, high):
                tree.with_overrides({lever.path: {group.start: lever.stored(shown)}})
            with pytest.raises(ModelInputError, match="must be between"):
                tree.with_overrides({lever.path: {group.start: lever.stored(high + lever.step)}})
    max_age = next(lever for g in levers.GROUPS for lever in g.levers if lever.path == "child_support_grant.max_age")
    assert max_age.bounds(tree.info(max_age.path)) == (1, 18)
    narrowed = levers.Lever("ssf_s33.pension.age", "unit.years", step=1, low=55, high=200)
    assert narrowed.bounds(tree.info("ssf_s33.pension.age")) == (55, 70)


def test_the_builder_adds_any_parameter_and_the_address_holds_it():
    at = start()
    at.text_input(key="builder_query").set_value("ssf_s33.wage_ceiling").run()
    info = ParameterTree.load().info("ssf_s33.wage_ceiling")
    assert any(f"valid range: {info.minimum:,.0f} to {info.maximum:,.0f}" in c.value for c in at.caption)
    at.number_input(key="builder_value.ssf_s33.wage_ceiling").set_value(15_000)
    at.date_input(key="builder_date.ssf_s33.wage_ceiling").set_value(dt.date(2026, 1, 1))
    next(b for b in at.button if b.label == label("builder_add", "en")).click().run()
    assert not at.exception and not at.error
    assert at.session_state["builder_edits"] == {"ssf_s33.wage_ceiling": (dt.date(2026, 1, 1), 15_000)}
    assert "ssf_s33.wage_ceiling@2026-01-01=15000" in at.query_params["set"]
    assert any(label("edited_note", "en", count=1, name=label("scenario.oaa_ladder_2025", "en")) == c.value
               for c in at.caption)
    assert "edited (1)" in next(m.value for m in at.markdown if m.value.startswith("**"))


@pytest.mark.parametrize("lang", ["en", "th"])
def test_groups_tab_shows_the_mpi_and_adequacy_by_group(lang):
    """Below poverty and coverage, the groups tab charts M0, H, A, adequacy and the share lifted by transfers per
    target group for both scenarios, titled in the page's language, with the reform's M0 values."""
    at = show_tab(start(lang=lang), "groups", lang)
    assert len(at.get("plotly_chart")) == 2
    spec = chart_spec(at, 1)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == [label(key, lang) for _, key in charts.MPI_PANELS]
    reform = preview_run("oaa_ladder_2025")
    name = f"{label('group.aged_60_plus', lang)} · "
    m0 = [trace for trace in spec["data"] if trace["name"].startswith(name) and trace.get("xaxis", "x") == "x"]
    np.testing.assert_allclose(values(m0[-1]["y"]), reform["mpi"].sel(group="aged_60_plus").values)
    assert label("mpi_note", lang) in [c.value for c in at.caption]


def test_the_preview_says_how_precise_it_is_from_the_shipped_measurement():
    assert precision.relative_standard_error([90.0, 100.0, 110.0]) == pytest.approx(10.0)  # sd 10 around 100
    assert precision.relative_standard_error([-2.0, -4.0]) == pytest.approx(100 * 2 ** 0.5 / 3)
    with pytest.raises(ValueError, match="two runs"):
        precision.relative_standard_error([1.0])
    found = precision.measured()
    assert found.preview.scale == runs.PREVIEW_SCALE and found.full.scale == runs.FULL_SCALE
    assert found.preview.seeds >= 8 and found.full.seeds >= 2 and found.measured <= dt.date.today()
    # 50 times the rows: the seed moves the preview's figures several times more than full precision's
    assert found.preview.cost_rse_pct > 2 * found.full.cost_rse_pct
    assert found.preview.change_rse_pct > 2 * found.full.change_rse_pct
    for lang in ("en", "th"):
        assert f"±{found.preview.cost_rse_pct:.1f}%" in preview_label(lang)
        note = label("precision_note", lang, first=found.first, last=found.last, cost=found.preview.cost_rse_pct,
                     change=found.preview.change_rse_pct, full_cost=found.full.cost_rse_pct,
                     full_change=found.full.change_rse_pct, date="today", seeds=found.preview.seeds,
                     full_seeds=found.full.seeds)
        assert f"±{found.preview.change_rse_pct:.1f}%" in note and f"±{found.full.cost_rse_pct:.2f}%" in note


def test_the_page_opens_at_full_precision_and_the_long_run_keeps_its_scale():
    """The one page run at the default precision (last: its 2023-2100 runs keep the worker busy a while; without
    the current-policy line, one run fewer)."""
    at = start(precision=None, show_policy=False)
    assert [r.value for r in at.radio if r.key == "precision.en"] == [
        label("scale_full", "en", scale=runs.FULL_SCALE)]
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("Scale: 1 row = 100 persons") == 2  # the baseline's and the reform's run information
    assert "relative standard error" in captions and at.query_params["precision"] == "full"
    assert "1 row = 1,000 persons" in at.metric[DEPLETION].help  # the 2023-2100 runs at their own scale
    assert tile(at, COST) > 0 and not at.error
