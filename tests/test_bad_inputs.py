"""A contributor's one-line mistake fails `make html` with the file, the line and the fix.

Each case of tests/bad_inputs.py is applied to a fresh copy of the handbook, which is built
with the Makefile as a contributor would. The build must fail, print a located error
(``path:line: ERROR: ...``) whose words match the case, and print no Python traceback.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from bad_inputs import CASES, PAGE, Case, append, batches
from conftest import Build, copy_project, run_make

# Builds copies of the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site


#: Sphinx colours its messages when CI=true, as on CI: the colour codes are not the message.
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def output_lines(text: str) -> list[str]:
    return COLOUR.sub("", text).splitlines()


def located_errors(build: Build, path: str, line: int | None) -> list[str]:
    """The output lines that report an error at ``path`` (and ``line``, when given)."""
    where = re.escape(path) + (f":{line}:" if line else r"(:\d*)?:")
    return [
        text
        for text in output_lines(build.stdout + build.stderr)
        if re.search(rf"(^|/){where} ERROR: ", text)
    ]


@dataclass(frozen=True)
class Outcome:
    """One case after its group's build: the line it must be reported at, and the build."""

    line: int | None
    build: Build


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Each group of cases applied to its own copy of the handbook, built with `make html`."""
    results: dict[str, Outcome] = {}
    for number, group in enumerate(batches()):
        root = tmp_path_factory.mktemp(f"bad-inputs-{number}")
        project = copy_project(root / "project")
        lines = {case.name: case.apply(project) for case in group}
        build = run_make("html", project, root / "build")
        results.update({case.name: Outcome(lines[case.name], build) for case in group})
    return results


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_fails_with_a_located_error(case: Case, outcomes: dict[str, Outcome]) -> None:
    line, build = outcomes[case.name].line, outcomes[case.name].build
    output = build.stdout + build.stderr
    assert build.returncode != 0, f"the build passed despite: {case.name}"
    assert "Traceback" not in output, output[-4000:]
    errors = located_errors(build, case.path, line)
    assert errors, f"no error at {case.path}:{line}:\n{build.stderr[-6000:]}"
    assert any(re.search(case.message, error) for error in errors), "\n".join(errors)


def test_each_error_is_one_line_naming_the_file(outcomes: dict[str, Outcome]) -> None:
    """No error without a location: every ERROR line starts with a path."""
    for outcome in outcomes.values():
        for text in output_lines(outcome.build.stderr):
            if "ERROR:" in text:
                assert re.match(r"^\S+\.(md|bib|csv|yaml|html)(:\d*)?: ERROR: ", text), text


def test_the_table_covers_every_kind_of_input() -> None:
    """At least twenty cases, across pages, front matter, .bib files and data files."""
    kinds = {Path(case.path).suffix for case in CASES}
    assert len(CASES) >= 20
    assert {".md", ".bib", ".csv", ".yaml"} <= kinds


def test_a_failed_build_keeps_the_last_good_site_and_fails_again(tmp_path: Path) -> None:
    """Nothing is lost: the previous site stays whole, and a second run shows the error again."""
    project = copy_project(tmp_path / "project")
    builddir = tmp_path / "build"
    good = run_make("html", project, builddir)
    assert good.returncode == 0, good.stderr[-3000:]
    page = builddir / "html" / "onboarding" / "time-zones.html"
    published = page.read_text(encoding="utf-8")

    line = Case("unknown label", PAGE, append("See {ref}`label-nobody-wrote`."), "").apply(project)
    for attempt in ("first", "second"):
        failed = run_make("html", project, builddir)
        assert failed.returncode != 0, f"the {attempt} build after the mistake passed"
        assert located_errors(failed, PAGE, line), failed.stderr[-3000:]
        assert page.read_text(encoding="utf-8") == published, "the failed build changed the site"
        assert (builddir / "html" / "index.html").is_file()

    source = project / PAGE
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "See {ref}`label-nobody-wrote`.", "See the table above."
        ),
        encoding="utf-8",
    )
    fixed = run_make("html", project, builddir)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    assert "See the table above." in page.read_text(encoding="utf-8")


def test_bom_and_windows_line_ends_in_a_data_file_are_accepted(tmp_path: Path) -> None:
    """What spreadsheets save by default is not a mistake: the build reads it."""
    project = copy_project(tmp_path / "project")
    airports = project / "onboarding" / "data" / "airports.csv"
    text = airports.read_text(encoding="utf-8")
    airports.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    build = run_make("html", project, tmp_path / "build")
    assert build.returncode == 0, build.stderr[-3000:]
    shutil.rmtree(tmp_path / "build")
