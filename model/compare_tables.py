"""Memo tables of a comparison: every year of the window, reform against base, with Monte Carlo standard errors.

Sections (each left out when the results lack its variables):
- benefit cost by scheme, in THB bn nominal, THB bn at 2023 prices and percent of GDP, by calendar year or, with
  `fiscal_years`, by fiscal year (FY t = 1 October t-1 to 30 September t, from the monthly flows);
- who pays, by scheme and in total: the government (benefits of budget-financed schemes, government contributions
  to the others), the funds (benefits the SSF, GPF and NSF pay) and contributors (insured persons and employers),
  in the same three measures, by calendar year (contributions by payer are recorded by calendar year only);
- recipients by scheme; the fiscal position (debt, deficit, SSF reserves); target-group indicators (every result
  variable over `group`, so an indicator added to the results is tabulated too); the headroom under each
  sustainability criterion by year, and the criteria with their basis, role, least headroom, first breach and
  verdict.

Each row gives the base and reform means over draws, the mean difference (reform minus base), its standard error
(the standard deviation of the per-draw differences over √N) and whether it is within noise (|difference| < 2
s.e.). Differences of percentages are in percentage points; a relative difference ("difference %") is given only
for amounts (THB, persons) whose base is positive, never for rates, balances that may cross zero, headroom or
years. Rows identical in base and reform in every period and draw are not tabulated but named under the table;
rows zero in both are left out.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from .compare import draw_statistics, with_draws
from .fiscal.sustainability import criterion_verdict
from .results import fiscal_sum, gdp_fy, price_index
from .schemes.registry import DECLARATIONS

BN = 1e9
THOUSAND = 1e3
KINDS: dict[str, str] = {"amount": "a positive amount: differences also in percent of the base",
                         "rate": "a percentage: differences in percentage points, no relative difference",
                         "level": "a balance, ratio, headroom or index: absolute differences only"}
YEARLY_COLUMNS = ("item", "unit", "year", "base", "reform", "difference", "s.e.", "difference %", "within noise")
"""The columns of every yearly table (the year column holds 2037 or FY2037)."""
CRITERIA_COLUMNS = ("criterion", "basis", "role", "limit", "least headroom, base (pp)", "least headroom, reform (pp)",
                    "difference (pp)", "s.e.", "within noise", "first breach, base", "first breach, reform",
                    "verdict, base", "verdict, reform")
"""The columns of the table of sustainability criteria."""


@dataclass
class Section:
    """One memo table: `key` (short name: sheet name, CSV section), `title`, the table, the items left out because
    they are identical in base and reform, and notes printed under it; `digits` for displayed numbers."""

    key: str
    title: str
    table: pd.DataFrame
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    digits: int = 2


@dataclass(frozen=True)
class Line:
    """A quantity to tabulate by year: values over (draw, scenario, period), its label, unit and kind (a key of
    KINDS: what differences it has)."""

    label: str
    values: xr.DataArray
    unit: str
    kind: str


def yearly_table(ds: xr.Dataset, lines: list[Line], period: str = "year") -> tuple[pd.DataFrame, list[str]]:
    """Rows (item, period) with means, difference, s.e., difference % and within noise; and the labels of lines
    identical in base and reform in every period and draw (left out, as are lines zero in both)."""
    if not lines:
        return pd.DataFrame(columns=list(YEARLY_COLUMNS)), []
    values = xr.concat([line.values.transpose("draw", "scenario", period) for line in lines], dim="line",
                       coords="minimal", compat="override", join="outer")
    stats = draw_statistics(values, ds.attrs["base"], ds.attrs["reform"]).transpose("line", period)
    zero = (values.fillna(0.0) == 0).all(("draw", "scenario", period)).values
    identical = stats["identical"].all(period).values
    unchanged = [line.label for i, line in enumerate(lines) if identical[i] and not zero[i]]
    keep = np.flatnonzero(~identical & ~zero)
    base, reform, diff, se = (stats[v].values[keep] for v in ("base", "reform", "difference", "se"))
    amount = np.array([lines[i].kind == "amount" for i in keep], dtype=bool)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(amount & (base > 0), 100.0 * diff / base, np.nan)
    noise = np.where(np.isnan(se), None, stats["within_noise"].values[keep])
    prefix = "FY" if period == "fiscal_year" else ""
    years = [f"{prefix}{int(y)}" for y in stats[period].values]
    n = len(years)
    frame = pd.DataFrame({
        "item": np.repeat([lines[i].label for i in keep], n), "unit": np.repeat([lines[i].unit for i in keep], n),
        "year": years * len(keep), "base": base.ravel(), "reform": reform.ravel(), "difference": diff.ravel(),
        "s.e.": se.ravel(), "difference %": pct.ravel(), "within noise": noise.ravel()})
    return frame[list(YEARLY_COLUMNS)], unchanged


def _section(ds: xr.Dataset, key: str, title: str, lines: list[Line], digits: int, period: str = "year",
             notes: list[str] | None = None) -> Section | None:
    if not lines:
        return None
    table, unchanged = yearly_table(ds, lines, period)
    return Section(key, title, table, unchanged, notes or [], digits)


def _by_month_fy(ds: xr.Dataset, by_month: xr.DataArray) -> xr.DataArray:
    """A monthly flow (draw, scenario, year, month, ...) summed over each fiscal year of the results."""
    return fiscal_sum(by_month, ds["fiscal_year"].values).transpose("draw", "scenario", "fiscal_year", ...)


def _measures(ds: xr.Dataset, thb: xr.DataArray) -> dict[str, tuple[xr.DataArray, str, str]]:
    """THB by (draw, scenario, year, ...) in three measures: nominal and at 2023 prices (THB bn) and percent of
    GDP; measure → (values, unit, kind)."""
    return {"nominal": (thb / BN, "THB bn", "amount"),
            "real": (thb / price_index(ds) / BN, "THB bn, 2023 prices", "amount"),
            "pct_gdp": (100.0 * thb / ds["gdp"], "% of GDP", "rate")}


MEASURE_TITLES = {"nominal": "THB bn, nominal", "real": "THB bn at 2023 prices (deflated by the CPI)",
                  "pct_gdp": "percent of GDP (differences in percentage points)"}


def _fiscal_year_cost(ds: xr.Dataset) -> dict[str, tuple[xr.DataArray, str, str]]:
    """Benefit cost by fiscal year and scheme in the three measures: the result's `benefit_cost_fy`; each month
    deflated by its calendar year's CPI, then summed; and percent of the fiscal year's GDP (`gdp_fy`)."""
    nominal = ds["benefit_cost_fy"]
    real = _by_month_fy(ds, ds["benefit_cost_by_month"] / price_index(ds))
    return {"nominal": (nominal / BN, "THB bn", "amount"),
            "real": (real / BN, "THB bn, 2023 prices", "amount"),
            "pct_gdp": (100.0 * nominal / gdp_fy(ds), "% of GDP", "rate")}


def _scheme_lines(values: xr.DataArray, unit: str, kind: str) -> list[Line]:
    """One line per scheme and one for the total of all schemes."""
    lines = [Line(str(s), values.sel(scheme=s, drop=True), unit, kind) for s in values["scheme"].values]
    return lines + [Line("total", values.sum("scheme"), unit, kind)]


def cost_sections(ds: xr.Dataset, fiscal_years: bool) -> list[Section]:
    """Benefit cost by scheme in the three measures, by calendar or fiscal year."""
    if "benefit_cost" not in ds or "cost_real" not in ds or "gdp" not in ds:
        return []
    fy = fiscal_years and "benefit_cost_fy" in ds and ds.sizes.get("fiscal_year", 0) > 0
    measures = _fiscal_year_cost(ds) if fy else _measures(ds, ds["benefit_cost"])
    when = ("by fiscal year (FY t: 1 October t-1 to 30 September t)" if fy
            else "by calendar year (January to December)")
    sections = []
    for measure, (values, unit, kind) in measures.items():
        sections.append(_section(ds, f"cost_{measure}", f"Benefit cost by scheme, {MEASURE_TITLES[measure]}, {when}",
                                 _scheme_lines(values, unit, kind), 3 if kind == "rate" else 2,
                                 "fiscal_year" if fy else "year"))
    return [s for s in sections if s is not None]


def payer_flows(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """THB by (draw, scenario, year, scheme) that each payer carries: `government` (benefits of a budget-financed
    scheme; the government's contributions to a scheme financed by a fund and the budget), `fund` (benefits a
    fund pays) and `contributors` (contributions of insured persons and employers)."""
    cost, by_payer = ds["benefit_cost"], ds["contributions_by_payer"]
    schemes = cost["scheme"].values
    budget = xr.DataArray([DECLARATIONS[s].financing == "budget" for s in schemes], coords={"scheme": schemes})
    shared = xr.DataArray([DECLARATIONS[s].financing == "budget_and_fund" for s in schemes], coords={"scheme": schemes})
    funded = xr.DataArray([DECLARATIONS[s].fund is not None for s in schemes], coords={"scheme": schemes})
    return {"government": cost.where(budget, 0.0) + by_payer.sel(payer="government", drop=True).where(shared, 0.0),
            "fund": cost.where(funded, 0.0),
            "contributors": by_payer.sel(payer=[p for p in by_payer["payer"].values if p != "government"]).sum("payer")}


def payer_sections(ds: xr.Dataset) -> list[Section]:
    """Who pays, by scheme and in total over the schemes, in the three measures, by calendar year."""
    if not all(v in ds for v in ("benefit_cost", "contributions_by_payer", "cost_real", "gdp")):
        return []
    by_payer = payer_flows(ds)
    flows = xr.concat(list(by_payer.values()), dim=pd.Index(list(by_payer), name="payer"))
    flows = flows.transpose("payer", "scheme", "draw", "scenario", "year")
    sections = []
    for measure, (values, unit, kind) in _measures(ds, flows).items():
        values = values.transpose("payer", "scheme", "draw", "scenario", "year")
        totals = values.sum("scheme")
        lines = []
        for p, payer in enumerate(values["payer"].values):
            lines.append(Line(f"all schemes: {payer}", totals[p], unit, kind))
            lines += [Line(f"{scheme}: {payer}", values[p, i], unit, kind)
                      for i, scheme in enumerate(values["scheme"].values)]
        lines.sort(key=lambda line: (not line.label.startswith("all"), line.label.split(":")[0]))
        sections.append(_grouped(_section(
            ds, f"payer_{measure}", f"Who pays, {MEASURE_TITLES[measure]}, by calendar year", lines,
            3 if measure == "pct_gdp" else 2,
            notes=["government: benefits of budget-financed schemes and the government's contributions to the "
                   "contributory ones (their sum is the result's government_cost); fund: benefits paid by the SSF, "
                   "GPF or NSF; contributors: contributions of insured persons and employers"])))
    return [s for s in sections if s is not None]


def _grouped(section: Section | None) -> Section | None:
    """The section with its unchanged "scheme: payer" items named once per scheme: "scheme (payer, payer)"."""
    if section is not None:
        by_scheme: dict[str, list[str]] = {}
        for label in section.unchanged:
            scheme, payer = label.split(": ")
            by_scheme.setdefault(scheme, []).append(payer)
        section.unchanged = [f"{scheme} ({', '.join(payers)})" for scheme, payers in by_scheme.items()]
    return section


def recipients_section(ds: xr.Dataset, fiscal_years: bool) -> list[Section]:
    """Recipients by scheme, thousand persons (by fiscal year: the monthly average)."""
    fy = fiscal_years and "recipients_fy" in ds and ds.sizes.get("fiscal_year", 0) > 0
    name = "recipients_fy" if fy else "recipients"
    if name not in ds:
        return []
    values = ds[name] / THOUSAND
    lines = [Line(str(s), values.sel(scheme=s, drop=True), "thousand persons", "amount")
             for s in values["scheme"].values]
    when = "average month of each fiscal year" if fy else "during each calendar year"
    section = _section(ds, "recipients", f"Recipients by scheme, thousand persons, {when}", lines, 1,
                       "fiscal_year" if fy else "year")
    return [section] if section else []


FISCAL_POSITION: tuple[tuple[str, str, float, str, str], ...] = (
    ("government_cost_pct_gdp", "government cost of the schemes", 1.0, "% of GDP", "rate"),
    ("public_debt_pct_gdp", "public debt, end of year", 1.0, "% of GDP", "rate"),
    ("deficit_pct_gdp", "fiscal deficit", 1.0, "% of GDP", "rate"),
    ("primary_balance_pct_gdp", "primary balance", 1.0, "% of GDP", "rate"),
    ("debt_service_pct_revenue", "debt service", 1.0, "% of revenue", "rate"),
    ("ssf_reserve", "SSF reserves, end of year", BN, "THB bn", "level"),
    ("ssf_reserve_ratio", "SSF reserve ratio", 1.0, "years of outgo", "level"),
    ("ssf_cost_rate_pct", "SSF cost rate", 1.0, "% of insurable wages", "rate"),
)
"""Fiscal-position variables: (variable, label, divisor, unit, kind)."""


def fiscal_position_section(ds: xr.Dataset) -> list[Section]:
    """Public finances and the Social Security Fund by calendar year."""
    lines = [Line(label, ds[name] / divisor, unit, kind) for name, label, divisor, unit, kind in FISCAL_POSITION
             if name in ds and ds[name].dims[-1:] == ("year",)]
    section = _section(ds, "fiscal_position", "Fiscal position by calendar year (differences of percentages in "
                       "percentage points)", lines, 3)
    return [section] if section else []


def _unit(values: xr.DataArray) -> tuple[str, str]:
    """Displayed unit and kind of a target-group indicator: percentages are rates, anything else a level."""
    units = str(values.attrs.get("units", ""))
    return ("%", "rate") if units in ("percent", "%") else (units, "level")


def target_group_sections(ds: xr.Dataset) -> list[Section]:
    """Every result variable over `group` and year (poverty, coverage, and the multidimensional poverty index
    when the results have it): one line per group and value of any other dimension."""
    lines = []
    for name in ds.data_vars:
        values = ds[name]
        if "group" not in values.dims or "year" not in values.dims or values.dtype.kind not in "iuf":
            continue
        unit, kind = _unit(values)
        other = [d for d in values.dims if d not in ("draw", "scenario", "year")]
        stacked = values.stack(line=other)
        for i in range(stacked.sizes["line"]):
            keys = [str(k) for k in np.atleast_1d(stacked["line"].values[i])]
            label = f"{name}: {', '.join(keys)}"
            lines.append(Line(label, stacked.isel(line=i, drop=True), unit, kind))
    section = _section(ds, "target_groups", "Target groups by calendar year (differences of percentages in "
                       "percentage points)", lines, 2,
                       notes=["poverty: income-based proxy (household per-capita income below the poverty line)"]
                       if "poverty_rate" in ds else [])
    return [section] if section else []


def headroom_section(ds: xr.Dataset) -> list[Section]:
    """Headroom under each sustainability criterion by calendar year, percentage points of its base (negative:
    breached); blank before the criterion applies."""
    if "headroom_pp" not in ds:
        return []
    lines = [Line(f"{c} ({_coord(ds, 'criterion_basis', c)})", ds["headroom_pp"].sel(criterion=c, drop=True), "pp",
                  "level") for c in ds["criterion"].values]
    section = _section(ds, "headroom", "Headroom under each sustainability criterion by calendar year, percentage "
                       "points of its base (GDP, revenue or outgo; negative: breached)", lines, 3)
    return [section] if section else []


def _coord(ds: xr.Dataset, name: str, criterion: object) -> str:
    return str(ds[name].sel(criterion=criterion).values) if name in ds.coords else ""


def _first_breach(values: np.ndarray) -> str:
    """First breach year over draws: the year (median if draws differ) and, unless every draw breaches, in how
    many draws; 'none' if no draw breaches."""
    breached = values[~np.isnan(values)]
    if breached.size == 0:
        return "none"
    year = f"{int(np.median(breached))}"
    return year if breached.size == values.size else f"{year} ({breached.size}/{values.size} draws)"


def _verdict(passes: np.ndarray, role: str) -> str:
    """The criterion's verdict over draws (`passes`: one bool per draw); 'FAIL in k/N draws' when draws differ."""
    held = int(passes.sum())
    if held in (0, passes.size):
        return criterion_verdict(bool(held), role)
    return f"{criterion_verdict(False, role)} in {passes.size - held}/{passes.size} draws"


def criteria_section(ds: xr.Dataset) -> list[Section]:
    """The sustainability criteria with their basis (law, framework target, actuarial) and role, limit, least
    headroom over the years (pp of the base) with its difference and s.e., first breach and verdict."""
    needed = ("headroom_pp", "criterion_passes", "criterion_limit", "first_breach_year")
    if not all(v in ds for v in needed):
        return []
    base, reform = ds.attrs["base"], ds.attrs["reform"]
    least = draw_statistics(ds["headroom_pp"].min("year", skipna=True), base, reform)
    holds = ds["criterion_passes"].all("year")
    rows = []
    for c in ds["criterion"].values:
        s = least.sel(criterion=c)
        role = _coord(ds, "criterion_role", c)
        se = float(s["se"])
        rows.append((str(c), _coord(ds, "criterion_basis", c), role, float(ds["criterion_limit"].sel(criterion=c)
                                                                          .isel(draw=0, scenario=0)),
                     float(s["base"]), float(s["reform"]), float(s["difference"]), se,
                     None if np.isnan(se) else bool(s["within_noise"]),
                     *(_first_breach(ds["first_breach_year"].sel(criterion=c, scenario=name).values)
                       for name in (base, reform)),
                     *(_verdict(holds.sel(criterion=c, scenario=name).values, role) for name in (base, reform))))
    table = pd.DataFrame(rows, columns=list(CRITERIA_COLUMNS))
    notes = [_overall(ds)]
    if "ssf_depletion_year" in ds:
        depleted = [_first_breach(ds["ssf_depletion_year"].sel(scenario=name).values) for name in (base, reform)]
        notes.append(f"SSF reserves first negative: base {depleted[0]}, reform {depleted[1]} (none: not within the "
                     f"run, to {int(ds['year'].max())})")
    if ds.attrs.get("criteria_not_evaluated"):
        notes.append(f"not evaluated: {ds.attrs['criteria_not_evaluated']}")
    notes.append("basis: law (State Fiscal and Financial Disciplines Act B.E. 2561 and ceilings set under it), "
                 "framework_target (medium-term fiscal framework), actuarial; binding criteria decide PASS/FAIL, "
                 "the others are warnings")
    return [Section("criteria", "Sustainability criteria of guideline 3.1.2(4), least headroom over the years",
                    table, [], notes, 3)]


def _overall(ds: xr.Dataset) -> str:
    """The overall verdict of base and reform (every binding criterion holds in every year)."""
    if "sustainability_verdict" not in ds:
        return "overall verdict: not in the results"
    parts = []
    for name in (ds.attrs["base"], ds.attrs["reform"]):
        parts.append(_verdict(ds["sustainability_verdict"].sel(scenario=name).values.astype(bool), "binding"))
    return f"overall verdict (binding criteria in every year): base {parts[0]}, reform {parts[1]}"


GAINS_COLUMNS = ("persons (thousand)", "average net gain (THB/year)", "s.e.", "gaining (%)", "losing (%)")
"""The columns of the winners-and-losers tables after the decile or region column."""


def gains_sections(ds: xr.Dataset) -> list[Section]:
    """Winners and losers of the reform by household income decile and by region in the year the comparison kept
    its persons of (`model.compare(..., gains_year=Y)`): persons, average net gain per person with its s.e. over
    draws, and the shares of persons gaining and losing more than 1 THB a month (means over draws)."""
    if "net_gain_by_decile" not in ds:
        return []
    year = ds.attrs.get("gains_year", "")
    n = ds.sizes["draw"]
    sections = []
    for by, title in (("decile", "household income decile (income per person before transfers)"),
                      ("region", "region")):
        def column(measure: str) -> tuple[np.ndarray, np.ndarray]:
            parts = ds[f"{measure}_by_{by}"].transpose("draw", by).values
            whole = ds[f"{measure}_all"].values[:, None]
            values = np.concatenate([parts, whole], axis=1)
            se = values.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(values.shape[1], np.nan)
            return values.mean(axis=0), se

        gain, gain_se = column("net_gain")
        table = pd.DataFrame({by: [str(v) for v in ds[by].values] + ["all"],
                              GAINS_COLUMNS[0]: column("persons")[0] / THOUSAND, GAINS_COLUMNS[1]: gain,
                              GAINS_COLUMNS[2]: gain_se, GAINS_COLUMNS[3]: column("share_gaining")[0],
                              GAINS_COLUMNS[4]: column("share_losing")[0]})
        unmatched = float(ds["unmatched_persons"].mean())
        notes = ["net gain: change (reform minus base) of the household's cash benefits minus the contributions its "
                 "insured pay themselves, per member, THB a year; gaining/losing: more than 1 THB a month; persons "
                 "matched by id in both runs of a draw (same seed), deciles and regions of the base run",
                 f"persons in one run only (not matched, left out): {unmatched:,.0f} (mean over draws)"
                 + ("; the reform changes demography or households, so the runs hold different persons"
                    if unmatched > 0 else "")]
        sections.append(Section(f"gains_{by}", f"Winners and losers by {title}, {year}", table, [], notes, 1))
    return sections


def comparison_tables(ds: xr.Dataset, fiscal_years: bool = False) -> list[Section]:
    """The memo tables of a comparison Dataset (`model.compare`, or `compare_results` of two results: one draw);
    sections whose variables the results lack are left out."""
    ds = with_draws(ds)
    return [*cost_sections(ds, fiscal_years), *payer_sections(ds), *recipients_section(ds, fiscal_years),
            *fiscal_position_section(ds), *target_group_sections(ds), *gains_sections(ds), *headroom_section(ds),
            *criteria_section(ds)]


def header_lines(ds: xr.Dataset) -> list[str]:
    """What was compared and how: scenarios, years, draws and seeds, scale, model version, and the method."""
    ds = with_draws(ds)
    n = ds.sizes["draw"]
    seeds = [int(s) for s in np.ravel(ds["seed"].values)] if "seed" in ds.coords else []
    seed_text = (f"seed {seeds[0]}" if len(set(seeds)) == 1 else f"seeds {min(seeds)}-{max(seeds)}") if seeds else ""
    scale = float(np.ravel(ds["scale"].values)[0]) if "scale" in ds.coords else ds.attrs.get("scale")
    run = [f"years {int(ds['year'].min())}-{int(ds['year'].max())}", f"{n} draw{'s' if n > 1 else ''}"]
    run += [seed_text] if seed_text else []
    run += [f"scale {scale:,g} persons per row"] if scale is not None else []
    run += [f"model {ds.attrs['model_version']}"] if ds.attrs.get("model_version") else []
    method = ("Differences are reform minus base, means over the draws; both runs of a draw share its seed and every "
              "random process has its own stream (common random numbers). s.e.: Monte Carlo standard error of the "
              "mean difference (standard deviation of the per-draw differences / sqrt(draws)); within noise: "
              "|difference| < 2 s.e. Differences of percentages are in percentage points; difference % only for "
              "amounts with a positive base.")
    if n == 1:
        method += " One draw: no standard error (give more draws for one)."
    return [f"Comparison: {ds.attrs['reform']} against {ds.attrs['base']}", ", ".join(run), method]
