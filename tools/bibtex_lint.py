"""Check the handbook's bibliographies and the way pages cite them, offline.

Run as ``python tools/bibtex_lint.py`` from the project root (``make lint`` and
``make test`` do). Every problem is printed as ``file:line: message``; the exit status
is 1 when there is any. No network access: DOIs and arXiv identifiers are checked for
syntax only; their targets are the external link check's business.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
# The rules for one .bib file live in _ext/handbook/citations/bib_rules.py: the build applies them
# too.
from handbook.citations.bib_rules import (
    ENTRY_START,
    ROOT,
    SECONDARY_LABEL,
    Entry,
    Problem,
    check_bib_files,
    check_entry,
    check_identifiers_unique,
    is_secondary,
    read_bib_file,
    secondary_entries,
)

#: What other tools import from here (tools/new_page.py, tools/publications/).
__all__ = [
    "ENTRY_START",
    "SECONDARY_LABEL",
    "Entry",
    "Problem",
    "check_entry",
    "check_identifiers_unique",
    "is_secondary",
    "lint",
    "lint_snapshots",
    "main",
    "read_bib_file",
    "secondary_entries",
]

PAGE_DIRS_SKIPPED = {".venv", "_build", ".git", "tests", ".github", "benchmarks", "tools"}
#: Contributor documents, not pages (conf.py excludes them from the build): they show the
#: citation forms that pages must not use, and must not be reported for it.
NOT_PAGES = {"README.md", "CONTRIBUTING.md"}

CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::[a-z]+)?\}`([^`]+)`")
PANDOC_CITE = re.compile(r"\[(-?@[A-Za-z0-9_:-]+(?:\s*;\s*-?@[A-Za-z0-9_:-]+)*)\]")
LATEX_CITE = re.compile(r"\\cite[tp]?\*?\{([^}]+)\}")
FRONT_MATTER_KEY = re.compile(
    r"^\s*(?:references:\s*\[(?P<list>[^\]]*)\]|(?:status_source|role_source|source):\s*"
    r"(?P<one>[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+_\d{4}[a-z]?)\s*[,}]?)",
)
PUBLICATION_KEYWORD = re.compile(r"^publication_keyword:\s*(\S+)", re.MULTILINE)


def page_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*.md")
        if not ({part for part in p.relative_to(root).parts} & PAGE_DIRS_SKIPPED)
        and p.name not in NOT_PAGES
    )


@dataclass
class Citations:
    """Where each key is cited, and which keywords publication lists select."""

    uses: dict[str, list[tuple[Path, int]]] = field(default_factory=lambda: defaultdict(list))
    keywords: set[str] = field(default_factory=set)


def scan_pages(pages: Iterable[Path]) -> tuple[Citations, list[Problem]]:
    """Collect cited keys; reject Pandoc and LaTeX citation syntax with the MyST form."""
    citations, problems = Citations(), []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        citations.keywords.update(PUBLICATION_KEYWORD.findall(text))
        for number, line in enumerate(text.splitlines(), start=1):
            for match in CITE_ROLE.finditer(line):
                for key in match.group(1).split(","):
                    citations.uses[key.strip()].append((page, number))
            for match in FRONT_MATTER_KEY.finditer(line):
                keys = (match.group("list") or match.group("one") or "").split(",")
                for key in keys:
                    key = key.strip().strip("'\"")
                    if key and "://" not in key:
                        citations.uses[key].append((page, number))
            for match in PANDOC_CITE.finditer(line):
                keys = ",".join(k.strip().lstrip("-@") for k in match.group(1).split(";"))
                problems.append(
                    Problem(
                        page,
                        number,
                        f"Pandoc citation {match.group(0)}: write {{footcite:p}}`{keys}` in MyST",
                    )
                )
            for match in LATEX_CITE.finditer(line):
                problems.append(
                    Problem(
                        page,
                        number,
                        f"LaTeX citation {match.group(0)}: "
                        f"write {{footcite:p}}`{match.group(1)}` in MyST",
                    )
                )
    return citations, problems


def lint(bib_files: Iterable[Path], pages: Iterable[Path]) -> list[Problem]:
    """Every check, in file order; the list is empty when all is well."""
    entries, problems, unreadable = check_bib_files(bib_files)
    first_seen: dict[str, Entry] = {}
    for entry in entries:
        first_seen.setdefault(entry.key, entry)
    citations, page_problems = scan_pages(pages)
    problems += page_problems
    for key, places in sorted(citations.uses.items()):
        if key not in first_seen and not unreadable:  # a broken file hides its keys
            for page, line in places:
                problems.append(Problem(page, line, f"cites {key!r}, which no .bib file defines"))
    for entry in entries:
        keywords = {k.strip() for k in entry.fields.get("keywords", "").split(",")}
        if entry.key not in citations.uses and not keywords & citations.keywords:
            problems.append(
                Problem(
                    entry.path,
                    entry.line,
                    f"{entry.key}: never cited and in no publication list; cite it or remove it",
                )
            )
    return problems


def lint_snapshots(bib_files: Iterable[Path]) -> list[Problem]:
    """The checks that apply to harvested snapshots (``bib/publications/*.bib``).

    Written by ``make publications`` from INSPIRE-HEP and HAL, they keep INSPIRE's texkeys
    (``Abe:2011ks``), so the key convention does not apply; and no page cites them one by
    one. Each file must still parse, hold each key and identifier once, and give each entry
    the fields its type requires and a DOI, an arXiv identifier or a URL.
    """
    problems: list[Problem] = []
    for path in bib_files:
        entries, trouble = read_bib_file(path)
        problems += trouble
        for entry in entries:
            problems += check_entry(entry, key_convention=False)
        problems += check_identifiers_unique(entries)
    return problems


def main(root: Path = ROOT) -> int:
    problems = lint(sorted((root / "bib").glob("*.bib")), page_files(root))
    problems += lint_snapshots(sorted((root / "bib" / "publications").glob("*.bib")))
    for problem in problems:
        print(problem)
    count = len(problems)
    print(
        f"bibtex-lint: {count} problem{'s' if count != 1 else ''}"
        if count
        else "bibtex-lint: all entries and citations are fine"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
