"""Sphinx configuration of the ILANCE Handbook.

One flat file, grouped by topic. Each non-obvious setting says why it is there.
The build never touches the network: no intersphinx inventories, no downloads.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent.resolve()
sys.path.insert(0, str(HERE / "_ext"))  # our own extensions live in _ext/

with (HERE / "pyproject.toml").open("rb") as pyproject_file:
    PYPROJECT = tomllib.load(pyproject_file)["project"]

# -- Project -----------------------------------------------------------------
project = "ILANCE Handbook"
author = "ILANCE Handbook contributors"
copyright = f"2021–{date.today().year}, {author}"
release = PYPROJECT["version"]
language = "en"

# -- General -----------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_book_theme",
    # Our own, in _ext/:
    "bibliography_style",  # author lists cut to "et al."; must load before bibtex reads styles
    "svg_figures",  # SVG drawn at build time: inline in HTML, converted to PDF for the book
    "book_layout",  # the printed book drops sections that only hold web-page footnotes
    "knowledge_base",  # programme and institution front matter: validation, infoboxes, catalogues
    "meeting_planner",  # France–Japan working-hours overlap, computed with zoneinfo
    "trip_footprint",  # great-circle distances and CO2e of trips, computed at build time
    "route_diagram",  # routes from the airports to Kashiwa, drawn from a data file
    "linkcheck_bounds",  # `make linkcheck` always ends: capped waits, a deadline, reasons
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
    "README.md",
    "CONTRIBUTING.md",
    "**/README.md",
    "research/glossary-terms",  # fragments included by research/glossary.md
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
# One .bib file per field; all of them are read, so any page may cite any entry.
bibtex_bibfiles = sorted(str(p.relative_to(HERE)) for p in (HERE / "bib").glob("*.bib"))
# "handbook" (from _ext/bibliography_style.py): unsrt, with "et al." for long author lists.
bibtex_default_style = "handbook"
# In-text citations read "T2K Collaboration et al. (2020)", as physicists write them.
bibtex_reference_style = "author_year"

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
}

# -- HTML --------------------------------------------------------------------
html_copy_source = False  # the edit button links to the real source on the repository
html_show_sourcelink = False
# Graphviz figures (the organisation diagram) as SVG: sharp, searchable, small.
graphviz_output_format = "svg"

# -- Reader experience (browser: offline math, search, accessibility, metadata) ----------

# -- LaTeX (PDF) -------------------------------------------------------------
def _git_revision() -> str:
    """The commit the book is built from, printed on its title page."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
            text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"


EDITION = date.today().isoformat()
REVISION = _git_revision()
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
    "preamble": r"""
\usepackage{xeCJK}
\setCJKmainfont[AutoFakeSlant]{Noto Serif CJK JP}
\setCJKsansfont{Noto Sans CJK JP}
\setCJKmonofont{Noto Sans Mono CJK JP}
\usepackage{tikz}
% The Bibliography chapter comes from bib/index.md and Sphinx moves every entry to the end of
% the book, right after it: print the entries without a second "Bibliography" heading.
\makeatletter
\renewenvironment{sphinxthebibliography}[1]{%
  \list{\@biblabel{\@arabic\c@enumiv}}{\settowidth\labelwidth{\@biblabel{#1}}%
    \leftmargin\labelwidth \advance\leftmargin\labelsep
    \usecounter{enumiv}\let\p@enumiv\@empty
    \renewcommand\theenumiv{\@arabic\c@enumiv}}%
  \sloppy\clubpenalty4000\widowpenalty4000\sfcode`\.\@m}
  {\endlist}
\makeatother
\hypersetup{
  pdftitle={ILANCE Handbook},
  pdfauthor={ILANCE Handbook contributors},
  pdfsubject={Research, institutions and onboarding of the CNRS--University of Tokyo
    International Research Laboratory ILANCE},
  pdfkeywords={ILANCE, CNRS, IN2P3, University of Tokyo, Kashiwa, neutrino physics,
    cosmology, astrophysics, astroparticle physics, particle physics},
  bookmarksopen=true, bookmarksnumbered=true,
}
""",
    # Title page: the logo drawn in TikZ (the same two circles as _static/logo-light.svg),
    # the edition date and the git revision, so a printed copy says what it is.
    "maketitle": r"""
\begin{titlepage}
\centering
\vspace*{3cm}
\begin{tikzpicture}
  \draw[line width=3pt, color={rgb,255:red,31;green,78;blue,140}] (0,0) circle (2.0cm);
  \fill[color={rgb,255:red,200;green,16;blue,46}] (0,0) circle (0.45cm);
  \fill[color={rgb,255:red,31;green,78;blue,140}] (1.77,1.0) circle (0.3cm);
\end{tikzpicture}\par
\vspace{1.5cm}
{\sffamily\bfseries\Huge ILANCE Handbook\par}
\vspace{0.8cm}
{\Large International Laboratory for Astrophysics, Neutrino and Cosmology Experiments\par}
\vspace{0.4cm}
{\large CNRS -- The University of Tokyo, Kashiwa\par}
\vfill
{\large Edition of @EDITION@\par}
{\normalsize Built from git revision \texttt{@REVISION@}\par}
\end{titlepage}
""".replace("@EDITION@", EDITION).replace("@REVISION@", REVISION),
    "printindex": r"\footnotesize\raggedright\printindex",
}

# -- Link check --------------------------------------------------------------
# External links only, weekly (`make linkcheck`, .github/workflows/linkcheck.yml); internal
# links are checked offline by tools/internal_links.py. _ext/linkcheck_bounds.py adds the
# bounds Sphinx lacks, so every run ends within linkcheck_deadline whatever the servers do.
# Seconds a server may stay silent: laboratory servers in Japan and France, reached from a
# runner in the USA, answer within a few; more would let dead hosts hold the workers.
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
# and _ext/linkcheck_bounds.py warns about a pattern without one.
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
