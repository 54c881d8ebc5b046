"""Polite HTTP GETs for the harvesters: a rate limit, bounded waits, and clear errors.

Why not plain ``urllib.request.urlopen``: INSPIRE-HEP allows 15 requests in any 5-second
window per address and answers 429 (too many requests) beyond it, counting the refused
requests too. A harvester that ignores this is locked out; one that obeys any ``Retry-After``
could wait forever in a weekly job. So every request goes through a sliding-window limiter,
a 429 is retried after the wait the server asks for, and both the wait and the number of
attempts are bounded. Only the standard library is used, so the harvester adds nothing to
the lock file.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

#: Sent with every request, so that the services' operators can see who asks.
USER_AGENT = "ilance-handbook-publications/1.0 (+https://github.com/ilance-handbook/handbook)"


class HarvestError(Exception):
    """A service could not be read: the message says which address and why."""


@dataclass
class RateLimiter:
    """At most ``max_requests`` in any ``window`` seconds (a sliding window).

    ``clock`` and ``sleep`` are injectable so that tests check the limit without waiting.
    """

    max_requests: int = 15
    window: float = 5.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _sent: deque[float] = field(default_factory=deque)

    def wait_for_slot(self) -> float:
        """Block until one more request fits in the window; return the seconds waited."""
        waited = 0.0
        while True:
            now = self.clock()
            while self._sent and now - self._sent[0] >= self.window:
                self._sent.popleft()
            if len(self._sent) < self.max_requests:
                self._sent.append(now)
                return waited
            pause = self.window - (now - self._sent[0])
            self.sleep(pause)
            waited += pause


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for: seconds, or an HTTP date; None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Fetcher:
    """GETs against one service, rate-limited, with a bounded retry after each 429.

    ``min_wait_after_429``: INSPIRE counts refused requests against the quota, so waiting
    less than its 5-second window after a 429 only earns another one. ``max_wait``: a longer
    ``Retry-After`` is not obeyed; the harvest stops with an error instead, and the weekly
    workflow tries again next week.
    """

    limiter: RateLimiter = field(default_factory=RateLimiter)
    timeout: float = 30.0
    max_attempts: int = 4
    min_wait_after_429: float = 5.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    log: list[str] = field(default_factory=list)

    def get(self, base: str, params: Mapping[str, str | int]) -> bytes:
        """The body of ``base?params``; raises :class:`HarvestError` on any failure."""
        query = urllib.parse.urlencode({k: str(v) for k, v in params.items()})
        url = f"{base}?{query}" if query else base
        for attempt in range(1, self.max_attempts + 1):
            self.limiter.wait_for_slot()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                if error.code != 429:
                    raise HarvestError(f"{url}: HTTP {error.code} {error.reason}") from None
                asked = retry_after_seconds(error.headers.get("Retry-After"))
                wait = max(self.min_wait_after_429, asked or 0.0)
                if wait > self.max_wait:
                    raise HarvestError(
                        f"{url}: HTTP 429, and the server asks to wait {wait:.0f} s, longer "
                        f"than the {self.max_wait:.0f} s this harvester waits"
                    ) from None
                if attempt == self.max_attempts:
                    break
                self.log.append(f"HTTP 429 from {base}; waiting {wait:.1f} s (attempt {attempt})")
                self.sleep(wait)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                reason = getattr(error, "reason", error)
                raise HarvestError(f"{url}: cannot connect ({reason})") from None
        raise HarvestError(f"{url}: still HTTP 429 after {self.max_attempts} attempts")

    def get_json(self, base: str, params: Mapping[str, str | int]) -> Any:
        """The decoded JSON body; a body that is not JSON is a :class:`HarvestError`."""
        body = self.get(base, params)
        try:
            return json.loads(body)
        except ValueError as error:
            raise HarvestError(f"{base}: the answer is not JSON ({error})") from None

    def get_text(self, base: str, params: Mapping[str, str | int]) -> str:
        """The body as UTF-8 text (BibTeX); undecodable bytes are a :class:`HarvestError`."""
        body = self.get(base, params)
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise HarvestError(f"{base}: the answer is not UTF-8 ({error})") from None
