"""National Savings Fund (NSF, กองทุนการออมแห่งชาติ / กอช.): voluntary retirement savings of informal workers.

Rule (fact sheet A7.8-A7.11): Thai informal workers aged 15-60 outside the Social Security Fund, the GPF and
provident funds may save; the government matches each member's savings at a rate and up to a yearly cap
by age band: 50% up to 600 THB a year at 15-30, 80% up to 960 at 31-50, 100% up to 1,200 at 51-60 (A7.10),
caps raised to 1,800 THB for all ages from the revision (A7.11, dated 1 Oct 2022 in the parameters).
Members are the rows with status informal_uninsured aged `min_age`..`max_age`; section 40 members may
join only when `national_savings_fund.admits_s40_members` is on (off: A7.8 excludes SSF members). Of the
eligible, a persistent share `take_up` contributes. Each contributing member saves
`mean_member_contribution` (an assumption, THB/year; at most `max_contribution`), and the match is
min(rate × savings, cap) per year. Rates, caps and bands are read month by month and prorated, so a cap
raised on 1 October counts for 3 months of that calendar year.

This is saving, not a transfer: the government match is credited to the member's individual account and
paid out only at 60, so `benefit` (the scheme's benefit_cost) is the match paid into members' accounts in
the year (in kind, `cash=False`), and `contributions` are the members' own savings (insured) and the match
(government). Payouts from the accounts are not modelled.

Overlaps: section 40 members (ssf_s40) save for old age in the Social Security Fund instead (option 2/3
lump sum, A5.34), hence the switch; NSF members keep their UCS cover and may draw the old-age allowance
after 60.
"""

import numpy as np

from ..population.status import INFORMAL, SSF_S40
from . import kernels
from .base import Payments, RowAmounts, SchemeYear, YearContext, month_groups
from .declaration import Scheme
from .takeup import interval
from .rows import like, rows_by_blocks

SCHEME = Scheme(
    name="national_savings_fund",
    order=120,
    label_en="National Savings Fund",
    label_th="กองทุนการออมแห่งชาติ",
    financing="budget_and_fund",
    kind="savings",
    fund="nsf",
    take_up=5,
)

BANDS: tuple[str, ...] = ("age_15_30", "age_31_50", "age_51_60")
_PATHS: tuple[str, ...] = (
    ("min_age", "max_age", "admits_s40_members", "take_up", "mean_member_contribution", "max_contribution")
    + tuple(f"{kind}.{b}" for kind in ("match_band_lower_age", "match_rate", "match_cap") for b in BANDS)
)


def compute(ctx: YearContext) -> SchemeYear:
    """Government match credited in calendar year `ctx.year`, THB/year per saving member (the recipients); members'
    savings as contributions."""
    persons = ctx.persons
    payments = Payments(len(persons))
    for month, months in month_groups(ctx, "national_savings_fund", _PATHS):
        # thai informal workers (and section 40 members if admitted) of age, taking it up
        rows = rows_by_blocks(
            kernels.status_age_taken_up, len(persons), persons.thai, persons.status, like(INFORMAL, persons.status),
            like(SSF_S40 if month["admits_s40_members"] else -1, persons.status), persons.age,
            like(month["min_age"], persons.age), like(month["max_age"], persons.age), persons.propensity,
            *interval(SCHEME.take_up_offset, month["take_up"]))
        contribution = min(month["mean_member_contribution"], month["max_contribution"])  # THB/year
        age = np.take(persons.age, rows)  # np.take: twice as fast as indexing by int32 rows
        matched = np.select([age >= month[f"match_band_lower_age.{b}"] for b in reversed(BANDS)],
                            [min(month[f"match_rate.{b}"] * contribution, month[f"match_cap.{b}"])
                             for b in reversed(BANDS)], default=0.0)
        payments.add(rows, months / 12.0 * matched, months / 12.0 * contribution, months=months)
    rows, (match, savings) = payments.merged()
    scale = persons.scale
    return SchemeYear(size=len(persons), rows=rows, amount=match, cash=False,
                      contributions={"insured": float(savings.sum() * scale), "government": float(match.sum() * scale)},
                      insured_by_row=RowAmounts(rows, savings),
                      **payments.monthly(scale, cost=(0,), contributions=(0, 1)))
