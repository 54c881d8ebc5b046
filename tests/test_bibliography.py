"""The Bibliography page and the page footnotes as a reader sees them, on the real built site:
titles as the .bib files write them, web pages dated by publication and by visit, and the
list grouped by the section of the handbook each entry serves (issue 17)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, Build
from pybtex.database import Entry, parse_file
from pybtex.richtext import Text

# Builds the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site

#: The sections of the Bibliography page and the .bib files each one lists (bib/index.md).
SECTIONS = {
    "references-research": (
        "neutrino.bib",
        "cosmology.bib",
        "astrophysics.bib",
        "astroparticle.bib",
        "particle.bib",
    ),
    "references-institutions": ("lab.bib",),
    "references-onboarding": ("web.bib", "sustainability.bib"),
}
HEADINGS = {
    "references-research": "Research",
    "references-institutions": "Institutions",
    "references-onboarding": "Onboarding",
}


def entries_of(bib_name: str) -> dict[str, Entry]:
    return dict(parse_file(str(PROJECT_ROOT / "bib" / bib_name), "bibtex").entries)


def all_entries() -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for path in sorted((PROJECT_ROOT / "bib").glob("*.bib")):
        found.update(entries_of(path.name))
    return found


def text_of(fragment: str) -> str:
    """What a reader reads: tags removed, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def section_html(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}">')
    end = page.find("<section", start + 1)
    return page[start : end if end != -1 else len(page)]


def citations(fragment: str) -> list[str]:
    return re.findall(r'<div class="citation".*?</div>', fragment, re.DOTALL)


def link_of(entry: Entry) -> str:
    """The address the entry's reference links to: its DOI, else arXiv, else URL."""
    fields = entry.fields
    if "doi" in fields:
        return f"https://doi.org/{fields['doi']}"
    if "eprint" in fields:
        return f"https://arxiv.org/abs/{fields['eprint']}"
    return fields["url"]


def hrefs(citation: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]+)"', citation)}


def written_title(entry: Entry) -> str:
    """The title as the .bib file writes it, LaTeX read (braces and ``\\&`` gone)."""
    return " ".join(Text.from_latex(entry.fields["title"]).render_as("text").split())


def bibliography_citation(page: str, entry: Entry) -> str:
    found = [c for c in citations(page) if link_of(entry) in hrefs(c)]
    assert len(found) == 1, (entry.key, len(found))
    return text_of(found[0])


@pytest.fixture(scope="module")
def bibliography(site: Build) -> str:
    return (site.html / "bib" / "index.html").read_text(encoding="utf-8")


def page(site: Build, docname: str) -> str:
    return (Path(site.html) / f"{docname}.html").read_text(encoding="utf-8")


def test_proper_nouns_keep_their_capitals(bibliography: str, site: Build) -> None:
    # pybtex's unsrt printed "Signing of the japan-france social security agreement".
    signing = bibliography_citation(
        bibliography, all_entries()["MOFA_JapanFranceSocialSecuritySigning_2005"]
    )
    assert "Signing of the Japan-France Social Security Agreement." in signing
    kamioka = bibliography_citation(bibliography, all_entries()["UTokyo_Kamioka_2021"])
    assert "UTokyo in Kamioka:" in kamioka and "since the Nara Period." in kamioka
    # The same style prints the footnotes of each page.
    footnotes = text_of(page(site, "onboarding/getting-to-kashiwa"))
    assert "UTokyo in Kamioka: observatories for cosmic ray" in footnotes
    assert "Utokyo in kamioka" not in footnotes


def test_every_title_is_printed_as_written(bibliography: str) -> None:
    """No title is changed to sentence case, whatever its entry type."""
    changed = {
        key: written_title(entry)
        for key, entry in all_entries().items()
        if written_title(entry) not in bibliography_citation(bibliography, entry)
    }
    assert changed == {}


def test_web_pages_show_accessed_with_their_iso_reading_date(bibliography: str) -> None:
    read = {
        key: entry
        for key, entry in all_entries().items()
        if "url" in entry.fields and "urldate" in entry.fields
    }
    assert len(read) >= 50
    for key, entry in read.items():
        urldate = entry.fields["urldate"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", urldate), key
        assert f"(accessed {urldate})" in bibliography_citation(bibliography, entry), key
    assert "visited on" not in bibliography


def test_web_pages_show_their_publication_date_when_they_have_one(bibliography: str) -> None:
    entries = all_entries()
    # A day of publication (date), a year of publication other than the year of reading...
    signing = bibliography_citation(
        bibliography, entries["MOFA_JapanFranceSocialSecuritySigning_2005"]
    )
    assert "Agreement. 2005-02-25. Announcement." in signing
    visas = bibliography_citation(bibliography, entries["EmbJapanFrance_Visas_2018"])
    assert "Visas. 2018. URL:" in visas
    # ...and no publication year for a page that shows no date (its year is the reading year).
    undated = bibliography_citation(bibliography, entries["UTsukuba_Earthquake_2026"])
    assert "What to do when an Earthquake Occurs. URL:" in undated
    assert "2026." not in undated


def test_the_list_is_grouped_by_section_with_every_entry_once(bibliography: str) -> None:
    listed: dict[str, int] = {}
    for section_id, bib_files in SECTIONS.items():
        section = section_html(bibliography, section_id)
        heading = re.search(r"<h3>(.*?)<a", section, re.DOTALL)
        assert heading and text_of(heading.group(1)) == HEADINGS[section_id]
        in_section = citations(section)
        expected = {key: entry for name in bib_files for key, entry in entries_of(name).items()}
        assert len(in_section) == len(expected) > 0, section_id
        for key, entry in expected.items():
            assert sum(link_of(entry) in hrefs(c) for c in in_section) == 1, (section_id, key)
            listed[key] = listed.get(key, 0) + 1
    # Every entry of every .bib file is in exactly one section: a new file needs a section.
    assert listed == dict.fromkeys(all_entries(), 1)
    assert len(citations(bibliography)) == len(listed)
