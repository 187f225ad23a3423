"""Civil-service pension (บำนาญข้าราชการ): a budget-financed monthly pension of retired civil servants.

Rule (fact sheet A7.1-A7.2, GPF members): a civil servant retires at 60 and is paid for life a monthly
pension of the average salary of the last 60 months × years of service / 50, capped at 70% of that average
(`civil_service_pension.accrual_divisor`, `cap`). The people layer sets `state_pensioner` at retirement and
keeps `cs_salary`, already the average salary of the last 60 months (THB/month), and `service_years`.
`advance` awards the pension once, when a state pensioner has none in payment yet, and stores it in the
`cs_pension` column (THB/month) with the rules in force on 1 January of the year; each later year it
raises pensions in payment by `civil_service_pension.indexation` in force on 1 January (0 in the baseline:
no automatic rule). `compute` pays 12 months of the pension in payment to each state pensioner.
The old formula for pre-1997 non-GPF members (last salary × years / 50, uncapped) is not modelled, and the
Government Pension Fund's contributions (A7.4) and reserve (A7.5) are not costed here.

Overlaps: state pensioners are not paid the old-age allowance (A1.8) and cannot hold a welfare card (A4.6);
they are CSMBS beneficiaries (A6.9).
"""

from datetime import date

import numpy as np

from ..parameters import ParameterTree
from .base import SchemeYear, YearContext


def pension_formula(salary: np.ndarray, service_years: np.ndarray, params: ParameterTree, when: date) -> np.ndarray:
    """Monthly pension (THB/month) for an average salary (THB/month) and years of service under the rules of `when`."""
    divisor = params.get("civil_service_pension.accrual_divisor", when)
    cap = params.get("civil_service_pension.cap", when)
    salary = np.asarray(salary, dtype=np.float64)
    return np.minimum(salary * np.asarray(service_years, dtype=np.float64) / divisor, cap * salary)


def advance(ctx: YearContext) -> None:
    """Index pensions in payment, then award a pension to state pensioners without one (column `cs_pension`)."""
    persons, day = ctx.persons, date(ctx.year, 1, 1)
    indexation = ctx.params.get("civil_service_pension.indexation", day)
    if indexation:
        in_payment = np.flatnonzero(persons.cs_pension > 0)
        persons.cs_pension[in_payment] *= 1.0 + indexation
    new = np.flatnonzero(persons.state_pensioner & (persons.cs_pension == 0))
    persons.cs_pension[new] = pension_formula(persons.cs_salary[new], persons.service_years[new], ctx.params, day)


def compute(ctx: YearContext) -> SchemeYear:
    """Pensions paid in calendar year `ctx.year`, THB/year per pensioner (cash): the same pension every month, so
    the monthly flows are the year's spread evenly (SchemeYear's default)."""
    persons = ctx.persons
    rows = np.flatnonzero(persons.state_pensioner)
    return SchemeYear.paid(len(persons), rows, persons.cs_pension[rows] * 12.0, cash=True)
