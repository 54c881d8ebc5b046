"""Read a page's YAML front matter with the line of every top-level field.

MyST parses front matter too, but flattens nested values into strings and forgets
line numbers. Contributors need errors that point at the offending line, so we parse
the block ourselves from the raw source, with the handbook's one YAML reader
(``data_files.load_yaml``: dates kept as text, repeated keys refused, lines kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from handbook.checks.data_files import DataFileError, YamlMapping, load_yaml


@dataclass
class FrontMatter:
    """The parsed block: its data, the file line of each top-level key, and any syntax error."""

    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    first_line: int = 1
    error: str | None = None
    error_line: int = 1


def read_front_matter(source: str) -> FrontMatter | None:
    """Return the front matter of a Markdown source, or None when the page has none."""
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return FrontMatter(error="front matter opened with '---' is never closed", error_line=1)
    text = "\n".join(lines[1:end])
    offset = 2  # the YAML text starts on the file's second line
    try:
        data = load_yaml(text, "front matter", first_line=offset)
    except DataFileError as error:
        return FrontMatter(error=f"front matter: {error.message}", error_line=error.line or 1)
    if data is None:
        return FrontMatter(first_line=offset)
    if not isinstance(data, YamlMapping):
        message = "front matter must be a mapping of field: value"
        return FrontMatter(error=message, error_line=offset)
    return FrontMatter(data=dict(data), lines=dict(data.key_lines), first_line=offset)
