"""Tier 1 link check (blocking, offline) and the permanence of page addresses."""

from __future__ import annotations

import shutil
from pathlib import Path

import internal_links
import page_addresses
import pytest
from conftest import Build

# Builds the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site


def test_the_handbook_has_no_broken_internal_link(site: Build) -> None:
    assert [str(p) for p in internal_links.check_site(site.html)] == []


def test_broken_links_anchors_images_and_scripts_are_reported(site: Build, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(site.html, tmp_path / "html"))
    page = copy / "onboarding" / "index.html"
    html = page.read_text(encoding="utf-8")
    broken = (
        '<a href="../research/no-such-page.html">gone</a>'
        '<a href="../research/index.html#no-such-anchor">anchor</a>'
        '<img src="../_static/no-such-image.png" alt="">'
        '<script src="../_static/no-such-script.js"></script>'
    )
    page.write_text(html.replace("</body>", broken + "</body>"), encoding="utf-8")
    reported = {(p.page, p.target) for p in internal_links.check_site(copy)}
    assert reported == {
        ("onboarding/index.html", "research/no-such-page.html"),
        ("onboarding/index.html", "research/index.html#no-such-anchor"),
        ("onboarding/index.html", "_static/no-such-image.png"),
        ("onboarding/index.html", "../_static/no-such-script.js"),
    }


def test_every_published_address_still_exists(site: Build) -> None:
    vanished, unlisted = page_addresses.compare(site.html, page_addresses.read_list())
    assert vanished == [], "pages disappeared without a redirect in conf.py"
    assert unlisted == [], "new pages: run `make page-addresses`"


def test_a_removed_page_without_redirect_is_caught(site: Build, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(site.html, tmp_path / "html"))
    (copy / "onboarding" / "index.html").unlink()
    vanished, _ = page_addresses.compare(copy, page_addresses.read_list())
    assert vanished == ["onboarding/index.html"]
