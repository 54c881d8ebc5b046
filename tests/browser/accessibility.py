"""axe-core's verdict on the page a browser shows, as plain records the tests can filter.

axe runs on the rendered page, after the theme's and the handbook's scripts, in whatever
colour mode the page is in: what it checks is what a reader gets. Besides axe's default rules
(WCAG 2.0–2.2 A and AA, and best practices) it runs "label-content-name-mismatch"
(WCAG 2.5.3, Label in Name), still marked experimental in axe: speech-input users name a
control by the text they see, so its accessible name must contain that text.
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# axe-playwright-python supplies axe-core's script (axe.min.js); the run is ours, so that the
# script is evaluated once per page rather than once per run.
_AXE = Axe()
OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@dataclass(frozen=True)
class Violation:
    """One rule broken on one page, with the elements that break it."""

    rule: str
    impact: str
    summary: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.summary} at {', '.join(self.targets[:3])}"


def violations(page: Page) -> list[Violation]:
    """Run axe on the page as it is now (axe is injected once per page, then reused)."""
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(_AXE.axe_script)
    results = page.evaluate("(options) => axe.run(options)", OPTIONS)
    return [
        Violation(
            rule=found["id"],
            impact=found["impact"] or "minor",
            summary=found["help"],
            targets=tuple(" ".join(map(str, node["target"])) for node in found["nodes"]),
        )
        for found in results["violations"]
    ]
