"""Put a build that passed in place of the published one, in one step.

`make html` builds into a staging folder (``_build/.next/<language>``) and calls this only when
the strict build passed. So a failed build never leaves a half-written site in
``_build/html``: the last good site stays whole for readers of a local copy and for
`make serve`, and the staging folder keeps Sphinx's state for a quick incremental rebuild.

Usage: ``python tools/publish_build.py STAGING TARGET [--keep NAME ...]``. Folders named by
``--keep`` are carried over from the old TARGET (the French and Japanese sites live inside the
English one).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path


def publish(staging: Path, target: Path, keep: tuple[str, ...] = ()) -> None:
    """Copy ``staging`` next to ``target``, carry the kept folders over, then swap."""
    fresh = target.with_name(target.name + ".new")
    stale = target.with_name(target.name + ".old")
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(staging, fresh, symlinks=True)
    for name in keep:
        if (target / name).is_dir() and not (fresh / name).exists():
            (target / name).rename(fresh / name)
    if target.exists():
        target.rename(stale)
    fresh.rename(target)
    shutil.rmtree(stale, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("staging", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--keep", action="append", default=[], metavar="NAME")
    args = parser.parse_args()
    publish(args.staging, args.target, tuple(args.keep))


if __name__ == "__main__":
    main()
