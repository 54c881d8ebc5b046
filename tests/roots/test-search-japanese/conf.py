"""A tiny handbook for the Japanese-aware English search (tests/test_search_japanese.py)."""

# The tests put the handbook's _ext/ on sys.path.

extensions = ["myst_parser", "handbook.search.search_japanese"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
language = "en"
