"""Households: every person belongs to exactly one household (`hh`), with links to the mother (`mother`) and the
partner (`partner`), both person ids (`pid`): row indices move when rows are dropped, ids do not.

What a household of rows means. A row stands for `scale` persons; a household of k rows stands for `scale`
identical households of k persons each (one person per row), so household sizes, living arrangements and income
per person are those of real households, and every count of households is rows-households × scale. Household ids
are small integers (0 .. H-1: renumbered each year once the regions have read the year's moves, and during the
household events should emptied households' ids outnumber twice the rows), so that aggregates are one
`np.bincount` over the `hh` column (`household_sum`, `household_size`), never a Python loop over households.

Base year (`build_households`), from the parameters under `population.households` (assumptions, checked against
the cited targets `households.*` of calibration_targets.yaml):
1. mothers: each person under MOTHER_LINK_MAX_AGE is linked to a woman of the same nationality whose age exceeds
   the person's by a gap drawn from the base-year age pattern of fertility (a mother need not live with the child);
2. unions: women and men are in a co-resident union with the probability of their sex and age band
   (`union.<sex>.age_<band>`), paired by rank of age (women about three years younger than men);
3. co-residence, as a pointer from each person to the person whose household they join: a partnered man joins his
   partner; a child under 18 joins the mother, or the mother's mother with probability `skipped_generation`; an
   adult under 60 without a partner joins the mother with probability `with_mother.age_<band>`, a woman under 60
   with a partner (and so the couple) with probability `couple_with_mother` (matrilocal). Pointers only ever go to
   women or to older persons, so following them (pointer jumping) ends at one root per household;
4. older persons: independent older households (one person, or a couple only) in excess of the cited shares of
   persons aged 60+ living alone and with a spouse only join the household of one of their children (a linked
   child, else a person of the same nationality 25-35 years younger), so that both shares match in expectation.

Each year (`advance_households`, after demography): newborns are already in their mother's household (the `hh`
column is inherited); the dead and emigrants have left it; a partner who died or left leaves a widowed person,
who at 60+ and alone moves in with a child with probability `widowed_move_in`; immigrants form households (adults
one each, children with an adult woman who arrived the same year); children left without an adult join a woman
aged 45-70 of their nationality (kinship care); unions form at the rate at which the base-year union profile rises
with age, the man joining the woman's household; adults without a partner living with their mother leave home at
the rate at which the base-year profile `with_mother` falls with age, couples living with the woman's mother leave
with probability `couple_leave`, each leaver taking a partner and own children under 18 along.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import threads
from ..compiled import true_rows, unique_first
from ..parameters import ParameterTree
from . import household_kernels as kernels
from .axes import FEMALE, MALE, MAX_AGE, N_AGES
from .lookup import band_ages, batches, grouped, param
from .persons import Persons, mapped_copy

ADULT_AGE = 18
OLD_AGE = 60
MOTHER_LINK_MAX_AGE = 60  # persons from this age have no mother link in the base year (her survival is unknown)
UNION_BANDS = ("18_24", "25_29", "30_39", "40_49", "50_59", "60_69", "70_79", "80_plus")
HOME_BANDS = ("18_24", "25_29", "30_39", "40_59")
PARTNER_AGE_GAP = 3  # years: men pair with women about this much younger (rank matching of ages)
CHILD_GAP = (25, 35)  # years younger: the "child" an older person without a linked child moves in with
SORT_IN_BUCKETS = 4096  # `stable_order` sorts at least this many values in buckets
BLOCK = 1 << 18  # rows per block of a compiled mask (`_where`, `_drawn`): its mask and rows stay in the cache


# --- aggregates ---------------------------------------------------------------------------------------------------

def n_households(persons: Persons) -> int:
    """Number of household ids in use (compact ids 0 .. H-1; an id may have lost all its members since)."""
    return int(kernels.top_id(persons.hh)) + 1


def household_size(persons: Persons, dtype: type = np.int64) -> np.ndarray:
    """[household] members (rows), by id (int64, as np.bincount; int32 in half the memory)."""
    return kernels.count_members(persons.hh, np.zeros(n_households(persons), dtype=dtype))


def household_sum(persons: Persons, values: np.ndarray) -> np.ndarray:
    """[household] sum of `values` (one per row) over each household's members (float64, in row order: the sums
    of np.bincount with weights)."""
    return kernels.sum_by_household(persons.hh, np.ascontiguousarray(values), n_households(persons))


def members_in_ages(persons: Persons, lo: int, hi: int) -> np.ndarray:
    """[household] members aged lo..hi (rows)."""
    inside = (persons.age >= lo) & (persons.age <= hi)
    return np.bincount(persons.hh[inside], minlength=n_households(persons))


INCOME_PER_PERSON = "hh_income_pc"
"""The key in `Persons.tables` of the households' income per person ([household id] THB/person/year, float32)."""


def refresh_income(persons: Persons, size: np.ndarray | None = None) -> None:
    """Set the households' income per person (`income_per_person`): the sum of the members' `income` over the
    number of members, by household id, once the year's rows and households are settled. `size`: the members of
    each household id, when the caller keeps them (`HouseholdYear.size`)."""
    if size is None:
        size = household_size(persons, np.int32)
    persons.tables.pop(INCOME_PER_PERSON, None)  # those of last year's households, freed before the new ones are made
    # float64 sums of the float32 incomes in row order, divided and rounded to float32 once per household
    persons.tables[INCOME_PER_PERSON] = mapped_copy(kernels.income_per_person(persons.hh, persons.income, size))


def income_per_person(persons: Persons, size: np.ndarray | None = None) -> np.ndarray:
    """[household id] the household's income per person, THB/person/year (float32; 0 for an id without members), as
    `refresh_income` last set it: valid while the rows and their households are those it saw (from the end of a
    year's people phase to the next year's demography). A value of the household, kept once a household rather than
    in every member's row (4 bytes a row: 287 MB at full scale). `size`: [household id] members of every id, when
    the caller has them: ValueError if the incomes were set for another number of ids."""
    income = persons.tables.get(INCOME_PER_PERSON)
    if income is None:
        raise ValueError("the households' incomes are not set: households.refresh_income sets them")
    if size is not None and income.size != size.size:
        raise ValueError(f"household incomes for {income.size} household ids, the rows have {size.size}: "
                         "households.refresh_income must follow any change of rows or households")
    return income


def income_per_person_of_rows(persons: Persons, rows: np.ndarray | None = None) -> np.ndarray:
    """[row] the income per person of each row's household (`income_per_person`), THB/person/year (float32), for
    `rows` (all by default): a new array."""
    hh = persons.hh if rows is None else persons.hh[rows]
    out = np.empty(hh.size, dtype=np.float32)
    kernels.spread(hh, income_per_person(persons), out)
    return out


def row_of_pid(persons: Persons) -> np.ndarray:
    """[pid + 1] row now holding each person id, -1 for ids no longer in the table (died, emigrated); the extra last
    entry is -1, so that indexing with the link value -1 ("none") gives -1 without a mask."""
    return persons.row_of_pid()


def linked_rows(persons: Persons, ids: np.ndarray, inverse: np.ndarray | None = None) -> np.ndarray:
    """Rows (int32) of the person ids `ids` (-1 where an id is -1 or no longer in the table)."""
    inverse = row_of_pid(persons) if inverse is None else inverse
    return inverse[ids]


def living_arrangements(persons: Persons) -> dict[str, float]:
    """Household measures named as the targets `households.*` of calibration_targets.yaml: mean size (persons per
    household), share of one-person households, and shares of persons aged 60+ living alone, with a partner only,
    and in a skipped-generation household (children under 18 and no one aged 18-59)."""
    size = household_size(persons)
    used = size > 0
    old = persons.age >= OLD_AGE
    n_old = max(int(old.sum()), 1)
    children = members_in_ages(persons, 0, ADULT_AGE - 1)[persons.hh]
    middle = members_in_ages(persons, ADULT_AGE, OLD_AGE - 1)[persons.hh]
    return {
        "households.mean_size": float(size.sum() / max(used.sum(), 1)),
        "households.one_person_share": float((size == 1).sum() / max(used.sum(), 1)),
        **elderly_shares(persons, size, linked_rows(persons, persons.partner)),
        "households.elderly_skipped_generation_share": float((old & (children > 0) & (middle == 0)).sum() / n_old),
    }


def elderly_shares(persons: Persons, size: np.ndarray, partner_row: np.ndarray) -> dict[str, float]:
    """Shares of persons aged 60+ living alone and with a partner only (`households.elderly_alone_share`,
    `households.elderly_spouse_only_share`), given the members of each household and each row's partner's row."""
    hh_size = size[persons.hh]
    old = persons.age >= OLD_AGE
    n_old = max(int(old.sum()), 1)
    with_partner = (partner_row >= 0) & (persons.hh[np.maximum(partner_row, 0)] == persons.hh)
    return {"households.elderly_alone_share": float((old & (hh_size == 1)).sum() / n_old),
            "households.elderly_spouse_only_share": float((old & (hh_size == 2) & with_partner).sum() / n_old)}


# --- profiles -----------------------------------------------------------------------------------------------------

def _profile(params: ParameterTree, prefix: str, bands: tuple[str, ...], year: int) -> np.ndarray:
    """[age] step profile of the band parameters `prefix.age_<band>` (0 outside the bands)."""
    out = np.zeros(N_AGES)
    for band in bands:
        out[band_ages(band)] = param(params, f"{prefix}.age_{band}", year)
    return out


def union_profile(params: ParameterTree, year: int) -> np.ndarray:
    """[sex, age] share living with a partner (fraction)."""
    return np.stack([_profile(params, f"population.households.union.{sex}", UNION_BANDS, year)
                     for sex in ("male", "female")])


def home_profile(params: ParameterTree, year: int) -> np.ndarray:
    """[age] share of adults without a partner living in their mother's household (fraction)."""
    return _profile(params, "population.households.with_mother", HOME_BANDS, year)


def leave_hazard(params: ParameterTree, year: int) -> np.ndarray:
    """[age] yearly probability that an adult without a partner living with the mother leaves home: the fall of
    `home_profile` with age, over the ages of its bands only (no one is sent away at 60 by the profile's end)."""
    return _leave_table(params, year)[:N_AGES].copy()


def _union_entry(params: ParameterTree, year: int) -> np.ndarray:
    """[sex × N_AGES + age] yearly probability of entering a union, `entry_hazard(union_profile(...))` raveled,
    computed once per set of band values."""
    values = tuple(param(params, f"population.households.union.{sex}.age_{band}", year)
                   for sex in ("male", "female") for band in UNION_BANDS)
    return _union_entry_of(values)


@lru_cache(maxsize=16)
def _union_entry_of(values: tuple[float, ...]) -> np.ndarray:
    profile = np.zeros((2, N_AGES))
    for i, value in enumerate(values):
        profile[i // len(UNION_BANDS), band_ages(UNION_BANDS[i % len(UNION_BANDS)])] = value
    return np.ascontiguousarray(entry_hazard(profile).ravel())


def _leave_table(params: ParameterTree, year: int) -> np.ndarray:
    """[key] yearly probability of leaving home: `leave_hazard` by age, then `couple_leave` (a woman with a partner,
    key N_AGES) and 0 (a man with one, key N_AGES + 1); computed once per set of values."""
    values = tuple(param(params, f"population.households.with_mother.age_{band}", year) for band in HOME_BANDS)
    return _leave_table_of(values, param(params, "population.households.couple_leave", year))


@lru_cache(maxsize=16)
def _leave_table_of(values: tuple[float, ...], couple_leave: float) -> np.ndarray:
    profile = np.zeros(N_AGES)
    for band, value in zip(HOME_BANDS, values):
        profile[band_ages(band)] = value
    hazard = exit_hazard(profile)
    hazard[OLD_AGE - 2:] = 0.0  # the smoothing's edge: the profile ends at 59, not the leaving
    return np.append(hazard, [couple_leave, 0.0])


def smooth(profile: np.ndarray, width: int = 5) -> np.ndarray:
    """A step profile over ages smoothed by a centred moving average of `width` years (edges held)."""
    pad = width // 2
    padded = np.pad(profile, [(0, 0)] * (profile.ndim - 1) + [(pad, pad)], mode="edge")
    kernel = np.ones(width) / width
    return np.apply_along_axis(lambda x: np.convolve(x, kernel, mode="valid"), -1, padded)


def entry_hazard(profile: np.ndarray) -> np.ndarray:
    """Yearly probability of entering a state by age whose prevalence by age is `profile` (smoothed), among those
    not in it a year younger: (p[a] − p[a−1]) / (1 − p[a−1]), 0 where the profile falls."""
    p = smooth(profile)
    previous = np.concatenate([p[..., :1] * 0, p[..., :-1]], axis=-1)
    return np.clip((p - previous) / np.maximum(1.0 - previous, 1e-9), 0.0, 1.0)


def exit_hazard(profile: np.ndarray) -> np.ndarray:
    """Yearly probability of leaving a state by age whose prevalence by age is `profile` (smoothed), among those in
    it a year younger: 1 − p[a] / p[a−1], 0 where the profile rises."""
    p = smooth(profile)
    previous = np.concatenate([p[..., :1], p[..., :-1]], axis=-1)
    return np.clip(1.0 - np.divide(p, previous, out=np.ones_like(p), where=previous > 0), 0.0, 1.0)


# --- drawing links ------------------------------------------------------------------------------------------------

def _pick(candidates: np.ndarray, keys: np.ndarray, n_keys: int, wanted: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    """For each wanted key, a uniformly drawn candidate among those whose key equals it (-1 when there is none): the
    candidates of a key in their order, one uniform u per draw picking the candidate floor(u × count).

    candidates: rows; keys: the key of each candidate, 0 .. n_keys - 1; the candidates are put in key order by a
    compiled stable counting sort, and the pick is one compiled pass. One uniform per draw, drawn also when there
    is no candidate at all."""
    order, starts = grouped(keys, n_keys)  # a stable counting sort, by blocks on threads
    return kernels.pick_in_order(order, starts, candidates, np.asarray(wanted, dtype=np.int64),
                                 rng.random(wanted.size))


def pick_by_key(thai: np.ndarray, age: np.ndarray, stride: int, wanted: np.ndarray, u: np.ndarray,
                block: int = kernels.KEY_BLOCK) -> np.ndarray:
    """For each draw d, the row (in row order) number floor(u[d] × count) among the `count` rows of key wanted[d]
    (key thai × stride + age, every key below 2 × stride), -1 when there is none: `_pick` over the rows of the
    wanted keys, found by a pass over the rows that counts each key's rows by block of `block` rows and a scan of
    the blocks that hold a drawn row only (`kernels.rows_of_block_ranks`), instead of a list of those rows sorted by
    key."""
    counts = kernels.block_key_counts(thai, age, stride, block)
    count = counts.sum(axis=0, dtype=np.int64)[wanted]
    out = np.full(wanted.size, -1, dtype=np.int64)
    drawn = np.flatnonzero(count > 0)
    keys = np.asarray(wanted, dtype=np.int64)[drawn]
    ranks = (u[drawn] * count[drawn]).astype(np.int64)  # floor: non-negative
    order = np.lexsort((ranks, keys))
    found = np.empty(drawn.size, dtype=np.int64)
    kernels.rows_of_block_ranks(thai, age, stride, block, counts, keys[order], ranks[order], found)
    out[drawn[order]] = found
    return out


def choice_table(p: np.ndarray, bits: int = 12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cumulative distribution of p and, over 2**bits equal intervals of u, the index of the draw at the
    interval's start (`lo`) and at its end (`hi`): where they agree, every u of the interval draws it
    (kernels.table_draw reads it)."""
    if not (np.all(p >= 0) and np.isclose(p.sum(), 1.0)):
        raise ValueError("probabilities must be non-negative and sum to 1")
    cdf = p.cumsum()
    cdf /= cdf[-1]
    cells = 1 << bits
    edges = np.arange(cells + 1) / cells
    lo = cdf.searchsorted(edges[:-1], side="right")  # bounds at or below the interval's start
    hi = cdf.searchsorted(edges[1:], side="left")  # bounds below its end
    return cdf, lo, hi


def draw_mothers(persons: Persons, asfr: np.ndarray, rng: np.random.Generator,
                 out: np.ndarray | None = None) -> np.ndarray:
    """[row] mother's row (int32) for persons under MOTHER_LINK_MAX_AGE (-1 otherwise or when no woman fits): a
    woman of the same nationality, older by a gap drawn from `asfr` (`kernels.table_draw`), one drawn uniformly
    among the women of her nationality and age (in row order). The uniforms are drawn block by block of rows (the
    same stream as one draw of every gap, then one of every pick), so that only the mothers' keys are held for every
    row, not two float64 uniforms. `out`: an int32 array for the rows (else a new one)."""
    weights = np.asarray(asfr, dtype=float)
    cdf, lo, hi = choice_table(weights / weights.sum())
    age, thai, stride = persons.age, persons.thai, MAX_AGE + 100
    parts = threads.blocks(len(persons))
    drawn = [int(np.count_nonzero(age[rows] < MOTHER_LINK_MAX_AGE)) for rows in parts]
    ends = np.cumsum([0, *drawn])
    keys = np.empty(ends[-1], dtype=np.int16)  # keys < 2 × stride
    for rows, start, end in zip(parts, ends[:-1], ends[1:]):  # the gaps' draws, then the women's
        kernels.mother_keys(age[rows], thai[rows], MOTHER_LINK_MAX_AGE, stride, cdf, lo, hi,
                            rng.random(end - start), keys[start:end])
    if out is None:
        out = np.empty(len(persons), dtype=np.int32)  # rows fit 32 bits: half the memory at full scale
    if not np.any(persons.sex == FEMALE):  # no woman: no draws, and no mother
        out.fill(-1)
        return out
    starts, women = kernels.women_by_key(age, persons.sex, thai, stride)
    for rows, start, end in zip(parts, ends[:-1], ends[1:]):
        kernels.pick_mothers(age[rows], MOTHER_LINK_MAX_AGE, keys[start:end], rng.random(end - start), starts, women,
                             out[rows])
    return out


def pair(women: np.ndarray, men: np.ndarray, persons: Persons, rng: np.random.Generator, *,
         in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pair candidate women and men by rank of age (men PARTNER_AGE_GAP years older, ties broken at random); the
    longer list loses its rows nearest the other's age extremes at random. Returns (women, men) of equal length.
    With `in_place`, `women` and `men` are shuffled where they are (the draws of rng.permutation, without a copy)."""
    k = min(women.size, men.size)
    if in_place:
        rng.shuffle(women)
        rng.shuffle(men)
    else:
        women = rng.permutation(women)
        men = rng.permutation(men)
    women, men = women[:k], men[:k]
    # age + u (and age − gap + u) written over the uniforms: the same float64 sums as numpy's age + u
    values = rng.random(k)
    values += persons.age[women]
    w = sorted_by(women, values)
    del values
    if in_place:  # the sorted rows over the shuffled ones: no second list alive while the men are sorted
        women[:] = w
        w = women
    values = rng.random(k)
    values += persons.age[men] - PARTNER_AGE_GAP
    m = sorted_by(men, values)
    return w, m


def sorted_by(rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """rows[stable_order(values)], for many values without an array of positions (`kernels.sorted_rows`)."""
    if values.size >= SORT_IN_BUCKETS:
        return kernels.sorted_rows(rows, np.ascontiguousarray(values, dtype=np.float64))
    return rows[stable_order(values)]


def stable_order(values: np.ndarray) -> np.ndarray:
    """np.argsort(values, kind="stable"): for many values (ages plus a uniform) by a compiled linear-time bucket
    sort, otherwise by the faster unstable sort when no two values are equal (then both orders are the one sorted
    order), by the stable sort otherwise."""
    if values.size >= SORT_IN_BUCKETS:
        return kernels.stable_argsort(np.ascontiguousarray(values, dtype=np.float64))
    order = np.argsort(values)
    ranked = values[order]
    if (ranked[1:] == ranked[:-1]).any():
        return np.argsort(values, kind="stable")
    return order


def link_partners(persons: Persons, women: np.ndarray, men: np.ndarray) -> None:
    """Record each pair (women[i], men[i]) as partners (pids both ways)."""
    persons.partner[women] = persons.pid[men]
    persons.partner[men] = persons.pid[women]


def roots(parent: np.ndarray) -> np.ndarray:
    """Follow `parent` pointers (an acyclic forest, a root points to itself) to each row's root, by pointer
    jumping: about log2(depth) vectorised passes."""
    parent = parent.copy()
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def renumber(persons: Persons, size: np.ndarray) -> np.ndarray:
    """Renumber the household ids with members (`size` > 0; `size`: the members of each id, as the household events
    keep them) 0 .. H-1, keeping their order: one pass over the ids and one over the rows (on threads), no sort;
    returns the members of each new id."""
    new_id = kernels.ranks_of_used(size)
    threads.for_blocks(lambda _, rows: kernels.remap(persons.hh[rows], new_id), len(persons))
    return size[size > 0]


# --- base year ----------------------------------------------------------------------------------------------------

def build_households(persons: Persons, params: ParameterTree, year: int, asfr: np.ndarray,
                     targets: dict[str, float], rng: np.random.Generator) -> None:
    """Group the base population (attributes set) into households; see the module docstring. `asfr` [age] gives the
    age pattern of the mothers' ages, `targets` the shares of persons aged 60+ living alone and with a partner only
    (`households.elderly_alone_share`, `households.elderly_spouse_only_share`)."""
    # each full-length intermediate is freed as soon as it is used: at full scale each is 70-600 MB, and the
    # set-up's peak memory is that of the arrays alive at once
    n = len(persons)
    age, sex = persons.age, persons.sex
    # the mothers' rows (int32), held in the mother column until the households are built, then made pids
    mother = draw_mothers(persons, asfr, rng, out=persons.mother)

    in_union = np.empty(n, dtype=np.int8)  # 1 a woman, 2 a man in a union, 0 neither
    union = union_profile(params, year).ravel()
    for rows in threads.blocks(n):  # one uniform a row, drawn block by block (the same stream as one draw)
        kernels.union_by_sex(rng.random(rows.stop - rows.start), union, sex[rows], age[rows], in_union[rows])
    women, men = true_rows(in_union == 1 + FEMALE), true_rows(in_union == 1 + MALE)  # int32: half intp's memory
    del in_union
    women, men = pair(women, men, persons, rng, in_place=True)  # our own lists: shuffled without a copy
    # the partners' rows, held in the partner column until the households are built (co-residence and the older
    # persons' counts of `join_children` read them there, without an index of the pids' rows), then made pids
    persons.partner[women] = men
    persons.partner[men] = women
    del women, men

    parent = np.empty(n, dtype=np.int32)
    home, couple_home = home_profile(params, year), param(params, "population.households.couple_with_mother", year)
    for rows in threads.blocks(n):  # one uniform a row, drawn block by block (the same stream as one draw)
        kernels.co_residence(mother[rows], persons.partner[rows], age[rows], sex[rows],
                             rng.random(rows.stop - rows.start), home, couple_home, OLD_AGE, parent[rows], rows.start)
    # children under 18 without a partner, with a mother, may join her mother instead (their rows, int32 from a
    # compiled mask, freed once drawn for)
    _skip_generation(parent, mother, _where(kernels.linked_minor, (mother, age, persons.partner), ADULT_AGE),
                     param(params, "population.households.skipped_generation", year), rng)

    _rows_to_pids(persons, mother)
    del mother
    household_ids(parent, persons.hh)  # the roots of the pointers, numbered compactly
    del parent
    join_children(persons, targets, rng)
    _rows_to_pids(persons, persons.partner)


def _rows_to_pids(persons: Persons, links: np.ndarray) -> None:
    """Make the row links `links` (a column: rows, -1 none) pids, in place, by block on threads."""
    threads.for_blocks(lambda _, rows: kernels.rows_to_pids(links[rows], persons.pid), len(persons))


def _skip_generation(parent: np.ndarray, mother: np.ndarray, child: np.ndarray, skipped: float,
                     rng: np.random.Generator) -> None:
    """Point each of the rows `child` to its mother's mother (`parent`; `mother`: rows, -1 none) with probability
    `skipped` where she is linked: the uniforms of one rng.random(child.size), drawn by blocks."""
    for part in batches(child.size):
        rows = child[part]
        grandmother = mother[mother[rows]]
        skip = (grandmother >= 0) & (rng.random(rows.size) < skipped)
        parent[rows[skip]] = grandmother[skip]


def join_children(persons: Persons, targets: dict[str, float], rng: np.random.Generator) -> None:
    """Move independent older households (persons aged 60+ alone, or a couple with at least one aged 60+ and no one
    else) into a child's household with the probability that brings the shares of persons aged 60+ living alone
    and with a partner only to `targets` in expectation (no move where the share is already at or below it); the
    household ids are then renumbered compactly. The `partner` column holds rows here (`build_households`)."""
    hh = persons.hh
    # int32 members, one int8 kind a household and the moves drawn by blocks of households
    size = household_size(persons, np.int32)
    n_old, alone_old, spouse_old, kind = kernels.elderly_counts(hh, persons.age, persons.partner, size, OLD_AGE)
    n_ids = size.size
    del size  # each whole-length or household-length intermediate is freed once used (peak memory)
    n_old = max(n_old, 1)
    measures = {"households.elderly_alone_share": float(alone_old / n_old),
                "households.elderly_spouse_only_share": float(spouse_old / n_old)}
    move = np.zeros(3)  # [kind] probability of moving: 0 for the households of neither kind
    for k, name in ((kernels.ALONE, "households.elderly_alone_share"),
                    (kernels.COUPLE, "households.elderly_spouse_only_share")):
        current = measures[name]
        if current > 0:
            move[k] = max(0.0, 1.0 - targets[name] / current)
    moving = np.empty(n_ids, dtype=np.bool_)
    for part in batches(n_ids):  # the uniforms of one rng.random(n_ids), by blocks
        moving[part] = move[kind[part]] > rng.random(part.stop - part.start)
    del kind
    # the first member aged 60+ of each moving household finds a child: a linked child, else someone 25-35 years
    # younger
    movers = kernels.first_old_rows(hh, persons.age, moving, OLD_AGE)
    destination = child_household(persons, movers, rng)
    new_id = np.arange(n_ids, dtype=np.int32)  # ids fit 32 bits
    ok = destination >= 0
    ok[ok] = ~moving[destination[ok]]  # never into a household that moves itself: no chains, no cycles
    new_id[hh[movers[ok]]] = destination[ok]
    threads.for_blocks(lambda _, rows: kernels.remap(hh[rows], new_id), len(persons))
    del new_id
    compact_ids(hh, np.zeros(n_ids, dtype=np.int32))


def household_ids(parent: np.ndarray, hh: np.ndarray) -> None:
    """hh[row] = the compact id (0 .. H-1, in the order of the root rows) of the root reached by following `parent`
    pointers from the row (an acyclic forest, a root points to itself). `parent` is used up: once the roots are in
    `hh`, it holds the new ids (no other buffer for every row). Each pass over the rows by blocks on threads."""
    threads.for_blocks(lambda _, rows: kernels.follow_to_roots(parent, rows.start, hh[rows]), parent.size)
    parent.fill(0)
    compact_ids(hh, parent)


def compact_ids(hh: np.ndarray, flags: np.ndarray) -> None:
    """The ids in `hh` renumbered 0 .. H-1 in their order (`flags`: zeros, one for every id; used up). The passes
    over the rows by blocks on threads."""
    threads.for_blocks(lambda _, rows: kernels.mark_ids(hh[rows], flags), hh.size)
    kernels.ranks_in_place(flags)
    threads.for_blocks(lambda _, rows: kernels.remap(hh[rows], flags), hh.size)


def child_household(persons: Persons, rows: np.ndarray, rng: np.random.Generator,
                    former_partner: np.ndarray | None = None) -> np.ndarray:
    """Household id of a child (aged 18+, in another household) of each row: one of the persons whose `mother` is the
    row (or, with `former_partner` pids, the former partner), else a random person of the same nationality 25-35
    years younger; -1 when none is found."""
    parents = persons.pid[rows]
    if former_partner is not None:
        parents = np.concatenate([parents, former_partner[former_partner >= 0]])
    bits = kernels.id_bits(parents, persons.next_pid + 1)
    adult_child = _where(kernels.mother_in, (persons.mother, persons.age), ADULT_AGE, MAX_AGE, bits)
    shuffled = rng.permutation(adult_child)
    # one child per parent (the last written), in a table over the parents' pids only, each parent's place the rank
    # of its pid in the bit set (the last entry: a pid that is not a parent)
    ranks = kernels.bit_ranks(bits)
    n_parents = int(ranks[-1])
    child_of = np.full(n_parents + 1, -1, dtype=np.int64)
    child_of[kernels.rank_in(bits, ranks, persons.mother[shuffled])] = shuffled

    def child(pids: np.ndarray) -> np.ndarray:
        return child_of[kernels.rank_in(bits, ranks, pids)]

    found = child(persons.pid[rows]) if n_parents else np.full(rows.size, -1, dtype=np.int64)
    if former_partner is not None and n_parents:
        found = np.where(found >= 0, found, np.where(former_partner >= 0, child(former_partner), -1))
    found = np.where((found >= 0) & (persons.hh[np.maximum(found, 0)] != persons.hh[rows]), found, -1)
    missing = found < 0
    if missing.any():
        wanted_age = persons.age[rows[missing]].astype(np.int64) - rng.integers(CHILD_GAP[0], CHILD_GAP[1] + 1,
                                                                               missing.sum())
        wanted = persons.thai[rows[missing]].astype(np.int64) * (MAX_AGE + 1) + np.maximum(wanted_age, ADULT_AGE)
        # keys thai × (MAX_AGE + 1) + age: `_pick` over the rows of the wanted keys, without a list of them
        other = pick_by_key(persons.thai, persons.age, MAX_AGE + 1, wanted, rng.random(wanted.size))
        other = np.where((other >= 0) & (persons.hh[np.maximum(other, 0)] != persons.hh[rows[missing]]), other, -1)
        found[missing] = other
    return np.where(found >= 0, persons.hh[np.maximum(found, 0)], -1)


# --- each year ----------------------------------------------------------------------------------------------------

class HouseholdMoves:
    """The year's changes of the `hh` column, for the regions of the movers (model.population.regions): each row
    whose household was set during the household events, with its household before them, and the renumbering of
    the ids when there was one. Rows do not move during the events, so this log, a few percent of the rows, stands
    for a copy of the whole column taken before them (4 bytes a row: 287 MB at full scale)."""

    def __init__(self) -> None:
        self._rows: list[np.ndarray] = []
        self._old: list[np.ndarray] = []
        self.renumbered = np.zeros(0, dtype=np.int32)  # [id] the id before `renumber`; empty: not renumbered

    def record(self, hh: np.ndarray, rows: np.ndarray) -> None:
        """Note hh[rows] as the households of `rows` before their household is set (call before each write)."""
        self._rows.append(np.array(rows, dtype=np.int32))  # a copy (rows fit 32 bits): the caller's may change
        self._old.append(hh[rows])

    def renumber(self, kept: np.ndarray) -> None:
        """The ids are renumbered 0 .. H-1 (`renumber`): `kept` (int32, ascending) are the ids in use before, the
        id before of each new id."""
        self.renumbered = kept

    def changed(self) -> tuple[np.ndarray, np.ndarray]:
        """(the rows whose household was set, ascending int32; the household of each before the year's first
        change, int32, -1 for rows that had none): what a copy of `hh` taken before the events holds at them."""
        if not self._rows:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
        rows, first = unique_first(np.concatenate(self._rows))  # first: the earliest record of each
        return rows, np.concatenate(self._old)[first]


class HouseholdYear(NamedTuple):
    """What the year's household events leave for the rest of the year's step (valid until rows are next added or
    dropped, or `hh` changes): the pid-to-row index, the members of each household id and the log of the moves."""

    row_of_pid: np.ndarray  # [pid + 1] row of each person id, -1 for ids no longer in the table (`row_of_pid`)
    size: np.ndarray  # [household id] members (rows); may extend past the largest id in use with zeros
    moves: HouseholdMoves  # the rows whose household was set, with their households before (regions' movers)


def _move(persons: Persons, size: np.ndarray, moves: HouseholdMoves, rows: np.ndarray,
          ids: np.ndarray | int) -> None:
    """Move `rows` (distinct) into household `ids`, keeping `size` (members by id) up to date and noting the rows'
    households before in `moves`."""
    ids = np.broadcast_to(np.asarray(ids, dtype=np.int32), rows.shape)
    moves.record(persons.hh, rows)
    kernels.move(persons.hh, size, np.asarray(rows, dtype=np.int64), np.ascontiguousarray(ids))


def advance_households(persons: Persons, params: ParameterTree, year: int,
                       rng: np.random.Generator) -> HouseholdYear:
    """Household events from 1 July of `year` to 1 July of `year + 1`, after demography (see the module docstring).
    Emptied households keep their ids (aggregates give them size 0) until the year's ids are renumbered
    (`renumber`, after the regions' moves: model.population.attributes), or here if they outnumber twice the rows.

    Rows neither move nor age here, so each household's members and adults are counted once
    (`household_kernels.census`) and the members kept up to date by every move (`_move`), with spare ids for the
    households formed during the year; each event finds its rows by a compiled mask, block by block (`_where`).
    Every write of `hh` is noted in the returned `moves` (`HouseholdMoves`)."""
    inverse = row_of_pid(persons)
    moves = HouseholdMoves()
    widowed, former = _widowhood(persons, inverse)
    next_id, new = kernels.unhoused(persons.hh)
    next_id = _settle_immigrants(persons, moves, new, next_id, rng)
    buffer, orphaned = kernels.census(persons.hh, persons.age, next_id, len(persons) // 16 + 64)
    size = buffer[:next_id]
    _kinship_care(persons, size, moves, orphaned, rng)
    _move_in_with_child(persons, size, moves, widowed, former, params, year, rng)
    _form_unions(persons, size, moves, params, year, rng)
    next_id, size = _leave_home(persons, size, moves, buffer, params, year, next_id, inverse, rng)
    if next_id > 2 * len(persons) + 1:  # ids of emptied households accumulate: renumber now and then
        moves.renumber(true_rows(size > 0))  # `renumber` keeps the order of the ids with members
        size = renumber(persons, size)
    return HouseholdYear(inverse, size, moves)


def _masked_rows(mask: Callable[..., None], columns: tuple[np.ndarray, ...], args: tuple, first: int = 0,
                 end: int | None = None) -> list[np.ndarray]:
    """Rows (ascending, int32) where the compiled mask `mask(*column blocks, *args, out)` is true, one array for each
    block of BLOCK rows (so that the mask and its rows stay small), the blocks worked on by several threads; rows
    `first` .. `end` - 1 only when given."""
    n = columns[0].size if end is None else end
    starts = range(first, n, BLOCK)
    parts: list[np.ndarray] = [np.zeros(0, dtype=np.int32)] * len(starts)

    def work(i: int, start: int) -> None:
        stop = min(start + BLOCK, n)
        block = np.empty(stop - start, dtype=np.bool_)
        mask(*(column[start:stop] for column in columns), *args, block)
        rows = true_rows(block)
        parts[i] = rows + np.int32(start) if start else rows

    threads.for_each(work, starts)
    return parts


def _where(mask: Callable[..., None], columns: tuple[np.ndarray, ...], *args: object) -> np.ndarray:
    """Rows (ascending, int32) where the compiled mask `mask(*column blocks, *args, out)` is true (`_masked_rows`)."""
    parts = _masked_rows(mask, columns, args)
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _drawn(mask: Callable[..., None], columns: tuple[np.ndarray, ...], args: tuple, top: float,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One uniform of `rng` for each row where `mask` is true, in row order (the draws of `rng.random(rows.size)`,
    drawn block by block); returns the rows whose uniform is below `top` and those uniforms (a rule whose
    probabilities are at most `top` needs no other). The masks run on threads, the draws in block order."""
    rows_below, u_below = [], []
    n = columns[0].size
    group = BLOCK * 4 * threads.thread_count()  # rows whose masks are made at once: not every row's list held
    for first in range(0, n, group):
        for rows in _masked_rows(mask, columns, args, first, min(first + group, n)):
            kept_rows, kept_u = kernels.below_top(rows, rng.random(rows.size), top)
            rows_below.append(kept_rows)
            u_below.append(kept_u)
    if not rows_below:
        return np.zeros(0, dtype=np.int32), np.zeros(0)
    return np.concatenate(rows_below), np.concatenate(u_below)


def _widowhood(persons: Persons, inverse: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clear the partner link of rows whose partner died or left; returns (those rows, their former partners' pids)."""
    lost = _where(kernels.lost_partner, (persons.partner,), kernels.gone_bits(inverse))
    former = persons.partner[lost].copy()
    persons.partner[lost] = -1
    return lost, former


def _settle_immigrants(persons: Persons, moves: HouseholdMoves, new: np.ndarray, next_id: int,
                       rng: np.random.Generator) -> int:
    """Rows without a household (`new`, immigrants): adults get one each, children join an adult woman who arrived
    in the same batch (else one of their own), noted in `moves`. Returns the next free id."""
    if new.size == 0:
        return next_id
    moves.record(persons.hh, new)  # the children below are among them
    ids = np.arange(next_id, next_id + new.size, dtype=np.int32)
    persons.hh[new] = ids
    adult = persons.age[new] >= ADULT_AGE
    children = new[~adult]
    women = new[adult & (persons.sex[new] == FEMALE)]
    if children.size and women.size:
        persons.hh[children] = persons.hh[women[rng.integers(0, women.size, children.size)]]
    return next_id + new.size


def _kinship_care(persons: Persons, size: np.ndarray, moves: HouseholdMoves, orphaned: np.ndarray,
                  rng: np.random.Generator) -> None:
    """Children in a household without anyone aged 18+ (`orphaned`: a bit set over the ids of those households, as
    counted before any move; empty for none) join a woman aged 45-70 of their nationality."""
    if orphaned.size == 0:
        return
    alone = _where(kernels.minor_in, (persons.hh, persons.age), orphaned)
    if alone.size == 0:
        return
    # one carer per orphaned household, shared by its members; candidates: women aged 45-70, keyed by nationality
    households, first = unique_first(persons.hh[alone])
    women = _where(kernels.women_aged, (persons.sex, persons.age), 45, 70)
    carer = _pick(women, persons.thai[women].astype(np.int8), 2, persons.thai[alone[first]], rng)
    carer_hh = np.where(carer >= 0, persons.hh[np.maximum(carer, 0)], households)  # no carer: stay
    # every member of such a household is one of `alone` (it has no adult)
    _move(persons, size, moves, alone, carer_hh[np.searchsorted(households, persons.hh[alone])])


def _move_in_with_child(persons: Persons, size: np.ndarray, moves: HouseholdMoves, widowed: np.ndarray,
                        former: np.ndarray, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Widowed persons aged 60+ now alone move into a child's household with probability `widowed_move_in`."""
    alone = (persons.age[widowed] >= OLD_AGE) & (size[persons.hh[widowed]] == 1)
    p = param(params, "population.households.widowed_move_in", year)
    moving = alone & (rng.random(widowed.size) < p)
    movers = widowed[moving]
    destination = child_household(persons, movers, rng, former_partner=former[moving])
    ok = destination >= 0
    _move(persons, size, moves, movers[ok], destination[ok])


def _form_unions(persons: Persons, size: np.ndarray, moves: HouseholdMoves, params: ParameterTree, year: int,
                 rng: np.random.Generator) -> None:
    """Unpartnered adults enter a union at the rate the union profile rises with age; the man joins the woman's
    household."""
    hazard = _union_entry(params, year)
    rows, u = _drawn(kernels.single_adult, (persons.partner, persons.age), (), hazard.max(), rng)
    entering = kernels.below_hazard(rows, u, persons.sex, persons.age, hazard)
    female = persons.sex[entering] == FEMALE
    women, men = pair(entering[female], entering[~female], persons, rng)
    link_partners(persons, women, men)
    _move(persons, size, moves, men, persons.hh[women])


def _leave_home(persons: Persons, size: np.ndarray, moves: HouseholdMoves, buffer: np.ndarray,
                params: ParameterTree, year: int, next_id: int, inverse: np.ndarray,
                rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """Adults living with their mother leave: without a partner at the rate `with_mother` falls with age, couples
    (the woman living with her mother) with probability `couple_leave`; each leaver takes a co-resident partner and
    own co-resident children under 18. `size` is a view of `buffer`, whose zeros after it are the new ids' members
    while they last; `inverse`: row_of_pid (rows do not move here). Returns the next free id and `size` extended to
    the new ids."""
    # each row's hazard by a key: its age without a partner, N_AGES for a woman with one (`couple_leave`) and
    # N_AGES + 1 for a man with one (0: a couple leaves through the woman's decision, matrilocal)
    table = _leave_table(params, year)
    rows, u = _drawn(kernels.adult_with_mother, (persons.mother, persons.age), (OLD_AGE,), table.max(), rng)
    # drawn first; only those living with the mother leave (sorted rows)
    leavers = kernels.leaving(rows, u, persons.partner, persons.sex, persons.age, persons.mother, persons.hh, inverse,
                              table)
    if leavers.size == 0:
        return next_id, size
    child = _where(kernels.mother_in, (persons.mother, persons.age), 0, ADULT_AGE - 1,
                   kernels.id_bits(persons.pid[leavers], persons.next_pid + 1))
    new_ids = np.arange(next_id, next_id + leavers.size, dtype=np.int32)
    end = next_id + leavers.size
    if end <= buffer.size:
        size = buffer[:end]
    else:
        size = np.concatenate([size, np.zeros(end - size.size, dtype=size.dtype)])
    old_hh = persons.hh[leavers].copy()
    # partners and own children under 18 in the same household follow
    partner = inverse[persons.partner[leavers]]
    follows = (partner >= 0) & (persons.hh[np.maximum(partner, 0)] == old_hh)
    parent_index = np.searchsorted(leavers, inverse[persons.mother[child]])
    with_parent = persons.hh[child] == old_hh[parent_index]
    _move(persons, size, moves, leavers, new_ids)
    _move(persons, size, moves, partner[follows], new_ids[follows])
    _move(persons, size, moves, child[with_parent], new_ids[parent_index[with_parent]])
    return end, size
