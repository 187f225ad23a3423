"""Tests of the dated, cited parameter tree (model/parameters.py and model/schemes/parameters/)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import model.parameters as parameters
from model.errors import ModelInputError, ParameterError
from model.parameters import ParameterTree
from model.schemes import registry

FOLDERS = (*registry.SCHEMES, "common")
"""The parameter folders: one for each scheme and the common parameters."""
THAI = re.compile(r"[\u0E00-\u0E7F]")
OAA = "old_age_allowance.amount.age_60_69"
CEILING = "ssf_s33.wage_ceiling"


@pytest.fixture(scope="module")
def tree() -> ParameterTree:
    return ParameterTree.load()


# --- the shipped tree ---------------------------------------------------------------------


def test_every_scheme_folder_has_parameters_and_an_index(tree: ParameterTree) -> None:
    for scheme in FOLDERS:
        assert any(p.startswith(scheme + ".") for p in tree.paths()), scheme
        assert THAI.search(tree.node(scheme).label_th)


def test_every_value_is_cited_or_a_reasoned_assumption(tree: ParameterTree) -> None:
    for path in tree.paths():
        info = tree.info(path)
        assert info.unit and info.description and info.label_en and THAI.search(info.label_th), path
        assert [v.date for v in info.values] == sorted(v.date for v in info.values), path
        for value in info.values:
            assert value.references or (value.assumption and value.reason), (path, value.date)
            assert all(r.title.startswith(f"[{r.source}] ") for r in value.references), path


def test_every_parameter_is_in_force_from_the_model_start(tree: ParameterTree) -> None:
    for path in tree.paths():
        assert tree.info(path).values[0].date <= date(2023, 1, 1), path
        if tree.info(path).kind == "number":
            assert tree.monthly(path, 2023).shape == tree.monthly(path, 2037).shape == (12,)


def test_fractions_are_between_zero_and_one(tree: ParameterTree) -> None:
    for path in tree.paths():
        if tree.info(path).unit == "fraction":
            assert all(0 <= v.value <= 1 for v in tree.info(path).values), path


def test_ssf_s33_branch_rates_add_up_to_the_total_rates(tree: ParameterTree) -> None:
    branches = ("sickness_maternity_invalidity_death", "old_age_child_allowance", "unemployment")
    for payer in ("employee", "employer", "government"):
        total = sum(tree.get(f"ssf_s33.branch_rate.{b}.{payer}", "2030-01-01") for b in branches)
        assert total == pytest.approx(tree.get(f"ssf_s33.contribution_rate.{payer}", "2030-01-01"))


def test_ssf_s40_option_mix_sums_to_one(tree: ParameterTree) -> None:
    total = sum(tree.get(f"ssf_s40.option_mix.option_{n}", "2023-06-01") for n in (1, 2, 3))
    assert total == pytest.approx(1.0)


def test_default_tree_is_parsed_once(tree: ParameterTree) -> None:
    assert ParameterTree.load() is tree


def test_reference_values_from_the_brief(tree: ParameterTree) -> None:
    assert tree.get("common.poverty_line", "2023-07-01") == 3043
    assert tree.get("common.poverty_line", "2024-07-01") == 3078
    assert tree.get("universal_coverage.capitation", "2025-09-30") == 3844.55
    assert tree.get("universal_coverage.capitation", "2025-10-01") == 4173.04
    assert tree.get("disability_allowance.amount_child", "2020-10-01") == 1000
    assert tree.get("national_savings_fund.match_cap.age_15_30", "2016-01-01") == 600
    assert tree.get("old_age_allowance.income_test.enabled", "2024-01-01") is False
    assert tree.info("universal_coverage.capitation").uprating == parameters.Uprating("health")


# --- look-ups -----------------------------------------------------------------------------


def test_lookup_across_effective_dates(tree: ParameterTree) -> None:
    assert tree.get(CEILING, date(2025, 12, 31)) == 15000
    assert tree.get(CEILING, "2026-01-01") == 17500
    assert tree.get(CEILING, "2035-06-01") == 23000


def test_lookup_before_first_date_names_path_and_date(tree: ParameterTree) -> None:
    with pytest.raises(ParameterError, match=r"common\.poverty_line.*2022-12-31"):
        tree.get("common.poverty_line", "2022-12-31")


def test_bad_lookup_date_is_rejected(tree: ParameterTree) -> None:
    with pytest.raises(ParameterError, match="2024-02-30"):
        tree.get(OAA, "2024-02-30")


def test_monthly_sums_and_means(tree: ParameterTree) -> None:
    ceiling = tree.monthly(CEILING, 2026)
    assert ceiling.shape == (12,) and ceiling.dtype == np.float64
    assert tree.annual_sum(OAA, 2024) == 12 * 600
    assert tree.annual_mean("welfare_card.transport_credit", 2023) == pytest.approx((3 * 500 + 9 * 750) / 12)
    assert tree.monthly("old_age_allowance.excludes_state_pensioners", 2024).all()
    with pytest.raises(ParameterError, match="not numeric"):
        tree.annual_sum("old_age_allowance.excludes_state_pensioners", 2024)


def test_monthly_is_cached_and_read_only(tree: ParameterTree) -> None:
    first = tree.monthly(OAA, 2027)
    assert tree.monthly(OAA, 2027) is first
    with pytest.raises(ValueError):
        first[0] = 0


def test_monthly_splits_a_year_at_an_october_change(tree: ParameterTree) -> None:
    reform = tree.with_overrides({OAA: {"2025-10-01": 1000}})
    assert reform.monthly(OAA, 2025).tolist() == [600] * 9 + [1000] * 3
    assert reform.annual_sum(OAA, 2025) == 9 * 600 + 3 * 1000
    assert reform.annual_sum(OAA, 2026) == 12 * 1000


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)))
def test_monthly_counts_the_months_starting_on_or_after_an_override(day: date) -> None:
    reform = ParameterTree.load().with_overrides({OAA: {day: 900}})
    expected = sum(1 for month in range(1, 13) if date(2027, month, 1) >= day)
    assert int((reform.monthly(OAA, 2027) == 900).sum()) == expected


def test_uprated_monthly_compounds_on_anniversaries_of_the_last_dated_value(tree: ParameterTree) -> None:
    # UCS capitation FY2026 = 4,173.04 from 1 Oct 2025; FY2027 from 1 Oct 2026 = 4,173.04 × the health index's growth.
    health = {2025: 1.0, 2026: 1.05, 2029: 1.2, 2030: 1.3}
    values = tree.uprated_monthly("universal_coverage.capitation", 2026, {"health": health})
    np.testing.assert_allclose(values, [4173.04] * 9 + [4173.04 * 1.05] * 3)
    # Calendar 2030: 9 months after four anniversaries (index 2029 / 2025), 3 after five (2030 / 2025).
    np.testing.assert_allclose(tree.uprated_monthly("universal_coverage.capitation", 2030, {"health": health}),
                               [4173.04 * 1.2] * 9 + [4173.04 * 1.3] * 3)
    # A reform dated 1 Oct 2030 resets the level from its own date: nothing to grow by yet.
    reform = tree.with_overrides({"universal_coverage.capitation": {"2030-10-01": 5000}})
    np.testing.assert_allclose(reform.uprated_monthly("universal_coverage.capitation", 2030, {"health": health}),
                               [4173.04 * 1.2] * 9 + [5000] * 3)


def test_mid_year_is_the_value_in_force_on_1_july(tree: ParameterTree) -> None:
    # The SSF wage ceiling rises from 15,000 to 17,500 on 1 Jan 2026: 1 July 2025 still has 15,000; its type is kept.
    assert tree.mid_year(CEILING, 2025) == 15_000 and isinstance(tree.mid_year(CEILING, 2025), int)
    assert tree.mid_year(CEILING, 2026) == 17_500
    reform = tree.with_overrides({CEILING: {"2026-07-02": 20_000}})
    assert reform.mid_year(CEILING, 2026) == 17_500 and reform.mid_year(CEILING, 2027) == 20_000


def test_citation(tree: ParameterTree) -> None:
    assert tree.citation(CEILING, "2026-06-01").startswith("[S32] Baker McKenzie")
    assert "(https://" in tree.citation(CEILING, "2026-06-01")
    assert tree.citation("welfare_card.take_up", "2024-01-01").startswith("assumption: ")


def test_unknown_path_suggests_close_matches(tree: ParameterTree) -> None:
    with pytest.raises(ParameterError, match=r"unknown parameter path 'ssf_s33\.wage_ceilng'.*did you mean 'ssf_s33\.wage_ceiling'"):
        tree.get("ssf_s33.wage_ceilng", "2026-01-01")
    assert "ssf_s33.wage_ceilng" not in tree and CEILING in tree


# --- overrides ----------------------------------------------------------------------------


def test_future_reform_leaves_earlier_years_and_the_original_unchanged(tree: ParameterTree) -> None:
    before = tree.fingerprint()
    reform = tree.with_overrides({CEILING: {date(2030, 1, 1): 30000}})
    assert reform.monthly(CEILING, 2029).tolist() == tree.monthly(CEILING, 2029).tolist() == [20000] * 12
    assert reform.get(CEILING, "2030-01-01") == 30000
    assert reform.get(CEILING, "2032-01-01") == 30000  # the reform replaces later scheduled values too
    assert tree.get(CEILING, "2030-01-01") == 20000 and tree.fingerprint() == before
    assert reform.citation(CEILING, "2030-06-01") == f"assumption: {parameters.OVERRIDE_REASON}"


def test_overrides_share_current_law_series_and_keep_their_own(tree: ParameterTree) -> None:
    reform = tree.with_overrides({OAA: {"2026-01-01": 700}})
    again = reform.with_overrides({CEILING: {"2030-01-01": 30000}})  # an override of an override
    assert reform.monthly(CEILING, 2031) is tree.monthly(CEILING, 2031)  # not overridden: one cached series
    assert again.monthly(OAA, 2027).tolist() == [700] * 12 != tree.monthly(OAA, 2027).tolist()
    assert again.monthly(CEILING, 2031).tolist() == [30000] * 12
    assert tree.monthly(CEILING, 2031).tolist() == reform.monthly(CEILING, 2031).tolist() == [20000] * 12


def test_override_does_not_read_files(tree: ParameterTree, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object) -> None:
        raise AssertionError("files were read")

    monkeypatch.setattr(parameters.yaml, "safe_load", fail)
    assert tree.with_overrides({OAA: {"2026-01-01": 700}}).get(OAA, "2026-01-01") == 700


@pytest.mark.parametrize(
    ("overrides", "pattern"),
    [
        ({"old_age_allowance.amount.age_60_70": {"2026-01-01": 700}}, r"'old_age_allowance\.amount\.age_60_70'.*did you mean"),
        ({OAA: {"2026-01-01": "abc"}}, rf"{re.escape(OAA)}.*'abc'"),
        ({OAA: {"2026-01-01": True}}, rf"{re.escape(OAA)}.*True"),
        ({OAA: {"2026-01-01": float("nan")}}, rf"{re.escape(OAA)}.*nan"),
        ({OAA: {"2026-02-30": 700}}, rf"{re.escape(OAA)}.*'2026-02-30'"),
        ({OAA: 700}, rf"{re.escape(OAA)}.*700"),
        ({"old_age_allowance.income_test.enabled": {"2026-01-01": 1}}, r"income_test\.enabled.*true or false.*1"),
    ],
)
def test_bad_overrides_are_rejected(tree: ParameterTree, overrides: dict, pattern: str) -> None:
    with pytest.raises(ParameterError, match=pattern):
        tree.with_overrides(overrides)


def test_override_accepts_numpy_numbers(tree: ParameterTree) -> None:
    reform = tree.with_overrides({OAA: {"2026-01-01": np.float64(650.5)}})
    assert reform.get(OAA, "2026-01-01") == 650.5


# --- fingerprint --------------------------------------------------------------------------


def test_fingerprint_is_stable_and_sensitive(tree: ParameterTree) -> None:
    base = tree.fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", base)
    same = tree.with_overrides({OAA: {"2011-10-01": 600.0}})  # the baseline value, as a float
    assert same.fingerprint() == base
    reform_a = tree.with_overrides({OAA: {"2030-01-01": 1000}})
    reform_b = tree.with_overrides({OAA: {"2030-01-01": 1001}})
    assert len({base, reform_a.fingerprint(), reform_b.fingerprint()}) == 3
    assert reform_a.fingerprint() == tree.with_overrides({OAA: {date(2030, 1, 1): 1000}}).fingerprint()


def test_fingerprint_is_the_same_in_another_process(tree: ParameterTree) -> None:
    code = "from model.parameters import ParameterTree; print(ParameterTree.load().fingerprint())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == tree.fingerprint()


# --- uprating: one meaning, applied in one place --------------------------------------------

CPI = {"cpi": {2023: 1.0, 2024: 1.05, 2025: 1.10, 2026: 1.20}}


def _uprated_tree(tmp_path: Path, uprating: object, switch: dict | None = None) -> ParameterTree:
    """A tree with scheme.amount (600 THB/month from 2020, 700 from 1 Oct 2025) uprated as given, and a switch."""
    _write(tmp_path, "scheme/amount.yaml", _variant(uprating=uprating))
    _write(tmp_path, "scheme/indexed.yaml", {**VALID, "unit": "bool", "values": switch or {
        date(2020, 1, 1): {"value": False, "assumption": True, "reason": "a test"},
        date(2024, 7, 1): {"value": True, "assumption": True, "reason": "a test"}}})
    return ParameterTree.load({"": tmp_path})


def test_index_uprating_grows_each_value_from_its_own_date(tmp_path: Path) -> None:
    tree = _uprated_tree(tmp_path, "cpi")
    # 600 dated 1 Jan 2020 is in 2020 prices: the index has no 2020 value, so it cannot be uprated to 2024.
    with pytest.raises(ParameterError, match=r"'scheme\.amount' is uprated by the cpi index, which has no value for 2020"):
        tree.uprated_monthly("scheme.amount", 2024, CPI)
    # 700 from 1 Oct 2025 is in prices of then: 700 until its first anniversary, then × 1.20 / 1.10 (index of 2026
    # over 2025) from 1 Oct 2026.
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2026, CPI), [700] * 9 + [700 * 1.2 / 1.1] * 3)
    # Without indices, prices are constant.
    np.testing.assert_array_equal(tree.uprated_monthly("scheme.amount", 2026), [700] * 12)


def test_base_date_and_switch(tmp_path: Path) -> None:
    # Values in 2023 prices, grown only while scheme.indexed is on (from 1 July 2024): 600 × 1.05 from July 2024;
    # 700 from 1 Oct 2025 is also in 2023 prices: 700 × 1.10 in 2025, 700 × 1.20 in 2026.
    tree = _uprated_tree(tmp_path, {"by": "cpi", "base": "2023-01-01", "switch": "scheme.indexed"})
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2024, CPI), [600] * 6 + [600 * 1.05] * 6)
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2025, CPI), [600 * 1.1] * 9 + [700 * 1.1] * 3)
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2026, CPI), [700 * 1.2] * 12)
    assert tree.info("scheme.amount").uprating == parameters.Uprating("cpi", date(2023, 1, 1), "scheme.indexed")


def test_growth_rate_and_index_uprating_agree(tmp_path: Path) -> None:
    # A growth-rate parameter of 5% a year and an index growing 5% a year give the same values.
    _write(tmp_path, "scheme/growth.yaml", {**VALID, "unit": "fraction/year", "values": {
        date(2020, 1, 1): {"value": 0.05, "assumption": True, "reason": "a test"}}})
    tree = _uprated_tree(tmp_path, "scheme.growth")
    index = {"cpi": {2025: 1.0, 2026: 1.05, 2027: 1.05**2}}
    by_rate = tree.uprated_monthly("scheme.amount", 2027)
    by_index = _uprated_tree(tmp_path, "cpi").uprated_monthly("scheme.amount", 2027, index)
    np.testing.assert_allclose(by_rate, by_index)
    np.testing.assert_allclose(by_rate, [700 * 1.05] * 9 + [700 * 1.05**2] * 3)


def test_the_shipped_old_age_allowance_is_indexed_only_when_switched_on(tree: ParameterTree) -> None:
    cpi = {"cpi": {2023: 1.0, 2027: 1.3}}
    np.testing.assert_array_equal(tree.uprated_monthly(OAA, 2027, cpi), [600] * 12)
    reform = tree.with_overrides({"old_age_allowance.indexation": {"2027-04-01": True}})
    np.testing.assert_allclose(reform.uprated_monthly(OAA, 2027, cpi), [600] * 3 + [600 * 1.3] * 9)


def test_uprated_series_are_kept_only_for_the_same_index_values_and_parameters(tmp_path: Path) -> None:
    """A series computed once is given again for the same index values (even in another dict), recomputed when an
    index value it read changes, and not shared with a tree overriding the path, its growth rate or its switch."""
    _write(tmp_path, "scheme/growth.yaml", {**VALID, "unit": "fraction/year", "values": {
        date(2020, 1, 1): {"value": 0.05, "assumption": True, "reason": "a test"}}})
    tree = _uprated_tree(tmp_path, {"by": "cpi", "base": "2023-01-01", "switch": "scheme.indexed"})
    first = tree.uprated_monthly("scheme.amount", 2026, CPI)
    assert tree.uprated_monthly("scheme.amount", 2026, {"cpi": dict(CPI["cpi"])}) is first
    assert not first.flags.writeable
    dearer = {"cpi": {**CPI["cpi"], 2026: 1.5}}
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2026, dearer), [700 * 1.5] * 12)
    np.testing.assert_allclose(tree.uprated_monthly("scheme.amount", 2026, CPI), [700 * 1.2] * 12)
    np.testing.assert_array_equal(tree.uprated_monthly("scheme.amount", 2026), [700] * 12)  # no indices: constant
    with pytest.raises(ParameterError, match="which has no value for 2026"):
        tree.uprated_monthly("scheme.amount", 2026, {"cpi": {2023: 1.0}})
    unrelated = tree.with_overrides({"scheme.growth": {"2021-01-01": 0.1}})
    assert unrelated.uprated_monthly("scheme.amount", 2026, CPI) is tree.uprated_monthly("scheme.amount", 2026, CPI)
    amount = tree.with_overrides({"scheme.amount": {"2026-01-01": 800}})
    np.testing.assert_allclose(amount.uprated_monthly("scheme.amount", 2026, CPI), [800 * 1.2] * 12)
    switched_off = tree.with_overrides({"scheme.indexed": {"2026-04-01": False}})
    np.testing.assert_allclose(switched_off.uprated_monthly("scheme.amount", 2026, CPI), [700 * 1.2] * 3 + [700] * 9)
    by_rate = _uprated_tree(tmp_path, "scheme.growth")
    faster = by_rate.with_overrides({"scheme.growth": {"2021-01-01": 0.1}})
    np.testing.assert_allclose(by_rate.uprated_monthly("scheme.amount", 2027), [700 * 1.05] * 9 + [700 * 1.05**2] * 3)
    np.testing.assert_allclose(faster.uprated_monthly("scheme.amount", 2027), [700 * 1.1] * 9 + [700 * 1.1**2] * 3)


def test_a_scheme_cannot_read_an_uprated_parameter_without_its_uprating(tree: ParameterTree) -> None:
    from model.population.persons import Persons
    from model.schemes.base import YearContext

    ctx = YearContext(Persons({"age": np.array([40])}, 1.0), 2027, tree)
    for read in (ctx.mid_year, ctx.january, ctx.monthly, ctx.annual_mean, ctx.annual_sum):
        with pytest.raises(ParameterError, match="'universal_coverage.capitation' has an uprating"):
            read("universal_coverage.capitation")
    assert ctx.uprated("universal_coverage.capitation") == ctx.uprated_monthly("universal_coverage.capitation")[6]


# --- loading and malformed files ----------------------------------------------------------

VALID = {
    "description": "A test amount",
    "label": {"en": "Test amount", "th": "จำนวนเงินทดสอบ"},
    "unit": "THB/month",
    "uprating": None,
    "values": {
        date(2020, 1, 1): {"value": 600, "reference": [{"source": "S1", "note": "a note", "url": "https://example.org"}]},
        date(2025, 10, 1): {"value": 700, "assumption": True, "reason": "a test"},
    },
}


def _write(root: Path, relative: str, content: object) -> Path:
    file = root / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True),
                    encoding="utf-8")
    return file


def _variant(**changes: object) -> dict:
    spec = {**VALID, "values": {k: dict(v) for k, v in VALID["values"].items()}}
    spec.update(changes)
    return spec


def test_custom_roots_and_mount_prefixes(tmp_path: Path) -> None:
    _write(tmp_path / "a", "scheme/amount.yaml", VALID)
    _write(tmp_path / "a", "scheme/index.yaml", {"description": "A scheme", "label": {"en": "Scheme", "th": "โครงการ"}})
    _write(tmp_path / "b", "fertility/rate.yaml", VALID)
    tree = ParameterTree.load({"": tmp_path / "a", "population": tmp_path / "b"})
    assert tree.paths() == ("population.fertility.rate", "scheme.amount")
    assert tree.get("scheme.amount", "2025-10-01") == 700
    assert tree.node("scheme").label_en == "Scheme"
    info = tree.info("scheme.amount")
    assert info.kind == "number" and info.values[0].references[0].href == "https://example.org"
    assert info.values[0].references[0].title.startswith("[S1] The Nation") and "; a note" in tree.citation(
        "scheme.amount", "2020-01-01")


def test_calibrated_value_records_its_target_and_date(tmp_path: Path) -> None:
    solved = {"value": 0.8, "assumption": True, "reason": "solved against T1.1", "calibrated": True,
              "target": "T1.1", "calibrated_on": date(2026, 12, 6)}
    _write(tmp_path, "scheme/amount.yaml", _variant(values={date(2020, 1, 1): solved}))
    value = ParameterTree.load({"": tmp_path}).info("scheme.amount").values[0]
    assert (value.target, value.calibrated_on) == ("T1.1", date(2026, 12, 6))


def test_missing_population_root_is_skipped_but_other_roots_are_required(tmp_path: Path) -> None:
    _write(tmp_path / "a", "scheme/amount.yaml", VALID)
    tree = ParameterTree.load({"": tmp_path / "a", "population": tmp_path / "missing"})
    assert tree.paths() == ("scheme.amount",)
    with pytest.raises(ParameterError, match="not found"):
        ParameterTree.load({"": tmp_path / "missing"})


def _no_unit() -> dict:
    spec = _variant()
    del spec["unit"]
    return spec


MALFORMED = [
    pytest.param(_no_unit(), r"field 'unit': required field is missing", id="missing-unit"),
    pytest.param(_variant(colour="red"), r"field 'colour': unknown key \(got 'red'\)", id="unknown-key"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600}}), r"field 'values\.2020-01-01': needs a non-empty 'reference'",
                 id="uncited-value"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600, "reference": ["S9999"]}}),
                 r"field 'values\.2020-01-01\.reference\.0\.source': not a source id of model/sources\.yaml "
                 r"\(got 'S9999'\)", id="unknown-source"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600, "reference": [{"title": "[S1] x"}]}}),
                 r"reference\.0\.source': required field is missing; .*reference\.0\.title': unknown key",
                 id="old-style-reference"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600, "assumption": True}}),
                 r"field 'values\.2020-01-01': 'assumption: true' needs a non-empty 'reason'", id="assumption-without-reason"),
    pytest.param(_variant(values={"from 2020": {"value": 600, "assumption": True, "reason": "x"}}),
                 r"field 'values\.from 2020': must be a date YYYY-MM-DD.*'from 2020'", id="non-date-key"),
    pytest.param(_variant(unit=5), r"field 'unit': Input should be a valid string \(got 5\)", id="wrong-type-unit"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": [1, 2], "assumption": True, "reason": "x"}}),
                 r"field 'values\.2020-01-01\.value': must be a finite number.*\[1, 2\]", id="wrong-type-value"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600, "assumption": "yes", "reason": "x"}}),
                 r"field 'values\.2020-01-01\.assumption': Input should be a valid boolean \(got 'yes'\)", id="wrong-type-flag"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 600, "assumption": True, "reason": "x"},
                                  date(2021, 1, 1): {"value": "six hundred", "assumption": True, "reason": "x"}}),
                 r"field 'values': values mix kinds", id="mixed-kinds"),
    pytest.param(_variant(values={}), r"field 'values': .*at least 1 item", id="no-values"),
    pytest.param(_variant(uprating="no.such.parameter"), r"uprating: must be null, 'cpi', 'wage'.*'no\.such\.parameter'",
                 id="unknown-uprating"),
    pytest.param(_variant(uprating={"by": "cpi", "switch": "scheme.amount"}), r"uprating: switch must be a boolean",
                 id="uprating-switch-not-bool"),
    pytest.param(_variant(uprating={"by": "cpi", "base": "2023-13-01"}), r"uprating\.base", id="uprating-bad-base"),
    pytest.param(_variant(uprating={"by": "cpi", "every": 2}), r"field 'uprating\.every': unknown key \(got 2\)",
                 id="uprating-unknown-key"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 0.8, "assumption": True, "reason": "x",
                                                      "calibrated": True, "target": "T1.1"}}),
                 r"field 'values\.2020-01-01': 'calibrated: true' goes with 'target'.*'calibrated_on'",
                 id="calibrated-without-date"),
    pytest.param(_variant(values={date(2020, 1, 1): {"value": 0.8, "reference": ["S1"],
                                                      "calibrated": True, "target": "T1.1",
                                                      "calibrated_on": date(2026, 12, 6)}}),
                 r"field 'values\.2020-01-01': a calibrated value is an assumption", id="calibrated-not-assumption"),
    pytest.param("values: [unclosed", r"not valid YAML", id="bad-yaml"),
    pytest.param("- just\n- a list\n", r"field '\(top level\)': Input should be a valid dictionary", id="not-a-mapping"),
]


@pytest.mark.parametrize(("content", "pattern"), MALFORMED)
def test_malformed_files_are_rejected_naming_file_and_field(tmp_path: Path, content: object, pattern: str) -> None:
    file = _write(tmp_path, "scheme/amount.yaml", content)
    with pytest.raises(ParameterError, match=pattern) as caught:
        ParameterTree.load({"": tmp_path})
    assert str(file) in str(caught.value)
    assert isinstance(caught.value, ModelInputError)


@pytest.mark.parametrize(
    ("relative", "content", "pattern"),
    [
        ("scheme/index.yaml", {"description": "d", "label": {"en": "e", "th": "ท"}, "unit": "x"}, r"field 'unit': unknown key"),
        ("scheme/Bad-Name.yaml", VALID, r"name 'Bad-Name' must be lower_snake_case"),
        ("scheme.yaml", VALID, r"'scheme' is both a parameter and a folder"),
    ],
)
def test_tree_structure_errors(tmp_path: Path, relative: str, content: object, pattern: str) -> None:
    _write(tmp_path, "scheme/amount.yaml", VALID)
    file = _write(tmp_path, relative, content)
    with pytest.raises(ParameterError, match=pattern) as caught:
        ParameterTree.load({"": tmp_path})
    assert str(file) in str(caught.value)


# --- valid ranges -------------------------------------------------------------------------


def _assumed(value: object) -> dict:
    return {date(2020, 1, 1): {"value": value, "assumption": True, "reason": "a test"}}


@pytest.mark.parametrize(("unit", "low", "high"), [
    ("THB/month", 0, parameters.MAX_AMOUNT), ("THB million/year", 0, parameters.MAX_AMOUNT),
    ("fraction", 0, 1), ("fraction of insurable wage", 0, 1), ("fraction/year", -1, 1),
    ("fraction/year of age", 0, 1), ("years", 0, 120), ("year", 1900, 2200), ("months", 0, 1440),
    ("days/year", 0, 366), ("log points", -10, 10), ("furlongs", -parameters.MAX_MAGNITUDE, parameters.MAX_MAGNITUDE),
])
def test_default_range_by_unit(tmp_path: Path, unit: str, low: float, high: float) -> None:
    assert parameters.default_range(unit) == (low, high)
    _write(tmp_path, "scheme/amount.yaml", _variant(unit=unit, values=_assumed(low)))
    tree = ParameterTree.load({"": tmp_path})
    assert (tree.info("scheme.amount").minimum, tree.info("scheme.amount").maximum) == (low, high)
    assert tree.with_overrides({"scheme.amount": {"2030-01-01": high}}).get("scheme.amount", "2030-01-01") == high
    for bad in (low - abs(low) * 1e-9 - 1e-9, high + abs(high) * 1e-9 + 1e-9):
        with pytest.raises(ParameterError, match=r"override of 'scheme\.amount' on 2030-01-01: must be between"):
            tree.with_overrides({"scheme.amount": {"2030-01-01": bad}})


def test_declared_range_replaces_the_default(tmp_path: Path) -> None:
    _write(tmp_path, "scheme/divisor.yaml", _variant(unit="years", range={"min": 1, "max": 80}, values=_assumed(50)))
    _write(tmp_path, "scheme/half.yaml", _variant(unit="fraction", range={"max": 0.5}, values=_assumed(0.2)))
    tree = ParameterTree.load({"": tmp_path})
    assert (tree.info("scheme.divisor").minimum, tree.info("scheme.divisor").maximum) == (1, 80)
    assert (tree.info("scheme.half").minimum, tree.info("scheme.half").maximum) == (0, 0.5)  # min from the unit
    with pytest.raises(ParameterError, match=r"'scheme\.divisor' on 2030-01-01: must be between 1 and 80 \[years\] "
                                             r"\(got 0\)"):
        tree.with_overrides({"scheme.divisor": {date(2030, 1, 1): 0}})
    with pytest.raises(ParameterError, match=r"between 0 and 0\.5 \[fraction\] \(got 0\.6\)"):
        tree.with_overrides({"scheme.half": {date(2030, 1, 1): 0.6}})
    assert tree.with_overrides({"scheme.divisor": {date(2030, 1, 1): 80}}).get("scheme.divisor", "2031-01-01") == 80


@pytest.mark.parametrize(("spec", "pattern"), [
    (_variant(values=_assumed(-5)), r"value on 2020-01-01 is -5, outside the valid range 0 to 1,000,000,000"),
    (_variant(unit="fraction", values=_assumed(1.5)), r"value on 2020-01-01 is 1\.5, outside the valid range 0 to 1"),
    (_variant(range={"min": 700}), r"value on 2020-01-01 is 600, outside the valid range 700 to"),
    (_variant(range={"min": 10, "max": 1}), r"range: min 10 is above max 1"),
    (_variant(range={"min": "0"}), r"field 'range\.min': Input should be a valid"),
    (_variant(range={"low": 0}), r"field 'range\.low': unknown key"),
    (_variant(range={"max": 1e300}), r"field 'range\.max': Input should be less than or equal to"),
    (_variant(unit="bool", range={"max": 1}, values=_assumed(True)), r"'range' goes with number parameters only"),
])
def test_values_and_ranges_in_a_file_are_checked(tmp_path: Path, spec: dict, pattern: str) -> None:
    _write(tmp_path, "scheme/amount.yaml", spec)
    with pytest.raises(ParameterError, match=pattern):
        ParameterTree.load({"": tmp_path})


@pytest.mark.parametrize(("path", "value", "pattern"), [
    (OAA, -600, r"override of 'old_age_allowance\.amount\.age_60_69' on 2025-10-01: must be between 0 and "
                r"1,000,000,000 \[THB/month\] \(got -600\)"),
    (OAA, 9223372036854775807, r"\(got 9223372036854775807\)"),
    (OAA, 1e38, r"\(got 1e\+38\)"),
    (OAA, 1.0e300, r"\(got 1e\+300\)"),
    (OAA, float("inf"), r"must be a finite number in THB/month \(got inf\)"),
    ("ssf_s33.contribution_rate.employee", -0.05, r"'ssf_s33\.contribution_rate\.employee' on 2025-10-01: must be "
                                                  r"between 0 and 0\.2 \[fraction of insurable wage\] \(got -0\.05\)"),
    ("ssf_s33.pension.age", 150, r"between 50 and 70 \[years\] \(got 150\)"),
    ("civil_service_pension.accrual_divisor", 0, r"between 1 and 120 \[years\] \(got 0\)"),
])
def test_out_of_range_overrides_name_path_date_and_value(tree: ParameterTree, path: str, value: float,
                                                         pattern: str) -> None:
    with pytest.raises(ParameterError, match=pattern):
        tree.with_overrides({path: {date(2025, 10, 1): value}})


def test_every_shipped_value_lies_in_its_range(tree: ParameterTree) -> None:
    for path in tree.paths():
        info = tree.info(path)
        if info.kind == "number":
            assert all(info.minimum <= v.value <= info.maximum for v in info.values), path


def test_one_date_given_twice_in_an_override_is_an_error(tree: ParameterTree) -> None:
    with pytest.raises(ParameterError, match=r"override of '.*age_60_69': date 2025-10-01 is given twice"):
        tree.with_overrides({OAA: {date(2025, 10, 1): 700, "2025-10-01": 800}})


# --- command line -------------------------------------------------------------------------


def test_command_line_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert parameters.main(["--date", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"ssf_s33\.wage_ceiling\s+17,500\s+THB/month\s+source", out)
    assert re.search(r"welfare_card\.take_up\s+0\.621\s+fraction\s+ASSUMPTION", out)
    assert parameters.main(["--date", "not-a-date"]) == 2
