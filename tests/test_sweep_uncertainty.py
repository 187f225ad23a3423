"""Sweep designs around the path: macro shifts and multipliers of the scenario's own path, linked factors,
distributions and correlated draws, parameter files' documented uncertainty, bands that need enough draws, breach
probabilities, censored-year distributions, Sobol indices of constant outputs and their ranking, tornado
intervals, and exports that keep labels and units. No model runs: results are built by hand."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import xarray as xr
from hypothesis import given, settings, strategies as st

from model.distributions import correlated
from model.fiscal.macro import load_macro
from model.identity import run_id
from model.parameters import ParameterTree
from model.scenario import load_scenario
from model.sweep.design import CENTRE, build_design, draw_values, plan
from model.sweep.export import export, stata_names
from model.sweep.sensitivity import ranking, sobol_indices, tornado
from model.sweep.spec import sweep_from_text
from model.sweep.uncertainty import (add_bands, add_breach_probabilities, add_censored_distributions, breaches,
                                     min_draws)

BANDS = [f"old_age_allowance.amount.{b}" for b in ("age_60_69", "age_70_79", "age_80_89", "age_90_plus")]
HEAD = "name: t\nscale: 5000\nend_year: 2030\noutputs: [total_cost_pct_gdp_2030, ssf_depletion_year]\n"


def sweep(body: str, draws: int = 1):
    return sweep_from_text(f"{HEAD}draws: {draws}\n{body}")


def test_a_macro_shift_moves_the_scenario_path_and_zero_is_the_scenario_itself():
    s = sweep("design:\n  kind: oat\n  macro:\n    real_growth: {apply: shift, low: -0.01, high: 0.01, from: 2027}\n")
    runs = plan(s, build_design(s))
    base = load_scenario("baseline").replaced(scale=5000, end_year=2030)
    assert runs[0].scenario == base and runs[0].run_id == run_id(base)  # the centre is the baseline's own run
    path = load_macro().real_growth
    years = list(load_macro().years)
    low = runs[1].scenario.macro["real_growth"]
    assert sorted(low) == [2027, 2028, 2029, 2030]  # years before `from` keep the path
    for year, value in low.items():
        assert value == pytest.approx(path[years.index(year)] - 0.01, abs=1e-15)
    shifted = load_macro(runs[2].scenario.macro)
    assert np.allclose(shifted.real_growth[4:8] - path[4:8], 0.01)  # 2027-2030
    assert np.array_equal(shifted.real_growth[:4], path[:4])
    assert shifted.gdp[7] > load_macro().gdp[7]  # GDP follows the faster growth


def test_a_macro_multiplier_scales_the_path():
    s = sweep("design:\n  kind: grid\n  macro:\n    interest_rate: {apply: multiply, values: [1.5]}\n")
    macro = plan(s, build_design(s))[0].scenario.macro["interest_rate"]
    path = load_macro()
    assert macro == {y: pytest.approx(1.5 * path.interest_rate[y - 2023]) for y in range(2024, 2031)}


def test_a_linked_factor_sets_every_band_to_one_flat_amount():
    bands = ", ".join(BANDS)
    s = sweep(f"design:\n  kind: grid\n  linked:\n    flat:\n      set: [{bands}]\n      values: [900, 1200]\n"
              "      from: 2025-10-01\n")
    runs = plan(s, build_design(s))
    assert build_design(s).labels == ("linked.flat",)
    for r, amount in zip(runs, (900, 1200)):
        tree = ParameterTree.load().with_overrides(r.scenario.parameters)
        assert {tree.get(p, "2026-01-01") for p in BANDS} == {amount}
        assert {tree.get(p, "2025-01-01") for p in BANDS} == {600, 700, 800, 1000}  # current law before


def test_a_parameter_multiplier_keeps_the_schedule_of_dated_values():
    path = "universal_coverage.capitation"
    tree = ParameterTree.load()
    later = [e for e in tree.info(path).values if e.date > dt.date(2024, 1, 1)]
    assert len(later) >= 2, "the capitation is dated every year to FY2026"
    s = sweep(f"design:\n  kind: grid\n  parameters:\n    {path}: {{apply: multiply, values: [1.1], "
              "from: 2024-01-01}\n")
    scenario = plan(s, build_design(s))[0].scenario
    changed = ParameterTree.load().with_overrides(scenario.parameters)
    for entry in later:
        assert changed.get(path, entry.date) == pytest.approx(1.1 * entry.value)
    assert changed.get(path, "2024-06-01") == pytest.approx(1.1 * tree.get(path, "2024-06-01"))


def test_distributions_of_uncertain_draws():
    s = sweep("uncertainty:\n  demography:\n"
              "    fertility_multiplier: {distribution: normal, mean: 1.0, sd: 0.05}\n"
              "    mortality_multiplier: {distribution: triangular, low: 0.8, mode: 1.0, high: 1.1}\n"
              "    migration_multiplier: {distribution: lognormal, median: 1.0, sigma: 0.2}\n"
              "  linked:\n    both:\n      set: [macro.inflation, macro.interest_rate]\n      apply: shift\n"
              "      distribution: discrete\n      values: [-0.005, 0.0, 0.005]\n      weights: [1, 2, 1]\n",
              draws=400)
    v = np.array(draw_values(s), dtype=float)
    assert v[:, 0].mean() == pytest.approx(1.0, abs=0.005) and v[:, 0].std() == pytest.approx(0.05, rel=0.05)
    assert 0.8 <= v[:, 1].min() and v[:, 1].max() <= 1.1
    assert v[:, 1].mean() == pytest.approx((0.8 + 1.0 + 1.1) / 3, abs=0.005)
    assert np.median(v[:, 2]) == pytest.approx(1.0, abs=0.01) and np.log(v[:, 2]).std() == pytest.approx(0.2, rel=0.05)
    shares = [np.mean(v[:, 3] == x) for x in (-0.005, 0.0, 0.005)]  # a Latin hypercube: exact proportions
    assert shares == [0.25, 0.5, 0.25]


def test_correlated_draws_have_the_correlation_of_the_spec():
    s = sweep("uncertainty:\n  macro:\n    inflation: {apply: shift, distribution: normal, mean: 0, sd: 0.0075}\n"
              "    interest_rate: {apply: shift, distribution: normal, mean: 0, sd: 0.0075}\n"
              "  correlation:\n    factors: [macro.inflation, macro.interest_rate]\n    matrix: [[1, 0.6], [0.6, 1]]\n",
              draws=400)
    v = np.array(draw_values(s), dtype=float)
    assert np.corrcoef(v.T)[0, 1] == pytest.approx(0.6, abs=0.06)
    assert v[:, 0].std() == pytest.approx(0.0075, rel=0.1)


@settings(max_examples=30, deadline=None)
@given(st.floats(-0.9, 0.9), st.integers(0, 2**31))
def test_a_gaussian_copula_keeps_uniform_margins(rho, seed):
    u = np.random.default_rng(seed).random((500, 2))
    c = correlated(u, np.array([[1.0, rho], [rho, 1.0]]))
    assert ((c > 0) & (c < 1)).all()
    assert abs(c[:, 1].mean() - 0.5) < 0.06


def test_parameter_files_with_documented_uncertainty_are_drawn():
    s = sweep("uncertainty:\n  parameter_files: true\n", draws=4)
    labels = {f.label for f in s.uncertain}
    tree = ParameterTree.load()
    documented = {p for p in tree.paths() if tree.info(p).uncertainty is not None}
    assert {"old_age_allowance.take_up", "common.health_excess_cost_growth"} <= documented == labels
    runs = plan(s, build_design(s))
    centre = [r for r in runs if r.draw == CENTRE][0]
    assert centre.scenario.parameters == {}  # the centre keeps the calibrated values
    take_up = tree.info("old_age_allowance.take_up").uncertainty
    for r in runs:
        if r.draw != CENTRE:
            value = ParameterTree.load().with_overrides(r.scenario.parameters).get("old_age_allowance.take_up",
                                                                                    "2030-01-01")
            assert take_up.low * 0.942 - 1e-12 <= value <= take_up.high * 0.942 + 1e-12


def test_every_documented_uncertainty_states_its_basis():
    tree = ParameterTree.load()
    for path in tree.paths():
        entry = tree.info(path).uncertainty
        if entry is not None:
            assert entry.reference or (entry.assumption and entry.reason), path


def results(values: np.ndarray, criterion_breach: np.ndarray | None = None) -> xr.Dataset:
    """A merged sweep Dataset over (point, draw) for one scalar output."""
    ds = xr.Dataset({"y": (("point", "draw"), values),
                     "status": (("point", "draw"), np.full(values.shape, "finished"))},
                    coords={"point": np.arange(values.shape[0]), "draw": np.arange(values.shape[1])})
    ds["y"].attrs.update(units="years")
    if criterion_breach is not None:
        ds["breach"] = (("point", "draw", "criterion"), criterion_breach)
        ds = ds.assign_coords(criterion=["debt", "deficit"], criterion_basis=("criterion", ["law", "framework_target"]))
    return ds


def test_tails_need_enough_draws():
    assert (min_draws(0.05), min_draws(0.25), min_draws(0.5)) == (20, 4, 2)
    few = add_bands(results(np.arange(10.0)[None, :]), ("y",))["y_band"]
    assert np.isnan(few.sel(quantile=[0.05, 0.95])).all() and np.isfinite(few.sel(quantile=[0.25, 0.5, 0.75])).all()
    assert "p5/p95 need 20" in few.attrs["note"]
    many = add_bands(results(np.arange(20.0)[None, :]), ("y",))["y_band"]
    assert np.isfinite(many).all() and "note" not in many.attrs
    assert many.sel(quantile=0.05).item() == pytest.approx(np.quantile(np.arange(20.0), 0.05))


def test_breach_probabilities_and_censored_distribution():
    flags = np.zeros((1, 4, 2))
    flags[0, :3, 0] = 1
    years = np.array([[2050.0, 2052.0, np.nan, 2050.0]])
    ds = results(years, flags)
    ds["y"].attrs["censored_at"] = 2061
    ds = add_censored_distributions(add_breach_probabilities(ds), ("y",))
    assert list(ds["breach_probability"].sel(point=0).values) == [0.75, 0.0]
    dist = ds["y_distribution"].sel(point=0)
    assert dict(zip(dist["y_value"].values.tolist(), dist.values.tolist())) == {2050: 0.5, 2052: 0.25, 2061: 0.25}


def test_breach_flags_of_a_run():
    passes = np.array([[True, True], [False, True], [True, True]])  # years x criteria
    result = xr.Dataset({"criterion_passes": (("year", "criterion"), passes)},
                        coords={"year": [2023, 2024, 2025], "criterion": ["a", "b"],
                                "criterion_basis": ("criterion", ["law", "actuarial"])})
    flags = breaches(result)["breach"]
    assert list(flags.values) == [1.0, 0.0] and list(flags["criterion_basis"].values) == ["law", "actuarial"]


def test_sobol_of_a_constant_output_is_nan_with_a_note():
    s = sweep("design:\n  kind: sobol\n  samples: 8\n  demography:\n    fertility_multiplier: {low: 0.9, high: 1.1}\n"
              "    mortality_multiplier: {low: 0.9, high: 1.1}\n")
    n = len(build_design(s).points)
    ds = xr.Dataset({"total_cost_pct_gdp_2030": (("point", "draw"), np.full((n, 1), 3.0)),
                     "ssf_depletion_year": (("point", "draw"), np.full((n, 1), np.nan)),
                     "status": (("point", "draw"), np.full((n, 1), "finished"))})
    ds["ssf_depletion_year"].attrs["censored_at"] = 2031
    out = sobol_indices(ds, s)
    for name in ("total_cost_pct_gdp_2030", "ssf_depletion_year"):
        assert np.isnan(out[f"{name}_sobol"]).all()
        assert "the same" in out[f"{name}_sobol"].attrs["note"]


def test_sobol_confidence_intervals_are_the_same_in_every_analysis_of_the_same_runs():
    s = sweep("design:\n  kind: sobol\n  samples: 8\n  demography:\n    fertility_multiplier: {low: 0.9, high: 1.1}\n"
              "    mortality_multiplier: {low: 0.9, high: 1.1}\n")  # sample_seed 0, the default
    n = len(build_design(s).points)
    y = np.random.default_rng(3).normal(3.0, 0.5, (n, 1))
    ds = xr.Dataset({"total_cost_pct_gdp_2030": (("point", "draw"), y),
                     "ssf_depletion_year": (("point", "draw"), np.full((n, 1), np.nan)),
                     "status": (("point", "draw"), np.full((n, 1), "finished"))})
    ds["ssf_depletion_year"].attrs["censored_at"] = 2031
    np.random.seed(1)
    first = sobol_indices(ds, s)["total_cost_pct_gdp_2030_sobol"]
    np.random.seed(2)  # numpy's global state, which an unseeded analysis would draw from
    second = sobol_indices(ds, s)["total_cost_pct_gdp_2030_sobol"]
    assert np.isfinite(first.sel(index="ST_conf")).all()
    np.testing.assert_array_equal(first.values, second.values)


def test_ranking_is_reported_separated_only_when_intervals_do_not_overlap():
    table = np.array([[0.5, 0.05, 0.6, 0.05], [0.2, 0.05, 0.3, 0.05]])
    assert ranking(table, ["a", "b"], 64)[0]
    close = np.array([[0.5, 0.05, 0.40, 0.08], [0.2, 0.05, 0.35, 0.08]])
    separated, note = ranking(close, ["a", "b"], 64)
    assert not separated and "a / b" in note and "base samples would separate" in note
    assert "about 1,024 base samples" in note  # 64 x (0.16 / 0.05)^2 = 655, up to a power of two


def test_tornado_intervals_cover_the_change_and_vanish_with_one_draw():
    s = sweep("design:\n  kind: oat\n  demography:\n    fertility_multiplier: {low: 0.9, high: 1.1}\n")
    design = build_design(s)
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.1, 30)  # the same seed noise at every point (common random numbers)
    y = np.array([[10.0], [9.0], [11.0]]) + noise + rng.normal(0, 0.01, (3, 30))
    ds = xr.Dataset({"total_cost_pct_gdp_2030": (("point", "draw"), y),
                     "status": (("point", "draw"), np.full(y.shape, "finished"))})
    out = tornado(ds, design, ("total_cost_pct_gdp_2030",))
    change = out["total_cost_pct_gdp_2030_tornado"].sel(factor="demography.fertility_multiplier")
    ci = out["total_cost_pct_gdp_2030_tornado_ci"].sel(factor="demography.fertility_multiplier")
    assert list(change.values) == pytest.approx([-1.0, 1.0], abs=0.02)
    for side in ("low", "high"):
        low, high = ci.sel(side=side).values
        assert low <= float(change.sel(side=side)) <= high and high - low < 0.05  # paired draws: noise cancels
    single = tornado(ds.isel(draw=[0]), design, ("total_cost_pct_gdp_2030",))
    assert np.isnan(single["total_cost_pct_gdp_2030_tornado_ci"]).all()
    assert "one draw" in single["total_cost_pct_gdp_2030_tornado_ci"].attrs["note"]


def test_exports_keep_labels_and_units(tmp_path):
    s = sweep(f"design:\n  kind: grid\n  parameters:\n    {BANDS[0]}: {{values: [600, 900], from: 2025-10-01}}\n"
              "  macro:\n    real_growth: {apply: shift, values: [0.0, 0.01]}\n")
    design = build_design(s)
    n = len(design.points)
    ds = xr.Dataset({"total_cost_pct_gdp_2030": (("point", "draw"), np.arange(n, dtype=float)[:, None],
                                                 {"units": "percent of GDP", "description": "benefits paid by all schemes"}),
                     "ssf_depletion_year": (("point", "draw"), np.full((n, 1), 2050.0),
                                            {"units": "calendar year", "description": "first year the fund is negative"}),
                     "status": (("point", "draw"), np.full((n, 1), "finished"))},
                    coords={"point": np.arange(n), "draw": [0], "seed": ("draw", [1]),
                            BANDS[0]: ("point", [p[0] for p in design.points]),
                            "macro.real_growth": ("point", [p[1] for p in design.points])},
                    attrs={"sweep": "t"})
    export(ds, tmp_path, "parquet", s)
    export(ds, tmp_path, "stata", s)
    schema = pq.read_schema(tmp_path / "results.parquet")
    assert schema.field(BANDS[0]).metadata[b"units"] == b"THB/month"
    assert schema.field("macro.real_growth").metadata[b"label"] == b"real growth (shift)"
    assert schema.field("total_cost_pct_gdp_2030").metadata[b"units"] == b"percent of GDP"
    reader = pd.io.stata.StataReader(tmp_path / "results.dta")
    labels = reader.variable_labels()
    frame = reader.read()
    assert all("." not in name and len(name) <= 32 for name in frame.columns)
    assert "real_growth_shift" in frame.columns and labels["real_growth_shift"] == "real growth (shift) [fraction]"
    amount = [c for c in frame.columns if c.startswith("old_age_allowance")]
    assert len(amount) == 1 and "[THB/month]" in labels[amount[0]]
    assert list(frame["benefits_paid_by_all_scheme_2030"]) == list(range(n))  # 33 characters: the year kept
    assert labels["benefits_paid_by_all_scheme_2030"] == "benefits paid by all schemes, 2030 [percent of GDP]"


def test_stata_names_are_unique_and_legal():
    meta = {c: {"label": "Old-age allowance amount for ages sixty to sixty-nine (shift)"} for c in ("a", "b")}
    meta["c"] = {"label": "2030 cost"}
    names = stata_names(["a", "b", "c"], meta)
    assert len(set(names.values())) == 3 and all(len(n) <= 32 for n in names.values())
    assert names["c"] == "v_2030_cost" and names["b"].endswith("_2")
