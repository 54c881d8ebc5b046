"""The extensions that make builds faster change nothing a reader sees (bibtex_cache,
quick_rebuilds), on a small site (tests/roots/test-build-speed). Nothing here is timed:
`make bench` measures speed.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from io import StringIO
from pathlib import Path

import pybtex.plugin
import pytest
from bibtex_cache import cached_entry_points, remembering
from pybtex.database import parse_string
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from quick_rebuilds import SERIAL_READ_MAX, template_cache_dir
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-build-speed"
BIB = Path(ROOT / "refs.bib").read_text(encoding="utf-8")


def test_entry_points_from_memory_match_importlib() -> None:
    for group, name in (("pybtex.style.names", "plain"), ("pybtex.backends", None),
                        ("pybtex.style.formatting", "unsrt"), ("pybtex.backends", "nowhere")):
        expected = (metadata.entry_points(group=group) if name is None
                    else metadata.entry_points(group=group, name=name))
        assert list(cached_entry_points(group=group, name=name)) == list(expected)


def test_a_remembering_style_formats_each_entry_once_and_the_same() -> None:
    entry = parse_string(BIB, "bibtex").entries["Alpha_Detector_2001"]
    style = remembering(UnsrtStyle)
    assert remembering(style) is style  # wrapping twice changes nothing
    first = style().format_entry("1", entry)
    assert style().format_entry("1", entry) is first  # a new style, as bibtex makes them
    assert first.text.render_as("text") == UnsrtStyle().format_entry("1", entry).text.render_as(
        "text")
    assert style().format_entry("2", entry) is not first  # another label, formatted anew
    styled = style(abbreviate_names=True)  # non-default options are never remembered
    assert styled.format_entry("1", entry) is not first


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT, tmp_path / "root"))


def build_html(srcdir: Path, conf: dict | None = None, parallel: int = 0) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=srcdir, builddir=srcdir / "_build", status=StringIO(),
                        warning=StringIO(), confoverrides=conf or {}, parallel=parallel)
    return app


def test_citations_read_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    pages = {}
    for name, extensions in (("cached", None), ("plain", ["myst_parser", "sphinxcontrib.bibtex"])):
        srcdir = Path(shutil.copytree(ROOT, tmp_path / name))
        conf = {"extensions": extensions} if extensions else {}
        app = build_html(srcdir, conf)
        try:
            app.build()
            assert app.warning.getvalue() == ""  # type: ignore[attr-defined]
        finally:
            app.cleanup()
        pages[name] = (Path(app.outdir) / "cited.html").read_text(encoding="utf-8")
        if name == "cached":  # the extension's lookup is in place while it is loaded
            assert pybtex.plugin.entry_points is cached_entry_points
    assert pages["cached"] == pages["plain"]
    assert pages["cached"].count("Alpha Collaboration") == 1  # one footnote for three citations
    assert pages["cached"].count("A handbook of beta decay") >= 2  # footnote, bibliography


def test_few_changed_pages_are_read_serially_and_writing_stays_parallel(site: Path) -> None:
    seen: list[tuple[str, int]] = []
    app = build_html(site, parallel=2)
    # Watch after quick_rebuilds has chosen (its handlers run at the default priority).
    app.connect("env-before-read-docs",
                lambda app, env, docs: seen.append(("reading", app.parallel)), priority=900)
    app.connect("env-updated", lambda app, env: seen.append(("writing", app.parallel)),
                priority=900)
    try:
        app.build()  # every page: more than SERIAL_READ_MAX
        assert len(app.env.found_docs) > SERIAL_READ_MAX
        (site / "page-03.md").write_text("# Page 03\n\nEdited.\n", encoding="utf-8")
        app.build()
    finally:
        app.cleanup()
    assert seen == [("reading", 2), ("writing", 2), ("reading", 1), ("writing", 2)]
    assert "Edited." in (Path(app.outdir) / "page-03.html").read_text(encoding="utf-8")


def test_compiled_templates_are_kept_for_the_next_build(site: Path) -> None:
    app = build_html(site)
    try:
        app.build()
    finally:
        app.cleanup()
    assert len(list(template_cache_dir(app).glob("*.cache"))) > 5  # layout, page, ...
