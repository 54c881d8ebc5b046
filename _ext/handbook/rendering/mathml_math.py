"""Math as MathML, converted from LaTeX when the site is built.

Why: Sphinx's default HTML math renderer, MathJax, loads a JavaScript library from a CDN. A
reader offline, behind a strict firewall or with JavaScript off then sees raw LaTeX, and
every page with an equation contacts a third party. Browsers now lay out MathML themselves
(MathML Core: Chromium 109+, Firefox, Safari), so the handbook converts LaTeX to MathML once,
at build time, with the pure-Python :mod:`latex2mathml`: no script, no font download.

Numbered display math keeps Sphinx's equation numbers, ids and permalinks, so
``{eq}`label``` references and ``#equation-label`` links work as with MathJax. The LaTeX source
travels in a MathML ``<annotation>``: invisible, but copied with the formula and read by
assistive tools that prefer TeX.

A formula that cannot be converted, or that uses a command latex2mathml does not know (it
would otherwise be shown to the reader as a literal ``\\foo``), is a Sphinx warning with the
page and line (type ``math``, subtype ``mathml``), never a traceback; the page then shows the
LaTeX source in place of the formula.

Enable with ``extensions += ["handbook.rendering.mathml_math"]`` and ``html_math_renderer =
"mathml"``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement, tostring

from docutils import nodes
from latex2mathml.converter import convert_to_element
from sphinx.locale import _ as sphinx_label
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

# latex2mathml writes most characters as numeric references inside element text and turns
# them into characters with a blanket unescape that would also let a literal "<" from
# \text{...} through. We resolve only these references and let ElementTree do the escaping.
_CHAR_REFERENCE = re.compile(r"&#x([0-9A-Fa-f]+);")
# What an unknown command leaves behind: latex2mathml shows it verbatim, as "\foo".
_LEFTOVER_COMMAND = re.compile(r"\\[A-Za-z]+")
# amsmath's numbered environments: latex2mathml numbers their rows (1), (2)... afresh in every
# formula, which disagrees with Sphinx's numbering. They are rendered starred, and the block
# shows the one number Sphinx gave it, like any other display block.
_NUMBERED_ENVIRONMENT = re.compile(r"\\(begin|end)\{(align|alignat|equation|eqnarray)\}")


class MathConversionError(ValueError):
    """LaTeX that cannot be shown as MathML; the message is written for the page's author."""


def _resolve_references(text: str) -> str:
    return _CHAR_REFERENCE.sub(lambda match: chr(int(match[1], 16)), text)


def _fix_symbol(element: Element, symbol: str) -> None:
    """Correct what latex2mathml gets wrong about one symbol written by a command.

    - ``\\mathrm{t}`` becomes a plain letter without ``mathvariant="normal"``, and MathML Core
      draws a lone letter in italics.
    - ``\\pm`` and ``\\sim`` become identifiers (``<mi>``), spaced like letters; a math symbol
      is an operator (``<mo>``). ``\\sim`` is also mapped to "~" (U+007E), not to U+223C.
    """
    if element.tag != "mi":
        return
    if symbol.isascii() and symbol.isalpha():
        element.attrib.setdefault("mathvariant", "normal")
    elif unicodedata.category(symbol) == "Sm":
        element.tag = "mo"
        element.text = "\u223c" if symbol == "~" else symbol


def _clean_tree(math: Element) -> None:
    """Resolve references, fix symbols and refuse leftover commands, in place."""
    for element in math.iter():
        if element.text:
            single = _CHAR_REFERENCE.fullmatch(element.text)
            element.text = _resolve_references(element.text)
            if single:
                _fix_symbol(element, element.text)
            if leftover := _LEFTOVER_COMMAND.search(element.text):
                raise MathConversionError(f"unsupported LaTeX command {leftover[0]}")
        if element.tail:
            element.tail = _resolve_references(element.tail)


def latex_to_mathml(latex: str, *, display: bool) -> str:
    """Convert one formula to an HTML-ready ``<math>`` element (no namespace declaration).

    Raises :class:`MathConversionError` when latex2mathml fails or leaves a command
    unconverted.
    """
    source = latex.strip()
    if not source:
        raise MathConversionError("empty formula")
    try:
        math = convert_to_element(source, display="block" if display else "inline")
    except Exception as error:  # latex2mathml's errors share no base class below Exception
        reason = str(error) or type(error).__name__
        raise MathConversionError(f"latex2mathml cannot convert it ({reason})") from error
    _clean_tree(math)
    # In HTML the parser puts <math> in the MathML namespace by itself.
    math.attrib.pop("xmlns", None)
    # <semantics>: the rendered formula first, then its TeX source for copy and assistive tools.
    semantics = Element("semantics")
    semantics.extend(list(math))
    for child in list(math):
        math.remove(child)
    annotation = SubElement(semantics, "annotation", encoding="application/x-tex")
    annotation.text = source
    math.append(semantics)
    return tostring(math, encoding="unicode", short_empty_elements=False)


def display_source(latex: str, *, nowrap: bool) -> str:
    """The LaTeX of a display block, prepared the way Sphinx's MathJax renderer prepares it.

    Paragraphs separated by a blank line are separate equations; they and ``\\\\`` line breaks
    become rows of an ``align*`` table, since MathML Core has no automatic line breaking.
    amsmath environments (``nowrap``, from MyST's amsmath extension) keep their own LaTeX.
    """
    if nowrap:
        return _NUMBERED_ENVIRONMENT.sub(r"\\\1{\2*}", latex)
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
    if len(parts) > 1 or any(r"\\" in part for part in parts):
        return r"\begin{align*}" + r" \\ ".join(parts) + r"\end{align*}"
    return "\n".join(parts)


def _warn(node: nodes.Element, error: MathConversionError) -> None:
    logger.warning(
        "%s in math %r", error, node.astext(), location=node, type="math", subtype="mathml"
    )


def _fallback(translator: HTML5Translator, node: nodes.Element) -> str:
    """What the reader sees instead of a broken formula: its LaTeX source."""
    return f'<code class="math-source">{translator.encode(node.astext())}</code>'


def visit_inline_math(translator: HTML5Translator, node: nodes.math) -> None:
    """Inline math: ``<span class="math"><math>...</math></span>``."""
    try:
        rendered = latex_to_mathml(node.astext(), display=False)
    except MathConversionError as error:
        _warn(node, error)
        rendered = _fallback(translator, node)
    translator.body.append(translator.starttag(node, "span", "", CLASS="math notranslate"))
    translator.body.append(rendered + "</span>")
    raise nodes.SkipNode


def visit_display_math(translator: HTML5Translator, node: nodes.math_block) -> None:
    """Display math, with the equation number and permalink Sphinx assigned, if any."""
    nowrap = node.get("no-wrap", node.get("nowrap", False))
    try:
        rendered = latex_to_mathml(display_source(node.astext(), nowrap=nowrap), display=True)
    except MathConversionError as error:
        _warn(node, error)
        rendered = _fallback(translator, node)
    translator.body.append(translator.starttag(node, "div", CLASS="math notranslate"))
    if node.get("number"):
        number = get_node_equation_number(translator, node)
        translator.body.append(f'<span class="eqno">({number})')
        # Sphinx's own catalogue has this label in every language. Not imported as _, which
        # `make gettext` would take for a message of the handbook catalogue.
        translator.add_permalink_ref(node, sphinx_label("Link to this equation"))
        translator.body.append("</span>")
    translator.body.append(rendered + "</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(visit_inline_math, None),
        block_renderers=(visit_display_math, None),
    )
    return {
        "version": "1.0",
        # Nothing is stored in the environment: conversion happens while writing each page.
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
