"""Keep every published page address alive: the committed list in tests/page-addresses.txt.

Readers bookmark pages and other sites link to them. When a page is moved or deleted,
its old address must keep working through a redirect (``redirects`` in conf.py, served
by sphinx-reredirects). This compares the built site with the committed list:

- an address in the list with no file in the build is a broken bookmark: add a redirect;
- a built page missing from the list is new: run ``make page-addresses`` to record it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESS_LIST = ROOT / "tests" / "page-addresses.txt"
NOT_PAGES = ("_static", "_sources", "_images", "_downloads", ".doctrees")


def built_addresses(site: Path) -> set[str]:
    """Relative addresses of every HTML page of the build (redirect pages included)."""
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if path.relative_to(site).parts[0] not in NOT_PAGES
    }


def read_list(path: Path = ADDRESS_LIST) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def compare(site: Path, listed: set[str]) -> tuple[list[str], list[str]]:
    """(listed addresses that vanished, built pages not listed yet)."""
    built = built_addresses(site)
    return sorted(listed - built), sorted(built - listed)


def write_list(site: Path, path: Path = ADDRESS_LIST) -> None:
    header = (
        "# Every page address the handbook has published. Never delete a line: when a\n"
        "# page moves, add a redirect in conf.py (redirects = {...}).\n"
    )
    kept = read_list(path) if path.exists() else set()
    path.write_text(
        header + "\n".join(sorted(kept | built_addresses(site))) + "\n", encoding="utf-8"
    )


def main(argv: list[str]) -> int:
    site = Path(argv[2] if len(argv) > 2 else "_build/html")
    if len(argv) > 1 and argv[1] == "--write":
        write_list(site)
        print(f"page-addresses: recorded {len(read_list())} addresses in {ADDRESS_LIST.name}")
        return 0
    vanished, unlisted = compare(site, read_list())
    for address in vanished:
        print(f"{address}: published before, missing now; add a redirect in conf.py")
    for address in unlisted:
        print(f"{address}: new page; run `make page-addresses` to record it")
    return 1 if vanished or unlisted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
