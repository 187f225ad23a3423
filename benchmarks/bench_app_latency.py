"""Benchmark the app's control-to-update latency in a real browser: serve `streamlit run app.py`, open it in headless
Chromium, type a new 60-69 old-age allowance (or, with --lever inflation, a shift of inflation, which moves the
whole macro path) and time how long the cost tile and the cost chart take to show the new result (at the app's
default, full precision, or at the quick preview with --precision preview), timed in the page from the Enter key
that commits the value. Each change is a new scenario, so the model runs every time; only the baseline and current
law come from the cache. An allowance's run replays current law's population path; an inflation shift's ages its own
(model.population.remembered_path).

Changes are timed twice: after the page has settled (the 2023-2100 worker idle), and one right after another
(the worker busy with the previous change's long runs). Prints a Markdown section for benchmarks/RESULTS.md.

Usage: python benchmarks/bench_app_latency.py [--changes 8] [--precision full] [--lever allowance|inflation]
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from model.app import runs
from model.app.labels import label
from model.parameters import ParameterTree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import browser  # noqa: E402  (the headless-browser driver the app's browser test uses)

LEVER_NAMES = {"allowance": "types a new 60-69 old-age allowance (the population path of current law is replayed)",
               "inflation": "types a new shift of inflation (the macro path moves wages: each run ages its own "
                            "population)"}


def lever(name: str) -> tuple[str, str, float, float]:
    """(the lever's group, its control's label, the first value typed, the step between values)."""
    if name == "inflation":
        return label("macro", "en"), f"{label('shift', 'en', name=label('inflation', 'en'))} " \
                                     f"({label('unit.pp', 'en')})", 0.25, 0.25
    info = ParameterTree.load().info("old_age_allowance.amount.age_60_69")
    return label("scheme.old_age_allowance", "en"), f"{info.label_en} ({label('unit.thb_month', 'en')})", 800, 100
SCALES = {"full": runs.FULL_SCALE, "preview": runs.PREVIEW_SCALE}  # as app.py's precision choice
PRECISION_NAMES = {"full": "full precision (the default)", "preview": "quick preview"}
CHART = ".js-plotly-plot .scatterlayer"

# Timed inside the page, so that the clock starts when the Enter key commits the value and the watching itself
# costs the page nothing between changes of the DOM: a MutationObserver looks at the cost tile's text and at the
# cost chart's drawn areas (a new layer, or new shapes in it) after each change of the page.
WATCH = """([tileSelector, chartSelector]) => {
  const tile = () => document.querySelector(tileSelector)?.textContent;
  const chart = () => document.querySelector(chartSelector);
  const shapes = (layer) => layer ? Array.from(layer.querySelectorAll('path'), p => p.getAttribute('d')).join() : '';
  const before = {tile: tile(), layer: chart(), shapes: shapes(chart())};
  const times = window.__latency = {enter: null, tile: null, chart: null};
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') times.enter = performance.now();
  }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const now = performance.now();
    if (times.tile === null && tile() !== before.tile) times.tile = now;
    const layer = chart();
    if (times.chart === null && layer && (layer !== before.layer || shapes(layer) !== before.shapes)) times.chart = now;
    if (times.tile !== null && times.chart !== null) observer.disconnect();
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def settle(page, timeout: float = 600) -> None:
    """Wait until the SSF depletion tile shows a year (the long runs are done and the worker is idle)."""
    page.wait_for_function("(selector) => document.querySelectorAll(selector)[1].innerText !== '…'",
                           arg=browser.METRIC_VALUES, timeout=timeout * 1000, polling=100)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def change(page, pid: int, group: str, control: str, value: float) -> tuple[float, float, float]:
    """Set the lever; seconds from the Enter key until the cost tile and until the cost chart show the new
    result, and the CPU seconds the server used meanwhile (its worker process not included)."""
    page.evaluate(WATCH, [browser.METRIC_VALUES, CHART])
    cpu = cpu_seconds(pid)
    browser.set_number(page, group, control, value)
    page.wait_for_function("() => window.__latency.tile !== null && window.__latency.chart !== null",
                           timeout=120_000, polling=250)
    times = page.evaluate("window.__latency")
    return (times["tile"] - times["enter"]) / 1e3, (times["chart"] - times["enter"]) / 1e3, cpu_seconds(pid) - cpu


def row(name: str, times: list[tuple[float, float, float]]) -> str:
    """A Markdown table row: median and worst of the tile and chart latencies, median server CPU."""
    tiles, charts, cpu = zip(*times)
    return (f"| {name} | {len(times)} | {statistics.median(tiles):.2f} | {max(tiles):.2f} "
            f"| {statistics.median(charts):.2f} | {max(charts):.2f} | {statistics.median(cpu):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=8, help="changes timed in each of the two settings")
    parser.add_argument("--precision", choices=list(SCALES), default="full",
                        help="the page's precision (full: the app's default)")
    parser.add_argument("--lever", choices=list(LEVER_NAMES), default="allowance", help="the lever changed")
    args = parser.parse_args()
    group, control, first, step = lever(args.lever)
    values = iter(first + step * k for k in range(2 * args.changes + 1))
    with browser.app_server() as server, browser.chromium_page() as page:
        start = time.perf_counter()
        browser.open_app(page, f"{server.url}/?precision={args.precision}")
        first_tiles = time.perf_counter() - start
        settle(page)
        first_settled = time.perf_counter() - start
        change(page, server.pid, group, control, next(values))  # warm-up: imports and caches of the page's own code
        settle(page)
        idle = []
        for _ in range(args.changes):
            idle.append(change(page, server.pid, group, control, next(values)))
            settle(page)
        busy = [change(page, server.pid, group, control, next(values)) for _ in range(args.changes)]
    print(f"## App latency ({time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f})\n")
    print(f"Headless Chromium, `streamlit run app.py`, {PRECISION_NAMES[args.precision]} "
          f"(1 row = {SCALES[args.precision]:,} persons); "
          f"each change {LEVER_NAMES[args.lever]}. Cold start: tiles after {first_tiles:.1f} s, SSF "
          f"depletion year after {first_settled:.1f} s.\n")
    print("| setting | changes | tile median s | tile max s | chart median s | chart max s | server CPU s |")
    print("|---|---|---|---|---|---|---|")
    print(row("page settled before each change", idle))
    print(row("changes back to back (worker busy)", busy))


if __name__ == "__main__":
    main()
