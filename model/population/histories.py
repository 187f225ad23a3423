"""Social security contribution records: months by section, the average insurable wage, the section 40 option.

Base year (assumptions under `population.histories`): a section 33 record covers a uniform fraction of the years
it could cover — from the career start age (or the start of the old-age branch, if later) to now, or, for former
members, to the age they left: now (or the old age) for those out of work past the pension age, who left at
retirement, otherwise drawn uniformly between the career start and now. Current members' fractions are drawn between `continuity.insured` and 1, former members'
between `continuity.former` and 1; section 39 members left section 33 up to `s39_max_years` ago with at least the
months section 39 requires; a share of the other Thai adults are former members. Section 40 records start in
`s40_start_year` for the longer-standing members and in 2021 for the rest. The average insurable wage is the
current wage (members) or a wage drawn for the age of leaving (former members), deflated by two years of wage
growth for the 60-month window and by the years since leaving, within the floor and ceiling; section 39 months
count at the deemed wage. The base year's unemployed who left section 33 employment in the year before are dated
and given that year's record (`initialise_s33_exits`).

Every year: each year in a contributing status adds 12 months (months never decrease), and the average insurable
wage moves towards the year's insurable wage as a 60-month moving average: avg ← (avg·n + wage·12) / (n + 12),
with n the earlier months counted, at most 48.
"""

from datetime import date

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import kernels, labour
from .axes import N_AGES
from .lookup import batches, cells, param
from .persons import Persons
from .sampling import categorical, consecutive_uniforms, systematic
from .status import INACTIVE, INFORMAL, SSF_S33, SSF_S39, SSF_S40, UNEMPLOYED, in_status
from .wages import log_sd

WINDOW_LAG_YEARS = 2.0  # mean age of the wages in a 60-month average
FORMER_MIN_AGE = 25
RECENT_S40_START = 2021
HISTORY_BLOCK = 1 << 18  # rows of a status whose base-year records are drawn at once


def insurable(wage: np.ndarray, params: ParameterTree, when: date) -> np.ndarray:
    """Wages within the section 33 floor and ceiling in force on `when` (THB/month)."""
    return np.clip(wage, params.get("ssf_s33.wage_floor", when), params.get("ssf_s33.wage_ceiling", when))


def record_years(age: np.ndarray, end_age: np.ndarray, params: ParameterTree, year: int) -> np.ndarray:
    """Years a section 33 record could cover for a person aged `age` whose insured career ended at `end_age`."""
    since = year + 0.5 - param(params, "population.histories.old_age_branch_start", year)
    start = np.maximum(param(params, "population.histories.entry_age", year), age - since)
    return np.maximum(end_age - start, 0.0)


def past_insurable_wage(persons: Persons, rows: np.ndarray, left_age: np.ndarray, params: ParameterTree, year: int,
                        rng: np.random.Generator) -> np.ndarray:
    """Average insurable wage of former members: a section 33 wage for the age of leaving, deflated to then."""
    growth = param(params, "population.past_wage_growth", year)
    age = np.minimum(left_age, param(params, "ssf_s33.pension.age", year)).astype(np.intp)
    median = persons.tables["median_wage"][SSF_S33].ravel()[persons.sex[rows].astype(np.intp) * N_AGES + age]
    wage = median * np.exp(log_sd(params, year)[0] * rng.standard_normal(rows.size))
    lag = WINDOW_LAG_YEARS + np.maximum(persons.age[rows] - age, 0)
    return insurable(wage / (1.0 + growth) ** lag, params, date(year, 7, 1))


def draw_s40_option(persons: Persons, rows: np.ndarray, params: ParameterTree, year: int,
                    rng: np.random.Generator) -> None:
    """Section 40 option (1, 2 or 3) of new members, from the option mix in force."""
    when = date(year, 7, 1)
    mix = np.array([[float(params.get(f"ssf_s40.option_mix.option_{k}", when)) for k in (1, 2, 3)]])
    draw = categorical(np.zeros(rows.size, dtype=np.intp), mix / mix.sum(), rng.random(rows.size))
    persons.s40_option[rows] = draw + 1


def _uniform(rng: np.random.Generator, low: float, n: int) -> np.ndarray:
    return low + (1.0 - low) * rng.random(n)


def initialise_histories(persons: Persons, params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Plausible records for the base population (statuses, wages and state pensioners already set).

    Each status's rows are worked on by blocks of HISTORY_BLOCK rows, every draw of the whole-list formulation
    (one rng.random(n) per quantity, then the normals) taken block by block from a generator positioned where
    that call would start (`sampling.consecutive_uniforms`): the same draws, temporaries of a block only."""
    when = date(year, 7, 1)
    status = persons.status
    growth = param(params, "population.past_wage_growth", year)
    insured, former = (param(params, f"population.histories.continuity.{k}", year) for k in ("insured", "former"))
    entry = param(params, "population.histories.entry_age", year)

    rows = np.flatnonzero(status == SSF_S33)
    for part in batches(rows.size, HISTORY_BLOCK):  # one rng.random(rows.size), by blocks
        r = rows[part]
        age = persons.age[r].astype(float)
        years = _uniform(rng, insured, r.size) * record_years(age, age, params, year)
        persons.s33_months[r] = np.maximum(np.rint(12 * years), 1)
        persons.avg_insurable_wage[r] = insurable(persons.wage[r] / (1.0 + growth) ** WINDOW_LAG_YEARS, params,
                                                  when)

    rows = np.flatnonzero(status == SSF_S39)
    max_years = param(params, "population.histories.s39_max_years", year)
    min_prior = param(params, "ssf_s39.min_prior_months", year)
    deemed = params.get("ssf_s39.deemed_wage", when)
    s39_draws, s33_draws = consecutive_uniforms(rng, rows.size, 2)  # then the past wages' normals from rng
    for part in batches(rows.size, HISTORY_BLOCK):
        r = rows[part]
        age = persons.age[r].astype(float)
        s39_years = s39_draws.random(r.size) * np.minimum(max_years, np.maximum(age - entry, 1.0))
        left = age - s39_years
        s33 = _uniform(s33_draws, former, r.size) * record_years(age, left, params, year)
        persons.s39_months[r] = np.maximum(np.rint(12 * s39_years), 1)
        persons.s33_months[r] = np.maximum(np.rint(12 * s33), min_prior)
        share39 = np.minimum(persons.s39_months[r], 60) / 60.0
        persons.avg_insurable_wage[r] = (share39 * deemed
                                         + (1 - share39) * past_insurable_wage(persons, r, left, params, year, rng))

    former_share = param(params, "population.histories.former_s33_share", year)
    picked = [np.zeros(0, dtype=np.intp)]
    for part in batches(len(persons)):  # one draw per candidate in row order, without full-length arrays
        candidates = part.start + np.flatnonzero(
            persons.thai[part] & (persons.age[part] >= FORMER_MIN_AGE) & ~persons.values_of("state_pensioner", part)
            & in_status(status[part], SSF_S40, INFORMAL, UNEMPLOYED, INACTIVE))
        picked.append(candidates[rng.random(candidates.size) < former_share])
    rows = np.concatenate(picked)
    del picked
    old_age = param(params, "population.labour.old_age", year)
    pension_age = param(params, "ssf_s33.pension.age", year)
    left_draws, months_draws = consecutive_uniforms(rng, rows.size, 2)  # then the past wages' normals from rng
    for part in batches(rows.size, HISTORY_BLOCK):
        r = rows[part]
        age = persons.age[r].astype(float)
        end = np.maximum(np.minimum(age, old_age), entry)
        retired = (status[r] == INACTIVE) & (age >= pension_age)
        # out of work past the pension age: they left at retirement; others left at some age of their career
        left = np.where(retired, end, entry + left_draws.random(r.size) * (end - entry))
        months = np.rint(12 * _uniform(months_draws, former, r.size) * record_years(age, left, params, year))
        kept = months > 0
        r, months, left = r[kept], months[kept], left[kept]
        persons.s33_months[r] = months
        persons.avg_insurable_wage[r] = past_insurable_wage(persons, r, left, params, year, rng)

    rows = np.flatnonzero(status == SSF_S40)
    long_share = param(params, "population.histories.s40_long_member_share", year)
    long_start = param(params, "population.histories.s40_start_year", year)
    min_age = param(params, "ssf_s40.min_age", year)
    long_draws, span_draws, option_draws = consecutive_uniforms(rng, rows.size, 3)
    for part in batches(rows.size, HISTORY_BLOCK):
        r = rows[part]
        long = long_draws.random(r.size) < long_share
        start = np.where(long, long_start, RECENT_S40_START)
        span = np.minimum(year + 0.5 - start, persons.age[r] - min_age + 0.5)
        persons.s40_months[r] = np.maximum(np.rint(12 * span_draws.random(r.size) * span), 1)
        draw_s40_option(persons, r, params, year, option_draws)


def initialise_s33_exits(persons: Persons, shares: np.ndarray, params: ParameterTree, year: int,
                         rng: np.random.Generator) -> None:
    """Date the base year's moves from section 33 employment into unemployment (`s33_left_year` = `year`): each
    unemployed row with its cell's share of the year's moves into unemployment that come from section 33
    (`labour.s33_share_of_unemployment_inflow`, the rule of later years applied to the base statuses), drawn
    systematically so that their number is the expected one (the base year is calibrated on it). Such a
    person was insured for the year before: at least 12 months on record and the average insurable wage of a
    current member of their sex and age (the median section 33 wage two years back, within the floor and ceiling)."""
    rows = np.flatnonzero(persons.status == UNEMPLOYED)
    share = labour.s33_share_of_unemployment_inflow(persons, shares, params, year)
    left = rows[systematic(share[cells(persons)[rows]], rng.random())]
    records = persons.ssf_records(left)
    persons.ssf.s33_left_year[records] = year
    persons.s33_months[left] = np.maximum(persons.s33_months[left], 12)
    median = persons.tables["median_wage"][SSF_S33].ravel()[persons.cells[left]]
    growth = param(params, "population.past_wage_growth", year)
    persons.avg_insurable_wage[left] = insurable(median / (1.0 + growth) ** WINDOW_LAG_YEARS, params,
                                                 date(year, 7, 1))


def accrue_contributions(persons: Persons, params: ParameterTree, year: int) -> None:
    """Add the year from 1 July `year` spent in sections 33, 39 and 40 to the records (statuses before the year's
    transitions); the wage limits are those in force at mid-year, 1 January of `year + 1`."""
    when = date(year + 1, 1, 1)
    window = param(params, "ssf_s33.pension.averaging_months", year)
    limits = (np.float32(params.get("ssf_s33.wage_floor", when)), np.float32(params.get("ssf_s33.wage_ceiling", when)),
              np.float32(params.get("ssf_s39.deemed_wage", when)), float(window - 12))
    threads.for_blocks(lambda _, rows: kernels.accrue_contributions(  # each row's own records: by block on threads
        persons.status[rows], persons.wage[rows], persons.avg_insurable_wage[rows], persons.s33_months[rows],
        persons.s39_months[rows], persons.s40_months[rows], SSF_S33, SSF_S39, SSF_S40, *limits), len(persons))
