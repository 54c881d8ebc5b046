"""pybtex's work, done once per process instead of once per citation.

sphinxcontrib-bibtex 2.7 treats every ``{footcite}`` on its own: it makes a new citation
style and formats the entry again, and pybtex 0.26 looks up each plugin the style needs
(name style, label style, sorting) by reading the entry points of every installed
distribution. On a page with ten footnote citations that is thirty scans of ~190 package
metadata folders and ten formatting passes over the same entries: before this extension, half of
the time spent reading the handbook's pages (25 s of a 55 s build of 50 pages).

Neither answer changes while Sphinx runs, so both are kept for the life of the process:

- ``pybtex.plugin.entry_points`` (the name pybtex imported from importlib.metadata, and the
  only way it reaches installed distributions) answers each group and name from memory.
  Plugins registered at run time, like our "handbook" style, still come first.
- The configured default style is registered again as a subclass that remembers each
  entry it formatted, keyed by the entry object (kept alive by the cache, so its identity
  cannot be reused) and label. Only styles made with pybtex's defaults are remembered:
  that is how sphinxcontrib-bibtex makes them.

Each process keeps its own caches: parallel readers inherit or rebuild them.
"""

from __future__ import annotations

import functools
from importlib import metadata
from typing import Any, ClassVar

import pybtex.plugin
from pybtex.style import FormattedEntry
from sphinx.application import Sphinx

STYLE_GROUP = "pybtex.style.formatting"


@functools.cache
def _installed() -> Any:
    """Every installed entry point, read once (selectable by group and name)."""
    return metadata.entry_points().select()


@functools.cache
def cached_entry_points(*, group: str, name: str | None = None) -> tuple[metadata.EntryPoint,
                                                                          ...]:
    """``importlib.metadata.entry_points(group=..., name=...)``, answered from memory.

    pybtex only iterates over the result and takes its length, which a tuple supports.
    """
    found = (_installed().select(group=group) if name is None
             else _installed().select(group=group, name=name))
    return tuple(found)


class RemembersEntries:
    """Mixed into a pybtex style: format each (label, entry) once per process."""

    _formatted: ClassVar[dict[tuple[str, int], tuple[Any, FormattedEntry]]]
    _with_defaults: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._with_defaults = not args and not kwargs

    def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> FormattedEntry:
        if not self._with_defaults or bib_data is not None:
            return super().format_entry(label, entry, bib_data=bib_data)  # type: ignore[misc]
        key = (label, id(entry))
        cached = self._formatted.get(key)
        if cached is None or cached[0] is not entry:
            cached = self._formatted[key] = (
                entry, super().format_entry(label, entry))  # type: ignore[misc]
        return cached[1]


def remembering(style: type) -> type:
    """The style, as a subclass that remembers the entries it formatted."""
    if issubclass(style, RemembersEntries):
        return style
    return type(style.__name__, (RemembersEntries, style),
                {"_formatted": {}, "__doc__": style.__doc__, "__module__": style.__module__})


def remember_default_style(app: Sphinx) -> None:
    """Once every extension has registered its styles, wrap the one citations use."""
    name = app.config.bibtex_default_style
    style = pybtex.plugin.find_plugin(STYLE_GROUP, name)
    pybtex.plugin.register_plugin(STYLE_GROUP, name, remembering(style), force=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    pybtex.plugin.entry_points = cached_entry_points  # type: ignore[attr-defined]
    # Before sphinxcontrib-bibtex's own builder-inited handlers look the style up.
    app.connect("builder-inited", remember_default_style, priority=400)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
