"""What one page loads when a first-time reader opens it: requests, bytes and errors.

Why a fresh browser context per page (the caller's job): a reader arriving from a search
engine has nothing cached, so the bytes counted are the bytes they wait for. Every request is
recorded; those for other hosts fail at once, because Chromium resolves no name but 127.0.0.1
(see chromium.py), so a page that calls a CDN fails the test without leaving the machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page, Request, Response

# How long the page may keep fetching after its load event (fonts, lazy scripts).
SETTLE_TIMEOUT_S = 5.0


@dataclass
class Visit:
    """The record of one page load."""

    url: str
    status: int = 0
    # Every address the page asked for, in order, including those aborted as off-site.
    requested: list[str] = field(default_factory=list)
    # Body bytes received for each address served (as sent: the test server does not compress).
    received: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    @property
    def weight(self) -> int:
        """Bytes loaded by the page, all files together."""
        return sum(self.received.values())

    def offsite(self, origin: str) -> list[str]:
        """Addresses outside ``origin`` the page tried to reach."""
        return [url for url in self.requested if not url.startswith(origin + "/")]


def record(page: Page, url: str) -> Visit:
    """Open ``url`` in ``page`` and record what it loads until its requests have all ended."""
    visit = Visit(url=url)
    finished: list[Request] = []
    sizes: dict[str, int] = {}

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            visit.console_errors.append(message.text)

    def on_failed(request: Request) -> None:
        visit.failed.append(f"{request.url} ({request.failure})")

    def on_response(response: Response) -> None:
        # The test server sends every file whole and uncompressed, with its Content-Length.
        sizes[response.url] = int(response.headers.get("content-length", "0"))

    listeners = {
        "request": lambda request: visit.requested.append(request.url),
        "response": on_response,
        "requestfinished": lambda request: finished.append(request),
        "requestfailed": on_failed,
        "console": on_console,
        "pageerror": lambda error: visit.console_errors.append(f"uncaught: {error}"),
    }
    for event, listener in listeners.items():
        page.on(event, listener)

    response = page.goto(url, wait_until="load")
    visit.status = response.status if response else 0
    # Web fonts are fetched when text first needs them, which may be after the load event.
    page.evaluate("document.fonts.ready.then(() => true)")
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while len(finished) + len(visit.failed) < len(visit.requested):
        if time.monotonic() > deadline:
            break
        page.wait_for_timeout(25)
    # Stop listening: what later checks do in the page (axe fetches stylesheets itself) is not
    # part of the visit.
    for event, listener in listeners.items():
        page.remove_listener(event, listener)
    visit.received = {request.url: sizes.get(request.url, 0) for request in finished}
    return visit
