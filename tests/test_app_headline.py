"""The app's headline, tables, downloads, address and reform builder, without a browser: a worked case of the
budget impact's government and fund shares, the summary sentence and banner in both languages, the Excel
workbook and the wide CSV read back, the scenario file without the preview scale, and the address round trip."""

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model import results
from model.app import builder, charts, exports, impact, runs, state, summary_text, tables
from model.app.labels import label
from model.app.workbook import SHEET_TITLES, WorkbookInput, workbook_bytes
from model.fiscal.budget import PAYERS
from model.parameters import ParameterTree
from model.scenario import load_scenario, scenario_from_text
from model.schemes.registry import names as scheme_names


def t_en(key: str, **values: object) -> str:
    return label(key, "en", **values)


def t_th(key: str, **values: object) -> str:
    return label(key, "th", **values)


def synthetic(oaa_2024: float) -> xr.Dataset:
    """Two calendar years (FY2024 complete): the old-age allowance pays 10 a month in 2023 and `oaa_2024` in
    2024; section 33 pays 5 a month and receives 4 a month, a quarter from the government in 2023 and half in
    2024; GDP 4,000 and 8,000."""
    schemes = list(scheme_names())
    s = {name: i for i, name in enumerate(schemes)}
    cost = np.zeros((2, 12, len(schemes)))
    cost[0, :, s["old_age_allowance"]], cost[1, :, s["old_age_allowance"]] = 10.0, oaa_2024
    cost[:, :, s["ssf_s33"]] = 5.0
    contributions = np.zeros_like(cost)
    contributions[:, :, s["ssf_s33"]] = 4.0
    by_payer = np.zeros((2, len(schemes), len(PAYERS)))
    by_payer[0, s["ssf_s33"]] = [24.0, 12.0, 12.0]  # 48 a year: a quarter from the government
    by_payer[1, s["ssf_s33"]] = [12.0, 12.0, 24.0]  # half
    return results.add_fiscal_years(xr.Dataset(
        {"benefit_cost_by_month": (("year", "month", "scheme"), cost),
         "contributions_by_month": (("year", "month", "scheme"), contributions),
         "recipients_by_month": (("year", "month", "scheme"), np.zeros_like(cost)),
         "contributions_by_payer": (("year", "scheme", "payer"), by_payer),
         "gdp": ("year", [4_000.0, 8_000.0])},
        coords={"year": [2023, 2024], "month": np.arange(1, 13), "scheme": schemes, "payer": list(PAYERS)}))


def test_government_and_fund_shares_worked_case():
    shares = impact.shares_fy(synthetic(20.0)).loc[2024]
    # government: allowance Oct-Dec 2023 at 10 and Jan-Sep 2024 at 20, plus its contributions 3 x 4 x 1/4 + 9 x 4 x 1/2
    assert shares["government"] == pytest.approx(3 * 10 + 9 * 20 + 3 + 18)
    assert shares["fund"] == pytest.approx(12 * (5 - 4))  # the fund's benefits less all its contributions
    change = impact.budget_impact(synthetic(20.0), synthetic(30.0), period=(2024, 2024))
    assert (change.first, change.last) == (2024, 2024)
    assert change.government == pytest.approx(9 * 10) and change.fund == 0 and change.total == pytest.approx(90)
    gdp = 3 / 12 * 4_000 + 9 / 12 * 8_000
    assert change.pct_gdp_a_year == pytest.approx(100 * 90 / gdp)
    with pytest.raises(ValueError, match="period"):
        impact.budget_impact(synthetic(20.0), synthetic(30.0), period=(2030, 2037))


def labelled_shares(ds: xr.Dataset) -> pd.DataFrame:
    """`impact.shares_fy` as labelled xarray arithmetic (the definition the plain-array path must match)."""
    from model.fiscal.budget import GOVERNMENT_CONTRIBUTION_SCHEMES, SSF_SCHEMES, TAX_FINANCED_SCHEMES
    by_payer = ds["contributions_by_payer"]
    total = by_payer.sum("payer")
    share = xr.where(total > 0, by_payer.sel(payer="government") / total.where(total > 0), 0.0)
    contributions = results.fiscal_sum(ds["contributions_by_month"] * share, ds["fiscal_year"].values)
    cost = ds["benefit_cost_fy"]
    government = (cost.sel(scheme=list(TAX_FINANCED_SCHEMES)).sum("scheme")
                  + contributions.sel(scheme=list(GOVERNMENT_CONTRIBUTION_SCHEMES)).sum("scheme"))
    fund = (cost - ds["contributions_fy"]).sel(scheme=list(SSF_SCHEMES)).sum("scheme")
    return pd.DataFrame({"government": government.values, "fund": fund.values},
                        index=pd.Index(ds["fiscal_year"].values.astype(int), name="fiscal_year"))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.3))
def test_plain_array_shares_match_the_labelled_arithmetic_bit_for_bit(seed, missing):
    """The headline's shares, computed on plain arrays for speed, equal the labelled computation to the last bit,
    with missing values (NaN), schemes that cost nothing and payers that pay nothing."""
    rng = np.random.default_rng(seed)
    ds = synthetic(20.0)
    for name in ("benefit_cost_by_month", "contributions_by_month", "contributions_by_payer"):
        values = rng.lognormal(10.0, 2.0, ds[name].shape) * (rng.random(ds[name].shape) > 0.2)
        values[rng.random(ds[name].shape) < missing] = np.nan
        ds[name] = (ds[name].dims, values)
    ds = results.add_fiscal_years(ds.drop_vars([v for v in ds.data_vars if v.endswith("_fy")]).drop_vars("fiscal_year"))
    fast, labelled = impact.shares_fy(ds), labelled_shares(ds)
    assert fast.index.equals(labelled.index) and list(fast.columns) == list(labelled.columns)
    assert fast.to_numpy().tobytes() == labelled.to_numpy().tobytes()


@pytest.fixture(scope="module")
def preview() -> dict[str, xr.Dataset]:
    seed = load_scenario("oaa_ladder_2025").seed
    return {name: model.run(runs.for_app(load_scenario(name), runs.PREVIEW_SCALE, seed))
            for name in ("baseline", "oaa_ladder_2025", "oaa_ladder_2025_financed")}


def test_the_ladder_costs_the_government_its_extra_allowances(preview):
    base, reform = preview["baseline"], preview["oaa_ladder_2025"]
    change = impact.budget_impact(base, reform)
    assert (change.first, change.last) == (2025, 2037)
    extra = (reform["benefit_cost_fy"] - base["benefit_cost_fy"]).sel(fiscal_year=slice(2025, 2037))
    assert change.total == pytest.approx(float(extra.sum())) == pytest.approx(change.government)
    assert change.fund == 0 and change.total > 0


def test_summary_sentence_and_banner_for_a_breach_and_for_none(preview):
    base = preview["baseline"]
    for name, breaches in (("oaa_ladder_2025", True), ("oaa_ladder_2025_financed", False)):
        reform = preview[name]
        verdicts = impact.criterion_verdicts(base, reform)
        budget = impact.budget_impact(base, reform)
        sentence = summary_text.summary_sentence(budget, verdicts, "R", 2037, t_en)
        assert sentence.startswith(f"**R** costs **THB {budget.total / 1e9:,.1f} bn** over FY2025–FY2037")
        debt = next(v for v in verdicts if v.criterion == "public_debt_ceiling")
        lines = dict(summary_text.banner(verdicts, t_en))
        if breaches:
            assert f"public debt breaches the 70% of GDP ceiling at the end of {debt.first_breach}" in sentence
            assert "(the baseline does not)" in sentence
            assert ("fail", f"FAIL · Public debt ≤ 70% of GDP: first breach {debt.first_breach}") in lines.items()
            thai = summary_text.summary_sentence(budget, verdicts, "R", 2037, t_th)
            assert f"ณ สิ้นปี {debt.first_breach + 543}" in thai and "ปีงบประมาณ 2568–2580" in thai
        else:
            assert "every legal ceiling and the Social Security Fund's solvency hold through 2037" in sentence
            assert "fail" not in lines
        assert [kind for kind, _ in summary_text.banner(verdicts, t_en)][-2:] in (
            ["met", "met"], ["met", "warning"], ["warning", "met"], ["warning", "warning"])  # targets only warn


def test_debt_axis_shows_the_ceiling_and_a_small_breach():
    low, high = charts.debt_range([np.array([60.0, 70.4]), np.array([58.0, 69.0])], 70.0)
    assert low == pytest.approx(56.0) and high == pytest.approx(72.4)  # not from 0: a 0.4-point breach shows


def test_workbook_has_a_readable_sheet_per_topic(preview):
    base, reform = preview["baseline"], preview["oaa_ladder_2025"]
    budget = impact.budget_impact(base, reform)
    verdicts = impact.criterion_verdicts(base, reform)
    data = WorkbookInput(base, reform, load_scenario("baseline"), load_scenario("oaa_ladder_2025"), budget,
                         summary_text.summary_sentence(budget, verdicts, "R", 2037, t_en),
                         summary_text.banner(verdicts, t_en), ("Baseline", "Reform"))
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data, t_en)))
    assert book.sheetnames == list(SHEET_TITLES.values())
    sheet = book["Budget impact"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert header[0] == "Fiscal year" and "Government (budget), THB bn" in header
    years = [row[0] for row in rows[2:] if isinstance(row[0], str) and row[0].isdigit()]
    assert years == [str(y) for y in range(2025, 2038)]
    total = next(row for row in rows if isinstance(row[0], str) and row[0].startswith("Total"))
    assert total[header.index("Total, THB bn")] == pytest.approx(budget.total / 1e9, rel=1e-6)
    criteria = [row for row in book["Fiscal criteria"].iter_rows(values_only=True) if row[0]]
    assert any(row[0] == "Public debt ≤ 70% of GDP" and "% of GDP" in row for row in criteria)
    assumptions = " ".join(str(c) for row in book["Assumptions and sources"].iter_rows(values_only=True)
                           for c in row if c)
    assert "old_age_allowance.amount.age_60_69" in assumptions and "[S" in assumptions
    assert "Section 50" in assumptions or "section 50" in assumptions


def test_wide_csv_has_whole_years_and_no_identity_on_rows(preview):
    both = exports.comparison(preview["baseline"], preview["oaa_ladder_2025"])
    table = pd.read_csv(io.BytesIO(exports.results_wide_csv(both)))
    assert list(table.columns[:3]) == ["scenario", "period", "year"]
    assert table["year"].dtype == np.int64
    assert not any("hash" in c or "run_id" in c for c in table.columns)
    fy = table[(table["period"] == "fiscal_year") & (table["scenario"] == "oaa_ladder_2025")].set_index("year")
    assert list(fy.index) == list(range(2024, 2038))
    column = "benefit_cost_fy[old_age_allowance] (THB)"
    np.testing.assert_allclose(fy[column], preview["oaa_ladder_2025"]["benefit_cost_fy"].sel(
        scheme="old_age_allowance").values)
    assert len(table) == 2 * (15 + 14)  # two scenarios, calendar years 2023-2037 and fiscal years 2024-2037


def test_the_scenario_file_leaves_the_app_precision_out_unless_asked():
    scenario = runs.for_app(load_scenario("oaa_ladder_2025"), runs.PREVIEW_SCALE, 7)
    text = exports.scenario_yaml(scenario)
    assert "scale:" not in text and scenario_from_text(text, "x.yaml").scale == 100
    assert scenario_from_text(exports.scenario_yaml(scenario, keep_scale=True), "x.yaml").scale == runs.PREVIEW_SCALE


def test_the_address_round_trip_and_what_it_ignores():
    settings = state.Settings(lang="th", baseline="baseline", reform="oaa_flat_1000", precision="full",
                              edits={"old_age_allowance.amount.age_60_69": (dt.date(2025, 10, 1), 1500),
                                     "old_age_allowance.income_test.enabled": (dt.date(2026, 1, 1), True),
                                     "ssf_s33.contribution_rate.employee": (dt.date(2026, 1, 1), 0.065)},
                              shifts={"real_growth": -0.5})
    query = state.to_query(settings)
    back = state.from_query({k: v if isinstance(v, list) else [v] for k, v in query.items()}, ["baseline",
                                                                                                "oaa_flat_1000"])
    assert back == settings
    bad = state.from_query({"lang": ["fr"], "reform": ["/etc/passwd"], "set": [
        "old_age_allowance.amount.age_60_69@2025-10-01=-5", "no.such.path@2025-10-01=1", "garbage",
        "old_age_allowance.income_test.enabled@2026-01-01=maybe"], "shift": ["inflation=99", "gdp=1"]}, ["baseline"])
    assert bad.lang is None and bad.reform is None and not bad.edits and not bad.shifts
    assert len(bad.ignored) == 8 and "reform=/etc/passwd" in bad.ignored


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.dates(dt.date(2023, 1, 1), dt.date(2037, 12, 31)))
def test_any_valid_amount_survives_the_address(amount, day):
    settings = state.Settings(edits={"old_age_allowance.amount.age_70_79": (day, amount)})
    query = state.to_query(settings)
    assert state.from_query({"set": query["set"]}, []).edits == settings.edits


def test_the_builder_finds_every_parameter_by_path_or_label_in_either_language():
    tree = ParameterTree.load()
    assert [e.path for e in builder.search("")] == list(tree.paths())
    info = tree.info("ssf_s33.wage_ceiling")
    for query in ("wage_ceiling", info.label_en.split()[0], info.label_th.split()[0]):
        assert "ssf_s33.wage_ceiling" in [e.path for e in builder.search(query)], query
    entry = next(e for e in builder.entries() if e.path == "ssf_s33.wage_ceiling")
    assert entry.unit == info.unit and (entry.minimum, entry.maximum) == (info.minimum, info.maximum)
    assert entry.law == tree.get("ssf_s33.wage_ceiling", builder.TODAY_OF_LAW) and entry.citation
    assert not builder.search("no such parameter zzz")


def test_tables_follow_the_page_era(preview):
    table = tables.cost_table(preview["baseline"], "nominal", t_th)
    assert list(table.index) == list(range(2567, 2581))
    assert list(tables.cost_table(preview["baseline"], "nominal", t_en).index) == list(range(2024, 2038))
