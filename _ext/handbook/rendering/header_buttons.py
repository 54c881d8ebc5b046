"""The article header's buttons, kept to those that do something for a reader.

sphinx-book-theme builds the buttons in ``html-page-context`` (priority 501). Two of them
mislead here:

- "Download source file (.md)" links to ``_sources/``, which this site does not publish
  (``html_copy_source = False``: the edit button links to the real source instead), so it was
  a broken link on every page. It goes; "Print to PDF" stays, and when the build publishes the
  book (``make all``), the download menu offers the book's PDF too.
- The full-screen button cannot work on most phones (iPhone browsers have no full-screen API
  for pages); _static/handbook.css hides it at phone width, where it would only take room from
  the site name.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from handbook.i18n.messages import _

# The theme's own label for its download menu and for the source-file item.
DOWNLOAD_GROUP = "download-buttons"
SOURCE_ITEM = "download-source-button"


def trim_download_menu(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Drop the item that links to unpublished sources; add the book when it is published."""
    for button in context.get("header_buttons", []):
        if button.get("label") != DOWNLOAD_GROUP:
            continue
        items = [item for item in button["buttons"] if item.get("label") != SOURCE_ITEM]
        book = context.get("handbook_pdf")
        if book:
            items.insert(
                0,
                {
                    "type": "link",
                    "url": context["pathto"](book, 1),
                    "text": _("Book (PDF)"),
                    "tooltip": _("The whole handbook as a PDF book"),
                    "icon": "fas fa-book",
                    "label": "download-book-button",
                },
            )
        button["buttons"] = items


def setup(app: Sphinx) -> dict[str, object]:
    # After the theme's add_header_buttons (priority 501), before the page is rendered.
    app.connect("html-page-context", trim_download_menu, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
