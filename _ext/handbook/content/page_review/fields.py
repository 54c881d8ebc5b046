"""The review fields of a page's front matter, and the roles that may own a page.

Every page says who owns it (``owner``, a role of ``roles.yaml``), when its facts were last checked
(``last_reviewed``) and how many months later they must be checked again (``review_in``). The shape
of the three fields is a JSON Schema beside the knowledge base's
(``_ext/handbook/content/knowledge_base/schemas/review.schema.json``), so ``tools/new_page.py`` and
the CONTRIBUTING tables read the same definition; the roles come from ``roles.yaml``, which no
static schema can list. This module owns the rules and their messages: the build (:func:`check`) and
``make new-page`` (:func:`check_field`, :func:`read_roles`) call it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from handbook.content.knowledge_base.schema import validator_for

FIELDS = ("owner", "last_reviewed", "review_in")


@dataclass(frozen=True)
class Role:
    """One owner role: its name for readers and the GitHub team behind it."""

    key: str
    name: str
    team: str
    scope: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at a line of the file it is in."""

    message: str
    line: int
    field: str | None = None


def validator() -> Draft202012Validator:
    """The review fields' validator, loaded where every front-matter schema is."""
    return validator_for("review")


def owner_pattern() -> str:
    """What a role's key looks like: lower-case words joined by hyphens."""
    return str(validator().schema["properties"]["owner"]["pattern"])


def review_periods() -> tuple[int, ...]:
    """The allowed values of ``review_in``, in months."""
    return tuple(validator().schema["properties"]["review_in"]["enum"])


def read_roles(path: Path) -> tuple[dict[str, Role], list[Problem]]:
    """The roles of ``roles.yaml``, and what is wrong with the file, line by line."""
    if not path.is_file():
        return {}, [Problem(f"{path.name} is missing: it lists the roles that own pages", 1)]
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark is not None else 1
        return {}, [Problem(f"invalid YAML: {error.problem}", line)]
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict) or not data["roles"]:
        return {}, [Problem("expected a mapping 'roles:' of role: {name, team, scope}", 1)]
    roles_node = next(value for key, value in node.value if key.value == "roles")
    lines = {str(key.value): key.start_mark.line + 1 for key, _value in roles_node.value}
    roles: dict[str, Role] = {}
    problems: list[Problem] = []
    for key, entry in data["roles"].items():
        line = lines.get(str(key), 1)
        if not isinstance(key, str) or not re.fullmatch(owner_pattern(), key):
            problems.append(Problem(f"role {key!r}: use lower-case words joined by hyphens", line))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(f"role {key!r}: expected name, team and scope", line))
            continue
        missing = [
            f
            for f in ("name", "team", "scope")
            if not isinstance(entry.get(f), str) or not entry[f].strip()
        ]
        unknown = sorted(set(entry) - {"name", "team", "scope"})
        if missing or unknown:
            what = [f"missing {', '.join(missing)}"] if missing else []
            what += [f"unknown {', '.join(unknown)}"] if unknown else []
            problems.append(Problem(f"role {key!r}: {'; '.join(what)}", line))
            continue
        if not entry["team"].startswith("@") or "/" not in entry["team"]:
            problems.append(
                Problem(
                    f"role {key!r}: team {entry['team']!r} is not a GitHub "
                    "team such as @organization/team",
                    line,
                )
            )
            continue
        roles[key] = Role(key, entry["name"], entry["team"], entry["scope"])
    return roles, problems


def _describe(error: ValidationError, periods: tuple[int, ...]) -> tuple[str | None, str]:
    field = str(error.absolute_path[0]) if error.absolute_path else None
    found = json.dumps(error.instance, ensure_ascii=False, default=str)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return missing, (
            f"required field '{missing}' is missing (every page has owner, "
            "last_reviewed and review_in)"
        )
    if field == "last_reviewed":
        return field, f"field 'last_reviewed' is {found}; expected a date written \"YYYY-MM-DD\""
    if field == "review_in":
        allowed = ", ".join(map(str, periods))
        return field, f"field 'review_in' is {found}; expected a number of months: {allowed}"
    if field == "owner":
        return field, f"field 'owner' is {found}; expected a role of roles.yaml"
    return field, error.message


def check(
    data: dict[str, Any], lines: dict[str, int], first_line: int, roles: dict[str, Role]
) -> list[Problem]:
    """What is wrong with a page's review fields; each problem at its field's line."""
    review = {name: data[name] for name in FIELDS if name in data}
    problems = []
    periods = review_periods()
    for error in sorted(validator().iter_errors(review), key=lambda e: list(e.path)):
        field, message = _describe(error, periods)
        problems.append(Problem(message, lines.get(field or "", first_line), field))
    owner = review.get("owner")
    if (
        isinstance(owner, str)
        and roles
        and owner not in roles
        and not any(p.field == "owner" for p in problems)
    ):
        problems.append(
            Problem(
                f"field 'owner' is {owner!r}, which is not a role of roles.yaml; roles: "
                + ", ".join(sorted(roles)),
                lines.get("owner", first_line),
                "owner",
            )
        )
    return problems


def check_field(name: str, value: Any, roles: dict[str, Role]) -> list[Problem]:
    """What is wrong with one review field alone, worded as :func:`check` words it (for tools
    that ask field by field: the other fields' absence is not a problem here)."""
    return [problem for problem in check({name: value}, {}, 1, roles) if problem.field == name]


def as_date(value: Any) -> date | None:
    """An ISO date from front matter or a .bib field, or None when it is not one."""
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
