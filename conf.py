"""Sphinx configuration of the ILANCE Handbook.

One flat file, grouped by topic. Each non-obvious setting says why it is there.
The build never touches the network: no intersphinx inventories, no downloads.
"""

from __future__ import annotations

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
]
root_doc = "index"
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
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"
bibtex_footcite_default_style = "unsrt"

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

# -- LaTeX -------------------------------------------------------------------
latex_documents = [
    (root_doc, "ilance-handbook.tex", "ILANCE Handbook", author, "manual"),
]

# -- Link check --------------------------------------------------------------
linkcheck_timeout = 15
