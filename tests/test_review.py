"""Owners and review dates: validation, notices, the schedule, review.json, stale translations.

Most tests build ``tests/roots/test-review`` (a few pages with known dates) with "today" set
explicitly, so that the results never depend on the calendar; the last ones read the real
handbook built by the Makefile (the ``site`` fixture) to check that every page has an owner
and review dates and shows them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import new_page
import pytest
import review_report
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT, Build, copy_project, edit, run_git, run_make
from handbook.citations import bib_rules
from handbook.content.page_review.schedule import add_months
from sphinx.testing.util import SphinxTestApp

TODAY = "2026-06-01"

# The builds use sphinx.testing's `app`: a copy of tests/roots/test-review with "today" fixed
# (a test's own marker gives another day), or its `make_app` for a second application.
pytestmark = pytest.mark.sphinx(
    "html", testroot="review", copy_test_root=True, confoverrides={"handbook_today": TODAY}
)

#: sphinx.testing's ``make_app`` fixture: an application that it cleans up itself.
MakeApp = Callable[..., SphinxTestApp]


def soup(outdir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def review_json(outdir: Path) -> dict:
    return json.loads((outdir / "review.json").read_text(encoding="utf-8"))


def by_page(data: dict) -> dict[str, dict]:
    return {entry["page"]: entry for entry in data["pages"]}


def shared_build(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that reads the one build of the test project made in parallel (two
    workers) on 2026-06-01: the first such test builds it, the others read its output and its
    warnings (sphinx.testing's shared_result)."""
    test = pytest.mark.sphinx(parallel=2)(test)
    return pytest.mark.test_params(shared_result="review-parallel-build")(test)


@pytest.fixture
def built(app: SphinxTestApp) -> tuple[Path, str]:
    """The HTML folder and warnings of the build a @shared_build test reads (made now if no
    test of the module has made it yet)."""
    app.build()
    return app.outdir, app.warning.getvalue()


# -- Due dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-11-15", 3, "2026-02-15"),
        ("2026-05-01", 24, "2028-05-01"),
    ],
)
def test_months_are_added_to_the_calendar_day(start: str, months: int, expected: str) -> None:
    from datetime import date

    assert add_months(date.fromisoformat(start), months).isoformat() == expected


@shared_build
def test_the_test_project_builds_without_warnings(built: tuple[Path, str]) -> None:
    _outdir, warnings = built
    assert warnings.strip() == ""


@shared_build
def test_the_nearest_expiry_sets_the_due_date(built: tuple[Path, str]) -> None:
    pages = by_page(review_json(built[0]))
    # Its own review: 2025-01-31 plus 3 months is 30 April (no 31 April).
    assert (
        pages["old"] | {"due": "2025-04-30", "due_because": "page", "overdue_days": 397}
        == pages["old"]
    )
    # A web source read on 2026-01-10 wears out before the page's review of 2026-05-01.
    assert (
        pages["cites-web"]["due"],
        pages["cites-web"]["due_because"],
        pages["cites-web"]["due_source"],
    ) == ("2026-04-10", "source", "Example_WebPage_2026")
    # A status checked on 2025-09-01, reviewed every 6 months.
    assert (
        pages["status"]["due"],
        pages["status"]["due_because"],
        pages["status"]["overdue_days"],
    ) == ("2026-03-01", "status", 92)
    # A paper without a reading date does not count; the page's own review does.
    assert (pages["fresh"]["due"], pages["fresh"]["due_because"]) == ("2028-05-15", "page")
    assert pages["secondary"]["due"] == "2027-05-20"  # the mirror, read 2026-05-20
    assert pages["plain"]["overdue_days"] == 0


@shared_build
def test_review_json_lists_every_page_with_owner_due_date_and_overdue_days(
    built: tuple[Path, str],
) -> None:
    data = review_json(built[0])
    assert data["today"] == TODAY
    assert sorted(by_page(data)) == sorted(
        ["index", "fresh", "old", "cites-web", "status", "secondary", "plain", "schedule"]
    )
    old = by_page(data)["old"]
    assert (old["owner"], old["owner_team"], old["url"]) == (
        "page-editors",
        "@example/page-editors",
        "old.html",
    )
    dues = [entry["due"] for entry in data["pages"]]
    assert dues == sorted(dues), "the most overdue first"
    facts = {(f["page"], f["fact"]): f for f in data["overdue_facts"]}
    assert set(facts) == {("status", "status"), ("cites-web", "source")}
    assert facts[("status", "status")]["dated"] == "2025-09-01"
    [secondary] = data["secondary_sources"]
    assert (secondary["key"], secondary["cited_on"]) == ("Example_Mirror_2025", ["secondary"])


@shared_build
def test_pages_past_their_date_show_a_notice_under_the_title(built: tuple[Path, str]) -> None:
    outdir = built[0]
    for page, reason in [
        ("old", "its last review, on 2025-01-31"),
        ("cites-web", "the source Example_WebPage_2026, read on 2026-01-10"),
        ("status", "the programme status, checked on 2025-09-01"),
    ]:
        notice = soup(outdir, page).select_one("section > h1 + .review-overdue")
        assert notice is not None, page
        text = " ".join(notice.get_text(" ").split())
        assert text.startswith("Review overdue")
        assert reason in text
    for page in ("fresh", "plain", "secondary", "index"):
        assert soup(outdir, page).select(".review-overdue") == [], page


@shared_build
def test_every_page_shows_its_review_dates_beside_last_updated(built: tuple[Path, str]) -> None:
    outdir = built[0]
    footer = soup(outdir, "plain").select_one(".last-updated .review-dates")
    assert footer is not None
    assert footer.get_text() == "Last reviewed on 2026-05-01 · next review due on 2026-11-01."
    late = soup(outdir, "status").select_one(".last-updated .review-dates-overdue")
    assert late is not None and "next review was due on 2026-03-01" in late.get_text()


@shared_build
def test_the_schedule_page_lists_pages_overdue_facts_and_secondary_sources(
    built: tuple[Path, str],
) -> None:
    page = soup(built[0], "schedule")
    rows = page.select("table.review-schedule tbody tr")
    first = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert first[0] == "Old page" and first[-1] == "397"
    assert rows[0].select_one("a")["href"] == "old.html"
    assert (
        "Source checkers (@example/source-checkers)"
        in page.select_one("table.review-schedule").get_text()
    )
    facts = page.select_one("table.review-overdue-facts").get_text(" ", strip=True)
    assert "the programme status, checked on 2025-09-01" in facts
    assert "Example_WebPage_2026" in facts
    secondary = page.select_one("table.review-secondary-sources")
    assert "Example_Mirror_2025" in secondary.get_text()
    assert secondary.select_one("a")["href"] == "secondary.html"


@pytest.mark.sphinx(confoverrides={"handbook_today": "2099-01-01"})
def test_the_calendar_never_fails_the_build(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue().strip() == ""
    assert all(entry["overdue_days"] > 0 for entry in review_json(app.outdir)["pages"])


@pytest.mark.sphinx(confoverrides={"handbook_today": "2026-01-01"})
def test_a_new_day_rewrites_the_pages_whose_notice_changes(
    app: SphinxTestApp, make_app: MakeApp
) -> None:
    app.build()
    assert soup(app.outdir, "status").select(".review-overdue") == []
    app.cleanup()  # docutils' registries are global: one application at a time
    # Another day, the same folders: an incremental build.
    app = make_app("html", srcdir=app.srcdir, confoverrides={"handbook_today": TODAY})
    app.build()
    assert app.warning.getvalue().strip() == ""
    outdir = app.outdir
    assert soup(outdir, "status").select(".review-overdue") != []
    assert review_json(outdir)["today"] == TODAY
    assert "397" in soup(outdir, "schedule").select_one("table.review-schedule").get_text()


@pytest.mark.sphinx(confoverrides={"handbook_today": "next monday"})
def test_a_bad_today_is_an_error_without_a_traceback(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "handbook_today is 'next monday'; expected a date written YYYY-MM-DD" in warnings
    assert "Traceback" not in warnings


# -- Validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (
            'owner: somebody\nlast_reviewed: "2026-05-01"\nreview_in: 6\n',
            2,
            "field 'owner' is 'somebody', which is not a role of roles.yaml; roles: page-editors, "
            "source-checkers",
        ),
        (
            'owner: Jane Doe <jane@example.org>\nlast_reviewed: "2026-05-01"\nreview_in: 6\n',
            2,
            "field 'owner' is \"Jane Doe <jane@example.org>\"; expected a role of roles.yaml",
        ),
        (
            'owner: page-editors\nlast_reviewed: "2026-02-30"\nreview_in: 6\n',
            3,
            'field \'last_reviewed\' is "2026-02-30"; expected a date written "YYYY-MM-DD"',
        ),
        (
            "owner: page-editors\nlast_reviewed: 1 May 2026\nreview_in: 6\n",
            3,
            "field 'last_reviewed' is \"1 May 2026\"",
        ),
        (
            'owner: page-editors\nlast_reviewed: "2026-05-01"\nreview_in: 5\n',
            4,
            "field 'review_in' is 5; expected a number of months: 3, 6, 12, 24",
        ),
        (
            'owner: page-editors\nlast_reviewed: "2026-05-01"\nreview_in: "6"\n',
            4,
            "field 'review_in' is \"6\"; expected a number of months",
        ),
        (
            "title: x\nowner: page-editors\nreview_in: 6\n",
            2,
            "required field 'last_reviewed' is missing",
        ),
    ],
)
def test_bad_review_fields_are_errors_at_their_line(
    app: SphinxTestApp, front: str, line: int, message: str
) -> None:
    srcdir = app.srcdir
    (srcdir / "plain.md").write_text(f"---\n{front}---\n# Plain page\n\nText.\n", encoding="utf-8")
    app.build()
    warnings = app.warning.getvalue()
    expected = f"{srcdir / 'plain.md'}:{line}: ERROR: review front matter: {message}"
    assert expected in warnings
    assert "Traceback" not in warnings


def test_a_page_without_front_matter_is_an_error_at_its_first_line(app: SphinxTestApp) -> None:
    (app.srcdir / "plain.md").write_text("# Plain page\n\nText.\n", encoding="utf-8")
    app.build()
    assert (
        f"{app.srcdir / 'plain.md'}:1: ERROR: the page has no front matter"
        in app.warning.getvalue()
    )


@pytest.mark.parametrize(
    ("roles", "line", "message"),
    [
        (
            "roles:\n  page-editors:\n    name: Page editors\n    scope: All.\n",
            2,
            "role 'page-editors': missing team",
        ),
        (
            'roles:\n  page-editors:\n    name: P\n    team: "@e/p"\n    scope: All.\n'
            '  Source_Checkers:\n    name: S\n    team: "@e/s"\n    scope: All.\n',
            6,
            "role 'Source_Checkers': use lower-case words joined by hyphens",
        ),
        (
            "roles:\n  page-editors:\n    name: P\n    team: jane@example.org\n    scope: All.\n",
            2,
            "team 'jane@example.org' is not a GitHub team",
        ),
        ("roles: [page-editors\n", 2, "invalid YAML"),
    ],
)
def test_a_bad_roles_file_is_an_error_at_its_line(
    app_params: tuple[list, dict], make_app: MakeApp, roles: str, line: int, message: str
) -> None:
    # The roles are read when the application starts: edit the copy, then make it.
    args, kwargs = app_params
    srcdir = kwargs["srcdir"]
    (srcdir / "roles.yaml").write_text(roles, encoding="utf-8")
    app = make_app(*args, **kwargs)
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(
        rf"{re.escape(str(srcdir / 'roles.yaml'))}:{line}: ERROR: roles: .*" + re.escape(message),
        warnings,
    ), warnings
    assert "Traceback" not in warnings


# -- Stale translations ----------------------------------------------------------------------


def git(srcdir: Path, when: str, *args: str) -> None:
    run_git(srcdir, *args, when=when)


@pytest.fixture(scope="module")
def history(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the test project with a git history: catalogues in May, then a text edit and
    a review-only edit on 20 May. Made once; each test builds it into its own folder."""
    srcdir = Path(shutil.copytree(rootdir / "test-review", tmp_path_factory.mktemp("stale") / "p"))
    git(srcdir, "2026-05-01T10:00:00+00:00", "init", "-q")
    git(srcdir, "2026-05-01T10:00:00+00:00", "add", "--all")
    git(srcdir, "2026-05-01T10:00:00+00:00", "commit", "-q", "-m", "Pages and catalogues")
    fresh = srcdir / "fresh.md"
    fresh.write_text(
        fresh.read_text(encoding="utf-8") + "\nA new English sentence.\n", encoding="utf-8"
    )
    old = srcdir / "old.md"
    old.write_text(
        old.read_text(encoding="utf-8").replace("2025-01-31", "2025-02-01"), encoding="utf-8"
    )
    git(srcdir, "2026-05-20T09:30:00+00:00", "commit", "-q", "-am", "Text and review edits")
    return srcdir


@pytest.fixture
def french(make_app: MakeApp, history: Path, tmp_path: Path) -> SphinxTestApp:
    """The French build of the project with a history."""
    app = make_app(
        "html",
        srcdir=history,
        builddir=tmp_path / "fr",
        confoverrides={"handbook_today": TODAY, "language": "fr"},
    )
    app.build()
    return app


def test_a_translation_older_than_its_english_text_says_so(french: SphinxTestApp) -> None:
    assert french.warning.getvalue().strip() == ""
    notice = soup(french.outdir, "fresh").select_one("section > h1 + .translation-stale")
    assert notice is not None
    text = " ".join(notice.get_text(" ").split())
    assert "2026-05-20 09:30 UTC" in text and "2026-05-01 10:00 UTC" in text


def test_a_review_only_edit_leaves_the_translation_up_to_date(french: SphinxTestApp) -> None:
    assert soup(french.outdir, "old").select(".translation-stale") == []


def test_the_status_list_names_stale_pages_in_every_build(
    french: SphinxTestApp, make_app: MakeApp, history: Path, tmp_path: Path
) -> None:
    french.cleanup()  # docutils' registries are global: one application at a time
    english = make_app(
        "html", srcdir=history, builddir=tmp_path / "en", confoverrides={"handbook_today": TODAY}
    )
    english.build()
    for outdir in french.outdir, english.outdir:
        table = soup(outdir, "schedule").select_one("table.translation-stale-pages")
        rows = [
            [c.get_text(" ", strip=True) for c in row.select("td")]
            for row in table.select("tbody tr")
        ]
        stale = {row[1] for row in rows}
        assert "Fresh page" in stale or "Page récente" in stale
        assert not {"Old page", "Page ancienne"} & stale
        # Pages with no catalogue at all are listed too, as such.
        assert any(row[3] in ("no catalogue",) for row in rows)


@shared_build
def test_outside_git_nothing_is_called_stale(built: tuple[Path, str]) -> None:
    text = soup(built[0], "schedule").get_text(" ")
    assert "Every translated page is up to date with its English page." in text


# -- Scaffolding and the weekly report -------------------------------------------------------


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "handbook")


@pytest.mark.parametrize(
    ("kind", "section", "owner", "months"),
    [
        ("onboarding", "onboarding", "onboarding-reviewers", 6),
        ("general", "research", "research-reviewers", 12),
    ],
)
def test_new_pages_get_an_owner_and_review_dates(
    handbook: Path, kind: str, section: str, owner: str, months: int
) -> None:
    from datetime import date

    from handbook.content.knowledge_base.front_matter import read_front_matter

    page = new_page.scaffold(
        new_page.Request(
            kind, "new-topic", "New topic", section, "Reference" if kind == "general" else None, {}
        ),
        handbook,
    )
    front = read_front_matter(page.read_text(encoding="utf-8"))
    assert front is not None and front.data == {
        "owner": owner,
        "last_reviewed": date.today().isoformat(),
        "review_in": months,
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"owner": "jane"},
            "review front matter: field 'owner' is 'jane', which is not a role of roles.yaml",
        ),
        ({"review_in": "5"}, "field 'review_in' is 5; expected a number of months: 3, 6, 12, 24"),
        ({"review_in": "five"}, "field 'review_in' is \"five\"; expected a number of months"),
        (
            {"last_reviewed": "yesterday"},
            'field \'last_reviewed\' is "yesterday"; expected a date written "YYYY-MM-DD"',
        ),
    ],
)
def test_new_pages_refuse_bad_review_fields(
    handbook: Path, values: dict[str, str], message: str
) -> None:
    with pytest.raises(new_page.ScaffoldError, match=re.escape(message)):
        new_page.scaffold(
            new_page.Request("onboarding", "new-topic", "New topic", "onboarding", None, values),
            handbook,
        )
    assert not (handbook / "onboarding" / "new-topic.md").exists()


@shared_build
def test_the_weekly_report_groups_what_is_due_by_owner(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "tools" / "review_report.py"),
            str(built[0] / "review.json"),
            "--site",
            "https://example.org/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stdout
    assert report.startswith(f"Review schedule of the handbook on {TODAY}: **3** pages past")
    past = report[report.index("## Past their review date") : report.index("## Due within")]
    assert "### @example/page-editors" in past and "### @example/source-checkers" in past
    assert "| [old](https://example.org/old.html) | 2025-04-30 | last review | 397 |" in past
    assert "source `Example_WebPage_2026` read" in past
    assert "`Example_Mirror_2025` | A copy of a page on another site | `secondary`" in report
    assert review_report.main([str(tmp_path / "missing.json")]) == 1


# -- The real handbook -----------------------------------------------------------------------

CONTENT = (
    "index",
    "bib/index",
    "research/index",
    "research/programmes/t2k",
    "institutions/ilance",
    "onboarding/time-zones",
    "translation-status",
)


@pytest.mark.site
def test_every_page_of_the_handbook_has_an_owner_and_a_due_date(site: Build) -> None:
    data = review_json(site.html)
    pages = by_page(data)
    # Every page of the site (the sitemap lists each page made from a source, once).
    sitemap = (site.html / "sitemap.xml").read_text(encoding="utf-8")
    published = {
        url.removesuffix(".html")
        for url in re.findall(rf"<loc>{re.escape(data['site'])}([^<]+)</loc>", sitemap)
    }
    assert len(published) > 40
    assert published == set(pages)
    assert {"index", "translation-status", "review-schedule"} <= set(pages)
    roles = (PROJECT_ROOT / "roles.yaml").read_text(encoding="utf-8")
    for entry in pages.values():
        assert f"{entry['owner']}:" in roles and entry["owner_team"].startswith("@")
    assert pages["onboarding/time-zones"]["owner"] == "onboarding-reviewers"
    assert pages["research/programmes/t2k"]["owner"] == "research-reviewers"


@pytest.mark.site
@pytest.mark.parametrize("page", CONTENT)
def test_handbook_pages_show_their_review_dates(site: Build, page: str) -> None:
    entry = by_page(review_json(site.html))[page]
    line = soup(site.html, page).select_one(".last-updated .review-dates")
    assert line is not None
    assert f"Last reviewed on {entry['last_reviewed']}" in line.get_text()
    assert entry["due"] in line.get_text()


@pytest.mark.site
def test_the_schedule_is_linked_for_contributors_but_not_in_the_navigation(site: Build) -> None:
    home = soup(site.html, "index")
    assert home.select_one('nav a[href="review-schedule.html"]') is None
    status = soup(site.html, "translation-status")
    assert status.select_one('article a[href="review-schedule.html"]') is not None
    assert status.select_one("article .translation-stale-pages, article p") is not None
    schedule = soup(site.html, "review-schedule")
    rows = schedule.select("table.review-schedule tbody tr")
    assert len(rows) == len(review_json(site.html)["pages"])


def test_roles_are_the_codeowners_teams() -> None:
    import yaml

    roles = yaml.safe_load((PROJECT_ROOT / "roles.yaml").read_text(encoding="utf-8"))["roles"]
    codeowners = (PROJECT_ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    teams = set(re.findall(r"@ilance-handbook/[a-z-]+", codeowners))
    assert {role["team"] for role in roles.values()} <= teams
    assert set(roles) == {team.split("/")[1] for team in teams} - {"infrastructure-reviewers"}


@pytest.mark.site
def test_weak_sources_and_old_status_checks_of_the_handbook_stay_on_the_schedule(
    site: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: every [secondary] source the handbook cites is listed on the schedule, and
    every programme status checked longer ago than its page's review period is listed as
    overdue (here on a day far enough ahead that all of them are)."""
    report = json.loads((site.html / "review.json").read_text(encoding="utf-8"))
    labelled = {
        entry.key
        for entry in bib_rules.secondary_entries(sorted((PROJECT_ROOT / "bib").glob("*.bib")))
    }
    assert labelled, "the handbook cites secondary sources; the schedule must see them"
    assert {source["key"] for source in report["secondary_sources"]} == labelled

    # `make html` itself, not sphinx.testing: the command line README documents
    # (HANDBOOK_TODAY=... make html) must carry the day into the real handbook's build.
    monkeypatch.setenv("HANDBOOK_TODAY", "2040-01-01")
    later = run_make("html", PROJECT_ROOT, tmp_path / "later")
    assert later.returncode == 0, later.stderr[-3000:]
    overdue = json.loads((later.html / "review.json").read_text(encoding="utf-8"))
    checked = {
        path.relative_to(PROJECT_ROOT).with_suffix("").as_posix()
        for path in (PROJECT_ROOT / "research" / "programmes").glob("*.md")
        if re.search(r"^status_checked:", path.read_text(encoding="utf-8"), re.M)
    }
    assert checked
    assert {
        fact["page"] for fact in overdue["overdue_facts"] if fact["fact"] == "status"
    } == checked


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("owner", "page-editors", "jane"),
        ("review_in", "6", "5"),
        ("last_reviewed", '"2026-05-01"', "yesterday"),
    ],
)
def test_new_page_refuses_a_bad_review_field_with_the_builds_message(
    app: SphinxTestApp, field: str, old: str, new: str
) -> None:
    srcdir = app.srcdir
    edit(srcdir / "plain.md", f"{field}: {old}\n", f"{field}: {new}\n")
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())  # no colours
    errors = [line.split(" ERROR: ", 1)[1] for line in warnings.splitlines() if " ERROR: " in line]
    assert len(errors) == 1, errors
    with pytest.raises(new_page.ScaffoldError) as refused:
        new_page.scaffold(
            new_page.Request("general", "new-topic", "New topic", ".", None, {field: new}), srcdir
        )
    lines = [line.strip() for line in str(refused.value).splitlines()]
    assert errors[0] in lines, (errors[0], lines)
