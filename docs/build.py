"""Build the documentation book: stage the hand-written chapters, generate the pages computed from the repository
(the executive summary in English and Thai, the results, uncertainty and validation chapters from the key results
the executed notebooks publish, one page per scheme from its declaration, parameter files and worked cases, the
source registry), copy the notebooks in as chapters, and run MkDocs (Material theme, mkdocs-jupyter) to static HTML.

    python docs/build.py                      # build/book/site/index.html (`make docs`)
    python docs/build.py --out /tmp/book      # elsewhere (the test suite)
    python docs/build.py --stage-only         # write the sources of the book, do not run MkDocs
    python docs/build.py --notebooks DIR      # read the executed notebooks from DIR (e.g. notebooks/execute.py --out DIR)

Works offline: the notebooks are committed with their outputs and are not executed here; no page loads fonts or
scripts from the network when built. Numbers on the generated pages are read from the notebooks' published
results (model/report/published.py), never typed, so they are the notebooks' numbers.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import yaml

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))

from model.parameters import ParameterTree  # noqa: E402
from model.report import published, stamp, style  # noqa: E402
from model.schemes.declaration import FINANCING, FUNDS, KINDS  # noqa: E402
from model.schemes.registry import DECLARATIONS, SCHEME_MODULES  # noqa: E402
from model.sources import registry  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PRESS = ("The Nation", "Bangkok Post", "Thai PBS", "Thairath", "Thai Examiner", "Pattaya", "Chiang Rai Times",
         "Khaosod", "Reuters", "ASEAN NOW", "TXT Report", "Mirage", "Nikkei", "Thai Enquirer", "Prachatai",
         "Matichon", "Post Today", "Kaohoon", "Thansettakij", "Krungthep Turakij", "Bangkok Biz", "MGR", "Hfocus")
"""Publishers whose items the sources page lists as press (news reports), not primary documents."""


# --- reading the notebooks ------------------------------------------------------------------------------------


def results() -> dict[str, dict[str, Any]]:
    """Every notebook's published key results, by name ('demography', 'costs', ...)."""
    found: dict[str, dict[str, Any]] = {}
    for path in NOTEBOOKS:
        for name, values in published.read(nbformat.read(path, as_version=4)).items():
            found[name] = values | {"_notebook": path.name}
    return found


class MissingResult(Exception):
    """A generated page needs a result no executed notebook published."""


def _get(r: dict[str, dict[str, Any]], name: str, key: str) -> Any:
    try:
        return r[name][key]
    except KeyError:
        raise MissingResult(f"no published result {name}.{key} in the notebooks: run `make notebooks`") from None


# --- generated pages -----------------------------------------------------------------------------------------


def f2(x: float) -> str:
    return f"{x:,.2f}"


def summary(r: dict[str, dict[str, Any]], lang: str) -> str:
    """The executive summary: the answer to guideline 3.1.2(4) with its uncertainty, every number from the notebooks."""
    c, s, u, v, d = (r.get(k, {}) for k in ("costs", "sustainability", "uncertainty", "validation", "demography"))
    g = lambda name, key: _get(r, name, key)  # noqa: E731
    passes = not g("sustainability", "failed_2037")
    depletion = g("sustainability", "ssf_depletion_year")
    band = (g("uncertainty", "total_cost_pct_gdp_2037_p5"), g("uncertainty", "total_cost_pct_gdp_2037_p95"))
    head = (g("uncertainty", "min_debt_headroom_pct_gdp_p5"), g("uncertainty", "min_debt_headroom_pct_gdp_p95"))
    draws, breach = g("uncertainty", "draws"), 100 * g("uncertainty", "debt_breach_share")
    provisional = g("uncertainty", "provisional")
    current = u.get("sweep_is_current", True)
    study = g("validation", "study_depletion_year")
    old_age = s.get("ssf_old_age_depletion_year")
    depleted_share = 100 * u.get("ssf_depleted_by_2060_share", 0.0)
    gap75 = (s.get("ssf_old_age_gap_pct") or {}).get("75")
    if lang == "en":
        verdict = ("passes every binding criterion" if passes else
                   "fails " + ", ".join(x.replace("_", " ") for x in g("sustainability", "failed_2037")))
        note = (f" These intervals come from a provisional sweep of {draws} draws (see [Uncertainty](uncertainty.md)); "
                "they will be replaced by the 200-draw design." if provisional else
                "" if current else " The uncertainty sweep was computed with an earlier model version than the other "
                "numbers (see [Uncertainty](uncertainty.md)): regenerate it before citing its intervals.")
        return f"""# Executive summary

*Every number on this page is read from the executed notebooks ([method](#how-these-numbers-are-made));
intervals are the 5th to 95th percentiles over {draws} draws of uncertain macro paths (growth, inflation, interest,
the fund's return) and behavioural assumptions, around the baseline.*

**Question (guideline 3.1.2(4) of the master plan on Equality and Social Security).** Is the social-security
budget allocated on a basis of fiscal sustainability to 2037, and what does it take to keep it so?

**Answer under current law (the baseline).**

- **Cost.** All schemes together cost **{f2(g('costs', 'total_cost_pct_gdp_2023'))}% of GDP in 2023** and
  **{f2(g('costs', 'total_cost_pct_gdp_2037'))}% in 2037** (THB {g('costs', 'total_cost_thb_bn_2037'):,.0f} bn, nominal;
  interval for 2037: {f2(band[0])}–{f2(band[1])}% of GDP). The government finances
  {f2(g('costs', 'government_cost_pct_gdp_2023'))}% of GDP in 2023 and {f2(g('costs', 'government_cost_pct_gdp_2037'))}% in 2037.
  Current law freezes allowances and means-test thresholds in nominal terms: the old-age allowance per recipient
  loses {abs(g('costs', 'oaa_real_change_pct')):.0f}% of its real value by 2037. Holding them at their 2025 real value
  (current policy) costs {f2(g('costs', 'current_policy_total_cost_pct_gdp_2037'))}% of GDP in 2037.
- **Fiscal criteria.** To 2037 the baseline **{verdict}**. The least headroom under the public-debt ceiling is
  **{f2(g('sustainability', 'least_debt_headroom_pp'))} percentage points of GDP** in {g('sustainability', 'least_debt_headroom_year')}
  (THB {g('sustainability', 'least_debt_headroom_thb_bn'):,.0f} bn; least headroom to 2060 over the draws:
  {f2(head[0])} to {f2(head[1])} pp). In **{breach:.0f}% of the draws** public debt breaks its legal ceiling in some
  year to 2060. Through the medium-term fiscal framework's
  horizon the baseline's debt is the framework's own path, so these tests measure the fiscal plan as much as the schemes.
- **Social Security Fund.** Reserves end 2037 at THB {g('sustainability', 'ssf_reserve_thb_bn_2037'):,.0f} bn; the old-age
  branch, which the verdict tests, is first negative in **{old_age or 'no year before 2100'}** and the whole fund in
  **{depletion or 'no year before 2100'}** (the 2020 SSO/ILO actuarial study: {study}); the whole fund is depleted by
  2060 in {depleted_share:.0f}% of the draws. The old-age branch's general average premium over 75 years is
  {'–' if gap75 is None else f2(gap75)}% of insurable wages. Keeping the old-age branch at or
  above zero through {g('sustainability', 'solve_through')} takes a section 33 contribution rise of
  {g('sustainability', 'ssf_rate_rise_pp'):.2f} percentage points of insurable wages from {g('sustainability', 'solve_from')},
  or a pension age of {g('sustainability', 'ssf_pension_age'):.0f}.
- **Room for reform.** The highest flat old-age allowance that passes every criterion to {g('sustainability', 'fiscal_gap_end')}
  is **THB {g('sustainability', 'max_flat_oaa_thb'):,.0f} a month**; the fiscal gap (primary-balance change keeping debt
  under its ceiling) is {g('sustainability', 'fiscal_gap_pct_gdp'):+.3f}% of GDP (negative: room).
- **Target groups (goal 170201).** By the model's multidimensional poverty index, {g('sustainability', 'goal_cells_met')}
  of {g('sustainability', 'goal_cells')} group-period cells meet the 10% fall ({s.get('goal_income_cells_met', '–')} by
  after-transfer income poverty); income poverty of those aged 60+ after transfers goes from
  {f2(g('sustainability', 'poverty_60_after_2023'))}% to {f2(g('sustainability', 'poverty_60_after_2037'))}%. The model's
  index sees only the deprivations social protection decides, not education, health outcomes or living standards.
- **Demography.** The population goes from {g('demography', 'population_2023') / 1e6:,.2f} to
  {g('demography', 'population_2037') / 1e6:,.2f} million and those aged 60+ from {g('demography', 'aged_60_plus_2023') / 1e6:,.2f}
  to {g('demography', 'aged_60_plus_2037') / 1e6:,.2f} million (WPP 2024 medium). Births as registered are fewer than
  WPP's ({g('demography', 'registered_births_gap_pct'):.0f}% fewer over 2023–2037 on the registered path).
- **Validation.** {g('validation', 'backtest_passed')} of {g('validation', 'backtest_total')} base-year administrative
  totals are within tolerance; the [validation chapter](validation.md) compares the model with WPP's published totals,
  the registration, the fund's published assets and spending series.{note}

## How these numbers are made

Each notebook publishes its key results with `model.report.published.publish`; `docs/build.py` reads them from
the committed notebooks. Scales: {c.get('scale', 0):,.0f} persons per row for costs and the test to 2037,
{s.get('long_scale', 0):,.0f} for the run to 2100 and the solvers, {u.get('scale', 0):,.0f} for the sweeps. Each notebook's
stamp (commit, model version, parameters hash, scale, seed) is listed under [Results](results.md#stamps).
"""
    verdict_th = ("ผ่านเกณฑ์ที่มีผลผูกพันทุกข้อ" if passes else
                  "ไม่ผ่านเกณฑ์ " + ", ".join(x.replace("_", " ") for x in g("sustainability", "failed_2037")))
    note_th = (f" ช่วงความไม่แน่นอนเหล่านี้มาจากการจำลองชั่วคราว {draws} รอบ (ดู [ความไม่แน่นอน](uncertainty.md)) "
               "และจะถูกแทนด้วยการออกแบบ 200 รอบ" if provisional else
               "" if current else " การจำลองความไม่แน่นอนคำนวณด้วยแบบจำลองรุ่นก่อนหน้า (ดู [ความไม่แน่นอน](uncertainty.md)) "
               "ควรคำนวณใหม่ก่อนอ้างอิงช่วงดังกล่าว")
    return f"""# บทสรุปสำหรับผู้บริหาร

*ตัวเลขทุกตัวในหน้านี้อ่านจากสมุดบันทึก (notebook) ที่ประมวลผลแล้ว ไม่ได้พิมพ์ด้วยมือ
ช่วงที่แสดงคือเปอร์เซ็นไทล์ที่ 5 ถึง 95 จากการสุ่ม {draws} รอบของเส้นทางเศรษฐกิจมหภาค (การเติบโต เงินเฟ้อ อัตราดอกเบี้ย
ผลตอบแทนของกองทุน) และสมมติฐานด้านพฤติกรรม รอบกรณีฐาน*

**คำถาม (แนวทาง 3.1.2(4) ของแผนแม่บทประเด็นความเสมอภาคและหลักประกันทางสังคม)** งบประมาณด้านหลักประกันทางสังคม
จัดสรรบนพื้นฐานความยั่งยืนทางการคลังถึงปี 2580 (ค.ศ. 2037) หรือไม่ และต้องทำอย่างไรจึงจะยั่งยืน

**คำตอบภายใต้กฎหมายปัจจุบัน (กรณีฐาน)**

- **ค่าใช้จ่าย** ทุกโครงการรวมกันคิดเป็น **ร้อยละ {f2(g('costs', 'total_cost_pct_gdp_2023'))} ของ GDP ในปี 2566 (2023)** และ
  **ร้อยละ {f2(g('costs', 'total_cost_pct_gdp_2037'))} ในปี 2580 (2037)** ({g('costs', 'total_cost_thb_bn_2037'):,.0f} พันล้านบาท ราคาประจำปี;
  ช่วงความไม่แน่นอนปี 2580: ร้อยละ {f2(band[0])}–{f2(band[1])} ของ GDP) รัฐบาลรับภาระร้อยละ {f2(g('costs', 'government_cost_pct_gdp_2023'))}
  ของ GDP ในปี 2566 และร้อยละ {f2(g('costs', 'government_cost_pct_gdp_2037'))} ในปี 2580 กฎหมายปัจจุบันตรึงเบี้ยยังชีพและเกณฑ์รายได้ไว้ที่ค่าตัวเงิน
  เบี้ยยังชีพผู้สูงอายุต่อคนจึงลดลงร้อยละ {abs(g('costs', 'oaa_real_change_pct')):.0f} ในมูลค่าที่แท้จริงภายในปี 2580 หากคงมูลค่าที่แท้จริงไว้ที่ระดับปี 2568
  (นโยบายปัจจุบัน) ค่าใช้จ่ายปี 2580 จะเป็นร้อยละ {f2(g('costs', 'current_policy_total_cost_pct_gdp_2037'))} ของ GDP
- **เกณฑ์การคลัง** ถึงปี 2580 กรณีฐาน **{verdict_th}** ช่องว่างต่ำสุดใต้เพดานหนี้สาธารณะคือ
  **{f2(g('sustainability', 'least_debt_headroom_pp'))} จุดร้อยละของ GDP** ในปี {g('sustainability', 'least_debt_headroom_year')}
  ({g('sustainability', 'least_debt_headroom_thb_bn'):,.0f} พันล้านบาท; ช่องว่างต่ำสุดถึงปี 2060 จากการสุ่ม: {f2(head[0])} ถึง {f2(head[1])} จุดร้อยละ)
  ใน **ร้อยละ {breach:.0f} ของการสุ่ม** หนี้สาธารณะเกินเพดานตามกฎหมายในบางปีถึงปี 2060 ภายในกรอบการคลังระยะปานกลาง หนี้ของกรณีฐานคือเส้นทางของกรอบเอง
  การทดสอบจึงวัดแผนการคลังเท่า ๆ กับตัวโครงการ
- **กองทุนประกันสังคม** เงินกองทุนสิ้นปี 2580 อยู่ที่ {g('sustainability', 'ssf_reserve_thb_bn_2037'):,.0f} พันล้านบาท กรณีชราภาพ (ซึ่งใช้ในการตัดสิน)
  ติดลบครั้งแรกในปี **{old_age or 'ไม่ติดลบก่อนปี 2100'}** และกองทุนทั้งหมดในปี
  **{depletion or 'ไม่ติดลบก่อนปี 2100'}** (ค.ศ.; การศึกษาคณิตศาสตร์ประกันภัยของสำนักงานประกันสังคมและ ILO ปี 2563: {study})
  กองทุนทั้งหมดหมดลงภายในปี 2060 ในร้อยละ {depleted_share:.0f} ของการสุ่ม
  การรักษาเงินกองทุนไม่ให้ติดลบถึงปี {g('sustainability', 'solve_through')} ต้องเพิ่มอัตราเงินสมทบมาตรา 33
  {g('sustainability', 'ssf_rate_rise_pp'):.2f} จุดร้อยละของค่าจ้างตั้งแต่ปี {g('sustainability', 'solve_from')} หรือเลื่อนอายุรับบำนาญเป็น {g('sustainability', 'ssf_pension_age'):.0f} ปี
- **ช่องว่างสำหรับการปฏิรูป** เบี้ยยังชีพผู้สูงอายุอัตราเดียวสูงสุดที่ผ่านทุกเกณฑ์ถึงปี {g('sustainability', 'fiscal_gap_end')} คือ
  **{g('sustainability', 'max_flat_oaa_thb'):,.0f} บาทต่อเดือน** ช่องว่างทางการคลัง (การปรับดุลเบื้องต้นที่ทำให้หนี้อยู่ใต้เพดาน) คือ
  ร้อยละ {g('sustainability', 'fiscal_gap_pct_gdp'):+.3f} ของ GDP (ค่าลบ: มีช่องว่าง)
- **กลุ่มเป้าหมาย (เป้าหมาย 170201)** ตามดัชนีความยากจนหลายมิติของแบบจำลอง {g('sustainability', 'goal_cells_met')} จาก {g('sustainability', 'goal_cells')} ช่อง
  (กลุ่ม × ช่วงห้าปี) ลดลงถึงร้อยละ 10 ({s.get('goal_income_cells_met', '–')} ช่องตามความยากจนด้านรายได้หลังเงินโอน)
  ความยากจนด้านรายได้ของผู้มีอายุ 60 ปีขึ้นไปหลังได้รับเงินโอนจากร้อยละ
  {f2(g('sustainability', 'poverty_60_after_2023'))} เป็นร้อยละ {f2(g('sustainability', 'poverty_60_after_2037'))} ดัชนีของแบบจำลองครอบคลุมเฉพาะมิติที่ระบบคุ้มครองทางสังคมกำหนด
  ไม่รวมการศึกษา ผลลัพธ์ด้านสุขภาพ หรือมาตรฐานการครองชีพ
- **ประชากร** ประชากรจาก {g('demography', 'population_2023') / 1e6:,.2f} เป็น {g('demography', 'population_2037') / 1e6:,.2f} ล้านคน
  ผู้มีอายุ 60 ปีขึ้นไปจาก {g('demography', 'aged_60_plus_2023') / 1e6:,.2f} เป็น {g('demography', 'aged_60_plus_2037') / 1e6:,.2f} ล้านคน
  (WPP 2024 กรณีกลาง) การเกิดตามทะเบียนราษฎรน้อยกว่าของ WPP (น้อยกว่าร้อยละ {g('demography', 'registered_births_gap_pct'):.0f} ตลอดปี 2566–2580 ตามเส้นทางทะเบียน)
- **การตรวจสอบความถูกต้อง** ยอดรวมทางการบริหารปีฐาน {g('validation', 'backtest_passed')} จาก {g('validation', 'backtest_total')} รายการอยู่ในเกณฑ์ความคลาดเคลื่อน
  [บทการตรวจสอบ](validation.md) เปรียบเทียบแบบจำลองกับยอดรวมที่ WPP เผยแพร่ ทะเบียนราษฎร สินทรัพย์ที่กองทุนประกันสังคมเผยแพร่ และชุดข้อมูลรายจ่าย{note_th}

ปีในหน้านี้เป็นคริสต์ศักราช เว้นแต่ระบุเป็นพุทธศักราช ฉบับภาษาอังกฤษ: [Executive summary](summary.md)
"""


def _md_cell(text: Any) -> str:
    return html.escape(str(text)).replace("|", "&#124;").replace("\n", " ")


def validation_page(r: dict[str, dict[str, Any]]) -> str:
    rows = _get(r, "validation", "comparisons")
    lines = ["# Validation against the real world", "",
             "Every comparison of the model with figures from outside it, as computed by notebook "
             "[06 · Validation](notebooks/06_validation.ipynb): the source, the model's number, the reference number, "
             "the difference and its explanation. The base-year back-test's reasons row by row are in notebook "
             "[02 · Calibration](notebooks/02_calibration.ipynb), section 5. Money in THB, nominal.", "",
             "| comparison | reference | model | unit | difference | explanation | source |",
             "|---|---:|---:|---|---:|---|---|"]
    for row in rows:
        ref, mod, unit = row["reference"], row["model"], row["unit"]
        fmt = (lambda x: "–" if x is None else f"{x:,.0f}") if unit in ("persons", "year") else (
            lambda x: "–" if x is None else f"{x / 1e9:,.1f} bn") if unit == "THB" else (lambda x: "–" if x is None else f"{x:,.2f}")
        diff = "–" if row["difference (%)"] is None else f"{row['difference (%)']:+.1f}%"
        lines.append(f"| {_md_cell(row['comparison'])} | {fmt(ref)} | {fmt(mod)} | {_md_cell(unit)} | {diff} | "
                     f"{_md_cell(row['explanation'])} | {_md_cell(row['source'])} |")
    return "\n".join(lines) + "\n"


def uncertainty_page(r: dict[str, dict[str, Any]]) -> str:
    g = lambda key: _get(r, "uncertainty", key)  # noqa: E731
    u = r.get("uncertainty", {})
    notice = ""
    if g("provisional"):
        notice = f"""
!!! warning "Provisional: a small sweep of {g('draws')} draws"
    The intervals below come from a small sweep of notebook 05 with {g('draws')} draws, not the 200-draw design
    `sweeps/uncertainty_200.yaml`.
"""
    elif not u.get("sweep_is_current", True):
        notice = f"""
!!! warning "The sweep predates the current model"
    `notebooks/results/uncertainty_200.nc` was computed with model version `{_md_cell(u.get('sweep_model_version'))}`,
    not the current one. Regenerate it (`python notebooks/execute.py --refresh-uncertainty`, tens of minutes), then
    `make notebooks` and `make docs`.
"""
    rows = [("total cost 2037, % of GDP", "total_cost_pct_gdp_2037"),
            ("least headroom under the debt ceiling to 2060, pp of GDP", "min_debt_headroom_pct_gdp")]
    quantiles = [q for q in (5, 25, 50, 75, 95) if f"total_cost_pct_gdp_2037_p{q}" in u]
    table = "\n".join(f"| {label} | " + " | ".join(f"{g(f'{k}_p{q}'):,.2f}" for q in quantiles) + f" | {g(k + '_own'):,.2f} |"
                      for label, k in rows)
    header = "| output | " + " | ".join(f"p{q}" for q in quantiles) + " | centre run (baseline) |"
    rule = "|---|" + "---:|" * (len(quantiles) + 1)
    breach = u.get("breach_probability") or {}
    basis = u.get("breach_basis") or {}
    order = {"law": 0, "actuarial": 1, "framework_target": 2}
    ranked = sorted(breach, key=lambda c: (order.get(basis.get(c, ""), 9), c))  # the notebook's JSON sorts keys
    breach_rows = "\n".join(f"| {style.label(c)} | {_md_cell(basis.get(c, '').replace('_', ' '))} | {100 * breach[c]:.0f}% |"
                             for c in ranked)
    supported = g("sobol_ranking_supported")
    apart = u.get("sobol_top_separated") or {}
    sobol = "\n".join(f"- {style.label(out)}: largest total index {top} — "
                      + ("the intervals separate the whole ranking" if supported.get(out)
                         else "its interval lies above the others; the rest of the ranking is not separated"
                         if apart.get(out) else "intervals overlap: the sample supports no ranking")
                      for out, top in g("sobol_top").items())
    notes = "\n".join(f"- {style.label(out)}: {_md_cell(note)}" for out, note in (u.get("sobol_notes") or {}).items())
    depleted = u.get("ssf_depleted_by_2060_share")
    median = u.get("ssf_depletion_median")
    return f"""# Uncertainty
{notice}
Source: [notebook 05](notebooks/05_reforms_and_sensitivity.ipynb), section 3 ({_md_cell(g('spec'))}): the baseline with
{g('draws')} draws of trend shifts of real growth and real wages, inflation and the interest rate (correlated), the SSF
investment return, and every behavioural assumption whose parameter file documents an uncertainty; the spreads
and their sources are in `sweeps/uncertainty_200.yaml`. The centre run is the baseline's own path.

{header}
{rule}
{table}

Probability of breaching each criterion in some year to 2060:

| criterion | basis | probability |
|---|---|---:|
{breach_rows}

Public debt breaks its legal ceiling in some year to 2060 in **{100 * g('debt_breach_share'):.0f}%** of the draws.
{'' if depleted is None else f"The pooled Social Security Fund is depleted by 2060 in **{100 * depleted:.0f}%** of the draws" + (f" (median depletion year {median})." if median else ".")}

Sobol indices ({g('sobol_samples')} base samples, `sweeps/sobol_cost.yaml`):

{sobol}

{notes}
"""


def results_page(r: dict[str, dict[str, Any]]) -> str:
    lines = ["# Results", "",
             "The results chapters are the notebooks: [03 · Baseline costs](notebooks/03_baseline_costs.ipynb), "
             "[04 · Fiscal sustainability](notebooks/04_fiscal_sustainability.ipynb) and "
             "[05 · Reforms and sensitivity](notebooks/05_reforms_and_sensitivity.ipynb). The "
             "[executive summary](summary.md) gathers their key numbers; the table below lists every published result.",
             "", "| notebook | result | value |", "|---|---|---|"]
    for name, values in r.items():
        for key, value in values.items():
            if key.startswith("_") or key == "comparisons":
                continue
            shown = f"{value:,.4g}" if isinstance(value, float) else _md_cell(value)
            lines.append(f"| {values['_notebook']} | {name}.{key} | {shown} |")
    lines += ["", "## Stamps", "", "What each notebook's outputs were computed with (`model/report/stamp.py`).", "",
              "| notebook | commit | model version | parameters hash | scale | seed | computed | up to date |",
              "|---|---|---|---|---:|---:|---|---|"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        st = stamp.read(nb)
        if st is None:
            lines.append(f"| {path.name} | – | – | – | – | – | – | no stamp |")
            continue
        stale = stamp.staleness(nb)
        lines.append(f"| {path.name} | {st['commit']} | {st['model_version']} | {st['parameters_hash']} | "
                     f"{st['scale']:,.0f} | {st['seed']} | {st['executed']} | {'yes' if not stale else _md_cell('; '.join(stale))} |")
    return "\n".join(lines) + "\n"


def _value_text(value: Any, unit: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.6g} {unit}"
    return f"{value} {unit}"


def scheme_page(name: str, tree: ParameterTree) -> str:
    """A scheme's page: its rule and legal basis (the module's docstring), its declaration, every parameter with
    its dated values and citations, and its worked cases."""
    scheme, module = DECLARATIONS[name], SCHEME_MODULES[name]
    lines = [f"# {scheme.label_en} ({scheme.label_th})", "",
             f"*Generated from `model/schemes/{name}.py`, `model/schemes/parameters/{name}/` and `tests/cases/{name}.yaml`.*",
             "", "## The rule and its legal basis", "", (module.__doc__ or "").strip(), "",
             "## Declaration", "",
             f"- Result name: `{name}`; kind: {scheme.kind} — {KINDS[scheme.kind]}.",
             f"- Financing: {scheme.financing} — {FINANCING[scheme.financing]}."]
    if scheme.fund:
        lines.append(f"- Fund: {FUNDS[scheme.fund]}.")
    if scheme.depends_on:
        lines.append(f"- Reads the results of: {', '.join(DECLARATIONS[d].label_en for d in scheme.depends_on)}.")
    lines += ["", "## Parameters", "",
              "Each value holds from its date until the next; a citation is a source of `model/sources.yaml` "
              "([Sources](../sources.md)), an *assumption* gives its reason.", ""]
    for path in (p for p in tree.paths() if p.startswith(name + ".")):
        info = tree.info(path)
        lines += [f"### {info.label_en}", "", f"`{path}` · {info.label_th} · unit: {info.unit}"
                  + (f" · uprated by {info.uprating.by}" if info.uprating else ""), "", info.description.strip(), ""]
        for v in info.values:
            cites = "; ".join(f"[{html.escape(ref.title)}]({ref.href})" if ref.href else html.escape(ref.title)
                              for ref in v.references)
            extra = []
            if cites:
                extra.append(cites)
            if v.assumption:
                extra.append(f"*assumption*: {html.escape(' '.join((v.reason or '').split()))}")
            if v.target:
                extra.append(f"solved against administrative total {v.target}")
            lines.append(f"- from {v.date.isoformat()}: **{_value_text(v.value, info.unit)}** — " + " · ".join(extra))
        lines.append("")
    cases_file = ROOT / "tests" / "cases" / f"{name}.yaml"
    if cases_file.is_file():
        cases = yaml.safe_load(cases_file.read_text(encoding="utf-8")).get("cases", [])
        lines += ["## Worked cases", "", f"Computed by hand from the rule and checked by the test suite "
                  f"(`tests/cases/{name}.yaml`, {len(cases)} cases).", ""]
        for case in cases:
            lines.append(f"- **{html.escape(case['name'])}** ({case['year']}): "
                         f"{html.escape(' '.join(str(case.get('explanation', '')).split()))}")
    return "\n".join(lines) + "\n"


def schemes_index() -> str:
    lines = ["# The schemes", "", "One page per scheme, generated from its declaration, its parameter files (with "
             "their citations) and its worked cases, so that it stays true to the code.", "",
             "| scheme | Thai | kind | financing |", "|---|---|---|---|"]
    for name, s in DECLARATIONS.items():
        lines.append(f"| [{s.label_en}]({name}.md) | {s.label_th} | {s.kind} | {s.financing} |")
    return "\n".join(lines) + "\n"


def sources_page() -> str:
    reg = registry()
    press = {k for k, s in reg.items() if s.publisher and any(p.lower() in s.publisher.lower() for p in PRESS)}
    lines = ["# Sources", "", f"The registry `model/sources.yaml`: {len(reg)} sources, of which {len(press)} are press "
             "reports (marked *press*), kept where no primary document was found.", ""]
    for key, s in reg.items():
        title = html.escape(s.text())
        link = f"[{title}]({s.url})" if s.url else title
        lines.append(f"- <span id=\"{key}\"></span>**{key}** {link}{' · *press*' if key in press else ''}")
    return "\n".join(lines) + "\n"


NAV = [
    {"Home": "index.md"},
    {"Executive summary": ["summary.md", "summary.th.md"]},
    {"Methodology": ["methodology/population.md", "methodology/households.md", "methodology/labour.md",
                     "methodology/schemes.md", {"Schemes": "schemes/index.md"}, "methodology/fiscal.md",
                     "methodology/ssf.md"]},
    {"Validation": "validation.md"},
    {"Results": ["results.md", "uncertainty.md"]},
    {"Notebooks": [f"notebooks/{p.name}" for p in NOTEBOOKS]},
    {"Sources": "sources.md"},
]


def stage(src: Path) -> None:
    """Write the book's sources into `src` (a fresh folder)."""
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("build.py", "__pycache__", "*.pyc"))
    (src / "notebooks").mkdir(exist_ok=True)
    for path in NOTEBOOKS:
        shutil.copy(path, src / "notebooks" / path.name)
    r = results()
    (src / "summary.md").write_text(summary(r, "en"), encoding="utf-8")
    (src / "summary.th.md").write_text(summary(r, "th"), encoding="utf-8")
    (src / "validation.md").write_text(validation_page(r), encoding="utf-8")
    (src / "uncertainty.md").write_text(uncertainty_page(r), encoding="utf-8")
    (src / "results.md").write_text(results_page(r), encoding="utf-8")
    (src / "sources.md").write_text(sources_page(), encoding="utf-8")
    schemes = src / "schemes"
    schemes.mkdir(exist_ok=True)
    tree = ParameterTree.load()
    (schemes / "index.md").write_text(schemes_index(), encoding="utf-8")
    for name in DECLARATIONS:
        (schemes / f"{name}.md").write_text(scheme_page(name, tree), encoding="utf-8")
    config = {
        "site_name": "Thailand social protection microsimulation 2023–2037",
        "docs_dir": "docs", "site_dir": "site", "use_directory_urls": False, "strict": True,
        "theme": {"name": "material", "font": False, "features": ["navigation.sections", "toc.follow"]},
        "plugins": ["search", "offline", {"mkdocs-jupyter": {"execute": False, "include_source": True,
                                                              "ignore_h1_titles": False}}],
        "markdown_extensions": ["tables", "admonition", "attr_list", "toc"],
        "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn",
                       "anchors": "warn", "nav": {"omitted_files": "warn", "not_found": "warn"}},
        "nav": NAV,
    }
    (src.parent / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def build(out: Path, stage_only: bool = False) -> Path:
    """Stage the sources under `out`/docs and build the site into `out`/site; returns the site folder."""
    out = out.resolve()  # MkDocs runs in `out`: a relative path would be read from there
    out.mkdir(parents=True, exist_ok=True)
    stage(out / "docs")
    if not stage_only:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # the theme's notice about its successor, not a warning
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", str(out / "mkdocs.yml")],
                       check=True, cwd=out, env=env)
    return out / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python docs/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book", help="output folder (default build/book)")
    parser.add_argument("--stage-only", action="store_true", help="write the book's sources only")
    parser.add_argument("--notebooks", type=Path, help="read the executed notebooks from this folder (default notebooks/)")
    args = parser.parse_args(argv)
    if args.notebooks is not None:
        global NOTEBOOKS
        NOTEBOOKS = sorted(args.notebooks.glob("[0-9][0-9]_*.ipynb"))
        if not NOTEBOOKS:
            print(f"error: --notebooks: no notebooks in {args.notebooks}", file=sys.stderr)
            return 2
    try:
        site = build(args.out, args.stage_only)
    except subprocess.CalledProcessError as error:
        print(f"error: mkdocs build failed (exit status {error.returncode})", file=sys.stderr)
        return 1
    except MissingResult as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{'staged' if args.stage_only else 'built'}: {site if not args.stage_only else args.out / 'docs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
