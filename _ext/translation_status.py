"""The translation-status table: how much of each section is translated, per language.

Computed at build time from the message catalogues in locales/ (the .po files that
`make update-po` refreshes), so contributors see what is missing without running tools.
A message counts as translated when its msgstr is not empty and it is not marked fuzzy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from doc_tables import data_table
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

SECTIONS = {"": "Landing page", "research": "Research", "institutions": "Institutions",
            "onboarding": "Onboarding", "bib": "Bibliography"}


@dataclass
class Count:
    translated: int = 0
    total: int = 0

    @property
    def share(self) -> str:
        return f"{100 * self.translated / self.total:.0f} %" if self.total else "n/a"


def section_of(catalogue: Path, root: Path) -> str:
    parts = catalogue.relative_to(root).parts
    return parts[0] if len(parts) > 1 else ""


def count_catalogues(locale_dir: Path, language: str) -> tuple[dict[str, Count], list[Path]]:
    """Translated and total messages per section, and the catalogues that were read."""
    root = locale_dir / language / "LC_MESSAGES"
    counts = {section: Count() for section in SECTIONS}
    files = sorted(root.rglob("*.po"))
    for path in files:
        section = section_of(path, root)
        if section not in counts:
            continue  # sphinx.po and the like: theme strings, not handbook pages
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id:
                continue  # the header
            counts[section].total += 1
            if message.string and not message.fuzzy:
                counts[section].translated += 1
    return counts, files


class TranslationStatus(SphinxDirective):
    """``{translation-status}``: one row per section, one column per language."""

    def run(self) -> list[nodes.Node]:
        locale_dir = Path(self.env.srcdir) / self.config.locale_dirs[0]
        languages = [code for code in self.config.handbook_languages if code != "en"]
        columns: dict[str, dict[str, Count]] = {}
        for language in languages:
            counts, files = count_catalogues(locale_dir, language)
            columns[language] = counts
            for path in files:
                self.env.note_dependency(str(path))
        if not any(c.total for counts in columns.values() for c in counts.values()):
            logger.warning("no message catalogue found in %s; run `make update-po`",
                           locale_dir, location=self.get_location())
        rows = [
            [name, *(f"{columns[lang][section].share} "
                     f"({columns[lang][section].translated} of {columns[lang][section].total})"
                     for lang in languages)]
            for section, name in SECTIONS.items()
        ]
        header = ["Section", *(self.config.handbook_languages[lang] for lang in languages)]
        table = data_table(rows, header, classes=["translation-status"])
        self.set_source_info(table)
        return [table]


#: Shown under the title of a translated page whose catalogue is incomplete.
FALLBACK_NOTES = {
    "fr": "Cette page n'est pas encore entièrement traduite : le texte anglais s'affiche là où "
          "la traduction manque.",
    "ja": "このページの翻訳はまだ完了していません。翻訳のない部分は英語で表示しています。",
}


def note_untranslated_page(app: Sphinx, doctree: nodes.document) -> None:
    """In a French or Japanese build, flag pages that still show English text."""
    language = app.config.language
    if language not in FALLBACK_NOTES:
        return
    catalogue = (Path(app.srcdir) / app.config.locale_dirs[0] / language / "LC_MESSAGES"
                 / f"{app.env.docname}.po")
    complete = False
    if catalogue.is_file():
        app.env.note_dependency(str(catalogue))
        with catalogue.open("rb") as handle:
            messages = [m for m in read_po(handle) if m.id]
        complete = all(m.string and not m.fuzzy for m in messages)
    if complete:
        return
    note = nodes.note(classes=["translation-fallback"])
    note += nodes.paragraph(text=FALLBACK_NOTES[language])
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        section.insert(1, note)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("handbook_languages", {"en": "English"}, "env", dict)
    app.add_directive("translation-status", TranslationStatus)
    app.connect("doctree-read", note_untranslated_page)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
