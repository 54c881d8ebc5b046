"""The front-matter rules of programme and institution pages, and their messages.

This module owns them for every tool: the build (``collect_front_matter`` and
``check_links_between_pages`` in this package) and ``make new-page`` (``tools/new_page.py``)
call the same functions, so a contributor reads the same words from both. The shapes are
the JSON Schemas in ``schemas/``; the links between pages (institution pages, BibTeX keys)
are checked by :func:`check_links` against the names each caller knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).parent / "schemas"
PAGE_TYPES = ("programme", "institution")
#: Fields every page has, whatever its type; _ext/handbook/content/page_review/ validates them
#: (review.schema.json).
REVIEW_FIELDS = ("owner", "last_reviewed", "review_in")


@dataclass(frozen=True)
class Problem:
    """One validation failure, tied to a top-level field when there is one."""

    field: str | None
    message: str


#: Patterns of the schemas, in words a contributor reads more easily than a regex: in the
#: build's messages, new-page's questions and CONTRIBUTING's tables alike.
PATTERN_WORDS = {
    "^https?://": "a web address starting with `https://` (or `http://`)",
    "^institutions/[a-z0-9-]+$": "an institution page, written `institutions/<file name>`",
    "^[A-Za-z0-9_:-]+$": "a BibTeX key from `bib/`",
    "^[a-z0-9-]+$": "lower-case letters, digits and hyphens",
    "^[a-z]+(-[a-z]+)*$": "a role of `roles.yaml`, such as `research-reviewers`",
}


def pattern_words(pattern: str) -> str:
    """What text a schema pattern accepts, in words."""
    return PATTERN_WORDS.get(pattern, f"text matching `{pattern}`")


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of front matter: programme, institution or review."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def validator_for(kind: str) -> Draft202012Validator:
    """The validator of one kind of front matter, built once per process."""
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _describe(error: ValidationError) -> Problem:
    """Turn a jsonschema error into 'field: what was found, what was expected'."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return Problem(missing, f"required field '{missing}' is missing")
    if error.validator == "additionalProperties" and not path:
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return Problem(
            unknown[0] if unknown else None,
            f"unknown field(s) {', '.join(map(repr, unknown))}; allowed fields: {allowed}",
        )
    field = str(path[0]) if path else None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    expected = {
        "enum": lambda: "one of " + ", ".join(map(repr, error.validator_value)),
        "const": lambda: repr(error.validator_value),
        "type": lambda: f"a value of type {error.validator_value}",
        "pattern": lambda: pattern_words(str(error.validator_value)),
        "format": lambda: f"a valid {error.validator_value} (YYYY-MM-DD)",
        "minItems": lambda: f"at least {error.validator_value} item(s)",
        "uniqueItems": lambda: "no repeated items",
    }.get(str(error.validator))
    found = json.dumps(error.instance, ensure_ascii=False, default=str)
    if expected is None:
        return Problem(field, f"field '{where}': {error.message}")
    return Problem(field, f"field '{where}' is {found}; expected {expected()}")


def headline(kind: str, message: str) -> str:
    """A problem as the contributor reads it, whichever tool found it."""
    return f"{kind} front matter: {message}"


def validate(data: dict[str, Any]) -> list[Problem]:
    """Check one page's front matter; an unknown page_type is itself a problem."""
    page_type = data.get("page_type")
    if page_type not in PAGE_TYPES:
        return [
            Problem(
                "page_type",
                f"field 'page_type' is {page_type!r}; expected one of "
                + ", ".join(map(repr, PAGE_TYPES)),
            )
        ]
    own = {name: value for name, value in data.items() if name not in REVIEW_FIELDS}
    errors = sorted(validator_for(page_type).iter_errors(own), key=lambda e: list(e.path))
    return [_describe(error) for error in errors]


def validate_field(page_type: str, name: str, value: Any) -> list[Problem]:
    """Check one field alone, worded as :func:`validate` words it (for tools that ask field by
    field): the other fields' absence is not a problem here."""
    errors = sorted(validator_for(page_type).iter_errors({name: value}), key=lambda e: list(e.path))
    return [
        _describe(error)
        for error in errors
        if not (error.validator == "required" and not error.absolute_path)
    ]


#: Fields that name institution pages: one page, or a list of pages.
INSTITUTION_FIELDS = ("host", "parent")
INSTITUTION_LIST_FIELDS = ("ilance_institutions", "co_parents")
#: Fields that cite a source: a web address or a BibTeX key.
SOURCE_FIELDS = ("status_source", "role_source")


def check_links(data: dict[str, Any], institutions: set[str], keys: set[str]) -> list[Problem]:
    """Every institution page and BibTeX key that valid front matter names must exist.

    ``institutions`` are the docnames of the institution pages (``institutions/in2p3``),
    ``keys`` the citation keys of ``bib/``: the build passes what it has read, new-page what
    it finds in the files, so the rule and its words stay here.
    """
    problems = []
    for field in INSTITUTION_FIELDS:
        if data.get(field) and data[field] not in institutions:
            problems.append(
                Problem(
                    field,
                    f"field '{field}' names {data[field]!r}, which is not an institution page",
                )
            )
    for field in INSTITUTION_LIST_FIELDS:
        problems += [
            Problem(field, f"field '{field}' names {name!r}, which is not an institution page")
            for name in data.get(field, [])
            if name not in institutions
        ]
    problems += [
        Problem("references", f"field 'references' cites {key!r}, which is not a key in bib/")
        for key in data.get("references", [])
        if key not in keys
    ]
    sources = [(field, data.get(field)) for field in SOURCE_FIELDS]
    sources += [("milestones", milestone.get("source")) for milestone in data.get("milestones", [])]
    problems += [
        Problem(
            field, f"field '{field}' cites {source!r}, which is neither a URL nor a key in bib/"
        )
        for field, source in sources
        if source and "://" not in source and source not in keys
    ]
    return problems
