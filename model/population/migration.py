"""International migration by nationality: migrant workers arrive and return, Thai nationals take the rest.

WPP gives net migrants by sex and single age; the population reproduces them exactly in every sex-age cell (so the
cohort projection and the accounting identity of model.population.demography hold as before). Within each cell the
net flow is split into gross flows by nationality (parameters under `population.migration`):

1. Returns of non-Thai migrant workers (the `migrant_worker` column: registered workers from Cambodia, Lao PDR,
   Myanmar and Viet Nam, none older than `population.nationality.migrant_worker_max_age`):
   - workers past the oldest working age return home (`return_after_max_age`);
   - in cells where WPP's net is negative (about ages 27-60: WPP's own age pattern of returns), workers leave
     with probability |net| / workers of the cell, at most 1;
   - every other worker returns with `return_rate` a year and is replaced by a new worker of the same sex and age
     (fixed-term permits: the persons change, their number does not; they leave with their records).
2. Arrivals of new migrant workers bring the stock to `migrant_worker_stock` of the next 1 July, spread over the
   working-age cells in proportion to WPP's positive net there (WPP's age pattern of arrivals), whole rows by
   randomised largest remainders, so the stock meets its path to one row. A stock above the path is reduced by
   extra returns instead.
3. Thai nationals take the rest of each cell's net, WPP net − (worker arrivals − worker returns): Thai emigrants
   where it is negative (they leave with probability |rest| / Thai residents of the cell, at most 1) and
   returning Thai emigrants where it is positive (new Thai rows).

So the Thai flow is the counterpart, by age, of what the workers' own flows leave of WPP's net: mostly Thai
emigration at the young ages where arrivals exceed WPP's inflow, and Thai returns around the oldest working age
where workers going home exceed WPP's outflow. Other non-Thai residents (families, stateless persons, the older
residents beyond the Thai registration) do not migrate. Every draw is from the "migration" stream, in a fixed order.
"""

from dataclasses import dataclass

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import kernels
from .axes import AGES, N_AGES
from .lookup import param
from .persons import Persons
from .sampling import bernoulli_rows, bernoulli_where

N_CELLS = 2 * N_AGES


@dataclass(frozen=True)
class MigrationParameters:
    """The migration rules of one step, from 1 July of `year` to 1 July of `year + 1`."""

    stock: float  # registered migrant workers wanted on 1 July of year + 1 (persons)
    return_rate: float  # yearly probability that a worker returns and is replaced (fraction/year)
    min_age: int  # youngest age of arriving workers (years)
    max_age: int  # oldest age of a registered worker (years)
    return_after_max_age: bool  # workers past max_age go home


@dataclass(frozen=True)
class MigrationFlows:
    """Persons migrating in one step by sex and age on 1 July of t+1 ([sex, age] arrays)."""

    net: np.ndarray  # all residents, arrivals less departures
    worker_arrivals: np.ndarray  # new non-Thai migrant workers
    worker_returns: np.ndarray  # non-Thai migrant workers going home
    thai: np.ndarray  # Thai nationals, returning emigrants less emigrants


def migration_parameters(params: ParameterTree, year: int) -> MigrationParameters:
    """The parameters of the step from 1 July `year`: the stock is the one in force on 1 July `year + 1`."""
    return MigrationParameters(
        stock=param(params, "population.migration.migrant_worker_stock", year + 1),
        return_rate=param(params, "population.migration.return_rate", year),
        min_age=int(param(params, "population.nationality.migrant_worker_min_age", year)),
        max_age=int(param(params, "population.nationality.migrant_worker_max_age", year)),
        return_after_max_age=bool(param(params, "population.migration.return_after_max_age", year)))


def arrival_profile(net_migrants: np.ndarray, min_age: int, max_age: int) -> np.ndarray:
    """[sex, age] shares (summing to 1) of arriving workers: WPP's positive net over ages min_age..max_age, or
    evenly over those ages when WPP has no inflow there."""
    working = (AGES >= min_age) & (AGES <= max_age)
    weight = np.where(working, np.maximum(net_migrants, 0.0), 0.0)
    if weight.sum() <= 0:
        weight = np.broadcast_to(working, net_migrants.shape).astype(float)
    return weight / weight.sum()


def whole_rows(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole numbers per cell, each the floor or ceiling of `expected` (>= 0), summing to round(sum): the leftover
    units go to cells drawn without replacement with probability in proportion to their fractional parts."""
    flat = np.asarray(expected, dtype=float).ravel()
    out = np.floor(flat)
    remainder = flat - out
    short = int(round(flat.sum())) - int(out.sum())
    if short > 0:
        out[rng.choice(flat.size, short, replace=False, p=remainder / remainder.sum())] += 1
    return out.astype(np.int64).reshape(np.shape(expected))


def others_and_workers(persons: Persons, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the migrant workers' rows, ascending; [cell] the non-Thai rows), counted block by block on threads (integer
    counts added afterwards, rows joined in block order: the same whatever the threads)."""
    parts = threads.blocks(len(persons))
    others = np.zeros((len(parts), N_CELLS), dtype=np.intp)
    found: list[np.ndarray] = [np.zeros(0, dtype=np.intp)] * len(parts)

    def work(i: int, rows: slice) -> None:
        flag = persons.migrant_worker[rows]
        workers = np.empty(np.count_nonzero(flag), dtype=np.intp)
        kernels.others_and_flagged(cell[rows], persons.thai[rows], flag, others[i], workers)
        found[i] = workers + rows.start if rows.start else workers

    threads.for_blocks(work, len(persons))
    return (np.concatenate(found) if found else np.zeros(0, dtype=np.intp)), others.sum(axis=0)


def migrate_by_nationality(persons: Persons, net_migrants: np.ndarray, p: MigrationParameters,
                           rng: np.random.Generator) -> MigrationFlows:
    """Apply one year's net migration [sex, age after ageing] (persons) as the gross flows of the module docstring;
    returns the flows realised (persons). Rows of returning workers and Thai emigrants are dropped, arriving
    workers and Thai returnees appended (other columns at their defaults, given attributes later)."""
    scale = persons.scale
    cell = persons.cells
    # the workers' rows, and the non-Thai rows by cell (Thai rows by cell are every row less these few)
    workers, others = others_and_workers(persons, cell)
    worker_cell = cell[workers]
    worker_age = persons.age[workers]
    working = worker_age <= p.max_age

    aged_out = ~working if p.return_after_max_age else np.zeros(workers.size, bool)
    in_cell = np.bincount(worker_cell[working], minlength=N_CELLS)
    outflow = np.maximum(-net_migrants.ravel() / scale, 0.0)
    leave_p = np.minimum(np.divide(outflow, in_cell, out=np.zeros(N_CELLS), where=in_cell > 0), 1.0)
    leaving = np.zeros(workers.size, bool)
    leaving[bernoulli_rows(leave_p, worker_cell, rng)] = True
    leaving &= working
    staying = working & ~leaving
    circulating = staying & (rng.random(workers.size) < p.return_rate)
    returning = aged_out | leaving | circulating
    if not p.return_after_max_age:
        persons.migrant_worker[workers[~working]] = False  # past the working ages: residents, no longer workers

    replaced = np.bincount(worker_cell[circulating], minlength=N_CELLS)
    need = p.stock / scale - (np.count_nonzero(staying))  # circulating workers are replaced one for one
    arrivals = replaced.copy()
    if need >= 0:
        arrivals += whole_rows(need * arrival_profile(net_migrants, p.min_age, p.max_age).ravel(), rng)
    else:  # above the path: extra returns among the staying workers, without replacement
        extra = staying & ~circulating & (rng.random(workers.size) < -need / max(np.count_nonzero(staying), 1))
        returning |= extra
    returns = np.bincount(worker_cell[returning], minlength=N_CELLS)

    thai_rest = net_migrants.ravel() / scale - (arrivals - returns)  # rows
    thai_in_cell = persons.rows_by_cell() - others
    emigrate_p = np.minimum(np.divide(np.maximum(-thai_rest, 0.0), thai_in_cell, out=np.zeros(N_CELLS),
                                      where=thai_in_cell > 0), 1.0)
    emigrants = bernoulli_where(emigrate_p, cell, rng, persons.thai)  # no list of every Thai row
    inflow = np.maximum(thai_rest, 0.0)
    returnees = (np.floor(inflow) + (rng.random(N_CELLS) < inflow % 1.0)).astype(np.int64)
    thai_net = returnees - np.bincount(cell[emigrants], minlength=N_CELLS)

    persons.drop(np.sort(np.concatenate([workers[returning], emigrants])))
    for counts, values in ((arrivals, {"migrant_worker": True}), (returnees, {"thai": True})):
        new_cell = np.repeat(np.arange(N_CELLS), counts)
        persons.append(dict(values, sex=new_cell // N_AGES, age=new_cell % N_AGES), new_cell.size)

    def persons_by_cell(rows: np.ndarray) -> np.ndarray:
        return (rows * scale).reshape(2, N_AGES)

    return MigrationFlows(net=persons_by_cell(arrivals - returns + thai_net),
                          worker_arrivals=persons_by_cell(arrivals), worker_returns=persons_by_cell(returns),
                          thai=persons_by_cell(thai_net))


class ByNationality:
    """The `migrate` step of model.population.demography.step_demography under these parameters; `flows` holds the
    last step's gross flows."""

    def __init__(self, parameters: MigrationParameters):
        self.parameters = parameters
        self.flows: MigrationFlows | None = None

    def __call__(self, persons: Persons, net_migrants: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        self.flows = migrate_by_nationality(persons, net_migrants, self.parameters, rng)
        return self.flows.net


def migration_records(flows: MigrationFlows) -> dict[str, np.ndarray]:
    """The result records of one step's flows (model.results): net migrants by nationality (index 0 Thai, 1
    non-Thai, as results.NATIONALITIES) and the workers' arrivals and returns (persons)."""
    return {"net_migration_by_nationality": np.stack([flows.thai, flows.net - flows.thai]),
            "migrant_worker_arrivals": flows.worker_arrivals.sum(),
            "migrant_worker_returns": flows.worker_returns.sum()}
