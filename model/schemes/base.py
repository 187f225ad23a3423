"""What a scheme computes for one calendar year, and the context it computes it from.

Every scheme module exposes `compute(ctx: YearContext) -> SchemeYear`, vectorised over all rows of the
population, and optionally `advance(ctx)` (yearly state changes such as pension claims, run before any
`compute`) and `initialise(ctx)` (run once on the base population, e.g. to back-date claims made before the
base year). Amounts are THB per calendar year; a person row stands for `ctx.persons.scale` persons.
The population state is the one on 1 July of the year (mid-year), the average exposure of a calendar year.

Each scheme also reports its flows month by month (`SchemeYear.monthly_*`), from which results by fiscal year
(1 October to 30 September) are summed exactly: a scheme paying through `Payments` gets them from its month
groups; a scheme that leaves them unset is taken to pay the same in every month of the year.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from ..compiled import true_rows
from ..errors import ParameterError
from ..parameters import ParameterTree
from ..population.demography import death_probability
from ..population.persons import Persons
from ..population.rates import load_inputs
from . import kernels

PAYERS: tuple[str, ...] = ("insured", "employer", "government")
MONTHS: tuple[int, ...] = tuple(range(1, 13))
"""Calendar months, 1 = January."""
SSF_BRANCHES: tuple[str, ...] = ("old_age", "short_term", "unemployment")
"""Social Security Fund branches: old_age = old-age pensions, lump sums and child allowance;
short_term = sickness, maternity, invalidity and death; unemployment."""


REDUCE_ROWS = "year.reduce_rows"
"""`YearContext.shared` key of a function (context, scheme name, SchemeYear) -> None that a run's year sets: called
on each scheme's result as soon as it is computed (on the thread that computed it), it makes what the year reads of
the per-row results (model.fiscal.reductions.YearReductions) and frees those no other reader needs, so they are not
held while the other schemes and the indicators run."""


@dataclass(frozen=True)
class YearContext:
    """The inputs every scheme reads for one calendar year, and the one way it reads them.

    Parameters are read only through the methods below, all for `year`: `mid_year` (the value in force on
    1 July, the date of the population's ages and statuses), `january` (on 1 January), `monthly` / `annual_mean` /
    `annual_sum` (the values in force on the 1st of each month), and for a parameter whose file declares an
    `uprating`, `uprated_monthly` / `uprated` (grown by it, with the context's `indices`); the others refuse such a
    parameter, so no scheme reads it without its uprating. Another scheme's flows come from `result`, computed
    once a year and kept.
    """

    persons: Persons
    year: int
    params: ParameterTree
    indices: Mapping[str, Mapping[int, float]] | None = None
    """The macro path's indices an `uprating` may name ('cpi', 'wage': calendar year → index, 2023 = 1.0); None:
    prices and wages constant."""
    fertility: np.ndarray | None = None  # [age] births per woman in the year; None: the WPP input for the year
    mortality: np.ndarray | None = None  # [sex, age] central death rates in the year; None: the WPP input
    results: dict[str, "SchemeYear"] = field(default_factory=dict, repr=False)
    """Each scheme's flows this year by name, filled by `result` (a test may give one in advance)."""
    advanced: dict[str, Any] = field(default_factory=dict, repr=False)
    """What a scheme's `advance` decided this year for its own `compute`, by scheme name (e.g. the living-gratuity
    instalments paid): state of one scheme, never read by another."""
    shared: dict[str, Any] = field(default_factory=dict, repr=False)
    """Values computed once in the year from the population that another reader needs again, by name (e.g. a
    health scheme's age-weighted members, which its cost and the health cost drivers both use)."""
    _computing: set[str] = field(default_factory=set, repr=False)

    def mid_year(self, path: str) -> Any:
        """The value of `path` in force on 1 July of the year, in the parameter's unit and type (a whole number
        stays an int, so comparing an int16 age column with it stays fast)."""
        return self.params.mid_year(self._unuprated(path), self.year)

    def january(self, path: str) -> Any:
        """The value of `path` in force on 1 January of the year, in its unit and type: for what happens once at
        the start of the year (pension awards and indexation in a scheme's `advance`)."""
        return self.params.get(self._unuprated(path), date(self.year, 1, 1))

    def monthly(self, path: str) -> np.ndarray:
        """[12] the values of `path` in force on the 1st of each month of the year, January first (read-only)."""
        return self.params.monthly(self._unuprated(path), self.year)

    def annual_mean(self, path: str) -> float:
        """Mean of the 12 monthly values of `path` (e.g. the average rate or amount in force over the year)."""
        return self.params.annual_mean(self._unuprated(path), self.year)

    def annual_sum(self, path: str) -> float:
        """Sum of the 12 monthly values of `path`: a THB/month amount becomes THB/year."""
        return self.params.annual_sum(self._unuprated(path), self.year)

    def uprated_monthly(self, path: str) -> np.ndarray:
        """[12] the values of `path` in force on the 1st of each month, grown as its `uprating` says
        (`ParameterTree.uprated_monthly`, by the context's `indices`), in the parameter's unit (read-only); the
        values as they are for a parameter without `uprating`."""
        return self.params.uprated_monthly(path, self.year, self.indices)

    def uprated(self, path: str) -> float:
        """The value of `path` in force on 1 July, grown as its `uprating` says, in the parameter's unit."""
        return float(self.uprated_monthly(path)[6])

    def _unuprated(self, path: str) -> str:
        """`path`, if its values are read as they are: a parameter with an `uprating` is read only uprated."""
        if self.params.info(path).uprating is not None:
            raise ParameterError(f"parameter '{path}' has an uprating: read it with uprated_monthly or uprated")
        return path

    def result(self, scheme: str) -> "SchemeYear":
        """The flows of `scheme` (a registry name) this year: computed on the first request and kept, so a scheme
        that needs another's result (UCS members exclude CSMBS beneficiaries; the GPF reserve allotment is a share
        of the civil-service pension cost) and the registry get the same object, computed once."""
        found = self.results.get(scheme)
        if found is None:
            from .registry import SCHEME_MODULES  # the registry imports this module

            if scheme not in SCHEME_MODULES:
                raise ValueError(f"unknown scheme {scheme!r}: must be one of {', '.join(SCHEME_MODULES)}")
            if scheme in self._computing:
                raise RuntimeError(f"scheme {scheme!r} needs its own result: the schemes' dependencies form a cycle")
            self._computing.add(scheme)
            try:
                found = SCHEME_MODULES[scheme].compute(self)
                reduce = self.shared.get(REDUCE_ROWS)
                if reduce is not None:
                    reduce(self, scheme, found)
                self.results[scheme] = found
            finally:
                self._computing.discard(scheme)
        return found

    def fertility_rates(self) -> np.ndarray:
        """[age] births per woman in the year (the context's, else the WPP input of the year)."""
        if self.fertility is not None:
            return np.asarray(self.fertility, dtype=np.float64)
        inputs = load_inputs()
        return inputs.asfr[inputs.index(self.year)]

    def mortality_rates(self) -> np.ndarray:
        """[sex, age] central death rates in the year (the context's, else the WPP input of the year)."""
        if self.mortality is not None:
            return np.asarray(self.mortality, dtype=np.float64)
        inputs = load_inputs()
        return inputs.mx[inputs.index(self.year)]

    def expected_deaths(self, rows: np.ndarray) -> np.ndarray:
        """Probability that each of `rows` (row indices) dies in the year, 1 - exp(-m(x))."""
        return death_probability(self.mortality_rates()).ravel()[self.persons.cells[rows]]


def choose(condition: np.ndarray, if_true: float, if_false: float) -> np.ndarray | float:
    """`if_true` where `condition` holds, else `if_false` (float64 per row, or the one value when both are equal):
    np.where without its branches, which are slow on the irregular masks of eligibility rules."""
    if if_true == if_false:
        return if_false
    return if_false + (if_true - if_false) * condition


class Months(int):
    """A number of months of the year (an int, so `months * amount` is THB for those months) that also knows which
    months they are: `indices`, 0 = January."""

    indices: tuple[int, ...]

    def __new__(cls, indices: Sequence[int]) -> "Months":
        months = super().__new__(cls, len(indices))
        months.indices = tuple(indices)
        return months


def month_groups(ctx: YearContext, scheme: str, paths: Sequence[str],
                 extra: dict[str, Sequence[Any]] | None = None) -> Iterator[tuple[dict[str, Any], Months]]:
    """The months of the year grouped by the values the scheme's parameters (`paths` under `scheme`, uprated as
    their files say, and any `extra` series of 12 monthly values) take in them: (value by path, the group's
    months), usually one group.

    Values come as Python numbers, whole numbers as int, so that a rule comparing a column with them runs in the
    column's own type (an int16 age against 60, not against the float64 60.0, is several times faster).
    """
    series: dict[str, Sequence[Any]] = {path: ctx.uprated_monthly(f"{scheme}.{path}").tolist() for path in paths}
    series.update(extra or {})
    groups: dict[tuple[Any, ...], list[int]] = {}
    for month, values in enumerate(zip(*series.values())):
        groups.setdefault(values, []).append(month)
    for values, months in groups.items():
        yield {path: _plain(value) for path, value in zip(series, values)}, Months(months)


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Payments:
    """A scheme's payments over the month groups of a year, merged: each group adds its recipients (row indices)
    and one or more amounts (THB for those months, per recipient); `merged` gives every recipient once with the
    amounts summed over the groups (THB/year), and `monthly` the whole population's flows in each month."""

    def __init__(self, size: int):
        self.size = size  # rows in the population
        self.groups: list[tuple[np.ndarray, tuple[np.ndarray | float, ...]]] = []
        self.months: list[tuple[int, ...] | None] = []  # the months of each group (None: not given)

    def add(self, rows: np.ndarray, *amounts: np.ndarray | float, months: Months | None = None) -> None:
        """Record the payments of one month group (`months`, from `month_groups`: which months they are paid in)."""
        self.groups.append((rows, amounts))
        self.months.append(None if months is None else months.indices)

    def merged(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """(recipients, ascending (int32 when the groups are merged), [THB/year per recipient for each amount])."""
        if len(self.groups) == 1:  # the usual case: nothing to merge
            rows, amounts = self.groups[0]
            return rows, [np.broadcast_to(np.asarray(a, dtype=np.float64), rows.shape) for a in amounts]
        paid = np.zeros(self.size, dtype=bool)
        for group_rows, _ in self.groups:
            paid[group_rows] = True
        rows = true_rows(paid)  # np.flatnonzero(paid), int32
        del paid
        # each group's place in `rows`: all of them (the usual case: the same recipients in every group), or found
        at = [slice(None) if group_rows.size == rows.size and np.array_equal(group_rows, rows)
              else np.searchsorted(rows, group_rows) for group_rows, _ in self.groups]
        totals = []
        for k in range(len(self.groups[0][1])):
            total = np.zeros(rows.size)  # by recipient, not by row of the population: the same sums, in group order
            for where, (_, amounts) in zip(at, self.groups):
                total[where] += amounts[k]
            totals.append(total)
        return rows, totals

    def monthly(self, scale: float, cost: Sequence[int] = (0,),
                contributions: Sequence[int] = ()) -> dict[str, np.ndarray]:
        """The whole population's flows in each month of the year, as `SchemeYear` fields: `monthly_cost` (THB: the
        amounts numbered in `cost`), `monthly_recipients` (persons paid a positive amount in the month) and, when
        `contributions` numbers amounts, `monthly_contributions` (THB). A group's months are paid alike (its
        parameters are the same in each), so each of them gets an equal share of the group's payments; with one
        group for the whole year the fields are left to SchemeYear's even spread, which is then the same.
        `scale`: persons per row."""
        if len(self.groups) == 1 and self.months[0] is None:
            self.months[0] = tuple(range(12))
        if any(m is None for m in self.months) or sorted(i for m in self.months for i in m) != list(range(12)):
            raise ValueError("Payments.monthly: every group needs its months (Payments.add(..., months=...)) and the "
                             f"groups must cover each month once (got {self.months})")
        if len(self.groups) == 1:  # one group paid alike all year: SchemeYear's even spread is exact, and free
            return {}
        flows = {"monthly_cost": np.zeros(12), "monthly_recipients": np.zeros(12)}
        if contributions:
            flows["monthly_contributions"] = np.zeros(12)
        for (rows, amounts), months in zip(self.groups, self.months):
            index = list(months)
            paid = sum(amounts[k] for k in cost)
            flows["monthly_cost"][index] += _total(paid, rows.size) * scale / len(index)
            positive = rows.size * (paid > 0) if np.isscalar(paid) else np.count_nonzero(paid > 0)
            flows["monthly_recipients"][index] += positive * scale
            if contributions:
                received = sum(_total(amounts[k], rows.size) for k in contributions)
                flows["monthly_contributions"][index] += received * scale / len(index)
        return flows


PAIRWISE_BLOCK = 1 << 16
"""Rows a block of `folded_payments` holds at most (a range numpy's pairwise sum treats as one, at least 128)."""


def pairwise_total(n: int, range_sum: Callable[[int, int], float], most: int = PAIRWISE_BLOCK) -> float:
    """np.sum of n float64 values, bit for bit, from the sums of ranges of them: numpy sums a contiguous array
    pairwise, splitting a range of more than 128 values at half its length rounded down to a multiple of 8, so a
    range of at most `most` (>= 128) values that the splitting reaches is summed alike by np.sum of it alone.
    `range_sum(start, stop)` gives that np.sum; it is called for consecutive ranges, in order."""
    if most < 128:
        raise ValueError(f"pairwise_total: most must be at least 128, not {most}")
    return 0.0 + _pairwise_node(0, n, range_sum, most) if n else 0.0


def _pairwise_node(start: int, m: int, range_sum: Callable[[int, int], float], most: int) -> float:
    """The pairwise sum of the m values from `start` (`pairwise_total`; a function of the module, not a closure that
    would hold itself and keep `range_sum`'s arrays alive until the garbage collector runs)."""
    if m <= most:
        return range_sum(start, start + m)
    half = m // 2
    half -= half % 8
    return _pairwise_node(start, half, range_sum, most) + _pairwise_node(start + half, m - half, range_sum, most)


def folded_payments(rows: np.ndarray, groups: Sequence[tuple[Months, Callable[[np.ndarray], tuple[np.ndarray, ...]]]],
                    scale: float, cost: Sequence[int] = (0,), block: int = PAIRWISE_BLOCK, narrow: Sequence[int] = ()
                    ) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """What `Payments` gives (`merged` amounts, `monthly` flows without contributions) for month groups that all pay
    the same recipients `rows` (ascending), each group's amounts made by its function for a block of the recipients
    (THB for its months, one array per amount, aligned with the block) and added into the totals block by block:
    only the totals and one block's amounts are held (peak memory). The same sums in the same order: each total is
    0.0 plus the groups' amounts in turn (one group: its amounts), and a group's cost is numpy's sum of its amounts
    numbered in `cost` (`pairwise_total` over blocks of at most `block` recipients). The totals numbered in `narrow`
    are held in float32 as long as float32 holds every one of their values exactly (whole THB amounts), and
    widened to float64 for good at the first value it does not: the same values, half the memory."""
    several = len(groups) > 1
    totals: list[np.ndarray] = []
    flows = {"monthly_cost": np.zeros(12), "monthly_recipients": np.zeros(12)}
    for months, make in groups:
        positive = 0

        def add_block(start: int, stop: int) -> float:
            nonlocal positive, totals
            amounts = make(rows[start:stop])
            if not totals:
                totals = [(np.zeros if several else np.empty)(rows.size, np.float32 if k in narrow else np.float64)
                          for k in range(len(amounts))]
            for k, amount in enumerate(amounts):
                total = totals[k]
                if total.dtype == np.float32:  # narrowed: the block's new values, if float32 holds them all
                    if kernels.fold_exact_float32(total[start:stop], np.asarray(amount, np.float64), several):
                        continue
                    # exact so far: the same values in float64, of the rows written so far (one group: the blocks
                    # before this one; several: every row, zeros first), not the uninitialised rest
                    written = total.size if several else start
                    wide = np.empty(total.size, np.float64)
                    wide[:written] = total[:written]
                    totals[k] = total = wide
                if several:
                    total[start:stop] += amount  # Payments.merged: zeros, then each group's amounts added in turn
                else:
                    total[start:stop] = amount
            if not several:
                return 0.0
            paid = 0 + amounts[cost[0]]  # Payments.monthly: the amounts of `cost` summed, from 0
            for k in cost[1:]:
                paid += amounts[k]
            positive += int(np.count_nonzero(paid > 0))
            return _total(paid, paid.size)

        cost_of_group = pairwise_total(rows.size, add_block, block)
        if several:  # a group's months share its payments evenly
            index = list(months.indices)
            flows["monthly_cost"][index] += cost_of_group * scale / len(index)
            flows["monthly_recipients"][index] += positive * scale
    if not totals:  # no recipients: empty totals, one for each amount
        totals = [np.zeros(0) for _ in groups[0][1](rows[:0])]
    return totals, (flows if several else {})


def _total(amount: "np.ndarray | float | ByAge", n_rows: int) -> float:
    """THB paid over `n_rows` rows of one `amount` (per row, one value for all, or by age)."""
    if isinstance(amount, ByAge):
        return amount.total
    if np.isscalar(amount) or np.ndim(amount) == 0:
        return float(amount) * n_rows
    return float(np.sum(amount, dtype=np.float64))


@dataclass(frozen=True)
class ByAge:
    """Amounts that depend only on the recipient's age, by_age[ages] (THB/year per person of each recipient), held
    as the recipients' ages (uint8, aligned with a SchemeYear's `rows`) and the [age] table: an eighth of a float64
    per recipient (peak memory of the health schemes, which cover most of the population). `total` is np.sum of
    the per-recipient array and `sums_by_code` the distribution's sums of it, bit for bit, without making it."""

    ages: np.ndarray
    by_age: np.ndarray
    total: float  # np.sum(values()), summed with the ages (`of`)

    @classmethod
    def of(cls, ages: np.ndarray, by_age: np.ndarray, weights: np.ndarray | None = None) -> tuple["ByAge", float]:
        """(the amounts by_age[ages], np.sum(weights[ages]) of another [age] table, e.g. the relative costs the
        amounts are a multiple of; 0.0 without), both sums in one pass over the ages."""
        by_age = np.ascontiguousarray(by_age, dtype=np.float64)
        other = by_age if weights is None else np.ascontiguousarray(weights, dtype=np.float64)
        total, weighted = kernels.pairwise_sums_by_age(ages, by_age, other)
        return cls(ages, by_age, float(total)), (0.0 if weights is None else float(weighted))

    def values(self) -> np.ndarray:
        """[recipients] THB/year per person of each recipient (float64)."""
        return self.by_age[self.ages]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """`values()`, for numpy functions given the amounts (np.asarray, np.round, ...)."""
        values = self.values()
        return values if dtype is None else values.astype(dtype)

    def sums_by_code(self, code: np.ndarray, rows: np.ndarray, n_regions: int) -> tuple[np.ndarray, np.ndarray]:
        """([decile], [region]) THB of the amounts of `rows` summed by their `code` (decile × 8 + region) in the
        order of `rows`: model.fiscal.kernels.sums_by_code of `values()`."""
        return kernels.sums_by_code_by_age(code, rows, self.ages, self.by_age, n_regions)


@dataclass(frozen=True)
class RowAmounts:
    """Amounts held for some rows only: `rows` (unique row indices) and `amount` (THB/year per person of each row,
    aligned with `rows`)."""

    rows: np.ndarray
    amount: np.ndarray

    def total(self) -> float:
        """THB/year over the rows (multiply by the population's scale for persons)."""
        return float(np.sum(self.amount, dtype=np.float64))


@dataclass
class SchemeYear:
    """One scheme's flows in one calendar year, held for its recipients only (most schemes pay few rows).

    size: rows in the population.
    rows: row indices of the recipients (unique): persons the scheme pays or covers during the year (kept as int32
        while the rows fit 32 bits); reading them once freed (`drop_rows`) raises, `n_rows` counts them still.
    amount: THB/year paid to (or spent on) each recipient, aligned with `rows`, or one value for all of them, or
        by age (`ByAge`); the scheme's cost attributable to persons (None once freed: `drop_row_amounts`).
    pooled_cost: THB/year of costs not attributable to rows (e.g. branches costed per insured person).
    contributions: THB/year received, by payer (insured, employer, government), whole population.
    branch_benefits / branch_contributions: THB/year by SSF branch (Social Security Fund schemes only).
    cash: whether `amount` is cash income of the person (counts in after-transfer poverty).
    cash_amount: THB/year of the cash part per recipient, for a scheme paying both in kind and in cash.
    insurable_wages: THB/year of wages on which contributions were paid (SSF schemes only).
    unemployment_beneficiaries: persons paid the SSF unemployment benefit in an average month (section 33 only).
    insured_by_row: the contributions the insured pay themselves, by row (THB/year per person of each row), for a
        contributory scheme that reports them; × scale they sum to contributions["insured"]. None: not reported
        (results by income decile and region then hold the scheme's insured contributions as pooled).
    monthly_cost / monthly_recipients / monthly_contributions: [12] THB, persons, THB in each month (January
        first), whole population, summing to the year's cost (with `pooled_cost`) and contributions; None: the
        same in every month (the year's flows spread evenly, every recipient counted in every month), which a
        scheme may leave only when its rule pays alike each month, and says so.
    """

    size: int
    rows: np.ndarray = field(repr=False)  # deleted by `drop_rows` (then `__getattr__` raises)
    amount: np.ndarray | float | ByAge | None
    pooled_cost: float = 0.0
    contributions: dict[str, float] = field(default_factory=dict)
    branch_benefits: dict[str, float] = field(default_factory=dict)
    branch_contributions: dict[str, float] = field(default_factory=dict)
    cash: bool = True
    insurable_wages: float = 0.0
    unemployment_beneficiaries: float = 0.0
    cash_amount: np.ndarray | None = None
    monthly_cost: np.ndarray | None = None
    monthly_recipients: np.ndarray | None = None
    monthly_contributions: np.ndarray | None = None
    insured_by_row: RowAmounts | None = None
    row_sums: Any = None  # what a year's reductions made of the per-row amounts (model.fiscal.reductions)
    kept_total: float | None = None  # `total()`, kept when the per-row amounts are freed (`drop_row_amounts`)
    amounts_dropped: bool = False  # every per-row amount, cash too, was freed (`drop_row_amounts()`)
    pays_cash: bool = field(init=False, default=False)  # `cash_amounts()` is not None: known once amounts are freed
    kept_count: int | None = field(init=False, default=None)  # `rows.size`, kept when the rows are freed

    def __post_init__(self) -> None:
        if self.rows.dtype.itemsize > 4 and self.size < 2**31:  # kept until the indicators: half the memory
            self.rows = self.rows.astype(np.int32)
        self.pays_cash = self.cash_amounts() is not None
        held = self.insured_by_row
        if held is not None and isinstance(held.rows.base, np.ndarray) and held.rows.base.size > held.rows.size + 1:
            self.insured_by_row = RowAmounts(held.rows.copy(), held.amount)  # a slice would keep its whole array

    @classmethod
    def paid(cls, size: int, rows: np.ndarray, amount: np.ndarray, **fields: object) -> "SchemeYear":
        """The flows of a scheme whose recipients are the `rows` (candidates) with a positive `amount` (THB/year)."""
        positive = amount > 0
        if np.count_nonzero(positive) < positive.size:
            rows, amount = np.compress(positive, rows), np.compress(positive, amount)
        return cls(size=size, rows=rows, amount=amount, **fields)

    def __getattr__(self, name: str) -> Any:
        """Called only for an attribute not found: `rows` once freed (`drop_rows`) raises, so that a reader coming
        after the freeing fails instead of reading nothing."""
        if name == "rows":
            raise RuntimeError("the scheme's rows were freed once the year's reductions read them "
                               "(SchemeYear.drop_rows)")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def n_rows(self) -> int:
        """Recipients (rows): `rows.size`, kept when the rows are freed (`drop_rows`)."""
        return self.rows.size if self.kept_count is None else self.kept_count

    def total(self) -> float:
        """THB/year paid to the rows (multiply by the population's scale for persons)."""
        if self.kept_total is not None:
            return self.kept_total
        if self.amount is None:
            raise RuntimeError("the scheme's per-row amounts were dropped (SchemeYear.drop_row_amounts)")
        return _total(self.amount, self.n_rows)

    def by_month(self, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """([12] THB cost, [12] persons paid, [12] THB contributions) in each month, whole population (`scale`:
        persons per row); the unset ones spread evenly."""
        cost = self.monthly_cost
        if cost is None:
            cost = np.full(12, (self.total() * scale + self.pooled_cost) / 12.0)
        recipients = self.monthly_recipients
        if recipients is None:
            recipients = np.full(12, float(self.n_rows * scale))
        contributions = self.monthly_contributions
        if contributions is None:
            contributions = np.full(12, sum(self.contributions.values()) / 12.0)
        return cost, recipients, contributions

    def drop_row_amounts(self, keep_cash: bool = False) -> None:
        """Free the amounts held per recipient once the year's reductions have read them, keeping their `total()`
        (peak memory): the in-kind amounts and the insured's own contributions by row and, unless `keep_cash`, the
        cash amounts too. The one way amounts are freed: with `keep_cash` as soon as the scheme's sums by decile and
        region are made (model.fiscal.reductions), the cash then kept for the rows' cash income in float32
        when every value is exact in it (the same sums, half the memory); without it once the year's indicators read
        only `rows`. Reading a freed amount afterwards raises."""
        if self.kept_total is None and self.amount is not None:
            self.kept_total = self.total()
        self.insured_by_row = None
        if not keep_cash:
            self.amount = None
            self.cash_amount = None
            self.amounts_dropped = True
            return
        if self.cash_amount is not None:
            self.amount = None  # in kind (the cash part is `cash_amount`)
            self.cash_amount = _narrowed(self.cash_amount)
        elif self.cash:
            self.amount = _narrowed(self.amount)
        else:
            self.amount = None

    def drop_rows(self) -> None:
        """Free the recipients' rows as well as their amounts (`drop_row_amounts`), once the year has read what it
        needs of them (what each row receives, the sums by decile and region and the health cost drivers, made as
        the scheme is computed: model.fiscal.reductions; the cash column, `SchemesYear.cash_income`): the rest of
        the year reads only the totals and `n_rows` (peak memory). Reading `rows` afterwards raises."""
        self.drop_row_amounts()
        if "rows" in self.__dict__:
            self.kept_count = self.rows.size
            del self.rows

    def cash_amounts(self) -> np.ndarray | float | None:
        """THB/year of cash income of each recipient (aligned with `rows`), or None for a benefit wholly in kind
        (also once its amounts are freed: it had none to free)."""
        if self.amounts_dropped:
            if not self.pays_cash:
                return None
            raise RuntimeError("the scheme's per-row amounts were dropped (SchemeYear.drop_row_amounts)")
        if self.cash_amount is not None:
            return self.cash_amount
        return self.amount if self.cash else None

    def _dense(self, values: np.ndarray | float | ByAge | None, dtype: type = np.float64) -> np.ndarray:
        out = np.zeros(self.size, dtype=dtype)
        if isinstance(values, ByAge):
            values = values.values()
        if values is not None:
            out[self.rows] = values
        return out

    @property
    def benefit(self) -> np.ndarray:
        """THB/year per row of the whole population (0 for non-recipients)."""
        if self.amount is None:
            raise RuntimeError("the scheme's per-row amounts were freed once reduced (SchemeYear.row_sums)")
        return self._dense(self.amount)

    @property
    def cash_benefit(self) -> np.ndarray:
        """THB/year of cash income per row of the whole population."""
        return self._dense(self.cash_amounts())

    def recipient_mask(self) -> np.ndarray:
        """Rows receiving the scheme's benefit this year, over the whole population (bool)."""
        return self._dense(True, bool)


def _narrowed(amount: np.ndarray | float | None) -> np.ndarray | float | None:
    """`amount` as float32 when it is a float64 array (not a broadcast value) whose every value float32 holds
    exactly (whole THB amounts), else itself: a sum of it taken value by value (the rows' cash income) is the same
    (numpy's np.sum of a float32 array is not: the total is kept before, `SchemeYear.kept_total`)."""
    if not isinstance(amount, np.ndarray) or amount.dtype != np.float64 or amount.ndim != 1 or amount.strides[0] == 0:
        return amount
    return amount.astype(np.float32) if kernels.exact_in_float32(amount) else amount
