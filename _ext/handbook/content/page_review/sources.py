"""The sources a page cites, and what the bibliography says about their dates and kind.

A page's facts are as fresh as its sources: a web page read on a date (``urldate``) must be
read again within the page's review period, and a source marked ``[secondary]`` in its
``note`` should be replaced by a primary one. Citations are taken from the page's own
Markdown (the ``{cite}`` and ``{footcite}`` roles) and from the knowledge base's front-matter
fields that name BibTeX keys, so that the review schedule needs nothing from other pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sphinx.environment import BuildEnvironment

from .fields import as_date

#: ``{footcite:p}`KEY1,KEY2``, ``{cite:t}`KEY```: the MyST citation roles.
CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)*\}`([^`]+)`")
#: How the bibliography marks a secondary source: in the entry's ``note`` field.
SECONDARY = re.compile(r"\[secondary\]", re.IGNORECASE)
#: Front-matter fields of the knowledge base whose values may be BibTeX keys.
KEY_FIELDS = ("references", "status_source", "role_source")


@dataclass(frozen=True)
class Source:
    """What the review schedule needs of one .bib entry."""

    key: str
    title: str
    read_on: date | None  # urldate: the day a web page was read
    secondary: bool
    note: str


def cited_keys(text: str, front: dict[str, Any]) -> tuple[str, ...]:
    """Every BibTeX key a page cites, in its text or in its front matter (URLs left out)."""
    keys = {
        key.strip()
        for match in CITE_ROLE.finditer(text)
        for key in match.group(1).split(",")
        if key.strip()
    }
    for field in KEY_FIELDS:
        value = front.get(field)
        values = value if isinstance(value, list) else [value]
        keys.update(v for v in values if isinstance(v, str) and "://" not in v)
    for milestone in front.get("milestones") or []:
        source = milestone.get("source") if isinstance(milestone, dict) else None
        if isinstance(source, str) and "://" not in source:
            keys.add(source)
    return tuple(sorted(keys))


def _plain(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").replace("\\&", "&").split())


#: The last bibliography read and its sources: pages ask for them three times each, and the
#: bibliography is the same object until sphinxcontrib-bibtex parses the .bib files again.
_last_read: tuple[object, dict[str, Source]] | None = None


def bib_sources(env: BuildEnvironment) -> dict[str, Source]:
    """Every entry that sphinxcontrib-bibtex read from bib/, keyed by citation key."""
    global _last_read
    entries = env.get_domain("cite").bibdata.data.entries  # type: ignore[attr-defined]
    if _last_read is not None and _last_read[0] is entries:
        return _last_read[1]
    found = _read_sources(entries)
    _last_read = (entries, found)
    return found


def _read_sources(entries: Any) -> dict[str, Source]:
    found = {}
    for key, entry in entries.items():
        fields = entry.fields
        note = _plain(fields.get("note", ""))
        found[key] = Source(
            key,
            _plain(fields.get("title", key)),
            as_date(fields["urldate"]) if "urldate" in fields else None,
            bool(SECONDARY.search(note)),
            note,
        )
    return found
