"""State Welfare Card (บัตรสวัสดิการแห่งรัฐ): monthly credits for low-income Thai adults.

Rule (fact sheet A4): a holder is a Thai national aged 18+ (A4.1) whose own income (wage × 12) is at most
100,000 THB a year (A4.2) and whose declared household income per person is at most 100,000 THB a year
(A4.3): declared income is money income, the share `common.money_income_share` of the survey-based
income per person of the holder's household (the members' incomes summed,
model.population.households.income_per_person; model.schemes.declared_income). Civil servants and state employees
(status civil_servant), state pensioners and Social Security Fund pensioners are excluded (A4.6, switch
`excludes_state_personnel`). The asset, land and debt tests (A4.4-A4.5) are not modelled: the population has no
wealth. Take-up is persistent per person (`welfare_card.take_up`): the share of the income-eligible who apply and
pass the asset tests, solved against the holders of the 2022 registration round (T1.10).

A holder gets, per month (values read month by month); credits are non-cash and lapse, so the budget pays only
the part used:
- goods credit 300 THB (A4.8; before Apr 2023 300 or 200 by own income, A4.7) × `goods_usage_rate`, in kind;
- transport credit 750 THB (A4.9; 500 before Apr 2023) × `transport_usage_rate`, in kind;
- cooking-gas discount 80 THB per quarter (A4.10; 45 before Apr 2023), a third of it a month, × `gas_usage_rate`,
  in kind;
- elderly top-up (age 60+) 100 THB with own income up to 30,000 THB a year, else 50 THB (A4.13), cash, until the
  old round ends on 31 March 2023;
- disability top-up (registered disability, `disabled`) 200 THB (A4.14), cash.
The usage rates of transport and gas come from the Comptroller General's Department's spending records; that of
goods is solved against the FY2023 budget (T1.9). The electricity and water credits (A4.11-A4.12) are per
household and are not costed (their usage records were not found). With the switch `welfare_card.indexation` (off: current law
freezes them) the income thresholds, credits and disability top-up are read in 1 Jan 2025 prices and follow the
consumer price index (their `uprating`), as in scenarios/current_policy.yaml.

`compute` returns the whole cost with `cash=False`; its `cash_amount` field holds the cash part (the two top-ups) for
after-transfer poverty measures (float32 when it holds every value exactly, as whole THB amounts are).

Overlaps: the elderly top-up is paid on top of the old-age allowance (A1) and the disability top-up on top
of the disability allowance (A2.4: effectively 800 + 200 THB).
"""

from typing import Any

import numpy as np

from ..population.status import CIVIL_SERVANT
from . import kernels
from .base import Months, Payments, SchemeYear, YearContext, folded_payments, month_groups
from .declaration import Scheme
from .declared_income import passes_income_test
from .takeup import interval
from .rows import like, rows_by_blocks

SCHEME = Scheme(
    name="welfare_card",
    order=40,
    label_en="State welfare card",
    label_th="บัตรสวัสดิการแห่งรัฐ",
    financing="budget",
    kind="allowance",
    take_up=4,
)

_PATHS: tuple[str, ...] = (
    "min_age", "income_threshold", "household_income_threshold", "excludes_state_personnel", "take_up",
    "low_income_threshold", "goods_credit.low_income", "goods_credit.standard", "goods_usage_rate",
    "transport_credit", "transport_usage_rate", "gas_discount", "gas_usage_rate", "elderly_topup.min_age", "elderly_topup.low_income",
    "elderly_topup.standard", "disability_topup",
)


def holders(ctx: YearContext, month: dict[str, Any]) -> np.ndarray:
    """Rows holding a card in a month with parameter values `month` (path under welfare_card → value)."""
    persons = ctx.persons
    # thai adults with own income (wage × 12, in float64) and declared household income within the thresholds,
    # taking it up, and (as switched) not civil servants, state or SSF pensioners
    exclude = bool(month["excludes_state_personnel"])
    rows = rows_by_blocks(
        kernels.low_wage_adults, len(persons), persons.thai, persons.age, like(month["min_age"], persons.age),
        persons.wage, np.float64(month["income_threshold"]) / 12.0, persons.propensity,
        *interval(SCHEME.take_up_offset, month["take_up"]), exclude, persons.status,
        like(CIVIL_SERVANT, persons.status))
    rows = kernels.in_households(rows, persons.hh,
                                 passes_income_test(ctx, month["household_income_threshold"], strict=False))
    if not exclude:
        return rows
    # the pensioners (a few rows, from their records) left out of the list, without a full-length mask (peak memory)
    ssf, cs = persons.ssf, persons.cs
    return rows[:kernels.without_records(rows, len(persons), ssf.row, ssf.ssf_pension_start > 0, cs.row,
                                         cs.state_pensioner)]


def compute(ctx: YearContext) -> SchemeYear:
    """All card benefits paid in calendar year `ctx.year`, THB/year per holder (the recipients): in-kind credits,
    and cash top-ups also kept apart as `cash_amount`."""
    persons = ctx.persons
    groups = [(month, months, holders(ctx, month)) for month, months in month_groups(ctx, "welfare_card", _PATHS)]
    rows = groups[0][2]
    if all(np.array_equal(held, rows) for _, _, held in groups[1:]):  # the usual case: the same holders all year
        makers = [(months, lambda block, month=month, months=months: amounts(ctx, block, month, months))
                  for month, months, _ in groups]
        del groups  # the other groups' lists of the same holders
        # the cash top-ups (whole THB) held in float32 while it holds them exactly (peak memory)
        (in_kind, cash), flows = folded_payments(rows, makers, persons.scale, cost=(0, 1), narrow=(1,))
    else:
        payments = Payments(len(persons))
        for month, months, held in groups:
            payments.add(held, *amounts(ctx, held, month, months), months=months)
        del groups
        rows, (in_kind, cash) = payments.merged()
        flows = payments.monthly(persons.scale, cost=(0, 1))
        del payments
    in_kind += cash  # the whole cost, in the in-kind array (the same sums as in_kind + cash, cash widened exactly)
    return SchemeYear(size=len(persons), rows=rows, amount=in_kind, cash=False, cash_amount=cash, **flows)


def amounts(ctx: YearContext, rows: np.ndarray, month: dict[str, Any], months: Months) -> tuple[np.ndarray, np.ndarray]:
    """(in-kind credits, cash top-ups), THB over `months` (parameter values `month`), of each holder of `rows`."""
    persons = ctx.persons
    # goods credit by own income (wage × 12 up to low_income_threshold, in float64) × its usage, the other
    # credits × theirs; cash top-ups for the elderly (by own income) and the disabled
    other_credits = (month["transport_credit"] * month["transport_usage_rate"]
                     + month["gas_discount"] / 3.0 * month["gas_usage_rate"])
    return kernels.welfare_card_amounts(
        rows, persons.wage, persons.age, persons.disabled, int(months),
        float(np.float64(month["low_income_threshold"]) / 12.0), float(month["goods_credit.low_income"]),
        float(month["goods_credit.standard"]), float(month["goods_usage_rate"]), float(other_credits),
        float(month["elderly_topup.min_age"]), float(month["elderly_topup.low_income"]),
        float(month["elderly_topup.standard"]), float(month["disability_topup"]))
