"""What a run's result depends on, as a short hash: a run's identity (the model version is model.version's).

A run's identity hashes the resolved parameter tree (every value in force, not only a scenario's overrides), the
macro path, the demographic inputs, the scale, the seed, the projection years, the financing and the model
version. Equal identities give identical results, so sweeps resume by it and the in-process caches and the app
keep results by it: a changed parameter file, macro assumption, data file or line of code gives new identities
and nothing stale is reused.
"""

import dataclasses
import hashlib
import json
from functools import lru_cache
from typing import Any

import numpy as np

from .version import model_version

RUN_ID_CHARS = 20  # hex characters of a run id (80 bits)
_CACHE = 4096  # resolved trees, macro paths and demographic inputs remembered by their overrides

def _sha(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _array_digest(value: Any) -> str:
    """A digest of arrays, numbers and plain containers (arrays by dtype, shape and bytes)."""
    if isinstance(value, np.ndarray):
        return _sha(str(value.dtype), str(value.shape), np.ascontiguousarray(value).tobytes())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _sha(*(f"{f.name}={_array_digest(getattr(value, f.name))}" for f in dataclasses.fields(value)))
    return _sha(repr(value))


@lru_cache(maxsize=_CACHE)
def _parameters_hash(tree: Any, overrides_json: str) -> str:
    overrides = json.loads(overrides_json)
    return tree.with_overrides(overrides).fingerprint() if overrides else tree.fingerprint()


def parameters_hash(scenario: Any) -> str:
    """sha256 of the resolved parameter tree of a scenario: every parameter's dated values with its overrides."""
    from .parameters import ParameterTree

    overrides = scenario.model_dump(mode="json", include={"parameters"})["parameters"]
    return _parameters_hash(ParameterTree.load(), json.dumps(overrides, sort_keys=True))


@lru_cache(maxsize=_CACHE)
def _macro_hash(macro_json: str) -> str:
    from .fiscal.macro import load_macro

    return _array_digest(load_macro(json.loads(macro_json)))


@lru_cache(maxsize=_CACHE)
def _demography_hash(demography_json: str) -> str:
    from .scenario import Demography
    from .simulation import scenario_inputs

    stand_in = _DemographyOnly(Demography.model_validate_json(demography_json))
    return _array_digest(scenario_inputs(stand_in))  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True)
class _DemographyOnly:
    """What `scenario_inputs` reads of a scenario."""

    demography: Any


def identity_payload(scenario: Any) -> dict[str, Any]:
    """Everything a run's result depends on, as hashes and plain values."""
    data = scenario.model_dump(mode="json", exclude={"name", "description", "base", "parameters"})
    return {
        "model_version": model_version(),
        "parameters": parameters_hash(scenario),
        "macro": _macro_hash(json.dumps(data.pop("macro"), sort_keys=True)),
        "demography": _demography_hash(json.dumps(data.pop("demography"), sort_keys=True)),
        "run": data,  # scale, seed, years, financing (and any field added to scenarios later)
    }


def run_id(scenario: Any) -> str:
    """The identity of a run of `scenario` (20 hex characters): equal ids give identical results."""
    payload = json.dumps(identity_payload(scenario), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:RUN_ID_CHARS]


def inputs_id(scenario: Any) -> str:
    """A hash of what a scenario states (its overrides, scale, seed and years) without what they resolve to: two
    runs with equal inputs ids but different run ids were made with different parameter files, data or code.
    (It is the run id sweeps used before run ids covered the resolved inputs, so older sweep folders are read.)"""
    return hashlib.sha256(f"{scenario.fingerprint()}|{scenario.seed}".encode()).hexdigest()[:RUN_ID_CHARS]
