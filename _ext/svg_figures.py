"""SVG drawn at build time, shown inline in HTML and converted to PDF for the book.

Several extensions draw figures as SVG text (the programme timeline, the route diagram,
the meeting planner). Inline SVG keeps the HTML light and lets the theme restyle it in
dark mode; LaTeX cannot read SVG, so the LaTeX writer converts the same text to a PDF
file with CairoSVG next to the .tex file. Builders without pictures (text, man) skip it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)


class svg_drawing(nodes.General, nodes.Inline, nodes.Element):
    """An SVG document held as text in the attribute 'svg'."""


def svg_node(svg: str, width: str = r"\linewidth") -> svg_drawing:
    """Wrap SVG text; `width` is the LaTeX width of the converted picture."""
    return svg_drawing(svg=svg, latex_width=width)


def visit_html(translator: HTML5Translator, node: svg_drawing) -> None:
    translator.body.append(node["svg"])
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
            logger.warning(f"could not convert a figure to PDF: {error}", location=node,
                           type="svg", subtype="convert")
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
