"""A tiny handbook for the page-review extension's tests (tests/test_review.py)."""

# The test suite puts the handbook's _ext/ on sys.path (tests/conftest.py).

extensions = ["myst_parser", "handbook.content.page_review"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
locale_dirs = ["locales/"]
gettext_compact = False
handbook_languages = {"en": "English", "fr": "Français"}
review_roles_file = "roles.yaml"
# Each test sets "today" itself (confoverrides); this is the day the pages below assume.
handbook_today = "2026-06-01"

# The handbook's theme and templates: the footer's review line is in _templates/last-updated.html.
from pathlib import Path  # noqa: E402

from handbook.content import page_review  # noqa: E402

html_theme = "sphinx_book_theme"
# page_review is _ext/handbook/content/page_review/__init__.py: the project is four folders up.
templates_path = [str(Path(page_review.__file__).resolve().parents[4] / "_templates")]
