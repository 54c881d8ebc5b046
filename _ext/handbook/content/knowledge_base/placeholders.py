"""Placeholder nodes: left in the doctree when a page is read, filled in when it is written.

Reading a page only sees that page; what these placeholders show depends on every
record, so they are resolved by a post-transform once all pages have been read.
"""

from __future__ import annotations

from docutils import nodes


class infobox_placeholder(nodes.General, nodes.Element):
    """The fact box at the top of a programme or institution page."""


class catalogue_placeholder(nodes.General, nodes.Element):
    """A table of programmes, all of them or those of one field (attribute 'area')."""


class diagram_placeholder(nodes.General, nodes.Element):
    """The organisation diagram drawn from the institutions' parent relations."""


class timeline_placeholder(nodes.General, nodes.Element):
    """The timeline figure drawn from the programmes' milestones."""
