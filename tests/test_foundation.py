"""The handbook builds strictly, every page is reachable, and the README matches the Makefile."""

from __future__ import annotations

import pickle
import re
import runpy
import subprocess

import pytest
from conftest import PROJECT_ROOT, Build
from sphinx.util.matching import Matcher

# Builds the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site

SECTIONS = ("research", "institutions", "onboarding", "bib")


def source_pages() -> set[str]:
    """Every Markdown page Sphinx should read: all .md files minus conf.py's exclusions."""
    excluded = Matcher(runpy.run_path(str(PROJECT_ROOT / "conf.py"))["exclude_patterns"])
    pages = set()
    for path in PROJECT_ROOT.rglob("*.md"):
        relative = path.relative_to(PROJECT_ROOT)
        # A pattern may name the file or any folder above it, as Sphinx applies them.
        candidates = [relative.as_posix(), *[p.as_posix() for p in relative.parents][:-1]]
        if not any(excluded(candidate) for candidate in candidates):
            pages.add(relative.with_suffix("").as_posix())
    return pages


def test_build_emits_no_warning(site: Build) -> None:
    assert "WARNING" not in site.stderr, site.stderr
    assert "ERROR" not in site.stderr, site.stderr
    assert (site.html / "index.html").is_file()


def test_every_page_is_reachable_from_the_root_toctree(site: Build) -> None:
    with (site.html / ".doctrees" / "environment.pickle").open("rb") as pickled:
        env = pickle.load(pickled)
    reachable, todo = set(), ["index"]
    while todo:
        docname = todo.pop()
        if docname not in reachable:
            reachable.add(docname)
            todo.extend(env.toctree_includes.get(docname, []))
    pages = source_pages()
    assert pages, "no source page found"
    # Contributor pages (the review schedule) are declared `orphan: true` on purpose.
    orphans = {name for name in pages if "orphan" in env.metadata.get(name, {})}
    assert pages - reachable - orphans == set(), "pages outside every toctree"
    assert env.found_docs == pages, "Sphinx read a different set of pages than the sources"


def test_each_section_has_an_index_page(site: Build) -> None:
    for section in SECTIONS:
        assert (PROJECT_ROOT / section / "index.md").is_file()
        page = (site.html / section / "index.html").read_text(encoding="utf-8")
        assert re.search(r"<h1>.+</h1>", page), f"{section}/index.html has no title"


def test_pages_hold_no_placeholder_text() -> None:
    placeholder = re.compile(r"lorem ipsum|\bTODO\b|\bTBD\b|\bFIXME\b", re.IGNORECASE)
    offenders = [
        page
        for page in source_pages()
        if placeholder.search((PROJECT_ROOT / f"{page}.md").read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_readme_commands_are_makefile_targets() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^\s*make ([a-z][a-z-]*)", readme, re.MULTILINE))
    assert {"html", "test", "serve"} <= commands
    help_text = subprocess.run(
        ["make", "--no-print-directory", "-C", str(PROJECT_ROOT), "help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    targets = set(re.findall(r"make ([a-z][a-z-]*)", help_text))
    assert commands <= targets, f"README names targets the Makefile lacks: {commands - targets}"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == "make test"
    assert not any("|| true" in line or "set +e" in line for line in commands)
