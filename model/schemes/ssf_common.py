"""What the Social Security Fund schemes (sections 33, 39 and 40) share: totals by branch, the benefits costed per
member, the credited return on saved contributions, and where the section 33 branch rates live. Amounts are THB.

Claims costed per expected event (maternity, funeral, child allowance, unemployment) are in ssf_claims.
"""

import numpy as np

from .base import SSF_BRANCHES, YearContext

BRANCH_RATE_FOLDERS: dict[str, str] = {
    "short_term": "sickness_maternity_invalidity_death",
    "old_age": "old_age_child_allowance",
    "unemployment": "unemployment",
}
"""SSF branch → its folder under ssf_s33.branch_rate (the contribution rates that split a payer's contribution
between the branches; section 39 splits its contributions by the same rates)."""

COST_BRANCHES: dict[str, str] = {
    "sickness": "short_term",
    "invalidity": "short_term",
}
"""Benefit costed per insured person (a file under <scheme>.branch_cost) → the SSF branch that pays it; the
other branches are costed per claim (ssf_claims)."""


def zero_branches() -> dict[str, float]:
    """THB 0 for every SSF branch."""
    return dict.fromkeys(SSF_BRANCHES, 0.0)


def per_member_branch_costs(ctx: YearContext, scheme: str, members: float) -> dict[str, float]:
    """THB/year by SSF branch of the benefits costed per member in `<scheme>.branch_cost` (THB/member/year, uprated
    as each file says; members: persons)."""
    costs = zero_branches()
    for name, branch in COST_BRANCHES.items():
        path = f"{scheme}.branch_cost.{name}"
        if path in ctx.params:
            costs[branch] += members * ctx.uprated_monthly(path).mean()
    return costs


def per_member_monthly_cost(ctx: YearContext, scheme: str, members: float) -> np.ndarray:
    """[12] THB in each month of the benefits costed per member (a twelfth of the yearly cost in force that month),
    all branches: the months sum to `per_member_branch_costs`."""
    costs = np.zeros(12)
    for name in COST_BRANCHES:
        path = f"{scheme}.branch_cost.{name}"
        if path in ctx.params:
            costs += members * ctx.uprated_monthly(path) / 12.0
    return costs


def credited_return(annual_return: float, months: np.ndarray) -> np.ndarray:
    """Growth factor (fraction) of contributions made over `months`, each held on average half the period, at
    `annual_return` (fraction/year)."""
    return (1.0 + annual_return) ** (months / 24.0)
