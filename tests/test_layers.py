"""Clean layering: each module of the package imports only from its own layer or the layers below it (imports
inside functions included), so that, for example, nothing below `model.api` runs whole simulations and
`model.sweep` does not need the command line."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "model"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("model.errors", "model.paths", "model.yaml_files", "model.io", "model.remembered", "model.allocator",
     "model.threads", "model.compiled", "model.interrupts",
     "model.version", "model.schema", "model.sources", "model.distributions"),
    ("model.parameters",),
    ("model.population",),
    ("model.schemes",),
    ("model.fiscal",),
    ("model.scenario",),
    ("model.results",),
    ("model.simulation",),
    ("model.identity",),
    ("model.api",),
    ("model.outputs", "model.summary"),
    ("model.compare", "model.compare_tables", "model.compare_format", "model.validation", "model.solvers",
     "model.sweep", "model.actuarial_report", "model.microdata", "model.household_calculator"),
    ("model.app", "model.report"),
    ("model.cli", "model.__main__"),
    ("model",),
)
"""Lowest first. A name covers the module and everything under it; the longest matching name decides."""


def layer(module: str) -> int:
    """The layer of a module of the package (its position in LAYERS)."""
    matches = [(len(name), i) for i, names in enumerate(LAYERS) for name in names
               if module == name or module.startswith(name + ".")]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches)[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The package's modules that `path` imports, at any depth of its code (`from . import x` counts as the
    module x when x is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "model")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "model":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*sub.split(".")) / "__init__.py").exists()
                found.add(sub if is_module else target)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_module_imports_from_a_layer_above_its_own(path):
    own = layer(module_name(path))
    upward = sorted(m for m in imports(path) if layer(m) > own)
    assert not upward, f"{module_name(path)} (layer {own}) imports from above: {upward}"


def test_layers_order_the_package_from_inputs_to_the_command_line():
    assert layer("model.population.income") < layer("model.api") < layer("model.cli")
    assert layer("model.fiscal.macro") == layer("model.fiscal")
