"""The handbook's citation style: titles as written, dated web pages, "et al." for long lists.

pybtex's unsrt style puts the titles of articles, web pages (``@misc``) and most other types
in sentence case, which lowercases every proper noun not wrapped in braces ("Signing of the
japan-france social security agreement"). The ``.bib`` files already write each title in
its proper case, so the style "handbook" prints titles as written.

A web page is dated by its publication date, when the entry has one (``date`` as
``YYYY-MM-DD``, or ``month`` and ``year``, or ``year``), and by the day it was read:
"(accessed 2026-11-25)" from ``urldate``. The house rule for a page that shows no date is
``year`` = the year it was read (``bib/web.bib``); such a ``year`` alone, equal to the year
of ``urldate``, says nothing that "accessed" does not, and printed as a publication year it
would claim a date the page does not show, so it is left out.

pybtex prints a BibTeX "and others" literally ("Abe, K., and others"), in the reference
lists and in textual citations alike ("Ghigna and others [3]"). Readers of a physics
reference expect "et al." after the first author or the collaboration name (Latin, the
same in every language), so:

- the bibliography style "handbook" (pybtex's unsrt) shortens any list with "others" or
  more than MAX_LISTED_AUTHORS names;
- the citation styles "author_year_et_al" and "foot_et_al" (sphinxcontrib-bibtex's
  author_year and foot) treat "others" as "et al." in the text.

The words the style adds itself, "accessed" and the "and" of author lists, come from the
handbook catalogue (:mod:`handbook.i18n.messages`): "consulté le", "閲覧日" in the French
and Japanese editions. pybtex's own words for other entry types ("In", "pages", "editors")
stay English; the handbook's entries are articles, books and web pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style import template as pybtex_template
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import (
    FieldIsMissing,
    join,
    node,
    optional,
    optional_field,
    sentence,
    words,
)
from pybtex.style.template import field as entry_field
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_citation_style
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.foot import FootReferenceStyle
from sphinxcontrib.bibtex.style.template import join as join_et_al

from handbook.i18n.messages import _

STYLE_NAME = "handbook"
MAX_LISTED_AUTHORS = 3


def _is_others(person: Any) -> bool:
    return str(person).strip().lower() == "others"


@node
def names_et_al(children: list, context: dict, role: str, **kwargs: Any) -> Text:
    """Format a name list, cutting it to its first name plus "et al." when long."""
    if children:
        raise ValueError(children)
    try:
        persons = context["entry"].persons[role]
    except KeyError as error:
        raise FieldIsMissing(role, context["entry"]) from error
    style = context["style"]
    named = [p for p in persons if not _is_others(p)]
    if len(named) < len(persons) or len(named) > MAX_LISTED_AUTHORS:
        first = style.format_name(named[0], style.abbreviate_names)
        return join[first, " et al."].format_data(context)
    formatted = [style.format_name(p, style.abbreviate_names) for p in named]
    return join(**kwargs)[formatted].format_data(context)


def publication_date(entry: Any) -> Any | None:
    """The template of a web page's publication date, or None when the entry gives none.

    ``date`` (ISO) first, then ``month`` with ``year``, then ``year`` unless it is only the
    year of the visit (see the module docstring).
    """
    fields = entry.fields
    if fields.get("date"):
        return entry_field("date")
    if fields.get("month"):
        return words[entry_field("month"), entry_field("year")]
    year = fields.get("year", "")
    if not year or (fields.get("urldate", "")[:4] == year and "url" in fields):
        return None
    return entry_field("year")


class HandbookStyle(UnsrtStyle):
    """unsrt with titles as written, dated web pages and shortened author lists."""

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        # Translators: between the two names of a two-author list ("Abe, K. and Ray, L."); keep
        # the spaces around it.
        sep2 = _(" and ")
        # Translators: before the last name of a list of three ("A, B, and C"); keep the spaces.
        last_sep = _(", and ")
        formatted = names_et_al(role, sep=", ", sep2=sep2, last_sep=last_sep)
        return sentence[formatted] if as_sentence else formatted

    def format_title(self, e: Any, which_field: str, as_sentence: bool = True) -> Any:
        """The title as the .bib file writes it, never changed to sentence case."""
        title = entry_field(which_field)
        return sentence[title] if as_sentence else title

    def get_misc_template(self, e: Any) -> Any:
        """unsrt's ``@misc`` (web pages, preprints), dated by :func:`publication_date`."""
        date = publication_date(e)
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[(optional[entry_field("howpublished")], *([date] if date else []))],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e: Any) -> Any:
        """unsrt's links, with "(accessed 2026-11-25)" after a URL that has a ``urldate``."""
        # Translators: after a web page's address, the day it was read (an ISO date), shown
        # in parentheses: "(accessed 2026-11-25)".
        before, _placeholder, after = _("accessed {date}").partition("{date}")
        accessed = optional[" (", before, entry_field("urldate"), after, ")"]
        return sentence[
            optional[self.format_url(e), accessed],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]


@node
def cited_names(
    children: list, data: dict, role: str, sep: Any, sep2: Any, last_sep: Any, other: Any
) -> Text:
    """In-text author names: "A", "A and B", or "A et al." when "others" is listed."""
    if children:
        raise ValueError(children)
    try:
        persons = data["entry"].persons[role]
    except KeyError as error:
        raise FieldIsMissing(role, data["entry"]) from error
    style = data["style"]
    named = [p for p in persons if not _is_others(p)]
    formatted = [style.person.style_plugin.format(p, style.person.abbreviate) for p in named]
    if len(named) < len(persons) and other is not None:
        return Text(formatted[0].format_data(data), other)
    return join_et_al(sep=sep, sep2=sep2, last_sep=last_sep, other=other)[formatted].format_data(
        data
    )


@dataclass
class EtAlPersonStyle(PersonStyle):
    """sphinxcontrib-bibtex's person style, with "and others" read as "et al."."""

    def names(self, role: str, full: bool) -> Any:
        return cited_names(
            role=role,
            sep=self.sep,
            sep2=self.sep2,
            last_sep=self.last_sep,
            other=None if full else self.other,
        )

    def author_or_editor_or_title(self, full: bool) -> Any:
        """As sphinxcontrib-bibtex's own, but through cited_names."""
        t = pybtex_template
        return t.first_of[
            t.optional[self.names("author", full)],
            t.optional[self.names("editor", full)],
            t.tag("em")[t.field("title")],
        ]


@dataclass
class AuthorYearEtAl(AuthorYearReferenceStyle):
    person: PersonStyle = field(default_factory=EtAlPersonStyle)


@dataclass
class FootEtAl(FootReferenceStyle):
    person: PersonStyle = field(default_factory=EtAlPersonStyle)


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.formatting", STYLE_NAME, HandbookStyle)
    register_citation_style(
        "sphinxcontrib.bibtex.style.referencing", "author_year_et_al", AuthorYearEtAl
    )
    register_citation_style("sphinxcontrib.bibtex.style.referencing", "foot_et_al", FootEtAl)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
