"""Every text the app shows, in English and Thai: one table, key -> (English, Thai).

Texts with ``{placeholders}`` are formatted by `label`. Parameter labels come from the parameter files
(`ParameterInfo.label_en` / `label_th`), so they are not repeated here.
"""

from typing import Literal

Lang = Literal["en", "th"]
LANGUAGES: dict[Lang, str] = {"en": "English", "th": "ไทย"}

LABELS: dict[str, tuple[str, str]] = {
    # page
    "title": ("Thailand social protection 2023–2037: cost, sustainability, who benefits",
              "การคุ้มครองทางสังคมของไทย 2566–2580: ต้นทุน ความยั่งยืน และผู้ได้รับประโยชน์"),
    "language": ("Language / ภาษา", "Language / ภาษา"),
    "run_info": ("Scale: 1 row = {scale:,.0f} persons · seed {seed} · years {start}–{end} · parameter hash {hash}",
                 "มาตราส่วน: 1 แถว = {scale:,.0f} คน · seed {seed} · ปี {start}–{end} · แฮชพารามิเตอร์ {hash}"),
    "poverty_note": ("Poverty is an income-based proxy: the share of a group whose household income per head is below "
                     "the poverty line. It is not the multidimensional poverty index of goal 170201.",
                     "ความยากจนในที่นี้เป็นตัวแทนจากรายได้ คือสัดส่วนของกลุ่มที่มีรายได้ครัวเรือนต่อหัวต่ำกว่าเส้นความยากจน "
                     "ไม่ใช่ดัชนีความยากจนหลายมิติตามเป้าหมาย 170201"),
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
    "scale_preview": ("Quick preview (1 row = {scale:,} persons)", "ดูตัวอย่างเร็ว (1 แถว = {scale:,} คน)"),
    "scale_full": ("Full precision (1 row = {scale:,} persons)", "ความละเอียดเต็ม (1 แถว = {scale:,} คน)"),
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
    "shift": ("{name}: change from 2024 on", "{name}: ปรับเพิ่ม/ลด ตั้งแต่ปี 2024"),
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
    "tile_cost": ("Cost {year}, % of GDP", "ค่าใช้จ่ายปี {year} (% GDP)"),
    "tile_depletion": ("SSF depletion year", "ปีที่กองทุนประกันสังคมหมด"),
    "tile_headroom": ("Least debt headroom", "ช่องว่างหนี้ต่ำสุด"),
    "tile_poverty": ("Old-age poverty {start}–{end}", "ความยากจนผู้สูงอายุ {start}–{end}"),
    "tile_baseline": ("Baseline: {value}", "กรณีฐาน: {value}"),
    "help_cost": ("Total cost of all schemes in {year} (benefits paid, nominal), as a percent of nominal GDP.",
                  "ค่าใช้จ่ายรวมของทุกโครงการในปี {year} (สวัสดิการที่จ่าย ราคาประจำปี) เป็นร้อยละของ GDP"),
    "help_depletion": ("First year the Social Security Fund's reserves are negative, from a 2023–2100 run at "
                       "1 row = {scale:,.0f} persons.",
                       "ปีแรกที่เงินกองทุนประกันสังคมติดลบ จากการประมวลผลช่วง 2023–2100 ที่ 1 แถว = {scale:,.0f} คน"),
    "help_headroom": ("The smallest gap between the public-debt ceiling of {limit:.0f}% of GDP and public debt over "
                      "{start}–{end}, in percentage points of GDP; lowest in {year}. Negative means a breach.",
                      "ช่องว่างที่น้อยที่สุดระหว่างเพดานหนี้สาธารณะ {limit:.0f}% ของ GDP กับหนี้สาธารณะ ในช่วง "
                      "{start}–{end} (จุดร้อยละของ GDP) ต่ำสุดในปี {year} ค่าติดลบหมายถึงเกินเพดาน"),
    "help_poverty": ("Change of the poverty rate of people aged 60+ after transfers (income-based proxy), "
                     "{end} minus {start}, the first five-year period of the master plan (goal 170201: a 10% fall "
                     "per period). Rate {start}: {first:.2f}%, {end}: {last:.2f}%.",
                     "อัตราความยากจนของผู้มีอายุ 60 ปีขึ้นไปหลังได้รับเงินโอน (ตัวแทนจากรายได้) ปี {end} ลบปี {start} "
                     "ซึ่งเป็นช่วงห้าปีแรกของแผนแม่บท (เป้าหมาย 170201: ลดลงร้อยละ 10 ต่อช่วง) "
                     "อัตราปี {start}: {first:.2f}% ปี {end}: {last:.2f}%"),
    "after_2100": ("after 2100", "หลังปี 2100"),
    "computing": ("computing the 2023–2100 runs…", "กำลังคำนวณช่วง 2023–2100…"),
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
    "measure": ("Measure", "หน่วยวัด"),
    "measure.nominal": ("THB bn, nominal", "พันล้านบาท ราคาประจำปี"),
    "measure.real": ("THB bn, 2023 prices", "พันล้านบาท ราคาปี 2566"),
    "measure.pct_gdp": ("% of GDP", "% ของ GDP"),
    "year": ("Year", "ปี"),
    "age": ("Age", "อายุ"),
    "persons_thousand": ("Persons (thousand)", "จำนวนคน (พันคน)"),
    "male": ("Male", "ชาย"),
    "female": ("Female", "หญิง"),
    "pyramid_year": ("Year of the second pyramid", "ปีของปิรามิดที่สอง"),
    "pyramid_title": ("Population {year}", "ประชากรปี {year}"),
    "debt_axis": ("Public debt, % of GDP", "หนี้สาธารณะ (% ของ GDP)"),
    "ceiling": ("ceiling {limit:.0f}%", "เพดาน {limit:.0f}%"),
    "reserve_axis": ("SSF reserves, THB bn (nominal)", "เงินกองทุนประกันสังคม (พันล้านบาท)"),
    "depletes": ("{name} depletes {year}", "{name} หมดปี {year}"),
    "projection_end": ("end of the projection", "สิ้นสุดช่วงประมาณการ"),
    "ssf_caption": ("Reserves from the 2023–2100 runs at 1 row = {scale:,.0f} persons; the projection proper ends in "
                    "{end}.", "เงินกองทุนจากการประมวลผลช่วง 2023–2100 ที่ 1 แถว = {scale:,.0f} คน "
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
    "verdict_note": ("Each criterion must hold in every year of {start}–{end}; the SSF criteria here cover those years "
                     "only (see the depletion tile for the long run).",
                     "แต่ละเกณฑ์ต้องผ่านทุกปีในช่วง {start}–{end} เกณฑ์ของกองทุนประกันสังคมในตารางนี้ครอบคลุมเฉพาะช่วงนี้ "
                     "(ดูปีที่กองทุนหมดสำหรับระยะยาว)"),
    # downloads
    "downloads": ("Downloads", "ดาวน์โหลด"),
    "download_yaml": ("Scenario (YAML)", "ฉากทัศน์ (YAML)"),
    "download_csv": ("Results (CSV)", "ผลลัพธ์ (CSV)"),
    "download_nc": ("Results (NetCDF)", "ผลลัพธ์ (NetCDF)"),
    # schemes
    "scheme.old_age_allowance": ("Old-age allowance", "เบี้ยยังชีพผู้สูงอายุ"),
    "scheme.disability_allowance": ("Disability allowance", "เบี้ยความพิการ"),
    "scheme.child_support_grant": ("Child support grant", "เงินอุดหนุนเพื่อการเลี้ยงดูเด็กแรกเกิด"),
    "scheme.welfare_card": ("State welfare card", "บัตรสวัสดิการแห่งรัฐ"),
    "scheme.ssf_s33": ("Social security, section 33", "ประกันสังคม มาตรา 33"),
    "scheme.ssf_s39": ("Social security, section 39", "ประกันสังคม มาตรา 39"),
    "scheme.ssf_s40": ("Social security, section 40", "ประกันสังคม มาตรา 40"),
    "scheme.universal_coverage": ("Universal health coverage", "หลักประกันสุขภาพถ้วนหน้า"),
    "scheme.csmbs": ("Civil servants' medical benefits", "สวัสดิการรักษาพยาบาลข้าราชการ"),
    "scheme.civil_service_pension": ("Civil service pension", "บำเหน็จบำนาญข้าราชการ"),
    "scheme.government_pension_fund": ("Government Pension Fund", "กองทุนบำเหน็จบำนาญข้าราชการ (กบข.)"),
    "scheme.national_savings_fund": ("National Savings Fund", "กองทุนการออมแห่งชาติ"),
    # target groups
    "group.aged_60_plus": ("Aged 60+", "ผู้สูงอายุ 60 ปีขึ้นไป"),
    "group.children_0_6": ("Children 0–6", "เด็กอายุ 0–6 ปี"),
    "group.disability": ("Persons with disabilities", "คนพิการ"),
    "group.informal_workers": ("Informal workers", "แรงงานนอกระบบ"),
    "group.all": ("Whole population", "ประชากรทั้งหมด"),
    # sustainability criteria
    "criterion.public_debt_ceiling": ("Public debt ≤ 70% of GDP", "หนี้สาธารณะไม่เกิน 70% ของ GDP"),
    "criterion.debt_service_ceiling": ("Debt service ≤ 35% of revenue", "ภาระหนี้ไม่เกิน 35% ของรายได้"),
    "criterion.deficit_ceiling": ("Deficit ≤ 3% of GDP from 2029", "ขาดดุลไม่เกิน 3% ของ GDP ตั้งแต่ปี 2029"),
    "criterion.ssf_reserve_positive": ("SSF reserves above zero", "เงินกองทุนประกันสังคมมากกว่าศูนย์"),
    "criterion.ssf_reserve_ratio_floor": ("SSF reserves ≥ one year of outgo",
                                          "เงินกองทุนประกันสังคมไม่น้อยกว่ารายจ่ายหนึ่งปี"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, formatted with `values`; an unknown key falls back to the key itself."""
    english, thai = LABELS.get(key, (key, key))
    text = thai if lang == "th" else english
    return text.format(**values) if values else text
