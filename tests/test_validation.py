"""The administrative totals file and the back-test: loading with clear errors, the mapping of each total onto
the model's quantities, the pass/fail logic, and `python -m model validate` (table and exit status)."""

import csv
import math
import re
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

import model
from model.cli import main
from model.results import add_fiscal_years
from model.validation import backtest, totals
from model.validation.backtest import NOT_IN_MODEL, BacktestError, compare, format_backtest, model_value
from model.validation.totals import TOLERANCE_BY_TYPE, Total, TotalsError, load_totals, parse_period


# --- the shipped file ---------------------------------------------------------------------------------------------

def test_shipped_totals_follow_their_rules():
    rows = {t.id: t for t in load_totals()}
    assert all(t.tolerance == TOLERANCE_BY_TYPE[t.type] for t in rows.values())
    base = rows["T1.1"]  # the base-year figure has the plain id
    assert (base.value, base.period.text, base.type, base.validated) == (90.2e9, "FY2023", "outturn", True)
    assert not rows["T1.1/FY2020"].validated and "before the model" in rows["T1.1/FY2020"].note
    assert rows["T3.3"].scheme == "government_pension_fund" and rows["T3.3"].validated
    assert all(t.note for t in rows.values() if not t.validated)


def test_every_validated_total_maps_onto_a_run(baseline_1000):
    table = compare(load_totals(), baseline_1000)
    assert len(table) == sum(t.validated for t in load_totals())
    missing = table[table.basis == NOT_IN_MODEL]
    assert set(missing.scheme) <= {"government_pension_fund"}  # the only scheme a run may lack
    assert table.drop(missing.index).model.notna().all()


@pytest.mark.parametrize("text, kind, first, last", [
    ("FY2023", "fy", 2023, 2023), ("FY2020-FY2023", "fy", 2020, 2023), ("CY2024", "cy", 2024, 2024),
    ("CY2023-CY2024", "cy", 2023, 2024), ("2023-08", "month", 2023, 2023), ("2023-06-30", "date", 2023, 2023),
])
def test_periods(text, kind, first, last):
    period = parse_period(text)
    assert (period.kind, period.first, period.last) == (kind, first, last)


HEADER = ",".join(totals.COLUMNS)
GOOD = "T9,csmbs,cost,FY2024,84600000000,THB,allocation,0.1,true,S86,"


@pytest.mark.parametrize("lines, expected", [
    ([GOOD.replace(",0.1,", ",0.07,")], "tolerance: must be 0.1 for a figure of type 'allocation'"),
    ([GOOD.replace("FY2024", "2024")], "period: must be FY2023"),
    ([GOOD.replace("FY2024", "FY2024-FY2022")], "ends before it starts"),
    ([GOOD.replace("84600000000", "-1")], "value: must be a positive number (got '-1')"),
    ([GOOD.replace("allocation", "guess")], "type: must be one of"),
    ([GOOD.replace("true", "yes")], "validated: must be true or false"),
    ([GOOD.replace(",cost,", ",population,")], "a validated row needs a quantity the back-test maps"),
    ([GOOD.replace(",THB,", ",persons,")], "unit: must be THB for quantity 'cost'"),
    ([GOOD.replace("true", "false")], "note: a row that is not validated must say why"),
    ([GOOD.replace(",S86,", ",S86 T99,")], "source: unknown source id 'T99'"),
    ([GOOD, GOOD], "id 'T9' appears more than once"),
    ([GOOD + ",extra"], "needs exactly 11 fields"),
])
def test_bad_totals_files_name_the_row_and_column(tmp_path, lines, expected):
    path = tmp_path / "totals.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n")
    with pytest.raises(TotalsError, match="T9") as error:
        load_totals(path)
    assert expected in str(error.value)


def test_bad_header_and_missing_file(tmp_path):
    path = tmp_path / "totals.csv"
    path.write_text("id,scheme\nT1,x\n")
    with pytest.raises(TotalsError, match="columns must be id, scheme, quantity"):
        load_totals(path)
    with pytest.raises(TotalsError, match="does not exist"):
        load_totals(tmp_path / "none.csv")


# --- the mapping, on a small synthetic result ---------------------------------------------------------------------

SCHEMES = ["old_age_allowance", "welfare_card", "disability_allowance", "child_support_grant", "ssf_s33",
           "ssf_s39", "ssf_s40"]


@pytest.fixture
def result() -> xr.Dataset:
    """Calendar 2023-2024: scheme k costs (k + 1) THB a month in 2023 and 10 (k + 1) in 2024, contributions twice
    that; recipients k + 1 persons a month, 100 (k + 1) paid in the year; reserves 1,000 (end-2022), 1,100, 1,300."""
    k = np.arange(1, len(SCHEMES) + 1, dtype=float)
    month = np.stack([np.tile(k, (12, 1)), np.tile(10 * k, (12, 1))])  # [year, month, scheme]
    coords = {"year": [2023, 2024], "month": np.arange(1, 13), "scheme": SCHEMES}
    dims = ("year", "month", "scheme")
    ds = xr.Dataset({
        "benefit_cost_by_month": (dims, month), "contributions_by_month": (dims, 2 * month),
        "recipients_by_month": (dims, np.tile(k, (2, 12, 1))),
        "benefit_cost": (("year", "scheme"), month.sum(axis=1)),
        "contributions": (("year", "scheme"), 2 * month.sum(axis=1)),
        "recipients": (("year", "scheme"), np.tile(100 * k, (2, 1))),
        "ssf_reserve": ("year", [1100.0, 1300.0]),
    }, coords=coords, attrs={"ssf_opening_reserve": 1000.0})
    return add_fiscal_years(ds)


def total(scheme: str, quantity: str, period: str, value: float = 1.0, tolerance: float = 0.1) -> Total:
    unit = "persons" if quantity in totals.COUNT_QUANTITIES else "THB"
    return Total("X", scheme, quantity, parse_period(period), value, unit, "allocation", tolerance, True, "s", "")


@pytest.mark.parametrize("scheme, quantity, period, value, basis", [
    ("old_age_allowance", "cost", "FY2023", 12.0, "calendar 2023 (9 of FY2023's 12 months)"),
    ("old_age_allowance", "cost", "FY2020-FY2023", 12.0, "calendar 2023 (period before FY2024)"),
    ("old_age_allowance", "cost", "FY2024", 3 * 1 + 9 * 10, "FY2024"),  # Oct-Dec 2023 + Jan-Sep 2024
    ("welfare_card", "contributions", "FY2024", 2 * (3 * 2 + 9 * 20), "FY2024"),
    ("old_age_allowance", "cost", "CY2023-CY2024", (12 + 120) / 2, "mean of calendar 2023-2024"),
    ("ssf", "benefits", "CY2024", 120 * (5 + 6 + 7), "calendar 2024"),
    ("cash_allowances", "cost", "FY2023", 12 * (1 + 2 + 3 + 4), "calendar 2023 (9 of FY2023's 12 months)"),
    ("welfare_card", "holders", "2023-03", 2.0, "month 2023-03"),
    ("disability_allowance", "recipients", "CY2021", 300.0, "calendar 2023 (period before the run)"),
    ("disability_allowance", "recipients", "CY2024", 300.0, "calendar 2024"),
    ("child_support_grant", "members", "FY2024", 4.0, "FY2024"),
    ("ssf", "assets", "2023-06-30", 1050.0, "mean of the reserves at the ends of 2022 and 2023"),
    ("ssf", "assets", "2024-06-30", 1200.0, "mean of the reserves at the ends of 2023 and 2024"),
    ("ssf", "assets", "2022-12-31", 1000.0, "opening reserve (an input)"),
    ("ssf", "assets", "2024-12-31", 1300.0, "reserve at the end of 2024"),
])
def test_mapping_worked_cases(result, scheme, quantity, period, value, basis):
    found = model_value(total(scheme, quantity, period), result)
    assert found.value == pytest.approx(value, rel=1e-12) and found.basis == basis


def test_a_scheme_the_run_lacks_fails_with_a_reason(result):
    table = compare([total("government_pension_fund", "cost", "FY2024", 78.8e9)], result)
    row = table.loc["X"]
    assert math.isnan(row.model) and row.basis == NOT_IN_MODEL and not row.passes


@pytest.mark.parametrize("scheme, quantity, period, expected", [
    ("old_age_allowance", "cost", "FY2025", "not covered by the run"),
    ("old_age_allowance", "cost", "CY2022-CY2023", "not covered by the run"),
    ("old_age_allowance", "cost", "2023-06-30", "a flow needs a period of time"),
    ("cash_allowances", "recipients", "CY2023", "cannot be counted by summing"),
    ("old_age_allowance", "assets", "2023-06-30", "Social Security Fund ('ssf') only"),
    ("ssf", "assets", "2023-03-31", "30 June or 31 December"),
])
def test_totals_the_run_cannot_give_are_errors(result, scheme, quantity, period, expected):
    with pytest.raises(BacktestError, match=re.escape(expected)):
        model_value(total(scheme, quantity, period), result)


def test_pass_fail_logic(result):
    rows = [total("old_age_allowance", "cost", "CY2023", 12.0 / 1.1, 0.1),   # +10%: exactly at the tolerance
            total("old_age_allowance", "cost", "CY2023", 12.0 / 1.11, 0.1),  # +11%: outside
            total("old_age_allowance", "cost", "CY2023", 12.0 / 0.93, 0.07)]  # -7%: at the tolerance
    rows = [Total(f"R{i}", *list(vars(r).values())[1:]) for i, r in enumerate(rows)]
    table = compare(rows, result)
    np.testing.assert_allclose(table.rel_error, [0.10, 0.11, -0.07], rtol=1e-9)
    assert table.passes.tolist() == [True, False, True]
    text = format_backtest(table)
    assert "+11.0%" in text and "±7%" in text and "FAIL" in text
    assert text.endswith("2 of 3 totals within tolerance, 1 outside")


# --- the command line -----------------------------------------------------------------------------------------------

def _write(path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(totals.COLUMNS)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def base_values():
    """The model's values of every validated total at scale 1000 (seed 3)."""
    return model.validate(scale=1000, seed=3)


def test_validate_from_python_returns_the_table(base_values):
    assert list(base_values.columns) == list(backtest.COLUMNS) and base_values.index.name == "id"
    assert base_values.attrs == {"scenario": "baseline", "scale": 1000.0, "seed": 3}
    assert base_values.loc["T1.1", "basis"].startswith("calendar 2023")
    assert base_values.loc["T2.3", "basis"] == "FY2024"


@pytest.mark.parametrize("factor, status", [(1.0, 0), (2.0, 1)])
def test_cli_exit_status_and_table(tmp_path, monkeypatch, capsys, base_values, factor, status):
    """Targets set to the model's own values pass (exit 0); one doubled fails (exit 1)."""
    found = base_values[base_values.model.notna()].head(3)
    rows = [[i, r.scheme, r.quantity, r.period, repr(r.model * (factor if n == 0 else 1.0)), r.unit, r.type,
             str(r.tolerance), "true", "T1", ""] for n, (i, r) in enumerate(found.iterrows())]
    path = tmp_path / "totals.csv"
    _write(path, rows)
    monkeypatch.setattr(totals, "TOTALS_FILE", path)
    if status:
        with pytest.raises(SystemExit) as stop:
            main(["validate", "--scale", "1000", "--seed", "3"])
        assert stop.value.code == 1
    else:
        assert main(["validate", "--scale", "1000", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Back-test of scenario baseline (scale 1000, seed 3)")
    for column in ("scheme", "period", "basis", "model", "target", "unit", "error", "tolerance", "result"):
        assert column in lines[1]
    assert f"{3 - status} of 3 totals within tolerance, {status} outside" in lines
    calibrated = lines.index(f"{3 - status} of 3 totals within tolerance, {status} outside") + 2
    assert lines[calibrated].startswith("Values solved against these totals")
    assert any("old_age_allowance.take_up" in line and "T1.1" in line for line in lines[calibrated:])
    assert ("FAIL" in lines[3]) == bool(status) and sum("pass" in line for line in lines[3:6]) == 3 - status


def test_cli_bad_totals_file_exit_2(tmp_path, monkeypatch, capsys):
    path = tmp_path / "totals.csv"
    path.write_text(HEADER + "\n" + GOOD.replace(",0.1,", ",0.5,") + "\n")
    monkeypatch.setattr(totals, "TOTALS_FILE", path)
    assert main(["validate", "--scale", "1000"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "tolerance" in err and err.count("\n") == 1


def test_module_entry_point(tmp_path):
    bad = subprocess.run([sys.executable, "-m", "model", "validate", "--scale", "-5"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "scale" in bad.stderr
    run = subprocess.run([sys.executable, "-m", "model", "validate", "--scale", "1000"], capture_output=True, text=True)
    assert run.returncode in (0, 1) and run.stderr == ""
    failures = next(line for line in run.stdout.splitlines() if line.endswith(" outside"))
    assert failures.endswith(" outside") and (run.returncode == 1) == (not failures.endswith(" 0 outside"))
