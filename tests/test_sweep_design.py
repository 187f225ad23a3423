"""Sweep designs and the run plan: sizes, structure, reproducibility, overrides merged with the scenario's."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from model.scenario import scenario_from_text
from model.sweep.design import CENTRE, apply, build_design, draw_values, plan, run_id
from model.sweep.spec import load_sweep, sweep_from_text

SWEEPS = Path(__file__).resolve().parent.parent / "sweeps"
OAA = "old_age_allowance.amount.age_60_69"


def sweep(design: str, *, draws: int = 1, extra: str = "") -> object:
    return sweep_from_text(f"name: t\nscale: 5000\nend_year: 2026\ndraws: {draws}\n"
                           f"outputs: [total_population_2026]\ndesign:\n{design}{extra}")


def test_example_sweep_files_validate():
    files = sorted(SWEEPS.glob("*.yaml"))
    assert len(files) >= 3
    kinds = {load_sweep(f).spec.design.kind for f in files}
    assert {"grid", "lhs", "sobol"} <= kinds


def test_grid_is_the_product_in_file_order():
    s = sweep(f"  kind: grid\n  parameters:\n    {OAA}: {{values: [600, 800], from: 2025-10-01}}\n"
              "  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2, levels: 3}\n")
    d = build_design(s)
    assert d.labels == (OAA, "demography.fertility_multiplier")
    assert d.points == ((600, 0.8), (600, 1.0), (600, 1.2), (800, 0.8), (800, 1.0), (800, 1.2))


def test_no_design_is_one_point():
    s = sweep_from_text("name: t\noutputs: [total_population_2037]\n")
    assert build_design(s).points == ((),) and len(plan(s, build_design(s))) == 1


def test_latin_hypercube_is_stratified_and_reproducible():
    text = ("  kind: lhs\n  samples: 10\n  sample_seed: 3\n  demography:\n"
            "    fertility_multiplier: {low: 0.5, high: 1.5}\n    mortality_multiplier: {low: 0.5, high: 1.5}\n")
    points = np.array(build_design(sweep(text)).points)
    assert points.shape == (10, 2)
    for column in points.T:  # one sample in each tenth of the range
        assert sorted(np.floor((column - 0.5) * 10).astype(int)) == list(range(10))
    assert build_design(sweep(text)).points == build_design(sweep(text)).points


def test_saltelli_size_and_integer_rounding():
    text = (f"  kind: sobol\n  samples: 8\n  parameters:\n    {OAA}: {{low: 600, high: 1200, from: 2025-10-01, "
            "integer: true}\n  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n")
    d = build_design(sweep(text))
    assert len(d.points) == 8 * (2 + 2)
    assert all(isinstance(p[0], int) and 600 <= p[0] <= 1200 for p in d.points)
    second = build_design(sweep(text.replace("samples: 8", "samples: 8\n  second_order: true")))
    assert len(second.points) == 8 * (2 * 2 + 2)


def test_one_at_a_time_moves_one_factor_from_the_centre():
    text = ("  kind: oat\n  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2}\n"
            "    mortality_multiplier: {low: 0.9, high: 1.3, base: 1.0}\n")
    assert build_design(sweep(text)).points == ((1.0, 1.0), (0.8, 1.0), (1.2, 1.0), (1.0, 0.9), (1.0, 1.3))


def test_draws_have_consecutive_seeds_and_shared_uncertain_values():
    text = "  kind: grid\n  demography:\n    fertility_multiplier: {values: [0.9, 1.1]}\n"
    extra = ("uncertainty:\n  macro:\n    real_growth: {apply: replace, low: 0.01, high: 0.03}\n"
             "  demography:\n    mortality_multiplier: {values: [0.9, 1.0, 1.1]}\n")
    s = sweep(text, draws=4, extra=extra)
    runs = plan(s, build_design(s))
    assert [(r.point, r.draw) for r in runs] == [(p, k) for p in range(2) for k in (0, 1, 2, 3, CENTRE)]
    assert [r.scenario.seed for r in runs[:5]] == [20230701 + k for k in range(4)] + [20230701]
    variants = draw_values(s)
    assert [v[1] for v in variants] == [0.9, 1.0, 1.1, 0.9]
    assert all(0.01 <= v[0] <= 0.03 for v in variants)
    for p in range(2):  # the same variant of draw k at every point; the centre run has none
        assert runs[5 * p + 2].scenario.macro == {"real_growth": dict.fromkeys(range(2024, 2027), variants[2][0])}
        assert runs[5 * p + 2].scenario.demography.mortality_multiplier == 1.1
        assert runs[5 * p + 4].scenario.macro == {} and runs[5 * p + 4].scenario.demography.mortality_multiplier == 1
    assert len({r.run_id for r in runs}) == len(runs)


def test_overrides_merge_with_the_scenario_own():
    base = scenario_from_text(f"name: r\nbase: baseline\nparameters:\n  {OAA}: {{2024-01-01: 700}}\n"
                              "macro: {inflation: 0.02}\n")
    s = sweep(f"  kind: grid\n  parameters:\n    {OAA}: {{values: [900], from: 2025-10-01}}\n"
              "  macro:\n    real_growth: {apply: replace, values: [0.02]}\n")
    scenario = apply(base, s.factors, build_design(s).points[0])
    assert scenario.parameters[OAA] == {dt.date(2024, 1, 1): 700, dt.date(2025, 10, 1): 900}
    assert scenario.macro == {"inflation": 0.02, "real_growth": dict.fromkeys(range(2024, 2038), 0.02)}
    assert base.parameters[OAA] == {dt.date(2024, 1, 1): 700}


def test_run_ids_follow_the_results_not_the_name():
    base = scenario_from_text("name: a\nbase: baseline\n")
    assert run_id(base) == run_id(base.replaced(name="b", description="other"))
    assert run_id(base) != run_id(base.replaced(seed=base.seed + 1))
    assert run_id(base) != run_id(base.replaced(scale=base.scale * 2))


def test_identical_points_share_one_run():
    text = "  kind: oat\n  demography:\n    fertility_multiplier: {low: 0.8, high: 1.2, base: 0.8}\n"
    runs = plan(sweep(text), build_design(sweep(text)))
    assert runs[0].run_id == runs[1].run_id and runs[0].run_id != runs[2].run_id


@pytest.mark.parametrize("kind, size", [("grid", 4), ("lhs", 7), ("sobol", 16), ("oat", 5)])
def test_plan_size_is_points_times_draws(kind, size):
    ranges = {"grid": "{values: [0.9, 1.1]}", "lhs": "{low: 0.9, high: 1.1}"}
    r = ranges["grid" if kind == "grid" else "lhs"]
    samples = {"lhs": "  samples: 7\n", "sobol": "  samples: 4\n"}.get(kind, "")
    s = sweep(f"  kind: {kind}\n{samples}  demography:\n    fertility_multiplier: {r}\n"
              f"    mortality_multiplier: {r}\n", draws=2)
    assert len(build_design(s).points) == size
    assert len(plan(s, build_design(s))) == 2 * size
    uncertain = sweep(f"  kind: {kind}\n{samples}  demography:\n    fertility_multiplier: {r}\n", draws=2,
                      extra="uncertainty:\n  demography:\n    mortality_multiplier: {low: 0.9, high: 1.1}\n")
    points = len(build_design(uncertain).points)
    assert len(plan(uncertain, build_design(uncertain))) == 3 * points  # two draws and the centre run per point
