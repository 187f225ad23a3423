"""Scenario comparison: results along `scenario` and `draw`, differences with Monte Carlo standard errors, and the
memo tables in text, Markdown, CSV and Excel."""

import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr

import model.api
from model.cli import main
from model.compare import compare, compare_results, difference, draw_statistics
from model.compare_format import check_format, display_frame, to_markdown
from model.compare_tables import (CRITERIA_COLUMNS, YEARLY_COLUMNS, Line, _verdict, comparison_tables,
                                  header_lines, payer_flows, yearly_table)
from model.errors import ModelInputError
from model.parameters import ParameterTree
from model.results import gdp_fy
from model.scenario import load_scenario

SCALE, END, DRAWS = 1000, 2027, 3


@pytest.fixture(scope="module")
def oaa() -> xr.Dataset:
    """The flat old-age allowance against the baseline, three draws, 2023-2027."""
    return compare("baseline", "oaa_flat_1000", scale=SCALE, end_year=END, draws=DRAWS)


def by_key(ds: xr.Dataset, **kwargs) -> dict:
    return {section.key: section for section in comparison_tables(ds, **kwargs)}


def markdown_tables(text: str) -> dict[str, pd.DataFrame]:
    """Each `### title` of a Markdown document and the pipe table under it (cells as text)."""
    tables, title, rows = {}, None, []
    for line in [*text.splitlines(), ""]:
        if line.startswith("### "):
            title, rows = line[4:], []
        elif line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
        elif rows and title:
            tables[title] = pd.DataFrame(rows[2:], columns=rows[0])
            rows = []
    return tables


def series(values: list[list[float]], years=(2030, 2031)) -> xr.DataArray:
    """A quantity over (draw, scenario, year): values[draw] = [base 2030, base 2031, reform 2030, reform 2031]."""
    data = np.array(values, dtype=float).reshape(len(values), 2, len(years))
    return xr.DataArray(data, dims=("draw", "scenario", "year"),
                        coords={"draw": range(len(values)), "scenario": ["b", "r"], "year": list(years)})


def test_standard_error_is_the_sd_of_per_draw_differences_over_root_n():
    # differences in 2030: 1, 2, 3 (mean 2, sd 1); in 2031: 0.1, -0.1, 0 (mean 0, within noise); draw-wise
    values = series([[10, 5, 11, 5.1], [20, 5, 22, 4.9], [30, 5, 33, 5.0]])
    stats = draw_statistics(values, "b", "r")
    assert stats["difference"].sel(year=2030) == pytest.approx(2.0)
    assert stats["se"].sel(year=2030) == pytest.approx(1 / np.sqrt(3))
    assert not stats["within_noise"].sel(year=2030)  # 2 > 2 x 0.577
    assert stats["difference"].sel(year=2031) == pytest.approx(0.0, abs=1e-12)
    assert stats["se"].sel(year=2031) == pytest.approx(0.1 / np.sqrt(3))
    assert stats["within_noise"].sel(year=2031)
    assert stats["base"].sel(year=2030) == pytest.approx(20.0) and stats["reform"].sel(year=2030) == pytest.approx(22)
    assert not stats["identical"].any()
    one = draw_statistics(values.isel(draw=[0]), "b", "r")
    assert np.isnan(one["se"]).all() and not one["within_noise"].any()


def test_relative_difference_only_for_positive_amounts_and_identical_rows_named():
    rows = [[100, 100, 110, 120], [100, 100, 110, 120]]
    lines = [Line("cost", series(rows), "THB bn", "amount"),
             Line("debt", series(rows), "% of GDP", "rate"),
             Line("headroom", series([[-2, 1, 3, -1], [-2, 1, 3, -1]]), "pp", "level"),
             Line("same", series([[4, 4, 4, 4], [4, 4, 4, 4]]), "THB bn", "amount"),
             Line("zero", series([[0, 0, 0, 0], [0, 0, 0, 0]]), "THB bn", "amount")]
    ds = xr.Dataset(attrs={"base": "b", "reform": "r"})
    table, unchanged = yearly_table(ds, lines)
    assert list(table.columns) == list(YEARLY_COLUMNS)
    assert unchanged == ["same"] and set(table["item"]) == {"cost", "debt", "headroom"}
    cost = table[table["item"] == "cost"].set_index("year")
    assert cost.loc["2030", "difference %"] == pytest.approx(10.0)
    assert cost.loc["2031", "difference %"] == pytest.approx(20.0)
    assert table[table["item"] != "cost"]["difference %"].isna().all()  # never for rates or headroom
    assert table["s.e."].eq(0).all()  # identical differences in both draws


def test_compare_runs_each_draw_with_one_seed_for_both_scenarios(oaa):
    assert oaa.sizes["draw"] == DRAWS and list(oaa["scenario"].values) == ["baseline", "oaa_flat_1000"]
    seed = load_scenario("baseline").seed
    assert list(oaa["seed"].values) == [seed, seed + 1, seed + 2]
    assert oaa["run_id"].dims == ("draw", "scenario") and len(set(oaa["run_id"].values.ravel())) == 2 * DRAWS
    assert oaa["benefit_cost"].dims == ("draw", "scenario", "year", "scheme")
    assert oaa.attrs["draws"] == DRAWS and oaa.attrs["model_version"]
    # common random numbers: schemes the reform does not touch are identical in every draw
    diff = difference(oaa)
    assert (diff["benefit_cost"].sel(scheme=["disability_allowance", "civil_service_pension"]) == 0).all()
    assert (diff["population"] == 0).all()
    assert (diff["benefit_cost"].sel(scheme="old_age_allowance", year=END) > 0).all()


def test_units_and_attributes_survive_the_written_file(oaa, tmp_path):
    path = tmp_path / "c.nc"
    model.io.write_netcdf(oaa, path)
    back = xr.load_dataset(path, engine="h5netcdf")
    for name in ("benefit_cost", "poverty_rate", "headroom_pp", "cost_pct_gdp"):
        assert back[name].attrs["units"] == oaa[name].attrs["units"] != ""
        assert back[name].attrs["description"]
    assert back.attrs["base"] == "baseline" and back.attrs["reform"] == "oaa_flat_1000"
    assert back.attrs["criteria_not_evaluated"] == oaa.attrs["criteria_not_evaluated"] != ""
    assert list(back["seed"].values) == list(oaa["seed"].values)


def test_compare_results_keeps_shared_attributes_and_makes_differing_ones_coordinates(oaa):
    base, reform = (oaa.isel(draw=0).sel(scenario=s).drop_vars(["run_id", "seed"]) for s in oaa["scenario"].values)
    base = base.assign_attrs(scenario="a", seed=1, run_id="x", note="same", label="one")
    reform = reform.assign_attrs(scenario="b", seed=1, run_id="y", note="same", label=2)
    both = compare_results(base, reform)
    assert both.attrs["note"] == "same" and "label" not in both.attrs
    assert list(both["label"].values) == ["one", "2"]  # mixed types kept as text
    assert list(both["run_id"].values) == ["x", "y"] and list(both["seed"].values) == [1, 1]
    assert both["benefit_cost"].attrs["units"] == "THB"
    assert list(both["role"].values) == ["base", "reform"]
    with pytest.raises(ModelInputError, match="different years"):
        compare_results(base, reform.sel(year=slice(2023, 2025)))
    assert list(compare_results(base, base)["scenario"].values) == ["a (base)", "a (reform)"]


def test_payers_add_up_to_government_cost_benefits_and_contributions(oaa):
    flows = payer_flows(oaa)
    assert np.allclose(flows["government"].sum("scheme"), oaa["government_cost"], rtol=1e-12)
    s33 = oaa["contributions_by_payer"].sel(scheme="ssf_s33")
    assert np.allclose(flows["contributors"].sel(scheme="ssf_s33"), s33.sel(payer=["insured", "employer"]).sum("payer"))
    assert (flows["fund"].sel(scheme="old_age_allowance") == 0).all()  # a budget-financed allowance
    assert np.allclose(flows["fund"].sel(scheme="ssf_s33"), oaa["benefit_cost"].sel(scheme="ssf_s33"))


def test_cost_tables_every_year_in_three_measures(oaa):
    sections = by_key(oaa)
    nominal = sections["cost_nominal"].table.set_index(["item", "year"])
    assert sorted({y for _, y in nominal.index}) == [str(y) for y in range(2023, END + 1)]
    mean = oaa["benefit_cost"].sel(scheme="old_age_allowance", year=END).mean("draw") / 1e9
    reform = float(mean.sel(scenario="oaa_flat_1000"))
    assert nominal.loc[("old_age_allowance", str(END)), "reform"] == pytest.approx(reform)
    assert "disability_allowance" in sections["cost_nominal"].unchanged
    real = sections["cost_real"].table.set_index(["item", "year"])
    cpi = oaa["benefit_cost"].sum("scheme") / oaa["cost_real"].sum("scheme")
    expected = (oaa["benefit_cost"].sel(scheme="old_age_allowance") / cpi).sel(year=END).mean("draw") / 1e9
    assert real.loc[("old_age_allowance", str(END)), "base"] == pytest.approx(float(expected.sel(scenario="baseline")))
    pct = sections["cost_pct_gdp"].table
    assert pct["difference %"].isna().all() and set(pct["unit"]) == {"% of GDP"}
    total = pct[(pct["item"] == "total") & (pct["year"] == str(END))].iloc[0]
    assert total["difference"] == pytest.approx(float(difference(oaa)["cost_pct_gdp"].sum("scheme")
                                                      .sel(year=END).mean("draw")))
    assert total["s.e."] > 0 and not total["within noise"]


def test_fiscal_year_tables_use_the_fiscal_year_variables(oaa):
    sections = by_key(oaa, fiscal_years=True)
    nominal = sections["cost_nominal"].table.set_index(["item", "year"])
    assert {y for _, y in nominal.index} == {f"FY{y}" for y in range(2024, END + 1)}
    fy = oaa["benefit_cost_fy"].sel(scheme="old_age_allowance", fiscal_year=2026).mean("draw") / 1e9
    assert nominal.loc[("old_age_allowance", "FY2026"), "base"] == pytest.approx(float(fy.sel(scenario="baseline")))
    gdp = gdp_fy(oaa).sel(fiscal_year=2026)
    assert np.allclose(gdp, 0.25 * oaa["gdp"].sel(year=2025) + 0.75 * oaa["gdp"].sel(year=2026), rtol=1e-12)
    real = sections["cost_real"].table.set_index(["item", "year"])
    cpi = oaa["benefit_cost"].sum("scheme") / oaa["cost_real"].sum("scheme")
    months = oaa["benefit_cost_by_month"].sel(scheme="old_age_allowance")
    by_hand = (months.sel(year=2025, month=[10, 11, 12]).sum("month") / cpi.sel(year=2025)
               + months.sel(year=2026, month=range(1, 10)).sum("month") / cpi.sel(year=2026))  # FY2026
    assert real.loc[("old_age_allowance", "FY2026"), "base"] == pytest.approx(
        float(by_hand.mean("draw").sel(scenario="baseline")) / 1e9)
    assert "by fiscal year" in sections["cost_real"].title
    pct = sections["cost_pct_gdp"].table.set_index(["item", "year"])
    share = 100 * oaa["benefit_cost_fy"].sel(scheme="old_age_allowance", fiscal_year=2026) / gdp
    assert pct.loc[("old_age_allowance", "FY2026"), "base"] == pytest.approx(
        float(share.mean("draw").sel(scenario="baseline")))


def test_target_groups_pick_up_any_indicator_over_groups(oaa):
    sections = by_key(oaa)
    items = set(sections["target_groups"].table["item"]) | set(sections["target_groups"].unchanged)
    assert "poverty_rate: aged_60_plus, after_transfers" in items and "coverage_rate: all" in items
    mpi = (oaa["coverage_rate"] / 200).assign_attrs(units="index (0-1)")
    with_mpi = by_key(oaa.assign(mpi=mpi))["target_groups"]
    rows = with_mpi.table[with_mpi.table["item"].str.startswith("mpi: ")]
    assert set(rows["unit"]) <= {"index (0-1)"} and rows["difference %"].isna().all()
    assert {f"mpi: {g}" for g in oaa["group"].values} <= set(rows["item"]) | set(with_mpi.unchanged)
    old_age = sections["target_groups"].table.set_index(["item", "year"]).loc[
        ("poverty_rate: aged_60_plus, after_transfers", str(END))]
    assert old_age["difference"] < 0 and old_age["unit"] == "%" and np.isnan(old_age["difference %"])


def test_criteria_carry_their_basis_role_and_verdict(oaa):
    criteria = by_key(oaa)["criteria"]
    table = criteria.table.set_index("criterion")
    assert list(criteria.table.columns) == list(CRITERIA_COLUMNS)
    for c in oaa["criterion"].values:
        assert table.loc[c, "basis"] == str(oaa["criterion_basis"].sel(criterion=c).values)
        assert table.loc[c, "role"] == str(oaa["criterion_role"].sel(criterion=c).values)
    least = oaa["headroom_pp"].sel(criterion="public_debt_ceiling").min("year").mean("draw")
    base = float(least.sel(scenario="baseline"))
    assert table.loc["public_debt_ceiling", "least headroom, base (pp)"] == pytest.approx(base)
    assert table.loc["public_debt_ceiling", "difference (pp)"] < 0
    assert any(note.startswith("overall verdict") for note in criteria.notes)
    assert _verdict(np.array([True, False, True, False, True]), "binding") == "FAIL in 2/5 draws"
    assert _verdict(np.array([True, True]), "warning") == "met"
    headroom = by_key(oaa)["headroom"].table
    assert headroom["difference %"].isna().all()  # headroom crosses zero: absolute differences only


def test_markdown_memo_table_has_the_columns_an_economist_needs(capsys):
    args = ["compare", "baseline", "oaa_flat_1000", "--draws", "5", "--format", "markdown", "--scale", str(SCALE),
            "--end-year", "2026"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith("## Comparison: oaa_flat_1000 against baseline") and "5 draws" in text
    tables = markdown_tables(text)
    cost = next(t for title, t in tables.items() if title.startswith("Benefit cost by scheme, THB bn, nominal"))
    assert list(cost.columns) == ["item", "year", "base", "reform", "difference", "s.e.", "difference %",
                                  "within noise"]
    assert list(cost["year"].unique()) == ["2023", "2024", "2025", "2026"]
    oaa_2026 = cost[(cost["item"] == "old_age_allowance") & (cost["year"] == "2026")].iloc[0]
    assert oaa_2026["difference"].startswith("+") and float(oaa_2026["s.e."]) >= 0
    pct = next(t for title, t in tables.items() if title.startswith("Benefit cost by scheme, percent of GDP"))
    assert "difference %" not in pct.columns and pct["difference"].str.endswith(" pp").all()
    position = next(t for title, t in tables.items() if title.startswith("Fiscal position"))
    assert list(position.columns) == ["item", "unit", "year", "base", "reform", "difference", "s.e.", "within noise"]
    criteria = next(t for title, t in tables.items() if title.startswith("Sustainability criteria"))
    assert list(criteria.columns) == list(CRITERIA_COLUMNS)
    assert any(title.startswith("Who pays") for title in tables) and any("Target groups" in t for t in tables)


def test_one_draw_has_no_standard_error_and_says_so(oaa):
    one = oaa.isel(draw=[0])
    header = header_lines(one)
    assert "1 draw," in header[1] and "no standard error" in header[2]
    cells, _ = display_frame(by_key(one)["cost_nominal"])
    assert (cells["s.e."] == "").all() and (cells["within noise"] == "").all()
    two = compare_results(*(one.isel(draw=0).sel(scenario=s).assign_attrs(scenario=str(s))
                            for s in one["scenario"].values))
    assert "draw" not in two.dims and "cost_nominal" in by_key(two)  # two single results: one draw


def test_csv_and_excel_tables_are_written_whole(oaa, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.modules["model.compare"], "compare", lambda *args, **kwargs: oaa)  # no new runs
    common = ["compare", "baseline", "oaa_flat_1000", "--draws", "3"]
    assert main([*common, "--table", str(tmp_path / "t.xlsx"), "--out", str(tmp_path / "t.nc")]) == 0
    assert main([*common, "--format", "csv", "--table", str(tmp_path / "t.csv")]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames[:2] == ["about", "cost_nominal"] and "criteria" in book.sheetnames
    assert [c.value for c in book["cost_nominal"][1]] == list(YEARLY_COLUMNS)
    csv = pd.read_csv(tmp_path / "t.csv")
    assert list(csv.columns[:10]) == ["section", *YEARLY_COLUMNS] and "criteria" in set(csv["section"])
    assert xr.load_dataset(tmp_path / "t.nc", engine="h5netcdf")["benefit_cost"].attrs["units"] == "THB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.nc", "t.xlsx"]


def no_run(*args, **kwargs):
    raise AssertionError("a run started although the command line is bad")


@pytest.mark.parametrize("args, expected", [
    (["--draws", "0"], "--draws: must be a whole number of at least 1 (got 0)"),
    (["--format", "pdf"], "--format: must be one of text, markdown, csv, xlsx (got 'pdf')"),
    (["--format", "xlsx"], "--format: an Excel workbook is written to a file: give --table FILE.xlsx"),
    (["--table", "{tmp}/t.pdf"], "--table: the file must end in one of .txt, .md, .csv, .xlsx"),
    (["--format", "csv", "--table", "{tmp}/t.md"], "--table: a csv table is written to a .csv file"),
    (["--table", "/proc/t.md"], "--table: cannot write in folder '/proc'"),
    (["--table", "{tmp}/missing/t.csv"], "--table: folder '{tmp}/missing' does not exist"),
])
def test_bad_compare_options_give_one_error_line_and_no_file(tmp_path, capsys, monkeypatch, args, expected):
    monkeypatch.setattr(model.api, "simulate", no_run)
    shown = [a.format(tmp=tmp_path) for a in args]
    assert main(["compare", "baseline", "oaa_flat_1000", *shown]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {expected.format(tmp=tmp_path)}") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ModelInputError, match="draws: must be"):
        compare("baseline", "oaa_flat_1000", draws=0)


def test_format_follows_the_table_suffix():
    from pathlib import Path

    assert check_format(None, None) == "text"
    assert check_format(None, Path("memo.md")) == "markdown" and check_format(None, Path("x.xlsx")) == "xlsx"
    assert check_format("csv", None) == "csv"


def test_markdown_escapes_pipes_and_names_unchanged_rows():
    from model.compare_tables import Section

    table = pd.DataFrame([("a|b", "THB bn", "2030", 1.0, 2.0, 1.0, 0.1, 100.0, False)], columns=list(YEARLY_COLUMNS))
    text = to_markdown(["title", "line"], [Section("k", "T", table, ["x", "y"])])
    assert "| a\\|b | 2030 | 1.00 | 2.00 | +1.00 | 0.10 | +100.0 |  |" in text
    assert "(not tabulated): x, y" in text and "### T [THB bn]" in text


def test_model_compare_is_the_function_the_readme_names():
    import model
    import model.compare  # noqa: F401 - importing the module by name keeps model.compare the function

    assert model.compare is compare and "compare" in model.__all__
    ds = model.compare("baseline", "oaa_ladder_2025", scale=5000, end_year=2026)
    assert list(ds["role"].values) == ["base", "reform"] and ds.sizes["draw"] == 1
    assert ds["run_id"].values[0, 0] != ds["run_id"].values[0, 1] and ds.attrs["model_version"]
    law = ParameterTree.load()  # parameters_hash hashes the resolved tree, not the overrides
    reform = law.with_overrides(load_scenario("oaa_ladder_2025").parameters)
    assert list(ds["parameters_hash"].values) == [law.fingerprint(), reform.fingerprint()]


def test_importing_the_sweep_package_does_not_import_the_command_line():
    code = "import sys, model.sweep; assert 'model.cli' not in sys.modules, sorted(sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
