"""Link previews: OpenGraph tags and a meta description for every page.

A link to a page pasted in a chat or a social network shows its title and first sentences.
sphinxext-opengraph did this, but every build printed "matplotlib is not installed, social
cards will not be generated" on import (sphinx-doc/sphinxext-opengraph#145 asks for a way
around it), and installing matplotlib only to silence it would add about 100 MB to the docs
environment and a slow import to every build, for generated images this site does not use.
The tags themselves are a few lines of HTML, written here.

The description is the page's first paragraph of prose: not an infobox, a table, an
admonition or a caption (sphinxext-opengraph took the infobox's cells on programme pages:
",, Full name, Tokai-to-Kamioka,, ..."). It is read with the page, so it is in the
build's language, and kept in the environment (purged and merged for parallel builds).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Most previews show about 200 characters; a longer description is cut at a word.
DESCRIPTION_LENGTH = 200
#: Where a paragraph is not the page's own prose.
NOT_PROSE = (
    nodes.table,
    nodes.Admonition,
    nodes.sidebar,
    nodes.topic,
    nodes.caption,
    nodes.footnote,
    nodes.citation,
    nodes.field_list,
    nodes.definition_list,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.container,
    addnodes.toctree,
    addnodes.only,
)
#: OpenGraph locales of the handbook's languages.
LOCALES = {"en": "en_US", "fr": "fr_FR", "ja": "ja_JP"}


def first_paragraph(doctree: nodes.document) -> str:
    """The text of the first paragraph outside infoboxes, tables, lists and notes."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        inside = False
        while parent is not None:
            if isinstance(parent, NOT_PROSE):
                inside = True
                break
            parent = parent.parent
        text = " ".join(paragraph.astext().split())
        if not inside and text:
            return text
    return ""


def shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The text, or as many of its words as fit in ``limit`` characters followed by "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def descriptions(env: BuildEnvironment) -> dict[str, str]:
    """Each page's description, kept in the environment between builds."""
    if not hasattr(env, "handbook_link_previews"):
        env.handbook_link_previews = {}
    return env.handbook_link_previews


def remember_description(app: Sphinx, doctree: nodes.document) -> None:
    descriptions(app.env)[app.env.docname] = shortened(first_paragraph(doctree))


def purge_description(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    descriptions(env).pop(docname, None)


def merge_descriptions(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    theirs = descriptions(other)
    descriptions(env).update({name: theirs[name] for name in docnames if name in theirs})


def meta(attribute: str, name: str, content: str) -> str:
    """One ``<meta>`` tag, its content escaped for an HTML attribute."""
    from html import escape

    return f'<meta {attribute}="{name}" content="{escape(content, quote=True)}" />\n'


def add_preview_tags(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Append the OpenGraph tags and the description to the page's ``metatags``."""
    if doctree is None:  # the search page, the general index: generated, not written
        return
    env = app.env
    title = env.titles[pagename].astext() if pagename in env.titles else app.config.project
    description = descriptions(env).get(pagename, "")
    tags = [
        meta("property", "og:title", title),
        meta("property", "og:type", "website"),
        meta("property", "og:site_name", app.config.html_title or app.config.project),
        meta("property", "og:locale", LOCALES.get(app.config.language, app.config.language)),
    ]
    if app.config.html_baseurl:
        address = app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
        tags.append(meta("property", "og:url", address))
    if description:
        tags.append(meta("property", "og:description", description))
        tags.append(meta("name", "description", description))
    context["metatags"] = context.get("metatags", "") + "".join(tags)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("doctree-read", remember_description)
    app.connect("env-purge-doc", purge_description)
    app.connect("env-merge-info", merge_descriptions)
    app.connect("html-page-context", add_preview_tags)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
