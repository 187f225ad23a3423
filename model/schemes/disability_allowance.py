"""Disability Allowance (เบี้ยความพิการ): a tax-financed monthly cash allowance for persons with a disability card.

Rule (fact sheet A2): a Thai national holding a disability identity card (`disabled`) is paid 800 THB a
month (A2.1), or 1,000 THB a month when younger than 18 (A2.2, from 1 Oct 2020); there is no means test
(A2.6). Amounts and the child age limit are read month by month (`disability_allowance.amount_adult`,
`amount_child`, `child_age_limit`), so a change on 1 October is paid for 3 months of that calendar year.
Take-up is persistent per person (`disability_allowance.take_up`, A2.8). With the switch
`disability_allowance.indexation` (off: current law freezes the amounts) the amounts are read in 1 Jan 2025 prices
and follow the consumer price index (their `uprating`), as in scenarios/current_policy.yaml.

Overlaps: cumulative with the old-age allowance for persons aged 60+ (A2.6, switch
`cumulative_with_old_age_allowance`; when a reform switches it off, rows paid the old-age allowance in the
year get no disability allowance in the months concerned). Welfare-card holders with a disability also get
the card's 200 THB/month disability top-up on top of this allowance (A2.4, A4.14; counted in welfare_card).
"""

import numpy as np

from . import kernels
from .base import Payments, SchemeYear, YearContext, choose, month_groups
from .declaration import Scheme
from .takeup import interval
from .rows import rows_by_blocks

SCHEME = Scheme(
    name="disability_allowance",
    order=20,
    label_en="Disability allowance",
    label_th="เบี้ยความพิการ",
    financing="budget",
    kind="allowance",
    depends_on=("old_age_allowance",),
    take_up=2,
)

_PATHS: tuple[str, ...] = ("amount_adult", "amount_child", "child_age_limit", "cumulative_with_old_age_allowance",
                           "take_up")


def compute(ctx: YearContext) -> SchemeYear:
    """Allowance paid in calendar year `ctx.year`, THB/year per recipient (cash)."""
    persons = ctx.persons
    old_age_paid = None
    payments = Payments(len(persons))
    for month, months in month_groups(ctx, "disability_allowance", _PATHS):
        rows = rows_by_blocks(kernels.flag_taken_up, len(persons), persons.thai, persons.disabled,
                              persons.propensity,
                              *interval(SCHEME.take_up_offset, month["take_up"]))
        if not month["cumulative_with_old_age_allowance"]:
            if old_age_paid is None:
                old_age_paid = ctx.result("old_age_allowance").recipient_mask()
            rows = np.compress(~old_age_paid[rows], rows)
        amount = choose(persons.age[rows] < month["child_age_limit"], month["amount_child"], month["amount_adult"])
        payments.add(rows, months * amount, months=months)
    rows, (benefit,) = payments.merged()
    return SchemeYear.paid(len(persons), rows, benefit, cash=True, **payments.monthly(persons.scale))
