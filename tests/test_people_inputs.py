"""Malformed calibration-target and population parameter files are rejected with a message naming the field."""

from pathlib import Path

import pytest
import yaml

from model.errors import ModelInputError, ParameterError
from model.parameters import DEFAULT_ROOTS, ParameterTree
from model.population.targets import TARGETS_FILE, load_targets

GOOD = {
    "name": "employed", "value": 40_100_000, "unit": "persons", "role": "check",
    "tolerance": {"relative": 0.03}, "reference": [{"source": "S93", "note": "fact sheet B2"}],
}


def write_targets(tmp_path: Path, **changes) -> Path:
    target = {**GOOD, **changes}
    target = {k: v for k, v in target.items() if v is not None}
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump({"description": "test", "targets": [target]}), encoding="utf-8")
    return path


def test_shipped_targets_load_and_a_minimal_file_is_accepted(tmp_path):
    assert load_targets(TARGETS_FILE).value("ssf_s33_insured") == 11_900_000
    assert load_targets(write_targets(tmp_path)).value("employed") == 40_100_000


@pytest.mark.parametrize("changes, pattern", [
    ({"tolerence": {"relative": 0.1}}, r"targets\[0\]\.tolerence \(target 'employed'\).*unknown key"),
    ({"tolerance": {"relative": 0.1, "absolute": 2}}, r"targets\[0\]\.tolerance.*exactly one of"),
    ({"tolerance": {"relative": -0.1}}, r"targets\[0\]\.tolerance\.relative.*greater than 0"),
    ({"tolerance": None}, r"targets\[0\].*'tolerance' is required"),
    ({"reference": None}, r"targets\[0\].*needs a non-empty 'reference' list or 'assumption: true'"),
    ({"reference": ["S9999"]}, r"targets\[0\]\.reference\[0\]\.source \(target 'employed'\)': not a source id of model/sources\.yaml \(got 'S9999'\)"),
    ({"reference": None, "assumption": True}, r"targets\[0\].*non-empty 'reason'"),
    ({"value": "many"}, r"targets\[0\]\.value.*valid number"),
    ({"role": "guess"}, r"targets\[0\]\.role"),
    ({"name": "Bad Name"}, r"targets\[0\]\.name"),
])
def test_malformed_target_is_rejected_naming_the_field(tmp_path, changes, pattern):
    with pytest.raises(ModelInputError, match=pattern):
        load_targets(write_targets(tmp_path, **changes))


def test_duplicate_names_and_bad_yaml_are_rejected(tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump({"description": "d", "targets": [GOOD, GOOD]}), encoding="utf-8")
    with pytest.raises(ModelInputError, match="'employed' appears twice"):
        load_targets(path)
    path.write_text("targets: [", encoding="utf-8")
    with pytest.raises(ModelInputError, match="cannot read calibration targets"):
        load_targets(path)


def test_malformed_population_parameter_is_rejected_naming_file_and_field(tmp_path):
    folder = tmp_path / "labour" / "churn"
    folder.mkdir(parents=True)
    (folder / "ssf_s33.yaml").write_text(yaml.safe_dump({
        "description": "d", "label": {"en": "e", "th": "ท"}, "unit": "fraction/year",
        "values": {"2023-01-01": {"value": 0.08, "assumption": True}},
    }), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"ssf_s33\.yaml.*values\.2023-01-01.*non-empty 'reason'"):
        ParameterTree.load({"": DEFAULT_ROOTS[""], "population": tmp_path})


def test_population_parameters_are_mounted_and_cited():
    tree = ParameterTree.load()
    paths = [p for p in tree.paths() if p.startswith("population.")]
    assert "population.past_wage_growth" in paths and len(paths) >= 30
    for path in paths:
        for value in tree.info(path).values:
            assert value.references or (value.assumption and value.reason), path
