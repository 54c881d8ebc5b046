"""Tier 2 link check: every kind of answer a server gives lands in its class, in bounded time.

A local server (127.0.0.1, free ports) answers each way a real site can: 200, 404, 410, 301,
302, 429 once or forever, 500 then 200, too slowly, 503, a page with and without the anchor a
link asks for, and a page that never finishes. tests/roots/test-linkcheck links to each, and
reads the handbook's own link-check settings from its conf.py; tools/linkcheck_report.py runs
it exactly as ``make linkcheck`` does. Only the durations are shortened (-D), so the bounding
logic under test is the real one. No request leaves the machine: DOI and arXiv links are
ignored before any request is made.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ROOT = Path(__file__).parent / "roots" / "test-linkcheck"
RUNNER = PROJECT_ROOT / "tools" / "linkcheck_report.py"
WORKFLOW = PROJECT_ROOT / ".github" / "workflows" / "linkcheck.yml"
sys.path.insert(0, str(PROJECT_ROOT / "tools"))

from handbook.links.linkcheck_bounds import retry_after_seconds  # noqa: E402 (conftest puts _ext/ on the path)
from linkcheck_report import LinkResult, explain, parse_output  # noqa: E402 (needs tools/)
from sphinx.util.http_date import epoch_to_rfc1123  # noqa: E402

# Durations shortened for the test; every other setting is the handbook's own.
TIMEOUT = 1  # linkcheck_timeout: /slow answers after SLOW seconds
RATE_LIMIT_TIMEOUT = 4  # linkcheck_rate_limit_timeout: /busy-always is given up after this
DEADLINE = 10  # linkcheck_deadline: /trickle never finishes, so every run reaches it
FAST = ["-D", f"linkcheck_timeout={TIMEOUT}", "-D", f"linkcheck_deadline={DEADLINE}"]
# Sphinx cannot -D a float setting; the test project's conf.py reads this one from here.
FAST_ENV = {"TEST_LINKCHECK_RATE_LIMIT_TIMEOUT": str(RATE_LIMIT_TIMEOUT)}
SLOW = 3.0
RETRY_AFTER = "1"
RETRY_AFTER_TOO_LONG = "3600"
TRICKLE_SECONDS = 50  # the trickling answer gives up by itself, so the server can always stop
# Starting Python and Sphinx and reading four pages, on top of the deadline, on a slow runner.
STARTUP_ALLOWANCE = 20


# -- The local server -------------------------------------------------------------------------


class Answers(BaseHTTPRequestHandler):
    """One path a behaviour; every request is counted, so tests can see how often we asked."""

    server: SiteServer

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass

    def answer(self) -> None:
        path = self.path.split("?")[0]
        seen = self.server.count(path)
        match path:
            case "/ok" | "/en/":
                self.page("<h1>Here</h1>")
            case "/sections":
                self.page('<h1>Sections</h1><h2 id="present">Present</h2>')
            case "/missing":
                self.send_error(404)
            case "/gone":
                self.send_error(410)
            case "/moved":
                self.redirect(301, "/ok")
            case "/found":
                self.redirect(302, "/ok")
            case "/":
                self.redirect(302, "/en/")
            case "/flaky":  # the first attempt (HEAD, then GET) fails; the second passes
                if seen <= 2:
                    self.send_error(500)
                else:
                    self.page("<h1>Back</h1>")
            case "/busy-once":
                if seen == 1:
                    self.busy()
                else:
                    self.page("<h1>Thanks for waiting</h1>")
            case "/busy-always":
                self.busy()
            case "/busy-for-an-hour":
                self.busy(RETRY_AFTER_TOO_LONG)
            case "/unavailable":
                self.send_error(503)
            case "/slow":
                time.sleep(SLOW)
                self.page("<h1>Finally</h1>")
            case "/trickle":
                self.trickle()
            case _:
                self.send_error(404)

    def page(self, body: str) -> None:
        content = f"<!DOCTYPE html><html><body>{body}</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(content)

    def redirect(self, code: int, location: str) -> None:
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def busy(self, retry_after: str = RETRY_AFTER) -> None:
        self.send_response(429)
        self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def trickle(self) -> None:
        """A byte every 0.2 s: never silent for a whole timeout, never done."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!DOCTYPE html><html><body>")
        stop = time.monotonic() + TRICKLE_SECONDS
        try:
            while time.monotonic() < stop:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client went away: the point of the exercise
            pass


class SiteServer(ThreadingHTTPServer):
    """A site on its own port (Sphinx keeps rate limits per host and port)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Answers)
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def count(self, path: str) -> int:
        with self._lock:
            self.requests[path] += 1
            return self.requests[path]


@dataclass(frozen=True)
class Sites:
    main: SiteServer
    busy: SiteServer  # its own host:port, so that its endless 429s do not slow the others

    def requests(self) -> Counter[str]:
        return self.main.requests + self.busy.requests

    def reset(self) -> None:
        self.main.requests.clear()
        self.busy.requests.clear()


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    servers = Sites(SiteServer(), SiteServer())
    threads = [
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        for server in (servers.main, servers.busy)
    ]
    for thread in threads:
        thread.start()
    yield servers
    for server in (servers.main, servers.busy):
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, sites: Sites) -> Path:
    """The test project with the servers' ports filled in; conf.py stays a link to the real one."""
    destination = tmp_path_factory.mktemp("linkcheck-project")
    for page in ROOT.glob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = text.replace("@BUSY_PORT@", str(sites.busy.port))
        (destination / page.name).write_text(
            text.replace("@PORT@", str(sites.main.port)), encoding="utf-8"
        )
    (destination / "conf.py").symlink_to(ROOT / "conf.py")
    return destination


# -- Running the check ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    returncode: int
    seconds: float
    output: str
    outdir: Path
    requests: Counter[str] = field(default_factory=Counter)

    @property
    def report(self) -> dict:
        return json.loads((self.outdir / "report.json").read_text(encoding="utf-8"))

    @property
    def markdown(self) -> str:
        return (self.outdir / "report.md").read_text(encoding="utf-8")

    @property
    def bounds(self) -> dict:
        return json.loads((self.outdir / "bounds.json").read_text(encoding="utf-8"))

    def result(self, uri_end: str) -> LinkResult:
        results = parse_output(self.outdir / "output.json")
        matches = [r for r in results if r.uri.endswith(uri_end)]
        assert len(matches) == 1, (uri_end, [r.uri for r in results], self.output[-3000:])
        return matches[0]


def run_check(project: Path, outdir: Path, *options: str, hard_timeout: float = 120) -> Check:
    """What `make linkcheck` runs (see test_make_linkcheck_runs_the_report_script)."""
    started = time.monotonic()
    completed = subprocess.run(
        [
            sys.executable,
            str(RUNNER),
            str(project),
            str(outdir),
            "--hard-timeout",
            str(hard_timeout),
            "--",
            *options,
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **FAST_ENV),
        timeout=hard_timeout + 30,
        check=False,
    )
    return Check(
        completed.returncode,
        time.monotonic() - started,
        completed.stdout + completed.stderr,
        outdir,
    )


@pytest.fixture(scope="module")
def check(project: Path, sites: Sites, tmp_path_factory: pytest.TempPathFactory) -> Check:
    """The check of the test project, with the requests the servers received during it."""
    sites.reset()
    done = run_check(project, tmp_path_factory.mktemp("linkcheck"), *FAST)
    return replace(done, requests=sites.requests())


# -- Each link in its class -------------------------------------------------------------------

# (end of the link, status in output.json, words the report gives as the reason)
EXPECTED = [
    ("/ok", "working", None),
    ("/missing", "broken", "HTTP 404 Not Found"),
    ("/gone", "broken", "HTTP 410 Gone"),
    ("/moved", "redirected", "HTTP 301"),
    ("/found", "redirected", "HTTP 302"),
    (":@PORT@/", "working", None),  # allowed: a home page to its English home
    ("/sections#present", "working", None),
    ("/sections#absent", "broken", "Anchor 'absent' not found"),
    ("/flaky", "working", None),  # the second attempt (linkcheck_retries) passes
    ("/unavailable", "timeout", "service unavailable (HTTP 503)"),
    ("/busy-once", "working", None),  # waited for Retry-After, then passed
    ("/busy-always", "timeout", "rate limited (HTTP 429)"),
    ("/busy-for-an-hour", "timeout", "it asked for 3600 s more"),
    ("/slow", "timeout", f"no answer within {TIMEOUT} s"),
    ("/trickle#end", "timeout", f"its {DEADLINE} s bound (linkcheck_deadline)"),
    ("doi.org/10.1000/182", "ignored", "tools/bibtex_lint.py"),
    ("arxiv.org/abs/1207.7214", "ignored", "tools/bibtex_lint.py"),
    ("mailto:linkcheck@example.org", "unchecked", None),
]


@pytest.mark.parametrize(("uri_end", "status", "reason"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_link_lands_in_its_class(
    check: Check, sites: Sites, uri_end: str, status: str, reason: str | None
) -> None:
    uri_end = uri_end.replace("@PORT@", str(sites.main.port))
    result = check.result(uri_end)
    assert result.status == status, (result, check.output[-3000:])
    if reason is not None:
        assert reason in result.reason, result


def test_report_groups_problems_by_page_and_class(check: Check, sites: Sites) -> None:
    pages = {page["page"]: page["links"] for page in check.report["pages"]}
    # Pages with broken links come first; working and unchecked links are only counted.
    assert list(pages) == ["responses.md", "ignored.md", "waits.md"]
    responses = pages["responses.md"]
    assert sorted(link["http_status"] for link in responses["broken"] if link["http_status"]) == [
        404,
        410,
    ]
    assert {link["target"] for link in responses["redirected"]} == {
        f"http://127.0.0.1:{sites.main.port}/ok"
    }
    assert [link["http_status"] for link in responses["timeout"]] == [503]
    assert len(pages["waits.md"]["timeout"]) == 4
    assert check.report["counts"] == {
        "broken": 3,
        "redirected": 2,
        "timeout": 5,
        "ignored": 2,
        "working": 5,
        "unchecked": 1,
    }


def test_markdown_report_reads_page_by_page(check: Check, sites: Sites) -> None:
    markdown = check.markdown
    assert "| Broken | 3 |" in markdown
    assert markdown.index("### `responses.md`") < markdown.index("### `waits.md`")
    assert (
        f"- **Broken**, line 4: <http://127.0.0.1:{sites.main.port}/missing> "
        "— HTTP 404 Not Found" in markdown
    )
    port = sites.main.port
    assert f"<http://127.0.0.1:{port}/moved> → <http://127.0.0.1:{port}/ok>" in markdown


def test_broken_links_fail_the_check(check: Check) -> None:
    assert check.returncode == 1, check.output[-3000:]
    assert "responses.md:4: http://127.0.0.1" in check.output


def test_check_ends_within_its_bound(check: Check) -> None:
    # /trickle keeps one worker busy forever, so the check stops at the deadline, not before.
    assert DEADLINE - 0.5 <= check.bounds["checking_seconds"] <= DEADLINE + 2
    assert check.bounds["unfinished"] == 1
    assert check.seconds < DEADLINE + STARTUP_ALLOWANCE


def test_servers_were_asked_a_bounded_number_of_times(check: Check) -> None:
    # Retry-After: 1 s, so giving up after RATE_LIMIT_TIMEOUT s means at most one request a
    # second (plus the first); Sphinx alone would keep asking until the deadline, and forever.
    assert 2 <= check.requests["/busy-always"] <= RATE_LIMIT_TIMEOUT + 2
    assert check.requests["/busy-for-an-hour"] == 1  # a wait past the bound is refused at once
    assert check.requests["/flaky"] == 3  # HEAD 500, GET 500, then the retry's HEAD 200
    assert check.requests["/unavailable"] == 1  # a 503 is reported, not hammered


def test_hard_timeout_stops_a_run_and_says_so(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # With a long deadline, /trickle would hold the check; the runner's backstop ends it.
    done = run_check(
        project,
        tmp_path_factory.mktemp("killed"),
        *FAST,
        "-D",
        "linkcheck_deadline=300",
        hard_timeout=3,
    )
    assert done.returncode == 2, done.output[-3000:]
    assert done.seconds < 3 + 10
    assert "The check did not run to its end:** sphinx-build was stopped at the hard timeout" in (
        done.markdown
    )
    assert done.report["finished"] is False


# -- The pieces around the check --------------------------------------------------------------


def test_make_linkcheck_runs_the_report_script() -> None:
    dry_run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-n",
            "-C",
            str(PROJECT_ROOT),
            "linkcheck",
            "BUILDDIR=/tmp/out",
            "SPHINXOPTS=-D linkcheck_timeout=1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "tools/linkcheck_report.py . /tmp/out/linkcheck -- -D linkcheck_timeout=1" in (
        dry_run.stdout
    )


@pytest.mark.parametrize(
    ("info", "reason"),
    [
        ("404 Client Error: Not Found for url: https://example.org/a", "HTTP 404 Not Found"),
        (
            "HTTPSConnectionPool(host='x.example', port=443): Max retries exceeded with url: / "
            "(Caused by NameResolutionError(\"Failed to resolve 'x.example'\"))",
            "the host name does not resolve",
        ),
        (
            "HTTPSConnectionPool(host='x.example', port=443): Read timed out. (read timeout=15)",
            "no answer within 15 s",
        ),
    ],
)
def test_sphinx_messages_become_readable_reasons(info: str, reason: str) -> None:
    assert explain("broken", info, 0) == reason


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("0", 0.0), (None, None), ("", None), ("soon", None)],
)
def test_retry_after_in_seconds(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, time.time()) == seconds


def test_retry_after_as_a_date() -> None:
    now = time.time()
    assert retry_after_seconds(epoch_to_rfc1123(now + 90), now) == pytest.approx(90, abs=1)
    assert retry_after_seconds(epoch_to_rfc1123(now - 90), now) == 0.0  # already past


def test_weekly_workflow_is_pinned_bounded_and_least_privileged() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert "schedule" in triggers
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 60, name
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    assert "make linkcheck" in WORKFLOW.read_text(encoding="utf-8")
