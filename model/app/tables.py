"""The table behind each chart of the app, in the page's language and era, with units in the column headers;
the same tables make the sheets of the Excel workbook (`model.app.workbook`).

Years are whole numbers in the era of the page (Buddhist era in Thai); money in THB billion, nominal unless
the measure says otherwise.
"""

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from . import charts
from .impact import BudgetImpact

Label = Callable[..., str]
BN = 1e9


def era(t: Label) -> int:
    """Years to add to a common-era year for the page's era (543 in Thai, 0 in English)."""
    return int(t("era_offset"))


def _year_index(years: np.ndarray, t: Label, key: str) -> pd.Index:
    return pd.Index(np.asarray(years).astype(int) + era(t), name=t(key))


def impact_table(impact: BudgetImpact, t: Label) -> pd.DataFrame:
    """Reform minus baseline by fiscal year: government, fund and total (THB bn) and the total as % of GDP, with
    a total row over the plan period (its % of GDP the yearly mean)."""
    table = pd.DataFrame({
        t("col.thb_bn", name=t("share.government")): impact.table["government"] / BN,
        t("col.thb_bn", name=t("share.fund")): impact.table["fund"] / BN,
        t("col.thb_bn", name=t("share.total")): impact.table["total"] / BN,
        t("col.pct_gdp", name=t("share.total")): impact.table["total_pct_gdp"],
    })
    table.index = _year_index(impact.table.index.values, t, "col.fiscal_year").astype(str)
    total = table.sum()
    total.iloc[-1] = impact.pct_gdp_a_year
    table.loc[f"{t('total_row')} {t('fy_short', year=impact.first)}–{impact.last + era(t)}"] = total
    return table.round(4)


def cost_table(ds: xr.Dataset, measure: str, t: Label,
               totals: Sequence[tuple[xr.Dataset, str]] = ()) -> pd.DataFrame:
    """Cost by fiscal year (rows) and scheme (columns) in a measure, with the total, and the total of each of
    `totals` (another result and its name: the baseline, the reference path) as 'Σ name'."""
    values = charts.cost(ds, measure)
    table = pd.DataFrame(values.values, index=_year_index(values["fiscal_year"].values, t, "col.fiscal_year"),
                         columns=[t(f"scheme.{s}") for s in values["scheme"].values])
    table[t("share.total")] = table.sum(axis=1)
    for other, name in totals:
        table[f"Σ {name}"] = charts.cost(other, measure).values.sum(axis=1)
    table.columns.name = t(f"measure.{measure}")
    return table.round(4)


def difference_table(base: xr.Dataset, reform: xr.Dataset, measure: str, t: Label) -> pd.DataFrame:
    """Reform minus baseline cost by fiscal year and scheme in a measure (schemes that never change left out),
    with the total."""
    table = cost_table(reform, measure, t) - cost_table(base, measure, t)
    total = table.pop(t("share.total"))
    table = table.loc[:, table.abs().max() > 1e-9]
    table[t("share.total")] = total
    return table.round(4)


def debt_table(base: xr.Dataset, reform: xr.Dataset, limit: float, names: tuple[str, str],
               t: Label, reference: tuple[xr.Dataset, str] | None = None) -> pd.DataFrame:
    """Public debt at the end of each calendar year (% of GDP) of both scenarios (and of a `reference` path: its
    result and name), the ceiling, and whether the reform is above it."""
    paths = [(base, names[0]), (reform, names[1])] + ([] if reference is None else [reference])
    table = pd.DataFrame({t("col.pct_gdp", name=name): ds["public_debt_pct_gdp"].values for ds, name in paths},
                         index=_year_index(reform["year"].values, t, "col.year"))
    table[t("col.ceiling")] = limit
    table[t("col.breach")] = [t("yes") if value > limit else t("no") for value in reform["public_debt_pct_gdp"].values]
    return table.round(3)


def ssf_table(long_runs: tuple[xr.Dataset, xr.Dataset], names: tuple[str, str], t: Label) -> pd.DataFrame:
    """SSF reserves at the end of each calendar year (THB bn) from the 2023-2100 runs."""
    return pd.DataFrame({t("col.thb_bn", name=name): ds["ssf_reserve"].values / BN
                         for ds, name in zip(long_runs, names)},
                        index=_year_index(long_runs[0]["year"].values, t, "col.year")).round(3)


def pyramid_table(ds: xr.Dataset, years: tuple[int, int], t: Label) -> pd.DataFrame:
    """Persons (thousand) by five-year age band of both pyramids, men and women."""
    frames = {}
    for year in years:
        bands = charts._age_bands(ds["population"].sel(year=year))
        for sex in ("male", "female"):
            frames[f"{t(sex)} {year + era(t)}"] = bands[sex]
    table = pd.DataFrame(frames).round(3)
    table.index.name = t("age")
    return table


def groups_table(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> pd.DataFrame:
    """Poverty after transfers and coverage (percent) of each target group by calendar year, both scenarios."""
    columns = {}
    for ds, name in zip((base, reform), names):
        poverty = ds["poverty_rate"].sel(income_basis=charts.POVERTY_BASIS)
        for group in (str(g) for g in reform["group"].values):
            group_name = t(f"group.{group}")
            columns[f"{t('poverty_axis')} · {group_name} · {name}"] = poverty.sel(group=group).values
            columns[f"{t('coverage_axis')} · {group_name} · {name}"] = ds["coverage_rate"].sel(group=group).values
    return pd.DataFrame(columns, index=_year_index(reform["year"].values, t, "col.year")).round(3)


def mpi_table(base: xr.Dataset, reform: xr.Dataset, names: tuple[str, str], t: Label) -> pd.DataFrame:
    """The multidimensional poverty index (M0, H, A) and adequacy of each target group by calendar year, both
    scenarios (the panels of `charts.mpi_adequacy`)."""
    columns = {}
    for ds, name in zip((base, reform), names):
        for variable, key in charts.MPI_PANELS:
            if variable not in ds:
                continue
            for group in (str(g) for g in reform["group"].values):
                columns[f"{t(key)} · {t(f'group.{group}')} · {name}"] = ds[variable].sel(group=group).values
    return pd.DataFrame(columns, index=_year_index(reform["year"].values, t, "col.year")).round(4)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark, so that spreadsheets read Thai text right."""
    return table.to_csv().encode("utf-8-sig")
