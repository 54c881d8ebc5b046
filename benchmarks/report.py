"""The benchmark's report: the targets of the build-performance issue, and a Markdown table.

Every ratio is given on wall time (what a contributor waits) and on CPU time (the work
done, which another job on a shared machine disturbs less).
"""

from __future__ import annotations

from typing import Any

from .projects import SPEED_FIXES

FULL_SERIAL = "full build, serial"
FULL_PARALLEL = "full build, -j auto"
EDIT_BODY = "rebuild after editing one page's body"
EDIT_BODY_PREVIEW = "the same edit, rebuilt by the live preview (make serve)"
PLAIN = "full build without our extensions, serial"
BARE_SERIAL = "bare Sphinx full build, serial"
BARE_PARALLEL = "bare Sphinx full build, -j auto"
MKDOCS = "MkDocs Material full build"
NO_SPEEDUPS_SERIAL = "full build, serial, HANDBOOK_SPEEDUPS=0"
NO_SPEEDUPS_EDIT = "rebuild after editing one page's body, HANDBOOK_SPEEDUPS=0"


def _scenario(results: dict[str, Any], pages: int, name: str) -> dict[str, Any] | None:
    size = results["sizes"].get(str(pages))
    if size is None:
        return None
    return next((s for s in size["scenarios"] if s["scenario"] == name), None)


def _ratio(
    a: dict[str, Any] | None, b: dict[str, Any] | None, per_a: int = 1, per_b: int = 1
) -> dict[str, float] | None:
    if a is None or b is None:
        return None
    return {
        "wall": round((a["median_wall_s"] / per_a) / (b["median_wall_s"] / per_b), 2),
        "cpu": round((a["median_cpu_s"] / per_a) / (b["median_cpu_s"] / per_b), 2),
    }


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue that this run can judge, with the numbers behind it."""
    sizes = sorted(int(n) for n in results["sizes"])
    out: list[dict[str, Any]] = []

    def add(name: str, measured: Any, limit: str, met: bool | None, basis: str) -> None:
        out.append(
            {"target": name, "measured": measured, "limit": limit, "met": met, "basis": basis}
        )

    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for scenario in (FULL_SERIAL, FULL_PARALLEL):
            ratio = _ratio(
                _scenario(results, large, scenario),
                _scenario(results, small, scenario),
                large,
                small,
            )
            if ratio:
                add(
                    f"Linear: time per page at {large} / at {small} pages ({scenario})",
                    ratio,
                    "at most 1.5",
                    ratio["wall"] <= 1.5,
                    "wall",
                )
    if sizes:
        big = 800 if 800 in sizes else sizes[-1]
        for ours, bare in ((FULL_SERIAL, BARE_SERIAL), (FULL_PARALLEL, BARE_PARALLEL)):
            ratio = _ratio(_scenario(results, big, ours), _scenario(results, big, bare))
            if ratio:
                add(
                    f"Full build at {big} pages vs bare Sphinx ({ours})",
                    ratio,
                    "at most 1.5 times",
                    ratio["wall"] <= 1.5,
                    "wall",
                )
    ratio = _ratio(_scenario(results, 200, FULL_PARALLEL), _scenario(results, 200, MKDOCS))
    if ratio:
        add(
            "Full build at 200 pages vs MkDocs Material (-j auto)",
            ratio,
            "at most 4 times",
            ratio["wall"] <= 4,
            "wall",
        )
    for pages, limit in ((200, 1.5), (800, 2.0)):
        for scenario, how in (
            (EDIT_BODY, "a new sphinx-build, as make html"),
            (EDIT_BODY_PREVIEW, "the live preview, make serve"),
        ):
            edit = _scenario(results, pages, scenario)
            if edit:
                add(
                    f"Rebuild after editing one page's body at {pages} pages ({how})",
                    {
                        "wall_s": edit["median_wall_s"],
                        "cpu_s": edit["median_cpu_s"],
                        "pages_read": edit["pages_read"],
                    },
                    f"< {limit} s, reads exactly 1 page",
                    edit["median_wall_s"] < limit and edit["pages_read"] == 1,
                    "wall",
                )
    for pages in sizes:
        for without, with_ in ((NO_SPEEDUPS_SERIAL, FULL_SERIAL), (NO_SPEEDUPS_EDIT, EDIT_BODY)):
            ratio = _ratio(_scenario(results, pages, without), _scenario(results, pages, with_))
            if ratio:
                add(
                    f"What the speed extensions save at {pages} pages ({with_}): time "
                    "without them / with them",
                    ratio,
                    "none (informative)",
                    None,
                    "cpu",
                )
    for pages in sizes:
        ratio = _ratio(_scenario(results, pages, FULL_SERIAL), _scenario(results, pages, PLAIN))
        if ratio:
            extra = {k: round((v - 1) * 100, 1) for k, v in ratio.items()}
            add(
                f"What our own extensions add to a full build at {pages} pages (%)",
                extra,
                "at most 10 %",
                extra["cpu"] <= 10,
                "cpu",
            )
    return out


def _seconds(value: float) -> str:
    return f"{value:.2f}"


def _measured(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
    return str(value)


def speedups_note(settings: dict[str, Any]) -> str:
    sizes = settings.get("without_speedups_pages")
    if not sizes:
        return ""
    pages = ", ".join(map(str, sizes))
    return (
        f"; at {pages} pages also off (HANDBOOK_SPEEDUPS=0) for a serial full build and "
        "the one-page edit"
    )


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    s = results["settings"]
    lines = [
        "# Build performance of the handbook",
        "",
        "Written by `make bench` (benchmarks/). Synthetic handbooks of each size, built with the",
        "project's own conf.py, extensions and theme, and with the comparison configurations.",
        f"Each figure is the median of {s['runs']} runs; wall and CPU times in seconds (CPU: user",
        "and system time of the build and all its processes). Speed fixes "
        f"({', '.join(sorted(name.rsplit('.', 1)[1] for name in SPEED_FIXES))}): "
        f"{'on' if s['speed_fixes'] else 'off'}"
        f"{speedups_note(s)}. "
        "The whole run took "
        f"{s.get('duration_min')} minutes.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| Date | {m['date']} |",
        f"| CPU | {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable) |",
        f"| Memory | {m['memory_gib']} GiB |",
        f"| System | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Packages | {', '.join(f'{k} {v}' for k, v in m['packages'].items())} |",
    ]
    if "peer_packages" in m:
        lines.append(
            f"| Peer packages | {', '.join(f'{k} {v}' for k, v in m['peer_packages'].items())} |"
        )
    lines += [
        f"| Project revision | {m['project_revision']} |",
        f"| Load average (1, 5, 15 min) | at start {m['load_average_at_start']}, at end "
        f"{m.get('load_average_at_end')} |",
        "",
        "## Targets",
        "",
        "| Target | Measured | Limit | Met |",
        "|---|---|---|---|",
    ]
    for t in results["targets"]:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(
            f"| {t['target']} | {_measured(t['measured'])} | {t['limit']} "
            f"(on {t['basis']} time) | {met} |"
        )
    for pages, size in results["sizes"].items():
        lines += [
            "",
            f"## {pages} pages",
            "",
            f"About {size['words_per_page']} words a page.",
            "",
            "| Scenario | Wall (median) | Wall (min–max) | CPU | Peak memory (MiB) "
            "| Pages read | Pages written |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for sc in size["scenarios"]:
            read = "–" if sc["pages_read"] is None else sc["pages_read"]
            lines.append(
                f"| {sc['scenario']} | {_seconds(sc['median_wall_s'])} | "
                f"{_seconds(sc['min_wall_s'])}–{_seconds(sc['max_wall_s'])} | "
                f"{_seconds(sc['median_cpu_s'])} | {sc['peak_rss_mib']:.0f} | {read} | "
                f"{sc['pages_written']} |"
            )
    lines += [
        "",
        'Pages read: Sphinx\'s own count ("updating environment: N added, M changed").',
        "Pages written: HTML files whose modification time is within the run.",
        "Peak memory: the largest resident set of any one process of the build.",
        "",
    ]
    return "\n".join(lines)
