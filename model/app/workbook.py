"""The Excel workbook of the app's download (openpyxl): one readable sheet per topic, in the page's language,
and a sheet of assumptions and sources.

Sheets: summary (the headline, the verdicts and the runs' identities), budget impact by fiscal year, cost by
scheme and fiscal year (reform and baseline), reform minus baseline, fiscal criteria (with units) and public
debt, indicators of the target groups, and assumptions and sources (the reform's parameter changes with their
current-law values and citations, the macro assumptions' sources, the criteria's legal bases, and the
definitions the tables rest on).
"""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import xarray as xr
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..parameters import ParameterTree
from ..scenario import Scenario
from ..sources import cite
from . import charts, levers, tables
from .impact import BudgetImpact

Label = Callable[..., str]
SHEETS = ("summary", "budget_impact", "cost", "difference", "criteria", "indicators", "assumptions")
SHEET_TITLES = {"summary": "Summary", "budget_impact": "Budget impact", "cost": "Cost by scheme",
                "difference": "Reform - baseline", "criteria": "Fiscal criteria", "indicators": "Indicators",
                "assumptions": "Assumptions and sources"}
"""Sheet names (English in both languages, so that formulas and scripts find them)."""
MAX_WIDTH = 60
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


@dataclass(frozen=True)
class WorkbookInput:
    """Everything the workbook shows: both results and scenarios, the budget impact, the headline and banner
    texts, and the scenarios' names as the page shows them."""

    base: xr.Dataset
    reform: xr.Dataset
    base_scenario: Scenario
    reform_scenario: Scenario
    impact: BudgetImpact
    headline: str
    banner: Sequence[tuple[str, str]]
    names: tuple[str, str]


def _write_block(sheet: Worksheet, row: int, title: str, table: pd.DataFrame) -> int:
    """A titled table from `row` on (index as the first column); returns the next free row after a blank one."""
    sheet.cell(row, 1, title).font = TITLE
    row += 1
    header = [table.index.name or "", *[str(c) for c in table.columns]]
    for col, text in enumerate(header, start=1):
        sheet.cell(row, col, text).font = BOLD
    for index, values in table.iterrows():
        row += 1
        sheet.cell(row, 1, index if isinstance(index, int | float) else str(index))
        for col, value in enumerate(values.tolist(), start=2):
            sheet.cell(row, col, None if isinstance(value, float) and pd.isna(value) else value)
    return row + 2


def _write_lines(sheet: Worksheet, row: int, title: str, lines: Iterable[Sequence[object]]) -> int:
    sheet.cell(row, 1, title).font = TITLE
    for line in lines:
        row += 1
        for col, value in enumerate(line, start=1):
            sheet.cell(row, col, value)
    return row + 2


def _fit_columns(sheet: Worksheet) -> None:
    """Columns as wide as their longest text, at most MAX_WIDTH characters; the first row of data frozen."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None and not (cell.font and cell.font.size == TITLE.size and cell.column == 1):
                widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)


def _run_lines(data: WorkbookInput) -> list[tuple[object, ...]]:
    lines: list[tuple[object, ...]] = [("", *data.names)]
    for attr in ("scenario", "seed", "scale", "run_id", "parameters_hash", "model_version"):
        lines.append((attr, *(str(ds.attrs.get(attr, "")) for ds in (data.base, data.reform))))
    lines.append(("years", *(f"{int(ds.year[0])}-{int(ds.year[-1])}" for ds in (data.base, data.reform))))
    return lines


def _parameter_lines(scenario: Scenario, t: Label) -> list[tuple[object, ...]]:
    """The scenario's parameter overrides: path, label, unit, date, value, current law on that date, citation."""
    law = ParameterTree.load()
    lines: list[tuple[object, ...]] = [("parameter", "label", "unit", "from", "value", "current law then",
                                        "current law's source")]
    for path, dated in sorted(scenario.parameters.items()):
        info = law.info(path)
        name = info.label_th if tables.era(t) else info.label_en  # the Thai page counts in the Buddhist era
        for day, value in sorted(dated.items()):
            first = info.values[0].date
            in_force = law.get(path, day) if day >= first else None
            citation = law.citation(path, max(day, first))
            lines.append((path, name, info.unit, day.isoformat(), str(value), str(in_force), citation))
    return lines


def _assumption_lines(data: WorkbookInput, t: Label) -> list[tuple[object, ...]]:
    specs = charts.criterion_specs()
    lines: list[tuple[object, ...]] = [("criterion", "basis", "test", "legal basis or reason", "sources")]
    for name, spec in specs.items():
        reasons = spec.legal_basis or getattr(spec, "reason", None) or ""
        sources = "; ".join(cite(r.source) for r in getattr(spec, "reference", []) or [])
        lines.append((t(f"criterion.{name}"), spec.basis, f"{spec.indicator} {spec.comparison} {spec.limit:g} "
                      f"from {spec.from_year}", reasons, sources))
    lines.append(())
    lines.append(("macro series", "sources", "assumptions"))
    for series in levers.MACRO_SERIES:
        sources, assumptions = levers.macro_citation(series)
        lines.append((t(series), sources, assumptions))
    return lines


def workbook_bytes(data: WorkbookInput, t: Label) -> bytes:
    """The workbook as .xlsx bytes."""
    book = Workbook()
    sheets = {key: (book.active if i == 0 else book.create_sheet()) for i, key in enumerate(SHEETS)}
    for key, sheet in sheets.items():
        sheet.title = SHEET_TITLES[key]
    base, reform, names = data.base, data.reform, data.names

    row = _write_lines(sheets["summary"], 1, t("title"), [(data.headline.replace("**", ""),)])
    row = _write_lines(sheets["summary"], row, t("tab_verdicts"), [(kind.upper(), text) for kind, text in data.banner])
    _write_lines(sheets["summary"], row, "Runs", _run_lines(data))

    _write_block(sheets["budget_impact"], 1, t("impact_axis"), tables.impact_table(data.impact, t))

    row = 1
    for ds, name in ((reform, names[1]), (base, names[0])):
        for measure in ("nominal", "pct_gdp"):
            row = _write_block(sheets["cost"], row, f"{name}: {t(f'measure.{measure}')}",
                               tables.cost_table(ds, measure, t))

    row = 1
    for measure in ("nominal", "real", "pct_gdp"):
        row = _write_block(sheets["difference"], row, t("difference_axis", measure=t(f"measure.{measure}")),
                           tables.difference_table(base, reform, measure, t))

    limit = float(reform["criterion_limit"].sel(criterion="public_debt_ceiling"))
    row = _write_block(sheets["criteria"], 1, t("tab_verdicts"), charts.verdict_table(base, reform, names, t))
    _write_block(sheets["criteria"], row, t("debt_axis"), tables.debt_table(base, reform, limit, names, t))

    _write_block(sheets["indicators"], 1, t("tab_groups"), tables.groups_table(base, reform, names, t))

    sheet = sheets["assumptions"]
    row = 1
    for scenario, name in ((data.reform_scenario, names[1]), (data.base_scenario, names[0])):
        row = _write_lines(sheet, row, f"{name}: {scenario.name}", [(scenario.description,)])
        row = _write_lines(sheet, row, t("levers"), _parameter_lines(scenario, t))
    row = _write_lines(sheet, row, t("criterion"), _assumption_lines(data, t))
    _write_lines(sheet, row, "Definitions", [(t("impact_note"),), (t("cost_note"),), (t("poverty_note"),)])

    for sheet in book.worksheets:
        _fit_columns(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
