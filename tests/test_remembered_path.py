"""The population path remembered per process (model/population/remembered_path.py): a reform of what the schemes
pay replays current law's path and its results are bit for bit those of a run that ages its own population; a
reform of anything the population's changes read (SSF pension age, the macro path, demography, seed) ages its own."""

import hashlib
from datetime import date

import numpy as np
import pytest

from model.api import resolve, run
from model.parameters import ParameterTree
from model.population import base_year, remembered_path
from model.population.base_year import EVERYTHING, RecordingTree, arrays_in
from model.simulation import SocialSecurityModel

SCALE, SEED, END = 2000, 5, 2030
FY2026 = date(2025, 10, 1)

REPLAYED = {
    "old-age allowance amount": {"old_age_allowance.amount.age_60_69": {FY2026: 1000.0}},
    "universal child support grant": {"child_support_grant.universal": {FY2026: True}},
    "welfare card credit": {"welfare_card.goods_credit.standard": {FY2026: 500.0}},
    "health cost growth": {"common.health_excess_cost_growth": {date(2026, 10, 1): 0.03}},
    "old-age allowance income test": {"old_age_allowance.income_test.enabled": {FY2026: True}},
    "SSF contribution rate": {"ssf_s33.contribution_rate.employee": {date(2026, 1, 1): 0.06}},
}
AGED = {
    "SSF pension age": {"ssf_s33.pension.age": {date(2026, 1, 1): 60}},
    "SSF wage ceiling": {"ssf_s33.wage_ceiling": {date(2026, 1, 1): 20000.0}},
}


@pytest.fixture
def remembering():
    """This process remembers current-law paths for the test, and forgets them after."""
    remembered_path.remember_paths()
    yield
    remembered_path.remember_paths(False)


def _equal(a, b) -> bool:
    """Every result variable of two results holds the same bytes."""
    return sorted(a.data_vars) == sorted(b.data_vars) and all(
        a[v].dtype == b[v].dtype and np.ascontiguousarray(a[v].values).tobytes()
        == np.ascontiguousarray(b[v].values).tobytes() for v in a.data_vars)


def _scenario(parameters=None, **changes):
    scenario = resolve("baseline", scale=SCALE, seed=SEED, end_year=END)
    return scenario.replaced(parameters=parameters or {}, **changes) if parameters or changes else scenario


def _stepped(scenario) -> SocialSecurityModel:
    model = SocialSecurityModel(scenario)
    for _ in range(scenario.years.end - scenario.years.start + 1):
        model.step()
    return model


def _digest(path: remembered_path.PopulationPath) -> str:
    """A hash of every array the path's populations hold."""
    h = hashlib.blake2b(digest_size=16)
    for year in sorted(path.states):
        arrays: list[np.ndarray] = []
        arrays_in(vars(path.states[year]), arrays)
        for a in arrays:
            h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def fresh():
    """Each scenario's result from a process that remembers no path (every run ages its own population)."""
    remembered_path.remember_paths(False)
    return {name: run(_scenario(parameters)) for name, parameters in {"law": {}, **REPLAYED, **AGED}.items()}


def test_a_reform_of_what_the_schemes_pay_replays_current_law_bit_for_bit(fresh, remembering):
    law = _stepped(_scenario())
    assert law.path is None and law.recorder is not None  # current law: aged, its path recorded
    (kept,) = remembered_path._PATHS.values()
    assert sorted(kept.states) == list(range(2023, END + 2)) and sorted(kept.records) == list(range(2023, END + 1))
    assert "health_base.universal_coverage" in kept.carried  # a table the schemes keep from year to year
    before = _digest(kept)
    assert _equal(run(_scenario()), fresh["law"])
    for name, parameters in REPLAYED.items():
        model = _stepped(_scenario(parameters))
        assert model.path is kept, name
        assert "people" not in model.timings and "demography" not in model.timings, name
        assert _equal(run(_scenario(parameters)), fresh[name]), name
    assert _digest(kept) == before  # replays never write into the remembered populations


def _columns_digest(persons) -> str:
    """A hash of a population's rows: every column's values for its rows."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(persons.columns):
        h.update(name.encode() + np.ascontiguousarray(persons.columns[name]).tobytes())
    return h.hexdigest()


@pytest.mark.parametrize("n_threads", [1, 2])
def test_the_remembered_populations_are_those_the_run_had(monkeypatch, remembering, n_threads):
    # with several threads the columns are copied on a thread of their own while the next year's schemes run
    monkeypatch.setenv("MODEL_THREADS", str(n_threads))
    model = SocialSecurityModel(_scenario())
    had = {model.year: _columns_digest(model.persons)}
    for _ in range(END - 2023 + 1):
        model.step()
        had[model.year] = _columns_digest(model.persons)
    (kept,) = remembered_path._PATHS.values()
    assert {year: _columns_digest(state) for year, state in kept.states.items()} == had


def test_a_reform_of_what_the_population_reads_ages_its_own(fresh, remembering):
    _stepped(_scenario())
    for name, parameters in AGED.items():
        model = _stepped(_scenario(parameters))
        assert model.path is None and model.recorder is None, name  # neither replayed nor recorded (a reform)
        assert _equal(run(_scenario(parameters)), fresh[name]), name
    for changes in ({"seed": SEED + 1}, {"scale": 2 * SCALE}):
        assert _stepped(_scenario(**changes)).path is None
    macro = _scenario().replaced(macro={"inflation": {2026: 0.05}})
    assert SocialSecurityModel(macro).path is None
    fewer_births = _scenario().model_copy(
        update={"demography": _scenario().demography.model_copy(update={"fertility_multiplier": 0.9})})
    assert SocialSecurityModel(fewer_births).path is None


def test_a_run_past_the_path_replays_its_years_then_ages_its_own(remembering):
    _stepped(_scenario())
    parameters = REPLAYED["old-age allowance amount"]
    longer = _scenario(parameters).replaced(end_year=END + 3)
    model = _stepped(longer)
    assert model.path is not None
    remembered_path.remember_paths(False)
    assert _equal(model.results(), _stepped(longer).results())


def test_nothing_is_kept_past_the_memory_bound(monkeypatch, remembering):
    one_year = base_year.nbytes(SocialSecurityModel(_scenario()).persons)
    monkeypatch.setattr(remembered_path, "MAX_PATH_BYTES", 3 * one_year)  # a few years' populations, not all
    model = SocialSecurityModel(_scenario())
    assert model.recorder is not None and model.recorder.states is None  # not even the first year is copied
    _stepped(_scenario())
    assert remembered_path._PATHS.values() == []
    assert SocialSecurityModel(_scenario(REPLAYED["old-age allowance amount"])).path is None


def test_the_recording_tree_records_uprated_reads_and_refuses_the_macro_indices():
    base_year.forget()
    tree = RecordingTree.of(ParameterTree.load())
    values = tree.uprated_monthly("old_age_allowance.amount.age_60_69", 2030)
    assert ("uprated", "old_age_allowance.amount.age_60_69", 2030) in tree.reads and EVERYTHING not in tree.reads
    recorded = dict(base_year.read_values(ParameterTree.load(), frozenset(tree.reads)))
    assert recorded[("uprated", "old_age_allowance.amount.age_60_69", 2030)] == (values.dtype.str,
                                                                                   tuple(values.tolist()))
    tree.uprated_monthly("old_age_allowance.amount.age_60_69", 2030, {"cpi": {2023: 1.0}})
    assert EVERYTHING in tree.reads


def test_paths_are_remembered_within_the_block_only():
    assert not remembered_path.remembering()
    with remembered_path.paths_remembered():
        assert remembered_path.remembering()
        _stepped(_scenario())
        assert len(remembered_path._PATHS.values()) == 1
    assert not remembered_path.remembering() and remembered_path._PATHS.values() == []


def test_a_reform_runs_after_its_current_law_and_its_persons_are_the_ones_captured(remembering):
    from model.fiscal.persons_year import capture

    reform = _scenario(REPLAYED["old-age allowance amount"]).replaced(seed=SEED + 7)  # current law not yet run
    with capture(2027) as replayed:
        result = run(reform)
    assert len(remembered_path._PATHS.values()) == 1  # current law ran first and recorded its path
    remembered_path.remember_paths(False)
    with capture(2027) as aged:
        fresh = run(reform)
    assert _equal(result, fresh)
    assert replayed.persons.equals(aged.persons)


def test_a_forgotten_current_law_is_run_again_first_when_the_reform_would_replay_it(monkeypatch, remembering):
    import model.api

    law = _scenario().replaced(seed=SEED + 3)
    run(law)
    run(law.replaced(macro={"inflation": 0.03}))  # its current-law path replaces the first one
    calls: list[str] = []
    real = model.api.simulate
    monkeypatch.setattr(model.api, "simulate", lambda s, *a, **k: calls.append(s.name) or real(s, *a, **k))
    reform = law.replaced(name="reform", parameters=REPLAYED["old-age allowance amount"])
    result = run(reform)
    assert calls == ["current law", "reform"]  # current law again, so that the reform and the next replay it
    assert SocialSecurityModel(reform).path is not None
    aged = law.replaced(name="aged", parameters=AGED["SSF pension age"])
    run(law.replaced(seed=SEED + 4))  # a path of another seed replaces current law's again
    calls.clear()
    run(aged)
    assert calls == ["aged"]  # a reform that would not replay current law's path does not wait for it
    run(reform.replaced(name="the same reform"))
    assert calls == ["aged"]  # nor one whose own agent run is remembered
    remembered_path.remember_paths(False)
    assert _equal(result, run(reform))


def test_a_path_serves_runs_that_differ_only_in_the_fiscal_layer(remembering):
    _stepped(_scenario())
    dearer = _scenario(REPLAYED["old-age allowance amount"]).replaced(macro={"interest_rate": 0.06})
    assert SocialSecurityModel(dearer).path is not None
