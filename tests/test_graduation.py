"""Mean-preserving graduation of the 2023 population and the derived single-age rates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.population import wpp
from model.population.axes import SEXES
from model.population.graduation import graduate
from model.population.lifetable import life_expectancy_at_birth
from model.population.rates import FERTILE_AGES, graduated_base_population


def test_every_five_year_group_reproduced_exactly():
    single = graduated_base_population()
    groups = wpp.read("population_2023")
    for s, sex in enumerate(SEXES):
        for row in groups[groups.sex == sex].itertuples():
            hi = 101 if row.age_start == 100 else row.age_start + 5
            assert single[s, row.age_start:hi].sum() == pytest.approx(row.population, abs=1e-6)


def test_graduated_population_is_non_negative_and_smooth():
    single = graduated_base_population()
    assert (single >= 0).all()
    # smooth: below 60, where groups change slowly, no single-age step exceeds 4% of the value before it
    rel_jump = np.abs(np.diff(single[:, :61], axis=1)) / single[:, :60]
    assert rel_jump.max() < 0.04


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1e7, allow_nan=False), min_size=2, max_size=20))
def test_graduation_preserves_group_totals_for_any_input(totals):
    edges = np.arange(0, 5 * len(totals) + 1, 5)
    single = graduate(np.array(totals), edges)
    assert (single >= 0).all()
    np.testing.assert_allclose(single.reshape(-1, 5).sum(axis=1), totals, rtol=1e-9, atol=1e-6)


def test_rates_are_non_negative(inputs):
    assert (inputs.mx > 0).all()
    assert (inputs.asfr >= 0).all()


def test_each_years_tfr_reproduced_and_mothers_aged_15_to_49(inputs):
    tfr = wpp.read("tfr").set_index("year")["tfr"]
    np.testing.assert_allclose(inputs.asfr.sum(axis=1), tfr.loc[inputs.years].to_numpy(), rtol=1e-12)
    lo, hi = FERTILE_AGES
    assert inputs.asfr[:, :lo].sum() == 0 and inputs.asfr[:, hi + 1:].sum() == 0


def test_each_years_life_expectancy_reproduced(inputs):
    for i, year in enumerate(inputs.years):
        for s in (0, 1):
            assert life_expectancy_at_birth(inputs.mx[i, s], s) == pytest.approx(inputs.e0_target[i, s], abs=1e-6), year


def test_migration_and_sex_ratio_as_given(inputs):
    mig = wpp.read("migration")
    assert inputs.net_migration[0].sum() == mig[mig.year == 2023].net_migrants.sum()
    assert inputs.net_migration[0, 1, 30] == mig.query("year == 2023 and sex == 'female' and age == 30").net_migrants.item()
    assert (inputs.srb == 1.064).all()
