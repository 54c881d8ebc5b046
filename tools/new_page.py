"""Start a handbook page from a template: a well-named file, valid front matter, in the toctree.

A first-time contributor should not have to learn the toctree, the label convention or
the front-matter schema before writing a sentence. This script does those parts:

    make new-page KIND=programme NAME=juno TITLE="JUNO"
    python tools/new_page.py programme --name juno --title "JUNO" --set "site=Kaiping" ...

It writes ``<section>/<name>.md`` from ``tools/page-templates/<kind>.md`` and adds the page to the
table of contents of the section's ``index.md``. Every page gets the review fields (``owner``, a
role of ``roles.yaml``, suggested from the section; ``last_reviewed``, today; ``review_in``), and
programme and institution pages their facts too, from ``--set field=value`` options or, at a
terminal, from questions; it is all checked against the same JSON Schemas, roles, BibTeX keys and
institution pages as the build, before anything is written, so the new page builds without warnings.
The rules and their messages are the build's own functions
(``_ext/handbook/content/knowledge_base/schema.py``,
``_ext/handbook/content/page_review/fields.py``): a mistake reads the same here and in ``make
html``. The templates hold only true sentences and notes in MyST comments (``%``), never placeholder
text.
"""

from __future__ import annotations

import argparse
import os
import re
import string
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import front_matter_fields
import yaml
from bibtex_lint import ENTRY_START

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
# The rules and their messages live in the extensions, which the build runs: one set of rules.
from handbook.content.knowledge_base import schema  # noqa: E402
from handbook.content.knowledge_base.front_matter import read_front_matter  # noqa: E402
from handbook.content.knowledge_base.schema import headline  # noqa: E402
from handbook.content.page_review import fields as review_fields  # noqa: E402

TEMPLATES = ROOT / "tools" / "page-templates"
KINDS = ("programme", "institution", "onboarding", "general")
DEFAULT_SECTIONS = {
    "programme": "research/programmes",
    "institution": "institutions",
    "onboarding": "onboarding",
}
#: Which table of contents of institutions/index.md an institution joins, by its role.
INSTITUTION_CAPTIONS = {
    "founding": "Founding organizations",
    "division": "University of Tokyo and its divisions",
    "partner": "Partners",
    "programme-partner": "Partners",
}
#: Fields asked with a suggested answer; the contributor may keep or change it.
SUGGESTIONS = {
    "short_name": "{title}",
    "full_name": "{title}",
    "status_checked": "{today}",
    "owner": "{owner}",
    "last_reviewed": "{today}",
    "review_in": "{review_in}",
}
#: The role that owns a new page, by the page's first folder (roles.yaml lists the roles;
#: .github/CODEOWNERS asks the same teams for reviews of the same folders).
DEFAULT_OWNERS = {
    "research": "research-reviewers",
    "institutions": "institutions-reviewers",
    "onboarding": "onboarding-reviewers",
    "bib": "bibliography-reviewers",
}
FALLBACK_OWNER = "editorial-reviewers"
#: Months between reviews suggested for a new page: onboarding rules and prices change fast.
DEFAULT_REVIEW_IN = {"onboarding": 6}
#: Fields not asked: a list of dated entries is easier to write in the file itself.
NOT_ASKED = {"page_type", "milestones"}
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_LINE = re.compile(r"^\(([^)\s]+)\)=\s*$", re.MULTILINE)
TOCTREE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{toctree\}\s*$")
SKIPPED_FOLDERS = {".venv", "_build", ".git", "tests", "tools", ".github"}
#: What to do about a name that the build would not find: new-page's own advice, printed
#: under the build's message.
HINTS = {
    "bib": "  hint: add its entry to a .bib file in bib/ first (Ctrl+C stops here: nothing "
    "is written yet)",
    "source": "  hint: give the web address of the source, or add its entry to a .bib file in "
    "bib/ first (Ctrl+C stops here: nothing is written yet)",
    "institution": "  hint: create the institution page first, with make new-page "
    "KIND=institution (Ctrl+C stops here: nothing is written yet)",
}


class ScaffoldError(Exception):
    """A problem the contributor can fix by changing the command; printed without traceback."""


@dataclass(frozen=True)
class Request:
    kind: str
    name: str
    title: str
    section: str
    caption: str | None
    values: dict[str, str]


# -- Front matter -----------------------------------------------------------------------


def bib_keys(root: Path) -> set[str]:
    """Every citation key defined in bib/."""
    return {
        m.group(2)
        for path in (root / "bib").glob("*.bib")
        for m in ENTRY_START.finditer(path.read_text(encoding="utf-8"))
    }


def institution_pages(root: Path) -> set[str]:
    """``institutions/<name>`` for every institution page, read as the build reads them."""
    found = set()
    for path in (root / "institutions").glob("*.md"):
        front = read_front_matter(path.read_text(encoding="utf-8"))
        if front is not None and front.data.get("page_type") == "institution":
            found.add(f"institutions/{path.stem}")
    return found


def known_roles(root: Path) -> dict[str, review_fields.Role]:
    """The roles of roles.yaml (none when it cannot be read: the build reports why)."""
    return review_fields.read_roles(root / "roles.yaml")[0]


def page_fields(kind: str) -> list[front_matter_fields.Field]:
    """The fields a page of this kind has: its kind's own, then the review fields."""
    own = front_matter_fields.fields(kind) if kind in front_matter_fields.PAGE_KINDS else []
    return own + front_matter_fields.fields(front_matter_fields.REVIEW_KIND)


def parse_value(field: front_matter_fields.Field, text: str) -> Any:
    """Turn typed text into the field's value: lists are comma-separated, whole numbers
    become numbers (other text is left for the rules to refuse, in the build's words)."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]  # "2026-11-25", quoted as in a page's front matter
    if field.is_list:
        return [item.strip() for item in text.split(",") if item.strip()]
    if field.schema.get("type") == "integer" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return text


def field_problems(
    kind: str, field: front_matter_fields.Field, value: Any, root: Path
) -> list[str]:
    """What is wrong with one value, in the build's words: the rules live in _ext/
    (knowledge_base/schema.py, page_review/fields.py); only the hints are new-page's."""
    if field.name in review_fields.FIELDS:
        return [
            headline("review", problem.message)
            for problem in review_fields.check_field(field.name, value, known_roles(root))
        ]
    problems = schema.validate_field(kind, field.name, value)
    if problems:
        return [headline(kind, problem.message) for problem in problems]
    found = []
    for problem in schema.check_links({field.name: value}, institution_pages(root), bib_keys(root)):
        found.append(headline(kind, problem.message))
        names_a_page = problem.field in schema.INSTITUTION_FIELDS + schema.INSTITUTION_LIST_FIELDS
        hint = HINTS[
            "institution" if names_a_page else "bib" if problem.field == "references" else "source"
        ]
        if hint not in found:
            found.append(hint)
    return found


def whole_problems(kind: str, data: dict[str, Any], root: Path) -> list[str]:
    """The front matter as the build will see it: required fields, page type and all."""
    problems = []
    if kind in front_matter_fields.PAGE_KINDS:
        problems += [
            headline(kind, problem.message)
            for problem in schema.validate(data)
            or schema.check_links(data, institution_pages(root), bib_keys(root))
        ]
    problems += [
        headline("review", problem.message)
        for problem in review_fields.check(data, {}, 1, known_roles(root))
    ]
    return problems


def ask(kind: str, field: front_matter_fields.Field, suggestion: str | None, root: Path) -> Any:
    """Ask for one field at the terminal until the answer is valid; None leaves it out."""
    print(f"\n{field.name}: {field.description}")
    print(
        f"  Allowed: {field.allowed}." + (" Separate several with commas." if field.is_list else "")
    )
    prompt = "  Required" if field.required else "  Optional, press Enter to leave it out"
    prompt += f" [{suggestion}]> " if suggestion else "> "
    while True:
        try:
            text = input(prompt).strip() or (suggestion or "")
        except EOFError:
            raise ScaffoldError("input ended before every field was given") from None
        if not text and not field.required:
            return None
        if not text:
            continue
        value = parse_value(field, text)
        problems = field_problems(kind, field, value, root)
        if not problems:
            return value
        print("\n".join(f"  {problem}" for problem in problems))


def front_matter(request: Request, root: Path, interactive: bool) -> dict[str, Any]:
    """The page's front matter, from --set values and answers, checked field by field."""
    fields = page_fields(request.kind)
    by_name = {field.name: field for field in fields}
    unknown = sorted(set(request.values) - set(by_name) | set(request.values) & NOT_ASKED)
    if unknown:
        raise ScaffoldError(
            f"cannot set {', '.join(unknown)}; fields you can set: "
            + ", ".join(sorted(set(by_name) - NOT_ASKED))
        )
    has_type = request.kind in front_matter_fields.PAGE_KINDS
    data: dict[str, Any] = {"page_type": request.kind} if has_type else {}
    problems: list[str] = []
    missing: list[front_matter_fields.Field] = []
    section = request.section.split("/")[0]
    context = {
        "title": request.title,
        "today": date.today().isoformat(),
        "owner": DEFAULT_OWNERS.get(section, FALLBACK_OWNER),
        "review_in": str(DEFAULT_REVIEW_IN.get(section, 12)),
    }
    for field in fields:
        if field.name in NOT_ASKED:
            continue
        suggestion = SUGGESTIONS.get(field.name, "").format(**context) or None
        if field.name in request.values:
            value = parse_value(field, request.values[field.name])
            problems += field_problems(request.kind, field, value, root)
        elif interactive:
            value = ask(request.kind, field, suggestion, root)
        elif suggestion is not None:
            value = parse_value(field, suggestion)
        else:
            if field.required:
                missing.append(field)
            continue
        if value not in (None, "", []):
            data[field.name] = value
    problems += [
        f"--set '{field.name}=...' is required: {field.description} Allowed: {field.allowed}."
        for field in missing
    ]
    if not problems:
        problems = whole_problems(request.kind, data, root)
    if problems:
        raise ScaffoldError("the front matter is not valid:\n  " + "\n  ".join(problems))
    return data


def render_front_matter(data: dict[str, Any]) -> str:
    """YAML in the handbook's style: one field a line, lists inline (as bibtex-lint reads)."""
    # Field by field: a mapping of plain values alone would be dumped on one line, {a: b}.
    text = "".join(
        yaml.safe_dump(
            {name: value},
            allow_unicode=True,
            sort_keys=False,
            width=10_000,
            default_flow_style=None if isinstance(value, list) else False,
        )
        for name, value in data.items()
    )
    return f"---\n{text}---\n\n"


# -- Page body --------------------------------------------------------------------------


def long_date(iso: str) -> str:
    """'2026-11-25' as '25 November 2026', the handbook's written form."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def citation(source: str) -> str:
    """A source from the front matter as a citation in running text."""
    if "://" in source:
        return f"([{urlsplit(source).hostname}]({source}))"
    return f"{{footcite:p}}`{source}`"


def template_values(request: Request, data: dict[str, Any]) -> dict[str, str]:
    label = f"institutions-{request.name}" if request.kind == "institution" else request.name
    values = {"label": label, "name": request.name, "title": request.title}
    if request.kind == "programme":
        values |= {
            "full_name": data["full_name"],
            "status": data["status"].replace("-", " "),
            "status_checked": long_date(data["status_checked"]),
            "status_citation": citation(data["status_source"]),
            "key_references": "\n".join(f"- {{footcite:t}}`{key}`" for key in data["references"]),
        }
    elif request.kind == "institution":
        values |= {
            "full_name": data["full_name"],
            "website": data["website"],
            "website_host": urlsplit(data["website"]).hostname or data["website"],
        }
    return values


def render_body(request: Request, data: dict[str, Any]) -> str:
    template = string.Template((TEMPLATES / f"{request.kind}.md").read_text(encoding="utf-8"))
    return template.substitute(template_values(request, data))


def existing_labels(root: Path) -> set[str]:
    labels: set[str] = set()
    for page in root.rglob("*.md"):
        if not set(page.relative_to(root).parts) & SKIPPED_FOLDERS:
            labels.update(LABEL_LINE.findall(page.read_text(encoding="utf-8")))
    return labels


# -- Table of contents ------------------------------------------------------------------


@dataclass(frozen=True)
class Toctree:
    """One toctree block of an index page: where its lines are and its caption."""

    start: int  # line of the opening fence
    end: int  # line of the closing fence
    caption: str | None


def toctrees(lines: list[str]) -> list[Toctree]:
    found, number = [], 0
    while number < len(lines):
        match = TOCTREE_OPEN.match(lines[number])
        if match is None:
            number += 1
            continue
        fence, caption = match["fence"], None
        end = number + 1
        while end < len(lines) and lines[end].strip() != fence:
            if lines[end].startswith(":caption:"):
                caption = lines[end].removeprefix(":caption:").strip()
            end += 1
        found.append(Toctree(number, end, caption))
        number = end + 1
    return found


def section_index(root: Path, section: str) -> Path:
    """The index.md whose toctree lists the section's pages: the nearest one above them."""
    folder = root / section
    while True:
        if (folder / "index.md").is_file():
            return folder / "index.md"
        if folder == root:
            raise ScaffoldError(f"no index.md above {section}/")
        folder = folder.parent


def choose_toctree(trees: list[Toctree], wanted: str | None, index: Path) -> Toctree:
    captions = [tree.caption or "(no caption)" for tree in trees]
    if wanted is not None:
        for tree in trees:
            if (tree.caption or "").casefold() == wanted.casefold():
                return tree
        raise ScaffoldError(
            f"{index.name} has no toctree captioned {wanted!r}; its toctrees: "
            + ", ".join(captions)
        )
    if len(trees) == 1:
        return trees[0]
    raise ScaffoldError(
        f"{index.relative_to(index.parents[1])} has several toctrees ("
        + ", ".join(captions)
        + "): choose one with CAPTION=... (--caption)"
    )


def add_to_toctree(index: Path, entry: str, caption: str | None) -> str:
    """The index text with the entry appended to the chosen toctree."""
    lines = index.read_text(encoding="utf-8").splitlines()
    trees = toctrees(lines)
    if not trees:
        raise ScaffoldError(f"{index} has no toctree")
    tree = choose_toctree(trees, caption, index)
    body = lines[tree.start + 1 : tree.end]
    if entry in (line.strip() for line in body):
        raise ScaffoldError(f"{entry} is already in the toctree of {index.name}")
    last = max((i for i, line in enumerate(body) if line.strip()), default=-1)
    is_option = last >= 0 and body[last].startswith(":")
    insert_at = tree.start + 1 + last + 1
    lines[insert_at:insert_at] = ["", entry] if is_option or last < 0 else [entry]
    return "\n".join(lines) + "\n"


# -- The command ------------------------------------------------------------------------


def scaffold(request: Request, root: Path = ROOT, interactive: bool = False) -> Path:
    """Write the page and its toctree entry; check everything first, so a failure writes nothing."""
    if not NAME_PATTERN.match(request.name):
        raise ScaffoldError(
            f"NAME {request.name!r}: use lower-case letters, digits and "
            "hyphens, like getting-to-kashiwa"
        )
    if not request.title.strip():
        raise ScaffoldError("TITLE is empty: give the page's title, in sentence case")
    folder = root / request.section
    if not folder.is_dir() or set(Path(request.section).parts) & SKIPPED_FOLDERS:
        raise ScaffoldError(f"SECTION {request.section!r} is not a folder of pages")
    page = folder / f"{request.name}.md"
    if page.exists():
        raise ScaffoldError(f"{page.relative_to(root)} exists already: edit it instead")
    data = front_matter(request, root, interactive)
    caption = request.caption
    if caption is None and request.kind == "programme":
        caption = "Programmes"
    if caption is None and request.kind == "institution":
        caption = INSTITUTION_CAPTIONS.get(data["ilance_role"])
    body = render_body(request, data)
    taken = set(LABEL_LINE.findall(body)) & existing_labels(root)
    if taken:
        raise ScaffoldError(
            f"label(s) {', '.join(sorted(taken))} already used by another page: choose another NAME"
        )
    index = section_index(root, request.section)
    entry = os.path.relpath(page.with_suffix(""), index.parent).replace(os.sep, "/")
    new_index = add_to_toctree(index, entry, caption)
    page.write_text((render_front_matter(data) if data else "") + body, encoding="utf-8")
    index.write_text(new_index, encoding="utf-8")
    return page


def parse_arguments(argv: list[str]) -> Request:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS, help="the kind of page, one template each")
    parser.add_argument(
        "--name", required=True, help="file name without .md: lower-case words joined by hyphens"
    )
    parser.add_argument("--title", required=True, help="the page's title, in sentence case")
    parser.add_argument(
        "--section", help="folder of the page (default: by kind; required for general pages)"
    )
    parser.add_argument(
        "--caption",
        help="caption of the toctree that lists the page, when the section's index has several",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a front-matter field (lists comma-separated); repeatable",
    )
    args = parser.parse_args(argv)
    section = args.section or DEFAULT_SECTIONS.get(args.kind)
    if section is None:
        parser.error("a general page needs --section (SECTION=...), e.g. research")
    values = {}
    for item in args.set:
        field, separator, value = item.partition("=")
        if not separator:
            parser.error(f"--set {item!r}: write FIELD=VALUE")
        values[field.strip()] = value
    return Request(
        args.kind, args.name, args.title, section.strip("/"), args.caption or None, values
    )


def main(argv: list[str]) -> int:
    request = parse_arguments(argv)
    try:
        page = scaffold(request, ROOT, interactive=sys.stdin.isatty())
    except ScaffoldError as error:
        print(f"new-page: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nnew-page: stopped; nothing was written", file=sys.stderr)
        return 130
    relative = page.relative_to(ROOT).as_posix()
    index = section_index(ROOT, request.section).relative_to(ROOT).as_posix()
    print(
        f"\nnew-page: created {relative} and listed it in {index}.\n"
        "Next:\n"
        "  1. Write the page: replace the notes (lines starting with %) with cited text.\n"
        f"  2. Preview it: make serve, then open http://127.0.0.1:8000/"
        f"{Path(relative).with_suffix('.html').as_posix()}\n"
        "  3. Record its address: make page-addresses\n"
        "  4. Run every check: make test, then open a pull request (CONTRIBUTING.md)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
