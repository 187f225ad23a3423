"""The app in a real browser: `streamlit run app.py` on a free localhost port, driven headless through Playwright
with Debian's Chromium. Without the browser the test skips, except in CI (the CI variable set), where it fails.
"""

import os

import pytest

import browser
from model.app.labels import label
from model.parameters import ParameterTree

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("app_browser")]
LEVER = "old_age_allowance.amount.age_60_69"


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


def test_changing_a_control_updates_the_cost_tile(chromium, tmp_path):
    control = f"{ParameterTree.load().info(LEVER).label_en} ({label('unit.thb_month', 'en')})"
    with browser.app_server() as server, browser.chromium_page() as page:
        browser.open_app(page, server.url)
        before = browser.tile_text(page)
        browser.set_number(page, label("scheme.old_age_allowance", "en"), control, 1500)
        browser.wait_for_tile_change(page, before)
        after = browser.tile_text(page)
        screenshot = tmp_path / "app.png"
        page.screenshot(path=str(screenshot))
    assert float(after.rstrip("%")) > float(before.rstrip("%"))
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot: {screenshot}")
