"""Key results a notebook publishes for the book: named numbers the summary, results and validation pages read
from the executed notebooks, so that the book's numbers are the notebooks' (computed, never typed).

In a notebook: ``publish("costs", {"total_cost_pct_gdp_2037": 3.1, ...})`` displays nothing visible (a custom
MIME type that renderers skip); the book's generator reads them back with ``read(notebook)``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

MIME = "application/vnd.thai-sp-model.results+json"


def _plain(value: Any) -> Any:
    """A JSON-safe copy: numpy numbers as Python numbers, NaN as None, containers recursively."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def publish(name: str, values: Mapping[str, Any]) -> None:
    """Attach `values` (names to numbers, strings or lists) to the notebook's output under `name`."""
    from IPython.display import display

    payload = {"name": name, "values": _plain(values)}
    json.dumps(payload)  # fail here, in the notebook, on a value JSON cannot hold
    display({MIME: payload}, raw=True)


def read(notebook: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every published result of an executed notebook (an nbformat node or its JSON), by name."""
    found: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            payload = output.get("data", {}).get(MIME)
            if payload:
                found[payload["name"]] = dict(payload["values"])
    return found
