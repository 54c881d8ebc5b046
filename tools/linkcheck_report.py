"""Tier 2 link check: every external link, checked by Sphinx, reported page by page.

Run as ``python tools/linkcheck_report.py SOURCEDIR OUTDIR [-- SPHINX_OPTION ...]`` (``make
linkcheck`` does, and the weekly workflow). It runs Sphinx's ``linkcheck`` builder, bounded by
_ext/handbook/links/linkcheck_bounds.py, then turns ``OUTDIR/output.json`` into ``report.md`` (the
body of the tracking issue) and ``report.json``, grouped by page: broken, redirected, timed out,
ignored.

Why a report of our own: Sphinx's output.json puts ``code: 0`` on broken links, so the HTTP
status survives only inside the ``info`` text, and output.txt is one line a problem with no
grouping. Why a subprocess: a hard wall-clock bound (``--hard-timeout``) that holds even if
something outside the bounded check hangs; it should never fire, since ``linkcheck_deadline``
in conf.py stops the check itself much earlier.

Exit status: 0 when no link is broken, 1 when one is, 2 when the check did not run to its end.
``make`` turns every failure into its own status 2, so the workflow reads ``finished`` in
report.json instead: it alerts when the check did not finish, not when links are broken
(the tracking issue says that).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

#: Report sections, in the order a writer should act on them, with their headings.
SECTIONS = {
    "broken": "Broken",
    "redirected": "Redirected",
    "timeout": "Timed out or unavailable",
    "ignored": "Ignored on purpose",
}
#: Statuses counted in the summary but not listed link by link.
COUNTED_ONLY = {"working": "Working", "unchecked": "Not checked (mailto:, tel:, local files)"}
#: GitHub refuses issue bodies over 65 536 characters; leave room for the workflow's footer.
ISSUE_BODY_LIMIT = 60_000
#: Backstop for the whole sphinx-build run; conf.py's linkcheck_deadline is the real bound.
DEFAULT_HARD_TIMEOUT = 30 * 60
#: Outputs of a previous run, removed first so that a failed run cannot pass for a good one.
OUTPUTS = ("output.json", "output.txt", "bounds.json", "report.md", "report.json")
README_SECTION = "README.md, “When the weekly link report lists a broken link”"

HTTP_ERROR = re.compile(r"^(\d{3}) (?:Client|Server) Error: (.*?)(?: for url: .*)?$", re.DOTALL)
REQUEST_TIMEOUT = re.compile(r"\((?:read|connect) timeout=([\d.]+)\)")
#: Short, readable causes for the long exception texts requests produces.
KNOWN_CAUSES = (
    (
        re.compile(r"NameResolutionError|Name or service not known|getaddrinfo failed"),
        "the host name does not resolve",
    ),
    (re.compile(r"Connection refused"), "connection refused"),
    (re.compile(r"CERTIFICATE_VERIFY_FAILED|SSLError|SSL:"), "TLS (https) certificate problem"),
    (re.compile(r"Exceeded \d+ redirects"), "too many redirects"),
    (
        re.compile(r"RemoteDisconnected|Connection aborted|Connection reset"),
        "the server closed the connection",
    ),
)


@dataclass(frozen=True)
class LinkResult:
    """One line of Sphinx's output.json, with what a reader needs pulled out of ``info``."""

    page: str
    line: int
    status: str
    uri: str
    info: str
    reason: str
    http_status: int | None
    target: str | None  # where a redirect ends


@dataclass(frozen=True)
class Run:
    """How the sphinx-build run ended: its status (None if killed) and how long it took."""

    returncode: int | None
    seconds: float
    hard_timeout: float


def http_status(status: str, info: str, code: int) -> int | None:
    """The HTTP status of a result: from ``code`` when Sphinx fills it, else from ``info``."""
    if code:
        return code
    if status == "broken":
        if match := HTTP_ERROR.match(info):
            return int(match.group(1))
        if info == "unauthorized":
            return 401
    return None


def explain(status: str, info: str, code: int) -> str:
    """A one-line cause a writer can act on, instead of a Python exception text."""
    if status == "redirected":
        return f"HTTP {code}" if code else "redirected"
    if match := HTTP_ERROR.match(info):
        return f"HTTP {match.group(1)} {match.group(2)}"
    if info == "unauthorized":
        return "HTTP 401 Unauthorized (needs a login)"
    if match := REQUEST_TIMEOUT.search(info):
        return f"no answer within {float(match.group(1)):g} s"
    for pattern, cause in KNOWN_CAUSES:
        if pattern.search(info):
            return cause
    if not info:
        return "ignored" if status == "ignored" else "no details from Sphinx"
    first_line = info.strip().splitlines()[0]
    return first_line if len(first_line) <= 200 else first_line[:199] + "…"


def parse_output(path: Path) -> list[LinkResult]:
    """Read output.json (one JSON object a line); a line cut by a killed run is skipped."""
    results = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(raw)
        except json.JSONDecodeError:
            continue
        status, info, code = row["status"], row.get("info", ""), int(row.get("code") or 0)
        results.append(
            LinkResult(
                page=row["filename"],
                line=int(row.get("lineno") or 0),
                status=status,
                uri=row["uri"],
                info=info,
                reason=explain(status, info, code),
                http_status=http_status(status, info, code),
                target=info if status == "redirected" else None,
            )
        )
    return results


def build_report(
    results: list[LinkResult], run: Run, bounds: dict[str, object] | None, problem: str | None
) -> dict[str, object]:
    """The report as data: counts, then the links that need a look, grouped by page."""
    pages: dict[str, dict[str, list[dict[str, object]]]] = {}
    for result in sorted(results, key=lambda r: (r.page, r.line, r.uri)):
        if result.status in SECTIONS:
            entry = {k: v for k, v in asdict(result).items() if k not in ("page", "status")}
            pages.setdefault(result.page, {}).setdefault(result.status, []).append(entry)
    # Pages with broken links first, as the ones to fix; then by name.
    order = sorted(pages, key=lambda page: (not pages[page].get("broken"), page))
    counts = Counter(result.status for result in results)
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "finished": problem is None,
        "problem": problem,
        "seconds": round(run.seconds, 1),
        "hard_timeout": run.hard_timeout,
        "bounds": bounds,
        "counts": {status: counts.get(status, 0) for status in [*SECTIONS, *COUNTED_ONLY]},
        "pages": [{"page": page, "links": pages[page]} for page in order],
    }


def _link(uri: str) -> str:
    return f"<{uri}>" if re.fullmatch(r"[^\s<>]+", uri) else f"`{uri.replace('`', '')}`"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _short(reason: str) -> str:
    """The first clause of an ignore reason; the whole reason is printed once, above."""
    return reason.split(";")[0]


def _page_block(page: dict[str, object]) -> str:
    lines = [f"### `{page['page']}`", ""]
    links: dict[str, list[dict[str, object]]] = page["links"]  # type: ignore[assignment]
    for status, heading in SECTIONS.items():
        for entry in links.get(status, []):
            where = f"line {entry['line']}" if entry["line"] else "line unknown"
            text = _link(str(entry["uri"]))
            reason = str(entry["reason"])
            if status == "redirected":
                text += f" → {_link(str(entry['target']))}"
            elif status == "ignored":
                reason = _short(reason)
            lines.append(f"- **{heading}**, {where}: {text} — {reason}")
    return "\n".join(lines) + "\n"


def _ignore_reasons(report: dict[str, object]) -> list[str]:
    reasons = {
        str(entry["reason"])
        for page in report["pages"]  # type: ignore[union-attr]
        for entry in page["links"].get("ignored", [])
    }
    return sorted(reasons)


def render_markdown(report: dict[str, object], limit: int = ISSUE_BODY_LIMIT) -> str:
    """The report for a reader: what to do first, then page by page; cut to fit an issue."""
    counts: dict[str, int] = report["counts"]  # type: ignore[assignment]
    bounds = report["bounds"] or {}
    head = ["# External link report", ""]
    if report["problem"]:
        head += [
            f"> **The check did not run to its end:** {report['problem']}. The lists "
            "below are what it found before that.",
            "",
        ]
    summary = (
        f"{sum(counts.values())} links on {report['generated'][:10]}, in "
        f"{_duration(report['seconds'])}."
    )
    if bounds:
        summary += (
            f" Bounds: {bounds['timeout']:g} s a request, {bounds['retries']} attempts, "
            f"{_duration(float(bounds['rate_limit_timeout']))} for a rate-limited site, "
            f"{_duration(float(bounds['deadline']))} for the whole check."
        )
    head += [summary, "", "| Result | Links |", "|---|---|"]
    head += [f"| {name} | {counts[status]} |" for status, name in SECTIONS.items()]
    head += [f"| {name} | {counts[status]} |" for status, name in COUNTED_ONLY.items()]
    head += [
        "",
        "Only broken links fail the check. Redirected links still work: update them to where "
        "they lead. Timed-out and unavailable links are checked again next week. "
        f"What to do with each: {README_SECTION}.",
    ]
    if reasons := _ignore_reasons(report):
        head += ["", "Links ignored on purpose are never requested:", ""]
        head += [f"- {reason}." for reason in reasons]
    head += ["", "## Links by page"]
    if not report["pages"]:
        head += ["", "Every link works."]
    text = "\n".join(head) + "\n"
    cut = (
        "\n_The report is longer than an issue allows; the full report.md and report.json "
        "are in the artifact of the workflow run._\n"
    )
    for page in report["pages"]:  # type: ignore[union-attr]
        block = "\n" + _page_block(page)
        if len(text) + len(block) > limit - len(cut):
            return text + cut
        text += block
    return text


def run_sphinx(source: Path, outdir: Path, options: list[str], hard_timeout: float) -> Run:
    """sphinx-build -b linkcheck in its own process group, killed whole at the hard timeout."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "linkcheck",
        "-j",
        "auto",
        *options,
        str(source),
        str(outdir),
    ]
    started = time.monotonic()
    process = subprocess.Popen(command, start_new_session=True)
    try:
        returncode: int | None = process.wait(timeout=hard_timeout)
    except subprocess.TimeoutExpired:
        returncode = None
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
    return Run(returncode, time.monotonic() - started, hard_timeout)


def problem_with(run: Run, outdir: Path) -> str | None:
    """Why the run cannot be trusted to be complete, if it cannot."""
    if run.returncode is None:
        return f"sphinx-build was stopped at the hard timeout of {_duration(run.hard_timeout)}"
    if run.returncode not in (0, 1):  # 1 means broken or timed-out links: a normal outcome
        return f"sphinx-build failed with exit status {run.returncode} (see its log)"
    if not (outdir / "output.json").exists():
        return "sphinx-build wrote no output.json"
    if not (outdir / "bounds.json").exists():
        return "no bounds.json: the linkcheck_bounds extension is not loaded, so nothing bounds it"
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Everything after "--" goes to sphinx-build untouched (argparse would read -D as ours).
    ours, sphinx_options = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if ("--" in argv) else (argv, [])
    )
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        usage="%(prog)s [--hard-timeout SECONDS] SOURCEDIR OUTDIR [-- SPHINX_OPTION ...]",
    )
    parser.add_argument("source", type=Path, help="the Sphinx project (folder of conf.py)")
    parser.add_argument("outdir", type=Path, help="where output.json and the reports go")
    parser.add_argument(
        "--hard-timeout",
        type=float,
        default=DEFAULT_HARD_TIMEOUT,
        help="seconds after which sphinx-build is killed (default: %(default)s)",
    )
    args = parser.parse_args(ours)
    args.sphinx_options = sphinx_options

    args.outdir.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (args.outdir / name).unlink(missing_ok=True)

    run = run_sphinx(args.source, args.outdir, args.sphinx_options, args.hard_timeout)
    problem = problem_with(run, args.outdir)
    output = args.outdir / "output.json"
    results = parse_output(output) if output.exists() else []
    bounds_file = args.outdir / "bounds.json"
    bounds = json.loads(bounds_file.read_text(encoding="utf-8")) if bounds_file.exists() else None

    report = build_report(results, run, bounds, problem)
    (args.outdir / "report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (args.outdir / "report.md").write_text(render_markdown(report), encoding="utf-8")

    for result in results:
        if result.status == "broken":
            print(f"{result.page}:{result.line}: {result.uri} ({result.reason})")
    counts = ", ".join(f"{n} {s}" for s, n in report["counts"].items())  # type: ignore[union-attr]
    print(f"linkcheck: {counts} in {_duration(run.seconds)}; report: {args.outdir / 'report.md'}")
    if problem:
        print(f"linkcheck: the check did not run to its end: {problem}", file=sys.stderr)
        return 2
    return 1 if report["counts"]["broken"] else 0  # type: ignore[index]


if __name__ == "__main__":
    sys.exit(main())
