"""HAL: the deposits one search matches, and which papers are deposited at all.

Why HAL: it is the French national open archive, and CNRS asks its laboratories to deposit
their papers there; a paper that INSPIRE-HEP lists but HAL does not is a deposit still to
make. The search API (``https://api.archives-ouvertes.fr/search/``) is Apache Solr: ``q``
selects, ``fl`` lists the fields returned, ``wt`` the format, ``rows`` the page size, and
``cursorMark`` pages through any number of results when ``sort`` names a unique field
(``docid``). The answer holds ``response.docs`` and ``nextCursorMark``; the last page is the
one whose ``nextCursorMark`` equals the cursor that was sent.

The BibTeX comes in the JSON answer, in each document's ``label_bibtex`` field, rather than
from ``wt=bibtex``: the cursor and the identifiers exist only in the JSON answer, and one
request per page gives both.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .http import Fetcher, HarvestError
from .identifiers import identifier_set, normal_arxiv
from .records import SourceHarvest, SourceRecord, entry_identifiers, split_bibtex

DEFAULT_BASE_URL = "https://api.archives-ouvertes.fr"
FIELDS = "docid,halId_s,doiId_s,arxivId_s,title_s,label_bibtex"
#: Identifiers per look-up request: short enough for any server's URL limit.
LOOKUP_BATCH = 20


def _endpoint(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/search/"


def _first(value: Any) -> str:
    """HAL returns multi-valued fields (``title_s``) as lists; the first value is enough."""
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _docs_and_cursor(answer: Any, endpoint: str) -> tuple[list[dict[str, Any]], str | None]:
    try:
        docs = answer["response"]["docs"]
    except (KeyError, TypeError):
        raise HarvestError(f"{endpoint}: the answer has no 'response.docs'") from None
    return docs, answer.get("nextCursorMark")


def harvest(
    fetcher: Fetcher,
    query: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    rows: int = 100,
    max_pages: int = 20,
) -> SourceHarvest:
    """Every deposit ``query`` matches, through cursor paging, up to ``max_pages`` pages."""
    endpoint = _endpoint(base_url)
    result = SourceHarvest("hal", query, endpoint)
    cursor = "*"
    for _page in range(max_pages):
        answer = fetcher.get_json(
            endpoint,
            {
                "q": query,
                "wt": "json",
                "fl": FIELDS,
                "rows": rows,
                "sort": "docid asc",
                "cursorMark": cursor,
            },
        )
        docs, next_cursor = _docs_and_cursor(answer, endpoint)
        if result.total is None and isinstance(answer["response"].get("numFound"), int):
            result.total = answer["response"]["numFound"]
        for doc in docs:
            _add_doc(result, doc)
        if not docs or not next_cursor or next_cursor == cursor:
            break
        cursor = next_cursor
    else:
        result.truncated = True
    return result


def _add_doc(result: SourceHarvest, doc: dict[str, Any]) -> None:
    hal_id = _first(doc.get("halId_s")) or f"docid {_first(doc.get('docid'))}"
    entries, problems = split_bibtex(_first(doc.get("label_bibtex")))
    if not entries:
        reason = problems[0] if problems else "no label_bibtex"
        result.skipped.append(f"{hal_id}: {reason}")
        return
    key, entry = entries[0]
    result.records.append(
        SourceRecord(
            source="hal",
            record_id=hal_id,
            key=key,
            entry=entry,
            identifiers=identifier_set([_first(doc.get("doiId_s"))], [_first(doc.get("arxivId_s"))])
            | entry_identifiers(entry),
            title=_first(doc.get("title_s")),
            hal_ids={hal_id},
        )
    )


def _quoted(value: str) -> str:
    """A Solr phrase: inside double quotes only the quote and the backslash need escaping."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _spellings(doi: str) -> list[str]:
    """A DOI as written, and in lower and upper case: ``doiId_s`` is an exact-match string
    field, and depositors write DOIs in any case although DOIs ignore it."""
    return sorted({doi, doi.lower(), doi.upper()})


def lookup_deposits(
    fetcher: Fetcher,
    dois: Iterable[str],
    eprints: Iterable[str],
    *,
    base_url: str = DEFAULT_BASE_URL,
) -> dict[str, str]:
    """Which of these papers HAL holds: normal identifier (``doi:…``, ``arxiv:…``) -> HAL id.

    Why a look-up and not only the programme searches: a paper deposited without the
    programme's name or the laboratory's affiliation is still deposited, and must not be
    reported as missing. ``dois`` and ``eprints`` are spelled as the sources wrote them.
    """
    endpoint = _endpoint(base_url)
    wanted = [("doiId_s", d) for d in sorted({d.strip() for d in dois if d and d.strip()})]
    wanted += [("arxivId_s", e) for e in sorted({normal_arxiv(e) or "" for e in eprints} - {""})]
    found: dict[str, str] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        doi_terms = [t for name, value in batch if name == "doiId_s" for t in _spellings(value)]
        arxiv_terms = [value for name, value in batch if name == "arxivId_s"]
        clauses = []
        if doi_terms:
            clauses.append("doiId_s:(" + " OR ".join(map(_quoted, doi_terms)) + ")")
        if arxiv_terms:
            clauses.append("arxivId_s:(" + " OR ".join(map(_quoted, arxiv_terms)) + ")")
        answer = fetcher.get_json(
            endpoint,
            {
                "q": " OR ".join(clauses),
                "wt": "json",
                "fl": "halId_s,doiId_s,arxivId_s",
                "rows": 2 * len(batch),
            },
        )
        docs, _cursor = _docs_and_cursor(answer, endpoint)
        for doc in docs:
            hal_id = _first(doc.get("halId_s"))
            for ident in identifier_set(
                [_first(doc.get("doiId_s"))], [_first(doc.get("arxivId_s"))]
            ):
                if hal_id:
                    found.setdefault(ident, hal_id)
    return found
