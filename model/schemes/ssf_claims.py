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
- unemployment (A5.20): a job lost is seen only in the yearly statuses when it lasts to 1 July, so claims are
  an incidence over the insured: each section 33 member under the pension age with at least min_months of
  contributions claims claim_rate times a year; a layoff_share of claims are lay-offs (layoff rate × layoff
  days), the rest resignations or ends of contracts (quit rate × quit days), on the member's insurable wage.
"""

from dataclasses import dataclass

import numpy as np

from ..population.axes import FEMALE, N_AGES
from ..population.demography import death_probability
from ..population.persons import Persons
from .base import YearContext


@dataclass(frozen=True)
class InsuredCells:
    """The insured by sex and age, all that expected claims need: persons, and their insurable wages summed."""

    persons: np.ndarray  # [sex, age] persons
    wages: np.ndarray  # [sex, age] THB/month of insurable wage, summed over the persons


def insured_cells(persons: Persons, rows: np.ndarray, wage: np.ndarray | float) -> InsuredCells:
    """The insured `rows` (row indices) by sex and age; `wage` is each row's insurable wage (THB/month), or one
    wage for all."""
    cell = persons.cell()[rows]
    counts = np.bincount(cell, minlength=2 * N_AGES).astype(np.float64)
    if np.isscalar(wage):
        wages = counts * float(wage)
    else:
        wages = np.bincount(cell, weights=np.asarray(wage, dtype=np.float64), minlength=2 * N_AGES)
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


def unemployment_claimants(ctx: YearContext, insured: np.ndarray) -> np.ndarray:
    """Rows who may claim the section 33 unemployment benefit this year (row indices): those of the section 33
    insured (`insured`, row indices) under the pension age with at least min_months of contributions."""
    persons = ctx.persons
    return insured[(persons.s33_months[insured] >= ctx.annual_mean("ssf_s33.unemployment.min_months"))
                   & (persons.age[insured] < ctx.annual_mean("ssf_s33.pension.age"))]


def benefit_months(ctx: YearContext) -> float:
    """Months of insurable wage one claim pays on average: the lay-off and quit rates times their maximum days."""
    layoff = ctx.annual_mean("ssf_s33.unemployment.layoff_share")
    return (layoff * ctx.annual_mean("ssf_s33.unemployment.layoff_replacement_rate")
            * ctx.annual_mean("ssf_s33.unemployment.layoff_max_days")
            + (1.0 - layoff) * ctx.annual_mean("ssf_s33.unemployment.quit_replacement_rate")
            * ctx.annual_mean("ssf_s33.unemployment.quit_max_days")) / 30.0


def unemployment_cost(ctx: YearContext, rows: np.ndarray) -> float:
    """THB a year of unemployment benefits: claim_rate claims by each of `rows` (row indices), each paying
    benefit_months of the row's insurable wage, whole population."""
    persons = ctx.persons
    wage = np.clip(persons.wage[rows].astype(np.float64), ctx.annual_mean("ssf_s33.wage_floor"),
                   ctx.annual_mean("ssf_s33.wage_ceiling"))
    claims = ctx.annual_mean("ssf_s33.unemployment.claim_rate")
    return float(claims * benefit_months(ctx) * wage.sum() * persons.scale)
