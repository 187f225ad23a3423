"""Work done by blocks of rows or households gives what one pass over all of them gives, bit for bit: the base
year's contribution records and regions and the yearly internal migration, drawn with tiny blocks, equal those
drawn with the model's blocks (which at this scale are single blocks: one draw of every row)."""

import numpy as np
import pytest

from model.api import resolve
from model.population import base_year, histories, regions
from model.population.persons import COLUMNS, INDEX_COLUMNS, TABLE_OF
from model.simulation import SocialSecurityModel


def _run(steps: int) -> SocialSecurityModel:
    base_year.forget()  # a fresh build, not the remembered population
    model = SocialSecurityModel(resolve("baseline", scale=3000, seed=5))
    for _ in range(steps):
        model.step()
    return model


@pytest.fixture(scope="module")
def whole():
    return _run(2)


def test_blocks_of_rows_and_households_draw_as_one_pass(whole, monkeypatch):
    monkeypatch.setattr(histories, "HISTORY_BLOCK", 97)
    monkeypatch.setattr(regions, "DRAW_BLOCK", 61)
    monkeypatch.setattr(regions, "LEAVE_BLOCK", 53)
    blocked = _run(2)
    base_year.forget()
    assert len(blocked.persons) == len(whole.persons)
    for name in COLUMNS:  # the records' indices depend on the order records were made: their values compared below
        if name not in INDEX_COLUMNS:
            assert getattr(blocked.persons, name).tobytes() == getattr(whole.persons, name).tobytes(), name
    for name in TABLE_OF:
        assert blocked.persons.values_of(name).tobytes() == whole.persons.values_of(name).tobytes(), name
    for name, value in whole.record.items():
        assert np.array_equal(np.asarray(blocked.record[name]), np.asarray(value), equal_nan=True), name
