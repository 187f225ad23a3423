"""Civil servants: state employees, years of service, salaries, GPF membership, and state pensioners.

Base year: state employees are drawn among civil servants at the targets' ratio and keep the civil-service wage;
officials are paid on their own salary profile (model.population.wages: entry salary rising with age to the
officials' mean salary); service runs from an entry age uniform between `entry_age_min` and `entry_age_max`; the
last salary is the current one and the average of the last 60 months is it deflated by two years of wage growth.
State pensioners (target count) are spread evenly over Thai persons out of work from the old age on, with a full
career from the same entry ages to the retirement age and the last salary of an official of the last age of
service today, deflated by the years since retiring. Of those who retired within the past year a share
`civil_service_pension.gratuity_share` took the one-off gratuity instead (due in the base year).

Local officials: a share `local_official_share` of officials serve local governments (`local_official`). They are
outside the GPF and, on retiring, draw their pension or gratuity from local budgets, not the central budget's
pension line, so they never become state pensioners here; the base-year state pensioners (target count) are
central ones.

GPF membership (GPF Act B.E. 2539): central officials who entered service on or after 27 March 1997 are members;
earlier entrants who were still serving then chose, and a share `government_pension_fund.opt_in_share` joined.
State employees and local officials are not members. Membership is kept on retirement: it decides the pension
formula.

Every year: service grows by a year, the last salary is the year's salary and the salary average moves towards it
(60-month moving average); civil servants past the retirement age retire, officials (not state employees) with the
minimum service drawing a state pension or, a share `gratuity_share`, the one-off gratuity (central officials only);
new civil servants are state employees at the base-year ratio, the officials among them local officials at
`local_official_share` and the others GPF members, all paid on the officials' profile; state employees and local
officials who leave for another job lose the flag.

Service, salaries, pension, gratuities and the four flags (`state_employee`, `local_official`, `gpf_member`,
`state_pensioner`) are kept in each person's civil-service record (`persons.cs`,
model.population.persons.Records; a few percent of rows have one), given to a civil servant on entry (or in the
base year, with the state pensioners) and kept for life: `persons.cs_records(rows)` finds the rows' records.
"""

import numpy as np

from .. import threads
from ..parameters import ParameterTree
from . import kernels
from .lookup import param
from .persons import Persons
from .status import CIVIL_SERVANT, INACTIVE, RETIRED
from .streams import row_uniforms
from .targets import Targets
from .wages import draw_official_salaries, initialise_official_salaries, log_sd

WINDOW_LAG_YEARS = 2.0  # mean age of the salaries in a 60-month average
GPF_START = 1997.0 + 85.0 / 365.0  # 27 March 1997 as a fractional calendar year: compulsory GPF membership after it


def state_employee_share(targets: Targets) -> float:
    """Fraction of civil servants who are state employees rather than officials (A7.7)."""
    return targets.value("state_employees") / targets.value("civil_servants")


def local_officials(officials: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Of the rows `officials`, those drawn as local-government officials (each with probability `share`)."""
    return officials[rng.random(officials.size) < share]


def gpf_membership(entry_year: np.ndarray, exit_year: np.ndarray, opt_in_share: float,
                   rng: np.random.Generator) -> np.ndarray:
    """GPF members among officials who entered service at `entry_year` and left it at `exit_year` (fractional
    calendar years): all entrants from 27 March 1997, and a share `opt_in_share` of earlier entrants still serving
    on that day (the others, and those who had left by then, stay outside the fund)."""
    draw = rng.random(entry_year.size)
    return (entry_year >= GPF_START) | ((exit_year >= GPF_START) & (draw < opt_in_share))


def _entry_ages(params: ParameterTree, year: int, n: int, rng: np.random.Generator) -> np.ndarray:
    lo = param(params, "population.civil_service.entry_age_min", year)
    hi = param(params, "population.civil_service.entry_age_max", year)
    return lo + (hi - lo) * rng.random(n)


def gratuity_due(last_salary: np.ndarray, service_years: np.ndarray, gpf_member: np.ndarray) -> np.ndarray:
    """One-off gratuity (บำเหน็จ, THB) of an official who takes it instead of a pension: last monthly salary ×
    years of service, whole years (a half year or more counting as one) outside the GPF, years and fraction for
    GPF members (Comptroller General's Department formula)."""
    service = np.asarray(service_years, dtype=np.float64)
    years = np.where(gpf_member, service, np.floor(service + 0.5))
    return np.asarray(last_salary, dtype=np.float64) * years


def initialise_civil_service(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                             rng: np.random.Generator) -> None:
    """Flags, service, salary and GPF membership of civil servants, and the state pensioners, for the base year."""
    growth = param(params, "population.past_wage_growth", year)
    opt_in = param(params, "government_pension_fund.opt_in_share", year)
    local_share = param(params, "population.civil_service.local_official_share", year)
    rows = np.flatnonzero(persons.status == CIVIL_SERVANT)
    cs, records = persons.cs, persons.cs_records(rows)
    employee = rng.random(rows.size) < state_employee_share(targets)
    cs.state_employee[records] = employee
    cs.local_official[local_officials(records[~employee], local_share, rng)] = True
    initialise_official_salaries(persons, rows[~employee], targets, params, year, rng)
    cs.service_years[records] = np.maximum(persons.age[rows] - _entry_ages(params, year, rows.size, rng), 0.0)
    cs.cs_last_salary[records] = persons.wage[rows]
    cs.cs_salary[records] = persons.wage[rows] / (1.0 + growth) ** WINDOW_LAG_YEARS
    entry = year + 0.5 - cs.service_years[records]
    cs.gpf_member[records] = ~employee & ~cs.local_official[records] & gpf_membership(
        entry, np.full(rows.size, np.inf), opt_in, rng)

    old = param(params, "population.labour.old_age", year)
    candidates = np.flatnonzero(persons.thai & (persons.status == INACTIVE) & (persons.age >= old))
    chance = targets.value("state_pensioners") / max(candidates.size * persons.scale, 1.0)
    rows = candidates[rng.random(candidates.size) < chance]
    retire = param(params, "civil_service_pension.retirement_age", year)
    service = retire - _entry_ages(params, year, rows.size, rng)
    records = persons.cs_records(rows)
    cs.service_years[records] = service
    last_age = int(retire) - 1
    median = persons.tables["official_median_wage"][persons.sex[rows], last_age]
    years_retired = np.maximum(persons.age[rows] - retire, 0.0)
    salary = median * np.exp(log_sd(params, year)[1] * rng.standard_normal(rows.size))
    cs.cs_last_salary[records] = salary / (1.0 + growth) ** years_retired
    cs.cs_salary[records] = salary / (1.0 + growth) ** (years_retired + WINDOW_LAG_YEARS)
    retired_in = year + retire - persons.age[rows]
    cs.gpf_member[records] = gpf_membership(retired_in - service, retired_in, opt_in, rng)
    share = param(params, "civil_service_pension.gratuity_share", year)
    gratuity = (persons.age[rows] <= retire) & (rng.random(rows.size) < share)
    taken = records[gratuity]
    cs.cs_gratuity_due[taken] = gratuity_due(cs.cs_last_salary[taken], cs.service_years[taken],
                                             cs.gpf_member[taken])
    cs.state_pensioner[records[~gratuity]] = True


def accrue_service(persons: Persons, params: ParameterTree, year: int) -> None:
    """Add the year from 1 July `year` to civil servants' service, last salary and salary average (statuses before
    the year's transitions). Civil servants have their record (given on entry); one without (a table built with
    the status alone) gets one first, all values 0."""
    window = param(params, "civil_service_pension.averaging_months", year)
    most_earlier = np.float32(window - 12)
    cs = persons.cs
    blocks = threads.blocks(len(persons))
    lacking = [0] * len(blocks)  # civil servants without a record, by block

    def accrue(i: int, rows: slice) -> None:  # each row's own record: by block on threads
        lacking[i] = kernels.accrue_service(persons.status[rows], persons.cs_record[rows], CIVIL_SERVANT,
                                            persons.wage[rows], cs.service_years, cs.cs_salary, cs.cs_last_salary,
                                            most_earlier)

    threads.for_each(accrue, blocks)
    if any(lacking):
        rows = np.flatnonzero((persons.status == CIVIL_SERVANT) & (persons.cs_record < 0))
        persons.cs_records(rows)
        kernels.accrue_service(persons.status[rows], persons.cs_record[rows], CIVIL_SERVANT, persons.wage[rows],
                               cs.service_years, cs.cs_salary, cs.cs_last_salary, most_earlier)


def update_civil_service(persons: Persons, rows: np.ndarray, old_status: np.ndarray, targets: Targets,
                         params: ParameterTree, year: int, rng: np.random.Generator,
                         exit_rng: np.random.Generator | None = None) -> None:
    """Flags of the rows that changed status this year (ages already advanced); a one-off gratuity due from an
    earlier year has been paid and is cleared. Entrants' flags and salaries draw from `rng`, retirees' choice of the
    gratuity from `exit_rng` (by default `rng`). Each person's draw is keyed by their row (`row_uniforms`), so that
    it does not depend on who else enters or retires."""
    cs = persons.cs
    cs.cs_gratuity_due[cs.cs_gratuity_due > 0] = 0.0
    status = persons.status[rows]
    entered = rows[status == CIVIL_SERVANT]
    records = persons.cs_records(entered)  # a first entrant's record, each value 0 (a returning one keeps theirs)
    employee = row_uniforms(rng, entered) < state_employee_share(targets)
    cs.state_employee[records] = employee
    local_share = param(params, "population.civil_service.local_official_share", year)
    officials = entered[~employee]
    local = np.zeros(entered.size, dtype=bool)
    local[~employee] = row_uniforms(rng, officials) < local_share
    cs.local_official[records] = local
    # central officials entering after 27 March 1997 join the GPF by law
    cs.gpf_member[records] = ~employee & ~local
    draw_official_salaries(persons, officials, params, year, rng)
    was = old_status == CIVIL_SERVANT
    retired = rows[was & (status == RETIRED)]
    retire_age = param(params, "civil_service_pension.retirement_age", year)
    min_service = param(params, "population.civil_service.pension_min_service_years", year)
    records = persons.cs_records(retired)  # retirees were civil servants: each has a record already
    central = ((persons.age[retired] > retire_age) & ~cs.state_employee[records] & ~cs.local_official[records]
               & (cs.service_years[records] >= min_service))
    entitled, entitled_records = retired[central], records[central]
    gratuity = (row_uniforms(rng if exit_rng is None else exit_rng, entitled)
                < param(params, "civil_service_pension.gratuity_share", year))
    taken = entitled_records[gratuity]
    cs.cs_gratuity_due[taken] = gratuity_due(cs.cs_last_salary[taken], cs.service_years[taken],
                                             cs.gpf_member[taken])
    cs.state_pensioner[entitled_records[~gratuity]] = True
    left = persons.cs_record[rows[was & (status != RETIRED)]]
    left = left[left >= 0]  # a flag is only ever set in a record: rows without one have nothing to clear
    cs.state_employee[left] = False
    cs.local_official[left] = False
