"""The cut sidebar kept between builds, while nothing it shows has changed.

Making the cut sidebar means resolving the whole toctree and letting the theme parse it:
a second and a half at 800 pages, paid by every build that writes a page, even a rebuild
after a one-word edit. So the cut sidebar is saved in the doctree folder with a
fingerprint of everything it is made from, and the next build reuses it when the
fingerprint matches:

- every page's table of contents and title as Sphinx stored them (``env.tocs``,
  ``env.titles``: the toctrees, their captions and options, the titles and their markup),
  digested when the page is read and kept in the environment, the list of pages and the
  section numbers of numbered toctrees;
- the request (kind, depth, options), the builder, the HTML options and tags Sphinx
  itself watches (``.buildinfo``), the versions of Sphinx, docutils and the two themes,
  the extensions loaded and their versions, and the source of this extension.

Anything else changes nothing the sidebar shows. Fingerprinting 800 pages takes a few
milliseconds: the digest of each page is made once, when it is read. A missing,
unreadable or stale file only means the sidebar is made again; the file is replaced
atomically, so parallel writers never read half of it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .template import NavigationTemplate

FILENAME = "navigation-cache.pickle"
VERSIONED = ("sphinx", "docutils", "pydata-sphinx-theme", "sphinx-book-theme")
SOURCES = sorted(Path(__file__).parent.glob("*.py"))


def page_digests(env: BuildEnvironment) -> dict[str, str]:
    """Each page's digest of what it gives the navigation (kept in the environment)."""
    if not hasattr(env, "navigation_cache_digests"):
        env.navigation_cache_digests = {}
    return env.navigation_cache_digests


def note_page(app: Sphinx, doctree: nodes.document) -> None:
    """Digest the page just read: its table of contents and its title, as text.

    Sphinx's collectors stored both on this same event, before extensions' handlers.
    """
    env = app.env
    docname = env.docname
    toc, title = env.tocs.get(docname), env.titles.get(docname)
    text = (toc.pformat() if toc is not None else "") + (title.pformat() if title else "")
    page_digests(env)[docname] = hashlib.sha256(text.encode()).hexdigest()


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    page_digests(env).pop(docname, None)


def merge(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    theirs = page_digests(other)
    page_digests(env).update({d: theirs[d] for d in docnames if d in theirs})


def fingerprint(app: Sphinx, request: tuple) -> str:
    """A digest of everything the cut sidebar for ``request`` is made from."""
    env, builder = app.env, app.builder
    build_info = getattr(builder, "build_info", None)
    pages = page_digests(env)
    digest = hashlib.sha256()
    digest.update(
        repr(
            (
                request,
                builder.name,
                env.config.root_doc,
                getattr(build_info, "config_hash", ""),
                getattr(build_info, "tags_hash", ""),
                sorted(builder.tags),
                [metadata.version(name) for name in VERSIONED],
                # Extensions may render titles (math, for one): which ones, in which version.
                sorted(
                    (name, str(extension.version)) for name, extension in app.extensions.items()
                ),
                sorted((d, sorted(n.items())) for d, n in env.toc_secnumbers.items()),
                [(d, pages.get(d)) for d in sorted(env.found_docs)],
            )
        ).encode()
    )
    for source in SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / FILENAME


def _read(app: Sphinx) -> dict[str, tuple[str, NavigationTemplate]]:
    try:
        with _path(app).open("rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return stored if isinstance(stored, dict) else {}


def load(app: Sphinx, request: tuple, print_: str) -> NavigationTemplate | None:
    """The cut sidebar saved by an earlier build, if it was made from the same things."""
    saved = _read(app).get(repr(request))
    if saved is None or saved[0] != print_:
        return None
    return saved[1]


def save(app: Sphinx, request: tuple, print_: str, template: NavigationTemplate) -> None:
    """Keep the cut sidebar for the next build (without this build's link addresses)."""
    stored = _read(app)
    stored[repr(request)] = (print_, dataclasses.replace(template, by_folder={}))
    path = _path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)
