"""Run one job on every page of the site, spread over a few Chromium instances.

Why threads: checking ~50 pages twice with axe takes minutes in one browser, and most of the
time is the browser working, not Python. Playwright's sync API is not thread-safe, so each
worker thread starts its own Playwright and its own Chromium and gets its own share of the
pages; results come back as one dictionary, in no particular order of execution.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from playwright.sync_api import Browser, sync_playwright

from .chromium import launch

Result = TypeVar("Result")
# Each Chromium uses about one core while axe runs; more workers than cores only queue.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def crawl(
    pages: Sequence[str], job: Callable[[Browser, str], Result], workers: int = WORKERS
) -> dict[str, Result]:
    """``job(browser, page)`` for every page; the first exception raised in a job propagates."""
    shares = [list(pages[start::workers]) for start in range(workers)]

    def work(share: list[str]) -> dict[str, Result]:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                return {page: job(browser, page) for page in share}
            finally:
                browser.close()

    results: dict[str, Result] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done in pool.map(work, [share for share in shares if share]):
            results.update(done)
    return results
