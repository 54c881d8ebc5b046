"""The one reader of the handbook's data files: YAML (front matter, routes) and CSV tables.

Why one reader: contributors edit these files by hand, in editors and spreadsheets that save
tabs, Windows code pages, decimal commas and repeated keys. Each such slip must come back as
``path:line: ERROR: what to change``, the same way whichever extension reads the file. Every
function here either returns data with the file line of each part, or raises
:class:`DataFileError`, which carries the path and line; the extensions report it through
:func:`located_errors.report`.

- Text must be UTF-8 (a byte-order mark, as spreadsheets write one, is accepted).
- YAML is read with PyYAML's safe loader, with two changes: dates stay text (the schemas
  check them as ISO strings), and a key given twice in one mapping is an error (PyYAML keeps
  the last silently). Every mapping is a :class:`YamlMapping`: a ``dict`` that also knows its
  line and the line of each key.
- CSV rows keep their line numbers, and a row with more or fewer values than the header is
  refused with both counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DataFileError",
    "YamlMapping",
    "decode",
    "load_yaml",
    "read_csv",
    "read_text",
    "read_yaml",
]


class DataFileError(ValueError):
    """A mistake in a data file, with the file and (1-based) line to fix."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message

    @property
    def location(self) -> str:
        """``path:line``, the form Sphinx's logger prints as is."""
        return f"{self.path}:{self.line or 1}"


# -- Text ---------------------------------------------------------------------------------

#: Encodings that the usual mistakes come from, tried only to word the message.
_LIKELY_ENCODINGS = ("cp1252", "shift_jis", "latin-1")


def decode(raw: bytes, path: str | Path) -> str:
    """UTF-8 text of a file, or a DataFileError naming the line and column of the bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(path, *_describe_bad_bytes(raw, error)) from None


def _describe_bad_bytes(raw: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    """The line of a decode error and a message that says how to fix it."""
    start = error.start
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw.count(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
    guess = ""
    for encoding in _LIKELY_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        guess = f" (it looks like {encoding.replace('cp', 'Windows-')})"
        break
    return line, (
        f"the file is not valid UTF-8: byte 0x{raw[start]:02X} at column {column}{guess}; "
        "save the file as UTF-8"
    )


def read_text(path: str | Path, display: str | None = None) -> str:
    """Read a data file as UTF-8; ``display`` is the path shown in messages."""
    shown = display or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DataFileError(shown, None, f"cannot read the file ({error.strerror})") from None
    return decode(raw, shown)


# -- YAML ---------------------------------------------------------------------------------


class YamlMapping(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys are in the file."""

    line: int = 1
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        """The file line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled into the build environment: keep the lines along with the items.
        return (_rebuild_mapping, (dict(self), self.line, self.key_lines))


def _rebuild_mapping(items: dict[str, Any], line: int, key_lines: dict[str, int]) -> YamlMapping:
    mapping = YamlMapping(items)
    mapping.line, mapping.key_lines = line, dict(key_lines)
    return mapping


class _HandbookLoader(yaml.SafeLoader):
    """Safe loading, dates as text, repeated keys refused, lines kept (see the module)."""

    line_offset = 0


_HandbookLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _HandbookLoader, node: yaml.MappingNode) -> YamlMapping:
    loader.flatten_mapping(node)
    mapping = YamlMapping()
    mapping.line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, str | int | float | bool) or key is None:
            raise DataFileError("", line, "a key must be plain text")
        key = str(key)
        if key in mapping.key_lines:
            raise DataFileError(
                "",
                line,
                f"the key '{key}' is given twice (first on line "
                f"{mapping.key_lines[key]}); keep one",
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_HandbookLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

#: PyYAML's wording of common slips, and what the writer should do instead.
_YAML_HINTS = (
    ("found character '\\t'", "a tab character: indent YAML with spaces, never tabs"),
    (
        "mapping values are not allowed here",
        "a second ':' on the line: put a value that contains ': ' in quotes",
    ),
    ("found undefined alias", "a value starting with '*': put it in quotes"),
    ("found unexpected end of stream", "a quote or bracket is never closed"),
    (
        "could not find expected ':'",
        "a line that is not 'key: value': check the indentation and close any open quote",
    ),
    ("expected <block end>", "the indentation does not match the lines above"),
)


def load_yaml(text: str, path: str | Path, *, first_line: int = 1) -> Any:
    """Parse YAML ``text`` that starts on line ``first_line`` of ``path``."""
    loader = _HandbookLoader(text)
    loader.line_offset = first_line - 1
    try:
        return loader.get_single_data()
    except DataFileError as error:
        raise DataFileError(path, error.line, error.message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else None
        problem = str(error.problem or error.context or "invalid YAML")
        hint = next((h for pattern, h in _YAML_HINTS if pattern in problem), problem)
        raise DataFileError(path, line, f"invalid YAML: {hint}") from None
    except yaml.YAMLError as error:
        raise DataFileError(path, None, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()


def read_yaml(path: str | Path, display: str | None = None) -> Any:
    """Read and parse a YAML data file."""
    shown = display or str(path)
    return load_yaml(read_text(path, shown), shown)


# -- CSV ----------------------------------------------------------------------------------


def read_csv(
    path: str | Path, required: Sequence[str], display: str | None = None
) -> tuple[list[tuple[int, dict[str, str]]], list[DataFileError]]:
    """The non-empty rows of a CSV file, as (line, {column: stripped value}), and the rows
    refused.

    The header must name every ``required`` column (else the whole file is refused, with a
    DataFileError). A row whose number of values differs from the header's is refused on its
    own, since a missing or extra comma shifts every later value of that row.
    """
    shown = display or str(path)
    text = read_text(path, shown)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise DataFileError(shown, 1, f"malformed CSV header ({error})") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise DataFileError(
            shown,
            1,
            f"the header lacks the column(s) {', '.join(missing)} "
            f"(it has: {', '.join(header) or 'nothing'})",
        )
    rows: list[tuple[int, dict[str, str]]] = []
    refused: list[DataFileError] = []
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                refused.append(
                    DataFileError(
                        shown,
                        start,
                        (
                            f"this row has {len(values)} values but the header has {len(header)} "
                            f"columns ({', '.join(header)}); check for a missing comma, or put a "
                            "value that contains a comma in double quotes"
                        ),
                    )
                )
                continue
            rows.append(
                (start, {name: value.strip() for name, value in zip(header, values, strict=True)})
            )
    except csv.Error as error:
        refused.append(DataFileError(shown, line + 1, f"malformed CSV ({error})"))
    return rows, refused
