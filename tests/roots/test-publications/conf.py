"""A tiny project for the publication_lists extension's tests (tests/test_publications.py)."""

import sys
from pathlib import Path

# The handbook's own extensions live in _ext/ at the top of the repository. Look upwards
# for it, so the project also builds from a copy in a temporary folder.
for folder in Path(__file__).resolve().parents:
    if (folder / "_ext" / "handbook/content/publication_lists.py").is_file():
        sys.path.insert(0, str(folder / "_ext"))
        break

extensions = ["myst_parser", "handbook.content.publication_lists"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "snapshots"]
nitpicky = True
# The tests write the snapshots here, from the local replay server.
publication_snapshots = "snapshots"
