"""Sphinx extension ``route_diagram``: draws travel routes from a YAML file at build time.

The onboarding pages describe how to reach the Kashiwa campus from the airports. Those
routes change (timetables, bus lines), so they live in one data file next to the page,
where each leg names the page it was read from. This extension turns that file into:

* an inline SVG drawing for HTML, built with plain string formatting (no external service,
  no plotting library, so the build stays offline and the output is deterministic), and
* a table of the legs with their sources, for every builder, so the PDF keeps the
  content and HTML readers get a link to re-check each leg.

Usage in a MyST page::

    ```{route-diagram} data/routes.yaml
    :caption: Routes between the Tokyo airports and the campus
    ```

Bad data (a missing field, an unknown mode, a leg naming a stop that does not exist) is
reported through Sphinx's logger with the page and line of the directive, never as a
Python traceback, so that a strict build fails with a message a writer can act on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from html import escape
from typing import Any, ClassVar
from urllib.parse import urlparse

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.checks.data_files import DataFileError, YamlMapping, load_yaml, read_text
from handbook.checks.located_errors import report
from handbook.i18n.messages import N_, _, translated
from handbook.rendering.doc_tables import data_table
from handbook.rendering.svg_figures import svg_node

logger = logging.getLogger(__name__)

__version__ = "1.0"

#: How each mode is drawn. Colour is never the only cue: the dash pattern differs too,
#: so the drawing still reads in greyscale print and for colour-blind readers. Labels are
#: marked for the handbook catalogue and translated where they are shown.
MODES: dict[str, dict[str, str]] = {
    "train": {"label": N_("Train"), "colour": "#1f5fa8", "dash": ""},
    "bus": {"label": N_("Bus"), "colour": "#b3261e", "dash": "8 5"},
    "walk": {"label": N_("Walk"), "colour": "#5f6b3a", "dash": "2 4"},
}

LEG_REQUIRED = ("from", "to", "mode", "line", "source")
LEG_OPTIONAL = ("duration", "note", "source_title")
STOP_REQUIRED = ("id", "name")
STOP_OPTIONAL = ("native", "romanised", "column")

# Geometry of the drawing, in SVG user units (pixels at 100 % zoom).
BOX_HEIGHT = 46
ROW_GAP = 26
COLUMN_GAP = 110
DETOUR = 26  # room above and below the stops for legs that skip a column
MARGIN = 20
LEGEND_HEIGHT = 34


class RouteDataError(ValueError):
    """A problem in the data file that the writer must fix; carries the YAML line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Stop:
    """A place on the routes: an airport, a station, the campus."""

    id: str
    name: str
    native: str = ""
    romanised: str = ""
    column: int | None = None


@dataclass(frozen=True)
class Leg:
    """One ride or walk between two stops, with the page that documents it."""

    start: str
    end: str
    mode: str
    line: str
    source: str
    duration: str = ""
    note: str = ""
    source_title: str = ""


@dataclass(frozen=True)
class Routes:
    """The whole data file once checked: stops in reading order, legs, destination."""

    stops: tuple[Stop, ...]
    legs: tuple[Leg, ...]
    destination: str
    checked: str = ""
    origins: tuple[str, ...] = ()


# -- Reading and checking the data ---------------------------------------------------


def _line(item: Any) -> int | None:
    """The data file line of a mapping read by data_files.load_yaml."""
    return item.line if isinstance(item, YamlMapping) else None


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_fields(
    item: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...], what: str
) -> None:
    line = _line(item)
    for field in required:
        if field not in item:
            raise RouteDataError(f"{what} is missing the required field '{field}'", line)
    unknown = sorted(set(item) - set(required) - set(optional))
    if unknown:
        raise RouteDataError(f"{what} has unknown field(s) {', '.join(map(repr, unknown))}", line)


def parse_routes(text: str, path: str = "routes.yaml") -> Routes:
    """Check the YAML text and return the routes, or raise RouteDataError saying why not."""
    try:
        data = load_yaml(text, path)
    except DataFileError as error:
        raise RouteDataError(error.message, error.line) from None
    if not isinstance(data, dict):
        raise RouteDataError("the file must be a mapping with the keys 'stops' and 'legs'")
    unknown = sorted(set(data) - {"stops", "legs", "destination", "checked", "origins"})
    if unknown:
        raise RouteDataError(f"unknown top-level key(s) {', '.join(map(repr, unknown))}")
    for key in ("stops", "legs"):
        if not isinstance(data.get(key), list) or not data[key]:
            raise RouteDataError(f"'{key}' must be a non-empty list")

    stops: list[Stop] = []
    for index, item in enumerate(data["stops"], start=1):
        what = f"stop {index}"
        if not isinstance(item, dict):
            raise RouteDataError(f"{what} must be a mapping with at least 'id' and 'name'")
        _check_fields(item, STOP_REQUIRED, STOP_OPTIONAL, what)
        line = _line(item)
        for field in ("id", "name", "native", "romanised"):
            if field in item and not _text(item[field]):
                raise RouteDataError(f"{what}: '{field}' must be non-empty text", line)
        column = item.get("column")
        if column is not None and (
            not isinstance(column, int) or isinstance(column, bool) or column < 0
        ):
            raise RouteDataError(f"{what}: 'column' must be a whole number from 0", line)
        if any(stop.id == item["id"] for stop in stops):
            raise RouteDataError(f"{what}: the id '{item['id']}' is used twice", line)
        stops.append(
            Stop(
                item["id"], item["name"], item.get("native", ""), item.get("romanised", ""), column
            )
        )
    known = {stop.id for stop in stops}

    legs: list[Leg] = []
    for index, item in enumerate(data["legs"], start=1):
        what = f"leg {index}"
        if not isinstance(item, dict):
            raise RouteDataError(f"{what} must be a mapping")
        _check_fields(item, LEG_REQUIRED, LEG_OPTIONAL, what)
        line = _line(item)
        for field in LEG_REQUIRED + LEG_OPTIONAL:
            if field in item and not _text(item[field]):
                raise RouteDataError(f"{what}: '{field}' must be non-empty text", line)
        for field in ("from", "to"):
            if item[field] not in known:
                raise RouteDataError(
                    f"{what}: '{field}' names the unknown stop '{item[field]}'", line
                )
        if item["from"] == item["to"]:
            raise RouteDataError(f"{what} starts and ends at the same stop", line)
        if item["mode"] not in MODES:
            raise RouteDataError(
                f"{what} has the unknown mode '{item['mode']}' "
                f"(expected one of {', '.join(MODES)})",
                line,
            )
        if urlparse(item["source"]).scheme not in ("http", "https"):
            raise RouteDataError(
                f"{what}: 'source' must be the http(s) address of the page the leg was read from",
                line,
            )
        legs.append(
            Leg(
                item["from"],
                item["to"],
                item["mode"],
                item["line"],
                item["source"],
                item.get("duration", ""),
                item.get("note", ""),
                item.get("source_title", ""),
            )
        )

    destination = data.get("destination", stops[-1].id)
    if destination not in known:
        raise RouteDataError(f"'destination' names the unknown stop '{destination}'")
    checked = data.get("checked", "")
    if checked and not isinstance(checked, str):
        raise RouteDataError("'checked' must be a quoted date such as \"2026-11-25\"")
    origins = data.get("origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
        raise RouteDataError("'origins' must be a list of stop ids")
    for origin in origins:
        if origin not in known:
            raise RouteDataError(f"'origins' names the unknown stop '{origin}'")
    routes = Routes(tuple(stops), tuple(legs), destination, checked, tuple(origins))
    check_travel_direction(routes, [_line(item) for item in data["legs"]])
    return routes


def check_travel_direction(routes: Routes, lines: list[int | None]) -> None:
    """Refuse legs drawn against the visitor's direction of travel.

    A reader follows the drawing from where they land to the destination, so every leg
    must lead there: none may leave the destination or arrive at an origin (an airport
    where visitors start), following the legs forward must reach the destination from
    every stop, and no chain of legs may loop back on itself. A source that describes a
    service only in the other direction (buses *to* the airports) belongs in the page's
    text about leaving, not in this drawing.
    """
    origins = set(routes.origins)
    for leg, line in zip(routes.legs, lines, strict=True):
        what = f"leg from '{leg.start}' to '{leg.end}'"
        if leg.start == routes.destination:
            raise RouteDataError(
                f"{what} leaves the destination '{routes.destination}': "
                "legs go in the direction of travel, towards it",
                line,
            )
        if leg.end in origins:
            raise RouteDataError(
                f"{what} ends at '{leg.end}', where visitors start (see "
                "'origins'): legs go in the direction of travel",
                line,
            )
    onward: dict[str, list[str]] = {}
    for leg in routes.legs:
        onward.setdefault(leg.start, []).append(leg.end)
    # Depth-first search from every stop: a stop on the current path met again is a
    # loop; a stop with no onward leg other than the destination is a dead end.
    done: set[str] = set()

    def visit(stop: str, path: list[str]) -> None:
        if stop in path:
            loop = " -> ".join([*path[path.index(stop) :], stop])
            raise RouteDataError(
                f"the legs go round in a loop ({loop}): legs go in the "
                "direction of travel, towards the destination"
            )
        if stop in done:
            return
        if stop != routes.destination and not onward.get(stop):
            raise RouteDataError(
                f"no leg leaves '{stop}', so the destination "
                f"'{routes.destination}' cannot be reached from it"
            )
        for following in onward.get(stop, []):
            visit(following, [*path, stop])
        done.add(stop)

    for stop in sorted({leg.start for leg in routes.legs} | {leg.end for leg in routes.legs}):
        visit(stop, [])


# -- Layout and drawing ----------------------------------------------------------------


def columns_of(routes: Routes) -> dict[str, int]:
    """The column of every stop, left to right, ending with the destination.

    A stop may fix its column in the data; otherwise it goes as many columns before the
    destination as it is hops away from it (legs counted in both directions), so that
    the drawing reads from the airports on the left to the campus on the right.
    """
    neighbours: dict[str, set[str]] = {stop.id: set() for stop in routes.stops}
    for leg in routes.legs:
        neighbours[leg.start].add(leg.end)
        neighbours[leg.end].add(leg.start)
    hops = {routes.destination: 0}
    frontier = [routes.destination]
    while frontier:
        following = []
        for stop in frontier:
            for other in sorted(neighbours[stop]):
                if other not in hops:
                    hops[other] = hops[stop] + 1
                    following.append(other)
        frontier = following
    farthest = max(hops.values())
    columns = {}
    for stop in routes.stops:
        if stop.column is not None:
            columns[stop.id] = stop.column
        else:  # a stop cut off from the destination goes first, where it is easy to spot
            columns[stop.id] = farthest - hops.get(stop.id, farthest)
    return columns


def _text_width(text: str) -> float:
    """Rough width of a label: wide (CJK) characters take about twice the room."""
    return sum(13.0 if ord(char) > 0x2E80 else 7.2 for char in text)


def leg_label(leg: Leg) -> str:
    """The text drawn on a leg: the line, and the duration only when a source gives one."""
    return f"{leg.line} · {leg.duration}" if leg.duration else leg.line


def mode_name(mode: str) -> str:
    """The mode in running text: "train", "bus", "walk" in English, translated elsewhere."""
    return translated(MODES[mode]["label"]).lower()


def route_svg(routes: Routes, diagram_id: str, title: str) -> str:
    """The drawing as one ``<svg>`` element, styled to follow the page's text colour.

    Legs carry a numbered badge rather than their full line name: names of several legs
    would overlap between the same columns, while a number stays legible and points to
    the row of the table printed under the drawing, where the line, duration and source
    are given in full (and each badge links to its source and shows it on hover).
    """
    columns = columns_of(routes)
    by_column: dict[int, list[Stop]] = {}
    for stop in routes.stops:
        by_column.setdefault(columns[stop.id], []).append(stop)
    used = sorted(by_column)
    widths = {
        col: max(max(_text_width(s.name), _text_width(s.native)) + 24 for s in by_column[col])
        for col in used
    }
    rows = max(len(stops) for stops in by_column.values())
    body_top = MARGIN + DETOUR
    body_height = rows * BOX_HEIGHT + (rows - 1) * ROW_GAP
    height = body_top + body_height + DETOUR + MARGIN + LEGEND_HEIGHT
    x_left: dict[int, float] = {}
    x = float(MARGIN)
    for col in used:
        x_left[col] = x
        x += widths[col] + COLUMN_GAP
    width = x - COLUMN_GAP + MARGIN

    boxes: dict[str, tuple[float, float, float]] = {}  # left, top, width
    for col in used:
        stack = by_column[col]
        stack_height = len(stack) * BOX_HEIGHT + (len(stack) - 1) * ROW_GAP
        top = body_top + (body_height - stack_height) / 2
        for index, stop in enumerate(stack):
            boxes[stop.id] = (x_left[col], top + index * (BOX_HEIGHT + ROW_GAP), widths[col])

    names = {stop.id: stop.name for stop in routes.stops}
    # Translators: one leg in the drawing's description for screen readers; {start} and {end}
    # are stops, {mode} is "train", "bus" or "walk", {line} the line or service (data).
    leg_text = _("leg {number}: {start} to {end} by {mode}, {line}")
    description = "; ".join(
        leg_text.format(
            number=number,
            start=names[leg.start],
            end=names[leg.end],
            mode=mode_name(leg.mode),
            line=leg_label(leg),
        )
        for number, leg in enumerate(routes.legs, start=1)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="route-diagram" id="{diagram_id}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="group" '
        f'aria-labelledby="{diagram_id}-title {diagram_id}-desc" '
        'style="max-width:100%;height:auto;font-family:sans-serif">',
        f'<title id="{diagram_id}-title">{escape(title)}</title>',
        f'<desc id="{diagram_id}-desc">{escape(description)}</desc>',
        "<style>"
        f"#{diagram_id} .rd-stop{{fill:none;stroke:currentColor;stroke-width:1.5}}"
        f"#{diagram_id} .rd-destination{{stroke-width:3}}"
        f"#{diagram_id} text{{fill:currentColor;font-size:12px}}"
        f"#{diagram_id} .rd-native{{font-size:11px;opacity:.8}}"
        f"#{diagram_id} .rd-badge{{fill:Canvas;stroke-width:2}}"
        f"#{diagram_id} .rd-number{{font-size:11px;font-weight:bold}}"
        "</style>",
        "<defs>",
    ]
    for mode, style in MODES.items():
        parts.append(
            f'<marker id="{diagram_id}-arrow-{mode}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{style["colour"]}"/></marker>'
        )
    parts.append("</defs>")

    badges: list[str] = []  # drawn after every line, so no line crosses a number
    for number, leg in enumerate(routes.legs, start=1):
        (sx, sy, sw), (ex, ey, ew) = boxes[leg.start], boxes[leg.end]
        scol, ecol = columns[leg.start], columns[leg.end]
        if ecol > scol:
            x1, y1, x2, y2 = sx + sw, sy + BOX_HEIGHT / 2, ex, ey + BOX_HEIGHT / 2
        elif ecol < scol:
            x1, y1, x2, y2 = sx, sy + BOX_HEIGHT / 2, ex + ew, ey + BOX_HEIGHT / 2
        else:  # same column: leave from the side facing the other stop
            going_down = ey > sy
            x1, x2 = sx + sw / 2, ex + ew / 2
            y1 = sy + BOX_HEIGHT if going_down else sy
            y2 = ey if going_down else ey + BOX_HEIGHT
        if ecol == scol:
            c1x, c1y, c2x, c2y = x1 + 40.0, y1, x2 + 40.0, y2
        elif abs(ecol - scol) > 1:
            # A leg that skips a column would cross the stops drawn there: send it round,
            # above the drawing when it starts in the upper half, below otherwise.
            lane = (
                MARGIN
                if (y1 + y2) / 2 < body_top + body_height / 2
                else height - (MARGIN + LEGEND_HEIGHT)
            )
            pull = (x2 - x1) / 3
            c1x, c1y, c2x, c2y = x1 + pull, lane, x2 - pull, lane
        else:
            pull = (x2 - x1) / 2
            c1x, c1y, c2x, c2y = x1 + pull, y1, x2 - pull, y2
        style = MODES[leg.mode]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{c1x:.1f},{c1y:.1f} {c2x:.1f},{c2y:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="{style["colour"]}" stroke-width="2"{dash} '
            f'marker-end="url(#{diagram_id}-arrow-{leg.mode})"/>'
        )
        # The badge sits on the curve at t = 1/2 of the cubic Bézier.
        mx = (x1 + 3 * c1x + 3 * c2x + x2) / 8
        my = (y1 + 3 * c1y + 3 * c2y + y2) / 8
        # Translators: the tooltip of a leg's numbered badge; {source} is a web address.
        tooltip = _("Leg {number}: {start} to {end}, {mode}, {line}. Source: {source}").format(
            number=number,
            start=names[leg.start],
            end=names[leg.end],
            mode=mode_name(leg.mode),
            line=leg_label(leg),
            source=leg.source,
        )
        badges.append(
            f'<a href="{escape(leg.source)}"><title>{escape(tooltip)}</title>'
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="10" class="rd-badge" '
            f'stroke="{style["colour"]}"/>'
            f'<text x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle" class="rd-number">'
            f"{number}</text></a>"
        )
    parts.extend(badges)

    for stop in routes.stops:
        left, top, box_width = boxes[stop.id]
        kind = "rd-stop rd-destination" if stop.id == routes.destination else "rd-stop"
        parts.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{box_width:.1f}" '
            f'height="{BOX_HEIGHT}" rx="8" class="{kind}"/>'
        )
        centre = left + box_width / 2
        if stop.native:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + 19:.1f}" text-anchor="middle">'
                f"{escape(stop.name)}</text>"
            )
            parts.append(
                f'<text x="{centre:.1f}" y="{top + 36:.1f}" text-anchor="middle" '
                f'class="rd-native" lang="ja">{escape(stop.native)}</text>'
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{top + 27:.1f}" text-anchor="middle">'
                f"{escape(stop.name)}</text>"
            )

    legend_y = height - MARGIN
    x = float(MARGIN)
    for style in MODES.values():
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<line x1="{x:.0f}" y1="{legend_y - 4:.0f}" x2="{x + 34:.0f}" '
            f'y2="{legend_y - 4:.0f}" stroke="{style["colour"]}" stroke-width="2"{dash}/>'
        )
        parts.append(
            f'<text x="{x + 40:.0f}" y="{legend_y:.0f}">{escape(translated(style["label"]))}</text>'
        )
        x += 100
    numbers = _("Numbers: legs in the table below")
    parts.append(f'<text x="{x:.0f}" y="{legend_y:.0f}">{escape(numbers)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- Docutils output -------------------------------------------------------------------


def legs_table(routes: Routes) -> nodes.table:
    """Every leg with its source: the readable form for all builders, PDF included."""
    stops = {stop.id: stop for stop in routes.stops}

    def stop_name(stop_id: str) -> str:
        stop = stops[stop_id]
        return f"{stop.name} ({stop.native})" if stop.native else stop.name

    rows = [
        (
            str(number),  # the number drawn on the leg in the SVG
            stop_name(leg.start),
            stop_name(leg.end),
            translated(MODES[leg.mode]["label"]),
            f"{leg.line}. {leg.note}" if leg.note else leg.line,
            leg.duration or _("not given by the source"),
            nodes.reference("", leg.source_title or urlparse(leg.source).netloc, refuri=leg.source),
        )
        for number, leg in enumerate(routes.legs, start=1)
    ]
    return data_table(
        rows,
        (_("Leg"), _("From"), _("To"), _("Mode"), _("Line or service"), _("Duration"), _("Source")),
        # No source on this table, so Sphinx does not extract the title into the page's
        # catalogue: it is translated here.
        title=_("Legs of the routes, with the page each one was read from"),
        # Relative widths for LaTeX and HTML; the text builder reads them as characters.
        widths=(4, 18, 18, 6, 32, 14, 24),
        classes=["route-diagram-legs"],
    )


class RouteDiagram(SphinxDirective):
    """``{route-diagram} path/to/routes.yaml``: a drawing and a table of the routes."""

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        rel_path, abs_path = self.env.relfn2path(self.arguments[0], self.env.docname)
        # Editing the data file must rebuild the page that draws it.
        self.env.note_dependency(rel_path)
        try:
            routes = parse_routes(read_text(abs_path, rel_path), rel_path)
        except DataFileError as error:
            report(error, page=(self.env.docname, self.lineno))
            return []
        except RouteDataError as error:
            report(
                DataFileError(rel_path, error.line, f"route-diagram: {error}"),
                page=(self.env.docname, self.lineno),
            )
            return []

        # The caption option is page text, shown as the page writes it.
        caption = self.options.get("caption", _("Routes to the campus"))
        # Stable across builds and unique per directive, so SVG ids never clash on a page.
        digest = hashlib.sha1(f"{self.env.docname}:{self.lineno}".encode(), usedforsecurity=False)
        diagram_id = f"route-diagram-{digest.hexdigest()[:8]}"

        container = nodes.container(classes=["route-diagram-figure"])
        self.set_source_info(container)
        # Inline SVG in HTML, converted to PDF for the book (see svg_figures).
        figure = nodes.figure(ids=[diagram_id + "-figure"])
        figure += svg_node(route_svg(routes, diagram_id, caption))
        sentences = [caption + "."]
        if routes.checked:
            # Translators: {date} is an ISO date (2026-11-25), as the data file gives it.
            sentences.append(_("Sources checked on {date}.").format(date=routes.checked))
        sentences.append(
            _(
                "The numbered legs are listed in the table below with the page "
                "each was read from; a duration appears only where that page gives "
                "one."
            )
        )
        caption_text = " ".join(sentences)
        figure += nodes.caption("", caption_text)
        container += figure
        container += legs_table(routes)
        return [container]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive; no environment state, so parallel builds are safe."""
    app.setup_extension("handbook.rendering.svg_figures")
    app.setup_extension("handbook.i18n.messages")  # labels in the build's language
    app.add_directive("route-diagram", RouteDiagram)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
