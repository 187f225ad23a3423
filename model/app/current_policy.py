"""Current policy beside current law on the page: which reference path the charts draw beside the chosen baseline,
and how much of current law's fall in cost (as a share of GDP) is the erosion of its frozen amounts.

Current law freezes allowances, welfare-card credits and means-test thresholds in nominal terms; `current_policy`
(scenarios/current_policy.yaml) keeps them at their 2025 value in real terms. The difference between the two paths
in a fiscal year is what the erosion of the frozen amounts saves.
"""

from dataclasses import dataclass

import xarray as xr

from .fiscal_years import total_cost_pct_gdp_fy

CURRENT_LAW = "baseline"
CURRENT_POLICY = "current_policy"


def reference_name(baseline: str) -> str:
    """The shipped scenario drawn beside the chosen baseline: current policy, or current law when the baseline is
    current policy itself."""
    return CURRENT_LAW if baseline == CURRENT_POLICY else CURRENT_POLICY


@dataclass(frozen=True)
class Erosion:
    """Total cost of all schemes (percent of the fiscal year's GDP) under current law in the first and last fiscal
    years, and under current policy in the last."""

    first: int  # fiscal year
    last: int  # fiscal year
    law_first: float
    law_last: float
    policy_last: float

    @property
    def law_fall_pp(self) -> float:
        """How far current law's cost falls over the period, percentage points of GDP."""
        return self.law_first - self.law_last

    @property
    def erosion_pp(self) -> float:
        """Current policy's cost above current law's in the last fiscal year, percentage points of GDP."""
        return self.policy_last - self.law_last

    @property
    def share_of_fall_pct(self) -> float | None:
        """The erosion as a percent of current law's fall; None when current law's cost does not fall."""
        return 100.0 * self.erosion_pp / self.law_fall_pp if self.law_fall_pp > 0 else None


def erosion(law: xr.Dataset, policy: xr.Dataset) -> Erosion:
    """The erosion from the first to the last complete fiscal year of two runs of the same years and scale."""
    years = [int(y) for y in law["fiscal_year"].values]
    first, last = years[0], years[-1]
    return Erosion(first, last, total_cost_pct_gdp_fy(law, first), total_cost_pct_gdp_fy(law, last),
                   total_cost_pct_gdp_fy(policy, last))
