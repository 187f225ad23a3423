"""Social Security Fund, section 40: voluntary insurance of informal workers in three options (Social
Security Act B.E. 2533, 2018 Royal Decree structure; fact sheet A5.30-A5.39). Amounts are THB.

Rules as implemented:
- Members are the rows with status ssf_s40, an s40_option of 1, 2 or 3 and an age within [min_age,
  max_age] (15-65, A5.39). The labour layer assigns options with the ssf_s40.option_mix shares.
- Contributions, month by month: the member pays contribution.option_k (70/100/300 THB/month, A5.30-A5.32)
  and the government government_contribution.option_k (30/50/150 THB/month, A5.33); there is no employer.
- Branch split of contributions: the old-age lump-sum credit (credit_per_month: 50 THB in option 2, 150 in
  option 3, A5.34) goes to old_age; the rest of both payers' contributions to short_term.
- Old-age lump sum (A5.34), claimed in `advance` and paid once: in the first year a person with option 2 or
  3 and at least one s40 month is at least old_age_lump_sum.age (60) and no longer a member (the parameter
  pays a member "who leaves"; past max_age membership ends by itself). Amount = credit_per_month of the
  latest option × s40_months × (1 + annual_return) ** (s40_months / 24) (credits held on average half the
  period). Voluntary extra savings are not modelled; the latest option stands for every month's option.
  Recorded in s40_lump_sum_year, so it is paid once and months never decrease.
- Other benefits, costed per member as pooled cost: sickness, invalidity and death (A5.35, A5.36, A5.38)
  with other_benefit_cost.option_k (THB/member/year) → short_term; the option 3 child allowance (A5.37) as
  children_per_member × amount × 12 → old_age (the branch of child allowances, base.SSF_BRANCHES; it is
  financed from the option 3 contributions beyond the lump-sum credit, which the split above puts in
  short_term). The lump sums are old_age.
- Recipients: persons paid the old-age lump sum in the year.
- By month: contributions and other-benefit costs from the amounts in force each month (a twelfth of a yearly
  cost), the child allowance in proportion to its monthly amount; lump sums are spread evenly over the year,
  their claimants a twelfth in each month (the month of a claim is not modelled).

Overlaps: universal coverage (members' medical care is in the UCS; this scheme pays cash only); ssf_s33 and
ssf_s39 (a person has one status a year, so is a member of one section at a time; s40 months and the s40 lump
sum are separate from the section 33/39 record); national savings fund (open to informal workers too; both
may be held); child support grant (the option 3 child allowance is costed per member, independently of it).
"""

import numpy as np

from ..population.lookup import grouped
from ..population.status import SSF_S40
from . import kernels
from .base import PAYERS, RowAmounts, SchemeYear, YearContext
from .declaration import Scheme
from .rows import like, rows_by_blocks
from .ssf_common import credited_return, zero_branches

SCHEME = Scheme(
    name="ssf_s40",
    order=70,
    label_en="Social security, section 40",
    label_th="ประกันสังคม มาตรา 40",
    financing="budget_and_fund",
    kind="social_insurance",
    fund="ssf",
)

OPTIONS: tuple[int, ...] = (1, 2, 3)
SAVING_OPTIONS: tuple[int, ...] = (2, 3)
"""Options that credit an old-age lump sum (A5.34)."""
CHILD_ALLOWANCE_OPTIONS: tuple[int, ...] = (3,)
"""Options that pay the child allowance (A5.37)."""


def members(ctx: YearContext) -> np.ndarray:
    """Rows insured under section 40 this year."""
    persons = ctx.persons
    return ((persons.status == SSF_S40) & (persons.s40_option > 0)
            & (persons.age >= ctx.mid_year("ssf_s40.min_age"))
            & (persons.age <= ctx.mid_year("ssf_s40.max_age")))


def member_rows(ctx: YearContext) -> np.ndarray:
    """Row indices (ascending, int32) of the rows of `members`, found in one pass over the status, option and age
    (not the section 40 rows first, then their options and ages gathered)."""
    persons = ctx.persons
    return rows_by_blocks(kernels.status_option_age, len(persons), persons.status, like(SSF_S40, persons.status),
                          persons.s40_option, persons.age, like(ctx.mid_year("ssf_s40.min_age"), persons.age),
                          like(ctx.mid_year("ssf_s40.max_age"), persons.age))


def credit_per_month(ctx: YearContext, option: int) -> float:
    """Lump-sum credit per month contributed in `option` (one of SAVING_OPTIONS), THB/month, in force on 1 July."""
    return ctx.mid_year(f"ssf_s40.old_age_lump_sum.credit_per_month.option_{option}")


def lump_sum(ctx: YearContext, rows: np.ndarray) -> np.ndarray:
    """Old-age lump sum (THB) of each of `rows` (row indices), as if claimed this year (A5.34)."""
    persons = ctx.persons
    options, months = persons.s40_option[rows], persons.s40_months[rows].astype(np.float64)
    credit = np.zeros(len(months))
    for option in SAVING_OPTIONS:
        credit[options == option] = credit_per_month(ctx, option)
    annual_return = ctx.mid_year("ssf_s40.old_age_lump_sum.annual_return")
    return credit * months * credited_return(annual_return, months)


def claim_rows(ctx: YearContext) -> np.ndarray:
    """Row indices (ascending) of the rows claiming the old-age lump sum now: saving options, months contributed,
    of age, no longer members (the membership test runs on the few candidates only)."""
    persons = ctx.persons
    claimed = persons.record_mask("ssf", persons.ssf.s40_lump_sum_year != 0)
    rows = rows_by_blocks(kernels.unclaimed_savers, len(persons), claimed, persons.s40_option,
                          like(min(SAVING_OPTIONS), persons.s40_option), persons.s40_months, persons.age,
                          like(ctx.mid_year("ssf_s40.old_age_lump_sum.age"), persons.age))
    age = persons.age[rows]
    member = ((persons.status[rows] == SSF_S40) & (persons.s40_option[rows] > 0)
              & (age >= ctx.mid_year("ssf_s40.min_age")) & (age <= ctx.mid_year("ssf_s40.max_age")))
    return np.compress(~member, rows)


def claims(ctx: YearContext) -> np.ndarray:
    """Rows claiming the old-age lump sum now (mask of `claim_rows`)."""
    claim = np.zeros(len(ctx.persons), dtype=bool)
    claim[claim_rows(ctx)] = True
    return claim


def initialise(ctx: YearContext) -> None:
    """Back-date the base population's claims: former members past the claim age on 1 July of the base year were
    paid in the year they reached it, not again in the base year."""
    persons = ctx.persons
    rows = claim_rows(ctx)
    years_past = persons.age[rows] - ctx.mid_year("ssf_s40.old_age_lump_sum.age")
    rows, years_past = rows[years_past > 0], years_past[years_past > 0]
    records = persons.ssf_records(rows)
    persons.ssf.s40_lump_sum_year[records] = ctx.year - years_past


def advance(ctx: YearContext) -> None:
    """Record this year's old-age lump-sum claims (call once a year)."""
    persons = ctx.persons
    records = persons.ssf_records(claim_rows(ctx))
    persons.ssf.s40_lump_sum_year[records] = ctx.year


def compute(ctx: YearContext) -> SchemeYear:
    """Section 40 contributions, lump sums paid and the per-member cost of its other benefits for the year."""
    persons, scale = ctx.persons, ctx.persons.scale
    insured = member_rows(ctx)
    options = np.take(persons.s40_option, insured)  # np.take: twice as fast as indexing by int32 rows
    by_payer = dict.fromkeys(PAYERS, 0.0)
    by_branch = zero_branches()
    branch_benefits = zero_branches()
    cost_by_month, contributions_by_month = np.zeros(12), np.zeros(12)
    own_at, own = [], []  # each option's members (their places in `insured`) and what each pays, THB/year
    # the members by option (all positive: member_rows), ascending within each
    order, starts = grouped(options, max(max(OPTIONS), int(options.max(initial=0))) + 1)
    del options
    for option in OPTIONS:
        own_at.append(order[starts[option]:starts[option + 1]])
        n = own_at[-1].size * scale  # persons
        member = ctx.annual_sum(f"ssf_s40.contribution.option_{option}")
        government = ctx.annual_sum(f"ssf_s40.government_contribution.option_{option}")
        saving = (ctx.annual_sum(f"ssf_s40.old_age_lump_sum.credit_per_month.option_{option}")
                  if option in SAVING_OPTIONS else 0.0)
        by_payer["insured"] += n * member
        own.append(float(member))
        by_payer["government"] += n * government
        by_branch["old_age"] += n * saving
        by_branch["short_term"] += n * (member + government - saving)
        branch_benefits["short_term"] += n * ctx.annual_mean(f"ssf_s40.other_benefit_cost.option_{option}")
        contributions_by_month += n * (ctx.monthly(f"ssf_s40.contribution.option_{option}")
                                       + ctx.monthly(f"ssf_s40.government_contribution.option_{option}"))
        cost_by_month += n * ctx.monthly(f"ssf_s40.other_benefit_cost.option_{option}") / 12.0
        if option in CHILD_ALLOWANCE_OPTIONS:
            child = n * (ctx.annual_mean("ssf_s40.child_allowance.children_per_member")
                         * ctx.annual_sum("ssf_s40.child_allowance.amount"))
            branch_benefits["old_age"] += child
            amount = ctx.monthly("ssf_s40.child_allowance.amount")
            cost_by_month += child * amount / amount.sum() if amount.sum() else 0.0
    pooled = sum(branch_benefits.values())
    rows = persons.ssf.rows_where(persons.ssf.s40_lump_sum_year == ctx.year)
    amounts = lump_sum(ctx, rows)
    branch_benefits["old_age"] += amounts.sum() * scale
    paid = np.count_nonzero(amounts > 0) * scale  # the recipients SchemeYear.paid keeps
    return SchemeYear.paid(
        len(persons),
        rows,
        amounts,
        pooled_cost=pooled,
        contributions=by_payer,
        branch_benefits=branch_benefits,
        branch_contributions=by_branch,
        monthly_cost=cost_by_month + amounts.sum() * scale / 12.0,
        monthly_recipients=np.full(12, paid / 12.0),
        monthly_contributions=contributions_by_month,
        insured_by_row=RowAmounts(insured[np.concatenate(own_at)],  # the options' members one after the other
                                  np.repeat(np.array(own, dtype=np.float64), [at.size for at in own_at])),
    )
