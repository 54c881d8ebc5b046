"""A tiny project whose links point at the local server of tests/test_linkcheck_external.py.

Its link-check settings are the handbook's own, read from the handbook's conf.py, so that the
test checks links exactly as `make linkcheck` does; the test shortens only the durations.
"""

import os
import runpy
import sys
from pathlib import Path

# resolve(): the test builds a copy of this folder whose conf.py is a link to this file.
HANDBOOK = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(HANDBOOK / "_ext"))
globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(HANDBOOK / "conf.py")).items()
        if name.startswith("linkcheck_")
    }
)
# The test shortens linkcheck_timeout and linkcheck_deadline with -D. This one it cannot:
# Sphinx refuses -D for a setting whose default is a float (Config.convert_overrides), as
# linkcheck_rate_limit_timeout's is, so the test passes it in the environment instead.
if "TEST_LINKCHECK_RATE_LIMIT_TIMEOUT" in os.environ:
    linkcheck_rate_limit_timeout = float(os.environ["TEST_LINKCHECK_RATE_LIMIT_TIMEOUT"])

extensions = ["myst_parser", "handbook.links.linkcheck_bounds"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
