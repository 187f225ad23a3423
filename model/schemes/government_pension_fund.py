"""Government Pension Fund (GPF, กองทุนบำเหน็จบำนาญข้าราชการ / กบข.): the budget's contributions for officials.

Rule (GPF Act B.E. 2539; fact sheet A7.3-A7.5; parameters under `government_pension_fund`): central officials who
are GPF members (`gpf_member`: compulsory for entrants from 27 March 1997, chosen by a share of earlier entrants,
see model.population.civil_service; state employees and local-government officials, `local_official`, are not
members) save `member_rate` (3%) of their salary; the government adds a matching contribution
`government_matching_rate` (3%) and a compensation contribution `government_compensation_rate` (2%, for the pension
formula capped at 70% of the 60-month average). The state also allots to the fund's pension reserve a share
`reserve_allotment_fraction` of the year's pension and gratuity budget (the `civil_service_pension` cost). The Act
sets at least 20% until the reserve reaches `reserve_target_multiple` (3) times that budget; the FY2024 budget line
(78.8 billion THB for reserve, matching and compensation together) is below 20% of the pension budget plus the
contributions, so the share allotted from 2023 is solved against it (15.2%, calibrated on T3.3). The reserve is
taken to stay below the target over the projection (it is not tracked), so the allotment is paid every year.

This is saving, like the National Savings Fund: the matching and compensation contributions are credited to members'
accounts (in kind, `cash=False`) and paid out on leaving service, so `benefit` is the government's contributions
per member in the year and the reserve allotment is a pooled cost; `contributions` are the members' savings
(insured) and everything the government pays in (government). Payouts from the fund are not modelled. The extra
2% initial contribution for 1997 transferees has been paid and is not costed.
"""

import numpy as np

from ..population.status import CIVIL_SERVANT
from .base import Payments, RowAmounts, SchemeYear, YearContext, month_groups
from .declaration import Scheme
from .rows import status_rows

SCHEME = Scheme(
    name="government_pension_fund",
    order=110,
    label_en="Government Pension Fund",
    label_th="กองทุนบำเหน็จบำนาญข้าราชการ (กบข.)",
    financing="budget_and_fund",
    kind="savings",
    fund="gpf",
    depends_on=("civil_service_pension",),
)

_PATHS = ("member_rate", "government_matching_rate", "government_compensation_rate", "reserve_allotment_fraction")


def members(ctx: YearContext) -> np.ndarray:
    """Rows of serving officials who are GPF members (state employees and local officials are not)."""
    p = ctx.persons
    rows = status_rows(ctx, CIVIL_SERVANT)  # few rows: the other tests run on them only
    gpf_member, state_employee, local_official = p.record_values(rows, "gpf_member", "state_employee",
                                                                 "local_official")
    return np.compress(gpf_member & ~state_employee & ~local_official, rows)


def contributions(monthly_salary: np.ndarray, months: float, member_rate: float, matching_rate: float,
                  compensation_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """(member's savings, government's matching plus compensation), THB over `months` of a monthly salary (THB)."""
    salary = np.asarray(monthly_salary, dtype=np.float64) * months
    return member_rate * salary, (matching_rate + compensation_rate) * salary


def pension_cost(ctx: YearContext) -> float:
    """THB the civil-service pension scheme pays in the year (whole population): its benefit cost, paid to persons
    and pooled, from its result of the year."""
    pensions = ctx.result("civil_service_pension")
    return pensions.total() * ctx.persons.scale + pensions.pooled_cost


def compute(ctx: YearContext) -> SchemeYear:
    """Government contributions credited in calendar year `ctx.year` (THB/year per member) and the reserve allotment
    (pooled); members' savings and all government payments as contributions."""
    persons = ctx.persons
    rows = members(ctx)
    wage = persons.wage[rows]
    payments = Payments(len(persons))
    reserve = 0.0
    for month, months in month_groups(ctx, "government_pension_fund", _PATHS):
        own, government = contributions(wage, months, month["member_rate"], month["government_matching_rate"],
                                        month["government_compensation_rate"])
        payments.add(rows, government, own)
        reserve += month["reserve_allotment_fraction"] * months / 12.0
    rows, (government, own) = payments.merged()
    reserve *= pension_cost(ctx)
    scale = persons.scale
    matched = float(government.sum() * scale)
    return SchemeYear(size=len(persons), rows=rows, amount=government, pooled_cost=reserve, cash=False,
                      contributions={"insured": float(own.sum() * scale), "government": matched + reserve},
                      insured_by_row=RowAmounts(rows, own))
