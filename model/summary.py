"""Plain-text summary tables of a result Dataset, for the command line."""

import pandas as pd
import xarray as xr

from .fiscal.macro import BASES
from .fiscal.sustainability import criterion_verdict

SUMMARY_YEARS = (2023, 2025, 2030, 2035, 2037)


def _years(ds: xr.Dataset) -> list[int]:
    return [y for y in SUMMARY_YEARS if y in ds.year.values]


def population_table(ds: xr.Dataset) -> pd.DataFrame:
    """Population by broad age group (millions) and the old-age dependency ratio, for the summary years."""
    pop = ds.population.sum("sex").sel(year=_years(ds))
    age = pop.age

    def band(lo: int, hi: int = 200) -> xr.DataArray:
        return pop.where((age >= lo) & (age <= hi)).sum("age")

    rows = {
        "total (million)": pop.sum("age") / 1e6,
        "0-14 (million)": band(0, 14) / 1e6,
        "15-59 (million)": band(15, 59) / 1e6,
        "60+ (million)": band(60) / 1e6,
        "65+ (million)": band(65) / 1e6,
        "80+ (million)": band(80) / 1e6,
        "old-age dependency ratio, 65+ per 100 aged 15-64": 100 * band(65) / band(15, 64),
    }
    return pd.DataFrame({name: values.to_series() for name, values in rows.items()}).T


def schemes_table(ds: xr.Dataset) -> pd.DataFrame:
    """Recipients (million persons) and cost (THB billion, nominal) per scheme for the summary years."""
    years = [y for y in (2023, 2025, 2030, 2037) if y in ds.year.values]
    recipients = (ds.recipients.sel(year=years) / 1e6).to_pandas().T
    cost = (ds.benefit_cost.sel(year=years) / 1e9).to_pandas().T
    table = pd.concat({"recipients (million)": recipients, "cost (THB bn)": cost}, axis=1)
    table.loc["total"] = [float("nan")] * len(years) + list(cost.sum())
    return table


def fiscal_year_costs(ds: xr.Dataset) -> pd.DataFrame:
    """Cost per scheme (THB billion, nominal) by fiscal year (FY t: 1 October t-1 to 30 September t), for the
    summary years that are complete fiscal years of the run, with the total."""
    years = [y for y in (2024, *SUMMARY_YEARS) if y in ds.get("fiscal_year", xr.DataArray([])).values]
    table = (ds.benefit_cost_fy.sel(fiscal_year=years) / 1e9).to_pandas().T
    table.columns = [f"FY{y}" for y in years]
    table.loc["total"] = table.sum()
    return table


def fiscal_table(ds: xr.Dataset) -> pd.DataFrame:
    """Cost and fiscal position (percent of GDP, SSF reserves in THB billion) for the summary years."""
    rows = {
        "scheme cost, % of GDP": ds.total_cost_pct_gdp,
        "government-financed, % of GDP": ds.government_cost_pct_gdp,
        "fund-financed (SSF), % of GDP": ds.fund_financed_cost_pct_gdp,
        "public debt, % of GDP": ds.public_debt_pct_gdp,
        "SSF reserves, THB bn": ds.ssf_reserve / 1e9,
    }
    return pd.DataFrame({k: v.sel(year=_years(ds)).to_series() for k, v in rows.items()}).T


BASIS_TITLES = {"law": "legal ceilings (State Fiscal and Financial Disciplines Act B.E. 2561)",
                "actuarial": "actuarial tests", "framework_target": "framework targets (MTFF)"}


def verdicts(ds: xr.Dataset) -> pd.DataFrame:
    """The sustainability test: each criterion's basis and role, limit, least headroom, first year of breach and
    verdict (PASS/FAIL if binding, met/warning otherwise), rows grouped by basis (law, actuarial, framework
    target)."""
    rows = []
    for name in ds.criterion.values:
        headroom = ds.headroom_pp.sel(criterion=name)
        worst = headroom.idxmin("year", skipna=True) if headroom.notnull().any() else None
        first = ds.first_breach_year.sel(criterion=name)
        role = str(ds.criterion_role.sel(criterion=name).values)
        rows.append({
            "criterion": str(name),
            "basis": str(ds.criterion_basis.sel(criterion=name).values),
            "role": role,
            "limit": float(ds.criterion_limit.sel(criterion=name)),
            "least headroom (pp)": float(headroom.min()) if worst is not None else float("nan"),
            "in year": int(worst) if worst is not None else None,
            "headroom then (THB bn)": float(ds.headroom_thb.sel(criterion=name, year=worst)) / 1e9
            if worst is not None else float("nan"),
            "first breach": "none" if first.isnull() else str(int(first)),
            "verdict": criterion_verdict(bool(ds.criterion_passes.sel(criterion=name).all()), role),
        })
    table = pd.DataFrame(rows)
    order = {basis: i for i, basis in enumerate(BASES)}
    table = table.iloc[sorted(range(len(table)), key=lambda i: (order[table["basis"][i]], table["role"][i] != "binding"))]
    return table.set_index("criterion")


def verdict_line(ds: xr.Dataset) -> str:
    """The overall verdict of guideline 3.1.2(4) in one line: PASS or FAIL from the binding criteria (legal
    ceilings and the fund's solvency), then the warnings (framework targets, other actuarial tests) breached."""
    table = verdicts(ds)
    years = f"{int(ds.year[0])}-{int(ds.year[-1])}"
    failed = table[table["verdict"] == "FAIL"]
    warned = table[table["verdict"] == "warning"]
    if failed.empty:
        text = f"Verdict, guideline 3.1.2(4), {years}: PASS (legal ceilings and SSF solvency hold in every year)"
    else:
        text = (f"Verdict, guideline 3.1.2(4), {years}: FAIL ("
                + ", ".join(f"{c} from {r['first breach']}" for c, r in failed.iterrows()) + ")")
    if not warned.empty:
        text += "; warnings: " + ", ".join(f"{c} ({r['basis']}) breached from {r['first breach']}"
                                           for c, r in warned.iterrows())
    else:
        text += "; no warnings"
    return text


def verdict_report(ds: xr.Dataset) -> str:
    """The CLI's sustainability section: one table per basis, the overall verdict line, and the criteria the
    model does not evaluate."""
    table = verdicts(ds)
    years = f"{int(ds.year[0])}-{int(ds.year[-1])}"
    parts = [f"Sustainability test, guideline 3.1.2(4), {years} (binding: PASS/FAIL; warning: reported only)\n"]
    for basis in BASES:
        group = table[table["basis"] == basis].drop(columns="basis")
        if not group.empty:
            parts.append(format_table(group, f"  basis: {BASIS_TITLES[basis]}"))
    parts.append(verdict_line(ds))
    unevaluated = ds.attrs.get("criteria_not_evaluated", "")
    if unevaluated:
        parts.append("Not evaluated (no indicator in the model; see criteria_not_evaluated in "
                     "model/fiscal/macro_assumptions.yaml): " + unevaluated)
    return "\n".join(parts) + "\n"


def format_table(df: pd.DataFrame, title: str, digits: int = 2) -> str:
    """A titled fixed-width table; an undefined cell (NaN, e.g. a total of persons who may count in several
    schemes) is left blank."""
    return f"{title}\n{df.round(digits).to_string(na_rep='')}\n"
