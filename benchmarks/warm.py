"""Time rebuilds in the live preview's warm Sphinx application (tools/warm_sphinx.py).

    python -m benchmarks.warm --edit PAGE --runs 3 -- SPHINX-BUILD-ARGUMENTS

Run by ``make bench`` in its own process, after a full build of the same output folder:
the preview's first build (not timed) loads that output, as ``make serve`` does when it
starts; then each run adds a sentence to PAGE and times the rebuild, as a save in the
editor would trigger it. Prints one JSON object per run: wall and CPU seconds (this process
and the workers it waited for), peak memory, the pages Sphinx read and the pages written.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
from pathlib import Path

from tools.warm_sphinx import BuildOptions, WarmSphinx

from . import synthetic
from .measure import UPDATING, count_written


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.warm",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--edit", type=Path, required=True, help="the page to edit")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("sphinx_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    sphinx_args = args.sphinx_args[1:] if args.sphinx_args[:1] == ["--"] else args.sphinx_args

    status = io.StringIO()
    options = BuildOptions.from_argv(sphinx_args)
    warm = WarmSphinx(options, status=status, warning=sys.stderr)
    if warm.build() != 0:
        return 1
    for run in range(args.runs):
        synthetic.edit_body(args.edit, 1000 + run)
        status.seek(0)
        status.truncate()
        started_at, cpu, start = time.time(), cpu_seconds(), time.perf_counter()
        code = warm.build([args.edit])
        wall = time.perf_counter() - start
        if code != 0:
            print(status.getvalue()[-4000:], file=sys.stderr)
            return code
        match = UPDATING.search(status.getvalue())
        print(
            json.dumps(
                {
                    "wall": wall,
                    "cpu": cpu_seconds() - cpu,
                    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "pages_read": int(match[1]) + int(match[2]) if match else None,
                    "pages_written": count_written(options.outdir, started_at),
                    "applications": warm.applications_made,
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
