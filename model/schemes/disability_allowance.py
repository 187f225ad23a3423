"""Disability Allowance (เบี้ยความพิการ): a tax-financed monthly cash allowance for persons with a disability card.

Rule (fact sheet A2): a Thai national holding a disability identity card (`disabled`) is paid 800 THB a
month (A2.1), or 1,000 THB a month when younger than 18 (A2.2, from 1 Oct 2020); there is no means test
(A2.6). Amounts and the child age limit are read month by month (`disability_allowance.amount_adult`,
`amount_child`, `child_age_limit`), so a change on 1 October is paid for 3 months of that calendar year.
Take-up is persistent per person (`disability_allowance.take_up`, A2.8).

Overlaps: cumulative with the old-age allowance for persons aged 60+ (A2.6, switch
`cumulative_with_old_age_allowance`; when a reform switches it off, rows paid the old-age allowance in the
year get no disability allowance in the months concerned). Welfare-card holders with a disability also get
the card's 200 THB/month disability top-up on top of this allowance (A2.4, A4.14; counted in welfare_card).
"""

from collections import Counter

import numpy as np

from . import old_age_allowance
from .base import SchemeYear, YearContext
from .takeup import DISABILITY_ALLOWANCE, takes_up

_PATHS: tuple[str, ...] = ("amount_adult", "amount_child", "child_age_limit", "cumulative_with_old_age_allowance",
                           "take_up")


def compute(ctx: YearContext) -> SchemeYear:
    """Allowance paid in calendar year `ctx.year`, THB/year per row (cash)."""
    persons = ctx.persons
    series = {path: ctx.params.monthly(f"disability_allowance.{path}", ctx.year) for path in _PATHS}
    registered = persons.thai & persons.disabled
    old_age_paid = (old_age_allowance.compute(ctx).benefit > 0
                    if not series["cumulative_with_old_age_allowance"].all() else None)
    benefit = np.zeros(len(persons))
    for values, months in Counter(zip(*series.values())).items():
        month = dict(zip(series, values))
        eligible = registered & takes_up(persons.propensity, DISABILITY_ALLOWANCE, month["take_up"])
        if not month["cumulative_with_old_age_allowance"]:
            eligible &= ~old_age_paid
        amount = np.where(persons.age < month["child_age_limit"], month["amount_child"], month["amount_adult"])
        benefit += months * np.where(eligible, amount, 0.0)
    return SchemeYear(benefit=benefit, cash=True)
