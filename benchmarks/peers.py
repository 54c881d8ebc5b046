"""MkDocs Material, the peer the handbook is compared with, in its own virtual environment.

It is installed with pip from the package index into the benchmark's build folder, never
into the project's environment, and only when ``--peers`` asks for it.
"""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

PACKAGE = "mkdocs-material"
VERSIONS_OF = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


def ensure_mkdocs(where: Path) -> tuple[Path, dict[str, str]]:
    """The ``mkdocs`` command of a virtual environment under ``where``, and its versions."""
    python = where / "bin" / "python"
    if not python.exists():
        venv.create(where, with_pip=True)
    mkdocs = where / "bin" / "mkdocs"
    if not mkdocs.exists():
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                PACKAGE,
            ],
            check=True,
        )
    script = (
        "import json, importlib.metadata as m; "
        f"print(json.dumps({{p: m.version(p) for p in {list(VERSIONS_OF)!r}}}))"
    )
    versions = json.loads(
        subprocess.run(
            [str(python), "-c", script], capture_output=True, text=True, check=True
        ).stdout
    )
    return mkdocs, versions


def mkdocs_command(mkdocs: Path, site: Path) -> list[str]:
    """A strict build: a broken link or anchor fails it, as in our Sphinx builds."""
    return [str(mkdocs), "build", "--strict", "--quiet", "--clean", "--site-dir", str(site)]
