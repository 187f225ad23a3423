"""Social Security Fund, section 39: voluntary insurance of former section 33 insured persons (Social Security
Act B.E. 2533; fact sheet A5.26-A5.29). Amounts are THB.

Rules as implemented:
- Members are the rows with status ssf_s39 that have not claimed an SSF old-age pension or lump sum (the
  claim ends the insurance). Eligibility to join (12 prior section 33 months, application within 6 months
  of leaving, A5.26) is applied by the labour layer when it assigns the status.
- Contributions, month by month: the member pays insured_rate × deemed_wage (9% × 4,800 = 432 THB/month,
  A5.27); the government pays government_contribution (120 THB/month; A5.28's sources disagree between 120
  and 132 and the parameter file documents the choice); there is no employer.
- Branch split (A5.29: six branches, no unemployment; the fact sheet gives no split, so it mirrors section
  33 without its unemployment branch): the member's contribution stands for the employee's and employer's
  section 33 rates, so its old-age share is (employee + employer old-age rates) / (the same plus both
  short-term rates) = 6/9; the government's old-age share is its section 33 old-age rate / (old-age +
  short-term rates) = 1/2.5. The rest goes to short_term; nothing to unemployment.
- Benefits: the old-age pension and lump sum for section 39 months are NOT costed here. One pension per
  person is costed in ssf_s33 from the combined section 33 and 39 months, on an avg_insurable_wage that
  counts the deemed wage for section 39 months (A5.29), claimed after the member leaves section 39, so
  nothing is counted twice. Sickness and invalidity are costed per member with ssf_s39.branch_cost
  (THB/member/year, uprated as each file says) → short_term; maternity (section 33 amounts on the deemed
  wage) and the funeral grant per expected claim → short_term, and the child allowance for children with a
  member parent → old_age (ssf_claims), all as pooled cost. No benefit is attributed to rows, so this scheme
  has no recipients of its own.
- insurable_wages: the deemed wage of every member-month.
- By month: contributions from the amounts in force each month; the per-member costs a twelfth of the yearly
  cost in force each month; the expected claims (maternity, funeral, child allowance) a twelfth each month.

Overlaps: ssf_s33 (old-age benefits of section 39 members, see above); universal coverage (members' medical
care is in the sickness branch cost here, not in the UCS).
"""

import numpy as np

from ..population.status import SSF_S39
from . import ssf_claims
from .base import PAYERS, RowAmounts, SchemeYear, YearContext
from .declaration import Scheme
from .rows import status_rows
from .ssf_common import BRANCH_RATE_FOLDERS, per_member_branch_costs, per_member_monthly_cost, zero_branches

SCHEME = Scheme(
    name="ssf_s39",
    order=60,
    label_en="Social security, section 39",
    label_th="ประกันสังคม มาตรา 39",
    financing="budget_and_fund",
    kind="social_insurance",
    fund="ssf",
)


def members(ctx: YearContext) -> np.ndarray:
    """Rows insured under section 39 this year."""
    persons = ctx.persons
    ssf = persons.ssf
    member = persons.status == SSF_S39
    member[ssf.rows_of((ssf.ssf_pension_start != 0) | (ssf.ssf_lump_sum_year != 0))] = False  # claimed
    return member


def member_rows(ctx: YearContext) -> np.ndarray:
    """Row indices (ascending) of the rows of `members`, tested on the section 39 rows only."""
    persons = ctx.persons
    rows = status_rows(ctx, SSF_S39, shared=False)  # read by this scheme only
    start, lump_sum_year = persons.record_values(rows, "ssf_pension_start", "ssf_lump_sum_year")
    return np.compress((start == 0) & (lump_sum_year == 0), rows)


def old_age_shares(ctx: YearContext) -> tuple[np.ndarray, np.ndarray]:
    """Monthly old-age branch shares (fractions) of the member's and of the government's contribution."""
    def rate(folder: str, payer: str) -> np.ndarray:
        return ctx.monthly(f"ssf_s33.branch_rate.{folder}.{payer}")

    old_age, short_term = BRANCH_RATE_FOLDERS["old_age"], BRANCH_RATE_FOLDERS["short_term"]
    member_old_age = rate(old_age, "employee") + rate(old_age, "employer")
    member_share = member_old_age / (member_old_age + rate(short_term, "employee") + rate(short_term, "employer"))
    government_share = rate(old_age, "government") / (rate(old_age, "government") + rate(short_term, "government"))
    return member_share, government_share


def compute(ctx: YearContext) -> SchemeYear:
    """Section 39 contributions and the per-member cost of its short-term branches and child allowance."""
    persons = ctx.persons
    rows = member_rows(ctx)
    n_members = rows.size * persons.scale
    deemed = ctx.monthly("ssf_s39.deemed_wage")
    member_monthly = ctx.monthly("ssf_s39.insured_rate") * deemed
    government_monthly = ctx.monthly("ssf_s39.government_contribution")
    member_share, government_share = old_age_shares(ctx)

    by_payer = dict.fromkeys(PAYERS, 0.0)
    by_payer["insured"] = n_members * member_monthly.sum()
    by_payer["government"] = n_members * government_monthly.sum()
    by_branch = zero_branches()
    by_branch["old_age"] = n_members * (member_monthly @ member_share + government_monthly @ government_share)
    by_branch["short_term"] = n_members * (member_monthly @ (1.0 - member_share)
                                           + government_monthly @ (1.0 - government_share))

    branch_benefits = per_member_branch_costs(ctx, "ssf_s39", n_members)
    cells = ssf_claims.insured_cells(persons, rows, deemed.mean())
    short_term = ssf_claims.maternity_cost(ctx, "ssf_s33", cells) + ssf_claims.funeral_cost(ctx, "ssf_s33", cells)
    child_allowance = ssf_claims.child_allowance_cost(ctx, "ssf_s33", cells)[0]
    branch_benefits["short_term"] += short_term
    branch_benefits["old_age"] += child_allowance
    return SchemeYear(
        size=len(persons),
        rows=np.empty(0, dtype=np.intp),
        amount=0.0,
        pooled_cost=sum(branch_benefits.values()),
        contributions=by_payer,
        branch_benefits=branch_benefits,
        branch_contributions=by_branch,
        insurable_wages=n_members * deemed.sum(),
        monthly_cost=per_member_monthly_cost(ctx, "ssf_s39", n_members) + (short_term + child_allowance) / 12.0,
        monthly_recipients=np.zeros(12),
        monthly_contributions=n_members * (member_monthly + government_monthly),
        insured_by_row=RowAmounts(rows, np.full(rows.size, member_monthly.sum())),
    )
