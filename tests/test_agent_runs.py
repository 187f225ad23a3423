"""Runs that differ only in what the fiscal layer alone reads (financing, an interest rate, a revenue share) have the
same agent model results (model.api.agent_run): the agent model reads only the macro series AGENT_SERIES, which
the overrides FISCAL_ONLY_OVERRIDES never move, and a process that remembers paths takes such a run's results from
the run it remembers, with the same answer to the last bit as a run of its own."""

import numpy as np
import pytest

import model.api
from model.api import agent_key, resolve, run, simulate
from model.fiscal import persons_year
from model.fiscal.macro import AGENT_SERIES, FISCAL_ONLY_OVERRIDES, OVERRIDABLE, SERIES_META, load_macro
from model.population import remembered_path

SCALE, SEED, END = 2000, 11, 2033  # past the framework's horizon (2030): the macro path follows employment
FISCAL = {"interest_rate": 0.05, "ssf_investment_return": 0.01, "principal_repayment_budget_share": 0.08,
          "revenue_pct_gdp": 17.0, "appropriation_budget_pct_gdp": 20.0, "baseline_deficit_pct_gdp": 2.0,
          "other_primary_spending_pct_gdp": 12.0}  # a value for each override of the fiscal layer alone
EMPLOYMENT = {year: 39e6 * (1 - 0.004 * (year - 2023)) for year in range(2023, 2060)}


def _agent_series(macro) -> list[np.ndarray]:
    return [getattr(macro, name) for name in AGENT_SERIES]


def _identical(a, b) -> bool:
    return sorted(a.variables) == sorted(b.variables) and all(
        np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f") for v in a.variables)


@pytest.fixture
def remembering():
    remembered_path.remember_paths()
    yield
    remembered_path.remember_paths(False)


def test_every_fiscal_override_is_named_and_moves_no_series_the_agent_model_reads():
    assert set(FISCAL) == FISCAL_ONLY_OVERRIDES and FISCAL_ONLY_OVERRIDES < set(OVERRIDABLE)
    for employment in (None, EMPLOYMENT):
        plain = load_macro({}, employment=employment)
        for name, value in FISCAL.items():
            moved = load_macro({name: value}, employment=employment)
            assert all(np.array_equal(a, b) for a, b in zip(_agent_series(plain), _agent_series(moved))), name
            assert any(not np.array_equal(getattr(plain, s), getattr(moved, s), equal_nan=True)
                       for s in SERIES_META), name  # it does move the fiscal layer's series
    for name in set(OVERRIDABLE) - FISCAL_ONLY_OVERRIDES:  # every other override moves what the agent model reads
        moved = load_macro({name: 0.07}, employment=EMPLOYMENT)
        assert any(not np.array_equal(a, b) for a, b in zip(_agent_series(load_macro({}, employment=EMPLOYMENT)),
                                                            _agent_series(moved))), name


def test_the_fiscal_layer_reads_the_path_the_run_ended_with():
    scenario = resolve("baseline", scale=SCALE, seed=SEED, end_year=END).replaced(macro={"inflation": 0.03})
    ds, stepped = simulate(scenario)
    agent = model.api.agent_run_of(ds, stepped)
    for name in SERIES_META:
        np.testing.assert_array_equal(getattr(agent.macro(scenario), name), getattr(stepped.macro, name), name)


def test_the_agent_model_reads_nothing_of_the_fiscal_overrides_or_the_financing():
    base = resolve("baseline", scale=SCALE, seed=SEED, end_year=END)
    fiscal = base.replaced(macro=FISCAL).model_copy(
        update={"financing": base.financing.model_copy(update={"offsetting_revenue_pct_gdp": 0.5})})
    assert agent_key(fiscal) == agent_key(base) and model.api.run_id(fiscal) != model.api.run_id(base)
    assert agent_key(base.replaced(macro={"inflation": 0.03})) != agent_key(base)
    ds_base, ds_fiscal = simulate(base)[0], simulate(fiscal)[0]
    assert _identical(ds_base.drop_attrs(), ds_fiscal.drop_attrs())


def test_a_remembering_process_reuses_the_agent_run_with_the_same_answer(monkeypatch, remembering):
    base = resolve("baseline", scale=SCALE, seed=SEED + 1, end_year=END)
    higher_rates = base.replaced(name="higher rates", macro={"interest_rate": 0.06})
    run(base)
    calls: list[str] = []
    real = model.api.simulate
    monkeypatch.setattr(model.api, "simulate", lambda s, *a, **k: calls.append(s.name) or real(s, *a, **k))
    reused = run(higher_rates)
    assert calls == [] and reused.attrs["scenario"] == "higher rates"
    with persons_year.capture(2025) as captured:  # person frames are wanted: the run is made
        run(higher_rates)
    assert calls == ["higher rates"] and captured.persons is not None
    remembered_path.remember_paths(False)
    fresh = run(higher_rates)
    assert _identical(reused, fresh)
    assert not np.array_equal(reused["interest"].values, run(base)["interest"].values)


def test_a_reform_shifted_in_the_fiscal_layer_alone_needs_no_new_current_law_run(monkeypatch):
    reform = resolve("oaa_flat_1000", scale=SCALE, seed=SEED + 2, end_year=END)
    shifted = reform.replaced(name="shifted", macro={"interest_rate": 0.06})
    run(reform)  # current law, then the reform
    calls: list[str] = []
    real = model.api.simulate
    monkeypatch.setattr(model.api, "simulate", lambda s, *a, **k: calls.append(s.name) or real(s, *a, **k))
    first = run(shifted)
    assert calls == ["shifted"]  # its current law's cost is that of the reform's current law
    model.api._CURRENT_LAW_COST.clear()
    again = run(shifted)
    assert calls == ["shifted", "shifted", "current law"] and _identical(first, again)
