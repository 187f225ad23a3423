"""Nationality: registered Thai nationals in the base population, in total and aged 60+ by sex and age band; the
birth rule of the Nationality Act; the result by nationality and the Thai share of residents over time."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.parameters import ParameterTree
from model.population.axes import N_AGES
from model.population.nationality import (OLD_BANDS, newborn_thai, non_thai_counts, non_thai_share,
                                          thai_birth_probability, thai_old_counts)
from model.population.targets import Target, Targets

TREE = ParameterTree.load()
BAND_SHARES = {"male": (0.335, 0.246, 0.183, 0.109), "female": (0.309, 0.237, 0.183, 0.115)}  # E8.5, 2022


def targets(thai: float, thai_old: float, male: float = 0.442) -> Targets:
    """Nationality targets with the given totals and the DOPA 2022 structure of the 60+."""
    values = {"thai_nationals": thai, "thai_nationals_60_plus": thai_old, "thai_60_plus.male_share": male}
    for sex, shares in BAND_SHARES.items():
        values.update({f"thai_60_plus.{sex}.share_{band}": v for band, v in zip(OLD_BANDS, shares)})
    return Targets([Target(name=k, value=v, unit="x", role="input", tolerance={"relative": 0.01}, assumption=True,
                           reason="test") for k, v in values.items()])


def flat(per_age: float = 1000.0) -> np.ndarray:
    """[sex, age] population with `per_age` persons in every cell."""
    return np.full((2, N_AGES), per_age)


def test_worked_case_registered_60_plus_by_sex_and_band():
    # 1,000 persons at every sex and age: 41 ages 60-100 give 41,000 per sex; 80+ has 21 ages (21,000).
    # Thai 60+ 50,000: men 22,100, women 27,900. Men 60-64: 0.335 × 22,100 = 7,403.5 of 5,000 residents → none
    # non-Thai (the registered count exceeds them); men 80+: (1 - 0.873) × 22,100 = 2,806.7 → 18,193.3 non-Thai
    # over 21 ages, 866.35 at each.
    pop = flat()
    t = targets(thai=2 * N_AGES * 1000.0 - 60_000, thai_old=50_000)
    old = thai_old_counts(t)
    np.testing.assert_allclose(old.sum(axis=1), [22_100, 27_900])
    np.testing.assert_allclose(old[0, 0], 7_403.5)
    np.testing.assert_allclose(old[0, -1], 0.127 * 22_100)
    count = non_thai_counts(pop, t, TREE, 2023)
    assert np.allclose(count[0, 60:65], 0.0)
    np.testing.assert_allclose(count[0, 80:], (21_000 - 0.127 * 22_100) / 21)


@settings(max_examples=40, deadline=None)
@given(per_age=st.floats(2_000, 200_000), thai_old=st.floats(1e5, 1e7), excess=st.floats(0.0, 0.5),
       young=st.floats(0.0, 0.2), male=st.floats(0.4, 0.5))
def test_totals_hold_and_thai_60_plus_match_when_residents_exceed_them(per_age, thai_old, excess, young, male):
    # Residents of each sex and band aged 60+ are (1 + excess) × the registered Thai count; a share `young` of the
    # residents under 60 are non-Thai too. Then every registered count and the total are met exactly.
    t0 = targets(thai=0.0, thai_old=thai_old, male=male)
    pop = np.zeros((2, N_AGES))
    pop[:, :60] = per_age
    for b, band in enumerate(OLD_BANDS):
        ages = np.arange(60, 80)[5 * b: 5 * b + 5] if b < 4 else np.arange(80, N_AGES)
        pop[:, ages] = (1 + excess) * thai_old_counts(t0)[:, b, None] / len(ages)
    non_thai = excess * thai_old + young * pop[:, :60].sum()
    t = targets(thai=pop.sum() - non_thai, thai_old=thai_old, male=male)
    count = non_thai_counts(pop, t, TREE, 2023)
    assert (count >= -1e-6).all()
    np.testing.assert_allclose(count.sum(), non_thai, rtol=1e-9, atol=1e-6)
    thai = pop - count
    np.testing.assert_allclose(thai[:, 60:].sum(), thai_old, rtol=1e-9)
    np.testing.assert_allclose(thai[0, 60:].sum(), male * thai_old, rtol=1e-9)
    np.testing.assert_allclose(thai[1, 80:].sum(), (1 - sum(BAND_SHARES["female"])) * (1 - male) * thai_old,
                               rtol=1e-9)
    share = non_thai_share(pop, t, TREE, 2023)
    assert ((share >= 0) & (share <= 0.9)).all()


def test_worked_case_birth_rule_child_is_thai_when_either_parent_is():
    # Nationality Act s.7(1): 1,000 Thai mothers and 4,000 non-Thai mothers whose partner is Thai with probability
    # 0.1: every child of a Thai mother is Thai, and 0.1 x 4,000 = 400 of the others, so 1,400 of 5,000 births
    # (28%) are Thai in expectation (the old rule, the mother's nationality alone, gave 1,000).
    mothers = np.r_[np.ones(1_000, bool), np.zeros(4_000, bool)]
    np.testing.assert_allclose(thai_birth_probability(mothers, 0.1).sum(), 1_400.0)
    thai = newborn_thai(mothers, 0.1, np.random.default_rng(3))
    assert thai[:1_000].all()
    # 400 expected, binomial sd sqrt(4,000 x 0.1 x 0.9) = 19: within 4 sd
    assert abs(thai[1_000:].sum() - 400) < 4 * 19
    assert not newborn_thai(mothers, 0.0, np.random.default_rng(3))[1_000:].any()
    assert newborn_thai(mothers, 1.0, np.random.default_rng(3)).all()


def test_population_by_nationality_sums_to_population_every_year(baseline_1000):
    ds = baseline_1000
    by = ds.population_by_nationality
    assert list(by.nationality.values) == ["thai", "non_thai"]
    assert (by >= 0).all()
    np.testing.assert_array_equal(by.sum("nationality").values, ds.population.values)


def test_thai_share_of_residents_in_2037_within_2_points_of_2023(baseline_1000):
    # Registered Thai nationals 66.08 M of WPP's 71.7 M residents in 2023; the share must not drain away.
    thai = baseline_1000.population_by_nationality.sel(nationality="thai").sum(("sex", "age"))
    share = thai / baseline_1000.population.sum(("sex", "age"))
    assert abs(float(share.sel(year=2023)) - 66.08 / 71.7) < 0.005
    assert abs(float(share.sel(year=2037) - share.sel(year=2023))) < 0.02
