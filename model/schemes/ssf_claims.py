"""Social Security Fund short-term benefits paid per claim (sections 33 and 39): expected claims of the insured
rows in the year times the fixed amounts of the law (fact sheet A5.19-A5.22). Amounts are THB.

Claims are expected values over the insured rows, from the year's demographic rates (the WPP inputs the
population itself is projected with, so claims follow births and deaths):
- maternity (A5.21): births to insured women, her age's fertility rate a year; each birth pays the lump sum
  plus the wage replacement rate × the insurable wage × days / 30. Births to an insured man's uninsured wife
  (the lump sum is then paid to him) are not modelled: the population has no couples.
- funeral grant (A5.22): deaths of insured persons, 1 - exp(-m(x)) a year at their sex and age, × the grant.
- child allowance (A5.19): children under max_age (rows of the population) whose mother or father is insured;
  the chance is 1 - (1 - p_mother)(1 - p_father), each parent's p the share of insured persons among those of
  the ages at which parents of children under max_age are (the year's fertility schedule, max_age / 2 years
  older, fathers parent_age_gap years older than mothers), independently. Each child is paid amount × 12 a
  year. The max_children cap (3) is not applied: with Thai fertility near one child per woman few insured
  parents have more than three children under six.
- unemployment (A5.20; Social Security Act s. 78, Ministerial Regulation of 2004): claimed by the unemployed who
  left section 33 employment, seen in the yearly statuses as the rows unemployed on 1 July of the year after
  section 33 employment a year earlier (`s33_left_year`, set by the labour layer), under the pension age (not
  entitled to the old-age benefit) and with min_months of contributions within the window_months before
  unemployment. Each such person stands for paid_per_insured_unemployed persons paid in an average month (seen on
  one day, they stand for the spells of the whole year, and a claimant may be counted employed or inactive by 1
  July; the ratio is solved against the persons paid in July 2023). A layoff_share of claims follow a dismissal
  (50% of the wage for up to 180 days), the rest a resignation or the end of a contract (30% for up to 90 days),
  each paid its full duration, so the year's claims are the persons paid in a month × 365 / the mean days paid;
  a claim pays the daily wage of the law (monthly wage / 30) on the insurable wage the record holds
  (avg_insurable_wage, within the floor and ceiling in force). So the branch's benefits follow the persons moving
  from insured work into unemployment.
"""

from dataclasses import dataclass

import numpy as np

from ..population.axes import FEMALE, N_AGES
from ..population.demography import death_probability
from ..population.persons import Persons
from ..population.status import UNEMPLOYED
from . import kernels
from .base import YearContext


@dataclass(frozen=True)
class InsuredCells:
    """The insured by sex and age, all that expected claims need: persons, and their insurable wages summed."""

    persons: np.ndarray  # [sex, age] persons
    wages: np.ndarray  # [sex, age] THB/month of insurable wage, summed over the persons


def insured_cells(persons: Persons, rows: np.ndarray, wage: np.ndarray | float) -> InsuredCells:
    """The insured `rows` (row indices) by sex and age; `wage` is each row's insurable wage (THB/month), or one
    wage for all."""
    if np.isscalar(wage):
        counts = kernels.cell_counts(persons.sex, persons.age, rows, N_AGES)
        wages = counts * float(wage)
    else:  # the wages summed in float64, in row order, in the same pass
        counts, wages = kernels.cell_counts_and_sums(persons.sex, persons.age, rows, np.asarray(wage), N_AGES)
    return InsuredCells((counts * persons.scale).reshape(2, N_AGES), (wages * persons.scale).reshape(2, N_AGES))


def maternity_cost(ctx: YearContext, scheme: str, insured: InsuredCells) -> float:
    """THB a year of maternity benefits (`scheme`.maternity) for births to the insured women, whole population."""
    lump = ctx.annual_mean(f"{scheme}.maternity.lump_sum")
    leave = (ctx.annual_mean(f"{scheme}.maternity.wage_replacement_rate")
             * ctx.annual_mean(f"{scheme}.maternity.wage_replacement_days") / 30.0)
    rates = ctx.fertility_rates()
    births = rates[np.minimum(np.arange(N_AGES), len(rates) - 1)]  # [age] a year per woman
    return float(births @ (lump * insured.persons[FEMALE] + leave * insured.wages[FEMALE]))


def funeral_cost(ctx: YearContext, scheme: str, insured: InsuredCells) -> float:
    """THB a year of funeral grants (`scheme`.funeral_grant) for expected deaths among the insured."""
    grant = ctx.annual_mean(f"{scheme}.funeral_grant")
    return float(np.sum(death_probability(ctx.mortality_rates()) * insured.persons) * grant)


def parent_shares(everyone: np.ndarray, insured: np.ndarray, asfr: np.ndarray, shift: int,
                  gap: int) -> tuple[float, float]:
    """Shares of insured persons (fractions) among the mothers and among the fathers of young children: women
    weighted by the fertility rate of the age they were `shift` years ago, men by that of `gap` years younger.
    `everyone`, `insured`: [sex, age] persons."""
    n_ages = len(asfr)
    ages = np.minimum(np.arange(everyone.shape[1]), n_ages - 1)
    shares = []
    for sex, offset in ((FEMALE, shift), (1 - FEMALE, shift + gap)):
        weight = np.zeros(n_ages)
        weight[offset:] = asfr[: n_ages - offset]
        total = weight[ages] @ everyone[sex]
        shares.append(float(weight[ages] @ insured[sex] / total) if total > 0 else 0.0)
    return shares[0], shares[1]


def child_allowance_cost(ctx: YearContext, scheme: str, insured: InsuredCells) -> tuple[float, float]:
    """(THB a year, children paid) of the child allowance (`scheme`.child_allowance) for the children under the
    age limit with an insured parent, whole population."""
    everyone = ctx.persons.count_by_sex_age()
    max_age = int(ctx.annual_mean(f"{scheme}.child_allowance.max_age"))
    gap = int(ctx.annual_mean(f"{scheme}.child_allowance.parent_age_gap"))
    mother, father = parent_shares(everyone, insured.persons, ctx.fertility_rates(), max_age // 2, gap)
    children = everyone[:, :max_age].sum()
    paid = children * (1.0 - (1.0 - mother) * (1.0 - father))
    return paid * ctx.annual_sum(f"{scheme}.child_allowance.amount"), paid


def unemployment_claimants(ctx: YearContext) -> np.ndarray:
    """Rows entitled to the section 33 unemployment benefit this year (row indices): unemployed on 1 July after
    section 33 employment a year earlier, under the pension age, with min_months of contributions within the
    window_months before unemployment (the record's latest months: min(s33_months, window_months))."""
    persons = ctx.persons
    rows = persons.ssf.rows_where(persons.ssf.s33_left_year == ctx.year)  # few rows: the other tests run on them only
    rows = np.compress(persons.status[rows] == UNEMPLOYED, rows)
    recent = np.minimum(persons.s33_months[rows], ctx.annual_mean("ssf_s33.unemployment.window_months"))
    return np.compress((recent >= ctx.annual_mean("ssf_s33.unemployment.min_months"))
                       & (persons.age[rows] < ctx.annual_mean("ssf_s33.pension.age")), rows)


def benefit_days(ctx: YearContext) -> float:
    """Days one claim is paid on average: the dismissal and resignation shares times their maximum days."""
    layoff = ctx.annual_mean("ssf_s33.unemployment.layoff_share")
    return (layoff * ctx.annual_mean("ssf_s33.unemployment.layoff_max_days")
            + (1.0 - layoff) * ctx.annual_mean("ssf_s33.unemployment.quit_max_days"))


def benefit_months(ctx: YearContext) -> float:
    """Months of insurable wage one claim pays on average: each kind's replacement rate times its maximum days,
    at the daily wage of monthly wage / 30."""
    layoff = ctx.annual_mean("ssf_s33.unemployment.layoff_share")
    return (layoff * ctx.annual_mean("ssf_s33.unemployment.layoff_replacement_rate")
            * ctx.annual_mean("ssf_s33.unemployment.layoff_max_days")
            + (1.0 - layoff) * ctx.annual_mean("ssf_s33.unemployment.quit_replacement_rate")
            * ctx.annual_mean("ssf_s33.unemployment.quit_max_days")) / 30.0


def unemployment_beneficiaries(ctx: YearContext, rows: np.ndarray) -> float:
    """Persons paid the unemployment benefit in an average month of the year by the entitled `rows` (row indices),
    whole population: the count the Ministry of Labour reports monthly."""
    return ctx.annual_mean("ssf_s33.unemployment.paid_per_insured_unemployed") * rows.size * ctx.persons.scale


def unemployment_claims(ctx: YearContext, rows: np.ndarray) -> float:
    """Claims a year by the entitled `rows` (row indices), whole population: the persons paid in a month times
    365 / the days a claim is paid."""
    return unemployment_beneficiaries(ctx, rows) * 365.0 / benefit_days(ctx)


def unemployment_cost(ctx: YearContext, rows: np.ndarray) -> float:
    """THB a year of unemployment benefits of the entitled `rows` (row indices): their claims, each paying
    benefit_months of the row's insurable wage (avg_insurable_wage within the floor and ceiling), whole
    population."""
    persons = ctx.persons
    wage = np.clip(persons.avg_insurable_wage[rows].astype(np.float64), ctx.annual_mean("ssf_s33.wage_floor"),
                   ctx.annual_mean("ssf_s33.wage_ceiling"))
    claims_per_row = unemployment_claims(ctx, rows) / max(rows.size * persons.scale, 1.0)
    return float(claims_per_row * benefit_months(ctx) * wage.sum() * persons.scale)
