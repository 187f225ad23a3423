"""The base-year back-test holds: every validated administrative total is within its tolerance for several seeds
at the default scale and at scale 1,000, and every calibrated value names a validated total."""

import pytest

import model
from model.validation import calibrated_values, load_totals


@pytest.mark.parametrize(("scale", "seed"), [(100, 1), (100, 2), (100, 3), (1000, 1)])
def test_every_validated_total_is_within_tolerance(scale, seed):
    table = model.validate("baseline", scale=scale, seed=seed)
    failing = table.loc[~table["passes"], ["model", "target", "rel_error", "tolerance"]]
    assert failing.empty, f"outside tolerance at scale {scale}, seed {seed}:\n{failing}"
    assert len(table) == sum(t.validated for t in load_totals())


def test_calibrated_values_name_validated_totals():
    validated = {t.id for t in load_totals() if t.validated}
    values = calibrated_values()
    assert len(values) > 0
    assert set(values["target"]) <= validated, set(values["target"]) - validated
    assert (values["calibrated_on"] >= "2020-01-01").all()
