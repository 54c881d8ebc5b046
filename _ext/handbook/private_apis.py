"""Every private or undocumented upstream API our code relies on, in one registry.

Our speed extensions, the live preview and a few feature extensions reach into Sphinx, the
themes, sphinxcontrib-bibtex, pybtex, sphinx-autobuild and the standard library: names that
start with ``_``, module attributes we replace, classes we subclass to override internal
methods, template names and the order of internal steps. None of them is a promise of
upstream's; any release may change them. This module lists each one once, with what it
works around and how to remove it, and with a check of the shape we rely on:

- ``_ext/handbook/PRIVATE_APIS.md`` is generated from it
  (``.venv/bin/python _ext/handbook/private_apis.py --write``), so the table and the checks cannot
  drift apart; ``tests/test_private_apis.py`` fails when the file is out of date;
- ``tests/test_private_apis.py`` runs every check and compares the installed version with
  the range the use was written for: an upgrade that changes one of them fails with the
  key of its row.

A check raises ``AssertionError`` with what changed. Checks import upstream modules when
they run, not when this module is imported.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the project (this file: _ext/handbook/)
TABLE = Path(__file__).resolve().parent / "PRIVATE_APIS.md"
#: The pseudo-distribution for the standard library: its version is Python's.
PYTHON = "Python"


@dataclass(frozen=True)
class Use:
    """Where our code relies on it: a file, and text on the line (its line is looked up)."""

    file: str  # relative to the repository root
    needle: str

    def line(self) -> int:
        """The first line of ``file`` that contains ``needle``; 0 if none does."""
        path = ROOT / self.file
        if not path.is_file():
            return 0
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if self.needle in text:
                return number
        return 0


@dataclass(frozen=True)
class PrivateAPI:
    """One upstream name (or a few used together) that no upstream release promises."""

    key: str  # the row's id in PRIVATE_APIS.md
    uses: tuple[Use, ...]
    name: str  # Markdown
    kind: str
    package: str  # distribution name, or PYTHON
    versions: str  # PEP 440 specifier: the releases this was written and checked against
    works_around: str  # Markdown, with upstream links where known
    breaks: str  # what happens if upstream changes it
    remove: str  # how to take it out
    check: Callable[[], None]

    def installed_version(self) -> str:
        if self.package == PYTHON:
            return ".".join(map(str, sys.version_info[:3]))
        return metadata.version(self.package)


# -- Helpers for the checks -------------------------------------------------------------


def _obj(dotted: str) -> Any:
    """``package.module.attribute.attribute``: the longest importable module, then getattr."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            assert hasattr(target, attribute), f"{dotted}: no attribute {attribute!r}"
            target = getattr(target, attribute)
        return target
    raise AssertionError(f"{dotted}: cannot be imported")


def _params(dotted: str, *expected: str) -> None:
    """The parameters, ``self`` left out, are exactly ``expected``, in that order."""
    found = [name for name in inspect.signature(_obj(dotted)).parameters if name != "self"]
    assert found == list(expected), f"{dotted}{tuple(found)}: expected {tuple(expected)}"


def _source(dotted: str) -> str:
    return inspect.getsource(_obj(dotted))


def _contains(dotted: str, *fragments: str) -> None:
    source = _source(dotted)
    for fragment in fragments:
        assert fragment in source, f"{dotted} no longer contains {fragment!r}"


def _before(dotted: str, first: str, then: str) -> None:
    """In the source of ``dotted``, ``first`` comes before ``then`` (both present)."""
    source = _source(dotted)
    assert first in source and then in source, f"{dotted}: {first!r} or {then!r} is gone"
    assert source.index(first) < source.index(then), (
        f"{dotted}: {first!r} no longer comes before {then!r}"
    )


def _digest(dotted: str, expected: str) -> None:
    """The source is the one we read (or copied from): any change needs a review."""
    found = hashlib.sha256(_source(dotted).encode()).hexdigest()[:16]
    assert found == expected, (
        f"{dotted} changed (source digest {found}, reviewed {expected}): read the new code, "
        "adapt ours, then update the digest in _ext/handbook/private_apis.py"
    )


def _attributes(dotted: str, *names: str) -> None:
    target = _obj(dotted)
    missing = [name for name in names if not hasattr(target, name)]
    assert not missing, f"{dotted} has no {', '.join(missing)}"


def _annotated(dotted: str, *names: str) -> None:
    """The class still declares these instance attributes (annotations or ``self.x =``)."""
    source = _source(dotted)
    for name in names:
        assert re.search(rf"(self\.{name}\s*[:=])|(^\s+{name}\s*:)", source, re.M), (
            f"{dotted} no longer sets {name!r}"
        )


# -- The checks, one per entry ----------------------------------------------------------


def check_add_toctree_functions() -> None:
    name = "pydata_sphinx_theme.toctree.add_toctree_functions"
    _params(name, "app", "pagename", "templatename", "context", "doctree")
    _contains(
        name,
        "def generate_toctree_html(",
        "kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs",
        'context["generate_toctree_html"] = generate_toctree_html',
    )


def check_sidebar_template() -> None:
    import sphinx_book_theme

    template = (
        Path(sphinx_book_theme.__file__).parent
        / "theme"
        / "sphinx_book_theme"
        / "components"
        / "sbt-sidebar-nav.html"
    )
    assert template.is_file(), f"{template} is gone"
    text = template.read_text(encoding="utf-8")
    for fragment in ("generate_toctree_html(", "startdepth=0", 'kind="sidebar"'):
        assert fragment in text, f"sbt-sidebar-nav.html no longer contains {fragment!r}"


def check_global_toctree() -> None:
    _params(
        "sphinx.environment.adapters.toctree.global_toctree_for_doc",
        "env",
        "docname",
        "builder",
        "tags",
        "collapse",
        "includehidden",
        "maxdepth",
        "titles_only",
    )
    # The stand-in builder answers only this call: no other builder method may be asked.
    source = inspect.getsource(_obj("sphinx.environment.adapters.toctree"))
    asked = set(re.findall(r"\bbuilder\.(\w+)", source))
    assert asked <= {"get_relative_uri", "tags", "name"}, (
        f"toctree resolution now asks the builder for {sorted(asked)}"
    )


def check_render_partial() -> None:
    _params("sphinx.builders.html.StandaloneHTMLBuilder.render_partial", "node")
    _contains("sphinx.builders.html.StandaloneHTMLBuilder.render_partial", "fragment")


def check_toctree_context() -> None:
    source = _source("sphinx.builders.html.StandaloneHTMLBuilder.handle_page")
    assert re.search(r"""ctx\[['"]toctree['"]\]\s*=\s*lambda""", source), (
        "the page context's toctree is no longer a lambda of sphinx.builders.html"
    )


def check_notfound() -> None:
    _params("notfound.utils.replace_uris", "app", "doctree", "nodetype", "nodeattr")
    _contains(
        "notfound.extension.finalize_media",
        "context['toctree'] = toctree",
        "replace_uris(app, toc, docutils.nodes.reference, 'refuri')",
    )


def check_env_tocs() -> None:
    _annotated(
        "sphinx.environment.BuildEnvironment",
        "tocs",
        "titles",
        "toc_secnumbers",
        "files_to_rebuild",
    )


def check_build_info() -> None:
    _annotated("sphinx.builders.html._build_info.BuildInfo", "config_hash", "tags_hash")
    _contains(
        "sphinx.builders.html.StandaloneHTMLBuilder.init",
        "self.build_info = self.create_build_info()",
    )


def check_pybtex_entry_points() -> None:
    import pybtex.plugin

    source = inspect.getsource(pybtex.plugin)
    assert "from importlib.metadata import entry_points" in source, (
        "pybtex.plugin no longer imports importlib.metadata.entry_points by that name"
    )
    calls = re.findall(r"\bentry_points\(group=\w+(?:, name=\w+)?\)", source)
    assert len(calls) >= 3, f"pybtex.plugin calls entry_points differently now: {calls}"
    # Only these uses of the result: iterated over, and len().
    assert "len(entry_points(" in source


def check_format_entry() -> None:
    _params("pybtex.style.formatting.BaseStyle.format_entry", "label", "entry", "bib_data")
    _params(
        "pybtex.style.formatting.BaseStyle.__init__",
        "label_style",
        "name_style",
        "sorting_style",
        "abbreviate_names",
        "min_crossrefs",
        "kwargs",
    )
    _params("pybtex.plugin.register_plugin", "plugin_group", "name", "klass", "force")


def check_bibtex_default_styles() -> None:
    # A new style with pybtex's defaults per footnote citation, then format_entry(label, entry).
    _contains("sphinxcontrib.bibtex.foot_roles", "find_plugin(", ".format_entry(")
    _contains(
        "sphinxcontrib.bibtex.domain.BibtexDomain.get_formatted_entries",
        'pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.style)()',
        "style.format_entry(bibliography.labelprefix + label, entry)",
    )


def check_filter_visitor() -> None:
    _params("sphinxcontrib.bibtex.domain._FilterVisitor", "entry", "docname", "cited_docnames")
    _attributes("sphinxcontrib.bibtex.domain._FilterVisitor", "visit")


def check_bibtex_domain() -> None:
    domain = "sphinxcontrib.bibtex.domain.BibtexDomain"
    _params(f"{domain}.env_updated")
    _params(f"{domain}.get_all_cited_keys", "docnames")
    _params(f"{domain}.get_filtered_entries", "bibliography_key")
    _params(f"{domain}.get_entries", "bibfiles")
    _contains(f"{domain}.env_updated", "self.get_formatted_entries(")
    _contains(f"{domain}.get_formatted_entries", "self.get_sorted_entries(")
    _contains(
        f"{domain}.get_sorted_entries", "self.get_filtered_entries(", "self.get_all_cited_keys("
    )
    # Our override answers the same two questions from an index: re-read them on any change.
    _digest(f"{domain}.get_filtered_entries", "3ec52cc65a607579")
    _digest(f"{domain}.get_all_cited_keys", "16562f067bcb8f7d")


def check_bibtex_logger() -> None:
    from sphinx.util.logging import SphinxLoggerAdapter

    assert isinstance(_obj("sphinxcontrib.bibtex.domain.logger"), SphinxLoggerAdapter)


def check_bibdata() -> None:
    domain = _obj("sphinxcontrib.bibtex.domain.BibtexDomain")
    assert isinstance(inspect.getattr_static(domain, "bibdata"), property)
    _annotated("sphinxcontrib.bibtex.bibfile.BibData", "data", "bibfiles")


def check_parallel_read() -> None:
    _before("sphinx.builders.Builder.read", "'env-before-read-docs'", "self._app.parallel > 1")


def check_write_documents() -> None:
    _params("sphinx.builders.Builder.write_documents", "docnames")
    _contains("sphinx.builders.Builder.write_documents", "if self.parallel_ok:")
    _contains("sphinx.builders.Builder.write", "self.write_documents(docnames)")


def check_files_to_rebuild() -> None:
    _before("sphinx.builders.Builder.write", "'write-started'", "env.files_to_rebuild")


def check_template_environment() -> None:
    _contains(
        "sphinx.jinja2glue.BuiltinTemplateLoader.init", "self.environment = SandboxedEnvironment("
    )


def check_collector_priority() -> None:
    source = _source("sphinx.environment.collectors.EnvironmentCollector.enable")
    assert re.search(r"""connect\(\s*['"]env-purge-doc['"],\s*self\.clear_doc\s*\)""", source), (
        "Sphinx's collectors now listen to env-purge-doc differently"
    )


def check_word_re() -> None:
    from sphinx.search.en import SearchEnglish

    word_re = getattr(SearchEnglish({}), "_word_re", None)
    assert isinstance(word_re, re.Pattern), "SearchLanguage._word_re is gone"


def check_tinysegmenter() -> None:
    from sphinx.search.ja import DefaultSplitter

    model = {n for n in vars(DefaultSplitter) if n.endswith("__") and not n.startswith("__")}
    wanted = {
        "BIAS__",
        "BC1__",
        "BP1__",
        "BQ1__",
        "BW1__",
        "TC1__",
        "TQ1__",
        "TW1__",
        "UC1__",
        "UP1__",
        "UQ1__",
        "UW1__",
        "UW6__",
    }
    assert wanted <= model, f"DefaultSplitter's model lacks {sorted(wanted - model)}"
    patterns = DefaultSplitter.patterns_
    assert isinstance(patterns, dict) and all(isinstance(p, re.Pattern) for p in patterns)
    # _ext/handbook/search/search_japanese.py ports split() to JavaScript line for line.
    _digest("sphinx.search.ja.DefaultSplitter.split", "77b1398d1c70c0e6")


def check_equation_number() -> None:
    _params("sphinx.util.math.get_node_equation_number", "writer", "node")


def check_permalink() -> None:
    _params("sphinx.writers.html5.HTML5Translator.add_permalink_ref", "node", "title")


def check_nowrap() -> None:
    _contains("sphinx.ext.mathjax.html_visit_displaymath", "node.get('no-wrap'")


def check_builder_cls() -> None:
    _annotated("sphinx.environment.BuildEnvironment", "_builder_cls")


def check_translators() -> None:
    assert isinstance(_obj("sphinx.locale.translators"), dict)
    _contains("sphinx.locale.init", "translators[namespace, catalog] = translator")


def check_yaml_resolvers() -> None:
    import yaml

    resolvers = yaml.SafeLoader.yaml_implicit_resolvers
    assert isinstance(resolvers, dict)
    tags = {tag for entries in resolvers.values() for tag, _regexp in entries}
    assert "tag:yaml.org,2002:timestamp" in tags, "PyYAML no longer resolves timestamps so"


def check_linkcheck_status() -> None:
    status = _obj("sphinx.builders.linkcheck._Status")
    for member in ("BROKEN", "IGNORED", "TIMEOUT", "WORKING"):
        assert member in status.__members__, f"_Status.{member} is gone"


def check_check_uri() -> None:
    worker = "sphinx.builders.linkcheck.HyperlinkAvailabilityCheckWorker"
    _params(f"{worker}._check_uri", "uri", "hyperlink")
    _contains(f"{worker}._check_uri", "'service unavailable'", "self.limit_rate(")


def check_linkcheck_classes() -> None:
    linkcheck = "sphinx.builders.linkcheck"
    worker = f"{linkcheck}.HyperlinkAvailabilityCheckWorker"
    checker = f"{linkcheck}.HyperlinkAvailabilityChecker"
    _params(f"{worker}.__init__", "config", "rqueue", "wqueue", "rate_limits")
    _params(f"{worker}.limit_rate", "response_url", "retry_after")
    _annotated(worker, "rate_limit_timeout", "rate_limits")
    _params(f"{checker}.__init__", "config")
    _params(f"{checker}.check", "hyperlinks")
    _attributes(checker, "invoke_threads", "shutdown_threads", "is_ignored_uri")
    _annotated(checker, "rqueue", "wqueue", "rate_limits", "workers", "num_workers")
    _params(f"{linkcheck}.CheckExternalLinksBuilder.write_linkstat", "data")
    _params(f"{linkcheck}.CheckExternalLinksBuilder.process_result", "result")


def check_linkcheck_finish() -> None:
    # BoundedLinkcheckBuilder.finish is upstream's, with our checker: re-read on any change.
    _digest("sphinx.builders.linkcheck.CheckExternalLinksBuilder.finish", "4e9d22f1bb42dbfb")


def check_builder_app() -> None:
    _contains("sphinx.builders.Builder.__init__", "self._app: Sphinx = app")


def check_handle_exception() -> None:
    _params(
        "sphinx._cli.util.errors.handle_exception",
        "exception",
        "stderr",
        "use_pdb",
        "print_traceback",
        "message_log",
        "extensions",
    )


def check_gettext_cache() -> None:
    import gettext

    assert isinstance(getattr(gettext, "_translations", None), dict)
    assert "_translations" in inspect.getsource(gettext.translation)


def check_build_parser() -> None:
    from sphinx.cmd.build import get_parser

    dests = {action.dest for action in get_parser()._actions}
    wanted = {
        "sourcedir",
        "outputdir",
        "doctreedir",
        "builder",
        "define",
        "htmldefine",
        "nitpicky",
        "jobs",
        "warningiserror",
        "verbosity",
        "color",
    }
    assert wanted <= dests, f"sphinx-build's parser lost {sorted(wanted - dests)}"


def check_docutils_patches() -> None:
    _params("sphinx.util.docutils.patch_docutils", "confdir")
    _params("sphinx.util.docutils.docutils_namespace")
    _contains("sphinx.cmd.build.build_main", "with patch_docutils(confdir), docutils_namespace():")


def check_console_colour() -> None:
    _params("sphinx.util.console.terminal_supports_colour")
    _params("sphinx.util.console.disable_colour")
    _contains("sphinx.cmd.build", "disable_colour()", "terminal_supports_colour()")


def check_ignore_filter() -> None:
    _params("sphinx_autobuild.filter.IgnoreFilter", "regular", "regex_based")
    _params("sphinx_autobuild.filter.IgnoreFilter.__call__", "filename")


def check_injector() -> None:
    _params("sphinx_autobuild.middleware.JavascriptInjectorMiddleware", "app", "ws_url")
    _contains("sphinx_autobuild.middleware", 'new WebSocket("ws://{ws_url}/websocket-reload")')


def check_fail_on_warnings() -> None:
    _contains("sphinx.application.Sphinx.__init__", "self._fail_on_warnings = bool(warningiserror)")
    # The public attribute no longer says it: a class constant, always False.
    assert _obj("sphinx.application.Sphinx").warningiserror is False


def check_warning_handlers() -> None:
    _attributes("sphinx.util.logging", "NAMESPACE", "WarningStreamHandler")
    assert _obj("sphinx.util.logging.NAMESPACE") == "sphinx"
    # Ours is added after Sphinx's, so records arrive with "location" as "path:line" text.
    _before(
        "sphinx.util.logging.setup",
        "warning_handler = WarningStreamHandler(",
        "warning_handler.addFilter(WarningLogRecordTranslator(app))",
    )
    _contains("sphinx.util.logging.SphinxLogRecordTranslator", "record.location = ")


def check_pybtex_capture() -> None:
    _params("pybtex.errors.capture")
    _contains("pybtex.errors.report_error", "captured_errors")


def check_bibtex_parse_order() -> None:
    source = inspect.getsource(_obj("sphinxcontrib.bibtex"))
    assert re.search(
        r"""connect\(\s*["']builder-inited["'],\s*builder_inited_cite\s*\)""", source
    ), "sphinxcontrib-bibtex now parses at another point or priority"
    _contains("sphinxcontrib.bibtex.builder_inited_cite", "process_bibdata(")


def check_header_buttons() -> None:
    _params(
        "sphinx_book_theme.header_buttons.add_header_buttons",
        "app",
        "pagename",
        "templatename",
        "context",
        "doctree",
    )
    _contains(
        "sphinx_book_theme.setup",
        'app.connect("html-page-context", add_header_buttons, priority=501)',
    )
    _contains(
        "sphinx_book_theme.header_buttons.add_header_buttons",
        'header_buttons = context["header_buttons"]',
    )


def check_theme_static_files() -> None:
    import pydata_sphinx_theme

    from handbook.rendering.theme_assets import _ICON_RULE, ICON_SOURCE, STYLESHEET, solid_icons

    static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    stylesheet, script = static / STYLESHEET, static / ICON_SOURCE
    assert stylesheet.is_file() and script.is_file(), f"{STYLESHEET} or {ICON_SOURCE} moved"
    assert _ICON_RULE.search(stylesheet.read_text(encoding="utf-8")), "no icon rules left"
    assert solid_icons(script.read_text(encoding="utf-8")), "no solid icons found"
    # _templates/layout.html filters this line out of the theme's css block.
    macros = (static / "webpack-macros.html").read_text(encoding="utf-8")
    assert "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}" in macros, (
        "the theme loads fontawesome.js another way"
    )


# -- The registry -----------------------------------------------------------------------

SBT = "executablebooks/sphinx-book-theme"
PST = "pydata/pydata-sphinx-theme"
SIDEBAR_ISSUES = (
    f"[{PST}#364](https://github.com/{PST}/issues/364), "
    f"[{PST}#381](https://github.com/{PST}/issues/381), "
    f"[{PST}#607](https://github.com/{PST}/issues/607), "
    f"[{SBT}#561](https://github.com/{SBT}/issues/561)"
)
SIDEBAR = (
    "the theme builds the whole site tree again for every page, then parses it with "
    "BeautifulSoup: build time grows with the square of the page count "
    f"({SIDEBAR_ISSUES})"
)
NAV_OFF = (
    "`HANDBOOK_SPEEDUPS=-navigation_cache` (the theme's own sidebar, same HTML); to "
    "delete: `_ext/handbook/speed/navigation_cache/`, `_templates/sbt-sidebar-nav.html`, its entry "
    "in `_ext/handbook/speed/speedups.py`, `tests/test_navigation.py`"
)
BIBCACHE_OFF = (
    "`HANDBOOK_SPEEDUPS=-bibtex_cache`; to delete: `_ext/handbook/speed/bibtex_cache.py`, its "
    "entry in `_ext/handbook/speed/speedups.py` and its tests in `tests/test_build_speed.py`"
)
BIBINDEX_OFF = (
    "`HANDBOOK_SPEEDUPS=-bibtex_index` (sphinxcontrib-bibtex's own domain); to "
    "delete: `_ext/handbook/speed/bibtex_index.py`, its entry in "
    "`_ext/handbook/speed/speedups.py` and its tests"
)
QUICK_OFF = (
    "`HANDBOOK_SPEEDUPS=-quick_rebuilds`; to delete: `_ext/handbook/speed/quick_rebuilds.py`, its "
    "entry in `_ext/handbook/speed/speedups.py` and its tests in `tests/test_build_speed.py`"
)
PREVIEW_OFF = (
    "make `make serve` run plain `sphinx-autobuild` (rebuilds with a new "
    "`sphinx-build` each save) and delete `tools/warm_sphinx.py`, "
    "`tools/preview.py`, `benchmarks/warm.py` and `tests/test_preview.py`"
)
NO_ISSUE = "no upstream issue found"
SPHINX = ">=9.0,<9.1"

REGISTRY: tuple[PrivateAPI, ...] = (
    PrivateAPI(
        "theme-toctree-functions",
        (
            Use(
                "_ext/handbook/speed/navigation_cache/template.py",
                "from pydata_sphinx_theme.toctree import",
            ),
            Use(
                "_ext/handbook/speed/navigation_cache/template.py",
                "add_toctree_functions(app, NEUTRAL_PAGE",
            ),
        ),
        "`pydata_sphinx_theme.toctree.add_toctree_functions` and the "
        "`generate_toctree_html(kind, startdepth, show_nav_level, **kwargs)` it puts in the "
        "page context",
        "undocumented internal (an event handler of the theme, called directly)",
        "pydata-sphinx-theme",
        ">=0.20,<0.21",
        SIDEBAR,
        "an import error when the extension loads, or a different sidebar; if the markup "
        "changes, the build warns `navigation_cache` and falls back to the theme (an error "
        "with `-W`)",
        NAV_OFF,
        check_add_toctree_functions,
    ),
    PrivateAPI(
        "book-theme-sidebar-template",
        (
            Use("_templates/sbt-sidebar-nav.html", '{%- include "!components/sbt-sidebar-nav'),
            Use(
                "_ext/handbook/speed/navigation_cache/__init__.py",
                'context["navigation_cache_toctree_html"]',
            ),
        ),
        "the template `components/sbt-sidebar-nav.html` and the name "
        "`generate_toctree_html` it calls",
        "template override",
        "sphinx-book-theme",
        ">=1.4,<1.5",
        SIDEBAR,
        "a renamed template makes ours include nothing (an empty sidebar) or fail; a "
        "renamed function leaves the cache unused (slow, same HTML)",
        NAV_OFF,
        check_sidebar_template,
    ),
    PrivateAPI(
        "sphinx-global-toctree",
        (
            Use(
                "_ext/handbook/speed/navigation_cache/template.py",
                "from sphinx.environment.adapters.toctree",
            ),
            Use("_ext/handbook/speed/navigation_cache/template.py", "class TokenisingBuilder:"),
        ),
        "`sphinx.environment.adapters.toctree.global_toctree_for_doc`, called with a stand-in "
        "builder that only answers `get_relative_uri`",
        "undocumented internal; duck-typed builder",
        "Sphinx",
        SPHINX,
        SIDEBAR,
        "a changed signature fails the first page; a new builder call reaches the real "
        "builder through `__getattr__`, with real addresses in place of tokens (the markup "
        "check then warns)",
        NAV_OFF,
        check_global_toctree,
    ),
    PrivateAPI(
        "sphinx-render-partial",
        (Use("_ext/handbook/speed/navigation_cache/template.py", "builder.render_partial(tree)"),),
        '`StandaloneHTMLBuilder.render_partial(node)["fragment"]`',
        "undocumented internal",
        "Sphinx",
        SPHINX,
        SIDEBAR,
        "a `KeyError` or `TypeError` on the first page written",
        NAV_OFF,
        check_render_partial,
    ),
    PrivateAPI(
        "sphinx-toctree-context",
        (Use("_ext/handbook/speed/navigation_cache/__init__.py", "SPHINX_TOCTREE_MODULE ="),),
        "the `toctree` function of the page context being a lambda of "
        "`sphinx.builders.html` (tells Sphinx's own from a replacement)",
        "undocumented internal behavior",
        "Sphinx",
        SPHINX,
        SIDEBAR,
        "the cache serves no page (the theme's function does: slow, same HTML)",
        NAV_OFF,
        check_toctree_context,
    ),
    PrivateAPI(
        "notfound-replace-uris",
        (
            Use(
                "_ext/handbook/speed/navigation_cache/__init__.py",
                "from notfound.utils import replace_uris",
            ),
            Use("_ext/handbook/speed/navigation_cache/__init__.py", "NOTFOUND_TOCTREE_MODULE ="),
        ),
        "`notfound.utils.replace_uris` and `notfound.extension` replacing the page "
        "context's `toctree` on the 404 page",
        "undocumented internal",
        "sphinx-notfound-page",
        ">=1.1,<1.2",
        "the 404 page's sidebar needs absolute addresses, made the way sphinx-notfound-page "
        "makes them; " + SIDEBAR,
        "the 404 page's sidebar falls back to the theme, or has wrong addresses "
        "(`tests/test_navigation.py` compares it)",
        NAV_OFF,
        check_notfound,
    ),
    PrivateAPI(
        "sphinx-env-tocs",
        (
            Use(
                "_ext/handbook/speed/navigation_cache/stored.py",
                "toc, title = env.tocs.get(docname)",
            ),
            Use("_ext/handbook/speed/navigation_cache/stored.py", "env.toc_secnumbers.items()"),
            Use("_ext/handbook/speed/quick_rebuilds.py", "toc, title = env.tocs.get(docname)"),
            Use("_ext/handbook/speed/quick_rebuilds.py", "env.files_to_rebuild = {"),
        ),
        "`BuildEnvironment.tocs`, `.titles`, `.toc_secnumbers`, `.files_to_rebuild`",
        "undocumented attributes",
        "Sphinx",
        SPHINX,
        "what a page shows in other pages' tables of contents, to know when the stored "
        "sidebar (navigation_cache) or the listing pages (quick_rebuilds) are still valid",
        "an `AttributeError` at the first page read; if their content changed meaning, a "
        "stale sidebar or listing (the tests of both extensions compare the HTML)",
        f"{NAV_OFF}; {QUICK_OFF}",
        check_env_tocs,
    ),
    PrivateAPI(
        "sphinx-build-info",
        (
            Use(
                "_ext/handbook/speed/navigation_cache/stored.py",
                'build_info = getattr(builder, "build_info"',
            ),
        ),
        "`StandaloneHTMLBuilder.build_info` (`sphinx.builders.html._build_info.BuildInfo`: "
        "`config_hash`, `tags_hash`)",
        "private module",
        "Sphinx",
        SPHINX,
        "the stored sidebar must be made again when an HTML option changes; Sphinx's own "
        "`.buildinfo` hashes say when",
        "read with `getattr` defaults: the fingerprint would silently ignore the HTML "
        "options, and a stored sidebar could outlive an option change",
        NAV_OFF,
        check_build_info,
    ),
    PrivateAPI(
        "pybtex-entry-points",
        (
            Use(
                "_ext/handbook/speed/bibtex_cache.py",
                "pybtex.plugin.entry_points = cached_entry_points",
            ),
        ),
        "`pybtex.plugin.entry_points` (the name pybtex imported from `importlib.metadata`)",
        "monkeypatch",
        "pybtex",
        ">=0.26,<0.27",
        "pybtex reads the entry points of every installed distribution at each plugin "
        f"lookup, several per citation; {NO_ISSUE} (pygments fixed the same cost: "
        "[pygments/pygments#2979](https://github.com/pygments/pygments/pull/2979))",
        "if pybtex stops using that name, the patch does nothing (slow, same output); if it "
        "uses the result differently, plugin lookups fail",
        BIBCACHE_OFF,
        check_pybtex_entry_points,
    ),
    PrivateAPI(
        "pybtex-style-subclass",
        (
            Use("_ext/handbook/speed/bibtex_cache.py", "class RemembersEntries:"),
            Use(
                "_ext/handbook/speed/bibtex_cache.py",
                "pybtex.plugin.register_plugin(STYLE_GROUP, name, style",
            ),
        ),
        "`BaseStyle.format_entry(label, entry, bib_data=None)` and `__init__` defaults, "
        "overridden in a subclass registered over the configured style (`force=True`)",
        "subclass of internals; plugin replaced",
        "pybtex",
        ">=0.26,<0.27",
        "sphinxcontrib-bibtex formats the same entry again for every citation and every "
        f"build; {NO_ISSUE}",
        "a changed signature makes formatting fail or bypass the cache",
        BIBCACHE_OFF,
        check_format_entry,
    ),
    PrivateAPI(
        "bibtex-default-styles",
        (
            Use(
                "_ext/handbook/speed/bibtex_cache.py",
                "if not self._with_defaults or bib_data is not None",
            ),
        ),
        "sphinxcontrib-bibtex making a new style with pybtex's defaults for each citation and "
        "calling `format_entry(label, entry)` (`foot_roles.py`, "
        "`BibtexDomain.get_formatted_entries`)",
        "undocumented internal behavior",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        f"the same as above; {NO_ISSUE}",
        "styles made another way are not cached (slow, same output)",
        BIBCACHE_OFF,
        check_bibtex_default_styles,
    ),
    PrivateAPI(
        "bibtex-filter-visitor",
        (
            Use(
                "_ext/handbook/speed/bibtex_index.py",
                "from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor",
            ),
        ),
        "`sphinxcontrib.bibtex.domain._FilterVisitor(entry, docname, cited_docnames)`",
        "private name",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        "choosing each bibliography's entries scans every citation for every entry: time "
        f"bibliographies times entries times citations, paid by every build; {NO_ISSUE}",
        "an import error when the extension loads",
        BIBINDEX_OFF,
        check_filter_visitor,
    ),
    PrivateAPI(
        "bibtex-domain-methods",
        (Use("_ext/handbook/speed/bibtex_index.py", "class IndexedBibtexDomain(BibtexDomain):"),),
        "`BibtexDomain.env_updated`, `get_all_cited_keys`, `get_filtered_entries` "
        "(overridden; the last one's body copied), `citation_refs`, `bibliographies`, "
        "`get_entries`",
        "subclass of internals",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        f"the same as above; {NO_ISSUE}",
        "if upstream changes what the two methods answer, ours answer the old way: a "
        "bibliography with other entries than upstream would choose",
        BIBINDEX_OFF,
        check_bibtex_domain,
    ),
    PrivateAPI(
        "bibtex-domain-logger",
        (Use("_ext/handbook/speed/bibtex_index.py", "import logger as bibtex_logger"),),
        "`sphinxcontrib.bibtex.domain.logger`",
        "module internal",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        "the copied filter warning must come from the same logger as upstream's",
        "an import error when the extension loads",
        BIBINDEX_OFF,
        check_bibtex_logger,
    ),
    PrivateAPI(
        "bibtex-bibdata",
        (Use("_ext/handbook/content/knowledge_base/references.py", "domain.bibdata.data.entries"),),
        "`BibtexDomain.bibdata.data.entries`",
        "undocumented attribute",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        "the knowledge base checks and shows the `.bib` entries front matter cites; "
        "sphinxcontrib-bibtex has no public API for the parsed entries",
        "every programme page fails with an `AttributeError`",
        "needs a public API upstream, or parse `bib/` with pybtex in the knowledge base",
        check_bibdata,
    ),
    PrivateAPI(
        "sphinx-parallel-read",
        (Use("_ext/handbook/speed/quick_rebuilds.py", "app.parallel = 1"),),
        "`Sphinx.parallel`, changed in `env-before-read-docs`, which `Builder.read` reads "
        "after the event",
        "undocumented internal behavior",
        "Sphinx",
        SPHINX,
        "Sphinx 9 forks workers to read even one changed page, and each sends the whole "
        "environment back ([sphinx-doc/sphinx#12796]"
        "(https://github.com/sphinx-doc/sphinx/pull/12796) removed the serial read below "
        "six pages)",
        "a one-page rebuild forks workers again (slower, same output)",
        QUICK_OFF,
        check_parallel_read,
    ),
    PrivateAPI(
        "sphinx-write-documents",
        (
            Use(
                "_ext/handbook/speed/quick_rebuilds.py",
                "builder.write_documents = write_few_serially",
            ),
        ),
        "`Builder.write_documents(docnames)` and `Builder.parallel_ok`",
        "monkeypatch (on the builder instance)",
        "Sphinx",
        SPHINX,
        "the same for writing a handful of pages; " + NO_ISSUE,
        "few pages are written in parallel again (slower), or writing fails if the "
        "signature changed",
        QUICK_OFF,
        check_write_documents,
    ),
    PrivateAPI(
        "sphinx-files-to-rebuild",
        (
            Use(
                "_ext/handbook/speed/quick_rebuilds.py", "app.quick_rebuilds_files_to_rebuild = env"
            ),
        ),
        "`BuildEnvironment.files_to_rebuild`, swapped between `write-started` and "
        "`build-finished`, which `Builder.write` reads after the event",
        "undocumented internal behavior",
        "Sphinx",
        SPHINX,
        "every page whose table of contents lists an edited page is written again, even when "
        "its title and headings did not change ([sphinx-doc/sphinx#11556]"
        "(https://github.com/sphinx-doc/sphinx/issues/11556))",
        "listing pages are written again (slower), or, if Sphinx reads it elsewhere, a "
        "listing keeps an old title (tested in `tests/test_build_speed.py`)",
        QUICK_OFF,
        check_files_to_rebuild,
    ),
    PrivateAPI(
        "sphinx-template-environment",
        (
            Use(
                "_ext/handbook/speed/quick_rebuilds.py",
                'environment = getattr(templates, "environment"',
            ),
        ),
        "`BuiltinTemplateLoader.environment` (the Jinja environment) and its `bytecode_cache`",
        "undocumented attribute",
        "Sphinx",
        SPHINX,
        f"each build compiles the theme's templates again (about 0.4 s); {NO_ISSUE}",
        "templates are compiled again (slower, same output)",
        QUICK_OFF,
        check_template_environment,
    ),
    PrivateAPI(
        "sphinx-collector-priority",
        (
            Use(
                "_ext/handbook/speed/quick_rebuilds.py",
                'app.connect("env-purge-doc", note_before_reading',
            ),
        ),
        "Sphinx's environment collectors listening to `env-purge-doc` at the default "
        "priority (ours runs first, at 100)",
        "undocumented internal behavior",
        "Sphinx",
        SPHINX,
        "to see a page's old title and headings before Sphinx forgets them; " + NO_ISSUE,
        "every listing page is written again (slower, same output)",
        QUICK_OFF,
        check_collector_priority,
    ),
    PrivateAPI(
        "sphinx-search-word-re",
        (Use("_ext/handbook/search/search_japanese.py", "self._word_re.findall(input)"),),
        "`SearchLanguage._word_re`",
        "private name",
        "Sphinx",
        SPHINX,
        "English search must split words exactly as Sphinx's English does, plus Japanese "
        "runs, and the Japanese edition's Latin words the same way "
        "([sphinx-doc/sphinx#5318](https://github.com/sphinx-doc/sphinx/issues/5318))",
        "an `AttributeError` when the search index is built",
        "copy Sphinx's pattern (`\\w+`) into `_ext/handbook/search/search_japanese.py`",
        check_word_re,
    ),
    PrivateAPI(
        "sphinx-tinysegmenter-model",
        (
            Use(
                "_ext/handbook/search/search_japanese.py",
                'if name.endswith("__") and not name.startswith("__")',
            ),
            Use(
                "_ext/handbook/search/search_japanese.py",
                "patterns = DefaultSplitter.patterns_.items()",
            ),
            Use(
                "_ext/handbook/search/search_japanese.py",
                "# A port of DefaultSplitter.split, line for line",
            ),
        ),
        "`sphinx.search.ja.DefaultSplitter`'s model tables (`BIAS__`, `UW1__`, ...), "
        "`patterns_`, and `split` (ported to JavaScript)",
        "undocumented internals",
        "Sphinx",
        SPHINX,
        "the browser must cut a Japanese query as the index was cut; Sphinx has no "
        "JavaScript segmenter ([sphinx-doc/sphinx#13395]"
        "(https://github.com/sphinx-doc/sphinx/issues/13395), "
        "[sphinx-doc/sphinx#5318](https://github.com/sphinx-doc/sphinx/issues/5318))",
        "a changed model is read again (fine); a changed `split` makes queries miss words "
        "the index has",
        "once Sphinx ships a JavaScript splitter (#13395), use it and delete `_SPLITTER_TEMPLATE`",
        check_tinysegmenter,
    ),
    PrivateAPI(
        "sphinx-equation-number",
        (
            Use(
                "_ext/handbook/rendering/mathml_math.py",
                "number = get_node_equation_number(translator, node)",
            ),
        ),
        "`sphinx.util.math.get_node_equation_number(writer, node)`",
        "undocumented helper",
        "Sphinx",
        SPHINX,
        "MathML equations keep Sphinx's numbering, as its MathJax renderer does",
        "an import or type error when a numbered equation is written",
        "none while the handbook renders MathML: it would mean copying its dozen lines "
        "(`builder.fignumbers`, `math_numfig`, `math_numsep`)",
        check_equation_number,
    ),
    PrivateAPI(
        "sphinx-permalink",
        (Use("_ext/handbook/rendering/mathml_math.py", "translator.add_permalink_ref(node"),),
        "`HTML5Translator.add_permalink_ref(node, title)`",
        "undocumented method",
        "Sphinx",
        SPHINX,
        "equation permalinks look and behave like Sphinx's own",
        "an `AttributeError` when a numbered equation is written",
        'write the `<a class="headerlink">` ourselves',
        check_permalink,
    ),
    PrivateAPI(
        "sphinx-math-nowrap",
        (
            Use(
                "_ext/handbook/rendering/mathml_math.py",
                'nowrap = node.get("no-wrap", node.get("nowrap"',
            ),
        ),
        "the `no-wrap` (formerly `nowrap`) attribute of `math_block` nodes",
        "undocumented node attribute",
        "Sphinx",
        SPHINX,
        "amsmath environments must keep their own LaTeX, as MathJax's renderer keeps them",
        "amsmath blocks are wrapped again and fail to convert (a `math` warning)",
        "none while the handbook renders MathML",
        check_nowrap,
    ),
    PrivateAPI(
        "sphinx-builder-cls",
        (Use("_ext/handbook/content/knowledge_base/__init__.py", "env._builder_cls.format"),),
        "`BuildEnvironment._builder_cls`",
        "private name",
        "Sphinx",
        SPHINX,
        "post-transforms need the output format; `env.app` is deprecated in Sphinx 9 and "
        "a transform has no public way to the builder",
        "an `AttributeError` on every page with a diagram or timeline",
        "render the diagrams in a `doctree-resolved` handler, which receives the "
        "application and so `app.builder.format`, instead of a post-transform",
        check_builder_cls,
    ),
    PrivateAPI(
        "sphinx-locale-translators",
        (Use("_ext/handbook/i18n/messages.py", 'locale.translators.pop(("general", CATALOG)'),),
        "`sphinx.locale.translators`, keyed by `(namespace, catalogue)`",
        "undocumented module attribute",
        "Sphinx",
        SPHINX,
        "a second application in the same process (tests, the warm preview) would put a "
        "new language's catalogue behind the previous one's; " + NO_ISSUE,
        "the old catalogue stays in front: labels in the previous build's language",
        "none while one process builds several languages",
        check_translators,
    ),
    PrivateAPI(
        "yaml-implicit-resolvers",
        (Use("_ext/handbook/checks/data_files.py", "_HandbookLoader.yaml_implicit_resolvers = {"),),
        "`yaml.SafeLoader.yaml_implicit_resolvers`",
        "undocumented class attribute",
        "PyYAML",
        ">=6.0,<7",
        "dates in front matter and data files must stay strings (the schemas validate ISO "
        "text); PyYAML "
        "can add resolvers but not remove one",
        "dates become `datetime.date` objects and the schema rejects them",
        "convert dates back to text after loading",
        check_yaml_resolvers,
    ),
    PrivateAPI(
        "sphinx-fail-on-warnings",
        (
            Use(
                "_ext/handbook/checks/located_errors.py",
                'getattr(self.app, "_fail_on_warnings", False)',
            ),
        ),
        "`Sphinx._fail_on_warnings` (what `-W` set)",
        "private name",
        "Sphinx",
        SPHINX,
        "a strict build stops on a warning but prints it as `WARNING`, which contributors "
        "read as optional; `Sphinx.warningiserror` is now a constant `False`",
        "read with a `getattr` default: warnings are printed as `WARNING` again (the build "
        "still fails)",
        "drop the relabelling in `StrictWarningsAreErrors.filter` (the hints stay)",
        check_fail_on_warnings,
    ),
    PrivateAPI(
        "sphinx-warning-handlers",
        (
            Use(
                "_ext/handbook/checks/located_errors.py",
                "from sphinx.util.logging import NAMESPACE, WarningStreamHandler",
            ),
        ),
        "`sphinx.util.logging.NAMESPACE`, `WarningStreamHandler`, and the `location` text "
        "Sphinx's `WarningLogRecordTranslator` puts on each record before our filter",
        "undocumented internals",
        "Sphinx",
        SPHINX,
        "a filter on Sphinx's own warning stream adds a hint to each warning and remembers "
        "the pages that had one; Sphinx has no hook for it",
        "the filter is silently not installed: no hints, and a page that warned is not read "
        "again by the next build",
        "drop `StrictWarningsAreErrors` and `read_warned_again` from "
        "`_ext/handbook/checks/located_errors.py` (the warnings stay, without hints)",
        check_warning_handlers,
    ),
    PrivateAPI(
        "pybtex-errors-capture",
        (Use("_ext/handbook/checks/located_errors.py", "enter_context(pybtex.errors.capture())"),),
        "`pybtex.errors.capture()` and the `filename`, `lineno` of the errors it collects",
        "undocumented function",
        "pybtex",
        ">=0.26,<0.27",
        "sphinxcontrib-bibtex stops the build with a traceback at the first BibTeX syntax "
        "error; captured, each error is reported at its file and line",
        "a broken `.bib` file ends in a traceback again (the `.bib` rules still report most "
        "faults first)",
        "rely on the `.bib` rules of `_ext/handbook/citations/bib_rules.py` alone",
        check_pybtex_capture,
    ),
    PrivateAPI(
        "bibtex-parse-order",
        (
            Use(
                "_ext/handbook/checks/located_errors.py",
                'app.connect("builder-inited", check_bibliographies',
            ),
        ),
        "sphinxcontrib-bibtex parsing the `.bib` files in its `builder-inited` handler, at "
        "the default priority (ours run at 400 and 600, around it)",
        "undocumented internal behavior",
        "sphinxcontrib-bibtex",
        ">=2.7,<2.8",
        "the same as above: the capture must be open while sphinxcontrib-bibtex parses",
        "pybtex's errors escape the capture: a traceback again",
        "see `pybtex-errors-capture`",
        check_bibtex_parse_order,
    ),
    PrivateAPI(
        "book-theme-header-buttons",
        (
            Use(
                "_ext/handbook/rendering/header_buttons.py",
                'for button in context.get("header_buttons", [])',
            ),
        ),
        "the page context's `header_buttons` list, made by sphinx-book-theme's "
        "`add_header_buttons` in `html-page-context` at priority 501",
        "undocumented internal",
        "sphinx-book-theme",
        ">=1.4,<1.5",
        "the download menu offers the page's source, which this site does not publish, and "
        "cannot be configured ([executablebooks/sphinx-book-theme#763]"
        "(https://github.com/executablebooks/sphinx-book-theme/issues/763))",
        "the broken source link comes back, or the book's PDF is missing from the menu",
        "drop `header_buttons` from `conf.py` (and accept the broken button)",
        check_header_buttons,
    ),
    PrivateAPI(
        "theme-static-files",
        (
            Use(
                "_ext/handbook/rendering/theme_assets.py",
                'STYLESHEET = Path("styles/pydata-sphinx-theme.css")',
            ),
            Use(
                "_ext/handbook/rendering/theme_assets.py",
                'ICON_SOURCE = Path("scripts/fontawesome.js")',
            ),
            Use("_templates/layout.html", "_static/scripts/fontawesome.js"),
        ),
        "pydata-sphinx-theme's packaged `static/styles/pydata-sphinx-theme.css` (its icon "
        "rules and `--pst-icon-*` variables) and `static/scripts/fontawesome.js` (its packed "
        "icon table), and the script line of its `webpack-macros.html`",
        "file layout and format of another package",
        "pydata-sphinx-theme",
        ">=0.20,<0.21",
        "every page loads the whole stylesheet and Font Awesome's font and script for a "
        "handful of icons ([pydata/pydata-sphinx-theme#2379]"
        "(https://github.com/pydata/pydata-sphinx-theme/issues/2379), "
        "[pydata/pydata-sphinx-theme#2494](https://github.com/pydata/pydata-sphinx-theme/pull/2494))",
        "the build fails with a `theme_assets` error (on purpose: the site would lose its icons)",
        "drop `theme_assets` from `conf.py` and the `fontawesome.js` filter from "
        "`_templates/layout.html`: the theme's full assets again",
        check_theme_static_files,
    ),
    PrivateAPI(
        "linkcheck-status",
        (Use("_ext/handbook/links/linkcheck_bounds.py", "    _Status,"),),
        "`sphinx.builders.linkcheck._Status`",
        "private name",
        "Sphinx",
        SPHINX,
        "the bounded link check reports results with upstream's own statuses",
        "an import error when the extension loads",
        "see `linkcheck-check-uri`",
        check_linkcheck_status,
    ),
    PrivateAPI(
        "linkcheck-check-uri",
        (
            Use(
                "_ext/handbook/links/linkcheck_bounds.py",
                "def _check_uri(self, uri: str, hyperlink",
            ),
        ),
        "`HyperlinkAvailabilityCheckWorker._check_uri(uri, hyperlink)` and its "
        "`'service unavailable'` message",
        "private method overridden",
        "Sphinx",
        SPHINX,
        "a 503 is reported as ignored and never retried "
        "([sphinx-doc/sphinx#5502](https://github.com/sphinx-doc/sphinx/issues/5502), "
        "[sphinx-doc/sphinx#6427](https://github.com/sphinx-doc/sphinx/pull/6427)); a "
        "rate-limited site is reported broken",
        "our override is not called (503s hidden again) or fails "
        "(`tests/test_linkcheck_external.py` checks both against a local server)",
        "drop `_ext/handbook/links/linkcheck_bounds.py` from `conf.py` and its "
        "`linkcheck_deadline`, `linkcheck_ignore_reasons` settings; `make linkcheck` then "
        "has no bound",
        check_check_uri,
    ),
    PrivateAPI(
        "linkcheck-worker-checker",
        (
            Use("_ext/handbook/links/linkcheck_bounds.py", "class BoundedCheckWorker("),
            Use("_ext/handbook/links/linkcheck_bounds.py", "class BoundedAvailabilityChecker("),
        ),
        "`HyperlinkAvailabilityCheckWorker` (`__init__`, `limit_rate`, "
        "`rate_limit_timeout`) and `HyperlinkAvailabilityChecker` (`check`, "
        "`invoke_threads`, queues, workers)",
        "subclasses of undocumented classes",
        "Sphinx",
        SPHINX,
        "a `Retry-After` header is obeyed in full and results are awaited without a "
        f"timeout, so one site can keep the weekly check running forever; {NO_ISSUE}",
        "a `TypeError` when the check starts, or an unbounded check again",
        "see `linkcheck-check-uri`",
        check_linkcheck_classes,
    ),
    PrivateAPI(
        "linkcheck-finish",
        (
            Use(
                "_ext/handbook/links/linkcheck_bounds.py",
                "# Upstream's finish(), with the bounded checker",
            ),
        ),
        "`CheckExternalLinksBuilder.finish` (copied), `txt_outfile`, `json_outfile`, "
        "`broken_hyperlinks`, `timed_out_hyperlinks`",
        "copied internal method",
        "Sphinx",
        SPHINX,
        "the builder makes its checker inside `finish`, with no hook for another one",
        "the copy misses upstream's later fixes",
        "see `linkcheck-check-uri`",
        check_linkcheck_finish,
    ),
    PrivateAPI(
        "sphinx-builder-app",
        (Use("_ext/handbook/links/linkcheck_bounds.py", "self._app.statuscode = 1"),),
        "`Builder._app`",
        "private name",
        "Sphinx",
        SPHINX,
        "the copied `finish` sets the exit status as upstream's does; `builder.app` is "
        "deprecated in Sphinx 9",
        "an `AttributeError` at the end of `make linkcheck`",
        "see `linkcheck-check-uri`",
        check_builder_app,
    ),
    PrivateAPI(
        "sphinx-cli-errors",
        (Use("tools/warm_sphinx.py", "from sphinx._cli.util.errors import handle_exception"),),
        "`sphinx._cli.util.errors.handle_exception`",
        "private module",
        "Sphinx",
        SPHINX,
        "the warm preview reports a failed build as `sphinx-build` does: file and line, no "
        "traceback. sphinx-autobuild starts a new `sphinx-build` for each save, which "
        "costs the whole start-up (imports, extensions, the saved environment) again "
        "([sphinx-doc/sphinx-autobuild#136]"
        "(https://github.com/sphinx-doc/sphinx-autobuild/issues/136))",
        "`make serve` fails to start with an import error",
        PREVIEW_OFF,
        check_handle_exception,
    ),
    PrivateAPI(
        "stdlib-gettext-cache",
        (Use("tools/warm_sphinx.py", "gettext._translations.clear()"),),
        "`gettext._translations`",
        "private name (standard library)",
        PYTHON,
        ">=3.11,<3.14",
        "Python keeps every catalogue it read for the life of the process: a warm "
        "application would not see an edited `.po` file",
        "an `AttributeError` when the preview starts a new application",
        PREVIEW_OFF,
        check_gettext_cache,
    ),
    PrivateAPI(
        "sphinx-build-parser",
        (Use("tools/warm_sphinx.py", "from sphinx.cmd.build import get_parser"),),
        "`sphinx.cmd.build.get_parser` and the names of its options",
        "undocumented function",
        "Sphinx",
        SPHINX,
        "the warm preview takes `sphinx-build`'s command line and must read it as "
        "`sphinx-build` does",
        "`make serve` fails to start, or ignores an option",
        PREVIEW_OFF,
        check_build_parser,
    ),
    PrivateAPI(
        "sphinx-docutils-patches",
        (Use("tools/warm_sphinx.py", "from sphinx.util.docutils import docutils_namespace"),),
        "`sphinx.util.docutils.patch_docutils(confdir)`, `docutils_namespace()`",
        "undocumented helpers",
        "Sphinx",
        SPHINX,
        "the warm application must run inside the same docutils patches as `sphinx-build`'s",
        "`make serve` fails to start, or builds differently from `make html`",
        PREVIEW_OFF,
        check_docutils_patches,
    ),
    PrivateAPI(
        "sphinx-console-colour",
        (Use("tools/warm_sphinx.py", "from sphinx.util.console import disable_colour"),),
        "`sphinx.util.console.disable_colour`, `terminal_supports_colour` (now aliases of "
        "`sphinx._cli.util.colour`)",
        "undocumented helpers",
        "Sphinx",
        SPHINX,
        "terminal colors as `sphinx-build` chooses them",
        "`make serve` fails to start",
        PREVIEW_OFF,
        check_console_colour,
    ),
    PrivateAPI(
        "autobuild-ignore-filter",
        (Use("tools/preview.py", "from sphinx_autobuild.filter import IgnoreFilter"),),
        "`sphinx_autobuild.filter.IgnoreFilter(regular, regex_based)`",
        "undocumented module",
        "sphinx-autobuild",
        ">=2025.8,<2025.9",
        "the preview ignores the same files as sphinx-autobuild",
        "`make serve` fails to start",
        PREVIEW_OFF,
        check_ignore_filter,
    ),
    PrivateAPI(
        "autobuild-injector",
        (
            Use("tools/preview.py", "from sphinx_autobuild.middleware import"),
            Use("tools/preview.py", 'RELOAD_PATH = "/websocket-reload"'),
        ),
        "`sphinx_autobuild.middleware.JavascriptInjectorMiddleware(app, ws_url)` and the "
        "`/websocket-reload` address of its script",
        "undocumented module",
        "sphinx-autobuild",
        ">=2025.8,<2025.9",
        "the browser side of the reload stays sphinx-autobuild's own",
        "pages stop reloading after a save",
        PREVIEW_OFF,
        check_injector,
    ),
)


# -- The table ---------------------------------------------------------------------------

INTRO = """\
# Private and undocumented upstream APIs

Generated from `_ext/handbook/private_apis.py` by
`.venv/bin/python _ext/handbook/private_apis.py --write`: edit that file, not this one.
`tests/test_private_apis.py` checks, for every row, that the installed release is in the
range the use was written for and that the name still has the shape we rely on; an upgrade
that changes one fails with the row's key. Upgrade a package, run that test, read each
failing row's upstream code, adapt ours (or remove it as the last column says), then widen
the range.

The four build-speed extensions can each be left out without changing the site:
`HANDBOOK_SPEEDUPS=0` leaves out all of them, `HANDBOOK_SPEEDUPS=-name` one
(`_ext/handbook/speed/speedups.py`, README "Benchmark").

`benchmarks/` uses none of its own: `benchmarks/warm.py` runs the preview's
`tools/warm_sphinx.py` (rows `sphinx-cli-errors` to `sphinx-console-colour`).

{count} entries: {by_package}.

"""
COLUMNS = (
    "Key",
    "Where",
    "Private name",
    "Kind",
    "Upstream, versions",
    "Works around",
    "If upstream changes it",
    "How to remove it",
)


def _where(entry: PrivateAPI) -> str:
    links = []
    for use in entry.uses:
        target = (
            Path("..") / use.file
            if not use.file.startswith("_ext/")
            else Path(use.file).relative_to("_ext")
        )
        links.append(f"[{use.file}:{use.line()}]({target.as_posix()}#L{use.line()})")
    return "<br>".join(links)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The Markdown table, as PRIVATE_APIS.md holds it."""
    rows = [
        "| "
        + " | ".join(
            [
                f"`{entry.key}`",
                _where(entry),
                _cell(entry.name),
                entry.kind,
                f"{entry.package} `{entry.versions}`",
                _cell(entry.works_around),
                _cell(entry.breaks),
                _cell(entry.remove),
            ]
        )
        + " |"
        for entry in REGISTRY
    ]
    header = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    packages = Counter(entry.package for entry in REGISTRY)
    by_package = ", ".join(f"{name} {count}" for name, count in packages.most_common())
    intro = INTRO.format(count=len(REGISTRY), by_package=by_package)
    return intro + "\n".join(header + rows) + "\n"


def entries_by_file() -> Iterator[tuple[str, int, PrivateAPI]]:
    for entry in REGISTRY:
        for use in entry.uses:
            yield use.file, use.line(), entry


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        TABLE.write_text(render(), encoding="utf-8")
        print(f"wrote {TABLE.relative_to(ROOT)} ({len(REGISTRY)} entries)")
    else:
        sys.stdout.write(render())
