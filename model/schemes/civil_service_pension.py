"""Civil-service pensions and gratuities (บำเหน็จบำนาญข้าราชการ): budget-financed payments to retired officials.

Rules (Civil Service Pension Act B.E. 2494 and GPF Act B.E. 2539, as computed by the Comptroller General's
Department; fact sheet A7.1-A7.3; parameters under `civil_service_pension`):
- Pension, officials outside the GPF (entered before 27 March 1997 and did not join): last monthly salary × whole
  years of service (a half year or more counts as one) / 50, at most the last salary (`cap_non_member`).
- Pension, GPF members: average salary of the last 60 months × years of service / 50, at most 70% of that
  average (`cap`).
- Living gratuity (บำเหน็จดำรงชีพ): 15 × the monthly pension, received in instalments capped by age: at most
  200,000 THB in all before 65, 400,000 from 65, 500,000 from 70 (`living_gratuity.*`, caps since 2020).
- Death gratuity (บำเหน็จตกทอด) to a pensioner's heirs: 30 × the monthly pension less the living gratuity received
  (`death_gratuity.multiple`).
- One-off gratuity (บำเหน็จ) instead of a pension: last salary × years of service, chosen at retirement by a share
  `gratuity_share` of officials (drawn in model.population.civil_service, record field `cs_gratuity_due`).
- Cost-of-living supplement (ช.ค.บ., Royal Decree on the supplement for pensioners, No. 16 of 2019 and No. 17 of
  2024): a pension below `cost_of_living_floor` (10,000 THB/month from June 2019, 11,000 from May 2024) is topped
  up to it each month; paid with the pension from the same budget line. Supplements granted before 2019 as
  percentages of pensions are not modelled.

Only central officials are paid: officials of local governments (`local_official`, model.population.civil_service)
draw their pensions and gratuities from local budgets, outside this budget line, and never become state
pensioners.

The people layer sets `state_pensioner` at retirement and `gpf_member`, and keeps `cs_last_salary`, `cs_salary`
(average of the last 60 months) and `service_years` in the person's civil-service record (`persons.cs`, found
through `persons.cs_records`; model.population.persons.Records). `advance` awards the pension once, when a state
pensioner has none in payment yet (record field `cs_pension`, THB/month, rules in force on 1 January), raises
pensions in payment by `indexation` (0 in the baseline) and pays the living-gratuity instalments now due (field
`cs_living_gratuity` holds what was received). `compute` pays, per calendar year: 12 months of pension to each state
pensioner, the year's living-gratuity instalments and one-off gratuities (cash, to the persons), and as a pooled
cost the death gratuities of the pensioners expected to die over the year (their death probability by sex and age
from the demography times the gratuity; the heirs are not rows). The cost-of-living supplement is paid on top of the
pension in payment month by month. Special pensions for disability or death in service (บำนาญพิเศษ) are not
modelled; the law pays no survivor's pension besides these. The state's allotment to the pension reserve is costed
in `government_pension_fund`.

Overlaps: state pensioners are not paid the old-age allowance (A1.8) and cannot hold a welfare card (A4.6); they
are CSMBS beneficiaries (A6.9).
"""

from collections import Counter
from collections.abc import Sequence

import numpy as np

from .base import SchemeYear, YearContext
from .declaration import Scheme
from .rows import flag_rows

SCHEME = Scheme(
    name="civil_service_pension",
    order=100,
    label_en="Civil service pension",
    label_th="บำเหน็จบำนาญข้าราชการ",
    financing="budget",
    kind="pension",
)

def pre_1997_pension(ctx: YearContext, last_salary: np.ndarray, service_years: np.ndarray) -> np.ndarray:
    """Monthly pension (THB/month) outside the GPF: last salary (THB/month) × whole years of service / divisor, at
    most `cap_non_member` × the last salary."""
    divisor = ctx.january("civil_service_pension.accrual_divisor")
    cap = ctx.january("civil_service_pension.cap_non_member")
    salary = np.asarray(last_salary, dtype=np.float64)
    years = np.floor(np.asarray(service_years, dtype=np.float64) + 0.5)
    return np.minimum(salary * years / divisor, cap * salary)


def gpf_pension(ctx: YearContext, average_salary: np.ndarray, service_years: np.ndarray) -> np.ndarray:
    """Monthly pension (THB/month) of a GPF member: average salary of the last 60 months (THB/month) × years of
    service / divisor, at most `cap` × that average."""
    divisor = ctx.january("civil_service_pension.accrual_divisor")
    cap = ctx.january("civil_service_pension.cap")
    salary = np.asarray(average_salary, dtype=np.float64)
    return np.minimum(salary * np.asarray(service_years, dtype=np.float64) / divisor, cap * salary)


def pension_formula(ctx: YearContext, last_salary: np.ndarray, average_salary: np.ndarray,
                    service_years: np.ndarray, gpf_member: np.ndarray) -> np.ndarray:
    """Monthly pension (THB/month) under the formula of each official's GPF membership."""
    return np.where(gpf_member, gpf_pension(ctx, average_salary, service_years),
                    pre_1997_pension(ctx, last_salary, service_years))


def living_gratuity_cap(ctx: YearContext, age: np.ndarray) -> np.ndarray:
    """Living gratuity (THB) a pensioner of `age` may have received in all."""
    caps = [ctx.january(f"civil_service_pension.living_gratuity.cap_{band}")
            for band in ("under_65", "from_65", "from_70")]
    age = np.asarray(age)
    return np.select([age >= 70, age >= 65], caps[:0:-1], default=caps[0]).astype(np.float64)


def living_gratuity_instalment(ctx: YearContext, pension: np.ndarray, received: np.ndarray,
                               age: np.ndarray) -> np.ndarray:
    """Living gratuity (THB) now due: multiple × monthly pension (THB/month), within the cap of the age, less what
    was received (THB)."""
    multiple = ctx.january("civil_service_pension.living_gratuity.multiple")
    entitled = np.minimum(multiple * np.asarray(pension, dtype=np.float64), living_gratuity_cap(ctx, age))
    return np.maximum(entitled - np.asarray(received, dtype=np.float64), 0.0)


def death_gratuity(ctx: YearContext, pension: np.ndarray, living_received: np.ndarray) -> np.ndarray:
    """Death gratuity (THB) to the heirs of a pensioner: multiple × monthly pension (THB/month) less the living
    gratuity received (THB), never negative."""
    multiple = ctx.january("civil_service_pension.death_gratuity.multiple")
    return np.maximum(multiple * np.asarray(pension, dtype=np.float64)
                      - np.asarray(living_received, dtype=np.float64), 0.0)


def cost_of_living_supplement(pension: np.ndarray, floor: float) -> np.ndarray:
    """Monthly cost-of-living supplement (THB/month): what tops a monthly pension (THB/month) up to `floor`."""
    return np.maximum(floor - np.asarray(pension, dtype=np.float64), 0.0)


def pension_paid(pension: np.ndarray, floors: Sequence[float]) -> np.ndarray:
    """Pension with the cost-of-living supplement (THB) paid over months whose floors (THB/month) are given."""
    pension = np.asarray(pension, dtype=np.float64)
    paid = pension * len(floors)
    for floor, months in Counter(floors).items():
        paid += months * cost_of_living_supplement(pension, floor)
    return paid


def initialise(ctx: YearContext) -> None:
    """Base-year pensions, and the living gratuity base-year pensioners had received by the previous year's age."""
    persons, cs = ctx.persons, ctx.persons.cs
    rows = cs.rows_where(cs.state_pensioner)
    records = persons.cs_records(rows)
    pension = pension_formula(ctx, cs.cs_last_salary[records], cs.cs_salary[records], cs.service_years[records],
                              cs.gpf_member[records])
    cs.cs_pension[records] = pension
    retire = ctx.january("civil_service_pension.retirement_age")
    age = persons.age[rows]
    earlier = living_gratuity_instalment(ctx, pension, 0.0, age - 1)
    cs.cs_living_gratuity[records] = np.where(age > retire, earlier, 0.0)


def advance(ctx: YearContext) -> None:
    """Index pensions in payment, award a pension to state pensioners without one, and pay the living-gratuity
    instalments due this year (kept in `ctx.advanced` for `compute`)."""
    persons, cs = ctx.persons, ctx.persons.cs
    indexation = ctx.january("civil_service_pension.indexation")
    if indexation:
        in_payment = np.flatnonzero(cs.cs_pension > 0)  # records (those of persons gone too: harmless)
        cs.cs_pension[in_payment] *= 1.0 + indexation
    rows = flag_rows(ctx, "state_pensioner")
    records = persons.cs_records(rows)
    unawarded = cs.cs_pension[records] == 0
    fresh = np.compress(unawarded, records)
    cs.cs_pension[fresh] = pension_formula(ctx, cs.cs_last_salary[fresh], cs.cs_salary[fresh],
                                           cs.service_years[fresh], cs.gpf_member[fresh])
    due = living_gratuity_instalment(ctx, cs.cs_pension[records], cs.cs_living_gratuity[records],
                                     persons.age[rows])
    cs.cs_living_gratuity[records] += due
    ctx.advanced["civil_service_pension"] = (rows, due)


def compute(ctx: YearContext) -> SchemeYear:
    """Pensions, living-gratuity instalments and one-off gratuities paid in calendar year `ctx.year` (THB/year per
    person, cash), and the expected death gratuities to heirs (pooled). By month, the year's flows spread evenly
    (SchemeYear's default): exact for pensions in payment, an approximation for gratuities and for a year in
    which the cost-of-living floor changes."""
    persons, cs = ctx.persons, ctx.persons.cs
    pensioners = flag_rows(ctx, "state_pensioner")
    # read only: `compute` may run beside other schemes
    monthly, living = persons.record_values(pensioners, "cs_pension", "cs_living_gratuity")
    floors = ctx.monthly("civil_service_pension.cost_of_living_floor").tolist()
    pension = pension_paid(monthly, floors)
    if "civil_service_pension" in ctx.advanced:  # the instalments `advance` paid on the same state: the same rows
        rows, due = ctx.advanced["civil_service_pension"]
        pension += due if np.array_equal(rows, pensioners) else 0.0
    takers = cs.rows_where(cs.cs_gratuity_due > 0)  # never state pensioners
    paid = np.concatenate([pensioners, takers])
    amount = np.concatenate([pension, persons.values_of("cs_gratuity_due", takers).astype(np.float64)])

    heirs = 0.0
    if pensioners.size:
        q = ctx.expected_deaths(pensioners)
        gratuity = death_gratuity(ctx, monthly, living)
        # summed by numpy, not a BLAS dot product: OpenBLAS splits a dot of more than 10,000 terms between its
        # threads, so the sum would depend on the machine's cores
        heirs = float(np.sum(q * gratuity)) * persons.scale
    return SchemeYear.paid(len(persons), paid, amount, cash=True, pooled_cost=heirs)
