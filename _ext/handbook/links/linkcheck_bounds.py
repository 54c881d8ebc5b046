"""Bounds for Sphinx's external link check, so that the weekly run always ends and says why.

Why this exists: reading ``sphinx/builders/linkcheck.py`` (Sphinx 9.0) shows four ways in which
the ``linkcheck`` builder can run forever or hide a problem:

* ``HyperlinkAvailabilityCheckWorker.limit_rate`` obeys a ``Retry-After`` header in full: when
  the header is present it never compares the wait with ``linkcheck_rate_limit_timeout``, and
  ``HyperlinkAvailabilityChecker.check`` waits for results without a timeout. A site that
  answers every request with 429 and ``Retry-After`` keeps the build running forever.
* A 503 is reported as "ignored" ("service unavailable") and never retried, so an outage, or a
  robot wall that answers 503, disappears among the links we chose to ignore.
* The request timeout bounds each socket read, not a whole response: a server that sends a
  byte now and then never times out.
* An ignored link is reported with an empty reason.

This extension replaces the builder with a subclass of the same name, ``linkcheck``, that:

* stops waiting for a rate-limited site (HTTP 429) once the time since it first refused, plus
  the wait it asks for (``Retry-After``, or Sphinx's own back-off without the header), would
  pass ``linkcheck_rate_limit_timeout``; the link is then reported as timed out, with the reason;
* reports a 503 as timed out ("service unavailable"): visible in the report, without failing it;
* stops checking after ``linkcheck_deadline`` seconds and reports every link still unfinished
  as timed out, so the check ends in bounded time whatever the servers do;
* gives each ignored link the reason of the ``linkcheck_ignore`` pattern it matched, from
  ``linkcheck_ignore_reasons``, and warns about a pattern that has none.

It builds on classes that ``sphinx.builders.linkcheck`` does not document as public; the
versions are pinned in requirements/docs.txt and tests/test_linkcheck_external.py checks every
behaviour above against a local server, so an upstream change shows up as a failing test.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from queue import Empty, Queue
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.builders.linkcheck import (
    CHECK_IMMEDIATELY,
    CheckExternalLinksBuilder,
    CheckRequest,
    CheckResult,
    Hyperlink,
    HyperlinkAvailabilityChecker,
    HyperlinkAvailabilityCheckWorker,
    RateLimit,
    _Status,
)
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.http_date import rfc1123_to_epoch

logger = logging.getLogger(__name__)

#: A site that asks for no wait at all (``Retry-After: 0``) is still asked again only after this
#: pause, so that a misconfigured server is not hammered until the bound.
MIN_RETRY_DELAY = 1.0

#: Upstream's wording for a 503 (``_check_uri``); the test suite pins it.
UPSTREAM_503_MESSAGE = "service unavailable"

#: Written beside output.json: the bounds this run applied, for the report.
BOUNDS_FILE = "bounds.json"


def retry_after_seconds(header: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), None if absent."""
    if not header:
        return None
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        return max(rfc1123_to_epoch(header) - now, 0.0)
    except (ValueError, TypeError):  # not a date either: treated as absent, as upstream does
        return None


class BoundedCheckWorker(HyperlinkAvailabilityCheckWorker):
    """Upstream's worker, with a bounded wait for rate-limited sites and 503 as timed out."""

    def __init__(
        self,
        config: Config,
        rqueue: Queue[CheckResult],
        wqueue: Queue[CheckRequest],
        rate_limits: dict[str, RateLimit],
        limited_since: dict[str, float],
    ) -> None:
        super().__init__(config, rqueue, wqueue, rate_limits)
        # When each site started refusing (shared by all workers, like rate_limits).
        self.limited_since = limited_since
        # Why the current link was given up on; each worker is its own thread, so no lock.
        self.gave_up: str | None = None

    def limit_rate(self, response_url: str, retry_after: str | None) -> float | None:
        """When to ask the site again, or None to stop: the total wait is capped in all cases."""
        netloc = urlsplit(response_url).netloc
        now = time.time()
        since = self.limited_since.setdefault(netloc, now)
        asked = retry_after_seconds(retry_after, now)
        if asked is None:
            # No usable header: upstream's back-off (60 s, then doubling), which already gives
            # up past linkcheck_rate_limit_timeout.
            next_check = super().limit_rate(response_url, retry_after)
        else:
            next_check = now + max(asked, MIN_RETRY_DELAY)
        if next_check is None or next_check - since > self.rate_limit_timeout:
            wait = "" if next_check is None else f"; it asked for {next_check - now:.0f} s more"
            self.gave_up = (
                f"rate limited (HTTP 429) by {netloc} for {now - since:.0f} s{wait}, past the "
                f"{self.rate_limit_timeout:g} s of linkcheck_rate_limit_timeout"
            )
            return None
        if asked is not None:
            # Recorded only once accepted: the other links to this site wait for it too, and
            # must not inherit a wait we refused.
            self.rate_limits[netloc] = RateLimit(next_check - now, next_check)
        return next_check

    def _check_uri(self, uri: str, hyperlink: Hyperlink) -> tuple[_Status, str, int]:
        self.gave_up = None
        status, info, code = super()._check_uri(uri, hyperlink)
        netloc = urlsplit(uri).netloc
        if netloc not in self.rate_limits:  # upstream forgets a limit once the site answers
            self.limited_since.pop(netloc, None)
        if self.gave_up is not None:  # upstream calls this broken; we do not know that
            return _Status.TIMEOUT, self.gave_up, 429
        if status == _Status.IGNORED and info == UPSTREAM_503_MESSAGE:
            return _Status.TIMEOUT, "service unavailable (HTTP 503)", 503
        return status, info, code


class BoundedAvailabilityChecker(HyperlinkAvailabilityChecker):
    """Upstream's checker, with a deadline for the whole check and reasons for ignored links."""

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.deadline = float(config.linkcheck_deadline)
        self.limited_since: dict[str, float] = {}
        self.ignore_reasons = [
            (re.compile(pattern), reason)
            for pattern, reason in config.linkcheck_ignore_reasons.items()
        ]
        self.unfinished = 0

    def invoke_threads(self) -> None:
        for _ in range(self.num_workers):
            worker = BoundedCheckWorker(
                self.config, self.rqueue, self.wqueue, self.rate_limits, self.limited_since
            )
            worker.start()
            self.workers.append(worker)

    def ignore_reason(self, uri: str) -> str:
        return next((reason for rex, reason in self.ignore_reasons if rex.match(uri)), "")

    def check(self, hyperlinks: dict[str, Hyperlink]) -> Iterator[CheckResult]:
        end = time.monotonic() + self.deadline
        self.invoke_threads()
        pending: dict[str, Hyperlink] = {}
        for hyperlink in hyperlinks.values():
            if self.is_ignored_uri(hyperlink.uri):
                yield CheckResult(
                    hyperlink.uri,
                    hyperlink.docname,
                    hyperlink.lineno,
                    _Status.IGNORED,
                    self.ignore_reason(hyperlink.uri),
                    0,
                )
            else:
                self.wqueue.put(CheckRequest(CHECK_IMMEDIATELY, hyperlink), False)
                pending[hyperlink.uri] = hyperlink

        while pending:
            try:
                result = self.rqueue.get(timeout=max(end - time.monotonic(), 0.0))
            except Empty:
                break
            pending.pop(result.uri, None)
            yield result

        self.unfinished = len(pending)
        for hyperlink in pending.values():
            yield CheckResult(
                hyperlink.uri,
                hyperlink.docname,
                hyperlink.lineno,
                _Status.TIMEOUT,
                f"unfinished when the check stopped at its {self.deadline:g} s bound "
                "(linkcheck_deadline)",
                0,
            )
        if not pending:
            self.shutdown_threads()
        # Otherwise some workers are still waiting on a server: they are daemon threads, so
        # they end with the process instead of holding it open.


class BoundedLinkcheckBuilder(CheckExternalLinksBuilder):
    """The ``linkcheck`` builder, checking with :class:`BoundedAvailabilityChecker`."""

    def finish(self) -> None:
        # Upstream's finish(), with the bounded checker and a record of the bounds applied.
        started = time.monotonic()
        checker = BoundedAvailabilityChecker(self.config)
        logger.info("")
        with (
            open(self.outdir / "output.txt", "w", encoding="utf-8") as self.txt_outfile,
            open(self.outdir / "output.json", "w", encoding="utf-8") as self.json_outfile,
        ):
            for result in checker.check(self.hyperlinks):
                self.process_result(result)
        if self.broken_hyperlinks or self.timed_out_hyperlinks:
            self._app.statuscode = 1
        self.write_bounds(checker, time.monotonic() - started)

    def write_linkstat(self, data: dict[str, str | int | _Status]) -> None:
        # One line a link, flushed, so that a run killed from outside leaves what it found.
        super().write_linkstat(data)
        self.json_outfile.flush()

    def write_bounds(self, checker: BoundedAvailabilityChecker, elapsed: float) -> None:
        bounds = {
            "timeout": self.config.linkcheck_timeout,
            "retries": self.config.linkcheck_retries,
            "workers": self.config.linkcheck_workers,
            "rate_limit_timeout": self.config.linkcheck_rate_limit_timeout,
            "deadline": checker.deadline,
            "checking_seconds": round(elapsed, 1),
            "unfinished": checker.unfinished,
        }
        (self.outdir / BOUNDS_FILE).write_text(json.dumps(bounds, indent=2), encoding="utf-8")


def check_ignore_reasons(app: Sphinx, config: Config) -> None:
    """Every ignored pattern needs its reason: a silent ignore is a link check that cannot fail."""
    for pattern in config.linkcheck_ignore:
        if not config.linkcheck_ignore_reasons.get(pattern):
            logger.warning(
                "linkcheck_ignore pattern %r has no reason in linkcheck_ignore_reasons", pattern
            )


def setup(app: Sphinx) -> dict[str, object]:
    app.add_builder(BoundedLinkcheckBuilder, override=True)
    # An int default, so that `-D linkcheck_deadline=60` works: Sphinx cannot convert a -D
    # value for a setting whose default is a float (Config.convert_overrides).
    app.add_config_value("linkcheck_deadline", 30 * 60, "", types=frozenset({int, float}))
    app.add_config_value("linkcheck_ignore_reasons", {}, "", types=frozenset({dict}))
    app.connect("config-inited", check_ignore_reasons)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
