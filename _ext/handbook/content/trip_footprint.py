"""Trip footprints computed at build time from data files kept beside the page.

Why: a CO2e figure typed into a page hides its inputs. Here every number a reader sees is
computed from three CSV files that carry their sources (airport coordinates, routes, emission
factors), with one formula that is written down on the page: the great-circle distance by the
haversine formula on a sphere of radius 6,371.0088 km (the GRS 80 mean radius R1), times two
for a return trip, times a factor in kg CO2e per passenger-km. The interactive calculator in
``_static/footprint-calculator.js`` receives the same data as JSON and uses the same formula,
so its results match the table to the displayed precision.

Directives (paths are relative to the page, like ``include``)::

    ```{footprint-table}
    :table: trips            (or: factors, airports)
    :airports: data/airports.csv
    :trips: data/trips.csv
    :factors: data/emission-factors.csv
    ```

    ```{footprint-calculator}
    ```

The data files (UTF-8 CSV with a header row):

- airports: ``iata, name, latitude, longitude`` (decimal degrees), ``published_as`` (the
  coordinates as the source prints them), ``source_title, source_url, note``;
- trips: ``origin, destination`` (IATA codes from the airports file);
- factors: ``name, kg_co2e_per_pkm, includes_non_co2`` (yes/no), ``publisher, year,
  source_title, source_url, note`` (mark values read from a secondary page "[secondary]").

Bad data (a missing column, a value that is not a number, an unknown airport code) is reported
as a build error naming the CSV file and line; the faulty row is left out, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.checks.data_files import DataFileError, read_csv
from handbook.checks.located_errors import report
from handbook.i18n.messages import _
from handbook.rendering.doc_tables import data_table

logger = logging.getLogger(__name__)

# Mean radius R1 of the Geodetic Reference System 1980 (6,371,008.7714 m), to 0.1 m.
EARTH_RADIUS_KM = 6371.0088
SCRIPT = "footprint-calculator.js"

AIRPORT_COLUMNS = (
    "iata",
    "name",
    "latitude",
    "longitude",
    "published_as",
    "source_title",
    "source_url",
    "note",
)
TRIP_COLUMNS = ("origin", "destination")
FACTOR_COLUMNS = (
    "name",
    "kg_co2e_per_pkm",
    "includes_non_co2",
    "publisher",
    "year",
    "source_title",
    "source_url",
    "note",
)


# -- Pure computation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    latitude: float
    longitude: float
    published_as: str
    source_title: str
    source_url: str
    note: str


@dataclass(frozen=True)
class Trip:
    origin: str
    destination: str


@dataclass(frozen=True)
class EmissionFactor:
    name: str
    kg_co2e_per_pkm: float
    includes_non_co2: bool
    publisher: str
    year: int
    source_title: str
    source_url: str
    note: str


@dataclass(frozen=True)
class Problem:
    """A fault in a data file, located by file and line so an author can fix it."""

    path: str
    line: int
    message: str


def haversine_km(
    lat1: float, lon1: float, lat2: float, lon2: float, radius_km: float = EARTH_RADIUS_KM
) -> float:
    """Great-circle distance on a sphere.

    The order of operations is mirrored line by line in ``footprint-calculator.js`` so that
    both give the same floating-point result.
    """
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    half_dphi = math.sin(math.radians(lat2 - lat1) / 2)
    half_dlambda = math.sin(math.radians(lon2 - lon1) / 2)
    h = half_dphi * half_dphi + math.cos(phi1) * math.cos(phi2) * half_dlambda * half_dlambda
    return 2 * radius_km * math.asin(min(1.0, math.sqrt(h)))


def airport_distance_km(origin: Airport, destination: Airport) -> float:
    return haversine_km(
        origin.latitude, origin.longitude, destination.latitude, destination.longitude
    )


def return_trip_kg(one_way_km: float, kg_co2e_per_pkm: float) -> float:
    """CO2e of one passenger's return trip: out and back over the same distance."""
    return 2 * one_way_km * kg_co2e_per_pkm


def format_km(km: float) -> str:
    return f"{km:,.0f}"


def format_tonnes(kg: float) -> str:
    return f"{kg / 1000:,.2f}"


# -- Reading the data files ---------------------------------------------------------------


def _rows(
    path: Path, display: str, required: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """The rows of a CSV file with their line numbers, and the rows or file refused."""
    try:
        rows, refused = read_csv(path, required, display)
    except DataFileError as error:
        return [], [Problem(display, error.line or 0, error.message)]
    return rows, [Problem(display, error.line or 0, error.message) for error in refused]


def _number(text: str, what: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        comma = " (write decimals with a point, not a comma)" if "," in text else ""
        raise ValueError(f"{what} {text!r} is not a number{comma}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{what} {text!r} is outside {low:g} to {high:g}")
    return value


def _url(text: str) -> str:
    if not re.match(r"https?://\S+$", text):
        raise ValueError(f"source_url {text!r} is not an http(s) address")
    return text


def read_airports(path: Path, display: str) -> tuple[dict[str, Airport], list[Problem]]:
    rows, problems = _rows(path, display, AIRPORT_COLUMNS)
    airports: dict[str, Airport] = {}
    for line, row in rows:
        try:
            code = row["iata"].upper()
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"iata {row['iata']!r} is not a three-letter code")
            if code in airports:
                raise ValueError(f"airport {code} is listed twice")
            if not row["name"]:
                raise ValueError("name is empty")
            airports[code] = Airport(
                iata=code,
                name=row["name"],
                latitude=_number(row["latitude"], "latitude", -90, 90),
                longitude=_number(row["longitude"], "longitude", -180, 180),
                published_as=row["published_as"],
                source_title=row["source_title"] or row["source_url"],
                source_url=_url(row["source_url"]),
                note=row["note"],
            )
        except ValueError as error:
            problems.append(Problem(display, line, str(error)))
    return airports, problems


def read_factors(path: Path, display: str) -> tuple[list[EmissionFactor], list[Problem]]:
    rows, problems = _rows(path, display, FACTOR_COLUMNS)
    factors: list[EmissionFactor] = []
    for line, row in rows:
        try:
            flag = row["includes_non_co2"].lower()
            if flag not in {"yes", "no"}:
                raise ValueError(f"includes_non_co2 {row['includes_non_co2']!r} is not yes or no")
            year = row["year"]
            if not re.fullmatch(r"\d{4}", year):
                raise ValueError(f"year {year!r} is not a four-digit year")
            if not row["name"]:
                raise ValueError("name is empty")
            factors.append(
                EmissionFactor(
                    name=row["name"],
                    kg_co2e_per_pkm=_number(row["kg_co2e_per_pkm"], "kg_co2e_per_pkm", 0, 10),
                    includes_non_co2=flag == "yes",
                    publisher=row["publisher"],
                    year=int(year),
                    source_title=row["source_title"] or row["source_url"],
                    source_url=_url(row["source_url"]),
                    note=row["note"],
                )
            )
        except ValueError as error:
            problems.append(Problem(display, line, str(error)))
    return factors, problems


def read_trips(
    path: Path, display: str, airports: dict[str, Airport]
) -> tuple[list[Trip], list[Problem]]:
    rows, problems = _rows(path, display, TRIP_COLUMNS)
    trips: list[Trip] = []
    for line, row in rows:
        origin, destination = row["origin"].upper(), row["destination"].upper()
        unknown = [code or "(empty)" for code in (origin, destination) if code not in airports]
        if unknown:
            problems.append(
                Problem(
                    display,
                    line,
                    f"unknown airport code(s) {', '.join(unknown)} (not in the airports file)",
                )
            )
        elif origin == destination:
            problems.append(Problem(display, line, f"origin and destination are both {origin}"))
        else:
            trips.append(Trip(origin, destination))
    return trips, problems


# -- Rendering ---------------------------------------------------------------------------


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url, internal=False)


def route_label(trip: Trip, airports: dict[str, Airport]) -> str:
    origin, destination = airports[trip.origin], airports[trip.destination]
    return f"{origin.name} ({origin.iata}) – {destination.name} ({destination.iata})"


def trips_table(
    trips: Sequence[Trip], airports: dict[str, Airport], factors: Sequence[EmissionFactor]
) -> nodes.table:
    headers = [
        _("Route"),
        _("Distance, one way (km)"),
        # Translators: a column per emission factor; {factor} is its name (data).
        *[_("{factor} (t CO₂e)").format(factor=factor.name) for factor in factors],
    ]
    rows = []
    for trip in trips:
        km = airport_distance_km(airports[trip.origin], airports[trip.destination])
        rows.append(
            [
                route_label(trip, airports),
                format_km(km),
                *[format_tonnes(return_trip_kg(km, factor.kg_co2e_per_pkm)) for factor in factors],
            ]
        )
    # Table titles are left in English here: Sphinx extracts them into the page's own
    # catalogue (the table carries the directive's source), where they are translated.
    title = (
        "CO₂e per passenger for one return trip, by emission factor. Distances are "
        "great-circle distances between the airports (haversine formula, sphere of "
        f"radius {EARTH_RADIUS_KM:,} km)."
    )
    return data_table(rows, headers, title=title, classes=["footprint-table", "footprint-trips"])


def factors_table(factors: Sequence[EmissionFactor]) -> nodes.table:
    rows = [
        [
            factor.name,
            f"{factor.kg_co2e_per_pkm:.3f}",
            # Translators: "yes" and "no" answer "Includes non-CO₂ effects" (a column header).
            _("yes") if factor.includes_non_co2 else _("no"),
            f"{factor.publisher}, {factor.year}",
            _link(factor.source_title, factor.source_url),
            factor.note,
        ]
        for factor in factors
    ]
    headers = [
        _("Factor"),
        _("kg CO₂e per passenger-km"),
        _("Includes non-CO₂ effects"),
        _("Publisher, year"),
        _("Where the value was read"),
        _("Note"),
    ]
    return data_table(
        rows,
        headers,
        title="Emission factors used on this page",
        classes=["footprint-table", "footprint-factors"],
    )


def airports_table(airports: dict[str, Airport]) -> nodes.table:
    rows = [
        [
            airport.iata,
            airport.name,
            f"{airport.latitude:.6f}",
            f"{airport.longitude:.6f}",
            airport.published_as,
            _link(airport.source_title, airport.source_url),
            airport.note,
        ]
        for airport in airports.values()
    ]
    headers = [
        _("Code"),
        _("Airport"),
        _("Latitude (°)"),
        _("Longitude (°)"),
        _("As published"),
        _("Source"),
        _("Note"),
    ]
    return data_table(
        rows,
        headers,
        title="Airport reference points used for the distances",
        classes=["footprint-table", "footprint-airports"],
    )


def calculator_labels() -> dict[str, str]:
    """The words the script writes into the page, in the build's language.

    The script keeps the English ones as defaults and fills in ``{km}`` and ``{trips}``.
    """
    return {
        "choose_two": _("Choose two airports."),
        "choose_different": _("Choose two different airports."),
        "at_least_one": _("Enter a number of return trips of at least 1."),
        "whole_number": _("Enter a whole number of return trips (no fractions)."),
        # Translators: {limit} is the largest number of trips the calculator takes ("1,000").
        "at_most": _("Enter at most {limit} return trips."),
        "distance": _("Great-circle distance: {km} km one way."),
        # Translators: caption of the result for exactly one return trip ({trips} is 1).
        "caption_one": _("CO₂e per passenger for {trips} return trip"),
        # Translators: caption of the result for two or more return trips.
        "caption_other": _("CO₂e per passenger for {trips} return trips"),
        "factor": _("Emission factor"),
        "non_co2": _("Includes non-CO₂ effects"),
        "tonnes": _("t CO₂e"),
        "yes": _("yes"),
        "no": _("no"),
    }


#: The most return trips the calculator takes: more is a typing slip, not a travel plan.
MAX_TRIPS = 1000


def calculator_data(
    airports: dict[str, Airport], factors: Sequence[EmissionFactor], trips: Sequence[Trip] = ()
) -> dict[str, Any]:
    """What the browser needs: the same numbers the table was computed from, and its words.

    The emission factors are long-haul ones, so the calculator offers only long-haul pairs:
    "From" lists the airports the trips file starts from (France and Geneva), "To" those it
    flies to (Tokyo), and a short hop such as Paris–Lyon cannot be chosen. Without a trips
    file, every airport is offered on both sides."""
    origins = {trip.origin for trip in trips} or set(airports)
    destinations = {trip.destination for trip in trips} or set(airports)
    return {
        "earth_radius_km": EARTH_RADIUS_KM,
        "max_trips": MAX_TRIPS,
        "airports": [
            {
                "code": a.iata,
                "name": a.name,
                "lat": a.latitude,
                "lon": a.longitude,
                "origin": a.iata in origins,
                "destination": a.iata in destinations,
            }
            for a in airports.values()
        ],
        "factors": [
            {
                "name": f.name,
                "kg_co2e_per_pkm": f.kg_co2e_per_pkm,
                "includes_non_co2": f.includes_non_co2,
            }
            for f in factors
        ],
        "labels": calculator_labels(),
    }


def calculator_html(ident: str, data: dict[str, Any], default: Trip | None) -> str:
    """The form, its data block and a no-script note; the script fills in the results."""
    # "</" must not appear inside a <script> element.
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    # Translated outside the f-strings below, which `make gettext` does not look into.
    legend, origin, destination, trips = (
        escape(_("Trip footprint calculator")),
        escape(_("From")),
        escape(_("To")),
        escape(_("Return trips")),
    )
    noscript = escape(
        _(
            "The calculator needs JavaScript. The table of routes on this page "
            "gives the same figures for one return trip."
        )
    )

    def options(selected: str | None, side: str) -> str:
        return "".join(
            f'<option value="{escape(a["code"])}"'
            f"{' selected' if a['code'] == selected else ''}>"
            f"{escape(a['name'])} ({escape(a['code'])})</option>"
            for a in data["airports"]
            if a.get(side, True)
        )

    return (
        f'<form class="footprint-calculator" data-footprint-data="{ident}-data" '
        f'id="{ident}">'
        f"<fieldset><legend>{legend}</legend>"
        f'<div class="footprint-field"><label for="{ident}-origin">{origin}</label> '
        f'<select id="{ident}-origin" name="origin">'
        f"{options(default.origin if default else None, 'origin')}</select></div> "
        f'<div class="footprint-field"><label for="{ident}-destination">{destination}</label> '
        f'<select id="{ident}-destination" name="destination">'
        f"{options(default.destination if default else None, 'destination')}</select></div> "
        f'<div class="footprint-field"><label for="{ident}-trips">{trips}</label> '
        f'<input id="{ident}-trips" name="trips" type="number" min="1" max="{MAX_TRIPS}" '
        f'step="1" value="1" inputmode="numeric" aria-describedby="{ident}-trips-error">'
        f'<p class="footprint-error" id="{ident}-trips-error" aria-live="polite"></p></div>'
        "</fieldset>"
        f'<output for="{ident}-origin {ident}-destination {ident}-trips" aria-live="polite" '
        f'class="footprint-result" id="{ident}-result"></output>'
        "</form>"
        f'<script type="application/json" id="{ident}-data">{payload}</script>'
        f"<noscript><p>{noscript}</p></noscript>"
    )


class footprint_calculator(nodes.General, nodes.Element):  # docutils names nodes in lower case
    """Placeholder replaced at write time: a form for HTML, a sentence elsewhere."""


class CalculatorToHtml(SphinxPostTransform):
    """HTML builders get the form (the output format is only known when writing)."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(footprint_calculator)):
            node.replace_self(nodes.raw("", node["html"], format="html"))


class CalculatorToSentence(SphinxPostTransform):
    """Every other builder (LaTeX, text, ...) gets a sentence pointing to the table."""

    default_priority = 401  # after CalculatorToHtml, so it only sees what HTML left

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(footprint_calculator)):
            node.replace_self(
                nodes.paragraph(
                    text=_(
                        "The interactive calculator is part of the web edition of this "
                        "handbook; the table of routes above gives the same figures."
                    )
                )
            )


# -- Directives --------------------------------------------------------------------------


class _FootprintDirective(SphinxDirective):
    """Shared option handling: resolve, read and report the three data files."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "airports": directives.unchanged_required,
        "trips": directives.unchanged_required,
        "factors": directives.unchanged_required,
    }
    defaults: ClassVar[dict[str, str]] = {
        "airports": "data/airports.csv",
        "trips": "data/trips.csv",
        "factors": "data/emission-factors.csv",
    }

    def _path(self, which: str) -> tuple[Path, str]:
        relative, absolute = self.env.relfn2path(
            self.options.get(which, self.defaults[which]), self.env.docname
        )
        # Rebuild the page whenever the data file changes.
        self.env.note_dependency(relative)
        return Path(absolute), relative

    def _report(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            report(
                DataFileError(
                    problem.path, problem.line or None, f"footprint data: {problem.message}"
                ),
                page=(self.env.docname, self.lineno),
            )

    def airports(self) -> dict[str, Airport]:
        airports, problems = read_airports(*self._path("airports"))
        self._report(problems)
        return airports

    def factors(self) -> list[EmissionFactor]:
        factors, problems = read_factors(*self._path("factors"))
        self._report(problems)
        return factors

    def trips(self, airports: dict[str, Airport]) -> list[Trip]:
        trips, problems = read_trips(*self._path("trips"), airports)
        self._report(problems)
        return trips


class FootprintTableDirective(_FootprintDirective):
    """``{footprint-table}``: the routes, the emission factors or the airports."""

    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        **_FootprintDirective.option_spec,
        "table": lambda text: directives.choice(text, ("trips", "factors", "airports")),
    }

    def run(self) -> list[nodes.Node]:
        which = self.options.get("table", "trips")
        if which == "factors":
            factors = self.factors()
            table = factors_table(factors) if factors else None
        elif which == "airports":
            airports = self.airports()
            table = airports_table(airports) if airports else None
        else:
            airports, factors = self.airports(), self.factors()
            trips = self.trips(airports)
            table = trips_table(trips, airports, factors) if trips and factors else None
        if table is None:
            logger.error(
                "footprint-table: no valid %s data to show",
                which,
                location=(self.env.docname, self.lineno),
            )
            return []
        self.set_source_info(table)
        return [table]


class FootprintCalculatorDirective(_FootprintDirective):
    """``{footprint-calculator}``: the interactive form, fed with the page's data."""

    def run(self) -> list[nodes.Node]:
        airports, factors = self.airports(), self.factors()
        trips = self.trips(airports)
        if not airports or not factors:
            logger.error(
                "footprint-calculator: no valid airport or factor data",
                location=(self.env.docname, self.lineno),
            )
            return []
        ident = f"footprint-{self.env.new_serialno('footprint-calculator')}"
        node = footprint_calculator(
            html=calculator_html(
                ident, calculator_data(airports, factors, trips), trips[0] if trips else None
            )
        )
        self.set_source_info(node)
        _calculator_pages(self.env).add(self.env.docname)
        return [node]


# -- Environment state and page assets -----------------------------------------------------


def _calculator_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "footprint_calculator_pages"):
        env.footprint_calculator_pages = set()
    return env.footprint_calculator_pages


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _calculator_pages(env).discard(docname)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    _calculator_pages(env).update(_calculator_pages(other) & docnames)


def add_script(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Load the calculator script on the pages that have a calculator, and nowhere else."""
    if pagename in _calculator_pages(app.env):
        app.add_js_file(SCRIPT, defer="defer")


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("handbook.i18n.messages")  # labels in the build's language
    app.add_node(footprint_calculator)
    app.add_directive("footprint-table", FootprintTableDirective)
    app.add_directive("footprint-calculator", FootprintCalculatorDirective)
    app.add_post_transform(CalculatorToHtml)
    app.add_post_transform(CalculatorToSentence)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("html-page-context", add_script)
    return {
        "version": "1.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
