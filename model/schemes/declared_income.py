"""Household income per person as applicants declare it to an income test: money income only.

The household's income per person (model.population.households.income_per_person) is the survey's total income of
the person's household per member (THB/person/year: the members' incomes summed), which includes income in kind
(own produce, free goods and services, the estimated rent of an owned dwelling). The income tests of the child support
grant and the welfare card count declared income, taken as the money part, `common.money_income_share` of it.
"""

import numpy as np

from ..population.households import income_per_person
from .base import YearContext


def _money_share(ctx: YearContext) -> np.float32:
    """The share of the household's income per person declared (fraction, float32 as the income), on 1 July of the
    year."""
    return np.float32(float(ctx.mid_year("common.money_income_share")))


def passes_income_test(ctx: YearContext, threshold: float, strict: bool) -> np.ndarray:
    """[household id] whether the household's declared income per person (the money share of its income per person,
    in float32) is below `threshold` (THB/person/year; `strict`) or at most `threshold`: the income tests of the child
    support grant (below) and the welfare card (at most), made once a household for the rows' compiled passes to
    read at their household (one byte a household)."""
    declared = income_per_person(ctx.persons) * _money_share(ctx)
    return declared < np.float32(threshold) if strict else declared <= np.float32(threshold)
