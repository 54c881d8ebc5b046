"""Small adjustments of the document tree for the printed book (LaTeX builder only).

Web pages end with a "References" section whose footnotes sphinxcontrib-bibtex lists
there; in the PDF the same citations are footnotes at the foot of each page, so that
section would print as an empty heading. Any section left without content is removed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(RemoveEmptySections)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
