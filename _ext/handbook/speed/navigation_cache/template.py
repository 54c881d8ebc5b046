"""The theme's sidebar for a page in no toctree, cut into literal text and slots.

Sphinx resolves the global toctree once, with a stand-in builder that answers every link
address with a token; tokens are also put on every list, list item and link. The theme's
own ``generate_toctree_html`` then turns that tree into its sidebar markup, and the HTML is
cut at every token. A page's sidebar is the pieces joined again, with its folder's link
addresses and, on the current page's branch, the marks Sphinx and the theme would add:
"current" and "active" classes, ``href="#"`` and unfolded sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from pydata_sphinx_theme.toctree import add_toctree_functions
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

#: A docname no page can have: the page whose sidebar marks nothing as current.
NEUTRAL_PAGE = "\x00navigation-cache"

# The tokens put into the neutral tree, and how each appears in the theme's HTML.
_LINK = "@navcache-link-{}@"
_SLOT = re.compile(
    r'(?P<href>href="@navcache-link-(?P<href_id>\d+)@(?P<anchor>[^"]*)")'
    r"|(?P<li> navcache-li-(?P<li_id>\d+))"
    r"|(?P<a>navcache-a-(?P<a_id>\d+) )"
    r'|(?P<ul_alone> class="navcache-ul-(?P<ul_alone_id>\d+)")'
    r"|(?P<ul>navcache-ul-(?P<ul_id>\d+) )"
    r'|(?P<details> data-navcache-open="(?P<details_id>\d+)")'
)
#: Changes the link addresses of a whole sidebar, in order.
Rewrite = Callable[[list[str]], list[str]]

# What a slot holds on a page that is not on its branch, and on one that is.
_NEUTRAL = {"li": "", "a": "", "ul_alone": "", "ul": "", "details": ""}
_CURRENT = {
    "li": " current active",
    "a": "current ",
    "ul_alone": ' class="current"',
    "ul": "current ",
    "details": ' open="open"',
}


class TokenisingBuilder:
    """Stands in for the builder while Sphinx resolves the neutral tree.

    Sphinx asks the builder for each link's relative address; answering with a token
    that names the target lets every page fill in its own addresses later.
    """

    def __init__(self, builder: Builder, targets: list[str]) -> None:
        self._builder = builder
        self._targets = targets

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        self._targets.append(to)
        return _LINK.format(len(self._targets) - 1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._builder, name)


@dataclass
class Branch:
    """The slots to mark when a page is the current one: its link and its ancestors."""

    link: int
    items: list[int]  # list items, the page's own first
    lists: list[int]  # bullet lists that contain it


@dataclass
class NavigationTemplate:
    """The theme's sidebar HTML for the neutral page, cut at every slot."""

    parts: list[str]  # literal text at even positions, slot defaults at odd ones
    slots: dict[tuple[str, int], list[int]]  # (kind, id) -> positions in parts
    anchors: dict[int, str]  # link id -> "#anchor" text after the address, if any
    targets: list[str]  # link id -> docname
    branches: dict[str, list[Branch]]  # docname -> the branches where it appears
    by_folder: dict[str, list[str]] = field(default_factory=dict)

    def for_page(
        self, builder: Builder, pagename: str, rewrite: Rewrite | None = None
    ) -> str | None:
        """The sidebar of one page, or None when only the theme can say (see below).

        ``rewrite`` changes the addresses as another extension changed the page's toctree
        (sphinx-notfound-page makes them absolute on the 404 page).
        """
        branches = self.branches.get(pagename, [])
        if len(branches) > 1:
            # A page listed twice: Sphinx marks both branches, with repeated classes.
            return None
        folder = builder.get_target_uri(pagename).rpartition("/")[0]
        if rewrite is not None:
            parts = self._fill_links(builder, folder, rewrite)
        elif (parts := self.by_folder.get(folder)) is None:
            parts = self.by_folder[folder] = self._fill_links(builder, folder)
        if not branches:
            return "".join(parts)
        parts = parts.copy()
        branch = branches[0]
        for position in self.slots.get(("href", branch.link), []):
            parts[position] = f'href="{self.anchors.get(branch.link) or "#"}"'
        for position in self.slots.get(("a", branch.link), []):
            parts[position] = _CURRENT["a"]
        for item in branch.items:
            for kind in ("li", "details"):
                for position in self.slots.get((kind, item), []):
                    parts[position] = _CURRENT[kind]
        for bullet_list in branch.lists:
            for kind in ("ul", "ul_alone"):
                for position in self.slots.get((kind, bullet_list), []):
                    parts[position] = _CURRENT[kind]
        return "".join(parts)

    def _fill_links(
        self, builder: Builder, folder: str, rewrite: Rewrite | None = None
    ) -> list[str]:
        """The neutral sidebar with the addresses of links from pages in one folder.

        Sphinx's relative address depends only on the page's folder, except from a page
        to itself (empty, "#"), which is the current page's slot and set per page.
        """
        base = f"{folder}/{NEUTRAL_PAGE}" if folder else NEUTRAL_PAGE
        links = sorted({link for kind, link in self.slots if kind == "href"})
        addresses = [
            relative_uri(base, builder.get_target_uri(self.targets[link]))
            + self.anchors.get(link, "")
            for link in links
        ]
        if rewrite is not None:
            addresses = rewrite(addresses)
        parts = self.parts.copy()
        for link, address in zip(links, addresses, strict=True):
            for position in self.slots[("href", link)]:
                parts[position] = f'href="{address}"'
        return parts


def _mark(tree: nodes.Element, targets: list[str]) -> dict[str, list[Branch]]:
    """Put a token class on every list, item and link; note each link's branch."""
    branches: dict[str, list[Branch]] = {}
    for number, bullet_list in enumerate(tree.findall(nodes.bullet_list)):
        bullet_list["classes"].append(f"navcache-ul-{number}")
    for number, item in enumerate(tree.findall(nodes.list_item)):
        item["classes"].append(f"navcache-li-{number}")
    for reference in tree.findall(nodes.reference):
        match = re.fullmatch(r"@navcache-link-(\d+)@(#.*)?", reference.get("refuri", ""))
        if not match:
            continue  # an external address: the same on every page
        link = int(match[1])
        reference["classes"].insert(0, f"navcache-a-{link}")
        items, lists = [], []
        for ancestor in _ancestors(reference):
            token = next((c for c in ancestor["classes"] if c.startswith("navcache-")), "")
            if isinstance(ancestor, nodes.list_item):
                items.append(int(token.rpartition("-")[2]))
            elif isinstance(ancestor, nodes.bullet_list):
                lists.append(int(token.rpartition("-")[2]))
        if not match[2]:  # Sphinx marks only links to the page itself, not to its sections
            branches.setdefault(targets[link], []).append(Branch(link, items, lists))
    return branches


def _ancestors(node: nodes.Node) -> Iterator[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _mark_folds(soup: Any) -> None:
    """Give each fold (``<details>``) of a listed page a slot for its "open" attribute."""
    for item in soup.find_all("li"):
        token = next((c for c in item.get("class", []) if c.startswith("navcache-li-")), None)
        details = item.find("details", recursive=False)
        if token and details is not None and not details.has_attr("open"):
            details["data-navcache-open"] = token.rpartition("-")[2]


def _cut(html: str) -> tuple[list[str], dict[tuple[str, int], list[int]], dict[int, str]]:
    parts: list[str] = []
    slots: dict[tuple[str, int], list[int]] = {}
    anchors: dict[int, str] = {}
    last = 0
    for match in _SLOT.finditer(html):
        kind = next(k for k in ("href", "li", "a", "ul_alone", "ul", "details") if match[k])
        number = int(match[f"{kind}_id"])
        parts.append(html[last : match.start()])
        if kind == "href":
            if match["anchor"]:
                anchors[number] = match["anchor"]
            parts.append("")  # filled per folder
        else:
            parts.append(_NEUTRAL[kind])
        slots.setdefault((kind, number), []).append(len(parts) - 1)
        last = match.end()
    parts.append(html[last:])
    return parts, slots, anchors


def build_template(
    app: Sphinx, kind: str, startdepth: int, show_nav_level: int, **kwargs: Any
) -> NavigationTemplate | None:
    """Ask the theme for the neutral sidebar and cut it; None if it cannot be cut."""
    builder = app.builder
    targets: list[str] = []
    tree = global_toctree_for_doc(
        app.env,
        NEUTRAL_PAGE,
        TokenisingBuilder(builder, targets),  # type: ignore[arg-type]
        tags=builder.tags,
        collapse=bool(kwargs.get("collapse", True)),
        includehidden=bool(kwargs.get("includehidden", False)),
        maxdepth=int(kwargs.get("maxdepth") or 0),
        titles_only=bool(kwargs.get("titles_only", False)),
    )
    branches = _mark(tree, targets) if tree is not None else {}
    fragment = builder.render_partial(tree)["fragment"]  # type: ignore[attr-defined]
    context: dict[str, Any] = {"toctree": lambda **_: fragment, "theme_external_links": []}
    add_toctree_functions(app, NEUTRAL_PAGE, "page.html", context, None)
    soup = context["generate_toctree_html"](kind, startdepth, show_nav_level, **kwargs)
    _mark_folds(soup)
    parts, slots, anchors = _cut(str(soup))
    if any("navcache" in part for part in parts[::2]):
        logger.warning(
            "navigation_cache: the theme's sidebar markup changed; the sidebar "
            "is built page by page again (slow)",
            type="navigation_cache",
        )
        return None
    return NavigationTemplate(parts, slots, anchors, targets, branches)
