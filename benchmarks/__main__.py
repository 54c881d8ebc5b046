"""``make bench``: how long the handbook takes to build as it grows, and against what.

For each size it writes a synthetic handbook (benchmarks/synthetic.py) into the build
folder, in our configuration and in the comparison ones (benchmarks/projects.py), and
measures, each as the median of ``--runs`` runs:

- a full build, serial and with ``-j auto`` (with ``-j auto`` at 800 pages only when
  ``--parallel-pages`` asks: three more builds of 800 pages would take the default run
  well past 20 minutes);
- a rebuild with nothing changed;
- a rebuild after editing one page's body, and after editing one programme's front matter;
- the same one-page edit rebuilt by the live preview (``make serve``), whose Sphinx
  application stays alive between saves (benchmarks/warm.py);
- the same handbook without its four speed extensions (``HANDBOOK_SPEEDUPS=0``, conf.py's
  own switch): a serial full build and the one-page edit (at 50 pages by default,
  ``--without-speedups-pages``; with ``--before``, every scenario runs without them);
- a full build without our own extensions (at 200 pages by default: every part of the
  build is linear), and the bare-Sphinx baseline (serial; with ``--bare-parallel``, also
  ``-j auto``); with ``--peers``, MkDocs Material.

Rebuilds use the Makefile's options (strict, ``-j auto``), as ``make html`` does. The report
goes to benchmarks/results/<name>.md and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import machine, peers, projects, report, synthetic
from .measure import BuildFailed, Measurement, Run, repeat, run_measured

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
# The Makefile's STRICT options; the serial full build drops "-j auto".
STRICT = ["-n", "-W", "--keep-going"]
PARALLEL = ["-j", "auto"]


def sphinx(source: Path, out: Path, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        *STRICT,
        *options,
        "-d",
        str(out / "doctrees"),
        str(source),
        str(out / "html"),
    ]


class Bench:
    """Runs every scenario for one size of handbook."""

    def __init__(
        self, pages: int, workdir: Path, runs: int, before: bool, log: Callable[[str], None]
    ) -> None:
        self.pages, self.workdir, self.runs, self.log = pages, workdir, runs, log
        # Our configuration's builds: with the speed extensions unless --before.
        self.env = projects.speedups_env(not before)
        keys = synthetic.bib_keys(PROJECT)
        self.terms = synthetic.glossary_terms(PROJECT)
        self.model = synthetic.build_pages(pages, keys, self.terms)
        self.shape = synthetic.plan(pages)
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.results: list[Measurement] = []

    def tree(self, flavour: str, folder: str | None = None) -> tuple[Path, dict[str, Path]]:
        root = self.workdir / (folder or flavour)
        if root.exists():
            shutil.rmtree(root)
        return root, projects.MAKERS[flavour](PROJECT, root, self.model, self.terms)

    def measure(self, scenario: str, once: Callable[[int], Run]) -> Measurement:
        result = repeat(scenario, self.runs, once, self.log)
        self.results.append(result)
        return result

    def full(
        self,
        scenario: str,
        source: Path,
        out: Path,
        *options: str,
        env: dict[str, str] | None = None,
    ) -> Measurement:
        def once(i: int) -> Run:
            shutil.rmtree(out, ignore_errors=True)
            return run_measured(
                sphinx(source, out, *options),
                source,
                self.logs / f"{scenario}-{i}.log",
                out / "html",
                env=env or self.env,
            )

        return self.measure(scenario, once)

    def rebuild(
        self,
        scenario: str,
        source: Path,
        out: Path,
        edit: Callable[[int], None] | None,
        env: dict[str, str] | None = None,
    ) -> Measurement:
        def once(i: int) -> Run:
            if edit is not None:
                edit(i)
            return run_measured(
                sphinx(source, out, *PARALLEL),
                source,
                self.logs / f"{scenario}-{i}.log",
                out / "html",
                env=env or self.env,
            )

        return self.measure(scenario, once)

    def body_page(self, paths: dict[str, Path]) -> Path:
        """The page whose body the one-page edits change: the middle topic of a field."""
        topics = self.shape.topics[synthetic.AREAS[0]]
        return paths[topics[len(topics) // 2]]

    def ours(self, parallel: bool) -> None:
        source, paths = self.tree("handbook")
        out = self.workdir / "out-handbook"
        self.full("full build, serial", source, out)
        if parallel:
            self.full("full build, -j auto", source, out, *PARALLEL)
        # The rebuilds start from the last full build's output.
        self.rebuild("no-op rebuild", source, out, None)
        body_page = self.body_page(paths)
        self.rebuild(
            "rebuild after editing one page's body",
            source,
            out,
            lambda i: synthetic.edit_body(body_page, i),
        )
        self.preview(source, out, body_page)
        programme = paths[self.shape.programmes[synthetic.AREAS[0]][0]]
        self.rebuild(
            "rebuild after editing one programme's front matter",
            source,
            out,
            lambda i: synthetic.edit_front_matter(programme, i),
        )

    def preview(self, source: Path, out: Path, page: Path) -> None:
        """The same edit, rebuilt by the live preview's warm application (make serve)."""
        log = self.logs / "preview.log"
        command = [
            sys.executable,
            "-m",
            "benchmarks.warm",
            "--edit",
            str(page),
            "--runs",
            str(self.runs),
            "--",
            *sphinx(source, out, *PARALLEL)[3:],
        ]
        with log.open("w", encoding="utf-8") as stderr:
            done = subprocess.run(
                command,
                cwd=PROJECT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                check=False,
                env=self.env,
            )
        if done.returncode != 0:
            raise BuildFailed(
                f"{' '.join(command)} failed ({done.returncode}):\n"
                f"{log.read_text(encoding='utf-8')[-4000:]}"
            )
        load = os.getloadavg()[0]
        runs = [
            Run(
                wall=r["wall"],
                cpu=r["cpu"],
                peak_rss_mib=r["peak_rss_mib"],
                load_before=load,
                pages_read=r["pages_read"],
                pages_written=r["pages_written"],
            )
            for r in map(
                json.loads, (line for line in done.stdout.splitlines() if line.startswith("{"))
            )
        ]  # not library notices
        for i, run in enumerate(runs):
            self.log(
                f"    {report.EDIT_BODY_PREVIEW} run {i + 1}/{len(runs)}: {run.wall:.2f} s"
                f" wall, read {run.pages_read}, wrote {run.pages_written}"
            )
        self.results.append(Measurement(report.EDIT_BODY_PREVIEW, runs))

    def without_speedups(self) -> None:
        """Our configuration with HANDBOOK_SPEEDUPS=0: what the four speed extensions save."""
        source, paths = self.tree("handbook", "handbook-without-speedups")
        out = self.workdir / "out-without-speedups"
        env = projects.speedups_env(False)
        self.full(report.NO_SPEEDUPS_SERIAL, source, out, env=env)
        page = self.body_page(paths)
        self.rebuild(
            report.NO_SPEEDUPS_EDIT, source, out, lambda i: synthetic.edit_body(page, i), env=env
        )

    def without_our_extensions(self) -> None:
        source, _ = self.tree("plain")
        self.full(
            "full build without our extensions, serial",
            source,
            self.workdir / "out-plain",
            env=projects.speedups_env(True),
        )

    def bare(self, parallel: bool) -> None:
        source, _ = self.tree("bare")
        out = self.workdir / "out-bare"
        self.full("bare Sphinx full build, serial", source, out)
        if parallel:
            self.full("bare Sphinx full build, -j auto", source, out, *PARALLEL)

    def mkdocs(self, mkdocs: Path) -> None:
        source, _ = self.tree("mkdocs")
        site = self.workdir / "out-mkdocs"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")

        def once(i: int) -> Run:
            return run_measured(
                peers.mkdocs_command(mkdocs, site),
                source,
                self.logs / f"mkdocs-{i}.log",
                site,
                env=env,
            )

        self.measure("MkDocs Material full build", once)

    def words_per_page(self) -> float:
        source = self.workdir / "handbook"
        counts = [
            len(p.read_text(encoding="utf-8").split())
            for p in source.rglob("*.md")
            if "bib" not in p.parts and p.name != "glossary.md"
        ]
        return round(sum(counts) / len(counts))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--pages", default="50,200,800", help="comma-separated handbook sizes (default: 50,200,800)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (median)")
    parser.add_argument(
        "--peers", action="store_true", help="also build with MkDocs Material (installed with pip)"
    )
    parser.add_argument(
        "--builddir", type=Path, help="where to write the synthetic handbooks (default: a temp dir)"
    )
    parser.add_argument(
        "--name", default="build-performance", help="file name of the report in benchmarks/results/"
    )
    parser.add_argument(
        "--before",
        action="store_true",
        help="run every scenario of our configuration with HANDBOOK_SPEEDUPS=0 "
        "(without its four speed extensions): the numbers before",
    )
    parser.add_argument(
        "--without-speedups-pages",
        default="50",
        help="sizes at which to time a serial full build and the one-page "
        "edit with HANDBOOK_SPEEDUPS=0 too (default: 50; empty: never)",
    )
    parser.add_argument(
        "--parallel-pages",
        default="50,200",
        help="sizes at which to time full builds with -j auto too "
        "(default: 50,200; the committed report uses 50,200,800)",
    )
    parser.add_argument(
        "--plain-pages",
        default="200",
        help="sizes at which to build without our own extensions too "
        "(comma-separated; default: 200; empty: never)",
    )
    parser.add_argument(
        "--bare-parallel",
        action="store_true",
        help="also time the bare-Sphinx baseline with -j auto",
    )
    parser.add_argument(
        "--skip-bare", action="store_true", help="leave out the bare-Sphinx baseline"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(n) for n in args.pages.split(",") if n.strip()]
    plain_sizes = {int(n) for n in args.plain_pages.split(",") if n.strip()}
    # With --before, every scenario already runs without the speed extensions.
    without_speedups_sizes = (
        set()
        if args.before
        else {int(n) for n in args.without_speedups_pages.split(",") if n.strip()}
    )
    parallel_sizes = {int(n) for n in args.parallel_pages.split(",") if n.strip()}
    builddir = args.builddir or Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    builddir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, flush=True)

    started = time.perf_counter()
    description = machine.describe(PROJECT)
    mkdocs = None
    if args.peers:
        log("Installing MkDocs Material into its own environment ...")
        mkdocs, description["peer_packages"] = peers.ensure_mkdocs(builddir / "mkdocs-venv")
    results: dict[str, Any] = {
        "machine": description,
        "settings": {
            "pages": sizes,
            "runs": args.runs,
            "peers": args.peers,
            "parallel_pages": sorted(parallel_sizes),
            "plain_pages": sorted(plain_sizes),
            "without_speedups_pages": sorted(without_speedups_sizes),
            "speed_fixes": not args.before,
            "sphinx_options": STRICT,
            "rebuild_options": STRICT + PARALLEL,
        },
        "sizes": {},
    }
    for pages in sizes:
        log(f"== {pages} pages (in {builddir / str(pages)})")
        bench = Bench(pages, builddir / str(pages), args.runs, args.before, log)
        bench.ours(pages in parallel_sizes)
        if pages in without_speedups_sizes:
            bench.without_speedups()
        if pages in plain_sizes:
            bench.without_our_extensions()
        if not args.skip_bare:
            bench.bare(args.bare_parallel)
        if mkdocs is not None:
            bench.mkdocs(mkdocs)
        results["sizes"][str(pages)] = {
            "pages": bench.results[0].pages_read,  # Sphinx's own count, in the first build
            "words_per_page": bench.words_per_page(),
            "scenarios": [m.as_dict() for m in bench.results],
        }
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["settings"]["duration_min"] = round((time.perf_counter() - started) / 60, 1)
    results["targets"] = report.targets(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    markdown = report.markdown(results)
    (RESULTS / f"{args.name}.md").write_text(markdown, encoding="utf-8")
    log(markdown)
    log(f"Report: {RESULTS / args.name}.md and .json; build folder: {builddir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
