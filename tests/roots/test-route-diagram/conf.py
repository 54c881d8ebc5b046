"""A tiny project for the route_diagram extension's tests."""

import sys
from pathlib import Path

# The handbook's own extensions live in _ext/ at the top of the repository. Look upwards
# for it, so the project also builds from a copy (the tests build copies in a temporary
# folder, where tests/conftest.py has already put _ext/ on sys.path).
for folder in Path(__file__).resolve().parents:
    if (folder / "_ext" / "handbook/content/route_diagram.py").is_file():
        sys.path.insert(0, str(folder / "_ext"))
        break

extensions = ["myst_parser", "handbook.content.route_diagram"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
nitpicky = True
