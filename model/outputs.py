"""Named outputs of a run: yearly series and scalars computed from a result Dataset.

Comparisons, sweeps, uncertainty bands and sensitivity analyses ask for outputs by name:

- a yearly output ``NAME`` is a DataArray over ``year`` (for example ``total_cost_pct_gdp``);
- ``NAME_YYYY`` is that output's value in year YYYY, a scalar (``total_cost_pct_gdp_2037``);
- a scalar output summarises the whole run (``ssf_depletion_year``, ``min_debt_headroom_pct_gdp``);
- the Social Security Fund is reported pooled (``ssf_reserve_pct_gdp``, ``ssf_depletion_year``) and for its
  old-age branch (``ssf_old_age_reserve_pct_gdp``, ``ssf_old_age_depletion_year``), the branch the verdict's
  solvency criterion and the fund solvers test;
- ``SCHEME_cost_pct_gdp`` is one scheme's cost in percent of GDP (``old_age_allowance_cost_pct_gdp_2037``).

Each output names the result variables it needs. The registry is tolerant of a result without them: only
computing such an output raises `OutputUnavailable`, naming the missing variables.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import xarray as xr

from .errors import ModelInputError
from .schemes.registry import SCHEMES

_YEAR_SUFFIX = re.compile(r"^(?P<base>[a-z][a-z0-9_]*?)_(?P<year>\d{4})$")


class OutputUnavailable(ModelInputError):
    """An output was requested from a result that lacks the variables (or the year) it needs."""


@dataclass(frozen=True)
class Output:
    """One named output: ``compute(ds)`` returns a DataArray over ``year`` (yearly) or a scalar."""

    name: str
    units: str
    description: str
    needs: tuple[str, ...]
    yearly: bool
    compute: Callable[[xr.Dataset], xr.DataArray]


def _age_band(ds: xr.Dataset, low: int, high: int = 200) -> xr.DataArray:
    """Persons aged low..high (both included) by year."""
    pop = ds["population"].sum("sex")
    return pop.where((pop.age >= low) & (pop.age <= high)).sum("age")


@cache
def debt_ceiling_pct_gdp() -> float:
    """The public-debt ceiling (percent of GDP) of the macro assumptions' sustainability criteria."""
    from .fiscal.macro import load_macro

    limits = [c.limit for c in load_macro().criteria if c.indicator == "public_debt_pct_gdp"]
    if not limits:
        raise OutputUnavailable("debt headroom: the macro assumptions have no criterion on public_debt_pct_gdp")
    return float(min(limits))


def _headroom(ds: xr.Dataset) -> xr.DataArray:
    return debt_ceiling_pct_gdp() - ds["public_debt_pct_gdp"]


def _depletion_year(ds: xr.Dataset) -> xr.DataArray:
    """First year whose end-of-year SSF reserve is negative; NaN if none (censored at the last year + 1)."""
    return _first_negative_year(ds["ssf_reserve"])


def _old_age_reserve(ds: xr.Dataset) -> xr.DataArray:
    """The SSF old-age branch's reserve at the end of each year, THB."""
    return ds["ssf_reserve_by_branch"].sel(ssf_branch="old_age", drop=True)


def _first_negative_year(reserve: xr.DataArray) -> xr.DataArray:
    """First year of `reserve` (dim year) below zero; NaN if none (censored at the last year + 1)."""
    depleted = reserve.year.where(reserve < 0).min("year")
    return depleted.assign_attrs(censored_at=int(reserve.year.max()) + 1)


def _scheme_cost_pct_gdp(scheme: str) -> Callable[[xr.Dataset], xr.DataArray]:
    def compute(ds: xr.Dataset) -> xr.DataArray:
        if scheme not in ds["cost_pct_gdp"].scheme.values:
            raise OutputUnavailable(f"output '{scheme}_cost_pct_gdp': the result has no scheme {scheme!r}")
        return ds["cost_pct_gdp"].sel(scheme=scheme, drop=True)

    return compute


_BASE: list[Output] = [
    Output("total_population", "persons", "persons on 1 July", ("population",), True,
           lambda ds: ds["population"].sum(("sex", "age"))),
    Output("population_65_plus", "persons", "persons aged 65 and over on 1 July", ("population",), True,
           lambda ds: _age_band(ds, 65)),
    Output("old_age_dependency_ratio", "persons aged 65+ per 100 aged 15-64", "old-age dependency ratio",
           ("population",), True, lambda ds: 100 * _age_band(ds, 65) / _age_band(ds, 15, 64)),
    Output("total_births", "persons", "live births over the twelve months from 1 July", ("births",), True,
           lambda ds: ds["births"]),
    Output("total_benefit_cost", "THB, nominal", "benefits paid by all schemes", ("benefit_cost",), True,
           lambda ds: ds["benefit_cost"].sum("scheme")),
    Output("total_contributions", "THB, nominal", "contributions received by all schemes", ("contributions",), True,
           lambda ds: ds["contributions"].sum("scheme")),
    Output("total_cost_pct_gdp", "percent of GDP", "benefits paid by all schemes", ("cost_pct_gdp",), True,
           lambda ds: ds["cost_pct_gdp"].sum("scheme")),
    Output("ssf_reserve_pct_gdp", "percent of GDP", "Social Security Fund reserve at the end of the year",
           ("ssf_reserve", "gdp"), True, lambda ds: 100 * ds["ssf_reserve"] / ds["gdp"]),
    Output("ssf_old_age_reserve_pct_gdp", "percent of GDP",
           "Social Security Fund old-age branch reserve at the end of the year", ("ssf_reserve_by_branch", "gdp"),
           True, lambda ds: 100 * _old_age_reserve(ds) / ds["gdp"]),
    Output("public_debt_pct_gdp", "percent of GDP", "public debt at the end of the year", ("public_debt_pct_gdp",),
           True, lambda ds: ds["public_debt_pct_gdp"]),
    Output("debt_headroom_pct_gdp", "percent of GDP", "public-debt ceiling less public debt at the end of the year",
           ("public_debt_pct_gdp",), True, _headroom),
    Output("ssf_depletion_year", "calendar year (NaN: not depleted)",
           "first year the Social Security Fund reserve is negative at the end of the year", ("ssf_reserve",), False,
           _depletion_year),
    Output("ssf_old_age_depletion_year", "calendar year (NaN: not depleted)",
           "first year the Social Security Fund old-age branch reserve is negative at the end of the year (the "
           "verdict's solvency test)", ("ssf_reserve_by_branch",), False,
           lambda ds: _first_negative_year(_old_age_reserve(ds))),
    Output("min_debt_headroom_pct_gdp", "percent of GDP", "smallest debt headroom over the projection years",
           ("public_debt_pct_gdp",), False, lambda ds: _headroom(ds).min("year")),
    *(Output(f"{s}_cost_pct_gdp", "percent of GDP", f"benefits paid by {s}", ("cost_pct_gdp",), True,
             _scheme_cost_pct_gdp(s)) for s in SCHEMES),
]
OUTPUTS: dict[str, Output] = {o.name: o for o in _BASE}
"""Every base output by name; yearly ones also answer to ``NAME_YYYY``."""


def parse(name: str) -> tuple[Output, int | None]:
    """The base output and the year of a name (None for a whole series or a scalar); ModelInputError if unknown."""
    if name in OUTPUTS:
        return OUTPUTS[name], None
    match = _YEAR_SUFFIX.match(name) if isinstance(name, str) else None
    if match and match["base"] in OUTPUTS and OUTPUTS[match["base"]].yearly:
        return OUTPUTS[match["base"]], int(match["year"])
    raise ModelInputError(f"unknown output {name!r}: use one of {', '.join(OUTPUTS)} (yearly ones also as NAME_YYYY)")


def is_scalar(name: str) -> bool:
    """Whether the named output is one number per run (a scalar output or a yearly one at a given year)."""
    output, year = parse(name)
    return year is not None or not output.yearly


def compute(ds: xr.Dataset, name: str) -> xr.DataArray:
    """The named output of a result Dataset, named and with `units` and `description` attributes."""
    output, year = parse(name)
    missing = [v for v in output.needs if v not in ds.variables]
    if missing:
        raise OutputUnavailable(f"output {name!r} needs result variable(s) {', '.join(missing)}, "
                                "which this result does not have")
    value = output.compute(ds)
    if year is not None:
        if year not in ds["year"].values:
            years = ds["year"].values
            raise OutputUnavailable(f"output {name!r}: the result has no year {year} "
                                    f"(it covers {years.min()}-{years.max()})")
        value = value.sel(year=year, drop=True)
    return value.astype(float).rename(name).assign_attrs(units=output.units, description=output.description)


def compute_many(ds: xr.Dataset, names: Iterable[str]) -> xr.Dataset:
    """A Dataset of the named outputs, each loaded into memory."""
    return xr.Dataset({name: compute(ds, name).load() for name in names})


def available(ds: xr.Dataset) -> list[str]:
    """Names of the base outputs that can be computed from this Dataset."""
    usable = []
    for name, output in OUTPUTS.items():
        try:
            if all(v in ds.variables for v in output.needs):
                compute(ds, name)
                usable.append(name)
        except OutputUnavailable:
            continue
    return usable


def fill_censored(values: xr.DataArray) -> xr.DataArray:
    """Replace NaN by the ``censored_at`` attribute when the output has one (e.g. 'not depleted' → last year + 1)."""
    censored_at = values.attrs.get("censored_at")
    return values if censored_at is None else values.fillna(float(censored_at))


def check_year(name: str, first: int, last: int) -> None:
    """ModelInputError if a NAME_YYYY output asks for a year outside first..last."""
    _, year = parse(name)
    if year is not None and not first <= year <= last:
        raise ModelInputError(f"output {name!r}: year {year} is outside the projection years {first}-{last}")


__all__ = ["OUTPUTS", "Output", "OutputUnavailable", "available", "check_year", "compute", "compute_many",
           "debt_ceiling_pct_gdp", "fill_censored", "is_scalar", "parse"]
