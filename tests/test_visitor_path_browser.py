"""The visitor's path on a phone and on a desktop, in a real browser.

What a visitor notices first: the home page offers entry points by reader type on the first
screen, the travel page starts with the airports and reads in the order of the journey, and the
first-week page shows its three stages. Each check runs at phone (390 px) and desktop width,
without horizontal scrolling; screenshots for review go to tests/artifacts/visitor-path/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.accessibility import violations
from browser.server import SiteServer
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "artifacts" / "visitor-path"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 800}}


@pytest.fixture(params=list(WIDTHS))
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WIDTHS[request.param])
    opened = context.new_page()
    opened.width_name = request.param  # type: ignore[attr-defined]  # for screenshot names
    yield opened
    context.close()


def open_page(page: Page, served: SiteServer, path: str) -> None:
    page.goto(served.url(path))
    page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.replace("/", "_").removesuffix(".html")
    page.screenshot(path=SHOTS / f"{name}-{page.width_name}.png", full_page=True)  # type: ignore[attr-defined]


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def top_of_heading(page: Page, text: str) -> float:
    """Distance from the top of the page to the article heading with this text."""
    box = page.locator("article h2", has_text=text).first.bounding_box()
    assert box, f"no visible heading {text!r}"
    return box["y"] + page.evaluate("window.scrollY")


def test_home_page_shows_entry_points_by_reader_type_on_the_first_screen(
    page: Page, served: SiteServer
) -> None:
    open_page(page, served, "index.html")
    assert fits_the_screen(page)
    headings = page.locator("article h2").all_inner_texts()
    readers = [h for h in headings if h.startswith("I ")]
    assert len(readers) >= 4 and headings[0] == readers[0]
    assert top_of_heading(page, readers[0]) < page.viewport_size["height"]
    first_week = page.locator("article a[href$='onboarding/first-week.html']").first
    assert first_week.is_visible()


def test_getting_to_kashiwa_reads_in_the_order_of_the_journey(
    page: Page, served: SiteServer
) -> None:
    open_page(page, served, "onboarding/getting-to-kashiwa.html")
    order = [
        "From Narita",
        "From Haneda",
        "From central Tokyo",
        "From Kashiwanoha-campus",
        "Routes at a glance",
        "Going on to Kamioka",
        "Leaving",
    ]
    tops = [top_of_heading(page, heading) for heading in order]
    assert tops == sorted(tops), dict(zip(order, tops, strict=True))
    where = page.locator("article .admonition", has_text="Where you are going").first
    assert where.is_visible() and where.bounding_box()["y"] < tops[0]


def test_first_week_page_shows_its_three_stages(page: Page, served: SiteServer) -> None:
    open_page(page, served, "onboarding/first-week.html")
    assert fits_the_screen(page)
    stages = ["Arrival day", "First days", "By the end of the first week"]
    tops = [top_of_heading(page, stage) for stage in stages]
    assert tops == sorted(tops)


# The route diagram as the reader sees it: its box, the size of its smallest text as shown,
# where each stop and leg is drawn, and the colours of the legs and of the page behind them.
ROUTE_DIAGRAM = """() => {
  const svg = document.querySelector('article svg.route-diagram');
  const box = svg.closest('.handbook-figure-scroll');
  const hint = box.nextElementSibling;
  const shown = svg.getBoundingClientRect();
  const scale = shown.width / svg.viewBox.baseVal.width;
  const rgb = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const stops = {};
  for (const group of svg.querySelectorAll('g[data-stop]')) {
    const rect = group.querySelector('rect').getBoundingClientRect();
    stops[group.dataset.stop] = {top: rect.top, bottom: rect.bottom};
  }
  return {
    boxWidth: box.clientWidth, scrollWidth: box.scrollWidth, shownWidth: shown.width,
    column: document.querySelector('article.bd-article').clientWidth,
    overflows: box.classList.contains('handbook-overflows'),
    hintShown: hint?.classList.contains('handbook-scroll-hint')
      && getComputedStyle(hint).display !== 'none',
    smallest: Math.min(...Array.from(svg.querySelectorAll('text'),
      (text) => parseFloat(getComputedStyle(text).fontSize) * scale)),
    currentColour: Array.from(svg.querySelectorAll('text'),
      (text) => getComputedStyle(text).fill === getComputedStyle(text).color).every(Boolean),
    stops,
    legs: Array.from(svg.querySelectorAll('path.rd-leg'), (leg) => ({
      from: leg.dataset.from, to: leg.dataset.to, stroke: rgb(getComputedStyle(leg).stroke)})),
    background: rgb(getComputedStyle(document.body).backgroundColor),
    named: Boolean(svg.querySelector('title')?.textContent.trim()
      && svg.querySelector('desc')?.textContent.trim()),
    table: document.querySelectorAll('article table.route-diagram-legs tbody tr').length,
  };
}"""


def contrast(one: list[float], other: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours given as 0-255 channels."""

    def luminance(colour: list[float]) -> float:
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (channel / 255 for channel in colour)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("device", list(WIDTHS))
def test_route_diagram_fits_the_column_and_reads_top_to_bottom(
    browser: Browser, served: SiteServer, device: str, mode: str
) -> None:
    """The diagram fits the article column on a desktop and on a 390 px phone, with no
    sideways scroll and no text under 11 px as shown; its stops are stacked in the order of
    travel, every leg going down the drawing; its legs stand out from the background in
    both colour modes (WCAG 1.4.11, 3:1) and its text takes the page's colour; it keeps its
    title, description and table of legs; axe finds nothing serious."""
    context = browser.new_context(viewport=WIDTHS[device], color_scheme=mode)
    try:
        page = context.new_page()
        page.goto(served.url("onboarding/getting-to-kashiwa.html"), wait_until="load")
        figure = page.locator("article svg.route-diagram")
        figure.scroll_into_view_if_needed()
        page.evaluate("document.fonts.ready.then(() => true)")
        measured = page.evaluate(ROUTE_DIAGRAM)
        assert measured["scrollWidth"] <= measured["boxWidth"] + 1, measured
        assert measured["shownWidth"] <= measured["column"]
        assert not measured["overflows"] and not measured["hintShown"]
        assert measured["smallest"] >= 11, f"text shown at {measured['smallest']:.1f} px"
        assert measured["currentColour"], "text in a fixed colour, not the page's"
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[device]["width"]
        stops, legs = measured["stops"], measured["legs"]
        assert len(stops) >= 4 and len(legs) >= 4
        upward = [
            (leg["from"], leg["to"])
            for leg in legs
            if stops[leg["to"]]["top"] < stops[leg["from"]]["bottom"]
        ]
        assert upward == [], f"legs that do not go down the drawing: {upward}"
        faint = [
            (leg["from"], leg["to"], round(contrast(leg["stroke"], measured["background"]), 2))
            for leg in legs
            if contrast(leg["stroke"], measured["background"]) < 3
        ]
        assert faint == [], f"legs under 3:1 against the {mode} background: {faint}"
        assert measured["named"] and measured["table"] == len(legs)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("article .handbook-figure-scroll:has(svg.route-diagram)").screenshot(
            path=SHOTS / f"route-diagram-{mode}-{device}.png"
        )
        found = [str(v) for v in violations(page) if v.impact in ("serious", "critical")]
        assert found == [], found
    finally:
        context.close()
