"""Results by household income decile and by region, each year.

Deciles: persons are ranked by their household's income per person before transfers (THB/year, the members'
incomes without the modelled benefits: model.population.households.income_per_person) and cut into ten groups of
equal persons (every row weighs `scale` persons); whole households stay in one decile (a household's decile is the
one holding the middle of its members in the ranking, ties broken by household id), so a decile holds 10% of
persons to within one household.
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
from ..population.households import household_size, income_per_person
from ..population.persons import Persons
from ..population.regions import REGIONS
from ..schemes.base import SchemeYear
from ..schemes.registry import SCHEMES, SchemesYear
from . import kernels
from .indicators import YearHouseholds, poverty_line

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


def household_deciles(persons: Persons) -> np.ndarray:
    """[row] income decile 0..9 (int8) of each row's household, by household income per person before transfers,
    deciles of persons (whole households; see the module docstring).

    A household's decile is floor(10 × middle / persons) (at most 9), where `middle` is the persons ranked before
    it plus half its own, in the order of income and then id. That needs the full ranking only near the nine
    cuts: households are put in buckets by the leading bits of their income (an order-preserving key), and only
    the buckets that a cut passes through are sorted; every other household takes its bucket's decile. The
    deciles are those of the full sort (`np.lexsort((ids, income))`), in time linear in the households
    (model.fiscal.kernels.deciles)."""
    size = household_size(persons)
    return kernels.deciles(income_per_person(persons, size), size, len(persons))[persons.hh]


def _scaled(sums: tuple[np.ndarray, np.ndarray], scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The sums by decile and by region (THB per row) times `scale` (persons per row)."""
    return sums[0] * scale, sums[1] * scale


def row_sums(result: SchemeYear, code: np.ndarray, scale: float) -> tuple:
    """(benefits, cash benefits or None, the insured's own contributions or None), each ([decile], [region]) THB: a
    scheme's per-row amounts summed by the `code` (decile × 8 + region) of its rows (model.fiscal.kernels), in the
    order of its rows. A run's year makes them as soon as the scheme is computed (model.fiscal.reductions)."""
    n_regions = len(REGIONS)
    paid_cash = result.cash_amounts()
    paid = _scaled(_sums(code, result.rows, result.amount, n_regions), scale)
    cash = None
    if paid_cash is not None:
        cash = paid if paid_cash is result.amount else _scaled(_sums(code, result.rows, paid_cash, n_regions), scale)
    own = result.insured_by_row
    contributions = None if own is None else _scaled(_sums(code, own.rows, own.amount, n_regions), scale)
    return paid, cash, contributions


def scheme_sums(persons: Persons, flows: SchemesYear, code: np.ndarray) -> dict[str, np.ndarray]:
    """The records of `records` that the schemes' per-row amounts give (benefits, cash benefits and the insured's
    own contributions by decile and region, and the pooled parts), each scheme's amounts summed by the `code`
    (decile × 8 + region, `YearHouseholds.code`) of its rows (`row_sums`, or those its result kept): once these are
    made, the per-row amounts are read no more in the year."""
    scale = persons.scale
    sizes = (N_DECILES, len(REGIONS))
    benefits = [np.zeros((len(SCHEMES), n)) for n in sizes]
    contributions = [np.zeros((len(SCHEMES), n)) for n in sizes]
    cash = [np.zeros(n) for n in sizes]
    pooled_cost, pooled_insured = np.zeros(len(SCHEMES)), np.zeros(len(SCHEMES))
    for i, name in enumerate(SCHEMES):
        result = flows.schemes[name]
        if result.row_sums is not None:
            paid, paid_cash, own = result.row_sums
        elif result.amounts_dropped:
            raise RuntimeError(f"scheme {name}: its per-row amounts were dropped before the distribution read them")
        else:
            paid, paid_cash, own = row_sums(result, code, scale)
        pooled_cost[i] = result.pooled_cost
        pooled_insured[i] = result.contributions.get("insured", 0.0) if own is None else 0.0
        benefits[0][i], benefits[1][i] = paid
        if paid_cash is not None:
            cash[0] += paid_cash[0]
            cash[1] += paid_cash[1]
        if own is not None:
            contributions[0][i], contributions[1][i] = own
    return {"benefits_by_decile": benefits[0], "benefits_by_region": benefits[1],
            "cash_benefits_by_decile": cash[0], "cash_benefits_by_region": cash[1],
            "pooled_benefit_cost": pooled_cost,
            "contributions_by_decile": contributions[0], "contributions_by_region": contributions[1],
            "pooled_insured_contributions": pooled_insured}


def records(persons: Persons, flows: SchemesYear, params: ParameterTree, year: int,
            indices: Mapping[str, Mapping[int, float]], shared: YearHouseholds | None = None,
            sums: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The year's distribution records (the variables of VARIABLES), from the population of 1 July and the schemes'
    flows (`shared`: the year's household reductions, when already computed; `sums`: the schemes' `scheme_sums`,
    when already made). One compiled pass over the rows counts them by decile, region and poverty; each scheme's
    amounts are summed by the codes (decile × 8 + region, `YearHouseholds.code`) of its rows (`scheme_sums`)."""
    scale = persons.scale
    if shared is None:
        shared = YearHouseholds(persons, flows, poverty_line(params, year, indices))
    n_regions = len(REGIONS)
    if shared.distribution is None:
        shared.distribution = kernels.distribution_pass(persons.hh, persons.region, shared.decile_of, shared.poverty,
                                                        persons.income, n_regions)
    by_both, by_poverty, income = shared.distribution
    sums = scheme_sums(persons, flows, shared.code) if sums is None else sums
    income = income * scale
    population = [by_both.sum(axis=1) * scale, by_both[:, :n_regions].sum(axis=0) * scale]
    households = shared.households_by_region * scale
    return {
        "population_by_decile": population[0], "population_by_region": population[1],
        "households_by_region": households,
        "household_income_by_region": np.divide(income, 12.0 * households, out=np.zeros(n_regions),
                                                where=households > 0),
        **sums,
        "poverty_rate_by_region": _poverty_rates(by_poverty),
    }


def _sums(code: np.ndarray, rows: np.ndarray, amount: Any,
          n_regions: int) -> tuple[np.ndarray, np.ndarray]:
    """([decile], [region]) THB of `amount` (per person of each of `rows`, one value for all, or by age) summed by
    the rows' `code` (decile × 8 + region), in the order of `rows` (as np.bincount sums them)."""
    if hasattr(amount, "sums_by_code"):  # amounts by age (model.schemes.base.ByAge), summed without the array
        return amount.sums_by_code(code, rows, n_regions)
    values = np.asarray(amount)
    if values.ndim == 0:
        values = np.broadcast_to(values.astype(np.float64), rows.shape)
    return kernels.sums_by_code(code, rows, values, n_regions)


def _poverty_rates(counts: np.ndarray) -> np.ndarray:
    """[region, income basis] percent of the region's rows below the line before and after transfers, from the rows
    counted by region and the two poverty bits (`counts`: [region, bits])."""
    persons_in = counts.sum(axis=1)
    below = np.stack([counts[:, 1] + counts[:, 3], counts[:, 2] + counts[:, 3]], axis=1)
    return 100.0 * below / np.maximum(persons_in, 1)[:, None]


def year_sums(model: Any, flows: SchemesYear, year: int, code: np.ndarray) -> dict[str, np.ndarray]:
    """What a run's year reads of the schemes' per-row amounts, read first so that they can then be freed: the
    `scheme_sums` of the year (`model`: the running SocialSecurityModel; `code`: [row] decile × 8 + region,
    `HouseholdTable.code`), and the person frames a capture may ask for (model.fiscal.persons_year)."""
    from . import persons_year  # that module reads this one

    persons_year.offer(model.persons, flows, year, model.scenario.seed)
    return scheme_sums(model.persons, flows, code)


def year_records(model: Any, flows: SchemesYear, year: int, shared: YearHouseholds | None = None,
                 sums: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The records of `records` for a run's year (`model`: the running SocialSecurityModel; `shared`: the year's
    household reductions, when already computed; `sums`: the year's `year_sums`, when already made, else made
    here, with the person frames a capture may ask for)."""
    if sums is None:
        shared = YearHouseholds(model.persons, flows, poverty_line(model.params, year, model.indices)) \
            if shared is None else shared
        sums = year_sums(model, flows, year, shared.code)
    return records(model.persons, flows, model.params, year, model.indices, shared, sums)
