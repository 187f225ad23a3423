"""Drive the app in a real browser, for the browser test and the latency benchmark: serve `streamlit run app.py` on a
free local port, and open Debian's Chromium headless through Playwright (a test dependency, imported here only).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from model.paths import ROOT_DIR

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
APP = ROOT_DIR / "app.py"
METRIC_VALUES = '[data-testid="stMetricValue"]'


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer(NamedTuple):
    """A running app: its URL and the server's process id."""

    url: str
    pid: int


@contextlib.contextmanager
def app_server(timeout: float = 120) -> Iterator[AppServer]:
    """Run `streamlit run app.py` on a free localhost port until the block ends. The server and its worker process
    form one process group, which is ended afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, cwd=ROOT_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server, timeout, log)
            yield AppServer(url, server.pid)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"streamlit exited with status {server.returncode}:\n{output}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout:.0f} s")


@contextlib.contextmanager
def chromium() -> Iterator["Browser"]:
    """Headless Chromium (CHROMIUM) until the block ends: one browser process for many pages, each page opened with
    `new_page` in a context of its own (no cookies, storage or cache shared with another page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield running
        finally:
            running.close()


@contextlib.contextmanager
def new_page(running: "Browser", width: int = 1500, height: int = 1100) -> Iterator["Page"]:
    """A page of `running` in a new context, as a new browser profile has it, until the block ends."""
    context = running.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@contextlib.contextmanager
def chromium_page(width: int = 1500, height: int = 1100) -> Iterator["Page"]:
    """A page of its own headless Chromium (CHROMIUM, a new context: an empty profile) until the block ends."""
    with chromium() as running, new_page(running, width, height) as page:
        yield page


def open_app(page: "Page", url: str, timeout: float = 300) -> None:
    """Load the page and wait until the headline tiles are drawn."""
    page.goto(url)
    page.wait_for_selector(METRIC_VALUES, timeout=timeout * 1000)


def tile_text(page: "Page", index: int = 0) -> str:
    """The value shown on a headline tile (0: the cost tile)."""
    return page.locator(METRIC_VALUES).nth(index).inner_text()


def set_number(page: "Page", group: str, control: str, value: float) -> None:
    """Type a value into a lever (its group's expander opened if need be) and commit it with Enter."""
    box = page.get_by_label(control, exact=True)
    if not box.is_visible():
        page.get_by_test_id("stSidebar").get_by_text(group, exact=True).click()
    box.fill(str(value))
    box.press("Enter")


def wait_for_tile_change(page: "Page", old: str, index: int = 0, timeout: float = 120) -> None:
    """Wait until a headline tile shows something else than `old`."""
    page.wait_for_function(
        "([selector, index, old]) => { const e = document.querySelectorAll(selector)[index];"
        " return e !== undefined && e.innerText !== old; }",
        arg=[METRIC_VALUES, index, old], timeout=timeout * 1000, polling=10)


HEADLINE = ".st-key-headline"
BANNER = ".st-key-banner"


def headline_text(page: "Page") -> str:
    """The one-line summary at the top of the page."""
    return page.locator(HEADLINE).inner_text()


def banner_text(page: "Page") -> str:
    """The pass/fail banner of the criteria."""
    return page.locator(BANNER).inner_text()


def wait_for_address(page: "Page", part: str, timeout: float = 60) -> None:
    """Wait until the page's address holds `part` (the app writes its settings there)."""
    page.wait_for_function("(part) => decodeURIComponent(window.location.search).includes(part)", arg=part,
                           timeout=timeout * 1000, polling=100)
