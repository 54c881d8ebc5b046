"""Helpers for the browser tests in tests/test_browser.py.

Each module has one job: serve the built site on 127.0.0.1 (:mod:`.server`), start Debian's
Chromium through Playwright (:mod:`.chromium`), record what a page loads (:mod:`.visit`), run
axe-core on it (:mod:`.accessibility`) and spread the per-page work over a few browsers
(:mod:`.crawl`).
"""
