"""Search that splits Japanese, in the English and the Japanese edition: the index side here,
the browser side in tests/test_browser.py (which runs the generated splitQuery in Chromium
against split_query) and tests/test_translations.py (searches of the Japanese edition).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from handbook.search.search_japanese import (
    SearchEnglishWithJapanese,
    SearchJapaneseWithShortWords,
    is_searchable,
    query_terms,
    short_pieces,
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


def test_a_japanese_run_becomes_words_and_its_kanji(language: SearchEnglishWithJapanese) -> None:
    # TinySegmenter cuts 柏|の|葉|キャンパス|駅; the particle の goes; the kanji are added.
    assert language.split("柏の葉キャンパス駅") == [
        "柏",
        "葉",
        "キャンパス",
        "駅",
        "柏",
        "葉",
        "駅",
    ]
    assert language.split("つくばエクスプレス") == ["つくば", "エクスプレス"]


def test_latin_and_japanese_in_one_run_are_separated(language: SearchEnglishWithJapanese) -> None:
    assert language.split("T2K実験 (Tokai)") == ["T2K", "実験", "実", "験", "実験", "Tokai"]
    assert language.split_query("T2K実験 (Tokai)") == ["T2K", "実験", "Tokai"]


def test_short_pieces_are_each_kanji_and_each_pair_of_adjacent_kanji() -> None:
    assert list(short_pieces("研究所")) == ["研", "究", "所", "研究", "究所"]
    # Kana alone or in pairs are not indexed: TinySegmenter's words cover them.
    assert list(short_pieces("柏の葉キャンパス駅")) == ["柏", "葉", "駅"]
    assert list(short_pieces("ニュートリノ")) == []


def test_a_query_is_cut_into_terms_the_index_holds(language: SearchEnglishWithJapanese) -> None:
    assert language.split_query("柏") == ["柏"]  # one or two kanji stay whole
    assert language.split_query("研究") == ["研究"]
    assert language.split_query("研究所") == ["研究", "究所"]  # however the text was cut
    assert language.split_query("ニュートリノ") == ["ニュートリノ"]  # found inside longer words
    assert language.split_query("柏キャンパス") == ["柏キャンパス"]  # mixed scripts stay whole
    assert language.split_query("柏の葉キャンパス駅") == ["柏", "葉", "キャンパス", "駅"]
    assert query_terms("宇宙線") == ["宇宙", "宙線"] and query_terms("行き方") == ["行き方"]


# Japanese text of the handbook, cut differently by TinySegmenter depending on what is around it.
TEXTS = [
    "東京大学宇宙線研究所のスーパーカミオカンデ",
    "千葉県柏市の柏の葉地区にある東京大学柏キャンパス",
    "ニュートリノ振動の研究所です",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_kanji_run_of_the_text_is_found_as_a_query(text: str) -> None:
    """Any run of one kanji or more that the text holds is a query whose every term is in
    the text's index terms, in both languages: the promise that 柏 or 研究所 finds the page."""
    for language in (SearchEnglishWithJapanese({}), SearchJapaneseWithShortWords({})):
        terms = {language.stem(word).lower() for word in language.split(text)}
        runs = {
            text[start:end]
            for start in range(len(text))
            for end in range(start + 1, len(text) + 1)
            if re.fullmatch("[\u4e00-\u9fff]+", text[start:end])
        }
        assert (
            runs and {run for run in runs if not set(language.split_query(run)) <= terms} == set()
        )


def test_the_japanese_index_keeps_a_kanji_alone_but_no_lone_hiragana() -> None:
    language = SearchJapaneseWithShortWords({})
    assert language.lang == "ja" and language.language_name == "Japanese"
    assert language.word_filter("柏") and language.word_filter("研究")
    assert not language.word_filter("の") and not language.word_filter("x")
    assert language.stem("キャンパス") == "キャンパス"


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


@pytest.mark.sphinx(
    "html",
    testroot="search-japanese",
    copy_test_root=True,
    freshenv=True,
    confoverrides={"language": "ja"},
)
def test_the_japanese_index_holds_kanji_alone(app: SphinxTestApp) -> None:
    """Sphinx's Japanese index held 柏キャンパス and 柏駅 whole and no word of one character,
    so 柏 found nothing in the Japanese edition."""
    assert app.config.language == "ja"
    outdir, warnings = build(app)
    assert warnings == ""
    index = json.loads(
        re.search(
            r"Search\.setIndex\((.*)\)", (outdir / "searchindex.js").read_text(encoding="utf-8")
        )[1]
    )
    terms = set(index["terms"])
    assert {"柏", "駅", "東京", "大学", "ニュートリノ", "検出", "測定", "エクスプレス"} <= terms
    assert "の" not in terms and not {term for term in terms if "(" in term or "." in term}
    assert {"neutrinos", "detectors", "kashiwanoha"} <= terms  # Latin words, unstemmed
    language_data = (outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var splitQuery = " in language_data and "EnglishStemmer" not in language_data


def test_language_data_carries_the_splitter_and_the_english_stemmer(app: SphinxTestApp) -> None:
    outdir, _ = build(app)
    language_data = (outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var splitQuery = " in language_data
    # Sphinx names the stemmer after language_name: it must stay "English".
    assert "window.Stemmer = EnglishStemmer;" in language_data
