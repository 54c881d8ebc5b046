"""A tiny handbook for the meeting-planner extension's tests (tests/test_meeting_planner.py)."""

# The tests put the handbook's _ext/ on sys.path.

extensions = ["myst_parser", "handbook.content.meeting_planner"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
