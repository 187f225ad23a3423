"""The compiled region passes (model/population/regions_kernels.py) give bit for bit what the plain numpy expressions
of the same rules give: the fitted assignment, the drawn regions and the random streams' positions."""

import numpy as np
import pytest
from scipy.optimize import least_squares
from scipy.special import softmax

from model.api import resolve
from model.parameters import ParameterTree
from model.population import base_year, households, regions
from model.population.axes import FEMALE
from model.population.households import HouseholdMoves, household_size, n_households
from model.simulation import SocialSecurityModel

TREE = ParameterTree.load()
K = len(regions.REGIONS)


# --- the numpy expressions of the rules (reference) ----------------------------------------------------------------

def posterior(z: np.ndarray, c: np.ndarray) -> np.ndarray:
    intercept, slope = np.concatenate([[0.0], c[:K - 1]]), np.concatenate([[0.0], c[K - 1:]])
    return softmax(intercept[None, :] + z[:, None] * slope[None, :], axis=1)


def solve_assignment(z, income, shares, ratios):
    mean = income.mean()

    def residuals(c):
        p = posterior(z, c)
        weight = p.mean(axis=0)
        ratio = (p * income[:, None]).mean(axis=0) / np.maximum(weight, 1e-12) / mean
        return np.concatenate([weight[1:] - shares[1:], ratio - ratios])

    start = np.concatenate([np.log(shares[1:] / shares[0]), np.zeros(K - 1)])
    return least_squares(residuals, start, xtol=1e-12, ftol=1e-12).x


def settle_movers(persons, old_hh, params, year, rng):
    moved = persons.hh != old_hh
    if not moved.any():
        return
    touched = np.zeros(n_households(persons), dtype=bool)
    touched[persons.hh[moved]] = True
    rows = np.flatnonzero(touched[persons.hh])
    hh = persons.hh[rows]
    has = persons.region[rows] >= 0
    woman = (persons.sex[rows] == FEMALE) & (persons.age[rows] >= regions.ADULT_AGE)
    order = np.lexsort((-persons.age[rows].astype(np.int32), ~woman, moved[rows], ~has, hh))
    first = order[np.unique(hh[order], return_index=True)[1]]
    ids = hh[first]
    region_of = np.full(touched.size, -1, dtype=np.int8)
    region_of[ids] = np.where(has[first], persons.region[rows[first]], -1)
    new = ids[region_of[ids] < 0]
    if new.size:
        worker = np.zeros(touched.size, dtype=bool)
        worker[persons.hh[rows[persons.migrant_worker[rows]]]] = True
        p = np.where(worker[new, None], regions.immigrant_probabilities(params, year)[None, :],
                     regions.household_shares(params, year)[None, :])
        region_of[new] = regions.draw(p, rng)
    persons.region[rows] = region_of[hh]


def assign_regions(persons, params, year, rng, solve_sample):
    size = household_size(persons)
    used = np.flatnonzero(size > 0)
    income = np.maximum(np.bincount(persons.hh, weights=persons.income.astype(np.float64),
                                    minlength=size.size)[used], 1.0)
    log_pc = np.log(income / size[used])
    z = (log_pc - log_pc.mean()) / log_pc.std()
    sample = slice(None) if used.size <= solve_sample else np.sort(rng.choice(used.size, solve_sample, replace=False))
    c = solve_assignment(z[sample], income[sample], regions.household_shares(params, year),
                         regions.income_ratios(params, year))
    region = np.full(size.size, -1, dtype=np.int8)
    region[used] = regions.draw(posterior(z, c), rng)
    persons.region[:] = region[persons.hh]


def migrate_internally(persons, params, year, rng):
    size = household_size(persons)
    region_of = np.full(size.size, -1, dtype=np.int8)
    region_of[persons.hh] = persons.region
    used = np.flatnonzero((size > 0) & (region_of >= 0))
    population = np.bincount(region_of[used], weights=size[used], minlength=K)
    rate = regions.net_rates(params, year, population)
    gain = np.maximum(rate, 0.0) * population
    if gain.sum() <= 0:
        return
    leave = np.maximum(-rate, 0.0)[region_of[used]]
    movers = used[rng.random(used.size) < leave]
    if movers.size == 0:
        return
    region_of[movers] = regions.draw(np.broadcast_to(gain / gain.sum(), (movers.size, K)), rng)
    persons.region[:] = region_of[persons.hh]


# --- the comparisons -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fitted_assignment_and_its_draw_equal_the_softmax_expressions(seed):
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 0.6 + 0.2 * seed, 8_000)
    z = (np.log(income) - np.log(income).mean()) / np.log(income).std()
    shares, ratios = regions.household_shares(TREE, 2023), regions.income_ratios(TREE, 2023)
    fitted = regions.solve_assignment(z, income, shares, ratios)
    assert fitted.tobytes() == solve_assignment(z, income, shares, ratios).tobytes()
    c = rng.normal(0, 3, 2 * (K - 1))  # far from the fit: large logits, probabilities near 0 and 1
    assert regions.posterior(z, c).tobytes() == posterior(z, c).tobytes()
    expected = regions.draw(posterior(z, c), np.random.default_rng(9))
    assert regions.kernels.draw_softmax(regions.exponentials(z, c), np.random.default_rng(9).random(z.size)
                                        ).tobytes() == expected.tobytes()


@pytest.fixture(scope="module")
def population():
    return SocialSecurityModel(resolve("baseline", scale=5000, seed=11)).persons


def _year_of_moves(persons, seed: int):
    """A copy of `persons` after a made-up year of household events, its households before them (a copy of the
    column) and the log of the events (`HouseholdMoves`): rows moved to other households or to new ones (some to
    their own), households of arrivals without a region, migrant workers among them."""
    rng = np.random.default_rng(seed)
    persons = base_year.clone(persons)
    old_hh = persons.hh.copy()
    n, households = len(persons), n_households(persons)
    movers = rng.choice(n, n // 25, replace=False)
    persons.hh[movers] = rng.integers(0, households + n // 100, movers.size)  # existing households and new ones
    persons.hh[movers[:50]] = old_hh[movers[:50]]  # set to the household they were in: not moved
    arrivals = rng.choice(n, n // 200, replace=False)
    old_hh[arrivals] = -1
    persons.region[arrivals] = -1
    persons.migrant_worker[arrivals] = rng.random(arrivals.size) < 0.5
    moves = HouseholdMoves()
    moves.record(old_hh, arrivals)
    moves.record(old_hh, movers)
    moves.record(persons.hh, movers[50:80])  # written again later: the first record holds
    return persons, old_hh, moves


@pytest.mark.parametrize("seed, with_sizes", [(1, False), (2, True), (3, False), (4, True)])
def test_a_year_of_regions_equals_the_numpy_expressions(population, seed, with_sizes):
    """Also when given the members of each household id (whose touched households' rows are then not counted)."""
    persons, old_hh, moves = _year_of_moves(population, seed)
    expected = base_year.clone(persons)
    expected_rng, rng = np.random.default_rng(seed), np.random.default_rng(seed)
    settle_movers(expected, old_hh, TREE, 2030, expected_rng)
    migrate_internally(expected, TREE, 2030, expected_rng)
    size = households.household_size(persons, np.int32) if with_sizes else None
    regions.advance_regions(persons, moves, TREE, 2030, rng, size)
    assert persons.region.tobytes() == expected.region.tobytes()
    assert rng.bit_generator.state == expected_rng.bit_generator.state  # as many draws, in the same order
    assert (persons.region >= 0).all()


def test_each_pass_alone_equals_its_numpy_expression(population):
    persons, old_hh, moves = _year_of_moves(population, 5)
    expected = base_year.clone(persons)
    settle_movers(expected, old_hh, TREE, 2030, np.random.default_rng(5))
    regions.settle_movers(persons, moves, TREE, 2030, np.random.default_rng(5))
    assert persons.region.tobytes() == expected.region.tobytes()
    migrate_internally(expected, TREE, 2031, np.random.default_rng(6))
    regions.migrate_internally(persons, TREE, 2031, np.random.default_rng(6))
    assert persons.region.tobytes() == expected.region.tobytes()
    unchanged = base_year.clone(persons)
    regions.settle_movers(persons, HouseholdMoves(), TREE, 2030, np.random.default_rng(5))  # nobody moved
    assert persons.region.tobytes() == unchanged.region.tobytes()
    outside = HouseholdMoves()
    outside.record(np.full(len(persons) + 1, -1, dtype=np.int32), np.array([len(persons)]))
    with pytest.raises(ValueError, match="moves name row"):
        regions.advance_regions(persons, outside, TREE, 2030, np.random.default_rng(5))


@pytest.mark.parametrize("extra, message", [(1, "fewer rows"), (-1, "more rows")])
def test_members_that_do_not_match_the_rows_are_refused(population, extra, message):
    """Members by household id that disagree with the rows (one more or one fewer in every household) are an
    error, not rows left unset or written past the end."""
    persons, _, moves = _year_of_moves(population, 6)
    size = households.household_size(persons, np.int32) + extra
    with pytest.raises(ValueError, match=message):
        regions.advance_regions(persons, moves, TREE, 2030, np.random.default_rng(5), size)


@pytest.mark.parametrize("renumbered", [False, True])
def test_the_log_of_the_household_events_gives_the_regions_of_a_copy_of_the_column(population, renumbered):
    """advance_households notes every write of `hh`: at the rows it names, the households before are those of a copy
    of the column taken before the events, and every other row holds its household then (after a renumbering, the
    id that `renumbered` maps its new one to); the regions from the log are those of the numpy expressions given
    the copy, with and without a renumbering of the ids (`households.renumber` within the events, here
    forced by ids spread out)."""
    rng = np.random.default_rng(12)
    persons = base_year.clone(population)
    if renumbered:
        persons.hh[:] *= 8  # the ids of emptied households between those in use: renumbered after the events
    new = np.flatnonzero(rng.random(len(persons)) < 0.02)  # as immigrants: no household, partner or region yet
    partner = households.linked_rows(persons, persons.partner[new])
    persons.partner[partner[partner >= 0]] = -1
    persons.hh[new], persons.partner[new], persons.region[new] = -1, -1, -1
    old_hh = persons.hh.copy()
    year = households.advance_households(persons, TREE, 2024, np.random.default_rng(13))
    moves = year.moves
    assert (moves.renumbered.size > 0) == renumbered
    logged, before = moves.changed()
    assert logged.dtype == before.dtype == np.int32
    assert (np.diff(logged) > 0).all()
    np.testing.assert_array_equal(before, old_hh[logged])
    others = np.delete(np.arange(len(persons)), logged)
    then = moves.renumbered[persons.hh[others]] if renumbered else persons.hh[others]
    np.testing.assert_array_equal(then, old_hh[others])
    assert np.isin(new, logged).all() and (persons.hh[logged] != before).sum() > new.size  # immigrants and movers
    expected = base_year.clone(persons)
    expected_rng, ours = np.random.default_rng(14), np.random.default_rng(14)
    settle_movers(expected, old_hh, TREE, 2024, expected_rng)
    migrate_internally(expected, TREE, 2024, expected_rng)
    regions.advance_regions(persons, moves, TREE, 2024, ours, year.size)  # as the yearly step calls it
    assert persons.region.tobytes() == expected.region.tobytes()
    assert ours.bit_generator.state == expected_rng.bit_generator.state


def test_the_rows_of_touched_households_are_int32_and_hold_only_themselves(population):
    """household_pass gives the rows of the households someone moved into as np.flatnonzero would (ascending), int32
    and in an array of their own length: not a view keeping a whole-population buffer alive."""
    persons, old_hh, moves = _year_of_moves(population, 7)
    households = regions._Households(persons, moves)
    touched = np.zeros(n_households(persons), dtype=bool)
    touched[persons.hh[persons.hh != old_hh]] = True
    expected = np.flatnonzero(touched[persons.hh])
    assert households.rows.dtype == np.int32
    assert memoryview(households.rows.base).nbytes == households.rows.nbytes  # the compiled array's whole memory
    np.testing.assert_array_equal(households.rows, expected)


def test_leaving_households_are_int32_and_hold_only_themselves():
    """kernels.leavers gives the households below their region's probability of leaving, ascending, as int32 in an
    array of their own length (not a view of a buffer for every household)."""
    rng = np.random.default_rng(3)
    table = (rng.integers(0, 4, 500).astype(np.int32) << regions.kernels.SIZE_SHIFT) | rng.integers(0, 6, 500)
    size, region = table >> regions.kernels.SIZE_SHIFT, (table & regions.kernels.REGION_BITS) - 1
    used = np.flatnonzero((size > 0) & (region >= 0))
    leave, u = rng.random(K), rng.random(used.size)
    out = regions.kernels.leavers(table.astype(np.int32), leave, u)
    assert out.dtype == np.int32 and memoryview(out.base).nbytes == out.nbytes
    np.testing.assert_array_equal(out, used[u < leave[region[used]]])


@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_leavers_by_blocks_of_uniforms_are_those_of_one_draw(block):
    """kernels.leavers_from over consecutive blocks of the uniforms, each starting at the id where the last ended,
    gives the households of kernels.leavers over all of them at once."""
    rng = np.random.default_rng(4)
    table = (rng.integers(0, 4, 500).astype(np.int32) << regions.kernels.SIZE_SHIFT) | rng.integers(0, 6, 500)
    table = table.astype(np.int32)
    size, region = table >> regions.kernels.SIZE_SHIFT, (table & regions.kernels.REGION_BITS) - 1
    n_used = int(np.count_nonzero((size > 0) & (region >= 0)))
    leave, u = rng.random(K) * 0.5, rng.random(n_used)
    parts, first = [], 0
    for start in range(0, n_used, block):
        first, part = regions.kernels.leavers_from(table, leave, u[start:start + block], first)
        parts.append(part)
    np.testing.assert_array_equal(np.concatenate(parts), regions.kernels.leavers(table, leave, u))


@pytest.mark.parametrize("n", [*range(0, 136), 255, 256, 257, 1000, 8191, 8192, 8193, 65_537, 1_000_003])
def test_the_sum_of_squares_is_numpys_sum_of_the_squares(n):
    """kernels.sum_of_squares (numpy's pairwise summation, without the array of squares) is np.add.reduce(x * x) bit
    for bit, on deviations from the mean of values spread over orders of magnitude (where the order of the sums
    shows in the last bits), and so np.std's."""
    rng = np.random.default_rng(n)
    values = rng.normal(size=n) * rng.lognormal(0, 3, n)
    x = values - values.mean() if n else values
    assert regions.kernels.sum_of_squares(x) == np.add.reduce(x * x)
    if n:
        assert np.sqrt(np.float64(regions.kernels.sum_of_squares(x)) / n) == values.std()


@pytest.mark.parametrize("solve_sample, block", [(10**9, 1 << 16), (300, 97)])
def test_the_base_years_regions_equal_the_numpy_expressions(population, monkeypatch, solve_sample, block):
    """assign_regions (int32 members, per-person incomes in place of the sums, draws by blocks of households) gives
    the regions of the whole-array numpy formulation, with and without a sample for the fit."""
    monkeypatch.setattr(regions, "SOLVE_SAMPLE", solve_sample)
    monkeypatch.setattr(regions, "DRAW_BLOCK", block)
    ours, theirs = base_year.clone(population), base_year.clone(population)
    regions.assign_regions(ours, TREE, 2023, np.random.default_rng(8))
    assign_regions(theirs, TREE, 2023, np.random.default_rng(8), solve_sample)
    assert ours.region.tobytes() == theirs.region.tobytes()


def test_the_representatives_by_position_are_those_by_household_id(population):
    """household_pass keeps the representatives by position among the touched households when given those
    positions (`touched`): the rows, table and representatives are those of representatives by household id."""
    persons, _, moves = _year_of_moves(population, 9)
    logged, before = moves.changed()
    out = []
    for by_position in (False, True):
        table = np.zeros(n_households(persons), dtype=np.int32)
        regions.kernels.mark_moved(persons.hh, logged, before, moves.renumbered, table)
        ids, at = regions.kernels.touched(table)
        np.testing.assert_array_equal(ids, np.flatnonzero(table & regions.kernels.TOUCHED))
        np.testing.assert_array_equal(at[ids], np.arange(ids.size))
        assert (np.delete(at, ids) == -1).all()
        best = np.empty(ids.size if by_position else table.size, dtype=np.int64)
        rows = regions.kernels.household_pass(persons.hh, persons.region, logged, before, moves.renumbered,
                                              persons.sex, persons.age, persons.migrant_worker, FEMALE,
                                              regions.ADULT_AGE, table, best,
                                              at if by_position else np.zeros(0, dtype=np.int32))
        out.append((rows, table, best if by_position else best[ids]))  # representatives in the order of ids
    for ours, theirs in zip(*out):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shifted_logits_are_numpys_logits_less_their_row_maximum(seed):
    """The logits less each row's maximum as numpy's expression gives them, a NaN logit making its row NaN."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(500) * 3
    z[::97] = np.nan
    intercept = np.concatenate([[0.0], rng.normal(0, 1, K - 1)])
    slope = np.concatenate([[0.0], rng.normal(0, 1, K - 1)])
    out = np.empty((z.size, K))
    regions.kernels.shifted_logits(z, intercept, slope, out)
    x = intercept[None, :] + z[:, None] * slope[None, :]
    np.testing.assert_array_equal(out, x - x.max(axis=1, keepdims=True))
