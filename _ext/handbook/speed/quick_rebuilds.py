"""A rebuild after a small edit costs what the edit costs, not a fixed second or two.

Two costs that Sphinx 9 pays on every build, whatever changed:

- **Parallel reading of a handful of pages.** With ``-j auto`` (the Makefile's default),
  Sphinx forks workers even to read one changed page, and each worker sends the *whole*
  environment back to the main process as a pickle, which is then loaded and merged: work
  in proportion to the size of the handbook, to read one page (0.7 s at 200 pages, in
  place of 0.1 s). Sphinx 7 read fewer than six pages serially; Sphinx 9 no longer does.
  So when few pages are to be read, reading is serial.
- **Parallel writing of a handful of pages.** Likewise, writing forks workers and sends
  them the doctrees, and the main process polls for them: when few pages are to be written,
  writing them in this process is quicker. Many pages are still written in parallel.
- **Rewriting the pages that list an edited page.** Sphinx writes again every page whose
  table of contents lists a page it read (``env.files_to_rebuild``), in case the title or
  the headings changed. A section index that lists hundreds of pages is the slowest page to
  write (half a second at 800 pages). When the page read again has the same title, headings
  and metadata as before, nothing in those pages can have changed, and they are left alone.
- **Compiling the theme's templates.** Each build is a new process, and Jinja compiles the
  forty-odd templates of the theme stack again (about 0.4 s). Their compiled form is kept
  in the doctree folder, checked against each template's source, so a template that
  changed is compiled again.
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Up to this many pages to read, reading them in this process beats forking workers.
SERIAL_READ_MAX = 8
#: The same for writing (a page is quicker to write than to read).
SERIAL_WRITE_MAX = 12


def read_few_serially(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Just before Sphinx chooses how to read: serial when there is little to read."""
    if app.parallel > 1 and len(docnames) <= SERIAL_READ_MAX:
        app.quick_rebuilds_parallel = app.parallel  # type: ignore[attr-defined]
        app.parallel = 1


def restore_parallel(app: Sphinx, env: BuildEnvironment) -> None:
    """Reading is over: give writing the parallelism the command line asked for."""
    saved = getattr(app, "quick_rebuilds_parallel", None)
    if saved is not None:
        app.parallel = saved
        del app.quick_rebuilds_parallel  # type: ignore[attr-defined]


def write_few_serially(app: Sphinx) -> None:
    """Let the builder write serially when it has few pages to write.

    Sphinx decides once per build (``Builder.parallel_ok``) before it knows how many pages
    it will write, so the choice is made again in ``write_documents``, per call.
    """
    builder = app.builder
    write_documents = builder.write_documents

    def write_few_serially(docnames: set[str]) -> None:
        if not builder.parallel_ok or len(docnames) > SERIAL_WRITE_MAX:
            write_documents(docnames)
            return
        builder.parallel_ok = False
        try:
            write_documents(docnames)
        finally:
            builder.parallel_ok = True

    builder.write_documents = write_few_serially  # type: ignore[method-assign]


def listed_as(env: BuildEnvironment, docname: str) -> str | None:
    """A digest of what other pages' tables of contents show of a page (None: unknown)."""
    toc, title = env.tocs.get(docname), env.titles.get(docname)
    if toc is None or title is None:
        return None
    # Metadata such as "tocdepth" changes listings; MyST's word count shows in none.
    metadata = {k: v for k, v in env.metadata.get(docname, {}).items() if k != "wordcount"}
    shown = toc.pformat() + title.pformat() + repr(sorted(metadata.items()))
    return hashlib.sha256(shown.encode()).hexdigest()


def note_before_reading(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Before Sphinx forgets a page it reads again: how the tables of contents showed it."""
    if not hasattr(app, "quick_rebuilds_listed_as"):
        app.quick_rebuilds_listed_as = {}  # type: ignore[attr-defined]
    app.quick_rebuilds_listed_as[docname] = listed_as(env, docname)  # type: ignore[attr-defined]


def spare_unchanged_listings(app: Sphinx, builder: Any) -> None:
    """Before Sphinx adds the pages that list the pages it read: only for changed listings.

    ``env.files_to_rebuild`` is swapped for this write phase only (the environment was saved
    before writing) and put back when the build finishes.
    """
    before: dict[str, str | None] = getattr(app, "quick_rebuilds_listed_as", {})
    env = app.env
    unchanged = {
        docname
        for docname, shown in before.items()
        if shown is not None and shown == listed_as(env, docname)
    }
    if not unchanged:
        return
    app.quick_rebuilds_files_to_rebuild = env.files_to_rebuild  # type: ignore[attr-defined]
    env.files_to_rebuild = {
        docname: parents
        for docname, parents in env.files_to_rebuild.items()
        if docname not in unchanged
    }


def put_back_listings(app: Sphinx, exception: Exception | None) -> None:
    saved = getattr(app, "quick_rebuilds_files_to_rebuild", None)
    if saved is not None:
        app.env.files_to_rebuild = saved
        del app.quick_rebuilds_files_to_rebuild  # type: ignore[attr-defined]
    if hasattr(app, "quick_rebuilds_listed_as"):
        del app.quick_rebuilds_listed_as  # type: ignore[attr-defined]


def template_cache_dir(app: Sphinx) -> Path:
    """One folder per Jinja and Python version: compiled templates are not portable."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return Path(app.doctreedir) / f"jinja-{metadata.version('jinja2')}-py{python}"


def keep_compiled_templates(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    directory = template_cache_dir(app)
    directory.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(directory))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-before-read-docs", read_few_serially)
    app.connect("env-updated", restore_parallel, priority=1)
    app.connect("builder-inited", keep_compiled_templates)
    app.connect("builder-inited", write_few_serially)
    # Before Sphinx's own collectors forget the page (they listen at the default, 500).
    app.connect("env-purge-doc", note_before_reading, priority=100)
    app.connect("write-started", spare_unchanged_listings)
    app.connect("build-finished", put_back_listings)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
