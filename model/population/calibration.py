"""Base-year calibration measures of the people layer: what the model gives for each target of
calibration_targets.yaml (`measures`), and the comparison with the targets (`compare`).

`model.validation.calibration_table(scale, seed)` builds the baseline's 1 July 2023 population and compares it;
`python -m model calibrate` prints the table.
"""

import numpy as np
import pandas as pd

from ..parameters import ParameterTree
from .axes import SEXES
from .households import income_per_person_of_rows, living_arrangements
from .income import gini, poverty_line
from .labour import PARTICIPATION_BANDS, S33_BANDS
from .lookup import band_ages
from .nationality import OLD_BANDS
from .persons import Persons
from .status import (CIVIL_SERVANT, EMPLOYED, INFORMAL_WORK, SSF_S33, SSF_S39, SSF_S40, UNEMPLOYED,
                     status_counts)
from .targets import Targets


def _share(part: np.ndarray, whole: np.ndarray) -> float:
    return float(part.sum() / whole.sum()) if whole.sum() else float("nan")


def measures(persons: Persons, year: int, params: ParameterTree) -> dict[str, float]:
    """Every model measure a target can name, for the population as it stands on 1 July of `year`."""
    scale, status, age, sex = persons.scale, persons.status, persons.age, persons.sex
    counts = status_counts(persons)
    employed, informal = EMPLOYED[status], INFORMAL_WORK[status]
    labour_force = employed | (status == UNEMPLOYED)
    old = age >= 60
    out = {
        "thai_nationals": persons.thai.sum() * scale,
        "employed": employed.sum() * scale,
        "informal_share": _share(informal, employed),
        "unemployment_rate": _share(status == UNEMPLOYED, labour_force),
        "lfpr.all.15_plus": _share(labour_force, age >= 15),
        "employed_60_plus": (employed & old).sum() * scale,
        "informal_share_60_plus": _share(informal & old, employed & old),
        "ssf_s33_insured": counts[SSF_S33],
        "ssf_s39_insured": counts[SSF_S39],
        "ssf_s40_insured": counts[SSF_S40],
        "civil_servants": counts[CIVIL_SERVANT],
        "state_employees": (persons.flag_mask("state_employee") & (status == CIVIL_SERVANT)).sum() * scale,
        "state_pensioners": persons.flag_mask("state_pensioner").sum() * scale,
        "civil_servant_share_under_40": _share((status == CIVIL_SERVANT) & (age < 40), status == CIVIL_SERVANT),
    }
    thai_old = persons.thai & old
    out["thai_nationals_60_plus"] = thai_old.sum() * scale
    out["thai_60_plus.male_share"] = _share(thai_old & (sex == 0), thai_old)
    for s, name in enumerate(SEXES):
        for band in OLD_BANDS[:-1]:
            out[f"thai_60_plus.{name}.share_{band}"] = _share(thai_old & (sex == s) & np.isin(age, band_ages(band)),
                                                              thai_old & (sex == s))
        for band in (*PARTICIPATION_BANDS, "65_plus"):
            in_band = (sex == s) & np.isin(age, band_ages(band))
            out[f"lfpr.{name}.{band}"] = _share(labour_force & in_band, in_band)
    s33 = status == SSF_S33
    for band in S33_BANDS:
        in_band = s33 & np.isin(age, band_ages(band))
        out[f"s33_age_share.{band}"] = _share(in_band, s33)
        out[f"s33_female_share.{band}"] = _share(in_band & (sex == 1), in_band)
    wage = persons.wage
    civil = status == CIVIL_SERVANT
    employee = persons.flag_mask("state_employee")
    kinds = {"employees": s33 | civil, "ssf_s33": s33, "civil_servant": civil & employee,
             "official": civil & ~employee,
             "informal": informal | (status == SSF_S39)}
    for name, mask in kinds.items():
        out[f"mean_wage.{name}"] = float(wage[mask].mean()) if mask.any() else float("nan")
    income = income_per_person_of_rows(persons).astype(float)
    out["hh_income_pc.mean"] = float(income.mean())
    out["hh_income_pc.gini"] = gini(income)
    out["hh_income_pc.median_to_mean"] = float(np.median(income) / income.mean())
    out["income_poverty_headcount"] = float(np.mean(income < poverty_line(params, year)))
    out.update(living_arrangements(persons))
    disabled = persons.disabled
    out["disability.card_holders"] = disabled.sum() * scale
    out["disability.share_60_plus"] = _share(disabled & old, disabled)
    out["disability.share_0_14"] = _share(disabled & (age < 15), disabled)
    out["disability.male_share"] = _share(disabled & (sex == 0), disabled)
    return {k: float(v) for k, v in out.items()}


def compare(targets: Targets, values: dict[str, float]) -> pd.DataFrame:
    """One row per target: target, model, difference, tolerance, within tolerance, role, unit, source."""
    rows = []
    for t in targets.by_name.values():
        model = values.get(t.name, float("nan"))
        allowed = t.tolerance.allowed(t.value) if t.tolerance else float("nan")
        tolerance = (f"±{t.tolerance.relative:.1%}" if t.tolerance and t.tolerance.relative is not None
                     else f"±{t.tolerance.absolute:g}" if t.tolerance else "")
        rows.append({"target": t.name, "role": t.role, "value": t.value, "model": model, "difference": model - t.value,
                     "tolerance": tolerance,
                     "within": bool(abs(model - t.value) <= allowed) if t.tolerance else None,
                     "unit": t.unit, "source": t.provenance})
    return pd.DataFrame(rows).set_index("target")
