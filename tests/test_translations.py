"""The handbook in English, French and Japanese: `make html-all` and the catalogues."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import internal_links
import pytest
import snowballstemmer
from babel.messages.pofile import read_po
from conftest import PROJECT_ROOT, Build, run_make
from translation_status import SECTIONS, count_catalogues

LANGUAGES = ("fr", "ja")
LOCALES = PROJECT_ROOT / "locales"
MARKUP = re.compile(r"[`*{}\[\]<>|_]")


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = run_make("html-all", PROJECT_ROOT, tmp_path_factory.mktemp("languages"))
    if build.returncode != 0:
        pytest.fail(f"make html-all failed:\n{build.stdout[-3000:]}\n{build.stderr[-3000:]}")
    return build


def page_text(site: Path, docname: str) -> str:
    raw = (site / f"{docname}.html").read_text(encoding="utf-8")
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))


def plain_translations(language: str, docname: str) -> list[str]:
    """Translated messages of a page that render as the same plain text."""
    with (LOCALES / language / "LC_MESSAGES" / f"{docname}.po").open("rb") as handle:
        return [m.string for m in read_po(handle)
                if m.id and m.string and not m.fuzzy and not MARKUP.search(m.string)
                and len(m.string) > 3]


def test_every_language_builds_without_warnings(sites: Build) -> None:
    assert "WARNING" not in sites.stderr and "ERROR" not in sites.stderr, sites.stderr[-3000:]
    for language in ("", *LANGUAGES):
        assert (sites.html / language / "index.html").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("docname", ["index", "onboarding/index"])
def test_translated_strings_appear_in_their_pages(sites: Build, language: str,
                                                  docname: str) -> None:
    samples = plain_translations(language, docname)
    assert samples, f"nothing translated in {language}/{docname}"
    text = page_text(sites.html / language, docname)
    missing = [s for s in samples if " ".join(s.split()) not in text]
    assert missing == []


def test_language_switcher_links_resolve_in_every_language(sites: Build) -> None:
    page = (sites.html / "fr" / "research" / "programmes" / "t2k.html").read_text("utf-8")
    assert 'href="../../../ja/research/programmes/t2k.html"' in page
    assert 'href="../../../research/programmes/t2k.html"' in page
    assert [str(p) for p in internal_links.check_site(sites.html)] == []


def test_untranslated_pages_say_so(sites: Build) -> None:
    text = page_text(sites.html / "ja", "onboarding/japanese-phrases")
    assert "このページの翻訳はまだ完了していません" in text


def search_terms(site: Path) -> tuple[dict, list[str]]:
    raw = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    return index["terms"], index["docnames"]


def documents_for(terms: dict, word: str) -> set[int]:
    found = terms.get(word, [])
    return {found} if isinstance(found, int) else set(found)


def test_search_finds_a_french_term_in_french(sites: Build) -> None:
    terms, docnames = search_terms(sites.html / "fr")
    stem = snowballstemmer.stemmer("french").stemWord("laboratoire")
    assert docnames.index("index") in documents_for(terms, stem)


def test_search_finds_a_japanese_term_in_japanese(sites: Build) -> None:
    terms, docnames = search_terms(sites.html / "ja")
    hits = documents_for(terms, "研究所") | documents_for(terms, "研究")
    assert docnames.index("index") in hits


def test_status_page_matches_the_catalogues(sites: Build) -> None:
    text = page_text(sites.html, "translation-status")
    for language in LANGUAGES:
        counts, _files = count_catalogues(LOCALES, language)
        for section in SECTIONS:
            count = counts[section]
            assert f"{count.share} ({count.translated} of {count.total})" in text
