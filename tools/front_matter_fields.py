"""The front-matter fields of programme and institution pages, read from their JSON Schemas.

The build validates every programme and institution page against the schemas in
``_ext/handbook/content/knowledge_base/schemas/``. CONTRIBUTING.md explains the same fields in a
table, and ``tools/new_page.py`` asks for them; both take the fields from here, and the schemas and
the words for their patterns from the build's own module, so neither can drift from what the build
accepts.

Run ``python tools/front_matter_fields.py --write`` after changing a schema: it rewrites
the tables in CONTRIBUTING.md. Without ``--write`` it only checks them (the tests do too).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
# The schemas and the words for their patterns are the build's
# (_ext/handbook/content/knowledge_base/schema.py).
from handbook.content.knowledge_base.schema import PAGE_TYPES, load_schema, pattern_words  # noqa: E402

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
PAGE_KINDS = PAGE_TYPES
#: The fields every page has, whatever its kind (owner and review dates:
#: _ext/handbook/content/page_review/).
REVIEW_KIND = "review"

TABLE_START = re.compile(r"<!-- front-matter-fields: (?P<kind>[a-z]+) -->\n")
TABLE_END = "<!-- end of generated table -->"


@dataclass(frozen=True)
class Field:
    """One top-level front-matter field, as a contributor needs to know it."""

    name: str
    required: bool
    description: str
    allowed: str
    schema: dict[str, Any]  # the field's own schema, with the $defs it refers to

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values when the field (or each item of a list) is one of a few."""
        node = _resolve(self.schema, self.schema)
        node = _resolve(self.schema, node.get("items", node))
        return tuple(node.get("enum", ()))

    @property
    def is_list(self) -> bool:
        return self.schema.get("type") == "array"


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` such as ``#/$defs/area``."""
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def describe(root: dict[str, Any], node: dict[str, Any]) -> str:
    """What a value must look like, in words."""
    node = _resolve(root, node)
    if "const" in node:
        return f"always `{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type")
    if kind == "array":
        size = "one or more items" if node.get("minItems", 0) else "items"
        return f"a list of {size}, each {describe(root, node['items'])}"
    if kind == "object":
        parts = []
        for name, sub in node["properties"].items():
            optional = "" if name in node.get("required", ()) else ", optional"
            parts.append(f"`{name}` ({describe(root, sub)}{optional})")
        return "an entry with " + "; ".join(parts)
    if kind == "integer":
        return f"a whole number from {node['minimum']} to {node['maximum']}"
    if kind == "boolean":
        return "`true` or `false`"
    if node.get("format") == "date":
        return 'a date written `"YYYY-MM-DD"`, in quotes'
    if "pattern" in node:
        return pattern_words(node["pattern"])
    return "text"


def fields(kind: str) -> list[Field]:
    """The fields of one page kind, in the order the schema lists them."""
    schema = load_schema(kind)
    required = set(schema.get("required", ()))
    found = []
    for name, node in schema["properties"].items():
        own_schema = {**node, "$defs": schema.get("$defs", {})}
        found.append(
            Field(
                name,
                name in required,
                node.get("description", ""),
                describe(schema, node),
                own_schema,
            )
        )
    return found


def field_table(kind: str) -> str:
    """A Markdown table of the fields of one page kind."""
    rows = ["| Field | Required | What it holds | Allowed values |", "|---|---|---|---|"]
    for entry in fields(kind):
        cells = (
            f"`{entry.name}`",
            "yes" if entry.required else "no",
            entry.description,
            entry.allowed,
        )
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def with_fresh_tables(text: str) -> str:
    """The text with every generated table replaced by one made from the schemas now."""
    out, position = [], 0
    for match in TABLE_START.finditer(text):
        end = text.index(TABLE_END, match.end())
        out += [text[position : match.end()], field_table(match["kind"])]
        position = end
    return "".join(out) + text[position:]


def main(argv: list[str]) -> int:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    fresh = with_fresh_tables(text)
    if "--write" in argv:
        CONTRIBUTING.write_text(fresh, encoding="utf-8")
        print(f"front-matter-fields: tables in {CONTRIBUTING.name} rewritten from the schemas")
        return 0
    if fresh != text:
        print(
            f"{CONTRIBUTING.name}: the front-matter tables differ from the schemas; run "
            "`python tools/front_matter_fields.py --write`"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
