"""The source registry: every id the project cites resolves in model/sources.yaml, every entry is cited (or marked
general), and every dated value of the parameters, macro assumptions and calibration targets has a source or is an
assumption with its reason."""

import re
from pathlib import Path

import pytest

from model.errors import ModelInputError
from model.fiscal.macro import macro_file, provenances
from model.schemes import health_cost
from model.parameters import ParameterTree
from model.population.targets import default_targets
from model.schema import Citation, Provenance
from model.sources import cite, load_registry, registry
from model.validation.totals import load_totals

ROOT = Path(__file__).resolve().parents[1]
MENTION = re.compile(r"\[((?:S|T)(?:\d+|-[A-Za-z0-9]+))\]")
"""An id written in running text (a note, a reason, a comment): ``[S67]``."""

TEXT_FILES = [*ROOT.glob("model/**/*.yaml"), *ROOT.glob("scenarios/*.yaml"), *ROOT.glob("sweeps/*.yaml"),
              ROOT / "data" / "administrative_totals.csv"]


def _provenances() -> list[tuple[str, Provenance]]:
    """(where, provenance) of every dated parameter value, macro point and criterion, and calibration target."""
    found: list[tuple[str, Provenance]] = []
    tree = ParameterTree.load()
    for path in tree.paths():
        for value in tree.info(path).values:
            refs = [Citation(source=r.source, note=r.note) for r in value.references]
            found.append((f"{path} {value.date}", Provenance(reference=refs, assumption=value.assumption,
                                                             reason=value.reason)))
    found += [(f"macro {where}", item) for where, item in provenances(macro_file())]
    found += [(f"target {name}", target) for name, target in default_targets().by_name.items()]
    found += [(f"health age-cost {where}", item) for where, item in health_cost.provenances()]
    return found


def _structured_ids() -> set[str]:
    ids = {c.source for _, item in _provenances() for c in item.reference}
    return ids | {key for total in load_totals() for key in total.source.split()}


def _mentioned_ids() -> set[str]:
    return {key for file in TEXT_FILES for key in MENTION.findall(file.read_text(encoding="utf-8"))}


def test_every_value_has_a_source_or_a_reasoned_assumption() -> None:
    items = _provenances()
    assert len(items) > 300
    for where, item in items:
        assert item.reference or (item.assumption and (item.reason or "").strip()), where


def test_every_cited_id_resolves() -> None:
    known = set(registry())
    assert _structured_ids() <= known
    assert _mentioned_ids() - known == set(), "ids written in notes or comments must be registry ids"


def test_every_registry_entry_is_cited_or_general() -> None:
    cited = _structured_ids() | _mentioned_ids()
    unused = [key for key, source in registry().items() if key not in cited and not source.general]
    assert unused == []


def test_registry_entries_are_complete_and_unique() -> None:
    sources = registry()
    urls = [s.url for s in sources.values() if s.url]
    assert len(urls) == len(set(urls)), "one source, one id: two ids share a URL"
    for key, source in sources.items():
        assert source.title.strip() and (source.url or "secondary" in cite(key) or "S51" in cite(key)), key


def test_a_citation_reads_with_its_id_publisher_title_and_note() -> None:
    note = registry()["S1"].note
    assert note
    assert cite("S1", "600 THB") == ('[S1] The Nation, "Thai seniors to get slightly higher allowance for next 6 '
                                     f'months", 26 Apr 2022 ({note}); 600 THB')
    assert Citation.model_validate("S83") == Citation(source="S83")


@pytest.mark.parametrize(("content", "pattern"), [
    ("S1: {title: x, colour: red}\n", r"field 'S1\.colour': unknown key"),
    ("S1: {publisher: x}\n", r"field 'S1\.title': required field is missing"),
    ("S1: {title: x, url: not-a-url}\n", r"field 'S1\.url'"),
    ("X1: {title: x}\n", r"source id 'X1' must look like"),
])
def test_a_malformed_registry_names_the_field(tmp_path: Path, content: str, pattern: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelInputError, match=pattern):
        load_registry(path)
