"""All schemes, the lists built from their declarations, and the yearly aggregation of what they pay and receive.

The scheme modules are found, not named: every module of this package with a `SCHEME` declaration is a scheme,
placed in results (the `scheme` coordinate) by its declared `order`. Every other list of schemes (financing, health cover, labels, run order) is built here from the
modules' `SCHEME` declarations (model/schemes/declaration.py), and checked when the package loads: unique names
and take-up draws, known dependencies without a cycle.
"""

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import kernels
from .base import PAYERS, SSF_BRANCHES, SchemeYear, YearContext
from .declaration import Scheme


def _scheme_modules() -> tuple[ModuleType, ...]:
    """Every module of this package that declares a scheme (a module-level `SCHEME`), in the declared order;
    ValueError if a module's name is not its scheme's name or two schemes share a place."""
    modules = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        module = importlib.import_module(f"{__package__}.{info.name}")
        scheme = getattr(module, "SCHEME", None)
        if isinstance(scheme, Scheme):
            if scheme.name != info.name:
                raise ValueError(f"module {info.name!r} declares the scheme {scheme.name!r}: name them alike")
            modules.append(module)
    modules.sort(key=lambda module: module.SCHEME.order)
    orders = [module.SCHEME.order for module in modules]
    if len(set(orders)) < len(orders):
        raise ValueError(f"two schemes declare the same order: {sorted(orders)}")
    return tuple(modules)


_MODULES: tuple[ModuleType, ...] = _scheme_modules()


def _check(declarations: Iterable[Scheme]) -> dict[str, Scheme]:
    """The declarations by name; ValueError if two share a name or a take-up draw, or a dependency is unknown."""
    by_name: dict[str, Scheme] = {}
    draws: dict[int, str] = {}
    for scheme in declarations:
        if scheme.name in by_name:
            raise ValueError(f"scheme {scheme.name!r} is declared twice")
        if scheme.take_up is not None and scheme.take_up in draws:
            raise ValueError(f"schemes {draws[scheme.take_up]!r} and {scheme.name!r} declare the same take-up draw "
                             f"{scheme.take_up}")
        by_name[scheme.name] = scheme
        if scheme.take_up is not None:
            draws[scheme.take_up] = scheme.name
    for scheme in by_name.values():
        unknown = [d for d in scheme.depends_on if d not in by_name]
        if unknown:
            raise ValueError(f"scheme {scheme.name!r} depends on {unknown[0]!r}, which is not a scheme")
    return by_name


def run_order(declarations: dict[str, Scheme]) -> tuple[str, ...]:
    """The schemes in an order that computes each after the schemes it depends on, otherwise in the declarations'
    order (a stable topological sort); ValueError on a cycle of dependencies."""
    order: list[str] = []
    waiting = list(declarations)
    while waiting:
        ready = next((name for name in waiting if all(d in order for d in declarations[name].depends_on)), None)
        if ready is None:
            raise ValueError(f"schemes {waiting} depend on each other in a cycle")
        order.append(ready)
        waiting.remove(ready)
    return tuple(order)


DECLARATIONS: dict[str, Scheme] = _check(module.SCHEME for module in _MODULES)
"""Each scheme's declaration by name, in the order of the result contract."""
SCHEME_MODULES: dict[str, ModuleType] = {module.SCHEME.name: module for module in _MODULES}
SCHEMES: tuple[str, ...] = tuple(DECLARATIONS)
"""The scheme names in the order of the result contract (the `scheme` coordinate of results)."""
RUN_ORDER: tuple[str, ...] = run_order(DECLARATIONS)
"""The order schemes make their yearly state changes (`advance`) in each year: every scheme after those it depends
on."""
_FIRST_KINDS: tuple[str, ...] = ("health", "social_insurance")
"""The kinds of scheme computed first, in this order (COMPUTE_ORDER)."""


def _first(name: str) -> int:
    """The place of the scheme's kind in _FIRST_KINDS (after them: their number)."""
    kind = DECLARATIONS[name].kind
    return _FIRST_KINDS.index(kind) if kind in _FIRST_KINDS else len(_FIRST_KINDS)


COMPUTE_ORDER: tuple[str, ...] = run_order({name: DECLARATIONS[name] for name in sorted(DECLARATIONS, key=_first)})
"""The order the schemes' results are computed in each year: the run order with the health schemes first, then the
social insurance schemes. A run's year frees the health schemes' rows (most of the population) as soon as they are
reduced (model.fiscal.reductions) but holds the paying schemes' to the cash income: computed first, the schemes with
the largest temporaries (the health schemes' members, the insured's wages and contributions) do not hold them along
with the other schemes' results (peak memory). Any order computing each scheme after those it depends on gives the
same results (the computations only read the population)."""


def names(**fields: object) -> tuple[str, ...]:
    """The schemes (in the contract's order) whose declarations have the given values, e.g. names(kind="health")."""
    return tuple(name for name, scheme in DECLARATIONS.items()
                 if all(getattr(scheme, field) == value for field, value in fields.items()))


HEALTH_SCHEMES: tuple[str, ...] = names(kind="health")
"""Health cover reaches every Thai, so it does not count towards social-protection coverage indicators."""


@dataclass(frozen=True)
class SchemesYear:
    """Every scheme's flows in one calendar year (whole population)."""

    recipients: np.ndarray  # [scheme] persons
    benefit_cost: np.ndarray  # [scheme] THB
    contributions_by_payer: np.ndarray  # [scheme, payer] THB
    ssf_branch_benefits: np.ndarray  # [branch] THB
    ssf_branch_contributions: np.ndarray  # [branch] THB
    insurable_wages: np.ndarray  # [scheme] THB, wages on which SSF contributions were paid
    ssf_unemployment_beneficiaries: float  # persons paid the SSF unemployment benefit in an average month
    schemes: dict[str, SchemeYear]  # each scheme's flows, held for its recipients
    cost_by_month: np.ndarray | None = None  # [month, scheme] THB; the months sum to benefit_cost
    recipients_by_month: np.ndarray | None = None  # [month, scheme] persons paid in the month
    contributions_by_month: np.ndarray | None = None  # [month, scheme] THB; the months sum to the contributions

    @property
    def size(self) -> int:
        """Rows in the population."""
        return next(iter(self.schemes.values())).size

    def cash_income(self, free_rows: bool = False) -> np.ndarray:
        """[rows] THB/year of cash benefits each row receives from all schemes (`cash_blocks` as one block)."""
        ((_, cash),) = self.cash_blocks(max(self.size, 1), free_rows)
        return cash

    def cash_blocks(self, rows_per_block: int, free_rows: bool = False) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, [rows of the block] THB/year of cash benefits each row receives from all schemes) for the
        blocks of `rows_per_block` rows in order, so that no reader needs the whole-length column at once (peak
        memory). Each row's amounts are added scheme by scheme in the contract's order, in float32 (enough for a
        poverty test, and half the memory traffic): the same values whatever the blocks. The block's array is
        reused for the next block. With `free_rows`, the schemes' rows and amounts are freed once read
        (`SchemeYear.drop_rows`: the last reader of them in a run's year; a run's year has freed those of the
        schemes paying no cash as soon as they were reduced)."""
        paying = []  # (rows ascending, their amounts: an array aligned with them, or one amount for every row)
        for result in self.schemes.values():
            if result.pays_cash:
                rows, income = result.rows, result.cash_amounts()
                # records' rows are in no order: sorted for blocks (one block adds them in any order, each row once)
                if rows.size > 1 and rows_per_block < self.size and not kernels.ascending(rows):
                    order = np.argsort(rows)
                    rows = rows[order]
                    income = income[order] if _per_row(income) else income
                paying.append((rows, income))
            if free_rows:
                result.drop_rows()  # the arrays read are held by `paying` until the last block
        cash = np.empty(min(rows_per_block, self.size), dtype=np.float32)
        done = [0] * len(paying)  # rows of each scheme in the blocks before
        for first in range(0, self.size, rows_per_block):
            block = cash[:min(rows_per_block, self.size - first)]
            block.fill(0)
            for k, (rows, income) in enumerate(paying):
                if _per_row(income):  # block[rows - first] += income up to the block's end, in one pass
                    done[k] = kernels.add_block(block, rows, income, first, done[k])
                    continue
                end = int(np.searchsorted(rows, first + block.size)) if first or block.size < self.size else rows.size
                in_block = rows[done[k]:end] - first if first else rows[done[k]:end]
                block[in_block] += income  # rows are unique within a scheme
                done[k] = end
            yield first, block
        if self.size == 0:
            yield 0, cash


def _per_row(income: np.ndarray | float) -> bool:
    """Whether a scheme's cash amounts are one per recipient (else one amount for all, added as numpy adds it)."""
    return isinstance(income, np.ndarray) and income.ndim == 1


def initialise_schemes(ctx: YearContext) -> None:
    """Set the schemes' state columns of the base population (claims made before the base year)."""
    for name in RUN_ORDER:
        if hasattr(SCHEME_MODULES[name], "initialise"):
            SCHEME_MODULES[name].initialise(ctx)


def apply_schemes(ctx: YearContext, state_params: ParameterTree | None = None) -> SchemesYear:
    """Run each scheme's yearly state changes (pension claims) in the run order, reading their parameters through
    `state_params` when given (a recording view of `ctx.params`: model.population.remembered_path), then compute
    every scheme on the same state, once each (`YearContext.result`: a result another scheme asked for is kept), in
    COMPUTE_ORDER; the results come in the contract's order. The computations only read the population, so they
    run on several threads, each scheme after those it depends on (`model.threads`); each result is the same
    whatever the number of threads."""
    recording = state_params is not None and state_params is not ctx.params
    changing = dataclasses.replace(ctx, params=state_params) if recording else ctx
    for name in RUN_ORDER:
        if hasattr(SCHEME_MODULES[name], "advance"):
            SCHEME_MODULES[name].advance(changing)
    scale = ctx.persons.scale
    threads.in_dependency_order(COMPUTE_ORDER, {name: DECLARATIONS[name].depends_on for name in RUN_ORDER},
                                ctx.result)
    computed = {name: ctx.result(name) for name in RUN_ORDER}
    results = {name: computed[name] for name in SCHEMES}
    for key in [key for key in ctx.shared if key.startswith("rows.")]:
        del ctx.shared[key]  # row lists of whole-population size, no longer read: freed (peak memory)

    def by_branch(field: str) -> np.ndarray:
        return np.array([sum(getattr(r, field).get(b, 0.0) for r in results.values()) for b in SSF_BRANCHES])

    benefit_cost = np.array([r.total() * scale + r.pooled_cost for r in results.values()])
    contributions_by_payer = np.array([[r.contributions.get(p, 0.0) for p in PAYERS] for r in results.values()])
    by_month = monthly_flows(results, scale, benefit_cost, contributions_by_payer.sum(axis=1))
    return SchemesYear(
        recipients=np.array([r.n_rows * scale for r in results.values()], dtype=float),
        benefit_cost=benefit_cost,
        contributions_by_payer=contributions_by_payer,
        ssf_branch_benefits=by_branch("branch_benefits"),
        ssf_branch_contributions=by_branch("branch_contributions"),
        insurable_wages=np.array([r.insurable_wages for r in results.values()], dtype=float),
        ssf_unemployment_beneficiaries=sum(r.unemployment_beneficiaries for r in results.values()),
        schemes=results,
        cost_by_month=by_month[0],
        recipients_by_month=by_month[1],
        contributions_by_month=by_month[2],
    )


def monthly_flows(results: dict[str, SchemeYear], scale: float, benefit_cost: np.ndarray,
                  contributions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """[month, scheme] THB cost, persons paid and THB contributions in each month of the year; checks that each
    scheme's months sum to its year (`benefit_cost`, `contributions`: [scheme] THB), so a scheme whose monthly
    flows disagree with its yearly ones stops the run instead of giving fiscal years that do not add up."""
    cost, recipients, received = (np.column_stack(parts) for parts in
                                  zip(*(r.by_month(scale) for r in results.values())))
    for name, by_month, year in (("cost", cost, benefit_cost), ("contributions", received, contributions)):
        bad = ~np.isclose(by_month.sum(axis=0), year, rtol=1e-9, atol=1e-3)
        if bad.any():
            scheme = list(results)[int(np.flatnonzero(bad)[0])]
            raise RuntimeError(f"scheme {scheme}: monthly {name} sum to {by_month.sum(axis=0)[bad][0]:.6g} THB, "
                               f"not the year's {year[bad][0]:.6g} THB")
    return cost, recipients, received
