"""Universal Coverage Scheme (UCS, หลักประกันสุขภาพถ้วนหน้า / บัตรทอง): tax-financed health care, in kind.

Rule (fact sheet A6.1): every Thai national not covered by the Social Security Fund's medical care
(section 33 or 39 insured, which includes state employees: `csmbs.covered_groups.state_employees`) or by
the CSMBS is a member. Non-Thai residents are not members (E7.7).

Budget (T2.1): three lines, each set for a fiscal year (FY t runs from October t-1 to September t, so calendar
year t costs 9 months at FY t's values and 3 at FY t+1's):
- the capitation per member (A6.2-A6.7, `universal_coverage.capitation`), the cost of the average member at the
  base year's age mix: each member costs it × the age-cost profile relative to the base year's members
  (model.schemes.health_cost), so the line follows the number of members and their age;
- the add-on funds outside the capitation (`universal_coverage.add_on_funds`, THB million a year: HIV/AIDS,
  renal replacement, chronic disease, remote areas, primary care, long-term care, rehabilitation and others,
  the published fund total less the capitation envelope), a pooled cost that grows with its drivers: the
  age-weighted members relative to the base year's members;
- the NHSO's own administration budget (`universal_coverage.administration`, THB million a year), pooled.
After the last dated value the capitation and add-on funds grow with the `health` index (wages × the excess
cost growth of health care) and administration with wages, compounded on each 1 October anniversary of the value
in force until a dated value resets it (their `uprating`, read through `YearContext.uprated_monthly`; the
capitation and add-on funds are dated every year up to FY2026 and FY2025), so none is frozen in nominal terms.

Overlaps: members exclude CSMBS beneficiaries, the csmbs scheme's recipients of the year (`ctx.result`), and
section 33/39 insured, whose medical care is the Social Security Fund's short-term branch. Section 40
members and Social Security Fund pensioners are members (A5.38: section 40 medical care is the UCS's).
"""

import numpy as np

from ..compiled import true_rows
from ..population.persons import Persons
from ..population.status import CIVIL_SERVANT, SSF_S33, SSF_S39
from . import health_cost, kernels
from .base import SchemeYear, YearContext
from .declaration import Scheme
from .rows import like, mask_by_blocks

SCHEME = Scheme(
    name="universal_coverage",
    order=80,
    label_en="Universal health coverage",
    label_th="หลักประกันสุขภาพถ้วนหน้า",
    financing="budget",
    kind="health",
    depends_on=("csmbs",),
)

POOLED_LINES: tuple[str, ...] = ("add_on_funds", "administration")
"""Budget lines not attributed to members (THB million per fiscal year)."""


def ssf_medical_insured(persons: Persons, rows: slice = slice(None)) -> np.ndarray:
    """Whether each row (of the block `rows`) has the Social Security Fund's medical care: section 33/39 insured,
    state employees included."""
    status = persons.status[rows]
    return kernels.insured_in(status, *(like(code, status) for code in (SSF_S33, SSF_S39, CIVIL_SERVANT)),
                              persons.cs_record[rows], persons.cs.state_employee)


def members(ctx: YearContext) -> np.ndarray:
    """Rows that are UCS members in `ctx.year`: Thai, not section 33/39 insured (state employees included), not
    CSMBS beneficiaries."""
    persons = ctx.persons
    # thai & ~ssf_medical_insured in one pass, then the CSMBS beneficiaries (few rows) taken out
    codes = (like(code, persons.status) for code in (SSF_S33, SSF_S39, CIVIL_SERVANT))
    member = mask_by_blocks(kernels.thai_without, len(persons), persons.thai, persons.status, *codes,
                            persons.flag_mask("state_employee"))
    kernels.set_rows(member, ctx.result("csmbs").rows, False)
    return member


def fixed_monthly_cost(ctx: YearContext) -> np.ndarray:
    """[12] THB of NHSO administration paid in each month of calendar year `ctx.year` (a twelfth of the yearly
    budget in force that month): the cost that follows neither the members nor their age."""
    return ctx.uprated_monthly("universal_coverage.administration") * 1e6 / 12.0


def pooled_monthly_cost(ctx: YearContext, driver_growth: float = 1.0) -> np.ndarray:
    """[12] THB of add-on funds and NHSO administration paid in each month of calendar year `ctx.year` (a twelfth
    of the yearly budget in force that month), the add-on funds × `driver_growth` (age-weighted members over the
    base year's members)."""
    return ctx.uprated_monthly("universal_coverage.add_on_funds") * 1e6 / 12.0 * driver_growth \
        + fixed_monthly_cost(ctx)


def compute(ctx: YearContext) -> SchemeYear:
    """Capitation spent on each member in calendar year `ctx.year` (THB/year per member, in kind: the capitation ×
    the member's relative cost by age) plus the pooled add-on funds and administration; by month, the capitation
    and pooled lines in force that month (a twelfth of their yearly rates) for the year's members."""
    capitation = ctx.uprated_monthly("universal_coverage.capitation") / 12.0  # [12] THB per average member
    rows = true_rows(members(ctx))  # np.flatnonzero of the mask, int32: most of the population, half intp's memory
    weighted, amount = health_cost.weighted_and_cost(ctx, SCHEME.name, rows, capitation.sum())
    weighted *= ctx.persons.scale  # persons
    pooled = pooled_monthly_cost(ctx, health_cost.driver_growth(ctx, SCHEME.name, weighted))
    return SchemeYear(size=len(ctx.persons), rows=rows, amount=amount, pooled_cost=pooled.sum(),
                      cash=False, monthly_cost=capitation * weighted + pooled)
