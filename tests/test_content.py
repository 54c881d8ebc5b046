"""What the research, institution, onboarding and bibliography issues promise, checked on
the real built handbook: metadata, citations, glossary, diagram, checklists, references."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, Build
from pybtex.database import parse_file

# Builds the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site

PROGRAMMES = (
    "hyper-kamiokande",
    "super-kamiokande",
    "t2k",
    "kagra",
    "cta",
    "litebird",
    "pfs",
    "atlas",
    "ilc",
)


@pytest.fixture(scope="session")
def env(site: Build):
    with (site.html / ".doctrees" / "environment.pickle").open("rb") as pickled:
        return pickle.load(pickled)


def bib_entries() -> dict:
    entries: dict = {}
    for path in sorted((PROJECT_ROOT / "bib").glob("*.bib")):
        entries.update(parse_file(str(path), "bibtex").entries)
    return entries


def html(site: Build, docname: str) -> str:
    return (site.html / f"{docname}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PROGRAMMES)
def test_programme_pages_have_metadata_citations_and_a_catalogue_row(
    env, site: Build, name: str
) -> None:
    docname = f"research/programmes/{name}"
    record = env.knowledge_base_records[docname]
    assert record.page_type == "programme"
    cited = re.findall(r'class="footnote-reference', html(site, docname))
    assert len(set(re.findall(r'href="#(footcite-[^"]+)"', html(site, docname)))) >= 2, cited
    entries = bib_entries()
    with_identifier = [
        key
        for key in record.data["references"]
        if {"doi", "eprint"} & {f.lower() for f in entries[key].fields}
    ]
    assert set(record.data["references"]) <= set(entries) and with_identifier
    catalogue = html(site, "research/index")
    assert f'href="programmes/{name}.html"' in catalogue


def test_every_glossary_term_is_used_and_every_term_reference_resolves(site: Build) -> None:
    glossary = html(site, "research/glossary")
    terms = set(re.findall(r'<dt id="(term-[^"]+)"', glossary))
    assert len(terms) >= 40
    used = set()
    for page in site.html.rglob("*.html"):
        if page.name != "glossary.html":
            used |= set(re.findall(r'glossary\.html#(term-[^"]+)"', page.read_text("utf-8")))
    assert terms - used == set(), "glossary terms no page uses"
    assert used - terms == set()


def test_institutions_are_valid_and_their_links_exist(env) -> None:
    records = env.knowledge_base_records
    institutions = {d for d, r in records.items() if r.page_type == "institution"}
    assert len(institutions) >= 15
    for rec in records.values():
        named = [
            rec.data.get("parent"),
            rec.data.get("host"),
            *rec.data.get("co_parents", []),
            *rec.data.get("ilance_institutions", []),
        ]
        assert {n for n in named if n} <= institutions, rec.docname


def test_institution_pages_show_the_generated_reverse_index(site: Build) -> None:
    icrr = html(site, "institutions/icrr")
    row = re.search(r"ILANCE programmes</p></td>\s*<td><p>(.*?)</p>", icrr, re.DOTALL)
    assert row and "Super-K" in row.group(1)


def test_the_organisation_diagram_is_in_the_html(site: Build) -> None:
    page = html(site, "institutions/index")
    assert re.search(r'"\.\./_images/graphviz-[0-9a-f]+\.svg" type="image/svg\+xml"', page)
    assert "ILANCE (red) and the institutions in this handbook" in page


def test_checklists_render_as_task_lists(site: Build) -> None:
    page = html(site, "onboarding/checklists")
    assert page.count('class="task-list-item') >= 10
    assert 'type="checkbox"' in page


def test_references_say_et_al_never_and_others(site: Build) -> None:
    bibliography = html(site, "bib/index")
    assert "et al." in bibliography
    for page in site.html.rglob("*.html"):
        text = page.read_text("utf-8")
        references = re.findall(
            r'<aside class="footnote.*?</aside>|<div class="citation".*?</div>', text, re.DOTALL
        )
        in_text = re.findall(r'and others(?:</a>)?<a class="footnote-reference', text)
        assert not in_text and not any("and others" in r for r in references), page


def test_every_bib_file_can_be_downloaded(site: Build) -> None:
    page = html(site, "bib/index")
    for bib in sorted((PROJECT_ROOT / "bib").glob("*.bib")):
        link = re.search(rf'href="(\.\./_downloads/[0-9a-f]+/{re.escape(bib.name)})"', page)
        assert link, bib.name
        assert (site.html / "bib" / link.group(1)).resolve().is_file()


def test_publication_lists_are_selected_from_the_bib_files(site: Build) -> None:
    page = html(site, "research/programmes/t2k")
    section = page[page.index('id="t2k-publications"') :]
    assert section.count('role="listitem"') + section.count('class="citation"') >= 3
    assert (
        Path(PROJECT_ROOT / "research/programmes/t2k.md")
        .read_text()
        .count(':filter: keywords % "t2k"')
        == 1
    )


def _text(page: str) -> str:
    """The visible text of a page's article, tags removed, spaces collapsed."""
    article = page[page.index("<article") : page.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


def test_home_page_offers_entry_points_by_reader_type(site: Build) -> None:
    page = html(site, "index")
    headings = re.findall(r"<h2>(.*?)<a class=\"headerlink\"", page)
    readers = [h for h in headings if h.startswith("I ")]
    assert len(readers) >= 4, headings  # researcher, student, host, remote, contributor
    assert headings.index(readers[0]) == 0  # entry points come before the prose
    assert 'href="onboarding/first-week.html"' in page


def test_first_week_page_covers_arrival_first_days_and_first_week(site: Build) -> None:
    page = html(site, "onboarding/first-week")
    headings = re.findall(r"<h2>(.*?)<a class=\"headerlink\"", page)
    assert headings[:3] == ["Arrival day", "First days", "By the end of the first week"]
    assert len(set(re.findall(r'href="#(footcite-[^"]+)"', page))) >= 4  # sourced steps
    assert 'href="first-week.html"' in html(site, "onboarding/index")


def test_getting_to_kashiwa_starts_with_the_airports(site: Build) -> None:
    headings = re.findall(
        r"<h2>(.*?)<a class=\"headerlink\"", html(site, "onboarding/getting-to-kashiwa")
    )
    assert headings[:2] == ["From Narita", "From Haneda"], headings
    assert headings.index("Leaving: back to the airports") > headings.index("Routes at a glance")


def test_low_carbon_page_gives_the_footprint_before_the_method(site: Build) -> None:
    page = html(site, "onboarding/low-carbon-collaboration")
    text = _text(page)
    answer = text.index("about 3 t CO₂e per passenger")
    assert answer < text.index("How the figures are computed") < text.index("(GRS 80)")
    # The sentence rounds the page's own table: Paris to Tokyo, factors with non-CO₂ effects.
    row = re.search(
        r"Paris-Charles de Gaulle \(CDG\) – Tokyo Haneda \(HND\).*?</tr>", page, re.DOTALL
    )
    assert row
    with_non_co2, co2_only, desnz = (
        float(v) for v in re.findall(r"<td><p>(\d\.\d\d)</p></td>", row.group(0))
    )
    assert round(with_non_co2) == round(desnz) == 3
    assert f"about {co2_only:.1f} t for the CO₂" in text


@pytest.mark.parametrize(
    "page",
    [
        "index.md",
        *sorted(
            str(p.relative_to(PROJECT_ROOT))
            for p in (PROJECT_ROOT / "onboarding").glob("*.md")
            if p.name != "README.md"
        ),
    ],
)
def test_visitor_pages_expand_each_acronym_once_at_most(page: str) -> None:
    """House style: "ILANCE (International Laboratory ...)" once a page, then the short form."""
    text = (PROJECT_ROOT / page).read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # directives and their options
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    expansions = re.findall(r"\(([A-Z][A-Za-z0-9&-]*[A-Z][A-Za-z0-9&-]*)[,)]", text)
    repeated = sorted({acronym for acronym in expansions if expansions.count(acronym) > 1})
    assert repeated == [], f"{page} expands {repeated} more than once"
