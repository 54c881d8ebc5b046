"""Debian's Chromium, driven by Playwright, headless and offline-minded.

Why Debian's build and not Playwright's download: `playwright install` needs the network,
and tools/install-system-deps.sh already installs the `chromium` package, which the project
keeps up to date with the system. The flags stop Chromium's own background traffic (updates,
sync, QUIC probes), so every request a test sees comes from the page, and make every host name
but 127.0.0.1 unresolvable: a page that reaches for a CDN fails on the spot, offline or not.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def launch(playwright: Playwright) -> Browser:
    """Start Chromium; each test then opens its own fresh context (no shared cache or storage)."""
    if not CHROMIUM.is_file():
        raise FileNotFoundError(
            f"{CHROMIUM} not found: run `make system-deps` (installs Debian's chromium package)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
