"""Civil Servant Medical Benefit Scheme (CSMBS, สวัสดิการรักษาพยาบาลข้าราชการ): tax-financed medical care, in kind.

Rule (fact sheet A6.9; Royal Decree on Medical Welfare B.E. 2553): non-contributory fee-for-service reimbursement
for serving officials (status civil_servant, not state employees), state pensioners (`state_pensioner`) and their
family members (parents, spouse, up to 3 children under 20). State employees (government and temporary
employees, `state_employee`) are insured under section 33 instead (`csmbs.covered_groups.state_employees`,
false). Each group can be switched on or off (`csmbs.covered_groups.*`). The cost is
`csmbs.spending_per_beneficiary` (no outturn per head was found: solved against the FY2024 allocation, T2.3) × the
beneficiary's relative cost by age (the age-cost profile over the base year's beneficiaries, model.schemes.
health_cost), read month by month and grown with the `health` index (wages × the excess cost growth of health care)
after its last dated value, as its `uprating` says (`YearContext.uprated_monthly`).

Dependants (assumption). The population has no family links, so dependants are drawn, not linked: the
number of dependant rows is `csmbs.dependants_per_principal` (1.77 = 4.6 M family members / (1.8 M officials
+ 0.8 M retirees), A7.7) × the principals (covered officials, state employees if covered, and covered state
pensioners), and they are the rows with the smallest persistent draw (`takeup.draw`, number `SCHEME.take_up`)
among the candidates: Thai persons without their own cover (not section 33/39 insured, not civil servants or
state employees, not state pensioners) who are children younger than `dependants.child_age_limit` or adults aged
`dependants.parent_min_age`+ (standing for parents). The draw is fixed per person, so the same persons stay
dependants from year to year while they remain candidates and the count is roughly stable; children leave at 20.
Spouses and the 3-children limit cannot be represented without family links; the total count follows A7.7.

`csmbs_beneficiary` is the one definition of who is covered; universal_coverage reads the beneficiaries from this
scheme's result of the year (`YearContext.result`), so the two schemes never cover the same person. Eligibility uses the population and the switches of 1 July.

Overlaps: CSMBS beneficiaries are not members of the Universal Coverage Scheme (A6.1). A dependant could
also be a section 40 member (medical care there is the UCS's, A5.38), so section 40 members are candidates.
"""

import numpy as np

from ..population.status import CIVIL_SERVANT, SSF_S33, SSF_S39
from . import health_cost, kernels
from .base import SchemeYear, YearContext
from .declaration import Scheme
from .rows import count_by_blocks, flag_rows, like, rows_by_blocks, status_rows
from .takeup import draw, interval

SCHEME = Scheme(
    name="csmbs",
    order=90,
    label_en="Civil servants' medical benefits",
    label_th="สวัสดิการรักษาพยาบาลข้าราชการ",
    financing="budget",
    kind="health",
    take_up=6,
)


OWN_COVER = (SSF_S33, SSF_S39, CIVIL_SERVANT)
"""Statuses with medical cover of their own (section 33/39 insured, civil servants and state employees): never
dependants."""


def principal_rows(ctx: YearContext) -> np.ndarray:
    """Rows covered in their own right in `ctx.year` (ascending, int32): serving officials, state employees if
    covered, state pensioners (each group as its switch of 1 July says); merged from their row lists, not set in a
    mask of the whole population."""
    persons = ctx.persons
    serving = status_rows(ctx, CIVIL_SERVANT)  # few rows: the tests run on them only
    (employee,) = persons.record_values(serving, "state_employee")
    covered = np.where(employee, bool(ctx.mid_year("csmbs.covered_groups.state_employees")),
                       bool(ctx.mid_year("csmbs.covered_groups.civil_servants")))
    pensioners = flag_rows(ctx, "state_pensioner")
    if not ctx.mid_year("csmbs.covered_groups.retirees"):
        pensioners = pensioners[:0]
    return kernels.union_rows(np.compress(covered, serving), pensioners)


def csmbs_dependant(ctx: YearContext, n_principals: int | None = None) -> np.ndarray:
    """Rows drawn as CSMBS dependants in `ctx.year` (mask; see the module docstring); `n_principals`: the number of
    `principal_rows`, when already counted."""
    dependant = np.zeros(len(ctx.persons), dtype=bool)
    kernels.set_rows(dependant, dependant_rows(ctx, n_principals), True)
    return dependant


def dependant_rows(ctx: YearContext, n_principals: int | None = None) -> np.ndarray:
    """The row indices of `csmbs_dependant`, ascending (int32)."""
    persons = ctx.persons
    child_limit = like(ctx.mid_year("csmbs.dependants.child_age_limit"), persons.age)
    parent_age = like(ctx.mid_year("csmbs.dependants.parent_min_age"), persons.age)
    own_cover = tuple(like(code, persons.status) for code in OWN_COVER)
    ratio = ctx.mid_year("csmbs.dependants_per_principal")

    def candidates(share: float) -> np.ndarray:
        """The candidates whose draw is below `share` (all of them: 1.0), rows ascending, in one pass."""
        return rows_by_blocks(kernels.dependant_candidates, len(persons), persons.thai, persons.age, child_limit,
                              parent_age, persons.status, own_cover, pensioner, persons.propensity,
                              *interval(SCHEME.take_up_offset, share))

    if n_principals is None:
        n_principals = principal_rows(ctx).size
    pensioner = persons.flag_mask("state_pensioner")
    wanted = int(round(ratio * n_principals))
    n_candidates = count_by_blocks(  # the candidates, whatever their draw, counted (not listed: peak memory)
        kernels.dependant_count, len(persons), persons.thai, persons.age, child_limit, parent_age, persons.status,
        own_cover, pensioner)
    rows = None
    if wanted < n_candidates:
        # Draws are uniform, so the smallest lie below a little more than the share wanted: when at least `wanted`
        # candidates do, the smallest are all among them (takes_up(p, o, s) is draw(p, o) < s), else look at all.
        below = candidates(min(1.0, 1.2 * wanted / n_candidates + 0.01))
        if below.size >= wanted:
            rows = below
    if rows is None:
        rows = candidates(1.0)
    if wanted < rows.size:
        smallest = kernels.smallest_draws(persons.propensity, rows, SCHEME.take_up_offset, wanted)  # ascending
        if smallest.size < wanted:  # the wanted-th smallest draw ties with the next: the rows numpy's partition picks
            smallest = np.sort(rows[np.argpartition(draw(persons.propensity[rows], SCHEME.take_up_offset),
                                                    wanted)[:wanted]])
        rows = smallest
    return rows


def csmbs_beneficiary(ctx: YearContext) -> np.ndarray:
    """Rows covered by the CSMBS in `ctx.year` (mask of `beneficiary_rows`): principals and drawn dependants. Other
    schemes read them from the year's result, `ctx.result("csmbs").recipient_mask()`, computed once."""
    covered = np.zeros(len(ctx.persons), dtype=bool)
    kernels.set_rows(covered, beneficiary_rows(ctx), True)
    return covered


def beneficiary_rows(ctx: YearContext) -> np.ndarray:
    """The rows of `csmbs_beneficiary`, ascending (int32: np.flatnonzero of it), merged from the principals' and the
    dependants' row lists."""
    rows = principal_rows(ctx)
    if ctx.mid_year("csmbs.covered_groups.dependants"):
        rows = kernels.union_rows(rows, dependant_rows(ctx, rows.size))
    return rows


def compute(ctx: YearContext) -> SchemeYear:
    """Medical spending on beneficiaries in calendar year `ctx.year`, THB/year per beneficiary (in kind: the
    spending per beneficiary × the beneficiary's relative cost by age); by month, a twelfth of the spending per
    beneficiary in force that month for the year's age-weighted beneficiaries."""
    spending = ctx.uprated_monthly("csmbs.spending_per_beneficiary") / 12.0  # [12] THB per average beneficiary
    rows = beneficiary_rows(ctx)  # int32, as SchemeYear keeps them
    weighted, amount = health_cost.weighted_and_cost(ctx, SCHEME.name, rows, spending.sum())
    return SchemeYear(size=len(ctx.persons), rows=rows, amount=amount, cash=False,
                      monthly_cost=spending * weighted * ctx.persons.scale)
