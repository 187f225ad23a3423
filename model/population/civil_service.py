"""Civil servants: state employees, years of service and pensionable salary, and state pensioners.

Base year: state employees are drawn among civil servants at the targets' ratio; service runs from an entry age
uniform between `entry_age_min` and `entry_age_max`; the salary average of the last 60 months is the current salary
deflated by two years of wage growth. State pensioners (target count) are spread evenly over Thai persons out of
work from the old age on, with a full career from the same entry ages to the retirement age and the salary of that
age, deflated by the years since retiring.

Every year: service grows by a year and the salary average moves towards the year's salary (60-month moving
average); civil servants past the retirement age retire, officials (not state employees) with the minimum service
drawing a state pension; new civil servants are state employees at the base-year ratio; state employees who leave
for another job lose the flag.
"""

import numpy as np

from ..parameters import ParameterTree
from .lookup import param
from .persons import Persons
from .status import CIVIL_SERVANT, INACTIVE, RETIRED
from .targets import Targets
from .wages import log_sd

WINDOW_LAG_YEARS = 2.0  # mean age of the salaries in a 60-month average


def state_employee_share(targets: Targets) -> float:
    """Fraction of civil servants who are state employees rather than officials (A7.7)."""
    return targets.value("state_employees") / targets.value("civil_servants")


def _entry_ages(params: ParameterTree, year: int, n: int, rng: np.random.Generator) -> np.ndarray:
    lo = param(params, "population.civil_service.entry_age_min", year)
    hi = param(params, "population.civil_service.entry_age_max", year)
    return lo + (hi - lo) * rng.random(n)


def initialise_civil_service(persons: Persons, targets: Targets, params: ParameterTree, year: int,
                             rng: np.random.Generator) -> None:
    """Flags, service and salary of civil servants, and the state pensioners, for the base year."""
    growth = param(params, "population.past_wage_growth", year)
    rows = np.flatnonzero(persons.status == CIVIL_SERVANT)
    persons.state_employee[rows] = rng.random(rows.size) < state_employee_share(targets)
    persons.service_years[rows] = np.maximum(persons.age[rows] - _entry_ages(params, year, rows.size, rng), 0.0)
    persons.cs_salary[rows] = persons.wage[rows] / (1.0 + growth) ** WINDOW_LAG_YEARS

    old = param(params, "population.labour.old_age", year)
    candidates = np.flatnonzero(persons.thai & (persons.status == INACTIVE) & (persons.age >= old))
    chance = targets.value("state_pensioners") / max(candidates.size * persons.scale, 1.0)
    rows = candidates[rng.random(candidates.size) < chance]
    retire = param(params, "civil_service_pension.retirement_age", year)
    persons.state_pensioner[rows] = True
    persons.service_years[rows] = retire - _entry_ages(params, year, rows.size, rng)
    last_age = int(retire) - 1
    median = persons.tables["median_wage"][CIVIL_SERVANT, persons.sex[rows], last_age]
    years_retired = np.maximum(persons.age[rows] - retire, 0.0) + WINDOW_LAG_YEARS
    salary = median * np.exp(log_sd(params, year)[1] * rng.standard_normal(rows.size))
    persons.cs_salary[rows] = salary / (1.0 + growth) ** years_retired


def accrue_service(persons: Persons, params: ParameterTree, year: int) -> None:
    """Add the year from 1 July `year` to civil servants' service and salary average (statuses before the year's
    transitions)."""
    rows = np.flatnonzero(persons.status == CIVIL_SERVANT)
    window = param(params, "civil_service_pension.averaging_months", year)
    service = persons.service_years[rows]
    earlier = np.minimum(12 * service, window - 12)
    persons.cs_salary[rows] = (persons.cs_salary[rows] * earlier + persons.wage[rows] * 12) / (earlier + 12)
    persons.service_years[rows] = service + 1


def update_civil_service(persons: Persons, rows: np.ndarray, old_status: np.ndarray, targets: Targets,
                         params: ParameterTree, year: int, rng: np.random.Generator) -> None:
    """Flags of the rows that changed status this year (ages already advanced)."""
    status = persons.status[rows]
    entered = rows[status == CIVIL_SERVANT]
    persons.state_employee[entered] = rng.random(entered.size) < state_employee_share(targets)
    was = old_status == CIVIL_SERVANT
    retired = rows[was & (status == RETIRED)]
    retire_age = param(params, "civil_service_pension.retirement_age", year)
    min_service = param(params, "population.civil_service.pension_min_service_years", year)
    pension = (persons.age[retired] > retire_age) & ~persons.state_employee[retired] & (
        persons.service_years[retired] >= min_service)
    persons.state_pensioner[retired[pension]] = True
    persons.state_employee[rows[was & (status != RETIRED)]] = False

