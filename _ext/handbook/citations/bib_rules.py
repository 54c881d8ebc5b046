"""The rules a .bib entry must follow, shared by the build and by ``make lint``.

Why here, in ``_ext/``: the strict build must refuse a broken bibliography with the file and
line, the same way ``tools/bibtex_lint.py`` does, and with the same words. Both call
:func:`check_bib_files`; only the linter goes on to compare the pages' citations with the
entries (Sphinx checks those itself while it builds).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import BibliographyData, parse_string
from pybtex.scanner import PybtexSyntaxError

from handbook.checks.data_files import DataFileError, decode

#: Where messages are shown relative to (the project root), when the path is inside it.
ROOT = Path(__file__).resolve().parents[3]  # the project: _ext/handbook/citations/ is three down

#: Key convention: FirstAuthorOrCollaboration_Topic_Year, letters and digits in each part.
KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+_\d{4}[a-z]?$")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_PATTERN = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
REQUIRED_FIELDS = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "book": ("author", "title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "misc": ("author", "title", "year"),
}
PERSON_FIELDS = {"author", "editor"}

ENTRY_START = re.compile(r"^[ \t]*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
#: The label of a secondary source: the publisher of the page is not the owner of the
#: information (see bib/README.md). It opens the entry's ``note`` field, so that a reader sees
#: it in the bibliography and a script (the review schedule) can select these entries.
SECONDARY_LABEL = "[secondary]"
#: Hosts that only re-publish other people's documents or wiki articles: an entry whose
#: ``url`` is on one of them must carry the label.
COPY_HOSTS = (
    "5dok.net",
    "cupdf.com",
    "docslib.org",
    "doczz.",
    "dokumen.tips",
    "documents.pub",
    "fdocuments.",
    "pdfslide.",
    "readkong.com",
    "scribd.com",
    "studylib.net",
    "vdocuments.",
    "wikimili.com",
    "wpedia.goo.ne.jp",
)
URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


@dataclass
class Entry:
    key: str
    kind: str
    path: Path
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    persons: set[str] = field(default_factory=set)
    #: The file line where each field starts, so a message points at the field to fix.
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_bib_file(path: Path) -> tuple[list[Entry], list[Problem]]:
    """Parse one .bib file strictly; report bad bytes and syntax with their line."""
    try:
        text = decode(path.read_bytes(), path)
    except DataFileError as error:
        return [], [Problem(path, error.line or 1, error.message)]
    except OSError as error:
        return [], [Problem(path, 1, f"cannot read the file ({error.strerror})")]
    starts = {m.group(2): _line_of(text, m.start()) for m in ENTRY_START.finditer(text)}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for match in ENTRY_START.finditer(text):
        key = match.group(2)
        if key in seen:
            problems.append(
                Problem(
                    path,
                    _line_of(text, match.start()),
                    f"duplicate key {key!r} (first at line {seen[key]})",
                )
            )
        else:
            seen[key] = _line_of(text, match.start())
    if problems:
        return [], problems
    try:
        data: BibliographyData = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        return [], [Problem(path, error.lineno or 1, f"BibTeX syntax error: {error}")]
    except Exception as error:  # pybtex raises plain errors for some malformed input
        return [], [Problem(path, 1, f"cannot parse: {error}")]
    entries = [
        Entry(
            key,
            entry.type.lower(),
            path,
            starts.get(key, 1),
            {name.lower(): str(value) for name, value in entry.fields.items()},
            {role.lower() for role in entry.persons},
            _field_lines(text, starts.get(key)),
        )
        for key, entry in data.entries.items()
    ]
    return entries, problems


FIELD_START = re.compile(r"^[ \t]*(\w+)[ \t]*=", re.MULTILINE)


def _field_lines(text: str, entry_line: int | None) -> dict[str, int]:
    """The line of each field of the entry that starts on ``entry_line``."""
    if entry_line is None:
        return {}
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: entry_line - 1])
    following = ENTRY_START.search(text, start + 1)
    end = following.start() if following else len(text)
    return {
        m.group(1).lower(): _line_of(text, m.start())
        for m in FIELD_START.finditer(text, start, end)
    }


def check_entry(entry: Entry, key_convention: bool = True) -> Iterator[Problem]:
    """Checks that need only the entry itself; ``key_convention`` False for harvested keys."""

    def problem(message: str, at: str | None = None) -> Problem:
        line = entry.line_of(at) if at else entry.line
        return Problem(entry.path, line, f"{entry.key}: {message}")

    if key_convention and not KEY_PATTERN.match(entry.key):
        yield problem(
            "key does not follow the convention Author_Topic_Year "
            "(letters and digits in each part, e.g. T2K_Nature_2020)"
        )
    required = REQUIRED_FIELDS.get(entry.kind)
    if required is None:
        yield problem(
            f"unknown entry type @{entry.kind}; use one of "
            + ", ".join(f"@{k}" for k in REQUIRED_FIELDS)
        )
        return
    present = set(entry.fields) | entry.persons
    for name in required:
        if name == "author" and present & PERSON_FIELDS:
            continue
        if name not in present:
            yield problem(f"@{entry.kind} requires the field '{name}'")
    if not {"doi", "eprint", "url"} & set(entry.fields):
        yield problem("needs a 'doi', an 'eprint' (arXiv) or a 'url' so readers can find it")
    doi = entry.fields.get("doi")
    if doi is not None and not DOI_PATTERN.match(doi):
        yield problem(
            f"'{doi}' is not a DOI (expected 10.NNNN/suffix, without https://doi.org/)", at="doi"
        )
    eprint = entry.fields.get("eprint")
    if eprint is not None:
        if not ARXIV_PATTERN.match(eprint):
            yield problem(
                f"'{eprint}' is not an arXiv identifier (expected 2202.02773 or hep-ex/0101001)",
                at="eprint",
            )
        if entry.fields.get("archiveprefix", "arXiv").lower() != "arxiv":
            yield problem("eprint is only supported with archivePrefix = {arXiv}")
    if "unverified" in " ".join(entry.fields.values()).lower():
        yield problem("an unverified value is marked in a field: leave the field out instead")
    yield from check_secondary_label(entry, problem)


def is_secondary(entry: Entry) -> bool:
    """Whether the entry is labelled as a secondary source (its note opens with the label)."""
    return entry.fields.get("note", "").lstrip().startswith(SECONDARY_LABEL)


def check_secondary_label(entry: Entry, problem: Callable[[str], Problem]) -> Iterator[Problem]:
    """One spelling and one place for the label, and no copy host without it.

    The review schedule lists the labelled entries by reading the ``note`` field alone, so a
    label written elsewhere, or in another form, would hide a weak source from it.
    """
    for name, value in entry.fields.items():
        lowered = value.lower()
        if "secondary]" not in lowered and "[secondary" not in lowered:
            continue
        if name != "note" or not is_secondary(entry):
            yield problem(
                f"write the label exactly as '{SECONDARY_LABEL}' at the start of the "
                f"'note' field (found in '{name}')"
            )
    host = URL_HOST.match(entry.fields.get("url", ""))
    if host and not is_secondary(entry):
        name = host.group(1).lower()
        if is_copy_host(name):
            yield problem(
                f"the url is on {name}, a site that re-publishes other people's "
                f"documents: start the 'note' field with '{SECONDARY_LABEL}' and say "
                "what the copy is of, or cite the original"
            )


def is_copy_host(name: str) -> bool:
    """``name`` is one of COPY_HOSTS or under it; "pdfslide." stands for any pdfslide.* domain."""
    for host in COPY_HOSTS:
        if host.endswith("."):
            if name.startswith(host) or f".{host}" in name:
                return True
        elif name == host or name.endswith(f".{host}"):
            return True
    return False


def secondary_entries(bib_files: Iterable[Path]) -> list[Entry]:
    """Every entry labelled as a secondary source, for the review schedule."""
    return [entry for path in bib_files for entry in read_bib_file(path)[0] if is_secondary(entry)]


def check_identifiers_unique(entries: Iterable[Entry]) -> Iterator[Problem]:
    for name in ("doi", "eprint"):
        first: dict[str, Entry] = {}
        for entry in entries:
            value = entry.fields.get(name)
            if value is None:
                continue
            value = value.lower()
            if value in first:
                other = first[value]
                label = "DOI" if name == "doi" else "arXiv identifier"
                yield Problem(
                    entry.path,
                    entry.line,
                    f"{entry.key}: same {label} {value} as {other.key} "
                    f"({other.path.name}:{other.line})",
                )
            else:
                first[value] = entry


def check_bib_files(bib_files: Iterable[Path]) -> tuple[list[Entry], list[Problem], bool]:
    """Read and check every file: the entries, the problems, and whether a file was
    unreadable (then its keys are unknown, and citations of them prove nothing)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    unreadable = False
    for path in bib_files:
        found, trouble = read_bib_file(path)
        entries += found
        problems += trouble
        unreadable = unreadable or (bool(trouble) and not found)
    first_seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.key in first_seen:
            other = first_seen[entry.key]
            problems.append(
                Problem(
                    entry.path,
                    entry.line,
                    f"{entry.key}: key already used in {other.path.name}:{other.line}",
                )
            )
        first_seen.setdefault(entry.key, entry)
        problems += check_entry(entry)
    problems += check_identifiers_unique(entries)
    return entries, problems, unreadable
