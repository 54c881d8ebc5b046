"""One-line mistakes that contributors make, each applied to a copy of the handbook.

Each case changes one file the way a real contributor would break it (a page pasted from
Word, a stray tab in YAML, a DOI pasted as a URL, a CSV saved by a spreadsheet with a decimal
comma...) and says what `make html` must answer: the file, the line where there is one, and
the words of the message that tell the contributor what to change.

The mutations look for generic anchors (the first entry of a .bib file, the line after the
front matter, the end of a page) rather than for today's wording, so the table keeps working
while the pages change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: A mutation takes the file's bytes and returns the new bytes and the line of the mistake
#: (None when the message cannot have a line, such as an empty file).
Mutation = Callable[[bytes], tuple[bytes, int | None]]


@dataclass(frozen=True)
class Case:
    """One bad input and the answer expected from `make html`."""

    name: str
    path: str  # relative to the project root; created when it does not exist
    mutate: Mutation
    message: str  # a regular expression the located error line must match

    def apply(self, project: Path) -> int | None:
        """Break the copy of the project; return the line the error must name."""
        target = project / self.path
        before = target.read_bytes() if target.exists() else b""
        after, line = self.mutate(before)
        target.write_bytes(after)
        return line


def _lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def append(text: str, encoding: str = "utf-8", error_line: int = 1) -> Mutation:
    """Add a paragraph at the end; the error is on its ``error_line``-th line."""

    def mutate(data: bytes) -> tuple[bytes, int]:
        base = data if data.endswith(b"\n") else data + b"\n"
        added = "\n" + text.rstrip("\n") + "\n"
        return base + added.encode(encoding), _lines(base) + 1 + error_line

    return mutate


def after_line_matching(pattern: str, text: str) -> Mutation:
    """Insert ``text`` right after the first line matching ``pattern``."""

    def mutate(data: bytes) -> tuple[bytes, int]:
        lines = data.decode("utf-8").splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if re.search(pattern, line))
        lines.insert(index + 1, text if text.endswith("\n") else text + "\n")
        return "".join(lines).encode("utf-8"), index + 2

    return mutate


def replace_first(pattern: str, replacement: str) -> Mutation:
    """Rewrite the first line matching ``pattern`` (a regex substitution on that line)."""

    def mutate(data: bytes) -> tuple[bytes, int]:
        lines = data.decode("utf-8").splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if re.search(pattern, line))
        lines[index] = re.sub(pattern, replacement, lines[index], count=1)
        return "".join(lines).encode("utf-8"), index + 1

    return mutate


def duplicate_first_bib_entry(data: bytes) -> tuple[bytes, int]:
    """Paste the file's first entry again at the end, as when merging two drafts."""
    text = data.decode("utf-8")
    start = text.index("\n@") + 1 if not text.startswith("@") else 0
    end = text.index("\n}", start) + 2
    base = text if text.endswith("\n") else text + "\n"
    return (base + "\n" + text[start:end] + "\n").encode("utf-8"), _lines(base.encode()) + 2


def drop_comma_after_first_field(data: bytes) -> tuple[bytes, int]:
    """Forget the comma between the first two fields of the first entry."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if re.match(r"\s+\w+\s*=.*},\s*$", line))
    lines[index] = lines[index].rstrip().removesuffix(",") + "\n"
    # pybtex notices the missing comma on the next field's line.
    return "".join(lines).encode("utf-8"), index + 2


def unclose_front_matter(data: bytes) -> tuple[bytes, int]:
    """Delete the line that closes the front matter (or open one that is never closed)."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        del lines[closing]
    else:
        lines[:0] = ["---\n", "title: Living on campus\n", "\n"]
    return "".join(lines).encode("utf-8"), 1


def empty(data: bytes) -> tuple[bytes, None]:
    return b"", None


def front_matter_line(pattern: str, text: str) -> Mutation:
    """Insert a line into the front matter, after the first field matching ``pattern``."""
    return after_line_matching(pattern, text)


PAGE = "onboarding/time-zones.md"

CASES: list[Case] = [
    # -- Pages --------------------------------------------------------------------------
    Case(
        "page saved as Windows-1252 (pasted from Word)",
        PAGE,
        append("\u00c9t\u00e9 \u00e0 Kashiwa : la gare ouvre \u00e0 5 h.", encoding="cp1252"),
        r"not valid UTF-8.*save the file as UTF-8",
    ),
    Case("empty page", "onboarding/japanese-phrases.md", empty, r"page is empty"),
    Case(
        "unknown cross-reference label",
        "institutions/cern.md",
        append("See {ref}`no-such-label-anywhere`."),
        r"no-such-label-anywhere",
    ),
    Case(
        "label defined twice",
        "institutions/jaxa.md",
        # Reported at the heading the label names, as Sphinx does.
        append("(getting-to-kashiwa)=\n## Getting there again\n\nText.", error_line=2),
        r"duplicate label getting-to-kashiwa",
    ),
    Case(
        "link to a heading that does not exist",
        "onboarding/before-you-go.md",
        append("Read [the routes](getting-to-kashiwa.md#no-such-heading)."),
        r"no-such-heading",
    ),
    Case(
        "link to a page that does not exist",
        "institutions/kek.md",
        append("See {doc}`/research/programmes/no-such-experiment`."),
        r"no-such-experiment",
    ),
    Case(
        "citation key that is not in bib/",
        "institutions/lam.md",
        append("As measured {cite:p}`Nobody_Nothing_2099`."),
        r"Nobody_Nothing_2099",
    ),
    Case(
        "misspelled role",
        "institutions/lapp.md",
        append("As measured {footcit:p}`T2K_Nature_2020`."),
        r"footcit",
    ),
    Case(
        "image file that does not exist",
        "institutions/lpnhe.md",
        append("![The campus map](images/no-such-map.png)"),
        r"no-such-map\.png",
    ),
    Case(
        "section pasted twice",
        "onboarding/index.md",
        append("## Before you travel\n\nText.\n\n## Before you travel\n\nMore.", error_line=5),
        r"heading 'Before you travel' appears twice",
    ),
    Case(
        "heading levels skipped",
        "institutions/polytechnique.md",
        append("###### A sixth-level heading\n\nText."),
        r"[Hh]ead(ing|er) level",
    ),
    # -- Raw HTML and third-party assets --------------------------------------------------
    Case(
        "script from a third-party host",
        "research/fields/astrophysics.md",
        append('<script src="https://cdn.jsdelivr.net/npm/x@1/x.min.js"></script>'),
        r"third-party.*cdn\.jsdelivr\.net",
    ),
    Case(
        "stylesheet from a web-font service",
        "research/fields/cosmology.md",
        append('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">'),
        r"third-party.*fonts\.googleapis\.com",
    ),
    Case(
        "embedded video from a third-party host",
        "research/fields/particle-physics.md",
        append('<iframe src="https://www.youtube.com/embed/abc"></iframe>'),
        r"third-party.*www\.youtube\.com",
    ),
    Case(
        "image hot-linked from another site",
        "research/fields/astroparticle-physics.md",
        append("![Super-Kamiokande](https://upload.wikimedia.org/sk.jpg)"),
        r"third-party.*upload\.wikimedia\.org",
    ),
    Case(
        "inline script in a page",
        "research/fields/neutrino-physics.md",
        append("<script>alert('hello')</script>"),
        r"<script>",
    ),
    # -- Front matter -------------------------------------------------------------------
    Case(
        "tab indentation in front matter",
        "research/programmes/t2k.md",
        front_matter_line(r"^country:", "\tcountry_code: JP"),
        r"front matter.*tab",
    ),
    Case(
        "curly quotes from a word processor in front matter",
        "research/programmes/super-kamiokande.md",
        replace_first(r"^status_checked: .*$", "status_checked: \u201c2026-11-25\u201d"),
        r"status_checked",
    ),
    Case(
        "status that is not in the list",
        "research/programmes/kagra.md",
        replace_first(r"^status: .*$", "status: running"),
        r"status.*running.*expected",
    ),
    Case(
        "host that is not an institution page",
        "research/programmes/litebird.md",
        replace_first(r"^host: .*$", "host: institutions/kek-tsukuba"),
        r"kek-tsukuba.*not an institution page",
    ),
    Case(
        "front matter never closed",
        "onboarding/living-on-campus.md",
        unclose_front_matter,
        r"never closed",
    ),
    # -- Bibliographies -----------------------------------------------------------------
    Case(
        "missing comma between .bib fields",
        "bib/lab.bib",
        drop_comma_after_first_field,
        r"syntax error",
    ),
    Case("same .bib key twice", "bib/neutrino.bib", duplicate_first_bib_entry, r"duplicate key"),
    Case(
        "DOI pasted as a URL",
        "bib/particle.bib",
        replace_first(r"doi(\s*)= \{10\.", r"doi\1= {https://doi.org/10."),
        r"not a DOI",
    ),
    Case(
        ".bib file saved as Latin-1",
        "bib/astrophysics.bib",
        append("% Entr\u00e9es v\u00e9rifi\u00e9es", encoding="latin-1"),
        r"not valid UTF-8",
    ),
    # -- Data files ---------------------------------------------------------------------
    Case(
        "CSV row with a missing column",
        "onboarding/data/airports.csv",
        append("KIX,Osaka Kansai,34.434,135.232"),
        r"values but the header has",
    ),
    Case(
        "decimal comma in a CSV number",
        "onboarding/data/emission-factors.csv",
        append(
            'Example long-haul,"0,152",yes,ADEME Base Carbone,2018,Base Carbone,'
            "https://base-empreinte.ademe.fr/,"
        ),
        r"kg_co2e_per_pkm.*decimal.*point",
    ),
    Case(
        "trip to an airport that is not listed",
        "onboarding/data/trips.csv",
        append("CDG,XXX"),
        r"XXX",
    ),
    Case(
        "CSV saved as Windows-1252 by a spreadsheet",
        "onboarding/data/airports.csv",
        append("ORY,Paris-Orly \u00e9t\u00e9,48.7233,2.3794,,,,", encoding="cp1252"),
        r"not valid UTF-8",
    ),
    Case(
        "tab indentation in a YAML data file",
        "onboarding/data/routes.yaml",
        append("\textra: value"),
        r"tab",
    ),
    Case(
        "same YAML key twice in a data file",
        "onboarding/data/routes.yaml",
        append('checked: "2026-12-01"'),
        r"'checked' is given twice",
    ),
    # -- Directive options --------------------------------------------------------------
    Case(
        "directive option with a value not in the list",
        "onboarding/checklists.md",
        append("```{programme-catalogue}\n:area: neutrinos\n```", error_line=2),
        r"area.*neutrinos.*choose from",
    ),
    Case(
        "misspelled directive option",
        "onboarding/low-carbon-collaboration.md",
        append("```{footprint-table}\n:tables: trips\n```", error_line=2),
        r"Unknown option key: 'tables'",
    ),
    # -- Owners and review dates (_ext/handbook/content/page_review/) ------------------------------
    Case(
        "page owner that is not a role of roles.yaml",
        "institutions/utokyo.md",
        replace_first(r"^owner: .*", "owner: jane-doe"),
        r"'jane-doe', which is not a role of roles\.yaml",
    ),
    Case(
        "review date written the French way",
        "research/glossary.md",
        replace_first(r"^last_reviewed: .*", "last_reviewed: 25/11/2026"),
        r"'last_reviewed' is \"25/11/2026\"; expected a date",
    ),
    Case(
        "review period that is not in the list",
        "institutions/icepp.md",
        replace_first(r"^review_in: .*", "review_in: 18"),
        r"'review_in' is 18; expected a number of months: 3, 6, 12, 24",
    ),
    Case(
        "page without the review fields",
        "onboarding/index.md",
        replace_first(r"^owner: .*", "maintainer: onboarding-reviewers"),
        r"required field 'owner' is missing",
    ),
]


def batches(cases: list[Case] = CASES) -> list[list[Case]]:
    """Group the cases so that no two in a group change the same file.

    Every case is still checked on its own (its file, its line, its words), but a group is
    built once: the strict build goes on after an error and reports them all, which makes
    the table a few builds instead of one build per case.
    """
    groups: list[list[Case]] = []
    for case in cases:
        group = next((g for g in groups if all(c.path != case.path for c in g)), None)
        if group is None:
            groups.append(group := [])
        group.append(case)
    return groups
