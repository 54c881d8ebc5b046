"""One entry per paper: INSPIRE-HEP and HAL records merged, the handbook's own entries known.

Why: a paper deposited in HAL and listed on INSPIRE is one paper, and a paper the handbook
already cites has a checked entry in ``bib/*.bib``. Records are the same paper when they
share a DOI or an arXiv identifier (:mod:`publications.identifiers`). INSPIRE comes first:
its texkey is the key physicists cite, and HAL adds its deposit to the same entry.

A paper already in the handbook's bibliography is not written again into a snapshot: the
programme page lists that entry from ``bib/`` already, under its checked key, and a second
copy under a texkey would put the same DOI in two entries. Its record stays in the sidecar
with the handbook key it matched. A harvested key that a handbook entry already uses for
another paper is renamed, so that keys stay unique across ``bib/`` and the snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import Entry

from .identifiers import identifier_set
from .records import SourceHarvest, SourceRecord, split_bibtex


@dataclass
class HandbookBibliography:
    """The keys and identifiers of the hand-checked entries in ``bib/*.bib``."""

    keys: set[str] = field(default_factory=set)  # lower case: BibTeX keys ignore case
    by_identifier: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, bib_files: Iterable[Path]) -> HandbookBibliography:
        known = cls()
        for path in bib_files:
            entries, _problems = split_bibtex(path.read_text(encoding="utf-8"))
            for key, entry in entries:
                known.keys.add(key.lower())
                for ident in identifier_set(
                    [entry.fields.get("doi")], [entry.fields.get("eprint")]
                ):
                    known.by_identifier.setdefault(ident, key)
        return known


@dataclass
class Publication:
    """One paper of a programme, with where each source knows it from."""

    key: str
    entry: Entry
    identifiers: set[str]
    title: str
    inspire_id: str | None = None
    hal_ids: set[str] = field(default_factory=set)
    upstream_key: str | None = None
    renamed_from: str | None = None
    handbook_key: str | None = None  # set: the paper is in bib/ already, not in the snapshot

    @property
    def year(self) -> str:
        return self.entry.fields.get("year", "")

    @property
    def dois(self) -> list[str]:
        return sorted(i.removeprefix("doi:") for i in self.identifiers if i.startswith("doi:"))

    @property
    def eprints(self) -> list[str]:
        return sorted(i.removeprefix("arxiv:") for i in self.identifiers if i.startswith("arxiv:"))

    @property
    def in_snapshot(self) -> bool:
        return self.handbook_key is None


def _publication(record: SourceRecord) -> Publication:
    return Publication(
        key=record.key,
        entry=record.entry,
        identifiers=set(record.identifiers),
        title=record.title,
        inspire_id=record.record_id if record.source == "inspire" else None,
        hal_ids=set(record.hal_ids),
        upstream_key=record.upstream_key,
    )


def merge(harvests: Iterable[SourceHarvest], handbook: HandbookBibliography) -> list[Publication]:
    """The programme's papers, INSPIRE records first, each paper once; sorted newest first."""
    records = sorted(
        (r for h in harvests for r in h.records), key=lambda r: r.source != "inspire"
    )  # stable: INSPIRE before HAL
    papers: list[Publication] = []
    by_identifier: dict[str, Publication] = {}
    for record in records:
        same = next(
            (by_identifier[i] for i in sorted(record.identifiers) if i in by_identifier), None
        )
        if same is None:
            same = _publication(record)
            papers.append(same)
        else:
            same.hal_ids |= record.hal_ids
            same.identifiers |= record.identifiers
            if same.inspire_id is None and record.source == "inspire":
                same.inspire_id = record.record_id
        for ident in same.identifiers:
            by_identifier.setdefault(ident, same)
    used: set[str] = set()
    for paper in papers:
        paper.handbook_key = next(
            (
                handbook.by_identifier[i]
                for i in sorted(paper.identifiers)
                if i in handbook.by_identifier
            ),
            None,
        )
        if paper.in_snapshot:
            _make_key_unique(paper, handbook.keys | used)
            used.add(paper.key.lower())
    papers.sort(key=lambda p: (-int(p.year) if p.year.isdigit() else 0, p.key.lower()))
    return papers


def _make_key_unique(paper: Publication, taken: set[str]) -> None:
    """Rename a key that ``bib/`` or this snapshot already uses: ``Key-inspire1234``."""
    if paper.key.lower() not in taken:
        return
    source_id = (
        f"inspire{paper.inspire_id}"
        if paper.inspire_id
        else f"{sorted(paper.hal_ids)[0] if paper.hal_ids else 'harvested'}"
    )
    candidate, number = f"{paper.key}-{source_id}", 2
    while candidate.lower() in taken:
        candidate, number = f"{paper.key}-{source_id}-{number}", number + 1
    paper.renamed_from, paper.key = paper.key, candidate
