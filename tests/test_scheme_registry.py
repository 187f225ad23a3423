"""The scheme registry: every declared scheme is complete (labels, parameters, worked cases), its dependencies are
computed first, and every list other modules use follows the declarations."""

import re
from pathlib import Path

import pytest

from model.app.labels import LABELS
from model.parameters import ParameterTree
from model.fiscal import budget
from model.schemes import registry
from model.schemes.declaration import FINANCING, FUNDS, KINDS, Scheme
from model.validation.backtest import AGGREGATES

PARAMETERS = Path(registry.__file__).with_name("parameters")
CASES = Path(__file__).with_name("cases")
THAI = re.compile(r"[\u0E00-\u0E7F]")
DECLARATIONS = list(registry.DECLARATIONS.values())
TREE = ParameterTree.load()


@pytest.mark.parametrize("scheme", DECLARATIONS, ids=lambda s: s.name)
def test_every_scheme_is_complete(scheme: Scheme) -> None:
    module = registry.SCHEME_MODULES[scheme.name]
    assert module.__name__.rsplit(".", 1)[-1] == scheme.name, "a scheme's module is named after it"
    assert callable(module.compute)
    assert scheme.label_en.strip() and not THAI.search(scheme.label_en)
    assert THAI.search(scheme.label_th), "the Thai label is in Thai"
    assert scheme.financing in FINANCING and scheme.kind in KINDS
    assert scheme.fund is None or scheme.fund in FUNDS
    assert (PARAMETERS / scheme.name / "index.yaml").is_file(), "a parameter folder with an index.yaml"
    assert (CASES / f"{scheme.name}.yaml").is_file(), "worked cases in tests/cases/<name>.yaml"


def test_every_cases_file_and_parameter_folder_belongs_to_a_scheme() -> None:
    assert {p.stem for p in CASES.glob("*.yaml")} == set(registry.SCHEMES)
    assert {p.name for p in PARAMETERS.iterdir() if p.is_dir()} == {*registry.SCHEMES, "common"}


def test_run_order_computes_dependencies_first() -> None:
    order = registry.RUN_ORDER
    assert sorted(order) == sorted(registry.SCHEMES)
    for scheme in DECLARATIONS:
        for dependency in scheme.depends_on:
            assert dependency in registry.DECLARATIONS
            assert order.index(dependency) < order.index(scheme.name), (scheme.name, dependency)


def test_compute_order_computes_dependencies_first_and_the_health_and_insurance_schemes_first() -> None:
    order = registry.COMPUTE_ORDER
    assert sorted(order) == sorted(registry.SCHEMES)
    for scheme in DECLARATIONS:
        for dependency in scheme.depends_on:
            assert order.index(dependency) < order.index(scheme.name), (scheme.name, dependency)
    kinds = [registry.DECLARATIONS[name].kind for name in order]
    health, insurance = kinds.count("health"), kinds.count("social_insurance")
    assert health and insurance
    assert kinds[:health + insurance] == ["health"] * health + ["social_insurance"] * insurance


def test_run_order_is_stable_and_rejects_cycles() -> None:
    a = Scheme("a", 10, "A", "ก", "budget", "allowance", depends_on=("b",))
    b = Scheme("b", 20, "B", "ข", "budget", "allowance")
    c = Scheme("c", 30, "C", "ค", "budget", "allowance")
    assert registry.run_order({"a": a, "b": b, "c": c}) == ("b", "a", "c")
    loop = Scheme("b", 20, "B", "ข", "budget", "allowance", depends_on=("a",))
    with pytest.raises(ValueError, match="cycle"):
        registry.run_order({"a": a, "b": loop})


def test_take_up_draws_are_distinct() -> None:
    draws = [s.take_up for s in DECLARATIONS if s.take_up is not None]
    assert len(draws) == len(set(draws))
    offsets = [s.take_up_offset for s in DECLARATIONS if s.take_up is not None]
    assert all(0 < o < 1 for o in offsets) and len(set(offsets)) == len(offsets)


@pytest.mark.parametrize("fields, problem", [
    ({"financing": "tax"}, "financing"),
    ({"kind": "cash"}, "kind"),
    ({"financing": "budget_and_fund"}, "fund"),
    ({"fund": "ssf"}, "fund"),
    ({"financing": "fund", "fund": "pension"}, "fund"),
    ({"label_th": " "}, "label"),
    ({"take_up": 0}, "take_up"),
    ({"depends_on": ["x"]}, "depends_on"),
    ({"order": 1.5}, "order"),
])
def test_an_incomplete_declaration_is_refused(fields: dict, problem: str) -> None:
    good = {"name": "x_scheme", "order": 999, "label_en": "X", "label_th": "เอ็กซ์", "financing": "budget", "kind": "allowance"}
    with pytest.raises(ValueError, match=problem):
        Scheme(**{**good, **fields})


def test_budget_lists_follow_the_declarations() -> None:
    for scheme in DECLARATIONS:
        assert (scheme.name in budget.TAX_FINANCED_SCHEMES) is (scheme.financing == "budget"), scheme.name
        assert (scheme.name in budget.GOVERNMENT_CONTRIBUTION_SCHEMES) is (scheme.financing == "budget_and_fund")
        assert (scheme.name in budget.SSF_SCHEMES) is (scheme.fund == "ssf"), scheme.name
    # every scheme counts in government cost in exactly one way, unless a fund alone pays it
    counted = [*budget.TAX_FINANCED_SCHEMES, *budget.GOVERNMENT_CONTRIBUTION_SCHEMES]
    assert sorted(counted) == sorted(s.name for s in DECLARATIONS if s.financing != "fund")


def test_other_lists_follow_the_declarations() -> None:
    assert registry.HEALTH_SCHEMES == tuple(s.name for s in DECLARATIONS if s.kind == "health")
    assert AGGREGATES["ssf"] == budget.SSF_SCHEMES
    assert AGGREGATES["cash_allowances"] == tuple(s.name for s in DECLARATIONS if s.kind == "allowance")
    for scheme in DECLARATIONS:
        assert LABELS[f"scheme.{scheme.name}"] == (scheme.label_en, scheme.label_th)


def test_every_scheme_module_is_found_by_its_declaration() -> None:
    # The registry names no scheme: each module of model/schemes with a SCHEME declaration is a scheme, in the
    # declared order, and it shares its name with its module.
    found = [module.__name__.rsplit(".", 1)[1] for module in registry._scheme_modules()]
    assert found == list(registry.SCHEMES)
    assert [registry.DECLARATIONS[name].order for name in found] == sorted(s.order for s in DECLARATIONS)
    assert "registry" not in found and "base" not in found


@pytest.mark.parametrize("scheme", DECLARATIONS, ids=lambda s: s.name)
def test_parameter_folder_is_labelled_as_its_scheme(scheme: Scheme) -> None:
    node = TREE.node(scheme.name)
    assert (node.label_en, node.label_th) == (scheme.label_en, scheme.label_th)
