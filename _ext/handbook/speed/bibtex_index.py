"""sphinxcontrib-bibtex's choice of entries per bibliography, in time linear in the handbook.

After every build's reading phase, sphinxcontrib-bibtex 2.7 (``BibtexDomain.env_updated``)
decides which entries each ``{bibliography}`` shows and in which order. For every
bibliography and every entry of its ``.bib`` files it scans *every* citation of the
handbook to find the pages that cite the entry (``get_filtered_entries``), and it sorts all
citations by page with ``list.index`` (``get_all_cited_keys``): work in proportion to
bibliographies times entries times citations, which grows with the square of the handbook and is
paid by every build, even a rebuild after a one-word edit (a second at 800 pages).

This extension replaces the domain with a subclass that gives the same two answers from an
index made once per ``env_updated`` call: for each citation key, the pages that cite it;
and the citations sorted once by page order. The answers are the same, in the same order
(the tests compare the HTML with and without it). Outside ``env_updated`` (where the index
could be stale), the domain's own methods answer. The upstream fix would be the same index
in ``BibtexDomain`` itself; until it lands, the override stays small and in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sphinx.application import Sphinx
from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor
from sphinxcontrib.bibtex.domain import logger as bibtex_logger


class CitationIndex:
    """Who cites what, computed once from the domain's citations."""

    def __init__(self, citation_refs: list[Any]) -> None:
        self.citation_refs = citation_refs
        self.pages_citing: defaultdict[str, set[str]] = defaultdict(set)
        for citation_ref in citation_refs:
            for target in citation_ref.targets:
                self.pages_citing[target.key].add(citation_ref.docname)
        self._keys_in_order: dict[tuple[str, ...], list[str]] = {}

    def keys_in_page_order(self, docnames: list[str]) -> list[str]:
        """Every cited key, by page in ``docnames`` order, then by citation order."""
        order = tuple(docnames)
        if order not in self._keys_in_order:
            position = {docname: i for i, docname in enumerate(docnames)}
            if len(position) != len(docnames):  # list.index finds the first duplicate
                position = {d: docnames.index(d) for d in position}

            def page_position(citation_ref: Any) -> int:
                try:
                    return position[citation_ref.docname]
                except KeyError:  # what docnames.index raises
                    raise ValueError(f"{citation_ref.docname!r} is not in list") from None

            self._keys_in_order[order] = [
                target.key
                for citation_ref in sorted(self.citation_refs, key=page_position)
                for target in citation_ref.targets
            ]
        return self._keys_in_order[order]


class IndexedBibtexDomain(BibtexDomain):
    """sphinxcontrib-bibtex's domain, answering from a ``CitationIndex`` in ``env_updated``."""

    _citation_index: CitationIndex | None = None

    def env_updated(self) -> Iterable[str]:
        self._citation_index = CitationIndex(self.citation_refs)
        try:
            return super().env_updated()
        finally:
            self._citation_index = None

    def get_all_cited_keys(self, docnames: list[str]) -> Iterator[str]:
        if self._citation_index is None:
            yield from super().get_all_cited_keys(docnames)
        else:
            yield from self._citation_index.keys_in_page_order(docnames)

    def get_filtered_entries(self, bibliography_key: Any) -> Iterable[tuple[str, Any]]:
        """The domain's own method, with each entry's citing pages looked up, not scanned."""
        index = self._citation_index
        if index is None:
            yield from super().get_filtered_entries(bibliography_key)
            return
        bibliography = self.bibliographies[bibliography_key]
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = index.pages_citing.get(key, set())
            visitor = _FilterVisitor(
                entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames
            )
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:  # the same warning, at the same place, as upstream
                bibtex_logger.warning(
                    "syntax error in :filter: expression; %s",
                    err,
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex",
                    subtype="filter_syntax_error",
                )
                success = bool(cited_docnames)
            if success or entry.key in bibliography.keys:
                yield key, entry


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_domain(IndexedBibtexDomain, override=True)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
