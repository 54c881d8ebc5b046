"""Short, linked citations of .bib entries for infoboxes (author et al., year)."""

from __future__ import annotations

from typing import Any

from sphinx.environment import BuildEnvironment


def bib_entries(env: BuildEnvironment) -> dict[str, Any]:
    """The entries that sphinxcontrib-bibtex parsed from bib/, keyed by citation key."""
    domain = env.get_domain("cite")
    return dict(domain.bibdata.data.entries)  # type: ignore[attr-defined]


def _plain(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("\\&", "&")


def short_citation(entry: Any) -> str:
    """'T2K Collaboration et al. (2020)': the first author or collaboration, and the year."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    year = entry.fields.get("year", "n.d.")
    if not persons:
        author = _plain(entry.fields.get("author", entry.fields.get("title", entry.key)))
        return f"{author} ({year})"
    first = persons[0]
    name = _plain(" ".join(first.last_names) or " ".join(first.first_names))
    more = len(persons) > 1
    return f"{name}{' et al.' if more else ''} ({year})"


def link_of(entry: Any) -> str | None:
    """The entry's DOI, arXiv or URL address, in that order of preference."""
    fields = entry.fields
    if "doi" in fields:
        return f"https://doi.org/{fields['doi']}"
    if "eprint" in fields:
        return f"https://arxiv.org/abs/{fields['eprint']}"
    return fields.get("url")
