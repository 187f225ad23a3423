"""The stamp every reviewer notebook carries, and the check that its committed outputs are not stale.

A notebook's first code cell calls ``stamp.show(SCALE)``. It prints one line (commit, model version, parameters
hash, scale, seed) and attaches the same facts as JSON under a custom MIME type (`MIME`):

    commit, dirty         the git commit the outputs were made at, and whether model/, data/, scenarios/ or
                          sweeps/ had uncommitted changes then (informative only: the check below uses hashes)
    model_version         model.version.model_version(): the package version and a hash of model/**/*.py,
                          model/**/*.yaml and data/**
    parameters_hash       model.identity.parameters_hash of the baseline scenario (its resolved parameter tree)
    scenarios_hash        a hash of scenarios/*.yaml and sweeps/*.yaml (names and contents)
    notebook_code         a hash of the notebook's code cells (read from the file named by the environment
                          variable MODEL_NOTEBOOK_FILE, which notebooks/execute.py sets)
    scale, seed           the notebook's persons per row and the baseline scenario's seed
    settings              the MODEL_NOTEBOOK_* variables that changed the notebook's defaults (empty: defaults)

`staleness(notebook)` lists why a committed notebook's outputs are older than what they depend on: no stamp, a
model version, parameters hash, scenarios hash or code hash different from the current ones, or settings other than
the defaults. tests/test_notebooks.py asserts that the list is empty for every committed notebook; after any change
to model/, data/, scenarios/, sweeps/ or a notebook's code, `make notebooks` (notebooks/execute.py --full) brings
them up to date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..paths import ROOT_DIR, SCENARIO_DIR
from ..version import model_version

MIME = "application/vnd.thai-sp-model.stamp+json"
NOTEBOOK_ENV = "MODEL_NOTEBOOK_FILE"
SETTINGS_PREFIX = "MODEL_NOTEBOOK_"
NEUTRAL_SETTINGS = ("MODEL_NOTEBOOK_FILE", "MODEL_NOTEBOOK_WORKERS")
"""Environment variables that do not change a notebook's numbers (where it is, how many Dask workers run it)."""
HASH_CHARS = 12
DEPENDS_ON = ("model", "data", "scenarios", "sweeps")


def _sha(parts: list[bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:HASH_CHARS]


def code_hash(notebook: Mapping[str, Any]) -> str:
    """A hash of a notebook's code cells (sources only, in order): what its outputs were computed by."""
    cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    return _sha([s.encode() for s in sources])


def scenarios_hash() -> str:
    """A hash of the shipped scenario and sweep files (names and contents)."""
    files = sorted([*SCENARIO_DIR.glob("*.yaml"), *(ROOT_DIR / "sweeps").glob("*.yaml")])
    return _sha([part for f in files for part in (f.relative_to(ROOT_DIR).as_posix().encode(), f.read_bytes())])


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT_DIR, capture_output=True, text=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def settings() -> dict[str, str]:
    """The MODEL_NOTEBOOK_* variables of this process that change a notebook's numbers."""
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith(SETTINGS_PREFIX) and k not in NEUTRAL_SETTINGS}


def current(scale: float, scenario: str = "baseline") -> dict[str, Any]:
    """The stamp of outputs computed now at `scale` persons per row (see the module's docstring)."""
    import nbformat

    from ..api import resolve
    from ..identity import parameters_hash

    resolved = resolve(scenario)
    path = os.environ.get(NOTEBOOK_ENV)
    code = code_hash(nbformat.read(path, as_version=4)) if path and Path(path).is_file() else None
    status = _git("status", "--porcelain", "--", *DEPENDS_ON)
    return {
        "commit": _git("rev-parse", "--short=12", "HEAD"),
        "dirty": bool(status) if status is not None else None,
        "model_version": model_version(),
        "parameters_hash": parameters_hash(resolved)[:HASH_CHARS],
        "scenarios_hash": scenarios_hash(),
        "notebook_code": code,
        "scale": float(scale),
        "seed": int(resolved.seed),
        "settings": settings(),
        "executed": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def text(stamp: Mapping[str, Any]) -> str:
    """The stamp as one line of Markdown."""
    commit = stamp["commit"] or "unknown"
    if stamp.get("dirty"):
        commit += " with uncommitted changes"
    extra = ", ".join(f"{k}={v}" for k, v in stamp["settings"].items())
    return (f"*Outputs computed {stamp['executed']} at commit `{commit}`, model version `{stamp['model_version']}`, "
            f"parameters hash `{stamp['parameters_hash']}`, scale {stamp['scale']:,.0f} persons per row, seed "
            f"{stamp['seed']}{'; settings ' + extra if extra else ''}.*")


def show(scale: float, scenario: str = "baseline") -> dict[str, Any]:
    """Display the stamp of outputs computed now (a line of text and the JSON the staleness check reads)."""
    from IPython.display import display

    stamp = current(scale, scenario)
    display({"text/markdown": text(stamp), "text/plain": text(stamp), MIME: stamp}, raw=True)
    return stamp


def read(notebook: Mapping[str, Any]) -> dict[str, Any] | None:
    """The stamp of an executed notebook, or None if it has none."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if MIME in output.get("data", {}):
                return dict(output["data"][MIME])
    return None


def staleness(notebook: Mapping[str, Any]) -> list[str]:
    """Why the notebook's committed outputs are older than the code, parameters, scenarios or notebook source they
    depend on (empty: up to date)."""
    stamp = read(notebook)
    if stamp is None:
        return ["no stamp: the first code cell must call model.report.stamp.show(SCALE)"]
    reasons = []
    checks = (("model_version", model_version(), "model code or data changed"),
              ("scenarios_hash", scenarios_hash(), "scenario or sweep files changed"),
              ("notebook_code", code_hash(notebook), "the notebook's code changed"))
    for key, now, why in checks:
        if stamp.get(key) != now:
            reasons.append(f"{why}: {key} {stamp.get(key)} in the outputs, {now} now")
    from ..api import resolve
    from ..identity import parameters_hash

    params = parameters_hash(resolve("baseline"))[:HASH_CHARS]
    if stamp.get("parameters_hash") != params:
        reasons.append(f"parameters changed: parameters_hash {stamp.get('parameters_hash')} in the outputs, {params} now")
    if stamp.get("settings"):
        reasons.append(f"executed with non-default settings {stamp['settings']} (run notebooks/execute.py --full)")
    return reasons
