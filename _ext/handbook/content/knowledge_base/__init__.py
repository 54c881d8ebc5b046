"""The handbook's knowledge base: facts live once, in the front matter of their page.

Programme and institution pages declare their facts in YAML front matter. This
extension validates them against the JSON Schemas in ``schemas/``, keeps them in the
build environment, checks the links between pages (institutions, BibTeX keys) and
renders infoboxes, catalogue tables and the reverse index from them, so that no list
of programmes is maintained by hand.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import render, store
from .diagrams import institution_diagram, programme_timeline
from .front_matter import read_front_matter
from .placeholders import (
    catalogue_placeholder,
    diagram_placeholder,
    infobox_placeholder,
    timeline_placeholder,
)
from .references import bib_entries
from .schema import check_links, headline, validate

logger = logging.getLogger(__name__)

#: Bump when the stored records change shape, so old environments are discarded.
ENV_VERSION = 1


def collect_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Validate a page's front matter as it is read, and store it when it is valid."""
    front = read_front_matter(source[0])
    if front is None or (front.error is None and "page_type" not in front.data):
        return
    if front.error is not None:
        logger.error(front.error, location=(docname, front.error_line))
        return
    problems = validate(front.data)
    for problem in problems:
        line = front.lines.get(problem.field or "", front.first_line)
        logger.error(
            headline(str(front.data.get("page_type", "page")), problem.message),
            location=(docname, line),
        )
    if not problems:
        store.records(app.env)[docname] = store.Record(
            docname, front.data["page_type"], front.data, front.lines
        )


def insert_infobox(app: Sphinx, doctree: nodes.document) -> None:
    """Put the infobox placeholder right under the page title."""
    docname = app.env.docname
    if docname not in store.records(app.env):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    placeholder = infobox_placeholder(docname=docname)
    placeholder.source, placeholder.line = doctree["source"], 1
    if section is not None and isinstance(section[0], nodes.title):
        section.insert(1, placeholder)
    else:
        doctree.insert(0, placeholder)
    store.generated_pages(app.env).add(docname)


class _GeneratedContent(SphinxDirective):
    """Base of the directives whose content is computed from every record."""

    def placeholder(self, node: nodes.Element) -> list[nodes.Node]:
        node["docname"] = self.env.docname
        self.set_source_info(node)
        store.generated_pages(self.env).add(self.env.docname)
        return [node]


class ProgrammeCatalogue(_GeneratedContent):
    """``{programme-catalogue}``: every programme, or those of one field with ``:area:``."""

    option_spec: ClassVar[dict[str, Any]] = {
        "area": lambda arg: directives.choice(arg, list(store.AREAS))
    }

    def run(self) -> list[nodes.Node]:
        return self.placeholder(catalogue_placeholder(area=self.options.get("area")))


class InstitutionDiagram(_GeneratedContent):
    """``{institution-diagram}``: parent relations and ILANCE membership, drawn by Graphviz."""

    def run(self) -> list[nodes.Node]:
        return self.placeholder(diagram_placeholder())


class ProgrammeTimeline(_GeneratedContent):
    """``{programme-timeline}``: the programmes' dated milestones on one time axis."""

    def run(self) -> list[nodes.Node]:
        return self.placeholder(timeline_placeholder())


class RenderKnowledgeBase(SphinxPostTransform):
    """Replace the placeholders once every page has been read.

    Runs before Sphinx resolves cross-references (priority 10), so the page links it
    creates are resolved, and checked, like hand-written ones.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(_is_placeholder)):
            node.replace_self(self.render(node))

    def render(self, node: nodes.Element) -> nodes.Node:
        """Build what a placeholder stands for, located at the placeholder's line."""
        env = self.env
        builder_format = env._builder_cls.format  # the public .app is deprecated in Sphinx 9
        result: nodes.Node
        if isinstance(node, infobox_placeholder):
            rec = store.records(env).get(node["docname"])
            if rec is None:  # the front matter was invalid: the error is already reported
                return nodes.container()
            render_box = (
                render.programme_infobox
                if rec.page_type == "programme"
                else render.institution_infobox
            )
            result = render_box(env, rec)
        elif isinstance(node, catalogue_placeholder):
            result = render.catalogue(env, node["docname"], node.get("area"))
        elif isinstance(node, diagram_placeholder):
            result = institution_diagram(env, node["docname"], builder_format)
        else:
            result = programme_timeline(env, node["docname"], builder_format)
        result.source, result.line = node.source, node.line
        return result


def _is_placeholder(node: nodes.Node) -> bool:
    return isinstance(node, PLACEHOLDERS)


PLACEHOLDERS = (
    infobox_placeholder,
    catalogue_placeholder,
    diagram_placeholder,
    timeline_placeholder,
)


def check_links_between_pages(app: Sphinx, env: BuildEnvironment) -> None:
    """Every institution named by a page, and every BibTeX key, must exist (schema.check_links)."""
    known = store.records(env)
    institutions = {d for d, r in known.items() if r.page_type == "institution"}
    keys = set(bib_entries(env))
    for rec in known.values():
        for problem in check_links(rec.data, institutions, keys):
            logger.error(
                headline(rec.page_type, problem.message),
                location=(rec.docname, rec.line_of(problem.field or "")),
            )


def rewrite_generated_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When any record changed, write again the pages that show other pages' data.

    Those pages are not re-read (their sources did not change), only re-written, which
    keeps an edit to one programme's front matter cheap.
    """
    current = store.signature(env)
    if getattr(env, "knowledge_base_signature", None) == current:
        return []
    env.knowledge_base_signature = current
    return sorted(store.generated_pages(env))


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    store.purge(env, docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    store.merge(env, docnames, other)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("sphinx.ext.graphviz")
    app.setup_extension("handbook.rendering.svg_figures")
    app.setup_extension("handbook.i18n.messages")  # labels in the build's language
    app.add_node(infobox_placeholder)
    app.add_node(catalogue_placeholder)
    app.add_node(diagram_placeholder)
    app.add_node(timeline_placeholder)
    app.add_directive("programme-catalogue", ProgrammeCatalogue)
    app.add_directive("institution-diagram", InstitutionDiagram)
    app.add_directive("programme-timeline", ProgrammeTimeline)
    app.add_post_transform(RenderKnowledgeBase)
    app.connect("source-read", collect_front_matter)
    app.connect("doctree-read", insert_infobox)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check_links_between_pages)
    app.connect("env-get-updated", rewrite_generated_pages)
    return {
        "version": "1.0",
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
