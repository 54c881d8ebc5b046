"""The committed snapshots: a ``.bib`` file and a JSON sidecar per programme, and the report
of papers that INSPIRE-HEP lists and HAL does not.

Why a sidecar: a reader of a publication list, and a reviewer of the weekly pull request,
must be able to tell where each entry came from, which query found it and when. The
sidecar says so; the ``.bib`` file stays plain BibTeX that anyone can download and reuse.

Why files stay untouched when nothing changed: the weekly workflow opens a pull request
when the snapshots differ. A date rewritten every week would open one every week, so
``harvested`` is the date of the harvest that last changed the snapshot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pybtex.database import BibliographyData

from .merge import Publication
from .records import SourceHarvest

SIDECAR_VERSION = 1
#: What a snapshot says before any harvest from the live services has filled it.
NEVER_REFRESHED = (
    "Never refreshed from the live services: this snapshot was committed empty, and "
    "`make publications` (run weekly by .github/workflows/publications.yml) fills it from "
    "INSPIRE-HEP and HAL."
)
HARVESTED = "Harvested from INSPIRE-HEP and HAL by `make publications`."


def _arxiv(paper: Publication) -> str | None:
    return next(
        (i.removeprefix("arxiv:") for i in sorted(paper.identifiers) if i.startswith("arxiv:")),
        None,
    )


def _doi(paper: Publication) -> str | None:
    return next(
        (i.removeprefix("doi:") for i in sorted(paper.identifiers) if i.startswith("doi:")), None
    )


def _entry_record(paper: Publication) -> dict[str, Any]:
    record: dict[str, Any] = {
        "key": paper.key,
        "title": paper.title,
        "year": paper.year,
        "inspire": paper.inspire_id,
        "hal": sorted(paper.hal_ids),
        "doi": _doi(paper),
        "arxiv": _arxiv(paper),
    }
    if paper.upstream_key:
        record["upstream_key"] = paper.upstream_key  # INSPIRE's BibTeX used another texkey
    if paper.renamed_from:
        record["renamed_from"] = paper.renamed_from  # the key was taken in bib/
    if paper.handbook_key:
        record["handbook_key"] = paper.handbook_key  # listed from bib/, not from the snapshot
    return record


def _source_record(harvest: SourceHarvest) -> dict[str, Any]:
    return {
        "source": harvest.source,
        "endpoint": harvest.endpoint,
        "query": harvest.query,
        "total": harvest.total,
        "truncated": harvest.truncated,
        "records": [r.record_id for r in harvest.records],
        "skipped": harvest.skipped,
    }


def bibtex_text(programme: str, papers: list[Publication], note: str) -> str:
    """The snapshot's ``.bib`` text: a comment saying what it is, then the entries."""
    data = BibliographyData(entries={p.key: p.entry for p in papers if p.in_snapshot})
    body = data.to_string("bibtex") if data.entries else ""
    header = (
        f"% Publications of the programme '{programme}' (bib/publications/{programme}.json "
        f"says where each entry comes from).\n% {note}\n"
    )
    return header + ("\n" + body if body else "")


@dataclass
class Snapshot:
    """What one programme's files hold, before the date is added."""

    programme: str
    papers: list[Publication]
    harvests: list[SourceHarvest]
    #: Papers left out because the bibliography linter rejects their entry: key -> reason.
    rejected: dict[str, str] = field(default_factory=dict)

    def sidecar(self, harvested: str | None) -> dict[str, Any]:
        return {
            "version": SIDECAR_VERSION,
            "programme": self.programme,
            "harvested": harvested,
            "note": HARVESTED if harvested else NEVER_REFRESHED,
            "sources": [_source_record(h) for h in self.harvests],
            "entries": [_entry_record(p) for p in self.papers],
            "rejected": dict(sorted(self.rejected.items())),
        }


def read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(snapshot: Snapshot, out_dir: Path, today: str) -> bool:
    """Write the programme's files unless they already hold the same records; True if written."""
    bib_path = out_dir / f"{snapshot.programme}.bib"
    json_path = out_dir / f"{snapshot.programme}.json"
    old = read_sidecar(json_path)
    new = snapshot.sidecar(today)
    bib = bibtex_text(snapshot.programme, snapshot.papers, HARVESTED)
    if (
        old is not None
        and old.get("harvested")
        and {**old, "harvested": today} == new
        and bib_path.is_file()
        and bib_path.read_text(encoding="utf-8") == bib
    ):
        return False
    out_dir.mkdir(parents=True, exist_ok=True)
    bib_path.write_text(bib, encoding="utf-8")
    json_path.write_text(_json_text(new), encoding="utf-8")
    return True


def write_placeholder(programme: str, queries: dict[str, str], out_dir: Path) -> bool:
    """An empty snapshot whose sidecar says it was never refreshed; False if one exists."""
    json_path = out_dir / f"{programme}.json"
    if json_path.exists():
        return False
    order = ["inspire", "hal"]
    harvests = [SourceHarvest(source, queries[source], "") for source in order if source in queries]
    sidecar = Snapshot(programme, [], harvests).sidecar(None)
    for source in sidecar["sources"]:
        source["endpoint"] = None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{programme}.bib").write_text(
        bibtex_text(programme, [], NEVER_REFRESHED), encoding="utf-8"
    )
    json_path.write_text(_json_text(sidecar), encoding="utf-8")
    return True


def missing_from_hal(snapshots: list[Snapshot], deposits: dict[str, str]) -> dict[str, Any]:
    """Per programme, how many INSPIRE papers it has, and those that no HAL record matches."""
    report: dict[str, Any] = {}
    for snapshot in snapshots:
        on_inspire = [p for p in snapshot.papers if p.inspire_id]
        missing = [
            p for p in on_inspire if not p.hal_ids and not any(i in deposits for i in p.identifiers)
        ]
        report[snapshot.programme] = {
            "inspire_papers": len(on_inspire),
            "missing": [_entry_record(p) for p in missing],
        }
    return report


def write_hal_report(report: dict[str, Any] | None, out_dir: Path, today: str | None) -> None:
    """``hal-missing.json`` for tools and ``hal-missing.md`` for people; None: not run yet."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "hal-missing.json", out_dir / "hal-missing.md"
    data = {"version": SIDECAR_VERSION, "harvested": today, "programmes": report or {}}
    old = read_sidecar(json_path)
    if old is not None and {**old, "harvested": today} == data and old.get("harvested"):
        return  # same papers as last time: keep the date of the run that found them
    json_path.write_text(_json_text(data), encoding="utf-8")
    md_path.write_text(_report_markdown(data), encoding="utf-8")


def _report_markdown(data: dict[str, Any]) -> str:
    lines = [
        "# Papers on INSPIRE-HEP without a HAL deposit",
        "",
        "For the CNRS open-science follow-up: each paper below is listed on INSPIRE-HEP "
        "for an ILANCE programme, and HAL holds no deposit with its DOI or arXiv "
        "identifier. Written by `make publications`; do not edit by hand.",
        "",
    ]
    if not data["harvested"]:
        lines += [
            "Not produced yet: the harvest has never run against the live services "
            "(see `bib/publications/README.md`).",
            "",
        ]
        return "\n".join(lines)
    lines += [f"Harvest of {data['harvested']}.", ""]
    for programme, counts in sorted(data["programmes"].items()):
        papers = counts["missing"]
        lines += [f"## {programme}", ""]
        if not counts["inspire_papers"]:
            lines += ["The harvest found no INSPIRE-HEP paper for this programme.", ""]
            continue
        if not papers:
            lines += [
                f"Each of the {counts['inspire_papers']} INSPIRE-HEP papers of this "
                "programme has a HAL deposit.",
                "",
            ]
            continue
        lines += [
            f"{len(papers)} of the {counts['inspire_papers']} INSPIRE-HEP papers of this "
            "programme have no HAL deposit.",
            "",
        ]
        lines += ["| INSPIRE record | Key | Title | DOI | arXiv |", "|---|---|---|---|---|"]
        for paper in papers:
            title = str(paper["title"]).replace("|", "\\|")
            lines.append(
                f"| [{paper['inspire']}](https://inspirehep.net/literature/"
                f"{paper['inspire']}) | `{paper['key']}` | {title} | "
                f"{paper['doi'] or ''} | {paper['arxiv'] or ''} |"
            )
        lines.append("")
    return "\n".join(lines)
