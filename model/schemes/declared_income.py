"""Household income per person as applicants declare it to an income test: money income only.

The population's `hh_income_pc` is the survey's total income of the person's household per member (THB/person/year;
model/population/households.py sums the members' incomes), which includes income in kind (own
produce, free goods and services, the estimated rent of an owned dwelling). The income tests of the child support
grant and the welfare card count declared income, taken as the money part, `common.money_income_share` of it.
"""

import numpy as np

from .base import YearContext


def money_share(ctx: YearContext) -> np.float32:
    """The share of `hh_income_pc` declared (fraction, float32 as the income), on 1 July of the year."""
    return np.float32(float(ctx.mid_year("common.money_income_share")))


def money_income(ctx: YearContext) -> np.ndarray:
    """Declared household money income per person, THB/year (float32, one value per row), on 1 July of the year."""
    return ctx.persons.hh_income_pc * money_share(ctx)
