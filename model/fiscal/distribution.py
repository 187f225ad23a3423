"""Results by household income decile and by region, each year.

Deciles: persons are ranked by their household's income per person before transfers (`hh_income_pc`, THB/year,
the members' incomes without the modelled benefits) and cut into ten groups of equal persons (every row weighs
`scale` persons); whole households stay in one decile (a household's decile is the one holding the middle of its
members in the ranking, ties broken by household id), so a decile holds 10% of persons to within one household.
Regions: the `region` column (model.population.regions).

What a scheme pays is attributed to the row it pays (`SchemeYear.rows`, `amount`: cash and in kind); what it spends
on no row (`pooled_cost`: branches costed per member, expected claims, reserve allotments) is reported apart, so
that for every scheme and year

    sum over deciles of benefits_by_decile + pooled_benefit_cost = benefit_cost,

and the same over regions. Contributions the insured pay themselves are attributed by row where the scheme reports
them (`SchemeYear.insured_by_row`), else pooled (`pooled_insured_contributions`), so that the deciles (or regions)
and the pooled part sum to `contributions_by_payer` of the insured payer. The sums agree to floating-point rounding
(the national totals are summed in another order: relative differences below 1e-12).

Poverty by region counts persons whose household income per person is below the national poverty line, before and
after transfers as `poverty_rate` does (model.fiscal.indicators): the NESDC publishes its lines by area in its
poverty reports but the model does not hold them, so every region is measured against the national line.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..parameters import ParameterTree
from ..population.households import household_size
from ..population.persons import Persons
from ..population.regions import REGIONS
from ..schemes.registry import SCHEMES, SchemesYear
from .indicators import YearHouseholds, income_after_transfers, poverty_line

DECILES: tuple[int, ...] = tuple(range(1, 11))
N_DECILES = len(DECILES)

VARIABLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "population_by_decile": (("decile",), "persons", "persons on 1 July by household income decile (income per "
                             "person before transfers)"),
    "population_by_region": (("region",), "persons", "persons on 1 July by region of residence; sums to population"),
    "households_by_region": (("region",), "households", "households on 1 July by region"),
    "household_income_by_region": (("region",), "THB/month", "mean income per household (the members' income "
                                   "before the modelled transfers), THB a month, nominal"),
    "benefits_by_decile": (("scheme", "decile"), "THB", "benefits paid to (or spent on) the persons of the decile, "
                           "nominal; with pooled_benefit_cost the deciles sum to benefit_cost"),
    "benefits_by_region": (("scheme", "region"), "THB", "benefits paid to (or spent on) the persons of the region; "
                           "with pooled_benefit_cost the regions sum to benefit_cost"),
    "cash_benefits_by_decile": (("decile",), "THB", "cash benefits of all schemes received by the decile's persons"),
    "cash_benefits_by_region": (("region",), "THB", "cash benefits of all schemes received by the region's persons"),
    "pooled_benefit_cost": (("scheme",), "THB", "benefit cost attributed to no person (branches costed per member, "
                            "expected claims, reserve allotments)"),
    "contributions_by_decile": (("scheme", "decile"), "THB", "contributions the insured of the decile pay "
                                "themselves; with pooled_insured_contributions the deciles sum to the insured "
                                "payer's contributions_by_payer"),
    "contributions_by_region": (("scheme", "region"), "THB", "contributions the insured of the region pay "
                                "themselves"),
    "pooled_insured_contributions": (("scheme",), "THB", "contributions of the insured a scheme does not report "
                                     "by person"),
    "poverty_rate_by_region": (("region", "income_basis"), "percent", "share of the region's persons with "
                               "household income per person below the national poverty line"),
}
"""Each distribution variable's (dimensions after `year`, units, description): model.results adds them to the
result contract."""


def household_deciles(persons: Persons, size: np.ndarray | None = None) -> np.ndarray:
    """[row] income decile 0..9 (int8) of each row's household, by household income per person before transfers,
    deciles of persons (whole households; see the module docstring); `size`: members of each household (rows),
    when already known.

    A household's decile is floor(10 × middle / persons) (at most 9), where `middle` is the persons ranked before
    it plus half its own, in the order of income and then id. That needs the full ranking only near the nine
    cuts: households are put in buckets by the leading bits of their income (an order-preserving key), and only
    the buckets that a cut passes through are sorted; every other household takes its bucket's decile. The
    deciles are those of the full sort (`np.lexsort((ids, income))`), in time linear in the households."""
    size = household_size(persons) if size is None else size
    income = np.zeros(size.size, dtype=np.float32)
    income[persons.hh] = persons.hh_income_pc  # every member holds the household's value
    used = np.flatnonzero(size > 0)
    key = _ascending_key(income[used])
    members = size[used]
    n = max(len(persons), 1)

    def decile_of(middle: np.ndarray) -> np.ndarray:  # middle: persons ranked before, plus half the household's own
        return np.minimum((N_DECILES * middle / n).astype(np.int64), N_DECILES - 1)

    shift = 32 - min(22, max(8, used.size.bit_length() - 2))  # about four households a bucket, at most 4 M buckets
    bucket = (key >> shift).astype(np.intp)
    in_bucket = np.bincount(bucket, weights=members, minlength=(0xFFFFFFFF >> shift) + 1).astype(np.int64)
    before = np.cumsum(in_bucket) - in_bucket  # persons in the buckets ranked lower
    low, high = decile_of(before.astype(np.float64)), decile_of((before + in_bucket).astype(np.float64))
    decile = low[bucket]
    cut = np.flatnonzero((low != high)[bucket])  # households of the buckets a cut passes through
    if cut.size:
        order = cut[np.argsort((key[cut].astype(np.uint64) << np.uint64(32)) | used[cut].astype(np.uint64))]
        ranked = bucket[order]
        first = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])  # where each cut bucket starts in `order`
        upto = np.cumsum(members[order])
        start = np.repeat(upto[first] - members[order][first], np.diff(np.r_[first, order.size]))
        middle = (before[ranked] + upto - start) - members[order] / 2.0
        decile[order] = decile_of(middle)
    by_id = np.zeros(size.size, dtype=np.int8)
    by_id[used] = decile
    return by_id[persons.hh]


def _ascending_key(values: np.ndarray) -> np.ndarray:
    """[value] uint32 keys in the order np.sort puts the float32 `values` (NaN last, -0.0 equal to 0.0): the sign
    bit flipped for positive numbers, every bit for negative ones."""
    values = np.where(np.isnan(values), np.float32(np.nan), values + np.float32(0.0))  # one NaN; -0.0 is 0.0
    bits = values.view(np.uint32)
    return bits ^ np.where(bits >> np.uint32(31), np.uint32(0xFFFFFFFF), np.uint32(0x80000000))


def _by_group(group: np.ndarray, n: int, amount: np.ndarray | float, scale: float) -> np.ndarray:
    """[group] THB of `amount` (per person of each row, or one value for all) summed by the rows' `group`."""
    weights = np.broadcast_to(np.asarray(amount, dtype=np.float64), group.shape)
    return np.bincount(group, weights=weights, minlength=n) * scale


def _decile_and_region(code: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The decile (0..9) and region of `rows` (row indices), from each row's `code` (decile × 8 + region)."""
    gathered = code[rows]
    return gathered >> 3, gathered & 7


def records(persons: Persons, flows: SchemesYear, params: ParameterTree, year: int,
            indices: Mapping[str, Mapping[int, float]], shared: YearHouseholds | None = None) -> dict[str, np.ndarray]:
    """The year's distribution records (the variables of VARIABLES), from the population of 1 July and the schemes'
    flows (`shared`: the year's household reductions, when already computed). Each row's decile and region are
    held in one small code, gathered once for a scheme's rows."""
    scale = persons.scale
    if shared is None:
        shared = YearHouseholds(persons, flows, poverty_line(params, year, indices))
    size = shared.size
    code = household_deciles(persons, size) << 3  # decile × 8 + region (int8)
    code |= persons.region
    sizes = (N_DECILES, len(REGIONS))
    benefits = [np.zeros((len(SCHEMES), n)) for n in sizes]
    contributions = [np.zeros((len(SCHEMES), n)) for n in sizes]
    cash = [np.zeros(n) for n in sizes]
    pooled_cost, pooled_insured = np.zeros(len(SCHEMES)), np.zeros(len(SCHEMES))
    for i, name in enumerate(SCHEMES):
        result = flows.schemes[name]
        pooled_cost[i] = result.pooled_cost
        own = result.insured_by_row
        pooled_insured[i] = result.contributions.get("insured", 0.0) if own is None else 0.0
        paid_cash = result.cash_amounts()
        groups = _decile_and_region(code, result.rows)
        own_groups = None if own is None else _decile_and_region(code, own.rows)
        for g, n in enumerate(sizes):
            benefits[g][i] = _by_group(groups[g], n, result.amount, scale)
            if paid_cash is not None:
                cash[g] += _by_group(groups[g], n, paid_cash, scale)
            if own_groups is not None:
                contributions[g][i] = _by_group(own_groups[g], n, own.amount, scale)
    by_both = np.bincount(code, minlength=N_DECILES << 3).reshape(N_DECILES, 8)  # rows by decile and region
    population = [by_both.sum(axis=1) * scale, by_both[:, :len(REGIONS)].sum(axis=0) * scale]
    region_of = np.zeros(size.size, dtype=np.int8)
    region_of[persons.hh] = persons.region
    households = np.bincount(region_of[size > 0], minlength=len(REGIONS)) * scale
    region = persons.region
    income = np.bincount(region, weights=persons.income.astype(np.float64), minlength=len(REGIONS)) * scale
    return {
        "population_by_decile": population[0], "population_by_region": population[1],
        "households_by_region": households,
        "household_income_by_region": np.divide(income, 12.0 * households, out=np.zeros(len(REGIONS)),
                                                where=households > 0),
        "benefits_by_decile": benefits[0], "benefits_by_region": benefits[1],
        "cash_benefits_by_decile": cash[0], "cash_benefits_by_region": cash[1],
        "pooled_benefit_cost": pooled_cost,
        "contributions_by_decile": contributions[0], "contributions_by_region": contributions[1],
        "pooled_insured_contributions": pooled_insured,
        "poverty_rate_by_region": poverty_by_region(persons, shared.cash, shared.line, region, shared.poor),
    }


def poverty_by_region(persons: Persons, cash_income: np.ndarray, line: float, region: np.ndarray,
                      poor: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """[region, income basis] percent of the region's persons below the national poverty `line` (THB/person/year),
    before and after the household's pooled cash transfers, as model.fiscal.indicators.target_group_indicators
    counts them (`cash_income`: THB/year each row receives; `poor`: the rows below the line before and after
    transfers, when already known)."""
    if poor is None:
        poor = (persons.hh_income_pc < line, income_after_transfers(persons, cash_income) < line)
    # one count of rows by region and the two flags (exact whole numbers)
    code = region * 4 + (poor[0].view(np.uint8) | (poor[1].view(np.uint8) << 1))
    counts = np.bincount(code, minlength=4 * len(REGIONS)).reshape(len(REGIONS), 4)
    persons_in = counts.sum(axis=1)
    below = np.stack([counts[:, 1] + counts[:, 3], counts[:, 2] + counts[:, 3]], axis=1)
    return 100.0 * below / np.maximum(persons_in, 1)[:, None]


def year_records(model: Any, flows: SchemesYear, year: int,
                 shared: YearHouseholds | None = None) -> dict[str, np.ndarray]:
    """The records of `records` for a run's year (`model`: the running SocialSecurityModel; `shared`: the year's
    household reductions, when already computed), and the person frames a capture may ask for
    (model.fiscal.persons_year)."""
    from . import persons_year  # that module reads this one

    persons_year.offer(model.persons, flows, year, model.scenario.seed)
    return records(model.persons, flows, model.params, year, model.indices, shared)
