"""Civil Servant Medical Benefit Scheme (CSMBS, สวัสดิการรักษาพยาบาลข้าราชการ): tax-financed medical care, in kind.

Rule (fact sheet A6.9; Royal Decree on Medical Welfare B.E. 2553): non-contributory fee-for-service reimbursement
for serving officials (status civil_servant, not state employees), state pensioners (`state_pensioner`) and their
family members (parents, spouse, up to 3 children under 20). State employees (government and temporary
employees, `state_employee`) are insured under section 33 instead (`csmbs.covered_groups.state_employees`,
false). Each group can be switched on or off (`csmbs.covered_groups.*`). The cost is
`csmbs.spending_per_beneficiary` for each beneficiary (no outturn per head was found: solved against the FY2024
allocation, T2.3), read month by month and grown by `csmbs.spending_growth` as `uprated_monthly` describes.

Dependants (assumption). The population has no family links, so dependants are drawn, not linked: the
number of dependant rows is `csmbs.dependants_per_principal` (1.77 = 4.6 M family members / (1.8 M officials
+ 0.8 M retirees), A7.7) × the principals (covered officials, state employees if covered, and covered state
pensioners), and they are the rows with the smallest persistent draw (`takeup.draw`, number `SCHEME.take_up`)
among the candidates: Thai persons without their own cover (not section 33/39 insured, not civil servants or
state employees, not state pensioners) who are children younger than `dependants.child_age_limit` or adults aged
`dependants.parent_min_age`+ (standing for parents). The draw is fixed per person, so the same persons stay
dependants from year to year while they remain candidates and the count is roughly stable; children leave at 20.
Spouses and the 3-children limit cannot be represented without family links; the total count follows A7.7.

`csmbs_beneficiary` is the one definition of who is covered; universal_coverage imports it so the two
schemes never cover the same person. Eligibility uses the population and the switches of 1 July.

Overlaps: CSMBS beneficiaries are not members of the Universal Coverage Scheme (A6.1). A dependant could
also be a section 40 member (medical care there is the UCS's, A5.38), so section 40 members are candidates.
"""

import math
from datetime import date

import numpy as np

from ..parameters import ParameterTree
from ..population.status import CIVIL_SERVANT, SSF_S33, SSF_S39, in_status
from .base import SchemeYear, YearContext
from .declaration import Scheme
from .takeup import draw, takes_up

SCHEME = Scheme(
    name="csmbs",
    label_en="Civil servants' medical benefits",
    label_th="สวัสดิการรักษาพยาบาลข้าราชการ",
    financing="budget",
    kind="health",
    take_up=6,
)


def uprated_monthly(params: ParameterTree, path: str, year: int) -> np.ndarray:
    """12 monthly values of `path` in `year`, grown by the parameter its `uprating` metadata names.

    The value in force on the 1st of each month is multiplied by (1 + growth) once for each anniversary of
    that value's date passed by then, with the growth rate in force on each anniversary. So annual dated
    values (e.g. UCS capitation per fiscal year from 1 October) are used as they are, and growth compounds
    only after the last dated one; a dated override resets the level from its date and leaves earlier years
    unchanged. Without `uprating` the values are returned as they are.
    """
    growth_path = params.info(path).uprating
    values = np.array(params.monthly(path, year), dtype=float)
    if growth_path is None:
        return values
    growth: dict[tuple[date, int], float] = {}  # (date of the value, anniversaries passed) → growth factor
    for month in range(12):
        day = date(year, month + 1, 1)
        since = params.entry(path, day).date
        years = day.year - since.year - ((day.month, day.day) < (since.month, since.day))
        if (since, years) not in growth:
            growth[since, years] = math.prod(1.0 + params.get(growth_path, since.replace(year=since.year + k))
                                             for k in range(1, years + 1))
        values[month] *= growth[since, years]
    return values


def principals(ctx: YearContext) -> np.ndarray:
    """Rows covered in their own right in `ctx.year`: serving officials, state employees if covered, state
    pensioners (each group as its switch of 1 July says)."""
    persons, day = ctx.persons, date(ctx.year, 7, 1)
    serving = persons.status == CIVIL_SERVANT
    covered = np.zeros(len(persons), dtype=bool)
    if ctx.params.get("csmbs.covered_groups.civil_servants", day):
        covered |= serving & ~persons.state_employee
    if ctx.params.get("csmbs.covered_groups.state_employees", day):
        covered |= serving & persons.state_employee
    if ctx.params.get("csmbs.covered_groups.retirees", day):
        covered |= persons.state_pensioner
    return covered


def csmbs_dependant(ctx: YearContext) -> np.ndarray:
    """Rows drawn as CSMBS dependants in `ctx.year` (see the module docstring)."""
    persons, day = ctx.persons, date(ctx.year, 7, 1)
    child_limit = ctx.params.get("csmbs.dependants.child_age_limit", day)
    parent_age = ctx.params.get("csmbs.dependants.parent_min_age", day)
    ratio = ctx.params.get("csmbs.dependants_per_principal", day)
    candidate = (persons.thai & ((persons.age < child_limit) | (persons.age >= parent_age))
                 & ~in_status(persons.status, SSF_S33, SSF_S39, CIVIL_SERVANT) & ~persons.state_pensioner)
    wanted = int(round(ratio * np.count_nonzero(principals(ctx))))
    n_candidates = np.count_nonzero(candidate)
    pool = candidate
    if wanted < n_candidates:
        # Draws are uniform, so the smallest lie below a little more than the share wanted: when at least `wanted`
        # candidates do, the smallest are all among them (takes_up(p, o, s) is draw(p, o) < s), else look at all.
        below = candidate & takes_up(persons.propensity, SCHEME.take_up_offset,
                                     min(1.0, 1.2 * wanted / n_candidates + 0.01))
        if np.count_nonzero(below) >= wanted:
            pool = below
    rows = np.flatnonzero(pool)
    if wanted < rows.size:
        rows = rows[np.argpartition(draw(persons.propensity[rows], SCHEME.take_up_offset), wanted)[:wanted]]
    dependant = np.zeros(len(persons), dtype=bool)
    dependant[rows] = True
    return dependant


def csmbs_beneficiary(ctx: YearContext) -> np.ndarray:
    """Rows covered by the CSMBS in `ctx.year`: principals and drawn dependants (computed once a year and shared
    with the universal coverage scheme through `ctx.shared`)."""
    if "csmbs_beneficiary" not in ctx.shared:
        covered = principals(ctx)
        if ctx.params.get("csmbs.covered_groups.dependants", date(ctx.year, 7, 1)):
            covered |= csmbs_dependant(ctx)
        ctx.shared["csmbs_beneficiary"] = covered
    return ctx.shared["csmbs_beneficiary"]


def compute(ctx: YearContext) -> SchemeYear:
    """Medical spending on beneficiaries in calendar year `ctx.year`, THB/year per beneficiary (in kind); by
    month, a twelfth of the spending per beneficiary in force that month for the year's beneficiaries."""
    spending = uprated_monthly(ctx.params, "csmbs.spending_per_beneficiary", ctx.year) / 12.0  # [12] THB/beneficiary
    rows = np.flatnonzero(csmbs_beneficiary(ctx))
    return SchemeYear(size=len(ctx.persons), rows=rows, amount=spending.sum(), cash=False,
                      monthly_cost=spending * rows.size * ctx.persons.scale)
