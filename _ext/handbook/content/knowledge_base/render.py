"""Build the docutils nodes that show the knowledge base: infoboxes and catalogues.

Links between pages are emitted as `doc` cross-references, so Sphinx resolves them for
every builder (HTML and LaTeX alike) and reports a target that does not exist. Labels come
from the handbook catalogue (_ext/handbook/i18n/messages.py); values from front matter are shown as
written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment

from handbook.i18n.messages import N_, _, format_nodes, translated
from handbook.rendering.doc_tables import Cell, data_table

from .references import bib_entries, link_of, short_citation
from .store import AREAS, STATUSES, Record, of_type, records

# Labels in English, marked for the handbook catalogue: translate them with _() where shown.
CATEGORY_NAMES = {
    "international-research-laboratory": N_("International Research Laboratory"),
    "research-organisation": N_("Research organization"),
    "national-institute": N_("National institute"),
    "university": N_("University"),
    "university-institute": N_("University research institute"),
    "graduate-school": N_("Graduate school"),
    "laboratory": N_("Laboratory"),
    "school": N_("School"),
    "research-centre": N_("Research centre"),
}
ROLE_NAMES = {
    "laboratory": N_("The laboratory itself"),
    "founding": N_("Founding organization"),
    "division": N_("University of Tokyo division in ILANCE"),
    "partner": N_("Partner institution"),
    "programme-partner": N_("Partner in ILANCE programmes"),
}
THEME_NAMES = {
    "neutrino-physics": N_("Neutrino physics"),
    "primordial-universe": N_("Primordial universe"),
    "dark-matter": N_("Dark matter"),
    "gravitational-waves": N_("Gravitational waves"),
    "particle-physics": N_("Particle physics"),
}


def doc_link(fromdoc: str, target: str, text: str) -> addnodes.pending_xref:
    """A link to another page that Sphinx resolves (and checks) for every builder."""
    xref = addnodes.pending_xref(
        "",
        refdomain="std",
        reftype="doc",
        reftarget=f"/{target}",
        refdoc=fromdoc,
        refexplicit=True,
        refwarn=True,
    )
    xref += nodes.inline(text, text)
    return xref


def url_link(url: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url)


def joined(items: Iterable[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for item in items:
        if out:
            out.append(nodes.Text(separator))
        out.append(item)
    return out


def table(
    rows: Sequence[Sequence[Cell]],
    header: Sequence[str] | None,
    widths: Sequence[int],
    classes: Sequence[str],
    row_ids: Sequence[str] | None = None,
) -> nodes.table:
    """The shared table builder, with fixed relative widths for infoboxes and catalogues."""
    return data_table(rows, header, widths=widths, classes=classes, row_ids=row_ids)


def source_link(env: BuildEnvironment, source: str) -> nodes.Node:
    """A status or milestone source: a URL, or the DOI/arXiv/URL of a .bib entry."""
    if "://" in source:
        # Translators: link text of a source given as a web address (infobox status, role).
        return url_link(source, _("source"))
    entry = bib_entries(env).get(source)
    if entry is None:
        return nodes.Text(source)
    address = link_of(entry)
    label = short_citation(entry)
    return url_link(address, label) if address else nodes.Text(label)


def reference_list(env: BuildEnvironment, keys: Sequence[str]) -> list[nodes.Node]:
    return joined((source_link(env, key) for key in keys), "; ")


def institution_links(env: BuildEnvironment, fromdoc: str, docnames: Sequence[str]) -> list:
    known = records(env)
    return joined(
        doc_link(fromdoc, name, known[name].data["short_name"] if name in known else name)
        for name in docnames
    )


def area_links(fromdoc: str, areas: Sequence[str]) -> list[nodes.Node]:
    return joined(doc_link(fromdoc, f"research/fields/{a}", translated(AREAS[a])) for a in areas)


def status_cell(env: BuildEnvironment, data: dict) -> list[nodes.Node]:
    """'Operating (checked 2026-11-25, source)': the date is shown as the front matter has it."""
    # Translators: {status} is a status such as "Operating", {date} an ISO date (2026-11-25),
    # {source} a link to where the status was read.
    return format_nodes(
        _("{status} (checked {date}, {source})"),
        status=translated(STATUSES[data["status"]]),
        date=data["status_checked"],
        source=source_link(env, data["status_source"]),
    )


def programmes_of(env: BuildEnvironment, institution: str) -> list[Record]:
    """The reverse index: programmes that name the institution as host or partner."""
    return [
        rec
        for rec in of_type(env, "programme")
        if institution == rec.data.get("host") or institution in rec.data["ilance_institutions"]
    ]


def programme_infobox(env: BuildEnvironment, rec: Record) -> nodes.table:
    d, doc = rec.data, rec.docname
    rows: list[tuple[str, Cell]] = [
        (_("Full name"), d["full_name"]),
        (_("Short name"), d["short_name"]),
        (_("Fields"), area_links(doc, d["areas"])),
    ]
    if d.get("ilance_themes"):
        rows.append(
            (_("ILANCE themes"), ", ".join(translated(THEME_NAMES[t]) for t in d["ilance_themes"]))
        )
    rows.append((_("Site"), f"{d['site']}, {d['country']}"))
    if d.get("host"):
        rows.append((_("Host"), institution_links(env, doc, [d["host"]])))
    rows += [
        (_("Status"), status_cell(env, d)),
        (_("ILANCE partners"), institution_links(env, doc, d["ilance_institutions"])),
        (_("Website"), url_link(d["website"], d["website"])),
        (_("Key references"), reference_list(env, d["references"])),
    ]
    return table(rows, None, (1, 3), ("kb-infobox", "kb-programme"))


def institution_infobox(env: BuildEnvironment, rec: Record) -> nodes.table:
    d, doc = rec.data, rec.docname
    rows: list[tuple[str, Cell]] = [
        (_("Full name"), d["full_name"]),
        (_("Short name"), d["short_name"]),
    ]
    if d.get("native_name"):
        rows.append((_("Native name"), d["native_name"]))
    # Translators: the kind of institution (university, national institute, laboratory...).
    rows.append((_("Kind"), translated(CATEGORY_NAMES[d["category"]])))
    parents = ([d["parent"]] if d.get("parent") else []) + list(d.get("co_parents", []))
    if parents:
        rows.append((_("Part of"), institution_links(env, doc, parents)))
    units = [
        r.docname
        for r in of_type(env, "institution")
        if doc == r.data.get("parent") or doc in r.data.get("co_parents", [])
    ]
    if units:
        rows.append((_("Units in this handbook"), institution_links(env, doc, units)))
    rows.append((_("Location"), f"{d['city']}, {d['country']}"))
    if d.get("founded"):
        rows.append((_("Founded"), str(d["founded"])))
    rows.append((_("Website"), url_link(d["website"], d["website"])))
    role = translated(ROLE_NAMES[d["ilance_role"]])
    rows.append(
        (
            _("Role in ILANCE"),
            format_nodes(
                # Translators: {role} is a role such as "Partner institution", {source} a link.
                _("{role} ({source})"),
                role=role,
                source=source_link(env, d["role_source"]),
            )
            if d.get("role_source")
            else role,
        )
    )
    programmes = programmes_of(env, doc)
    rows.append(
        (
            _("ILANCE programmes"),
            joined(doc_link(doc, p.docname, p.data["short_name"]) for p in programmes)
            if programmes
            else _("none recorded in this handbook"),
        )
    )
    return table(rows, None, (1, 3), ("kb-infobox", "kb-institution"))


def catalogue(env: BuildEnvironment, fromdoc: str, area: str | None) -> nodes.Node:
    """All programmes (by main field, then status), or those of one field."""
    status_order = list(STATUSES)
    area_order = list(AREAS)
    chosen = [r for r in of_type(env, "programme") if area is None or area in r.data["areas"]]
    chosen.sort(
        key=lambda r: (
            area_order.index(r.data["areas"][0]) if area is None else 0,
            status_order.index(r.data["status"]),
            r.data["short_name"],
        )
    )
    if not chosen:
        return nodes.paragraph(
            text=_("No programme of this field is described in the handbook yet.")
        )
    rows = [
        (
            doc_link(fromdoc, r.docname, r.data["short_name"]),
            area_links(fromdoc, r.data["areas"]),
            f"{r.data['site']}, {r.data['country']}",
            status_cell(env, r.data),
            institution_links(env, fromdoc, r.data["ilance_institutions"]),
        )
        for r in chosen
    ]
    header = (_("Programme"), _("Fields"), _("Site"), _("Status"), _("ILANCE partners"))
    return table(rows, header, (2, 3, 3, 3, 3), ("kb-catalogue",))
