"""Profile one full build of a synthetic handbook: where does the time go?

    .venv/bin/python -m benchmarks.profile --pages 200 [--before] [--rebuild]

Builds serially in this process under cProfile, timed in CPU time so that other jobs on a
shared machine do not distort the picture, and prints the functions with the largest
cumulative time. The full profile is saved for ``python -m pstats`` or snakeviz.
With ``--rebuild``, the profile covers a rebuild after editing one page's body instead.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sphinx.cmd.build import build_main

from . import projects, synthetic
from .__main__ import PROJECT, STRICT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.profile",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument(
        "--before",
        action="store_true",
        help="without the speed fixes: HANDBOOK_SPEEDUPS=0 (_ext/handbook/speed/speedups.py)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="profile a rebuild after editing one page, not a full build",
    )
    parser.add_argument("--top", type=int, default=50, help="functions to print")
    parser.add_argument("--output", type=Path, help="where to save the profile (.prof)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="handbook-profile-"))
    terms = synthetic.glossary_terms(PROJECT)
    model = synthetic.build_pages(args.pages, synthetic.bib_keys(PROJECT), terms)
    source = workdir / "handbook"
    # The build runs in this process: conf.py reads the switch from its environment.
    os.environ[projects.SWITCH] = "0" if args.before else "1"
    paths = projects.make_handbook(PROJECT, source, model, terms)
    out = workdir / "out"
    command = [
        "-b",
        "html",
        *STRICT,
        "-q",
        "-d",
        str(out / "doctrees"),
        str(source),
        str(out / "html"),
    ]
    if args.rebuild:
        if build_main(command) != 0:
            return 1
        shape = synthetic.plan(args.pages)
        synthetic.edit_body(paths[shape.topics[synthetic.AREAS[0]][0]], 0)

    profiler = cProfile.Profile(time.process_time)
    start = time.perf_counter()
    profiler.enable()
    status = build_main(command)
    profiler.disable()
    wall = time.perf_counter() - start

    output = args.output or workdir / "build.prof"
    profiler.dump_stats(output)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(args.top)
    print(stream.getvalue().replace(str(Path(sys.prefix)), "<venv>"))
    print(f"Build status {status}; {wall:.1f} s wall under the profiler. Profile: {output}")
    with contextlib.suppress(OSError):
        shutil.rmtree(source)
    return status


if __name__ == "__main__":
    sys.exit(main())
