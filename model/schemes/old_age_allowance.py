"""Old Age Allowance (เบี้ยยังชีพผู้สูงอายุ): a tax-financed monthly cash allowance paid by local administrations.

Rule (fact sheet A1): a Thai national aged 60 or over is paid a monthly amount that steps up with age,
600 / 700 / 800 / 1,000 THB for ages 60-69 / 70-79 / 80-89 / 90+ (A1.1-A1.4); the amounts and the
lowest age of each band are read from `old_age_allowance.amount.*` and `old_age_allowance.band_lower_age.*`
month by month, so a new amount from 1 October is paid for 3 months of that calendar year. Persons with a
pension from the state (`state_pensioner`) or a salary or regular income from the state (serving civil
servants and state employees, status civil_servant, switch `excludes_state_salaried`) are not paid (A1.8);
Social Security Fund pensioners are (A1.9, switch `excludes_ssf_pensioners`, off). Residents of state elderly
homes are also excluded by the rule but not modelled (the population has no such attribute). The eligible
pool is Thai nationals (`thai`), whose count aged 60+ the base population matches to DOPA registration
(model/population/nationality.py). Take-up is persistent per person (`old_age_allowance.take_up`, solved against
the FY2023 outturn).

The August 2023 income test (A1.10) is a switch, `income_test.enabled`, off in the baseline because it was
never enforced (A1.11-A1.12). When it is on, persons reaching the eligibility age on or after the date the
test came into force must have a household income per person (THB/year: the members' incomes of the person's
household summed, over its members; model.population.households.income_per_person) at or below
`income_test.threshold`; everyone who reached it earlier is protected as an existing recipient (A1.10,
Item 17). Birthdays are not modelled: age is in completed years on 1 July, so a person of age a in year y
is taken to reach age L on 1 January of year y - a + L, the midpoint of the possible dates.

Indexation (switch `old_age_allowance.indexation`, off): the amounts' `uprating` is the consumer price index from a
base of 1 January 2023, switched by it, so when it is on the amounts are read as 2023 prices and grown with prices
(`YearContext.uprated_monthly`), e.g. for a basic pension set at the 2023 poverty line.

Overlaps: paid in full alongside the disability allowance (A2.6) and alongside a Social Security Fund
old-age pension (A1.9); welfare-card holders aged 60+ also got the card's elderly top-up until March 2023 (A4.13). Not paid
with a civil-service pension (the civil_service_pension scheme).
"""

from datetime import date
from typing import Any

import numpy as np

from ..parameters import ParameterTree
from ..population.axes import AGES
from ..population.households import income_per_person_of_rows
from ..population.status import CIVIL_SERVANT
from . import kernels
from .base import Payments, SchemeYear, YearContext, month_groups
from .declaration import Scheme
from .takeup import interval
from .rows import by_row_blocks, like, mask_by_blocks, rows_by_blocks

SCHEME = Scheme(
    name="old_age_allowance",
    order=10,
    label_en="Old-age allowance",
    label_th="เบี้ยยังชีพผู้สูงอายุ",
    financing="budget",
    kind="allowance",
    take_up=1,
)

BANDS: tuple[str, ...] = ("age_60_69", "age_70_79", "age_80_89", "age_90_plus")
_PATHS: tuple[str, ...] = (
    tuple(f"amount.{b}" for b in BANDS) + tuple(f"band_lower_age.{b}" for b in BANDS)
    + ("excludes_state_pensioners", "excludes_state_salaried", "excludes_ssf_pensioners", "take_up",
       "income_test.enabled", "income_test.threshold")
)


def income_test_start(params: ParameterTree, day: date) -> date:
    """Date from which the income test has been continuously enabled, for a `day` on which it is enabled."""
    values = params.info("old_age_allowance.income_test.enabled").values
    index = max(i for i, v in enumerate(values) if v.date <= day)
    while index > 0 and values[index - 1].value:
        index -= 1
    return values[index].date


def monthly_recipients(ctx: YearContext, month: dict[str, Any]) -> np.ndarray:
    """Rows paid in a month with parameter values `month` (path under old_age_allowance → value, and the date the
    income test has been enabled since, `income_test_start`, None when it is off)."""
    persons = ctx.persons
    lowest_age = month["band_lower_age.age_60_69"]
    # thai, of age, not excluded (state pensioners, state salaried, SSF pensioners, as switched) and taking it up
    test_start = month["income_test_start"]
    excluded = np.zeros(len(persons), dtype=bool)  # the excluded pensioners
    if month["excludes_state_pensioners"]:
        persons.flag_mask("state_pensioner", into=excluded)
    if month["excludes_ssf_pensioners"]:
        persons.record_mask("ssf", persons.ssf.ssf_pension_start != 0, into=excluded)
    args = (persons.thai, persons.age, excluded, persons.status, persons.propensity, like(lowest_age, persons.age),
            like(CIVIL_SERVANT if month["excludes_state_salaried"] else -1, persons.status),
            *interval(SCHEME.take_up_offset, month["take_up"]))
    del excluded
    if test_start is None:
        return rows_by_blocks(kernels.old_age_eligible, len(persons), *args)
    eligible = mask_by_blocks(kernels.old_age_eligible, len(persons), *args)
    del args  # the excluded pensioners' full-length mask (peak memory)
    first_cohort_year = test_start.year + (test_start > date(test_start.year, 1, 1))
    new_entrant = ctx.year - persons.age.astype(np.int32) + int(lowest_age) >= first_cohort_year
    tested = np.flatnonzero(eligible & new_entrant)  # the new entrants pass the income test or are not eligible
    eligible[tested] = income_per_person_of_rows(persons, tested) <= month["income_test.threshold"]
    return np.flatnonzero(eligible)


def monthly_amount(ctx: YearContext, rows: np.ndarray, month: dict[str, Any]) -> np.ndarray:
    """THB/month paid to each of the recipients `rows` in a month with parameter values `month`: the amount of the
    person's age band (uprated to current prices when the allowance is indexed)."""
    return amount_by_age(month)[ctx.persons.age[rows]]


def amount_by_age(month: dict[str, Any]) -> np.ndarray:
    """[age] THB/month paid at each age in a month with parameter values `month` (0 below the lowest band)."""
    return np.select([AGES >= month[f"band_lower_age.{b}"] for b in reversed(BANDS)],
                     [month[f"amount.{b}"] for b in reversed(BANDS)], default=0.0)


def compute(ctx: YearContext) -> SchemeYear:
    """Allowance paid in calendar year `ctx.year`, THB/year per recipient (cash)."""
    enabled = ctx.monthly("old_age_allowance.income_test.enabled")
    starts = [income_test_start(ctx.params, date(ctx.year, m + 1, 1)) if on else None for m, on in enumerate(enabled)]
    payments = Payments(len(ctx.persons))
    for month, months in month_groups(ctx, "old_age_allowance", _PATHS, {"income_test_start": starts}):
        rows = monthly_recipients(ctx, month)
        # months × monthly_amount, in one pass
        paid = by_row_blocks(kernels.times_by_age, ctx.persons.age, rows, amount_by_age(month), float(months))
        payments.add(rows, paid, months=months)
    rows, (benefit,) = payments.merged()
    return SchemeYear.paid(len(ctx.persons), rows, benefit, cash=True, **payments.monthly(ctx.persons.scale))
