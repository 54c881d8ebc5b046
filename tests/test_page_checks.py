"""The written-page scan for third-party loads: its quick path finds what a full parse finds.

``handbook.checks.page_checks`` parses a written page in full only when the page holds text
that could load something from another host; otherwise it parses the page's ``<link>`` tags
alone. The cases below are the ways HTML can fetch from another host; each must be found by
the quick path exactly as by the full parse, and a page of ordinary links must stay clean.
(tests/bad_inputs.py checks the same through real builds: a CDN script in a template, a web
font, an iframe, a hot-linked image.)
"""

from __future__ import annotations

import pytest
from conftest import Build
from handbook.checks.page_checks import _external_loads, _scan

LOADS = [
    '<img src="https://cdn.example.org/a.png" alt="">',
    '<IMG SRC="https://cdn.example.org/a.png" alt="">',
    '<img src = "//cdn.example.org/a.png" alt="">',
    '<img srcset="a.png 1x, //cdn.example.org/b.png 2x" alt="">',
    '<link rel="stylesheet" href="https://fonts.example.org/c.css">',
    '<link rel="preload" href="//fonts.example.org/f.woff2" as="font">',
    "<p style=\"background: url('//cdn.example.org/z.png')\">text</p>",
    '<style>\n@import "https://cdn.example.org/a.css";\n</style>',
    '<script src="&#47;&#47;cdn.example.org/a.js"></script>',
    '<script src="https:&#x2F;&#x2F;cdn.example.org/a.js"></script>',
    "<video poster=//cdn.example.org/p.jpg></video>",
    '<object data="https://cdn.example.org/o.svg"></object>',
    '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
]
CLEAN = [
    '<a href="https://www.example.org/">a link is the reader\'s choice</a>',
    '<link rel="canonical" href="https://ilance-handbook.github.io/handbook/index.html">',
    '<div data-src="local.png" style="background: url(_static/x.png)"></div>',
    "<pre>&lt;script src=&quot;page.js&quot;&gt;&lt;/script&gt;</pre>",
]


def page(fragment: str) -> str:
    return f"<!DOCTYPE html>\n<html>\n<head>\n</head>\n<body>\n{fragment}\n</body>\n</html>\n"


@pytest.mark.parametrize("fragment", LOADS)
def test_the_quick_scan_finds_each_way_of_loading_from_another_host(fragment: str) -> None:
    html = page(fragment)
    found = _external_loads(html)
    assert found, fragment
    assert found == _scan(html).external
    assert all(line == 6 for line, _tag, _url in found)  # the fragment's line in the page


@pytest.mark.parametrize("fragment", CLEAN)
def test_links_and_local_files_are_not_loads(fragment: str) -> None:
    assert _external_loads(page(fragment)) == [] == _scan(page(fragment)).external


@pytest.mark.site
def test_the_quick_scan_agrees_with_the_full_parse_on_every_built_page(site: Build) -> None:
    pages = sorted(site.html.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert _external_loads(html) == _scan(html).external, path
