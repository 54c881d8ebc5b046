"""A tiny handbook for the knowledge-base extension's tests."""

# The test suite puts the handbook's _ext/ on sys.path (tests/conftest.py).

extensions = ["myst_parser", "handbook.content.knowledge_base"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
bibtex_bibfiles = ["bib/refs.bib"]
bibtex_reference_style = "author_year"
graphviz_output_format = "svg"
