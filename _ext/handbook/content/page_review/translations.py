"""Stale translations: a page whose English text changed after its catalogue was updated.

The dates come from git, not from the catalogues' headers. ``POT-Creation-Date`` is the time
of the last ``make update-po`` run for *every* catalogue at once, whether or not a page
changed, and ``PO-Revision-Date`` is left at its placeholder by the tools we use; neither
says when one page changed. Git does, for both files: the English page's last commit, and the
catalogue's last commit. A commit that only touches a page's review fields (``owner``,
``last_reviewed``, ``review_in`` and the front matter's ``---`` lines) is not counted: it
changes nothing a translator translates. Work not yet committed is not counted either; the
published site is built from commits. Outside a git checkout nothing is reported stale.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .fields import FIELDS

#: Changed lines that do not change a page's translatable text.
REVIEW_ONLY_LINE = re.compile(r"^(---\s*|\s*|(" + "|".join(FIELDS) + r"):.*)$")
COMMIT_MARK = "\x01"


@dataclass(frozen=True)
class Stale:
    """One page whose catalogue in one language is older than its English text."""

    docname: str
    language: str
    english_changed: datetime
    catalogue_updated: datetime | None  # None: the page has no catalogue in git yet


def _git(srcdir: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(srcdir), *args], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout


def page_text_dates(srcdir: Path) -> dict[str, datetime]:
    """The last commit that changed each page's text (``path.md`` relative to srcdir)."""
    log = _git(
        srcdir,
        "log",
        f"--format={COMMIT_MARK}%cI",
        "-p",
        "--unified=0",
        "--no-renames",
        "--relative",
        "--",
        "*.md",
    )
    dates: dict[str, datetime] = {}
    if log is None:
        return dates
    when: datetime | None = None
    path: str | None = None
    in_hunk = False
    for line in log.splitlines():
        if line.startswith(COMMIT_MARK):
            when, path, in_hunk = datetime.fromisoformat(line[1:].strip()), None, False
        elif line.startswith("diff --git "):
            path, in_hunk = line.rsplit(" b/", 1)[-1], False
        elif line.startswith("@@"):
            in_hunk = True
        elif (
            in_hunk
            and when is not None
            and path is not None
            and path not in dates
            and line[:1] in "+-"
            and not REVIEW_ONLY_LINE.match(line[1:])
        ):
            dates[path] = when  # git log lists the newest commit first
    return dates


def catalogue_dates(srcdir: Path, locale_dir: str) -> dict[str, datetime]:
    """The last commit of each catalogue (paths relative to srcdir)."""
    log = _git(
        srcdir,
        "log",
        f"--format={COMMIT_MARK}%cI",
        "--name-only",
        "--no-renames",
        "--relative",
        "--",
        locale_dir,
    )
    dates: dict[str, datetime] = {}
    when: datetime | None = None
    for line in (log or "").splitlines():
        if line.startswith(COMMIT_MARK):
            when = datetime.fromisoformat(line[1:].strip())
        elif line.strip() and when is not None:
            dates.setdefault(line.strip(), when)
    return dates


@dataclass(frozen=True)
class History:
    """The dates git gives, for one commit of the repository (``head``)."""

    head: str
    pages: dict[str, datetime]
    catalogues: dict[str, datetime]


def history(srcdir: Path, locale_dir: str, known: History | None = None) -> History:
    """The pages' and catalogues' dates at the current commit; ``known`` if it is the same.

    Reading the log costs a tenth of a second or more; asking for the current commit costs
    a few milliseconds, so a rebuild with no new commit (the live preview) reuses the dates.
    """
    head = (_git(srcdir, "rev-parse", "HEAD") or "").strip()
    if known is not None and known.head == head:
        return known
    if not head:
        return History("", {}, {})
    return History(head, page_text_dates(srcdir), catalogue_dates(srcdir, locale_dir))


def stale_pages(
    dates: History, docnames: list[str], locale_dir: str, languages: list[str]
) -> dict[str, dict[str, Stale]]:
    """Language -> docname -> why its translation is stale, for every page in git."""
    pages, catalogues = dates.pages, dates.catalogues
    found: dict[str, dict[str, Stale]] = {language: {} for language in languages}
    for docname in docnames:
        english = pages.get(f"{docname}.md")
        if english is None:
            continue
        for language in languages:
            path = f"{locale_dir.rstrip('/')}/{language}/LC_MESSAGES/{docname}.po"
            updated = catalogues.get(path)
            if updated is None or english > updated:
                found[language][docname] = Stale(docname, language, english, updated)
    return found
