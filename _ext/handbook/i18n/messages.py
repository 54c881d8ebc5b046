"""The ``handbook`` message catalogue: the text our extensions write into pages, translated.

Why: page text is translated through the page catalogues (``locales/<lang>/LC_MESSAGES/
<page>.po``), but infobox labels, table headers, captions and notes are made in Python at build
time and never pass through them. Sphinx's own mechanism for extension messages covers them:
:func:`sphinx.locale.get_translation` with :meth:`~sphinx.application.Sphinx.add_message_catalog`.
All our extensions share one catalogue, ``locales/<lang>/LC_MESSAGES/handbook.po``, beside the
page catalogues, so translators find every generated string in one file.

Writing a translatable string in an extension::

    from handbook.i18n.messages import N_, _, translated

    STATUSES = {"operating": N_("Operating")}  # module level: marked, translated where used
    label = _("Full name")  # inside a function that runs during the build
    text = _("{status} (checked {date})").format(status=translated(STATUSES[key]), date=day)

Keep the literal inside ``_()`` or ``N_()`` (no f-string, no variable) so that extraction finds
it, and use named ``{placeholders}`` so that translators can move them. A message held in a
variable goes through ``translated()``: extraction would take any string literal inside
``_(...)``, the key in ``_(STATUSES["status"])`` included, for a message. Sphinx's own ``_``
(``sphinx.locale``) is imported under another name, for the same reason. ``make gettext``
extracts the messages into ``_build/gettext/handbook.pot`` (pybabel, keywords ``_`` and
``N_``), and ``make update-po`` merges them into ``handbook.po`` for French and Japanese.
"""

from __future__ import annotations

import string
from typing import Any

from docutils import nodes
from sphinx import locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util.i18n import CatalogInfo, CatalogRepository

#: The catalogue's name: handbook.po / handbook.mo in every language's LC_MESSAGES folder.
CATALOG = "handbook"

_translate = get_translation(CATALOG)


def _(message: str) -> str:
    """``message`` in the language of the build, as a plain ``str``.

    Sphinx's translator returns a lazy proxy when the catalogue is not registered yet (at
    import time, or when a test calls our functions without a build). A proxy is not a
    ``str``: ``", ".join()`` refuses it and docutils would store it in doctrees. Strings are
    therefore translated when a page is read or written, where this returns real text.
    """
    return str(_translate(message))


def translated(message: str) -> str:
    """``_()`` for a message held in a variable, marked with ``N_()`` where it is defined."""
    return _(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is defined; ``_()`` translates it where used.

    For module-level tables (statuses, categories, modes): they are built when the module is
    imported, before the build's language is known.
    """
    return message


def format_nodes(template: str, **values: str | nodes.Node) -> list[nodes.Node]:
    """Fill a translated ``template`` whose ``{placeholders}`` may stand for nodes (links).

    Languages order the parts of a phrase differently ("checked on ..." comes last in English,
    first in Japanese), so a link cannot be glued after a translated prefix: it takes its
    place in the translated template instead.
    """
    parts: list[nodes.Node] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(nodes.Text(literal))
        if field is not None:
            value = values[field]
            parts.append(value if isinstance(value, nodes.Node) else nodes.Text(value))
    return parts


def catalogues(app: Sphinx) -> list[CatalogInfo]:
    """The build language's ``handbook.po`` in each of ``locale_dirs`` (none in English)."""
    config = app.config
    repo = CatalogRepository(
        app.srcdir, config.locale_dirs, config.language, config.source_encoding
    )
    found = (
        CatalogInfo(folder / config.language / "LC_MESSAGES", CATALOG, config.source_encoding)
        for folder in repo.locale_dirs
    )
    return [catalogue for catalogue in found if catalogue.po_path.is_file()]


def register_catalogue(app: Sphinx, config: Config) -> None:
    """Compile ``handbook.po`` when it changed, then load it for the build's language.

    Sphinx compiles the page catalogues when the build starts, which is after extensions
    register their catalogues: on a fresh clone (``*.mo`` is not in git) the first build
    would find no ``handbook.mo`` and print English labels. Sphinx takes the same early step
    for its own ``sphinx.po`` (``Sphinx._init_i18n``); this mirrors it, with the same code
    and the same fuzzy setting, and Sphinx's later step then finds the ``.mo`` up to date.
    """
    # A new application in the same process (tests, a warm preview in another language) must
    # not keep the last one's translations: Sphinx would put the new language behind them.
    # Python's gettext also keeps each .mo it has read for the life of the process: the warm
    # preview (tools/warm_sphinx.py) empties that cache when it makes a new application.
    locale.translators.pop(("general", CATALOG), None)
    for catalogue in catalogues(app):
        if catalogue.is_outdated():
            catalogue.write_mo(config.language, config.gettext_allow_fuzzy_translations)
        app.add_message_catalog(CATALOG, catalogue.base_dir.parent.parent)


def depend_on_catalogue(app: Sphinx, docname: str, source: list[str]) -> None:
    """Read a page again when ``handbook.mo`` changes: its labels may come from it.

    Sphinx only ties a page to its own catalogue. An edit of ``handbook.po`` must reach
    every page (infoboxes, tables, notes), or incremental builds would keep old labels.
    """
    for catalogue in catalogues(app):
        app.env.note_dependency(catalogue.mo_path)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", register_catalogue)
    app.connect("source-read", depend_on_catalogue)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
