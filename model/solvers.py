"""Goal-seeking solvers over whole model runs (scipy.optimize), each verified by re-running at its answer.

- `max_uniform_old_age_allowance`: the highest flat old-age allowance (THB/month, all age bands, from a date)
  that passes every binding sustainability criterion (legal ceilings, fund solvency; not the warnings) through
  the run's end year;
- `ssf_contribution_rise`: the immediate rise of the section 33 contribution rate (employee and employer
  halves, all of it to the old-age branch's slice) that keeps the Social Security Fund's old-age branch reserve
  at or above zero through a given year;
- `ssf_pension_age`: the lowest section 33 pension age, raised at once from a date, that does the same;
The fund solvers test the branch the verdict's solvency criterion tests (SOLVENCY_BRANCH, the old-age branch:
criterion `ssf_solvency` on indicator `ssf_old_age_reserve_pct_gdp`), not the pooled fund, whose short-term and
unemployment reserves are not there to pay pensions.
- `fiscal_gap`: the permanent primary-balance change (% of GDP) that keeps public debt at or under the
  ceiling in every year.
Runs are seeded: every evaluation sees the same persons, so each objective is a deterministic function. The
allowance and contribution-rate solvers remember current law's population path, which their runs then replay
(model.population.remembered_path: a reform of what the schemes pay need not age its own population).
"""

import time
from dataclasses import dataclass
from datetime import date

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from .api import run
from .errors import ModelInputError
from .fiscal import debt
from .fiscal.assessment import ssf_accounts
from .fiscal.macro import employment_path, load_macro
from .fiscal.ssf_fund import required_rate_increase
from .parameters import ParameterTree
from .population.remembered_path import paths_remembered
from .scenario import Scenario

OAA_BANDS = ("age_60_69", "age_70_79", "age_80_89", "age_90_plus")
OAA_TOLERANCE_THB = 0.5  # THB/month
MAX_OAA_THB = 20_000.0  # THB/month: the bracket's upper end
RESERVE_TOLERANCE = 0.005  # fraction of a year's SSF contributions the verified minimum reserve may miss zero by
MAX_PENSION_AGE = 70
SOLVENCY_BRANCH = "old_age"  # the SSF branch whose reserve the verdict's solvency criterion tests
RISE_ITERATIONS = 6  # re-runs allowed to bring the old-age branch's lowest reserve to zero


@dataclass(frozen=True)
class SolverResult:
    """A solver's answer and the check made by re-running the model at it."""

    question: str
    answer: float
    unit: str
    check: str  # what the re-run found at the answer
    evaluations: int  # model runs made
    seconds: float

    def __str__(self) -> str:
        return (f"{self.question}\n  answer: {self.answer:,.4g} {self.unit}\n  check:  {self.check}\n"
                f"  ({self.evaluations} model runs, {self.seconds:.1f} s)")


def least_headroom(ds: xr.Dataset) -> tuple[float, str, int]:
    """(least headroom in percent points over every binding criterion and applicable year, that criterion, that
    year). Binding criteria are those the overall verdict rests on (legal ceilings and the fund's solvency); a
    framework target or another actuarial test is a warning and does not bound a solver's answer."""
    headroom = ds["headroom_pp"].where(ds["criterion_role"] == "binding", drop=True)
    flat = headroom.stack(cell=("year", "criterion")).dropna("cell")
    k = int(np.argmin(flat.values))
    return float(flat[k]), str(flat["criterion"].values[k]), int(flat["year"].values[k])


def _with_parameters(scenario: Scenario, overrides: dict[str, dict[date, object]]) -> Scenario:
    return scenario.replaced(parameters={**scenario.parameters, **overrides})


@paths_remembered()
def max_uniform_old_age_allowance(scenario: Scenario, start: date = date(2025, 10, 1)) -> SolverResult:
    """Highest flat monthly old-age allowance from `start` that passes every binding criterion through the end year."""
    clock = time.perf_counter()
    runs: dict[float, xr.Dataset] = {}

    def evaluate(amount: float) -> xr.Dataset:
        if amount not in runs:
            flat = {f"old_age_allowance.amount.{band}": {start: float(amount)} for band in OAA_BANDS}
            runs[amount] = run(_with_parameters(scenario, flat))
        return runs[amount]

    def headroom(amount: float) -> float:
        return least_headroom(evaluate(amount))[0]

    if headroom(0.0) < 0:
        _, criterion, year = least_headroom(evaluate(0.0))
        raise ModelInputError(f"old-age allowance: even 0 THB/month from {start} breaches {criterion} in {year}; "
                              "no amount passes every binding criterion")
    high = 1000.0
    while headroom(high) >= 0:
        high *= 2
        if high > MAX_OAA_THB:
            raise ModelInputError(f"old-age allowance: every amount up to {MAX_OAA_THB:,.0f} THB/month passes; "
                                  "the criteria do not bind")
    answer = brentq(headroom, 0.0, high, xtol=OAA_TOLERANCE_THB)
    value, criterion, year = least_headroom(evaluate(answer))
    return SolverResult(
        f"Highest flat old-age allowance from {start} passing every binding criterion to {scenario.years.end}",
        answer, "THB/month", f"re-run at the answer: least headroom {value:+.4f} pp ({criterion}, {year}); binding",
        len(runs), time.perf_counter() - clock)


def _minimum_reserve(ds: xr.Dataset, from_year: int, through_year: int) -> tuple[float, float]:
    """(lowest reserve of the SOLVENCY_BRANCH over from_year..through_year, THB; mean annual section 33
    contributions there, THB)."""
    window = ds.sel(year=slice(from_year, through_year))
    reserve = window["ssf_reserve_by_branch"].sel(ssf_branch=SOLVENCY_BRANCH)
    return float(reserve.min()), float(window["contributions"].sel(scheme="ssf_s33").mean())


def _rate_rise_overrides(tree: ParameterTree, when: date, rise: float) -> dict[str, dict[date, object]]:
    """Section 33 overrides raising the employee and employer contribution rates by `rise` / 2 each (fraction of
    the insurable wage) from `when`, and their old-age branch rates by the same: the branch split then gives all
    of the rise to the old-age branch and leaves the other branches' contributions as they were."""
    overrides: dict[str, dict[date, object]] = {}
    for payer in ("employee", "employer"):
        for path in (f"ssf_s33.contribution_rate.{payer}", f"ssf_s33.branch_rate.old_age_child_allowance.{payer}"):
            overrides[path] = {when: float(tree.get(path, when)) + rise / 2}
    return overrides


def _required_rise(ds: xr.Dataset, scenario: Scenario, tree: ParameterTree, from_year: int,
                   through_year: int) -> float:
    """The old-age branch's closed-form rate rise (fraction of section 33 insurable wages) for the run `ds`."""
    admin = float(tree.get("ssf_s33.fund.admin_cost_fraction", date(scenario.years.start, 7, 1)))
    accounts = ssf_accounts(ds, load_macro(scenario.macro), admin,
                            wage_base=ds["insurable_wages"].sel(scheme="ssf_s33"))
    return required_rate_increase(accounts, from_year=from_year, through_year=through_year, branch=SOLVENCY_BRANCH)


@paths_remembered()
def ssf_contribution_rise(scenario: Scenario, through_year: int, from_year: int = 2027) -> SolverResult:
    """Immediate rise (percent points of insurable wages, split equally between employees and employers) of the
    section 33 contribution rate from 1 January of `from_year` keeping the old-age branch's reserve >= 0 through
    `through_year`.

    The whole rise goes to the old-age branch's slice of the rate (its branch rates rise with the payer rates,
    `_rate_rise_overrides`), the branch the verdict tests; the short-term and unemployment branches keep their
    contributions. The branch's reserve is affine in its section 33 rate, so the fund module's closed form gives
    the rise on the section 33 wage bill. Two effects of the raised old-age rates make the branch's reserve less
    than affine: the old-age lump sum refunds contributions at the old-age rates in force (A5.15; no history of
    rates is kept, so all months of a record are refunded at them) and section 39 contributions are split by the
    section 33 branch rates. The answer is therefore refined by re-running the model (secant steps on the rise the
    closed form still finds wanting) until the branch's lowest reserve is zero within RESERVE_TOLERANCE. A branch
    that stays solvent at the current rates needs no rise: the answer is 0 (a cut is a different question)."""
    clock = time.perf_counter()
    base = scenario.replaced(end_year=through_year)
    ds = run(base)
    question = (f"Section 33 contribution-rate rise from {from_year} keeping the SSF {SOLVENCY_BRANCH.replace('_', '-')} "
                f"branch reserve >= 0 through {through_year}")
    unit = "percent points of insurable wages (half employee, half employer, all to the old-age branch)"
    tree = ParameterTree.load().with_overrides(base.parameters)
    rise = _required_rise(ds, base, tree, from_year, through_year)
    if rise <= 0:
        low = _minimum_reserve(ds, from_year, through_year)[0]
        return SolverResult(question, 0.0, unit, f"no rise needed: at current rates the old-age branch's lowest "
                            f"reserve is {low / 1e9:+,.2f} THB bn", 1, time.perf_counter() - clock)
    when, runs = date(from_year, 1, 1), 1
    previous, residual_before = 0.0, rise  # the base run: no rise, and the closed form's whole rise still wanting
    for _ in range(RISE_ITERATIONS):
        raised = run(_with_parameters(base, _rate_rise_overrides(tree, when, rise)))
        runs += 1
        low, contributions = _minimum_reserve(raised, from_year, through_year)
        if abs(low) <= RESERVE_TOLERANCE * contributions:
            break
        residual = _required_rise(raised, base, tree, from_year, through_year)  # the rise still wanting at `rise`
        slope = (residual - residual_before) / (rise - previous)  # secant step on the residual
        previous, residual_before = rise, residual
        rise -= residual / slope if slope < 0 else -residual
    else:
        raise RuntimeError(f"contribution rise {rise:.5f} leaves a minimum old-age reserve of {low:,.0f} THB, not zero")
    return SolverResult(
        question, 100.0 * rise, unit,
        f"re-run at the answer: the old-age branch's lowest reserve {low / 1e9:+,.2f} THB bn "
        f"({100 * low / contributions:+.3f}% of a year's section 33 contributions)", runs, time.perf_counter() - clock)


def ssf_pension_age(scenario: Scenario, through_year: int, from_year: int = 2027) -> SolverResult:
    """Lowest section 33 pension age (whole years), in force from 1 January of `from_year`, keeping the old-age
    branch's reserve >= 0 through `through_year` (bisection over ages; the reserve rises with the age)."""
    clock, runs = time.perf_counter(), 0
    base = scenario.replaced(end_year=through_year)

    def solvent(age: int) -> bool:
        nonlocal runs
        runs += 1
        ds = run(_with_parameters(base, {"ssf_s33.pension.age": {date(from_year, 1, 1): age}}))
        return _minimum_reserve(ds, from_year, through_year)[0] >= 0

    current = int(ParameterTree.load().with_overrides(scenario.parameters).get("ssf_s33.pension.age",
                                                                               date(from_year, 1, 1)))
    if solvent(current):
        low = high = current
    else:
        low, high = current, MAX_PENSION_AGE
        if not solvent(high):
            raise ModelInputError(f"pension age: even {MAX_PENSION_AGE} from {from_year} does not keep the old-age "
                                  f"branch's reserve positive through {through_year}")
        while high - low > 1:
            mid = (low + high) // 2
            low, high = (low, mid) if solvent(mid) else (mid, high)
    check = "the current pension age already suffices" if low == high else (
        f"re-run: the old-age branch's reserve stays >= 0 at {high} and falls below 0 at {high - 1}")
    return SolverResult(f"Lowest section 33 pension age from {from_year} keeping the SSF old-age branch reserve >= 0 "
                        f"through {through_year}", float(high), "years", check, runs, time.perf_counter() - clock)


def fiscal_gap(scenario: Scenario, from_year: int = 2027) -> SolverResult:
    """Permanent primary-balance change (% of GDP) from `from_year` that keeps public debt at or under the
    ceiling in every year through the end year (positive = tightening needed, negative = room left)."""
    clock = time.perf_counter()
    ds = run(scenario)
    last = int(ds.year.values[-1])
    macro = load_macro(scenario.macro, employment=employment_path(ds))  # the run's own path
    extra, excess = ds["extra_spending"], ds["current_law_excess"]
    gap = debt.fiscal_gap(macro, from_year=from_year, through_year=last, extra_spending=extra,
                          current_law_excess=excess)
    shape = xr.DataArray(np.where(macro.years >= from_year, macro.gdp, 0.0), dims="year", coords={"year": macro.years})
    ratio = debt.debt_path(macro, extra, primary_balance_adjustment=gap * shape,
                           current_law_excess=excess)["public_debt_pct_gdp"]
    peak = float(ratio.sel(year=slice(from_year, last)).max())
    return SolverResult(f"Fiscal gap: permanent primary-balance change from {from_year} keeping public debt at or "
                        f"under the ceiling through {last}", 100.0 * gap, "percent of GDP",
                        f"recomputed debt path peaks at {peak:.4f}% of GDP", 1, time.perf_counter() - clock)
