"""What a harvester hands to the merge: one record of one source, with its BibTeX entry.

Why a shared shape: INSPIRE-HEP and HAL describe papers differently (texkeys and record
numbers; HAL identifiers and ``label_bibtex``), but the merge and the snapshot only need the
entry, the identifiers that tell two records apart, and where the record came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybtex.database import Entry, parse_string
from pybtex.scanner import PybtexError

from .identifiers import identifier_set

_ENTRY_START = re.compile(r"^[ \t]*@\w+\s*[{(]", re.MULTILINE)


@dataclass
class SourceRecord:
    """One paper as one source knows it."""

    source: str  # "inspire" or "hal"
    record_id: str  # INSPIRE record number, or HAL identifier (hal-01234567)
    key: str  # the key the snapshot will use: INSPIRE's texkey, or HAL's BibTeX key
    entry: Entry
    identifiers: set[str]
    title: str = ""
    upstream_key: str | None = None  # the BibTeX answer's own key, when it differs from key
    hal_ids: set[str] = field(default_factory=set)  # HAL deposits INSPIRE already knows of

    @property
    def year(self) -> str:
        return self.entry.fields.get("year", "")


@dataclass
class SourceHarvest:
    """Everything one query returned, and what could not be used, for the sidecar."""

    source: str
    query: str
    endpoint: str
    records: list[SourceRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # record ids, each with its reason
    total: int | None = None  # what the service says the query matches
    truncated: bool = False  # the page bound stopped the harvest before the last page


def split_bibtex(text: str) -> tuple[list[tuple[str, Entry]], list[str]]:
    """Parse a BibTeX answer one entry at a time: one malformed entry loses only itself.

    Keys are kept exactly as written; INSPIRE's contain a colon (``Abe:2011ks``), which BibTeX
    allows in keys.
    """
    starts = [m.start() for m in _ENTRY_START.finditer(text)]
    entries: list[tuple[str, Entry]] = []
    problems: list[str] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end]
        try:
            data = parse_string(chunk, "bibtex")
        except PybtexError as error:
            problems.append(f"unreadable BibTeX entry ({error})")
            continue
        except Exception as error:  # pybtex raises plain errors on some malformed input
            problems.append(f"unreadable BibTeX entry ({error})")
            continue
        entries.extend(data.entries.items())
    return entries, problems


def entry_identifiers(entry: Entry) -> set[str]:
    """The DOI and arXiv identifier an entry carries itself."""
    return identifier_set([entry.fields.get("doi")], [entry.fields.get("eprint")])
