"""Run one build and measure it: wall time, CPU time, peak memory, pages read and written.

The machine the benchmark runs on may be shared, so each run also records the CPU time of
the whole process tree (parallel workers included) and the load average when it started:
wall time alone says little when another job holds a core.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# Sphinx's own summary of what it will read: "updating environment: [reason] 1 added, ..."
UPDATING = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, "
    r"(\d+) removed"
)


class BuildFailed(RuntimeError):
    """A measured build exited with an error: its numbers would mean nothing."""


@dataclass
class Run:
    """One measured command."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the command and every process it waited for
    peak_rss_mib: float  # largest resident set of any one process of the tree
    load_before: float  # 1-minute load average when the run started
    pages_read: int | None  # None when the tool does not say (MkDocs)
    pages_written: int


def run_measured(
    command: Sequence[str],
    cwd: Path,
    log: Path,
    outdir: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run a command to completion; fail loudly if it fails, with the end of its log."""
    load = os.getloadavg()[0]
    started_at = time.time()
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        # wait4 returns the rusage of this child and of everything it waited for: the
        # parallel workers of sphinx-build included.
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} failed ({process.returncode}):\n{text[-4000:]}")
    match = UPDATING.search(text)
    read = int(match[1]) + int(match[2]) if match else None
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        load_before=load,
        pages_read=read,
        pages_written=count_written(outdir, started_at) if outdir else 0,
    )


def count_written(outdir: Path, since: float) -> int:
    """HTML pages (re)written since a moment: Sphinx writes every page it rebuilds."""
    return sum(1 for page in outdir.rglob("*.html") if page.stat().st_mtime >= since)


@dataclass
class Measurement:
    """Several runs of one scenario, summarised by their median."""

    scenario: str
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        return max(r.peak_rss_mib for r in self.runs)

    @property
    def pages_read(self) -> int | None:
        values = [r.pages_read for r in self.runs if r.pages_read is not None]
        return max(values) if values else None

    @property
    def pages_written(self) -> int:
        return max(r.pages_written for r in self.runs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "median_wall_s": round(self.wall, 3),
            "min_wall_s": round(min(r.wall for r in self.runs), 3),
            "max_wall_s": round(max(r.wall for r in self.runs), 3),
            "median_cpu_s": round(self.cpu, 3),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
            "pages_read": self.pages_read,
            "pages_written": self.pages_written,
            "runs": [
                asdict(r)
                | {
                    "wall": round(r.wall, 3),
                    "cpu": round(r.cpu, 3),
                    "peak_rss_mib": round(r.peak_rss_mib, 1),
                }
                for r in self.runs
            ],
        }


def repeat(
    scenario: str, times: int, once: Callable[[int], Run], progress: Callable[[str], None]
) -> Measurement:
    """Run a scenario ``times`` times (its own preparation included in ``once``)."""
    runs = []
    for i in range(times):
        run = once(i)
        progress(
            f"    {scenario} run {i + 1}/{times}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU,"
            f" read {run.pages_read}, wrote {run.pages_written}"
        )
        runs.append(run)
    return Measurement(scenario, runs)
