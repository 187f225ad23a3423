"""Whole runs are bit-identical to the recorded fingerprints (tests/golden/results.json): a refactoring must not
change a single number; a change of results regenerates the file in its own, explained commit."""

import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).with_name("golden")))
from snapshot import RUNS, SNAPSHOT, fingerprint  # noqa: E402

import model  # noqa: E402


@pytest.mark.parametrize("name", list(RUNS))
def test_run_is_bit_identical_to_its_snapshot(name):
    recorded = json.loads(SNAPSHOT.read_text())[name]
    now = fingerprint(model.run(**RUNS[name]))
    assert sorted(now) == sorted(recorded), "variables added or removed: regenerate the snapshot in its own commit"
    changed = {var: (recorded[var]["sum"], now[var]["sum"]) for var in now
               if now[var]["sha256"] != recorded[var]["sha256"]}
    detail = ", ".join(f"{var} (sum {old!r} -> {new!r}, {_relative(old, new)})" for var, (old, new) in changed.items())
    assert not changed, f"results changed: {detail}"


def _relative(old: float | None, new: float | None) -> str:
    if old is None or new is None or old == 0 or math.isnan(old):
        return "n/a"
    return f"{new / old - 1:+.2e} relative"
