"""Universal Coverage Scheme (UCS, หลักประกันสุขภาพถ้วนหน้า / บัตรทอง): tax-financed health care, in kind.

Rule (fact sheet A6.1): every Thai national not covered by the Social Security Fund's medical care
(section 33 or 39 insured) or by the CSMBS is a member. The budget is a capitation per member set for each
fiscal year (A6.2-A6.7, `universal_coverage.capitation`, dated 1 October): FY t runs from October t-1 to
September t, so calendar year t costs 9 months at FY t's capitation and 3 at FY t+1's. After the last dated
value (FY2026) the capitation grows by `universal_coverage.growth_after_2026` a year, compounded on each
1 October (`csmbs.uprated_monthly`, an assumption: no capitation beyond FY2026 is known). The add-on
envelopes outside the capitation (A6.8: HIV/AIDS, renal replacement, chronic disease, remote areas;
`universal_coverage.add_on.*`, THB million a year, not grown) are a pooled cost, not attributed to members.

Overlaps: members exclude CSMBS beneficiaries through the shared definition `csmbs.csmbs_beneficiary`, and
section 33/39 insured, whose medical care is the Social Security Fund's short-term branch. Section 40
members and Social Security Fund pensioners are members (A5.38: section 40 medical care is the UCS's).
Non-Thai residents are not members (E7.7).
"""

import numpy as np

from ..population.status import SSF_S33, SSF_S39, in_status
from .base import SchemeYear, YearContext
from .csmbs import csmbs_beneficiary, uprated_monthly

ADD_ONS: tuple[str, ...] = ("hiv_aids", "renal_replacement", "chronic_disease", "remote_areas")


def members(ctx: YearContext) -> np.ndarray:
    """Rows that are UCS members in `ctx.year`."""
    persons = ctx.persons
    return persons.thai & ~in_status(persons.status, SSF_S33, SSF_S39) & ~csmbs_beneficiary(ctx)


def compute(ctx: YearContext) -> SchemeYear:
    """Capitation spent on each member in calendar year `ctx.year` (THB/year per member, in kind) plus add-ons;
    by month, the capitation and add-ons in force that month (a twelfth of their yearly rates) for the year's
    members."""
    capitation = uprated_monthly(ctx.params, "universal_coverage.capitation", ctx.year) / 12.0  # [12] THB/member
    add_ons = sum(ctx.params.monthly(f"universal_coverage.add_on.{name}", ctx.year) for name in ADD_ONS) * 1e6 / 12.0
    rows = np.flatnonzero(members(ctx))
    return SchemeYear(size=len(ctx.persons), rows=rows, amount=capitation.sum(), pooled_cost=add_ons.sum(),
                      cash=False, monthly_cost=capitation * rows.size * ctx.persons.scale + add_ons)
