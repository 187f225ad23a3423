"""Child Support Grant (เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด): a tax-financed monthly cash grant per young child.

Rule (fact sheet A3): 600 THB a month per Thai child (A3.1, A3.4) from birth to the sixth birthday (A3.2:
children aged 0-5 in completed years on 1 July, `child_support_grant.max_age`), in a household whose
declared income per person is below 100,000 THB a year (A3.3, strict): declared income is money income, the
share `common.money_income_share` of the survey-based `hh_income_pc`. The switch
`child_support_grant.universal` (A3.6 proposal, off) drops the income test. All values are read month by
month, so a change on 1 October is paid for 3 months of that calendar year. With the switch
`child_support_grant.indexation` (off: current law freezes them) the amount and the income threshold are read in
1 Jan 2025 prices and follow the consumer price index (their `uprating`), as in scenarios/current_policy.yaml.
Take-up is persistent per child (`child_support_grant.take_up`, solved against the FY2020-23 outturn; A3.5
reports an exclusion error of over 34% among children of poor households). The grant from the 4th month of
pregnancy in the A3.6 proposal is not modelled (no pregnancies in the population).

Overlaps: the Social Security Fund child allowance (section 33/39: 800 THB per child, A5.19; section 40
option 3: 200 THB, A5.37) is paid to insured parents for the same children. The population has no
parent-child links, so the two are not netted against each other; both are paid in full.
"""

import numpy as np

from .base import Payments, SchemeYear, YearContext, month_groups
from .declaration import Scheme
from .declared_income import money_income
from .takeup import takes_up

SCHEME = Scheme(
    name="child_support_grant",
    order=30,
    label_en="Child support grant",
    label_th="เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด",
    financing="budget",
    kind="allowance",
    take_up=3,
)

_PATHS: tuple[str, ...] = ("amount", "max_age", "income_threshold", "universal", "take_up")


def compute(ctx: YearContext) -> SchemeYear:
    """Grant paid in calendar year `ctx.year`, THB/year per recipient (the child's row; cash)."""
    persons = ctx.persons
    payments = Payments(len(persons))
    money = money_income(ctx)
    for month, months in month_groups(ctx, "child_support_grant", _PATHS):
        eligible = persons.thai & (persons.age < month["max_age"])
        if not month["universal"]:
            eligible &= money < month["income_threshold"]
        eligible &= takes_up(persons.propensity, SCHEME.take_up_offset, month["take_up"])
        payments.add(np.flatnonzero(eligible), months * month["amount"], months=months)
    rows, (benefit,) = payments.merged()
    return SchemeYear.paid(len(persons), rows, benefit, cash=True, **payments.monthly(persons.scale))
