"""The route_diagram extension on a small project (tests/roots/test-route-diagram).

What a reader or writer would notice: the drawing shows every stop and says how each
leg is travelled, the PDF-friendly table keeps the sources, and a mistake in the data
file stops the build with a message naming the page, not with a Python traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edit
from handbook.content.route_diagram import RouteDataError, Routes, columns_of, parse_routes
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).parent / "roots" / "test-route-diagram"
STOP_NAMES = ("North Airport", "City Hall", "Central Station", "Test Laboratory")


# Builds use sphinx.testing's `app` on a fresh copy of the test root, so each test may edit
# its data file.
pytestmark = pytest.mark.sphinx(
    "html", testroot="route-diagram", copy_test_root=True, freshenv=True
)


def build(app: SphinxTestApp) -> tuple[SphinxTestApp, str]:
    app.build()
    return app, app.warning.getvalue()


def test_valid_data_draws_every_stop_in_an_svg(app: SphinxTestApp) -> None:
    app, warnings = build(app)
    assert warnings == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    [svg] = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    for name in STOP_NAMES:
        assert name in svg, name
    assert "北空港" in svg  # native names are drawn under the English ones
    assert "Airport Express · about 40 min" in svg  # a duration, because the source gives it
    assert "Line 7 ·" not in svg  # and none invented where the source gives none
    assert 'href="https://timetables.test/line-7"' in svg  # each leg links to its source
    assert 'role="group"' in svg and "<title" in svg  # readable by screen readers


def test_table_lists_every_leg_with_its_source(app: SphinxTestApp) -> None:
    app, _ = build(app)
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    [table] = re.findall(r'<table class="[^"]*route-diagram-legs.*?</table>', html, re.DOTALL)
    assert table.count("<tr") == 4  # header and three legs
    assert ">Airport Express timetable</a>" in table  # the descriptive title, when given
    assert ">timetables.test</a>" in table  # otherwise the site's name
    assert "not given by the source" in table


@pytest.mark.sphinx("text", testroot="route-diagram", copy_test_root=True, freshenv=True)
def test_text_builder_keeps_the_legs_without_the_drawing(app: SphinxTestApp) -> None:
    app, warnings = build(app)
    assert warnings == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "<svg" not in text
    for name in STOP_NAMES:
        assert name in text, name
    assert "Footpath through the park" in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "mode: walk", "mode: boat", "leg 3 has the unknown mode 'boat'", id="unknown-mode"
        ),
        pytest.param(
            "to: lab", "to: moon", "leg 3: 'to' names the unknown stop 'moon'", id="unknown-stop"
        ),
        pytest.param(
            "    line: Line 7\n",
            "",
            "leg 2 is missing the required field 'line'",
            id="missing-field",
        ),
        pytest.param(
            "source: https://timetables.test/footpath",
            "source: the park map",
            "leg 3: 'source' must be the http(s) address",
            id="source-not-a-url",
        ),
        pytest.param(
            "  - id: city",
            "  - id: airport",
            "stop 2: the id 'airport' is used twice",
            id="duplicate-stop",
        ),
        pytest.param("legs:", "legs: [", "invalid YAML", id="yaml-syntax"),
        pytest.param(
            "  - from: airport\n    to: station",
            "  - from: station\n    to: airport",
            "leg from 'station' to 'airport' ends at 'airport', where visitors start",
            id="leg-towards-an-airport",
        ),
        pytest.param(
            "  - from: station\n    to: lab",
            "  - from: lab\n    to: station",
            "leg from 'lab' to 'station' leaves the destination 'lab'",
            id="leg-leaving-the-destination",
        ),
        pytest.param(
            "  - from: station\n    to: lab",
            "  - from: station\n    to: city",
            "leg from 'station' to 'city' ends at 'city', where visitors start",
            id="leg-back-to-an-origin",
        ),
    ],
)
def test_bad_data_is_an_error_naming_the_page(
    app: SphinxTestApp, old: str, new: str, message: str
) -> None:
    edit(app.srcdir / "routes.yaml", old, new)
    app, warnings = build(app)
    assert re.search(
        r"routes\.yaml(:\d+)?: ERROR: .*\(read for the page index\)|"
        r"index\.md:\d+: ERROR: routes\.yaml: ",
        warnings,
    ), warnings
    assert message in warnings, warnings
    assert "Traceback" not in warnings and "Exception" not in warnings
    assert "<svg" not in (app.outdir / "index.html").read_text(encoding="utf-8")


def test_error_gives_the_line_of_the_data_file(app: SphinxTestApp) -> None:
    edit(app.srcdir / "routes.yaml", "mode: walk", "mode: boat")
    _, warnings = build(app)
    lines = (app.srcdir / "routes.yaml").read_text(encoding="utf-8").splitlines()
    [line] = re.findall(r"routes\.yaml:(\d+): ERROR: ", warnings)
    assert lines[int(line) - 1].strip() == "- from: station"  # the leg that is wrong


def test_missing_file_is_an_error_not_a_crash(app: SphinxTestApp) -> None:
    (app.srcdir / "routes.yaml").unlink()
    _, warnings = build(app)
    assert "index.md:5: ERROR: routes.yaml: cannot read the file" in warnings, warnings
    assert "Traceback" not in warnings


def test_editing_the_data_file_rebuilds_the_page(app: SphinxTestApp) -> None:
    app.build()
    edit(app.srcdir / "routes.yaml", "name: City Hall", "name: Town Hall")
    app.build()
    assert app.env.dependencies["index"], "the data file is not a dependency of the page"
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Town Hall" in html and "City Hall" not in html


def test_stops_without_a_column_are_placed_by_hops_to_the_destination() -> None:
    routes = parse_routes((ROOT / "routes.yaml").read_text(encoding="utf-8"))
    assert isinstance(routes, Routes)
    assert columns_of(routes) == {"airport": 0, "city": 0, "station": 1, "lab": 2}


def test_a_leg_that_leads_nowhere_is_refused(app: SphinxTestApp) -> None:
    text = (app.srcdir / "routes.yaml").read_text(encoding="utf-8")
    text = text.replace("  - from: city\n    to: station", "  - from: station\n    to: city")
    text = text.replace("origins: [airport, city]", "origins: [airport]")
    with pytest.raises(RouteDataError, match="no leg leaves 'city'"):
        parse_routes(text)


def test_legs_that_go_round_in_a_loop_are_refused(app: SphinxTestApp) -> None:
    text = (app.srcdir / "routes.yaml").read_text(encoding="utf-8")
    text = text.replace("  - from: station\n    to: lab", "  - from: station\n    to: city")
    text = text.replace("origins: [airport, city]", "origins: [airport]")
    with pytest.raises(
        RouteDataError,
        match=r"loop \((city -> station -> city|station -> city"
        r" -> station)\)",
    ):
        parse_routes(text)


def test_handbook_routes_follow_the_visitors_direction_of_travel() -> None:
    """Airport to campus: the order in which a visitor reads and takes the legs."""
    handbook = Path(__file__).parents[1] / "onboarding" / "data" / "routes.yaml"
    routes = parse_routes(handbook.read_text(encoding="utf-8"))
    assert "narita" in routes.origins
    assert all(leg.end not in routes.origins for leg in routes.legs)
    assert all(leg.start != routes.destination for leg in routes.legs)
    onward: dict[str, set[str]] = {}
    for leg in routes.legs:
        onward.setdefault(leg.start, set()).add(leg.end)
    for origin in routes.origins:  # every origin leads, leg after leg, to the campus
        reached, frontier = {origin}, [origin]
        while frontier:
            frontier = [n for stop in frontier for n in onward.get(stop, ()) if n not in reached]
            reached.update(frontier)
        assert routes.destination in reached, origin
    columns = columns_of(routes)
    assert all(columns[leg.start] <= columns[leg.end] for leg in routes.legs)  # left to right


def test_handbook_routes_file_is_valid() -> None:
    handbook = Path(__file__).parents[1] / "onboarding" / "data" / "routes.yaml"
    try:
        routes = parse_routes(handbook.read_text(encoding="utf-8"))
    except RouteDataError as error:  # pragma: no cover - the message is the point
        pytest.fail(f"onboarding/data/routes.yaml, line {error.line}: {error}")
    assert routes.destination == "campus"
    assert all(leg.source.startswith(("http://", "https://")) for leg in routes.legs)


def test_the_drawing_converts_to_a_picture_for_the_book() -> None:
    """The PDF gets the drawing through CairoSVG (svg_figures): every stop, leg and label is
    inked, not an empty frame (an inline style "height:auto" once made CairoSVG draw nothing)."""
    import io

    import cairosvg
    from handbook.content.route_diagram import route_svg
    from PIL import Image

    handbook = Path(__file__).parents[1] / "onboarding" / "data" / "routes.yaml"
    svg = route_svg(parse_routes(handbook.read_text(encoding="utf-8")), "routes", "Routes")
    picture = Image.open(
        io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), background_color="white"))
    ).convert("L")
    width, height = picture.size
    assert (width, height) == (340, int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg)[1]))
    inked = sum(1 for value in picture.tobytes() if value < 128)
    assert inked > width * height / 50, f"only {inked} dark pixels: the drawing is empty"
    # CairoSVG draws with the first font named, without fallback: a Japanese one for the
    # stops' Japanese names, or they come out as empty boxes.
    natives = re.findall(r'<text [^>]*lang="ja"[^>]*>', svg)
    assert natives and all('font-family="Noto Sans CJK JP' in text for text in natives)
