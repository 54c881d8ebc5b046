"""The handbook's citation style: pybtex's "unsrt" with "et al." for long author lists.

pybtex prints a BibTeX "and others" literally ("Abe, K., and others"). Readers of a
physics reference expect "et al." after the first author or the collaboration name,
so this style shortens any list with "others" or more than MAX_LISTED_AUTHORS names.
"""

from __future__ import annotations

from typing import Any

from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import FieldIsMissing, join, node, sentence
from sphinx.application import Sphinx

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


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.formatting", STYLE_NAME, HandbookStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
