"""One way to build a table node from Python, shared by the handbook's extensions.

Extensions that compute their content (catalogues, planners, footprints, routes) emit
plain docutils tables, which every builder renders: HTML, LaTeX and text alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes

#: A cell is text, one node, or several nodes set in one paragraph.
Cell = str | nodes.Node | Sequence[nodes.Node]


def cell_text(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, nodes.Node):
        return cell.astext()
    return "".join(node.astext() for node in cell)


def _entry(cell: Cell) -> nodes.entry:
    paragraph = nodes.paragraph()
    if isinstance(cell, str):
        paragraph += nodes.Text(cell)
    elif isinstance(cell, nodes.Node):
        paragraph += cell
    else:
        paragraph.extend(cell)
    return nodes.entry("", paragraph)


def data_table(
    rows: Iterable[Sequence[Cell]],
    header: Sequence[str] | None = None,
    *,
    title: str | None = None,
    widths: Sequence[int] | None = None,
    classes: Sequence[str] = (),
    row_ids: Sequence[str] | None = None,
) -> nodes.table:
    """A table with an optional title and header row.

    Without `widths`, columns get widths in proportion to their longest text (between 4
    and 40), which keeps LaTeX and text output readable. `row_ids` names the body rows, one
    id each, so that a figure can link each of its marks to the row that spells it out.
    """
    rows = [list(cells) for cells in rows]
    columns = len(header) if header else len(rows[0]) if rows else 1
    if widths is None:
        longest = [
            max([len(header[i]) if header else 0, *(len(cell_text(r[i])) for r in rows)])
            for i in range(columns)
        ]
        widths = [min(max(length, 4), 40) for length in longest]
    table = nodes.table(classes=list(classes))
    if title:
        table += nodes.title(text=title)
    group = nodes.tgroup(cols=columns)
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    if header:
        thead = nodes.thead()
        thead += nodes.row("", *(_entry(h) for h in header))
        group += thead
    tbody = nodes.tbody()
    ids = list(row_ids) if row_ids is not None else [None] * len(rows)
    if len(ids) != len(rows):
        raise ValueError(f"{len(ids)} row ids for {len(rows)} rows")
    tbody.extend(
        nodes.row("", *(_entry(c) for c in cells), ids=[ident] if ident else [])
        for cells, ident in zip(rows, ids, strict=True)
    )
    group += tbody
    return table
