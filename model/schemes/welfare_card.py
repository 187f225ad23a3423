"""State Welfare Card (บัตรสวัสดิการแห่งรัฐ): monthly credits for low-income Thai adults.

Rule (fact sheet A4): a holder is a Thai national aged 18+ (A4.1) whose own income (wage × 12) is at most
100,000 THB a year (A4.2) and whose household income per person (`hh_income_pc`) is at most 100,000 THB a
year (A4.3). Civil servants and state employees (status civil_servant), state pensioners and Social
Security Fund pensioners are excluded (A4.6, switch `excludes_state_personnel`). The asset, land and debt
tests (A4.4-A4.5) are not modelled: the population has no wealth. Take-up is persistent per person
(`welfare_card.take_up`).

A holder gets, per month (values read month by month):
- goods credit 300 THB (A4.8; before Apr 2023 300 or 200 by own income, A4.7), in kind;
- transport credit 750 THB (A4.9) × `transport_usage_rate`, the share actually spent, in kind;
- cooking-gas discount 80 THB per quarter (A4.10), i.e. a third of it a month, in kind;
- elderly top-up (age 60+) 100 THB with own income up to 30,000 THB a year, else 50 THB (A4.13), cash;
- disability top-up (registered disability, `disabled`) 200 THB (A4.14), cash.
The electricity and water credits (A4.11-A4.12) are per household and are not costed (no household links).

`compute` returns the whole cost with `cash=False`; its `cash_benefit` field holds the cash part (the two top-ups) for
after-transfer poverty measures.

Overlaps: the elderly top-up is paid on top of the old-age allowance (A1) and the disability top-up on top
of the disability allowance (A2.4: effectively 800 + 200 THB).
"""

from collections import Counter

import numpy as np

from ..population.status import CIVIL_SERVANT
from .base import SchemeYear, YearContext
from .takeup import WELFARE_CARD, takes_up

_PATHS: tuple[str, ...] = (
    "min_age", "income_threshold", "household_income_threshold", "excludes_state_personnel", "take_up",
    "low_income_threshold", "goods_credit.low_income", "goods_credit.standard", "transport_credit",
    "transport_usage_rate", "gas_discount", "elderly_topup.min_age", "elderly_topup.low_income",
    "elderly_topup.standard", "disability_topup",
)


def components(ctx: YearContext) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """In-kind credits and cash top-ups paid in calendar year `ctx.year` (THB/year per row), and the holders."""
    persons = ctx.persons
    series = {path: ctx.params.monthly(f"welfare_card.{path}", ctx.year) for path in _PATHS}
    # Only Thai adults under the loosest household test of the year can hold the card: work on those rows.
    rows = np.flatnonzero(persons.thai & (persons.age >= series["min_age"].min())
                          & (persons.hh_income_pc <= series["household_income_threshold"].max()))
    age, disabled = persons.age[rows], persons.disabled[rows]
    own_income = persons.wage[rows].astype(np.float64) * 12.0  # THB/year
    state_personnel = ((persons.status[rows] == CIVIL_SERVANT) | persons.state_pensioner[rows]
                       | (persons.ssf_pension_start[rows] > 0))
    household = persons.hh_income_pc[rows]
    propensity = persons.propensity[rows]
    in_kind, cash = np.zeros(rows.size), np.zeros(rows.size)
    holds_any = np.zeros(rows.size, dtype=bool)
    for values, months in Counter(zip(*series.values())).items():
        month = dict(zip(series, values))
        holds = ((age >= month["min_age"]) & (own_income <= month["income_threshold"])
                 & (household <= month["household_income_threshold"])
                 & takes_up(propensity, WELFARE_CARD, month["take_up"]))
        if month["excludes_state_personnel"]:
            holds &= ~state_personnel
        low_income = own_income <= month["low_income_threshold"]
        goods = np.where(low_income, month["goods_credit.low_income"], month["goods_credit.standard"])
        credits = goods + month["transport_credit"] * month["transport_usage_rate"] + month["gas_discount"] / 3.0
        elderly = np.where(age >= month["elderly_topup.min_age"],
                           np.where(low_income, month["elderly_topup.low_income"], month["elderly_topup.standard"]),
                           0.0)
        topups = elderly + np.where(disabled, month["disability_topup"], 0.0)
        in_kind += months * np.where(holds, credits, 0.0)
        cash += months * np.where(holds, topups, 0.0)
        holds_any |= holds
    full_in_kind, full_cash = np.zeros(len(persons)), np.zeros(len(persons))
    holder = np.zeros(len(persons), dtype=bool)
    full_in_kind[rows], full_cash[rows], holder[rows] = in_kind, cash, holds_any
    return full_in_kind, full_cash, holder


def compute(ctx: YearContext) -> SchemeYear:
    """All card benefits paid in calendar year `ctx.year`, THB/year per row; recipients are the holders."""
    in_kind, cash, holder = components(ctx)
    return SchemeYear(benefit=in_kind + cash, recipients=holder, cash=False, cash_benefit=cash)
