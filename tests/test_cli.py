"""The command line: summary output, NetCDF output, and one clear error (exit 2, no file) for bad input."""

import subprocess
import sys

import pytest
import xarray as xr

from model.cli import main


def test_run_prints_summary_and_writes_netcdf(tmp_path, capsys):
    out = tmp_path / "baseline.nc"
    assert main(["run", "--scale", "5000", "--end-year", "2030", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "old-age dependency ratio" in text and "2030" in text
    ds = xr.load_dataset(out, engine="h5netcdf")
    assert int(ds.year.max()) == 2030 and ds.attrs["scale"] == 5000
    assert not list(tmp_path.glob(".*.tmp"))


BAD_SCENARIOS = {
    "unknown key": ("name: x\nscael: 100\n", "field 'scael': unknown key"),
    "non-positive scale": ("name: x\nscale: 0\n", "field 'scale'"),
    "negative scale": ("name: x\nscale: -100\n", "(got -100)"),
    "year outside the data": ("name: x\nyears: {start: 2023, end: 2150}\n", "field 'years.end'"),
    "start before the base year": ("name: x\nyears: {start: 2020, end: 2030}\n", "field 'years.start'"),
    "not a mapping": ("- 1\n- 2\n", "must be a YAML mapping"),
    "invalid yaml": ("name: [x\n", "not valid YAML"),
    "missing base": ("name: x\nbase: no_such_scenario\n", "no such file"),
    "bad parameter path": ("name: x\nparameters: {'old age!': {2025-01-01: 1}}\n", "field 'parameters'"),
}


@pytest.mark.parametrize("kind", BAD_SCENARIOS)
def test_bad_scenario_file_exit_2_clear_message_no_output(tmp_path, capsys, kind):
    text, expected = BAD_SCENARIOS[kind]
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text)
    out = tmp_path / "result.nc"
    assert main(["run", str(scenario), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("args, expected", [
    (["--scale", "0"], "field 'scale'"),
    (["--end-year", "2101"], "field 'years.end'"),
    (["no_such_scenario"], "no such file"),
    (["--out", "/no/such/folder/x.nc"], "does not exist"),
])
def test_bad_command_line_values(tmp_path, capsys, args, expected):
    assert main(["run", *args]) == 2
    assert expected in capsys.readouterr().err


def test_module_entry_point_exit_status(tmp_path):
    result = subprocess.run([sys.executable, "-m", "model", "run", "--scale", "-1"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "field 'scale'" in result.stderr
