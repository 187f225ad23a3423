"""Single-age demographic inputs derived from WPP 2024: base population, death, fertility, migration rates.

Every array is indexed [year - 2023, sex, age] (or [year - 2023, age] for fertility) with ages 0..100.
Convention: the projection step from 1 July of year t to 1 July of t+1 uses the calendar-year-t inputs
(rates for year t, net migrants of year t, SRB of year t), a half-year shift stated in data/README.md.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.optimize import brentq

from . import wpp
from .axes import BASE_YEAR, FEMALE, MALE, N_AGES, SEXES
from .graduation import graduate
from .lifetable import life_expectancy_at_birth

FERTILE_AGES = (15, 49)  # mothers are drawn from women aged 15-49 on 1 July


@dataclass(frozen=True)
class DemographicInputs:
    """Single-age inputs for the years BASE_YEAR..last_year (persons, rates per person-year)."""

    years: np.ndarray  # calendar years covered
    base_population: np.ndarray  # [sex, age] persons on 1 July 2023, graduated (not integer)
    mx: np.ndarray  # [year, sex, age] central death rates, rescaled to WPP e0
    asfr: np.ndarray  # [year, age] births per woman per year; zero outside 15-49
    srb: np.ndarray  # [year] male births per female birth
    net_migration: np.ndarray  # [year, sex, age] net migrants (persons)
    e0_target: np.ndarray  # [year, sex] WPP life expectancy at birth (years)

    def index(self, year: int) -> int:
        """Position of a calendar year in the arrays."""
        return year - int(self.years[0])

    @property
    def male_birth_share(self) -> np.ndarray:
        """[year] fraction of births that are boys, srb / (1 + srb)."""
        return self.srb / (1.0 + self.srb)


def graduated_base_population() -> np.ndarray:
    """[sex, age] mid-2023 population split from WPP 5-year groups; every group total reproduced exactly."""
    df = wpp.read("population_2023")
    out = np.zeros((2, N_AGES))
    for s, sex in enumerate(SEXES):
        rows = df[df["sex"] == sex].sort_values("age_start")
        closed = rows[rows["age_start"] < 100]
        edges = np.append(closed["age_start"].to_numpy(), 100)
        out[s, :100] = graduate(closed["population"].to_numpy(float), edges)
        out[s, 100] = rows.loc[rows["age_start"] == 100, "population"].sum()
    return out


def _single_age_log_mx(group_mx: np.ndarray, starts: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Log m(x) at ages 0..100 from abridged rates: m(0) as given, ages 1-4 flat at m(1-4),
    ages 5-99 log-linear between 5-year group midpoints (extrapolated to the 100+ rate), 100+ as given."""
    log_m = np.log(group_mx)
    out = np.empty(N_AGES)
    out[0] = log_m[0]
    out[1:5] = log_m[1]
    five = slice(2, len(starts) - 1)  # the 5-year groups 5-9 .. 95-99
    mids = np.append(starts[five] + widths[five] / 2.0, 100.5)
    out[5:100] = np.interp(np.arange(5, 100) + 0.5, mids, np.append(log_m[five], log_m[-1]))
    out[100] = log_m[-1]
    return out


def _period_log_mx() -> tuple[np.ndarray, np.ndarray]:
    """(period midpoints as decimal years, log m [period, sex, age]) for the WPP 5-year periods."""
    df = wpp.read("mortality")
    periods = sorted(df["period_start"].unique())
    log_mx = np.empty((len(periods), 2, N_AGES))
    for p, start in enumerate(periods):
        for s, sex in enumerate(SEXES):
            rows = df[(df["period_start"] == start) & (df["sex"] == sex)].sort_values("age_start")
            widths = rows["age_width"].fillna(0).to_numpy(float)
            log_mx[p, s] = _single_age_log_mx(rows["mx"].to_numpy(float), rows["age_start"].to_numpy(float), widths)
    # A period runs 1 July of its start year to 30 June five years later: midpoint start + 3.0 (1 January).
    return np.asarray(periods, dtype=float) + 3.0, log_mx


def calibrate_to_e0(mx: np.ndarray, target_e0: float, sex: int) -> np.ndarray:
    """Scale a single-age m(x) schedule by the factor that makes its life expectancy at birth equal target_e0."""
    factor = brentq(lambda k: life_expectancy_at_birth(mx * k, sex) - target_e0, 0.05, 20.0, xtol=1e-12)
    return mx * factor


def death_rates(years: np.ndarray, e0: np.ndarray) -> np.ndarray:
    """[year, sex, age] m(x): log-linear in time between period midpoints (calendar year t at t+0.5),
    held flat beyond the last midpoint, then rescaled so each year's life table reproduces WPP e0."""
    mids, log_mx = _period_log_mx()
    out = np.empty((years.size, 2, N_AGES))
    for i, year in enumerate(years):
        t = year + 0.5
        for s in (MALE, FEMALE):
            shape = np.exp([np.interp(t, mids, log_mx[:, s, a]) for a in range(N_AGES)])
            out[i, s] = calibrate_to_e0(shape, e0[i, s], s)
    return out


def fertility_rates(years: np.ndarray) -> np.ndarray:
    """[year, age] single-age ASFR from WPP 5-year ASFR (ages 10-54), graduated mean-preservingly, then
    restricted to mothers aged 15-49 and rescaled so the rates sum exactly to that year's WPP TFR (the
    10-14 group holds at most 0.24% of births and 50-54 none; their share is spread proportionally)."""
    fert = wpp.read("fertility")
    tfr = wpp.read("tfr").set_index("year")["tfr"]
    out = np.zeros((years.size, N_AGES))
    lo, hi = FERTILE_AGES
    for i, year in enumerate(years):
        rows = fert[fert["year"] == year].sort_values("age_start")
        edges = np.append(rows["age_start"].to_numpy(), rows["age_end"].iloc[-1] + 1)
        single = graduate(rows["asfr"].to_numpy(float) * 5.0, edges)  # births per woman over each group
        by_age = np.zeros(N_AGES)
        by_age[int(edges[0]) : int(edges[-1])] = single
        by_age[:lo] = 0.0
        by_age[hi + 1 :] = 0.0
        out[i] = by_age * (tfr.loc[year] / by_age.sum())
    return out


def migration_counts(years: np.ndarray) -> np.ndarray:
    """[year, sex, age] WPP net international migrants by single age, as given (persons)."""
    mig = wpp.read("migration")
    mig = mig[mig["year"].isin(years)]
    cube = mig.pivot_table(index=["year", "sex", "age"], values="net_migrants").reindex(
        [(y, s, a) for y in years for s in SEXES for a in range(N_AGES)], fill_value=0.0
    )
    return cube.to_numpy(float).reshape(years.size, 2, N_AGES)


@cache
def load_inputs(last_year: int | None = None) -> DemographicInputs:
    """All single-age inputs for BASE_YEAR..last_year (default: the last year the data covers); cached."""
    end = wpp.last_year() if last_year is None else last_year
    years = np.arange(BASE_YEAR, end + 1)
    e0 = wpp.read("life_expectancy").pivot(index="year", columns="sex", values="e0").loc[years, list(SEXES)]
    e0 = e0.to_numpy(float)
    srb = wpp.read("sex_ratio_at_birth").set_index("year").loc[years, "srb_males_per_female"].to_numpy(float)
    return DemographicInputs(
        years=years,
        base_population=graduated_base_population(),
        mx=death_rates(years, e0),
        asfr=fertility_rates(years),
        srb=srb,
        net_migration=migration_counts(years),
        e0_target=e0,
    )
