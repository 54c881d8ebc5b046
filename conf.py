"""Sphinx configuration of the ILANCE Handbook.

One flat file of settings, grouped by topic. Each non-obvious setting says why it is there.
Markup lives in templates: the 404 page in _templates/404.html, the book's LaTeX preamble and
title page in _templates/latex/.
The build never touches the network: no intersphinx inventories, no downloads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "_ext"))  # our own extensions live in _ext/

from handbook.speed.speedups import speed_extensions  # noqa: E402  (from _ext/, just added)

with (HERE / "pyproject.toml").open("rb") as pyproject_file:
    PYPROJECT = tomllib.load(pyproject_file)["project"]


# -- Edition: what the sources are -------------------------------------------


def _git(*args: str) -> str | None:
    """What a git command prints about the sources, or None outside a git checkout."""
    try:
        return (
            subprocess.run(
                ["git", *args],
                cwd=HERE,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.CalledProcessError):
        return None


def _edition() -> date:
    """The date of the sources, so that two builds of one commit say the same: the last
    commit's date; outside git, SOURCE_DATE_EPOCH (reproducible-builds.org), else today."""
    if committed := _git("log", "-1", "--format=%cs"):
        return date.fromisoformat(committed)
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


EDITION = _edition()
REVISION = _git("rev-parse", "--short", "HEAD") or "not a git checkout"
# A copy without .git (a source archive, a test's copy) builds without "Last updated" dates,
# instead of failing on git's "not a git repository" once per folder.
IN_GIT_CHECKOUT = _git("rev-parse", "--is-inside-work-tree") == "true"

# -- Project -----------------------------------------------------------------
project = "ILANCE Handbook"
author = "ILANCE Handbook contributors"
copyright = f"2021–{EDITION.year}, {author}"
release = PYPROJECT["version"]
language = "en"

# -- General -----------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_book_theme",
    # Our own: the package _ext/handbook/, one subpackage per purpose (its __init__ lists
    # them). The order matters where noted.
    # checks/: bad input is "path:line: ERROR: what to change", never a traceback (first, so
    # that it sees every other extension's errors).
    "handbook.checks.located_errors",
    "handbook.checks.page_checks",  # no empty pages, no scripts, nothing from other hosts
    "handbook.checks.unique_labels",  # a label on two pages, in parallel builds too
    "handbook.i18n.messages",  # the catalogue of text our extensions generate
    "handbook.i18n.addresses",  # a translation's pages name their own address (fr/, ja/)
    # citations/: author lists cut to "et al."; before sphinxcontrib-bibtex reads styles.
    "handbook.citations.bibliography_style",
    # rendering/ and content/:
    "handbook.rendering.svg_figures",  # SVG drawn at build time, converted for the PDF
    "handbook.rendering.book_layout",  # the book drops sections of web-only footnotes
    "handbook.content.knowledge_base",  # programme and institution front matter, catalogues
    "handbook.content.meeting_planner",  # France–Japan working-hours overlap
    "handbook.content.trip_footprint",  # great-circle distances and CO2e of trips
    "handbook.content.route_diagram",  # routes from the airports to Kashiwa, from data
    # speed/: build speed only, never the output (bibtex_cache, bibtex_index,
    # navigation_cache, quick_rebuilds). HANDBOOK_SPEEDUPS=0 leaves them all out.
    *speed_extensions(os.environ.get("HANDBOOK_SPEEDUPS")),
    "handbook.i18n.translation_status",  # status table; notes on partly translated pages
    "handbook.content.page_review",  # owners, review dates, review schedule, review.json
    "handbook.rendering.mathml_math",  # LaTeX to MathML at build time: no script, no CDN
    "handbook.search.search_japanese",  # the English search also splits Japanese words
    "handbook.content.publication_lists",  # papers harvested from INSPIRE-HEP and HAL
    "handbook.rendering.header_buttons",  # no download of unpublished sources; the PDF
    "handbook.rendering.theme_assets",  # the theme's CSS without unused rules; SVG icons
    "handbook.rendering.japanese_text",  # Japanese runs in other languages get lang="ja"
    # Reader experience, from PyPI (settings under "Reader experience" below):
    # "Last updated" on each page, from git history (only in a git checkout, see above):
    *(["sphinx_last_updated_by_git"] if IN_GIT_CHECKOUT else []),
    "handbook.rendering.link_previews",  # og:title, og:description, og:url; description
    "sphinx_sitemap",  # sitemap.xml for search engines
    "notfound.extension",  # a 404 page with working links at any depth
    "handbook.links.linkcheck_bounds",  # `make linkcheck` always ends, with reasons
    "sphinx_reredirects",  # moved pages keep their old addresses (see `redirects` below)
]
# Only Markdown pages; READMEs and tooling folders are for contributors, not readers.
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    ".github",
    "tests",
    "tools",
    "benchmarks",  # the build benchmark's code and reports (`make bench`)
    "_ext",  # our extensions' code, and their list of private APIs (PRIVATE_APIS.md)
    "README.md",
    "CONTRIBUTING.md",
    "**/README.md",
    "research/glossary-terms",  # fragments included by research/glossary.md
    "bib/publications/*.md",  # the HAL report, written by `make publications` for contributors
]
root_doc = "index"
# Old address (docname) -> new page, for pages that moved. Never remove an entry:
# tests/page-addresses.txt lists every address ever published.
redirects: dict[str, str] = {}
# Every cross-reference must resolve: an unresolved one is a broken promise to the reader.
nitpicky = True
templates_path = ["_templates"]

# -- MyST --------------------------------------------------------------------
myst_enable_extensions = [
    "colon_fence",  # ::: fences keep directive bodies readable as Markdown
    "deflist",
    "dollarmath",
    "amsmath",
    "substitution",
    "tasklist",  # onboarding checklists
    "attrs_inline",
]
# Anchors for headings down to level 3, so `[text](page.md#heading)` links work.
myst_heading_anchors = 3
myst_substitutions = {
    "ilance_full_name": "International Laboratory for Astrophysics, Neutrino and Cosmology "
    "Experiments",
}

# -- Bibliography ------------------------------------------------------------
# One .bib file per field; all of them are read, so any page may cite any entry. The harvested
# snapshots in bib/publications/ are not among them, on purpose (bib/*.bib is not recursive): their
# INSPIRE texkeys and unchecked entries are listed by _ext/handbook/content/publication_lists.py
# instead.
bibtex_bibfiles = sorted(str(p.relative_to(HERE)) for p in (HERE / "bib").glob("*.bib"))
# "handbook" (from _ext/handbook/citations/bibliography_style.py): unsrt, with "et al." for long
# author lists.
bibtex_default_style = "handbook"
# UTF-8 that reads on past a bad byte, once _ext/handbook/checks/located_errors.py has reported the
# file and line (sphinxcontrib-bibtex alone stops with a traceback naming neither).
bibtex_encoding = "handbook-utf-8"
# In-text citations read "T2K Collaboration et al. (2020)", as physicists write them.
bibtex_reference_style = "author_year_et_al"
# Footnote citations, {footcite:t} included, with the same "et al."
# (_ext/handbook/citations/bibliography_style.py).
bibtex_foot_reference_style = "foot_et_al"

# -- Theme -------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "ILANCE Handbook"
html_static_path = ["_static"]
html_css_files = ["handbook.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "repository_url": PYPROJECT["urls"]["Repository"],
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": True,
    "use_edit_page_button": True,
    "use_issues_button": True,
    "use_download_button": True,
    # Results appear while typing: readers look up names more than they browse.
    "search_as_you_type": True,
    "home_page_in_toc": True,
    "logo": {
        "image_light": "_static/logo-light.svg",
        "image_dark": "_static/logo-dark.svg",
        "alt_text": "ILANCE Handbook — home",
    },
    "show_toc_level": 2,
    # The site's name beside the menu button: on a phone the sidebar, and its logo, are hidden.
    "article_header_start": ["toggle-primary-sidebar.html", "handbook-site-name.html"],
}

# The theme's sidebar, plus the PDF link on every page (the language switcher is above the
# article: _templates/layout.html).
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "pdf-download.html",
    ],
}
# `make all` builds the PDF first; the HTML build then publishes it at the site's root.
_BOOK = Path(os.environ.get("HANDBOOK_PDF") or "/nonexistent").resolve()
html_extra_path = [str(_BOOK.parent)] if _BOOK.is_file() else []

# -- HTML --------------------------------------------------------------------
html_copy_source = False  # the edit button links to the real source on the repository
html_show_sourcelink = False
# Graphviz figures (the organisation diagram) as SVG: sharp, searchable, small.
graphviz_output_format = "svg"

# -- Reader experience (browser: offline math, search, accessibility, metadata) ----------
# Equations are MathML written at build time (_ext/handbook/rendering/mathml_math.py): no MathJax,
# no CDN.
html_math_renderer = "mathml"
html_js_files = [
    # The search index and language data, loaded on first use of search instead of on every
    # page (_templates/layout.html drops them from the theme's <head>).
    ("search-on-demand.js", {"defer": "defer"}),
    # Accessible names for MyST task-list checkboxes and graphviz diagrams.
    ("accessibility.js", {"defer": "defer"}),
    # Wide tables as cards and wide figures in scrolling boxes on a phone.
    ("responsive.js", {"defer": "defer"}),
]
# "auto" follows the reader's system setting until they choose; the theme's empty default
# makes it log an error ("invalid theme mode") on every first visit.
html_context = {"default_mode": "auto"}


def _published_address(urls: dict[str, str]) -> str:
    """Where the site is served: [project.urls] "Documentation", else the repository's
    GitHub Pages address (https://<owner>.github.io/<name>/). Always ends with "/"."""
    if "Documentation" in urls:
        return urls["Documentation"].rstrip("/") + "/"
    owner, name = urls["Repository"].removeprefix("https://github.com/").strip("/").split("/")
    return f"https://{owner}.github.io/{name}/"


def _address_path(url: str) -> str:
    """The path of an address ("/handbook/"): the 404 page, served anywhere, links from it."""
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"


# One published address for canonical links, OpenGraph, the sitemap and the 404 page.
html_baseurl = _published_address(PYPROJECT["urls"])
sitemap_url_scheme = "{link}"  # one language, one version: no "en/latest/" in addresses
# No hreflang alternates: sphinx-sitemap would write the same address for every language
# (English is at the root, the others in folders: no single "{lang}" scheme fits both).
sitemap_locales = [None]
sitemap_show_lastmod = IN_GIT_CHECKOUT  # <lastmod> from git, the date of "Last updated"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
notfound_urls_prefix = _address_path(html_baseurl)
# The page itself is _templates/404.html; the title goes to the theme's <title>.
notfound_template = "404.html"
notfound_context = {"title": "Page not found"}


# -- LaTeX (PDF) -------------------------------------------------------------
def _latex_file(name: str) -> str:
    """A piece of the book's LaTeX, kept as a .tex file in _templates/latex/."""
    return (HERE / "_templates" / "latex" / name).read_text(encoding="utf-8")


# toctree_only: the landing page's sections would otherwise swallow the four sections as
# sub-sections; with it, Research, Institutions, Onboarding and Bibliography are chapters.
latex_documents = [
    (root_doc, "ilance-handbook.tex", "ILANCE Handbook", author, "manual", True),
]
# XeLaTeX with xeCJK: pdflatex stops at the first kanji, and XeLaTeX builds 2 to 4 times faster
# than LuaLaTeX here for the same Japanese and French typesetting.
latex_engine = "xelatex"
# xindy sorts accented index entries (École, Nucléaire) where makeindex would not.
latex_use_xindy = True
latex_show_urls = "no"
# Pages about the website rather than the lab; the book leaves them out
# (_ext/handbook/rendering/book_layout.py).
book_web_only_pages = ["translation-status", "review-schedule"]
# The edition and the revision as TeX macros, for the title page.
_EDITION_MACROS = (
    rf"\newcommand{{\HandbookEdition}}{{{EDITION.isoformat()}}}"
    "\n"
    rf"\newcommand{{\HandbookRevision}}{{{REVISION}}}"
    "\n"
)
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    # FreeSerif and friends ship in Debian's fonts-freefont-otf and cover French accents;
    # Noto CJK covers Japanese. Both are embedded by XeLaTeX.
    "fontpkg": r"""
\setmainfont{FreeSerif}
\setsansfont{FreeSans}
\setmonofont{FreeMono}
""",
    "preamble": _EDITION_MACROS + _latex_file("preamble.tex"),
    "maketitle": _latex_file("title-page.tex"),
    "printindex": r"\footnotesize\raggedright\printindex",
}

# -- Link check --------------------------------------------------------------
# External links only, weekly (`make linkcheck`, .github/workflows/linkcheck.yml); internal links
# are checked offline by tools/internal_links.py. _ext/handbook/links/linkcheck_bounds.py adds the
# bounds Sphinx lacks, so every run ends within linkcheck_deadline whatever the servers do. Seconds
# a server may stay silent: laboratory servers in Japan and France, reached from a runner in the
# USA, answer within a few; more would let dead hosts hold the workers.
linkcheck_timeout = 15
# Two attempts: a 5xx or a dropped connection is often gone a moment later. Sphinx retries
# only what it would call broken; a timeout is not retried, so the bound does not double.
linkcheck_retries = 2
# Sphinx's default, on purpose: links are checked in URL order, so the workers mostly query
# one site at the same time, and small laboratory servers should see a handful, not a crowd.
linkcheck_workers = 5
# Longest wait for a site that answers 429 (too many requests), Retry-After included; past
# it the link is reported as timed out. Sphinx alone would obey any Retry-After forever.
linkcheck_rate_limit_timeout = 120.0
# Bound on the whole check (reading the pages comes on top); links unfinished by then are
# reported as timed out. A normal run needs a few minutes.
linkcheck_deadline = 20 * 60
# A timeout or a 503 says nothing about the page: reported, but only broken links fail the run.
linkcheck_report_timeouts_as_broken = False
# Check that the section a link points to (page#section) exists in the page ...
linkcheck_anchors = True
# ... unless the anchor is not an HTML id: "#!" routes of single-page sites (Sphinx's
# default) and "#:~:text=" fragments, which browsers match against the visible text.
linkcheck_anchors_ignore = ["^!", "^:~:"]
# Sites that make their anchors with JavaScript, so the ids are not in the served HTML:
linkcheck_anchors_ignore_for_url = [
    # GitHub gives rendered headings ids prefixed "user-content-" and maps #heading to them in
    # the browser.
    r"https://github\.com/",
]
# Links never requested, each with its reason; the report prints the reason beside the link,
# and _ext/handbook/links/linkcheck_bounds.py warns about a pattern without one.
linkcheck_ignore_reasons = {
    r"https?://(dx\.)?doi\.org/": (
        "DOI from a .bib entry, whose syntax tools/bibtex_lint.py checks offline; a DOI is "
        "permanent by design, and requesting it would test the publisher's site, not the DOI"
    ),
    r"https?://(export\.)?arxiv\.org/(abs|pdf)/": (
        "arXiv identifier from a .bib entry, whose syntax tools/bibtex_lint.py checks "
        "offline; arXiv identifiers are permanent by design"
    ),
}
linkcheck_ignore = list(linkcheck_ignore_reasons)
# Redirects not worth a writer's edit. Setting this at all makes Sphinx log every other
# redirect as a warning: `make linkcheck` does not turn warnings into errors, and the report
# lists those redirects for a writer to update.
linkcheck_allowed_redirects = {
    # A home page that sends the reader to its English, French or Japanese home: the bare home
    # page is the link to keep. Only language homes, so that a domain that changed hands (home
    # page to an unrelated page) is still reported.
    r"https?://[^/]+/?$": r"https?://[^/]+/(en|fr|ja|jp)(/|/index\.html?)?$",
}

# -- Review dates (_ext/handbook/content/page_review/) ---------------------------------------------
# The day the build takes for "today" when it tells readers that a page is past its review
# date: HANDBOOK_TODAY (YYYY-MM-DD) when set, as the tests do, else the real date. The date
# never fails a build; it only changes the notices, the schedule and review.json.
handbook_today = os.environ.get("HANDBOOK_TODAY", "")
# The roles that may own a page (front matter `owner`), one GitHub team each.
review_roles_file = "roles.yaml"

# -- Translations --------------------------------------------------------------------------
# French and Japanese builds read the catalogues in locales/ (make update-po refreshes them):
# one per page, sphinx.po for the templates, and handbook.po for the text our extensions
# generate (infobox labels, table headers, captions: _ext/handbook/i18n/messages.py).
locale_dirs = ["locales/"]
gettext_compact = False  # one catalogue per page, so translators work page by page
gettext_uuid = False
gettext_location = False  # no source line numbers in catalogues: fewer spurious diffs
# The languages the handbook is built in, with their own names for the switcher.
handbook_languages = {"en": "English", "fr": "Français", "ja": "日本語"}
# The switcher and the PDF link read these (_templates/language-switcher.html, pdf-download.html).
# Only a build of every language (make html-all) shows the switcher: a single-language
# preview would link to pages that were not built.
html_context["handbook_languages"] = (
    handbook_languages if os.environ.get("HANDBOOK_ALL_LANGUAGES") else {}
)
html_context["handbook_pdf"] = _BOOK.name if _BOOK.is_file() else ""
# Japanese builds default to pLaTeX's jsbook class; the book uses XeLaTeX in every language.
latex_docclass = {"manual": "report", "howto": "article"}
