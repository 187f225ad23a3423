"""The command line: summary output, NetCDF output, and one clear error (exit 2, no file) for bad input; output
paths checked before any run, result files with the umask's permissions, Ctrl-C ending with one line."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import model.api
import model.io
from model import cli, interrupts, version
from model.api import resolve
from model.cli import main
from model.simulation import SocialSecurityModel

ROOT = Path(__file__).resolve().parent.parent


def test_run_prints_summary_and_writes_netcdf(tmp_path, capsys):
    out = tmp_path / "baseline.nc"
    assert main(["run", "--scale", "5000", "--end-year", "2030", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "old-age dependency ratio" in text and "2030" in text
    # criteria grouped by basis, binding ones PASS/FAIL, the deficit target a warning test, section 28 not evaluated
    law, actuarial, target = (text.index(f"basis: {title}") for title in ("legal ceilings", "actuarial", "framework"))
    assert law < text.index("public_debt_ceiling") < actuarial < text.index("ssf_reserve_positive") < target
    assert target < text.index("deficit_ceiling") < text.index("Verdict, guideline 3.1.2(4)")
    assert "Not evaluated" in text and "section_28_obligations_ceiling" in text
    ds = xr.load_dataset(out, engine="h5netcdf")
    assert int(ds.year.max()) == 2030 and ds.attrs["scale"] == 5000
    assert dict(zip(ds.criterion.values, ds.criterion_basis.values))["deficit_ceiling"] == "framework_target"
    assert "section 50" in str(ds.criterion_legal_basis.sel(criterion="public_debt_ceiling").values)
    assert not list(tmp_path.glob(".*.tmp"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~identity_umask()
    assert ds.attrs["model_version"] == version.model_version() and len(ds.attrs["run_id"]) == 20


def identity_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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


def no_run(*args, **kwargs):
    raise AssertionError("a run started although its output path is bad")


@pytest.mark.parametrize("command, out, expected", [
    ("run", "{tmp}", "--out: '{tmp}' is a folder"),
    ("run", "/proc/x.nc", "--out: cannot write in folder '/proc'"),
    ("run", "{tmp}/missing/x.nc", "--out: folder '{tmp}/missing' does not exist"),
    ("run", "{tmp}/pipe.nc", "--out: '{tmp}/pipe.nc' exists and is not a regular file"),
    ("compare", "{tmp}", "--out: '{tmp}' is a folder"),
    ("compare", "/proc/x.nc", "--out: cannot write in folder '/proc'"),
    ("sweep", "{tmp}/a_file", "--out: '{tmp}/a_file' is a file, not a folder"),
    ("sweep", "/proc/x", "--out: cannot write in folder '/proc'"),
    ("sweep", "{tmp}/missing/out", "--out: folder '{tmp}/missing' does not exist"),
])
def test_bad_output_path_is_refused_before_any_run(tmp_path, capsys, monkeypatch, command, out, expected):
    monkeypatch.setattr(model.api, "simulate", no_run)
    (tmp_path / "a_file").write_text("x")
    os.mkfifo(tmp_path / "pipe.nc")
    sweep = tmp_path / "s.yaml"
    sweep.write_text("name: s\nscale: 5000\nend_year: 2025\noutputs: [total_population_2025]\n")
    args = {"run": ["run"], "compare": ["compare", "baseline", "oaa_ladder_2025"], "sweep": ["sweep", str(sweep)]}
    start = time.monotonic()
    assert main([*args[command], "--out", out.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {expected.format(tmp=tmp_path)}") and err.count("\n") == 1 and "Traceback" not in err
    assert time.monotonic() - start < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "pipe.nc", "s.yaml"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o027, 0o640)])
def test_result_files_get_the_permissions_of_the_umask(tmp_path, umask, mode):
    ds = xr.Dataset({"x": ("year", np.array([1.0, 2.0]))}, coords={"year": [2023, 2024]})
    saved = os.umask(umask)
    try:
        model.io.write_netcdf(ds, tmp_path / "a.nc")
        model.io.write_netcdf(ds, tmp_path / "b.nc", compact=True)
    finally:
        os.umask(saved)
    assert [stat.S_IMODE((tmp_path / n).stat().st_mode) for n in ("a.nc", "b.nc")] == [mode, mode]
    xr.testing.assert_identical(xr.load_dataset(tmp_path / "a.nc"), ds)


def test_an_interrupted_write_leaves_no_file(tmp_path, capsys, monkeypatch):
    def interrupt() -> int:  # called once the data is in the temporary file, before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(model.io, "current_umask", interrupt)
    out = tmp_path / "r.nc"
    assert main(["run", "--scale", "5000", "--end-year", "2024", "--out", str(out)]) == 130
    assert capsys.readouterr().err == "interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_a_run_ends_with_one_line_and_no_file(tmp_path):
    out = tmp_path / "r.nc"
    driver = ("import sys; from model.cli import main; print('ready', flush=True); "
              f"sys.exit(main(['run', '--scale', '100', '--end-year', '2060', '--out', {str(out)!r}]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", driver], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "ready\n"
        time.sleep(1.5)  # inside the run (it takes several seconds at this scale)
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130 and err == "interrupted\n"
    assert list(tmp_path.iterdir()) == []


def _run_with(monkeypatch, handler) -> int:
    """`main(["run"])` with the run command's work replaced by `handler(args)`."""
    monkeypatch.setattr(cli, "_run", handler)  # the parser reads it when main builds it
    return cli.main(["run"])


def test_ctrl_c_that_numba_turns_into_another_error_still_ends_with_one_line(monkeypatch, capsys):
    """A SIGINT landing while numba loads a kernel from its cache surfaces as a SystemError (its cause the
    KeyboardInterrupt): still one line and status 130, and the usual handler back afterwards. Any other error,
    without a SIGINT, keeps its traceback."""
    def disguised(_args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the handler runs here
        except KeyboardInterrupt as interrupt:
            raise SystemError("CPUDispatcher(...) returned a result with an exception set") from interrupt

    def broken(_args):
        raise SystemError("a real fault")

    assert _run_with(monkeypatch, disguised) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err == "interrupted\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(SystemError, match="a real fault"):
        _run_with(monkeypatch, broken)


def test_a_swallowed_ctrl_c_stops_the_run_at_the_next_phase():
    """numba may catch the interruption as a failed cache read and go on: the model raises it again between the
    phases of the year."""
    with interrupts.caught():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # swallowed, as numba's cache loader may
        model = SocialSecurityModel(resolve("baseline", scale=5000, end_year=2024))
        with pytest.raises(KeyboardInterrupt):
            model.step()
    assert not interrupts.pending()


def test_a_ctrl_c_inside_numba_s_own_code_is_only_noted_until_the_next_phase():
    """A SIGINT that lands in numba's or llvmlite's Python code (compiling, loading a kernel, or an llvmlite object's
    destructor, which would print it as an ignored exception) raises nothing there: it is pending, and the model
    raises it between the phases of the year; anywhere else it raises at once."""

    class Frame:
        def __init__(self, filename: str):
            self.f_code = type("Code", (), {"co_filename": filename})()

    with interrupts.caught():
        handler = signal.getsignal(signal.SIGINT)
        handler(signal.SIGINT, Frame("/venv/lib/python3.11/site-packages/llvmlite/binding/ffi.py"))
        assert interrupts.pending()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, Frame(str(ROOT / "model" / "simulation.py")))
    assert not interrupts.pending()


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m model run | head -1`: the closed pipe ends the command quietly, with status 0."""
    proc = subprocess.Popen([sys.executable, "-m", "model", "run", "--scale", "1000", "--end-year", "2025"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
