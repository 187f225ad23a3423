"""The app in a real browser: `streamlit run app.py` on a free localhost port, driven headless through Playwright
with Debian's Chromium. Without the browser the test skips, except in CI (the CI variable set), where it fails.

One server serves every test of the module (its cache keeps the runs) and one Chromium process every page, each
page in a new browser context (no cookies, storage or cache shared with another page).
"""

import io
import os
from urllib.parse import quote

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

import browser
from model.app.labels import label
from model.app.workbook import SHEET_TITLES
from model.parameters import ParameterTree

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("app_browser")]
LEVER = "old_age_allowance.amount.age_60_69"
PREVIEW = "?precision=preview"  # the tests do not concern precision: the quick preview's address (the app's own test
# opens the page at its default, full precision)


@pytest.fixture(scope="module")
def chromium() -> None:
    """Skip (fail in CI) when Debian's Chromium or Playwright is missing."""
    missing = []
    if not browser.CHROMIUM.is_file():
        missing.append(f"no browser at {browser.CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package is not installed")
    if missing:
        message = "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {message}")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(chromium):
    with browser.app_server() as running:
        yield running


@pytest.fixture(scope="module")
def headless(chromium):
    """One Chromium process for the module's pages (starting one takes seconds of CPU)."""
    with browser.chromium() as running:
        yield running


def lever_control() -> str:
    return f"{ParameterTree.load().info(LEVER).label_en} ({label('unit.thb_month', 'en')})"


def test_headline_and_banner_for_a_reform_that_breaches_and_one_that_does_not(server, headless):
    with browser.new_page(headless) as page:
        browser.open_app(page, f"{server.url}/{PREVIEW}")  # the default reform: the old-age ladder, unfinanced
        text, banner = browser.headline_text(page), browser.banner_text(page)
        assert "costs THB" in text and "over FY2025–FY2037" in text
        assert "public debt breaches the 70% of GDP ceiling at the end of 2028" in text
        assert "FAIL · Public debt ≤ 70% of GDP: first breach 2028" in banner and "PASS" in banner
        browser.open_app(page, f"{server.url}/{PREVIEW}&reform=oaa_ladder_2025_financed")
        text, banner = browser.headline_text(page), browser.banner_text(page)
        assert "every legal ceiling and the Social Security Fund's solvency hold through 2037" in text
        assert "FAIL" not in banner and banner.count("PASS") == 3


def test_a_reload_and_a_shared_link_restore_the_same_reform(server, headless):
    with browser.new_page(headless) as page:
        browser.open_app(page, f"{server.url}/{PREVIEW}")
        before = browser.tile_text(page)
        browser.set_number(page, label("scheme.old_age_allowance", "en"), lever_control(), 1500)
        browser.wait_for_tile_change(page, before)
        browser.wait_for_address(page, f"set={LEVER}@2025-10-01=1500")
        edited, link = browser.headline_text(page), page.url
        assert "edited (1)" in edited and float(browser.tile_text(page).rstrip("%")) > float(before.rstrip("%"))
        page.reload()
        page.wait_for_selector(browser.METRIC_VALUES, timeout=300_000)
        # the page renders while its script still runs: wait (at most a minute) for the restored value
        expect(page.get_by_label(lever_control(), exact=True)).to_have_value("1500", timeout=60_000)
        assert browser.headline_text(page) == edited
    with browser.new_page(headless) as other:  # a new context: only the link is shared
        browser.open_app(other, link)
        expect(other.get_by_label(lever_control(), exact=True)).to_have_value("1500", timeout=60_000)
        assert browser.headline_text(other) == edited


def test_the_thai_view_has_buddhist_era_years_and_the_app_serves_its_thai_font(server, headless):
    with browser.new_page(headless) as page:
        fonts = []
        page.on("response", lambda r: fonts.append((r.url, r.status)) if "/static/fonts/" in r.url else None)
        browser.open_app(page, f"{server.url}/{PREVIEW}&lang=th")
        text = browser.headline_text(page)
        assert "ปีงบประมาณ 2568–2580" in text and "ณ สิ้นปี 2571" in text  # FY2025-2037, the breach of 2028
        assert page.locator(browser.METRIC_VALUES).first.is_visible()
        # the tiles may still be redrawn: wait (at most 30 s) until the first one is the cost tile
        expect(page.locator('[data-testid="stMetricLabel"]').first).to_contain_text("ค่าใช้จ่ายปีงบ 2580", timeout=30_000)
        page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=30_000)
        loaded = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('Sarabun'))"
                               ".map(f => f.status)")
        assert "loaded" in loaded
        thai = [(url, status) for url, status in fonts if "sarabun-thai" in url]
        assert thai and all(url.startswith(f"{server.url}/app/static/fonts/") and status == 200
                            for url, status in thai)
        family = page.evaluate("() => getComputedStyle(document.querySelector('.st-key-headline p')).fontFamily")
        assert family.startswith('"Sarabun"') or family.startswith("Sarabun")


def test_radios_keep_their_choice_after_switching_language(server, headless):
    with browser.new_page(headless) as page:
        browser.open_app(page, f"{server.url}/{PREVIEW}")
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text(label("scale_full", "en", scale=100)).wait_for()
        assert sidebar.locator('[role="radiogroup"] input:checked').count() == 2  # language and precision
        sidebar.get_by_text("ไทย", exact=True).click()
        sidebar.get_by_text(label("precision", "th"), exact=True).wait_for()
        # every radio group shows its choice at once, without another run of the page (waiting, under load, until
        # the English page's groups are gone: the sidebar holds two groups again)
        page.wait_for_function("""() => document.querySelectorAll('[data-testid="stSidebar"] [role="radiogroup"]')
            .length === 2 && [...document.querySelectorAll('[role="radiogroup"]')]
            .every(g => g.querySelector('input:checked') !== null)""", timeout=30_000)
        checked = sidebar.locator('[role="radiogroup"] input:checked')
        assert checked.count() == 2


def download(page, button, attempts: int = 4):
    """The download a click on `button` starts. A click that lands while the page re-renders the button is lost, so
    the click is repeated (at most `attempts` times, 30 s each) until a download starts."""
    for attempt in range(attempts):
        try:
            with page.expect_download(timeout=30_000) as info:
                button.click()
            return info
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise


def test_the_excel_download_opens_with_its_sheets(server, headless):
    with browser.new_page(headless) as page:
        browser.open_app(page, f"{server.url}/{PREVIEW}")
        info = download(page, page.get_by_role("button", name=label("download_xlsx", "en")))
        data = open(info.value.path(), "rb").read()
        book = openpyxl.load_workbook(io.BytesIO(data))
        assert book.sheetnames == list(SHEET_TITLES.values())
        rows = list(book["Budget impact"].iter_rows(values_only=True))
        assert rows[1][0] == "Fiscal year" and [r[0] for r in rows[2:15]] == [str(y) for y in range(2025, 2038)]
        assert quote("oaa_ladder_2025") in info.value.suggested_filename


def test_the_household_calculator_tab_computes_the_default_household(server, headless):
    with browser.new_page(headless) as page:
        browser.open_app(page, f"{server.url}/{PREVIEW}")
        page.get_by_role("tab", name=label("tab_household", "en")).click()
        # the default household: (12 x (15,000 + 6,000) + 24,000) / 4 members = 69,000 THB per person a year
        page.get_by_text("Household income per person: 69,000 THB/year").wait_for(timeout=120_000)
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name=label("download_table", "en")).click()
        table = pd.read_csv(info.value.path(), encoding="utf-8-sig", index_col=0)
        row = table.loc[label("scheme.old_age_allowance", "en")]
        month = label("hh_period.month", "en")
        assert row[label("hh_col", "en", name=label("baseline", "en"), period=month)] == 700  # 72-year-old, A1.2
        assert row[label("hh_col", "en", name=label("reform", "en"), period=month)] == 850  # the ladder
        assert table.loc[label("scheme.child_support_grant", "en")].iloc[0] == 600  # the 3-year-old, A3.1
