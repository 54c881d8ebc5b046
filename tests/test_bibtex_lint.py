"""The bibliography linter on deliberately broken .bib files and pages, and on the handbook."""

from __future__ import annotations

from pathlib import Path

import bibtex_lint
import pytest
from conftest import PROJECT_ROOT
from handbook.citations import bib_rules

GOOD = """@article{Doe_Detector_2001,
  author  = {{Alpha Collaboration} and Doe, J. and others},
  title   = {The Alpha detector},
  journal = {Test Journal},
  year    = {2001},
  doi     = {10.1000/alpha.2001}
}
"""
PAGE = "# Page\n\nText {footcite:p}`Doe_Detector_2001`.\n"


def lint(tmp_path: Path, bib: str | bytes, page: str = PAGE, extra_bib: str = "") -> list[str]:
    (tmp_path / "a.bib").write_bytes(bib if isinstance(bib, bytes) else bib.encode())
    files = [tmp_path / "a.bib"]
    if extra_bib:
        (tmp_path / "b.bib").write_text(extra_bib, encoding="utf-8")
        files.append(tmp_path / "b.bib")
    (tmp_path / "page.md").write_text(page, encoding="utf-8")
    return [str(p) for p in bibtex_lint.lint(files, [tmp_path / "page.md"])]


def only(messages: list[str]) -> str:
    assert len(messages) == 1, messages
    return messages[0]


def test_a_good_file_passes(tmp_path: Path) -> None:
    assert lint(tmp_path, GOOD) == []


def test_bad_doi(tmp_path: Path) -> None:
    bib = GOOD.replace("10.1000/alpha.2001", "https://doi.org/10.1000/alpha.2001")
    message = only(lint(tmp_path, bib))
    assert message.endswith(
        "a.bib:6: Doe_Detector_2001: 'https://doi.org/10.1000/alpha.2001' is "
        "not a DOI (expected 10.NNNN/suffix, without https://doi.org/)"
    )


def test_bad_arxiv_identifier(tmp_path: Path) -> None:
    bib = GOOD.replace("doi     = {10.1000/alpha.2001}", "eprint = {arXiv:12.34}")
    assert "'arXiv:12.34' is not an arXiv identifier" in only(lint(tmp_path, bib))


def test_duplicate_key_in_one_file(tmp_path: Path) -> None:
    bib = GOOD + "\n" + GOOD.replace("10.1000/alpha.2001", "10.1000/other")
    assert only(lint(tmp_path, bib)).endswith(
        "a.bib:9: duplicate key 'Doe_Detector_2001' (first at line 1)"
    )


def test_duplicate_key_across_files(tmp_path: Path) -> None:
    other = GOOD.replace("10.1000/alpha.2001", "10.1000/other")
    assert only(lint(tmp_path, GOOD, extra_bib=other)).endswith(
        "b.bib:1: Doe_Detector_2001: key already used in a.bib:1"
    )


def test_duplicate_doi(tmp_path: Path) -> None:
    twin = GOOD.replace("Doe_Detector_2001", "Roe_Twin_2002")
    page = PAGE + "And {footcite:p}`Roe_Twin_2002`.\n"
    assert only(lint(tmp_path, GOOD + "\n" + twin, page)).endswith(
        "a.bib:9: Roe_Twin_2002: same DOI 10.1000/alpha.2001 as Doe_Detector_2001 (a.bib:1)"
    )


def test_missing_title(tmp_path: Path) -> None:
    bib = GOOD.replace("  title   = {The Alpha detector},\n", "")
    assert only(lint(tmp_path, bib)).endswith(
        "a.bib:1: Doe_Detector_2001: @article requires the field 'title'"
    )


def test_unknown_entry_type(tmp_path: Path) -> None:
    bib = GOOD.replace("@article", "@webpage")
    assert "unknown entry type @webpage" in only(lint(tmp_path, bib))


def test_non_utf8_bytes(tmp_path: Path) -> None:
    bib = GOOD.encode().replace(b"The Alpha", b"The \xe9lpha")
    assert only(lint(tmp_path, bib)).endswith(
        "a.bib:3: the file is not valid UTF-8: byte 0xE9 at column 18 (it looks like "
        "Windows-1252); save the file as UTF-8"
    )


def test_syntax_error_has_a_line(tmp_path: Path) -> None:
    bib = GOOD.replace("  year    = {2001},", "  year    = {2001,")
    assert "a.bib:" in only(lint(tmp_path, bib))


def test_key_convention(tmp_path: Path) -> None:
    bib = GOOD.replace("Doe_Detector_2001", "doe2001")
    page = PAGE.replace("Doe_Detector_2001", "doe2001")
    assert "key does not follow the convention" in only(lint(tmp_path, bib, page))


def test_uncited_entry(tmp_path: Path) -> None:
    assert "never cited and in no publication list" in only(lint(tmp_path, GOOD, "# Page\n"))


def test_publication_list_counts_as_use(tmp_path: Path) -> None:
    bib = GOOD.replace("  year", "  keywords = {alpha},\n  year")
    assert lint(tmp_path, bib, "---\npublication_keyword: alpha\n---\n# Page\n") == []


def test_unknown_cited_key(tmp_path: Path) -> None:
    page = PAGE + "Also {cite:t}`Nobody_Nothing_1999`.\n"
    assert only(lint(tmp_path, GOOD, page)).endswith(
        "page.md:4: cites 'Nobody_Nothing_1999', which no .bib file defines"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "[@Doe_Detector_2001]",
            "Pandoc citation [@Doe_Detector_2001]: write {footcite:p}`Doe_Detector_2001` in MyST",
        ),
        (
            "\\cite{Doe_Detector_2001}",
            "LaTeX citation \\cite{Doe_Detector_2001}: write "
            "{footcite:p}`Doe_Detector_2001` in MyST",
        ),
    ],
)
def test_pandoc_and_latex_citations_are_rejected(
    tmp_path: Path, written: str, expected: str
) -> None:
    assert only(lint(tmp_path, GOOD, PAGE + f"\nAs shown {written}.\n")).endswith(
        f"page.md:5: {expected}"
    )


def test_the_handbook_bibliography_is_clean() -> None:
    problems = bibtex_lint.lint(
        sorted((PROJECT_ROOT / "bib").glob("*.bib")), bibtex_lint.page_files(PROJECT_ROOT)
    )
    assert [str(p) for p in problems] == []


WEB = """@misc{Site_Guide_2026,
  author  = {{Some Site}},
  title   = {A guide},
  year    = {2026},
  url     = {https://pdfslide.net/documents/a-guide.html}{NOTE}
}
"""
WEB_PAGE = "# Page\n\nText {footcite:p}`Site_Guide_2026`.\n"


def web(note: str) -> str:
    return WEB.replace("{NOTE}", f",\n  note    = {{{note}}}" if note else "")


def test_a_copy_host_needs_the_secondary_label(tmp_path: Path) -> None:
    message = only(lint(tmp_path, web(""), WEB_PAGE))
    assert "the url is on pdfslide.net" in message
    assert "start the 'note' field with '[secondary]'" in message
    assert lint(tmp_path, web("[secondary] Copy of the publisher's guide"), WEB_PAGE) == []


def test_the_secondary_label_has_one_spelling_and_one_place(tmp_path: Path) -> None:
    for note in ("Copy of the guide [secondary]", "[Secondary] Copy of the guide"):
        bib = web(note).replace("pdfslide.net", "example.org")
        assert "write the label exactly as '[secondary]'" in only(lint(tmp_path, bib, WEB_PAGE)), (
            note
        )
    in_title = GOOD.replace("The Alpha detector", "The Alpha detector [secondary]")
    assert "(found in 'title')" in only(lint(tmp_path, in_title))


def test_secondary_entries_are_listed_for_the_review_schedule(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(GOOD + "\n" + web("[secondary] Copy"), encoding="utf-8")
    assert [e.key for e in bibtex_lint.secondary_entries([tmp_path / "a.bib"])] == [
        "Site_Guide_2026"
    ]


def test_every_copy_host_url_in_the_handbook_is_labelled() -> None:
    entries = [
        e
        for path in sorted((PROJECT_ROOT / "bib").glob("*.bib"))
        for e in bib_rules.read_bib_file(path)[0]
    ]
    hosts = {e.key: bib_rules.URL_HOST.match(e.fields.get("url", "")) for e in entries}
    copies = [
        e for e in entries if hosts[e.key] and bib_rules.is_copy_host(hosts[e.key].group(1).lower())
    ]
    assert copies, "the handbook cites copies; the check must see them"
    assert all(bib_rules.is_secondary(e) for e in copies), [e.key for e in copies]
