"""Shared fixtures: the real handbook, built once per test session through the Makefile."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.chromium import launch
from browser.server import SiteServer
from playwright.sync_api import Browser, sync_playwright

# Sphinx's own test fixtures (app, make_app, the "sphinx" marker) build tests/roots/test-*.
pytest_plugins = ["sphinx.testing.fixtures"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)  # the environment pytest runs in, created by the Makefile

# Folders that never belong in a copy of the project made for a test build.
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__")


@dataclass(frozen=True)
class Build:
    """The result of one `make` run: where the output is and what Sphinx printed."""

    returncode: int
    stdout: str
    stderr: str
    outdir: Path

    @property
    def html(self) -> Path:
        return self.outdir / "html"


def run_make(target: str, project: Path, builddir: Path, *extra: str) -> Build:
    """Run a Makefile target the way a contributor does, reusing the test environment."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-C",
            str(project),
            target,
            f"VENV={VENV}",
            f"BUILDDIR={builddir}",
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    return Build(result.returncode, result.stdout, result.stderr, builddir)


def build_or_fail(target: str, tmp_path_factory: pytest.TempPathFactory, folder: str) -> Build:
    """Run a Makefile target into a fresh folder; if it fails, fail the tests with its log."""
    build = run_make(target, PROJECT_ROOT, tmp_path_factory.mktemp(folder))
    if build.returncode != 0:
        pytest.fail(f"make {target} failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}")
    return build


def run_git(cwd: Path, *args: str, when: str | None = None) -> None:
    """Run git in a test's copy of the project, as a fixed test author (and at ``when``,
    an ISO date, for tests that need a dated history)."""
    env = dict(os.environ)
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(
        ["git", *identity, "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=env,
    )


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file by ``new``; fail if ``old`` is not there, so a
    test cannot pass because the text it meant to break has changed."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_project(destination: Path) -> Path:
    """Copy the handbook sources (keeping mtimes, so the venv stamp stays fresh)."""
    shutil.copytree(PROJECT_ROOT, destination, ignore=COPY_IGNORE)
    return destination


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the small projects: ``testroot="mathml"`` is
    tests/roots/test-mathml, copied for each test so that a test may edit it."""
    return Path(__file__).parent / "roots"


@pytest.fixture
def sphinx_test_tempdir(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Where sphinx.testing copies a test root (``<this folder>/<testroot or srcdir>``) and
    builds it. Its own fixture is one folder for the whole session, so a page that one test
    adds, or an output it leaves, would still be there for the next test of the same root:
    here each test has its own folder. Tests that share one build on purpose
    (``@pytest.mark.test_params(shared_result="name")``) get a folder of the session, where
    sphinx.testing finds the build that the first of them made."""
    marker = request.node.get_closest_marker("test_params")
    if marker and marker.kwargs.get("shared_result"):
        shared = tmp_path_factory.getbasetemp() / "shared-builds"
        shared.mkdir(exist_ok=True)
        return shared
    return tmp_path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The handbook's HTML, built once with the Makefile's strict options."""
    return build_or_fail("html", tmp_path_factory, "build")


# -- The built site in a real browser (tests marked "browser") -----------------------------


def published_path(html: Path) -> str:
    """The site's path on its host ("/handbook/"), read from the home page's canonical link."""
    home = (html / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    assert match, "the home page has no canonical link: is html_baseurl set in conf.py?"
    return urlsplit(match[1]).path.removesuffix("index.html")


@pytest.fixture(scope="module")
def served(site: Build) -> Iterator[SiteServer]:
    """The site on a local HTTP server, at the same path as on its host."""
    with SiteServer(site.html, published_path(site.html)) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (one per test module: a module of its own may
    start Playwright, and two sync Playwright sessions cannot run at once)."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
