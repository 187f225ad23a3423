"""The documentation book builds offline from the repository (docs/build.py, `make docs`) and has no broken
internal links; its generated pages carry the numbers the notebooks published and every scheme has a page."""

import html.parser
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from model.report import published
from model.schemes.registry import DECLARATIONS

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "docs" / "build.py"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _build_module():
    spec = importlib.util.spec_from_file_location("docs_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and ((tag == "a" and key == "href") or (tag in ("img", "script") and key == "src")
                          or (tag == "link" and key == "href")):
                self.targets.append(value)


def _broken_links(site: Path) -> list[str]:
    """Relative links of every page that point at no file of the site."""
    broken = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            path = unquote(parts.path)
            if not path:
                continue
            # a root-relative link (the 404 page's) is relative to the site's root
            resolved = (site / path.lstrip("/")).resolve() if path.startswith("/") else (page.parent / path).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    return broken


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    done = subprocess.run([sys.executable, str(BUILD), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.mark.slow
def test_book_builds_with_every_chapter_and_no_broken_internal_link(book):
    site = book / "site"
    for page in ["index.html", "summary.html", "summary.th.html", "validation.html", "results.html",
                 "uncertainty.html", "sources.html", "schemes/index.html", "methodology/population.html",
                 "methodology/households.html", "methodology/labour.html", "methodology/fiscal.html",
                 "methodology/ssf.html", *(f"schemes/{name}.html" for name in DECLARATIONS),
                 *(f"notebooks/{p.stem}.html" for p in NOTEBOOKS)]:
        assert (site / page).is_file(), page
    assert _broken_links(site) == []
    # offline: no page asks for web fonts
    assert not [p for p in site.rglob("*.html") if "fonts.googleapis.com" in p.read_text(encoding="utf-8")]


@pytest.mark.slow
def test_summary_numbers_are_the_notebooks(book):
    results = {}
    for path in NOTEBOOKS:
        results.update(published.read(nbformat.read(path, as_version=4)))
    english = (book / "docs" / "summary.md").read_text(encoding="utf-8")
    thai = (book / "docs" / "summary.th.md").read_text(encoding="utf-8")
    costs, sustain, unc = results["costs"], results["sustainability"], results["uncertainty"]
    for value in (costs["total_cost_pct_gdp_2023"], costs["total_cost_pct_gdp_2037"],
                  unc["total_cost_pct_gdp_2037_p5"], unc["total_cost_pct_gdp_2037_p95"],
                  sustain["least_debt_headroom_pp"]):
        assert f"{value:,.2f}" in english and f"{value:,.2f}" in thai
    assert f"THB {sustain['max_flat_oaa_thb']:,.0f} a month" in english
    assert re.search(r"[\u0E00-\u0E7F]", thai)  # written in Thai
    validation = (book / "docs" / "validation.md").read_text(encoding="utf-8")
    assert len(results["validation"]["comparisons"]) == validation.count("\n| ") - 1  # one row each, after the header


def test_scheme_page_shows_every_parameter_with_its_citations():
    build = _build_module()
    from model.parameters import ParameterTree

    tree = ParameterTree.load()
    page = build.scheme_page("old_age_allowance", tree)
    paths = [p for p in tree.paths() if p.startswith("old_age_allowance.")]
    assert paths and all(f"`{p}`" in page for p in paths)
    first = tree.info("old_age_allowance.amount.age_60_69").values[0]
    assert all(ref.href in page for ref in first.references if ref.href)
    assert "## Worked cases" in page and "Thai aged 72 without a state pension" in page


def test_a_missing_notebook_folder_is_one_clear_error(tmp_path):
    done = subprocess.run([sys.executable, str(BUILD), "--out", str(tmp_path / "b"), "--notebooks",
                           str(tmp_path / "none")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "error: --notebooks: no notebooks in" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "b").exists()
