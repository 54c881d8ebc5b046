"""What readers and contributors see: notices on pages, the schedule and the stale list.

Everything here is made while a page is written, from the environment and the build's
"today", so that a page's notice is right on the day the site is built.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from docutils import nodes
from sphinx import addnodes

from handbook.i18n.messages import _, format_nodes
from handbook.rendering.doc_tables import data_table

from .schedule import Entry, Expiry, Review, overdue_days
from .sources import Source
from .translations import Stale


def moment(when: datetime) -> str:
    """A commit time to the minute, in UTC: a page and its catalogue often change the same day."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def page_link(docname: str, fromdoc: str) -> addnodes.pending_xref:
    """A link to a page with its title, resolved and checked like a hand-written {doc}."""
    ref = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=f"/{docname}",
        refexplicit=False,
        refwarn=True,
        refdoc=fromdoc,
    )
    ref += nodes.inline(text=docname)
    return ref


def reason(expiry: Expiry) -> str:
    """Which dated fact sets the due date, in words."""
    day = expiry.dated.isoformat()
    if expiry.kind == "status":
        # Translators: why a page is due for review; {date} is an ISO date.
        return _("the programme status, checked on {date}").format(date=day)
    if expiry.kind == "source":
        # Translators: why a page is due for review; {key} is a BibTeX key.
        return _("the source {key}, read on {date}").format(key=expiry.key, date=day)
    # Translators: why a page is due for review; {date} is an ISO date.
    return _("its last review, on {date}").format(date=day)


def review_line(review: Review, due: Expiry, today: date) -> str:
    """The footer's line, beside "Last updated"."""
    if due.due < today:
        # Translators: footer of every page, beside "Last updated on ...".
        return _("Last reviewed on {reviewed} · next review was due on {due}.").format(
            reviewed=review.last_reviewed.isoformat(), due=due.due.isoformat()
        )
    # Translators: footer of every page, beside "Last updated on ...".
    return _("Last reviewed on {reviewed} · next review due on {due}.").format(
        reviewed=review.last_reviewed.isoformat(), due=due.due.isoformat()
    )


def overdue_notice(review: Review, due: Expiry) -> nodes.Element:
    """The notice under the title of a page past its review date."""
    notice = nodes.admonition(classes=["review-overdue", "warning"])
    # Translators: title of the notice on a page past its review date.
    notice += nodes.title(text=_("Review overdue"))
    # Translators: shown under the title of a page past its review date.
    notice += nodes.paragraph(
        text=_(
            "This page was due for review on {due}, {months} months after {reason}. Some of its "
            "facts may be out of date: check them against the sources it cites."
        ).format(due=due.due.isoformat(), months=review.review_in, reason=reason(due))
    )
    return notice


def stale_notice(stale: Stale) -> nodes.Element:
    """The notice under the title of a translated page whose English text changed since."""
    notice = nodes.note(classes=["translation-stale"])
    # Translators: shown under the title of a translated page; the dates are ISO dates.
    notice += nodes.paragraph(
        text=_(
            "The English page changed on {english}, after this translation was last updated on "
            "{catalogue}: some of this page may not say what the English page now says."
        ).format(
            english=moment(stale.english_changed),
            catalogue=moment(stale.catalogue_updated) if stale.catalogue_updated else "-",
        )
    )
    return notice


def schedule_table(entries: list[Entry], fromdoc: str) -> nodes.table:
    header = [
        _("Page"),
        _("Owner"),
        _("Last reviewed"),
        _("Review every"),
        _("Next review due"),
        _("Due because of"),
        _("Overdue (days)"),
    ]
    rows = [
        [
            page_link(e.review.docname, fromdoc),
            f"{e.role.name} ({e.role.team})" if e.role else e.review.owner,
            e.review.last_reviewed.isoformat(),
            _("{months} months").format(months=e.review.review_in),
            e.due.due.isoformat(),
            reason(e.due),
            str(e.overdue_days) if e.overdue_days else "",
        ]
        for e in entries
    ]
    return data_table(rows, header, classes=["review-schedule"])


def facts_table(facts: list[tuple[Review, Expiry]], today: date, fromdoc: str) -> nodes.Node:
    if not facts:
        return nodes.paragraph(
            text=_("No status check or source reading is past its page's review period.")
        )
    header = [_("Page"), _("Dated fact"), _("Due"), _("Overdue (days)")]
    rows = [
        [
            page_link(review.docname, fromdoc),
            reason(expiry),
            expiry.due.isoformat(),
            str(overdue_days(expiry.due, today)),
        ]
        for review, expiry in facts
    ]
    return data_table(rows, header, classes=["review-overdue-facts"])


def secondary_table(secondary: list[tuple[Source, list[str]]], fromdoc: str) -> nodes.Node:
    if not secondary:
        return nodes.paragraph(text=_("No entry of bib/ is marked [secondary]."))
    header = [_("Source"), _("Title"), _("Note"), _("Cited on")]
    rows = []
    for source, pages in secondary:
        cited: list[nodes.Node] = []
        for number, page in enumerate(pages):
            if number:
                cited.append(nodes.Text(", "))
            cited.append(page_link(page, fromdoc))
        rows.append(
            [nodes.literal(text=source.key), source.title, source.note, cited or _("no page")]
        )
    return data_table(rows, header, classes=["review-secondary-sources"])


def stale_table(
    stale: dict[str, dict[str, Stale]], languages: dict[str, str], fromdoc: str
) -> nodes.Node:
    rows = []
    for language, pages in stale.items():
        for item in sorted(pages.values(), key=lambda s: s.docname):
            updated = item.catalogue_updated
            rows.append(
                [
                    languages.get(language, language),
                    page_link(item.docname, fromdoc),
                    moment(item.english_changed),
                    moment(updated) if updated else _("no catalogue"),
                ]
            )
    if not rows:
        return nodes.paragraph(text=_("Every translated page is up to date with its English page."))
    header = [_("Language"), _("Page"), _("English changed"), _("Catalogue updated")]
    return data_table(rows, header, classes=["translation-stale-pages"])


def with_link(template: str, docname: str, fromdoc: str) -> nodes.paragraph:
    """A paragraph whose ``{page}`` placeholder is a link to a page."""
    return nodes.paragraph("", "", *format_nodes(template, page=page_link(docname, fromdoc)))
