"""DOIs and arXiv identifiers in one comparable form.

Why: the same paper reaches us as ``10.1103/PhysRevLett.107.041801`` from INSPIRE,
``https://doi.org/10.1103/physrevlett.107.041801`` from a hand-written entry, and
``arXiv:1106.2822v2`` from HAL. Duplicates can only be merged once the spellings agree:
DOIs are case-insensitive by definition, and an arXiv version suffix names the same paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ARXIV_PREFIX = re.compile(r"^(?:https?://arxiv\.org/abs/|arxiv:)", re.IGNORECASE)
_ARXIV_VERSION = re.compile(r"v\d+$")


def normal_doi(value: str | None) -> str | None:
    """``10.1103/physrevlett.107.041801``: no resolver prefix, lower case; None if empty."""
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().lower()
    return doi or None


def normal_arxiv(value: str | None) -> str | None:
    """``1106.2822`` or ``hep-ex/0101001``: no ``arXiv:`` prefix and no version suffix."""
    if not value:
        return None
    eprint = _ARXIV_VERSION.sub("", _ARXIV_PREFIX.sub("", value.strip()).strip())
    return eprint or None


def identifier_set(dois: Iterable[str | None], eprints: Iterable[str | None]) -> set[str]:
    """``{"doi:10.…", "arxiv:1106.2822"}``: the keys that two records share when they agree."""
    found = {f"doi:{d}" for d in map(normal_doi, dois) if d}
    found |= {f"arxiv:{e}" for e in map(normal_arxiv, eprints) if e}
    return found
