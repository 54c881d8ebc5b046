"""The path of a contribution: scaffold a page, pass the checks, get reviewed, get published.

A first-time contributor follows CONTRIBUTING.md and `make new-page`; these tests make
sure that path works on a copy of the real handbook, that the guide says what the tools
do, and that the GitHub and Read the Docs settings, which cannot run here, are at least
valid and safe (checked offline with check-jsonschema and zizmor).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import bibtex_lint
import front_matter_fields
import new_page
import page_addresses
import pytest
import yaml
from conftest import PROJECT_ROOT, VENV, Build, copy_project, run_git, run_make
from handbook.content.knowledge_base.front_matter import read_front_matter
from jsonschema import Draft202012Validator, FormatChecker

# Builds the real handbook with `make html`: `pytest -m site` runs this kind alone.
pytestmark = pytest.mark.site

BIN = VENV / "bin"
CONTRIBUTING = PROJECT_ROOT / "CONTRIBUTING.md"
GITHUB = PROJECT_ROOT / ".github"
SECTIONS = ("research", "institutions", "onboarding", "bib")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*$")


def git_clone_like(project: Path) -> None:
    """Make a copy a git repository with one commit, as a contributor's clone is."""
    run_git(project, "init", "-q")
    run_git(project, "add", "--all")
    run_git(project, "commit", "-q", "-m", "The handbook as cloned")


# -- Scaffolding: four new pages, one build ------------------------------------------------

SCAFFOLDED = {
    "programme": "research/programmes/scaffolded-programme",
    "institution": "institutions/scaffolded-institution",
    "onboarding": "onboarding/scaffolded-topic",
    "general": "research/scaffolded-general",
}


def programme_request(name: str = "scaffolded-programme", **values: str) -> new_page.Request:
    """A programme whose front matter names a key and an institution that really exist."""
    key = sorted(new_page.bib_keys(PROJECT_ROOT))[0]
    institution = sorted(new_page.institution_pages(PROJECT_ROOT))[0]
    given = {
        "full_name": "Scaffolded programme",
        "areas": "neutrino-physics, cosmology",
        "site": "Kamioka",
        "country": "Japan",
        "status": "operating",
        "status_checked": "2026-01-15",
        "status_source": key,
        "ilance_institutions": institution,
        "website": "https://example.org/",
        "references": key,
    } | values
    return new_page.Request(
        "programme", name, "Scaffolded programme", "research/programmes", None, given
    )


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Build]:
    """A clone of the handbook with one new page of each kind, built strictly."""
    root = tmp_path_factory.mktemp("contributing")
    project = copy_project(root / "project")
    git_clone_like(project)
    new_page.scaffold(programme_request(), project)
    new_page.scaffold(
        new_page.Request(
            "institution",
            "scaffolded-institution",
            "Scaffolded institution",
            "institutions",
            None,
            {
                "full_name": "Scaffolded institution",
                "short_name": "SI",
                "category": "laboratory",
                "city": "Kashiwa",
                "country": "Japan",
                "website": "https://example.org/si/",
                "ilance_role": "partner",
            },
        ),
        project,
    )
    new_page.scaffold(
        new_page.Request(
            "onboarding", "scaffolded-topic", "Scaffolded topic", "onboarding", None, {}
        ),
        project,
    )
    # The general page goes through the Makefile, as a contributor types it.
    made = run_make(
        "new-page",
        project,
        root / "unused",
        "KIND=general",
        "SECTION=research",
        "CAPTION=Reference",
        "NAME=scaffolded-general",
        "TITLE=Scaffolded general",
    )
    assert made.returncode == 0, made.stderr
    assert "new-page: created research/scaffolded-general.md" in made.stdout
    return project, run_make("html", project, root / "build")


def test_scaffolded_pages_build_without_warnings(scaffolded: tuple[Path, Build]) -> None:
    _, build = scaffolded
    assert build.returncode == 0, build.stderr[-5000:]
    assert "WARNING" not in build.stderr and "ERROR" not in build.stderr, build.stderr
    for page in SCAFFOLDED.values():
        assert (build.html / f"{page}.html").is_file(), page


def test_scaffolded_pages_appear_in_the_navigation(scaffolded: tuple[Path, Build]) -> None:
    _, build = scaffolded
    home = (build.html / "index.html").read_text(encoding="utf-8")
    navigation = home[home.index('class="bd-links') :]  # the theme's sidebar table of contents
    for page in SCAFFOLDED.values():
        assert f'href="{page}.html"' in navigation, f"{page} is not in the sidebar"


def test_scaffolded_toctree_entries_go_where_the_guide_says(scaffolded: tuple[Path, Build]) -> None:
    project, _ = scaffolded
    research = (project / "research" / "index.md").read_text(encoding="utf-8")
    programmes = research[research.index(":caption: Programmes") :]
    assert (
        programmes[: programmes.index("```")].rstrip().endswith("programmes/scaffolded-programme")
    )
    reference = research[research.index(":caption: Reference") :]
    assert "scaffolded-general" in reference[: reference.index("```")]
    institutions = (project / "institutions" / "index.md").read_text(encoding="utf-8")
    partners = institutions[institutions.index(":caption: Partners") :]
    assert "scaffolded-institution" in partners[: partners.index("```")]


def test_scaffolded_programme_shows_its_facts_and_cites_its_reference(
    scaffolded: tuple[Path, Build],
) -> None:
    project, build = scaffolded
    html = (build.html / f"{SCAFFOLDED['programme']}.html").read_text(encoding="utf-8")
    assert "<h1>Scaffolded programme" in html
    assert "Status checked on 15 January 2026" in html
    assert 'id="footcite-' in html, "the key reference is not in the page's references"
    assert "Lines that start with %" not in html, "the notes to the writer reached readers"
    source = (project / f"{SCAFFOLDED['programme']}.md").read_text(encoding="utf-8")
    citations, problems = bibtex_lint.scan_pages([project / f"{SCAFFOLDED['programme']}.md"])
    assert problems == []
    key = sorted(new_page.bib_keys(PROJECT_ROOT))[0]
    assert key in citations.uses, "bibtex-lint does not see the page's references"
    assert source.startswith("---\npage_type: programme\n")


# -- Scaffolding: what it refuses, before writing anything ---------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def untouched(project: Path) -> bool:
    index = (project / "research" / "index.md").read_text(encoding="utf-8")
    return index == (PROJECT_ROOT / "research" / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"references": "No_Such_2099"},
            "programme front matter: field 'references' cites "
            "'No_Such_2099', which is not a key in bib/",
        ),
        (
            {"ilance_institutions": "institutions/nowhere"},
            "field 'ilance_institutions' names "
            "'institutions/nowhere', which is not an "
            "institution page",
        ),
        ({"status": "running"}, "field 'status' is \"running\"; expected one of 'proposed'"),
        (
            {"status_checked": "25/11/2026"},
            "field 'status_checked' is \"25/11/2026\"; expected a valid date (YYYY-MM-DD)",
        ),
        ({"status_source": "somewhere"}, "which is neither a URL nor a key in bib/"),
        ({"page_type": "institution"}, "cannot set page_type"),
    ],
)
def test_invalid_front_matter_is_refused_and_nothing_is_written(
    project: Path, values: dict[str, str], message: str
) -> None:
    with pytest.raises(new_page.ScaffoldError, match=re.escape(message)):
        new_page.scaffold(programme_request(**values), project)
    assert not (project / "research" / "programmes" / "scaffolded-programme.md").exists()
    assert untouched(project)


def test_missing_fields_are_named_with_the_option_to_give_them(project: Path) -> None:
    request = new_page.Request("programme", "bare", "Bare", "research/programmes", None, {})
    with pytest.raises(new_page.ScaffoldError) as error:
        new_page.scaffold(request, project)
    for field in ("areas", "site", "references", "ilance_institutions"):
        assert f"--set '{field}=...' is required" in str(error.value)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            new_page.Request("general", "Bad_Name", "Title", "research", "Reference", {}),
            "use lower-case letters",
        ),
        (
            new_page.Request("general", "glossary", "Glossary", "research", "Reference", {}),
            "exists already",
        ),
        (new_page.Request("general", "new", "New", "research", None, {}), "several toctrees"),
        (new_page.Request("general", "new", "New", "research", "Nope", {}), "no toctree captioned"),
        (new_page.Request("general", "new", "New", "tools", None, {}), "not a folder of pages"),
        (
            new_page.Request("onboarding", "time-zones-clocks", "Clocks", "onboarding", None, {}),
            "already used by another page",
        ),
    ],
)
def test_unsafe_requests_are_refused(
    project: Path, request_: new_page.Request, message: str
) -> None:
    with pytest.raises(new_page.ScaffoldError, match=re.escape(message)):
        new_page.scaffold(request_, project)
    assert untouched(project)


def test_written_front_matter_reads_back_as_given(project: Path) -> None:
    page = new_page.scaffold(programme_request(), project)
    front = read_front_matter(page.read_text(encoding="utf-8"))
    assert front is not None and front.error is None
    assert front.data["areas"] == ["neutrino-physics", "cosmology"]
    assert front.data["status_checked"] == "2026-01-15"
    assert front.data["short_name"] == "Scaffolded programme"  # suggested from the title


def test_the_command_line_explains_its_failures_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "tools" / "new_page.py"),
            "programme",
            "--name",
            "x",
            "--title",
            "X",
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("new-page: the front matter is not valid")
    assert "Traceback" not in result.stderr


def test_questions_check_each_answer_as_the_guide_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = sorted(new_page.bib_keys(PROJECT_ROOT))[0]
    answers = iter(["JUNO_Physics_2016", f'"{key}"'])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    fields = {field.name: field for field in front_matter_fields.fields("programme")}
    assert new_page.ask("programme", fields["references"], None, PROJECT_ROOT) == [key]
    printed = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    guide = contributing().splitlines()
    assert printed and [line for line in printed if line not in guide] == []


def test_templates_hold_no_placeholder_text_and_one_per_kind() -> None:
    placeholder = re.compile(r"lorem ipsum|\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b", re.IGNORECASE)
    templates = {path.stem: path for path in new_page.TEMPLATES.glob("*.md")}
    assert set(templates) == set(new_page.KINDS)
    for path in templates.values():
        text = path.read_text(encoding="utf-8")
        assert not placeholder.search(text), path.name
        # bibtex-lint scans pages for citation roles, comments included: a template note
        # must never hold one, or every new page would cite a key that does not exist.
        assert not bibtex_lint.CITE_ROLE.search(text), path.name


# -- CONTRIBUTING.md says what the tools do ------------------------------------------------


def contributing() -> str:
    return CONTRIBUTING.read_text(encoding="utf-8")


def test_field_tables_are_generated_from_the_schemas() -> None:
    assert front_matter_fields.with_fresh_tables(contributing()) == contributing(), (
        "run `python tools/front_matter_fields.py --write`"
    )


@pytest.mark.parametrize("kind", [*front_matter_fields.PAGE_KINDS, front_matter_fields.REVIEW_KIND])
def test_documented_fields_are_the_schema_properties(kind: str) -> None:
    text = contributing()
    start = text.index(f"<!-- front-matter-fields: {kind} -->")
    table = text[start : text.index(front_matter_fields.TABLE_END, start)]
    documented = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert documented == list(front_matter_fields.load_schema(kind)["properties"])


@pytest.mark.parametrize("kind", front_matter_fields.PAGE_KINDS)
def test_front_matter_examples_are_valid_and_complete(kind: str) -> None:
    blocks = re.findall(r"```yaml\n---\n(.*?)---\n```", contributing(), re.DOTALL)
    [block] = [b for b in blocks if f"page_type: {kind}\n" in b]
    data = yaml.safe_load(block)
    schema = front_matter_fields.load_schema(kind)
    review_schema = front_matter_fields.load_schema(front_matter_fields.REVIEW_KIND)
    review = {name: data.pop(name) for name in list(data) if name in review_schema["properties"]}
    errors = [
        error
        for part, part_schema in ((data, schema), (review, review_schema))
        for error in Draft202012Validator(part_schema, format_checker=FormatChecker()).iter_errors(
            part
        )
    ]
    assert errors == []
    shown = set(data) | set(review) | set(re.findall(r"^# (\w+):", block, re.MULTILINE))
    assert shown == set(schema["properties"]) | set(review_schema["properties"]), (
        "the example must show every field"
    )


def test_bibtex_example_is_a_real_entry() -> None:
    [example] = re.findall(r"```bibtex\n(.*?)```", contributing(), re.DOTALL)
    assert any(
        example in path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "bib").glob("*.bib")
    )


def test_quoted_error_messages_are_the_tools_own(tmp_path: Path) -> None:
    text = contributing()
    page = tmp_path / "page.md"
    page.write_text("See [@T2K_Nature_2020].\n", encoding="utf-8")
    _, [pandoc] = bibtex_lint.scan_pages([page])
    assert pandoc.message in text
    assert "new page; run `make page-addresses` to record it" in text
    assert "published before, missing now; add a redirect in conf.py" in text
    source = Path(page_addresses.__file__).read_text(encoding="utf-8")
    assert "new page; run `make page-addresses` to record it" in source
    assert "published before, missing now; add a redirect in conf.py" in source
    assert "the front-matter tables differ from the schemas" in Path(
        front_matter_fields.__file__
    ).read_text(encoding="utf-8")


def test_commands_and_files_named_in_the_guide_exist() -> None:
    text = contributing()
    help_text = subprocess.run(
        ["make", "--no-print-directory", "-C", str(PROJECT_ROOT), "help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    targets = set(re.findall(r"make ([a-z][a-z-]*)", help_text))
    assert set(re.findall(r"\bmake ([a-z][a-z-]+)", text)) <= targets
    named = re.findall(
        r"`((?:tools|tests|_ext|\.github)/[\w./-]+|\.[\w.-]+\.(?:txt|yaml)|"
        r"\.codespellrc)`",
        text,
    )
    assert named, "no file named?"
    assert [n for n in named if not (PROJECT_ROOT / n).exists()] == []


# -- Sections, reviewers and templates on GitHub --------------------------------------------


def codeowners() -> dict[str, list[str]]:
    rules = {}
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            rules[pattern] = owners
    return rules


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_readme_names_its_scope_and_the_codeowners_team(section: str) -> None:
    readme = (PROJECT_ROOT / section / "README.md").read_text(encoding="utf-8")
    assert "**Scope.**" in readme and "**Who reviews.**" in readme
    [team] = codeowners()[f"/{section}/"]
    assert team in readme


def test_codeowners_names_roles_and_existing_paths() -> None:
    for pattern, owners in codeowners().items():
        assert owners and all(
            re.fullmatch(r"@ilance-handbook/[a-z]+(-[a-z]+)*-reviewers", o) for o in owners
        ), pattern
        if pattern != "*":
            assert (PROJECT_ROOT / pattern.strip("/")).exists(), pattern


def test_pull_request_checklist_names_the_checks() -> None:
    checklist = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    for check in ("make test", "strict build", "bibtex-lint", "link check", "make page-addresses"):
        assert check in checklist, check


def test_issue_forms_cover_errors_new_pages_and_broken_links() -> None:
    names = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        for path in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml")
        if path.name != "config.yml"
    }
    assert names == {"Report an error in a page", "Propose a new page", "Report a broken link"}


# -- Local checks: pre-commit, offline --------------------------------------------------------


def precommit_config() -> dict:
    return yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


def test_every_hook_runs_from_the_project_environment() -> None:
    """`repo: local` + `language: system` + a .venv program: pre-commit downloads nothing."""
    for repo in precommit_config()["repos"]:
        assert repo["repo"] == "local"
        for hook in repo["hooks"]:
            assert hook["language"] == "system", hook["id"]
            program = hook["entry"].split()[0]
            assert program.startswith(".venv/bin/"), hook["id"]
            assert (BIN / program.removeprefix(".venv/bin/")).exists(), program


def test_make_lint_runs_pre_commit_on_every_file_with_its_state_in_the_venv() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nlint:") :].split("\n\n")[0]
    assert "pre-commit run --all-files" in recipe
    assert "PRE_COMMIT_HOME=$(abspath $(VENV))" in recipe


def test_pre_commit_catches_whitespace_spelling_and_citation_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / ".venv").symlink_to(VENV)
    page = project / "onboarding" / "index.md"
    typo = "reci" + "eve"  # spelled out here, so that codespell passes this file
    page.write_text(
        page.read_text(encoding="utf-8") + f"\nVisitors {typo} a card [@T2K_Nature_2020].   \n\n\n",
        encoding="utf-8",
    )
    git_clone_like(project)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    result = subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    failed = set(re.findall(r"^- hook id: ([\w-]+)", result.stdout, re.MULTILINE))
    assert failed == {"whitespace", "codespell", "bibtex-lint"}, result.stdout
    assert f"{typo} ==> receive" in result.stdout
    assert page.read_text(encoding="utf-8").endswith("[@T2K_Nature_2020].\n")


# -- Workflows and Read the Docs: valid and safe, offline --------------------------------------


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", "--color", "never", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflows_match_the_github_schema(schema: str) -> None:
    result = check_jsonschema(schema, *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_settings_files_match_their_schemas() -> None:
    forms = [p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"]
    for schema, paths in [
        ("vendor.github-issue-forms", forms),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
        ("vendor.readthedocs", [PROJECT_ROOT / ".readthedocs.yaml"]),
    ]:
        result = check_jsonschema(schema, *paths)
        assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor() -> None:
    result = zizmor(GITHUB / "workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_or_settings_file_is_caught(tmp_path: Path) -> None:
    ci = (GITHUB / "workflows" / "ci.yml").read_text(encoding="utf-8")
    no_runner = tmp_path / "no-runner.yml"
    no_runner.write_text(ci.replace("    runs-on: ubuntu-24.04\n", ""), encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", no_runner).returncode == 1
    no_timeout = tmp_path / "no-timeout.yml"
    no_timeout.write_text(re.sub(r"\n +timeout-minutes: \d+", "", ci), encoding="utf-8")
    assert check_jsonschema("custom.github-workflows-require-timeout", no_timeout).returncode == 1
    injected = tmp_path / "workflows" / "injected.yml"
    injected.parent.mkdir()
    injected.write_text(
        ci.replace("run: bash .ci/run", 'run: echo "${{ github.event.pull_request.title }}"'),
        encoding="utf-8",
    )
    assert zizmor(injected).returncode != 0, "template injection not reported"
    readthedocs = tmp_path / ".readthedocs.yaml"
    readthedocs.write_text(
        (PROJECT_ROOT / ".readthedocs.yaml")
        .read_text(encoding="utf-8")
        .replace("version: 2", "version: 3"),
        encoding="utf-8",
    )
    assert check_jsonschema("vendor.readthedocs", readthedocs).returncode == 1


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commit_shas_with_their_version(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(("uses:", "- uses:")):
            reference = line.split("uses:", 1)[1].strip()
            assert PINNED.match(reference), f"{path.name}: {reference}"


def test_ci_runs_the_test_suite_on_pull_requests_and_main() -> None:
    ci = yaml.safe_load((GITHUB / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    triggers = ci[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert ci["permissions"] == {}
    steps = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in steps


def test_publish_builds_with_the_pdf_and_deploys_main_to_pages() -> None:
    publish = yaml.safe_load((GITHUB / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    assert publish[True]["push"]["branches"] == ["main"]
    assert publish["permissions"] == {}
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert "make all" in [step.get("run") for step in build["steps"]]
    used = [step.get("uses", "").split("@")[0] for job in (build, deploy) for step in job["steps"]]
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= set(used)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "write" not in build["permissions"].values()
