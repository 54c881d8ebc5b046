"""A tiny handbook for the MathML renderer's tests (tests/test_mathml_math.py)."""

# The tests put the handbook's _ext/ on sys.path.

extensions = ["myst_parser", "handbook.rendering.mathml_math"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
html_math_renderer = "mathml"
myst_enable_extensions = ["dollarmath", "amsmath"]
