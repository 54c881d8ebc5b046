"""The handbook's citation style: "et al." wherever a BibTeX author list says "and others".

pybtex prints a BibTeX "and others" literally ("Abe, K., and others"), in the reference
lists and in textual citations alike ("Ghigna and others [3]"). Readers of a physics
reference expect "et al." after the first author or the collaboration name, so:

- the bibliography style "handbook" (pybtex's unsrt) shortens any list with "others" or
  more than MAX_LISTED_AUTHORS names;
- the citation styles "author_year_et_al" and "foot_et_al" (sphinxcontrib-bibtex's
  author_year and foot) treat "others" as "et al." in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style import template as pybtex_template
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import FieldIsMissing, join, node, sentence
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin as register_citation_style
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.foot import FootReferenceStyle
from sphinxcontrib.bibtex.style.template import join as join_et_al

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


class HandbookStyle(UnsrtStyle):
    """unsrt with shortened author lists; everything else as pybtex formats it."""

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        formatted = names_et_al(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted


@node
def cited_names(children: list, data: dict, role: str, sep: Any, sep2: Any, last_sep: Any,
                other: Any) -> Text:
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
    return join_et_al(sep=sep, sep2=sep2, last_sep=last_sep, other=other)[
        formatted].format_data(data)


@dataclass
class EtAlPersonStyle(PersonStyle):
    """sphinxcontrib-bibtex's person style, with "and others" read as "et al."."""

    def names(self, role: str, full: bool) -> Any:
        return cited_names(role=role, sep=self.sep, sep2=self.sep2, last_sep=self.last_sep,
                           other=None if full else self.other)

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
    register_citation_style("sphinxcontrib.bibtex.style.referencing", "author_year_et_al",
                            AuthorYearEtAl)
    register_citation_style("sphinxcontrib.bibtex.style.referencing", "foot_et_al", FootEtAl)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
