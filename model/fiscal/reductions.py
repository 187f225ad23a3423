"""What a run's year reads of the schemes' per-row results, made from each scheme's result as soon as it is computed.

A scheme's result holds its recipients' rows (int32) and amounts; at full scale the health schemes alone hold most
of the population's rows. The year's readers of them are order-independent or per scheme: the sums by income
decile and region (model.fiscal.distribution.row_sums, each scheme's own sums in the order of its rows), what each
row receives (model.fiscal.mpi: a bitwise OR of each scheme's rows into one byte a row), the health schemes'
age-weighted members (model.schemes.health_cost, each scheme's own sum) and the recipients' count
(`SchemeYear.n_rows`). `YearReductions`, installed as the context's REDUCE_ROWS hook, makes them all from each
result on the thread that computed it, then frees what nothing else reads (peak memory): the amounts paid in kind
and the insured's own contributions by row at once, and the rows of a scheme that pays no cash once the schemes that
read its result (its declared dependants: UCS reads the CSMBS beneficiaries) are computed too. The cash amounts and
their rows stay for the rows' cash income, summed over the schemes in the contract's order
(`SchemesYear.cash_blocks`), which frees them.
"""

import threading
from collections.abc import Callable

import numpy as np

from ..population.persons import Persons
from ..schemes import health_cost
from ..schemes.base import SchemeYear, YearContext
from ..schemes.registry import DECLARATIONS, SCHEMES
from . import distribution, mpi

READERS: dict[str, tuple[str, ...]] = {name: tuple(other for other, scheme in DECLARATIONS.items()
                                                   if name in scheme.depends_on) for name in DECLARATIONS}
"""[scheme] the schemes that read its result while they are computed (those that declare they depend on it)."""


class YearReductions:
    """The REDUCE_ROWS hook of a run's year (model.schemes.base): called with each scheme's result as soon as it is
    computed, possibly on several threads at once (model.threads.in_dependency_order).

    `code`: [row] decile × 8 + region of each row (`HouseholdTable.code`), or a function giving it, called when the
    first result is reduced (the table is then made on another thread while the first schemes are computed:
    model.simulation); `keep`: free nothing (a capture of the
    year's person frames reads every amount, model.fiscal.persons_year). `bits` ([row] uint8, `mpi.Support`) is
    made before the schemes run, so that each scheme's rows are OR-ed into it as soon as they are made; the OR is
    taken under a lock, as two threads must not OR into the same bytes at once."""

    def __init__(self, persons: Persons, code: np.ndarray | Callable[[], np.ndarray], keep: bool = False):
        self._code = code
        self.scale = persons.scale
        self.keep = keep
        self.bits = np.zeros(len(persons), dtype=np.uint8)
        self.weighted: dict[str, float] = {}  # [health scheme] age-weighted members, persons
        self._reduced: dict[str, SchemeYear] = {}
        self._lock = threading.Lock()

    @property
    def code(self) -> np.ndarray:
        """[row] decile × 8 + region of each row (waiting for it when a function gives it)."""
        return self._code if isinstance(self._code, np.ndarray) else self._code()

    def __call__(self, ctx: YearContext, name: str, result: SchemeYear) -> None:
        """Reduce the result of scheme `name` just computed: its sums by decile and region (kept in the result's
        `row_sums`), its age-weighted members (a health-cost scheme), its rows' bits; then free what no later
        reader needs (unless `keep`)."""
        result.row_sums = distribution.row_sums(result, self.code, self.scale)
        if name in health_cost.HEALTH_COST_SCHEMES:
            self.weighted[name] = health_cost.age_weighted_members(ctx, name, result.rows)
        if not self.keep:
            result.drop_row_amounts(keep_cash=True)
        with self._lock:
            mpi.add_recipients(self.bits, name, result.rows)
            self._reduced[name] = result
            if not self.keep:
                for scheme in (name, *DECLARATIONS[name].depends_on):
                    self._free_rows(scheme)

    def _free_rows(self, scheme: str) -> None:
        """Free the rows of `scheme` if it pays no cash (nothing else reads them), it is reduced and the schemes
        that read its result are computed (under the lock)."""
        done = self._reduced.get(scheme)
        if done is not None and not done.pays_cash and all(reader in self._reduced for reader in READERS[scheme]):
            done.drop_rows()

    def support(self, ctx: YearContext) -> mpi.Support:
        """What each row receives in the year (`mpi.support`): the schemes' bits set as they were computed, and the
        population's (pensions and medical care of no scheme's rows) added now; RuntimeError if a scheme's result
        was not reduced here (it would be missing from the bits)."""
        missing = [name for name in SCHEMES if name not in self._reduced]
        if missing:
            raise RuntimeError(f"scheme {missing[0]}: its result was not reduced as it was computed")
        mpi.add_population(ctx, self.bits)
        return mpi.Support(self.bits)

    def drivers(self, ctx: YearContext) -> dict[str, np.ndarray]:
        """The year's health cost drivers (`health_cost.drivers`) from the age-weighted members taken as each health
        scheme was computed."""
        return health_cost.drivers(ctx, self.weighted)
