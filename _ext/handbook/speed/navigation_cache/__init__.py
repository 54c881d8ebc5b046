"""The sidebar's site navigation, computed once per build instead of once per page.

Every page of the handbook shows the whole site tree in its left sidebar. The theme
(sphinx-book-theme's ``sbt-sidebar-nav.html``, through pydata-sphinx-theme's
``generate_toctree_html``) builds that tree for each page from scratch: Sphinx resolves and
copies the global toctree (``global_toctree_for_doc``), renders it to HTML, and the theme
parses the HTML again with BeautifulSoup to add its classes and fold buttons. That is work
in proportion to the number of pages, done once per page: the build time grows with the
square of the page count, and at 800 pages the sidebar alone took most of the build.

The tree is the same on every page except for two things: the links are relative to the
page's folder, and the current page and its ancestors are marked ("current" and "active"
classes, ``href="#"``, their sections unfolded). So this extension asks the theme, once per
build and writing process, for the sidebar of a page that is in no toctree, with every
link, list item, list and fold marked by a token. It cuts that HTML into literal pieces and
slots, fills the link slots once per folder, and for each page only rewrites the few slots
on the current page's branch. The markup is the theme's own, produced by the theme's own
code; the tests compare both outputs page by page.

``_templates/sbt-sidebar-nav.html`` hands this function to the theme's template under the
name the template calls. The cache serves only the sidebar the handbook uses (the whole
tree, from the root, not collapsed). The theme's own function still serves any other
request, a builder with other link rules (singlehtml), a page listed in two toctrees
(Sphinx then marks both branches) and a page whose ``toctree`` another extension replaced;
the 404 page of sphinx-notfound-page is served, with the absolute addresses that
extension's ``replace_uris`` gives. Set ``navigation_cache = False`` to compare; with
``-v`` the build says how many sidebars came from the cache. If the theme's markup ever
stops matching, the build warns (type ``navigation_cache``) and falls back to the theme.

Safety: each write phase starts with an empty cache, so an incremental build never shows
an old tree; the cut sidebar may come from the previous build only when a fingerprint of
everything it is made from matches (``stored.py``). The cache lives in the writing process:
parallel writers inherit the one the main process made before forking, or make their own.
The cutting itself is in ``template.py``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from . import stored
from .template import NavigationTemplate, Rewrite, build_template

logger = logging.getLogger(__name__)

#: Where the ``toctree`` function of a page's template context comes from: Sphinx, or
#: sphinx-notfound-page on the 404 page.
SPHINX_TOCTREE_MODULE = StandaloneHTMLBuilder.__module__
NOTFOUND_TOCTREE_MODULE = "notfound.extension"


@dataclass
class BuildCache:
    """What one writing process knows about the current build's navigation."""

    # A page's "tocdepth" prunes its entry differently on its own branch: no cache then.
    uniform: bool
    templates: dict[tuple, NavigationTemplate | None] = field(default_factory=dict)
    served: int = 0  # sidebars written from the cache by this process
    delegated: int = 0  # and by the theme's own function
    reused: int = 0  # cut sidebars taken from the previous build


# One cache per builder, emptied when its write phase starts.
_caches: weakref.WeakKeyDictionary[Builder, BuildCache] = weakref.WeakKeyDictionary()


def build_cache(app: Sphinx) -> BuildCache:
    cache = _caches.get(app.builder)
    if cache is None:
        uniform = not any("tocdepth" in meta for meta in app.env.metadata.values())
        cache = _caches[app.builder] = BuildCache(uniform)
    return cache


def cacheable(app: Sphinx, kind: str, startdepth: int, show_nav_level: int, **kwargs: Any) -> bool:
    """Only the whole, unfolded tree is the same on every page; only for plain links."""
    return (
        kind == "sidebar"
        and startdepth == 0
        and int(show_nav_level) >= 1
        and not kwargs.get("collapse", True)
        # Sphinx's own relative addresses; singlehtml, for one, has its own rules.
        and type(app.builder).get_relative_uri is Builder.get_relative_uri
        and build_cache(app).uniform
    )


def address_rewrite(app: Sphinx, context: dict[str, Any]) -> tuple[bool, Rewrite | None]:
    """Can the cache serve this page, and with which change to the addresses?

    The page's ``toctree`` function is normally Sphinx's own. sphinx-notfound-page
    replaces it on the 404 page with one that makes every address absolute, with its own
    ``replace_uris``: the cache applies that same function to its addresses. Any other
    replacement is unknown, and the theme's own function serves the page.
    """
    source = getattr(context.get("toctree"), "__module__", None)
    if source == SPHINX_TOCTREE_MODULE:
        return True, None
    if source == NOTFOUND_TOCTREE_MODULE:
        from notfound.utils import replace_uris

        def absolute(addresses: list[str]) -> list[str]:
            holder = nodes.paragraph(
                "", "", *(nodes.reference("", "", refuri=address) for address in addresses)
            )
            replace_uris(app, holder, nodes.reference, "refuri")
            return [reference["refuri"] for reference in holder.findall(nodes.reference)]

        return True, absolute
    return False, None


def template_for(app: Sphinx, request: tuple) -> NavigationTemplate | None:
    """The cut sidebar for one request: this build's, the previous build's, or a new one."""
    cache = build_cache(app)
    if request not in cache.templates:
        print_ = stored.fingerprint(app, request)
        template = stored.load(app, request, print_)
        if template is not None:
            cache.reused += 1
        else:
            kind, startdepth, show_nav_level, options = request
            template = build_template(app, kind, startdepth, show_nav_level, **dict(options))
            if template is not None:
                stored.save(app, request, print_, template)
        cache.templates[request] = template
    return cache.templates[request]


def sidebar_navigation(app: Sphinx, pagename: str, context: dict[str, Any]) -> Callable:
    """A drop-in ``generate_toctree_html`` for one page, served from the build's cache."""
    results: dict[tuple, Any] = {}

    def generate_toctree_html(
        kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs: Any
    ) -> Any:
        key = (kind, startdepth, show_nav_level, tuple(sorted(kwargs.items())))
        if key in results:  # the theme renders the sidebar twice per page
            return results[key]
        html = None
        served, rewrite = address_rewrite(app, context)
        if (
            served
            and cacheable(app, kind, startdepth, show_nav_level, **kwargs)
            and (template := template_for(app, key)) is not None
        ):
            html = template.for_page(app.builder, pagename, rewrite)
        if html is None:  # not cacheable: the theme's own function, as if we were not here
            html = context["generate_toctree_html"](kind, startdepth, show_nav_level, **kwargs)
            build_cache(app).delegated += 1
        else:
            build_cache(app).served += 1
        results[key] = html
        return html

    return generate_toctree_html


def offer_to_template(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if app.config.navigation_cache:
        context["navigation_cache_toctree_html"] = sidebar_navigation(app, pagename, context)


def start_afresh(app: Sphinx, builder: Builder) -> None:
    """The toctrees may have changed since the last write: forget the old navigation."""
    _caches.pop(builder, None)


def report(app: Sphinx, exception: Exception | None) -> None:
    """With ``-v``: how many sidebars the cache wrote (in this process; workers not counted)."""
    cache = _caches.get(app.builder)
    if cache is not None:
        logger.verbose(
            "navigation_cache: %d sidebars from the cache, %d from the theme; "
            "%d cut sidebars kept from the previous build",
            cache.served,
            cache.delegated,
            cache.reused,
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("navigation_cache", True, "html", types=frozenset({bool}))
    app.connect("write-started", start_afresh)
    app.connect("html-page-context", offer_to_template)
    app.connect("build-finished", report)
    app.connect("doctree-read", stored.note_page)
    app.connect("env-purge-doc", stored.purge)
    app.connect("env-merge-info", stored.merge)
    return {
        "version": "1.1",
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
