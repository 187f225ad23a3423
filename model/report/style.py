"""One plotting style for every figure: 150 dpi, a colour-blind-safe palette, human labels in English and Thai,
and numbered captions with a source line.

    from model.report import style
    style.use()                                   # once, in a notebook's first cell
    figures = style.Figures()                     # numbers the notebook's figures 1, 2, ...
    fig, ax = plt.subplots()
    ax.plot(x, y, **style.scheme_line("old_age_allowance"), label=style.scheme_label("old_age_allowance"))
    figures.show(fig, "Old-age allowance recipients, million persons", source="model run, baseline, scale 100")

The palette is Okabe and Ito's (2008, "Color Universal Design"), distinguishable under the common forms of
colour-vision deficiency; twelve schemes need more than its seven colours, so each scheme also has its own line
style, and the pair (colour, line style) is unique.
"""

from __future__ import annotations

from typing import Literal

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

from ..app.labels import LABELS
from ..schemes.registry import DECLARATIONS

Lang = Literal["en", "th"]
DPI = 150

OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000",
}
"""The eight colours of Okabe and Ito's palette, by name."""
SERIES: tuple[str, ...] = tuple(OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple",
                                                        "black", "yellow"))
"""The order in which successive lines take colours."""
LINESTYLES: tuple[str, ...] = ("-", "--", ":", "-.")
GREY = "#777777"
LIMIT = OKABE_ITO["vermillion"]
"""Colour of legal limits and ceilings drawn on a chart."""

_VARIABLE_LABELS: dict[str, tuple[str, str]] = {
    "population": ("Population", "ประชากร"),
    "births": ("Births", "จำนวนเกิด"),
    "deaths": ("Deaths", "จำนวนตาย"),
    "total_cost_pct_gdp": ("Total cost of the schemes, % of GDP", "ค่าใช้จ่ายรวมของโครงการ (% ของ GDP)"),
    "government_cost_pct_gdp": ("Government-financed cost, % of GDP", "ค่าใช้จ่ายที่รัฐบาลรับภาระ (% ของ GDP)"),
    "fund_financed_cost_pct_gdp": ("SSF-financed cost, % of GDP", "ค่าใช้จ่ายที่กองทุนประกันสังคมรับภาระ (% ของ GDP)"),
    "public_debt_pct_gdp": ("Public debt, % of GDP", "หนี้สาธารณะ (% ของ GDP)"),
    "deficit_pct_gdp": ("Deficit, % of GDP", "การขาดดุล (% ของ GDP)"),
    "debt_service_pct_revenue": ("Debt service, % of revenue", "ภาระหนี้ (% ของรายได้)"),
    "ssf_reserve": ("SSF reserve, THB", "เงินกองทุนประกันสังคม (บาท)"),
    "total_cost_pct_gdp_2037": ("Total cost in 2037, % of GDP", "ค่าใช้จ่ายรวมปี 2037 (% ของ GDP)"),
    "ssf_reserve_pct_gdp_2037": ("SSF reserve end-2037, % of GDP", "เงินกองทุนประกันสังคมสิ้นปี 2037 (% ของ GDP)"),
    "min_debt_headroom_pct_gdp": ("Least headroom under the debt ceiling, pp of GDP",
                                  "ช่องว่างต่ำสุดใต้เพดานหนี้ (จุดร้อยละของ GDP)"),
    "fertility_multiplier": ("Fertility (multiplier of WPP rates)", "ภาวะเจริญพันธุ์ (ตัวคูณอัตรา WPP)"),
    "mortality_multiplier": ("Mortality (multiplier of WPP rates)", "ภาวะการตาย (ตัวคูณอัตรา WPP)"),
    "ssf_investment_return": ("SSF investment return", "ผลตอบแทนการลงทุนของกองทุนประกันสังคม"),
    "aged_60_plus": ("Aged 60 and over", "ผู้มีอายุ 60 ปีขึ้นไป"),
    "children_0_5": ("Children aged 0-5", "เด็กอายุ 0-5 ปี"),
    "persons_with_disability": ("Persons with a disability", "คนพิการ"),
    "working_age_poor": ("Working-age poor", "ผู้ยากจนวัยทำงาน"),
    "informal_workers": ("Informal workers", "แรงงานนอกระบบ"),
    "all": ("Whole population", "ประชากรทั้งหมด"),
    "old_age": ("Old-age branch", "กรณีชราภาพ"),
    "short_term": ("Short-term benefits", "ประโยชน์ทดแทนระยะสั้น"),
    "unemployment": ("Unemployment branch", "กรณีว่างงาน"),
}
"""Labels of result variables, sweep factors and coordinates that the app's table (model.app.labels) lacks."""


def use() -> None:
    """Set matplotlib's defaults to the project's style (call once per notebook or script)."""
    mpl.rcParams.update({
        "figure.dpi": DPI, "savefig.dpi": DPI, "figure.figsize": (9.0, 3.4), "figure.constrained_layout.use": True,
        "axes.prop_cycle": cycler(color=list(SERIES)), "axes.grid": True, "grid.alpha": 0.3,
        "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 10, "axes.labelsize": 9,
        "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8, "legend.frameon": False,
        "font.family": ["DejaVu Sans", "sans-serif"], "axes.formatter.use_locale": False,
    })
    try:  # the notebooks' inline backend: PNG at DPI, cropped to the drawn content (captions included)
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", dpi=DPI, bbox_inches="tight")
    except ImportError:  # outside a notebook
        pass


def label(key: str, lang: Lang = "en") -> str:
    """A human label for a variable, factor, coordinate value or scheme: the app's label if it has one, else this
    module's, else the key with its underscores as spaces. A dotted factor path ("macro.real_growth") is labelled
    by its last part."""
    name = key.rsplit(".", 1)[-1]
    i = 0 if lang == "en" else 1
    if name in DECLARATIONS:
        return scheme_label(name, lang)
    for table in (_VARIABLE_LABELS, LABELS):
        if name in table:
            return table[name][i]
    return name.replace("_", " ")


def scheme_label(name: str, lang: Lang = "en") -> str:
    """The scheme's name as its declaration gives it, in English or Thai."""
    scheme = DECLARATIONS[name]
    return scheme.label_en if lang == "en" else scheme.label_th


def scheme_color(name: str) -> str:
    """The scheme's colour: its place in the result contract's order, over the palette's first seven colours."""
    return SERIES[list(DECLARATIONS).index(name) % 7]


def scheme_line(name: str) -> dict[str, str]:
    """Keyword arguments of `Axes.plot` for the scheme: its colour and line style (a unique pair)."""
    k = list(DECLARATIONS).index(name)
    return {"color": SERIES[k % 7], "linestyle": LINESTYLES[(k // 7) % len(LINESTYLES)]}


def thousands(axis, scale: float = 1.0, decimals: int = 0) -> None:
    """Tick labels of `axis` (ax.xaxis or ax.yaxis) with thousands separators, values divided by `scale`."""
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v / scale:,.{decimals}f}"))


class Figures:
    """Numbers a document's figures and gives each a caption above and a source line below."""

    def __init__(self, first: int = 1) -> None:
        self.number = first - 1

    def caption(self, fig: mpl.figure.Figure, title: str, source: str, note: str | None = None) -> int:
        """Put "Figure n. title" above `fig` and "Source: ..." (and the note) below it; returns n."""
        self.number += 1
        fig.suptitle(f"Figure {self.number}. {title}", x=0.0, ha="left", fontsize=11, fontweight="bold")
        text = f"Source: {source}" + (f"\n{note}" if note else "")
        fig.text(0.0, -0.01, text, ha="left", va="top", fontsize=7.5, color=GREY, wrap=True)
        return self.number

    def show(self, fig: mpl.figure.Figure, title: str, source: str, note: str | None = None) -> int:
        """Caption `fig` and show it (in a notebook: the output PNG at 150 dpi); returns its number."""
        number = self.caption(fig, title, source, note)
        plt.show()
        return number
