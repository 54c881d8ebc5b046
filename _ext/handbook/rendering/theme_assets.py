"""A lighter theme: the stylesheet keeps the rules the site can use, and icons are inline SVG.

Why: every page loaded the pydata theme's whole stylesheet (377 kB: Bootstrap, Font Awesome's
class for each of its 2,000 icons, the theme) and Font Awesome's 115 kB solid font for about a
dozen icons. After the HTML build, this extension rewrites the copy of the stylesheet in the
output (the theme's package is never touched):

1. Icons become CSS masks of SVG paths. Font Awesome's paths ship with the theme, in its
   ``fontawesome.js`` (the theme loads that file only when asked to; _templates/layout.html
   drops it); for each icon the site uses, its path becomes a ``data:`` URL drawn in
   ``currentColor``, so icons follow the text colour in both modes and no icon font is
   fetched. The theme's own icons in CSS (admonition titles, external-link and download
   marks) get the same treatment through their ``--pst-icon-*`` variables.
2. Rules no page can match go: a rule is dropped when one of the class names in each of its
   selectors appears nowhere in the built pages or in the site's scripts, where Bootstrap and
   the theme name the classes they add at run time. Class names that scripts build from
   pieces (Bootstrap's ``bs-tooltip-top``) are kept by prefix (KEEP_PREFIXES).

The build fails with a message, never silently, when the theme's files no longer look as
expected (a theme update): the site would otherwise lose its icons.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Read from the theme's package (so that a rebuild starts again from the original), written
# to the output.
STYLESHEET = Path("styles/pydata-sphinx-theme.css")
ICON_SOURCE = Path("scripts/fontawesome.js")
# Class-name prefixes that scripts assemble at run time, so never appear whole in a file.
KEEP_PREFIXES = (
    "bs-",
    "tooltip",
    "popover",
    "fade",
    "show",
    "collapsing",
    "modal",
    "dropdown",
    "offcanvas",
    "pst-",
    "active",
)
# Font Awesome packs in fontawesome.js: `var b={...}` (icon paths hold no braces), then, a few
# statements on, `p("fas",b)` names the pack: fas is the solid one.
_PACK_START = re.compile(r"var b=\{")
_PACK_NAME = re.compile(r'p\("(fas|far|fab)",b\)')
_ICON = re.compile(
    r'(?:"([a-z0-9-]+)"|([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)","(M[^"]+)"\]'
)
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,)*\.fa-[a-z0-9-]+)\{--fa:"\\([0-9a-f]+)"\}')
# The theme writes these code points as the private-use character itself, or escaped.
_ICON_VAR = re.compile(r'--pst-icon-([a-z0-9-]+):"(\\[0-9a-f]+|[\ue000-\uf8ff])"')
_ICON_ALIAS = re.compile(r"--pst-icon-([a-z0-9-]+):var\(--pst-icon-([a-z0-9-]+)\)")
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_CLASS = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")


class ThemeChanged(Exception):
    """The theme's files are not in the form this extension knows."""


# -- Icons ------------------------------------------------------------------------------------


def solid_icons(script: str) -> dict[str, tuple[int, int, str, str]]:
    """Font Awesome's solid icons: name (and alias) -> (width, height, code point, path)."""
    icons: dict[str, tuple[int, int, str, str]] = {}
    for start in _PACK_START.finditer(script):
        end = script.find("}", start.end())
        name_of_pack = _PACK_NAME.search(script, end, end + 400)
        if end == -1 or not name_of_pack or name_of_pack[1] != "fas":
            continue
        for match in _ICON.finditer(script, start.end(), end):
            name = match[1] or match[2]
            aliases = [a.strip('"') for a in match[5].split(",") if a.strip().startswith('"')]
            icon = (int(match[3]), int(match[4]), match[6], match[7])
            for alias in (name, *aliases):
                icons.setdefault(alias, icon)
    if "bars" not in icons or "magnifying-glass" not in icons:
        raise ThemeChanged(f"no solid icons found in {ICON_SOURCE}")
    return icons


def svg_url(width: int, height: int, path: str) -> str:
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
        f"<path d='{path}'/></svg>"
    )
    return 'url("data:image/svg+xml,' + quote(svg, safe=" /=:',.-") + '")'


_HIDDEN = "linear-gradient(transparent,transparent)"  # no icon: nothing drawn, not a square
MASK = (
    'content:"";display:inline-block;width:var(--handbook-icon-width,1em);height:1em;'
    "vertical-align:-.125em;background-color:currentColor;"
    f"-webkit-mask:var(--handbook-icon,{_HIDDEN}) center/contain no-repeat;"
    f"mask:var(--handbook-icon,{_HIDDEN}) center/contain no-repeat"
)


def icon_css(css: str, used: set[str], icons: dict[str, tuple[int, int, str, str]]) -> str:
    """The stylesheet with icon glyph rules replaced by SVG masks for the icons in use."""
    by_code = {code: (w, h, path) for w, h, code, path in icons.values()}
    extra: list[str] = []

    def glyph_rule(match: re.Match[str]) -> str:
        names = [name.removeprefix(".fa-") for name in match[1].split(",")]
        wanted = [name for name in names if f"fa-{name}" in used]
        if not wanted:
            return ""
        shape = by_code.get(match[2])
        if shape is None:
            return match[0]  # not a solid icon (brands): left to its font
        width, height, path = shape
        selectors = ",".join(f".fa-{name}" for name in wanted)
        mask = svg_url(width, height, path)
        return (
            f'{selectors}{{--fa:"\\{match[2]}";--handbook-icon:{mask};'
            f"--handbook-icon-width:{width / height:.3f}em}}"
        )

    css = _ICON_RULE.sub(glyph_rule, css)
    # The theme's CSS icons: each --pst-icon-NAME code point gets a mask variable beside it.
    for name, value in dict(_ICON_VAR.findall(css)).items():
        code = value[1:] if value.startswith("\\") else f"{ord(value):x}"
        if code in by_code:
            width, height, path = by_code[code]
            extra.append(f"--handbook-icon-{name}:{svg_url(width, height, path)};")
    for name, target in dict(_ICON_ALIAS.findall(css)).items():
        extra.append(f"--handbook-icon-{name}:var(--handbook-icon-{target});")
    # Where a rule draws a --pst-icon with the font, it now sets the matching mask instead.
    css = re.sub(
        r"content:var\(--pst-icon-([a-z0-9-]+)\)",
        r'content:"";--handbook-icon:var(--handbook-icon-\1)',
        css,
    )
    css = css.replace("font:var(--fa-font-solid)", MASK)
    classes = (".fa", ".fa-solid", ".fas", ".fa-classic")
    # The icon element itself must not name the font either: Chromium fetches an element's
    # font to measure its line even when the element has no text.
    return (
        css + f"\n:root{{{''.join(extra)}}}\n{','.join(classes)}{{font-family:inherit}}\n"
        f"{','.join(f'{name}:before' for name in classes)}{{{MASK}}}\n"
        ".fa-fw{--handbook-icon-width:1.25em}\n"
    )


# -- Unused rules -----------------------------------------------------------------------------


def site_tokens(
    outdir: Path, wanted: Callable[[str], bool] = lambda token: True, cache: Path | None = None
) -> set[str]:
    """Every word of the built pages and of the scripts they load: any class they can use.

    Only the words ``wanted`` keeps are returned (the stylesheet's class names and icons).
    With a ``cache`` file, the words of each file are kept there by the file's size and
    modification time, so that a rebuild that writes four pages reads four pages, not every
    page of the site (at 800 pages, reading them all was a second of each one-page edit).
    The cache holds the words ``wanted`` kept: the caller names the file after what it wants.
    """
    stored: dict[str, list[object]] = {}
    if cache is not None and cache.is_file():
        with contextlib.suppress(ValueError, OSError):
            stored = json.loads(cache.read_text(encoding="utf-8"))
    tokens: set[str] = set()
    now: dict[str, list[object]] = {}
    files: Iterable[Path] = (*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js"))
    for path in files:
        if path.name in ("fontawesome.js", "searchindex.js"):
            continue  # the icon data and the word index: words, not class names
        status = path.stat()
        key, stamp = str(path.relative_to(outdir)), [status.st_size, status.st_mtime_ns]
        known = stored.get(key)
        if known is not None and known[:2] == stamp:
            words = known[2]
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
            words = sorted({token for token in _TOKEN.findall(text) if wanted(token)})
        now[key] = [*stamp, words]
        tokens.update(words)  # type: ignore[arg-type]
    if cache is not None and now != stored:
        cache.write_text(json.dumps(now), encoding="utf-8")
    return tokens


def _split_top(text: str, separator: str = ",") -> list[str]:
    """Split at separators outside parentheses and brackets (:is(a, b), [a="x,y"])."""
    parts, depth, start, quote_char = [], 0, 0, ""
    for index, char in enumerate(text):
        if quote_char:
            quote_char = "" if char == quote_char else quote_char
        elif char in "\"'":
            quote_char = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _selector_can_match(selector: str, tokens: set[str]) -> bool:
    # Classes inside :not() say what an element must not be: they never rule a selector out.
    positive = re.sub(r":not\((?:[^()]|\([^()]*\))*\)", "", selector)
    return all(
        name in tokens or name.startswith(KEEP_PREFIXES) for name in _CLASS.findall(positive)
    )


_SPECIAL = re.compile(r"""[{};"']|/\*""")


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs; a body is None for a statement such as @charset.
    One pass over the text: strings and comments are skipped whole, braces counted."""
    blocks: list[tuple[str, str | None]] = []
    depth, start, brace, index = 0, 0, -1, 0
    while (found := _SPECIAL.search(css, index)) is not None:
        char, index = found[0], found.end()
        if char == "/*":
            index = css.find("*/", index) + 2
            if index == 1:
                break
        elif char in "\"'":
            while index < len(css) and css[index] != char:
                index += 2 if css[index] == "\\" else 1
            index += 1
        elif char == "{":
            if depth == 0:
                brace = found.start()
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((css[start:brace], css[brace + 1 : found.start()]))
                start = index
        elif depth == 0:  # ";" ends a statement at the top level (@charset, @import)
            blocks.append((css[start:index], None))
            start = index
    return blocks


def prune(css: str, tokens: set[str]) -> str:
    """The stylesheet without the style rules that no element of the site can match."""
    kept: list[str] = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None:
            kept.append(prelude)
        elif head.startswith(("@media", "@supports", "@layer", "@container")):
            inner = prune(body, tokens)
            if inner.strip():
                kept.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@"):
            kept.append(f"{prelude}{{{body}}}")  # @font-face, @keyframes, @page: as they are
        else:
            selectors = [s for s in _split_top(prelude) if _selector_can_match(s, tokens)]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{body}}}")
    return "".join(kept)


# -- Build step -------------------------------------------------------------------------------


def slim_theme(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme

    outdir = Path(app.outdir)
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    stylesheet, script = theme / STYLESHEET, theme / ICON_SOURCE
    try:
        if not stylesheet.is_file() or not script.is_file():
            raise ThemeChanged(f"{STYLESHEET} or {ICON_SOURCE} is missing from the theme")
        css = stylesheet.read_text(encoding="utf-8")
        classes = frozenset(_CLASS.findall(css))
        # The words the pruning and the icons can use: the stylesheet's class names and the
        # icons' names. The cache is named after the stylesheet, which decides which they are.
        digest = hashlib.sha256(css.encode()).hexdigest()[:16]
        tokens = site_tokens(
            outdir,
            lambda token: token in classes or token.startswith("fa-"),
            Path(app.doctreedir) / f"handbook-theme-words-{digest}.json",
        )
        if not _ICON_RULE.search(css):
            raise ThemeChanged(f"no Font Awesome icon rules in {STYLESHEET}")
        icons = script.read_text(encoding="utf-8")
        # The slimmed stylesheet depends on the theme's two files and the words only: when
        # none changed (most edits), the last one is written again instead of recomputed.
        key = hashlib.sha256("\n".join([css, icons, *sorted(tokens)]).encode()).hexdigest()
        kept = Path(app.doctreedir) / "handbook-theme-stylesheet.css"
        kept_key = kept.with_suffix(".key")
        if kept.is_file() and kept_key.is_file() and kept_key.read_text() == key:
            slim = kept.read_text(encoding="utf-8")
        else:
            used = {token for token in tokens if token.startswith("fa-")}
            slim = prune(icon_css(css, used, solid_icons(icons)), tokens)
            kept.write_text(slim, encoding="utf-8")
            kept_key.write_text(key, encoding="utf-8")
        (outdir / "_static" / STYLESHEET).write_text(slim, encoding="utf-8")
    except ThemeChanged as error:
        logger.error(
            "theme_assets: %s; the theme was updated? See _ext/handbook/rendering/theme_assets.py",
            error,
        )


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("build-finished", slim_theme)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
