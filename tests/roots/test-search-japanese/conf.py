"""A tiny handbook for the Japanese-aware search (tests/test_search_japanese.py), built in
English and, with ``confoverrides={"language": "ja"}``, in Japanese."""

# The tests put the handbook's _ext/ on sys.path.

extensions = ["myst_parser", "handbook.search.search_japanese"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
language = "en"
