"""Read a page's YAML front matter with the line of every top-level field.

MyST parses front matter too, but flattens nested values into strings and forgets
line numbers. Contributors need errors that point at the offending line, so we parse
the block ourselves from the raw source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml


class _DatesAsStringsLoader(yaml.SafeLoader):
    """A safe loader that keeps ISO dates as strings: the schema validates them as text."""


_DatesAsStringsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    offset = 2  # the YAML text starts on the file's second line; marks count from 0
    try:
        node = yaml.compose(text, Loader=_DatesAsStringsLoader)
        data = yaml.load(text, Loader=_DatesAsStringsLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + offset if mark is not None else 1
        return FrontMatter(error=f"invalid YAML in front matter: {error.problem}", error_line=line)
    if data is None:
        return FrontMatter(first_line=offset)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        message = "front matter must be a mapping of field: value"
        return FrontMatter(error=message, error_line=offset)
    key_lines = {
        str(key.value): key.start_mark.line + offset for key, _value in node.value
    }
    return FrontMatter(data=data, lines=key_lines, first_line=offset)
