"""The sidebar's site navigation (handbook.speed.navigation_cache): complete, marked, and the
same HTML as the theme's own, on the real handbook and on a small site
(tests/roots/test-navigation).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import Build, edit
from sphinx.testing.util import SphinxTestApp

# The small site's tests build sphinx.testing's `app` (a copy of tests/roots/test-navigation,
# whose _templates/ links to the handbook's sidebar template); the real handbook's tests are
# marked `site` (`pytest -m site` runs that kind alone).
pytestmark = pytest.mark.sphinx("html", testroot="navigation", copy_test_root=True)

#: sphinx.testing's ``make_app`` fixture: an application that it cleans up itself.
MakeApp = Callable[..., SphinxTestApp]
NAV = re.compile(r'<nav class="bd-links bd-docs-nav".*?</nav>', re.DOTALL)
# The theme's max_navbar_depth: deeper pages are not in the sidebar.
MAX_DEPTH = 4


def sidebar(html: str) -> str:
    """The site navigation of a page: the block the theme and the cache both write."""
    match = NAV.search(html)
    assert match, "no site navigation in the page"
    return match[0]


def sidebar_links(html: str) -> list[Tag]:
    return BeautifulSoup(sidebar(html), "html.parser").select("a.reference.internal")


# -- The real handbook ----------------------------------------------------------------------
def toctree_pages(site: Build) -> dict[str, int]:
    """Every page in the root toctree, with its depth, from the build's own environment."""
    with (site.html / ".doctrees" / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)  # written by the build this session just ran
    depths: dict[str, int] = {}
    level = [(env.config.root_doc, 0)]
    while level:
        docname, depth = level.pop()
        for child in env.toctree_includes.get(docname, []):
            if child not in depths:
                depths[child] = depth + 1
                level.append((child, depth + 1))
    return depths


def page_of(site: Build, link: Tag, page: Path) -> str:
    """The docname a sidebar link points to, from the page it appears on."""
    address = link["href"].split("#")[0]
    target = (page.parent / address).resolve() if address else page
    return target.relative_to(site.html.resolve()).with_suffix("").as_posix()


@pytest.mark.site
def test_every_page_lists_the_whole_section_tree(site: Build) -> None:
    expected = {d for d, depth in toctree_pages(site).items() if depth <= MAX_DEPTH}
    assert len(expected) > 40, "the handbook's toctree should hold every section and page"
    for name in (
        "index",
        "research/programmes/t2k",
        "onboarding/getting-to-kashiwa",
        "institutions/kek",
        "genindex",
    ):
        page = (site.html / f"{name}.html").resolve()
        listed = {page_of(site, a, page) for a in sidebar_links(page.read_text("utf-8"))}
        listed.discard("index")  # the home link the theme adds above the tree
        assert listed == expected, (
            f"{name}: missing {sorted(expected - listed)[:5]}, "
            f"extra {sorted(listed - expected)[:5]}"
        )


@pytest.mark.site
def test_current_page_is_marked_and_its_ancestors_unfolded(site: Build) -> None:
    html = (site.html / "research" / "programmes" / "t2k.html").read_text("utf-8")
    soup = BeautifulSoup(sidebar(html), "html.parser")
    [current] = soup.select("a.current")
    assert current["href"] == "#"
    assert current.get_text(strip=True) == "T2K"
    item = current.find_parent("li")
    assert {"current", "active"} <= set(item["class"])
    ancestors = [li for li in item.find_parents("li")]
    assert [a.find("a", recursive=False).get_text(strip=True) for a in ancestors] == ["Research"]
    for ancestor in ancestors:
        assert {"current", "active", "has-children"} <= set(ancestor["class"])
        assert ancestor.find("details", recursive=False).has_attr("open")
    # Other sections stay folded; only the current branch is marked.
    marked = [li for li in soup.select("li.current")]
    assert marked == [*reversed(ancestors), item]  # in document order
    folded = [li for li in soup.select("li.has-children") if li not in ancestors]
    assert folded and not any(li.find("details", recursive=False).has_attr("open") for li in folded)


@pytest.mark.site
def test_every_listed_page_marks_itself_once(site: Build) -> None:
    for docname in toctree_pages(site):
        page = site.html / f"{docname}.html"
        current = BeautifulSoup(sidebar(page.read_text("utf-8")), "html.parser").select("a.current")
        assert len(current) == 1 and current[0]["href"] == "#", docname
    for special in ("index", "genindex", "search", "404"):
        html = (site.html / f"{special}.html").read_text("utf-8")
        assert 'a class="current' not in sidebar(html), special


# -- The small site: cache against theme ---------------------------------------------------
def sidebars(app: SphinxTestApp) -> dict[str, str]:
    """Every page's sidebar in a finished build, by page path."""
    return {
        p.relative_to(app.outdir).as_posix(): sidebar(p.read_text("utf-8"))
        for p in sorted(app.outdir.rglob("*.html"))
        if "_static" not in p.parts
    }


def theme_and_cache(
    make_app: MakeApp, rootdir: Path, builddir: Path, builder: str = "html", **options: object
) -> tuple[dict[str, str], SphinxTestApp]:
    """The sidebars the theme writes by itself (navigation_cache = False), and the
    application that builds the same site with the cache. Nothing is edited, so both read the
    test root itself, each into its own build folder."""
    srcdir = rootdir / "test-navigation"
    theme = make_app(
        builder,
        srcdir=srcdir,
        builddir=builddir / "theme",
        confoverrides={"navigation_cache": False},
    )
    theme.build()
    theme.cleanup()  # docutils' registries are global: one application at a time
    cached = make_app(builder, srcdir=srcdir, builddir=builddir / "cached", **options)
    return sidebars(theme), cached


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel"])
def test_cached_sidebars_are_the_themes_own(
    make_app: MakeApp, rootdir: Path, tmp_path: Path, parallel: int
) -> None:
    theme_sidebars, app = theme_and_cache(
        make_app, rootdir, tmp_path, parallel=parallel, verbosity=1
    )
    app.build()
    assert app.warning.getvalue() == ""
    cached = sidebars(app)
    if not parallel:  # every page from the cache but the one listed twice (section B's)
        assert (
            "navigation_cache: 13 sidebars from the cache, 1 from the theme; 0 cut "
            "sidebars kept from the previous build" in app.status.getvalue()
        )
    assert cached.keys() == theme_sidebars.keys()
    assert len(cached) >= 12  # the pages, the 404 page, genindex and search
    for page, html in cached.items():
        assert html == theme_sidebars[page], page
    leaf = BeautifulSoup(cached["section-a/deep/leaf.html"], "html.parser")
    assert [a.get_text() for a in leaf.select("li.current > a")] == [
        "Section A",
        "Deep section",
        "Leaf four levels down",
    ]
    assert 'href="/site/section-a/index.html"' in cached["404.html"]  # absolute on 404


def test_cached_sidebars_are_the_themes_own_with_dirhtml(
    make_app: MakeApp, rootdir: Path, tmp_path: Path
) -> None:
    theme, app = theme_and_cache(make_app, rootdir, tmp_path, "dirhtml")
    app.build()
    cached = sidebars(app)
    assert cached == theme
    assert 'href="../deep/leaf/"' in cached["section-a/page-1/index.html"]


def test_a_rebuild_shows_a_page_added_to_the_tree(app: SphinxTestApp) -> None:
    """The cache is made again at each build, so a new page appears where Sphinx rewrites."""
    app.build()
    (app.srcdir / "section-a" / "page-3.md").write_text("# Page three\n", encoding="utf-8")
    edit(app.srcdir / "section-a" / "index.md", "page-2\n", "page-2\npage-3\n")
    app.build()
    out = app.outdir
    assert 'href="page-3.html">Page three' in sidebar(
        (out / "section-a" / "index.html").read_text("utf-8")
    )
    new = BeautifulSoup(
        sidebar((out / "section-a" / "page-3.html").read_text("utf-8")), "html.parser"
    )
    assert [a.get_text() for a in new.select("a.current")] == ["Page three"]


@pytest.mark.sphinx(verbosity=1)
def test_an_unchanged_tree_is_kept_between_builds_and_a_new_title_is_not(
    app: SphinxTestApp,
) -> None:
    """The cut sidebar is reused only while the pages' titles and toctrees are the same."""
    status, root = app.status, app.srcdir
    app.build()
    status.seek(0), status.truncate()
    (root / "section-a" / "page-2.md").write_text(
        "# Page *two* with `code` and $E = mc^2$\n\nNew text.\n", encoding="utf-8"
    )
    app.build()  # the body changed, not the title: the sidebar is the same
    assert "1 cut sidebars kept from the previous build" in status.getvalue()
    status.seek(0), status.truncate()
    (root / "section-a" / "page-1.md").write_text("# Page one, renamed\n", encoding="utf-8")
    app.build()
    assert "0 cut sidebars kept from the previous build" in status.getvalue()
    for page in ("section-a/page-1.html", "section-a/index.html"):  # the pages Sphinx rewrites
        assert ">Page one, renamed</a>" in sidebar((app.outdir / page).read_text("utf-8")), page
