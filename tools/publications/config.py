"""The queries of each programme, from ``bib/publications/queries.toml``.

Why a data file: which records belong to a programme is an editorial choice that the
bibliography reviewers make and review, not code. Each programme names one INSPIRE-HEP
literature query (``inspire``) and one HAL search (``hal``); either may be left out.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("inspire", "hal")
#: Programme names are snapshot file names and page arguments: keep them plain.
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ConfigError(Exception):
    """The queries file is wrong: the message names the file and the programme."""


@dataclass(frozen=True)
class Programme:
    name: str
    queries: dict[str, str]  # source -> query


def read_programmes(path: Path) -> list[Programme]:
    """Every ``[programmes.<name>]`` table, checked: known sources, non-empty query strings."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    tables = data.get("programmes")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}: no [programmes.<name>] table")
    programmes = []
    for name, table in sorted(tables.items()):
        if not NAME.match(name):
            raise ConfigError(
                f"{path}: programme {name!r}: use lower-case letters, digits "
                "and hyphens (the name of its snapshot file)"
            )
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: programme {name!r} is not a table")
        unknown = sorted(set(table) - set(SOURCES))
        if unknown:
            raise ConfigError(
                f"{path}: programme {name!r}: unknown source {unknown[0]!r}; "
                f"expected {' or '.join(SOURCES)}"
            )
        queries = {}
        for source, query in table.items():
            if not isinstance(query, str) or not query.strip():
                raise ConfigError(f"{path}: programme {name!r}: {source} must be a query text")
            queries[source] = query.strip()
        if not queries:
            raise ConfigError(f"{path}: programme {name!r} has no query")
        programmes.append(Programme(name, queries))
    return programmes
