"""English search that also splits Japanese: the index side here, the browser side in
tests/test_browser.py (which runs the generated splitQuery in Chromium against this class).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from handbook.search.search_japanese import (
    SearchEnglishWithJapanese,
    is_searchable,
    splitter_javascript,
)
from sphinx.search.en import SearchEnglish
from sphinx.testing.util import SphinxTestApp

# Builds use sphinx.testing's `app` on a fresh copy of tests/roots/test-search-japanese.
pytestmark = pytest.mark.sphinx(
    "html", testroot="search-japanese", copy_test_root=True, freshenv=True
)


@pytest.fixture
def language() -> SearchEnglishWithJapanese:
    return SearchEnglishWithJapanese({})


def test_english_is_split_and_stemmed_as_sphinx_does(language: SearchEnglishWithJapanese) -> None:
    english = SearchEnglish({})
    text = "The Hyper-Kamiokande detectors measure neutrinos at École polytechnique."
    assert language.split(text) == english.split(text)
    assert [language.stem(word) for word in language.split(text)] == [
        english.stem(word) for word in english.split(text)
    ]


def test_a_japanese_run_becomes_words(language: SearchEnglishWithJapanese) -> None:
    # TinySegmenter cuts 柏|の|葉|キャンパス|駅; the particle の goes.
    assert language.split("柏の葉キャンパス駅") == ["柏", "葉", "キャンパス", "駅"]
    assert language.split("つくばエクスプレス") == ["つくば", "エクスプレス"]


def test_latin_and_japanese_in_one_run_are_separated(language: SearchEnglishWithJapanese) -> None:
    assert language.split("T2K実験 (Tokai)") == ["T2K", "実験", "Tokai"]


def test_japanese_words_are_not_stemmed(language: SearchEnglishWithJapanese) -> None:
    assert language.stem("キャンパス") == "キャンパス"
    assert language.stem("Detectors") == "detector"


def test_lone_hiragana_are_not_searchable() -> None:
    assert not is_searchable("の") and not is_searchable("")
    assert is_searchable("柏") and is_searchable("つくば") and is_searchable("x")


def test_splitter_javascript_reads_the_model_from_sphinx() -> None:
    code = splitter_javascript()
    assert code.startswith("/*") and "var splitQuery = " in code
    model = json.loads(re.search(r"const m = (\{.*?\});\n", code)[1])
    assert model["BIAS__"] == -332 and "UW4__" in model and "TQ4__" in model
    assert not re.search(r"@[A-Z]+@", code), "a template placeholder was left unfilled"


def build(app: SphinxTestApp) -> tuple[Path, str]:
    """Build the test project (tests/roots/test-search-japanese); its output and warnings."""
    app.build()
    return app.outdir, app.warning.getvalue()


def test_the_index_holds_japanese_words(app: SphinxTestApp) -> None:
    outdir, warnings = build(app)
    assert warnings == ""
    index = json.loads(
        re.search(
            r"Search\.setIndex\((.*)\)", (outdir / "searchindex.js").read_text(encoding="utf-8")
        )[1]
    )
    terms = set(index["terms"])
    assert {"柏", "葉", "キャンパス", "駅", "つくば", "エクスプレス"} <= terms
    assert "の" not in terms and "柏の葉キャンパス駅" not in terms
    assert {"neutrino", "detector", "kashiwanoha"} <= terms  # English as before


def test_language_data_carries_the_splitter_and_the_english_stemmer(app: SphinxTestApp) -> None:
    outdir, _ = build(app)
    language_data = (outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var splitQuery = " in language_data
    # Sphinx names the stemmer after language_name: it must stay "English".
    assert "window.Stemmer = EnglishStemmer;" in language_data
