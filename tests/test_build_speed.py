"""The extensions that make builds faster change nothing a reader sees (bibtex_cache,
bibtex_index, quick_rebuilds), on a small site (tests/roots/test-build-speed). Nothing here
is timed: `make bench` measures speed.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import pybtex.plugin
import pytest
from conftest import edit
from handbook.speed.bibtex_cache import STORE, cached_entry_points, remembering
from handbook.speed.bibtex_index import CitationIndex, IndexedBibtexDomain
from handbook.speed.quick_rebuilds import SERIAL_READ_MAX, SERIAL_WRITE_MAX, template_cache_dir
from pybtex.database import parse_string
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from sphinx.testing.util import SphinxTestApp
from sphinxcontrib.bibtex.domain import BibtexDomain

ROOT = Path(__file__).parent / "roots" / "test-build-speed"
BIB = Path(ROOT / "refs.bib").read_text(encoding="utf-8")

# The builds use sphinx.testing's `app` (a copy of the root per test) or, for two
# applications, its `make_app`.
pytestmark = pytest.mark.sphinx("html", testroot="build-speed", copy_test_root=True)

#: sphinx.testing's ``make_app`` fixture: an application that it cleans up itself.
MakeApp = Callable[..., SphinxTestApp]


def test_entry_points_from_memory_match_importlib() -> None:
    for group, name in (
        ("pybtex.style.names", "plain"),
        ("pybtex.backends", None),
        ("pybtex.style.formatting", "unsrt"),
        ("pybtex.backends", "nowhere"),
    ):
        expected = (
            metadata.entry_points(group=group)
            if name is None
            else metadata.entry_points(group=group, name=name)
        )
        assert list(cached_entry_points(group=group, name=name)) == list(expected)


def test_a_remembering_style_formats_each_entry_once_and_the_same() -> None:
    entry = parse_string(BIB, "bibtex").entries["Alpha_Detector_2001"]
    style = remembering(UnsrtStyle)
    assert remembering(style) is style  # wrapping twice changes nothing
    first = style().format_entry("1", entry)
    assert style().format_entry("1", entry) is first  # a new style, as bibtex makes them
    assert first.text.render_as("text") == UnsrtStyle().format_entry("1", entry).text.render_as(
        "text"
    )
    assert style().format_entry("2", entry) is not first  # another label, formatted anew
    styled = style(abbreviate_names=True)  # non-default options are never remembered
    assert styled.format_entry("1", entry) is not first


def test_citations_read_the_same_with_and_without_the_speed_extensions(
    make_app: MakeApp, tmp_path: Path
) -> None:
    pages = {}
    for name, extensions in (("cached", None), ("plain", ["myst_parser", "sphinxcontrib.bibtex"])):
        conf = {"extensions": extensions} if extensions else {}
        # Nothing is edited: both read the root itself, each into its own build folder.
        app = make_app("html", srcdir=ROOT, builddir=tmp_path / name, confoverrides=conf)
        app.build()
        assert app.warning.getvalue() == ""
        domain_class = type(app.env.domains["cite"])
        app.cleanup()  # docutils' registries are global: one application at a time
        pages[name] = {
            page: (app.outdir / f"{page}.html").read_text(encoding="utf-8")
            for page in ("cited", "surveys", "page-05")
        }
        if name == "cached":  # the extensions' replacements are in place while loaded
            assert pybtex.plugin.entry_points is cached_entry_points
            assert domain_class is IndexedBibtexDomain
        else:
            assert domain_class is BibtexDomain
    assert pages["cached"] == pages["plain"]
    cited = pages["cached"]["cited"]
    assert cited.count("Alpha Collaboration") == 1  # one footnote for three citations
    assert cited.count("A handbook of beta decay") >= 2  # footnote, bibliography
    # The bibliography lists what the whole site cites, in page order: page-05's survey last.
    bibliography = cited[cited.index('id="bibliography"') :]
    assert bibliography.index("A handbook of beta decay") < bibliography.index(
        "A survey of gamma rays"
    )
    assert "A survey of gamma rays" in pages["cached"]["surveys"]  # chosen by its keyword
    assert "A handbook of beta decay" not in pages["cached"]["surveys"]


def test_the_index_gives_the_domains_own_answers() -> None:
    class Ref:
        def __init__(self, docname: str, *keys: str) -> None:
            self.docname = docname
            self.targets = [type("Target", (), {"key": key})() for key in keys]

    refs = [Ref("b", "K2", "K1"), Ref("a", "K3"), Ref("c", "K1"), Ref("a", "K1", "K4")]
    docnames = ["a", "b", "c"]
    domain = SimpleNamespace(citation_refs=refs)  # all that get_all_cited_keys reads
    index = CitationIndex(refs)
    assert index.keys_in_page_order(docnames) == list(
        BibtexDomain.get_all_cited_keys(domain, docnames)
    )
    assert index.pages_citing["K1"] == {"a", "b", "c"}
    assert index.pages_citing["K3"] == {"a"}
    with pytest.raises(ValueError):  # a page outside the list fails as list.index does
        index.keys_in_page_order(["a", "b"])


def test_formatted_entries_are_kept_between_builds(
    app: SphinxTestApp, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.build()
    store = Path(app.doctreedir) / STORE
    assert store.is_file()
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", app.config.bibtex_default_style)
    # A new process knows nothing but the file: forget what this one remembers.
    style._formatted.clear()
    style._stored.clear()
    formatted: list[str] = []
    parent = style.__mro__[2]  # the style that RemembersEntries wraps
    original = parent.format_entry

    def counting(self: object, label: str, entry: object, bib_data: object = None) -> object:
        formatted.append(entry.key)  # type: ignore[attr-defined]
        return original(self, label, entry, bib_data=bib_data)

    monkeypatch.setattr(parent, "format_entry", counting)
    edit(app.srcdir / "refs.bib", "A survey of gamma rays", "A survey of gamma-ray sources")
    app.cleanup()  # docutils' registries are global: one application at a time
    app = make_app("html", srcdir=app.srcdir)  # a new application on the same folders
    app.build()
    assert set(formatted) == {"Gamma_Survey_2010"}  # the edited entry only
    page = (app.outdir / "surveys.html").read_text(encoding="utf-8")
    assert "A survey of gamma-ray sources" in page


#: The handbook's bibliography style and catalogue, on the small site.
TRANSLATED = {
    "extensions": [
        "myst_parser",
        "handbook.i18n.messages",
        "handbook.citations.bibliography_style",
        "sphinxcontrib.bibtex",
        "handbook.speed.bibtex_cache",
    ],
    "bibtex_default_style": "handbook",
}


def test_formatted_entries_are_kept_apart_by_language(
    app: SphinxTestApp, make_app: MakeApp
) -> None:
    """An English build, then a French one in the same process and folders (as tests and the
    warm preview run them): the French page says "consulté le" and "et", never the English
    words the first build formatted and kept (tests/roots/test-build-speed/locales/fr)."""
    srcdir = app.srcdir
    app.cleanup()
    pages = {}
    for language in ("en", "fr", "en"):
        built = make_app("html", srcdir=srcdir, confoverrides={**TRANSLATED, "language": language})
        built.build()
        assert built.warning.getvalue() == ""  # type: ignore[attr-defined]
        pages[language] = (built.outdir / "surveys.html").read_text(encoding="utf-8")
        built.cleanup()
    assert "(accessed 2026-11-25)" in pages["en"] and "Richard Roe and Edgar Poe" in pages["en"]
    assert "(consulté le 2026-11-25)" in pages["fr"] and "Richard Roe et Edgar Poe" in pages["fr"]
    assert "accessed" not in pages["fr"] and " and " not in pages["fr"]
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "handbook")
    assert len({digest for digest in style._stored}) >= 4  # two entries, two languages


@pytest.mark.sphinx(parallel=2)
def test_few_changed_pages_are_read_and_written_serially(app: SphinxTestApp) -> None:
    seen: list[tuple[str, int]] = []
    writing_in_parallel: list[bool] = []  # for each source page, in the main process
    # Watch after quick_rebuilds has chosen (its handlers run at the default priority).
    app.connect(
        "env-before-read-docs",
        lambda app, env, docs: seen.append(("reading", app.parallel)),
        priority=900,
    )
    app.connect(
        "env-updated", lambda app, env: seen.append(("writing", app.parallel)), priority=900
    )
    # Seen by the main process as it writes its first page (parallel builds write one there).
    app.connect(
        "html-page-context",
        lambda app, pagename, *args: (
            writing_in_parallel.append(app.builder.parallel_ok)
            if pagename in app.env.found_docs
            else None
        ),
        priority=900,
    )
    app.build()  # every page: more than SERIAL_READ_MAX and SERIAL_WRITE_MAX
    assert len(app.env.found_docs) > max(SERIAL_READ_MAX, SERIAL_WRITE_MAX)
    first_build = writing_in_parallel[:]
    writing_in_parallel.clear()
    (app.srcdir / "page-03.md").write_text("# Page 03\n\nEdited.\n", encoding="utf-8")
    app.build()
    assert seen == [("reading", 2), ("writing", 2), ("reading", 1), ("writing", 2)]
    assert first_build[0] is True  # many pages: written in parallel
    assert writing_in_parallel and not any(writing_in_parallel)  # a few: all in this process
    assert "Edited." in (app.outdir / "page-03.html").read_text(encoding="utf-8")


def test_compiled_templates_are_kept_for_the_next_build(app: SphinxTestApp) -> None:
    app.build()
    assert len(list(template_cache_dir(app).glob("*.cache"))) > 5  # layout, page, ...


def test_pages_listing_an_edited_page_are_rewritten_only_when_its_listing_changes(
    app: SphinxTestApp,
) -> None:
    index = app.outdir / "index.html"
    app.build()
    written = index.stat().st_mtime_ns
    page = app.srcdir / "page-04.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    app.build()
    assert "A new sentence." in (app.outdir / "page-04.html").read_text("utf-8")
    assert index.stat().st_mtime_ns == written  # same title and headings: left alone
    page.write_text("# Page four, renamed\n\nText.\n", encoding="utf-8")
    app.build()
    assert "Page four, renamed" in index.read_text(encoding="utf-8")
    assert app.env.files_to_rebuild["page-04"] == {"index"}  # Sphinx's own record, intact
