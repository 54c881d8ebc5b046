"""The projects the benchmark builds, one per configuration, all holding the same pages.

- ``handbook``: a copy of the real project (conf.py, _ext/, _static/, _templates/, bib/,
  pyproject.toml) whose content is replaced by the synthetic pages, in a git repository
  so that "last updated" dates work as they do on the real site.
- ``plain``: the same, with our own extensions (``_ext/``) taken out of the configuration,
  to measure what they add. The four that only make the build faster stay (the navigation
  cache, the pybtex caches, the bibliography index, the quick rebuilds): they are fixes,
  not features, and without them both builds would be dominated by the costs they remove.
- ``handbook`` with ``HANDBOOK_SPEEDUPS=0`` (``--before``, and the "without the speed
  extensions" scenarios): the same project, with conf.py leaving the four speed fixes out
  through its own switch (_ext/handbook/speed/speedups.py), as the handbook was before them.
- ``bare``: myst-parser alone on Sphinx's default theme, with the same MyST settings.
- ``mkdocs``: MkDocs Material, with the same navigation tree.
"""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from . import synthetic

# Everything of the project that a build needs besides the pages.
KEPT = ("conf.py", "pyproject.toml", "roles.yaml", "_ext", "_static", "_templates", "bib")
# Our extensions that change how fast the build is, not what it produces: the ones conf.py's
# HANDBOOK_SPEEDUPS switch leaves out (_ext/handbook/speed/speedups.py, read here by path so
# that the benchmark never imports the project's code into its own process).
SPEEDUPS = runpy.run_path(
    str(Path(__file__).resolve().parent.parent / "_ext/handbook/speed/speedups.py")
)
SPEED_FIXES = frozenset(f"{SPEEDUPS['PACKAGE']}.{name}" for name in SPEEDUPS["SPEED_EXTENSIONS"])
SWITCH = SPEEDUPS["VARIABLE"]


def speedups_env(on: bool) -> dict[str, str]:
    """The environment of a build with the speed extensions on (1) or off (0)."""
    return dict(os.environ, **{SWITCH: "1" if on else "0"})


def our_extensions(project: Path) -> list[str]:
    """Extensions of conf.py that live in _ext/ (modules or packages, by dotted name)."""
    ext = project / "_ext"
    return [
        name
        for name in project_config(project)["extensions"]
        if (ext / f"{name.replace('.', '/')}.py").exists()
        or (ext / name.replace(".", "/") / "__init__.py").exists()
    ]


def project_config(project: Path) -> dict[str, object]:
    """The values of the project's conf.py, as Sphinx would see them."""
    return runpy.run_path(str(project / "conf.py"))


def copy_project(project: Path, destination: Path) -> None:
    destination.mkdir(parents=True)
    for name in KEPT:
        source = project / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / name)


def commit(root: Path) -> None:
    """Make the tree a git repository with one commit: the build reads dates from git."""
    git = [
        "git",
        "-c",
        "user.name=benchmark",
        "-c",
        "user.email=benchmark@example.org",
        "-c",
        "init.defaultBranch=main",
    ]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Synthetic handbook"], cwd=root, check=True)


WRAPPED_CONF = '''"""The handbook's configuration, less some extensions (written by benchmarks/)."""

import runpy as _runpy
from pathlib import Path as _Path

globals().update({{k: v for k, v in _runpy.run_path(
    str(_Path(__file__).with_name("handbook_conf.py"))).items() if not k.startswith("__")}})
extensions = [e for e in extensions if e not in {removed!r}]
'''
# Settings that name something one of our feature extensions provides.
PLAIN_SETTINGS = """bibtex_default_style = "unsrt"
bibtex_encoding = "utf-8-sig"
bibtex_reference_style = "author_year"
bibtex_foot_reference_style = "foot"
html_math_renderer = "mathjax"
"""


def without(root: Path, removed: set[str], settings: str = "") -> None:
    """Make the copy's conf.py load the real one, then drop some extensions."""
    (root / "conf.py").rename(root / "handbook_conf.py")
    (root / "conf.py").write_text(
        WRAPPED_CONF.format(removed=sorted(removed)) + settings, encoding="utf-8"
    )


BARE_CONF = '''"""Bare Sphinx: myst-parser on the default theme (written by benchmarks/)."""

project = "Synthetic handbook"
extensions = ["myst_parser"]
source_suffix = {{".md": "markdown"}}
exclude_patterns = ["_build"]
nitpicky = True
myst_enable_extensions = {myst_enable_extensions!r}
myst_heading_anchors = {myst_heading_anchors!r}
'''


def make_handbook(
    project: Path, root: Path, pages: Sequence[synthetic.Page], terms: Sequence[str]
) -> dict[str, Path]:
    """The real project on synthetic pages; HANDBOOK_SPEEDUPS says which speed fixes load."""
    copy_project(project, root)
    paths = synthetic.write_tree(pages, "handbook", root, project, terms)
    commit(root)
    return paths


def make_plain(
    project: Path, root: Path, pages: Sequence[synthetic.Page], terms: Sequence[str]
) -> dict[str, Path]:
    copy_project(project, root)
    without(root, set(our_extensions(project)) - SPEED_FIXES, PLAIN_SETTINGS)
    paths = synthetic.write_tree(pages, "plain", root, project, terms)
    commit(root)
    return paths


def make_bare(
    project: Path, root: Path, pages: Sequence[synthetic.Page], terms: Sequence[str]
) -> dict[str, Path]:
    root.mkdir(parents=True)
    config = project_config(project)
    (root / "conf.py").write_text(
        BARE_CONF.format(
            myst_enable_extensions=list(config["myst_enable_extensions"]),  # type: ignore[call-overload]
            myst_heading_anchors=config["myst_heading_anchors"],
        ),
        encoding="utf-8",
    )
    return synthetic.write_tree(pages, "bare", root, project, terms)


def make_mkdocs(
    project: Path, root: Path, pages: Sequence[synthetic.Page], terms: Sequence[str]
) -> dict[str, Path]:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(synthetic.mkdocs_config(pages), encoding="utf-8")
    return synthetic.write_tree(pages, "mkdocs", docs, project, terms)


MAKERS = {"handbook": make_handbook, "plain": make_plain, "bare": make_bare, "mkdocs": make_mkdocs}
