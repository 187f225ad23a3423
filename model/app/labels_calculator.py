"""Texts of the household calculator, the current-policy reference path and the code that reproduces a reform, in
English and Thai (merged into `model.app.labels.LABELS`). Keys follow that table's conventions; placeholders that
hold a year are common-era years, shown in the Buddhist era in Thai."""

from ..population.status import STATUSES

STATUS_TEXTS: dict[str, tuple[str, str]] = {
    "ssf_s33": ("Employee insured under SSF section 33", "ลูกจ้าง ผู้ประกันตนมาตรา 33"),
    "ssf_s39": ("Voluntary insured, SSF section 39", "ผู้ประกันตนมาตรา 39"),
    "ssf_s40": ("Informal worker insured, SSF section 40", "แรงงานนอกระบบ ผู้ประกันตนมาตรา 40"),
    "civil_servant": ("Civil servant or state employee", "ข้าราชการหรือพนักงานราชการ"),
    "informal_uninsured": ("Informal worker, uninsured", "แรงงานนอกระบบ ไม่มีประกันสังคม"),
    "unemployed": ("Unemployed", "ว่างงาน"),
    "inactive": ("Not working", "ไม่ได้ทำงาน"),
    "child": ("Child (under 15)", "เด็ก (อายุต่ำกว่า 15 ปี)"),
    "retired": ("Retired", "เกษียณ"),
}
assert set(STATUS_TEXTS) == set(STATUSES)

CALCULATOR_LABELS: dict[str, tuple[str, str]] = {
    # current policy beside current law
    "show_policy": ("Show current policy beside current law", "แสดงนโยบายปัจจุบันคู่กับกฎหมายปัจจุบัน"),
    "show_policy_help": ("Current law freezes allowances, welfare-card credits and means-test thresholds in nominal "
                         "terms; current policy keeps them at their 2025 value in real terms (scenarios/"
                         "current_policy.yaml). The cost and debt charts draw the other of the two as a dash-dot line.",
                         "กฎหมายปัจจุบันคงเบี้ยยังชีพ วงเงินบัตรสวัสดิการ และเกณฑ์รายได้ไว้ในรูปตัวเงิน นโยบายปัจจุบันคง"
                         "มูลค่าที่แท้จริงไว้ที่ระดับปี 2568 (scenarios/current_policy.yaml) กราฟค่าใช้จ่ายและหนี้แสดงอีกกรณีหนึ่ง"
                         "เป็นเส้นประจุด"),
    "reference.current_policy": ("Current policy", "นโยบายปัจจุบัน"),
    "reference.baseline": ("Current law", "กฎหมายปัจจุบัน"),
    "erosion_note": ("Current law: all schemes cost {law_first:.2f}% of GDP in FY{first} and {law_last:.2f}% in "
                     "FY{last}. Current policy, which keeps allowances, credits and means-test thresholds at their "
                     "2025 value in real terms: {policy_last:.2f}% in FY{last}. The erosion of what current law "
                     "freezes is worth {erosion:.2f} points of GDP in FY{last}{share}.",
                     "กฎหมายปัจจุบัน: ทุกโครงการมีค่าใช้จ่ายร้อยละ {law_first:.2f} ของ GDP ในปีงบประมาณ {first} และร้อยละ "
                     "{law_last:.2f} ในปีงบประมาณ {last} นโยบายปัจจุบันซึ่งคงมูลค่าที่แท้จริงของเบี้ย วงเงิน และเกณฑ์รายได้"
                     "ไว้ที่ระดับปี 2568: ร้อยละ {policy_last:.2f} ในปีงบประมาณ {last} การเสื่อมค่าของสิ่งที่กฎหมายปัจจุบัน"
                     "คงไว้ในรูปตัวเงินมีมูลค่า {erosion:.2f} จุดของ GDP ในปีงบประมาณ {last}{share}"),
    "erosion_share": (", {share:.0f}% of current law's fall over the period", " หรือร้อยละ {share:.0f} ของค่าใช้จ่าย"
                      "ที่ลดลงตามกฎหมายปัจจุบันในช่วงนี้"),
    # household calculator
    "tab_household": ("Household calculator", "คำนวณรายครัวเรือน"),
    "hh_intro": ("Enter a household to see what each scheme pays it, and what its members pay in, under the baseline "
                 "and the reform as edited, by the model's own rules.",
                 "กรอกข้อมูลครัวเรือนเพื่อดูว่าแต่ละโครงการจ่ายให้ครัวเรือนเท่าใด และสมาชิกจ่ายเงินสมทบเท่าใด ภายใต้กรณีฐาน"
                 "และกรณีปฏิรูปที่ปรับแล้ว ตามกฎของแบบจำลอง"),
    "hh_members": ("Members", "จำนวนสมาชิก"),
    "hh_year": ("Calendar year", "ปีปฏิทิน (พ.ศ.)"),
    "hh_outside_income": ("Household income from outside work, THB/year (money and in kind)",
                          "รายได้ครัวเรือนที่ไม่ได้มาจากการทำงาน (บาท/ปี รวมตัวเงินและไม่เป็นตัวเงิน)"),
    "hh_member": ("Member {number}", "สมาชิกคนที่ {number}"),
    "hh_age": ("Age", "อายุ"),
    "hh_sex": ("Sex", "เพศ"),
    "hh_nationality": ("Nationality", "สัญชาติ"),
    "nationality.thai": ("Thai", "ไทย"),
    "nationality.non_thai": ("Not Thai", "ไม่ใช่สัญชาติไทย"),
    "hh_status": ("Labour status", "สถานะการทำงาน"),
    **{f"status.{status}": texts for status, texts in STATUS_TEXTS.items()},
    "hh_wage": ("Wage, THB/month", "ค่าจ้าง (บาท/เดือน)"),
    "hh_disabled": ("Disability card", "มีบัตรคนพิการ"),
    "hh_history": ("Contribution histories, pensions and family links (where a scheme needs them)",
                   "ประวัติการส่งเงินสมทบ บำนาญ และความสัมพันธ์ในครอบครัว (เมื่อโครงการต้องใช้)"),
    "hh_s33_months": ("Section 33 months", "จำนวนเดือนที่ส่งเงินสมทบ ม.33"),
    "hh_s39_months": ("Section 39 months", "จำนวนเดือนที่ส่งเงินสมทบ ม.39"),
    "hh_avg_wage": ("Average insurable wage of the last 60 months, THB/month (0: the wage within the floor and "
                    "ceiling)", "ค่าจ้างเฉลี่ย 60 เดือนสุดท้าย (บาท/เดือน; 0 = ค่าจ้างปัจจุบันภายในเพดาน)"),
    "hh_s40_months": ("Section 40 months", "จำนวนเดือนที่ส่งเงินสมทบ ม.40"),
    "hh_s40_option": ("Section 40 option (0: never a member)", "ทางเลือก ม.40 (0 = ไม่เคยเป็นสมาชิก)"),
    "hh_state_pensioner": ("Retired official with a state pension", "ข้าราชการบำนาญ"),
    "hh_service_years": ("Years of civil service", "อายุราชการ (ปี)"),
    "hh_last_salary": ("Last civil-service salary, THB/month", "เงินเดือนสุดท้าย (บาท/เดือน)"),
    "hh_gpf_member": ("GPF member", "สมาชิก กบข."),
    "hh_mother": ("Mother (member)", "มารดา (สมาชิกคนที่)"),
    "hh_none": ("none", "ไม่มี"),
    "hh_income": ("Household income per person: {income:,.0f} THB/year, of which money income {money:,.0f} THB/year "
                  "(what the child support grant and the welfare card test).",
                  "รายได้ครัวเรือนต่อคน {income:,.0f} บาท/ปี เป็นรายได้ที่เป็นตัวเงิน {money:,.0f} บาท/ปี "
                  "(ที่ใช้ทดสอบสิทธิเงินอุดหนุนเด็กแรกเกิดและบัตรสวัสดิการแห่งรัฐ)"),
    "hh_scheme": ("Scheme", "โครงการ"),
    "hh_col": ("{name}, THB/{period}", "{name} (บาท/{period})"),
    "hh_period.month": ("month", "เดือน"),
    "hh_period.year": ("year", "ปี"),
    "hh_difference": ("Difference", "ผลต่าง"),
    "hh_by_member": ("By member: benefits, THB/year", "รายสมาชิก: สิทธิประโยชน์ (บาท/ปี)"),
    "hh_note": ("Each amount is what the scheme pays or spends on the members less what they contribute (negative: "
                "they pay more than they receive in the year; in the savings funds, GPF and NSF, the government's "
                "contributions to the members' accounts); a month is the calendar year's twelfth. The household "
                "claims every benefit it is entitled to; health cover (UCS, CSMBS) is the cost of the members' care by "
                "age, in kind; welfare-card credits count as the budget pays them (times their usage); costs the "
                "schemes pool (SSF sickness and maternity, UCS add-on funds) belong to no one.",
                "จำนวนเงินคือสิ่งที่โครงการจ่ายหรือใช้จ่ายให้สมาชิกหักด้วยเงินสมทบที่สมาชิกจ่าย (ติดลบ: จ่ายมากกว่าได้รับในปีนั้น "
                "สำหรับกองทุนการออม กบข. และ กอช. คือเงินที่รัฐสมทบเข้าบัญชีของสมาชิก) "
                "รายเดือนคือหนึ่งในสิบสองของปีปฏิทิน ครัวเรือนขอรับทุกสิทธิที่มี ความคุ้มครองสุขภาพ (บัตรทอง สวัสดิการ"
                "รักษาพยาบาลข้าราชการ) คือค่าใช้จ่ายรักษาพยาบาลตามอายุในรูปที่ไม่เป็นตัวเงิน วงเงินบัตรสวัสดิการนับตามที่"
                "งบประมาณจ่ายจริง (คูณอัตราการใช้) ค่าใช้จ่ายที่โครงการรวมไว้ส่วนกลาง (เจ็บป่วยและคลอดบุตรของ"
                "ประกันสังคม กองทุนเพิ่มเติมของบัตรทอง) ไม่นับเป็นของผู้ใด"),
    "hh_error": ("The household could not be calculated: {error}", "ไม่สามารถคำนวณครัวเรือนได้: {error}"),
    "hh_nothing": ("No scheme pays this household or collects from it in {year}.",
                   "ไม่มีโครงการใดจ่ายให้หรือเก็บเงินสมทบจากครัวเรือนนี้ในปี {year}"),
    # code that reproduces the reform
    "reproduce": ("Reproduce in code", "ทำซ้ำด้วยโค้ด"),
    "reproduce_python": ("Python: runs the baseline and this reform as the page runs them and prints the budget impact "
                         "(THB bn by fiscal year).",
                         "Python: ประมวลผลกรณีฐานและกรณีปฏิรูปนี้แบบเดียวกับหน้านี้ แล้วพิมพ์ผลต่องบประมาณ "
                         "(พันล้านบาท รายปีงบประมาณ)"),
    "reproduce_cli": ("Command line, with the scenario file downloaded above (saved without the precision, which the "
                      "options give):",
                      "บรรทัดคำสั่ง ใช้ไฟล์ฉากทัศน์ที่ดาวน์โหลดด้านบน (บันทึกโดยไม่มีความละเอียด ซึ่งกำหนดในตัวเลือก):"),
}
