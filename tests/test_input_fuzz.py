"""Fuzz the readers of user files: random YAML documents (nested values, shared values written as anchors and
aliases, scenario- and sweep-shaped documents, YAML-like token soup) and random bytes, fed to the scenario and
sweep readers. Each must give a valid Scenario / Sweep or raise the project's input error, quickly and without
growing memory; any other exception is a bug."""

import datetime as dt
import resource
import warnings

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import ModelInputError, ModelInputWarning
from model.scenario import Scenario, scenario_from_text
from model.sweep.spec import Sweep, sweep_from_text

EXAMPLES = 200
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
MAX_GROWTH_KB = 200_000  # peak resident memory a fuzz test may add (an expanded alias bomb would need gigabytes)
PATHS = ("old_age_allowance.amount.age_60_69", "ssf_s33.contribution_rate.employee", "ssf_s33.pension.age",
         "old_age_allowance.income_test.enabled", "child_support_grant.max_age", "no.such.path")
FIELDS = ("name", "description", "base", "scale", "seed", "years", "parameters", "macro", "demography", "financing")

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70), st.floats(),
    st.text(max_size=12), st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["2025-13-01", "2025-02-30", "1e38"]),
)
keys = st.one_of(st.text(max_size=8), st.integers(-5, 3000), st.dates(), st.sampled_from(FIELDS + PATHS))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=25)


@st.composite
def shared(draw: st.DrawFn) -> object:
    """A value holding one sub-value several times: safe_dump writes it as an anchor and aliases."""
    part = draw(st.lists(values, min_size=1, max_size=3) | st.dictionaries(keys, values, min_size=1, max_size=3))
    return {draw(keys): [part] * draw(st.integers(2, 5)), "name": draw(st.sampled_from(["s", part]))}


def scenario_like() -> st.SearchStrategy[dict]:
    dated = st.dictionaries(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)) | st.text(max_size=10), scalars,
                            min_size=1, max_size=3)
    return st.fixed_dictionaries({"name": st.sampled_from(["fuzz", ""]) | st.text(max_size=5)}, optional={
        "base": st.sampled_from(["baseline", "low_growth", "../secret", "no_such"]),
        "scale": scalars, "seed": scalars, "years": st.dictionaries(st.sampled_from(["start", "end"]), scalars),
        "parameters": st.dictionaries(st.sampled_from(PATHS) | st.text(max_size=8), dated, max_size=3),
        "macro": st.dictionaries(st.sampled_from(["real_growth", "inflation", "gdp"]) | st.text(max_size=5),
                                 scalars | st.dictionaries(st.integers(2000, 2120) | st.text(max_size=4), scalars)),
        "demography": st.dictionaries(st.sampled_from(["fertility_multiplier", "x"]), scalars),
    })


def sweep_like() -> st.SearchStrategy[dict]:
    factor = st.fixed_dictionaries({}, optional={
        "values": st.lists(scalars, max_size=3), "low": scalars, "high": scalars, "levels": scalars,
        "from": st.dates(dt.date(2020, 1, 1), dt.date(2040, 1, 1)) | scalars, "integer": st.booleans()})
    design = st.fixed_dictionaries({"kind": st.sampled_from(["grid", "lhs", "sobol", "oat", "x"])}, optional={
        "samples": st.integers(-1, 64), "parameters": st.dictionaries(st.sampled_from(PATHS), factor, max_size=2),
        "macro": st.dictionaries(st.sampled_from(["real_growth", "gdp"]), factor, max_size=1),
        "demography": st.dictionaries(st.sampled_from(["fertility_multiplier", "y"]), factor, max_size=1)})
    return st.fixed_dictionaries({"name": st.sampled_from(["fuzz", "bad name!"]),
                                  "outputs": st.lists(st.sampled_from(["total_population_2030", "ssf_depletion_year",
                                                                       "nope"]), min_size=1, max_size=2)},
                                 optional={"end_year": st.integers(2020, 2040), "draws": st.integers(0, 4),
                                           "design": design, "scenario": st.sampled_from(["baseline", "nope.yaml"])})


TOKENS = ["&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ": ", ", ", "- ", "\n", "  ", "? ", "<<: ", "!!python/name:os ",
          "!!binary ", "!!set ", "'", '"', "#", "---\n", "...\n", "name", "parameters", "macro",
          "old_age_allowance.amount.age_60_69", "2025-10-01", "2025-13-01", "-600", "1.0e+300", ".inf", "9" * 40,
          "\ufeff", "é", "\t", "%YAML 1.1\n", "|\n", ">-\n", "\x00", "\\u0000"]
token_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=40).map("".join)


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=None)


documents = st.one_of(values.map(dump), shared().map(dump), scenario_like().map(dump), token_soup)


def check(read, data: str | bytes, kind: type) -> None:
    """`read(data)` gives a valid object of `kind` or raises ModelInputError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelInputWarning)
        try:
            result = read(data)
        except ModelInputError as error:
            message = str(error)
            assert message.startswith("fuzz: ") or "scenario" in message, message
            assert len(message) < 2000, message[:200]
        else:
            assert isinstance(result, kind)


@pytest.fixture(scope="module", autouse=True)
def memory_bound():
    """Warm the caches (parameter tree, macro file), then bound the peak memory the fuzzing adds."""
    scenario_from_text("name: warm\nbase: baseline\n", "fuzz")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < MAX_GROWTH_KB


def read_scenario(data: str | bytes) -> Scenario:
    return scenario_from_text(data, "fuzz")


def read_sweep(data: str | bytes) -> Sweep:
    return sweep_from_text(data, "fuzz")


@FUZZ
@given(documents)
def test_scenario_reader_on_random_yaml(text: str) -> None:
    check(read_scenario, text, Scenario)


@FUZZ
@given(st.one_of(documents, sweep_like().map(dump), shared().map(dump)))
def test_sweep_reader_on_random_yaml(text: str) -> None:
    check(read_sweep, text, Sweep)


@FUZZ
@given(st.binary(max_size=400) | documents.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_readers_on_random_bytes(data: bytes) -> None:
    check(read_scenario, data, Scenario)
    check(read_sweep, data, Sweep)


@settings(max_examples=40, deadline=2000, derandomize=True)
@given(st.integers(2, 12), st.integers(2, 12), st.sampled_from(["laughs", "name", "description", "macro"]))
def test_alias_bombs_fail_fast(width: int, depth: int, where: str) -> None:
    bomb = "&l0 [" + ", ".join(["lol"] * width) + "]"
    for i in range(1, depth + 1):  # width**(depth + 1) strings once expanded
        bomb = f"&l{i} [{bomb}, " + ", ".join([f"*l{i - 1}"] * (width - 1)) + "]"
    text = f"name: {bomb}\n" if where == "name" else f"name: t\n{where}: {{x: [{bomb}, *l{depth}]}}\n"
    for read in (read_scenario, read_sweep):
        with pytest.raises(ModelInputError, match=r"YAML aliases \(\*name\) are not accepted"):
            read(text)
