"""Sphinx extension ``route_diagram``: draws travel routes from a YAML file at build time.

The onboarding pages describe how to reach the Kashiwa campus from the airports. Those
routes change (timetables, bus lines), so they live in one data file next to the page,
where each leg names the page it was read from. This extension turns that file into:

* an inline SVG drawing for HTML, built with plain string formatting (no external service,
  no plotting library, so the build stays offline and the output is deterministic): the
  stops from top to bottom in the order of travel, narrow enough for a phone's screen, and
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
import math
from collections.abc import Callable
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

# Geometry of the drawing, in SVG user units (CSS pixels at the drawing's own size).
DRAWING_WIDTH = 340  # fits the text column of a 390 px phone (342 px)
MARGIN = 6
LANE = 26  # room at a side for one leg that goes round the stops, with its badge
GAP = 16  # between the stops of a row
ROW_GAP = 54  # between rows: a leg's badge, then its arrow
BADGE_AT = 0.4  # where on a leg between two rows its badge sits (0 = start, 1 = end)
BOX_PADDING = 8
LINE_HEIGHT = 16
BADGE_RADIUS = 11
CORNER = 8  # radius of the corners of a leg that goes round
LEGEND_GAP = 24


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
    """The step of every stop along the routes, from 0, ending with the destination.

    A stop may fix its step in the data (its "column", a name kept from when the drawing
    ran left to right); otherwise it goes as many steps before the destination as it is
    hops away from it (legs counted in both directions), so that the drawing reads from
    the airports in its top row to the campus in its bottom row.
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
    """Rough width of a 12 px label: wide (CJK) characters take about twice the room."""
    return sum(13.0 if ord(char) > 0x2E80 else 7.2 for char in text)


def _words(text: str) -> list[str]:
    """The pieces a stop's name may be broken between: at spaces and after hyphens."""
    pieces: list[str] = []
    for word in text.split():
        parts = word.split("-")
        pieces.extend(f"{part}-" for part in parts[:-1])
        pieces.append(parts[-1])
    return [piece for piece in pieces if piece]


def wrap(text: str, width: float) -> list[str]:
    """Break a stop's name into lines no wider than `width` (a longer word keeps its line)."""
    lines: list[str] = []
    for piece in _words(text):
        if lines:
            joined = lines[-1] + ("" if lines[-1].endswith("-") else " ") + piece
            if _text_width(joined) <= width:
                lines[-1] = joined
                continue
        lines.append(piece)
    return lines or [text]


def leg_label(leg: Leg) -> str:
    """The text drawn on a leg: the line, and the duration only when a source gives one."""
    return f"{leg.line} · {leg.duration}" if leg.duration else leg.line


def mode_name(mode: str) -> str:
    """The mode in running text: "train", "bus", "walk" in English, translated elsewhere."""
    return translated(MODES[mode]["label"]).lower()


@dataclass(frozen=True)
class Box:
    """Where a stop is drawn, and the lines of its English name."""

    left: float
    top: float
    width: float
    height: float
    lines: tuple[str, ...]

    @property
    def centre(self) -> float:
        return self.left + self.width / 2

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True)
class Layout:
    """The drawing's size, each stop's box, and which side lane each roundabout leg takes."""

    width: float
    height: float
    boxes: dict[str, Box]
    lanes: dict[int, float]  # leg index -> x of its lane
    rows: dict[str, int]  # stop id -> row index, top to bottom
    legend_top: float


def _towards(
    a: tuple[float, float], b: tuple[float, float], distance: float
) -> tuple[float, float]:
    """The point `distance` from a on the way to b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    return a[0] + dx / length * distance, a[1] + dy / length * distance


def _rounded(points: list[tuple[float, float]]) -> str:
    """An SVG path through the points, with corners rounded (radius CORNER at most)."""
    path = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        radius = min(CORNER, math.dist(before, corner) / 2, math.dist(corner, after) / 2)
        entry, leave = _towards(corner, before, radius), _towards(corner, after, radius)
        path += (
            f" L{entry[0]:.1f},{entry[1]:.1f} "
            f"Q{corner[0]:.1f},{corner[1]:.1f} {leave[0]:.1f},{leave[1]:.1f}"
        )
    return path + f" L{points[-1][0]:.1f},{points[-1][1]:.1f}"


def layout(routes: Routes) -> Layout:
    """Stops in rows from top to bottom in the order of travel (the origins first, the
    destination last), the stops of a row side by side, all boxes as wide as the widest row
    allows, so that the drawing keeps DRAWING_WIDTH, narrow enough for a phone, unless a
    single word needs more. A leg to the next row goes straight down; any other leg goes
    round the stops in a lane at the side nearer its start, so no line crosses a stop."""
    places = columns_of(routes)
    used = sorted(set(places.values()))
    rows = {stop.id: used.index(places[stop.id]) for stop in routes.stops}
    by_row: dict[int, list[Stop]] = {}
    for stop in routes.stops:
        by_row.setdefault(rows[stop.id], []).append(stop)
    across = max(len(stops) for stops in by_row.values())

    lane_sides: dict[int, str] = {}
    for index, leg in enumerate(routes.legs):
        if rows[leg.end] - rows[leg.start] != 1:
            row = by_row[rows[leg.start]]
            position = row.index(next(stop for stop in row if stop.id == leg.start))
            lane_sides[index] = "left" if position < len(row) / 2 else "right"
    left_lanes = [i for i, side in lane_sides.items() if side == "left"]
    right_lanes = [i for i, side in lane_sides.items() if side == "right"]

    needed = max(
        max(max(_text_width(word) for word in _words(stop.name)), _text_width(stop.native))
        + 2 * BOX_PADDING
        for stop in routes.stops
    )
    sides = (len(left_lanes) + len(right_lanes)) * LANE
    width = max(float(DRAWING_WIDTH), 2 * MARGIN + sides + across * needed + (across - 1) * GAP)
    inner_left = MARGIN + len(left_lanes) * LANE
    inner = width - 2 * MARGIN - sides
    box_width = (inner - (across - 1) * GAP) / across

    boxes: dict[str, Box] = {}
    top = float(MARGIN)
    for row in sorted(by_row):
        stops = by_row[row]
        wrapped = {stop.id: wrap(stop.name, box_width - 2 * BOX_PADDING) for stop in stops}
        height = (
            max(len(wrapped[s.id]) + (1 if s.native else 0) for s in stops) * LINE_HEIGHT
            + 2 * BOX_PADDING
        )
        span = len(stops) * box_width + (len(stops) - 1) * GAP
        left = inner_left + (inner - span) / 2
        for stop in stops:
            boxes[stop.id] = Box(left, top, box_width, height, tuple(wrapped[stop.id]))
            left += box_width + GAP
        top += height + ROW_GAP
    lanes = {i: MARGIN + (n + 0.5) * LANE for n, i in enumerate(reversed(left_lanes))}
    lanes |= {i: width - MARGIN - (n + 0.5) * LANE for n, i in enumerate(reversed(right_lanes))}
    legend_top = top - ROW_GAP + LEGEND_GAP
    height = legend_top + 2 * LINE_HEIGHT + MARGIN
    return Layout(width, height, boxes, lanes, rows, legend_top)


def _leg_paths(routes: Routes, plan: Layout) -> list[tuple[str, float, float]]:
    """Each leg's path and the point of its numbered badge, in the legs' order.

    Legs leave a stop's bottom edge and enter the next stop's top edge at points spread
    along the edge, in the left-to-right order of their other ends, so that two legs
    never share an arrowhead or cross between two rows.
    """
    boxes = plan.boxes
    exits: dict[str, list[int]] = {}
    entries: dict[str, list[int]] = {}
    for index, leg in enumerate(routes.legs):
        if index not in plan.lanes:
            exits.setdefault(leg.start, []).append(index)
            entries.setdefault(leg.end, []).append(index)
        elif not _outermost(plan, leg.end, plan.lanes[index]):
            entries.setdefault(leg.end, []).append(index)

    def spread(stop: str, legs: list[int], other: Callable[[int], float]) -> dict[int, float]:
        box = boxes[stop]
        ordered = sorted(legs, key=other)
        return {
            i: box.left + box.width * (n + 1) / (len(ordered) + 1) for n, i in enumerate(ordered)
        }

    leave: dict[int, float] = {}
    arrive: dict[int, float] = {}
    for stop, legs in exits.items():
        leave |= spread(stop, legs, lambda i: boxes[routes.legs[i].end].centre)
    for stop, legs in entries.items():
        arrive |= spread(
            stop,
            legs,
            lambda i: plan.lanes.get(i, boxes[routes.legs[i].start].centre),
        )

    drawn: list[tuple[str, float, float]] = []
    for index, leg in enumerate(routes.legs):
        start, end = boxes[leg.start], boxes[leg.end]
        if index not in plan.lanes:
            x1, y1 = leave[index], start.top + start.height
            x2, y2 = arrive[index], end.top
            bend = (y2 - y1) / 2
            path = (
                f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} "
                f"{x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"
            )
            # The badge nearer the start, clear of the arrowhead: the point of the curve at
            # t = BADGE_AT, whose control points lie straight below and above its ends.
            s = BADGE_AT
            across = s**2 * (3 - 2 * s)  # share of the way from x1 to x2
            down = 1.5 * s * (1 - s) + s**3  # share of the way from y1 to y2
            drawn.append((path, x1 + (x2 - x1) * across, y1 + (y2 - y1) * down))
            continue
        lane = plan.lanes[index]
        on_left = lane < start.left
        x1 = start.left if on_left else start.left + start.width
        points = [(x1, start.middle), (lane, start.middle)]
        if index in arrive:  # another stop lies between the lane and this one: from above
            above = end.top - ROW_GAP / 2
            points += [(lane, above), (arrive[index], above), (arrive[index], end.top)]
        else:
            points += [
                (lane, end.middle),
                (end.left if on_left else end.left + end.width, end.middle),
            ]
        drawn.append((_rounded(points), lane, (start.middle + points[2][1]) / 2))
    return drawn


def _outermost(plan: Layout, stop: str, lane: float) -> bool:
    """Whether no other stop of the row lies between this stop and the lane."""
    box = plan.boxes[stop]
    row = [plan.boxes[s] for s, r in plan.rows.items() if r == plan.rows[stop] and s != stop]
    if lane < box.left:
        return all(other.left > box.left for other in row)
    return all(other.left < box.left for other in row)


def route_svg(routes: Routes, diagram_id: str, title: str) -> str:
    """The drawing as one ``<svg>`` element, styled to follow the page's text colour.

    Legs carry a numbered badge rather than their full line name: names of several legs
    would overlap between the same rows, while a number stays legible and points to the
    row of the table printed under the drawing, where the line, duration and source are
    given in full (and each badge links to its source and shows it on hover). Every text
    is 12 px, so the drawing may shrink to 11/12 of its width before any text falls under
    11 px (svg_figures.MIN_TEXT_PX): DRAWING_WIDTH fits a phone, and a desktop shows the
    drawing at its own size, centred (_static/handbook.css).

    Colours: the stops and text in currentColor; each mode's colour both as a presentation
    attribute, which the PDF keeps, and as a class (rd-train, rd-bus, rd-walk) through which
    _static/handbook.css gives dark mode lighter colours of the same hue.
    """
    plan = layout(routes)
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
    width, height = plan.width, plan.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="route-diagram" id="{diagram_id}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" role="group" '
        f'aria-labelledby="{diagram_id}-title {diagram_id}-desc" '
        # No "height:auto" here: CairoSVG reads it as a height of 0 and draws nothing in the
        # PDF; browsers keep the viewBox's proportions without it.
        'style="max-width:100%;font-family:sans-serif">',
        f'<title id="{diagram_id}-title">{escape(title)}</title>',
        f'<desc id="{diagram_id}-desc">{escape(description)}</desc>',
        "<style>"
        f"#{diagram_id} .rd-stop{{fill:none;stroke:currentColor;stroke-width:1.5}}"
        f"#{diagram_id} .rd-destination{{stroke-width:3}}"
        f"#{diagram_id} text{{fill:currentColor;font-size:12px}}"
        f"#{diagram_id} .rd-native{{opacity:.85}}"
        f"#{diagram_id} .rd-number{{font-weight:bold}}"
        "</style>",
        "<defs>",
    ]
    for mode, style in MODES.items():
        parts.append(
            f'<marker id="{diagram_id}-arrow-{mode}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{style["colour"]}" class="rd-arrow rd-{mode}"/>'
            "</marker>"
        )
    parts.append("</defs>")

    badges: list[str] = []  # drawn after every line, so no line crosses a number
    for number, (leg, (path, bx, by)) in enumerate(
        zip(routes.legs, _leg_paths(routes, plan), strict=True), start=1
    ):
        style = MODES[leg.mode]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<path d="{path}" fill="none" stroke="{style["colour"]}" stroke-width="2"{dash} '
            f'class="rd-leg rd-{leg.mode}" data-from="{escape(leg.start)}" '
            f'data-to="{escape(leg.end)}" marker-end="url(#{diagram_id}-arrow-{leg.mode})"/>'
        )
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
            f'<circle cx="{bx:.1f}" cy="{by:.1f}" r="{BADGE_RADIUS}" fill="white" '
            f'stroke="{style["colour"]}" stroke-width="2" class="rd-badge rd-{leg.mode}"/>'
            f'<text x="{bx:.1f}" y="{by + 4:.1f}" text-anchor="middle" class="rd-number">'
            f"{number}</text></a>"
        )
    parts.extend(badges)

    for stop in routes.stops:
        box = plan.boxes[stop.id]
        kind = "rd-stop rd-destination" if stop.id == routes.destination else "rd-stop"
        parts.append(
            f'<g data-stop="{escape(stop.id)}"><rect x="{box.left:.1f}" y="{box.top:.1f}" '
            f'width="{box.width:.1f}" height="{box.height:.1f}" rx="8" class="{kind}"/>'
        )
        lines = [(line, "") for line in box.lines]
        if stop.native:
            # CairoSVG (the PDF) draws with the first family named and no fallback: a
            # Japanese font, which the build installs (fonts-noto-cjk). In a browser the page's
            # rule for lang="ja" replaces this attribute with the Japanese system fonts.
            lines.append(
                (
                    stop.native,
                    ' class="rd-native" lang="ja" font-family="Noto Sans CJK JP, sans-serif"',
                )
            )
        first = box.middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        for row, (text, attributes) in enumerate(lines):
            parts.append(
                f'<text x="{box.centre:.1f}" y="{first + row * LINE_HEIGHT:.1f}" '
                f'text-anchor="middle"{attributes}>{escape(text)}</text>'
            )
        parts.append("</g>")

    # The legend: the modes drawn, then what the numbers are, on a line of its own.
    y = plan.legend_top + LINE_HEIGHT / 2 + 4
    x = float(MARGIN)
    drawn_modes = {leg.mode for leg in routes.legs}
    for mode, style in MODES.items():
        if mode not in drawn_modes:
            continue
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        label = translated(style["label"])
        parts.append(
            f'<line x1="{x:.0f}" y1="{y - 4:.0f}" x2="{x + 30:.0f}" y2="{y - 4:.0f}" '
            f'stroke="{style["colour"]}" stroke-width="2"{dash} class="rd-leg rd-{mode}"/>'
        )
        parts.append(f'<text x="{x + 36:.0f}" y="{y:.0f}">{escape(label)}</text>')
        x += 36 + _text_width(label) + 24
    numbers = _("Numbers: legs in the table below")
    parts.append(f'<text x="{MARGIN}" y="{y + LINE_HEIGHT:.0f}">{escape(numbers)}</text>')
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
        # A tall drawing: at half the text width it keeps to a page of the book.
        figure += svg_node(route_svg(routes, diagram_id, caption), width=r"0.5\linewidth")
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
        "env_version": 2,  # 2: the drawing runs top to bottom; cached pages redraw it
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
