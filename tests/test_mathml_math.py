"""The MathML renderer: LaTeX becomes <math> at build time, numbered and linked like MathJax's.

Conversion is tested on its own (latex_to_mathml, display_source), then through a tiny MyST
project built with sphinx.testing: what lands in the HTML, and what an author sees when a
formula cannot be converted.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from handbook.rendering.mathml_math import MathConversionError, display_source, latex_to_mathml
from sphinx.testing.util import SphinxTestApp

# Builds use sphinx.testing's `app` on a fresh copy of tests/roots/test-mathml.
pytestmark = pytest.mark.sphinx("html", testroot="mathml", copy_test_root=True, freshenv=True)


def parse(mathml: str) -> ElementTree.Element:
    """The converted formula as XML: it must be well-formed to be read at all."""
    return ElementTree.fromstring(mathml)


# -- Conversion ------------------------------------------------------------------------------


def test_inline_and_display_modes() -> None:
    assert parse(latex_to_mathml("x^2", display=False)).get("display") == "inline"
    assert parse(latex_to_mathml("x^2", display=True)).get("display") == "block"


def test_tex_source_travels_in_an_annotation() -> None:
    math = parse(latex_to_mathml(r"\frac{a}{b}", display=False))
    assert math.tag == "math" and "xmlns" not in math.attrib
    annotation = math.find("semantics/annotation")
    assert annotation is not None and annotation.get("encoding") == "application/x-tex"
    assert annotation.text == r"\frac{a}{b}"
    assert math.find("semantics/mrow/mfrac") is not None


def test_characters_are_escaped_not_left_raw() -> None:
    # latex2mathml's own string output would put a raw "<" from \text{} into the HTML.
    mathml = latex_to_mathml(r"0.8 < z \text{ R&D <x>}", display=False)
    assert "&lt;x&gt;" in mathml and "R&amp;D" in mathml
    math = parse(mathml)
    assert [mo.text for mo in math.iter("mo")] == ["<"]


def test_roman_letters_stay_upright() -> None:
    # \mathrm{t} must not be drawn in italics, as a lone <mi> is by default.
    math = parse(latex_to_mathml(r"A_\mathrm{t} + x", display=False))
    variants = {mi.text: mi.get("mathvariant") for mi in math.iter("mi")}
    assert variants == {"A": None, "t": "normal", "x": None}


def test_symbol_commands_are_spaced_as_operators() -> None:
    # latex2mathml writes \pm and \sim as identifiers, and \sim as an ASCII tilde.
    math = parse(latex_to_mathml(r"(67.4 \pm 0.5), z \sim 7, a \leq b", display=False))
    assert [mo.text for mo in math.iter("mo")] == ["(", "\u00b1", ")", ",", "\u223c", ",", "\u2264"]
    assert [mi.text for mi in math.iter("mi")] == ["z", "a", "b"]


def test_calligraphic_letters_use_mathematical_alphanumerics() -> None:
    math = parse(latex_to_mathml(r"\mathcal{P}", display=False))
    assert [mi.text for mi in math.iter("mi")] == ["\U0001d4ab"]  # MATHEMATICAL SCRIPT CAPITAL P


@pytest.mark.parametrize(
    ("latex", "reason"),
    [
        (r"\frac{a}{", "latex2mathml cannot convert it"),
        (r"\left( x", "ExtraLeftOrMissingRightError"),
        (r"\unknowncommand{x}", r"unsupported LaTeX command \unknowncommand"),
        ("  ", "empty formula"),
    ],
)
def test_unconvertible_formulas_raise_a_readable_error(latex: str, reason: str) -> None:
    with pytest.raises(MathConversionError, match=re.escape(reason)):
        latex_to_mathml(latex, display=True)


def test_display_source_stacks_equations_and_unnumbers_amsmath() -> None:
    assert display_source("a = b", nowrap=False) == "a = b"
    assert (
        display_source("a = b\n\nc = d", nowrap=False)
        == r"\begin{align*}a = b \\ c = d\end{align*}"
    )
    assert display_source(r"a \\ b", nowrap=False) == r"\begin{align*}a \\ b\end{align*}"
    assert (
        display_source(r"\begin{align}x\end{align}", nowrap=True) == r"\begin{align*}x\end{align*}"
    )


# -- In a build ------------------------------------------------------------------------------


def build(app: SphinxTestApp) -> tuple[str, str]:
    """Build the test project (tests/roots/test-mathml); its index.html and the warnings."""
    app.build()
    return (app.outdir / "index.html").read_text(encoding="utf-8"), app.warning.getvalue()


def test_build_writes_mathml_and_no_script(app: SphinxTestApp) -> None:
    html, warnings = build(app)
    assert warnings == ""
    # MyST still marks sections "mathjax_ignore"; what matters is that no script is loaded.
    assert not [tag for tag in re.findall(r"<script[^>]*>", html) if "mathjax" in tag.lower()]
    assert html.count("<math ") == 7  # 3 inline, 4 display blocks
    assert html.count('display="block"') == 4
    assert "<merror" not in html


def test_numbered_equations_keep_numbers_ids_and_references(app: SphinxTestApp) -> None:
    html, _ = build(app)
    # Sphinx numbers every display block with a number in page order, the amsmath one too.
    assert re.findall(r'<span class="eqno">\((\d+)\)', html) == ["1", "2", "3"]
    for label, number in (("eq-ratio", 1), ("eq-zh", 3)):
        block = re.search(
            rf'<div class="math notranslate" id="equation-{label}">(.*?)</div>', html, re.DOTALL
        )
        assert block, label
        assert (
            f'<span class="eqno">({number})<a class="headerlink" href="#equation-{label}"'
            in block[1]
        )
        assert "<math " in block[1]
        # {eq} references read the same number and point at the block.
        assert re.search(rf'href="#equation-{label}"[^>]*>(<span[^>]*>)?\({number}\)', html), label


def test_amsmath_blocks_are_not_numbered_twice(app: SphinxTestApp) -> None:
    html, _ = build(app)
    assert "<mtext>(1)</mtext>" not in html  # latex2mathml's own numbering is switched off
    assert html.count("<mtr>") >= 4  # two rows for "a = b / c = d", two for the align


def test_a_broken_formula_is_a_located_warning_not_a_traceback(app: SphinxTestApp) -> None:
    index = app.srcdir / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    lines += ["", r"Broken: $\frac{a}{$ here."]
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    html, warnings = build(app)
    assert f"index.md:{len(lines)}: WARNING: latex2mathml cannot convert it" in warnings
    assert "[math.mathml]" in warnings
    assert "Traceback" not in warnings
    assert r'<code class="math-source">\frac{a}{</code>' in html
