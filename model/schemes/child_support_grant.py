"""Child Support Grant (เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด): a tax-financed monthly cash grant per young child.

Rule (fact sheet A3): 600 THB a month per Thai child (A3.1, A3.4) from birth to the sixth birthday (A3.2:
children aged 0-5 in completed years on 1 July, `child_support_grant.max_age`), in a household whose
declared income per person is below 100,000 THB a year (A3.3, strict): declared income is money income, the
share `common.money_income_share` of the survey-based household income per person. The switch
`child_support_grant.universal` (A3.6 proposal, off) drops the income test. All values are read month by
month, so a change on 1 October is paid for 3 months of that calendar year. With the switch
`child_support_grant.indexation` (off: current law freezes them) the amount and the income threshold are read in
1 Jan 2025 prices and follow the consumer price index (their `uprating`), as in scenarios/current_policy.yaml.
Take-up is persistent per child (`child_support_grant.take_up`, solved against the FY2020-23 outturn; A3.5
reports an exclusion error of over 34% among children of poor households). The grant from the 4th month of
pregnancy in the A3.6 proposal is not modelled (no pregnancies in the population).

The household test reads the income per person of the child's household (the members' incomes summed,
model.population.households.income_per_person), so a child's eligibility moves with its parents' work.

Overlaps: the Social Security Fund child allowance (section 33/39: 800 THB per child, A5.19; section 40
option 3: 200 THB, A5.37) is paid to insured parents for the same children. The overlap is settled per child
by the switch `child_support_grant.excludes_ssf_child_allowance`: when on, a child whose mother or mother's
partner is insured under section 33 or 39, or under section 40 with option 3 (`ssf_child_allowance`), gets no
grant (the Department of Children and Youth's rule of the first phases of the grant); off since the 2019
expansion in the baseline, so both are paid in full (the parameter file gives the reasons).
"""

import numpy as np

from ..population.households import linked_rows, row_of_pid
from ..population.persons import Persons
from ..population.status import SSF_S33, SSF_S39, SSF_S40
from . import kernels
from .base import Payments, SchemeYear, YearContext, month_groups
from .declaration import Scheme
from .declared_income import passes_income_test
from .takeup import interval
from .rows import like, rows_by_blocks

SCHEME = Scheme(
    name="child_support_grant",
    order=30,
    label_en="Child support grant",
    label_th="เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด",
    financing="budget",
    kind="allowance",
    take_up=3,
)

_PATHS: tuple[str, ...] = ("amount", "max_age", "income_threshold", "universal", "take_up",
                           "excludes_ssf_child_allowance")
CHILD_ALLOWANCE_S40_OPTION = 3  # section 40 option paying the child allowance (A5.37)


def insured_for_child_allowance(persons: Persons, rows: np.ndarray) -> np.ndarray:
    """Whether each of `rows` (-1 allowed: False) is insured for the SSF child allowance: section 33 or 39, or
    section 40 with option 3."""
    found = rows >= 0
    r = np.maximum(rows, 0)
    status = persons.status[r]
    return found & ((status == SSF_S33) | (status == SSF_S39)
                    | ((status == SSF_S40) & (persons.s40_option[r] == CHILD_ALLOWANCE_S40_OPTION)))


def ssf_child_allowance(persons: Persons, children: np.ndarray) -> np.ndarray:
    """Whether the SSF pays a child allowance for each child of `children` (rows): the child's mother or the mother's
    partner (the father, as far as the population knows) is insured for it."""
    inverse = row_of_pid(persons)
    mother = linked_rows(persons, persons.mother[children], inverse)
    father = np.where(mother >= 0, linked_rows(persons, persons.partner[np.maximum(mother, 0)], inverse), -1)
    return insured_for_child_allowance(persons, mother) | insured_for_child_allowance(persons, father)


def compute(ctx: YearContext) -> SchemeYear:
    """Grant paid in calendar year `ctx.year`, THB/year per recipient (the child's row; cash)."""
    persons = ctx.persons
    payments = Payments(len(persons))
    for month, months in month_groups(ctx, "child_support_grant", _PATHS):
        # thai, young enough, declared income below the threshold (unless universal), taking it up
        rows = rows_by_blocks(
            kernels.young_taken_up, len(persons), persons.thai, persons.age, like(month["max_age"], persons.age),
            persons.propensity, *interval(SCHEME.take_up_offset, month["take_up"]))
        if not month["universal"]:
            rows = kernels.in_households(rows, persons.hh,
                                         passes_income_test(ctx, month["income_threshold"], strict=True))
        if month["excludes_ssf_child_allowance"]:
            rows = np.compress(~ssf_child_allowance(persons, rows), rows)
        payments.add(rows, months * month["amount"], months=months)
    rows, (benefit,) = payments.merged()
    return SchemeYear.paid(len(persons), rows, benefit, cash=True, **payments.monthly(persons.scale))
