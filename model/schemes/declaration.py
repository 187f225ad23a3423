"""What a scheme says about itself: one `Scheme` declaration at the top of each scheme module.

Each scheme module holds `SCHEME = Scheme(...)`: its name (the `scheme` coordinate of results and its parameter
folder), its labels in English and Thai, how it is financed, what kind of benefit it pays, the other schemes whose
results it reads, and its take-up stream. `model.schemes.registry` collects the declarations and builds from them
every list other modules use (the budget's financing split, health cover, the app's labels, the run order), so a
new scheme is counted wherever it belongs as soon as it is declared.
"""

from dataclasses import dataclass
from typing import Literal

from . import takeup

Financing = Literal["budget", "fund", "budget_and_fund"]
FINANCING: dict[str, str] = {
    "budget": "paid from the government budget: the scheme's benefits count in government cost",
    "fund": "paid from a contributory fund without government contributions: nothing counts in government cost",
    "budget_and_fund": "paid from a contributory fund to which the government contributes: the government's "
                       "contributions (contributions_by_payer, payer government) count in government cost, the "
                       "benefits do not",
}
"""How a scheme is financed, and so what of it counts in government cost (model/fiscal/budget.py)."""

Kind = Literal["allowance", "social_insurance", "pension", "savings", "health"]
KINDS: dict[str, str] = {
    "allowance": "a non-contributory transfer to persons who meet a rule of age, disability or means",
    "social_insurance": "contributory insurance: benefits from a fund that insured persons, employers and the "
                        "government pay into",
    "pension": "a pension and gratuities paid by the state to its former officials",
    "savings": "contributions credited to members' individual accounts, paid out later",
    "health": "health cover; every Thai has one, so it does not count towards social-protection coverage",
}
"""What kind of benefit a scheme provides."""

FUNDS: dict[str, str] = {
    "ssf": "Social Security Fund (สำนักงานประกันสังคม); its benefits are the budget's fund_financed_cost",
    "gpf": "Government Pension Fund (กบข.)",
    "nsf": "National Savings Fund (กอช.)",
}
"""The funds that pay a fund-financed scheme's benefits."""


@dataclass(frozen=True)
class Scheme:
    """A scheme's declaration (checked when made: a field out of its vocabulary raises ValueError).

    name: the scheme's name: the `scheme` coordinate of results, its module under model/schemes/, its parameter
        folder model/schemes/parameters/<name>/ and its worked cases tests/cases/<name>.yaml.
    order: the scheme's position in results (the `scheme` coordinate), ascending; the shipped schemes use
        multiples of 10, so a new one can take a place between two of them.
    label_en, label_th: the name shown to users, in English and in Thai.
    financing: a key of FINANCING: what of the scheme counts in government cost.
    kind: a key of KINDS.
    fund: for a fund-financed scheme, the key of FUNDS of the fund that pays its benefits; None for a budget one.
    depends_on: names of the schemes whose results this scheme reads in the same year (they are computed first).
    take_up: the number k of the scheme's persistent per-person draw, (propensity + takeup.offset(k)) mod 1
        (model/schemes/takeup.py): it decides who claims the scheme (for the CSMBS, which candidates are covered
        as dependants). Distinct schemes have distinct numbers, so their claimants are not the same persons.
        None: the scheme has no take-up draw.
    """

    name: str
    order: int
    label_en: str
    label_th: str
    financing: Financing
    kind: Kind
    fund: str | None = None
    depends_on: tuple[str, ...] = ()
    take_up: int | None = None

    def __post_init__(self) -> None:
        problems = []
        if not self.name.isidentifier() or self.name != self.name.lower():
            problems.append(f"name {self.name!r} is not a lower-case identifier")
        if isinstance(self.order, bool) or not isinstance(self.order, int):
            problems.append(f"order {self.order!r} is not a whole number")
        if not self.label_en.strip() or not self.label_th.strip():
            problems.append("a label is empty")
        if self.financing not in FINANCING:
            problems.append(f"financing {self.financing!r} is not one of {sorted(FINANCING)}")
        if self.kind not in KINDS:
            problems.append(f"kind {self.kind!r} is not one of {sorted(KINDS)}")
        if (self.fund is None) != (self.financing == "budget"):
            problems.append(f"fund {self.fund!r}: a fund-financed scheme names its fund, a budget one has none")
        elif self.fund is not None and self.fund not in FUNDS:
            problems.append(f"fund {self.fund!r} is not one of {sorted(FUNDS)}")
        if not isinstance(self.depends_on, tuple) or self.name in self.depends_on:
            problems.append(f"depends_on {self.depends_on!r} is not a tuple of other schemes' names")
        if self.take_up is not None and (isinstance(self.take_up, bool) or not isinstance(self.take_up, int)
                                         or self.take_up < 1):
            problems.append(f"take_up {self.take_up!r} is not a positive whole number")
        if problems:
            raise ValueError(f"scheme {self.name!r}: " + "; ".join(problems))

    @property
    def take_up_offset(self) -> float:
        """The offset of the scheme's persistent draw (takeup.offset of its number); ValueError if it has none."""
        if self.take_up is None:
            raise ValueError(f"scheme {self.name!r} declares no take-up draw")
        return takeup.offset(self.take_up)
