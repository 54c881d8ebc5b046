"""A tiny handbook for the trip-footprint extension's tests (tests/test_trip_footprint.py)."""

# The test suite puts the handbook's _ext/ on sys.path (tests/conftest.py).
from pathlib import Path

from handbook.content import trip_footprint

extensions = ["myst_parser", "handbook.content.trip_footprint"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
# The handbook's own calculator script (its _static/ is three folders above the extension),
# so the test builds always check the script that the site serves.
html_static_path = [
    str(Path(trip_footprint.__file__).resolve().parents[3] / "_static" / trip_footprint.SCRIPT)
]
