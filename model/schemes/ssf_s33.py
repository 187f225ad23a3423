"""Social Security Fund, section 33: compulsory insurance of private-sector employees (Social Security Act
B.E. 2533; fact sheet A5.1-A5.25). Amounts are THB; `benefit` is THB/year per person of a row.

Rules as implemented:
- Insured persons are the rows with status ssf_s33. Contributions (A5.1-A5.3, A5.7-A5.11): employee 5%,
  employer 5% and government 2.75% of the insurable wage, the monthly wage clamped to [wage_floor 1,650,
  wage_ceiling]; the ceiling is 15,000 THB/month to 2025, 17,500 from 1 Jan 2026, 20,000 from 2029 and
  23,000 from 2032. Every rate and bound is read month by month, so a change on 1 Oct counts 9 + 3 months.
  Each payer's contribution is split between the branches in proportion to that payer's branch rates
  (A5.4-A5.6, government/employer/employee: sickness, maternity, invalidity and death 1.5/1.5/1.5 → short_term;
  old age and child allowance 1/3/3 → old_age; unemployment 0.25/0.5/0.5 → unemployment), so branch
  contributions always sum to payer contributions; at baseline the branch rates add up to the payer rates.
- Old-age pension (A5.13, A5.14, A5.18), claimed in `advance`: in the first year a person is at least
  pension.age (the value in force on 1 July, when ages are measured, so a phased reform of the age applies
  year by year), not in section 33 employment, and has at least pension.min_contribution_months section 33
  and 39 months together. Monthly pension = (base_rate + accrual_per_year × full 12-month periods beyond the
  minimum) × avg_insurable_wage (the labour layer keeps it as the average of the last pension.averaging_months
  months); e.g. 300 months at 15,000 → 35% = 5,250.
  It is paid 12 months in the claim year too: a person first aged 55 on 1 July turned 55 on average on
  1 January. Later years index it by pension.indexation (A5.16; 0 by default, applied once per `advance`).
  It is suspended while the pensioner is again in section 33 employment (A5.13 note,
  pension.suspended_on_reemployment) and not recomputed afterwards.
- Old-age lump sum (A5.15), paid once instead of a pension: in the first year a person at least pension.age
  and out of section 33 and 39 insurance has 1 to min_contribution_months - 1 months. Below
  lump_sum.employer_share_min_months: the employee's old-age contributions, employee old-age branch rate ×
  avg_insurable_wage × months; from it: the employee's and employer's old-age rates together × the same base,
  times the credited return (1 + lump_sum.annual_return) ** (months / 24) (contributions held on average
  half the period). No wage history is kept, so avg_insurable_wage stands for the wage of every month.
- Survivor lump sum (A5.17): death_lump_sum_multiple × the monthly pension if a pensioner dies within
  death_lump_sum_window_months of the pension start; costed as its expected value, death_rate_proxy × that
  amount, over pensioners in payment in that window; a pooled cost (survivors are not rows).
- Other branches (A5.19-A5.22): maternity, funeral grants, the child allowance and unemployment are costed per
  claim (ssf_claims: births to and deaths of insured rows from the year's demographic rates, children under
  six with an insured parent, unemployment claims of the insured who became unemployed) at the amounts of the
  law; only sickness (medical care, a cost per member anchored on the scheme's per-capita expenditure) and
  invalidity stay costed per insured person with ssf_s33.branch_cost (THB/insured/year, uprated with wages). Sickness, maternity,
  invalidity and death → short_term; child allowance → old_age; unemployment → unemployment. Pensions, lump
  sums and survivor lump sums are branch old_age, so every THB of outgo is in exactly one branch.
- Pension claims of section 39 members wait until they leave section 39 (the pension is paid once insurance
  has ended); no pension was paid before pension.first_payment_year (December 2014, T4.5).
- Recipients: persons paid a pension or lump sum in the year; insured persons are counted by status.
- By month: contributions from the rates and bounds in force each month; pensions alike every month; the
  per-member branch costs a twelfth of the yearly cost in force each month, and so are the expected claims
  (maternity, funeral, child allowance, unemployment). Lump sums and survivor lump sums
  are spread evenly over the year, their claimants a twelfth in each month: claims fall through the year as
  persons reach the pension age, and the month of a claim is not modelled.

Overlaps:
- Section 39 (ssf_s39): one pension per person, costed here from the combined section 33 and 39 months;
  avg_insurable_wage (kept by the labour layer) counts the 4,800 THB deemed wage for section 39 months
  (A5.29). A section 39 member claims the pension or the lump sum only after leaving section 39 (old-age
  benefit is paid once insurance has ended); a claimant is no longer a member, so ssf_s39 charges nothing.
- Old age allowance: SSF pensioners (rows with ssf_pension_start > 0) may draw it as well, as
  old_age_allowance.excludes_ssf_pensioners decides.
- Universal coverage: medical care of insured persons is in the sickness branch cost here, not in the UCS.
- Child support grant: the SSF child allowance is costed from children with an insured parent, independently of it.
- Labour layer: it keeps status, wages, contribution months, avg_insurable_wage and the year a member left
  section 33 employment into unemployment (s33_left_year, read by the unemployment claims); this module only
  writes the claims in the SSF benefit record (`persons.ssf`): ssf_pension, ssf_pension_start, ssf_lump_sum_year.
"""

from collections.abc import Callable

import numpy as np

from ..compiled import true_rows
from ..errors import ParameterError
from ..population.labour import ssf_months
from ..population.status import SSF_S33, SSF_S39
from . import kernels, ssf_claims
from .base import PAYERS, SSF_BRANCHES, RowAmounts, SchemeYear, YearContext, pairwise_total
from .declaration import Scheme
from .rows import like, read_only, once, rows_by_blocks, status_rows
from .ssf_common import (BRANCH_RATE_FOLDERS, credited_return, per_member_branch_costs, per_member_monthly_cost,
                         zero_branches)

SCHEME = Scheme(
    name="ssf_s33",
    order=50,
    label_en="Social security, section 33",
    label_th="ประกันสังคม มาตรา 33",
    financing="budget_and_fund",
    kind="social_insurance",
    fund="ssf",
)

PAYER_KEYS: dict[str, str] = {"insured": "employee", "employer": "employer", "government": "government"}
"""Payer in base.PAYERS → its name in the ssf_s33 parameter files."""

def pension_rate(ctx: YearContext, months: np.ndarray) -> np.ndarray:
    """Pension as a fraction of the average insurable wage for `months` of contributions (at least the minimum)."""
    minimum = int(ctx.mid_year("ssf_s33.pension.min_contribution_months"))
    extra_years = np.maximum(months - minimum, 0) // 12
    return ctx.mid_year("ssf_s33.pension.base_rate") + ctx.mid_year("ssf_s33.pension.accrual_per_year") * extra_years


def distinct_months(table: np.ndarray) -> list[tuple[np.ndarray, list[int]]]:
    """The distinct rows of `table` ([month, value]) in np.unique(table, axis=0)'s order (ascending, the first
    column first), each with the months (0 = January) that have it: np.unique's groups without its cost."""
    groups: dict[tuple[float, ...], list[int]] = {}
    for month, values in enumerate(table.tolist()):
        groups.setdefault(tuple(values), []).append(month)
    return [(np.array(values), months) for values, months in sorted(groups.items())]


def clipped_sum(wages: np.ndarray, floor: float, ceiling: float) -> float:
    """np.clip(wages as float64, floor, ceiling).sum() (THB/month), bit for bit, made over blocks of the wages
    (`pairwise_total`): no whole-length float64 copies of them (peak memory)."""
    return pairwise_total(wages.size, lambda start, stop: float(
        np.clip(np.asarray(wages[start:stop], dtype=np.float64), floor, ceiling).sum()))


def contributions(ctx: YearContext, wages: np.ndarray
                  ) -> tuple[dict[str, float], dict[str, float], float, np.ndarray]:
    """Section 33 contributions on monthly `wages` (THB/month, one per insured row) over the calendar year.

    Returns THB/year by payer, THB/year by branch, the insurable wage bill (THB/year) and [12] THB received in
    each month, whole population. Months with the same floor, ceiling and rates are grouped, so the loop runs
    over at most 12 groups.
    """
    paths = ["ssf_s33.wage_floor", "ssf_s33.wage_ceiling"]
    paths += [f"ssf_s33.contribution_rate.{key}" for key in PAYER_KEYS.values()]
    paths += [f"ssf_s33.branch_rate.{BRANCH_RATE_FOLDERS[branch]}.{key}" for key in PAYER_KEYS.values()
              for branch in SSF_BRANCHES]
    table = np.column_stack([ctx.monthly(path) for path in paths])
    by_month = np.zeros(12)
    by_payer = dict.fromkeys(PAYERS, 0.0)
    by_branch = zero_branches()
    insurable = 0.0
    for row, in_group in distinct_months(table):
        n_months = len(in_group)
        floor, ceiling, rates, branch_rates = row[0], row[1], row[2:5], row[5:].reshape(len(PAYERS), len(SSF_BRANCHES))
        wage_bill = n_months * clipped_sum(wages, floor, ceiling) * ctx.persons.scale
        insurable += wage_bill
        for payer, rate, split in zip(PAYERS, rates, branch_rates):
            if not rate:
                continue
            if not split.sum() > 0:
                raise ParameterError(f"ssf_s33.branch_rate: the {PAYER_KEYS[payer]} rates sum to 0 in {ctx.year}, "
                                     f"so its contribution rate {rate} cannot be split between branches")
            by_payer[payer] += rate * wage_bill
            by_month[in_group] += rate * wage_bill / n_months
            for branch, share in zip(SSF_BRANCHES, split / split.sum()):
                by_branch[branch] += rate * share * wage_bill
    return by_payer, by_branch, insurable, by_month


def insured_contributions(ctx: YearContext, wages: np.ndarray) -> np.ndarray:
    """THB/year each insured row pays itself (the employee's rate on the insurable wage, month by month) for monthly
    `wages` (THB/month, one per insured row); × scale they sum to the insured payer's total of `contributions`."""
    table = np.column_stack([ctx.monthly(path) for path in ("ssf_s33.wage_floor", "ssf_s33.wage_ceiling",
                                                            "ssf_s33.contribution_rate.employee")])
    paid = np.zeros(wages.size)
    for (floor, ceiling, rate), in_group in distinct_months(table):
        if rate:  # paid += rate × months × np.clip(wages, floor, ceiling), in float64, in one pass
            kernels.add_clipped(paid, np.asarray(wages), float(rate * len(in_group)), float(floor), float(ceiling))
    return paid


def pensioner_rows(ctx: YearContext) -> np.ndarray:
    """The rows of `pension_in_payment`, ascending (int32, read-only), made once a year after the claims of `advance`:
    the scheme pays them, and the year's indicators count them as having an old-age income (model.fiscal.mpi). A
    row list, not the mask, is kept between the two (peak memory)."""
    return once(ctx, "ssf_s33.pensioners", lambda: read_only(true_rows(pension_in_payment(ctx))))


def pension_in_payment(ctx: YearContext) -> np.ndarray:
    """[row] whether the row's claimed pension is paid this year (not suspended by section 33 re-employment)."""
    persons = ctx.persons
    claimed = persons.record_mask("ssf", persons.ssf.ssf_pension_start > 0)
    if ctx.mid_year("ssf_s33.pension.suspended_on_reemployment"):
        return claimed & (persons.status != SSF_S33)
    return claimed


def lump_sum(ctx: YearContext, rows: np.ndarray) -> np.ndarray:
    """Old-age lump sum (THB) of each of `rows` (row indices), as if claimed this year (A5.15)."""
    persons = ctx.persons
    months = ssf_months(persons, rows)
    own = ctx.mid_year("ssf_s33.branch_rate.old_age_child_allowance.employee")
    employer = ctx.mid_year("ssf_s33.branch_rate.old_age_child_allowance.employer")
    with_employer = months >= ctx.mid_year("ssf_s33.lump_sum.employer_share_min_months")
    annual_return = ctx.mid_year("ssf_s33.lump_sum.annual_return")
    base = persons.avg_insurable_wage[rows].astype(np.float64) * months
    with_return = (own + employer) * base * credited_return(annual_return, months)
    return np.where(with_employer, with_return, own * base)


def claims(ctx: YearContext) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of (new pension claims, new lump-sum claims) among persons who have claimed nothing yet."""
    persons, ssf = ctx.persons, ctx.persons.ssf
    claimed = persons.record_mask("ssf", (ssf.ssf_pension_start != 0) | (ssf.ssf_lump_sum_year != 0))
    rows = rows_by_blocks(  # of age, nothing claimed, some months contributed
        kernels.unclaimed_contributors, len(persons), persons.age,
        like(ctx.mid_year("ssf_s33.pension.age"), persons.age), claimed, persons.s33_months, persons.s39_months)
    del claimed
    months = ssf_months(persons, rows)
    status = persons.status[rows]
    insured = (status == SSF_S33) | (status == SSF_S39)
    enough = months >= ctx.mid_year("ssf_s33.pension.min_contribution_months")
    return np.compress(~insured & enough, rows), np.compress(~insured & ~enough, rows)


def record_claims(ctx: YearContext, pensioners: np.ndarray, lump_sums: np.ndarray,
                  claim_year: Callable[[np.ndarray], np.ndarray | int]) -> None:
    """Set the pension in payment of the `pensioners` and the claim years of `pensioners` and `lump_sums` (row
    indices), `claim_year(rows)` giving each row's year; only claimants change."""
    persons = ctx.persons
    pension = pension_rate(ctx, ssf_months(persons, pensioners)) * persons.avg_insurable_wage[pensioners]
    records = persons.ssf_records(pensioners)  # claimants claimed nothing before: each gets a record
    persons.ssf.ssf_pension[records] = pension
    persons.ssf.ssf_pension_start[records] = claim_year(pensioners)
    records = persons.ssf_records(lump_sums)
    persons.ssf.ssf_lump_sum_year[records] = claim_year(lump_sums)


def initialise(ctx: YearContext) -> None:
    """Back-date the claims of the base population: members already past the pension age on 1 July of the base
    year claimed in the year they reached it, so the base year pays their pensions but not their lump sums again;
    no pension was paid before pension.first_payment_year (December 2014), so earlier pension claims date from it."""
    persons = ctx.persons
    age = ctx.mid_year("ssf_s33.pension.age")
    first = int(ctx.mid_year("ssf_s33.pension.first_payment_year"))
    pensioners, lump_sums = (rows[persons.age[rows] > age] for rows in claims(ctx))
    record_claims(ctx, pensioners, np.empty(0, dtype=np.intp), lambda rows: np.maximum(ctx.year - (persons.age[rows] - age), first))
    record_claims(ctx, np.empty(0, dtype=np.intp), lump_sums, lambda rows: ctx.year - (persons.age[rows] - age))


def advance(ctx: YearContext) -> None:
    """Index pensions in payment, then record this year's new pension claims and lump sums (call once a year)."""
    persons, year = ctx.persons, ctx.year
    indexation = ctx.january("ssf_s33.pension.indexation")
    if indexation:  # on the records (a dead record's pension changes with no effect)
        ssf = persons.ssf
        ssf.ssf_pension[(ssf.ssf_pension_start > 0) & (ssf.ssf_pension_start < year)] *= 1.0 + indexation
    record_claims(ctx, *claims(ctx), lambda rows: year)


def compute(ctx: YearContext) -> SchemeYear:
    """Section 33 contributions, pensions and lump sums paid, and the other branches' costs for the year."""
    persons, scale = ctx.persons, ctx.persons.scale
    insured = status_rows(ctx, SSF_S33, shared=False)  # row indices (faster to gather by than a mask), read here only
    wage = np.take(persons.wage, insured)  # THB/month (np.take: twice as fast as indexing by int32 rows)
    by_payer, by_branch, insurable, contributions_by_month = contributions(ctx, wage)

    pensioners = pensioner_rows(ctx)
    pension, start = persons.record_values(pensioners, "ssf_pension", "ssf_pension_start")
    pensions = 12.0 * pension.astype(np.float64)
    lump_sum_rows = persons.ssf.rows_where(persons.ssf.ssf_lump_sum_year == ctx.year)  # never pensioners: one claim
    rows = np.concatenate([pensioners, lump_sum_rows])
    amounts = np.concatenate([pensions, lump_sum(ctx, lump_sum_rows)])

    window_years = ctx.mid_year("ssf_s33.pension.death_lump_sum_window_months") / 12.0
    early = ctx.year - start < window_years
    survivors = (ctx.mid_year("ssf_s33.pension.death_rate_proxy")
                 * ctx.mid_year("ssf_s33.pension.death_lump_sum_multiple")
                 * np.compress(early, pensions).sum() / 12.0 * scale)

    branch_benefits = per_member_branch_costs(ctx, "ssf_s33", insured.size * scale)
    insurable_wage = np.clip(wage, ctx.mid_year("ssf_s33.wage_floor"),
                             ctx.mid_year("ssf_s33.wage_ceiling"))
    cells = ssf_claims.insured_cells(persons, insured, insurable_wage)
    short_term = ssf_claims.maternity_cost(ctx, "ssf_s33", cells) + ssf_claims.funeral_cost(ctx, "ssf_s33", cells)
    child_allowance = ssf_claims.child_allowance_cost(ctx, "ssf_s33", cells)[0]
    unemployed = ssf_claims.unemployment_claimants(ctx)
    unemployment = ssf_claims.unemployment_cost(ctx, unemployed)
    branch_benefits["short_term"] += short_term
    branch_benefits["old_age"] += child_allowance
    branch_benefits["unemployment"] += unemployment
    claims_cost = short_term + child_allowance + unemployment  # expected claims: even over the months
    pooled = sum(branch_benefits.values()) + survivors
    branch_benefits["old_age"] += amounts.sum() * scale + survivors
    paid = amounts > 0  # the recipients SchemeYear.paid keeps
    return SchemeYear.paid(
        len(persons),
        rows,
        amounts,
        pooled_cost=pooled,
        contributions=by_payer,
        branch_benefits=branch_benefits,
        branch_contributions=by_branch,
        insurable_wages=insurable,
        unemployment_beneficiaries=ssf_claims.unemployment_beneficiaries(ctx, unemployed),
        monthly_cost=(amounts.sum() * scale + survivors + claims_cost) / 12.0
        + per_member_monthly_cost(ctx, "ssf_s33", insured.size * scale),
        monthly_recipients=np.full(12, (np.count_nonzero(paid[:pensioners.size])
                                        + np.count_nonzero(paid[pensioners.size:]) / 12.0) * scale),
        monthly_contributions=contributions_by_month,
        insured_by_row=RowAmounts(insured, insured_contributions(ctx, wage)),
    )
