"""A small site for the navigation cache's tests: several levels, captions, odd entries."""

# The test suite puts the handbook's _ext/ on sys.path (tests/conftest.py).
# _templates/sbt-sidebar-nav.html is a symbolic link to the handbook's own template, the one
# that hands the sidebar to the cache, so these tests always use the site's current version.

extensions = [
    "myst_parser",
    "sphinx_book_theme",
    "handbook.speed.navigation_cache",
    "notfound.extension",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
templates_path = ["_templates"]
html_theme = "sphinx_book_theme"
html_theme_options = {"home_page_in_toc": True}
myst_enable_extensions = ["dollarmath"]
notfound_urls_prefix = "/site/"
