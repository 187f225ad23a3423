"""Master-plan indicators for the target groups of sub-plan 3.2: income poverty before and after transfers,
coverage, and the five-yearly change against goal 170201 (the target groups' multidimensional poverty index
to fall 10% in each five-year period).

These are income-based proxies of the multidimensional index, not the index itself. Household links are not
modelled: a person's household per-capita income (`hh_income_pc`, THB/year, excluding the modelled cash
transfers) rises by the cash benefits the person receives divided by the mean household size.
"""

from collections.abc import Mapping

import numpy as np
import xarray as xr

from ..parameters import ParameterTree
from ..population.persons import Persons
from ..population.status import CIVIL_SERVANT, INFORMAL_WORK, SSF_S33, SSF_S39, SSF_S40, in_status

GROUPS: tuple[str, ...] = ("aged_60_plus", "children_0_6", "disability", "informal_workers", "all")
INCOME_BASES: tuple[str, ...] = ("before_transfers", "after_transfers")
GOAL_PERIODS: tuple[tuple[int, int], ...] = ((2023, 2028), (2028, 2033), (2033, 2037))
"""Five-year periods of phase 2 (the last is four years long, to 2037), compared start to end."""
GOAL_CHANGE_PCT = -10.0


def poverty_line(params: ParameterTree, year: int, indices: Mapping[str, Mapping[int, float]]) -> float:
    """Poverty line in THB/person/year: the official line in force on 1 July, uprated as its file says (consumer
    prices from the date of its last published value; `indices`: the macro path's indices by calendar year)."""
    return 12.0 * float(params.uprated_monthly("common.poverty_line", year, indices)[6])


def group_masks(persons: Persons) -> dict[str, np.ndarray]:
    """Rows belonging to each target group on 1 July."""
    age = persons.age
    return {
        "aged_60_plus": age >= 60,
        "children_0_6": age <= 6,
        "disability": persons.disabled,
        "informal_workers": in_status(persons.status, *np.flatnonzero(INFORMAL_WORK)),
        "all": np.ones(len(persons), dtype=bool),
    }


def insured(persons: Persons) -> np.ndarray:
    """Rows insured under the Social Security Fund or covered as state personnel or state pensioners."""
    return in_status(persons.status, SSF_S33, SSF_S39, SSF_S40, CIVIL_SERVANT) | persons.state_pensioner


def target_group_indicators(persons: Persons, cash_income: np.ndarray, receives_benefit: np.ndarray,
                            line: float, household_size: float) -> tuple[np.ndarray, np.ndarray]:
    """(poverty rate [group, basis] in percent, coverage [group] in percent) for one year.

    cash_income: THB/year of cash benefits each row receives; receives_benefit: rows receiving a benefit of any
    scheme other than health cover.
    """
    before = persons.hh_income_pc
    poor = (before < line, before + cash_income / household_size < line)
    covered = receives_benefit | insured(persons)
    poverty = np.zeros((len(GROUPS), len(INCOME_BASES)))
    coverage = np.zeros(len(GROUPS))
    for g, mask in enumerate(group_masks(persons).values()):
        n = max(np.count_nonzero(mask), 1)
        poverty[g] = [100.0 * np.count_nonzero(mask & p) / n for p in poor]
        coverage[g] = 100.0 * np.count_nonzero(mask & covered) / n
    return poverty, coverage


def goal_170201(ds: xr.Dataset) -> xr.Dataset:
    """Change in each target group's after-transfer poverty rate over each five-year period (percent), against
    goal 170201's −10%: variables `poverty_change_pct(period, group)` and `meets_goal(period, group)`."""
    rate = ds["poverty_rate"].sel(income_basis="after_transfers")
    periods = [(a, b) for a, b in GOAL_PERIODS if a in ds.year and b in ds.year]
    labels = [f"{a}-{b}" for a, b in periods]
    change = xr.concat([100.0 * (rate.sel(year=b) / rate.sel(year=a) - 1.0) for a, b in periods], dim="period")
    change = change.assign_coords(period=labels).drop_vars("income_basis", errors="ignore")
    change.attrs = {"units": "percent", "description": "relative change of the after-transfer poverty rate"}
    return xr.Dataset({"poverty_change_pct": change, "meets_goal": change <= GOAL_CHANGE_PCT},
                      attrs={"goal_change_pct": GOAL_CHANGE_PCT})
