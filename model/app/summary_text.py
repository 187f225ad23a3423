"""The headline in words: the one-line summary of the reform's budget impact and verdict, and the banner of
pass/fail (binding criteria) and warnings (the others), in the page's language."""

from collections.abc import Callable
from typing import Literal

from .impact import BudgetImpact, CriterionVerdict

Label = Callable[..., str]
Kind = Literal["pass", "fail", "met", "warning"]
BN = 1e9
NEGLIGIBLE_BN = 0.05  # an impact that rounds to THB 0.0 bn is no change


def bn(value: float) -> str:
    """THB as billions with one decimal and a thousands separator, signed (e.g. '+301.1', '−115.8')."""
    text = f"{value / BN:+,.1f}"
    return text.replace("-", "−")


def impact_clause(impact: BudgetImpact, reform: str, t: Label) -> str:
    """'<reform> costs THB 301.1 bn over FY2025–FY2037 (government +301.1 bn, ...), 0.09% of GDP a year'."""
    years = {"first": impact.first, "last": impact.last}
    if abs(impact.total) / BN < NEGLIGIBLE_BN:
        return t("headline_none", reform=reform, **years)
    key = "headline_costs" if impact.total > 0 else "headline_saves"
    return t(key, reform=reform, amount=f"{abs(impact.total) / BN:,.1f}", government=bn(impact.government),
             fund=bn(impact.fund), pct=abs(impact.pct_gdp_a_year), **years)


def breach_phrase(verdict: CriterionVerdict, t: Label) -> str:
    """'public debt breaches the 70% of GDP ceiling at the end of 2028 (the baseline does not)'."""
    text = t(f"breach.{verdict.criterion}", limit=verdict.limit, year=verdict.first_breach)
    if verdict.baseline_breach is None:
        return f"{text} {t('baseline_never')}"
    if verdict.baseline_breach == verdict.first_breach:
        return f"{text} {t('baseline_same')}"
    return f"{text} {t('baseline_other', year=verdict.baseline_breach)}"


def summary_sentence(impact: BudgetImpact, verdicts: list[CriterionVerdict], reform: str, end_year: int,
                     t: Label) -> str:
    """The headline: the budget impact, then every binding criterion the reform breaches with its first year (or
    that they all hold)."""
    failed = [v for v in verdicts if v.binding and not v.holds]
    verdict = (t("and").join(breach_phrase(v, t) for v in failed) if failed
               else t("headline_all_hold", end=end_year))
    return f"{impact_clause(impact, reform, t)}; {verdict}."


def banner(verdicts: list[CriterionVerdict], t: Label) -> list[tuple[Kind, str]]:
    """One (kind, text) per criterion: pass or fail with the first year of breach for binding criteria, met or a
    warning from a year for the others."""
    lines: list[tuple[Kind, str]] = []
    for v in verdicts:
        name = t(f"criterion.{v.criterion}")
        if v.binding:
            lines.append(("pass", t("banner_pass", criterion=name)) if v.holds
                         else ("fail", t("banner_fail", criterion=name, year=v.first_breach)))
        else:
            lines.append(("met", t("banner_met", criterion=name)) if v.holds
                         else ("warning", t("banner_warning", criterion=name, year=v.first_breach)))
    return lines
