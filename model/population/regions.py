"""Regions of residence: every household lives in one of the NSO's five regions (`region` column, an index into
REGIONS), shared by its members.

Base year (`assign_regions`): Bayes' rule on the household's income per person. With household shares s_r and,
within each region, household income per person y lognormal with a region-shifted log mean m_r and a common
dispersion sigma (the assumption: no dispersion by region is used), the probability that a household lives in
region r is

    P(r | y) ∝ w_r × f_r(y),   f_r lognormal(m_r, sigma),

so that log P(r | y) = const + ln w_r − m_r² / 2 sigma² + (m_r / sigma²) ln y: a multinomial logit in ln y.
The weights w_r and shifts m_r are solved (least squares on the households) so that the expected household shares
and each region's mean household income (the members' summed income) relative to the whole kingdom's are the
cited ones (`population.regions.household_share.*`, `population.regions.household_income.*`); sigma only rescales
the shifts, so the assignment does not depend on its value. Each household then draws its region from P(r | y).
Income is the members' `income`, before the modelled transfers. Income per person, not the household's total,
carries the assignment: on the total, the richer regions would get the larger households (Greater Bangkok 3.2
persons a household where the survey finds 2.5), on income per person household size is alike across regions
(about 2.8); regional household sizes are not targeted.

Each year (`advance_regions`, after the household events of model.population.households):
- newborns inherit the mother's region (an inherited column), as they join her household;
- a person who joins another household (a union, a widowed parent moving in with a child, a child taken in by a
  carer) takes that household's region: a household's region is that of its members who did not move this year;
  a household made only of movers (a young adult leaving home with a partner and children) takes the region of its
  oldest woman who has one, else of its oldest member who has one (they lived together);
- households of new arrivals (no region yet) draw one: those with a migrant worker live in the Central region with
  probability `population.regions.immigrant_central_share` and in the others in proportion to their household
  shares; returning Thai emigrants draw from the household shares;
- internal migration (`migrate_internally`) moves whole households at the net rates by region
  (`population.regions.net_migration_rate.*`, per 100 residents): the rates less their population-weighted mean
  (so that moves balance), households of the losing regions leave with the probability of the region's net loss
  and settle in the gaining regions in proportion to their net gain (persons). Gross flows between regions are not
  modelled, only the net.
"""

import numpy as np
from scipy.optimize import least_squares

from .. import threads
from ..compiled import scatter_used
from ..parameters import ParameterTree
from . import regions_kernels as kernels
from .axes import FEMALE
from .households import HouseholdMoves, household_size, household_sum, n_households
from .lookup import param
from .persons import Persons

REGIONS: tuple[str, ...] = ("bangkok", "central", "north", "northeast", "south")
"""The NSO's five regions of the Household Socio-Economic Survey; `bangkok` is Greater Bangkok (Bangkok,
Nonthaburi, Pathum Thani, Samut Prakan) and `central` the Central region without those three provinces."""
CENTRAL = REGIONS.index("central")
ADULT_AGE = 18
DRAW_BLOCK = 1 << 16  # households whose regions are drawn at once (`assign_regions`)
LEAVE_BLOCK = 1 << 18  # households whose uniforms of leaving are drawn at once (`migrate_internally`)
SOLVE_SAMPLE = 40_000  # households used to solve the assignment (all of them below this), as for the income fit
PREFIX = "population.regions"


def household_shares(params: ParameterTree, year: int) -> np.ndarray:
    """[region] share of households (fraction, normalised to sum to 1)."""
    shares = np.array([param(params, f"{PREFIX}.household_share.{r}", year) for r in REGIONS])
    return shares / shares.sum()


def income_ratios(params: ParameterTree, year: int) -> np.ndarray:
    """[region] mean household income of the region over the whole kingdom's (fraction)."""
    kingdom = param(params, f"{PREFIX}.household_income.kingdom", year)
    return np.array([param(params, f"{PREFIX}.household_income.{r}", year) for r in REGIONS]) / kingdom


def net_rates(params: ParameterTree, year: int, population: np.ndarray) -> np.ndarray:
    """[region] net internal migration (fraction of residents a year): the cited rates (percent) less their mean
    weighted by `population` [region], so that the moves balance."""
    rates = np.array([param(params, f"{PREFIX}.net_migration_rate.{r}", year) for r in REGIONS]) / 100.0
    total = population.sum()
    return rates - (rates @ population / total if total > 0 else 0.0)


def _split(coefficients: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(intercepts, slopes) [region] of the logit's `coefficients`, 0 for the first region."""
    k = len(REGIONS) - 1
    return np.concatenate([[0.0], coefficients[:k]]), np.concatenate([[0.0], coefficients[k:]])


def exponentials(log_income: np.ndarray, coefficients: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """[household, region] the logit's exponentials exp(x − max_r x) on standardised log income (float64; into
    `out` when given): `posterior` is each row over its sum."""
    z = np.ascontiguousarray(log_income, dtype=np.float64)
    if out is None:
        out = np.empty((z.size, len(REGIONS)))
    intercept, slope = _split(coefficients)

    def work(_: int, rows: slice) -> None:  # each household's own row: by block on threads
        kernels.shifted_logits(z[rows], intercept, slope, out[rows])
        np.exp(out[rows], out=out[rows])

    threads.for_blocks(work, z.size)
    return out


def posterior(log_income: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """[household, region] P(region | income) of the logit with `coefficients` (intercepts then slopes of the
    regions after the first, whose are 0) on standardised log income."""
    e = exponentials(log_income, coefficients)
    return e / e.sum(axis=1, keepdims=True)


def solve_assignment(z: np.ndarray, income: np.ndarray, shares: np.ndarray, ratios: np.ndarray) -> np.ndarray:
    """Coefficients of `posterior` for households of standardised log income per person `z` and income `income`
    (THB) such that the expected shares of households by region are `shares` and each region's expected mean
    household income over the overall mean is `ratios`.

    Each residual is one compiled pass over the households (model.population.regions_kernels) into one reused
    buffer, with the arithmetic of the plain numpy expression p.mean(axis=0), (p × income).mean(axis=0)."""
    z = np.ascontiguousarray(z, dtype=np.float64)
    income = np.ascontiguousarray(income, dtype=np.float64)
    mean = income.mean()
    e = np.empty((z.size, len(REGIONS)))

    def residuals(c: np.ndarray) -> np.ndarray:
        total, weighted = kernels.share_sums(exponentials(z, c, e), income)
        weight = total / z.size
        ratio = weighted / z.size / np.maximum(weight, 1e-12) / mean
        return np.concatenate([weight[1:] - shares[1:], ratio - ratios])

    start = np.concatenate([np.log(shares[1:] / shares[0]), np.zeros(len(REGIONS) - 1)])
    return least_squares(residuals, start, xtol=1e-12, ftol=1e-12).x


def draw(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One region index (int8) per row of `probabilities` [n, region]."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(probabilities.shape[0]) * cumulative[:, -1]
    return np.minimum((u[:, None] > cumulative).sum(axis=1), len(REGIONS) - 1).astype(np.int8)


def assign_regions(persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Give every household of the base population a region (`region` column), incomes set; see the module
    docstring."""
    # one float64 and one int32 a household at the most, and by blocks of households the draws: the household
    # sums and quotients of the numpy formulation, np.log(np.maximum(sums[used], 1.0) / size[used]), standardised
    size = household_size(persons, np.int32)
    n_used = int(np.count_nonzero(size))
    sample = np.arange(n_used) if n_used <= SOLVE_SAMPLE else np.sort(rng.choice(n_used, SOLVE_SAMPLE, replace=False))
    z, income = kernels.income_per_person(persons.hh, persons.income, size, sample)
    np.log(z, out=z)
    z -= z.mean()  # the deviations np.std takes, in place: z.std() without its array of them (peak memory)
    z /= np.sqrt(np.float64(kernels.sum_of_squares(z)) / z.size)
    coefficients = solve_assignment(z[sample], income, household_shares(params, year), income_ratios(params, year))
    del income, sample
    # = draw(posterior) with the uniforms of one rng.random(n_used), by blocks of households: the [household,
    # region] exponentials of all of them at once would be 48 bytes a household (1.4 GB at full scale)
    drawn = np.empty(n_used, dtype=np.int8)
    e = np.empty((min(n_used, DRAW_BLOCK), len(REGIONS)))
    for start in range(0, n_used, DRAW_BLOCK):
        part = slice(start, min(start + DRAW_BLOCK, n_used))
        u = rng.random(part.stop - start)
        drawn[part] = kernels.draw_softmax(exponentials(z[part], coefficients, e[:part.stop - start]), u)
    del z, e
    region = np.empty(size.size, dtype=np.int8)
    scatter_used(size, drawn, -1, region)
    del size, drawn
    threads.for_blocks(lambda _, rows: kernels.spread(persons.hh[rows], region, persons.region[rows]), len(persons))


def immigrant_probabilities(params: ParameterTree, year: int) -> np.ndarray:
    """[region] where a household with an arriving migrant worker lives: the Central region with the cited share,
    the others in proportion to their household shares."""
    shares = household_shares(params, year)
    central = param(params, f"{PREFIX}.immigrant_central_share", year)
    others = np.where(np.arange(len(REGIONS)) == CENTRAL, 0.0, shares)
    out = (1.0 - central) * others / others.sum()
    out[CENTRAL] = central
    return out


def advance_regions(persons: Persons, moves: HouseholdMoves, params: ParameterTree, year: int,
                    rng: np.random.Generator, size: np.ndarray | None = None) -> None:
    """After the year's household events: movers take their new household's region, new arrivals draw one, then
    internal migration (see the module docstring). `moves`: the rows whose household the events set, with their
    households before (-1 for rows added by demography without one), `HouseholdYear.moves`; `size`: the members of
    each household id when the caller has them (`HouseholdYear.size`).

    As `settle_movers` then `migrate_internally`, sharing one pass over the rows (household sizes and regions,
    the rows of the households someone moved into and their representatives, model.population.regions_kernels);
    the rest works on those rows and on one table by household."""
    households = _Households(persons, moves, size)
    households.settle(persons, params, year, rng)
    if not households.migrate(persons, params, year, rng):
        households.give_settled_regions(persons)


def settle_movers(persons: Persons, moves: HouseholdMoves, params: ParameterTree, year: int,
                  rng: np.random.Generator) -> None:
    """Every member of a household some member moved into (or formed) gets the household's region."""
    households = _Households(persons, moves)
    households.settle(persons, params, year, rng)
    households.give_settled_regions(persons)


def migrate_internally(persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Whole households move from the regions losing population to those gaining it, at the balanced net rates."""
    _Households(persons).migrate(persons, params, year, rng)


class _Households:
    """The year's table by household id (`table`, packed as model.population.regions_kernels says: size, region,
    flags) and, given the year's household moves, the `rows` (ascending) of the households a row moved into
    (`ids`, ascending) with their representatives (`best`, in the order of `ids`). A row moved when its household
    differs from the one before the events (`HouseholdMoves.changed`; after a renumbering, every row whose id
    differs from the one before). `size`: the members of each household id, when known (the rows of the touched
    households are then not counted by a pass of their own)."""

    def __init__(self, persons: Persons, moves: HouseholdMoves | None = None, size: np.ndarray | None = None):
        moves = HouseholdMoves() if moves is None else moves  # none: nobody moved
        logged, before = moves.changed()
        renumbered = moves.renumbered
        if logged.size and logged[-1] >= len(persons):
            raise ValueError(f"moves name row {logged[-1]}, the population has {len(persons)} rows")
        n = n_households(persons)
        self.table = np.zeros(n, dtype=np.int32)
        self.moved = kernels.mark_moved(persons.hh, logged, before, renumbered, self.table)
        # one representative for each touched household, found through an int32 position by household id (not
        # an int64 for every household id)
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
        self.ids, at = kernels.touched(self.table) if self.moved else none
        self.best = np.empty(self.ids.size, dtype=np.int64)
        n_rows = -1 if size is None else int(size[self.ids].sum())
        self.rows = kernels.household_pass(persons.hh, persons.region, logged, before, renumbered, persons.sex,
                                           persons.age, persons.migrant_worker, FEMALE, ADULT_AGE, self.table,
                                           self.best, at, n_rows)
        del at
        self.population, self.used = kernels.scan(self.table, len(REGIONS))

    def settle(self, persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
        """Each touched household takes its representative's region (a member with a region, non-movers first,
        then women, then the oldest); households of new arrivals only draw one (with a migrant worker from
        `immigrant_probabilities`, the others from the household shares). In the table only:
        `give_settled_regions` gives it to the members."""
        if not self.moved:
            return
        ids = self.ids
        region = persons.region[self.best & 0xFFFFFFFF]  # the representative rows (kernels.candidate), by id
        new = region < 0  # the representative has none: new arrivals only
        if new.any():
            worker = (self.table[ids[new]] & kernels.WORKER) != 0
            p = np.where(worker[:, None], immigrant_probabilities(params, year)[None, :],
                         household_shares(params, year)[None, :])
            region[new] = draw(p, rng)
        self._count(ids, -1)
        self._set_region(ids, region)
        self._count(ids, 1)

    def give_settled_regions(self, persons: Persons) -> None:
        """Every member of a touched household takes the household's region."""
        if self.rows.size:
            cells = self.table[persons.hh[self.rows]]
            persons.region[self.rows] = (cells & kernels.REGION_BITS) - 1

    def _set_region(self, ids: np.ndarray, region: np.ndarray) -> None:
        self.table[ids] = (self.table[ids] & ~kernels.REGION_BITS) | (region.astype(np.int32) + 1)

    def _count(self, ids: np.ndarray, sign: int) -> None:
        """Add (`sign` 1) or remove (-1) households `ids` to the counts of `population` and `used` (whole numbers:
        exact in any order)."""
        cells = self.table[ids]
        size, region = cells >> kernels.SIZE_SHIFT, (cells & kernels.REGION_BITS) - 1
        keep = (size > 0) & (region >= 0)
        self.population += sign * np.bincount(region[keep], weights=size[keep], minlength=len(REGIONS))
        self.used += sign * int(keep.sum())

    def migrate(self, persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator) -> bool:
        """Households with members and a region leave a losing region with the probability of its net loss (one
        uniform each, in id order) and settle in the gaining regions in proportion to their net gain; every row
        then takes its household's region. False when nobody moved (the rows left as they were)."""
        rate = net_rates(params, year, self.population)
        gain = np.maximum(rate, 0.0) * self.population
        if gain.sum() <= 0:
            return False
        leave, parts, first = np.maximum(-rate, 0.0), [np.zeros(0, dtype=np.int32)], 0
        for start in range(0, self.used, LEAVE_BLOCK):  # the uniforms of one rng.random(self.used), by blocks
            first, part = kernels.leavers_from(self.table, leave, rng.random(min(LEAVE_BLOCK, self.used - start)),
                                               first)
            parts.append(part)
        movers = np.concatenate(parts)
        if movers.size == 0:
            return False
        self._set_region(movers, draw(np.broadcast_to(gain / gain.sum(), (movers.size, len(REGIONS))), rng))
        region_of = kernels.regions_of(self.table)
        threads.for_blocks(lambda _, rows: kernels.spread(persons.hh[rows], region_of, persons.region[rows]),
                           len(persons))  # each row's own region: by block on threads
        return True


def regional_income(persons: Persons) -> tuple[np.ndarray, np.ndarray]:
    """([region] households, [region] mean household income, THB/year per household): household income is the
    members' summed `income`."""
    size = household_size(persons)
    used = size > 0
    region_of = np.zeros(size.size, dtype=np.intp)
    region_of[persons.hh] = persons.region
    total = household_sum(persons, persons.income.astype(np.float64))
    households = np.bincount(region_of[used], minlength=len(REGIONS)).astype(float)
    income = np.bincount(region_of[used], weights=total[used], minlength=len(REGIONS))
    return households, np.divide(income, households, out=np.zeros(len(REGIONS)), where=households > 0)
