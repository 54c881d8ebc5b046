"""The handbook in English, French and Japanese: `make html-all` and the catalogues."""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import internal_links
import pytest
import snowballstemmer
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from browser.server import SiteServer
from conftest import PROJECT_ROOT, Build, build_or_fail, published_path
from handbook.i18n.messages import CATALOG
from handbook.i18n.translation_status import SECTIONS, count_catalogues, section_of
from playwright.sync_api import Browser, Page

# Builds the French and Japanese sites (`make html-all`): `pytest -m i18n` runs this kind alone.
pytestmark = pytest.mark.i18n

LANGUAGES = ("fr", "ja")
LOCALES = PROJECT_ROOT / "locales"
MARKUP = re.compile(r"[`*{}\[\]<>|_]")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_or_fail("html-all", tmp_path_factory, "languages")


@pytest.fixture(scope="module")
def served_sites(sites: Build) -> Iterator[SiteServer]:
    """The three editions on a local HTTP server, at their published path (conftest's
    ``served`` serves the English-only build)."""
    with SiteServer(sites.html, published_path(sites.html)) as server:
        yield server


def page_text(site: Path, docname: str) -> str:
    raw = (site / f"{docname}.html").read_text(encoding="utf-8")
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw)))


def plain_translations(language: str, docname: str) -> list[str]:
    """Translated messages of a page that render as the same plain text."""
    with (LOCALES / language / "LC_MESSAGES" / f"{docname}.po").open("rb") as handle:
        return [
            m.string
            for m in read_po(handle)
            if m.id
            and m.string
            and not m.fuzzy
            and not MARKUP.search(m.string)
            and len(m.string) > 3
        ]


def test_every_language_builds_without_warnings(sites: Build) -> None:
    assert "WARNING" not in sites.stderr and "ERROR" not in sites.stderr, sites.stderr[-3000:]
    for language in ("", *LANGUAGES):
        assert (sites.html / language / "index.html").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("docname", ["index", "onboarding/index"])
def test_translated_strings_appear_in_their_pages(
    sites: Build, language: str, docname: str
) -> None:
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
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
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


# -- Text our extensions generate: the handbook catalogue (_ext/handbook/i18n/messages.py) ---------

#: Infobox labels and values from the handbook catalogue, per page; front matter values stay.
INFOBOXES = {
    "research/programmes/t2k": (
        "Full name",
        "Short name",
        "Fields",
        "ILANCE themes",
        "Host",
        "Status",
        "ILANCE partners",
        "Website",
        "Key references",
        "Operating",
    ),
    "institutions/icrr": (
        "Full name",
        "Short name",
        "Native name",
        "Kind",
        "Part of",
        "Location",
        "Founded",
        "Role in ILANCE",
        "ILANCE programmes",
        "University research institute",
    ),
}
#: One label per language, written out, so the test does not only trust the catalogue.
WEBSITE = {"fr": "Site web", "ja": "ウェブサイト"}


def handbook_catalogue(language: str) -> dict[str, str]:
    with (LOCALES / language / "LC_MESSAGES" / f"{CATALOG}.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


def infobox_text(site: Path, docname: str) -> str:
    raw = (site / f"{docname}.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="[^"]*kb-infobox.*?</table>', raw, re.DOTALL)
    assert table, f"no infobox on {docname}"
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.group(0))))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("docname", list(INFOBOXES))
def test_infobox_labels_are_in_the_language_of_the_build(
    sites: Build, language: str, docname: str
) -> None:
    text = infobox_text(sites.html / language, docname)
    translations = handbook_catalogue(language)
    for label in INFOBOXES[docname]:
        assert translations.get(label) not in (None, "", label), label
        assert translations[label] in text, label
        assert label not in text, label
    assert WEBSITE[language] in text
    assert "Institute for Cosmic Ray Research" in text or "Tokai-to-Kamioka" in text


@pytest.mark.parametrize("docname", list(INFOBOXES))
def test_english_infoboxes_keep_their_english_labels(sites: Build, docname: str) -> None:
    text = infobox_text(sites.html, docname)
    assert [label for label in INFOBOXES[docname] if label not in text] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_generated_message_is_translated(language: str) -> None:
    """What `make gettext` extracts from _ext/ is in handbook.po, translated, placeholders kept."""
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            PROJECT_ROOT / "_ext", keywords={"_": None, "N_": None}
        )
    }
    translations = handbook_catalogue(language)
    assert sorted(extracted - translations.keys()) == [], "run `make update-po`, then translate"
    fields = re.compile(r"\{\w+\}")
    for message in extracted:
        assert translations[message], message
        assert sorted(fields.findall(translations[message])) == sorted(fields.findall(message))


def test_the_status_table_gives_generated_text_a_line_and_skips_theme_strings() -> None:
    root = LOCALES / "fr" / "LC_MESSAGES"
    assert section_of(root / "index.po", root) == ""
    assert section_of(root / "research" / "programmes" / "t2k.po", root) == "research"
    assert section_of(root / f"{CATALOG}.po", root) == CATALOG
    assert section_of(root / "sphinx.po", root) is None
    assert CATALOG in SECTIONS


def search(page: Page, url: str) -> list[str]:
    """Open a search page and wait until Sphinx has shown every result; their addresses.
    Sphinx's Japanese catalogue has no text for "Search finished, found N pages", so the
    end is told by the heading, which becomes "Search Results" in the page's language."""
    page.goto(url, wait_until="load")
    page.wait_for_function("""() => document.querySelector("#search-results h2")?.textContent
        === Documentation.gettext("Search Results")""")
    return page.eval_on_selector_all(
        "#search-results ul.search li > a", "(links) => links.map((link) => link.href)"
    )


@pytest.mark.parametrize("query", ["ニュートリノ", "柏"])
def test_a_japanese_query_on_the_english_site_reaches_japanese_pages(
    browser: Browser, served_sites: SiteServer, query: str
) -> None:
    """In a real browser: a Japanese word that English pages lack is offered to the Japanese
    edition's search, which finds it; one that English pages hold (柏, in station names) is
    found in place."""
    for viewport in (PHONE, DESKTOP):
        page = browser.new_page(viewport=viewport)
        try:
            english = search(page, served_sites.url(f"search.html?q={query}"))
            offer = page.locator(".handbook-search-ja a")
            offer.wait_for()
            assert offer.get_attribute("hreflang") == "ja"
            assert query in offer.inner_text()
            if query == "柏":
                assert english, "柏 is in English pages (station names)"
                continue
            assert search(page, offer.get_attribute("href") or "")
            assert page.evaluate("document.documentElement.lang") == "ja"
        finally:
            page.close()


def article_text(path: Path) -> str:
    """The text of a page's article, where Sphinx's index takes its words from."""
    raw = path.read_text(encoding="utf-8")
    article = re.search(r'<article class="bd-article".*?</article>', raw, re.DOTALL)
    if not article:  # a redirect stub or the search page itself
        return ""
    text = re.sub(r"<(svg|script|style)\b.*?</\1>", " ", article[0], flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


@pytest.mark.parametrize("query", ["柏", "ニュートリノ", "研究所"])
def test_the_japanese_edition_finds_every_page_that_holds_a_query(
    browser: Browser, served_sites: SiteServer, sites: Build, query: str
) -> None:
    """In a real browser: the Japanese edition finds exactly the pages whose text holds the
    query. Sphinx's Japanese search found no page for 柏 (it indexes 柏キャンパス and 柏駅
    whole, and no word of one character), and 30 of the 40 pages for 研究所 (where
    TinySegmenter cut 宇宙線研究所 otherwise); ニュートリノ, 17 of 17, must stay so."""
    ja = sites.html / "ja"
    holding = {
        path.relative_to(ja).as_posix()
        for path in ja.rglob("*.html")
        if path.relative_to(ja).parts[0] != "_static" and query in article_text(path)
    }
    assert len(holding) > 5, f"too few Japanese pages hold {query}"
    for viewport in (PHONE, DESKTOP):
        page = browser.new_page(viewport=viewport)
        try:
            results = search(page, served_sites.url(f"ja/search.html?q={query}"))
            found = {
                re.sub(r"[?#].*", "", url).removeprefix(served_sites.url("ja/")) for url in results
            }
            assert found == holding
            highlighted = page.locator("#search-results .context .highlighted").first
            if query != "研究所":  # found as 研究 and 究所: the first one is highlighted
                assert highlighted.inner_text() == query
            assert highlighted.is_visible()
        finally:
            page.close()


def test_every_page_names_its_translations_for_search_engines(sites: Build) -> None:
    page = (sites.html / "research" / "programmes" / "t2k.html").read_text("utf-8")
    assert 'rel="alternate" hreflang="ja" href="../../ja/research/programmes/t2k.html"' in page
    search = (sites.html / "search.html").read_text("utf-8")
    assert 'rel="alternate" hreflang="ja" href="ja/search.html"' in search


@pytest.mark.parametrize("language", ["", "fr/", "ja/"])
def test_the_language_switcher_is_visible_on_phones_and_desktops(
    browser: Browser, served_sites: SiteServer, language: str
) -> None:
    """Above the article, not hidden in the phone's folded sidebar; the translation status is
    in the language menu, not among the reader's sections."""
    for viewport in (PHONE, DESKTOP):
        for mode in ("light", "dark"):
            page = browser.new_page(viewport=viewport, color_scheme=mode)
            try:
                page.goto(served_sites.url(f"{language}research/programmes/t2k.html"))
                switcher = page.locator(".handbook-languages")
                assert switcher.is_visible()
                box = switcher.bounding_box()
                assert box and box["y"] < 200, "the switcher is not at the top of the page"
                assert switcher.locator("a[hreflang], [aria-current]").count() == 3
                status = switcher.locator(".handbook-translation-status a")
                with page.expect_navigation():
                    status.click()
                assert page.url.endswith(f"{language}translation-status.html")
                page.go_back()
                in_sections = page.locator("nav.bd-links a[href$='translation-status.html']")
                assert in_sections.count() == 0
            finally:
                page.close()


@pytest.mark.parametrize(("language", "locale"), [("fr", "fr_FR"), ("ja", "ja_JP")])
def test_a_translation_names_its_own_address(sites: Build, language: str, locale: str) -> None:
    home = (sites.html / "index.html").read_text("utf-8")
    base = re.search(r'<link rel="canonical" href="([^"]+)index.html"', home)[1]
    page = (sites.html / language / "research" / "programmes" / "t2k.html").read_text("utf-8")
    own = f"{base}{language}/research/programmes/t2k.html"
    # Not the English address: that would tell search engines the page is a copy of it.
    assert f'<link rel="canonical" href="{own}" />' in page
    assert f'<meta property="og:url" content="{own}" />' in page
    assert f'<meta property="og:locale" content="{locale}" />' in page
    sitemap = (sites.html / language / "sitemap.xml").read_text("utf-8")
    addresses = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert own in addresses
    assert all(address.startswith(f"{base}{language}/") for address in addresses)


@pytest.mark.parametrize("language", ["", "fr/", "ja/"])
def test_the_search_page_offers_the_same_search_in_the_other_languages(
    browser: Browser, served_sites: SiteServer, language: str
) -> None:
    """The search page, empty or with a query, shows the switcher the articles show, above its
    form; each link opens the other edition's search page with the query kept, and follows
    what the reader types. axe finds nothing serious in either colour mode or width."""
    from browser.accessibility import violations

    server = served_sites
    others = {"": ["fr/", "ja/"], "fr/": ["", "ja/"], "ja/": ["", "fr/"]}[language]
    for viewport in (PHONE, DESKTOP):
        for mode in ("light", "dark"):
            for query in ("", "neutrino"):
                page = browser.new_page(viewport=viewport, color_scheme=mode)
                try:
                    address = f"{language}search.html" + (f"?q={query}" if query else "")
                    page.goto(server.url(address), wait_until="load")
                    switcher = page.locator(".handbook-languages")
                    assert switcher.is_visible(), address
                    box = switcher.bounding_box()
                    form = page.locator(".bd-search-container").bounding_box()
                    assert box and form and box["y"] + box["height"] <= form["y"] + 1
                    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
                    assert switcher.locator("[aria-current]").count() == 1
                    links = switcher.locator("a[hreflang]")
                    expected = [
                        server.url(f"{other}search.html") + (f"?q={query}" if query else "")
                        for other in others
                    ]
                    assert links.evaluate_all("(all) => all.map((a) => a.href)") == expected
                    if query and viewport == PHONE and mode == "light":
                        # What the reader types is what the other edition searches for.
                        field = page.locator(".bd-search-container input[name=q]")
                        field.fill("Kamioka")
                        href = links.first.get_attribute("href")
                        assert href and href.endswith("search.html?q=Kamioka"), href
                        with page.expect_navigation():
                            links.first.click()
                        assert page.url == server.url(f"{others[0]}search.html?q=Kamioka")
                        page.wait_for_function("""() => /\\d/.test(document.querySelector(
                            "#search-results .search-summary")?.textContent ?? "")""")
                        assert page.locator("#search-results ul.search li").count() > 0
                    found = [
                        str(v) for v in violations(page) if v.impact in ("serious", "critical")
                    ]
                    assert found == [], (address, viewport, mode, found)
                finally:
                    page.close()


#: What the bibliography style writes after a web page's address, per edition.
ACCESSED = {
    "": "(accessed 2026-",
    "fr": "(consulté le 2026-",
    "ja": "(閲覧日\uff1a2026-",
}  # a full-width colon


@pytest.mark.parametrize("language", ["", "fr", "ja"])
def test_the_bibliography_dates_visits_in_the_language_of_the_edition(
    sites: Build, language: str
) -> None:
    """ "accessed" and the "and" of author lists come from the handbook catalogue; the three
    editions are built in one `make html-all`, each reading the formatted-entry cache."""
    text = page_text(sites.html / language, "bib/index")
    assert text.count(ACCESSED[language]) > 5, ACCESSED[language]
    for other in set(ACCESSED.values()) - {ACCESSED[language]}:
        assert other not in text
    assert " et al." in text  # Latin, in every edition
