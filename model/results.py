"""The result contract: the variables a run returns, their dimensions and units, and the Dataset builder."""

from dataclasses import dataclass

import numpy as np
import xarray as xr

from .population.axes import AGES, SEXES
from .fiscal.indicators import GROUPS, INCOME_BASES
from .population.status import STATUSES
from .schemes.base import PAYERS, SSF_BRANCHES
from .schemes.registry import SCHEMES


@dataclass(frozen=True)
class Variable:
    """One result variable recorded every simulated year."""

    dims: tuple[str, ...]  # without the leading `year`
    units: str
    description: str


VARIABLES: dict[str, Variable] = {
    "population": Variable(("sex", "age"), "persons", "persons on 1 July of the year"),
    "births": Variable((), "persons", "live births from 1 July of the year to 1 July of the next"),
    "births_by_sex": Variable(("sex",), "persons", "live births by sex, same period as births"),
    "deaths": Variable(("sex", "age"), "persons",
                       "deaths from 1 July of the year to 1 July of the next, by age on 1 July of the next year"),
    "net_migration": Variable(("sex", "age"), "persons",
                              "net migrants over the same twelve months, by age on 1 July of the next year"),
    "persons_by_status": Variable(("status",), "persons", "persons on 1 July by labour status"),
    "persons_by_status_sex_age": Variable(("status", "sex", "age"), "persons",
                                          "persons on 1 July by labour status, sex and age"),
    "recipients": Variable(("scheme",), "persons", "persons receiving a benefit of the scheme during the year "
                           "(members for health cover and the savings fund)"),
    "benefit_cost": Variable(("scheme",), "THB", "benefits paid (or spent in kind) during the calendar year, nominal"),
    "contributions": Variable(("scheme",), "THB", "contributions received during the year from insured persons, "
                              "employers and the government together, nominal"),
    "contributions_by_payer": Variable(("scheme", "payer"), "THB", "contributions received during the year by payer"),
    "ssf_branch_benefits": Variable(("ssf_branch",), "THB", "Social Security Fund benefits by branch"),
    "ssf_branch_contributions": Variable(("ssf_branch",), "THB", "Social Security Fund contributions by branch"),
    "insurable_wages": Variable(("scheme",), "THB", "wages on which Social Security Fund contributions were paid "
                                "(section 39: the deemed wage)"),
    "poverty_rate": Variable(("group", "income_basis"), "percent", "share of the target group with household "
                             "per-capita income below the poverty line (income-based proxy)"),
    "coverage_rate": Variable(("group",), "percent", "share of the target group receiving a benefit other than "
                              "health cover, or insured"),
}

COORDS: dict[str, list | np.ndarray] = {
    "sex": list(SEXES), "age": AGES, "status": list(STATUSES), "scheme": list(SCHEMES), "payer": list(PAYERS),
    "ssf_branch": list(SSF_BRANCHES), "group": list(GROUPS), "income_basis": list(INCOME_BASES),
}


def build_dataset(years: np.ndarray, records: dict[str, list[np.ndarray]], attrs: dict[str, object],
                  coords: dict[str, list | np.ndarray] | None = None) -> xr.Dataset:
    """Stack per-year records into the result Dataset with named dimensions and units attributes."""
    all_coords = {"year": years, **COORDS, **(coords or {})}
    data = {}
    for name, values in records.items():
        spec = VARIABLES[name]
        data[name] = (("year", *spec.dims), np.stack(values).astype(float),
                      {"units": spec.units, "description": spec.description})
    used = {d for spec in (VARIABLES[n] for n in records) for d in spec.dims} | {"year"}
    return xr.Dataset(data, coords={k: v for k, v in all_coords.items() if k in used}, attrs=attrs)
