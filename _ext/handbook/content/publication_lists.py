"""``{harvested-publications} <programme>``: a programme's papers from INSPIRE-HEP and HAL.

Why a directive of our own instead of sphinxcontrib-bibtex's ``{bibliography}``: the
snapshots that ``make publications`` writes (``bib/publications/<programme>.bib`` and its
JSON sidecar) are not part of ``bibtex_bibfiles``. Their entries are harvested, not checked
by hand; they keep INSPIRE's texkeys (``Abe:2011ks``), outside the handbook's key convention;
a paper of two programmes is in two snapshots, which would be one key defined twice; and
the Bibliography page lists what the handbook cites, not every paper of every collaboration.
So this directive reads the snapshot and its sidecar and writes a plain list, with links to
the DOI, arXiv, INSPIRE-HEP and HAL, and says when the list was harvested. A snapshot never
refreshed from the live services shows a sentence saying so, never an empty space.

No environment state: each page reads its own snapshot, and notes it as a dependency so that
a new snapshot rebuilds the page. Parallel builds are therefore safe.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.database import Entry, parse_string
from pybtex.richtext import Text
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.i18n.messages import _, format_nodes

__version__ = "1.0"
logger = logging.getLogger(__name__)


def plain(latex: str) -> str:
    """BibTeX text for reading: ``{T2K}`` braces and simple LaTeX markup removed."""
    try:
        return Text.from_latex(latex).render_as("text").strip()
    except Exception:  # pybtex's LaTeX parser refuses some upstream markup: show it as is
        return latex.replace("{", "").replace("}", "").strip()


def authors_of(entry: Entry) -> str:
    """ "T2K Collaboration" or "Abe et al.": how physicists name the authors of a paper."""
    collaboration = entry.fields.get("collaboration")
    if collaboration:
        return _("{collaboration} Collaboration").format(collaboration=plain(collaboration))
    people = entry.persons.get("author", [])
    if not people:
        return ""
    first = plain(" ".join(people[0].last_names)) or plain(str(people[0]))
    if len(people) > 1 or "others" in str(people[-1]).lower():
        return _("{author} et al.").format(author=first)
    return first


def where_published(entry: Entry) -> str:
    """ "Phys. Rev. Lett. 107, 041801": journal, volume and pages when the entry has them."""
    journal = plain(entry.fields.get("journal", "") or entry.fields.get("booktitle", ""))
    volume = plain(entry.fields.get("volume", ""))
    pages = plain(entry.fields.get("pages", ""))
    text = " ".join(part for part in (journal, volume) if part)
    return f"{text}, {pages}" if text and pages else text


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url)


def _item(entry: Entry, record: dict[str, Any]) -> nodes.list_item:
    """One paper: authors (year), title, where published, then its links."""
    paragraph = nodes.paragraph()
    authors, year = authors_of(entry), entry.fields.get("year", "")
    if authors:
        paragraph += nodes.Text(f"{authors} ({year}). " if year else f"{authors}. ")
    paragraph += nodes.emphasis("", plain(entry.fields.get("title", record.get("title", ""))))
    published = where_published(entry)
    paragraph += nodes.Text(f". {published}." if published else ".")
    links = []
    if record.get("doi"):
        links.append(_link("DOI", f"https://doi.org/{record['doi']}"))
    if record.get("arxiv"):
        links.append(_link("arXiv", f"https://arxiv.org/abs/{record['arxiv']}"))
    if record.get("inspire"):
        links.append(_link("INSPIRE-HEP", f"https://inspirehep.net/literature/{record['inspire']}"))
    links += [_link("HAL", f"https://hal.science/{hal_id}") for hal_id in record.get("hal", [])]
    for number, link in enumerate(links):
        paragraph += nodes.Text(" " if number == 0 else " · ")
        paragraph += link
    return nodes.list_item("", paragraph)


class HarvestedPublications(SphinxDirective):
    """The directive; its one argument names the snapshot (``t2k``)."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        programme = self.arguments[0]
        folder = self.config.publication_snapshots
        location = (self.env.docname, self.lineno)
        sidecar_rel, sidecar_path = self.env.relfn2path(f"/{folder}/{programme}.json")
        bib_rel, bib_path = self.env.relfn2path(f"/{folder}/{programme}.bib")
        self.env.note_dependency(sidecar_rel)
        self.env.note_dependency(bib_rel)
        try:
            sidecar = json.loads(Path(sidecar_path).read_text(encoding="utf-8"))
            entries = parse_string(Path(bib_path).read_text(encoding="utf-8"), "bibtex").entries
        except OSError as error:
            logger.error(
                f"harvested-publications: cannot read the snapshot of {programme!r}: "
                f"{error.filename}: {error.strerror}; add the programme to "
                f"{folder}/queries.toml and run `make publications "
                f"PUBOPTS=--placeholders`",
                location=location,
            )
            return []
        except Exception as error:
            logger.error(
                f"harvested-publications: the snapshot of {programme!r} is not valid ({error})",
                location=location,
            )
            return []
        container = nodes.container(classes=["harvested-publications"])
        harvested = sidecar.get("harvested")
        command = nodes.literal("", "make publications")
        if not harvested:
            container += nodes.paragraph(
                "",
                "",
                *format_nodes(
                    _(
                        "Not harvested yet: {command} fills this list from INSPIRE-HEP and HAL, "
                        "and the snapshot committed here has not been refreshed from those "
                        "services."
                    ),
                    command=command,
                ),
            )
            return [container]
        records = sidecar.get("entries", [])
        listed = [r for r in records if not r.get("handbook_key") and r.get("key") in entries]
        in_bib = len(records) - len([r for r in records if not r.get("handbook_key")])
        if not records:
            summary = _(
                "The harvest of {date} ({command}) found no paper for this "
                "programme on INSPIRE-HEP or HAL."
            )
        elif in_bib:
            summary = _(
                "Harvested from INSPIRE-HEP and HAL on {date} ({command}). Papers "
                "found: {count}; already in the handbook's bibliography and listed "
                "above: {in_bib}."
            )
        else:
            summary = _(
                "Harvested from INSPIRE-HEP and HAL on {date} ({command}). Papers found: {count}."
            )
        container += nodes.paragraph(
            "",
            "",
            *format_nodes(
                summary,
                date=str(harvested),
                command=command,
                count=str(len(records)),
                in_bib=str(in_bib),
            ),
        )
        if listed:
            container += nodes.bullet_list("", *(_item(entries[r["key"]], r) for r in listed))
        return [container]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and where the snapshots live (relative to the source folder)."""
    app.setup_extension("handbook.i18n.messages")
    app.add_config_value("publication_snapshots", "bib/publications", "env", types=[str])
    app.add_directive("harvested-publications", HarvestedPublications)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
