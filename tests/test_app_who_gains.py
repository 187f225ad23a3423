"""The 'who gains' tab (model/app/who_gains.py): effects by decile and region, with the shares gaining and losing
from the persons of both runs, in English and Thai."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import model
from model.app import runs, who_gains
from model.app.labels import LABELS, label
from model.population.regions import REGIONS
from model.scenario import load_scenario

APP = Path(__file__).resolve().parents[1] / "app.py"
# one process keeps the runs cached for every test; the 2023-2100 jobs are recorded (tests/conftest.py)
pytestmark = [pytest.mark.xdist_group("app"), pytest.mark.usefixtures("long_jobs")]


def open_tab(lang: str) -> AppTest:
    """The default page (baseline against the allowance ladder) with the 'who gains' tab open, at the quick-preview
    scale (these tests do not concern precision: tests/test_app.py opens the page at full precision)."""
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.session_state["precision"] = "preview"
    at.run()
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    at.session_state["tab"] = label("tab_who_gains", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def page() -> AppTest:
    return open_tab("en")


def test_the_tab_shows_gains_shares_and_downloads_by_decile_and_region(page) -> None:
    tables = [d.value for d in page.dataframe]
    decile, region = tables[0], tables[1]
    assert list(decile.index) == [label("wg.decile_n", "en", n=n) for n in range(1, 11)]
    assert list(region.index) == [label(f"region.{r}", "en") for r in REGIONS]
    gaining, losing = label("wg.col.gaining", "en"), label("wg.col.losing", "en")
    # the ladder raises every band of the allowance: nobody loses, someone gains in every decile
    assert (decile[losing] == 0).all() and (decile[gaining] > 0).all()
    assert (decile[label("wg.col.gain", "en")] > 0).all()
    names = {b.proto.label for b in page.get("download_button")}
    assert label("download_table", "en") in names
    assert len(page.get("plotly_chart")) >= 4


def test_average_gain_is_the_change_in_net_transfers_per_person() -> None:
    seed = load_scenario("oaa_ladder_2025").seed
    base, reform = (model.run(runs.for_app(load_scenario(n), runs.PREVIEW_SCALE, seed))
                    for n in ("baseline", "oaa_ladder_2025"))
    gain = who_gains.average_gain(base, reform, 2030, "decile")
    by_hand = ((reform.cash_benefits_by_decile - base.cash_benefits_by_decile).sel(year=2030)
               / base.population_by_decile.sel(year=2030)).values
    np.testing.assert_allclose(gain.values, by_hand)  # the allowance changes no contribution
    assert who_gains.available(reform)


def test_the_thai_view_labels_regions_in_thai() -> None:
    at = open_tab("th")
    region = at.dataframe[1].value
    assert list(region.index) == [label(f"region.{r}", "th") for r in REGIONS]
    assert all(k in LABELS and LABELS[k][1] for k in LABELS if k.startswith(("wg.", "region.")))


def test_the_target_group_table_shows_each_measure_under_both_runs_and_its_change(page) -> None:
    table = page.dataframe[-1].value
    assert list(table.index) == [label(f"group.{g}", "en") for g in
                                 ("aged_60_plus", "children_0_6", "disability", "informal_workers", "all")]
    for key in ("wg.col.poverty", "wg.col.mpi", "wg.col.coverage"):
        name = label(key, "en")
        base, reform, change = (table[f"{name}: {label(k, 'en')}"] for k in ("wg.baseline", "wg.reform", "wg.change"))
        np.testing.assert_allclose(change, reform - base, atol=0.011)  # each column rounded to 0.01
    # a higher allowance for every band can only lift the elderly out of income poverty
    assert table.loc[label("group.aged_60_plus", "en"), f"{label('wg.col.poverty', 'en')}: {label('wg.change', 'en')}"] <= 0
