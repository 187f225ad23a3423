"""The fiscal layer on whole runs: accounting identities, verdicts flipping in the expected year, solvers."""

import numpy as np
import pytest

import model
from model.api import resolve
from model.cli import main
from model.errors import ModelInputError
from model import solvers

SCALE = 5000


@pytest.fixture(scope="module")
def baseline():
    return model.run("baseline", scale=SCALE)


def flat_oaa(amount: float, start: str = "2025-10-01") -> dict:
    return {f"old_age_allowance.amount.{b}": {start: amount} for b in solvers.OAA_BANDS}


def test_fund_identity_exact_every_year(baseline):
    ds = baseline
    flows = (ds.ssf_contributions_by_branch - ds.ssf_benefits_by_branch + ds.ssf_investment_income_by_branch
             ).sum("ssf_branch") - ds.ssf_admin_cost
    previous = np.concatenate([[ds.attrs["ssf_opening_reserve"]], ds.ssf_reserve.values[:-1]])
    np.testing.assert_allclose(ds.ssf_reserve.values, previous + flows.values, rtol=1e-12)
    np.testing.assert_allclose(ds.ssf_contributions_by_branch.sum("ssf_branch"),
                               ds.contributions.sel(scheme=["ssf_s33", "ssf_s39", "ssf_s40"]).sum("scheme"), rtol=1e-9)


def test_debt_identity_exact_every_year(baseline):
    ds = baseline
    previous = np.concatenate([[ds.attrs["opening_public_debt"]], ds.public_debt.values[:-1]])
    expected = previous + ds.interest.values - ds.primary_balance.values + ds.stock_flow_adjustment.values
    np.testing.assert_allclose(ds.public_debt.values, expected, rtol=1e-12)


def test_current_law_adds_no_extra_spending(baseline):
    assert float(abs(baseline.extra_spending).max()) == 0.0


def test_a_reform_after_its_baseline_reuses_the_baseline_as_current_law(monkeypatch):
    """A reform's extra spending is measured against current law under its own demography, macro path, scale
    and seed: after a run of that baseline (no parameter overrides) it needs one model run, not two, and the
    answer is the same as with a separate current-law run."""
    scenario = resolve("baseline", scale=SCALE, seed=424242)  # a seed no other test uses: nothing remembered
    reform = scenario.replaced(name="reform", parameters=flat_oaa(900.0))
    alone = model.run(reform)["extra_spending"]  # runs current law itself
    calls = []
    simulate = model.api.simulate
    monkeypatch.setattr(model.api, "simulate", lambda *args, **kw: calls.append(args[0].name) or simulate(*args, **kw))
    model.run(scenario.replaced(seed=424243))
    model.run(reform.replaced(seed=424243, name="another name"))
    assert calls == ["baseline", "another name"]
    np.testing.assert_allclose(model.run(reform)["extra_spending"], alone, rtol=0)
    assert float(alone.max()) > 0


def first_breach_by_hand(base, extra: np.ndarray) -> int | None:
    """First year the reform's extra debt, compounded at the interest rate, exceeds the baseline's headroom."""
    headroom = base.headroom_thb.sel(criterion="public_debt_ceiling").values
    previous = np.concatenate([[base.attrs["opening_public_debt"]], base.public_debt.values[:-1]])
    rate = base.interest.values / previous
    added = 0.0
    for year, h, r, x in zip(base.year.values, headroom, rate, extra):
        added = added * (1 + r) + x
        if added > h:
            return int(year)
    return None


@pytest.mark.parametrize("amount, breaches", [(1500.0, True), (610.0, False)])
def test_reform_flips_debt_verdict_in_the_expected_year(baseline, amount, breaches):
    scenario = resolve("baseline", scale=SCALE).replaced(parameters=flat_oaa(amount))
    reform = model.run(scenario)
    expected = first_breach_by_hand(baseline, reform.extra_spending.values)
    first = reform.first_breach_year.sel(criterion="public_debt_ceiling")
    assert (expected is not None) == breaches
    if breaches:
        assert int(first) == expected
        assert not bool(reform.criterion_passes.sel(criterion="public_debt_ceiling").all())
    else:
        assert np.isnan(float(first))
    assert bool(baseline.criterion_passes.sel(criterion="public_debt_ceiling").all())


def test_offsetting_revenue_keeps_debt_on_the_baseline_path():
    financed = model.run("oaa_ladder_2025_financed", scale=SCALE)
    unfinanced = model.run("oaa_ladder_2025", scale=SCALE)
    assert (financed.public_debt_pct_gdp <= unfinanced.public_debt_pct_gdp + 1e-9).all()
    assert float(financed.offsetting_revenue.sel(year=2026)) == pytest.approx(
        0.0015 * float(financed.gdp.sel(year=2026)))


def test_oaa_solver_answer_binds_when_rerun():
    scenario = resolve("baseline", scale=SCALE)
    result = solvers.max_uniform_old_age_allowance(scenario)
    assert 0 < result.answer < 5000
    at = solvers.least_headroom(model.run(scenario.replaced(parameters=flat_oaa(result.answer))))[0]
    above = solvers.least_headroom(model.run(scenario.replaced(parameters=flat_oaa(result.answer + 5))))[0]
    assert abs(at) < 0.01 and above < 0


@pytest.mark.xdist_group("ssf_solvers")  # the answers are shared with tests/test_ssf_solvers_branch.py
def test_ssf_solvers_bind_when_rerun(ssf_solve_scenario, ssf_rise, ssf_pension_age):
    # the solvers asked from 2027 through 2075 at this module's scale (tests/conftest.py solves it once)
    assert ssf_solve_scenario == resolve("baseline", scale=SCALE).replaced(end_year=2075)
    rise = ssf_rise
    assert rise.answer > 0 and "lowest reserve" in rise.check
    age = ssf_pension_age
    assert 55 <= age.answer <= solvers.MAX_PENSION_AGE


def test_fiscal_gap_makes_debt_peak_at_the_ceiling():
    result = solvers.fiscal_gap(resolve("baseline", scale=SCALE))
    assert "peaks at 70.0000%" in result.check


def test_impossible_solver_targets_give_clear_messages(capsys):
    heavy = resolve("baseline", scale=SCALE).replaced(macro={"baseline_deficit_pct_gdp": 9.0})
    with pytest.raises(ModelInputError, match="even 0 THB/month"):
        solvers.max_uniform_old_age_allowance(heavy)
    assert main(["solve", "ssf-rate", "--scale", str(SCALE), "--through-year", "2030", "--from-year", "2035"]) == 2
    assert "from_year" in capsys.readouterr().err


def test_bad_macro_override_is_one_clear_error(tmp_path, capsys):
    path = tmp_path / "bad_macro.yaml"
    path.write_text("name: bad\nmacro:\n  gdp_growth: 0.02\n")
    assert main(["run", str(path), "--scale", str(SCALE)]) == 2
    assert "gdp_growth" in capsys.readouterr().err


def test_ssf_rate_solver_needs_no_rise_while_the_fund_is_solvent():
    # Reserves of about 2.5 tn at the end of 2023 stay positive to 2035 at current rates: no rise, not a cut.
    rise = solvers.ssf_contribution_rise(resolve("baseline", scale=SCALE), through_year=2035, from_year=2027)
    assert rise.answer == 0.0 and rise.check.startswith("no rise needed")
