"""Each command installs what it needs and no more: the Python locks and the system-package lists.

The builds (make html, make pdf, Read the Docs) install the docs lock; every other command the
dev lock, which must agree with the docs lock on every package they share, or the two would
replace each other's versions at each switch between `make html` and `make test`.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT

DOCS_LOCK = PROJECT_ROOT / "requirements" / "docs.txt"
DEV_LOCK = PROJECT_ROOT / "requirements" / "dev.txt"
INSTALLER = PROJECT_ROOT / "tools" / "install-system-deps.sh"
PIN = re.compile(r"^([a-z0-9][a-z0-9._-]*)==(\S+)((?:\s*\\\n\s+--hash=\S+)+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """Package name -> (version, hashes), as pip reads them from a lock."""
    found = {}
    for name, version, hashes in PIN.findall(lock.read_text(encoding="utf-8")):
        found[name] = (version, frozenset(re.findall(r"--hash=(\S+)", hashes)))
    return found


def requirement_name(requirement: str) -> str:
    return re.split(r"[\[<>=~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def system_packages(target: str) -> list[str]:
    listed = subprocess.run(
        ["bash", str(INSTALLER), "--list", target], capture_output=True, text=True, check=True
    ).stdout
    return listed.split()


def make_dry_run(target: str, tmp_path: Path) -> str:
    """The commands `make <target>` would run, on a fresh machine (no environment yet).

    Not checked for success: `make -n pdf` still runs the recipe's `$(MAKE) -C _build/latex`,
    which fails without the LaTeX sources, after printing what comes before it."""
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-n",
            "-C",
            str(PROJECT_ROOT),
            target,
            f"VENV={tmp_path / 'venv'}",
            f"BUILDDIR={tmp_path / 'build'}",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def test_every_package_is_pinned_with_hashes() -> None:
    for lock in (DOCS_LOCK, DEV_LOCK):
        text = lock.read_text(encoding="utf-8")
        requirements = [line for line in text.splitlines() if re.match(r"[a-z0-9]", line)]
        assert requirements, lock
        assert len(requirements) == len(pins(lock)), f"{lock.name}: a pin without hashes"


def test_the_dev_lock_pins_every_docs_package_the_same() -> None:
    docs, dev = pins(DOCS_LOCK), pins(DEV_LOCK)
    assert {name: pin for name, pin in docs.items() if dev.get(name) != pin} == {}


def test_the_docs_lock_holds_no_development_tool() -> None:
    tools = {requirement_name(r) for r in pyproject()["dependency-groups"]["dev"]}
    assert tools, "no dev group in pyproject.toml"
    assert tools & pins(DOCS_LOCK).keys() == set()
    assert tools <= pins(DEV_LOCK).keys(), "run `make lock`"


def test_each_lock_holds_its_direct_dependencies() -> None:
    docs = {requirement_name(r) for r in pyproject()["project"]["dependencies"]}
    assert docs <= pins(DOCS_LOCK).keys(), "run `make lock`"


def test_system_package_lists_grow_from_html_to_pdf_to_test() -> None:
    html, pdf, test = (system_packages(target) for target in ("html", "pdf", "test"))
    assert html == ["git", "graphviz"]
    assert pdf[: len(html)] == html and test[: len(pdf)] == pdf
    assert not any(package.startswith(("texlive", "latexmk", "xindy")) for package in html)
    assert {"texlive-xetex", "latexmk", "xindy"} <= set(pdf)
    assert {"poppler-utils", "chromium", "nodejs"} <= set(test) - set(pdf)


def test_every_listed_package_says_why() -> None:
    script = INSTALLER.read_text(encoding="utf-8")
    for package in system_packages("test"):
        line = re.search(rf"^\s+{re.escape(package)}\b(.*)$", script, re.MULTILINE)
        assert line and "#" in line[1], f"{package} has no reason"


@pytest.mark.parametrize(
    ("target", "lock", "packages"),
    [
        ("html", "requirements/docs.txt", "html"),
        ("pdf", "requirements/docs.txt", "pdf"),
        ("test", "requirements/dev.txt", "test"),
        ("lint", "requirements/dev.txt", None),
        ("serve", "requirements/dev.txt", None),
        ("bench", "requirements/dev.txt", "html"),
    ],
)
def test_each_target_installs_its_lock_and_its_packages(
    tmp_path: Path,
    target: str,
    lock: str,
    packages: str | None,
) -> None:
    commands = make_dry_run(target, tmp_path)
    installs = re.findall(r"pip install .* -r (\S+)", commands)
    assert installs == [lock], commands
    listed = re.findall(r"install-system-deps\.sh (\w+)", commands)
    assert listed == ([packages] if packages else []), commands


def test_read_the_docs_installs_the_docs_lock_and_the_pdf_packages() -> None:
    config = yaml.safe_load((PROJECT_ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert config["python"]["install"] == [{"requirements": "requirements/docs.txt"}]
    # Read the Docs clones with git: it needs no git package.
    assert config["build"]["apt_packages"] == [p for p in system_packages("pdf") if p != "git"]


def test_dependabot_refreshes_the_locks_and_the_actions() -> None:
    config = yaml.safe_load((PROJECT_ROOT / ".github" / "dependabot.yml").read_text("utf-8"))
    ecosystems = {update["package-ecosystem"]: update["directory"] for update in config["updates"]}
    assert ecosystems == {"github-actions": "/", "uv": "/"}
    for lock in (DOCS_LOCK, DEV_LOCK):
        # Dependabot's uv ecosystem reads uv-compiled requirement files by their header.
        assert lock.read_text(encoding="utf-8").startswith(
            "# This file was autogenerated by uv via the following command:\n"
        )
