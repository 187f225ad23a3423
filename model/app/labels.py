"""Every text the app shows, in English and Thai: one table, key -> (English, Thai).

Texts with ``{placeholders}`` are formatted by `label`. Parameter labels come from the parameter files
(`ParameterInfo.label_en` / `label_th`) and scheme labels from the schemes' declarations (`scheme.NAME`), so they
are not repeated here.
"""

import datetime as dt
from typing import Literal

from ..schemes.registry import DECLARATIONS
from .labels_calculator import CALCULATOR_LABELS

Lang = Literal["en", "th"]
LANGUAGES: dict[Lang, str] = {"en": "English", "th": "ไทย"}

LABELS: dict[str, tuple[str, str]] = {
    # page
    "title": ("Thailand social protection 2023–2037: cost, sustainability, who benefits",
              "การคุ้มครองทางสังคมของไทย 2566–2580: ต้นทุน ความยั่งยืน และผู้ได้รับประโยชน์"),
    "language": ("Language / ภาษา", "Language / ภาษา"),
    "run_info": ("Scale: 1 row = {scale:,.0f} persons · seed {seed} · calendar years (CY) {start}–{end}, complete "
                 "fiscal years FY{fy_start}–FY{fy_end} · parameter hash {hash}",
                 "มาตราส่วน: 1 แถว = {scale:,.0f} คน · seed {seed} · ปีปฏิทิน {start}–{end} ปีงบประมาณที่ครบ 12 เดือน "
                 "{fy_start}–{fy_end} (พ.ศ.) · แฮชพารามิเตอร์ {hash}"),
    "poverty_note": ("Poverty is income poverty: the share of a group whose household income per head (the members' "
                     "incomes and, after transfers, their cash benefits, pooled) is below the poverty line. Goal "
                     "170201's multidimensional poverty index is shown with the target groups.",
                     "ความยากจนในที่นี้คือความยากจนด้านรายได้ คือสัดส่วนของกลุ่มที่มีรายได้ครัวเรือนต่อหัว (รายได้ของสมาชิก "
                     "และหลังเงินโอนรวมเงินสวัสดิการของสมาชิกทุกคน) ต่ำกว่าเส้นความยากจน "
                     "ดัชนีความยากจนหลายมิติตามเป้าหมาย 170201 แสดงไว้ในส่วนกลุ่มเป้าหมาย"),
    "mpi_heading": ("Multidimensional poverty (goal 170201) and adequacy of benefits (guideline 3.1.2(1))",
                    "ความยากจนหลายมิติ (เป้าหมาย 170201) และความเพียงพอของสิทธิประโยชน์ (แนวทาง 3.1.2(1))"),
    "mpi_axis": ("MPI (M0 = H × A, 0–1)", "ดัชนีความยากจนหลายมิติ (M0 = H × A, 0–1)"),
    "mpi_headcount_axis": ("Multidimensionally poor (H), %", "สัดส่วนคนจนหลายมิติ (H) (%)"),
    "mpi_intensity_axis": ("Intensity of their deprivation (A), %", "ความรุนแรงของความขาดแคลน (A) (%)"),
    "adequacy_axis": ("Benefits received, % of the poverty line", "สิทธิประโยชน์ที่ได้รับ (% ของเส้นความยากจน)"),
    "lifted_axis": ("Lifted above the poverty line by transfers, %", "พ้นเส้นความยากจนด้วยเงินโอน (%)"),
    "mpi_note": ("The model's version of the official index (Alkire–Foster): a household is deprived in a dimension "
                 "if any member concerned is (income after transfers below the line; aged 60+ without allowance or "
                 "pension; worker aged 15–59 without social insurance; no health cover; disability without the "
                 "allowance; children in an income-poor household), poor when deprived in a third of the weighted "
                 "dimensions (equal weights). The official MPI (NESDC, TPMAP) also counts education, health "
                 "outcomes and living standards, which the model cannot see. Adequacy: mean cash benefits of the "
                 "group's recipients as a share of the poverty line.",
                 "ดัชนีฉบับของแบบจำลอง (วิธี Alkire–Foster): ครัวเรือนขาดแคลนในมิติหนึ่งเมื่อมีสมาชิกที่เกี่ยวข้องขาดแคลน "
                 "(รายได้หลังเงินโอนต่ำกว่าเส้นความยากจน ผู้สูงอายุ 60 ปีขึ้นไปไม่ได้รับเบี้ยยังชีพหรือบำนาญ "
                 "แรงงานอายุ 15–59 ปีไม่มีประกันสังคม ไม่มีหลักประกันสุขภาพ คนพิการไม่ได้รับเบี้ยความพิการ "
                 "เด็กในครัวเรือนยากจนด้านรายได้) และถือว่ายากจนเมื่อขาดแคลนตั้งแต่หนึ่งในสามของมิติที่ถ่วงน้ำหนัก "
                 "(น้ำหนักเท่ากัน) ดัชนีทางการ (สศช. และ TPMAP) นับมิติการศึกษา ผลลัพธ์ด้านสุขภาพ "
                 "และความเป็นอยู่ด้วย ซึ่งแบบจำลองมองไม่เห็น ความเพียงพอ: เงินสวัสดิการเฉลี่ยของผู้ได้รับในกลุ่ม "
                 "เป็นสัดส่วนของเส้นความยากจน"),
    "running": ("Running {name} at 1 row = {scale:,.0f} persons…", "กำลังประมวลผล {name} (1 แถว = {scale:,.0f} คน)…"),
    "run_error": ("The scenario could not be run: {error}", "ไม่สามารถประมวลผลฉากทัศน์ได้: {error}"),
    # scenario choice
    "scenarios": ("Scenarios", "ฉากทัศน์"),
    "baseline": ("Baseline", "กรณีฐาน"),
    "reform": ("Reform", "กรณีปฏิรูป"),
    "uploaded": ("uploaded: {name}", "อัปโหลด: {name}"),
    "upload": ("Upload a scenario (YAML, at most 1 MB)", "อัปโหลดฉากทัศน์ (YAML ไม่เกิน 1 MB)"),
    "upload_ok": ("Loaded the uploaded scenario '{name}' as the reform.",
                  "ใช้ฉากทัศน์ที่อัปโหลด '{name}' เป็นกรณีปฏิรูปแล้ว"),
    "upload_error": ("The uploaded scenario was not accepted: {error}", "ไม่รับฉากทัศน์ที่อัปโหลด: {error}"),
    "precision": ("Precision", "ความละเอียด"),
    "scale_preview": ("Quick preview (1 row = {scale:,} persons; cost ±{cost:.1f}%, change ±{change:.1f}%)",
                      "ดูตัวอย่างเร็ว (1 แถว = {scale:,} คน; ต้นทุน ±{cost:.1f}% ส่วนต่าง ±{change:.1f}%)"),
    "scale_full": ("Full precision (1 row = {scale:,} persons)", "ความละเอียดเต็ม (1 แถว = {scale:,} คน)"),
    "precision_note": ("A quick preview's figures move with the random seed: the relative standard error of one run "
                       "is ±{cost:.1f}% on the reform's total cost over FY{first}–FY{last} and ±{change:.1f}% on its "
                       "change against the baseline (±{full_cost:.2f}% and ±{full_change:.2f}% at full precision); "
                       "measured on {date} over {seeds} seeds ({full_seeds} at full precision; "
                       "benchmarks/preview_precision.py).",
                       "ผลของการดูตัวอย่างเร็วเปลี่ยนไปตาม seed สุ่ม: ค่าคลาดเคลื่อนมาตรฐานสัมพัทธ์ของการประมวลผลหนึ่งครั้ง"
                       "คือ ±{cost:.1f}% สำหรับต้นทุนรวมของกรณีปฏิรูปในปีงบประมาณ {first}–{last} และ ±{change:.1f}% "
                       "สำหรับส่วนต่างจากกรณีฐาน (ที่ความละเอียดเต็ม ±{full_cost:.2f}% และ ±{full_change:.2f}%) "
                       "วัดเมื่อ {date} จาก {seeds} seed (ที่ความละเอียดเต็ม {full_seeds} seed; "
                       "benchmarks/preview_precision.py)"),
    # levers
    "levers": ("Levers of the reform", "ตัวปรับนโยบายของกรณีปฏิรูป"),
    "levers_note": ("A changed control sets its parameter from the group's start date on and replaces later dated "
                    "values; untouched controls keep the reform as it is.",
                    "ค่าที่ปรับจะใช้ตั้งแต่วันเริ่มของกลุ่มเป็นต้นไปและแทนค่าที่กำหนดไว้หลังวันนั้น "
                    "ค่าที่ไม่ได้ปรับเป็นไปตามกรณีปฏิรูปเดิม"),
    "start_date": ("Start date", "วันที่เริ่มใช้"),
    "current_law": ("Current law", "กฎหมายปัจจุบัน"),
    "in_reform": ("in the reform", "ในกรณีปฏิรูป"),
    "source": ("Source", "ที่มา"),
    "from": ("from", "ตั้งแต่"),
    "yes": ("yes", "ใช่"),
    "no": ("no", "ไม่"),
    "macro": ("Macro economy", "เศรษฐกิจมหภาค"),
    "shift": ("{name}: change from 2024 on", "{name}: ปรับเพิ่ม/ลด ตั้งแต่ปี 2567"),
    "assumption_path": ("Assumption path", "เส้นทางสมมติฐาน"),
    "macro_sources": ("Sources: {sources}. Assumptions: {assumptions}", "ที่มา: {sources} สมมติฐาน: {assumptions}"),
    "real_growth": ("Real GDP growth", "อัตราการเติบโตของ GDP ที่แท้จริง"),
    "inflation": ("CPI inflation", "อัตราเงินเฟ้อทั่วไป"),
    "interest_rate": ("Interest rate on public debt", "อัตราดอกเบี้ยเฉลี่ยของหนี้สาธารณะ"),
    # units
    "unit.thb_month": ("THB/month", "บาท/เดือน"),
    "unit.thb_child_month": ("THB/child/month", "บาท/เด็ก/เดือน"),
    "unit.years": ("years", "ปี"),
    "unit.pct_wage": ("% of insurable wage", "% ของค่าจ้างที่ใช้คำนวณเงินสมทบ"),
    "unit.pct_year": ("% a year", "% ต่อปี"),
    "unit.pp": ("percentage points", "จุดร้อยละ"),
    "unit.switch": ("on/off", "เปิด/ปิด"),
    # headline tiles
    "tile_cost": ("Cost FY{year}, % of GDP", "ค่าใช้จ่ายปีงบ {year} (% GDP)"),
    "tile_depletion": ("SSF depletion year (CY)", "ปีที่ประกันสังคมหมด (ปีปฏิทิน)"),
    "tile_depletion_old_age": ("SSF old-age branch depletion (CY)", "ปีที่เงินกองทุนกรณีชราภาพหมด (ปีปฏิทิน)"),
    "help_depletion_old_age": ("First calendar year at whose end the reserve of the Social Security Fund's old-age "
                               "branch (pensions, lump sums and child allowance: the branch the solvency verdict "
                               "tests) is negative; the pooled fund, all branches together, runs out in {pooled}. "
                               "From a 2023–2100 run at 1 row = {scale:,.0f} persons.",
                               "ปีปฏิทินแรกที่เงินสำรองของกองทุนประกันสังคมกรณีชราภาพ (บำนาญ บำเหน็จ และสงเคราะห์บุตร "
                               "ซึ่งเป็นกรณีที่ใช้ทดสอบความยั่งยืน) ณ สิ้นปีติดลบ ส่วนกองทุนรวมทุกกรณีหมดในปี {pooled} "
                               "จากการประมวลผลช่วง 2023–2100 ที่ 1 แถว = {scale:,.0f} คน"),
    "tile_headroom": ("Least debt headroom (CY)", "ช่องว่างหนี้ต่ำสุด (ปีปฏิทิน)"),
    "tile_poverty": ("Old-age poverty CY{start}–{end}", "ยากจน 60+ ปีปฏิทิน {start}–{end}"),
    "tile_baseline": ("Baseline: {value}", "กรณีฐาน: {value}"),
    "help_cost": ("Total cost of all schemes in fiscal year {year} (1 October {previous} to 30 September {year}; "
                  "benefits paid, nominal), as a percent of that fiscal year's GDP: 3/12 of calendar {previous}'s "
                  "GDP plus 9/12 of calendar {year}'s.",
                  "ค่าใช้จ่ายรวมของทุกโครงการในปีงบประมาณ พ.ศ. {year} (1 ต.ค. {previous} – 30 ก.ย. {year} "
                  "สวัสดิการที่จ่าย ราคาประจำปี) เป็นร้อยละของ GDP ของปีงบประมาณนั้น คือ 3/12 ของ GDP ปีปฏิทิน "
                  "{previous} บวก 9/12 ของ GDP ปีปฏิทิน {year}"),
    "help_depletion": ("First calendar year at whose end the Social Security Fund's reserves are negative, from a "
                       "2023–2100 run at 1 row = {scale:,.0f} persons.",
                       "ปีปฏิทินแรกที่เงินกองทุนประกันสังคม ณ สิ้นปีติดลบ จากการประมวลผลช่วง 2566–2643 ที่ 1 แถว = "
                       "{scale:,.0f} คน"),
    "help_headroom": ("The smallest gap between the public-debt ceiling of {limit:.0f}% of GDP and public debt at the "
                      "end of each calendar year {start}–{end}, in percentage points of GDP; lowest in {year}. "
                      "Negative means a breach.",
                      "ช่องว่างที่น้อยที่สุดระหว่างเพดานหนี้สาธารณะ {limit:.0f}% ของ GDP กับหนี้สาธารณะ ณ สิ้นปีปฏิทิน "
                      "ในช่วง {start}–{end} (จุดร้อยละของ GDP) ต่ำสุดในปี {year} ค่าติดลบหมายถึงเกินเพดาน"),
    "help_poverty": ("Change of the poverty rate of people aged 60+ after transfers (income-based proxy), calendar "
                     "{end} minus {start}, the first five-year period of the master plan (goal 170201: a 10% fall "
                     "per period). Rate {start}: {rate_first:.2f}%, {end}: {rate_last:.2f}%.",
                     "อัตราความยากจนของผู้มีอายุ 60 ปีขึ้นไปหลังได้รับเงินโอน (ตัวแทนจากรายได้) ปีปฏิทิน {end} ลบปี {start} "
                     "ซึ่งเป็นช่วงห้าปีแรกของแผนแม่บท (เป้าหมาย 170201: ลดลงร้อยละ 10 ต่อช่วง) "
                     "อัตราปี {start}: {rate_first:.2f}% ปี {end}: {rate_last:.2f}%"),
    "after_2100": ("after 2100", "หลังปี 2643"),
    "computing": ("computing the 2023–2100 runs…", "กำลังคำนวณช่วง 2566–2643…"),
    "pp": ("{value:+.2f} pp", "{value:+.2f} จุด"),
    "pct": ("{value:.2f}%", "{value:.2f}%"),
    "year_delta": ("{value:+d} years", "{value:+d} ปี"),
    # charts
    "tab_cost": ("Cost by scheme", "ค่าใช้จ่ายรายโครงการ"),
    "tab_difference": ("Reform − baseline", "ปฏิรูป − ฐาน"),
    "tab_debt": ("Public debt", "หนี้สาธารณะ"),
    "tab_ssf": ("SSF reserves", "เงินกองทุนประกันสังคม"),
    "tab_population": ("Population", "ประชากร"),
    "tab_groups": ("Target groups", "กลุ่มเป้าหมาย"),
    "tab_verdicts": ("Verdicts", "ผลการทดสอบความยั่งยืน"),
    "tab_backtest": ("Base year (back-test)", "ปีฐาน (ทดสอบย้อนหลัง)"),
    "measure": ("Measure", "หน่วยวัด"),
    "measure.nominal": ("THB bn, nominal", "พันล้านบาท ราคาประจำปี"),
    "measure.real": ("THB bn, 2023 prices", "พันล้านบาท ราคาปี 2566"),
    "measure.pct_gdp": ("% of GDP", "% ของ GDP"),
    "fiscal_year_axis": ("Fiscal year (1 Oct–30 Sep)", "ปีงบประมาณ (พ.ศ.; 1 ต.ค.–30 ก.ย.)"),
    "calendar_year_axis": ("Calendar year", "ปีปฏิทิน (พ.ศ.)"),
    "end_of_year_axis": ("Calendar year (end of year)", "ปีปฏิทิน (พ.ศ.; ณ สิ้นปี)"),
    "cost_note": ("Fiscal year t runs from 1 October t−1 to 30 September t (FY2024: 1 October 2023 to 30 September "
                  "2024, the first complete one of the run); the model pays benefits month by month and sums the "
                  "twelve months. Real cost deflates each month by its calendar year's CPI (2023 = 1); % of GDP "
                  "divides by the fiscal year's GDP, taken as 3/12 of the previous calendar year's GDP plus 9/12 of "
                  "its own.",
                  "ปีงบประมาณ t คือ 1 ต.ค. t−1 ถึง 30 ก.ย. t (พ.ศ.; ปีงบประมาณ 2567 คือ 1 ต.ค. 2566 ถึง "
                  "30 ก.ย. 2567 เป็นปีแรกที่ครบ 12 เดือนในการประมวลผล) แบบจำลองจ่ายสวัสดิการรายเดือนแล้วรวม 12 เดือน "
                  "ค่าใช้จ่ายที่แท้จริงปรับแต่ละเดือนด้วยดัชนีราคาผู้บริโภคของปีปฏิทินนั้น (2566 = 1) ร้อยละของ GDP "
                  "ใช้ GDP ของปีงบประมาณ คือ 3/12 ของ GDP ปีปฏิทินก่อนหน้าบวก 9/12 ของ GDP ปีปฏิทินเดียวกัน"),
    "age": ("Age", "อายุ"),
    "persons_thousand": ("Persons (thousand)", "จำนวนคน (พันคน)"),
    "male": ("Male", "ชาย"),
    "female": ("Female", "หญิง"),
    "pyramid_year": ("Calendar year of the second pyramid", "ปีปฏิทินของปิรามิดที่สอง (พ.ศ.)"),
    "pyramid_title": ("Population on 1 July {year}", "ประชากร ณ 1 ก.ค. {year}"),
    "debt_axis": ("Public debt, % of GDP", "หนี้สาธารณะ (% ของ GDP)"),
    "ceiling": ("ceiling {limit:.0f}%", "เพดาน {limit:.0f}%"),
    "reserve_axis": ("SSF reserves, THB bn (nominal)", "เงินกองทุนประกันสังคม (พันล้านบาท)"),
    "depletes": ("{name} depletes {year}", "{name} หมดปี {year}"),
    "projection_end": ("end of the projection", "สิ้นสุดช่วงประมาณการ"),
    "ssf_caption": ("Reserves at the end of each calendar year, from the 2023–2100 runs at 1 row = {scale:,.0f} "
                    "persons; the projection proper ends in {end}.",
                    "เงินกองทุน ณ สิ้นปีปฏิทิน จากการประมวลผลช่วง 2566–2643 ที่ 1 แถว = {scale:,.0f} คน "
                    "ช่วงประมาณการหลักสิ้นสุดปี {end}"),
    "poverty_axis": ("Poverty after transfers, %", "ความยากจนหลังได้รับเงินโอน (%)"),
    "coverage_axis": ("Coverage, %", "ความครอบคลุม (%)"),
    "difference_axis": ("Reform − baseline, {measure}", "ปฏิรูป − ฐาน ({measure})"),
    # verdict table
    "criterion": ("Criterion", "เกณฑ์"),
    "limit": ("Limit", "ค่าเกณฑ์"),
    "least_headroom": ("Least headroom (pp), {name}", "ช่องว่างต่ำสุด (จุด) {name}"),
    "verdict": ("Verdict, {name}", "ผล {name}"),
    "pass": ("PASS", "ผ่าน"),
    "fail_from": ("FAIL from {year}", "ไม่ผ่าน ตั้งแต่ปี {year}"),
    "fail": ("FAIL", "ไม่ผ่าน"),
    "basis": ("Basis", "ที่มาของเกณฑ์"),
    "basis_law": ("Legal ceiling (Fiscal Disciplines Act)", "เพดานตามกฎหมาย (พ.ร.บ.วินัยการเงินการคลังของรัฐ)"),
    "basis_actuarial": ("Actuarial test", "การทดสอบทางคณิตศาสตร์ประกันภัย"),
    "basis_framework_target": ("Framework target (MTFF)", "เป้าหมายตามกรอบการคลังระยะปานกลาง"),
    "role": ("Role", "บทบาท"),
    "role_binding": ("binding", "มีผลต่อผลการทดสอบ"),
    "role_warning": ("warning only", "เป็นคำเตือนเท่านั้น"),
    "met": ("met", "เป็นไปตามเป้า"),
    "warning_from": ("warning from {year}", "เตือน ตั้งแต่ปี {year}"),
    "overall_verdict": ("{name}: {verdict} on the legal ceilings and SSF solvency; {warnings} warning(s) on targets "
                        "and other actuarial tests",
                        "{name}: {verdict} ตามเพดานทางกฎหมายและความพอเพียงของกองทุนประกันสังคม "
                        "มีคำเตือน {warnings} รายการจากเป้าหมายและการทดสอบทางคณิตศาสตร์ประกันภัยอื่น"),
    "not_evaluated_note": ("Not evaluated: the ceiling of section 28 of the Act (outstanding quasi-fiscal obligations "
                           "at most 32% of the annual budget); the model has no such obligations.",
                           "ไม่ได้ทดสอบ: เพดานตามมาตรา 28 ของ พ.ร.บ. (ยอดคงค้างภาระจากมาตรการกึ่งการคลังไม่เกิน 32% "
                           "ของงบประมาณรายจ่ายประจำปี) เนื่องจากแบบจำลองไม่มีภาระดังกล่าว"),
    # base-year back-test
    "backtest_caption": ("The baseline '{name}' at 1 row = {scale:,.0f} persons, seed {seed}, against the "
                         "administrative totals of data/administrative_totals.csv: {passed} of {checked} within "
                         "tolerance. Each total is compared on its own period and basis (a fiscal year, a calendar "
                         "year or a month; totals from before FY2024, the first complete fiscal year of the run, with "
                         "calendar 2023). The tolerance follows the kind of figure: ±7% outturns, ±10% allocations "
                         "and reported counts, ±15% averages and approximate figures; it is meant for full precision "
                         "(1 row = 100 persons), and the quick preview adds sampling error. "
                         "`python -m model validate` prints the same table.",
                         "กรณีฐาน '{name}' ที่ 1 แถว = {scale:,.0f} คน seed {seed} เทียบกับยอดรวมทางการใน "
                         "data/administrative_totals.csv: อยู่ในเกณฑ์คลาดเคลื่อน {passed} จาก {checked} รายการ "
                         "แต่ละรายการเทียบในช่วงเวลาและฐานเดียวกัน (ปีงบประมาณ ปีปฏิทิน หรือเดือน พ.ศ. ยอดก่อนปีงบประมาณ "
                         "2567 ซึ่งเป็นปีงบประมาณแรกที่ครบในการประมวลผล เทียบกับปีปฏิทิน 2566) เกณฑ์คลาดเคลื่อนตามชนิดตัวเลข: "
                         "±7% ผลการเบิกจ่าย ±10% งบประมาณที่จัดสรรและจำนวนที่รายงาน ±15% ค่าเฉลี่ยและตัวเลขโดยประมาณ "
                         "ใช้กับความละเอียดเต็ม (1 แถว = 100 คน) การดูตัวอย่างเร็วมีความคลาดเคลื่อนจากการสุ่มมากกว่า "
                         "คำสั่ง `python -m model validate` แสดงตารางเดียวกัน"),
    "calibrated_title": ("Values solved against these totals", "ค่าที่ปรับเทียบกับยอดรวมเหล่านี้"),
    "calibrated_note": ("Only these behavioural values (take-up, usage, shares) were solved against base-year totals; "
                        "every other parameter is a cited rule or a stated assumption.",
                        "มีเพียงค่าพฤติกรรมเหล่านี้ (อัตราการเข้าร่วม การใช้สิทธิ สัดส่วน) ที่ปรับเทียบกับยอดรวมปีฐาน "
                        "พารามิเตอร์อื่นทั้งหมดมาจากกฎที่อ้างอิงได้หรือสมมติฐานที่ระบุไว้"),
    "calibrated.parameter": ("Parameter", "พารามิเตอร์"),
    "calibrated.from": ("In force from", "ใช้ตั้งแต่"),
    "calibrated.value": ("Value", "ค่า"),
    "calibrated.target": ("Solved against", "ปรับเทียบกับ"),
    "calibrated.calibrated_on": ("Solved on", "วันที่ปรับเทียบ"),
    "bt.id": ("Total", "รายการ"),
    "bt.scheme": ("Scheme", "โครงการ"),
    "bt.quantity": ("Quantity", "ตัวชี้วัด"),
    "bt.period": ("Period", "ช่วงเวลา"),
    "bt.basis": ("Model basis", "ฐานของแบบจำลอง"),
    "bt.model": ("Model", "แบบจำลอง"),
    "bt.target": ("Target", "ยอดทางการ"),
    "bt.unit": ("Unit", "หน่วย"),
    "bt.error": ("Error, %", "คลาดเคลื่อน (%)"),
    "bt.tolerance": ("Tolerance, ±%", "เกณฑ์ (±%)"),
    "bt.result": ("Result", "ผล"),
    "bt.type": ("Kind of figure", "ชนิดตัวเลข"),
    "bt.unit.THB": ("THB bn", "พันล้านบาท"),
    "bt.unit.persons": ("million persons", "ล้านคน"),
    "quantity.cost": ("cost", "ค่าใช้จ่าย"),
    "quantity.benefits": ("benefits paid", "สิทธิประโยชน์ที่จ่าย"),
    "quantity.contributions": ("contributions", "เงินสมทบ"),
    "quantity.recipients": ("recipients", "ผู้รับ"),
    "quantity.members": ("members", "สมาชิก"),
    "quantity.beneficiaries": ("beneficiaries", "ผู้มีสิทธิ"),
    "quantity.holders": ("card holders", "ผู้ถือบัตร"),
    "quantity.pensioners": ("pensioners", "ผู้รับบำนาญ"),
    "quantity.claimants": ("claimants", "ผู้ขอรับสิทธิ"),
    "quantity.assets": ("assets", "สินทรัพย์กองทุน"),
    "total_type.outturn": ("outturn", "ผลการเบิกจ่าย"),
    "total_type.allocation": ("allocation", "งบประมาณที่จัดสรร"),
    "total_type.reported": ("reported count", "จำนวนที่รายงาน"),
    "total_type.registration": ("registration count", "จำนวนผู้ลงทะเบียน"),
    "total_type.average": ("multi-year average", "ค่าเฉลี่ยหลายปี"),
    "total_type.approximate": ("approximate", "โดยประมาณ"),
    "period.fy": ("FY{year}", "ปีงบประมาณ {year}"),
    "period.fy_range": ("FY{first}-FY{last}", "ปีงบประมาณ {first}–{last}"),
    "period.cy": ("CY{year}", "ปีปฏิทิน {year}"),
    "period.cy_range": ("CY{first}-CY{last}", "ปีปฏิทิน {first}–{last}"),
    "basis.month": ("month {year}-{month}", "เดือน {year}-{month}"),
    "basis.fy": ("FY{year}", "ปีงบประมาณ {year}"),
    "basis.fy_mean": ("mean of FY{first}-{last}", "เฉลี่ยปีงบประมาณ {first}–{last}"),
    "basis.cy": ("calendar {year}", "ปีปฏิทิน {year}"),
    "basis.cy_mean": ("mean of calendar {first}-{last}", "เฉลี่ยปีปฏิทิน {first}–{last}"),
    "basis.before_run": ("calendar {year} (period before the run)",
                         "ปีปฏิทิน {year} (ช่วงเวลาก่อนปีแรกของการประมวลผล)"),
    "basis.part_of_fy": ("calendar {year} (9 of FY{fy}'s 12 months)",
                         "ปีปฏิทิน {year} (9 ใน 12 เดือนของปีงบประมาณ {fy})"),
    "basis.before_fy": ("calendar {year} (period before FY{fy})", "ปีปฏิทิน {year} (ช่วงเวลาก่อนปีงบประมาณ {fy})"),
    "basis.opening_reserve": ("opening reserve (an input)", "เงินกองทุนต้นงวด (ข้อมูลนำเข้า)"),
    "basis.reserve_end": ("reserve at the end of {year}", "เงินกองทุน ณ สิ้นปี {year}"),
    "basis.reserve_mid": ("mean of the reserves at the ends of {first} and {last}",
                          "ค่าเฉลี่ยเงินกองทุน ณ สิ้นปี {first} และ {last}"),
    "basis.not_in_model": ("scheme not in the model", "ไม่มีโครงการนี้ในแบบจำลอง"),
    "verdict_note": ("Each criterion must hold in every calendar year of {start}–{end}; the SSF criteria here cover "
                     "those years only (see the depletion tile for the long run).",
                     "แต่ละเกณฑ์ต้องผ่านทุกปีปฏิทินในช่วง {start}–{end} เกณฑ์ของกองทุนประกันสังคมในตารางนี้ครอบคลุมเฉพาะช่วงนี้ "
                     "(ดูปีที่กองทุนหมดสำหรับระยะยาว)"),
    # downloads
    "downloads": ("Downloads", "ดาวน์โหลด"),
    "download_yaml": ("Scenario (YAML)", "ฉากทัศน์ (YAML)"),
    "download_csv": ("Results (CSV)", "ผลลัพธ์ (CSV)"),
    "download_nc": ("Results (NetCDF)", "ผลลัพธ์ (NetCDF)"),
    # household calculator, current policy beside current law, code that reproduces a reform
    **CALCULATOR_LABELS,
    # schemes
    **{f"scheme.{name}": (scheme.label_en, scheme.label_th) for name, scheme in DECLARATIONS.items()},
    "scheme.cash_allowances": ("Cash allowances, four schemes", "เบี้ยยังชีพและเงินอุดหนุน 4 โครงการ"),
    "scheme.ssf": ("Social Security Fund, all sections", "กองทุนประกันสังคม ทุกมาตรา"),
    # target groups
    "group.aged_60_plus": ("Aged 60+", "ผู้สูงอายุ 60 ปีขึ้นไป"),
    "group.children_0_6": ("Children 0–6", "เด็กอายุ 0–6 ปี"),
    "group.disability": ("Persons with disabilities", "คนพิการ"),
    "group.informal_workers": ("Informal workers", "แรงงานนอกระบบ"),
    "group.all": ("Whole population", "ประชากรทั้งหมด"),
    # sustainability criteria
    "criterion.public_debt_ceiling": ("Public debt ≤ 70% of GDP", "หนี้สาธารณะไม่เกิน 70% ของ GDP"),
    "criterion.debt_service_ceiling": ("Debt service ≤ 35% of revenue", "ภาระหนี้ไม่เกิน 35% ของรายได้"),
    "criterion.deficit_ceiling": ("Deficit ≤ 3% of GDP from 2029", "ขาดดุลไม่เกิน 3% ของ GDP ตั้งแต่ปี 2572"),
    "criterion.ssf_reserve_positive": ("SSF old-age branch reserves above zero",
                                       "เงินกองทุนประกันสังคมกรณีชราภาพมากกว่าศูนย์"),
    "criterion.ssf_reserve_ratio_floor": ("SSF old-age branch reserves ≥ one year of its outgo",
                                          "เงินกองทุนประกันสังคมกรณีชราภาพไม่น้อยกว่ารายจ่ายหนึ่งปี"),
    # years: offset of the era the page shows (charts add it to their common-era years)
    "era_offset": ("0", "543"),
    "fy_short": ("FY{year}", "ปีงบ {year}"),
    # shipped scenarios
    "scenario.baseline": ("Current law (baseline)", "กฎหมายปัจจุบัน (กรณีฐาน)"),
    "scenario.current_policy": ("Current policy: amounts kept in real terms", "นโยบายปัจจุบัน: คงมูลค่าที่แท้จริง"),
    "scenario.oaa_ladder_2025": ("Old-age allowance ladder 700–1,250 THB", "เบี้ยยังชีพผู้สูงอายุขั้นบันได 700–1,250 บาท"),
    "scenario.oaa_flat_1000": ("Old-age allowance 1,000 THB at every age", "เบี้ยยังชีพผู้สูงอายุ 1,000 บาททุกช่วงอายุ"),
    "scenario.basic_pension_poverty_line": ("Old-age allowance at the poverty line",
                                            "เบี้ยยังชีพผู้สูงอายุเท่าเส้นความยากจน"),
    "scenario.universal_csg_2026": ("Universal child support grant", "เงินอุดหนุนเด็กแรกเกิดถ้วนหน้า"),
    "scenario.disability_1000": ("Disability allowance 1,000 THB", "เบี้ยความพิการ 1,000 บาท"),
    "scenario.welfare_package_2024": ("Welfare package (three allowances)", "ชุดสวัสดิการ (เบี้ยสามประเภท)"),
    "scenario.oaa_ladder_2025_financed": ("Old-age ladder, financed (0.15% of GDP)",
                                          "เบี้ยผู้สูงอายุขั้นบันได มีแหล่งรายได้ชดเชย (0.15% ของ GDP)"),
    "scenario.ssf_pension_age_60": ("SSF pension age 55 → 60", "อายุรับบำนาญประกันสังคม 55 → 60 ปี"),
    "scenario.ssf_ceiling_frozen": ("SSF wage ceiling frozen at 15,000 THB", "คงเพดานค่าจ้างประกันสังคมที่ 15,000 บาท"),
    "scenario.s40_expansion": ("Section 40 expansion to 20 million", "ขยายผู้ประกันตนมาตรา 40 สู่ 20 ล้านคน"),
    "scenario.low_growth": ("Low growth (stress test)", "เศรษฐกิจเติบโตต่ำ (ทดสอบภาวะวิกฤต)"),
    "scenario.births_registered": ("Births as registered 2023–2025", "การเกิดตามทะเบียน 2566–2568"),
    "edited": ("{name} · edited ({count})", "{name} · ปรับแล้ว ({count})"),
    "edited_note": ("Edited: {count} change(s) to '{name}'", "ปรับแล้ว: {count} รายการจาก '{name}'"),
    # headline
    "headline_costs": ("**{reform}** costs **THB {amount} bn** over FY{first}–FY{last} (government {government} bn, "
                       "Social Security Fund {fund} bn), {pct:.2f}% of GDP a year",
                       "**{reform}** มีต้นทุน **{amount} พันล้านบาท** ในปีงบประมาณ {first}–{last} (รัฐบาล {government} "
                       "พันล้านบาท กองทุนประกันสังคม {fund} พันล้านบาท) เฉลี่ยร้อยละ {pct:.2f} ของ GDP ต่อปี"),
    "headline_saves": ("**{reform}** saves **THB {amount} bn** over FY{first}–FY{last} (government {government} bn, "
                       "Social Security Fund {fund} bn), {pct:.2f}% of GDP a year",
                       "**{reform}** ประหยัด **{amount} พันล้านบาท** ในปีงบประมาณ {first}–{last} (รัฐบาล {government} "
                       "พันล้านบาท กองทุนประกันสังคม {fund} พันล้านบาท) เฉลี่ยร้อยละ {pct:.2f} ของ GDP ต่อปี"),
    "headline_none": ("**{reform}** leaves the cost unchanged over FY{first}–FY{last}",
                      "**{reform}** ไม่เปลี่ยนต้นทุนในปีงบประมาณ {first}–{last}"),
    "headline_all_hold": ("every legal ceiling and the Social Security Fund's solvency hold through {end}",
                          "ผ่านเพดานทางกฎหมายทุกข้อและกองทุนประกันสังคมไม่หมดจนถึงปี {end}"),
    "breach.public_debt_ceiling": ("public debt breaches the {limit:.0f}% of GDP ceiling at the end of {year}",
                                   "หนี้สาธารณะเกินเพดานร้อยละ {limit:.0f} ของ GDP ณ สิ้นปี {year}"),
    "breach.debt_service_ceiling": ("debt service breaches the {limit:.0f}% of revenue ceiling in {year}",
                                    "ภาระหนี้เกินเพดานร้อยละ {limit:.0f} ของรายได้ในปี {year}"),
    "breach.ssf_reserve_positive": ("the Social Security Fund's old-age branch runs out in {year}",
                                    "เงินกองทุนประกันสังคมกรณีชราภาพหมดในปี {year}"),
    "breach.deficit_ceiling": ("the deficit exceeds the {limit:.0f}% of GDP target from {year}",
                               "การขาดดุลเกินเป้าหมายร้อยละ {limit:.0f} ของ GDP ตั้งแต่ปี {year}"),
    "breach.ssf_reserve_ratio_floor": ("the SSF old-age branch holds less than a year of its outgo from {year}",
                                       "เงินกองทุนประกันสังคมต่ำกว่ารายจ่ายหนึ่งปีตั้งแต่ปี {year}"),
    "baseline_never": ("(the baseline does not)", "(กรณีฐานไม่เกิน)"),
    "baseline_same": ("(so does the baseline)", "(กรณีฐานก็เช่นกัน)"),
    "baseline_other": ("(baseline: {year})", "(กรณีฐาน: ปี {year})"),
    "and": (" and ", " และ "),
    "banner_pass": ("PASS · {criterion}", "ผ่าน · {criterion}"),
    "banner_fail": ("FAIL · {criterion}: first breach {year}", "ไม่ผ่าน · {criterion}: เกินครั้งแรกปี {year}"),
    "banner_met": ("Target met · {criterion}", "เป็นไปตามเป้า · {criterion}"),
    "banner_warning": ("Warning · {criterion}: breached from {year}", "คำเตือน · {criterion}: เกินตั้งแต่ปี {year}"),
    "banner_note": ("Legal ceilings and the Social Security Fund's solvency pass or fail (calendar years {start}–{end}); "
                    "framework targets and other actuarial tests only warn.",
                    "เพดานทางกฎหมายและความพอเพียงของกองทุนประกันสังคมตัดสินผ่าน/ไม่ผ่าน (ปีปฏิทิน {start}–{end}) "
                    "เป้าหมายตามกรอบการคลังและการทดสอบอื่นเป็นเพียงคำเตือน"),
    # budget impact
    "tab_impact": ("Budget impact", "ผลต่องบประมาณ"),
    "tab_who_gains": ("Who gains", "ใครได้ประโยชน์"),
    "wg.year": ("Year", "ปี"),
    "wg.decile": ("Household income decile", "กลุ่มรายได้ครัวเรือน (ทศางค์)"),
    "wg.region": ("Region", "ภาค"),
    "wg.decile_n": ("D{n}", "กลุ่ม {n}"),
    "wg.title.decile": ("Effect per person by household income decile, {year}",
                        "ผลต่อคนจำแนกตามกลุ่มรายได้ครัวเรือน ปี {year}"),
    "wg.title.region": ("Effect per person by region, {year}", "ผลต่อคนจำแนกตามภาค ปี {year}"),
    "wg.title.schemes": ("Change in benefits by scheme and decile, {year}",
                         "การเปลี่ยนแปลงของสิทธิประโยชน์จำแนกตามโครงการและกลุ่มรายได้ ปี {year}"),
    "wg.title.poverty": ("Poverty after transfers by region, {year}", "ความยากจนหลังเงินโอนจำแนกตามภาค ปี {year}"),
    "wg.col.persons": ("Persons, thousand", "จำนวนคน (พันคน)"),
    "wg.col.gain": ("Average net gain, THB per person a year", "ผลได้สุทธิเฉลี่ย (บาทต่อคนต่อปี)"),
    "wg.col.gaining": ("Gaining, % of persons", "ได้ประโยชน์ (% ของคน)"),
    "wg.col.losing": ("Losing, % of persons", "เสียประโยชน์ (% ของคน)"),
    "wg.axis_gain": ("THB per person a year (reform − baseline)", "บาทต่อคนต่อปี (ปฏิรูป − ฐาน)"),
    "wg.axis_scheme": ("THB million a year (reform − baseline)", "ล้านบาทต่อปี (ปฏิรูป − ฐาน)"),
    "wg.axis_poverty": ("% of persons below the poverty line", "% ของคนที่อยู่ใต้เส้นความยากจน"),
    "wg.matching": ("Matching the persons of both runs…", "กำลังจับคู่บุคคลของทั้งสองการประมวลผล…"),
    "wg.no_change": ("No scheme pays differently in this year.", "ไม่มีโครงการใดจ่ายต่างไปในปีนี้"),
    "wg.note": ("Deciles rank persons by their household's income per person before transfers (ten groups of equal "
                "persons, households kept whole). Net gain: cash benefits minus the contributions the insured pay "
                "themselves, reform minus baseline, per person of the group. Gaining or losing: the household's "
                "net gain per member above 1 THB a month, persons of both runs matched.",
                "กลุ่มรายได้เรียงบุคคลตามรายได้ต่อหัวของครัวเรือนก่อนเงินโอน (สิบกลุ่มที่มีจำนวนคนเท่ากัน ไม่แยกครัวเรือน) "
                "ผลได้สุทธิ: เงินสวัสดิการที่เป็นตัวเงินหักเงินสมทบที่ผู้ประกันตนจ่ายเอง ปฏิรูปลบฐาน ต่อคนในกลุ่ม "
                "ได้หรือเสียประโยชน์: ผลได้สุทธิต่อสมาชิกของครัวเรือนเกิน 1 บาทต่อเดือน โดยจับคู่บุคคลของทั้งสองการประมวลผล"),
    "wg.title.groups": ("Target groups under the reform, {year}", "กลุ่มเป้าหมายภายใต้การปฏิรูป ปี {year}"),
    "wg.group": ("Target group", "กลุ่มเป้าหมาย"),
    "wg.col.poverty": ("Poverty after transfers, %", "ความยากจนหลังเงินโอน (%)"),
    "wg.col.mpi": ("MPI (M0 × 100)", "ดัชนีความยากจนหลายมิติ (M0 × 100)"),
    "wg.col.coverage": ("Coverage, %", "ความครอบคลุม (%)"),
    "wg.baseline": ("baseline", "กรณีฐาน"),
    "wg.reform": ("reform", "การปฏิรูป"),
    "wg.change": ("change (pp)", "ผลต่าง (จุดร้อยละ)"),
    "wg.groups_note": ("The model's versions of the master plan's indicators (see the target-groups tab): poverty "
                       "after transfers pooled within households, the multidimensional poverty index in the "
                       "Alkire–Foster form, and coverage by any benefit or social insurance.",
                       "ตัวชี้วัดตามแผนแม่บทในแบบของแบบจำลอง (ดูแท็บกลุ่มเป้าหมาย): ความยากจนหลังเงินโอนที่รวมภายในครัวเรือน "
                       "ดัชนีความยากจนหลายมิติแบบ Alkire–Foster และความครอบคลุมของสวัสดิการหรือประกันสังคม"),
    "wg.poverty_note": ("Every region is measured against the national poverty line (regional lines are not in the "
                        "model).", "ทุกภาควัดด้วยเส้นความยากจนระดับประเทศ (แบบจำลองไม่มีเส้นความยากจนรายภาค)"),
    "region.bangkok": ("Greater Bangkok", "กรุงเทพฯ และปริมณฑล"),
    "region.central": ("Central", "ภาคกลาง"),
    "region.north": ("North", "ภาคเหนือ"),
    "region.northeast": ("Northeast", "ภาคตะวันออกเฉียงเหนือ"),
    "region.south": ("South", "ภาคใต้"),
    "share.government": ("Government (budget)", "รัฐบาล (งบประมาณ)"),
    "share.fund": ("Social Security Fund (net of contributions)", "กองทุนประกันสังคม (สุทธิจากเงินสมทบ)"),
    "share.total": ("Total", "รวม"),
    "impact_axis": ("Reform − baseline, THB bn (nominal)", "ปฏิรูป − ฐาน (พันล้านบาท ราคาประจำปี)"),
    "impact_note": ("Government: benefits of the budget-financed schemes and the government's contributions; Social "
                    "Security Fund: its benefits less all the contributions it receives. Nominal THB, fiscal years "
                    "(1 October–30 September); % of GDP of the fiscal year.",
                    "รัฐบาล: สวัสดิการของโครงการที่ใช้งบประมาณและเงินสมทบของรัฐ กองทุนประกันสังคม: สิทธิประโยชน์ที่จ่าย"
                    "หักเงินสมทบทั้งหมดที่ได้รับ ราคาประจำปี ปีงบประมาณ (1 ต.ค.–30 ก.ย.) ร้อยละของ GDP ของปีงบประมาณ"),
    "col.fiscal_year": ("Fiscal year", "ปีงบประมาณ"),
    "col.year": ("Calendar year", "ปีปฏิทิน"),
    "col.thb_bn": ("{name}, THB bn", "{name} (พันล้านบาท)"),
    "col.pct_gdp": ("{name}, % of GDP", "{name} (% ของ GDP)"),
    "col.pct": ("{name}, %", "{name} (%)"),
    "col.unit": ("Unit", "หน่วย"),
    "col.ceiling": ("Ceiling, % of GDP", "เพดาน (% ของ GDP)"),
    "col.breach": ("Above the ceiling", "เกินเพดาน"),
    "total_row": ("Total", "รวม"),
    "breach_mark": ("{name}: first breach {year} ({value:.1f}%)", "{name}: เกินครั้งแรกปี {year} ({value:.1f}%)"),
    # tables and downloads
    "table": ("Table", "ตาราง"),
    "download_table": ("Download this table (CSV)", "ดาวน์โหลดตารางนี้ (CSV)"),
    "download_xlsx": ("Workbook (Excel)", "สมุดงาน (Excel)"),
    "download_wide": ("Results (CSV, one row a year)", "ผลลัพธ์ (CSV หนึ่งแถวต่อปี)"),
    "include_scale": ("Keep the precision (scale) in the scenario file", "บันทึกความละเอียด (scale) ในไฟล์ฉากทัศน์"),
    "cunit.public_debt_pct_gdp": ("% of GDP", "% ของ GDP"),
    "cunit.debt_service_pct_revenue": ("% of revenue", "% ของรายได้"),
    "cunit.deficit_pct_gdp": ("% of GDP", "% ของ GDP"),
    "cunit.ssf_reserve_pct_gdp": ("% of GDP", "% ของ GDP"),
    "cunit.ssf_reserve_ratio_pct": ("% of the year's outgo", "% ของรายจ่ายในปี"),
    "headroom_unit": ("Least headroom, {name} (points of the unit)", "ช่องว่างต่ำสุด {name} (จุดของหน่วย)"),
    # reform builder
    "builder": ("Reform builder: every parameter", "ตัวสร้างกรณีปฏิรูป: พารามิเตอร์ทั้งหมด"),
    "builder_search": ("Search by name or label (English or Thai)", "ค้นหาด้วยชื่อหรือคำอธิบาย (ไทยหรืออังกฤษ)"),
    "builder_matches": ("{count} of {total} parameters match", "ตรงกัน {count} จาก {total} พารามิเตอร์"),
    "builder_pick": ("Parameter", "พารามิเตอร์"),
    "builder_value": ("New value ({unit}), from the date below", "ค่าใหม่ ({unit}) ตั้งแต่วันที่ด้านล่าง"),
    "builder_date": ("In force from", "ใช้ตั้งแต่"),
    "builder_add": ("Add to the reform", "เพิ่มในกรณีปฏิรูป"),
    "builder_remove": ("Remove", "ลบ"),
    "builder_info": ("Unit: {unit} · current law: {law} · valid range: {low} to {high} · source: {source}",
                     "หน่วย: {unit} · กฎหมายปัจจุบัน: {law} · ช่วงที่ใช้ได้: {low} ถึง {high} · ที่มา: {source}"),
    "builder_edit": ("{label}: {value} from {date}", "{label}: {value} ตั้งแต่ {date}"),
    "builder_error": ("Not added: {error}", "ไม่ได้เพิ่ม: {error}"),
    # page state, progress and staleness
    "share_note": ("The page's address holds these settings: a reload keeps them and the link shares them.",
                   "ที่อยู่ของหน้านี้เก็บการตั้งค่าไว้ โหลดหน้าใหม่ยังคงเดิม และส่งลิงก์ให้ผู้อื่นได้"),
    "url_ignored": ("Ignored in the link: {items}", "ไม่ได้ใช้จากลิงก์: {items}"),
    "updating": ("updating…", "กำลังปรับปรุง…"),
    "running_estimate": ("Running {name} at 1 row = {scale:,.0f} persons (about {estimate:.0f} s)…",
                         "กำลังประมวลผล {name} (1 แถว = {scale:,.0f} คน ประมาณ {estimate:.0f} วินาที)…"),
    "long_progress": ("2023–2100 runs: {elapsed:.0f} s of about {estimate:.0f} s",
                      "การประมวลผลช่วง 2566–2643: {elapsed:.0f} จากประมาณ {estimate:.0f} วินาที"),
}


BUDDHIST_ERA = 543  # years the Buddhist era (B.E.) is ahead of the common era: FY2024 is FY B.E. 2567
YEAR_FIELDS = frozenset({"year", "start", "end", "first", "last", "fy_start", "fy_end", "previous", "fy"})
"""Placeholders that always hold a year (common era): the Thai view shows them in the Buddhist era."""


def era_year(year: int | str, lang: Lang) -> int:
    """A common-era year as the page shows it: Buddhist era in Thai, common era in English."""
    return int(year) + BUDDHIST_ERA if lang == "th" else int(year)


THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def date_text(day: dt.date, lang: Lang) -> str:
    """A date as the page writes it: ISO in English ('2025-10-01'), Thai style in the Buddhist era in Thai
    ('1 ต.ค. 2568')."""
    if lang == "th":
        return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + BUDDHIST_ERA}"
    return day.isoformat()


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, formatted with `values` (years given in the common era; the Thai text shows
    the placeholders of YEAR_FIELDS in the Buddhist era); an unknown key falls back to the key itself."""
    english, thai = LABELS.get(key, (key, key))
    text = thai if lang == "th" else english
    if lang == "th":
        values = {name: era_year(value, lang) if name in YEAR_FIELDS and isinstance(value, int | str) else value
                  for name, value in values.items()}
    return text.format(**values) if values else text
