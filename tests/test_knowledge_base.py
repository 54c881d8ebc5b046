"""The knowledge-base extension on a small test handbook (tests/roots/test-knowledge-base)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import edit
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-knowledge-base"


#: sphinx.testing's ``make_app`` fixture: builds an application that it cleans up itself.
MakeApp = Callable[..., SphinxTestApp]


class Built:
    """A Sphinx test build of a copy of the root, with its status and warning streams.

    The application comes from sphinx.testing's ``make_app``, which cleans it up.
    """

    def __init__(self, make_app: MakeApp, srcdir: Path, parallel: int = 0) -> None:
        self.srcdir = srcdir
        self.app = make_app("html", srcdir=srcdir, builddir=srcdir / "_build", parallel=parallel)
        self.status, self.warnings = self.app.status, self.app.warning
        self.read_docs: list[str] = []
        self.app.connect("env-before-read-docs", lambda _a, _e, docs: self.read_docs.extend(docs))

    def build(self) -> Built:
        self.read_docs.clear()
        for stream in (self.status, self.warnings):
            stream.seek(0)
            stream.truncate()
        self.app.build()
        return self

    def page(self, docname: str) -> str:
        return (self.app.outdir / f"{docname}.html").read_text(encoding="utf-8")

    def close(self) -> None:
        """Nothing to do: kept so that a test says where it is done with the build."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT, tmp_path / "root"))


def tables(html: str) -> list[str]:
    return re.findall(r'<table class="[^"]*kb-[^"]*".*?</table>', html, re.DOTALL)


def test_valid_data_renders_infoboxes_tables_and_reverse_index(
    make_app: MakeApp, project: Path
) -> None:
    built = Built(make_app, project).build()
    assert built.warnings.getvalue() == ""
    alpha = built.page("research/programmes/alpha")
    [infobox] = tables(alpha)
    assert "Alpha Neutrino Experiment" in infobox
    assert 'href="../../institutions/uni.html"' in infobox  # host, linked
    assert "https://doi.org/10.1000/alpha.2001" in infobox  # key reference, linked
    assert "Alpha Collaboration et al. (2001)" in infobox
    catalogue = tables(built.page("index"))[0]
    assert catalogue.index(">Alpha<") < catalogue.index(">Beta<")  # neutrino field first
    [field] = tables(built.page("research/fields/neutrino-physics"))
    assert ">Alpha<" in field and ">Beta<" not in field
    uni = built.page("institutions/uni")
    assert re.search(r"ILANCE programmes.*?>Alpha<.*?>Beta<", uni, re.DOTALL)  # reverse index
    [lab] = tables(built.page("institutions/lab"))
    assert re.search(r"ILANCE programmes.*?>Alpha<", lab, re.DOTALL)
    assert ">Beta<" not in lab
    assert "<svg" in built.page("index")  # diagram and timeline
    built.close()


INVALID = [
    pytest.param(
        "research/programmes/alpha",
        "site: Test mine\n",
        "",
        "alpha.md:2: ERROR: programme front matter: required field 'site' is missing",
        id="missing-field",
    ),
    pytest.param(
        "research/programmes/alpha",
        "country: Japan\n",
        "country: Japan\ncolour: red\n",
        "alpha.md:9: ERROR: programme front matter: unknown field(s) 'colour'",
        id="unknown-field",
    ),
    pytest.param(
        "institutions/uni",
        "founded: 1877",
        "founded: long ago",
        "uni.md:8: ERROR: institution front matter: field 'founded' is \"long ago\"; "
        "expected a value of type integer",
        id="wrong-type",
    ),
    pytest.param(
        "research/programmes/alpha",
        "areas: [neutrino-physics]",
        "areas: [alchemy]",
        "alpha.md:5: ERROR: programme front matter: field 'areas[0]' is \"alchemy\"; "
        "expected one of 'neutrino-physics'",
        id="unknown-area",
    ),
    pytest.param(
        "research/programmes/alpha",
        "host: institutions/uni",
        "host: institutions/nowhere",
        "alpha.md:9: ERROR: programme front matter: field 'host' names "
        "'institutions/nowhere', which is not an institution page",
        id="unknown-institution",
    ),
    pytest.param(
        "research/programmes/alpha",
        "references: [Alpha_Detector_2001]",
        "references: [Nobody_Nothing_1999]",
        "alpha.md:15: ERROR: programme front matter: field 'references' cites "
        "'Nobody_Nothing_1999', which is not a key in bib/",
        id="unknown-bibtex-key",
    ),
    pytest.param(
        "research/programmes/alpha",
        'status_checked: "2026-11-25"',
        'status_checked: "25/11/2026"',
        "alpha.md:11: ERROR: programme front matter: field 'status_checked' is "
        '"25/11/2026"; expected a valid date (YYYY-MM-DD)',
        id="bad-date",
    ),
    pytest.param(
        "research/programmes/alpha",
        "country: Japan\n",
        "country: [Japan\n",
        "alpha.md:9: ERROR: front matter: invalid YAML",
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("page", "old", "new", "message"), INVALID)
def test_invalid_data_fails_with_page_field_and_expectation(
    make_app: MakeApp, project: Path, page: str, old: str, new: str, message: str
) -> None:
    edit(project / f"{page}.md", old, new)
    built = Built(make_app, project).build()
    warnings = built.warnings.getvalue()
    assert message in warnings, warnings
    assert "Traceback" not in warnings and "Exception" not in warnings
    assert built.app.statuscode == 0 or built.app._warncount > 0
    built.close()


def test_front_matter_edit_reads_one_page_and_rewrites_its_dependents(
    make_app: MakeApp, project: Path
) -> None:
    built = Built(make_app, project).build()
    assert "Operating" in tables(built.page("index"))[0]
    edit(project / "research/programmes/alpha.md", "status: operating", "status: completed")
    built.build()
    assert built.read_docs == ["research/programmes/alpha"]
    assert "Completed" in tables(built.page("index"))[0]
    assert "Completed" in tables(built.page("research/fields/neutrino-physics"))[0]
    # A change of body text rewrites the page (and, as Sphinx always does, the page whose
    # toctree lists it), but no page that merely shows its data.
    dependents = [
        built.app.outdir / "research/fields/neutrino-physics.html",
        built.app.outdir / "institutions/uni.html",
    ]
    before = [path.stat().st_mtime_ns for path in dependents]
    edit(project / "research/programmes/alpha.md", "is a test experiment", "is an experiment")
    built.build()
    assert built.read_docs == ["research/programmes/alpha"]
    assert [path.stat().st_mtime_ns for path in dependents] == before
    built.close()


def test_parallel_and_serial_builds_render_identical_tables(
    make_app: MakeApp, tmp_path: Path
) -> None:
    pages = [
        "index",
        "research/fields/neutrino-physics",
        "institutions/uni",
        "research/programmes/alpha",
    ]
    outputs = []
    for parallel in (0, 2):
        srcdir = Path(shutil.copytree(ROOT, tmp_path / f"root-{parallel}"))
        built = Built(make_app, srcdir, parallel=parallel).build()
        assert built.warnings.getvalue() == ""
        outputs.append({page: tables(built.page(page)) for page in pages})
        built.close()
    assert outputs[0] == outputs[1]
    assert all(outputs[0].values())


# -- One set of rules: `make new-page` and the build say the same words ---------------------

#: A bad value of a programme field, as it stands in alpha.md and as --set gives it.
SAME_WORDS = [
    pytest.param("status", "operating", "running", id="not-allowed"),
    pytest.param("status_checked", '"2026-11-25"', '"25/11/2026"', id="bad-date"),
    pytest.param("host", "institutions/uni", "institutions/nowhere", id="unknown-institution"),
    pytest.param(
        "references", "[Alpha_Detector_2001]", "[Nobody_Nothing_1999]", id="unknown-bibtex-key"
    ),
    pytest.param("status_source", "https://alpha.test/status", "somewhere", id="bad-source"),
    pytest.param("website", "https://alpha.test/", "alpha.test", id="not-a-web-address"),
]


@pytest.mark.parametrize(("field", "old", "new"), SAME_WORDS)
def test_new_page_refuses_a_bad_value_with_the_builds_message(
    make_app: MakeApp, project: Path, field: str, old: str, new: str
) -> None:
    import new_page

    edit(project / "research/programmes/alpha.md", f"{field}: {old}", f"{field}: {new}")
    built = Built(make_app, project).build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", built.warnings.getvalue())  # no colours
    errors = [line.split(" ERROR: ", 1)[1] for line in warnings.splitlines() if " ERROR: " in line]
    built.close()
    assert len(errors) == 1, errors
    given = {
        "full_name": "Gamma",
        "areas": "neutrino-physics",
        "site": "Test mine",
        "country": "Japan",
        "host": "institutions/uni",
        "status": "operating",
        "status_checked": "2026-11-25",
        "status_source": "https://alpha.test/status",
        "ilance_institutions": "institutions/lab",
        "website": "https://gamma.test/",
        "references": "Alpha_Detector_2001",
    }
    request = new_page.Request(
        "programme", "gamma", "Gamma", "research/programmes", None, given | {field: new.strip("[]")}
    )
    with pytest.raises(new_page.ScaffoldError) as refused:
        new_page.scaffold(request, project)
    lines = [line.strip() for line in str(refused.value).splitlines()]
    assert errors[0] in lines, (errors[0], lines)
