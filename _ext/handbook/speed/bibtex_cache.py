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

Formatting the entries is also the largest part of a rebuild after a small edit, because
sphinxcontrib-bibtex formats every entry of every bibliography again at each build. So the
formatted entries are also kept between builds, in the doctree folder
(``bibtex-formatted.pickle``), keyed by the entry's content (type, key, fields, names),
label and language, and valid only for the same formatting code (the source of every class of
the style, pybtex included). The language is the build's ``language`` with the content of its
handbook catalogue (``handbook.mo``): the style writes translated words ("accessed", "and"),
so a French build must never take an entry an English build formatted in the same process
(tests, the warm preview) or the same doctree folder, nor one formatted with an earlier
translation. An edited entry has a new key and is formatted again; a missing or
unreadable file only means formatting again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

import pybtex.plugin
from pybtex.style import FormattedEntry
from sphinx.application import Sphinx

from handbook.i18n.messages import catalogues

STYLE_GROUP = "pybtex.style.formatting"
STORE = "bibtex-formatted.pickle"


@functools.cache
def _installed() -> Any:
    """Every installed entry point, read once (selectable by group and name)."""
    return metadata.entry_points().select()


@functools.cache
def cached_entry_points(*, group: str, name: str | None = None) -> tuple[metadata.EntryPoint, ...]:
    """``importlib.metadata.entry_points(group=..., name=...)``, answered from memory.

    pybtex only iterates over the result and takes its length, which a tuple supports.
    """
    found = (
        _installed().select(group=group)
        if name is None
        else _installed().select(group=group, name=name)
    )
    return tuple(found)


def language_digest(app: Sphinx) -> str:
    """The words a style may translate: the build's language and its handbook catalogue."""
    digest = hashlib.sha256(str(app.config.language).encode())
    for catalogue in catalogues(app):
        with contextlib.suppress(OSError):
            digest.update(Path(catalogue.mo_path).read_bytes())
    return digest.hexdigest()


def entry_digest(label: str, entry: Any, language: str = "") -> str:
    """What a formatted entry is made from: its label, the entry's whole content and the
    language it is written in (:func:`language_digest`)."""
    persons = [
        (
            role,
            [
                (p.first_names, p.middle_names, p.prelast_names, p.last_names, p.lineage_names)
                for p in people
            ],
        )
        for role, people in entry.persons.items()
    ]
    content = (language, label, entry.type, entry.key, list(entry.fields.items()), persons)
    return hashlib.sha256(repr(content).encode()).hexdigest()


class RemembersEntries:
    """Mixed into a pybtex style: format each (label, entry) once, kept between builds."""

    _formatted: ClassVar[dict[tuple[str, str, int], tuple[Any, FormattedEntry]]]
    #: Formatted entries by ``entry_digest``: loaded from and saved to the doctree folder.
    _stored: ClassVar[dict[str, FormattedEntry]]
    #: What the file of this build's doctree folder holds: saved again only if it lacks some.
    _in_file: ClassVar[set[str]]
    #: The build's :func:`language_digest`, set when the build starts.
    language: ClassVar[str] = ""
    _with_defaults: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._with_defaults = not args and not kwargs

    def format_entry(self, label: str, entry: Any, bib_data: Any = None) -> FormattedEntry:
        if not self._with_defaults or bib_data is not None:
            return super().format_entry(label, entry, bib_data=bib_data)  # type: ignore[misc]
        key = (self.language, label, id(entry))
        cached = self._formatted.get(key)
        if cached is None or cached[0] is not entry:
            digest = entry_digest(label, entry, self.language)
            formatted = self._stored.get(digest)
            if formatted is None:
                formatted = super().format_entry(label, entry)  # type: ignore[misc]
                type(self)._stored[digest] = formatted
            cached = self._formatted[key] = (entry, formatted)
        return cached[1]

    @classmethod
    def code_digest(cls) -> str:
        """The formatting code: the source of every class the style is made of."""
        digest = hashlib.sha256()
        for klass in cls.__mro__:
            with contextlib.suppress(TypeError, OSError):
                digest.update(Path(inspect.getfile(klass)).read_bytes())
        for name in ("pybtex", "sphinxcontrib-bibtex"):
            digest.update(metadata.version(name).encode())
        return digest.hexdigest()

    @classmethod
    def load(cls, path: Path) -> None:
        """Take the entries an earlier build formatted with the same code, if any."""
        cls._in_file = set()
        try:
            with path.open("rb") as handle:
                code, stored = pickle.load(handle)
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            return
        if code == cls.code_digest() and isinstance(stored, dict):
            cls._stored.update(stored)
            cls._in_file = set(stored)

    @classmethod
    def save(cls, path: Path) -> None:
        """Keep what this process formatted for the next build (atomically replaced)."""
        if cls._in_file.issuperset(cls._stored):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump(
                    (cls.code_digest(), cls._stored), handle, protocol=pickle.HIGHEST_PROTOCOL
                )
            os.replace(temporary, path)
            cls._in_file = set(cls._stored)
        except (OSError, pickle.PicklingError):
            with contextlib.suppress(OSError):
                os.remove(temporary)


def remembering(style: type) -> type:
    """The style, as a subclass that remembers the entries it formatted."""
    if issubclass(style, RemembersEntries):
        return style
    return type(
        style.__name__,
        (RemembersEntries, style),
        {
            "_formatted": {},
            "_stored": {},
            "_in_file": set(),
            "__doc__": style.__doc__,
            "__module__": style.__module__,
        },
    )


def remember_default_style(app: Sphinx) -> None:
    """Once every extension has registered its styles, wrap the one citations use."""
    name = app.config.bibtex_default_style
    style = remembering(pybtex.plugin.find_plugin(STYLE_GROUP, name))
    pybtex.plugin.register_plugin(STYLE_GROUP, name, style, force=True)
    style.language = language_digest(app)
    style.load(Path(app.doctreedir) / STORE)


def keep_formatted_entries(app: Sphinx, exception: Exception | None) -> None:
    """After a build that succeeded, save the formatted entries for the next one."""
    style = pybtex.plugin.find_plugin(STYLE_GROUP, app.config.bibtex_default_style)
    if exception is None and issubclass(style, RemembersEntries):
        style.save(Path(app.doctreedir) / STORE)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    pybtex.plugin.entry_points = cached_entry_points  # type: ignore[attr-defined]
    # Before sphinxcontrib-bibtex's own builder-inited handlers look the style up.
    app.connect("builder-inited", remember_default_style, priority=400)
    app.connect("build-finished", keep_formatted_entries)
    return {
        "version": "1.0",
        "env_version": 2,  # 2: formatted entries are kept by language
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
