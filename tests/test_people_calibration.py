"""The people layer reproduces its base-year calibration targets (calibration_targets.yaml) at scale 100."""

import numpy as np
import pytest

from model.validation import calibration_table
from model.population.targets import default_targets


@pytest.fixture(scope="module")
def table():
    """Every target against the baseline population of 1 July 2023 at 100 persons per row."""
    return calibration_table(scale=100)


def test_every_target_is_reproduced_within_its_tolerance(table):
    tested = table[table["role"] != "reference"]
    missed = tested[~tested["within"].astype(bool)]
    assert missed.empty, "\n" + missed[["value", "model", "tolerance"]].to_string()
    assert np.isfinite(tested["model"]).all()


def test_every_target_has_a_model_measure_and_a_source(table):
    targets = default_targets().by_name
    assert set(table.index) == set(targets)
    assert all(table["source"].str.len() > 0)
    references = table[table["role"] == "reference"]
    assert references["within"].isna().all() and "disability.survey_prevalence" in references.index


def test_table_columns(table):
    assert list(table.columns) == ["role", "value", "model", "difference", "tolerance", "within", "unit", "source"]
    row = table.loc["ssf_s33_insured"]
    assert row["difference"] == pytest.approx(row["model"] - row["value"])
