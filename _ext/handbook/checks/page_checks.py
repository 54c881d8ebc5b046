"""Pages that would break a promise to readers fail the build, at the line that does it.

Two promises: every page has something to read, and the site loads nothing from third-party
hosts (it works offline and tells no one what a reader reads). So:

- an empty page (nothing but blank lines, or front matter alone) is an error;
- a page's raw HTML may not hold a ``<script>`` (JavaScript belongs in ``_static/``, loaded
  by ``conf.py``, where it is reviewed once), and nothing in a page may load a resource
  (script, stylesheet, image, frame, media, font) from another host;
- two headings with the same words on one page (their anchors clash) are an error;
- the written HTML is scanned as well, so a template or a theme option that adds a CDN asset
  fails the build too, naming the output page and the address.

Links (``<a href>``) to other sites are fine: following one is the reader's choice.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Attributes that make the browser fetch something as the page loads.
LOADING_ATTRIBUTES = {"src", "srcset", "data", "poster", "background"}
#: ``<link rel=...>`` values that fetch (a plain ``rel="canonical"`` does not).
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "preconnect",
    "dns-prefetch",
}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(
    r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.IGNORECASE
)
FIX = (
    "copy the file into _static/ (or beside the page) and refer to it there: the "
    "handbook loads nothing from other hosts"
)


def _host(url: str) -> str:
    return re.sub(r"^\s*(https?:)?//", "", url).split("/", 1)[0]


class _LoadFinder(HTMLParser):
    """Collect what an HTML fragment would fetch from other hosts, and its script tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.external: list[tuple[int, str, str]] = []  # (line in fragment, tag, url)
        self.scripts: list[int] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self.scripts.append(line)
        if tag == "style":
            self._in_style = True
        rels = set(values.get("rel", "").lower().split())
        candidates = [values[name] for name in LOADING_ATTRIBUTES if name in values]
        if tag == "link" and rels & LOADING_RELS and "href" in values:
            candidates.append(values["href"])
        for value in candidates:
            for url in (part.strip().split(" ")[0] for part in value.split(",")):
                if EXTERNAL.match(url):
                    self.external.append((line, tag, url.strip()))
        self.external += [(line, tag, url) for url in CSS_URL.findall(values.get("style", ""))]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            line = self.getpos()[0]
            self.external += [(line, "style", url) for url in CSS_URL.findall(data)]


def _scan(html: str) -> _LoadFinder:
    finder = _LoadFinder()
    finder.feed(html)
    finder.close()
    return finder


# A slash as HTML may write it in an attribute (the parser decodes character references).
_SLASH = r"(?:/|&#0*47;?|&#x0*2f;?|&sol;)"
#: Text without which a page can load nothing from another host, apart from <link> tags:
#: a fetching attribute whose value holds "//", or a CSS url() or @import of an address.
#: It may match more than _LoadFinder reports (then the page is parsed), never less.
_MAY_LOAD = re.compile(
    rf"""\b(?:src|srcset|data|poster|background)\s*=\s*["']?[^"'>]*?{_SLASH}{_SLASH}"""
    rf"""|url\(\s*['"]?\s*(?:https?:)?{_SLASH}{_SLASH}"""
    rf"""|@import\s+['"]?\s*(?:https?:)?{_SLASH}{_SLASH}""",
    re.IGNORECASE,
)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
#: Words that start every match of _MAY_LOAD ("srcset" starts with "src"), found with
#: str.find: a regular expression tried at every character costs ten times as much.
_MAY_LOAD_STARTS = ("src", "data", "poster", "background", "url(", "@import")


def _may_load(html: str) -> bool:
    """Whether the page holds any text that _MAY_LOAD matches."""
    lowered = html.lower()
    for word in _MAY_LOAD_STARTS:
        start = lowered.find(word)
        while start != -1:
            if _MAY_LOAD.match(lowered, start):
                return True
            start = lowered.find(word, start + 1)
    return False


def _external_loads(html: str) -> list[tuple[int, str, str]]:
    """What a written page loads from other hosts: ``(line, tag, url)``.

    The same findings as parsing the whole page, at a fraction of the cost: every page has
    links to other sites and a canonical ``<link>``, but a page with none of the text
    ``_MAY_LOAD`` looks for can only load through a ``<link>`` tag, so only those are parsed.
    """
    if _may_load(html):
        return _scan(html).external
    found = []
    for tag in _LINK_TAG.finditer(html):
        line = html.count("\n", 0, tag.start())
        found += [(line + at, name, url) for at, name, url in _scan(tag.group()).external]
    return found


# -- Sources ----------------------------------------------------------------------------------


def _body_of(source: str) -> str:
    """The page's text without its YAML front matter."""
    if source.startswith("---"):
        match = re.match(r"---[ \t]*\n.*?\n---[ \t]*(\n|$)", source, re.DOTALL)
        if match:
            return source[match.end() :]
    return source


def check_not_empty(app: Sphinx, docname: str, source: list[str]) -> None:
    """An empty page gives the reader a blank screen and a title-less link."""
    if not _body_of(source[0]).strip():
        logger.error(
            "the page is empty: give it a title ('# Title') and some text, or delete "
            "the file and its entry in the section's toctree",
            location=(docname, 1),
        )


def check_raw_html(app: Sphinx, doctree: nodes.document) -> None:
    """Raw HTML in a page: no scripts, nothing fetched from another host."""
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        found = _scan(node.astext())
        start = node.line or 1
        for line in found.scripts:
            logger.error(
                "a <script> in a page: put the JavaScript in _static/ and load it "
                "from html_js_files in conf.py, where it is reviewed once",
                location=(app.env.docname, start + line - 1),
            )
        for line, tag, url in found.external:
            logger.error(
                f"<{tag}> loads {url} from the third-party host {_host(url)}; {FIX}",
                location=(app.env.docname, start + line - 1),
            )
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if EXTERNAL.match(uri):
            logger.error(
                f"the image {uri} is loaded from the third-party host {_host(uri)}; {FIX}",
                location=image,
            )


def check_repeated_headings(app: Sphinx, doctree: nodes.document) -> None:
    """Two headings with the same words on one page share one anchor (the second gets a -1
    that no author wrote): a link to it lands on the first. Docutils notes this only as
    information, so it is raised to an error here, at the second heading."""
    seen: set[str] = set()
    for section in doctree.findall(nodes.section):
        if not section.get("dupnames") or section.get("names"):
            continue
        name = section["dupnames"][0]
        if name not in seen:
            seen.add(name)  # the first of them keeps the anchor
        else:
            title = section[0].astext() if section.children else name
            logger.error(
                f"the heading '{title}' appears twice on this page, so links to it "
                "reach only the first: reword one, or merge the two sections",
                location=section,
            )


# -- Output -----------------------------------------------------------------------------------


def check_written_pages(app: Sphinx, exception: BaseException | None) -> None:
    """Scan the HTML written by this build for third-party loads (templates, theme options)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    started = getattr(app, "handbook_build_started", 0.0)
    first_seen: dict[str, tuple[Path, int, str]] = {}
    counts: dict[str, int] = {}
    for page in outdir.rglob("*.html"):
        if page.stat().st_mtime < started:
            continue  # written by an earlier build, and checked then
        for line, tag, url in _external_loads(page.read_text(encoding="utf-8", errors="replace")):
            first_seen.setdefault(url, (page, line, tag))
            counts[url] = counts.get(url, 0) + 1
    for url, (page, line, tag) in sorted(first_seen.items()):
        others = counts[url] - 1
        also = f" (and {others} more place{'s' if others != 1 else ''})" if others else ""
        logger.error(
            f"the built page loads {url} from the third-party host {_host(url)} "
            f"through a <{tag}>{also}: a template, theme option or html_*_files "
            f"setting in conf.py adds it; {FIX}",
            location=f"{page}:{line}",
        )


def note_build_start(app: Sphinx) -> None:
    import time

    app.handbook_build_started = time.time() - 1  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", note_build_start)
    app.connect("source-read", check_not_empty)
    app.connect("doctree-read", check_raw_html)
    app.connect("doctree-read", check_repeated_headings)
    app.connect("build-finished", check_written_pages)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
