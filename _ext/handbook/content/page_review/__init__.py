"""Page ownership and review dates: who checks each page, by when, and what is past due.

Every page's front matter names its ``owner`` (a role of ``roles.yaml``), the day it was
``last_reviewed`` and the months it may go before the next review (``review_in``); this
extension validates them with the file and line of each problem. Each page's footer then
says when it was last reviewed and when the next review is due, the nearest expiry of the
page's dated facts winning (its own review, a programme's ``status_checked``, each cited web
source's ``urldate``), and a page past that day shows a notice to readers. The
``{review-schedule}`` directive lists every page by due date, the overdue dated facts and the
``[secondary]`` sources, and the HTML build writes the same as ``review.json`` for the
workflow that keeps the "review due" issue up to date. French and Japanese pages whose English
text changed after their catalogue was updated are marked stale (``translations.py``).

"Today" is ``handbook_today`` in conf.py (``HANDBOOK_TODAY`` in the environment), else the real
date. The date changes what readers are told, never whether the build passes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.content.knowledge_base.front_matter import read_front_matter
from handbook.content.knowledge_base.schema import headline
from handbook.i18n.messages import _

from . import render
from .fields import Problem, Role, as_date, check, read_roles
from .schedule import (
    TODAY_VARIABLE,
    Review,
    entries,
    nearest,
    overdue_facts,
    payload,
    reviews,
    secondary_sources,
    today_of,
)
from .sources import Source, bib_sources, cited_keys
from .translations import Stale, history, stale_pages

logger = logging.getLogger(__name__)

#: Bump when the stored records change shape, so old environments are discarded.
ENV_VERSION = 1


class schedule_placeholder(nodes.General, nodes.Element):
    """Where ``{review-schedule}`` stands until the page is written."""


class stale_placeholder(nodes.General, nodes.Element):
    """Where ``{stale-translations}`` stands until the page is written."""


def roles_path(srcdir: str | Path, config: Config) -> Path:
    return Path(srcdir) / config.review_roles_file


_ROLES: dict[tuple[str, int], tuple[dict[str, Role], list[Problem]]] = {}


def read_roles_once(path: Path) -> tuple[dict[str, Role], list[Problem]]:
    """The roles of roles.yaml and its problems, read once per process and file version."""
    stamp = (str(path), path.stat().st_mtime_ns if path.is_file() else 0)
    if stamp not in _ROLES:
        _ROLES[stamp] = read_roles(path)
    return _ROLES[stamp]


def roles(env: BuildEnvironment) -> dict[str, Role]:
    return read_roles_once(roles_path(env.srcdir, env.config))[0]


def check_settings(app: Sphinx) -> None:
    """Report what is wrong with roles.yaml (at its line) and with "today", once per build."""
    value = app.config.handbook_today or os.environ.get(TODAY_VARIABLE, "")
    if value and as_date(value) is None:
        logger.error(
            f"{TODAY_VARIABLE} or handbook_today is {value!r}; expected a date "
            "written YYYY-MM-DD (or nothing, for the real date)"
        )
    path = roles_path(app.srcdir, app.config)
    for problem in read_roles_once(path)[1]:
        logger.error(f"roles: {problem.message}", location=f"{path}:{problem.line}")


def collect_review(app: Sphinx, docname: str, source: list[str]) -> None:
    """Validate a page's review fields as it is read, and store them when they are valid."""
    env = app.env
    env.note_dependency(str(roles_path(app.srcdir, app.config)))
    front = read_front_matter(source[0])
    if front is None:
        logger.error(
            "the page has no front matter: every page starts with '---', the fields "
            "owner, last_reviewed and review_in, and '---' (CONTRIBUTING.md, "
            '"Owners and review dates")',
            location=(docname, 1),
        )
        return
    if front.error is not None:  # the knowledge base reports syntax errors, on every page
        return
    problems = check(front.data, front.lines, front.first_line, roles(env))
    for problem in problems:
        logger.error(headline("review", problem.message), location=(docname, problem.line))
    if problems:
        return
    data = front.data
    status = as_date(data.get("status_checked", "")) if "status_checked" in data else None
    reviews(env)[docname] = Review(
        docname,
        data["owner"],
        as_date(data["last_reviewed"]),  # type: ignore[arg-type]
        data["review_in"],
        status,
        front.lines.get("status_checked", front.first_line),
        cited_keys(source[0], data),
    )


class ReviewSchedule(SphinxDirective):
    """``{review-schedule}``: every page by due date, overdue facts, secondary sources."""

    def run(self) -> list[nodes.Node]:
        node = schedule_placeholder()
        self.set_source_info(node)
        generated_pages(self.env).add(self.env.docname)
        return [node]


class StaleTranslations(SphinxDirective):
    """``{stale-translations}``: translated pages older than their English page."""

    def run(self) -> list[nodes.Node]:
        node = stale_placeholder()
        self.set_source_info(node)
        generated_pages(self.env).add(self.env.docname)
        return [node]


def generated_pages(env: BuildEnvironment) -> set[str]:
    """Pages whose content is made from every page's review data: written at each build."""
    if not hasattr(env, "page_review_generated"):
        env.page_review_generated = set()
    return env.page_review_generated


def stale(env: BuildEnvironment) -> dict[str, dict[str, Stale]]:
    return getattr(env, "page_review_stale", {})


def note_stale_translations(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before reading: which translated pages are older than their English text (from git)."""
    languages = [code for code in app.config.handbook_languages if code != "en"]
    locale_dir = app.config.locale_dirs[0]
    env.page_review_history = history(
        Path(app.srcdir), locale_dir, getattr(env, "page_review_history", None)
    )
    env.page_review_stale = stale_pages(
        env.page_review_history, sorted(env.found_docs), locale_dir, languages
    )


def shown_state(app: Sphinx, env: BuildEnvironment) -> dict[str, tuple[bool, bool]]:
    """Per page, what its notices show today: past its review date, translation stale."""
    today = today_of(app.config)
    sources = bib_sources(env)
    language_stale = stale(env).get(app.config.language, {})
    return {
        docname: (nearest(review, sources).due < today, docname in language_stale)
        for docname, review in reviews(env).items()
    }


def schedule_signature(app: Sphinx, env: BuildEnvironment) -> str:
    """A digest of everything the schedule and the stale list show."""
    payload = repr(
        (
            today_of(app.config).isoformat(),
            sorted(
                (d, r, env.titles[d].astext() if d in env.titles else "")
                for d, r in reviews(env).items()
            ),
            sorted(bib_sources(env).items()),
            sorted((lang, sorted(pages.items())) for lang, pages in stale(env).items()),
            sorted(roles(env).items()),
        )
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose sources did not change but whose output does: written, not read again.

    The schedule and status pages when anything they show changed (a page's review fields or
    title, a source's date, a translation's staleness, the day), and the pages whose notices
    change (a page that passed its due date today).
    """
    now = shown_state(app, env)
    before: dict[str, tuple[bool, bool]] = getattr(env, "page_review_shown", {})
    env.page_review_shown = now
    changed = {docname for docname, state in now.items() if before.get(docname) != state}
    signature = schedule_signature(app, env)
    if getattr(env, "page_review_signature", None) != signature:
        env.page_review_signature = signature
        changed |= generated_pages(env)
    return sorted(changed & env.found_docs)


class RenderReview(SphinxPostTransform):
    """Fill the schedule and the stale list, in every output format.

    Runs before Sphinx resolves cross-references (priority 10), so the page links it makes
    are resolved and checked like hand-written ones.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        env, config = self.env, self.config
        docname = env.docname
        today = today_of(config)
        sources = bib_sources(env)
        for node in list(self.document.findall(schedule_placeholder)):
            node.replace_self(self.schedule(docname, sources, today))
        for node in list(self.document.findall(stale_placeholder)):
            table = render.stale_table(stale(env), config.handbook_languages, docname)
            table.source, table.line = node.source, node.line
            node.replace_self(table)

    def schedule(self, docname: str, sources: dict[str, Source], today: Any) -> nodes.Node:
        env = self.env
        all_reviews, known_roles = reviews(env), roles(env)
        container = nodes.container(classes=["review-schedule"])
        container += render.schedule_table(
            entries(all_reviews, known_roles, sources, today), docname
        )
        # Translators: a heading of the review schedule page.
        container += nodes.rubric(text=_("Dated facts past their review period"))
        container += render.facts_table(overdue_facts(all_reviews, sources, today), today, docname)
        # Translators: a heading of the review schedule page.
        container += nodes.rubric(text=_("Secondary sources to replace"))
        container += render.secondary_table(secondary_sources(all_reviews, sources), docname)
        return container


class ReviewNotices(SphinxPostTransform):
    """Under the title of a web page: past its review date, or a stale translation.

    HTML only (``formats``): the printed book carries its edition date instead.
    """

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        env, config = self.env, self.config
        docname = env.docname
        notices: list[nodes.Node] = []
        review = reviews(env).get(docname)
        if review is not None:
            due = nearest(review, bib_sources(env))
            if due.due < today_of(config):
                notices.append(render.overdue_notice(review, due))
        stale_page = stale(env).get(config.language, {}).get(docname)
        if stale_page is not None and stale_page.catalogue_updated is not None:
            notices.append(render.stale_notice(stale_page))
        section = next(iter(self.document.findall(nodes.section)), None)
        if notices and section is not None and isinstance(section[0], nodes.title):
            section[1:1] = notices


def add_review_line(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``review_line`` for the footer template (_templates/last-updated.html)."""
    review = reviews(app.env).get(pagename)
    if review is None:
        return
    due = nearest(review, bib_sources(app.env))
    context["review_line"] = render.review_line(review, due, today_of(app.config))
    context["review_overdue"] = due.due < today_of(app.config)


def write_review_json(app: Sphinx, exception: Exception | None) -> None:
    """``review.json`` at the root of the HTML output, for the "review due" workflow."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    today, sources, all_reviews = today_of(app.config), bib_sources(env), reviews(env)
    data = payload(
        entries(all_reviews, roles(env), sources, today),
        overdue_facts(all_reviews, sources, today),
        secondary_sources(all_reviews, sources),
        today,
        app.builder.get_target_uri,
        app.config.html_baseurl,
    )
    path = Path(app.outdir) / "review.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    reviews(env).pop(docname, None)
    generated_pages(env).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Take the records that a parallel reader produced for its documents."""
    theirs = reviews(other)
    reviews(env).update({d: theirs[d] for d in docnames if d in theirs})
    generated_pages(env).update(generated_pages(other) & docnames)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("handbook.i18n.messages")
    app.setup_extension("handbook.i18n.translation_status")  # handbook_languages
    # "" in the environment's rebuild flag: the day changes notices, not what pages say.
    app.add_config_value("handbook_today", "", "", str)
    app.add_config_value("review_roles_file", "roles.yaml", "env", str)
    app.add_node(schedule_placeholder)
    app.add_node(stale_placeholder)
    app.add_directive("review-schedule", ReviewSchedule)
    app.add_directive("stale-translations", StaleTranslations)
    app.add_post_transform(RenderReview)
    app.add_post_transform(ReviewNotices)
    app.connect("builder-inited", check_settings)
    app.connect("source-read", collect_review)
    app.connect("env-before-read-docs", note_stale_translations)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-updated", pages_to_write)
    app.connect("html-page-context", add_review_line)
    app.connect("build-finished", write_review_json)
    return {
        "version": "1.0",
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
