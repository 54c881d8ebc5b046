"""The theme's stylesheet, slimmed after the build (handbook.rendering.theme_assets).

What stays, what goes.

The browser tests check the outcome on the real site (icons drawn, page weight, axe); these
check the rules of the pruning itself on small stylesheets, where each case is visible.
"""

from __future__ import annotations

import json
from pathlib import Path

import pydata_sphinx_theme
from handbook.rendering import theme_assets

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"


def test_rules_for_absent_classes_go_and_the_rest_stays() -> None:
    css = (
        '@charset "UTF-8";.used{color:red}.absent{color:blue}.used .absent{margin:0}'
        ".absent,.used:hover{top:0}@media (min-width:10px){.absent{x:1}.used{y:2}}"
        "@media print{.absent{z:3}}@font-face{font-family:x;src:url(a.woff2)}"
        'a:not(.absent){color:green}.bs-tooltip-top{left:0}p{content:"{.absent}"}'
    )
    assert theme_assets.prune(css, {"used"}) == (
        '@charset "UTF-8";.used{color:red}.used:hover{top:0}@media (min-width:10px){.used{y:2}}'
        "@font-face{font-family:x;src:url(a.woff2)}a:not(.absent){color:green}"
        '.bs-tooltip-top{left:0}p{content:"{.absent}"}'
    )


def test_icons_in_use_become_svg_masks_and_the_others_go() -> None:
    icons = theme_assets.solid_icons((THEME / "static" / theme_assets.ICON_SOURCE).read_text())
    css = (
        '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-flask{--fa:"\\f0c3"}'
        ':root{--pst-icon-bell:"\\f0f3";--pst-icon-admonition-note:var(--pst-icon-bell)}'
        ".note:after{content:var(--pst-icon-admonition-note);font:var(--fa-font-solid)}"
    )
    slim = theme_assets.icon_css(css, {"fa-bars"}, icons)
    assert ".fa-bars{" in slim and "fa-flask" not in slim and "fa-navicon" not in slim
    assert '--handbook-icon:url("data:image/svg+xml,' in slim
    assert "--handbook-icon-admonition-note:var(--handbook-icon-bell)" in slim
    assert "font:var(--fa-font-solid)" not in slim
    assert '.note:after{content:"";--handbook-icon:var(--handbook-icon-admonition-note)' in slim


def test_the_words_of_unchanged_files_come_from_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "a.html").write_text('<p class="card-body fa-house">one</p>', encoding="utf-8")
    (site / "_static" / "x.js").write_text('el.classList.add("navbar-nav")', encoding="utf-8")
    cache = tmp_path / "words.json"
    wanted = {"card-body", "navbar-nav", "dropdown-menu"}.__contains__

    def keep(token: str) -> bool:
        return wanted(token) or token.startswith("fa-")

    first = theme_assets.site_tokens(site, keep, cache)
    assert first == {"card-body", "fa-house", "navbar-nav"}
    assert first == {t for t in theme_assets.site_tokens(site) if keep(t)}  # as without a cache
    # An unchanged file is not read again: its words are the cached ones.
    stored = json.loads(cache.read_text(encoding="utf-8"))
    stored["a.html"][2] = ["card-body"]
    cache.write_text(json.dumps(stored), encoding="utf-8")
    assert theme_assets.site_tokens(site, keep, cache) == {"card-body", "navbar-nav"}
    # A rewritten file is read again (its size changed), a deleted one forgotten.
    (site / "a.html").write_text('<ul class="dropdown-menu">two words</ul>', encoding="utf-8")
    (site / "_static" / "x.js").unlink()
    assert theme_assets.site_tokens(site, keep, cache) == {"dropdown-menu"}
    assert set(json.loads(cache.read_text(encoding="utf-8"))) == {"a.html"}
