"""The publications harvester (tools/publications/) and the lists that it feeds on pages.

The harvester talks to INSPIRE-HEP and HAL, which this machine cannot reach. So these tests
start a local HTTP server on 127.0.0.1 that replays answers written from the services'
documented formats: INSPIRE's ``/api/literature`` (``hits.hits[].metadata``, ``links.next``,
``format=bibtex``; https://github.com/inspirehep/rest-api-doc) and HAL's Solr search
(``response.docs``, ``nextCursorMark``, ``label_bibtex``). The scenarios are the ones that
break harvesters: paging, a 429 with Retry-After, an empty result, texkeys with a colon, a
BibTeX answer whose key differs from the texkey asked for, a paper the handbook already
cites, a key the handbook already uses, and a service that fails.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import bibtex_lint
import pytest
from conftest import PROJECT_ROOT, Build
from publications import __main__ as cli
from publications import hal, inspire
from publications.config import ConfigError, read_programmes
from publications.http import Fetcher, HarvestError, RateLimiter, retry_after_seconds
from sphinx.testing.util import SphinxTestApp

# The pages' tests build sphinx.testing's `app`: a copy of tests/roots/test-publications, into
# whose snapshots/ folder a test puts what the harvester wrote.
pytestmark = pytest.mark.sphinx("html", testroot="publications", copy_test_root=True)
T2K_INSPIRE = 'collaboration:"T2K" and aff:"ILANCE"'
T2K_HAL = 'structAcronym_s:"ILANCE" AND "T2K"'
KAGRA_INSPIRE = 'collaboration:"KAGRA" and aff:"ILANCE"'
KAGRA_HAL = 'structAcronym_s:"ILANCE" AND "KAGRA"'
QUERIES = f"""
[programmes.t2k]
inspire = '{T2K_INSPIRE}'
hal = '{T2K_HAL}'

[programmes.kagra]
inspire = '{KAGRA_INSPIRE}'
hal = '{KAGRA_HAL}'

[programmes.ilc]
inspire = 't "International Linear Collider" and aff:"ILANCE"'
"""
# The handbook's own, hand-checked entries: one paper the harvest also finds (by DOI), and
# one key that an upstream record also uses for another paper.
HANDBOOK_BIB = """
@article{T2K_Nature_2020,
  author = {{T2K Collaboration}},
  title = {Constraint on the matter-antimatter symmetry-violating phase},
  journal = {Nature}, year = {2020}, doi = {10.1038/s41586-020-2177-0},
}
@article{T2K_NIM_2011,
  author = {{T2K Collaboration}},
  title = {The T2K experiment}, journal = {Nucl. Instrum. Meth. A}, year = {2011},
  doi = {10.1016/j.nima.2011.06.067},
}
"""


def inspire_hit(
    recid: int,
    texkeys: list[str],
    doi: str,
    title: str,
    eprint: str = "",
    hal_ids: tuple[str, ...] = (),
) -> dict:
    """One hit of an INSPIRE search answer, with the fields the harvester asks for."""
    metadata: dict = {
        "control_number": recid,
        "texkeys": texkeys,
        "titles": [{"title": title}],
        "dois": [{"value": doi}],
        "external_system_identifiers": [{"schema": "HAL", "value": h} for h in hal_ids],
    }
    if eprint:
        metadata["arxiv_eprints"] = [{"value": eprint, "categories": ["hep-ex"]}]
    return {
        "id": str(recid),
        "created": "2020-01-01T00:00:00+00:00",
        "updated": "2026-01-01T00:00:00+00:00",
        "links": {},
        "metadata": metadata,
    }


def inspire_bibtex(key: str, doi: str, title: str, year: int, eprint: str = "") -> str:
    """One entry as INSPIRE's ``format=bibtex`` writes it: quoted values, texkey as key."""
    arxiv = (
        (f'    eprint = "{eprint}",\n    archivePrefix = "arXiv",\n    primaryClass = "hep-ex",\n')
        if eprint
        else ""
    )
    return (
        f'@article{{{key},\n    author = "Abe, K. and others",\n'
        f'    collaboration = "T2K",\n    title = "{{{title}}}",\n{arxiv}'
        f'    doi = "{doi}",\n    journal = "Phys. Rev. Lett.",\n    volume = "107",\n'
        f'    pages = "041801",\n    year = "{year}"\n}}\n\n'
    )


def hal_doc(
    hal_id: str, key: str, doi: str, title: str, eprint: str = "", kind: str = "article"
) -> dict:
    """One document of a HAL search answer, ``label_bibtex`` as HAL writes it."""
    doc = {
        "docid": int(hal_id.split("-")[1]),
        "halId_s": hal_id,
        "doiId_s": doi,
        "title_s": [title],
        "label_bibtex": (
            f"@{kind}{{{key},\n  TITLE = {{{{{title}}}}},\n"
            "  AUTHOR = {Abe, K. and Bronner, C.},\n"
            f"  URL = {{https://hal.science/{hal_id}}},\n"
            "  JOURNAL = {{Physical Review D}},\n  YEAR = {2022},\n"
            f"  DOI = {{{doi}}},\n}}\n"
        ),
    }
    if eprint:
        doc["arxivId_s"] = eprint
    return doc


@dataclass
class Services:
    """What the replay server answers: INSPIRE and HAL, one scenario each programme."""

    fail_hal: bool = False
    retry_after: str = "1"
    inspire_json_calls: dict[str, int] = field(default_factory=dict)

    def inspire(self, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        query, page, size = params["q"], int(params["page"]), int(params["size"])
        if query == T2K_INSPIRE:
            pages = [
                [
                    (
                        inspire_hit(
                            1001,
                            ["Abe:2011ks"],
                            "10.1103/PhysRevLett.107.041801",
                            "Indication of electron neutrino appearance",
                            "1106.2822",
                        ),
                        inspire_bibtex(
                            "Abe:2011ks",
                            "10.1103/PhysRevLett.107.041801",
                            "Indication of electron neutrino appearance",
                            2011,
                            "1106.2822",
                        ),
                    ),
                    # The BibTeX export names this record by another key than its texkey.
                    (
                        inspire_hit(
                            1002,
                            ["Abe:2013hdq"],
                            "10.1103/PhysRevLett.112.061802",
                            "Observation of electron neutrino appearance",
                        ),
                        inspire_bibtex(
                            "T2K:2013upstream",
                            "10.1103/PhysRevLett.112.061802",
                            "Observation of electron neutrino appearance",
                            2014,
                        ),
                    ),
                ],
                [
                    (
                        inspire_hit(
                            1003,
                            ["T2K:2019bcf"],
                            "10.1038/s41586-020-2177-0",
                            "Constraint on the matter-antimatter symmetry-violating phase",
                        ),
                        inspire_bibtex(
                            "T2K:2019bcf",
                            "10.1038/s41586-020-2177-0",
                            "Constraint on the matter-antimatter phase",
                            2020,
                        ),
                    ),
                    # An upstream key that a handbook entry already uses, for another paper.
                    (
                        inspire_hit(
                            1004,
                            ["T2K_NIM_2011"],
                            "10.1103/PhysRevD.96.092006",
                            "Measurement of neutrino and antineutrino oscillations",
                        ),
                        inspire_bibtex(
                            "T2K_NIM_2011",
                            "10.1103/PhysRevD.96.092006",
                            "Measurement of neutrino and antineutrino oscillations",
                            2017,
                        ),
                    ),
                ],
            ]
        elif query == KAGRA_INSPIRE:
            pages = []
        else:
            pages = []
        assert size == 2, "the tests ask for pages of two records"
        if params.get("format") == "bibtex":
            chunk = pages[page - 1] if page <= len(pages) else []
            return (
                200,
                {"Content-Type": "application/x-bibtex"},
                "".join(b for _, b in chunk).encode(),
            )
        calls = self.inspire_json_calls.get(f"{query}#{page}", 0) + 1
        self.inspire_json_calls[f"{query}#{page}"] = calls
        if query == T2K_INSPIRE and page == 2 and calls == 1:
            return 429, {"Retry-After": self.retry_after}, b"Too many requests"
        chunk = pages[page - 1] if page <= len(pages) else []
        links = {"self": "http://127.0.0.1/api/literature?page={page}"}
        if page < len(pages):
            links["next"] = f"http://127.0.0.1/api/literature?page={page + 1}"
        body = {
            "hits": {"total": sum(map(len, pages)), "hits": [h for h, _ in chunk]},
            "links": links,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def hal(self, params: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.fail_hal:
            return 503, {}, b"Service unavailable"
        query = params["q"]
        if "cursorMark" not in params:  # an identifier look-up for the HAL report
            docs = []
            if "10.1103/PhysRevD.96.092006" in query:  # HAL spells the DOI in upper case
                docs.append({"halId_s": "hal-00000004", "doiId_s": "10.1103/PHYSREVD.96.092006"})
            answer = {"response": {"numFound": len(docs), "start": 0, "docs": docs}}
            return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        cursor = params["cursorMark"]
        if query == T2K_HAL:
            pages = {
                "*": (
                    [
                        hal_doc(
                            "hal-00000001",
                            "abe:hal-00000001",
                            "10.1103/PhysRevLett.107.041801",
                            "Indication of electron neutrino appearance",
                            eprint="arXiv:1106.2822v2",
                        )
                    ],
                    "AoE1",
                ),
                "AoE1": (
                    [
                        hal_doc(
                            "hal-00000002",
                            "bronner:hal-00000002",
                            "10.1103/PhysRevD.105.032010",
                            "Near detector upgrade",
                        ),
                        hal_doc(
                            "hal-00000003",
                            "patent:hal-00000003",
                            "10.9999/patent.1",
                            "A detector patent",
                            kind="patent",
                        ),
                    ],
                    "AoE2",
                ),
                "AoE2": ([], "AoE2"),
            }
            docs, next_cursor = pages[cursor]
            total = 3
        else:
            docs, next_cursor, total = [], cursor, 0
        answer = {
            "response": {"numFound": total, "start": 0, "docs": docs},
            "nextCursorMark": next_cursor,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()


@dataclass
class ReplayServer:
    url: str
    services: Services
    requests: list[tuple[float, str, dict[str, str]]]


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """INSPIRE under /inspire/api and HAL under /hal, on 127.0.0.1 at a free port."""
    services, log = Services(), []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            log.append((time.monotonic(), parts.path, params))
            if parts.path == "/inspire/api/literature":
                status, headers, body = services.inspire(params)
            elif parts.path == "/hal/search/":
                status, headers, body = services.hal(params)
            else:
                status, headers, body = 404, {}, b"not found"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ReplayServer(f"http://127.0.0.1:{server.server_port}", services, log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A handbook bibliography and a queries file; snapshots go to <tmp>/bib/publications."""
    (tmp_path / "bib" / "publications").mkdir(parents=True)
    (tmp_path / "bib" / "lab.bib").write_text(HANDBOOK_BIB, encoding="utf-8")
    (tmp_path / "bib" / "publications" / "queries.toml").write_text(QUERIES, encoding="utf-8")
    return tmp_path


def run_harvest(
    replay: ReplayServer, workspace: Path, *extra: str, today: str = "2026-12-07"
) -> int:
    return cli.main(
        [
            "--bib",
            str(workspace / "bib"),
            "--today",
            today,
            "--page-size",
            "2",
            "--inspire-url",
            f"{replay.url}/inspire/api",
            "--hal-url",
            f"{replay.url}/hal",
            "--min-wait-after-429",
            "1",
            *extra,
        ]
    )


def snapshot_files(workspace: Path) -> dict[str, bytes]:
    folder = workspace / "bib" / "publications"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def bib_keys(path: Path) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", path.read_text(encoding="utf-8"), re.MULTILINE)


def test_a_harvest_writes_snapshots_with_provenance(replay: ReplayServer, workspace: Path) -> None:
    assert run_harvest(replay, workspace, "--programme", "t2k", "--programme", "kagra") == 0
    out = workspace / "bib" / "publications"

    # Texkeys are kept, colon and all; the BibTeX answer's own key did not replace the texkey;
    # the paper the handbook cites is not copied; the key the handbook uses is renamed.
    keys = bib_keys(out / "t2k.bib")
    assert sorted(keys) == sorted(
        ["Abe:2011ks", "Abe:2013hdq", "T2K_NIM_2011-inspire1004", "bronner:hal-00000002"]
    )
    assert "T2K:2013upstream" not in (out / "t2k.bib").read_text(encoding="utf-8")
    assert "10.1038/s41586-020-2177-0" not in (out / "t2k.bib").read_text(encoding="utf-8")

    sidecar = json.loads((out / "t2k.json").read_text(encoding="utf-8"))
    assert sidecar["harvested"] == "2026-12-07"
    sources = {s["source"]: s for s in sidecar["sources"]}
    assert sources["inspire"]["query"] == T2K_INSPIRE
    assert sources["inspire"]["records"] == ["1001", "1002", "1003", "1004"]
    assert sources["inspire"]["total"] == 4 and not sources["inspire"]["truncated"]
    assert sources["hal"]["query"] == T2K_HAL
    assert sources["hal"]["records"] == ["hal-00000001", "hal-00000002", "hal-00000003"]
    entries = {e["key"]: e for e in sidecar["entries"]}
    # Merged by arXiv identifier although HAL wrote "arXiv:1106.2822v2".
    assert entries["Abe:2011ks"]["hal"] == ["hal-00000001"]
    assert entries["Abe:2011ks"]["inspire"] == "1001"
    assert entries["Abe:2013hdq"]["upstream_key"] == "T2K:2013upstream"
    assert entries["T2K:2019bcf"]["handbook_key"] == "T2K_Nature_2020"
    assert entries["T2K_NIM_2011-inspire1004"]["renamed_from"] == "T2K_NIM_2011"
    assert entries["bronner:hal-00000002"]["inspire"] is None
    # An entry type the bibliography linter does not accept is left out, with the reason.
    assert "patent:hal-00000003" in sidecar["rejected"]
    assert "unknown entry type @patent" in sidecar["rejected"]["patent:hal-00000003"]

    # The empty result is an honest, dated, empty snapshot.
    kagra = json.loads((out / "kagra.json").read_text(encoding="utf-8"))
    assert kagra["harvested"] == "2026-12-07" and kagra["entries"] == []
    assert bib_keys(out / "kagra.bib") == []

    # The linter accepts what was written.
    assert bibtex_lint.lint_snapshots(sorted(out.glob("*.bib"))) == []


def test_the_hal_report_lists_inspire_papers_that_hal_does_not_hold(
    replay: ReplayServer, workspace: Path
) -> None:
    assert run_harvest(replay, workspace, "--programme", "t2k", "--programme", "kagra") == 0
    out = workspace / "bib" / "publications"
    report = json.loads((out / "hal-missing.json").read_text(encoding="utf-8"))
    # 1001 is in HAL's programme search, and 1004 only in the identifier look-up (HAL spells
    # its DOI in upper case): 1002 and 1003 are missing.
    # 1003, the paper the handbook cites, counts too: the follow-up is about every paper.
    t2k = report["programmes"]["t2k"]
    assert t2k["inspire_papers"] == 4
    assert [p["inspire"] for p in t2k["missing"]] == ["1003", "1002"]
    assert report["programmes"]["kagra"] == {"inspire_papers": 0, "missing": []}
    markdown = (out / "hal-missing.md").read_text(encoding="utf-8")
    assert "2 of the 4 INSPIRE-HEP papers of this programme have no HAL deposit." in markdown
    assert "https://inspirehep.net/literature/1002" in markdown
    assert "`Abe:2013hdq`" in markdown
    assert "The harvest found no INSPIRE-HEP paper for this programme." in markdown


def test_paging_rate_limit_and_429_follow_the_documented_protocols(
    replay: ReplayServer, workspace: Path
) -> None:
    assert run_harvest(replay, workspace, "--programme", "t2k") == 0
    inspire_calls = [(t, p) for t, path, p in replay.requests if path.startswith("/inspire")]
    json_pages = [p["page"] for _, p in inspire_calls if "fields" in p]
    bibtex_pages = [p["page"] for _, p in inspire_calls if p.get("format") == "bibtex"]
    assert json_pages == ["1", "2", "2"]  # page 2 refused once with 429, then asked again
    assert bibtex_pages == ["1", "2"]
    assert all(p["sort"] == "mostrecent" and p["size"] == "2" for _, p in inspire_calls)
    refused, retried = [t for t, p in inspire_calls if p["page"] == "2" and "fields" in p]
    assert retried - refused >= 1.0, "the Retry-After of 1 s was not honoured"
    cursors = [
        p["cursorMark"]
        for _, path, p in replay.requests
        if path.startswith("/hal") and "cursorMark" in p
    ]
    assert cursors == ["*", "AoE1", "AoE2"]  # stops when nextCursorMark repeats the cursor
    hal_calls = [p for _, path, p in replay.requests if path.startswith("/hal")]
    assert all(p["wt"] == "json" for p in hal_calls)
    assert all(p["sort"] == "docid asc" for p in hal_calls if "cursorMark" in p)


def test_a_second_run_with_the_same_answers_changes_no_file(
    replay: ReplayServer, workspace: Path
) -> None:
    assert run_harvest(replay, workspace, "--programme", "t2k", "--programme", "kagra") == 0
    first = snapshot_files(workspace)
    replay.services.inspire_json_calls.clear()
    assert (
        run_harvest(
            replay, workspace, "--programme", "t2k", "--programme", "kagra", today="2026-12-14"
        )
        == 0
    )
    assert snapshot_files(workspace) == first, "an unchanged harvest would open a weekly PR"


def test_a_failing_service_leaves_the_snapshots_as_they_were(
    replay: ReplayServer, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--bib", str(workspace / "bib"), "--placeholders"]) == 0
    before = snapshot_files(workspace)
    replay.services.fail_hal = True
    assert run_harvest(replay, workspace) == 2
    error = capsys.readouterr().err
    assert "HTTP 503" in error and "no snapshot was changed" in error
    assert "Traceback" not in error
    assert snapshot_files(workspace) == before


def test_a_retry_after_longer_than_the_bound_stops_the_harvest(
    replay: ReplayServer, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replay.services.retry_after = "3600"
    started = time.monotonic()
    assert run_harvest(replay, workspace, "--programme", "t2k", "--max-wait", "30") == 2
    assert time.monotonic() - started < 20
    assert "asks to wait 3600 s, longer than the 30 s" in capsys.readouterr().err


def test_the_rate_limiter_allows_15_requests_in_any_5_seconds() -> None:
    now = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    for _ in range(15):
        assert limiter.wait_for_slot() == 0.0
    assert limiter.wait_for_slot() == pytest.approx(5.0)  # the 16th waits for the window
    assert pauses == [pytest.approx(5.0)]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    assert retry_after_seconds("7") == 7.0
    now = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Mon, 07 Dec 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None


def test_an_unreachable_service_is_a_clear_error() -> None:
    fetcher = Fetcher(timeout=2, sleep=lambda _s: None)
    with pytest.raises(HarvestError, match="cannot connect"):
        inspire.harvest(fetcher, "t T2K", base_url="http://127.0.0.1:9/api")
    with pytest.raises(HarvestError, match="cannot connect"):
        hal.harvest(fetcher, "T2K", base_url="http://127.0.0.1:9")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[programmes.T2K]\ninspire = 'x'\n", "use lower-case letters"),
        ("[programmes.t2k]\narxiv = 'x'\n", "unknown source 'arxiv'"),
        ("[programmes.t2k]\ninspire = ''\n", "inspire must be a query text"),
        ("[other]\n", "no [programmes.<name>] table"),
        ("[programmes.t2k\n", "queries.toml"),
    ],
)
def test_a_wrong_queries_file_is_reported_with_its_name(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "queries.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        read_programmes(path)
    assert str(path) in str(error.value)


# -- The lists on pages -------------------------------------------------------------------


@pytest.fixture
def rendered(replay: ReplayServer, workspace: Path, app: SphinxTestApp) -> str:
    """The test root built with snapshots harvested from the replay server (t2k, kagra) and
    one never refreshed (ilc)."""
    assert run_harvest(replay, workspace, "--programme", "t2k", "--programme", "kagra") == 0
    assert cli.main(["--bib", str(workspace / "bib"), "--placeholders"]) == 0
    shutil.copytree(workspace / "bib" / "publications", app.srcdir / "snapshots")
    app.build()
    assert app.warning.getvalue() == ""
    return (app.outdir / "index.html").read_text(encoding="utf-8")


def section(html: str, heading: str) -> str:
    start = html.index(f">{heading}<")
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


def test_a_harvested_list_shows_each_paper_with_its_links(rendered: str) -> None:
    t2k = section(rendered, "T2K")
    assert "Harvested from INSPIRE-HEP and HAL on 2026-12-07" in t2k
    assert "Papers found: 5; already in the handbook’s bibliography and listed above: 1." in t2k
    assert "T2K Collaboration (2011). <em>Indication of electron neutrino appearance</em>" in t2k
    assert "Phys. Rev. Lett. 107, 041801" in t2k
    assert 'href="https://doi.org/10.1103/physrevlett.107.041801"' in t2k
    assert 'href="https://arxiv.org/abs/1106.2822"' in t2k
    assert 'href="https://inspirehep.net/literature/1001"' in t2k
    assert 'href="https://hal.science/hal-00000001"' in t2k
    assert "Abe et al. (2022). <em>Near detector upgrade</em>" in t2k  # a HAL-only paper
    # The paper the handbook cites is not listed a second time.
    assert "matter-antimatter" not in t2k
    assert t2k.count("<li>") == 4


def test_an_empty_or_never_refreshed_list_says_so(rendered: str) -> None:
    kagra = section(rendered, "KAGRA")
    assert "The harvest of 2026-12-07" in kagra and "found no paper" in kagra
    assert "<li>" not in kagra
    ilc = section(rendered, "ILC")
    assert "Not harvested yet" in ilc and "has not been refreshed from those services" in ilc


def test_a_page_naming_a_missing_snapshot_fails_with_its_file_and_line(
    app: SphinxTestApp,
) -> None:
    (app.srcdir / "snapshots").mkdir()
    app.build()
    warnings = app.warning.getvalue()
    assert (
        "index.md:5: ERROR: harvested-publications: cannot read the snapshot of 't2k'" in warnings
    )
    assert "Traceback" not in warnings


def test_a_new_snapshot_rebuilds_the_page_that_lists_it(
    replay: ReplayServer, workspace: Path, app: SphinxTestApp
) -> None:
    """The weekly pull request changes only bib/publications/: the page must follow."""
    assert cli.main(["--bib", str(workspace / "bib"), "--placeholders"]) == 0
    snapshots = app.srcdir / "snapshots"
    shutil.copytree(workspace / "bib" / "publications", snapshots)
    app.build()
    assert "Not harvested yet" in section(
        (app.outdir / "index.html").read_text(encoding="utf-8"), "T2K"
    )
    assert run_harvest(replay, workspace, "--programme", "t2k") == 0
    for name in ("t2k.bib", "t2k.json"):
        shutil.copy2(workspace / "bib" / "publications" / name, snapshots / name)
    app.build()
    assert app.warning.getvalue() == ""  # neither build warned
    t2k = section((app.outdir / "index.html").read_text(encoding="utf-8"), "T2K")
    assert "Not harvested yet" not in t2k and "Indication of electron neutrino appearance" in t2k


# -- The committed snapshots and the real handbook ----------------------------------------

COMMITTED = PROJECT_ROOT / "bib" / "publications"


def test_every_programme_has_a_committed_snapshot_that_passes_the_linter() -> None:
    programmes = read_programmes(COMMITTED / "queries.toml")
    for programme in programmes:
        sidecar = json.loads((COMMITTED / f"{programme.name}.json").read_text(encoding="utf-8"))
        assert sidecar["programme"] == programme.name
        assert {s["source"] for s in sidecar["sources"]} <= set(programme.queries)
        assert (COMMITTED / f"{programme.name}.bib").is_file()
        # Never refreshed here: no record may appear without a harvest date.
        if sidecar["harvested"] is None:
            assert sidecar["entries"] == [] and bib_keys(COMMITTED / f"{programme.name}.bib") == []
    assert bibtex_lint.lint_snapshots(sorted(COMMITTED.glob("*.bib"))) == []
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    assert "not been refreshed from the live services" in readme


@pytest.mark.site  # the one test here that builds the real handbook
def test_every_programme_page_shows_its_publication_list(site: Build) -> None:
    names = {p.name for p in read_programmes(COMMITTED / "queries.toml")}
    pages = {p.stem for p in (PROJECT_ROOT / "research" / "programmes").glob("*.md")}
    assert names == pages
    for name in sorted(names):
        html = (site.html / "research" / "programmes" / f"{name}.html").read_text(encoding="utf-8")
        block = html.split('class="harvested-publications', 1)[1].split("</div>", 1)[0]
        sidecar = json.loads((COMMITTED / f"{name}.json").read_text(encoding="utf-8"))
        if sidecar["harvested"] is None:
            assert "Not harvested yet" in block, name
        else:
            assert sidecar["harvested"] in block, name


def test_the_weekly_workflow_harvests_and_proposes_a_pull_request() -> None:
    import yaml

    workflow = yaml.safe_load(
        (PROJECT_ROOT / ".github" / "workflows" / "publications.yml").read_text(encoding="utf-8")
    )
    assert workflow[True]["schedule"] and "workflow_dispatch" in workflow[True]
    assert workflow["permissions"] == {}
    harvest, propose = workflow["jobs"]["harvest"], workflow["jobs"]["propose"]
    assert any("make publications" in step.get("run", "") for step in harvest["steps"])
    assert harvest["permissions"] == {"contents": "read"}
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert any("gh pr create" in step.get("run", "") for step in propose["steps"])


def test_the_linter_keeps_texkeys_but_not_duplicates_or_bad_entries(tmp_path: Path) -> None:
    snapshot = tmp_path / "t2k.bib"
    snapshot.write_text(
        '@article{Abe:2011ks,\n  author = "Abe, K. and others", title = "{A}",\n'
        '  journal = "Phys. Rev. Lett.", year = "2011", doi = "10.1103/PhysRevLett.107.041801"\n}\n'
        '@article{Abe:2013hdq,\n  author = "Abe, K.", title = "{B}", journal = "PRL",\n'
        '  year = "2014", doi = "10.1103/physrevlett.107.041801"\n}\n'
        '@patent{Abe:2020pat,\n  author = "Abe, K.", title = "{C}", year = "2020",\n'
        '  url = "https://hal.science/hal-00000003"\n}\n',
        encoding="utf-8",
    )
    messages = [p.message for p in bibtex_lint.lint_snapshots([snapshot])]
    assert not any("convention" in m for m in messages)  # INSPIRE texkeys are fine here
    assert any("Abe:2020pat: unknown entry type @patent" in m for m in messages)
    assert any("Abe:2013hdq: same DOI" in m for m in messages)
