"""Migration by nationality: migrant workers arrive and return so that their registered stock follows its path,
Thai nationals take the rest of WPP's net in every sex-age cell (model.population.migration)."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.parameters import ParameterTree
from model.population.axes import FEMALE, MALE, N_AGES
from model.population.migration import MigrationParameters, migrate_by_nationality, migration_parameters
from model.population.persons import Persons

TREE = ParameterTree.load()
RULES = MigrationParameters(stock=30.0, return_rate=0.0, min_age=18, max_age=54, return_after_max_age=True)


def table(groups: list[tuple[int, int, int, bool, bool]]) -> Persons:
    """Rows from (sex, age, rows, thai, migrant_worker) groups at one person per row; `s33_months` numbers the
    rows 1..n so that new rows (0) can be told from old ones."""
    sex = np.concatenate([np.full(n, s) for s, a, n, t, w in groups])
    age = np.concatenate([np.full(n, a) for s, a, n, t, w in groups])
    thai = np.concatenate([np.full(n, t) for s, a, n, t, w in groups])
    worker = np.concatenate([np.full(n, w) for s, a, n, t, w in groups])
    return Persons({"sex": sex, "age": age, "thai": thai, "migrant_worker": worker,
                    "s33_months": np.arange(1, sex.size + 1)}, 1.0)


def net(cells: dict[tuple[int, int], float]) -> np.ndarray:
    """[sex, age] net migrants, zero outside the given cells."""
    out = np.zeros((2, N_AGES))
    for (sex, age), value in cells.items():
        out[sex, age] = value
    return out


def test_worked_case_returns_arrivals_and_the_thai_rest_of_each_cell():
    # Men aged 30: 10 workers, 100 Thai, WPP net -10: every worker leaves (probability 10/10), the Thai rest is 0.
    # Men aged 55, past the oldest working age 54: 5 workers go home, WPP net 0, so 5 Thai emigrants return.
    # Women aged 40: 20 workers stay (return rate 0, WPP net 0). The stock of 30 wants 30 - 20 = 10 arrivals, all
    # at men aged 20, the only working-age cell of positive WPP net (+8): the Thai rest there is 8 - 10 = -2, and
    # the cell's 2 Thai residents emigrate (probability 2/2).
    persons = table([(MALE, 30, 10, False, True), (MALE, 30, 100, True, False), (MALE, 55, 5, False, True),
                     (FEMALE, 40, 20, False, True), (MALE, 20, 2, True, False), (FEMALE, 70, 7, False, False)])
    wpp = net({(MALE, 30): -10, (MALE, 20): 8})
    flows = migrate_by_nationality(persons, wpp, RULES, np.random.default_rng(0))
    np.testing.assert_array_equal(flows.net, wpp)
    assert flows.worker_returns.sum() == 15 and flows.worker_returns[MALE, 55] == 5
    assert flows.worker_arrivals.sum() == 10 and flows.worker_arrivals[MALE, 20] == 10
    np.testing.assert_array_equal(flows.thai, net({(MALE, 55): 5, (MALE, 20): -2}))
    assert np.count_nonzero(persons.migrant_worker) == 30
    thai = persons.count_by_sex_age(persons.thai)
    assert thai[MALE, 55] == 5 and thai[MALE, 20] == 0 and thai[MALE, 30] == 100
    assert persons.count_by_sex_age(~persons.thai & ~persons.migrant_worker)[FEMALE, 70] == 7  # others stay
    assert not (persons.thai & persons.migrant_worker).any()


def test_worked_case_circulation_renews_workers_without_changing_counts():
    # Return rate 1: all 20 working-age workers return and 20 new ones of the same sex and age replace them; the
    # stock is already at 20, so nothing else moves and no Thai flow is needed.
    persons = table([(FEMALE, 40, 12, False, True), (MALE, 25, 8, False, True), (MALE, 25, 50, True, False)])
    before = persons.count_by_sex_age()
    rules = MigrationParameters(stock=20.0, return_rate=1.0, min_age=18, max_age=54, return_after_max_age=True)
    flows = migrate_by_nationality(persons, net({}), rules, np.random.default_rng(1))
    np.testing.assert_array_equal(persons.count_by_sex_age(), before)
    assert flows.worker_returns.sum() == 20 and flows.worker_arrivals.sum() == 20
    assert (persons.s33_months[persons.migrant_worker] == 0).all()  # every worker is a new row
    assert not flows.thai.any() and not flows.net.any()


def test_worked_case_a_stock_above_its_path_falls_by_extra_returns():
    # 40 workers, a path of 10: each staying worker returns with probability 30/40; the Thai take the opposite flow
    # so that every cell's net stays at WPP's (zero here).
    persons = table([(MALE, 30, 40, False, True), (MALE, 30, 200, True, False)])
    rules = MigrationParameters(stock=10.0, return_rate=0.0, min_age=18, max_age=54, return_after_max_age=True)
    flows = migrate_by_nationality(persons, net({}), rules, np.random.default_rng(2))
    returns = flows.worker_returns.sum()
    assert abs(returns - 30) <= 4 * np.sqrt(40 * 0.75 * 0.25)
    np.testing.assert_array_equal(flows.thai, flows.worker_returns)
    assert not flows.net.any()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), workers=st.integers(0, 300), thai=st.integers(0, 300),
       more=st.integers(0, 100), rate=st.floats(0.0, 1.0), back=st.booleans())
def test_flows_add_up_and_the_stock_meets_its_path(seed, workers, thai, more, rate, back):
    # A path at or above the workers present: arrivals meet it exactly, whatever the returns.
    rng = np.random.default_rng(seed)
    ages = rng.integers(0, N_AGES, workers + thai)
    is_thai = np.arange(workers + thai) >= workers
    persons = Persons({"sex": rng.integers(0, 2, workers + thai), "age": ages, "thai": is_thai,
                       "migrant_worker": ~is_thai & (ages >= 18)}, 1.0)
    stock = np.count_nonzero(persons.migrant_worker) + more
    wpp = np.round(rng.normal(0.0, 3.0, (2, N_AGES)))
    rules = MigrationParameters(stock=float(stock), return_rate=rate, min_age=18, max_age=54,
                                return_after_max_age=back)
    others_before = persons.count_by_sex_age(~persons.thai & ~persons.migrant_worker)
    flows = migrate_by_nationality(persons, wpp, rules, rng)
    np.testing.assert_array_equal(flows.net, flows.worker_arrivals - flows.worker_returns + flows.thai)
    assert (persons.count_by_sex_age() >= 0).all() and not (persons.thai & persons.migrant_worker).any()
    assert persons.age[persons.migrant_worker].max(initial=0) <= 54
    assert np.count_nonzero(persons.migrant_worker) == stock
    others_after = persons.count_by_sex_age(~persons.thai & ~persons.migrant_worker)
    if back:  # other non-Thai residents never migrate
        np.testing.assert_array_equal(others_after, others_before)
    else:  # workers past the working ages stay on as other residents
        assert (others_after >= others_before).all()


def test_expected_net_of_every_cell_is_wpp(inputs):
    """10,000 Thai rows in every cell, 1,000 workers in every working-age one, the stock held: the realised net of
    each cell lies within 5 standard deviations of WPP's (Thai emigrants are drawn; the other flows are exact given
    them, to the rounding of Thai returnees)."""
    year = 2030
    wpp = inputs.net_migration[inputs.index(year)]
    cells = np.repeat(np.arange(2 * N_AGES), 11_000)
    thai = np.tile(np.arange(11_000) >= 1_000, 2 * N_AGES)
    persons = Persons({"sex": cells // N_AGES, "age": cells % N_AGES, "thai": thai,
                       "migrant_worker": ~thai & (cells % N_AGES >= 18) & (cells % N_AGES <= 54)}, 1.0)
    rules = dataclasses.replace(migration_parameters(TREE, year), stock=float(np.count_nonzero(persons.migrant_worker)))
    flows = migrate_by_nationality(persons, wpp, rules, np.random.default_rng(5))
    emigrants = np.maximum(-flows.thai, 0)
    sd = np.sqrt(emigrants + 1.0)
    assert (np.abs(flows.net - wpp) <= 5 * sd + 1).all()
    assert abs(flows.net.sum() - wpp.sum()) <= 5 * np.sqrt(emigrants.sum()) + 2 * N_AGES


def test_baseline_registered_workers_follow_the_documented_path(baseline_1000):
    ds = baseline_1000
    path = np.array([TREE.mid_year("population.migration.migrant_worker_stock", int(y)) for y in ds.year.values])
    stock = ds.migrant_workers.values
    # The base year is drawn row by row: within 4 binomial standard deviations of rows at 1,000 persons each.
    assert abs(stock[0] - path[0]) <= 4 * np.sqrt(path[0] / 1000) * 1000
    # Later years are met by the arrivals, to one row.
    np.testing.assert_allclose(stock[1:], path[1:], atol=1000)
    assert (ds.migrant_worker_returns > 0.05 * ds.migrant_workers).all()  # workers do go home


def test_baseline_net_migration_by_nationality_sums_to_net_migration(baseline_1000):
    ds = baseline_1000
    np.testing.assert_array_equal(ds.net_migration_by_nationality.sum("nationality").values,
                                  ds.net_migration.values)


def test_thai_share_of_residents_in_2060_stays_near_2023():
    ds = model.run("baseline", scale=1000, end_year=2060)
    thai = ds.population_by_nationality.sel(nationality="thai").sum(("sex", "age"))
    share = thai / ds.population.sum(("sex", "age"))
    assert abs(float(share.sel(year=2060) - share.sel(year=2023))) < 0.03
