"""The PDF book, built once with `make pdf` and read back with poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, Build, build_or_fail

# Builds the book with `make pdf` and reads it with poppler: `pytest -m pdf` runs this kind alone.
pytestmark = pytest.mark.pdf

CHAPTERS = ("Research", "Institutions", "Onboarding", "Bibliography")
# Strings typed in the pages in Japanese and French: they must survive typesetting intact.
SAMPLES = {
    "onboarding/getting-to-kashiwa.md": "柏の葉キャンパス駅",
    "institutions/polytechnique.md": "École polytechnique",
    "institutions/in2p3.md": "CNRS Nucléaire & Particules",
}
#: Widest overfull line tolerated, in TeX points (about 12 mm): long URLs and table cells
#: may stick out slightly; anything wider is a layout bug to fix.
OVERFULL_LIMIT_PT = 36.0


@pytest.fixture(scope="session")
def book(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_or_fail("pdf", tmp_path_factory, "book")


def pdf(book: Build) -> Path:
    return book.outdir / "pdf" / "ilance-handbook.pdf"


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def text(book: Build) -> str:
    """The book's text, with line breaks and hyphenation joins folded to single spaces."""
    raw = poppler("pdftotext", "-enc", "UTF-8", str(pdf(book)), "-")
    return re.sub(r"\s+", " ", raw)


@pytest.fixture(scope="session")
def latex_log(book: Build) -> str:
    return (book.outdir / "latex" / "ilance-handbook.log").read_text(errors="replace")


def test_the_book_has_its_stable_name_and_chapters(book: Build, text: str) -> None:
    assert pdf(book).is_file()
    for chapter in CHAPTERS:
        assert "CHAPTER" in text and chapter.upper() in text, chapter


def test_title_page_names_the_edition_and_revision(text: str) -> None:
    revision = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert "ILANCE Handbook" in text
    assert re.search(r"Edition of \d{4}-\d{2}-\d{2}", text)
    assert f"git revision {revision}" in text


@pytest.mark.parametrize(("page", "sample"), SAMPLES.items())
def test_japanese_and_french_text_is_intact(text: str, page: str, sample: str) -> None:
    assert sample in (PROJECT_ROOT / page).read_text(encoding="utf-8"), "sample left the page"
    assert sample in text


def test_every_font_is_embedded(book: Build) -> None:
    rows = poppler("pdffonts", str(pdf(book))).splitlines()[2:]
    assert rows
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def test_metadata(book: Build) -> None:
    info = poppler("pdfinfo", str(pdf(book)))
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Title"].strip() == "ILANCE Handbook"
    assert fields["Author"].strip() == "ILANCE Handbook contributors"
    assert "International Research Laboratory" in fields["Subject"]
    assert "neutrino physics" in fields["Keywords"]


def test_outline_lists_every_chapter(book: Build) -> None:
    xml = poppler("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf(book)))
    items = re.findall(r"<item[^>]*>([^<]*)", xml)
    top = [re.sub(r"^\d+\s+", "", item) for item in items if re.match(r"^\d+ \S", item)]
    assert top == list(CHAPTERS)


def test_exactly_one_bibliography_chapter_and_no_unresolved_citation(text: str) -> None:
    assert text.count("BIBLIOGRAPHY") == 1
    assert "??" not in text


def test_latex_log_is_clean(latex_log: str) -> None:
    assert "undefined references" not in latex_log
    assert not re.search(r"Reference `[^']*' on page \d+ undefined", latex_log)
    assert "Missing character" not in latex_log
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide", latex_log)]
    assert max(widths, default=0.0) <= OVERFULL_LIMIT_PT


def test_every_figure_of_the_site_is_in_the_book(site: Build, text: str) -> None:
    captions = set()
    for page in site.html.rglob("*.html"):
        for caption in re.findall(
            r'<figcaption>.*?<span class="caption-text">(.*?)</span>',
            page.read_text(encoding="utf-8"),
            re.DOTALL,
        ):
            captions.add(re.sub(r"<[^>]+>", "", caption).split(".")[0].strip())
    assert captions, "the site has no figure captions"
    missing = [c for c in captions if re.sub(r"\s+", " ", c) not in text]
    assert missing == []


def test_glossary_and_index_are_in_the_book(text: str) -> None:
    assert "Glossary" in text
    assert "INDEX" in text


def test_the_route_diagram_is_drawn_in_the_book(book: Build, text: str) -> None:
    """The drawing itself, not only its caption and table: its legend is text of the drawing
    alone, and its page embeds the sans-serif Japanese font the drawing names for the stops'
    Japanese names (the book's own text uses the serif one). CairoSVG once left the whole
    figure empty, and, with no Japanese font named, drew those names as empty boxes."""
    assert "Numbers: legs in the table below" in text
    assert "Narita Airport 成田空港" in text  # a stop's box (the table writes "(成田空港)")
    pages = int(re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(pdf(book))))[1])
    [page] = [
        str(number)
        for number in range(1, pages + 1)
        if "Numbers: legs in the table below"
        in poppler("pdftotext", "-f", str(number), "-l", str(number), str(pdf(book)), "-")
    ]
    fonts = poppler("pdffonts", "-f", page, "-l", page, str(pdf(book)))
    assert "NotoSansCJKjp" in fonts, fonts
