"""YearContext: the one way a scheme reads a parameter (in force on 1 July, 1 January, each month) and another
scheme's result of the year (computed once, the object the registry records)."""

import numpy as np
import pytest

from model.population.status import CIVIL_SERVANT, INFORMAL, RETIRED, SSF_S33
from model.schemes import civil_service_pension, csmbs
from model.schemes.base import YearContext
from model.schemes.registry import SCHEMES, apply_schemes

from scheme_cases import TREE, builder

people = builder("Thai adults aged 45 with a take-up draw of 0.5 and no household income, unless given otherwise.",
                 age=45, thai=True, propensity=0.5, hh_income_pc=0.0)


def mixed() -> YearContext:
    """A serving official, a state pensioner of 20,000 THB/month aged 70, a section 33 employee and an informal
    worker, in 2025."""
    persons = people(status=[CIVIL_SERVANT, RETIRED, SSF_S33, INFORMAL], age=[45, 70, 45, 45], wage=[30_000.0, 0, 20_000, 0],
                     state_pensioner=[False, True, False, False], cs_pension=[0.0, 20_000.0, 0.0, 0.0],
                     cs_living_gratuity=[0.0, 500_000.0, 0.0, 0.0], gpf_member=[True, True, False, False])
    return YearContext(persons, 2025, TREE)


def counting(monkeypatch: pytest.MonkeyPatch, module: object) -> list[int]:
    """Count the calls of `module.compute` (one element per call)."""
    calls: list[int] = []
    compute = module.compute

    def counted(ctx: YearContext):
        calls.append(1)
        return compute(ctx)

    monkeypatch.setattr(module, "compute", counted)
    return calls


def test_a_result_another_scheme_needs_is_computed_once_and_is_the_one_recorded(monkeypatch):
    # UCS (before csmbs in the registry) asks for the CSMBS beneficiaries; the GPF (after the civil-service pension)
    # for the pension cost. Each scheme is computed once, and what they read is the registry's object.
    csmbs_calls = counting(monkeypatch, csmbs)
    pension_calls = counting(monkeypatch, civil_service_pension)
    ctx = mixed()
    flows = apply_schemes(ctx)
    assert (len(csmbs_calls), len(pension_calls)) == (1, 1)
    assert list(flows.schemes) == list(SCHEMES)
    for name in SCHEMES:
        assert flows.schemes[name] is ctx.result(name)
    covered = flows.schemes["csmbs"].recipient_mask()
    assert covered.tolist() == [True, True, False, False]  # the official and the state pensioner
    assert not (covered & flows.schemes["universal_coverage"].recipient_mask()).any()
    pensions = flows.schemes["civil_service_pension"]
    cost = pensions.total() * ctx.persons.scale + pensions.pooled_cost
    allotment = ctx.mid_year("government_pension_fund.reserve_allotment_fraction")
    assert cost > 0 and flows.schemes["government_pension_fund"].pooled_cost == pytest.approx(allotment * cost)


def test_a_result_given_in_advance_is_used_not_recomputed(monkeypatch):
    calls = counting(monkeypatch, csmbs)
    ctx = mixed()
    given = csmbs.compute(ctx)
    ctx = YearContext(ctx.persons, ctx.year, ctx.params, results={"csmbs": given})
    assert ctx.result("csmbs") is given and len(calls) == 1


def test_unknown_scheme_and_a_cycle_are_errors(monkeypatch):
    ctx = mixed()
    with pytest.raises(ValueError, match="unknown scheme 'csmb'.*csmbs"):
        ctx.result("csmb")
    monkeypatch.setattr(csmbs, "compute", lambda c: c.result("universal_coverage"))
    with pytest.raises(RuntimeError, match="cycle"):
        ctx.result("universal_coverage")


def test_parameter_reads_by_date_keep_type_and_follow_the_calendar():
    # The SSF wage ceiling: 15,000 THB/month to 2025, 17,500 from 1 Jan 2026 (A5.8).
    ctx = YearContext(people(age=[45]), 2026, TREE)
    assert ctx.mid_year("ssf_s33.wage_ceiling") == 17_500 and isinstance(ctx.mid_year("ssf_s33.wage_ceiling"), int)
    assert ctx.january("ssf_s33.wage_ceiling") == 17_500
    reform = TREE.with_overrides({"ssf_s33.wage_ceiling": {"2026-10-01": 20_000}})
    ctx = YearContext(people(age=[45]), 2026, reform)
    np.testing.assert_array_equal(ctx.monthly("ssf_s33.wage_ceiling"), [17_500] * 9 + [20_000] * 3)
    assert ctx.annual_sum("ssf_s33.wage_ceiling") == 9 * 17_500 + 3 * 20_000
    assert ctx.annual_mean("ssf_s33.wage_ceiling") == pytest.approx((9 * 17_500 + 3 * 20_000) / 12)
    assert (ctx.january("ssf_s33.wage_ceiling"), ctx.mid_year("ssf_s33.wage_ceiling")) == (17_500, 17_500)
