"""Figures drawn from the records: the organisation diagram and the programme timeline."""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.environment import BuildEnvironment
from sphinx.ext.graphviz import graphviz

from handbook.i18n.messages import _
from handbook.rendering.svg_figures import svg_node

from . import render
from .store import of_type

ROLE_STYLE = {
    "laboratory": 'shape=doubleoctagon, style="filled,bold", fillcolor="#c8102e", fontcolor=white',
    "founding": 'style=filled, fillcolor="#1f4e8c", fontcolor=white',
    "division": 'style=filled, fillcolor="#8fb8ff"',
    "partner": 'style=filled, fillcolor="#d9e6f7"',
    "programme-partner": 'style="filled,dashed", fillcolor="#f2f2f2"',
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def diagram_source(env: BuildEnvironment) -> str:
    """Graphviz code: one box per institution, parent arrows, and ties to ILANCE."""
    institutions = of_type(env, "institution")
    lab = next((r for r in institutions if r.data["ilance_role"] == "laboratory"), None)
    lines = [
        "digraph institutions {",
        '  graph [rankdir=TB, fontname="sans-serif", bgcolor="transparent", nodesep=0.3];',
        '  node [shape=box, fontname="sans-serif", fontsize=11];',
        '  edge [fontname="sans-serif", fontsize=9];',
    ]
    for rec in institutions:
        style = ROLE_STYLE[rec.data["ilance_role"]]
        lines.append(f"  {_quote(rec.docname)} [label={_quote(rec.data['short_name'])}, {style}];")
    for rec in institutions:
        if rec.data.get("parent"):
            lines.append(f"  {_quote(rec.data['parent'])} -> {_quote(rec.docname)};")
        for other in rec.data.get("co_parents", []):
            lines.append(f"  {_quote(other)} -> {_quote(rec.docname)} [style=dashed];")
        role = rec.data["ilance_role"]
        if lab is not None and rec is not lab and role in ("founding", "division", "partner"):
            lines.append(
                f"  {_quote(rec.docname)} -> {_quote(lab.docname)} "
                '[color="#c8102e", style=dotted, arrowhead=none, constraint=false];'
            )
    lines.append("}")
    return "\n".join(lines)


def institution_diagram(env: BuildEnvironment, fromdoc: str, output_format: str) -> nodes.Node:
    """A numbered figure with the Graphviz drawing and a caption that reads the legend."""
    figure = nodes.figure(ids=["kb-institution-diagram"], classes=["kb-diagram"])
    node = graphviz()
    node["code"] = diagram_source(env)
    node["options"] = {"docname": fromdoc}
    node["alt"] = _("Organisation diagram of ILANCE and the institutions behind it")
    figure += node
    figure += nodes.caption(
        "",
        _(
            "ILANCE (red) and the institutions in this handbook. Solid arrows go from a "
            "parent organization to its unit, dashed arrows to a joint unit's further "
            "supervisor; dotted red lines tie founding organizations, divisions and partners "
            "to ILANCE. Generated from the institution pages' front matter."
        ),
    )
    return figure


# Inside the SVG so that the PDF conversion sees it too; in HTML, _static/handbook.css draws
# the text in the page's colour and gives the dots dark-mode colours (svg.kb-timeline rules).
TIMELINE_STYLE = (
    "<style>"
    ".kb-timeline text{font-family:sans-serif;font-size:12px;fill:#222}"
    ".kb-grid{stroke:#bbb;stroke-width:1;stroke-dasharray:2 3}"
    ".kb-lane-line{stroke:#888;stroke-width:1}"
    ".kb-done{fill:#1f4e8c;stroke:#1f4e8c;stroke-width:2}"
    ".kb-planned{fill:#fff;stroke:#c8102e;stroke-width:2}"
    "</style>"
)


def timeline_rows(env: BuildEnvironment) -> list[tuple[int, str, str, bool, str]]:
    """(year, programme short name, event, planned, programme docname), oldest first."""
    rows = [
        (m["year"], rec.data["short_name"], m["event"], bool(m.get("planned")), rec.docname)
        for rec in of_type(env, "programme")
        for m in rec.data.get("milestones", [])
    ]
    return sorted(rows)


def milestone_id(number: int) -> str:
    """The id of a milestone's row in the timeline's table, in the order of timeline_rows."""
    return f"kb-milestone-{number + 1}"


def timeline_svg(env: BuildEnvironment) -> str:
    """One lane per programme, one dot per milestone; planned milestones are hollow."""
    rows = timeline_rows(env)
    programmes = [
        r.data["short_name"] for r in of_type(env, "programme") if r.data.get("milestones")
    ]
    if not rows:
        return ""
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    first, last = first - first % 5, last - last % 5 + 5
    left, right, lane, top = 130, 20, 28, 30
    width = 760
    height = top + lane * len(programmes) + 30
    scale = (width - left - right) / (last - first)

    def x(year: int) -> float:
        return left + (year - first) * scale

    title = _("Timeline of the ILANCE programmes' milestones")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="kb-timeline" role="group" aria-labelledby="kb-timeline-title">',
        f'<title id="kb-timeline-title">{escape(title, quote=False)}</title>',
        TIMELINE_STYLE,
    ]
    for year in range(first, last + 1, 5):
        parts.append(
            f'<line x1="{x(year):.1f}" y1="{top - 10}" x2="{x(year):.1f}" '
            f'y2="{height - 25}" class="kb-grid"/>'
        )
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - 8}" text-anchor="middle" '
            f'class="kb-axis">{year}</text>'
        )
    for index, name in enumerate(programmes):
        y = top + lane * index + lane / 2
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="kb-lane">{escape(name)}</text>'
        )
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'class="kb-lane-line"/>'
        )
        for number, (year, short, event, planned, _doc) in enumerate(rows):
            if short != name:
                continue
            kind = "kb-planned" if planned else "kb-done"
            # Translators: {event} is a milestone as its programme page words it (English).
            label = (_("{year}: {event} (planned)") if planned else "{year}: {event}").format(
                year=year, event=event
            )
            # A link to the milestone's row of the table under the figure: the details are a
            # tap or a Tab key away, not only in the hover title.
            parts.append(
                f'<a href="#{milestone_id(number)}" aria-label="{escape(label)}">'
                f'<circle cx="{x(year):.1f}" cy="{y:.1f}" r="6" class="{kind}">'
                f"<title>{escape(label)}</title></circle></a>"
            )
    parts.append("</svg>")
    return "".join(parts)


def programme_timeline(env: BuildEnvironment, fromdoc: str, output_format: str) -> nodes.Node:
    """An SVG figure in HTML; everywhere, a table of the same milestones so nothing is lost."""
    container = nodes.container(classes=["kb-timeline-figure"])
    figure = nodes.figure(ids=["kb-programme-timeline"])
    figure += svg_node(timeline_svg(env))
    figure += nodes.caption(
        "",
        _(
            "Milestones of the ILANCE programmes: filled dots are events "
            "that happened, hollow dots are planned dates as announced. "
            "Generated from the programme pages' front matter."
        ),
    )
    container += figure
    rows = [
        (
            str(year),
            render.doc_link(fromdoc, doc, short),
            _("{event} (planned, as announced)").format(event=event) if planned else event,
        )
        for year, short, event, planned, doc in timeline_rows(env)
    ]
    details = render.table(
        rows,
        (_("Year"), _("Programme"), _("Milestone")),
        (1, 2, 6),
        ("kb-timeline-table",),
        row_ids=[milestone_id(number) for number in range(len(rows))],
    )
    if output_format == "html":
        dropdown = nodes.container(classes=["kb-timeline-details"])
        dropdown += nodes.rubric(text=_("Milestones as a table"))
        dropdown += details
        container += dropdown
    else:
        container += details
    return container
