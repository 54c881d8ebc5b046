"""When each page is due for review, and what is past due on a given day.

A page is due ``review_in`` months after the most recent of its checks, but every dated
fact on it wears out on its own: the programme status checked on ``status_checked``, each
web source read on its ``urldate``. Each of them expires ``review_in`` months after its date,
and the nearest expiry is the page's due date, with the fact that sets it. "Today" is always
given by the caller (``handbook_today`` in conf.py): the schedule is a pure function of the
pages and that day, so tests fix the day and a build never fails because of the calendar.
"""

from __future__ import annotations

import calendar
import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .fields import Role, as_date
from .sources import Source

#: The environment variable that sets "today" for a build; tests set it explicitly.
TODAY_VARIABLE = "HANDBOOK_TODAY"


@dataclass(frozen=True)
class Review:
    """The review fields of one page, with the dated facts and the sources it has."""

    docname: str
    owner: str
    last_reviewed: date
    review_in: int
    status_checked: date | None
    status_line: int
    cited: tuple[str, ...]


@dataclass(frozen=True)
class Expiry:
    """One dated fact of a page and the day it must be checked again."""

    kind: str  # "page", "status" or "source"
    dated: date
    due: date
    key: str = ""  # the BibTeX key, for a source


@dataclass(frozen=True)
class Entry:
    """One line of the review schedule."""

    review: Review
    role: Role | None
    due: Expiry
    overdue_days: int  # 0 when not yet due


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 January + 1 = 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiries(review: Review, sources: dict[str, Source]) -> list[Expiry]:
    """Every dated fact of the page, the page's own review first, then by due date."""
    months = review.review_in
    found = [Expiry("page", review.last_reviewed, add_months(review.last_reviewed, months))]
    if review.status_checked is not None:
        found.append(
            Expiry("status", review.status_checked, add_months(review.status_checked, months))
        )
    for key in review.cited:
        source = sources.get(key)
        if source is not None and source.read_on is not None:
            found.append(Expiry("source", source.read_on, add_months(source.read_on, months), key))
    return found[:1] + sorted(found[1:], key=lambda e: (e.due, e.kind, e.key))


def nearest(review: Review, sources: dict[str, Source]) -> Expiry:
    """The expiry that comes first; on a tie, the page's own review (listed first)."""
    return min(expiries(review, sources), key=lambda e: e.due)


def overdue_days(due: date, today: date) -> int:
    return max((today - due).days, 0)


def entries(
    reviews: dict[str, Review], roles: dict[str, Role], sources: dict[str, Source], today: date
) -> list[Entry]:
    """The schedule: every page, the most overdue first, then by due date and name."""
    found = []
    for review in reviews.values():
        due = nearest(review, sources)
        found.append(Entry(review, roles.get(review.owner), due, overdue_days(due.due, today)))
    return sorted(found, key=lambda e: (e.due.due, e.review.docname))


def overdue_facts(
    reviews: dict[str, Review], sources: dict[str, Source], today: date
) -> list[tuple[Review, Expiry]]:
    """Status checks and source readings older than their page's review period."""
    found = [
        (review, expiry)
        for review in reviews.values()
        for expiry in expiries(review, sources)[1:]
        if expiry.due < today
    ]
    return sorted(found, key=lambda pair: (pair[1].due, pair[0].docname, pair[1].key))


def secondary_sources(
    reviews: dict[str, Review], sources: dict[str, Source]
) -> list[tuple[Source, list[str]]]:
    """Every source marked [secondary], with the pages that cite it."""
    citing: dict[str, list[str]] = {}
    for review in reviews.values():
        for key in review.cited:
            citing.setdefault(key, []).append(review.docname)
    return [
        (source, sorted(citing.get(key, [])))
        for key, source in sorted(sources.items())
        if source.secondary
    ]


def today_of(config: Config) -> date:
    """The day the build takes for today: conf.py's ``handbook_today``, else the real date."""
    value = config.handbook_today or os.environ.get(TODAY_VARIABLE, "")
    day = as_date(value) if value else None
    return day or date.today()


def reviews(env: BuildEnvironment) -> dict[str, Review]:
    """The review records of every page, keyed by docname (created on first use)."""
    if not hasattr(env, "page_review_records"):
        env.page_review_records = {}
    return env.page_review_records


def payload(
    entries_: list[Entry],
    facts: list[tuple[Review, Expiry]],
    secondary: list[tuple[Source, list[str]]],
    today: date,
    uri: Any,
    site: str,
) -> dict[str, Any]:
    """The content of review.json, for the workflow that updates the "review due" issue."""
    return {
        "today": today.isoformat(),
        "site": site,
        "pages": [
            {
                "page": e.review.docname,
                "url": uri(e.review.docname),
                "owner": e.review.owner,
                "owner_team": e.role.team if e.role else None,
                "last_reviewed": e.review.last_reviewed.isoformat(),
                "review_in_months": e.review.review_in,
                "due": e.due.due.isoformat(),
                "due_because": e.due.kind,
                "due_source": e.due.key or None,
                "overdue_days": e.overdue_days,
            }
            for e in entries_
        ],
        "overdue_facts": [
            {
                "page": review.docname,
                "fact": expiry.kind,
                "source": expiry.key or None,
                "dated": expiry.dated.isoformat(),
                "due": expiry.due.isoformat(),
                "overdue_days": overdue_days(expiry.due, today),
            }
            for review, expiry in facts
        ],
        "secondary_sources": [
            {
                "key": source.key,
                "title": source.title,
                "note": source.note,
                "cited_on": pages,
            }
            for source, pages in secondary
        ],
    }
