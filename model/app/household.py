"""The page's household calculator: the analyst enters a household and sees each scheme's amount under the baseline
and under the reform as edited, side by side (`model.household_calculator`, which runs the schemes' own rules on
the household's members).

The controls keep their values in the session (keys `hh.*`), so the household stays while the levers change; the
calculation runs only while its tab is open.
"""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from ..errors import ModelInputError
from ..household_calculator import MAX_MEMBERS, TOTAL, HouseholdResult, calculate, side_by_side
from ..population.status import STATUSES, WORKING_AGE
from ..scenario import Scenario
from .labels import Lang, era_year
from .widgets import sticky_choice

Label = Callable[..., str]
SHOWN_MEMBERS = 8  # members the page offers (the calculator takes up to MAX_MEMBERS)
YEARS = tuple(range(2023, 2038))
DEFAULT_YEAR = 2026
DEFAULT_MEMBERS: tuple[dict[str, Any], ...] = (
    {"age": 72, "sex": "female", "status": "inactive"},
    {"age": 40, "sex": "male", "status": "ssf_s33", "wage": 15_000.0, "s33_months": 180},
    {"age": 38, "sex": "female", "status": "informal_uninsured", "wage": 6_000.0},
    {"age": 3, "sex": "male", "status": "child", "mother": 2},
)
DEFAULT_OUTSIDE_INCOME = 24_000.0  # THB/year
assert SHOWN_MEMBERS <= MAX_MEMBERS


def _default(i: int, field: str, value: Any) -> Any:
    return DEFAULT_MEMBERS[i].get(field, value) if i < len(DEFAULT_MEMBERS) else value


def member_controls(i: int, t: Label, lang: Lang) -> dict[str, Any]:
    """The main controls of member `i` (0-based) in one row; returns their values as calculator fields."""
    key = f"hh.{i}"
    age_col, sex_col, nat_col, status_col, wage_col, disabled_col = st.columns([1, 1.2, 1.3, 2.6, 1.4, 1.1])
    with age_col:
        age = st.number_input(t("hh_age"), 0, 120, _default(i, "age", 30), key=f"{key}.age")
    with sex_col:
        sex = sticky_choice(st.selectbox, t("hh_sex"), ("female", "male"), f"{key}.sex", _default(i, "sex", "female"),
                            lang, format_func=t)
    with nat_col:
        nationality = sticky_choice(st.selectbox, t("hh_nationality"), ("thai", "non_thai"), f"{key}.nationality",
                                    "thai", lang, format_func=lambda n: t(f"nationality.{n}"))
    with status_col:
        allowed = ("child",) if age < WORKING_AGE else tuple(s for s in STATUSES if s != "child")
        status = sticky_choice(st.selectbox, t("hh_status"), allowed, f"{key}.status",
                               _default(i, "status", "inactive"), f"{lang}.{len(allowed)}",
                               format_func=lambda s: t(f"status.{s}"))
    with wage_col:
        wage = st.number_input(t("hh_wage"), 0.0, 1e7, float(_default(i, "wage", 0.0)), step=500.0,
                               key=f"{key}.wage")
    with disabled_col:
        disabled = st.checkbox(t("hh_disabled"), key=f"{key}.disabled")
    return {"age": int(age), "sex": sex, "nationality": nationality, "status": status, "wage": float(wage),
            "disabled": bool(disabled)}


def history_controls(i: int, n: int, t: Label, lang: Lang) -> dict[str, Any]:
    """Member `i`'s contribution history, civil-service pension and mother (of `n` members), as calculator fields
    (only the ones given)."""
    key = f"hh.{i}"
    st.markdown(f"**{t('hh_member', number=i + 1)}**")
    cols = st.columns(5)
    s33 = cols[0].number_input(t("hh_s33_months"), 0, 1_020, _default(i, "s33_months", 0), key=f"{key}.s33")
    s39 = cols[1].number_input(t("hh_s39_months"), 0, 1_020, 0, key=f"{key}.s39")
    avg = cols[2].number_input(t("hh_avg_wage"), 0.0, 1e6, 0.0, step=500.0, key=f"{key}.avg")
    s40 = cols[3].number_input(t("hh_s40_months"), 0, 1_020, 0, key=f"{key}.s40")
    option = cols[4].number_input(t("hh_s40_option"), 0, 3, 0, key=f"{key}.option")
    cols = st.columns(5)
    pensioner = cols[0].checkbox(t("hh_state_pensioner"), key=f"{key}.pensioner")
    years = cols[1].number_input(t("hh_service_years"), 0.0, 60.0, 0.0, step=1.0, key=f"{key}.service")
    salary = cols[2].number_input(t("hh_last_salary"), 0.0, 1e6, 0.0, step=1_000.0, key=f"{key}.salary")
    gpf = cols[3].checkbox(t("hh_gpf_member"), key=f"{key}.gpf")
    with cols[4]:
        others = ["none", *(str(j) for j in range(n) if j != i)]
        default_mother = _default(i, "mother", None)
        mother = sticky_choice(st.selectbox, t("hh_mother"), others, f"{key}.mother",
                               "none" if default_mother is None else str(default_mother), f"{lang}.{n}",
                               format_func=lambda j: t("hh_none") if j == "none" else str(int(j) + 1))
    fields: dict[str, Any] = {"s33_months": int(s33), "s39_months": int(s39), "s40_months": int(s40),
                              "s40_option": int(option), "state_pensioner": bool(pensioner),
                              "service_years": float(years), "last_salary": float(salary), "gpf_member": bool(gpf)}
    if avg > 0:
        fields["avg_insurable_wage"] = float(avg)
    if mother != "none":
        fields["mother"] = int(mother)
    return fields


def household_controls(t: Label, lang: Lang) -> tuple[dict[str, Any], int]:
    """The household as the controls give it (calculator input) and the calendar year."""
    size_col, year_col, income_col = st.columns([1, 1, 2])
    n = int(size_col.number_input(t("hh_members"), 1, SHOWN_MEMBERS, len(DEFAULT_MEMBERS), key="hh.n"))
    with year_col:
        year = int(sticky_choice(st.selectbox, t("hh_year"), [str(y) for y in YEARS], "hh.year", str(DEFAULT_YEAR),
                                 lang, format_func=lambda y: str(era_year(int(y), lang))))
    outside = income_col.number_input(t("hh_outside_income"), 0.0, 1e9, DEFAULT_OUTSIDE_INCOME, step=1_000.0,
                                      key="hh.outside")
    members = []
    for i in range(n):
        st.caption(t("hh_member", number=i + 1))
        members.append(member_controls(i, t, lang))
    with st.expander(t("hh_history")):
        for i in range(n):
            members[i].update(history_controls(i, n, t, lang))
    return {"members": members, "outside_income": float(outside)}, year


def shown_table(table: pd.DataFrame, names: tuple[str, str], t: Label) -> pd.DataFrame:
    """`side_by_side`'s table as the page shows it: schemes that pay or collect nothing in either scenario left out,
    names and column headers in the page's language."""
    kept = table[(table.drop(index=TOTAL).abs().max(axis=1) > 0.005).reindex(table.index, fill_value=True)]
    headers = {}
    for period in ("month", "year"):
        unit = t(f"hh_period.{period}")
        for kind, name in (("base", names[0]), ("reform", names[1]), ("difference", t("hh_difference"))):
            headers[f"{kind}_{period}"] = t("hh_col", name=name, period=unit)
    shown = kept.rename(columns=headers).round(2)
    shown.index = [t("total_row") if s == TOTAL else t(f"scheme.{s}") for s in kept.index]
    shown.index.name = t("hh_scheme")
    return shown


def by_member(results: tuple[HouseholdResult, HouseholdResult], names: tuple[str, str], t: Label) -> pd.DataFrame:
    """Benefits by member (rows, numbered from 1) and scheme, both scenarios (THB/year), schemes paying nothing left
    out."""
    frames = {}
    for result, name in zip(results, names):
        paid = result.members.loc[:, result.members.abs().max() > 0.005]
        for scheme in paid.columns:
            frames[f"{t(f'scheme.{scheme}')} · {name}"] = paid[scheme]
    table = pd.DataFrame(frames, index=results[0].members.index).round(2)
    table.index = [t("hh_member", number=i + 1) for i in table.index]
    return table


def section(base: Scenario, reform: Scenario, names: tuple[str, str], t: Label, lang: Lang,
            download: Callable[[pd.DataFrame, str], None]) -> None:
    """The tab: the controls, the household's income per person, the table of amounts by scheme (baseline, reform,
    difference; THB a month and a year) with its download, and the amounts by member."""
    st.caption(t("hh_intro"))
    household, year = household_controls(t, lang)
    try:
        results = (calculate(household, base, year), calculate(household, reform, year))
    except ModelInputError as error:
        st.error(t("hh_error", error=error))
        return
    st.markdown(t("hh_income", income=results[1].income_per_person, money=results[1].money_income_per_person))
    table = shown_table(side_by_side(results[0].amount, results[1].amount), names, t)
    if len(table) == 1:
        st.info(t("hh_nothing", year=year))
    st.dataframe(table, key="hh_table")
    download(table, "household")
    with st.expander(t("hh_by_member")):
        st.dataframe(by_member(results, names, t))
    st.caption(t("hh_note"))
