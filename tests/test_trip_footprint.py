"""Trip footprints: distances, CO2e arithmetic, bad data reporting and the calculator.

Reference distances are great-circle (haversine, spherical) values from a third-party
calculator, airmilescalculator.com [secondary], quoted in the handbook's fact sheet:
CDG–HND 9,707 km and CDG–NRT 9,710 km. The tests allow 1 %.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import edit
from sphinx.testing.util import SphinxTestApp

PROJECT = Path(__file__).resolve().parent.parent
EXT = PROJECT / "_ext"
if str(EXT) not in sys.path:
    sys.path.insert(0, str(EXT))

from handbook.content.trip_footprint import (  # noqa: E402 (needs _ext on the path first)
    EARTH_RADIUS_KM,
    airport_distance_km,
    format_km,
    format_tonnes,
    haversine_km,
    read_airports,
    read_factors,
    read_trips,
    return_trip_kg,
)

DATA = PROJECT / "onboarding" / "data"
SCRIPT = PROJECT / "_static" / "footprint-calculator.js"

# The build tests use sphinx.testing's `app`: a copy of tests/roots/test-trip-footprint, whose
# conf.py serves the handbook's own calculator script.
pytestmark = pytest.mark.sphinx("html", testroot="trip-footprint", copy_test_root=True)


def handbook_airports():
    airports, problems = read_airports(DATA / "airports.csv", "airports.csv")
    assert problems == []
    return airports


# -- Distances and arithmetic --------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "destination", "expected_km"),
    [
        ("CDG", "HND", 9707),  # airmilescalculator.com, haversine [secondary]
        ("CDG", "NRT", 9710),  # airmilescalculator.com, haversine [secondary]
    ],
)
def test_handbook_distances_match_published_great_circle_values(
    origin: str, destination: str, expected_km: float
) -> None:
    airports = handbook_airports()
    km = airport_distance_km(airports[origin], airports[destination])
    assert km == pytest.approx(expected_km, rel=0.01)


def test_haversine_on_simple_cases() -> None:
    # A quarter of a meridian is a quarter of the circumference: pi/2 * R.
    assert haversine_km(0, 0, 90, 0) == pytest.approx(3.141592653589793 / 2 * EARTH_RADIUS_KM)
    # Antipodes: half the circumference, and no math domain error from rounding.
    assert haversine_km(0, 0, 0, 180) == pytest.approx(3.141592653589793 * EARTH_RADIUS_KM)
    assert haversine_km(35.0, 139.0, 35.0, 139.0) == 0.0
    # Symmetric.
    assert haversine_km(49, 2.5, 35.5, 139.8) == haversine_km(35.5, 139.8, 49, 2.5)


def test_return_trip_arithmetic() -> None:
    # 9,707 km one way, 0.152 kg/pkm: 2 x 9,707 x 0.152 = 2,950.928 kg = 2.95 t.
    assert return_trip_kg(9707, 0.152) == pytest.approx(2950.928)
    assert format_tonnes(return_trip_kg(9707, 0.152)) == "2.95"
    # 0.150 kg/pkm: 2 x 9,707 x 0.150 = 2,912.1 kg = 2.91 t.
    assert format_tonnes(return_trip_kg(9707, 0.150)) == "2.91"
    assert format_km(9707.157) == "9,707"


def test_handbook_data_files_are_clean() -> None:
    airports = handbook_airports()
    factors, problems = read_factors(DATA / "emission-factors.csv", "emission-factors.csv")
    assert problems == [] and factors
    trips, problems = read_trips(DATA / "trips.csv", "trips.csv", airports)
    assert problems == []
    assert {("CDG", "HND"), ("CDG", "NRT")} <= {(t.origin, t.destination) for t in trips}
    # Every factor either is primary or says where it was read.
    for factor in factors:
        assert factor.source_url.startswith("https://")


# -- Builds ---------------------------------------------------------------------------------


def page(app: SphinxTestApp, name: str, suffix: str = ".html") -> str:
    return (app.outdir / f"{name}{suffix}").read_text(encoding="utf-8")


def test_tables_render_from_the_csv_files(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = page(app, "index")
    # CDG–HND with the test root's coordinates: 9,707 km; 2 x 9,707.157 x 0.152 = 2.95 t.
    assert "Paris-Charles de Gaulle (CDG) – Tokyo Haneda (HND)" in html
    assert "9,707" in html and "2.95" in html and "0.100" in html
    assert "Factor A (t CO₂e)" in html
    assert 'href="https://wiki.ivao.aero/"' in html


def test_calculator_script_is_loaded_only_on_its_page(app: SphinxTestApp) -> None:
    app.build()
    calculator, plain = page(app, "calculator"), page(app, "plain")
    assert "footprint-calculator.js" in calculator
    assert "footprint-calculator.js" not in plain
    assert "footprint-calculator.js" not in page(app, "index")
    assert (app.outdir / "_static" / "footprint-calculator.js").read_bytes() == SCRIPT.read_bytes()
    # The embedded data are the CSV values, unrounded.
    match = re.search(
        r'<script type="application/json" id="[^"]+">(.*?)</script>', calculator, re.DOTALL
    )
    assert match
    data = json.loads(match.group(1))
    assert data["earth_radius_km"] == EARTH_RADIUS_KM
    haneda = next(a for a in data["airports"] if a["code"] == "HND")
    assert haneda == {
        "code": "HND",
        "name": "Tokyo Haneda",
        "lat": 35.553333,
        "lon": 139.781111,
        "origin": False,
        "destination": True,
    }
    # Only long-haul pairs can be chosen: "From" lists where the trips start, "To" where
    # they go (the factors are long-haul ones).
    origins = re.search(r'name="origin">(.*?)</select>', calculator, re.S)[1]
    destinations = re.search(r'name="destination">(.*?)</select>', calculator, re.S)[1]
    assert "(HND)" in destinations and "(HND)" not in origins
    assert "(CDG)" in origins and "(CDG)" not in destinations
    assert data["max_trips"] == 1000
    assert [f["kg_co2e_per_pkm"] for f in data["factors"]] == [0.152, 0.1]


@pytest.mark.sphinx("text")
def test_other_builders_get_a_sentence_instead_of_the_form(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    text = page(app, "calculator", ".txt")
    assert "<form" not in text and "table of routes" in text


def test_dependencies_are_recorded(app: SphinxTestApp) -> None:
    app.build()
    deps = {Path(dep).name for dep in app.env.dependencies["index"]}
    assert {"airports.csv", "trips.csv", "emission-factors.csv"} <= deps


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"),
    [
        (
            "airports.csv",
            "iata,name,latitude",
            "iata,name,lat",
            "data/airports.csv:1: ERROR: footprint data: the header lacks the column(s) latitude",
        ),
        (
            "emission-factors.csv",
            "Factor B,0.100",
            "Factor B,about 0.1",
            "data/emission-factors.csv:3: ERROR: footprint data: kg_co2e_per_pkm 'about 0.1' "
            "is not a number",
        ),
        (
            "trips.csv",
            "CDG,NRT",
            "CDG,XYZ",
            "data/trips.csv:3: ERROR: footprint data: unknown airport code(s) XYZ",
        ),
        (
            "airports.csv",
            "HND,Tokyo Haneda,35.553333",
            "HND,Tokyo Haneda,north",
            "data/airports.csv:3: ERROR: footprint data: latitude 'north' is not a number",
        ),
    ],
)
def test_bad_data_is_a_located_error_not_a_traceback(
    app: SphinxTestApp, filename: str, old: str, new: str, expected: str
) -> None:
    edit(app.srcdir / "data" / filename, old, new)
    app.build()
    warnings = app.warning.getvalue()
    assert expected in warnings
    assert "Traceback" not in warnings + app.status.getvalue()
    # The rest of the page still builds.
    assert (app.outdir / "index.html").is_file()


# -- The browser calculator agrees with the table -------------------------------------------


def test_javascript_gives_the_same_figures_as_the_table() -> None:
    airports = handbook_airports()
    factors, _ = read_factors(DATA / "emission-factors.csv", "emission-factors.csv")
    trips, _ = read_trips(DATA / "trips.csv", "trips.csv", airports)
    cases = [
        {
            "a": [airports[t.origin].latitude, airports[t.origin].longitude],
            "b": [airports[t.destination].latitude, airports[t.destination].longitude],
        }
        for t in trips
    ]
    program = (
        "const c = require(process.argv[1]);"
        "const cases = JSON.parse(process.argv[2]); const factors = JSON.parse(process.argv[3]);"
        "console.log(JSON.stringify(cases.map(x => {"
        f" const km = c.haversineKm(x.a[0], x.a[1], x.b[0], x.b[1], {EARTH_RADIUS_KM});"
        " return [c.formatKm(km),"
        "  ...factors.map(f => c.formatTonnes(c.returnTripsKg(km, f, 1)))]; })));"
    )
    result = subprocess.run(
        [
            "node",
            "-e",
            program,
            str(SCRIPT),
            json.dumps(cases),
            json.dumps([f.kg_co2e_per_pkm for f in factors]),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    from_js = json.loads(result.stdout)
    from_python = []
    for trip in trips:
        km = airport_distance_km(airports[trip.origin], airports[trip.destination])
        from_python.append(
            [
                format_km(km),
                *[format_tonnes(return_trip_kg(km, f.kg_co2e_per_pkm)) for f in factors],
            ]
        )
    assert from_js == from_python


# A minimal stand-in for the browser DOM: just what footprint-calculator.js touches.
FAKE_PAGE = r"""
const fs = require("fs"), vm = require("vm");
const [script, dataText, origin, destination, trips] = process.argv.slice(1);
function El(tag) { this.tagName = tag; this.children = []; this.own = ""; }
El.prototype.appendChild = function (child) { this.children.push(child); return child; };
Object.defineProperty(El.prototype, "textContent", {
  get() { return [this.own, ...this.children.map(c => c.textContent)].join(" ").trim(); },
  set(value) { this.own = value; this.children = []; },
});
const output = new El("output");
const form = {
  elements: {origin: {value: origin}, destination: {value: destination}, trips: {value: trips}},
  getAttribute: () => "data-block",
  querySelector: () => output,
  addEventListener: () => {},
};
const document = {
  readyState: "complete",
  getElementById: id => (id === "data-block" ? {textContent: dataText} : null),
  querySelectorAll: () => [form],
  createElement: tag => new El(tag),
  addEventListener: () => {},
};
vm.runInNewContext(fs.readFileSync(script, "utf8"), {document});
console.log(output.textContent);
"""


def test_calculator_shows_the_table_figures_on_a_page() -> None:
    airports = handbook_airports()
    factors, _ = read_factors(DATA / "emission-factors.csv", "emission-factors.csv")
    data = {
        "earth_radius_km": EARTH_RADIUS_KM,
        "airports": [
            {"code": a.iata, "name": a.name, "lat": a.latitude, "lon": a.longitude}
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
    }

    def page(origin: str, destination: str, trips: str) -> str:
        return subprocess.run(
            ["node", "-e", FAKE_PAGE, str(SCRIPT), json.dumps(data), origin, destination, trips],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    km = airport_distance_km(airports["CDG"], airports["HND"])
    shown = page("CDG", "HND", "1")
    assert f"{format_km(km)} km one way" in shown
    for factor in factors:
        assert f"{factor.name} " in shown
        assert format_tonnes(return_trip_kg(km, factor.kg_co2e_per_pkm)) in shown
    # Three return trips: three times the figure, rounded once.
    assert format_tonnes(3 * return_trip_kg(km, factors[0].kg_co2e_per_pkm)) in page(
        "CDG", "HND", "3"
    )
    assert "two different airports" in page("CDG", "CDG", "1")
    assert "at least 1" in page("CDG", "HND", "0")
    # Fractions and numbers above the limit get a message, not a silently rounded figure.
    assert "whole number" in page("CDG", "HND", "1.5")
    assert "at most 1,000" in page("CDG", "HND", "1001")
    # Thousands separated, as in the Python formatting of the table.
    many = format_tonnes(1000 * return_trip_kg(km, factors[0].kg_co2e_per_pkm))
    assert "," in many and many in page("CDG", "HND", "1000")
