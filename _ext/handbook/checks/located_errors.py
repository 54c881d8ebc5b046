"""Every mistake in the handbook's input becomes ``path:line: ERROR: what to change``.

Contributors meet the build through its error messages, so a one-line slip must never end in
a Python traceback or in a message that names no file. This extension is the one place that
turns exceptions and terse warnings into located errors:

- **Pages that are not UTF-8** (pasted from Word, saved as Windows-1252). Sphinx 9 decodes each
  page inside a worker process and crashes with a ``SphinxParallelError`` that names no file.
  Before reading, every page to be read is checked here and reported with its line and
  column, then left out of this build (so a toctree that lists it reports it as missing too).
- **Broken bibliographies.** sphinxcontrib-bibtex stops the build with an ``ExtensionError``
  traceback at the first BibTeX syntax error, and reports a repeated key without its line.
  The rules of ``bib_rules`` (the same as ``make lint``'s) run first; pybtex's own errors are
  captured while sphinxcontrib-bibtex parses, so the build goes on and reports every problem.
- **Data files** read through ``data_files`` raise ``DataFileError``; :func:`report` logs it
  at the data file's line and names the page that uses it.
- **Warnings in a strict build** are errors: they are shown as ``ERROR`` with a short hint
  saying what to change, and the pages that had one are read again at the next build, so that
  running ``make html`` twice cannot hide a problem the first run found.
"""

from __future__ import annotations

import codecs
import contextlib
import encodings.utf_8_sig
import json
import logging as stdlib_logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pybtex.errors
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from handbook.checks.data_files import DataFileError, decode
from handbook.citations.bib_rules import check_bib_files

logger = logging.getLogger(__name__)

CODEC = "handbook-utf-8"
#: Pages that had an error in the last build, read again by the next one.
WARNED_DOCS_FILE = "handbook-warned-docs.json"
#: The .bib rules' findings, with the size and time of each file they were made from.
BIB_CHECKS_FILE = "handbook-bib-checks.json"


# -- The codec: UTF-8 that reads on past a bad byte ------------------------------------------


class _ReplacingDecoder(encodings.utf_8_sig.IncrementalDecoder):
    """UTF-8 (BOM allowed) that puts U+FFFD in place of a bad byte.

    ``bibtex_encoding`` in conf.py: used only after :func:`check_bibliographies` has reported
    the file and line, so that sphinxcontrib-bibtex reads the other entries and the build goes
    on to report every other problem (and fails all the same). Sphinx 9 deprecates such codecs
    for pages, which are checked by :func:`check_page_encodings` instead.
    """

    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-").lower() != CODEC:
        return None
    return codecs.CodecInfo(
        name=CODEC,
        encode=codecs.lookup("utf-8").encode,
        decode=lambda data, errors="strict": (
            codecs.decode(bytes(data), "utf-8-sig", "replace"),
            len(data),
        ),
        incrementaldecoder=_ReplacingDecoder,
        incrementalencoder=codecs.lookup("utf-8").incrementalencoder,
        streamreader=codecs.lookup("utf-8-sig").streamreader,
        streamwriter=codecs.lookup("utf-8").streamwriter,
    )


codecs.register(_find_codec)


# -- Reporting ------------------------------------------------------------------------------


def report(error: DataFileError, page: tuple[str, int | None] | None = None) -> None:
    """Log a data-file mistake at its own file and line, naming the page that reads it.

    ``page`` is (docname, line) of the directive that reads the file. A mistake with no line
    in the data file (the file is missing or unreadable) is reported there instead.
    """
    docname = page[0] if page else None
    if error.line:
        reader = f" (read for the page {docname})" if docname else ""
        logger.error(
            f"{error.message}{reader}",
            location=error.location,
            once=True,
            extra={"handbook_docname": docname},
        )
    else:
        logger.error(
            f"{error.path}: {error.message}",
            location=page or error.path,
            once=True,
            extra={"handbook_docname": docname},
        )


def check_page_encodings(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report every page to be read that is not UTF-8, and leave it out of this build.

    Sphinx would decode it in a worker and stop with a traceback; without the page, the build
    goes on to report every other problem, and fails all the same.
    """
    for docname in list(docnames):
        path = env.doc2path(docname)
        try:
            decode(path.read_bytes(), path)
        except DataFileError as error:
            logger.error(error.message, location=(docname, error.line))
            docnames.remove(docname)
            env.found_docs.discard(docname)
            strict = getattr(app, "handbook_strict_filter", None)
            if strict is not None:
                strict.undecodable_docs.add(docname)
        except OSError:
            continue  # Sphinx itself reports a page that vanished while building


# -- Bibliographies -------------------------------------------------------------------------


def _bib_paths(app: Sphinx) -> list[Path]:
    return [Path(app.srcdir, name) for name in app.config.bibtex_bibfiles]


def _size_and_time(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return 0, 0
    return stat.st_size, stat.st_mtime_ns


def _bib_problems(app: Sphinx) -> list[tuple[str, int, str]]:
    """The .bib rules' findings, as (path, line, message), kept while no .bib file changes.

    Reading the bibliographies takes about 0.2 s; an edit to a page should not pay it again.
    """
    paths = _bib_paths(app)
    stamp = [[str(path), *_size_and_time(path)] for path in paths]
    store = Path(app.doctreedir) / BIB_CHECKS_FILE
    with contextlib.suppress(OSError, ValueError, KeyError):
        kept = json.loads(store.read_text(encoding="utf-8"))
        if kept["stamp"] == stamp:
            return [tuple(problem) for problem in kept["problems"]]
    _entries, found, _unreadable = check_bib_files(paths)
    problems = [(str(problem.path), problem.line, problem.message) for problem in found]
    with contextlib.suppress(OSError):
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps({"stamp": stamp, "problems": problems}), encoding="utf-8")
    return problems


def check_bibliographies(app: Sphinx) -> None:
    """Apply the .bib rules before sphinxcontrib-bibtex parses, then capture pybtex's errors.

    Runs at ``builder-inited`` before sphinxcontrib-bibtex (priority 400 < 500);
    :func:`end_bibliography_capture` runs right after it.
    """
    problems = _bib_problems(app)
    for path, line, message in problems:
        logger.error(message, location=f"{path}:{line}")
    app.handbook_bib_problems = bool(problems)  # type: ignore[attr-defined]
    app.handbook_bib_capture = contextlib.ExitStack()  # type: ignore[attr-defined]
    captured = app.handbook_bib_capture.enter_context(pybtex.errors.capture())
    app.handbook_bib_captured = captured  # type: ignore[attr-defined]


def end_bibliography_capture(app: Sphinx) -> None:
    """Stop capturing; report what pybtex found that the rules did not already report."""
    stack = getattr(app, "handbook_bib_capture", None)
    if stack is None:
        return
    captured = list(app.handbook_bib_captured)  # type: ignore[attr-defined]
    stack.close()
    app.handbook_bib_capture = None  # type: ignore[attr-defined]
    if app.handbook_bib_problems:  # type: ignore[attr-defined]
        return  # the same faults, already reported with their lines
    for error in captured:
        filename = getattr(error, "filename", None) or "bib/"
        line = getattr(error, "lineno", None)
        logger.error(f"BibTeX: {error}", location=f"{filename}:{line}" if line else filename)


# -- Warnings of a strict build: shown as errors, with what to change -------------------------

#: Sphinx's and MyST's wording of common problems, and the change that fixes each.
HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), hint)
    for pattern, hint in (
        (
            r"undefined label",
            "define the label with (name)= on the line above a heading, or correct its spelling",
        ),
        (r"duplicate label", "labels are unique in the whole handbook: rename one of them"),
        (
            r"unknown document",
            "give the page's path from the project root with a leading "
            "/ (such as /research/index), and check the file exists",
        ),
        (r"could not find bibtex key", "add the entry to a .bib file in bib/, or correct the key"),
        (r"image file not readable", "put the image file beside the page, or correct the path"),
        (
            r"Unknown interpreted text role",
            "check the role's name: {cite:p}, {footcite:p}, {ref}, {doc}, {term}...",
        ),
        (r"Unknown directive type", "check the directive's name"),
        (
            r"Non-consecutive header level increase",
            "use one more # than the heading above, not more",
        ),
        (
            r"document isn't included in any toctree",
            "add the page to the toctree of its section's index.md",
        ),
        (
            r"local id not found|cross-reference target not found|reference target not found",
            "link to a label or heading that exists (anchors are the heading's words, "
            "lower-case, joined by -)",
        ),
        (
            r"(?i:invalid option|unknown option)",
            "use one of the options or values that the message lists",
        ),
    )
)


class StrictWarningsAreErrors(stdlib_logging.Filter):
    """In a build with warnings as errors, show each warning as the error it is, with a hint.

    Also remembers which pages had one, so that the next build reads them again.
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app
        self.warned_paths: set[str] = set()
        self.warned_docs: set[str] = set()
        #: Labels Sphinx itself reported as repeated (unique_labels does not repeat them).
        self.duplicate_labels: set[str] = set()
        #: Pages left out of the build because they are not UTF-8 (check_page_encodings).
        self.undecodable_docs: set[str] = set()

    def filter(self, record: stdlib_logging.LogRecord) -> bool:
        if record.levelno < stdlib_logging.WARNING:
            return True
        location = getattr(record, "location", None)
        if not location and str(record.msg).startswith("unknown role name: "):
            # Sphinx 9 says this with no location, just before MyST reports the same role
            # with its file and line ("Unknown interpreted text role"): keep the located one.
            return False
        if isinstance(location, str):
            self.warned_paths.add(location.rsplit(":", 1)[0] if ":" in location else location)
        docname = getattr(record, "handbook_docname", None)
        if docname:
            self.warned_docs.add(docname)
        # Private: Sphinx 9 keeps -W in Sphinx._fail_on_warnings (see
        # _ext/handbook/PRIVATE_APIS.md).
        strict = getattr(self.app, "_fail_on_warnings", False)
        if record.levelno == stdlib_logging.WARNING and strict:
            record.levelno, record.levelname = stdlib_logging.ERROR, "ERROR"
        if isinstance(record.msg, str):
            message = record.msg % record.args if record.args else record.msg
            if repeated := re.match(r"duplicate label (\S+),", message):
                self.duplicate_labels.add(repeated.group(1))
            hint = next((h for pattern, h in HINTS if pattern.search(message)), None)
            missing = re.search(r"(?:unknown|nonexisting) document:? '/?([^']+)'", message)
            if missing and missing.group(1) in self.undecodable_docs:
                hint = "that page is not valid UTF-8 (see its own error): save it as UTF-8"
            if hint and hint not in message:
                record.msg, record.args = f"{message}; {hint}", ()
        return True


def _warning_handlers() -> Iterator[stdlib_logging.Handler]:
    from sphinx.util.logging import NAMESPACE, WarningStreamHandler

    for handler in stdlib_logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            yield handler


def _warned_docs_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / WARNED_DOCS_FILE


def read_warned_again(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages that had an error last time are read again, so the error is shown again."""
    try:
        warned = json.loads(_warned_docs_file(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return sorted(set(warned) & env.found_docs - added - changed - removed)


def remember_warned(app: Sphinx, exception: BaseException | None) -> None:
    """Write down the pages that had an error in this build (none when it was clean)."""
    strict = getattr(app, "handbook_strict_filter", None)
    if strict is None or app.env is None:
        return
    docs = set(strict.warned_docs)
    for path in strict.warned_paths:
        docname = app.env.path2doc(path) if path else None
        if docname:
            docs.add(docname)
    target = _warned_docs_file(app)
    with contextlib.suppress(OSError):
        if docs:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(sorted(docs)), encoding="utf-8")
        else:
            target.unlink(missing_ok=True)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    strict = StrictWarningsAreErrors(app)
    for handler in _warning_handlers():
        handler.addFilter(strict)
    app.handbook_strict_filter = strict  # type: ignore[attr-defined]
    app.connect("builder-inited", check_bibliographies, priority=400)
    app.connect("builder-inited", end_bibliography_capture, priority=600)
    app.connect("env-before-read-docs", check_page_encodings)
    app.connect("env-get-outdated", read_warned_again)
    app.connect("build-finished", remember_warned)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
