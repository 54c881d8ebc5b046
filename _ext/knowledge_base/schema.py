"""Validate front matter against the JSON Schemas in schemas/, with readable messages."""

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
#: Fields every page has, whatever its type; _ext/page_review/ validates them (review.schema.json).
REVIEW_FIELDS = ("owner", "last_reviewed", "review_in")


@dataclass(frozen=True)
class Problem:
    """One validation failure, tied to a top-level field when there is one."""

    field: str | None
    message: str


@cache
def validator_for(page_type: str) -> Draft202012Validator:
    """Load the schema of one page type once per process."""
    schema = json.loads((SCHEMA_DIR / f"{page_type}.schema.json").read_text(encoding="utf-8"))
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
        "pattern": lambda: f"text matching {error.validator_value}",
        "format": lambda: f"a valid {error.validator_value} (YYYY-MM-DD)",
        "minItems": lambda: f"at least {error.validator_value} item(s)",
        "uniqueItems": lambda: "no repeated items",
    }.get(str(error.validator))
    found = json.dumps(error.instance, ensure_ascii=False, default=str)
    if expected is None:
        return Problem(field, f"field '{where}': {error.message}")
    return Problem(field, f"field '{where}' is {found}; expected {expected()}")


def validate(data: dict[str, Any]) -> list[Problem]:
    """Check one page's front matter; an unknown page_type is itself a problem."""
    page_type = data.get("page_type")
    if page_type not in PAGE_TYPES:
        return [Problem("page_type", f"field 'page_type' is {page_type!r}; expected one of "
                        + ", ".join(map(repr, PAGE_TYPES)))]
    own = {name: value for name, value in data.items() if name not in REVIEW_FIELDS}
    errors = sorted(validator_for(page_type).iter_errors(own), key=lambda e: list(e.path))
    return [_describe(error) for error in errors]
