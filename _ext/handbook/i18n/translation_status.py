"""The translation-status table: how much of each section is translated, per language.

Computed at build time from the message catalogues in locales/ (the .po files that `make update-po`
refreshes), so contributors see what is missing without running tools. A message counts as
translated when its msgstr is not empty and it is not marked fuzzy. The page catalogues count
towards their section; the handbook catalogue (the text our extensions generate,
_ext/handbook/i18n/messages.py) has a line of its own, and Sphinx's catalogue of template strings
(sphinx.po) is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.i18n.messages import CATALOG, N_, _, translated
from handbook.rendering.doc_tables import data_table

logger = logging.getLogger(__name__)

#: Section (first folder of a page's catalogue; "" for pages at the top) -> its line's name.
SECTIONS = {
    "": N_("Landing page"),
    "research": N_("Research"),
    "institutions": N_("Institutions"),
    "onboarding": N_("Onboarding"),
    "bib": N_("Bibliography"),
    CATALOG: N_("Generated text (infoboxes, tables, figures)"),
}
#: Catalogues at the top of LC_MESSAGES that belong to no section: theme and template strings.
UNCOUNTED = {"sphinx"}


@dataclass
class Count:
    translated: int = 0
    total: int = 0

    @property
    def share(self) -> str:
        # Translators: the share of a section that is translated, when it has no message.
        return f"{100 * self.translated / self.total:.0f} %" if self.total else _("n/a")

    @property
    def summary(self) -> str:
        """'96 % (48 of 50)': one cell of the status table."""
        return _("{share} ({translated} of {total})").format(
            share=self.share, translated=self.translated, total=self.total
        )


def section_of(catalogue: Path, root: Path) -> str | None:
    """The section a catalogue counts towards, or None for one that is not counted."""
    parts = catalogue.relative_to(root).parts
    if len(parts) > 1:
        return parts[0]
    if catalogue.stem in UNCOUNTED:
        return None
    return CATALOG if catalogue.stem == CATALOG else ""


def count_catalogues(locale_dir: Path, language: str) -> tuple[dict[str, Count], list[Path]]:
    """Translated and total messages per section, and the catalogues that were read."""
    root = locale_dir / language / "LC_MESSAGES"
    counts = {section: Count() for section in SECTIONS}
    files = sorted(root.rglob("*.po"))
    for path in files:
        section = section_of(path, root)
        if section not in counts:
            continue  # sphinx.po, or a folder that is not a section
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
            logger.warning(
                "no message catalogue found in %s; run `make update-po`",
                locale_dir,
                location=self.get_location(),
            )
        rows = [
            [translated(name), *(columns[lang][section].summary for lang in languages)]
            for section, name in SECTIONS.items()
        ]
        header = [_("Section"), *(self.config.handbook_languages[lang] for lang in languages)]
        table = data_table(rows, header, classes=["translation-status"])
        self.set_source_info(table)
        return [table]


def is_translated_build(config: Config) -> bool:
    """A build in one of the handbook's languages other than English (French, Japanese)."""
    return config.language != "en" and config.language in config.handbook_languages


def note_untranslated_page(app: Sphinx, doctree: nodes.document) -> None:
    """In a French or Japanese build, flag pages that still show English text."""
    language = app.config.language
    if not is_translated_build(app.config):
        return
    catalogue = (
        Path(app.srcdir)
        / app.config.locale_dirs[0]
        / language
        / "LC_MESSAGES"
        / f"{app.env.docname}.po"
    )
    complete = False
    if catalogue.is_file():
        app.env.note_dependency(str(catalogue))
        with catalogue.open("rb") as handle:
            messages = [m for m in read_po(handle) if m.id]
        complete = all(m.string and not m.fuzzy for m in messages)
    if complete:
        return
    note = nodes.note(classes=["translation-fallback"])
    # Shown under the title of a translated page whose catalogue is incomplete.
    note += nodes.paragraph(
        text=_(
            "This page is not fully translated yet: the English text "
            "is shown where a translation is missing."
        )
    )
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        section.insert(1, note)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("handbook.i18n.messages")  # labels and notes in the build's language
    app.add_config_value("handbook_languages", {"en": "English"}, "env", dict)
    app.add_directive("translation-status", TranslationStatus)
    app.connect("doctree-read", note_untranslated_page)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
