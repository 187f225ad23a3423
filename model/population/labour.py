"""Labour status: the base-year structure by nationality, sex and single age, and the yearly transitions.

Base year (targets in calibration_targets.yaml, assumptions under `population.labour`):
- participation by sex and age from the 5-year bands of E1, graduated to single ages keeping each band's
  population-weighted mean, falling by a constant fraction per year of age within 65+;
- unemployment at the target rate, higher at 15-24;
- employed non-Thai residents: section 33 insured with a fixed share, otherwise informal uninsured;
- employed Thai nationals: civil servants (a constant share of employment between the entry and retirement ages),
  section 33 insured (the E5 age-sex profile less the migrants), section 39 members (the section 33 profile some
  years older), section 40 members (a constant share of the other informal workers up to the section 40 maximum
  age) and informal uninsured, with each scheme's total at its target;
- persons out of the labour force are retired from the old age (or from the section 33 pension age with a pension
  record), otherwise inactive.

Every year the expected share of each status group (the statuses, with inactive and retired together as "out of
work") in every nationality-sex-age cell stays at its base-year value (alignment). In a cell, each status keeps its
members up to the expected count, less a `churn` fraction that leaves anyway; leavers fill the cell's vacancies by
iterative proportional fitting over the allowed moves: section 39 only straight from section 33 and with the
months it requires, back to the same status (a job change within it) only where no other status has room, the
retired never return. Children turning 15 and immigrants
(who arrive with the default status "child") enter the labour market the same way. Civil servants past the
retirement age, and inactive persons from the section 33 pension age, are moved out of work, where the eligible
become retired. Persons who go out of work are retired from the old age or with a section 33 pension record.
A move from section 33 employment into unemployment is dated in `s33_left_year` of the SSF benefit record (the
section 33 unemployment benefit's claimants). `population.labour.unemployment_multiplier` scales the unemployed share
of every cell from a date, the jobs coming from or going to private work (a recession scenario).
"""

from collections.abc import Callable

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from .axes import N_AGES, SEXES
from .graduation import graduate
from . import kernels
from .lookup import BATCH, N_CELLS, band_ages, batches, cell_counts, cells, param
from .persons import Persons
from .sampling import categorical, uniform_batches
from .status import (CHILD, CIVIL_SERVANT, INACTIVE, INFORMAL, N_STATUSES, RETIRED, SSF_S33, SSF_S39, SSF_S40,
                     STATUSES, UNEMPLOYED, WORKING_AGE)
from .targets import Targets

N_GROUPS = 8
STAY_WEIGHT = 1e-3  # prior weight of a leaver's return to the same status (a job change within it)
OUT_OF_WORK = INACTIVE  # the group of inactive and retired persons
GROUP = np.arange(N_STATUSES)
GROUP[RETIRED] = OUT_OF_WORK
"""GROUP[status]: the alignment group; groups are the statuses 0..7, with 6 = out of the labour force."""
TO_GROUP = np.eye(N_GROUPS)[GROUP]  # [status, group] one-hot

ALLOWED = np.ones((N_STATUSES, N_GROUPS))
ALLOWED[:, CHILD] = 0.0  # nobody becomes a child again
ALLOWED[:, SSF_S39] = 0.0
ALLOWED[SSF_S33, SSF_S39] = 1.0  # section 39 only right after section 33 (A5.26)
ALLOWED[np.arange(CHILD), np.arange(CHILD)] = STAY_WEIGHT  # a leaver stays only where no other status has room
ALLOWED[RETIRED] = 0.0  # retirement is final
"""ALLOWED[status, group]: prior weight of the moves a leaver may make (0 = not allowed)."""

PARTICIPATION_BANDS = ("15_19", "20_24", "25_29", "30_34", "35_39", "40_44", "45_49", "50_54", "55_59", "60_64")
S33_BANDS = PARTICIPATION_BANDS[:-1] + ("60_plus",)
YOUTH = (15, 24)
IPF_ITERATIONS = 10
CLASSIFY_BLOCK = 1 << 20  # rows whose out-of-work status `classify_out_of_work` sets at once


def participation(population: np.ndarray, targets: Targets, params: ParameterTree, year: int) -> np.ndarray:
    """[sex, age] labour-force participation rate (fraction) from the E1 band targets."""
    ages = np.arange(N_AGES)
    out = np.zeros((2, N_AGES))
    decline = param(params, "population.labour.participation_decline_65_plus", year)
    for s, sex in enumerate(SEXES):
        rates = np.array([targets.value(f"lfpr.{sex}.{b}") for b in PARTICIPATION_BANDS])
        single = np.zeros(N_AGES)
        single[15:65] = graduate(rates * 5.0, np.arange(15, 70, 5))
        for band, rate in zip(PARTICIPATION_BANDS, rates):
            a = band_ages(band)
            weight = population[s, a] + 1e-9
            single[a] *= rate / (np.sum(single[a] * weight) / weight.sum())
        old = ages >= 65
        shape = np.exp(-decline * (ages[old] - 65))
        weight = population[s, old] + 1e-9
        single[old] = targets.value(f"lfpr.{sex}.65_plus") * shape * weight.sum() / np.sum(shape * weight)
        out[s] = np.clip(single, 0.0, 0.995)
    return out


def unemployment(lfpr: np.ndarray, population: np.ndarray, targets: Targets, params: ParameterTree,
                 year: int) -> np.ndarray:
    """[sex, age] unemployment rate (fraction of the labour force), `youth_unemployment_factor` times higher
    at 15-24, averaging the target rate."""
    ages = np.arange(N_AGES)
    factor = np.where((ages >= YOUTH[0]) & (ages <= YOUTH[1]),
                      param(params, "population.labour.youth_unemployment_factor", year), 1.0)
    labour_force = population * lfpr
    level = targets.value("unemployment_rate") * labour_force.sum() / max(np.sum(labour_force * factor), 1e-12)
    return np.where(lfpr > 0, level * factor, 0.0)


def civil_service_rate(employed: np.ndarray, targets: Targets, params: ParameterTree, year: int) -> np.ndarray:
    """[age] civil servants as a share of employed Thai nationals: a ramp over the entry ages, flat to the
    retirement age, scaled to the target count."""
    ages = np.arange(N_AGES)
    lo = param(params, "population.civil_service.entry_age_min", year)
    hi = param(params, "population.civil_service.entry_age_max", year)
    retire = param(params, "civil_service_pension.retirement_age", year)
    ramp = np.clip((ages - lo + 1) / (hi - lo + 1), 0.0, 1.0) * (ages <= retire)
    return ramp * targets.value("civil_servants") / max(np.sum(employed * ramp), 1e-12)


def s33_rate(employed: np.ndarray, migrants_s33: np.ndarray, targets: Targets, params: ParameterTree,
             year: int) -> np.ndarray:
    """[sex, age] section 33 insured as a share of employed Thai nationals: the E5 count of each age band and
    sex, less the migrants insured there, spread over the band in proportion to employment."""
    total = targets.value("ssf_s33_insured")
    oldest = int(param(params, "population.labour.s33_oldest_age", year))
    out = np.zeros((2, N_AGES))
    for band in S33_BANDS:
        a = band_ages(band)
        a = a[a <= oldest]
        female = targets.value(f"s33_female_share.{band}")
        for s, sex_share in enumerate((1.0 - female, female)):
            count = total * targets.value(f"s33_age_share.{band}") * sex_share - migrants_s33[s, a].sum()
            out[s, a] = max(count, 0.0) / max(employed[s, a].sum(), 1e-12)
    return out


def s39_rate(employed: np.ndarray, thai_s33: np.ndarray, targets: Targets, params: ParameterTree,
             year: int) -> np.ndarray:
    """[sex, age] section 39 members as a share of employed Thai nationals: the Thai section 33 profile shifted
    `s39_age_shift` years older, scaled to the target count."""
    shift = int(param(params, "population.labour.s39_age_shift", year))
    shifted = np.zeros_like(thai_s33)
    shifted[:, shift:] = thai_s33[:, : N_AGES - shift]
    count = shifted * targets.value("ssf_s39_insured") / max(shifted.sum(), 1e-12)
    return np.divide(count, employed, out=np.zeros_like(count), where=employed > 0)


def base_shares(counts: np.ndarray, targets: Targets, params: ParameterTree, year: int) -> np.ndarray:
    """[thai, sex, age, group] expected share of each status group among the persons of a cell, given the
    [thai, sex, age] persons of the base year."""
    population = counts.sum(axis=0)
    lfpr = participation(population, targets, params, year)
    unemployed = lfpr * unemployment(lfpr, population, targets, params, year)
    employed = lfpr - unemployed
    ages = np.arange(N_AGES)
    shares = np.zeros((2, 2, N_AGES, N_GROUPS))
    shares[..., UNEMPLOYED] = unemployed
    shares[..., OUT_OF_WORK] = 1.0 - lfpr

    insurable = ages <= param(params, "population.labour.s33_oldest_age", year)
    migrants = employed * param(params, "population.nationality.migrant_s33_share", year) * insurable
    shares[0, ..., SSF_S33] = migrants
    shares[0, ..., INFORMAL] = employed - migrants

    thai_employed = counts[1] * employed
    cs = civil_service_rate(thai_employed, targets, params, year)[None, :]
    s33 = s33_rate(thai_employed, counts[0] * migrants, targets, params, year)
    s39 = s39_rate(thai_employed, thai_employed * s33, targets, params, year)
    formal = cs + s33 + s39
    if formal.max() > 1.0:
        raise ValueError(f"civil servants and section 33/39 insured exceed employment at ages "
                         f"{ages[formal.max(axis=0) > 1]}")
    s40_ages = (ages >= param(params, "ssf_s40.min_age", year)) & (ages <= param(params, "ssf_s40.max_age", year))
    informal = (1.0 - formal) * s40_ages
    s40 = informal * targets.value("ssf_s40_insured") / max(np.sum(thai_employed * informal), 1e-12)
    if s40.max() > 1.0:
        raise ValueError("section 40 members exceed the informal workers they are drawn from")
    for group, rate in ((CIVIL_SERVANT, cs), (SSF_S33, s33), (SSF_S39, s39), (SSF_S40, s40),
                        (INFORMAL, 1.0 - formal - s40)):
        shares[1, ..., group] = employed * rate
    shares[:, :, :WORKING_AGE] = 0.0
    shares[:, :, :WORKING_AGE, CHILD] = 1.0
    return shares


def shares_in_force(shares: np.ndarray, params: ParameterTree, year: int) -> np.ndarray:
    """The base shares with section 40 membership of Thai workers scaled by `population.labour.s40_uptake_multiplier`
    (capped by the informal workers of each cell, who make up the difference), then unemployment scaled by
    `population.labour.unemployment_multiplier` (`scale_unemployment`)."""
    multiplier = param(params, "population.labour.s40_uptake_multiplier", year)
    out = shares
    if multiplier != 1.0:
        out = shares.copy()
        pool = shares[1, ..., SSF_S40] + shares[1, ..., INFORMAL]
        out[1, ..., SSF_S40] = np.minimum(shares[1, ..., SSF_S40] * multiplier, pool)
        out[1, ..., INFORMAL] = pool - out[1, ..., SSF_S40]
    unemployment = param(params, "population.labour.unemployment_multiplier", year)
    return out if unemployment == 1.0 else scale_unemployment(out, unemployment)


PRIVATE_WORK = (SSF_S33, SSF_S39, SSF_S40, INFORMAL)
"""Employed groups whose jobs an unemployment shock takes or gives back (civil servants keep theirs)."""


def scale_unemployment(shares: np.ndarray, multiplier: float) -> np.ndarray:
    """[..., group] shares with the unemployed share of each cell times `multiplier` (at most the cell's unemployed
    and private employed together), the difference taken from or given to the PRIVATE_WORK groups in proportion to
    their shares: participation and every other group stay as they were. A cell without private work keeps its
    unemployed (there are no jobs to lose, nor shares to give them back by)."""
    out = shares.copy()
    private = shares[..., PRIVATE_WORK].sum(axis=-1)
    current = shares[..., UNEMPLOYED]
    unemployed = np.where(private > 0, np.minimum(current * multiplier, current + private), current)
    weights = np.divide(shares[..., PRIVATE_WORK], private[..., None], out=np.zeros_like(shares[..., PRIVATE_WORK]),
                        where=private[..., None] > 0)  # each private group's part of private work
    out[..., PRIVATE_WORK] = np.maximum(shares[..., PRIVATE_WORK] - (unemployed - current)[..., None] * weights, 0.0)
    out[..., UNEMPLOYED] = unemployed
    return out


def out_of_work_status(age: np.ndarray, ssf_months: np.ndarray, params: ParameterTree, year: int) -> np.ndarray:
    """RETIRED from the old age, or from the section 33 pension age with enough months for a pension; else INACTIVE."""
    old = age >= param(params, "population.labour.old_age", year)
    pension = (age >= param(params, "ssf_s33.pension.age", year)) & (
        ssf_months >= param(params, "ssf_s33.pension.min_contribution_months", year))
    return np.where(old | pension, RETIRED, INACTIVE).astype(np.int8)


def ssf_months(persons: Persons, rows: np.ndarray) -> np.ndarray:
    """Section 33 plus section 39 contribution months of the given rows (the pension record); `take` gathers small
    integers faster than indexing does."""
    return persons.s33_months.take(rows).astype(np.int32) + persons.s39_months.take(rows)


def initialise_status(persons: Persons, shares: np.ndarray, rng: np.random.Generator) -> None:
    """Draw each row's status group from its cell's base shares; out-of-work rows start as INACTIVE
    (`classify_out_of_work` splits them once contribution records exist)."""
    key, table = cells(persons), shares.reshape(N_CELLS, N_GROUPS)
    status = np.empty(len(persons), dtype=np.int8)
    for part, u in uniform_batches(rng, len(persons)):
        status[part] = categorical(key[part], table, u)
    persons.set("status", status)


def classify_out_of_work(persons: Persons, params: ParameterTree, year: int) -> None:
    """Split the inactive into retired and inactive by age and pension record."""
    for part in batches(len(persons), CLASSIFY_BLOCK):  # each row's own status: temporaries of a block only
        rows = part.start + np.flatnonzero(persons.status[part] == INACTIVE)
        persons.status[rows] = out_of_work_status(persons.age[rows], ssf_months(persons, rows), params, year)


def leave_rates(params: ParameterTree, year: int) -> tuple[np.ndarray, np.ndarray]:
    """([cell, status] annual probability of leaving beyond the net moves, [cell, status] forced moves).

    Forced: civil servants past the retirement age, and the inactive from the section 33 pension age or the old
    age, who are re-classified as retired when eligible; forced movers go out of the labour force.
    """
    rate = np.zeros(N_STATUSES)
    for s in (SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT, INFORMAL, UNEMPLOYED, INACTIVE):
        rate[s] = param(params, f"population.labour.churn.{STATUSES[s]}", year)
    age = np.tile(np.arange(N_AGES), 4)  # of each cell
    forced = np.zeros((N_CELLS, N_STATUSES), dtype=bool)
    forced[:, CIVIL_SERVANT] = age > param(params, "civil_service_pension.retirement_age", year)
    forced[:, INACTIVE] = age >= min(param(params, "ssf_s33.pension.age", year),
                                     param(params, "population.labour.old_age", year))
    return np.where(forced, 1.0, rate[None, :]), forced


def _ratio(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    """target / current, and 0 where current is 0: a margin without flow keeps none whatever its factor (factors
    never turn from 0 to non-zero), and 0 cannot overflow in later iterations as a huge factor would."""
    return target / np.where(current > 0, current, np.inf)


def ipf(leavers: np.ndarray, vacancies: np.ndarray) -> np.ndarray:
    """[cell, status, group] flows, proportional to the ALLOWED weights, whose sums by status are the leavers and,
    as far as the allowed moves permit, whose sums by group are the vacancies.

    Every scaling keeps the flows in the form a[cell, status] × ALLOWED[status, group] × b[cell, group], so the
    iterations scale the two factors (margins by small matrix products) and the flows are formed once at the end.
    """
    a = leavers.copy()
    b = np.ones_like(vacancies)
    for _ in range(IPF_ITERATIONS):
        b *= _ratio(vacancies, b * (a @ ALLOWED))
        a *= _ratio(leavers, a * (b @ ALLOWED.T))
    return a[:, :, None] * ALLOWED[None] * b[:, None, :]


def move_plan(counts: np.ndarray, shares: np.ndarray, leave_rate: np.ndarray, forced: np.ndarray) -> np.ndarray:
    """Given [cell, status] rows, [cell, group] target shares and [cell, status] leaving rates and forced moves:
    the [cell, status, group] probability that a row of the cell and status moves to the group (summing over groups
    to its probability of leaving, at most 1)."""
    expected = shares * counts.sum(axis=1, keepdims=True)
    keep = counts * (1.0 - leave_rate)
    kept = np.minimum(keep, expected[:, GROUP])
    kept[:, RETIRED] = counts[:, RETIRED]
    kept[:, INACTIVE] = np.clip(expected[:, OUT_OF_WORK] - counts[:, RETIRED], 0.0, keep[:, INACTIVE])
    pushed = counts * forced
    free = counts - kept - pushed
    vacancies = np.maximum(expected - kept @ TO_GROUP, 0.0)
    vacancies[:, OUT_OF_WORK] = np.maximum(vacancies[:, OUT_OF_WORK] - pushed.sum(axis=1), 0.0)
    flows = ipf(free, vacancies)
    flows[:, :, OUT_OF_WORK] += pushed
    return np.divide(flows, counts[:, :, None], out=np.zeros_like(flows), where=counts[:, :, None] > 0)


def draw_moves(keys: Callable[[slice], np.ndarray], n: int, move: np.ndarray,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(rows that leave their status, intp, the group each goes to), given the rows' keys into the [key, group]
    probabilities of moving: `keys(part)` those of the rows `part`, a batch of rows 0..n-1.

    One uniform draw u per row: with cumulative probabilities c_0 ≤ … ≤ c_7 of the row's key (c_7 the probability
    of leaving), the row leaves if u < c_7 and goes to the group g with c_(g−1) ≤ u < c_g. The sums are taken in
    float64 and then rounded, so that a certain move (c_7 = 1 up to rounding) stays certain. Rows are drawn in
    batches (`lookup.batches`) whose keys and temporaries stay in the CPU's cache; no key of every row is held, and
    each batch's leavers are kept as int32 until they are put together (peak memory).
    """
    cumulative = np.cumsum(move, axis=1).astype(np.float32)
    leave = cumulative[:, -1].copy()
    flat = cumulative.ravel()
    rows, groups = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int8)]
    size = min(n, BATCH)
    draws, hit_rows, hit_groups = np.empty(size, np.float32), np.empty(size, np.int32), np.empty(size, np.int8)
    for part in batches(n):
        u = rng.random(out=draws[:part.stop - part.start], dtype=np.float32)
        m = kernels.leavers(u, keys(part), leave, flat, N_GROUPS, part.start, hit_rows, hit_groups)
        rows.append(hit_rows[:m].copy())
        groups.append(hit_groups[:m].copy())
    return np.concatenate(rows, dtype=np.intp), np.concatenate(groups)


def status_counts_by_cell(persons: Persons) -> np.ndarray:
    """[cell, status] rows, by the rows' keys cell × N_STATUSES + status (`status_keys`)."""
    n = len(persons)
    counts = np.zeros((len(threads.blocks(n)), N_CELLS * N_STATUSES), dtype=np.intp)  # by block, added after

    def work(i: int, rows: slice) -> None:
        kernels.count_status_cells(persons.thai[rows], persons.sex[rows], persons.age[rows], persons.status[rows],
                                   N_AGES, N_STATUSES, counts[i])

    threads.for_blocks(work, n)
    return counts.sum(axis=0).reshape(N_CELLS, N_STATUSES).astype(float)


def status_keys(persons: Persons) -> Callable[[slice], np.ndarray]:
    """A function giving the rows' keys cell × N_STATUSES + status (int16: an index into a raveled [cell, status]
    array) of a batch of rows (at most BATCH), in a buffer it reuses: `draw_moves`' keys, made batch by batch
    instead of held for every row (2 bytes a row: 137 MiB at full scale, beside the household events)."""
    key = np.empty(min(len(persons), BATCH), dtype=np.int16)  # as narrow as the cells (N_CELLS × N_STATUSES fits)

    def keys(part: slice) -> np.ndarray:
        out = key[:part.stop - part.start]
        kernels.status_cell_keys(persons.thai[part], persons.sex[part], persons.age[part], persons.status[part],
                                 N_AGES, N_STATUSES, out)
        return out

    return keys


def s33_share_of_unemployment_inflow(persons: Persons, shares: np.ndarray, params: ParameterTree,
                                     year: int) -> np.ndarray:
    """[cell] fraction of the persons moving into unemployment over the year to 1 July `year` who come from section
    33 employment, by the move plan `draw_transitions` draws from, to cells holding their rows in the proportions of
    `shares` ([thai, sex, age, group]): the same fractions at every scale, without the noise of a few rows."""
    rows = cell_counts(persons).astype(float)
    counts = np.zeros((N_CELLS, N_STATUSES))
    counts[:, :N_GROUPS] = shares.reshape(N_CELLS, N_GROUPS) * rows[:, None]  # out of work counted as inactive
    move = move_plan(counts, shares.reshape(N_CELLS, N_GROUPS), *leave_rates(params, year))
    into = counts * move[:, :, UNEMPLOYED]  # [cell, status] rows moving into unemployment
    total = into.sum(axis=1)
    return np.divide(into[:, SSF_S33], total, out=np.zeros_like(total), where=total > 0)


def record_s33_exits(persons: Persons, rows: np.ndarray, old_status: np.ndarray, year: int) -> None:
    """Set `s33_left_year` (in the SSF benefit record, `persons.ssf`) to `year` for the `rows` (distinct row
    indices, `old_status` their status a year earlier) that moved from section 33 employment into unemployment by
    1 July `year`."""
    records = persons.ssf_records(rows[(old_status == SSF_S33) & (persons.status[rows] == UNEMPLOYED)])
    persons.ssf.s33_left_year[records] = year


def draw_transitions(persons: Persons, shares: np.ndarray, params: ParameterTree, year: int,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The year's status moves drawn (ages already advanced), not yet applied: (rows that leave their status,
    ascending, the group each goes to). Reads only nationality, sex, age and status, so that it can be drawn while
    other work that leaves those alone runs (model.population.attributes)."""
    counts = status_counts_by_cell(persons)
    move = move_plan(counts, shares.reshape(N_CELLS, N_GROUPS), *leave_rates(params, year))
    return draw_moves(status_keys(persons), len(persons), move.reshape(-1, N_GROUPS), rng)


def apply_transitions(persons: Persons, rows: np.ndarray, group: np.ndarray, params: ParameterTree,
                      year: int) -> tuple[np.ndarray, np.ndarray]:
    """Apply the moves of `draw_transitions`: section 39 needs `ssf_s39.min_prior_months` of section 33 (else
    informal work), and those out of work take the status their age and records give (contribution records of the
    year added first). Returns (rows whose status changed, ascending, their old status)."""
    status = persons.status
    old = status[rows]
    s39 = np.flatnonzero(group == SSF_S39)
    short = persons.s33_months[rows[s39]] < param(params, "ssf_s39.min_prior_months", year)
    group[s39[short]] = INFORMAL
    out = np.flatnonzero(group == OUT_OF_WORK)
    group[out] = out_of_work_status(persons.age[rows[out]], ssf_months(persons, rows[out]), params, year)
    status[rows] = group
    changed = group != old
    return rows[changed], old[changed]
