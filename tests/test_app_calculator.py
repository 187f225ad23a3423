"""The app's household calculator tab, current policy beside current law, and the code that reproduces the page's
comparison, driven by Streamlit's AppTest at the quick-preview scale."""

import datetime as dt
import io
import shlex
import subprocess
import sys
from contextlib import redirect_stdout

import numpy as np
import pytest
import xarray as xr
from streamlit.testing.v1 import AppTest

import model
from model.app import current_policy, levers, runs, snippet
from model.app.impact import budget_impact
from app_downloads import download
from model.app.labels import label
from model.paths import ROOT_DIR
from model.scenario import load_scenario

APP = ROOT_DIR / "app.py"
TIMEOUT = 300  # seconds for one page run: the first one runs the model, under load on a shared machine
# one process keeps the runs cached for every test; the 2023-2100 jobs are recorded (tests/conftest.py)
pytestmark = [pytest.mark.xdist_group("app"), pytest.mark.usefixtures("long_jobs")]


def start(**session: object) -> AppTest:
    """The page after its first run, with the given session state (at the quick-preview scale unless the state
    names a precision: these tests do not concern it)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    session.setdefault("precision", "preview")
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def show_tab(at: AppTest, key: str, lang: str = "en") -> AppTest:
    """Open a tab of the page and run it."""
    at.session_state["tab"] = label(f"tab_{key}", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def control(at: AppTest, prefix: str):
    """A lever's control (its key is the parameter path, or macro.<series>, plus the reform's id)."""
    return next(w for w in at.number_input if w.key and w.key.split("@")[0] == prefix)


def traces(at: AppTest, index: int = 0) -> dict[str, dict]:
    """The traces of a chart on the page by name."""
    import json
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {trace.get("name"): trace for trace in spec["data"]}


def numbers(data: object) -> np.ndarray:
    """A Plotly trace's x or y (a list, or base64-packed binary)."""
    import base64
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    return np.array(data)


def preview(name: str) -> xr.Dataset:
    """A shipped scenario as the default page runs it: preview scale, the default reform's seed, 2023-2037."""
    return model.run(runs.for_app(load_scenario(name), runs.PREVIEW_SCALE, load_scenario("oaa_ladder_2025").seed))


# --- current policy beside current law ------------------------------------------------------------------------


def test_current_policy_is_drawn_beside_current_law_on_the_cost_and_debt_charts():
    at = show_tab(start(), "cost")
    law, policy = preview("baseline"), preview("current_policy")
    name = label("reference.current_policy", "en")
    line = traces(at)[f"Σ {name}"]
    assert list(numbers(line["x"])) == list(range(2024, 2038))
    np.testing.assert_allclose(numbers(line["y"]), policy["benefit_cost_fy"].sum("scheme").values / 1e9)
    assert line.get("showlegend", True) and line["line"]["dash"] == "dashdot"
    # the erosion: current policy above current law in FY2037, in points of GDP, as the page says it
    found = current_policy.erosion(law, policy)
    assert found.erosion_pp > 0.1 and found.policy_last > found.law_last
    captions = [c.value for c in at.caption]
    assert f"{found.erosion_pp:.2f} points of GDP in FY2037" in " ".join(captions)
    show_tab(at, "debt")
    debt = traces(at)[name]
    np.testing.assert_allclose(numbers(debt["y"]), policy["public_debt_pct_gdp"].values)
    assert numbers(debt["y"])[-1] > law["public_debt_pct_gdp"].values[-1]  # the erosion keeps debt lower
    assert any(f"{found.policy_last:.2f}% in FY2037" in c.value for c in at.caption)
    # in Thai, the legend and the fiscal years of the note
    at.radio(key="lang").set_value("th").run()
    show_tab(at, "debt", "th")
    assert label("reference.current_policy", "th") in traces(at)
    assert any("ปีงบประมาณ 2580" in c.value for c in at.caption)


def test_current_policy_can_be_hidden_and_beside_current_policy_the_line_is_current_law():
    at = show_tab(start(), "cost")
    at.toggle(key="show_policy.en").set_value(False).run()
    assert not any(str(name).startswith("Σ ") and name != f"Σ {label('baseline', 'en')}" for name in traces(at))
    at.toggle(key="show_policy.en").set_value(True).run()
    at.selectbox(key="baseline.en").set_value(label("scenario.current_policy", "en")).run()
    assert not at.exception
    line = traces(at)[f"Σ {label('reference.baseline', 'en')}"]
    np.testing.assert_allclose(numbers(line["y"]), preview("baseline")["benefit_cost_fy"].sum("scheme").values / 1e9)
    assert any("The erosion of what current law freezes" in c.value for c in at.caption)


# --- the household calculator ---------------------------------------------------------------------------------


def household_row(at: AppTest, scheme: str):
    """The calculator table's row of a scheme (or the total)."""
    table = at.dataframe[0].value
    return table.loc[label("total_row", "en") if scheme == "total" else label(f"scheme.{scheme}", "en")]


def column(kind: str, period: str = "month") -> str:
    names = {"base": label("baseline", "en"), "reform": label("reform", "en"),
             "difference": label("hh_difference", "en")}
    return label("hh_col", "en", name=names[kind], period=label(f"hh_period.{period}", "en"))


def test_the_household_tab_shows_both_scenarios_and_follows_the_levers():
    at = show_tab(start(), "household")
    at.number_input(key="hh.n").set_value(1).run()
    at.number_input(key="hh.0.age").set_value(72).run()
    assert not at.exception and not at.error
    row = household_row(at, "old_age_allowance")  # A1.2 and the ladder: 700 and 850 THB/month at 70-79 in 2026
    assert (row[column("base")], row[column("reform")], row[column("difference")]) == (700, 850, 150)
    assert row[column("difference", "year")] == 1_800
    assert household_row(at, "total")[column("difference", "year")] == 1_800
    at.number_input(key=next(w.key for w in at.number_input
                             if w.key.startswith("old_age_allowance.amount.age_70_79@"))).set_value(1_000).run()
    assert household_row(at, "old_age_allowance")[column("reform")] == 1_000  # the edited reform
    assert label("hh_income", "en", income=24_000, money=24_000 * 0.855) in [m.value for m in at.markdown]


def test_a_household_the_rules_refuse_is_a_message_naming_the_field():
    at = show_tab(start(), "household")
    at.number_input(key="hh.n").set_value(1).run()
    at.number_input(key="hh.0.age").set_value(72).run()
    at.number_input(key="hh.0.wage").set_value(5_000.0).run()  # not working, yet a wage
    assert not at.exception
    assert any("members.0.wage" in e.value and "has no wage" in e.value for e in at.error)


def test_the_household_tab_reads_in_thai():
    at = show_tab(start(lang="th"), "household", "th")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert label("scheme.old_age_allowance", "th") in table.index and label("total_row", "th") in table.index
    assert label("hh_col", "th", name=label("baseline", "th"), period=label("hh_period.month", "th")) in table.columns
    assert at.selectbox(key="hh.year.th").value == "2569"  # 2026 in the Buddhist era


# --- the code that reproduces the page ------------------------------------------------------------------------


def test_the_code_snippet_and_the_command_line_give_the_page_numbers(tmp_path, media, monkeypatch):
    at = start()
    control(at, "old_age_allowance.amount.age_60_69").set_value(900)
    at.run()
    control(at, "macro.inflation").set_value(0.5)
    at.run()
    assert not at.exception
    python, commands = (c.value for c in at.code)
    assert "'old_age_allowance.amount.age_60_69': {dt.date(2025, 10, 1): 900}" in python
    assert "shifted_path(reform.macro, 'inflation', 0.5)" in python
    page = at.dataframe[0].value  # the budget impact table of the open (first) tab, THB bn by fiscal year
    namespace: dict = {}
    with redirect_stdout(io.StringIO()):
        exec(compile(python, "snippet", "exec"), namespace)  # noqa: S102 - the page's own code
    ours = namespace["impact"].table["total"] / 1e9
    shown = page[label("col.thb_bn", "en", name=label("share.total", "en"))].iloc[:len(ours)]
    np.testing.assert_allclose(shown.to_numpy(dtype=float), ours.to_numpy(), atol=1e-4)
    # the command line on the downloaded scenario file gives the snippet's run
    saved = download(at, media, "download_yaml")
    name = namespace["reform"].name
    (tmp_path / f"{name}.yaml").write_bytes(saved)
    first = shlex.split(commands.splitlines()[0])
    assert first[:3] == ["python", "-m", "model"] and f"{name}.yaml" in first
    monkeypatch.setenv("PYTHONPATH", str(ROOT_DIR))
    subprocess.run([sys.executable, *first[1:]], cwd=tmp_path, check=True, capture_output=True, timeout=900)
    ran = xr.open_dataset(tmp_path / f"{name}.nc", engine="h5netcdf")
    assert ran.attrs["run_id"] == namespace["result"].attrs["run_id"]
    np.testing.assert_allclose(ran["benefit_cost_fy"].values, namespace["result"]["benefit_cost_fy"].values)
    assert budget_impact(namespace["base"], namespace["result"]).table["total"].abs().sum() > 0


@pytest.mark.parametrize("changes, shifts", [
    ({}, {}),
    ({"old_age_allowance.amount.age_60_69": (dt.date(2027, 1, 1), 900)}, {}),  # keeps the ladder's 2025 value
    ({"ssf_s33.wage_ceiling": (dt.date(2026, 1, 1), 16_000),
      "child_support_grant.universal": (dt.date(2025, 10, 1), True)}, {"real_growth": -0.5, "inflation": 1.0}),
])
def test_the_snippet_rebuilds_the_edited_reform_exactly(changes, shifts):
    shipped = load_scenario("oaa_ladder_2025")
    edited = runs.for_app(levers.with_levers(shipped, changes, shifts), runs.PREVIEW_SCALE, shipped.seed)
    code = snippet.python_snippet("baseline", "oaa_ladder_2025", shipped, edited, shifts)
    setup = code.split("settings = ")[0]  # the lines before the runs
    namespace: dict = {}
    exec(compile(setup, "snippet", "exec"), namespace)  # noqa: S102 - code the app writes
    rebuilt = namespace["reform"].replaced(scale=edited.scale, seed=edited.seed, end_year=edited.years.end)
    assert rebuilt.fingerprint() == edited.fingerprint() and rebuilt.name == edited.name
    compile(code, "snippet", "exec")


def test_the_snippet_of_an_uploaded_reform_reads_its_file():
    uploaded = load_scenario("oaa_flat_1000")
    code = snippet.python_snippet("baseline", "my_reform.yaml", uploaded, uploaded, {})
    assert "reform = load_scenario('my_reform.yaml')" in code and "replaced" not in code
    assert snippet.cli_commands("baseline", uploaded).splitlines()[1].startswith(
        "python -m model compare baseline oaa_flat_1000.yaml --scale 100 --seed")
