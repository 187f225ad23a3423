"""Sweeps on dask.distributed: merged results, bands, manifest, rerun, resume after a kill, failures,
sensitivity, and the same numbers with one and two workers.

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
from model.cli import main
from model.errors import ModelInputError
from model.sweep import RESULTS, format_summary, run_sweep, sweep_from_text
from model.sweep.design import build_design, plan
from model.sweep.merge import merge_runs
from model.sweep.runner import local_cluster, write_run

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
    assert dict(ds.sizes) == {"point": 2, "draw": 3, "year": 3, "quantile": 3}
    assert (ds["status"] == "finished").all() and report.finished == 6 and not report.failed
    assert list(ds["demography.fertility_multiplier"].values) == [0.8, 1.2]
    assert list(ds["seed"].values) == [20230701, 20230702, 20230703]
    births = ds["total_births_2024"]
    assert (births.sel(point=1) > births.sel(point=0)).all()
    band = ds["total_population_2025_band"]
    assert (band.diff("quantile") >= 0).all() and band.attrs["units"] == "persons"
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
    assert "sweep t: 4 runs (0 already finished, 4 computed, 0 failed)" in printed and "p95" in printed
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
    write_run(ds, tmp_path / "small.nc")
    write_run(ds.assign_attrs(seed=2**40), tmp_path / "big.nc")  # beyond NetCDF3's 32-bit integers
    assert (tmp_path / "small.nc").read_bytes()[:4] == b"CDF\x02"
    assert (tmp_path / "big.nc").read_bytes()[:4] == b"\x89HDF"
    assert xr.load_dataset(tmp_path / "big.nc").attrs["seed"] == 2**40
    xr.testing.assert_identical(xr.load_dataset(tmp_path / "small.nc"), ds)
    assert not list(tmp_path.glob(".*.tmp"))


def test_local_workers_keep_glibc_dynamic_mmap_threshold(scheduler):
    with Client(scheduler) as client:  # Dask's default MALLOC_TRIM_THRESHOLD_ makes the model ~1.5x slower
        assert set(client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == {None}
        assert set(client.run(os.environ.get, "OMP_NUM_THREADS").values()) == {"1"}


def test_model_run_is_the_default(tmp_path, scheduler):
    ds, _ = run_sweep(sweep_from_text(HEAD + "outputs: [total_population_2025]\n"), tmp_path, scheduler=scheduler)
    expected = model.run("baseline", scale=5000, end_year=2025)["population"].sel(year=2025).sum().item()
    assert ds["total_population_2025"].item() == expected
