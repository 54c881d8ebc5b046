"""Small adjustments of the document tree for the printed book (LaTeX builder only).

- Web pages end with a "References" section whose footnotes sphinxcontrib-bibtex lists
  there; in the PDF the same citations are footnotes at the foot of each page, so that
  section would print as an empty heading. Any section left without content is removed.
- Pages about the website itself (``book_web_only_pages`` in conf.py, such as the
  translation status) are left out of the book.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def _is_empty(section: nodes.section) -> bool:
    """True when nothing but the title (and invisible targets) remains."""
    for child in section.children:
        if isinstance(child, nodes.title | nodes.target):
            continue
        if child.astext().strip():
            return False
        if any(isinstance(n, nodes.image | nodes.table) for n in child.findall()):
            return False
    return True


class RemoveEmptySections(SphinxPostTransform):
    """Drop empty sections, innermost first, so a parent emptied by its children goes too."""

    builders = ("latex",)
    default_priority = 900  # after the citation and footnote transforms

    def run(self, **kwargs: Any) -> None:
        for section in reversed(list(self.document.findall(nodes.section))):
            if _is_empty(section) and section.parent is not None:
                section.parent.remove(section)


class LeaveOutWebOnlyPages(SphinxPostTransform):
    """Remove the pages listed in ``book_web_only_pages`` from the assembled book."""

    builders = ("latex",)
    default_priority = 890

    def run(self, **kwargs: Any) -> None:
        web_only = set(self.config.book_web_only_pages)
        for included in list(self.document.findall(addnodes.start_of_file)):
            if included["docname"] in web_only and included.parent is not None:
                included.parent.remove(included)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_web_only_pages", [], "env", list)
    app.add_post_transform(LeaveOutWebOnlyPages)
    app.add_post_transform(RemoveEmptySections)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
