"""Where the knowledge base lives: in the build environment, per page.

Keeping records in the environment (not in module globals) is what makes parallel
reads and incremental builds correct: Sphinx pickles the environment, merges the
workers' copies and purges a page's data when the page is re-read or deleted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sphinx.environment import BuildEnvironment

from handbook.i18n.messages import N_

# Labels in English, marked for the handbook catalogue: translate them with _() where shown.
AREAS = {
    "neutrino-physics": N_("Neutrino physics"),
    "cosmology": N_("Cosmology"),
    "astrophysics": N_("Astrophysics"),
    "astroparticle-physics": N_("Astroparticle physics"),
    "particle-physics": N_("Particle physics"),
}
STATUSES = {
    "proposed": N_("Proposed"),
    "in-preparation": N_("In preparation"),
    "under-construction": N_("Under construction"),
    "operating": N_("Operating"),
    "completed": N_("Completed"),
}


@dataclass
class Record:
    """The validated front matter of one page, with the file line of each field."""

    docname: str
    page_type: str
    data: dict[str, Any]
    lines: dict[str, int]

    def line_of(self, field: str) -> int:
        return self.lines.get(field, 1)


def records(env: BuildEnvironment) -> dict[str, Record]:
    """All records, keyed by docname (created on first use)."""
    if not hasattr(env, "knowledge_base_records"):
        env.knowledge_base_records = {}
    return env.knowledge_base_records


def generated_pages(env: BuildEnvironment) -> set[str]:
    """Pages whose output shows data of other pages (tables, infoboxes, diagrams)."""
    if not hasattr(env, "knowledge_base_generated"):
        env.knowledge_base_generated = set()
    return env.knowledge_base_generated


def of_type(env: BuildEnvironment, page_type: str) -> list[Record]:
    """Records of one page type, in a stable order."""
    return sorted(
        (r for r in records(env).values() if r.page_type == page_type),
        key=lambda r: r.data.get("short_name", r.docname).casefold(),
    )


def signature(env: BuildEnvironment) -> str:
    """A digest of every record: when it changes, generated pages must be written again."""
    payload = json.dumps(
        {name: asdict(rec) | {"lines": None} for name, rec in sorted(records(env).items())},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def purge(env: BuildEnvironment, docname: str) -> None:
    records(env).pop(docname, None)
    generated_pages(env).discard(docname)


def merge(env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Take the records that a parallel reader produced for its documents."""
    theirs = records(other)
    records(env).update({d: theirs[d] for d in docnames if d in theirs})
    generated_pages(env).update(generated_pages(other) & docnames)
