"""A tiny handbook for the trip-footprint extension's tests (tests/test_trip_footprint.py)."""

# The tests put the handbook's _ext/ on sys.path and copy footprint-calculator.js into _static/.

extensions = ["myst_parser", "handbook.content.trip_footprint"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
html_static_path = ["_static"]
