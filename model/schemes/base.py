"""What a scheme computes for one calendar year, and the context it computes it from.

Every scheme module exposes `compute(ctx: YearContext) -> SchemeYear`, vectorised over all rows of the
population, and optionally `advance(ctx)` (yearly state changes such as pension claims, run before any
`compute`) and `initialise(ctx)` (run once on the base population, e.g. to back-date claims made before the
base year). Amounts are THB per calendar year; a person row stands for `ctx.persons.scale` persons.
The population state is the one on 1 July of the year (mid-year), the average exposure of a calendar year.
"""

from dataclasses import dataclass, field

import numpy as np

from ..parameters import ParameterTree
from ..population.persons import Persons

PAYERS: tuple[str, ...] = ("insured", "employer", "government")
SSF_BRANCHES: tuple[str, ...] = ("old_age", "short_term", "unemployment")
"""Social Security Fund branches: old_age = old-age pensions, lump sums and child allowance;
short_term = sickness, maternity, invalidity and death; unemployment."""


@dataclass(frozen=True)
class YearContext:
    """The inputs every scheme reads for one calendar year."""

    persons: Persons
    year: int
    params: ParameterTree
    price_index: float = 1.0  # consumer prices relative to 2023 (for indexed amounts), fraction
    wage_index: float = 1.0  # nominal wages relative to 2023, fraction
    shared: dict[str, np.ndarray] = field(default_factory=dict)  # per-year results two schemes both need


@dataclass
class SchemeYear:
    """One scheme's flows in one calendar year.

    benefit: THB/year paid to (or spent on) each row's person; the scheme's cost attributable to persons.
    recipients: True for rows that receive a benefit of the scheme during the year (defaults to benefit > 0).
    pooled_cost: THB/year of costs not attributable to rows (e.g. branches costed per insured person).
    contributions: THB/year received, by payer (insured, employer, government), whole population.
    branch_benefits / branch_contributions: THB/year by SSF branch (Social Security Fund schemes only).
    cash: whether the benefit is cash income of the person (counts in after-transfer poverty).
    cash_benefit: THB/year per row of the cash part, for a scheme paying both in kind and in cash.
    insurable_wages: THB/year of wages on which contributions were paid (SSF schemes only).
    """

    benefit: np.ndarray
    recipients: np.ndarray | None = None
    pooled_cost: float = 0.0
    contributions: dict[str, float] = field(default_factory=dict)
    branch_benefits: dict[str, float] = field(default_factory=dict)
    branch_contributions: dict[str, float] = field(default_factory=dict)
    cash: bool = True
    insurable_wages: float = 0.0
    cash_benefit: np.ndarray | None = None

    def cash_income(self) -> np.ndarray | float:
        """THB/year of cash income each row receives from the scheme (0 for benefits in kind)."""
        if self.cash_benefit is not None:
            return self.cash_benefit
        return self.benefit if self.cash else 0.0

    def recipient_mask(self) -> np.ndarray:
        """Rows receiving the scheme's benefit this year."""
        return self.benefit > 0 if self.recipients is None else self.recipients
