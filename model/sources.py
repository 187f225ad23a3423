"""The registry of sources the model cites (`model/sources.yaml`), keyed by source id, and how a citation reads.

Parameter files, the macro assumptions, the calibration targets and `data/administrative_totals.csv` cite these
ids (`model.schema.Citation`); a citation reads ``[S32] Baker McKenzie InsightPlus, "Thailand: ...", 2025; note``.
"""

import datetime as dt
import re
from functools import cache
from pathlib import Path

import yaml
from typing import Annotated

from pydantic import Field, RootModel, StrictBool, StrictStr, ValidationError

from .errors import ModelInputError
from .schema import SOURCE_ID_PATTERN, Strict, validation_message
from .yaml_files import read_yaml

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
_Url = Annotated[StrictStr, Field(pattern=r"^https?://\S+$")]

class Source(Strict):
    """One source: title (required), publisher, date published (as the source gives it) and the pages cited."""

    title: StrictStr = Field(min_length=1)
    publisher: StrictStr | None = Field(None, min_length=1)
    published: StrictStr | None = Field(None, min_length=1)
    url: _Url | None = None
    also: list[_Url] = []
    accessed: dt.date | None = None
    note: StrictStr | None = Field(None, min_length=1)
    general: StrictBool = False  # a background reference that no value cites

    def text(self) -> str:
        """``Publisher, "Title", date (note)``: the reference as a reader sees it."""
        title = f'"{self.title}"' if self.publisher else self.title
        parts = [p for p in (self.publisher, title, self.published) if p]
        return ", ".join(parts) + (f" ({self.note})" if self.note else "")


class _Registry(RootModel[dict[StrictStr, Source]]):
    pass


@cache
def registry() -> dict[str, Source]:
    """Every source by id, read and validated once per process."""
    return load_registry(SOURCES_FILE)


def load_registry(path: Path) -> dict[str, Source]:
    """The validated registry in `path`; ModelInputError names the file, the id and the field."""
    try:
        raw = read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ModelInputError(f"{path}: cannot read the source registry ({' '.join(str(error).split())})") from None
    try:
        sources = _Registry.model_validate(raw).root
    except ValidationError as error:
        raise ModelInputError(validation_message(str(path), error)) from None
    bad = [key for key in sources if not _valid_id(key)]
    if bad:
        raise ModelInputError(f"{path}: source id {bad[0]!r} must look like S12, S-NAME or T3")
    return sources


def _valid_id(key: str) -> bool:
    return re.fullmatch(SOURCE_ID_PATTERN.strip("^$"), key) is not None


@cache
def source_ids() -> frozenset[str]:
    """The ids of the registry."""
    return frozenset(registry())


def cite(source: str, note: str | None = None) -> str:
    """``[id] publisher, "title", date; note``: one citation as text."""
    text = f"[{source}] {registry()[source].text()}"
    return f"{text}; {note}" if note else text


def link(source: str, url: str | None = None) -> str | None:
    """The page a citation points to: its own `url` if it gives one, else the source's."""
    return url or registry()[source].url
