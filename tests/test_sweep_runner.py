"""Sweeps on dask.distributed: merged results, bands, manifest, rerun, resume after a kill, failures,
sensitivity, the same numbers with one and two workers, the cost estimate and its limit, stale runs recomputed,
workers of another model version refused, relative output folders and Ctrl-C.

The tests share one two-worker LocalCluster and reach it through its address, as `--scheduler` does; the
command-line runs start their own LocalCluster of one worker. Sensitivity and failure handling use a cheap
analytic stand-in for the model; the rest run the model itself at scale 5000.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from distributed import Client

import model
import model.identity
import model.version
import model.parameters
from model.cli import main
from model.errors import ModelInputError
from model.io import write_netcdf
from model.parameters import ParameterTree
from model.sweep import RESULTS, cost, format_summary, run_sweep, sweep_from_text
from model.sweep.design import build_design, plan
from model.sweep.merge import merge_runs
from model.sweep.runner import local_cluster

pytestmark = [pytest.mark.xdist_group("dask"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
HEAD = "name: t\nscale: 5000\nend_year: 2025\n"
GRID = HEAD + ("design:\n  kind: grid\n  demography:\n    fertility_multiplier: {values: [0.8, 1.2]}\n"
               "draws: 3\noutputs: [total_population_2025, total_births_2024, old_age_dependency_ratio]\n")
ANALYTIC_GRID = GRID.replace("total_births_2024, ", "")  # the analytic stand-in has no births
FACTORS = "    fertility_multiplier: {low: 0.7, high: 1.3}\n    migration_multiplier: {low: 0.5, high: 1.5}\n"


@pytest.fixture(scope="module")
def scheduler():
    """The address of a running two-worker LocalCluster, started as the sweep starts its own."""
    with local_cluster(2) as cluster:
        yield cluster.scheduler_address


def analytic(scenario):
    """A stand-in for the model: 1,000 persons per age and sex times 4 x fertility + migration multiplier."""
    d = scenario.demography
    years = np.arange(scenario.years.start, scenario.years.end + 1)
    level = 1000.0 * (4 * d.fertility_multiplier + d.migration_multiplier)
    return xr.Dataset({"population": (("year", "sex", "age"), np.full((years.size, 2, 101), level))},
                      coords={"year": years, "sex": ["male", "female"], "age": np.arange(101)})


def flaky(scenario):
    """The analytic stand-in, failing the second draw of every point."""
    if scenario.seed == 20230702:
        raise RuntimeError(f"no convergence for seed {scenario.seed}")
    return analytic(scenario)


def records(out: Path) -> list[dict]:
    path = out / "manifest.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.endswith("}")]  # a line cut by a kill is skipped


def test_grid_with_draws_merges_bands_and_reruns_nothing(tmp_path, scheduler):
    sweep = sweep_from_text(GRID)
    ds, report = run_sweep(sweep, tmp_path, scheduler=scheduler)
    assert dict(ds.sizes) == {"point": 2, "draw": 3, "year": 3, "quantile": 5, "criterion": 5}
    assert ds["breach"].dims == ("point", "draw", "criterion") and "law" in ds["criterion_basis"].values
    assert ((ds["breach_probability"] >= 0) & (ds["breach_probability"] <= 1)).all()
    assert np.isnan(ds["total_population_2025_band"].sel(quantile=[0.05, 0.95])).all()  # 3 draws: no p5/p95
    assert "p5/p95 need 20" in ds["total_population_2025_band"].attrs["note"]
    assert (ds["status"] == "finished").all() and report.finished == 6 and not report.failed
    assert list(ds["demography.fertility_multiplier"].values) == [0.8, 1.2]
    assert list(ds["seed"].values) == [20230701, 20230702, 20230703]
    births = ds["total_births_2024"]
    assert (births.sel(point=1) > births.sel(point=0)).all()
    band = ds["total_population_2025_band"]
    assert (band.dropna("quantile").diff("quantile") >= 0).all() and band.attrs["units"] == "persons"
    assert ds["old_age_dependency_ratio_band"].dims == ("quantile", "point", "year")
    assert report.peak_memory_mib > report.parent_peak_mib > 0 and len(report.worker_peak_mib) >= 1
    saved = xr.load_dataset(tmp_path / RESULTS, engine="h5netcdf")
    xr.testing.assert_equal(saved[["total_population_2025", "status"]], ds[["total_population_2025", "status"]])
    assert [r["event"] for r in records(tmp_path)].count("finished") == 6

    design = build_design(sweep)  # outputs read back from the run files equal those the workers sent
    from_files = merge_runs(sweep, design, plan(sweep, design), tmp_path)
    xr.testing.assert_equal(from_files, ds[list(from_files.data_vars)])
    one = xr.load_dataset(tmp_path / "runs" / f"{ds['run_id'].values[1, 2]}.nc")
    assert one["population"].sel(year=2025).sum().item() == ds["total_population_2025"].values[1, 2]

    again, report2 = run_sweep(sweep_from_text(GRID), tmp_path, scheduler=scheduler)
    assert report2.finished == 0 and report2.skipped == 6
    xr.testing.assert_identical(again.drop_attrs(), ds.drop_attrs())


def test_a_failing_run_is_recorded_and_the_others_complete(tmp_path, scheduler):
    ds, report = run_sweep(sweep_from_text(ANALYTIC_GRID), tmp_path, scheduler=scheduler, run=flaky)
    assert len(report.failed) == 2 and report.finished == 4
    assert list(ds["status"].sel(draw=1).values) == ["failed", "failed"]
    assert ds["total_population_2025"].sel(draw=1).isnull().all()
    assert ds["total_population_2025"].sel(draw=[0, 2]).notnull().all()
    failed = [r for r in records(tmp_path) if r["event"] == "failed"]
    assert len(failed) == 2 and all(r["error"] == "RuntimeError: no convergence for seed 20230702" for r in failed)
    assert ds.attrs["failed_runs"] == 2

    again, report2 = run_sweep(sweep_from_text(ANALYTIC_GRID), tmp_path, scheduler=scheduler, run=analytic)
    assert report2.finished == 2 and report2.skipped == 4 and (again["status"] == "finished").all()


def test_an_output_the_results_lack_stops_the_sweep(tmp_path, scheduler):
    with pytest.raises(ModelInputError, match="output 'total_births_2024' needs result variable.*births"):
        run_sweep(sweep_from_text(GRID), tmp_path, scheduler=scheduler, run=analytic)


def test_one_at_a_time_tornado(tmp_path, scheduler):
    text = HEAD + f"design:\n  kind: oat\n  demography:\n{FACTORS}outputs: [total_population_2025]\n"
    ds, report = run_sweep(sweep_from_text(text), tmp_path, scheduler=scheduler, run=analytic)
    printed = format_summary(ds, report)
    assert "Outputs by design point" in printed and "total_population_2025: one-at-a-time tornado" in printed
    tornado = ds["total_population_2025_tornado"]
    assert tornado.dims == ("factor", "side") and tornado.attrs["centre"] == 202_000 * 5
    per_unit = 202_000  # persons per unit of 4 x fertility + migration
    np.testing.assert_allclose(tornado.sel(factor="demography.fertility_multiplier"), [-1.2 * per_unit, 1.2 * per_unit])
    np.testing.assert_allclose(tornado.sel(factor="demography.migration_multiplier"), [-0.5 * per_unit, 0.5 * per_unit])
    assert list(ds["factor_low"].values) == [0.7, 0.5]


def test_sobol_indices_match_the_analytic_values(tmp_path, scheduler):
    text = HEAD + f"design:\n  kind: sobol\n  samples: 32\n  demography:\n{FACTORS}outputs: [total_population_2025]\n"
    ds, report = run_sweep(sweep_from_text(text), tmp_path, scheduler=scheduler, run=analytic)
    assert report.runs == 32 * 4 and "total_population_2025: Sobol indices" in format_summary(ds, report)
    sobol = ds["total_population_2025_sobol"]
    assert sobol.dims == ("factor", "index") and list(sobol["index"].values) == ["S1", "S1_conf", "ST", "ST_conf"]
    fertility = 16 * 0.6**2 / 12  # variance shares of 4 x U(0.7, 1.3) and U(0.5, 1.5)
    exact = fertility / (fertility + 1 / 12)
    np.testing.assert_allclose(sobol.sel(index="S1"), [exact, 1 - exact], atol=0.05)
    np.testing.assert_allclose(sobol.sel(index="ST"), [exact, 1 - exact], atol=0.05)


def test_same_numbers_with_one_and_two_workers(tmp_path, capsys, scheduler):
    text = HEAD + ("design:\n  kind: lhs\n  samples: 2\n  demography:\n"
                   "    fertility_multiplier: {low: 0.8, high: 1.2}\n"
                   "draws: 2\nuncertainty:\n  demography:\n    mortality_multiplier: {low: 0.9, high: 1.1}\n"
                   "outputs: [total_population_2025, old_age_dependency_ratio]\n")
    sweep_file = tmp_path / "lhs.yaml"
    sweep_file.write_text(text)
    assert main(["sweep", str(sweep_file), "--out", str(tmp_path / "one"), "--workers", "1", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "sweep t: 6 runs (0 already finished, 6 computed, 0 failed)" in printed and "p95" in printed
    assert "Probability of breaching each criterion" in printed and "centre" in printed
    two, _ = run_sweep(sweep_file, tmp_path / "two", scheduler=scheduler)  # the shared two-worker cluster
    one = xr.load_dataset(tmp_path / "one" / RESULTS, engine="h5netcdf")
    xr.testing.assert_identical(one.drop_attrs(), two.drop_attrs())
    for run_id in np.unique(two["run_id"].values):
        a = xr.load_dataset(tmp_path / "one" / "runs" / f"{run_id}.nc")
        b = xr.load_dataset(tmp_path / "two" / "runs" / f"{run_id}.nc")
        xr.testing.assert_identical(a, b)


def test_killed_sweep_resumes_and_computes_every_run_exactly_once(tmp_path, scheduler):
    points = 10
    values = [round(0.8 + 0.04 * i, 2) for i in range(points)]
    sweep = tmp_path / "resume.yaml"
    sweep.write_text(HEAD + f"design:\n  kind: grid\n  demography:\n    fertility_multiplier: {{values: {values}}}\n"
                     "outputs: [total_population_2025]\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "model", "sweep", str(sweep), "--out", str(out), "--workers", "1", "--no-progress"]
    first = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while [r["event"] for r in records(out)].count("finished") < 2:
            assert first.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline, "no run finished in time"
            time.sleep(0.02)
        first.kill()  # SIGKILL: the sweep gets no chance to clean up
        first.wait()
    finally:
        try:
            os.killpg(first.pid, signal.SIGKILL)  # its worker processes, if still alive
        except ProcessLookupError:
            pass
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (out / "runs").glob("*.nc")}
    assert 2 <= len(before) < points, "the kill should come mid-sweep"

    results, report = run_sweep(sweep, out, scheduler=scheduler)
    assert (report.skipped, report.finished, len(report.failed)) == (len(before), points - len(before), 0)
    log = records(out)
    done = [r["run_id"] for r in log if r["event"] == "finished"]
    assert len(done) == len(set(done)) == points  # each run finished exactly once over both invocations
    second = log[max(i for i, r in enumerate(log) if r["event"] == "sweep"):]
    resubmitted = {r["run_id"] for r in second if r["event"] == "submitted"}
    assert resubmitted.isdisjoint(name.removesuffix(".nc") for name in before)  # nothing finished ran again
    for name, stamp in before.items():  # and no finished file was rewritten
        path = out / "runs" / name
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == stamp
    assert not list((out / "runs").glob(".*.tmp"))
    assert (results["status"] == "finished").all() and results["total_population_2025"].notnull().all()


def test_run_files_are_netcdf3_unless_they_must_be_netcdf4(tmp_path):
    ds = xr.Dataset({"x": ("year", np.array([1.5, 2.5]))}, coords={"year": [2023, 2024]}, attrs={"seed": 7})
    write_netcdf(ds, tmp_path / "small.nc", compact=True)
    write_netcdf(ds.assign_attrs(seed=2**40), tmp_path / "big.nc", compact=True)  # beyond NetCDF3's 32-bit ints
    assert (tmp_path / "small.nc").read_bytes()[:4] == b"CDF\x02"
    assert (tmp_path / "big.nc").read_bytes()[:4] == b"\x89HDF"
    assert xr.load_dataset(tmp_path / "big.nc").attrs["seed"] == 2**40
    xr.testing.assert_identical(xr.load_dataset(tmp_path / "small.nc"), ds)
    assert not list(tmp_path.glob(".*.tmp"))


def test_local_workers_keep_glibc_dynamic_mmap_threshold(scheduler):
    with Client(scheduler) as client:  # Dask's default MALLOC_TRIM_THRESHOLD_ makes the model ~1.5x slower
        client.wait_for_workers(2, timeout=60)  # a cluster just started may not have its workers yet
        assert set(client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == {None}
        assert set(client.run(os.environ.get, "OMP_NUM_THREADS").values()) == {"1"}


def test_model_run_is_the_default(tmp_path, scheduler):
    ds, _ = run_sweep(sweep_from_text(HEAD + "outputs: [total_population_2025]\n"), tmp_path, scheduler=scheduler)
    expected = model.run("baseline", scale=5000, end_year=2025)["population"].sel(year=2025).sum().item()
    assert ds["total_population_2025"].item() == expected


def sweep_file(tmp_path: Path, text: str, name: str = "sweep.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


BIG = ("name: big\nscale: 1000\ndesign:\n  kind: grid\n  demography:\n"
       "    fertility_multiplier: {low: 0.5, high: 1.5, levels: 1000}\ndraws: 100\noutputs: [total_population_2030]\n")


def test_a_sweep_of_100000_runs_is_refused_with_its_estimate(tmp_path, capsys):
    started = time.monotonic()
    assert main(["sweep", str(sweep_file(tmp_path, BIG)), "--out", str(tmp_path / "out"), "--workers", "2"]) == 2
    err = capsys.readouterr().err
    # 100,000 runs x (0.3 s + 71,702 rows / 3.2 M/s + 71,702 x 15 row-years / 5 M/s) = 14.9 CPU hours; each run
    # file 4 kB + 15 years x 21.5 kB = 326.5 kB, 32.7 GB in all
    assert err == ("error: sweep big: 100,000 runs: about 14.9 h of CPU time (7.5 h on 2 workers) and 33 GB of disk; "
                   "above the limit of 2,000 runs or 6 hours without confirmation: give --yes, or set max_runs in the "
                   "sweep file\n")
    assert time.monotonic() - started < 20 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("runs, scale, end_year, max_runs, yes, refused", [
    (2_000, 5000, 2037, None, False, False),  # at the run limit, minutes
    (2_001, 5000, 2037, None, False, True),  # one run above it
    (1_000, 10, 2037, None, False, True),  # few runs, but about 7 hours at scale 10 on one worker
    (100_000, 1000, 2037, 100_000, False, False),  # the file allows it
    (100_000, 1000, 2037, 99_999, False, True),  # the file's own limit
    (100_000, 1000, 2037, None, True, False),  # --yes
    (50, 100, 2037, 10, False, True),  # max_runs also lowers the limit
])
def test_cost_limit(runs, scale, end_year, max_runs, yes, refused):
    price = cost.estimate(runs, scale, end_year, workers=1)
    if refused:
        with pytest.raises(ModelInputError, match=f"{runs:,} runs: about"):
            cost.check(price, max_runs, yes, "sweep t")
    else:
        cost.check(price, max_runs, yes, "sweep t")


def test_cost_estimate_agrees_with_the_benchmark():
    one = cost.estimate(1, 1000, 2037, workers=1)
    assert 0.4 < one.seconds_per_run < 0.8  # benchmarks/RESULTS.md: 0.62 s per run on a worker at scale 1000
    assert one.bytes_per_run == pytest.approx(326_944, rel=0.01)  # a NetCDF3 run file of 2023-2037


def test_max_runs_in_the_sweep_file_lets_a_large_sweep_start(tmp_path, capsys):
    text = BIG.replace("draws: 100", "draws: 3") + "max_runs: 3000\n"
    spec = sweep_from_text(text).spec
    assert spec.max_runs == 3000
    with pytest.raises(ModelInputError, match="field 'max_runs'"):
        sweep_from_text(text.replace("max_runs: 3000", "max_runs: 0"))


def test_the_estimate_is_printed_before_the_runs(tmp_path, capsys, scheduler):
    file = sweep_file(tmp_path, ANALYTIC_GRID)
    lines: list[str] = []
    run_sweep(file, tmp_path / "out", scheduler=scheduler, run=analytic, announce=lines.append)
    # 6 x (0.3 s + 14,340 rows / 3.2 M/s + 14,340 x 3 row-years / 5 M/s) = 1.9 s; 6 x (4 kB + 3 x 21.5 kB) = 411 kB
    assert lines == ["sweep t: 6 runs: about 2 s of CPU time and 411 kB of disk (scale 5000, 2023-2025)"]


def changed_tree() -> ParameterTree:
    """Current law with the old-age allowance take-up of the base year lowered: a parameter file edited."""
    law = ParameterTree.load()
    path = "old_age_allowance.take_up"
    first = law.info(path).values[0]
    return law.with_overrides({path: {first.date: 0.6}})


def test_a_rerun_after_a_parameter_change_recomputes_the_stale_runs(tmp_path, scheduler, monkeypatch):
    file = sweep_file(tmp_path, ANALYTIC_GRID)
    first, report = run_sweep(file, tmp_path, scheduler=scheduler, run=analytic)
    assert (report.finished, report.stale) == (6, 0)
    assert first.attrs["model_version"] == model.version.model_version()

    changed = changed_tree()
    monkeypatch.setattr(model.parameters, "_default_tree", lambda: changed)
    lines: list[str] = []
    again, report2 = run_sweep(file, tmp_path, scheduler=scheduler, run=analytic, announce=lines.append)
    assert (report2.skipped, report2.stale, report2.finished) == (0, 6, 6)
    assert lines[-1].startswith("6 finished runs are stale and will be recomputed")
    assert set(again["run_id"].values.ravel()).isdisjoint(first["run_id"].values.ravel())
    assert again.attrs["stale_runs_recomputed"] == 6

    monkeypatch.undo()  # the parameter file back as it was: the first runs are current again
    _, report3 = run_sweep(file, tmp_path, scheduler=scheduler, run=analytic)
    assert (report3.skipped, report3.stale, report3.finished) == (6, 0, 0)


def test_a_sweep_folder_of_older_run_ids_counts_them_stale(tmp_path, scheduler):
    sweep = sweep_from_text(ANALYTIC_GRID)
    (tmp_path / "runs").mkdir()
    for r in plan(sweep, build_design(sweep))[:4]:  # files named by the ids of before (overrides and seed only)
        (tmp_path / "runs" / f"{model.identity.inputs_id(r.scenario)}.nc").write_bytes(b"old")
    _, report = run_sweep(sweep, tmp_path, scheduler=scheduler, run=analytic)
    assert (report.stale, report.finished) == (4, 6)


def test_run_files_and_results_record_run_id_and_model_version(tmp_path, scheduler):
    ds, _ = run_sweep(sweep_from_text(HEAD + "outputs: [total_population_2025]\n"), tmp_path, scheduler=scheduler)
    rid = str(ds["run_id"].item())
    one = xr.load_dataset(tmp_path / "runs" / f"{rid}.nc")
    assert one.attrs["run_id"] == rid and one.attrs["model_version"] == model.version.model_version()
    scenario = model.api.resolve("baseline", scale=5000, end_year=2025)
    assert rid == model.identity.run_id(scenario)
    assert one.attrs["parameters_hash"] == ParameterTree.load().fingerprint()  # the resolved tree, no overrides
    merged = xr.load_dataset(tmp_path / RESULTS, engine="h5netcdf")
    assert merged.attrs["model_version"] == model.version.model_version()


def test_a_relative_output_folder_works_with_a_scheduler(tmp_path, monkeypatch, scheduler, capsys):
    file = sweep_file(tmp_path, HEAD + "outputs: [total_population_2025]\n")
    monkeypatch.chdir(tmp_path)  # the workers were started in another folder
    assert main(["sweep", file.name, "--out", "rel", "--scheduler", scheduler, "--no-progress"]) == 0
    assert len(list((tmp_path / "rel" / "runs").glob("*.nc"))) == 1 and (tmp_path / "rel" / RESULTS).exists()
    assert "1 computed, 0 failed" in capsys.readouterr().out


def _pretend_version(version):
    model.version._version = version


def test_workers_of_another_model_version_are_refused(tmp_path, scheduler, capsys):
    file = sweep_file(tmp_path, ANALYTIC_GRID)
    with Client(scheduler) as client:
        client.run(_pretend_version, "0.0.0+elsewhere")
        try:
            assert main(["sweep", str(file), "--out", str(tmp_path / "out"), "--scheduler", scheduler]) == 2
        finally:
            client.run(_pretend_version, None)  # computed again from the files
    err = capsys.readouterr().err
    assert err.startswith("error: --scheduler: worker tcp://") and err.count("\n") == 1
    assert f"runs model version 0.0.0+elsewhere, this process {model.version.model_version()} (2 of 2" in err
    assert not list((tmp_path / "out" / "runs").glob("*"))


def test_ctrl_c_during_a_sweep_ends_with_one_line_and_no_partial_file(tmp_path):
    values = [round(0.8 + 0.02 * i, 2) for i in range(20)]
    file = sweep_file(tmp_path, "name: t\nscale: 1000\nend_year: 2030\ndesign:\n  kind: grid\n  demography:\n"
                      f"    fertility_multiplier: {{values: {values}}}\noutputs: [total_population_2030]\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "model", "sweep", str(file), "--out", str(out), "--workers", "1", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while [r["event"] for r in records(out)].count("finished") < 1:
            assert process.poll() is None, "the sweep ended before it could be interrupted"
            assert time.monotonic() < deadline, "no run finished in time"
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130 and err == "interrupted\n"
    assert not (out / RESULTS).exists() and not list((out / "runs").glob(".*.tmp"))
    assert records(out)[-1]["event"] == "interrupted"
    for path in (out / "runs").glob("*.nc"):  # every run file there is whole
        assert xr.load_dataset(path)["population"].sizes["year"] == 8


def test_results_are_written_while_a_distributed_client_is_the_default(tmp_path, scheduler):
    """A session holding a Client to a cluster of worker processes (as a notebook does) still writes results and a
    sweep's results.nc: xarray would otherwise lock the in-memory NetCDF target through that scheduler."""
    sweep = sweep_from_text(ANALYTIC_GRID)
    with Client(scheduler):
        ds, _ = run_sweep(sweep, tmp_path / "out", scheduler=scheduler, run=analytic, progress=False)
        write_netcdf(ds, tmp_path / "copy.nc")
    with xr.open_dataset(tmp_path / "copy.nc") as back:
        assert float(back["total_population_2025"].max()) == float(ds["total_population_2025"].max())
    assert (tmp_path / "out" / RESULTS).is_file()


def test_a_tornado_around_the_baseline_path_has_the_baseline_at_its_centre(tmp_path, scheduler):
    text = ("name: t\nscale: 5000\nend_year: 2026\ndesign:\n  kind: oat\n  macro:\n"
            "    real_growth: {apply: shift, low: -0.01, high: 0.01}\n"
            "    interest_rate: {apply: multiply, low: 0.8, high: 1.2}\n  linked:\n    allowance:\n"
            "      set: [old_age_allowance.amount.age_60_69, old_age_allowance.amount.age_70_79]\n"
            "      apply: multiply\n      low: 0.9\n      high: 1.1\n      from: 2025-10-01\n"
            "outputs: [min_debt_headroom_pct_gdp, total_cost_pct_gdp_2026, public_debt_pct_gdp_2026]\n")
    ds, _ = run_sweep(sweep_from_text(text), tmp_path, scheduler=scheduler)
    baseline = model.run("baseline", scale=5000, end_year=2026, progress=False)
    for name in ("min_debt_headroom_pct_gdp", "total_cost_pct_gdp_2026", "public_debt_pct_gdp_2026"):
        expected = float(outputs_of(baseline, name))
        assert ds[name].sel(point=0, draw=0).item() == expected  # exactly the baseline's own run
        assert ds[f"{name}_tornado"].attrs["centre"] == expected
    debt = ds["public_debt_pct_gdp_2026_tornado"].sel(factor="macro.real_growth")
    assert debt.sel(side="low") > 0 > debt.sel(side="high")  # slower growth, higher debt ratio
    cost = ds["total_cost_pct_gdp_2026_tornado"].sel(factor="linked.allowance")
    assert cost.sel(side="low") < 0 < cost.sel(side="high")


def outputs_of(result: xr.Dataset, name: str) -> float:
    from model import outputs

    return outputs.compute(result, name).item()


def test_a_script_without_a_main_guard_can_run_a_sweep(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(
        "import numpy as np, xarray as xr\n"
        "from model.sweep import run_sweep, sweep_from_text\n"
        "def flat(scenario):\n"
        "    years = np.arange(2023, scenario.years.end + 1)\n"
        "    return xr.Dataset({'population': (('year', 'sex', 'age'), np.full((years.size, 2, 101), 5.0))},\n"
        "                      coords={'year': years, 'sex': ['male', 'female'], 'age': np.arange(101)})\n"
        "sweep = sweep_from_text('name: t\\nscale: 5000\\nend_year: 2024\\noutputs: [total_population_2024]\\n')\n"
        f"ds, _ = run_sweep(sweep, {str(tmp_path / 'out')!r}, workers=1, run=flat)\n"
        "print('population', ds['total_population_2024'].item())\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "population 1010.0" in done.stdout and "Nanny" not in done.stderr
