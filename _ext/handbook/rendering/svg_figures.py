"""SVG drawn at build time, shown inline in HTML and converted to PDF for the book.

Several extensions draw figures as SVG text (the programme timeline, the route diagram,
the meeting planner). Inline SVG keeps the HTML light and lets the theme restyle it in
dark mode; LaTeX cannot read SVG, so the LaTeX writer converts the same text to a PDF
file with CairoSVG next to the .tex file. Builders without pictures (text, man) skip it.
"""

from __future__ import annotations

import hashlib
import math
import re
from html import escape
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from handbook.i18n.messages import _

logger = logging.getLogger(__name__)


class svg_drawing(nodes.General, nodes.Inline, nodes.Element):
    """An SVG document held as text in the attribute 'svg'."""


def svg_node(svg: str, width: str = r"\linewidth") -> svg_drawing:
    """Wrap SVG text; `width` is the LaTeX width of the converted picture."""
    return svg_drawing(svg=svg, latex_width=width)


#: The smallest text, in CSS pixels, a figure may show: below it a phone reader cannot read.
MIN_TEXT_PX = 11.0
_VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="[-\d.]+[ ,]+[-\d.]+[ ,]+([\d.]+)[ ,]+[\d.]+"')
_FONT_SIZE = re.compile(r'font-size(?:="|:\s*)([\d.]+)')
_TITLE = re.compile(r"<title\b[^>]*>([^<]*)</title>")


def min_width(svg: str) -> int | None:
    """The width, in CSS pixels, below which the figure's smallest text would be drawn under
    MIN_TEXT_PX (the SVG scales with its box); None when the SVG says nothing of its text."""
    viewbox = _VIEWBOX.search(svg)
    sizes = [float(size) for size in _FONT_SIZE.findall(svg) if float(size) > 0]
    if not viewbox or not sizes:
        return None
    return math.ceil(float(viewbox[1]) * MIN_TEXT_PX / min(sizes))


def visit_html(translator: HTML5Translator, node: svg_drawing) -> None:
    """The SVG in a box that scrolls sideways on a screen too narrow for its text: a phone
    shows the chart at a readable size instead of shrinking it to illegible text. The box is
    a named, focusable region, so keyboard users can scroll it too (axe:
    scrollable-region-focusable); _static/responsive.js shows the hint when it overflows."""
    svg = node["svg"]
    width = min_width(svg)
    if width is None:
        translator.body.append(svg)
        raise nodes.SkipNode
    title = _TITLE.search(svg)
    name = title[1].strip() if title else _("Figure")
    translator.body.append(
        f'<div class="handbook-figure-scroll" role="region" tabindex="0" '
        f'aria-label="{escape(name)}" style="--handbook-min-width: {width}px">{svg}</div>'
        f'<p class="handbook-scroll-hint" aria-hidden="true">'
        f"{escape(_('Scroll sideways to see the whole figure.'))}</p>"
    )
    raise nodes.SkipNode


def visit_latex(translator: LaTeXTranslator, node: svg_drawing) -> None:
    """Convert to PDF once per distinct drawing (named by its content hash)."""
    import cairosvg  # imported here: only PDF builds need Cairo

    digest = hashlib.sha256(node["svg"].encode()).hexdigest()[:16]
    name = f"svg-{digest}.pdf"
    target = Path(translator.builder.outdir) / name
    if not target.exists():
        try:
            cairosvg.svg2pdf(bytestring=node["svg"].encode(), write_to=str(target))
        except Exception as error:  # CairoSVG raises many kinds; report, never crash
            logger.warning(
                f"could not convert a figure to PDF: {error}",
                location=node,
                type="svg",
                subtype="convert",
            )
            raise nodes.SkipNode from error
    translator.body.append(
        rf"\noindent\sphinxincludegraphics[width={node['latex_width']}]{{{{{name[:-4]}}}.pdf}}"
        "\n"
    )
    raise nodes.SkipNode


def skip(translator: Any, node: svg_drawing) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        svg_drawing,
        html=(visit_html, None),
        latex=(visit_latex, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
