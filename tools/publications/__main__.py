"""``make publications``: harvest every programme, write the snapshots and the HAL report.

Nothing is written unless every request succeeded, so that a service that is down leaves
last week's snapshots as they were instead of emptying them. The bibliography linter
(``tools/bibtex_lint.py``) checks the written files; its problems fail the run.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import bibtex_lint

from . import hal, inspire, snapshot
from .config import ConfigError, Programme, read_programmes
from .http import Fetcher, HarvestError
from .merge import HandbookBibliography, merge
from .records import SourceHarvest

ROOT = Path(__file__).resolve().parents[2]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make publications", description=__doc__)
    parser.add_argument(
        "--bib",
        type=Path,
        default=ROOT / "bib",
        help="the handbook's bibliography folder (default: bib/)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="where snapshots go (default: <bib>/publications)"
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="the queries file (default: <out>/queries.toml)"
    )
    parser.add_argument(
        "--programme",
        action="append",
        default=None,
        help="harvest only this programme (repeatable)",
    )
    parser.add_argument(
        "--inspire-url",
        default=os.environ.get("INSPIRE_API_URL") or inspire.DEFAULT_BASE_URL,
        help="INSPIRE-HEP API base address",
    )
    parser.add_argument(
        "--hal-url",
        default=os.environ.get("HAL_API_URL") or hal.DEFAULT_BASE_URL,
        help="HAL API base address",
    )
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument(
        "--max-pages", type=int, default=20, help="pages per query at most (a bound, not a target)"
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=60.0,
        help="longest wait obeyed after an HTTP 429, in seconds",
    )
    parser.add_argument(
        "--min-wait-after-429",
        type=float,
        default=5.0,
        help="shortest wait after an HTTP 429, in seconds (INSPIRE counts "
        "refused requests in its 5-second window)",
    )
    parser.add_argument(
        "--today",
        default=datetime.now(UTC).date().isoformat(),
        help="the date written into changed sidecars (tests set it)",
    )
    parser.add_argument(
        "--placeholders",
        action="store_true",
        help="only write empty, never-refreshed snapshots for programmes "
        "that have none; no network",
    )
    return parser.parse_args(argv)


def _harvest(
    programme: Programme,
    args: argparse.Namespace,
    fetchers: dict[str, Fetcher],
) -> list[SourceHarvest]:
    harvests = []
    if "inspire" in programme.queries:
        harvests.append(
            inspire.harvest(
                fetchers["inspire"],
                programme.queries["inspire"],
                base_url=args.inspire_url,
                size=args.page_size,
                max_pages=args.max_pages,
            )
        )
    if "hal" in programme.queries:
        harvests.append(
            hal.harvest(
                fetchers["hal"],
                programme.queries["hal"],
                base_url=args.hal_url,
                rows=args.page_size,
                max_pages=args.max_pages,
            )
        )
    return harvests


def reject_unlintable(item: snapshot.Snapshot) -> None:
    """Leave out the entries the bibliography linter would reject, saying why in the sidecar.

    Why: one odd upstream record (an entry type the handbook does not use, a malformed DOI)
    must not fail the weekly run and hold back every other programme's update.
    """
    kept = []
    for paper in item.papers:
        if not paper.in_snapshot:
            kept.append(paper)
            continue
        entry = bibtex_lint.Entry(
            paper.key,
            paper.entry.type.lower(),
            Path(f"{item.programme}.bib"),
            1,
            {name.lower(): str(value) for name, value in paper.entry.fields.items()},
            {role.lower() for role in paper.entry.persons},
        )
        problems = list(bibtex_lint.check_entry(entry, key_convention=False))
        if problems:
            item.rejected[paper.key] = "; ".join(
                p.message.removeprefix(f"{paper.key}: ") for p in problems
            )
        else:
            kept.append(paper)
    item.papers = kept


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    out = args.out or args.bib / "publications"
    config = args.config or out / "queries.toml"
    try:
        programmes = read_programmes(config)
    except ConfigError as error:
        print(f"publications: {error}", file=sys.stderr)
        return 2
    if args.programme:
        unknown = sorted(set(args.programme) - {p.name for p in programmes})
        if unknown:
            print(f"publications: {config}: no programme {unknown[0]!r}", file=sys.stderr)
            return 2
        programmes = [p for p in programmes if p.name in args.programme]

    if args.placeholders:
        for programme in programmes:
            if snapshot.write_placeholder(programme.name, programme.queries, out):
                print(f"publications: {programme.name}: empty snapshot written")
        if not (out / "hal-missing.json").exists():
            snapshot.write_hal_report(None, out, None)
        return _lint(out)

    fetchers = {
        source: Fetcher(max_wait=args.max_wait, min_wait_after_429=args.min_wait_after_429)
        for source in ("inspire", "hal")
    }
    handbook = HandbookBibliography.read(sorted(args.bib.glob("*.bib")))
    try:
        snapshots = []
        for programme in programmes:
            harvests = _harvest(programme, args, fetchers)
            snapshots.append(snapshot.Snapshot(programme.name, merge(harvests, handbook), harvests))
        unmatched = [p for s in snapshots for p in s.papers if p.inspire_id and not p.hal_ids]
        deposits = hal.lookup_deposits(
            fetchers["hal"],
            [d for p in unmatched for d in (p.entry.fields.get("doi"), *p.dois) if d],
            [e for p in unmatched for e in (p.entry.fields.get("eprint"), *p.eprints) if e],
            base_url=args.hal_url,
        )
    except HarvestError as error:
        print(f"publications: {error}; no snapshot was changed", file=sys.stderr)
        return 2

    for source, fetcher in fetchers.items():
        for line in fetcher.log:
            print(f"publications: {source}: {line}")
        print(f"publications: {source}: {fetcher.requests} requests")
    for item in snapshots:
        reject_unlintable(item)
        written = snapshot.write(item, out, args.today)
        listed = sum(p.in_snapshot for p in item.papers)
        skipped = sum(len(h.skipped) for h in item.harvests)
        cut = " (cut short by --max-pages)" if any(h.truncated for h in item.harvests) else ""
        print(
            f"publications: {item.programme}: {len(item.papers)} papers, {listed} in the "
            f"snapshot, {len(item.papers) - listed} already in bib/, {skipped} records "
            f"skipped, {len(item.rejected)} rejected by the linter{cut}; "
            f"{'written' if written else 'unchanged'}"
        )
    report = snapshot.missing_from_hal(snapshots, deposits)
    snapshot.write_hal_report(report, out, args.today)
    missing = sum(len(counts["missing"]) for counts in report.values())
    print(
        f"publications: {missing} INSPIRE-HEP papers without a HAL "
        f"deposit ({out / 'hal-missing.md'})"
    )
    return _lint(out)


def _lint(out: Path) -> int:
    problems = bibtex_lint.lint_snapshots(sorted(out.glob("*.bib")))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
