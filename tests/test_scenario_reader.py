"""The reader of user YAML (model/yaml_files.py) as the scenario and sweep readers use it: what it accepts,
what it refuses, how fast, and that nothing shipped is refused."""

import time
import tracemalloc
import warnings
from pathlib import Path

import pytest
import yaml

from model.errors import ModelInputError, ModelInputWarning, shorten
from model.scenario import load_scenario, scenario_from_text
from model.sweep.spec import load_sweep, sweep_from_text
from model.yaml_files import SAFE_LOADER, read_input_yaml

from bad_yaml import bomb

ROOT = Path(__file__).resolve().parents[1]
OAA = "old_age_allowance.amount.age_60_69"



BOMBS = {
    "unknown key": f"name: t\nlaughs: {bomb(12)}\n",
    "name": f"name: {bomb(12)}\n",
    "description": f"name: t\ndescription: {bomb(12)}\n",
    "macro": f"name: t\nmacro:\n  real_growth: {bomb(12)}\n",
    "parameter value": f"name: t\nparameters:\n  {OAA}: {{2025-10-01: {bomb(12)}}}\n",
    "override date key": f"name: t\nparameters:\n  {OAA}: {{? {bomb(12)} : 1}}\n",
    "merge key": "name: t\nbase: &b {scale: 100}\ndemography:\n  <<: *b\n",
}


@pytest.mark.parametrize("where", BOMBS)
@pytest.mark.parametrize("read", [scenario_from_text, sweep_from_text], ids=["scenario", "sweep"])
def test_alias_bombs_fail_within_a_second_without_memory(read, where):
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ModelInputError, match=r"YAML aliases \(\*name\) are not accepted") as caught:
        read(BOMBS[where])
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 5_000_000, (elapsed, peak)
    assert len(str(caught.value)) < 300


def test_byte_order_mark_and_thai_text_are_accepted():
    text = "name: ทดสอบ\ndescription: เบี้ยยังชีพผู้สูงอายุ é\nbase: baseline\n"
    scenario = scenario_from_text(b"\xef\xbb\xbf" + text.encode(), "upload.yaml")
    assert scenario.name == "ทดสอบ" and scenario.description.endswith("é")
    assert scenario_from_text("\ufeff" + text).fingerprint() == scenario.fingerprint()


def test_offset_of_a_bad_byte_counts_the_byte_order_mark():
    with pytest.raises(ModelInputError, match=r"^x\.yaml: not UTF-8 text: byte 0xe9 at byte offset 9 "):
        read_input_yaml(b"\xef\xbb\xbfa: caf\xe9", "x.yaml", 100)


def test_lone_surrogate_in_text_is_an_input_error():
    with pytest.raises(ModelInputError, match=r"not valid Unicode text \(character 6\)"):
        read_input_yaml("name: \ud800", "x.yaml", 100)


def test_error_messages_show_values_shortened():
    long_name = "n" * 100_000
    with pytest.raises(ModelInputError) as caught:
        scenario_from_text(f"name: {long_name}\n")
    assert "field 'name'" in str(caught.value) and len(str(caught.value)) < 200
    with pytest.raises(ModelInputError) as caught:
        scenario_from_text("name: t\nmacro: {real_growth: {" + ", ".join(f"{y}: [1]" for y in range(2024, 9000))
                           + "}}\n")
    assert len(str(caught.value)) < 200
    assert shorten(list(range(10**6))) == "[0, 1, 2, ...]" and len(shorten("x" * 10**6)) <= 40


@pytest.mark.parametrize("text, expected", [
    ("a: 1\n", {"a": 1}),
    ("", None),
    ("a: 2025-10-01\n", {"a": __import__("datetime").date(2025, 10, 1)}),
    ("anchored: &only_once 5\n", {"anchored": 5}),  # an anchor without an alias is harmless
])
def test_plain_documents_read_as_the_fast_loader_reads_them(text, expected):
    assert read_input_yaml(text, "x", 100) == expected == yaml.load(text, Loader=SAFE_LOADER)


def test_project_files_keep_libyaml():
    assert SAFE_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_every_shipped_scenario_and_sweep_is_accepted_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelInputWarning)
        for path in sorted((ROOT / "scenarios").glob("*.yaml")):
            assert load_scenario(path).name
        for path in sorted((ROOT / "sweeps").glob("*.yaml")):
            assert load_sweep(path).factors or load_sweep(path).uncertain


def test_every_app_lever_end_is_a_valid_override():
    from model.app.levers import GROUPS
    from model.parameters import ParameterTree

    tree = ParameterTree.load()
    for group in GROUPS:
        for lever in group.levers:
            if tree.info(lever.path).kind == "bool":
                continue
            for shown in lever.bounds(tree.info(lever.path)):
                value = lever.stored(shown)
                assert tree.with_overrides({lever.path: {group.start: value}}).get(lever.path, group.start) == value
