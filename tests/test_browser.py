"""The reader's experience, tested in a real browser: offline, accessible, searchable, quick.

Debian's Chromium, driven by Playwright, opens the handbook as built by the session's `site`
fixture (`make html`, strict) and served on 127.0.0.1 under its published path. Every page is
opened once by the crawl (tests/browser/crawl.py): what it requests, how many bytes, console
errors, axe-core in light and dark mode, and whether it fits a phone. The other tests click
through what a reader does: search in three languages, open the navigation on a phone, choose
dark mode, read the equations, land on a missing page.

Screenshots for review and the measured page weights are written to tests/artifacts/.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.accessibility import Violation, violations
from browser.crawl import crawl
from browser.server import SiteServer
from browser.visit import Visit, record
from conftest import PROJECT_ROOT, Build
from handbook.search.search_japanese import SearchEnglishWithJapanese
from playwright.sync_api import Browser, Page

# Opens the built site in Chromium: `pytest -m browser` runs this kind alone.
pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
MODES = ["light", "dark"]

# -- Budgets and accepted findings: each with its reason ------------------------------------

# The median bytes a first-time reader loads for one page (HTML, CSS, scripts, fonts, images;
# uncompressed, as the test server sends them). The stock theme loaded 2.26 MB for the home page,
# 1.56 MB of it Font Awesome's JavaScript, plus the whole search index on every page; without them
# the home page weighed 704 kB in 21 requests, 377 kB of it the theme's stylesheet and 115 kB Font
# Awesome's solid font. _ext/handbook/rendering/theme_assets.py cuts the stylesheet to the rules the
# site can match (about 140 kB) and draws the icons as inline SVG (no font): about 370 kB.
MEDIAN_PAGE_BUDGET = 450_000
# No single page may be much heavier than the rest without someone deciding so.
MAX_PAGE_BUDGET = 1_000_000

# axe findings below "serious" that remain, by rule, with the reason they are accepted.
# Critical and serious findings are never accepted.
ACCEPTED_MINOR_FINDINGS = {
    "empty-table-header": (
        "The comparison tables of research/fields/astroparticle-physics and particle-physics "
        "start with an empty corner cell (| | KAGRA | CTA (CTAO) |): columns are named by "
        "their headers and rows by their first cells, so the corner has nothing to name. "
        "axe's best-practice rule asks for text anyway; a word such as 'Aspect' in the "
        "source tables would remove the finding."
    ),
}

# Search: what a reader types, and the page they are looking for. The last query is a whole
# Japanese question ("how to get to Kashiwanoha-campus station"): Sphinx's stock English
# search finds nothing for it, since it only matches the query as one substring of an
# unsplit run; with the Japanese splitter on both sides its words are found.
SEARCHES = {
    "Hyper-Kamiokande": "research/programmes/hyper-kamiokande.html",
    "École polytechnique": "institutions/polytechnique.html",
    "柏の葉キャンパス": "onboarding/getting-to-kashiwa.html",
    "柏の葉キャンパス駅への行き方": "onboarding/getting-to-kashiwa.html",
}
# The expected page must be among the first results, where a reader looks.
SEARCH_TOP = 5

# Beyond the handbook's own text: short kanji queries, mixed scripts, half-width katakana,
# full-width Latin letters.
SPLITTER_SAMPLES = [
    "柏",
    "研究所",
    "宇宙線研究所への行き方",
    "柏の葉キャンパス",
    "東京大学柏キャンパス",
    "T2K実験とHyper-Kamiokande",
    "すみません",
    "École polytechnique",
    "\uff76\uff80\uff76\uff85 and \uff21\uff22\uff23",
    "",
]

SCREENSHOT_PAGES = {
    "home": "index.html",
    "programme": "research/programmes/t2k.html",
    "onboarding": "onboarding/getting-to-kashiwa.html",
}


# -- Fixtures: the served site, a browser, and the crawl of every page ----------------------


def is_page(path: Path, html: Path) -> bool:
    """A page of the site, not an asset and not a redirect stub left by a moved page."""
    return (
        not path.relative_to(html).parts[0].startswith(("_", "."))
        and 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")[:2000]
    )


@pytest.fixture(scope="module")
def pages(site: Build) -> list[str]:
    """Every HTML page of the site, relative to its root (content, index, search and 404)."""
    found = sorted(
        path.relative_to(site.html).as_posix()
        for path in site.html.rglob("*.html")
        if is_page(path, site.html)
    )
    assert "index.html" in found and "404.html" in found
    return found


@dataclass
class PageReport:
    """Everything the crawl learnt about one page."""

    visit: Visit
    axe: dict[str, list[Violation]] = field(default_factory=dict)  # by colour mode
    phone_overflow: int = 0  # CSS pixels the page is wider than a phone's screen
    math: dict[str, list[dict]] = field(default_factory=dict)  # see MATH_PROBE
    links: list[str] = field(default_factory=list)  # every address the page links to


# Every formula's box, every numbered equation's number and position, every link to one.
MATH_PROBE = """() => ({
  formulas: Array.from(document.querySelectorAll("math"), (math) => {
    const box = (math.querySelector("semantics") ?? math).getBoundingClientRect();
    return {width: box.width, height: box.height, errors: math.querySelectorAll("merror").length,
            tex: math.querySelector("annotation")?.textContent ?? ""};
  }),
  equations: Array.from(document.querySelectorAll("div.math[id^='equation-']"), (block) => {
    const number = block.querySelector(":scope > .eqno");
    // The formula's ink, not the <math> box, which stretches to the number (handbook.css).
    const formula = block.querySelector("math semantics");
    const numberBox = number?.getBoundingClientRect();
    const formulaBox = formula?.getBoundingClientRect();
    return {id: block.id, number: number?.firstChild?.textContent.trim() ?? "",
            besideFormula: Boolean(numberBox && formulaBox
              && numberBox.left >= formulaBox.right - 1
              && numberBox.top < formulaBox.bottom && numberBox.bottom > formulaBox.top)};
  }),
  links: Array.from(document.querySelectorAll("a[href*='#equation-']:not(.headerlink)"),
                    (link) => {
    const target = new URL(link.href);
    return {page: target.pathname, id: target.hash.slice(1), text: link.textContent.trim()};
  }),
})"""


def inspect_page(browser: Browser, url: str) -> PageReport:
    """Load a page cold, read its math, run axe in light and dark mode, fit it on a phone."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    try:
        page = context.new_page()
        report = PageReport(visit=record(page, url))
        report.math = page.evaluate(MATH_PROBE)
        report.links = page.eval_on_selector_all(
            "a[href]",
            "(links) => links.map((a) => new URL(a.getAttribute('href'), document.baseURI).href)",
        )
        report.axe["light"] = violations(page)
        # The theme's default mode, "auto", follows the system's colour scheme.
        page.emulate_media(color_scheme="dark")
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        settle(page)
        report.axe["dark"] = violations(page)
        page.set_viewport_size(PHONE)
        report.phone_overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        # On a phone, in dark mode: stacked tables, scrolling figures and equations.
        page.wait_for_timeout(100)
        report.axe["dark-phone"] = violations(page)
        return report
    finally:
        context.close()


@pytest.fixture(scope="module")
def reports(served: SiteServer, pages: list[str]) -> dict[str, PageReport]:
    return crawl(pages, lambda chromium, path: inspect_page(chromium, served.url(path)))


def settle(page: Page) -> None:
    """Wait for running CSS transitions (the theme fades colours when the mode changes)."""
    page.evaluate("""Promise.all(document.getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished))""")


def open_page(browser: Browser, url: str, **options: object) -> Page:
    """A page in a fresh context of its own (closed with the page's context by the caller)."""
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


# -- Self-contained: nothing leaves 127.0.0.1 ------------------------------------------------


def test_every_page_loads_without_errors(reports: dict[str, PageReport]) -> None:
    problems = {
        path: {
            "status": report.visit.status,
            "failed": report.visit.failed,
            "console": report.visit.console_errors,
        }
        for path, report in reports.items()
        if report.visit.status != 200 or report.visit.failed or report.visit.console_errors
    }
    assert problems == {}


def test_no_page_requests_anything_outside_the_site(
    reports: dict[str, PageReport], served: SiteServer
) -> None:
    # Covers CDNs (MathJax), web fonts, analytics and trackers alike: all would be off-site.
    offsite = {path: report.visit.offsite(served.origin) for path, report in reports.items()}
    assert {path: urls for path, urls in offsite.items() if urls} == {}


def test_math_needs_no_script(site: Build) -> None:
    for path in site.html.rglob("*.html"):
        scripts = re.findall(r"<script[^>]*>", path.read_text(encoding="utf-8"))
        assert not [tag for tag in scripts if "mathjax" in tag.lower()], path


# -- Page weight -----------------------------------------------------------------------------


def test_page_weight_stays_within_budget(reports: dict[str, PageReport]) -> None:
    weights = {path: report.visit.weight for path, report in sorted(reports.items())}
    median = statistics.median(weights.values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(
        json.dumps({"median": median, "budget": MEDIAN_PAGE_BUDGET, "pages": weights}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    assert median <= MEDIAN_PAGE_BUDGET, f"median page weight {median:,.0f} bytes"
    heavy = {path: weight for path, weight in weights.items() if weight > MAX_PAGE_BUDGET}
    assert heavy == {}


@pytest.mark.parametrize("mode", MODES)
def test_icons_are_drawn_without_a_font(browser: Browser, served: SiteServer, mode: str) -> None:
    """Every icon the header and sidebar show is an SVG mask painted in the text colour."""
    page = open_page(browser, served.url("onboarding/time-zones.html"), color_scheme=mode)
    try:
        icons = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.bd-header-article i, .bd-header-article span.fa-solid, .admonition-title'),
            (icon) => {
              const before = getComputedStyle(icon, icon.matches('.admonition-title')
                                              ? '::after' : '::before');
              const box = icon.getBoundingClientRect();
              // The GitHub mark is a mask on the element itself (handbook.css).
              const own = getComputedStyle(icon);
              const drawn = own.maskImage.startsWith('url(') ? own : before;
              return {visible: box.width > 0 && own.visibility !== 'hidden',
                      mask: drawn.maskImage, width: parseFloat(drawn.width)};
            }).filter((icon) => icon.visible)""")
        assert len(icons) >= 5
        svg = 'url("data:image/svg+xml'
        undrawn = [icon for icon in icons if not icon["mask"].startswith(svg) or icon["width"] < 8]
        assert undrawn == []
    finally:
        page.context.close()


def test_heavy_theme_assets_are_not_loaded(reports: dict[str, PageReport]) -> None:
    for path, report in reports.items():
        loaded = " ".join(report.visit.received)
        assert "fontawesome.js" not in loaded, path
        assert "fa-brands-400" not in loaded, path  # the GitHub mark is an inline SVG
        assert "webfonts/" not in loaded, path  # every icon is an SVG mask (theme_assets)
        if path != "search.html":  # the search page needs the index at once
            assert "searchindex.js" not in loaded, f"{path} loads the search index up front"


# -- Accessibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["light", "dark", "dark-phone"])
def test_axe_finds_no_unaccepted_violation(reports: dict[str, PageReport], mode: str) -> None:
    # Only minor findings can be accepted; critical, serious and moderate ones fail the test.
    unaccepted = {
        path: [
            str(found)
            for found in report.axe[mode]
            if not (found.impact == "minor" and found.rule in ACCEPTED_MINOR_FINDINGS)
        ]
        for path, report in sorted(reports.items())
    }
    assert {path: found for path, found in unaccepted.items() if found} == {}


# -- Phone width and navigation --------------------------------------------------------------


def test_no_page_scrolls_sideways_on_a_phone(reports: dict[str, PageReport]) -> None:
    wide = {
        path: report.phone_overflow for path, report in reports.items() if report.phone_overflow > 0
    }
    assert wide == {}


@pytest.mark.parametrize("path", ["index.html", "research/programmes/t2k.html"])
def test_navigation_opens_on_a_phone(browser: Browser, served: SiteServer, path: str) -> None:
    page = open_page(browser, served.url(path), viewport=PHONE)
    try:
        links = page.locator("#pst-primary-sidebar-modal nav a.reference")
        assert links.count() == 0, "the navigation is open before it is asked for"
        page.locator("button.primary-toggle:visible").click()
        page.locator("#pst-primary-sidebar-modal[open]").wait_for()
        first = links.first
        first.wait_for(state="visible")
        box = first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # Following a link from the opened navigation lands on another page.
        target = page.locator("#pst-primary-sidebar-modal a.reference", has_text="Onboarding").first
        with page.expect_navigation():
            target.click()
        assert page.url.endswith("onboarding/index.html")
    finally:
        page.context.close()


# -- Dark mode -------------------------------------------------------------------------------


def test_dark_mode_can_be_chosen_and_persists(browser: Browser, served: SiteServer) -> None:
    page = open_page(browser, served.url("index.html"), color_scheme="light")
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        page.locator("button.theme-switch-button").click()
        page.locator("button.theme-change-button[data-mode='dark']").click()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        settle(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page.goto(served.url("research/programmes/t2k.html"), wait_until="load")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
        assert _luminance(background) < 0.2, f"dark mode background {background}"
    finally:
        page.context.close()


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", SCREENSHOT_PAGES)
def test_screenshots_for_review(browser: Browser, served: SiteServer, name: str, mode: str) -> None:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_page(
            browser, served.url(SCREENSHOT_PAGES[name]), viewport=viewport, color_scheme=mode
        )
        try:
            assert page.evaluate("document.documentElement.dataset.theme") == mode
            page.evaluate("document.fonts.ready.then(() => true)")
            shot = folder / f"{name}-{mode}-{device}.png"
            page.screenshot(path=shot, full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            page.context.close()


# -- Math ------------------------------------------------------------------------------------


def test_every_equation_renders(reports: dict[str, PageReport]) -> None:
    formulas = {path: report.math["formulas"] for path, report in reports.items()}
    assert sum(map(len, formulas.values())) > 0, "no equation in the handbook: nothing checked"
    broken = {
        path: [
            formula["tex"]
            for formula in found
            if formula["width"] <= 0 or formula["height"] <= 0 or formula["errors"]
        ]
        for path, found in formulas.items()
    }
    assert {path: tex for path, tex in broken.items() if tex} == {}


def test_numbered_equations_keep_their_numbers_and_links(
    reports: dict[str, PageReport], served: SiteServer
) -> None:
    equations = {
        (urlsplit(served.url(path)).path, equation["id"]): equation
        for path, report in reports.items()
        for equation in report.math["equations"]
    }
    assert equations, "no numbered equation in the handbook: nothing checked"
    for (page, anchor), equation in equations.items():
        assert re.fullmatch(r"\(\d+\)", equation["number"]), (page, anchor, equation["number"])
        assert equation["besideFormula"], f"{page}#{anchor}: the number is not beside its formula"
    for path, report in reports.items():
        for link in report.math["links"]:
            target = equations.get((link["page"], link["id"]))
            assert target, f"{path}: link to a missing equation {link}"
            assert link["text"] == target["number"], f"{path}: {link} says another number"


# -- Search ----------------------------------------------------------------------------------


def search(page: Page, query: str) -> list[str]:
    """Type a query into the theme's search dialog; the addresses of the results, in order."""
    page.locator(".search-button-field:visible").first.click()
    field = page.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible")
    field.fill(query)
    # A key released after the text is in, as after typing or committing a Japanese IME
    # conversion: search-as-you-type listens for keyup.
    field.press("End")
    page.wait_for_function("""() => /Search finished|did not match/.test(
        document.querySelector("#search-results .search-summary")?.textContent ?? "")""")
    return page.eval_on_selector_all(
        "#search-results ul.search li > a", "(links) => links.map((link) => link.href)"
    )


@pytest.mark.parametrize("query", SEARCHES)
def test_search_finds_the_right_page(browser: Browser, served: SiteServer, query: str) -> None:
    page = open_page(browser, served.url("research/index.html"))
    try:
        assert page.evaluate("typeof Search._index") == "object"
        assert page.evaluate("Search._index") is None, "the index loaded before search"
        results = search(page, query)
        expected = served.url(SEARCHES[query])
        assert expected in results[:SEARCH_TOP], f"{query!r} gave {results[:SEARCH_TOP]}"
    finally:
        page.context.close()


def japanese_text(html: Path) -> list[str]:
    """Lines of the built pages' text that hold Japanese script."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.lines: list[str] = []

        def handle_data(self, data: str) -> None:
            self.lines.extend(
                line.strip()
                for line in data.splitlines()
                if re.search("[\u3040-\u30ff\u4e00-\u9fff]", line)
            )

    parser = Text()
    for path in sorted(html.rglob("*.html")):
        if not path.relative_to(html).parts[0].startswith("_"):
            parser.feed(path.read_text(encoding="utf-8"))
    return sorted(set(parser.lines))


def test_query_words_are_split_as_the_index_was(
    browser: Browser, served: SiteServer, site: Build
) -> None:
    samples = [*japanese_text(site.html), *SPLITTER_SAMPLES]
    assert len(samples) > 10, "too little Japanese in the handbook to compare the splitters"
    page = open_page(browser, served.url("search.html"))
    try:
        in_browser = page.evaluate("(samples) => samples.map((text) => splitQuery(text))", samples)
    finally:
        page.context.close()
    python = SearchEnglishWithJapanese({})
    mismatches = [
        (text, python.split_query(text), words)
        for text, words in zip(samples, in_browser, strict=True)
        if python.split_query(text) != words
    ]
    assert mismatches == []


# -- Modern docs site: dates, metadata, sitemap, favicon, 404 --------------------------------


def tracked_sources() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return set(listed)


def test_tracked_pages_show_when_they_were_last_updated(site: Build) -> None:
    checked = 0
    for source in tracked_sources():
        page = site.html / Path(source).with_suffix(".html")
        if not page.is_file():
            continue  # a README or an excluded fragment, not a page
        match = re.search(
            r"Last updated on (\d{4}-\d{2}-\d{2})\.", page.read_text(encoding="utf-8")
        )
        assert match, f"{source}: no 'Last updated' line"
        assert date.fromisoformat(match[1]) <= date.today()
        checked += 1
    assert checked > 0


def test_every_page_has_opengraph_metadata(site: Build, pages: list[str]) -> None:
    base = re.search(
        r'<link rel="canonical" href="([^"]+)index.html"',
        (site.html / "index.html").read_text(encoding="utf-8"),
    )[1]
    unclear = {}
    for path in pages:
        if path in ("404.html", "search.html", "genindex.html"):
            continue
        html = (site.html / path).read_text(encoding="utf-8")
        tags = dict(re.findall(r'<meta property="(og:[a-z_:]+)" content="([^"]*)"', html))
        assert tags.get("og:url") == base + path, path
        assert tags.get("og:title") and tags.get("og:site_name") == "ILANCE Handbook", path
        # A link preview opens with the page's first sentence, not with table debris
        # (the infobox's cells gave ",, Full name, Tokai-to-Kamioka,, ..." on programme pages).
        description = tags.get("og:description", "")
        if not re.match(r"\w.{20,}", description) or len(description) > 200:
            unclear[path] = description[:60]
        named = re.findall(r'<meta name="description" content="([^"]*)"', html)
        assert named == [description], f"{path}: one meta description, the preview's"
    assert unclear == {}, "og:description does not start with a sentence"


def test_the_build_prints_no_notice_about_packages_it_does_not_need(site: Build) -> None:
    # sphinxext-opengraph printed "matplotlib is not installed, social cards will not be
    # generated" on every build; the handbook writes its own link previews instead.
    assert "matplotlib" not in site.stdout + site.stderr


def test_sitemap_lists_every_content_page(site: Build, pages: list[str]) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ElementTree.parse(site.html / "sitemap.xml")
    listed = [loc.text for loc in tree.findall("s:url/s:loc", namespace)]
    base = re.search(
        r'<link rel="canonical" href="([^"]+)index.html"',
        (site.html / "index.html").read_text(encoding="utf-8"),
    )[1]
    expected = {
        base + path for path in pages if path not in ("404.html", "search.html", "genindex.html")
    }
    assert set(listed) == expected
    assert len(listed) == len(set(listed))


def test_every_page_links_the_favicon(site: Build, pages: list[str]) -> None:
    assert (site.html / "_static" / "favicon.svg").is_file()
    for path in pages:
        html = (site.html / path).read_text(encoding="utf-8")
        assert re.search(r'<link rel="icon" href="[^"]*_static/favicon\.svg"', html), path


def test_a_missing_page_gets_a_helpful_404(browser: Browser, served: SiteServer) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        response = page.goto(served.url("research/no/such/page.html"), wait_until="load")
        assert response and response.status == 404
        assert page.locator("article h1").inner_text().strip().startswith("Page not found")
        # Styled: the theme's stylesheet arrived from the site's root, not relative to here.
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('.bd-header-article')"
                " || document.body).display"
            )
            != ""
        )
        assert page.evaluate("document.styleSheets.length") >= 3
        links = page.locator("article a[href$='index.html']")
        assert links.count() >= 4
        for index in range(links.count()):
            target = page.request.get(links.nth(index).evaluate("(link) => link.href"))
            assert target.status == 200, links.nth(index).get_attribute("href")
        page.locator("#notfound-search-query").fill("Hyper-Kamiokande")
        with page.expect_navigation():
            page.locator("form.notfound-search button").click()
        page.wait_for_function("""() => /Search finished/.test(
            document.querySelector("#search-results .search-summary")?.textContent ?? "")""")
        assert served.url(SEARCHES["Hyper-Kamiokande"]) in page.eval_on_selector_all(
            "#search-results ul.search li > a", "(links) => links.map((link) => link.href)"
        )
    finally:
        context.close()


def test_search_works_from_the_404_page_at_any_depth(browser: Browser, served: SiteServer) -> None:
    # The 404 page is served at the missing address, three folders deep here: its search must
    # still load the index and link the results from the site's root.
    page = open_page(browser, served.url("a/b/c/missing.html"))
    try:
        results = search(page, "Hyper-Kamiokande")
        assert served.url(SEARCHES["Hyper-Kamiokande"]) in results[:SEARCH_TOP]
    finally:
        page.context.close()


# -- The trip-footprint calculator ------------------------------------------------------------


def test_calculator_gives_the_numbers_of_the_table(browser: Browser, served: SiteServer) -> None:
    """Every route of the build-time table, typed into the calculator, gives the same figures."""
    page = open_page(browser, served.url("onboarding/low-carbon-collaboration.html"))
    try:
        rows = page.locator("table.footprint-trips tbody tr")
        assert rows.count() >= 2
        checked = 0
        for index in range(rows.count()):
            cells = [c.strip() for c in rows.nth(index).locator("td").all_inner_texts()]
            codes = re.findall(r"\(([A-Z]{3})\)", cells[0])
            form = page.locator("form.footprint-calculator").first
            form.locator("select[name=origin]").select_option(codes[0])
            form.locator("select[name=destination]").select_option(codes[1])
            form.locator("input[name=trips]").fill("1")
            result = form.locator("output.footprint-result").inner_text()
            for figure in cells[1:]:
                assert figure in result, (cells, result)
            checked += 1
        assert checked == rows.count()
    finally:
        page.context.close()


# -- Links: an independent crawl -------------------------------------------------------------


def test_every_link_on_the_site_resolves(
    reports: dict[str, PageReport], served: SiteServer
) -> None:
    """Every same-site address any page links to answers 200 (the download menu's old ".md"
    item pointed to _sources/, which this site does not publish)."""
    import urllib.error
    import urllib.request

    targets = {
        link.split("#")[0]
        for report in reports.values()
        for link in report.links
        if link.startswith(served.origin + "/")
    }
    assert len(targets) > 40, "too few links found: is the crawl reading the pages?"
    broken = {}
    for target in sorted(targets):
        try:
            with urllib.request.urlopen(target) as answer:  # the test server, on 127.0.0.1
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            broken[target] = status
    assert broken == {}
    assert not [
        link
        for report in reports.values()
        for link in report.links
        if "/_sources/" in link or link.endswith("/_sources")
    ]


# -- Phones and dark mode: header, tables, figures, search ----------------------------------

WIDE_TABLE_PAGES = {
    "research/index.html": "table.kb-catalogue",
    "onboarding/time-zones.html": "table.meeting-planner-table",
    "onboarding/getting-to-kashiwa.html": "table.route-diagram-legs",
    "onboarding/low-carbon-collaboration.html": "table.footprint-trips",
}
FIGURE_PAGES = {
    "research/index.html": "svg.kb-timeline",
    "onboarding/time-zones.html": "svg.meeting-planner-svg",
    "onboarding/getting-to-kashiwa.html": "svg.route-diagram",
}


def _shot(page: Page, name: str) -> None:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_header_names_the_site_and_every_button_works(
    browser: Browser, served: SiteServer, device: str, mode: str
) -> None:
    page = open_page(
        browser,
        served.url("research/programmes/t2k.html"),
        viewport=VIEWPORTS[device],
        color_scheme=mode,
    )
    try:
        settle(page)
        # The site's name: the sidebar's logo on a desktop, the header's name on a phone.
        name = page.locator(
            ".handbook-site-name" if device == "phone" else "#pst-primary-sidebar .navbar-brand"
        )
        assert name.is_visible(), "the site's name is not shown"
        box = name.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[device]["width"]
        if device == "phone":
            assert name.inner_text().strip() == "ILANCE Handbook"
            assert name.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "name cut off"
        _shot(page, f"header-{mode}-{device}")
        buttons = page.locator(".bd-header-article button:visible")
        count = buttons.count()
        assert count >= 4
        if device == "phone":
            assert page.locator(".btn-fullscreen-button:visible").count() == 0
        for index in range(count):
            button = buttons.nth(index)
            label = button.get_attribute("aria-label") or button.get_attribute("title") or ""
            before = page.evaluate("""() => [document.querySelectorAll('.dropdown-menu.show,'
                + ' dialog[open], .pst-sidebar-hidden').length, document.fullscreenElement,
                document.documentElement.dataset.theme,
                getComputedStyle(document.querySelector('.bd-sidebar-secondary')).display]""")
            button.click()
            page.wait_for_timeout(300)
            after = page.evaluate("""() => [document.querySelectorAll('.dropdown-menu.show,'
                + ' dialog[open], .pst-sidebar-hidden').length, document.fullscreenElement,
                document.documentElement.dataset.theme,
                getComputedStyle(document.querySelector('.bd-sidebar-secondary')).display]""")
            assert after != before, f"the header button {label!r} did nothing"
            page.keyboard.press("Escape")
            page.wait_for_timeout(200)
            if page.evaluate("document.fullscreenElement !== null"):
                page.evaluate("document.exitFullscreen()")
            page.mouse.click(VIEWPORTS[device]["width"] // 2, VIEWPORTS[device]["height"] - 5)
            page.wait_for_timeout(200)
        # The download menu offers only what exists: no link to unpublished sources.
        assert page.locator(".dropdown-download-buttons a[href*='_sources']").count() == 0
        assert page.locator(".dropdown-download-buttons .btn-download-pdf-button").count() == 1
    finally:
        page.context.close()


# Every control of the article header a reader can tap, with its box; menus' items only when
# their menu is open.
HEADER_CONTROLS = """() => Array.from(document.querySelectorAll(
    '.bd-header-article button, .bd-header-article a[href]'), (control) => {
      const box = control.getBoundingClientRect();
      return {name: control.getAttribute('aria-label') || control.title
                    || control.textContent.trim(),
              left: box.left, right: box.right, top: box.top, bottom: box.bottom,
              width: box.width, height: box.height};
    }).filter((control) => control.width > 0 && control.height > 0)"""
TOUCH_TARGET = 44  # CSS pixels, WCAG 2.5.5 (Target Size, enhanced)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", [PHONE["width"], 360])
@pytest.mark.parametrize("path", ["research/programmes/t2k.html", "search.html"])
def test_phone_header_controls_are_44_px_touch_targets(
    browser: Browser, served: SiteServer, path: str, width: int, mode: str
) -> None:
    """At 390 and 360 px every header button, the site's name and every item of the header's
    menus is at least 44 x 44 px, inside the header, without overlapping another; the name is
    whole."""
    viewport = {**PHONE, "width": width}
    page = open_page(browser, served.url(path), viewport=viewport, color_scheme=mode)
    try:
        settle(page)
        header = page.locator(".bd-header-article").bounding_box()
        assert header
        controls = page.evaluate(HEADER_CONTROLS)
        names = [control["name"] for control in controls]
        assert "ILANCE Handbook" in names and len(controls) >= 5, names
        small = [
            (c["name"], round(c["width"], 1), round(c["height"], 1))
            for c in controls
            if c["width"] < TOUCH_TARGET - 0.01 or c["height"] < TOUCH_TARGET - 0.01
        ]
        assert small == [], f"header controls under {TOUCH_TARGET} px at {width} px: {small}"
        outside = [
            c["name"]
            for c in controls
            if c["left"] < header["x"] - 0.5
            or c["right"] > header["x"] + header["width"] + 0.5
            or c["top"] < header["y"] - 0.5
            or c["bottom"] > header["y"] + header["height"] + 0.5
        ]
        assert outside == [], f"outside the header: {outside}"
        ordered = sorted(controls, key=lambda control: control["left"])
        overlaps = [
            (one["name"], other["name"])
            for one, other in pairwise(ordered)
            if other["left"] < one["right"] - 0.5
        ]
        assert overlaps == [], overlaps
        name = page.locator(".handbook-site-name")
        assert name.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "name cut off"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, f"header-targets-{path.replace('/', '-')[:-5]}-{mode}-{width}")
        # The items of each menu, once it is open.
        for menu in page.locator(".bd-header-article button.dropdown-toggle:visible").all():
            menu.click()
            page.locator(".bd-header-article .dropdown-menu.show").wait_for()
            items = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.bd-header-article .dropdown-menu.show :is(a[href], button)'), (item) => {
                  const box = item.getBoundingClientRect();
                  return [item.textContent.trim(), box.width, box.height,
                          box.left >= 0 && box.right <= window.innerWidth]; })""")
            assert items, menu.get_attribute("aria-label")
            assert [i for i in items if i[1] < TOUCH_TARGET or i[2] < TOUCH_TARGET - 0.01] == []
            assert all(item[3] for item in items), f"a menu item off the screen: {items}"
            menu.click()  # closes it again
            page.locator(".bd-header-article .dropdown-menu.show").wait_for(state="detached")
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("path", WIDE_TABLE_PAGES)
def test_wide_tables_show_every_column(
    browser: Browser, served: SiteServer, path: str, device: str, mode: str
) -> None:
    """No cell of a wide table lies off-screen: on a phone its rows become labelled cards."""
    page = open_page(browser, served.url(path), viewport=VIEWPORTS[device], color_scheme=mode)
    try:
        table = page.locator(f"article {WIDE_TABLE_PAGES[path]}").first
        table.scroll_into_view_if_needed()
        stacked = table.evaluate("(t) => t.classList.contains('handbook-stacked')")
        width = VIEWPORTS[device]["width"]
        off_screen = table.evaluate(
            """(table, width) => Array.from(
            table.querySelectorAll('tbody td, tbody th'), (cell) => cell.getBoundingClientRect())
            .filter((box) => box.width > 0 && (box.left < 0 || box.right > width + 0.5)).length""",
            width,
        )
        clipped = table.evaluate("""(table) => {
            const box = table.closest('.pst-scrollable-table-container') ?? table.parentElement;
            return table.scrollWidth > box.clientWidth + 1; }""")
        assert off_screen == 0 and not clipped, f"{path}: columns hidden at {width} px"
        if device == "phone":
            assert stacked, f"{path}: a table wider than a phone is not stacked"
            # Each value says which column it belongs to, in a colour that can be read.
            labels = table.evaluate("""(t) => Array.from(t.querySelectorAll('tbody tr:first-child'
                + ' > [data-label]'), (cell) => getComputedStyle(cell, '::before').content)""")
            assert labels and all(label not in ("none", "normal", '""') for label in labels)
            assert table.evaluate("(t) => t.getAttribute('role')") == "table"
        _shot(page, f"table-{path.replace('/', '-')[:-5]}-{mode}-{device}")
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figures_are_readable_and_explorable(
    browser: Browser, served: SiteServer, path: str, device: str, mode: str
) -> None:
    page = open_page(browser, served.url(path), viewport=VIEWPORTS[device], color_scheme=mode)
    try:
        svg = page.locator(f"article {FIGURE_PAGES[path]}").first
        svg.scroll_into_view_if_needed()
        settle(page)
        measured = svg.evaluate("""(svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return {sizes: Array.from(svg.querySelectorAll('text'),
                      (text) => parseFloat(getComputedStyle(text).fontSize) * scale),
                    // currentColor: the text's own colour, from the page (body or link).
                    fills: Array.from(svg.querySelectorAll('text'), (text) =>
                      getComputedStyle(text).fill === getComputedStyle(text).color),
                    links: Array.from(svg.querySelectorAll('a[href]'),
                      (link) => link.getAttribute('href'))}; }""")
        assert measured["sizes"], "no text in the figure"
        assert min(measured["sizes"]) >= 10.9, f"text drawn at {min(measured['sizes']):.1f} px"
        # Text in the page's own colour (currentColor): legible in both modes.
        assert all(measured["fills"]), "text in a fixed colour, not the page's"
        # Every mark that holds details is a link, reachable by a tap or the Tab key, to a
        # place on the page (the table row that spells it out) or a source.
        assert measured["links"], "no mark of the figure can be reached without a mouse"
        for href in measured["links"]:
            if href.startswith("#"):
                assert page.locator(f"[id='{href[1:]}']").count() == 1, href
        box = svg.locator("xpath=ancestor::div[contains(@class, 'handbook-figure-scroll')]")
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
        overflow = box.evaluate("(b) => b.scrollWidth > b.clientWidth + 1")
        assert box.evaluate("(b) => b.classList.contains('handbook-overflows')") == overflow
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]
        # Keyboard: Tab reaches a mark of the figure, Enter follows it.
        first = svg.locator("a[href]").first
        first.focus()
        assert first.evaluate("(a) => document.activeElement === a")
        _shot(page, f"figure-{path.replace('/', '-')[:-5]}-{mode}-{device}")
    finally:
        page.context.close()


def _search_results(page: Page) -> None:
    page.wait_for_function("""() => /Search finished|did not match/.test(
        document.querySelector("#search-results .search-summary")?.textContent ?? "")""")
    # Snippets are fetched page by page after the summary.
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '#search-results ul.search li')).every((item) => item.querySelector('p.context'))""")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_search_results_page(browser: Browser, served: SiteServer, device: str, mode: str) -> None:
    """Results are accessible in both modes, snippets come from the article, the magnifier
    does not cover the query, and nothing is wider than the screen."""
    page = open_page(
        browser, served.url("search.html?q=neutrino"), viewport=VIEWPORTS[device], color_scheme=mode
    )
    try:
        _search_results(page)
        settle(page)
        found = [str(v) for v in violations(page) if v.impact in ("serious", "critical")]
        assert found == [], found
        snippets = page.locator("#search-results p.context").all_inner_texts()
        assert snippets
        assert not [
            text
            for text in snippets
            if re.search(r"System Settings|Light\s+Dark|Ctrl\s*\+\s*K", text)
        ]
        icon = page.locator(".bd-search-container .fa-magnifying-glass").bounding_box()
        field = page.locator(".bd-search-container input[name=q]")
        text_start = field.evaluate("""(input) => input.getBoundingClientRect().left
            + parseFloat(getComputedStyle(input).paddingLeft)""")
        assert icon and icon["x"] + icon["width"] <= text_start, "the icon covers the query"
        width = VIEWPORTS[device]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("""() => Array.from(document.querySelectorAll(
            '#search-results *'), (e) => e.getBoundingClientRect().right)
            .every((right) => right <= document.documentElement.clientWidth + 0.5)""")
        _shot(page, f"search-results-{mode}-{device}")
    finally:
        page.context.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_checklist_ticks_are_remembered(
    browser: Browser, served: SiteServer, device: str, mode: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[device], color_scheme=mode)
    try:
        page = context.new_page()
        page.goto(served.url("onboarding/checklists.html"), wait_until="load")
        boxes = page.locator("input.task-list-item-checkbox")
        assert boxes.count() > 5
        assert boxes.evaluate_all("(all) => all.every((box) => !box.disabled)")
        size = boxes.first.bounding_box()
        assert size and size["width"] >= 19 and size["height"] >= 19
        # A tap on the item's words ticks it (the words are the box's label).
        boxes.nth(1).locator("xpath=..").locator("strong").first.click()
        boxes.nth(3).check()
        assert boxes.nth(1).is_checked() and boxes.nth(3).is_checked()
        _shot(page, f"checklist-{mode}-{device}")
        page.reload(wait_until="load")
        ticked = boxes.evaluate_all("(all) => all.map((box) => box.checked)")
        assert ticked[1] and ticked[3] and sum(ticked) == 2, "ticks lost on reload"
        page.locator(".handbook-checklist-clear").click()
        assert not any(boxes.evaluate_all("(all) => all.map((box) => box.checked)"))
        page.reload(wait_until="load")
        assert not any(boxes.evaluate_all("(all) => all.map((box) => box.checked)"))
    finally:
        context.close()
    # Another browser (a fresh context: no storage) starts with no ticks.
    page = open_page(browser, served.url("onboarding/checklists.html"))
    try:
        assert not any(
            page.locator("input.task-list-item-checkbox").evaluate_all(
                "(all) => all.map((box) => box.checked)"
            )
        )
    finally:
        page.context.close()


JAPANESE_PAGES = [
    "onboarding/japanese-phrases.html",
    "onboarding/getting-to-kashiwa.html",
    "institutions/utokyo.html",
    "bib/index.html",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_japanese_text_is_marked_and_set_in_a_japanese_font(
    browser: Browser, served: SiteServer, device: str, mode: str
) -> None:
    """Every run of Japanese script on English pages, in text, tables and figures, sits in an
    element marked lang="ja", set in the Japanese system-font stack (no web font)."""
    checked = 0
    for path in JAPANESE_PAGES:
        page = open_page(browser, served.url(path), viewport=VIEWPORTS[device], color_scheme=mode)
        try:
            found = page.evaluate("""() => {
                const japanese = /[\\u3040-\\u30ff\\u3400-\\u9fff]/;
                const walker = document.createTreeWalker(document.querySelector('article'),
                                                         NodeFilter.SHOW_TEXT);
                const runs = [];
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  if (!japanese.test(node.textContent)) continue;
                  const element = node.parentElement;
                  if (element.closest('code, pre, kbd, samp, title, desc')) continue;
                  runs.push({text: node.textContent.trim().slice(0, 20),
                             lang: element.closest('[lang]')?.getAttribute('lang') ?? '',
                             font: getComputedStyle(element).fontFamily});
                }
                return runs; }""")
        finally:
            page.context.close()
        assert found, f"{path}: no Japanese text found"
        unmarked = [run["text"] for run in found if not run["lang"].startswith("ja")]
        assert unmarked == [], f"{path}: Japanese text without lang=ja"
        unset = [run["text"] for run in found if "Hiragino Sans" not in run["font"]]
        assert unset == [], f"{path}: Japanese text outside the Japanese font stack"
        checked += len(found)
    assert checked > 20


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_calculator_controls_are_large_and_check_what_is_typed(
    browser: Browser, served: SiteServer, device: str, mode: str
) -> None:
    page = open_page(
        browser,
        served.url("onboarding/low-carbon-collaboration.html"),
        viewport=VIEWPORTS[device],
        color_scheme=mode,
    )
    try:
        form = page.locator("form.footprint-calculator").first
        form.scroll_into_view_if_needed()
        for control in ("select[name=origin]", "select[name=destination]", "input[name=trips]"):
            box = form.locator(control).bounding_box()
            assert box and box["height"] >= 44 and box["width"] >= 44, control
            assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[device]["width"]
        # Long-haul factors, so long-haul pairs only: no French airport among the destinations.
        destinations = form.locator("select[name=destination] option").all_inner_texts()
        assert destinations and not [d for d in destinations if "(CDG)" in d or "(LYS)" in d]
        trips = form.locator("input[name=trips]")
        error = form.locator(".footprint-error")
        for typed, expected in (
            ("1.5", "whole number"),
            ("1001", "at most 1,000"),
            ("0", "at least 1"),
        ):
            trips.fill(typed)
            assert expected in error.inner_text()
            assert trips.get_attribute("aria-invalid") == "true"
            assert form.locator("output.footprint-result table").count() == 0
        _shot(page, f"calculator-error-{mode}-{device}")
        trips.fill("1000")
        assert error.inner_text().strip() == ""
        assert trips.get_attribute("aria-invalid") is None
        figures = form.locator("output.footprint-result td").all_inner_texts()
        assert [f for f in figures if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d\d", f)], figures
        _shot(page, f"calculator-{mode}-{device}")
        found = [str(v) for v in violations(page) if v.impact in ("serious", "critical")]
        assert found == []
    finally:
        page.context.close()
