"""The agent demography: accounting identity, reproducibility, agreement with the cohort projection."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.population.axes import N_AGES
from model.population.cohort import project_cohorts
from model.population.demography import birth_rates_by_end_age, death_probability, step_demography
from model.population.lookup import BATCH
from model.population.persons import Persons
from model.population.sampling import uniform_rows
from model.population.streams import Streams
from model.population.synthesis import base_persons, controlled_rounding


def next_population(ds):
    """population[t+1] rebuilt from population[t] and the flows of t, by the stated convention."""
    pop, births = ds.population.values, ds.births_by_sex.values
    out = np.zeros_like(pop[:-1])
    out[:, :, 1:] = pop[:-1, :, :-1]
    out[:, :, -1] += pop[:-1, :, -1]          # 99-year-olds join the open 100+ group
    out[:, :, 0] = births[:-1]                 # babies born during the year
    return out - ds.deaths.values[:-1] + ds.net_migration.values[:-1]


@pytest.mark.parametrize("seed", [1, 2])
def test_accounting_identity_exact_every_year_sex_and_age(seed):
    ds = model.run(scale=500, seed=seed)
    np.testing.assert_array_equal(next_population(ds), ds.population.values[1:])
    assert ds.births.values == pytest.approx(ds.births_by_sex.sum("sex").values)


def test_same_seed_identical_and_different_seeds_differ():
    a = model.run(scale=2000, seed=7, end_year=2027)
    b = model.run(scale=2000, seed=7, end_year=2027)
    c = model.run(scale=2000, seed=8, end_year=2027)
    assert a.identical(b)
    assert not a.population.equals(c.population)


def test_base_population_rounding_is_within_one_row_per_cell(inputs):
    persons, report = base_persons(inputs.base_population, 100.0)
    counts = persons.count_by_sex_age()
    assert np.abs(counts - inputs.base_population).max() <= 100.0
    assert report.max_cell_error <= 100.0
    assert abs(counts.sum() - inputs.base_population.sum()) <= 100.0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=50))
def test_controlled_rounding_floor_or_ceiling_and_total(values):
    target = np.array(values)
    rounded = controlled_rounding(target)
    assert ((rounded == np.floor(target)) | (rounded == np.ceil(target))).all()
    assert rounded.sum() == round(target.sum())


def test_agent_projection_matches_cohort_component_projection(inputs):
    """Scale 100, mean of three seeds: totals within 0.2%, 5-year groups under 90 within 2%, every year."""
    runs = [model.run(scale=100, seed=seed) for seed in (11, 12, 13)]
    mean_pop = sum(r.population for r in runs) / len(runs)
    ref = project_cohorts(inputs, 2023, 2037).population
    total_err = np.abs(mean_pop.sum(["sex", "age"]) / ref.sum(["sex", "age"]) - 1)
    assert float(total_err.max()) < 0.002
    group = (mean_pop.age // 5).rename("group")
    sim5 = mean_pop.groupby(group).sum().sel(group=slice(0, 17))
    ref5 = ref.groupby(group).sum().sel(group=slice(0, 17))
    assert float(np.abs(sim5 / ref5 - 1).max()) < 0.02


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=40), min_size=2 * N_AGES, max_size=2 * N_AGES),
    year=st.integers(min_value=2023, max_value=2099),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    scale=st.sampled_from([1.0, 10.0, 1000.0]),
)
def test_one_step_keeps_counts_non_negative_and_conserves_persons(inputs, counts, year, seed, scale):
    cells = np.repeat(np.arange(2 * N_AGES), counts)
    persons = Persons({"sex": cells // N_AGES, "age": cells % N_AGES}, scale)
    before = len(persons) * scale
    flows = step_demography(persons, inputs, year, Streams(seed, year))
    after = persons.count_by_sex_age()
    assert (after >= 0).all() and (flows.deaths >= 0).all() and (flows.births >= 0).all()
    assert after.sum() == pytest.approx(before - flows.deaths.sum() + flows.births.sum() + flows.net_migration.sum())


def identity_table(sex: np.ndarray, age: np.ndarray) -> Persons:
    """Rows with given sexes and ages whose `s33_months` column numbers them 0..n-1 (to follow rows as they move)."""
    return Persons({"sex": sex, "age": age, "s33_months": np.arange(sex.size)}, 1.0)


def assert_counts_match_columns(persons: Persons) -> None:
    """The cells and the rows per cell kept up to date equal a recomputation from the sex and age columns."""
    cells = persons.sex.astype(np.intp) * N_AGES + persons.age
    np.testing.assert_array_equal(persons.cells[:], cells)
    np.testing.assert_array_equal(persons.count_by_sex_age().ravel(), np.bincount(cells, minlength=2 * N_AGES))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=0, max_value=300), seed=st.integers(min_value=0, max_value=2**32 - 1),
       operations=st.lists(st.sampled_from(["drop", "keep", "append", "age"]), min_size=1, max_size=12))
def test_cell_counts_updated_in_place_equal_a_recomputation(n, seed, operations):
    rng = np.random.default_rng(seed)
    persons = identity_table(rng.integers(0, 2, n), rng.integers(0, N_AGES, n))
    persons.rows_by_cell()  # the counts exist from here on and are only ever updated
    expected = dict(zip(persons.s33_months.tolist(), zip(persons.sex.tolist(), persons.age.tolist())))
    next_id = n
    for operation in operations:
        size = len(persons)
        if operation == "drop":
            rows = np.sort(rng.choice(size, rng.integers(0, size + 1), replace=False))
            gone = persons.s33_months[rows].tolist()
            persons.drop(rows)
        elif operation == "keep":
            mask = rng.random(size) < 0.7
            gone = persons.s33_months[~mask].tolist()
            persons.keep(mask)
        elif operation == "append":
            k = int(rng.integers(0, 50))
            sex, age = rng.integers(0, 2, k), rng.integers(0, N_AGES, k)
            ids = np.arange(next_id, next_id + k)
            persons.append({"sex": sex, "age": age, "s33_months": ids}, k)
            expected.update(zip(ids.tolist(), zip(sex.tolist(), age.tolist())))
            next_id += k
            gone = []
        else:
            persons.advance_age()
            expected = {i: (s, min(a + 1, 100)) for i, (s, a) in expected.items()}
            gone = []
        for i in gone:
            del expected[i]
        assert_counts_match_columns(persons)
        rows_now = dict(zip(persons.s33_months.tolist(), zip(persons.sex.tolist(), persons.age.tolist())))
        assert rows_now == expected  # every row kept its own sex and age through the moves


def test_advance_age_keeps_the_open_group_and_the_column_buffer():
    persons = identity_table(np.array([0, 1, 1, 0]), np.array([0, 99, 100, 57]))
    column = persons.age
    persons.advance_age()
    np.testing.assert_array_equal(persons.age, [1, 100, 100, 58])
    assert np.shares_memory(persons.age, column)
    assert_counts_match_columns(persons)


def test_set_of_age_renews_the_counts():
    persons = identity_table(np.array([0, 1]), np.array([10, 20]))
    persons.rows_by_cell()
    persons.set("age", [11, 30])
    assert_counts_match_columns(persons)


def test_batched_uniform_draws_equal_one_draw_per_row():
    keys = np.random.default_rng(0).integers(0, 2 * N_AGES, 3 * BATCH + 17)
    threshold = np.linspace(0.0, 0.5, 2 * N_AGES, dtype=np.float32)
    picked = uniform_rows(threshold, keys, np.random.default_rng(1))
    u = np.random.default_rng(1).random(keys.size, dtype=np.float32)
    np.testing.assert_array_equal(picked, np.flatnonzero(u < threshold[keys]))


def test_one_step_draws_deaths_births_and_emigrants_with_their_expected_counts(inputs):
    """Every sex-age cell holds 10,000 rows; the realised flows of one step lie within 5 standard deviations."""
    year, rows = 2030, 10_000
    i = inputs.index(year)
    cells = np.repeat(np.arange(2 * N_AGES), rows)
    persons = Persons({"sex": cells // N_AGES, "age": cells % N_AGES}, 1.0)
    flows = step_demography(persons, inputs, year, Streams(3, year))

    def within(observed: float, p: np.ndarray, trials: np.ndarray) -> None:
        mean, sd = (p * trials).sum(), np.sqrt((p * (1 - p) * trials).sum())
        assert abs(observed - mean) <= 5 * sd + 1, (observed, mean, sd)

    q = death_probability(inputs.mx[i])
    within(flows.deaths.sum() - flows.deaths[:, 0].sum(), q, np.full_like(q, rows))
    women_after_deaths = rows * (1 - q[1])  # mothers are drawn after deaths and ageing, by age on 1 July t+1
    within(flows.births.sum(), birth_rates_by_end_age(inputs.asfr[i])[1:], women_after_deaths[:-1])
    outflow = np.where(inputs.net_migration[i] < 0, -inputs.net_migration[i], 0.0)
    inflow = np.where(inputs.net_migration[i] > 0, inputs.net_migration[i], 0.0)
    assert outflow.max() < rows / 2  # no cell empties: each emigrant leaves with probability outflow / cell size
    emigrants = inflow.sum() - flows.net_migration.sum()  # inflows are whole rows: floor or ceiling per cell
    assert abs(emigrants - outflow.sum()) <= 5 * np.sqrt(outflow.sum()) + 2 * N_AGES
