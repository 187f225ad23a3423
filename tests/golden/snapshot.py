"""Fingerprints of whole runs, to prove that a change of code leaves results bit-identical.

`python tests/golden/snapshot.py` rewrites `results.json` from the current code: do it only in a commit whose
message says which results changed and why. The test (tests/test_golden.py) compares a fresh run with the file.
"""

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import xarray as xr

SNAPSHOT = Path(__file__).with_name("results.json")
RUNS: dict[str, dict] = {
    "baseline": {"scenario": "baseline", "scale": 1000, "seed": 1},
    "oaa_ladder_2025": {"scenario": "oaa_ladder_2025", "scale": 1000, "seed": 1},
    "ssf_pension_age_60": {"scenario": "ssf_pension_age_60", "scale": 1000, "seed": 1},
}
"""Runs fingerprinted: current law, a parameter reform, and a reform that changes behaviour (pension claims)."""


def fingerprint(ds: xr.Dataset) -> dict[str, dict[str, object]]:
    """Each data variable's SHA-256 of its values (C order, own dtype) and, to show how far a change moved it,
    the sum of its finite values."""
    out = {}
    for name in sorted(ds.data_vars):
        values = np.ascontiguousarray(ds[name].values)
        digest = hashlib.sha256(values.tobytes() if values.dtype != object else repr(values.tolist()).encode())
        total = float(np.nansum(values)) if np.issubdtype(values.dtype, np.number) else None
        out[name] = {"sha256": digest.hexdigest(), "sum": total}
    return out


def compute() -> dict[str, dict[str, dict[str, object]]]:
    """Fingerprints of every run in RUNS with the current code."""
    import model

    return {name: fingerprint(model.run(**run)) for name, run in RUNS.items()}


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SNAPSHOT}", file=sys.stderr)
