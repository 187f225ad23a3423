"""`python -m model actuarial`: the Social Security Fund in actuarial-valuation form for a scenario, the published
studies beside it, and the depletion years and GAPs of every scenario that touches the fund."""

from collections.abc import Sequence

import pandas as pd

from .paths import SCENARIO_DIR
from .scenario import load_scenario
from .summary import format_table
from .fiscal import actuarial


def fund_scenarios() -> list[str]:
    """baseline, then every shipped scenario that touches the fund (actuarial.touches_fund), by name."""
    names = sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml") if path.stem != "baseline")
    touching = [n for n in names if actuarial.touches_fund(*_overrides(n))]
    return ["baseline", *touching]


def _overrides(name: str) -> tuple[dict, dict]:
    scenario = load_scenario(name)
    return dict(scenario.parameters), dict(scenario.macro)


def report(scenarios: Sequence[str], *, scale: float | None, seed: int | None, end_year: int | None) -> None:
    """Run each scenario (default: fund_scenarios()) to `end_year` (default: long enough for every GAP horizon)
    and print the first one's valuation, the reconciliation with published studies, and one row per scenario."""
    from .api import resolve, run

    names = list(scenarios) or fund_scenarios()
    spec = actuarial.valuation_spec()
    results = {}
    for name in names:
        scenario = resolve(name, scale=scale, seed=seed)
        last = end_year if end_year is not None else scenario.years.start + max(spec.horizons_years) - 1
        results[name] = run(scenario, end_year=last)
    first = results[names[0]]
    k = spec.target_reserve_ratio.value
    print(format_table(actuarial.valuation_table(first),
                       f"Social Security Fund in valuation form: {names[0]}, {int(first.year[0])}-"
                       f"{int(first.year[-1])}, valuation date {first.attrs['ssf_valuation_date']}, discount rate = "
                       f"the fund's investment return, GAP target reserve {k:g} year(s) of outgo (percent of "
                       "insurable wages)"))
    print(format_table(actuarial.reconciliation(first).drop(columns="note").set_index("study"),
                       "Published studies beside the model (the same scope; model rate: its GAP over the study's "
                       "horizon)", digits=1))
    print(format_table(pd.DataFrame([actuarial.reform_row(n, ds) for n, ds in results.items()]).set_index("scenario"),
                       "Depletion year of each branch and the pooled fund, and GAP, by scenario (blank: not "
                       "depleted within the run)"))
