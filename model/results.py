"""The result contract: the variables a run returns, their dimensions and units, and the Dataset builder.

Fiscal years: Thai budgets run from 1 October to 30 September, FY t from October t-1. The schemes' monthly flows
(`*_by_month`, calendar months of each simulated year) are summed into fiscal-year variables (`*_fy`, over a
`fiscal_year` coordinate) exactly; a fiscal year appears only when all twelve of its months were simulated, so
a run from calendar 2023 reports FY2024 first.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import xarray as xr

from .population.axes import AGES, SEXES
from .fiscal.indicators import GROUPS, INCOME_BASES
from .fiscal.mpi import DIMENSIONS as MPI_DIMENSIONS
from .fiscal import distribution
from .population.regions import REGIONS
from .population.status import STATUSES
from .schemes.base import MONTHS, PAYERS, SSF_BRANCHES
from .schemes import health_cost
from .schemes.health_cost import COMPONENTS, HEALTH_COST_SCHEMES
from .schemes.registry import SCHEMES


NATIONALITIES: tuple[str, ...] = ("thai", "non_thai")  # Thai nationals, other residents


@dataclass(frozen=True)
class Variable:
    """One result variable recorded every simulated year."""

    dims: tuple[str, ...]  # without the leading `year`
    units: str
    description: str


VARIABLES: dict[str, Variable] = {
    "population": Variable(("sex", "age"), "persons", "persons on 1 July of the year"),
    "population_by_nationality": Variable(("nationality", "sex", "age"), "persons",
                                          "persons on 1 July by nationality (Thai nationals, other residents); "
                                          "sums to population"),
    "births": Variable((), "persons", "live births from 1 July of the year to 1 July of the next"),
    "births_by_sex": Variable(("sex",), "persons", "live births by sex, same period as births"),
    "deaths": Variable(("sex", "age"), "persons",
                       "deaths from 1 July of the year to 1 July of the next, by age on 1 July of the next year"),
    "net_migration": Variable(("sex", "age"), "persons",
                              "net migrants over the same twelve months, by age on 1 July of the next year"),
    "net_migration_by_nationality": Variable(("nationality", "sex", "age"), "persons",
                                             "net migrants by nationality, same period and ages as net_migration; "
                                             "sums to it"),
    "migrant_workers": Variable((), "persons", "registered non-Thai migrant workers on 1 July "
                                "(model.population.migration)"),
    "migrant_worker_arrivals": Variable((), "persons", "non-Thai migrant workers arriving over the same twelve "
                                        "months as net_migration"),
    "migrant_worker_returns": Variable((), "persons", "non-Thai migrant workers returning home over the same "
                                       "twelve months"),
    "persons_by_status": Variable(("status",), "persons", "persons on 1 July by labour status"),
    "employment": Variable((), "persons", "persons in work on 1 July (sections 33, 39 and 40, civil servants and "
                           "informal workers): the employment real growth follows beyond the fiscal framework"),
    "wage_bill": Variable((), "THB", "wages and earnings of the persons in work on 1 July, at a yearly rate (12 "
                          "times the monthly wage), nominal"),
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
    "health_members_age_weighted": Variable(("health_scheme",), "persons", "members of the health scheme weighted "
                                            "by their cost relative to the base year's average member (age-cost "
                                            "profile, model.schemes.health_cost)"),
    "health_fixed_cost": Variable(("health_scheme",), "THB", "health scheme cost that follows neither the members "
                                  "nor their age (UCS administration)"),
    "ssf_unemployment_beneficiaries": Variable((), "persons", "persons paid the Social Security Fund's unemployment "
                                               "benefit (section 33) in an average month of the year"),
    "poverty_rate": Variable(("group", "income_basis"), "percent", "share of the target group with household "
                             "income per person below the poverty line, before or after the household's pooled "
                             "cash transfers"),
    "coverage_rate": Variable(("group",), "percent", "share of the target group receiving a benefit other than "
                              "health cover, or insured"),
    "lifted_by_transfers_pct": Variable(("group",), "percent", "share of the target group whose household is "
                                        "below the poverty line before cash transfers and not after them"),
    "adequacy_benefit_pct_line": Variable(("group",), "percent", "mean cash benefits of the group's members "
                                          "receiving any (THB/year) as a share of the poverty line (guideline "
                                          "3.1.2(1))"),
    "mpi": Variable(("group",), "index (0-1)", "the model's multidimensional poverty index M0 = H × A of the "
                    "target group (Alkire-Foster, per household; model.fiscal.mpi)"),
    "mpi_headcount": Variable(("group",), "percent", "H: share of the target group living in multidimensionally "
                              "poor households"),
    "mpi_intensity": Variable(("group",), "percent", "A: mean weighted share of deprivations of the group's "
                              "members living in multidimensionally poor households (0 when there are none)"),
    "mpi_deprived_poor_pct": Variable(("group", "mpi_dimension"), "percent", "share of the target group living in "
                                      "multidimensionally poor households deprived in the dimension (censored "
                                      "headcount): weighted by the dimensions' weights and summed, 100 × mpi"),
    "households": Variable((), "households", "households on 1 July"),
    "household_mean_size": Variable((), "persons", "mean number of persons per household on 1 July"),
    "elderly_living_alone": Variable((), "persons", "persons aged 60+ living alone (one-person households) on 1 July"),
    "benefit_cost_by_month": Variable(("month", "scheme"), "THB", "benefits paid (or spent in kind) in the calendar "
                                      "month, nominal; the months of a year sum to benefit_cost"),
    "recipients_by_month": Variable(("month", "scheme"), "persons", "persons paid a benefit of the scheme in the "
                                    "calendar month (members for health cover and the savings fund)"),
    "contributions_by_month": Variable(("month", "scheme"), "THB", "contributions received in the calendar month, "
                                       "all payers, nominal; the months of a year sum to contributions"),
}
VARIABLES.update({name: Variable(*spec) for name, spec in distribution.VARIABLES.items()})

FIRST_FY_MONTH = 10
"""FY t starts on 1 October of calendar year t - 1."""
FISCAL_YEAR_VARIABLES: dict[str, tuple[str, Variable]] = {
    "benefit_cost_fy": ("benefit_cost_by_month", Variable(
        ("scheme",), "THB", "benefits paid in the fiscal year (1 October of the year before to 30 September), "
        "nominal: the sum of its twelve months")),
    "contributions_fy": ("contributions_by_month", Variable(
        ("scheme",), "THB", "contributions received in the fiscal year, all payers, nominal: the sum of its twelve "
        "months")),
    "recipients_fy": ("recipients_by_month", Variable(
        ("scheme",), "persons", "average number of persons paid a benefit of the scheme in a month of the fiscal "
        "year: the mean of its twelve months")),
}
"""Fiscal-year variable → (the monthly variable it is derived from, its spec with dims after `fiscal_year`)."""

COORDS: dict[str, list | np.ndarray] = {
    "sex": list(SEXES), "age": AGES, "status": list(STATUSES), "scheme": list(SCHEMES), "payer": list(PAYERS),
    "ssf_branch": list(SSF_BRANCHES), "group": list(GROUPS), "income_basis": list(INCOME_BASES),
    "month": list(MONTHS), "nationality": list(NATIONALITIES), "health_scheme": list(HEALTH_COST_SCHEMES),
    "mpi_dimension": list(MPI_DIMENSIONS),
    "decile": list(distribution.DECILES), "region": list(REGIONS),
}


def build_dataset(years: np.ndarray, records: dict[str, list[np.ndarray]], attrs: dict[str, object],
                  coords: dict[str, list | np.ndarray] | None = None) -> xr.Dataset:
    """Stack per-year records into the result Dataset with named dimensions and units attributes, with the
    fiscal-year variables of `add_fiscal_years` and the health cost decomposition
    (`health_cost.decomposition_data`): the Dataset built once, from plain arrays."""
    all_coords = {"year": years, **COORDS, **(coords or {})}
    data = {}
    for name, values in records.items():
        spec = VARIABLES[name]
        data[name] = (("year", *spec.dims), np.stack(values).astype(float),
                      {"units": spec.units, "description": spec.description})
    stacked = {name: values for name, (_, values, _) in data.items()}
    used = {d for spec in (VARIABLES[n] for n in records) for d in spec.dims} | {"year"}
    kept = {k: v for k, v in all_coords.items() if k in used}
    fy, added = fiscal_year_data(np.asarray(years), np.asarray(all_coords["month"]), stacked)
    if added:  # after the coordinates, as `add_fiscal_years` adds them
        kept["fiscal_year"] = fy
    health = health_cost.decomposition_data(stacked, kept.get("scheme", []), kept.get("health_scheme", []))
    if health is not None:
        kept["health_scheme"], added["component"] = health[0], ("component", list(COMPONENTS))
        added["health_cost_decomposition"] = health[1]
    labels = {name: _coordinate(name).copy(deep=False) if values is COORDS.get(name) else (name, values)
              for name, values in kept.items()}
    return xr.Dataset({**data, **labels, **added}, attrs=attrs)


@cache
def _coordinate(name: str) -> xr.IndexVariable:
    """The coordinate `name` of COORDS as an index variable, made once (its index with it)."""
    return xr.IndexVariable(name, COORDS[name])


def fiscal_year_data(years: np.ndarray, months: np.ndarray,
                     values: dict[str, np.ndarray]) -> tuple[np.ndarray, dict[str, tuple]]:
    """The fiscal years of the calendar `years` and the fiscal-year variables (dims, values, attributes) derived
    from the monthly ones among `values` (arrays over year, month labelled `months`, scheme, as VARIABLES gives
    them): the numbers of `add_fiscal_years`, made on plain arrays."""
    fy = fiscal_years(years)
    out = {}
    for name, (monthly, spec) in FISCAL_YEAR_VARIABLES.items():
        if monthly not in values:
            continue
        flow = values[monthly]
        total = fiscal_sum_values(flow, years, months, fy)
        if name == "recipients_fy":
            total = total / flow.shape[1]
        out[name] = (("fiscal_year", *spec.dims), total, {"units": spec.units, "description": spec.description})
    return fy, out


def fiscal_years(years: np.ndarray) -> np.ndarray:
    """The fiscal years all of whose months lie in the simulated calendar `years` (consecutive): FY t needs t - 1
    and t."""
    years = np.asarray(years)
    return years[1:][np.isin(years[1:] - 1, years)]


def fiscal_sum(by_month: xr.DataArray, fiscal_years: np.ndarray) -> xr.DataArray:
    """A monthly flow (dims year, month, ...) summed over the twelve months of each fiscal year in `fiscal_years`
    (October to December of t-1 and January to September of t); dims fiscal_year, ..."""
    flow = by_month.transpose("year", "month", ...)
    values = fiscal_sum_values(flow.values, flow["year"].values, flow["month"].values, fiscal_years)
    rest = {dim: flow[dim].values for dim in flow.dims[2:]}
    return xr.DataArray(values, dims=("fiscal_year", *rest), coords={"fiscal_year": fiscal_years, **rest})


def year_rows(years: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions of the calendar years `wanted` in `years` (as `.sel(year=wanted)` picks them, without building
    labelled arrays); an error names a year that is missing."""
    rows = np.searchsorted(years, wanted)
    found = (rows < len(years)) & (years[np.minimum(rows, len(years) - 1)] == wanted)
    if not np.all(found):
        raise KeyError(f"year: {np.asarray(wanted)[~found].tolist()} not in the result's years")
    return rows


def fiscal_sum_values(flow: np.ndarray, years: np.ndarray, months: np.ndarray,
                      fiscal_years: np.ndarray) -> np.ndarray:
    """`fiscal_sum` on plain arrays: `flow` has axes (year, month, ...) labelled by `years` (ascending) and
    `months`; the same operations in the same order, so the same numbers to the last bit."""
    late, early = months >= FIRST_FY_MONTH, months < FIRST_FY_MONTH
    return (flow[year_rows(years, fiscal_years - 1)][:, late].sum(axis=1)
            + flow[year_rows(years, fiscal_years)][:, early].sum(axis=1))


MONTHS_BEFORE = (12 - FIRST_FY_MONTH + 1) / 12
"""Share of fiscal year t that falls in calendar year t - 1 (3/12)."""


def price_index(ds: xr.Dataset) -> xr.DataArray:
    """The CPI (2023 = 1) each run deflated its `cost_real` with, by calendar year: nominal over real total cost
    (every scheme's cost is divided by the same index), rounded to 12 decimals so that runs on the same price path
    get the same index to the last bit."""
    return (ds["benefit_cost"].sum("scheme") / ds["cost_real"].sum("scheme")).round(12)


def gdp_fy(ds: xr.Dataset) -> xr.DataArray:
    """Nominal GDP of each complete fiscal year of the result, THB: 3/12 of the calendar year before plus 9/12 of
    its own (GDP has no monthly path, so it is spread evenly over each calendar year)."""
    fy = ds["fiscal_year"].values
    attrs = {"units": "THB", "description": "nominal GDP of the fiscal year: 3/12 of the calendar year before plus "
             "9/12 of its own (GDP spread evenly over each calendar year)"}
    if ds["gdp"].dims == ("year",):  # a run's result: on plain arrays, the same numbers
        return xr.DataArray(gdp_fy_values(ds["gdp"].values, ds["year"].values, fy), dims="fiscal_year",
                            coords={"fiscal_year": fy}, name="gdp", attrs=attrs)
    before = ds["gdp"].sel(year=fy - 1).assign_coords(year=fy)  # e.g. a comparison's, by scenario and draw
    own = ds["gdp"].sel(year=fy)
    return (MONTHS_BEFORE * before + (1 - MONTHS_BEFORE) * own).rename(year="fiscal_year").assign_attrs(attrs)


def gdp_fy_values(gdp: np.ndarray, years: np.ndarray, fiscal_years: np.ndarray) -> np.ndarray:
    """`gdp_fy` on plain arrays (THB by fiscal year from THB by calendar `years`): the same operations in the
    same order."""
    before, own = gdp[year_rows(years, fiscal_years - 1)], gdp[year_rows(years, fiscal_years)]
    return MONTHS_BEFORE * before + (1 - MONTHS_BEFORE) * own


def add_fiscal_years(ds: xr.Dataset) -> xr.Dataset:
    """`ds` (a result made without them, e.g. by hand) with the fiscal-year variables `build_dataset` adds, on a
    `fiscal_year` coordinate: `fiscal_year_data` on its monthly flows; unchanged without monthly flows."""
    monthly = {name: ds[name].transpose("year", "month", ...).values
               for name, _ in FISCAL_YEAR_VARIABLES.values() if name in ds}
    if not monthly:
        return ds
    fy, added = fiscal_year_data(ds["year"].values, ds["month"].values, monthly)
    return ds.assign_coords(fiscal_year=fy).assign(added)
