"""The memo tables of a comparison (`model.compare_tables`) as text, Markdown, CSV or an Excel workbook.

- text: fixed-width tables for the terminal;
- markdown: a heading and a pipe table per section, numbers rounded and signed, to paste into a memo;
- csv: every section in one long table (a `section` column), numbers unrounded;
- xlsx: an "about" sheet (what was compared and how) and one sheet per section, numbers unrounded.

A section whose rows share one unit names it in its title and drops the unit column (text and Markdown).
"""

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .compare_tables import Section
from .errors import ModelInputError
from .io import write_bytes

FORMATS = {"text": ".txt", "markdown": ".md", "csv": ".csv", "xlsx": ".xlsx"}
"""Each format and the file suffix it is written to."""
SIGNED = ("difference", "difference (pp)")
PERCENT = ("difference %",)
PP = "pp"


def check_format(fmt: str, table: Path | None, option: str = "--format") -> str:
    """The format to write: `fmt`, or from the suffix of `table` when `fmt` is None (text if neither);
    ModelInputError for an unknown format, an Excel workbook without a file, or a file of another format."""
    if fmt is None:
        by_suffix = {suffix: name for name, suffix in FORMATS.items()}
        if table is None:
            return "text"
        if table.suffix not in by_suffix:
            raise ModelInputError(f"--table: the file must end in one of {', '.join(by_suffix)} "
                                  f"(got {str(table)!r}), or give --format")
        return by_suffix[table.suffix]
    if fmt not in FORMATS:
        raise ModelInputError(f"{option}: must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if fmt == "xlsx" and table is None:
        raise ModelInputError(f"{option}: an Excel workbook is written to a file: give --table FILE.xlsx")
    if table is not None and table.suffix != FORMATS[fmt]:
        raise ModelInputError(f"--table: a {fmt} table is written to a {FORMATS[fmt]} file (got {str(table)!r})")
    return fmt


def _cell(value: object, column: str, digits: int, unit: str = "") -> str:
    """A displayed cell: blank for a missing value, yes/blank for within noise, signed differences (with pp for
    a difference of percentages), thousands separators."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else ""
    if not isinstance(value, (int, float, np.number)):
        return str(value)
    if column in PERCENT:
        return f"{value:+,.1f}"
    if column in SIGNED:
        text = f"{value:+,.{digits}f}"
        return f"{text} {PP}" if unit.startswith("%") and column == "difference" else text
    return f"{value:,.{digits}f}"


def display_frame(section: Section) -> tuple[pd.DataFrame, str]:
    """The section's table as text cells, and its title with the unit when every row shares one."""
    table = section.table
    title = section.title
    units = table["unit"].unique() if "unit" in table else []
    single = len(units) == 1
    if single and units[0] not in title:
        title = f"{title} [{units[0]}]"
    cells = pd.DataFrame({col: [_cell(v, col, section.digits, str(u))
                                for v, u in zip(table[col], table["unit"] if "unit" in table else [""] * len(table))]
                          for col in table.columns}, index=table.index)
    if single:
        cells = cells.drop(columns="unit")
    if "difference %" in cells and not (cells["difference %"] != "").any():
        cells = cells.drop(columns="difference %")
    return cells, title


def _below(section: Section) -> list[str]:
    lines = list(section.notes)
    if section.unchanged:
        lines.insert(0, "identical in base and reform in every year and draw (not tabulated): "
                        + ", ".join(section.unchanged))
    return lines


def to_markdown(header: list[str], sections: list[Section]) -> str:
    """A Markdown document: the header, then per section a heading, a pipe table and its notes."""
    parts = [f"## {header[0]}", "", *(f"{line}  " for line in header[1:]), ""]
    for section in sections:
        cells, title = display_frame(section)
        parts += [f"### {title}", ""]
        if cells.empty:
            parts.append("(no row differs)")
        else:
            numeric = [c for c in cells.columns if c not in ("item", "criterion", "year", "basis", "role", "unit",
                                                             "within noise") and not c.startswith(("first", "verdict"))]
            parts.append("| " + " | ".join(cells.columns) + " |")
            parts.append("|" + "|".join("---:" if c in numeric else "---" for c in cells.columns) + "|")
            parts += ["| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in cells.itertuples(False)]
        parts += [""] + [f"_{line}_  " for line in _below(section)] + [""]
    return "\n".join(parts)


def to_text(header: list[str], sections: list[Section]) -> str:
    """Fixed-width tables for the terminal."""
    parts = [*header, ""]
    for section in sections:
        cells, title = display_frame(section)
        parts += [title, "(no row differs)" if cells.empty else cells.to_string(index=False)]
        parts += [f"  {line}" for line in _below(section)] + [""]
    return "\n".join(parts)


def long_frame(sections: list[Section]) -> pd.DataFrame:
    """Every section's rows in one table, numbers unrounded, with a `section` column (the section's key)."""
    frames = [section.table.assign(section=section.key) for section in sections]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return frame[["section", *[c for c in frame.columns if c != "section"]]]


def to_csv(header: list[str], sections: list[Section]) -> str:
    """One long CSV of every section (the header is in the xlsx's about sheet and the Markdown, not here)."""
    return long_frame(sections).to_csv(index=False)


def to_xlsx(header: list[str], sections: list[Section]) -> bytes:
    """An Excel workbook: an about sheet (header, each section's title and notes), then one sheet per section."""
    buffer = io.BytesIO()
    about = [*header, ""]
    for section in sections:
        about += [f"{section.key}: {section.title}", *(f"    {line}" for line in _below(section))]
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        pd.DataFrame({"comparison": about}).to_excel(writer, sheet_name="about", index=False)
        for section in sections:
            section.table.to_excel(writer, sheet_name=section.key[:31], index=False)
    return buffer.getvalue()


def render(header: list[str], sections: list[Section], fmt: str) -> str | bytes:
    """The tables in a format of FORMATS: text for all but xlsx (bytes)."""
    writers = {"text": to_text, "markdown": to_markdown, "csv": to_csv, "xlsx": to_xlsx}
    return writers[fmt](header, sections)


def write_table(header: list[str], sections: list[Section], fmt: str, path: Path) -> None:
    """Write the tables to `path` atomically (nothing is left behind if it fails)."""
    data = render(header, sections, fmt)
    write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"), Path(path))
