"""Japanese words in the English and French editions, marked ``lang="ja"`` in HTML.

Why: a browser that does not know a run of kanji is Japanese may pick Chinese glyph shapes for
it, or take each character from a different fallback font; screen readers read it with the
page's English or French voice. Station names, phrases and institution names are Japanese
wherever they appear (pages, generated tables, infoboxes), so they are marked where the page is
written out, not by hand in each source: every run of Japanese script in the text becomes a
``<span lang="ja">``, which _static/handbook.css sets in a Japanese system font.

The Japanese edition needs none of this (its ``<html lang="ja">`` covers it). Code, math and
raw HTML are left as they are.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

#: Kana, kanji, CJK punctuation and the iteration and prolonged-sound marks; full-width forms.
JAPANESE_RUN = re.compile(
    "[\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff00-\uffef]+"
)
#: A run that is only punctuation or full-width spaces is not Japanese text on its own.
_PUNCTUATION_ONLY = re.compile("[\u3000-\u3003\u3008-\u3011\uff01-\uff0f\uff1a-\uff20]+")
SKIPPED = (
    nodes.literal,
    nodes.literal_block,
    nodes.raw,
    nodes.math,
    nodes.math_block,
    nodes.comment,
)


class japanese(nodes.inline):
    """A run of Japanese text inside text of another language."""


def visit_japanese(translator: HTML5Translator, node: japanese) -> None:
    translator.body.append('<span lang="ja">')


def depart_japanese(translator: HTML5Translator, node: japanese) -> None:
    translator.body.append("</span>")


def split_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is Japanese) pieces, in order."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in JAPANESE_RUN.finditer(text):
        if _PUNCTUATION_ONLY.fullmatch(match[0]):
            continue
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((match[0], True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


class MarkJapanese(SphinxPostTransform):
    """Wrap each run of Japanese script of an HTML page's text in a ``japanese`` node."""

    default_priority = 900  # after references are resolved: their text is final
    formats: ClassVar[tuple[str, ...]] = ("html",)

    def run(self, **kwargs: Any) -> None:
        if (self.config.language or "en").startswith("ja"):
            return
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or not JAPANESE_RUN.search(text):
                continue
            if any(isinstance(ancestor, (*SKIPPED, japanese)) for ancestor in _ancestors(parent)):
                continue
            pieces = split_runs(str(text))
            if not any(is_japanese for _piece, is_japanese in pieces):
                continue
            replacement = [
                japanese("", nodes.Text(piece)) if is_japanese else nodes.Text(piece)
                for piece, is_japanese in pieces
            ]
            index = parent.index(text)
            parent[index : index + 1] = replacement


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node is not None:
        found.append(node)
        node = node.parent
    return found


def setup(app: Sphinx) -> dict[str, object]:
    app.add_node(japanese, html=(visit_japanese, depart_japanese))
    app.add_post_transform(MarkJapanese)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
