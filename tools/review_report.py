"""The body of the standing "review due" issue, written from the site's review.json.

The HTML build writes ``review.json`` (``_ext/handbook/content/page_review/``): every page with its
owner and due date, the dated facts past their review period and the ``[secondary]`` sources. The
weekly workflow ``.github/workflows/review-due.yml`` turns it into this Markdown, grouped by owner
so that each team finds its own pages, and replaces the issue's body with it.

    python tools/review_report.py _build/html/review.json > report.md

Standard library only: the workflow runs it on a bare runner.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

#: Pages due within this many days are listed as coming up.
SOON_DAYS = 30


def link(page: dict[str, Any], site: str) -> str:
    return f"[{page['page']}]({site}{page['url']})" if site else f"`{page['page']}`"


def why(item: dict[str, Any]) -> str:
    """What sets a due date: the page's review, its status check or a source's reading."""
    kind = item.get("due_because") or item.get("fact")
    source = item.get("due_source") or item.get("source")
    if kind == "status":
        return "programme status check"
    if kind == "source":
        return f"source `{source}` read"
    return "last review"


def report(data: dict[str, Any], site: str = "", soon_days: int = SOON_DAYS) -> str:
    """The issue body: overdue pages and those due soon by owner, old facts, secondary sources."""
    today = date.fromisoformat(data["today"])
    soon = today + timedelta(days=soon_days)
    overdue = [p for p in data["pages"] if p["overdue_days"] > 0]
    coming = [
        p for p in data["pages"] if not p["overdue_days"] and date.fromisoformat(p["due"]) <= soon
    ]
    lines = [
        f"Review schedule of the handbook on {today.isoformat()}: "
        f"**{len(overdue)}** pages past their review date, {len(coming)} due within "
        f"{soon_days} days, {len(data['overdue_facts'])} dated facts past their review "
        f"period, {len(data['secondary_sources'])} secondary sources.",
        "",
    ]
    if site:
        lines += [f"The full schedule: {site}review-schedule.html", ""]
    for title, pages in (
        ("Past their review date", overdue),
        (f"Due within {soon_days} days", coming),
    ):
        lines += [f"## {title}", ""]
        if not pages:
            lines += ["None.", ""]
            continue
        owners = sorted({p["owner_team"] or p["owner"] for p in pages})
        for owner in owners:
            lines += [
                f"### {owner}",
                "",
                "| Page | Due | Because of | Overdue (days) |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| {link(p, site)} | {p['due']} | {why(p)} | {p['overdue_days'] or ''} |"
                for p in pages
                if (p["owner_team"] or p["owner"]) == owner
            ]
            lines.append("")
    lines += ["## Dated facts past their review period", ""]
    if data["overdue_facts"]:
        lines += ["| Page | Fact | Dated | Due | Overdue (days) |", "|---|---|---|---|---|"]
        lines += [
            f"| `{f['page']}` | {why(f)} | {f['dated']} | {f['due']} | {f['overdue_days']} |"
            for f in data["overdue_facts"]
        ]
    else:
        lines.append("None.")
    lines += ["", "## Secondary sources to replace with primary ones", ""]
    if data["secondary_sources"]:
        lines += ["| Source | Title | Cited on |", "|---|---|---|"]
        lines += [
            f"| `{s['key']}` | {s['title']} | "
            + (", ".join(f"`{page}`" for page in s["cited_on"]) or "no page")
            + " |"
            for s in data["secondary_sources"]
        ]
    else:
        lines.append("None.")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review_json", type=Path, help="review.json from the HTML build")
    parser.add_argument(
        "--site",
        default="",
        help="the published site's address, ending in / (default: the one review.json gives)",
    )
    parser.add_argument(
        "--soon", type=int, default=SOON_DAYS, help="list pages due within this many days"
    )
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.review_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"review-report: cannot read {args.review_json}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(report(data, args.site or data.get("site", ""), args.soon))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
