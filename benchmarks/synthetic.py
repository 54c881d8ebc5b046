"""A synthetic handbook of any size, written in each flavour the benchmark builds.

The pages imitate the real ones: sections and sub-sections with labels, cross-references
to other pages, citations of real keys from bib/, glossary terms from
research/glossary-terms/, inline and display math, lists, tables, notes, and the knowledge
base's programme and institution front matter on some pages. The tree has the handbook's
shape (root, sections, field pages, leaf pages, up to four levels), so the navigation costs
what it costs on the real site.

One page model is written in four flavours, so that every build measures the same
content: ``handbook`` (our configuration), ``plain`` (our configuration without our own
extensions), ``bare`` (myst-parser alone on Sphinx's default theme) and ``mkdocs``
(MkDocs Material). Text is drawn from a seeded generator: the same size always gives the
same pages.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FLAVOURS = ("handbook", "plain", "bare", "mkdocs")

AREAS = (
    "neutrino-physics",
    "cosmology",
    "astrophysics",
    "astroparticle-physics",
    "particle-physics",
)
AREA_TITLES = dict(
    zip(
        AREAS,
        (
            "Neutrino physics",
            "Cosmology",
            "Astrophysics",
            "Astroparticle physics",
            "Particle physics",
        ),
        strict=True,
    )
)
# The pages that every synthetic handbook has, whatever its size.
FIXED_PAGES = 5 + len(AREAS) + 1  # root, 3 section indexes, glossary, fields, bibliography

_VOCABULARY = (
    "neutrino detector beam oscillation flavour mass ordering mixing angle phase violation "
    "telescope survey galaxy cluster redshift spectrum photon cosmic background polarization "
    "inflation structure lensing supernova collapse remnant gravitational wave interferometer "
    "mirror laser cryogenic vacuum seismic isolation collider luminosity boson coupling "
    "calorimeter tracker trigger readout electronics calibration simulation analysis "
    "systematic uncertainty statistical sensitivity exposure fiducial volume target proton "
    "kaon pion muon electron tau lepton hadron quark gluon field symmetry parameter model "
    "prediction measurement result sample selection efficiency background signal excess limit "
    "interval confidence likelihood fit chain sampler cluster node storage transfer network "
    "campus laboratory collaboration meeting schedule visitor housing office badge training "
    "safety shift operation upgrade construction installation commissioning review agreement "
    "partner institute university group student engineer researcher programme project report "
    "paper talk seminar workshop school timetable station platform train bus ticket card "
    "account"
)
WORDS = _VOCABULARY.split()

SECTION_TITLES = (
    "Scientific goals",
    "Detector design",
    "Data taking",
    "Calibration methods",
    "Analysis strategy",
    "Systematic uncertainties",
    "Recent results",
    "Future upgrades",
    "Computing model",
    "Collaboration structure",
    "Working with the group",
    "Open questions",
    "Practical information",
    "Further reading",
)
SUBSECTION_TITLES = ("Method", "Status", "Numbers", "Caveats", "Contacts by role")

MATH = (
    r"P(\nu_\mu \to \nu_e) \approx \sin^2 2\theta_{13} \sin^2 \theta_{23}"
    r" \sin^2 \frac{\Delta m^2_{31} L}{4E}",
    r"E^2 = p^2 c^2 + m^2 c^4",
    r"H^2(z) = H_0^2 \left[ \Omega_m (1+z)^3 + \Omega_\Lambda \right]",
    r"\sigma = \frac{N_{\mathrm{obs}} - N_{\mathrm{bkg}}}{\varepsilon \, \mathcal{L}}",
    r"h(t) = \frac{\Delta L(t)}{L}",
)
INLINE_MATH = (
    r"\theta_{13}",
    r"\Delta m^2_{32}",
    r"\delta_\mathrm{CP}",
    r"H_0",
    r"\sqrt{s} = 250\,\mathrm{GeV}",
    r"r < 0.036",
    r"z \approx 1.5",
)

INSTITUTION_CATEGORIES = (
    "laboratory",
    "university",
    "research-organisation",
    "university-institute",
    "national-institute",
)
INSTITUTION_ROLES = ("partner", "programme-partner", "division")
STATUSES = ("proposed", "in-preparation", "under-construction", "operating", "completed")

# -- Inline content --------------------------------------------------------------------------
# An inline item is a tuple whose first element says what it is; each flavour writes it.
Inline = tuple[str, ...]


@dataclass
class Block:
    """One block of a page body: a paragraph, list, table, equation, note or code."""

    kind: str
    items: list[Any] = field(default_factory=list)
    label: str = ""


@dataclass
class Section:
    title: str
    label: str
    slug: str
    blocks: list[Block]
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Page:
    """A page of the synthetic handbook, independent of the flavour it is written in."""

    docname: str
    title: str
    label: str
    intro: list[Inline]
    sections: list[Section] = field(default_factory=list)
    toctrees: list[tuple[str | None, list[str]]] = field(default_factory=list)
    front_matter: dict[str, Any] | None = None
    kb_directives: list[str] = field(default_factory=list)  # programme-catalogue and friends

    def has_footcites(self) -> bool:
        return any(item[0] == "footcite" for item in self.inlines())

    def inlines(self) -> Iterator[Inline]:
        yield from self.intro
        for section in self.sections:
            for sub in (section, *section.subsections):
                for block in sub.blocks:
                    for item in block.items:
                        if block.kind in ("list", "note"):
                            yield from item
                        elif block.kind == "para":
                            yield item


# -- Reading the project's real data ----------------------------------------------------------
def bib_keys(project: Path) -> list[str]:
    """Every citation key of the project's .bib files, sorted so runs are repeatable."""
    keys: set[str] = set()
    for bib in (project / "bib").glob("*.bib"):
        keys.update(
            re.findall(
                r"^@(?!string|comment|preamble)\w+\{([^,\s]+),",
                bib.read_text(encoding="utf-8"),
                re.MULTILINE | re.IGNORECASE,
            )
        )
    return sorted(keys)


def glossary_terms(project: Path) -> list[str]:
    """The terms defined in research/glossary-terms/ (a term is an unindented line)."""
    terms: list[str] = []
    for fragment in sorted((project / "research" / "glossary-terms").glob("*.md")):
        inside = False
        for line in fragment.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                inside = line.startswith("```{glossary}")
                continue
            if inside and line and not line[0].isspace():
                terms.append(line.strip())
    return terms


def slugify(title: str) -> str:
    """MyST's heading anchor (GitHub style) and MkDocs's default id for the same title."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


# -- The tree -----------------------------------------------------------------------------
@dataclass
class Plan:
    """Which pages exist and where: the shape of the synthetic handbook."""

    institutions: list[str]
    programmes: dict[str, list[str]]  # area -> docnames
    topics: dict[str, list[str]]  # area -> docnames
    chapters: dict[str, list[str]]  # onboarding chapter index -> guide docnames

    @property
    def leaves(self) -> list[str]:
        out = list(self.institutions)
        for area in AREAS:
            out += self.programmes[area] + self.topics[area]
        for guides in self.chapters.values():
            out += guides
        return out


def plan(pages: int) -> Plan:
    """Share the pages among sections in proportions close to the real handbook's."""
    rest = max(pages - FIXED_PAGES, len(AREAS) * 2 + 4)
    n_inst = max(2, rest * 8 // 100)
    n_prog = max(len(AREAS), rest * 12 // 100)
    n_onb = max(2, rest * 20 // 100)
    n_chapters = max(1, n_onb // 11)
    n_guides = n_onb - n_chapters  # each chapter has an index page
    n_topics = rest - n_inst - n_prog - n_onb
    institutions = [f"institutions/inst-{i:03d}" for i in range(1, n_inst + 1)]
    programmes: dict[str, list[str]] = {a: [] for a in AREAS}
    topics: dict[str, list[str]] = {a: [] for a in AREAS}
    for i in range(n_prog):
        area = AREAS[i % len(AREAS)]
        programmes[area].append(f"research/{area}/programme-{i + 1:03d}")
    for i in range(n_topics):
        area = AREAS[i % len(AREAS)]
        topics[area].append(f"research/{area}/topic-{i + 1:03d}")
    chapters: dict[str, list[str]] = {}
    for c in range(n_chapters):
        chapters[f"onboarding/chapter-{c + 1:02d}/index"] = [
            f"onboarding/chapter-{c + 1:02d}/guide-{g + 1:03d}"
            for g in range(c, n_guides, n_chapters)
        ]
    return Plan(institutions, programmes, topics, chapters)


class Writer:
    """Draws the text of the pages from one seeded generator."""

    def __init__(self, plan: Plan, keys: Sequence[str], terms: Sequence[str]) -> None:
        self.plan, self.keys, self.terms = plan, list(keys), list(terms)
        self.leaves = plan.leaves
        self.sections: dict[str, list[Section]] = {}  # filled as pages are made

    def words(self, rng: random.Random, n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def sentence(self, rng: random.Random) -> str:
        text = self.words(rng, rng.randint(8, 14))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, rng: random.Random, docname: str, sentences: int = 3) -> list[Inline]:
        """Plain sentences with one or two marked-up items: terms, citations, links, math."""
        out: list[Inline] = []
        for i in range(sentences):
            out.append(("text", self.sentence(rng) + " "))
            if i % 2 == 0:
                out.append(self.markup(rng, docname))
                out.append(("text", " " + self.sentence(rng) + " "))
        return out

    def markup(self, rng: random.Random, docname: str) -> Inline:
        kind = rng.choices(
            ("term", "cite", "footcite", "ref", "doc", "link", "math"),
            weights=(3, 1, 2, 1, 1, 1, 1),
        )[0]
        if kind == "term":
            return ("term", rng.choice(self.terms))
        if kind in ("cite", "footcite"):
            return (kind, rng.choice(self.keys))
        if kind == "math":
            return ("math", rng.choice(INLINE_MATH))
        target = rng.choice([d for d in self.leaves if d != docname] or self.leaves)
        if kind == "doc":
            return ("doc", target)
        # Section links point at pages whose sections are already drawn (earlier pages).
        drawn = [d for d in self.sections if d != docname]
        if not drawn:
            return ("doc", target)
        target = rng.choice(drawn)
        section = rng.choice(self.sections[target])
        if kind == "ref":
            return ("ref", target, section.label, section.title.lower())
        return ("link", target, section.slug, section.title.lower(), section.label)

    def body(self, rng: random.Random, docname: str, stem: str) -> list[Section]:
        """About 1,500 words in six sections, one of them with sub-sections."""
        titles = rng.sample(SECTION_TITLES, 6)
        sections = []
        for i, title in enumerate(titles):
            blocks = [
                Block("para", self.paragraph(rng, docname)),
                Block("para", self.paragraph(rng, docname)),
            ]
            extra = i % 4
            if extra == 0:
                blocks.append(Block("list", [self.paragraph(rng, docname, 1) for _ in range(4)]))
            elif extra == 1:
                blocks.append(Block("math", [rng.choice(MATH)], label=f"{stem}-eq-{i}"))
            elif extra == 2:
                rows = [
                    [self.words(rng, 2), f"{rng.randint(1, 999)}", self.words(rng, 4)]
                    for _ in range(4)
                ]
                blocks.append(Block("table", [["Quantity", "Value", "Comment"], *rows]))
            else:
                blocks.append(Block("note", [self.paragraph(rng, docname, 2)]))
            blocks.append(Block("para", self.paragraph(rng, docname, 3)))
            subsections = []
            if i == 2:
                for sub in rng.sample(SUBSECTION_TITLES, 2):
                    subsections.append(
                        Section(
                            sub,
                            f"{stem}-{slugify(title)}-{slugify(sub)}",
                            slugify(sub),
                            [Block("para", self.paragraph(rng, docname, 3))],
                        )
                    )
            if i == 4:
                blocks.append(Block("code", ["for run in runs:\n    calibrate(run)\n"]))
            sections.append(
                Section(title, f"{stem}-{slugify(title)}", slugify(title), blocks, subsections)
            )
        self.sections[docname] = sections
        return sections


#: The owner and review dates of every synthetic page: a role of the real roles.yaml.
REVIEW_FIELDS = {"owner": "editorial-reviewers", "last_reviewed": "2026-01-15", "review_in": 12}


def stem_of(docname: str) -> str:
    return docname.replace("/", "-")


def front_matter_programme(
    rng: random.Random, writer: Writer, index: int, area: str
) -> dict[str, Any]:
    institutions = writer.plan.institutions
    return {
        "page_type": "programme",
        "full_name": f"Synthetic programme {index}",
        "short_name": f"SP-{index}",
        "areas": [area],
        "site": f"Synthetic site {index}",
        "country": rng.choice(["Japan", "France", "Chile", "space"]),
        "host": rng.choice(institutions),
        "status": rng.choice(STATUSES),
        "status_checked": "2026-01-15",
        "status_source": rng.choice(writer.keys),
        "ilance_institutions": rng.sample(institutions, min(3, len(institutions))),
        "website": f"https://example.org/programme-{index}/",
        "references": rng.sample(writer.keys, 3),
        "milestones": [
            {
                "year": 2000 + index % 25,
                "event": "Synthetic milestone",
                "source": rng.choice(writer.keys),
            },
        ],
    }


def front_matter_institution(rng: random.Random, index: int) -> dict[str, Any]:
    return {
        "page_type": "institution",
        "full_name": f"Synthetic institute {index}",
        "short_name": f"SI-{index}",
        "category": rng.choice(INSTITUTION_CATEGORIES),
        "city": rng.choice(["Kashiwa", "Paris", "Tsukuba", "Lyon"]),
        "country": rng.choice(["Japan", "France"]),
        "website": f"https://example.org/institute-{index}/",
        "ilance_role": rng.choice(INSTITUTION_ROLES),
    }


def build_pages(
    pages: int, keys: Sequence[str], terms: Sequence[str], seed: int = 2021
) -> list[Page]:
    """Every page of a synthetic handbook of about ``pages`` pages."""
    shape = plan(pages)
    writer = Writer(shape, keys, terms)
    out: list[Page] = []

    def page(docname: str, title: str, **kwargs: Any) -> Page:
        rng = random.Random(f"{seed}:{docname}")
        intro = [
            ("text", f"This synthetic page, {title}, stands for a page of the handbook. "),
            *writer.paragraph(rng, docname, 2),
        ]
        p = Page(
            docname,
            title,
            f"{stem_of(docname)}",
            intro,
            writer.body(rng, docname, stem_of(docname)),
            **kwargs,
        )
        out.append(p)
        return p

    for i, docname in enumerate(shape.institutions, start=1):
        page(
            docname,
            f"Synthetic institute {i}",
            front_matter=front_matter_institution(random.Random(f"{seed}:{docname}:fm"), i),
        )
    for area in AREAS:
        for docname in shape.programmes[area]:
            i = int(docname.rsplit("-", 1)[1])
            page(
                docname,
                f"Synthetic programme {i}",
                front_matter=front_matter_programme(
                    random.Random(f"{seed}:{docname}:fm"), writer, i, area
                ),
            )
        for docname in shape.topics[area]:
            page(docname, f"Topic {docname.rsplit('-', 1)[1]} in {AREA_TITLES[area].lower()}")
    for chapter, guides in shape.chapters.items():
        for docname in guides:
            page(docname, f"Guide {docname.rsplit('-', 1)[1]}")
        page(
            chapter,
            f"Onboarding chapter {chapter.split('/')[1].split('-')[1]}",
            toctrees=[(None, guides)],
        )
    for area in AREAS:
        page(
            f"research/fields/{area}",
            AREA_TITLES[area],
            toctrees=[("Programmes", shape.programmes[area]), ("Topics", shape.topics[area])],
            kb_directives=[f"programme-catalogue:{area}"],
        )
    page(
        "research/index",
        "Research",
        toctrees=[
            ("Fields", [f"research/fields/{a}" for a in AREAS]),
            ("Reference", ["research/glossary"]),
        ],
        kb_directives=["programme-catalogue", "programme-timeline"],
    )
    page(
        "institutions/index",
        "Institutions",
        toctrees=[(None, shape.institutions)],
        kb_directives=["institution-diagram"],
    )
    page("onboarding/index", "Onboarding", toctrees=[(None, list(shape.chapters))])
    page(
        "index",
        "The synthetic handbook",
        toctrees=[
            (None, ["research/index", "institutions/index", "onboarding/index", "bib/index"])
        ],
    )
    return out


# -- Writing a page in one flavour ----------------------------------------------------------
def relative_link(fromdoc: str, target: str) -> str:
    return os.path.relpath(target + ".md", os.path.dirname(fromdoc) or ".").replace(os.sep, "/")


class Flavour:
    """Writes the page model as MyST for Sphinx (three configurations) or as MkDocs Markdown."""

    def __init__(self, name: str, titles: dict[str, str]) -> None:
        if name not in FLAVOURS:
            raise ValueError(f"unknown flavour {name!r}; choose from {', '.join(FLAVOURS)}")
        self.name, self.titles = name, titles
        self.myst = name != "mkdocs"
        self.footnotes: list[str] = []

    def inline(self, item: Inline, docname: str) -> str:
        kind = item[0]
        if kind == "text":
            return item[1]
        if kind == "math":
            return f"${item[1]}$"
        if kind == "term":
            return f"{{term}}`{item[1]}`" if self.myst else f"*{item[1]}*"
        if kind in ("cite", "footcite"):
            key = item[1]
            if self.name in ("handbook", "plain"):
                return f"{{{kind}:p}}`{key}`"
            if self.name == "bare":
                return f"({key})"
            if key not in self.footnotes:
                self.footnotes.append(key)
            return f"[^{key}]"
        if kind == "doc":
            target = item[1]
            if self.myst:
                return f"{{doc}}`{self.titles[target]} </{target}>`"
            return f"[{self.titles[target]}]({relative_link(docname, target)})"
        if kind == "ref":
            _, target, label, text = item
            if self.myst:
                return f"{{ref}}`{text} <{label}>`"
            return f"[{text}]({relative_link(docname, target)}#{label})"
        if kind == "link":
            _, target, slug, text, label = item
            anchor = slug if self.myst else label
            return f"[{text}]({relative_link(docname, target)}#{anchor})"
        raise ValueError(f"unknown inline item {kind!r}")

    def inlines(self, items: Sequence[Inline], docname: str) -> str:
        return "".join(self.inline(item, docname) for item in items).strip()

    def heading(self, level: int, title: str, label: str) -> str:
        if self.myst:
            return f"({label})=\n{'#' * level} {title}\n"
        return f"{'#' * level} {title} {{#{label}}}\n"

    def block(self, block: Block, docname: str) -> str:
        if block.kind == "para":
            return self.inlines(block.items, docname) + "\n"
        if block.kind == "list":
            return "".join(f"- {self.inlines(item, docname)}\n" for item in block.items)
        if block.kind == "note":
            text = self.inlines(block.items[0], docname)
            if self.myst:
                return f":::{{note}}\n{text}\n:::\n"
            return f"!!! note\n    {text}\n"
        if block.kind == "math":
            if self.myst:
                return f"$$\n{block.items[0]}\n$$ ({block.label})\n"
            return f"$$\n{block.items[0]}\n$$\n"
        if block.kind == "table":
            header, *rows = block.items
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            return "\n".join(lines) + "\n"
        if block.kind == "code":
            return f"```python\n{block.items[0]}```\n"
        raise ValueError(f"unknown block {block.kind!r}")

    def kb_directive(self, spec: str) -> str:
        """The knowledge base's generated content: only our own configuration has it."""
        if self.name != "handbook":
            return ""
        name, _, area = spec.partition(":")
        option = f":area: {area}\n" if area else ""
        return f"```{{{name}}}\n{option}```\n"

    def toctree(self, caption: str | None, entries: Sequence[str]) -> str:
        if not self.myst:
            return ""  # MkDocs takes its navigation from mkdocs.yml
        head = f":caption: {caption}\n" if caption else ""
        lines = "".join(f"/{entry}\n" for entry in entries)  # absolute docnames
        return "```{toctree}\n" + head + ":maxdepth: 2\n\n" + lines + "```\n"

    def page(self, page: Page) -> str:
        self.footnotes = []
        parts: list[str] = []
        # Every handbook page has the review fields (_ext/handbook/content/page_review/), as the
        # real ones do.
        front = (page.front_matter or {}) | (REVIEW_FIELDS if self.myst else {})
        if front:
            parts.append(
                "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n"
            )
        parts.append(self.heading(1, page.title, page.label))
        parts.append(self.inlines(page.intro, page.docname) + "\n")
        for spec in page.kb_directives:
            if text := self.kb_directive(spec):
                parts.append(text)
        for section in page.sections:
            parts.append(self.heading(2, section.title, section.label))
            parts += [self.block(b, page.docname) for b in section.blocks]
            for sub in section.subsections:
                parts.append(self.heading(3, sub.title, sub.label))
                parts += [self.block(b, page.docname) for b in sub.blocks]
        for caption, entries in page.toctrees:
            if text := self.toctree(caption, entries):
                parts.append(text)
        if self.name in ("handbook", "plain") and page.has_footcites():
            parts.append("## References\n\n```{footbibliography}\n```\n")
        if self.footnotes:
            parts.append(
                "".join(
                    f"[^{key}]: {key}, in the handbook's bibliography.\n" for key in self.footnotes
                )
            )
        return "\n".join(parts)


def glossary_page(flavour: Flavour, terms: Sequence[str]) -> str:
    definition = "A term of the handbook's glossary, defined here for the benchmark."
    if flavour.myst:
        body = "\n".join(f"{term}\n  {definition}\n" for term in terms)
        front = "---\n" + yaml.safe_dump(REVIEW_FIELDS, sort_keys=False) + "---\n"
        return (
            front + "(glossary)=\n# Glossary\n\nTerms used across the pages.\n\n"
            f"```{{glossary}}\n{body}```\n"
        )
    body = "\n".join(f"{term}\n:   {definition}\n" for term in terms)
    return f"# Glossary\n\nTerms used across the pages.\n\n{body}"


def bibliography_page(flavour: Flavour, project: Path) -> str | None:
    """The real bib/index.md for our configurations; a plain page for the others."""
    if flavour.name in ("handbook", "plain"):
        return None  # kept from the project
    return "# Bibliography\n\nThe handbook's sources (not rendered in this configuration).\n"


def write_tree(
    pages: Sequence[Page], flavour_name: str, root: Path, project: Path, terms: Sequence[str]
) -> dict[str, Path]:
    """Write every page into ``root`` (a copy of the project, or an empty folder)."""
    titles = {p.docname: p.title for p in pages}
    flavour = Flavour(flavour_name, titles)
    paths: dict[str, Path] = {}
    for page in pages:
        path = root / f"{page.docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(flavour.page(page), encoding="utf-8")
        paths[page.docname] = path
    (root / "research").mkdir(exist_ok=True)
    (root / "research" / "glossary.md").write_text(glossary_page(flavour, terms), encoding="utf-8")
    if (text := bibliography_page(flavour, project)) is not None:
        (root / "bib").mkdir(exist_ok=True)
        (root / "bib" / "index.md").write_text(text, encoding="utf-8")
    return paths


def mkdocs_nav(pages: Sequence[Page]) -> list[Any]:
    """The navigation of mkdocs.yml: the same tree as the Sphinx toctrees."""
    by_name = {p.docname: p for p in pages}

    def entry(docname: str) -> Any:
        page = by_name.get(docname)
        if page is None or not page.toctrees:
            return f"{docname}.md" if docname in by_name or docname == "bib/index" else None
        children: list[Any] = [f"{docname}.md"]
        for _caption, entries in page.toctrees:
            for child in entries:
                if child == "research/glossary":
                    children.append("research/glossary.md")
                elif (item := entry(child)) is not None:
                    children.append(item)
        return {page.title: children}

    root = by_name["index"]
    return ["index.md"] + [entry(child) for _c, entries in root.toctrees for child in entries]


def mkdocs_config(pages: Sequence[Page]) -> str:
    config = {
        "site_name": "Synthetic handbook",
        "docs_dir": "docs",
        "theme": {"name": "material", "features": ["navigation.indexes"]},
        "markdown_extensions": [
            {"toc": {"permalink": True}},
            "attr_list",
            "admonition",
            "footnotes",
            "def_list",
            "tables",
            {"pymdownx.arithmatex": {"generic": True}},
            "pymdownx.superfences",
        ],
        "plugins": ["search"],
        "nav": mkdocs_nav(pages),
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def edit_body(path: Path, run: int) -> None:
    """Add a sentence to a page body: the page must be read again, and only it."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nThis sentence was added by benchmark edit {run}.\n")


def edit_front_matter(path: Path, run: int) -> None:
    """Change a programme's site: its infobox and every table that shows it change."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(
        r"^site: .*$", f"site: Synthetic site, revision {run}", text, count=1, flags=re.MULTILINE
    )
    if count != 1:
        raise ValueError(f"{path} has no 'site:' field to edit")
    path.write_text(new, encoding="utf-8")


EDITS: dict[str, Callable[[Path, int], None]] = {
    "body": edit_body,
    "front-matter": edit_front_matter,
}
