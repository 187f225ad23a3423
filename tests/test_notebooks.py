"""The reviewer notebooks execute top to bottom with nbclient at coarse settings (notebooks/execute.py's QUICK_ENV:
scale 20,000, small sweeps), each in a copy under tmp_path so the committed outputs are never overwritten; the
committed notebooks themselves carry outputs (refreshed by `make notebooks`), and their stamps
(model/report/stamp.py) must match the current model version, parameters, scenarios and notebook code."""

import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest

from model.report import published, stamp
from model.version import model_version

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 600  # seconds

# Per notebook: phrases its computed conclusions (or other key outputs) must contain, and the fewest figures.
KEY_OUTPUTS = {
    "01_demography": (["The agent projection follows the cohort-component projection",
                       "The old-age dependency ratio rises from", "Thai nationals are",
                       "**Births as registered.** The path puts births at", "fewer births; the population of",
                       "The child support grant has", "persons on average in", "**Thai share.**",
                       "**Migrant workers.**"], 7),
    "02_calibration": (["input targets and", "check targets are within tolerance", "totals within tolerance",
                        "Nothing after the base year was fitted", "**T4.6**"], 2),
    "03_baseline_costs": (["All schemes together cost THB", "The old-age allowance grows",
                           "Largest relative gap between the product of the three factors",
                           "The labour share stays within", "By household income decile"], 6),
    "04_fiscal_sustainability": (["the baseline", "Goal 170201 (multidimensional poverty index)",
                                  "Highest flat old-age allowance", "Section 33 contribution-rate rise",
                                  "the framework would finance", "**Current policy**", "general average premium",
                                  "With unemployment ×", "Excluding the overlap"], 9),
    "05_reforms_and_sensitivity": (["reforms compared", "By total Sobol index", "One at a time",
                                    "move debt through their current law", "Precision (section 2)",
                                    "Under macro and behavioural uncertainty"], 6),
    "06_validation": (["Against WPP's published totals", "administrative totals within tolerance",
                       "Out of sample, the Social Security Fund's published assets", "Registered migrant workers"], 1),
}
PUBLISHED = {"01_demography": "demography", "02_calibration": "calibration", "03_baseline_costs": "costs",
             "04_fiscal_sustainability": "sustainability", "05_reforms_and_sensitivity": "uncertainty",
             "06_validation": "validation"}
"""The key results each notebook publishes for the book (docs/build.py reads them)."""


def _execute_module():
    spec = importlib.util.spec_from_file_location("notebooks_execute", NOTEBOOK_DIR / "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute = _execute_module()


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return "\n".join(str(data.get(kind, "")) for kind in ("text/markdown", "text/plain", "text/html"))


def _conclusions(nb: nbformat.NotebookNode) -> str:
    cells = [c for c in nb.cells if "conclusions" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "a notebook has exactly one code cell tagged 'conclusions'"
    return "\n".join(_text(o) for o in cells[0].get("outputs", []))


def test_every_notebook_has_key_outputs_listed():
    assert NOTEBOOKS, f"no notebooks in {NOTEBOOK_DIR}"
    assert sorted(KEY_OUTPUTS) == NOTEBOOKS


def _params():
    # notebook 05 starts a Dask cluster: keep it on the worker that runs the other Dask tests
    return [pytest.param(name, marks=pytest.mark.xdist_group("dask")) if name.startswith("05") else name
            for name in NOTEBOOKS]


@pytest.mark.slow
@pytest.mark.parametrize("name", _params())
def test_notebook_executes_without_errors(name, tmp_path):
    copy = tmp_path / f"{name}.ipynb"
    shutil.copy(NOTEBOOK_DIR / copy.name, copy)
    nb, _ = execute.execute(copy, env=execute.QUICK_ENV, timeout=CELL_TIMEOUT)
    outputs = _outputs(nb)
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"]
    assert not errors
    unexecuted = [c.source[:60] for c in nb.cells if c.cell_type == "code" and c.get("execution_count") is None]
    assert not unexecuted
    phrases, figures = KEY_OUTPUTS[name]
    everything = _conclusions(nb) + "\n".join(_text(o) for o in outputs)
    assert [p for p in phrases if p not in everything] == []
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= figures
    assert (NOTEBOOK_DIR / copy.name).read_bytes() != copy.read_bytes()  # the copy was written, not the original
    assert PUBLISHED[name] in published.read(nb)
    found = stamp.read(nb)
    assert found["model_version"] == model_version() and found["notebook_code"] == stamp.code_hash(nb)
    assert found["settings"] == {k: v for k, v in execute.QUICK_ENV.items() if k not in stamp.NEUTRAL_SETTINGS}
    assert stamp.staleness(nb) == [f"executed with non-default settings {found['settings']} (run notebooks/execute.py --full)"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_carries_outputs(name):
    """`make notebooks` has been run: every code cell executed, no error, the conclusions computed."""
    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") is not None for c in code), "run `make notebooks` and commit the outputs"
    assert not [o for o in _outputs(nb) if o.get("output_type") == "error"]
    phrases, _ = KEY_OUTPUTS[name]
    assert phrases[0] in _conclusions(nb) + "\n".join(_text(o) for o in _outputs(nb))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_not_older_than_the_model(name):
    """The stamp of the committed outputs matches the model version (code and data), the baseline's parameters,
    the scenario and sweep files and the notebook's own code, at the default settings: otherwise run
    `make notebooks` (notebooks/execute.py --full) and commit the notebooks."""
    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    assert stamp.staleness(nb) == []
    assert PUBLISHED[name] in published.read(nb)


def _fresh(nb):
    """A copy of `nb` whose stamp matches the current model exactly."""
    from model.api import resolve
    from model.identity import parameters_hash

    copy = nbformat.from_dict(nb)
    current = {"commit": None, "dirty": None, "model_version": model_version(),
               "parameters_hash": parameters_hash(resolve("baseline"))[:stamp.HASH_CHARS],
               "scenarios_hash": stamp.scenarios_hash(), "notebook_code": stamp.code_hash(copy), "scale": 100.0,
               "seed": 1, "settings": {}, "executed": "now"}
    first = next(c for c in copy.cells if c.cell_type == "code")
    outputs = [o for c in copy.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    for o in outputs:
        o.get("data", {}).pop(stamp.MIME, None)
    first.outputs = [nbformat.v4.new_output("display_data", data={stamp.MIME: current})] + list(first.get("outputs", []))
    return copy


def test_staleness_check_fails_on_each_kind_of_stale_notebook():
    nb = _fresh(nbformat.read(NOTEBOOK_DIR / f"{NOTEBOOKS[0]}.ipynb", as_version=4))
    assert stamp.staleness(nb) == []

    def stale(change):
        copy = nbformat.from_dict(nb)
        change(copy)
        return stamp.staleness(copy)

    def set_stamp(key, value):
        return lambda copy: stamp.read(copy) and next(
            o for c in copy.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if stamp.MIME in o.get("data", {}))["data"][stamp.MIME].__setitem__(key, value)

    assert "model code or data changed" in stale(set_stamp("model_version", "0.1.0+000000000000"))[0]
    assert "parameters changed" in stale(set_stamp("parameters_hash", "000000000000"))[0]
    assert "scenario or sweep files changed" in stale(set_stamp("scenarios_hash", "000000000000"))[0]
    assert "non-default settings" in stale(set_stamp("settings", {"MODEL_NOTEBOOK_SCALE": "5000"}))[0]

    def edit_code(copy):
        cell = [c for c in copy.cells if c.cell_type == "code"][-1]
        cell.source += "\n1 + 1"

    assert "the notebook's code changed" in stale(edit_code)[0]

    def drop_stamp(copy):
        for c in copy.cells:
            for o in c.get("outputs", []):
                o.get("data", {}).pop(stamp.MIME, None)

    assert stale(drop_stamp) == ["no stamp: the first code cell must call model.report.stamp.show(SCALE)"]


def test_every_notebook_stamps_its_outputs_in_its_first_code_cell():
    for name in NOTEBOOKS:
        nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert "stamp.show(SCALE)" in first.source, name


def test_uncertainty_results_file_is_the_200_draw_sweep():
    """Notebook 05 reads the 200-draw sweep from a committed file (execute.py --refresh-uncertainty writes it): it
    holds every draw of sweeps/uncertainty_200.yaml with the outputs the notebook reads, is stamped by its run
    (commit, date, command, model version) and stays small."""
    import xarray as xr
    import yaml

    path = execute.UNCERTAINTY_RESULTS
    assert path.is_file(), "run `python notebooks/execute.py --refresh-uncertainty`"
    assert path.stat().st_size < 5 * 2**20
    spec = yaml.safe_load(execute.UNCERTAINTY_SWEEP.read_text(encoding="utf-8"))
    with xr.open_dataset(path) as ds:
        assert ds.sizes["draw"] == spec["draws"] and ds.sizes["point"] == 1
        assert int((ds["status"] == "finished").sum()) == spec["draws"]
        assert float(ds.attrs["scale"]) == spec["scale"]
        for key in ("model_version", "commit", "created", "command"):
            assert ds.attrs.get(key), key
        for name in ("public_debt_pct_gdp_band", "ssf_reserve_pct_gdp_band", "public_debt_pct_gdp_centre",
                     "breach_probability", "ssf_depletion_year_distribution", "total_cost_pct_gdp_2037_band",
                     "min_debt_headroom_pct_gdp_band"):
            assert name in ds, name
        band = ds["public_debt_pct_gdp_band"].isel(point=0)
        assert bool((band.sel(quantile=0.05) <= band.sel(quantile=0.95)).all())
        assert not bool(band.isnull().any())  # 200 draws show every quantile
