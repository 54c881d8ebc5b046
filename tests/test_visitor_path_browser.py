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
