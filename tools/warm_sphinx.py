"""A Sphinx application kept alive between builds, for the live preview (``make serve``).

Every ``sphinx-build`` starts from nothing: it starts Python, imports Sphinx, MyST, the
theme, sphinxcontrib-bibtex and our extensions, runs their setup and loads the saved
environment. For the handbook that is about one and a half seconds before the first page
is read (more as the handbook grows: the environment is 6 MB at 800 pages), and it is most
of the time of a rebuild after a one-word edit. A preview server pays it on every save.

``WarmSphinx`` keeps the application of the last build and calls its ``build`` again: only
the pages that changed are read, and nothing is imported or loaded again. It takes the
command-line options of ``sphinx-build``. A new application, as ``sphinx-build`` would make
it, replaces the kept one whenever keeping it could give another result than a fresh
build:

- a changed file that is not one of the project's source pages (``conf.py``, ``_ext/``,
  ``_templates/``, a ``.bib`` file, a message catalogue, data files): Sphinx and its
  extensions read those only when an application starts, or may (the new application
  also forgets the message catalogues Python's gettext keeps in memory);
- a build that failed or warned: the next one starts afresh, and so shows its warnings
  again, as a fresh ``sphinx-build`` of the same pages would.
"""

from __future__ import annotations

import contextlib
import gettext
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sphinx._cli.util.errors import handle_exception
from sphinx.application import Sphinx
from sphinx.cmd.build import get_parser
from sphinx.util.console import disable_colour, terminal_supports_colour
from sphinx.util.docutils import docutils_namespace, patch_docutils


@dataclass(frozen=True)
class BuildOptions:
    """What ``sphinx-build`` would make of its command line (the options the preview uses)."""

    sourcedir: Path
    outdir: Path
    doctreedir: Path
    builder: str
    confoverrides: dict[str, Any]
    parallel: int
    warningiserror: bool
    verbosity: int
    colour: str  # "auto", "yes" or "no"

    @classmethod
    def from_argv(cls, argv: Sequence[str]) -> BuildOptions:
        args = get_parser().parse_args(list(argv))
        overrides: dict[str, Any] = {}
        for definition in args.define:
            key, _, value = definition.partition("=")
            overrides[key] = value
        for definition in args.htmldefine:
            key, _, value = definition.partition("=")
            overrides[f"html_context.{key}"] = value
        if args.nitpicky:
            overrides["nitpicky"] = True
        outdir = Path(args.outputdir).resolve()
        return cls(
            sourcedir=Path(args.sourcedir).resolve(),
            outdir=outdir,
            doctreedir=Path(args.doctreedir).resolve() if args.doctreedir else outdir / ".doctrees",
            builder=args.builder,
            confoverrides=overrides,
            parallel=args.jobs,
            warningiserror=args.warningiserror,
            verbosity=args.verbosity,
            colour=args.color,
        )


class WarmSphinx:
    """Builds the same sources again and again, with one application while it is safe."""

    def __init__(
        self,
        options: BuildOptions,
        status: TextIO | None = sys.stdout,
        warning: TextIO = sys.stderr,
    ) -> None:
        self.options = options
        self.status, self.warning = status, warning
        if options.colour == "no" or (options.colour == "auto" and not terminal_supports_colour()):
            disable_colour()  # as sphinx-build does
        self.app: Sphinx | None = None
        self._context: contextlib.ExitStack | None = None
        #: How many applications were made: the tests check when one is kept.
        self.applications_made = 0

    def build(self, changed: Collection[Path] = ()) -> int:
        """Build what changed; 0 if the build succeeded without a warning, as sphinx-build."""
        try:
            if self.app is None or not self._only_pages(changed):
                self._new_application()
            assert self.app is not None
            self.app.build()
        except (Exception, KeyboardInterrupt) as exc:
            app = self.app
            handle_exception(
                exc,
                stderr=self.warning,
                use_pdb=False,
                print_traceback=self.options.verbosity > 0,
                message_log=app.messagelog if app else (),
                extensions=app.extensions.values() if app else (),
            )
            self.close()
            return 2
        status = self.app.statuscode
        if status != 0:  # warnings as errors: a fresh application shows them again
            self.close()
        return status

    def close(self) -> None:
        """Forget the application (and the docutils registrations it made)."""
        self.app = None
        if self._context is not None:
            self._context.close()
            self._context = None

    def _only_pages(self, changed: Collection[Path]) -> bool:
        """Are all the changed files source pages, which Sphinx notices on its own?"""
        app = self.app
        assert app is not None
        suffixes = tuple(app.config.source_suffix)
        special = {
            Path(app.confdir).resolve() / name
            for name in ("_ext", "_templates", "_static", "locales")
        }
        for path in changed:
            path = Path(path).resolve()
            if not path.name.endswith(suffixes) or any(
                folder in path.parents for folder in special
            ):
                return False
        return True

    def _new_application(self) -> None:
        self.close()
        # Python's gettext keeps every catalogue it has read for the life of the process,
        # by file name: without this, a catalogue edited since would not show.
        gettext._translations.clear()  # type: ignore[attr-defined]
        options = self.options
        context = contextlib.ExitStack()
        try:
            # As sphinx-build does, for the application's whole life.
            context.enter_context(patch_docutils(options.sourcedir))
            context.enter_context(docutils_namespace())
            self.app = Sphinx(
                srcdir=options.sourcedir,
                confdir=options.sourcedir,
                outdir=options.outdir,
                doctreedir=options.doctreedir,
                buildername=options.builder,
                confoverrides=dict(options.confoverrides),
                status=self.status,
                warning=self.warning,
                freshenv=False,
                warningiserror=options.warningiserror,
                tags=(),
                verbosity=options.verbosity,
                parallel=options.parallel,
                keep_going=False,
            )
        except BaseException:
            context.close()
            raise
        self._context = context
        self.applications_made += 1
