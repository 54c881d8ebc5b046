"""INSPIRE-HEP: the records one literature query matches, as JSON and as BibTeX.

Why both formats: the JSON search answer (``hits.hits[].metadata``) gives the record number,
the texkeys, DOIs, arXiv identifiers and the HAL deposits INSPIRE knows of, which the merge
and the HAL report need; ``format=bibtex`` gives the entry physicists cite, keyed by the
texkey (``Abe:2011ks``), which the snapshot keeps as INSPIRE writes it. Both come from the
documented REST API (https://github.com/inspirehep/rest-api-doc): ``/api/literature`` with
``q``, ``size``, ``page``, ``sort`` and ``fields``.

Paging: ``links.next`` in the JSON answer says whether another page exists. The next
request is built from the page number rather than by following that address, so that the
BibTeX request for the same page asks for exactly the same records, and so that the harvester
only ever talks to the address it was given.
"""

from __future__ import annotations

from typing import Any

from .http import Fetcher, HarvestError
from .identifiers import identifier_set
from .records import SourceHarvest, SourceRecord, entry_identifiers, split_bibtex

DEFAULT_BASE_URL = "https://inspirehep.net/api"
#: The metadata the merge needs: a small answer instead of full records with author lists.
FIELDS = (
    "control_number,texkeys,titles.title,dois.value,arxiv_eprints.value,external_system_identifiers"
)
#: Most recent first: if the page bound cuts a harvest short, the newest papers are kept.
SORT = "mostrecent"


def _metadata_of(hit: dict[str, Any]) -> dict[str, Any]:
    metadata = hit.get("metadata")
    if not isinstance(metadata, dict):
        raise HarvestError("INSPIRE answer: a hit without 'metadata'")
    return metadata


def harvest(
    fetcher: Fetcher,
    query: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    size: int = 100,
    max_pages: int = 20,
) -> SourceHarvest:
    """Every record ``query`` matches, up to ``max_pages`` pages of ``size`` records."""
    endpoint = f"{base_url.rstrip('/')}/literature"
    result = SourceHarvest("inspire", query, endpoint)
    for page in range(1, max_pages + 1):
        params: dict[str, str | int] = {"q": query, "size": size, "page": page, "sort": SORT}
        answer = fetcher.get_json(endpoint, {**params, "fields": FIELDS})
        try:
            hits_block = answer["hits"]
            hits = hits_block["hits"]
        except (KeyError, TypeError):
            raise HarvestError(f"{endpoint}: the answer has no 'hits.hits'") from None
        if result.total is None and isinstance(hits_block.get("total"), int):
            result.total = hits_block["total"]
        if not hits:
            break
        bibtex = fetcher.get_text(endpoint, {**params, "format": "bibtex"})
        _add_page(result, [_metadata_of(hit) for hit in hits], bibtex)
        if not (answer.get("links") or {}).get("next"):
            break
    else:
        result.truncated = True
    return result


def _add_page(result: SourceHarvest, hits: list[dict[str, Any]], bibtex: str) -> None:
    """Pair each JSON record with its BibTeX entry: by texkey first, then by identifier.

    INSPIRE may export an entry under another texkey than the first one in the record (a
    record keeps every texkey it ever had), so a key mismatch alone does not lose a record.
    """
    entries, problems = split_bibtex(bibtex)
    result.skipped += [f"page entry: {problem}" for problem in problems]
    by_key = {key.lower(): (key, entry) for key, entry in entries}
    by_identifier = {
        ident: (key, entry) for key, entry in entries for ident in entry_identifiers(entry)
    }
    for metadata in hits:
        record_id = str(metadata.get("control_number", "?"))
        texkeys = [str(k) for k in metadata.get("texkeys") or []]
        identifiers = identifier_set(
            [d.get("value") for d in metadata.get("dois") or []],
            [e.get("value") for e in metadata.get("arxiv_eprints") or []],
        )
        found = next((by_key[k.lower()] for k in texkeys if k.lower() in by_key), None)
        if found is None:
            found = next(
                (by_identifier[i] for i in sorted(identifiers) if i in by_identifier), None
            )
        if found is None:
            result.skipped.append(f"{record_id}: no BibTeX entry for it in the answer")
            continue
        upstream_key, entry = found
        key = texkeys[0] if texkeys else upstream_key
        titles = metadata.get("titles") or [{}]
        hal_ids = {
            str(x.get("value"))
            for x in metadata.get("external_system_identifiers") or []
            if str(x.get("schema", "")).upper() == "HAL" and x.get("value")
        }
        result.records.append(
            SourceRecord(
                source="inspire",
                record_id=record_id,
                key=key,
                entry=entry,
                identifiers=identifiers | entry_identifiers(entry),
                title=str(titles[0].get("title", "")),
                upstream_key=upstream_key if upstream_key != key else None,
                hal_ids=hal_ids,
            )
        )
