"""Reading YAML safely: a fast loader for the project's own files and a strict one for every file a user gives.

`read_yaml` parses the project's parameter, macro and target files with libyaml (about five times faster on the
parameter tree). `read_input_yaml` / `read_input_file` read what a user gives (scenario files, sweep files, the
app's uploads) and guarantee, before any other code touches the value:

- the input is at most `max_bytes` bytes of UTF-8 (a leading byte-order mark is fine); otherwise the error names
  the source and the byte offset of the first bad byte;
- no YAML alias (``*name``) is used: aliases are refused outright, so an exponentially expanding document
  ("billion laughs") fails in milliseconds without growing memory, and no value is shared or cyclic (the parser
  composes an alias as a second reference to the anchored node, so the node graph is checked before any value
  is built from it);
- collections nest at most `MAX_DEPTH` levels, and no mapping has the same key twice (the error names the key);
- only plain values are built (no tags that construct Python objects), and every error of the YAML library,
  including the ValueError of an impossible date such as 2025-02-30, becomes a ModelInputError naming the
  source, the line and the column, with any value shortened to a few dozen characters.
"""

from collections.abc import Hashable
from pathlib import Path
from typing import IO, Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

from .errors import ModelInputError, shorten

# libyaml's parser when PyYAML was built with it, else the pure Python one; both build plain Python values only
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted in a user's file (the project's schemas need fewer than 10)."""


def read_yaml(source: str | IO[str]) -> Any:
    """The plain Python value of one of the project's own YAML documents; yaml.YAMLError if it is invalid."""
    return yaml.load(source, Loader=SAFE_LOADER)


_TAG_NAMES = {"tag:yaml.org,2002:timestamp": "a date", "tag:yaml.org,2002:int": "an integer",
              "tag:yaml.org,2002:float": "a number"}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Refused(yaml.MarkedYAMLError):
    """A document that is valid YAML but not accepted as user input (alias, duplicate key, impossible value)."""


class _InputLoader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader with duplicate keys refused and every constructor error tied to the node's position."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, OverflowError, TypeError) as error:  # e.g. datetime's "day is out of range for month"
            what = _TAG_NAMES.get(node.tag, node.tag.rsplit(":", 1)[-1])
            raise _Refused(None, None, f"cannot read {shorten(node.value)} as {what} ({_cut(str(error), 60)})",
                           node.start_mark) from None

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise _Refused(None, None, f"a mapping key must be a plain value, not a {type(key).__name__}",
                               key_node.start_mark)
            if key in mapping:
                raise _Refused(None, None, f"duplicate key {shorten(key)}: each key may appear once in a mapping",
                               key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _check_graph(root: Node) -> None:
    """Refuse aliases (a node reached twice, or a cycle) and nesting deeper than MAX_DEPTH; linear in the nodes."""
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            mark = node.start_mark
            raise _Refused(None, None, "YAML aliases (*name) are not accepted: write the value out in full where it "
                           f"is used (the repeated value is anchored at line {mark.line + 1}, "
                           f"column {mark.column + 1})")
        seen.add(id(node))
        if isinstance(node, SequenceNode | MappingNode):
            if depth >= MAX_DEPTH:
                raise _Refused(None, None, f"nested deeper than {MAX_DEPTH} levels", node.start_mark)
            children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
            stack.extend((child, depth + 1) for child in children)


def _where(mark: Any) -> str:
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def _message(error: yaml.YAMLError) -> str:
    """One line for a YAML library error, without the library's echo of the input."""
    if isinstance(error, _Refused):
        return f"{error.problem}{_where(error.problem_mark)}"
    if isinstance(error, yaml.reader.ReaderError):
        return f"not valid YAML: unacceptable character {chr(error.character)!r} at character {error.position}"
    if isinstance(error, yaml.MarkedYAMLError):
        problem = _cut(" ".join(str(error.problem or error.context or "syntax error").split()), 120)
        return f"not valid YAML: {problem}{_where(error.problem_mark or error.context_mark)}"
    return f"not valid YAML: {_cut(' '.join(str(error).split()), 120)}"


def decode_input(data: bytes | str, source: str, max_bytes: int) -> str:
    """The text of a user's file: at most `max_bytes` bytes of UTF-8 (a leading BOM dropped); errors name it."""
    if isinstance(data, str):
        if len(data) > max_bytes:  # a character is at least one byte
            raise ModelInputError(f"{source}: file is larger than {max_bytes:,} bytes")
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ModelInputError(f"{source}: not valid Unicode text (character {error.start})") from None
    if len(data) > max_bytes:
        raise ModelInputError(f"{source}: file is larger than {max_bytes:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        raise ModelInputError(f"{source}: not UTF-8 text: byte 0x{data[offset]:02x} at byte offset {offset} "
                              "(save the file as UTF-8)") from None


def read_input_yaml(data: bytes | str, source: str, max_bytes: int) -> Any:
    """The plain value of a YAML document a user gives, with the guarantees of this module; ModelInputError
    (naming `source`) otherwise. An empty document is None."""
    text = decode_input(data, source, max_bytes)
    loader = _InputLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_graph(root)
        return loader.construct_document(root)
    except yaml.YAMLError as error:
        raise ModelInputError(f"{source}: {_message(error)}") from None
    except (ValueError, OverflowError, TypeError, RecursionError) as error:  # a library error outside any node
        raise ModelInputError(f"{source}: not valid YAML ({_cut(str(error), 80)})") from None
    finally:
        loader.dispose()


def read_input_file(path: Path, source: str, max_bytes: int) -> Any:
    """`read_input_yaml` of a file, reading no more than `max_bytes` + 1 bytes of it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise ModelInputError(f"{source}: cannot read the file ({error.strerror or error})") from None
    return read_input_yaml(data, source, max_bytes)
