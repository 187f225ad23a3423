"""Master-plan indicators for the target groups of sub-plan 3.2: income poverty before and after transfers,
coverage, the multidimensional poverty index (model.fiscal.mpi), the adequacy of benefits against the poverty
line (guideline 3.1.2(1)), and the five-yearly change against goal 170201 (the target groups' multidimensional
poverty index to fall 10% in each five-year period).

Income poverty is per real household: a household's income per person before transfers is its members' summed
`income` over its members (model.population.households.income_per_person); after transfers it adds the members'
summed cash benefits over the same members (`income_after_transfers`), so an allowance paid to a grandmother lifts
the whole household.
These are the model's versions of the official indicators (model.fiscal.mpi says which official dimensions the
model cannot see).
"""

import math
from collections.abc import Mapping
from functools import cached_property

import numpy as np
import xarray as xr

from .. import threads
from ..parameters import ParameterTree
from ..population import household_kernels, households
from ..population.persons import Persons
from ..population.regions import REGIONS
from ..population.status import CIVIL_SERVANT, INFORMAL_WORK, SSF_S33, SSF_S39, SSF_S40, in_status, status_bits
from ..schemes.base import YearContext
from ..schemes.registry import SchemesYear
from . import kernels, mpi

GROUPS: tuple[str, ...] = ("aged_60_plus", "children_0_6", "disability", "informal_workers", "all")
INCOME_BASES: tuple[str, ...] = ("before_transfers", "after_transfers")
GOAL_PERIODS: tuple[tuple[int, int], ...] = ((2023, 2028), (2028, 2033), (2033, 2037))
"""Five-year periods of phase 2 (the last is four years long, to 2037), compared start to end."""
GOAL_CHANGE_PCT = -10.0


def poverty_line(params: ParameterTree, year: int, indices: Mapping[str, Mapping[int, float]]) -> float:
    """Poverty line in THB/person/year: the official line in force on 1 July, uprated as its file says (consumer
    prices from the date of its last published value; `indices`: the macro path's indices by calendar year)."""
    return 12.0 * float(params.uprated_monthly("common.poverty_line", year, indices)[6])


def group_masks(persons: Persons) -> dict[str, np.ndarray]:
    """Rows belonging to each target group on 1 July."""
    age = persons.age
    return {
        "aged_60_plus": age >= 60,
        "children_0_6": age <= 6,
        "disability": persons.disabled,
        "informal_workers": in_status(persons.status, *np.flatnonzero(INFORMAL_WORK)),
        "all": np.ones(len(persons), dtype=bool),
    }


def insured(persons: Persons) -> np.ndarray:
    """Rows insured under the Social Security Fund or covered as state personnel or state pensioners."""
    covered = in_status(persons.status, SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT)
    return persons.flag_mask("state_pensioner", into=covered)


def income_after_transfers(persons: Persons, cash_income: np.ndarray, size: np.ndarray | None = None) -> np.ndarray:
    """[rows] THB/person/year: the household's income per person after cash transfers, (sum of members' `income`
    + sum of members' cash benefits) / members, from `households.income_per_person` (the first part) and the
    members' cash benefits pooled by household (`cash_income`: THB/year each row receives; `size`: members of each
    household, when already known)."""
    size = households.household_size(persons) if size is None else size
    paid = np.flatnonzero(cash_income)  # the other rows add 0 to their household's sum: the same sums, in row order
    cash = np.bincount(persons.hh[paid], weights=cash_income[paid].astype(np.float64), minlength=size.size)
    per_person = np.divide(cash, size, out=np.zeros(size.size), where=size > 0)
    per_person += households.income_per_person(persons, size)  # the float32 incomes widened to float64
    return per_person[persons.hh]


_AGED_FROM, _CHILD_TO = 60, 6
"""The age groups of `group_masks` (aged_60_plus: 60 and over; children_0_6: 6 and under), for the compiled
passes (model.fiscal.kernels._group_bits)."""


_INSURED_STATUS = status_bits(np.array([SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT]))
"""The statuses counted as insured by `insured`, as bits (`status_bits`)."""
_INFORMAL_STATUS = status_bits(np.flatnonzero(INFORMAL_WORK))
"""The statuses of the informal workers' group, as bits."""
_GROUP_ORDER: list[int | None] = [0, 1, 2, 3, None]
"""Each group's bit in the compiled passes (GROUPS order: aged 60+, children 0-6, disability, informal workers,
everyone)."""


class HouseholdTable:
    """The year's table by household id from the population of 1 July alone (before the schemes' flows), in one
    compiled pass over the rows (model.fiscal.kernels.household_table): `size` ([household] members, rows, int16),
    `households_by_region` ([region] households with members), `decile_of` ([household] income decile 0..9 by
    income per person before transfers, int8: kernels.deciles) and, when asked, `code` ([row] int8 decile × 8 +
    region, for the schemes' sums by decile and region). The households' incomes and regions are not kept once the
    deciles are made."""

    def __init__(self, persons: Persons):
        self.persons = persons
        self.size, _, self.households_by_region = kernels.household_table(
            persons.hh, persons.region, households.n_households(persons), len(REGIONS))
        self.decile_of = kernels.deciles(households.income_per_person(persons, self.size), self.size, len(persons))

    def with_code(self) -> "HouseholdTable":
        """The table with its `code` made (so that another thread can make both)."""
        _ = self.code
        return self

    @cached_property
    def code(self) -> np.ndarray:
        """[row] int8 decile × 8 + region of the row's household (kernels.code_pass)."""
        persons = self.persons
        code = np.empty(len(persons), np.int8)
        threads.for_blocks(lambda _, rows: kernels.code_pass(persons.hh[rows], persons.region[rows], self.decile_of,
                                                             code[rows]), len(persons))  # each row's own: by block
        return code


class YearHouseholds:
    """What the year's indicators, multidimensional poverty index and distribution records share, each computed
    once from the population of 1 July and the schemes' flows, in compiled passes over the rows
    (model.fiscal.kernels): the `HouseholdTable` of the population (`size`, `households_by_region`, `decile_of`,
    `code`), `poverty` ([row] uint8: bit 1 household income per person below the poverty `line` before transfers,
    bit 2 after, THB/person/year, and kernels.PAID_CASH for a row paid cash benefits) and `cash_by_bits` ([group
    bits] THB/year of cash benefits of the rows paid cash, by kernels._group_bits); `poor` and `masks` spell them
    out (`income_after_transfers`, `group_masks`) when asked. The cash column is read here, block by block
    (`pooled_cash`, with `free_rows`), and kept as the rows paid cash (bits): never whole (peak memory). `table`:
    the population's table, when already made."""

    def __init__(self, persons: Persons, flows: SchemesYear, line: float, table: HouseholdTable | None = None,
                 free_rows: bool = False):
        self.persons = persons
        self.line = line
        self.table = HouseholdTable(persons) if table is None else table
        self.size, self.households_by_region = self.table.size, self.table.households_by_region
        per_person, paid, self.cash_by_bits = pooled_cash(persons, flows, self.size, free_rows)
        self.poverty = np.empty(len(persons), np.uint8)
        poor = kernels.household_poverty(households.income_per_person(persons, self.size), per_person, float(line),
                                         np.float32(line))  # by household, read by each member's row
        threads.for_blocks(lambda _, rows: kernels.poverty_pass(persons.hh[rows], poor, paid, rows.start,
                                                                self.poverty[rows]), len(persons))  # by block
        self.old_alone: tuple[int, int] | None = None  # rows aged OLD_AGE+, and those living alone (count_pass)
        self.distribution: tuple | None = None  # the counts of kernels.distribution_pass, when count_pass made them

    @property
    def decile_of(self) -> np.ndarray:
        """[household] income decile 0..9 (int8): `HouseholdTable.decile_of`."""
        return self.table.decile_of

    @property
    def code(self) -> np.ndarray:
        """[row] int8 decile × 8 + region: `HouseholdTable.code`."""
        return self.table.code

    @cached_property
    def poor(self) -> tuple[np.ndarray, np.ndarray]:
        """[row] household income per person below the line, before and after transfers (bool)."""
        return (self.poverty & 1).view(bool), ((self.poverty >> 1) & 1).view(bool)

    @cached_property
    def masks(self) -> dict[str, np.ndarray]:
        """`group_masks` of the population."""
        return group_masks(self.persons)


CASH_BLOCK_ROWS = 1 << 22
"""Rows of the cash column held at once (16 MiB of float32) when the indicators read it (`pooled_cash`)."""


def pooled_cash(persons: Persons, flows: SchemesYear, size: np.ndarray,
                free_rows: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the indicators read of the rows' cash benefits, from the column block by block (`SchemesYear.cash_blocks`
    and kernels.cash_pass): ([household] the members' cash per member, THB/person/year, float64, 0 for an empty id;
    [row / 8] uint8 the rows paid cash as bits; [group bits] THB/year of cash of the rows paid cash). `size`:
    members of each household; `free_rows`: free the schemes' rows once read."""
    per_person = np.zeros(size.size)
    paid = np.zeros((len(persons) + 7) // 8, np.uint8)
    cash_by_bits = np.zeros(1 << kernels.N_GROUP_BITS)
    for first, cash in flows.cash_blocks(CASH_BLOCK_ROWS, free_rows):
        kernels.cash_pass(persons.hh, cash, first, per_person, paid, cash_by_bits, persons.age, persons.status,
                          persons.disabled, _AGED_FROM, _CHILD_TO, _INFORMAL_STATUS)
    kernels.per_member(per_person, size)  # THB/person/year
    return per_person, paid, cash_by_bits


_BITS = (np.arange(16)[:, None] >> np.arange(4)) & 1 == 1
"""[code, bit] the flags a row's code of `flag_codes` holds: poor before transfers, poor after, covered, paid cash."""
N_CODES = 16


def flag_codes(persons: Persons, cash_income: np.ndarray, receives_benefit: np.ndarray,
               poor: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """[row] uint8 code of the row's four flags (bits of `_BITS`): household income per person below the line
    before and after transfers (`poor`), covered (`receives_benefit` or insured), paid cash (`cash_income` > 0)."""
    code = poor[0].view(np.uint8) | (poor[1].view(np.uint8) << 1)
    code |= (receives_benefit | insured(persons)).view(np.uint8) << 2
    code |= (cash_income > 0).view(np.uint8) << 3
    return code


def group_bits(masks: dict[str, np.ndarray]) -> tuple[np.ndarray, list[int | None]]:
    """([row] uint8 with bit i set for the i-th group that is not everyone, [group] that group's bit, None for a
    group of every row), so that one count of rows by these bits gives every group's count."""
    bits = np.zeros(next(iter(masks.values())).size, dtype=np.uint8)
    which: list[int | None] = []
    used = 0
    for mask in masks.values():
        if np.count_nonzero(mask) == mask.size:
            which.append(None)
            continue
        if used == 8:
            raise ValueError("group_bits: at most 8 groups other than everyone")
        bits |= mask.view(np.uint8) << np.uint8(used)
        which.append(used)
        used += 1
    return bits, which


def by_group_bits(counts: np.ndarray, which: list[int | None]) -> list[np.ndarray]:
    """Each group's counts from `counts` ([bits, ...] counts by `group_bits` value first): the sum over the bit
    values holding the group's bit (whole numbers, exact)."""
    values = np.arange(counts.shape[0])
    return [counts.sum(axis=0) if bit is None else counts[(values >> bit) & 1 == 1].sum(axis=0) for bit in which]


def recipients_cash(cash_income: np.ndarray, masks: dict[str, np.ndarray], bits: np.ndarray,
                    which: list[int | None]) -> list[float]:
    """[group] THB/year of cash benefits received by the group's rows paid cash: np.sum(cash_income,
    where=mask & paid, dtype=float64) for each group. When every such sum is exact (the positive float32 amounts
    are all multiples of the float32 spacing u of the smallest, and their total is below 2**53 × u, so no partial
    sum is rounded), the order of adding does not matter and one count by `group_bits` gives them all."""
    paid = np.flatnonzero(cash_income > 0)
    amounts = cash_income[paid].astype(np.float64)
    if amounts.size:
        spacing = 2.0 ** (math.floor(math.log2(float(amounts.min()))) - 23)  # float32 spacing at the smallest
        if float(amounts.sum()) * (1.0 + 1e-6) < 2.0 ** 53 * spacing:
            sums = np.bincount(bits[paid], weights=amounts, minlength=1 << 8)
            return [float(total) for total in by_group_bits(sums, which)]
    paid_mask = cash_income > 0
    return [float(np.sum(cash_income, where=mask & paid_mask, dtype=np.float64)) for mask in masks.values()]


def income_indicators(code_counts: list[np.ndarray], cash: list[float], line: float) -> dict[str, np.ndarray]:
    """The records of `target_group_indicators` from each group's rows counted by `flag_codes` ([code] rows) and
    the cash its paid rows receive (THB/year)."""
    out = {"poverty_rate": np.zeros((len(code_counts), len(INCOME_BASES))),
           "coverage_rate": np.zeros(len(code_counts)), "lifted_by_transfers_pct": np.zeros(len(code_counts)),
           "adequacy_benefit_pct_line": np.zeros(len(code_counts))}
    for g, counts in enumerate(code_counts):
        n = max(int(counts.sum()), 1)

        def share(selected: np.ndarray) -> float:
            return 100.0 * int(counts[selected].sum()) / n

        out["poverty_rate"][g] = [share(_BITS[:, 0]), share(_BITS[:, 1])]
        out["coverage_rate"][g] = share(_BITS[:, 2])
        out["lifted_by_transfers_pct"][g] = share(_BITS[:, 0] & ~_BITS[:, 1])
        n_recipients = int(counts[_BITS[:, 3]].sum())
        if n_recipients:
            out["adequacy_benefit_pct_line"][g] = 100.0 * (cash[g] / n_recipients) / line
    return out


def target_group_indicators(persons: Persons, cash_income: np.ndarray, receives_benefit: np.ndarray,
                            line: float, after: np.ndarray | None = None,
                            shared: YearHouseholds | None = None) -> dict[str, np.ndarray]:
    """One year's income-based indicators by group, in percent: `poverty_rate` [group, basis] (household income per
    person below `line`, THB/person/year, before and after the household's pooled cash transfers),
    `coverage_rate` [group] (receiving a benefit other than health cover, or insured),
    `lifted_by_transfers_pct` [group] (poor before transfers, not after) and `adequacy_benefit_pct_line` [group]
    (mean cash benefits of the group's members receiving any, THB/year, as % of the line).

    cash_income: THB/year of cash benefits each row receives; receives_benefit: rows receiving a benefit of any
    scheme other than health cover; after: `income_after_transfers` when already computed; shared: the year's
    `YearHouseholds` (its poverty flags and group masks), when already computed. Every rate is a count of rows,
    all counted at once by flags and groups.
    """
    if shared is not None:
        poor, masks = shared.poor, shared.masks
    else:
        after = income_after_transfers(persons, cash_income) if after is None else after
        poor, masks = (households.income_per_person_of_rows(persons) < line, after < line), group_masks(persons)
    bits, which = group_bits(masks)
    key = flag_codes(persons, cash_income, receives_benefit, poor).astype(np.intp) | (bits.astype(np.intp) << 4)
    counts = np.bincount(key, minlength=N_CODES << 8).reshape(1 << 8, N_CODES)
    return income_indicators(by_group_bits(counts, which), recipients_cash(cash_income, masks, bits, which), line)


def household_records(persons: Persons, size: np.ndarray | None = None,
                      shared: YearHouseholds | None = None) -> dict[str, float]:
    """`households` (number, households), `household_mean_size` (persons per household) and `elderly_living_alone`
    (persons aged 60+ in one-person households) on 1 July: the measures `households.mean_size` and
    `households.elderly_alone_share` of model.population.households.living_arrangements, counted here alone
    (`size`: members of each household, rows, when already known; `shared`: the year's `YearHouseholds`, whose
    rows aged 60+ and living alone `target_group_records` counted)."""
    size = households.household_size(persons) if size is None else size
    used = np.count_nonzero(size)
    if shared is not None and shared.old_alone is not None:
        n_old, alone = shared.old_alone
    else:
        old = persons.age >= households.OLD_AGE
        n_old = np.count_nonzero(old)
        alone = np.count_nonzero(size[persons.hh[old]] == 1)
    mean_size = float(size.sum() / max(used, 1))
    alone_share = float(np.int64(alone) / max(n_old, 1))
    return {"households": used * persons.scale, "household_mean_size": mean_size,
            "elderly_living_alone": alone_share * n_old * persons.scale}


def target_group_records(ctx: YearContext, flows: SchemesYear, line: float, shared: YearHouseholds | None = None,
                         received: mpi.Support | None = None) -> dict[str, np.ndarray]:
    """The year's target-group records: income poverty, coverage, adequacy and the MPI (`mpi`, `mpi_headcount`,
    `mpi_intensity` [group]: M0 as a fraction, H and A in percent; `mpi_deprived_poor_pct` [group, dimension]: the
    censored headcounts, percent) under the schemes' `flows`; `line` is the poverty line (THB/person/year);
    `shared`: the year's `YearHouseholds`, and `received` what the rows receive (`mpi.support`), when already
    computed.

    One count of rows by their flags (`flag_codes`), their household's deprivation pattern and their groups
    (`group_masks` as bits), in one compiled pass over the rows (model.fiscal.kernels.count_pass, by ranges of rows
    on threads: whole numbers, added after), gives every group's rates and index: the numbers of
    `target_group_indicators` and `mpi.by_group`, which count the same rows group by group. The cash of each group's
    recipients is summed in row order by the groups a row belongs to, and those sums added (the same as
    `recipients_cash` whenever no partial sum rounds, as at 100 persons a row; at finer scales it may differ from
    numpy's order in the last bits). The same pass counts the rows aged 60+ and those living alone
    (`household_records`), and the rows by income decile, region and poverty (model.fiscal.distribution.records),
    kept in `shared`."""
    persons = ctx.persons
    shared = YearHouseholds(persons, flows, line) if shared is None else shared
    received = mpi.support(ctx, flows) if received is None else received
    pattern = mpi.household_patterns(persons, shared.poverty, received, shared.size.size, bit=1)
    household = kernels.household_codes(pattern, shared.size, shared.decile_of)
    pensioner = persons.flag_mask("state_pensioner")
    parts = threads.ranges(len(persons))
    made: list = [None] * (len(parts) + 1)

    def count(i: int, rows: slice | None) -> None:
        """The counts of one part of the rows (whole numbers, added after), or (None) the income by region."""
        if rows is None:
            made[i] = household_kernels.sum_by_household(persons.region, persons.income, len(REGIONS))  # by region
            return
        made[i] = kernels.count_pass(
            persons.hh[rows], shared.poverty[rows], received.bits[rows], persons.age[rows], persons.status[rows],
            persons.disabled[rows], _INSURED_STATUS, pensioner[rows], _AGED_FROM, _CHILD_TO, _INFORMAL_STATUS,
            household, mpi.N_PATTERNS, households.OLD_AGE, persons.region[rows])

    threads.for_each(count, [None, *parts])  # the row-order sum beside the parts' counts, on threads
    counts, old, by_row_code = (sum(part[k] for part in made[1:]) for k in range(3))
    shared.distribution = kernels.distribution_counts(by_row_code, made[0], len(REGIONS))
    shared.old_alone = (int(old[0]), int(old[1]))
    tables = by_group_bits(counts, _GROUP_ORDER)
    cash = [float(amount) for amount in by_group_bits(shared.cash_by_bits, _GROUP_ORDER)]
    records = income_indicators([table.sum(axis=0) for table in tables], cash, line)
    the_rule = mpi.rule(ctx.params, ctx.year)
    measures = np.zeros((len(tables), len(mpi.MEASURES)))
    censored = np.zeros((len(tables), len(mpi.DIMENSIONS)))
    for g, table in enumerate(tables):
        measures[g], censored[g] = mpi.measures_by_pattern(table.sum(axis=1), the_rule.weights, the_rule.cutoff)
    records.update(mpi_headcount=100.0 * measures[:, 0], mpi_intensity=100.0 * measures[:, 1], mpi=measures[:, 2],
                   mpi_deprived_poor_pct=100.0 * censored)
    return records


def _five_yearly(values: xr.DataArray, name: str, description: str) -> xr.Dataset:
    """Relative change (percent) of `values` (over year, group) over each five-year period of GOAL_PERIODS in the
    results, and whether it meets goal 170201's −10% (a value at 0 at both ends meets it: nothing left to fall)."""
    periods = [(a, b) for a, b in GOAL_PERIODS if a in values.year and b in values.year]
    labels = [f"{a}-{b}" for a, b in periods]
    start = xr.concat([values.sel(year=a, drop=True) for a, _ in periods], dim="period")
    end = xr.concat([values.sel(year=b, drop=True) for _, b in periods], dim="period")
    change = (100.0 * (end / start.where(start > 0) - 1.0)).assign_coords(period=labels)
    change.attrs = {"units": "percent", "description": description}
    meets = (change <= GOAL_CHANGE_PCT) | ((start == 0) & (end == 0)).assign_coords(period=labels)
    return xr.Dataset({name: change, "meets_goal": meets}, attrs={"goal_change_pct": GOAL_CHANGE_PCT})


def goal_170201(ds: xr.Dataset) -> xr.Dataset:
    """Goal 170201 as the master plan states it: the change of each target group's multidimensional poverty index
    (`mpi`, M0) over each five-year period (percent) against −10%: `mpi_change_pct(period, group)` and
    `meets_goal(period, group)`."""
    return _five_yearly(ds["mpi"], "mpi_change_pct", "relative change of the multidimensional poverty index (M0)")


def goal_170201_income_poverty(ds: xr.Dataset) -> xr.Dataset:
    """The income-poverty version of the goal-170201 test: the change of each target group's after-transfer income
    poverty rate over each five-year period (percent) against −10%: `poverty_change_pct(period, group)` and
    `meets_goal(period, group)`."""
    rate = ds["poverty_rate"].sel(income_basis="after_transfers", drop=True)
    return _five_yearly(rate, "poverty_change_pct", "relative change of the after-transfer income poverty rate")
