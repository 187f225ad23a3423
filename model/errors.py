"""Errors and warnings raised for user mistakes: one clear message naming the field and the value.

Messages show a value through `shorten`, which never builds the whole text of a large or deeply nested value:
at most a few dozen characters, whatever the user gave.
"""

import reprlib
from typing import Any

SHOWN_CHARS = 40
"""Longest text of a bad value shown in a message (characters)."""


class ModelInputError(ValueError):
    """A user-facing input error (scenario, parameter, macro or data file); the message names the field and value."""


class ParameterError(ModelInputError):
    """A malformed parameter file, an unknown parameter path or a bad override value."""


class ModelInputWarning(UserWarning):
    """A user input that is valid but probably not what was meant (e.g. an override dated after the projection)."""


_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = 3
_REPR.maxstring = _REPR.maxlong = _REPR.maxother = SHOWN_CHARS


def shorten(value: Any, limit: int = SHOWN_CHARS) -> str:
    """The repr of `value` cut to `limit` characters; bounded work however large or shared the value is."""
    try:
        text = repr(value[: limit + 1]) if isinstance(value, str) else _REPR.repr(value)
    except Exception:  # e.g. an int too long to convert to text, or a broken __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
