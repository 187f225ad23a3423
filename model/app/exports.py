"""What the app reads and writes: uploaded scenario files, the scenario YAML of the current settings, and the
results as CSV and NetCDF."""

import pandas as pd
import xarray as xr
import yaml

from ..errors import ModelInputError
from ..fiscal.macro import load_macro
from ..parameters import ParameterTree
from ..scenario import MAX_SCENARIO_BYTES, Scenario, scenario_from_text


def read_upload(name: str, data: bytes) -> Scenario:
    """A validated scenario from an uploaded file: at most 1 MB of UTF-8 YAML, parsed safely (nothing in it is
    executed), with its parameter paths and macro overrides checked too. ModelInputError names field and value."""
    if len(data) > MAX_SCENARIO_BYTES:
        raise ModelInputError(f"{name}: file is larger than {MAX_SCENARIO_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ModelInputError(f"{name}: not UTF-8 text (byte {error.start})") from None
    scenario = scenario_from_text(text, name)
    for field, check in (("parameters", lambda: ParameterTree.load().with_overrides(scenario.parameters)),
                         ("macro", lambda: load_macro(scenario.macro))):
        try:
            check()
        except ModelInputError as error:
            raise ModelInputError(f"{name}: field '{field}': {error}") from None
    return scenario


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a self-contained YAML file (no `base`), which `scenario_from_text` reads back unchanged."""
    data = scenario.model_dump(exclude={"base"})
    header = (f"# Scenario '{scenario.name}' saved from the app (model.app); run it with\n"
              f"#   python -m model run {scenario.name}.yaml\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def results_csv(ds: xr.Dataset) -> bytes:
    """Every variable of a result in long form: one row per value, with its coordinates and units."""
    frames = []
    for name, values in ds.data_vars.items():
        if values.ndim:
            frame = values.to_dataframe(name="value").reset_index()
        else:
            frame = pd.DataFrame({"value": [values.item()]})
        frames.append(frame.assign(variable=name, units=values.attrs.get("units", "")))
    table = pd.concat(frames, ignore_index=True)
    first = ["variable", *[c for c in table.columns if c not in ("variable", "value", "units")], "value", "units"]
    return table[first].to_csv(index=False).encode("utf-8")


def results_netcdf(ds: xr.Dataset) -> bytes:
    """The result as a NetCDF-4 file (h5netcdf), as `python -m model run --out` writes it."""
    return bytes(ds.to_netcdf(engine="h5netcdf"))
