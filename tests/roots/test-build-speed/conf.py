"""A small site for the build-speed extensions' tests (bibtex_cache, bibtex_index,
quick_rebuilds)."""

# The test suite puts the handbook's _ext/ on sys.path (tests/conftest.py).

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "handbook.speed.bibtex_cache",
    "handbook.speed.bibtex_index",
    "handbook.speed.quick_rebuilds",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
bibtex_reference_style = "author_year"
