"""A label is defined once in the whole handbook; a second definition is a located error.

Why: Sphinx reports a repeated label only when both pages are read by the same process. In a
parallel build (``-j auto``, as `make html` runs) each worker sees its own pages, and the
standard domain's ``merge_domaindata`` keeps one of the two definitions silently (its source
says "XXX duplicates?"), so ``{ref}`` links may go to the wrong page without a word. This
extension records the labels of each page while it is read, and compares them across pages
once all are read. A repeat that Sphinx itself already reported is not reported twice.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _labels(env: BuildEnvironment) -> dict[str, dict[str, int]]:
    """Labels by page: {docname: {label: line}} (created on first use)."""
    if not hasattr(env, "handbook_labels"):
        env.handbook_labels = {}
    return env.handbook_labels


def labels_of(document: nodes.document) -> dict[str, int]:
    """The explicit labels a page defines, as the standard domain counts them."""
    found: dict[str, int] = {}
    for name, explicit in document.nametypes.items():
        labelid = document.nameids.get(name)
        if not explicit or labelid is None or labelid not in document.ids:
            continue
        node = written = document.ids[labelid]
        if isinstance(node, nodes.target) and "refid" in node:
            node = document.ids.get(node["refid"], node)
        if (
            node.tagname in ("footnote", "citation")
            or "refuri" in node
            or node.tagname.startswith("desc_")
        ):
            continue
        # The line of the "(label)=" target when there is one, else of what it labels.
        found[name] = get_source_line(written)[1] or get_source_line(node)[1] or 1
    return found


def collect(app: Sphinx, doctree: nodes.document) -> None:
    _labels(app.env)[app.env.docname] = labels_of(doctree)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _labels(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    theirs = _labels(other)
    _labels(env).update({name: theirs[name] for name in docnames if name in theirs})


def _edited_last(env: BuildEnvironment, docname: str) -> tuple[float, str]:
    try:
        return env.doc2path(docname).stat().st_mtime, docname
    except OSError:
        return 0.0, docname


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Report each label defined on more than one page.

    The page edited longest ago keeps the label; the error is shown at each other page's
    definition, which is most likely the new one.
    """
    already = getattr(getattr(app, "handbook_strict_filter", None), "duplicate_labels", set())
    pages: dict[str, list[str]] = {}
    for docname, labels in _labels(env).items():
        for label in labels:
            pages.setdefault(label, []).append(docname)
    for label, docnames in sorted(pages.items()):
        if len(docnames) < 2 or label in already:
            continue
        keeper, *others = sorted(docnames, key=lambda name: _edited_last(env, name))
        for docname in others:
            logger.error(
                f"duplicate label {label}, also defined in {env.doc2path(keeper)}",
                location=(docname, _labels(env)[docname][label]),
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
