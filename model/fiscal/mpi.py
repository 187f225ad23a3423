"""The model's multidimensional poverty index (MPI) of the target groups, in the Alkire-Foster form (goal 170201).

Method (Alkire and Foster 2011, "Counting and multidimensional poverty measurement", J. Public Economics 95;
source S-ALKIREFOSTER2011). The unit is the household. Each household is deprived or not in each of the six
dimensions below; its score c is the sum of the weights of its deprivations (weights normalised to sum to 1,
parameters `common.mpi.weight.*`, equal by default); it is multidimensionally poor when c >= k (the cutoff
`common.mpi.cutoff`, 1/3). Every member takes the household's deprivations, score and poverty status, and a
group's measures are over its members (persons):
    H  (headcount)  = members living in poor households / members,
    A  (intensity)  = mean score c of the members living in poor households (0 when there are none),
    M0 (the index)  = H × A, the weighted deprivations of the poor over the most the group could have.
So 0 <= M0 <= H <= 1 and, when H > 0, k <= A <= 1.

Dimensions (a household is deprived if any member concerned is):
    income              its income per person after cash transfers (members' incomes and cash benefits pooled,
                        `model.fiscal.indicators.income_after_transfers`) is below the official poverty line;
    old_age_security    a member aged 60+ receives neither the old-age allowance nor a pension (an SSF old-age
                        pension in payment, a civil-service pension);
    social_insurance    a member aged 15-59 works without social insurance (status informal_uninsured);
    health_cover        a member has no health cover (UCS, CSMBS, or SSF medical care under section 33 or 39);
    disability_support  a member holding a disability card is not paid the disability allowance;
    child_poverty       a member is under 18 and the household is income-poor (as `income`). With equal weights
                        this doubles the weight of income poverty for households with children, so every poor
                        household with children is multidimensionally poor: the priority the master plan gives
                        to children among the target groups; set its weight to 0 to drop it.

These are the model's version of the official index, not the index itself. Thailand's national MPI (NESDC, from
the Household Socio-Economic Survey: 12 weighted indicators in four dimensions, education, health, living
standards and financial security, poor at 26% of them; S-OPHITHMPI, S-NESDCMPI4D) and TPMAP (NESDC and NECTEC,
from the basic minimum needs survey and the welfare-card register; S-TPMAP) measure much the model cannot see:
schooling and school attendance, health outcomes (nutrition, illness, disability severity, access to care),
and living standards (housing, water, sanitation, electricity, assets, debt). The model's dimensions are those
that social protection decides (income after transfers, pensions, insurance, cover, allowances), so its index
moves with the schemes and reforms it simulates; its level is not comparable with the official headcount
(8.76% of the population in 2023, S-NESDCMPI2023).
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import threads
from ..errors import ParameterError
from ..parameters import ParameterTree
from ..population import households
from ..population.households import ADULT_AGE, OLD_AGE
from ..population.persons import Persons
from ..population.status import INFORMAL, WORKING_AGE
from ..schemes import ssf_s33
from ..schemes.base import YearContext
from ..schemes.registry import HEALTH_SCHEMES, SCHEMES, SchemesYear
from ..schemes.universal_coverage import ssf_medical_insured
from . import kernels

DIMENSIONS: tuple[str, ...] = ("income", "old_age_security", "social_insurance", "health_cover",
                               "disability_support", "child_poverty")
MEASURES: tuple[str, ...] = ("headcount", "intensity", "index")
NOT_HEALTH: tuple[str, ...] = tuple(name for name in SCHEMES if name not in HEALTH_SCHEMES)
"""The schemes whose recipients count as covered by social protection (health cover reaches every Thai)."""
SCORE_TOLERANCE = 1e-6
"""A score within this of the cutoff counts as reaching it (weights stored to six decimals: 2 × 0.166667 vs
0.333333)."""


@dataclass(frozen=True)
class Rule:
    """The index's weights ([dimension], fractions summing to 1, in DIMENSIONS' order) and cutoff k (fraction)."""

    weights: np.ndarray
    cutoff: float


def rule(params: ParameterTree, year: int) -> Rule:
    """The weights (normalised to sum to 1) and cutoff in force on 1 July of `year`; ParameterError if every weight
    is 0 or the cutoff is 0 (every household would be poor)."""
    day = f"{year}-07-01"
    weights = np.array([float(params.get(f"common.mpi.weight.{d}", day)) for d in DIMENSIONS])
    cutoff = float(params.get("common.mpi.cutoff", day))
    if weights.sum() <= 0:
        raise ParameterError(f"common.mpi.weight: every weight is 0 in {year}; at least one must be positive")
    if cutoff <= 0:
        raise ParameterError(f"common.mpi.cutoff: {cutoff} in {year}; it must be above 0")
    return Rule(weights / weights.sum(), cutoff)


N_PATTERNS = 1 << len(DIMENSIONS)
"""Deprivation patterns: a unit's deprivations as one code, bit d set when it is deprived in dimension d."""
PATTERN_DIMENSIONS = (np.arange(N_PATTERNS)[:, None] >> np.arange(len(DIMENSIONS))) & 1 == 1
"""[pattern, dimension] whether the pattern holds the dimension."""


def patterns(deprived: np.ndarray) -> np.ndarray:
    """[unit] deprivation pattern (uint8, bit d for dimension d) of each unit (`deprived`: [unit, dimension] bool)."""
    out = np.zeros(deprived.shape[0], dtype=np.uint8)
    for d in range(deprived.shape[1]):
        out |= deprived[:, d].view(np.uint8) << np.uint8(d)
    return out


def pattern_scores(weights: np.ndarray) -> np.ndarray:
    """[pattern] deprivation score c of each pattern: the weights of its dimensions, summed exactly (math.fsum) so
    that a score is the same whatever the machine and its numerical library (a copy of the scores kept for the
    last few sets of weights: each year's groups share them)."""
    return _pattern_scores(tuple(float(x) for x in weights)).copy()


@lru_cache(maxsize=16)
def _pattern_scores(w: tuple[float, ...]) -> np.ndarray:
    """`pattern_scores` of the weights `w`."""
    return np.array([math.fsum(w[d] for d in range(len(w)) if held[d]) for held in PATTERN_DIMENSIONS])


def scores(deprived: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """[unit] deprivation score c: the sum of the weights of the dimensions each unit is deprived in
    (`deprived`: [unit, dimension] bool)."""
    return pattern_scores(weights)[patterns(deprived)]


def measures_by_pattern(persons_by_pattern: np.ndarray, weights: np.ndarray,
                        cutoff: float) -> tuple[tuple[float, float, float], np.ndarray]:
    """((H, A, M0), [dimension] censored headcounts), fractions, of the persons counted by the deprivation pattern
    of their unit (`persons_by_pattern`: [pattern] persons): H the share of persons in poor units (score >= cutoff),
    A their mean score (0 when none is poor), M0 = H × A; the censored headcount of a dimension is the share of
    persons living in poor units deprived in it. Sums run over the patterns in a fixed order (A's with math.fsum),
    so that the measures are the same whatever the machine, its numerical library and its threads."""
    counted = np.asarray(persons_by_pattern, dtype=np.float64)
    c = pattern_scores(weights)
    in_poor = counted * (c >= cutoff - SCORE_TOLERANCE)
    total = counted.sum()
    if total <= 0:
        return (0.0, 0.0, 0.0), np.zeros(len(DIMENSIONS))
    censored = (in_poor[:, None] * PATTERN_DIMENSIONS).sum(axis=0) / total
    poor_people = in_poor.sum()
    if poor_people <= 0:
        return (0.0, 0.0, 0.0), censored
    headcount = float(poor_people / total)
    intensity = math.fsum(in_poor * c) / float(poor_people)
    return (headcount, intensity, headcount * intensity), censored


def _by_pattern(deprived: np.ndarray, population: np.ndarray | None) -> np.ndarray:
    """[pattern] units (or persons, when `population` gives each unit's) by deprivation pattern."""
    weights = None if population is None else np.asarray(population, dtype=np.float64)
    return np.bincount(patterns(deprived), weights=weights, minlength=N_PATTERNS)


def af_measures(deprived: np.ndarray, weights: np.ndarray, cutoff: float,
                population: np.ndarray | None = None) -> tuple[float, float, float]:
    """(H, A, M0) as fractions over units (`deprived`: [unit, dimension] bool) counted `population` times each
    (persons per unit; None: once each): H the share of persons in poor units (score >= cutoff), A their mean
    score (0 when none is poor), M0 = H × A."""
    return measures_by_pattern(_by_pattern(deprived, population), weights, cutoff)[0]


@dataclass(frozen=True)
class Support:
    """What each row receives this year that the dimensions and the coverage indicators read, as bits of one byte
    per row (`bits`, uint8: OLD_AGE_INCOME, HEALTH_COVER, DISABILITY_ALLOWANCE, COVERED): a quarter of the memory
    of four masks."""

    bits: np.ndarray

    OLD_AGE_INCOME = 1  # old-age allowance, SSF old-age pension in payment or civil-service pension
    HEALTH_COVER = 2  # UCS member, CSMBS beneficiary or SSF medical care (section 33/39)
    DISABILITY_ALLOWANCE = 4  # paid the disability allowance
    COVERED = 8  # a benefit of a scheme other than health cover (`SchemesYear.covered`)

    @classmethod
    def of(cls, old_age_income: np.ndarray, health_cover: np.ndarray, disability_allowance: np.ndarray,
           covered: np.ndarray | None = None) -> "Support":
        """The support of [row] masks (`covered`: none when not given)."""
        bits = np.zeros(len(old_age_income), dtype=np.uint8)
        for mask, bit in ((old_age_income, cls.OLD_AGE_INCOME), (health_cover, cls.HEALTH_COVER),
                          (disability_allowance, cls.DISABILITY_ALLOWANCE), (covered, cls.COVERED)):
            if mask is not None:
                kernels.or_mask(bits, np.asarray(mask, dtype=bool), bit)
        return cls(bits)


_DIMENSION_BITS = {"old_age_allowance": Support.OLD_AGE_INCOME, "universal_coverage": Support.HEALTH_COVER,
                   "csmbs": Support.HEALTH_COVER, "disability_allowance": Support.DISABILITY_ALLOWANCE}
RECIPIENT_BITS: dict[str, int] = {name: (Support.COVERED if name in NOT_HEALTH else 0) | _DIMENSION_BITS.get(name, 0)
                                  for name in SCHEMES}
"""[scheme] the `Support` bits each scheme's recipients (its rows) get: COVERED for every scheme but health cover,
and the bit of the dimension the scheme answers."""


def add_recipients(bits: np.ndarray, scheme: str, rows: np.ndarray) -> None:
    """Set in `bits` ([row] `Support` bits) those the recipients `rows` of `scheme` get (RECIPIENT_BITS). A bitwise
    OR: the schemes may be added in any order, each as soon as its result is made (model.fiscal.reductions)."""
    if RECIPIENT_BITS[scheme]:
        kernels.or_rows(bits, rows, RECIPIENT_BITS[scheme])


def add_population(ctx: YearContext, bits: np.ndarray) -> None:
    """Set in `bits` what the rows receive in `ctx.year` that is no scheme's rows: a civil-service pension or an SSF
    pension in payment (old-age income) and SSF medical care (health cover), block by block (no whole-length
    temporaries)."""
    persons = ctx.persons
    kernels.or_rows(bits, persons.cs.rows_of(persons.cs.cs_pension > 0), Support.OLD_AGE_INCOME)  # in any order
    kernels.or_rows(bits, ssf_s33.pensioner_rows(ctx), Support.OLD_AGE_INCOME)
    for block in threads.blocks(len(persons)):
        kernels.or_mask(bits[block], ssf_medical_insured(persons, block), Support.HEALTH_COVER)


def support(ctx: YearContext, flows: SchemesYear) -> Support:
    """The rows' pensions, allowances, health cover and benefits in `ctx.year`, from the schemes' flows (each
    scheme's recipients are its rows) and the population, set bit by bit in place. A run's year sets them as each
    scheme is computed instead (model.fiscal.reductions), with the same two functions."""
    bits = np.zeros(len(ctx.persons), dtype=np.uint8)
    for name in SCHEMES:
        add_recipients(bits, name, flows.schemes[name].rows)
    add_population(ctx, bits)
    return Support(bits)


def household_patterns(persons: Persons, income_poor: np.ndarray, received: Support,
                       n_households: int | None = None, bit: int = 0) -> np.ndarray:
    """[household] deprivation pattern (uint8, bit d for dimension d of DIMENSIONS) of each household (by id): it is
    deprived in a dimension when any member concerned is. `income_poor`: rows whose household's income per person
    after transfers is below the line (bool, or uint8 flags holding it as bit number `bit`, as
    `YearHouseholds.poverty` does with bit 1); `n_households`: household ids in use, when already known. One
    compiled pass over the rows (model.fiscal.kernels.pattern_pass)."""
    n = households.n_households(persons) if n_households is None else n_households
    flags = income_poor.view(np.uint8) if income_poor.dtype == np.bool_ else income_poor
    parts = threads.ranges(len(persons))
    patterns = [np.zeros(n, np.uint8) for _ in parts]  # one a part of the rows, OR-ed together after
    threads.for_each(lambda i, rows: kernels.pattern_pass(
        persons.hh[rows], flags[rows], bit, persons.age[rows], persons.status[rows], persons.disabled[rows],
        received.bits[rows], OLD_AGE, WORKING_AGE, ADULT_AGE, INFORMAL, patterns[i]), parts)
    for other in patterns[1:]:
        np.bitwise_or(patterns[0], other, out=patterns[0])
    return patterns[0]


def household_deprivations(persons: Persons, income_poor: np.ndarray, received: Support,
                           n_households: int | None = None) -> np.ndarray:
    """[household, dimension] whether each household (by id) is deprived in each of DIMENSIONS (the patterns of
    `household_patterns` spelt out)."""
    return PATTERN_DIMENSIONS[household_patterns(persons, income_poor, received, n_households)]


def censored_headcounts(deprived: np.ndarray, weights: np.ndarray, cutoff: float,
                        population: np.ndarray | None = None) -> np.ndarray:
    """[dimension] share of persons (fraction) living in poor units that are deprived in each dimension (the
    censored headcount ratios of Alkire and Foster): their sum weighted by `weights` is M0."""
    return measures_by_pattern(_by_pattern(deprived, population), weights, cutoff)[1]


def by_group(persons: Persons, deprived: np.ndarray, masks: dict[str, np.ndarray],
             the_rule: Rule) -> tuple[np.ndarray, np.ndarray]:
    """([group, measure] H, A, M0, [group, dimension] censored headcounts), fractions, of each group (rows of
    `masks`), every member counted with the household's deprivations (`deprived`: [household, dimension], or the
    households' patterns of `household_patterns`): the members of each group counted by their household's
    deprivation pattern, one pass over the group's rows."""
    pattern = (deprived if deprived.ndim == 1 else patterns(deprived))[persons.hh]  # [row] the household's pattern
    measures = np.zeros((len(masks), len(MEASURES)))
    censored = np.zeros((len(masks), len(DIMENSIONS)))
    for g, mask in enumerate(masks.values()):
        everyone = np.count_nonzero(mask) == mask.size
        counts = np.bincount(pattern if everyone else pattern[mask], minlength=N_PATTERNS)
        measures[g], censored[g] = measures_by_pattern(counts, the_rule.weights, the_rule.cutoff)
    return measures, censored
