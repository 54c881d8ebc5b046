"""The edition printed on the book and the copyright year come from the sources, not the clock.

Two builds of one commit must say the same, on any day: the last commit's date in a git
checkout, else SOURCE_DATE_EPOCH (the reproducible-builds.org convention).
"""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT


def configuration(project: Path) -> dict:
    return runpy.run_path(str(project / "conf.py"))


def test_a_checkout_uses_the_last_commit() -> None:
    committed = subprocess.run(
        ["git", "log", "-1", "--format=%cs"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    conf = configuration(PROJECT_ROOT)
    assert conf["EDITION"].isoformat() == committed
    assert conf["copyright"].startswith(f"2021–{committed[:4]},")
    preamble = conf["latex_elements"]["preamble"]
    assert rf"\newcommand{{\HandbookEdition}}{{{committed}}}" in preamble
    assert rf"\newcommand{{\HandbookRevision}}{{{revision}}}" in preamble


def test_outside_git_source_date_epoch_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("conf.py", "pyproject.toml"):
        shutil.copy2(PROJECT_ROOT / name, project)
    shutil.copytree(PROJECT_ROOT / "_templates", project / "_templates")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above either
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1617235200")  # 2021-04-01 00:00 UTC
    conf = configuration(project)
    assert conf["EDITION"].isoformat() == "2021-04-01"
    assert conf["copyright"].startswith("2021–2021,")
    assert conf["REVISION"] == "not a git checkout"
