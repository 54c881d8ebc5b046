"""The France–Japan meeting planner: hand-checked overlaps, clock changes and the directive.

Every expected value below is worked out by hand in a comment from two facts only: Paris is
UTC+1 in winter (CET) and UTC+2 in summer (CEST), switching on the last Sundays of March and
October; Tokyo is UTC+9 all year (JST). If zoneinfo or the code disagreed, the test fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from conftest import edit
from sphinx.testing.util import SphinxTestApp

EXT = Path(__file__).resolve().parent.parent / "_ext"
if str(EXT) not in sys.path:
    sys.path.insert(0, str(EXT))

from handbook.content.meeting_planner import (  # noqa: E402 (needs _ext on the path first)
    build_date,
    default_years,
    format_duration,
    format_offset,
    monthly_regimes,
    overlap_on,
    parse_clock,
    parse_years,
    public_holidays,
    rolling_months,
    seasons_in,
    summary_lines,
    utc_offset,
    working_days,
)

# The directive's tests build sphinx.testing's `app`: a copy of tests/roots/test-meeting-planner.
pytestmark = pytest.mark.sphinx("html", testroot="meeting-planner", copy_test_root=True)


def clock(moment) -> str:
    return f"{moment:%H:%M}"


# -- Hand-checked days ----------------------------------------------------------------------


def test_winter_day_has_one_hour_overlap() -> None:
    # 2026-01-15, CET (UTC+1):
    #   Paris 09:00–18:00 CET = 08:00–17:00 UTC = 17:00–02:00 JST.
    #   Tokyo 09:00–18:00 JST = 00:00–09:00 UTC = 01:00–10:00 CET.
    #   Shared: 08:00–09:00 UTC = 09:00–10:00 Paris = 17:00–18:00 Tokyo, 1 hour.
    overlap = overlap_on(date(2026, 1, 15))
    assert overlap is not None
    assert (clock(overlap.home_start), clock(overlap.home_end)) == ("09:00", "10:00")
    assert (clock(overlap.away_start), clock(overlap.away_end)) == ("17:00", "18:00")
    assert overlap.duration == timedelta(hours=1)
    assert overlap.home_start.tzname() == "CET"
    assert overlap.away_start.tzname() == "JST"


def test_summer_day_has_two_hour_overlap() -> None:
    # 2026-07-15, CEST (UTC+2):
    #   Paris 09:00–18:00 CEST = 07:00–16:00 UTC.
    #   Tokyo 09:00–18:00 JST = 00:00–09:00 UTC = 02:00–11:00 CEST.
    #   Shared: 07:00–09:00 UTC = 09:00–11:00 Paris = 16:00–18:00 Tokyo, 2 hours.
    overlap = overlap_on(date(2026, 7, 15))
    assert overlap is not None
    assert (clock(overlap.home_start), clock(overlap.home_end)) == ("09:00", "11:00")
    assert (clock(overlap.away_start), clock(overlap.away_end)) == ("16:00", "18:00")
    assert overlap.hours == 2.0
    assert overlap.home_start.tzname() == "CEST"


def test_french_clock_changes_of_2026_fall_on_sundays() -> None:
    # Last Sunday of March 2026: 31 March is a Tuesday, so the last Sunday is 29 March.
    # Last Sunday of October 2026: 31 October is a Saturday, so the last Sunday is 25 October.
    assert date(2026, 3, 29).weekday() == 6
    assert date(2026, 10, 25).weekday() == 6
    assert date(2026, 3, 29) + timedelta(days=7) > date(2026, 3, 31)
    assert date(2026, 10, 25) + timedelta(days=7) > date(2026, 10, 31)


def test_spring_change_gives_the_following_monday_summer_time() -> None:
    # The change is at 01:00 UTC on Sunday 29 March: clocks go from 02:00 CET to 03:00 CEST.
    assert utc_offset(date(2026, 3, 29), time(1, 30), "Europe/Paris") == timedelta(hours=1)
    assert utc_offset(date(2026, 3, 29), time(3, 30), "Europe/Paris") == timedelta(hours=2)
    # Friday 27 March is still CET (1 h); Monday 30 March is CEST (2 h, 09:00–11:00 Paris).
    friday, monday = overlap_on(date(2026, 3, 27)), overlap_on(date(2026, 3, 30))
    assert friday is not None and friday.duration == timedelta(hours=1)
    assert monday is not None and monday.duration == timedelta(hours=2)
    assert (clock(monday.home_start), clock(monday.home_end)) == ("09:00", "11:00")
    assert monday.home_start.tzname() == "CEST"


def test_autumn_change_gives_the_following_monday_winter_time() -> None:
    # The change is at 01:00 UTC on Sunday 25 October: clocks go from 03:00 CEST to 02:00 CET.
    assert utc_offset(date(2026, 10, 25), time(0, 30), "Europe/Paris") == timedelta(hours=2)
    assert utc_offset(date(2026, 10, 25), time(9, 0), "Europe/Paris") == timedelta(hours=1)
    # Friday 23 October is still CEST (2 h); Monday 26 October is CET (1 h, 09:00–10:00 Paris).
    friday, monday = overlap_on(date(2026, 10, 23)), overlap_on(date(2026, 10, 26))
    assert friday is not None and friday.duration == timedelta(hours=2)
    assert monday is not None and monday.duration == timedelta(hours=1)
    assert (clock(monday.away_start), clock(monday.away_end)) == ("17:00", "18:00")
    assert monday.home_start.tzname() == "CET"


def test_tokyo_never_changes_its_offset() -> None:
    for day in (date(2026, 1, 15), date(2026, 3, 30), date(2026, 7, 15), date(2026, 10, 26)):
        assert utc_offset(day, time(12), "Asia/Tokyo") == timedelta(hours=9)


def test_no_overlap_when_the_working_days_do_not_meet() -> None:
    # Paris 14:00–18:00 CET = 13:00–17:00 UTC; Tokyo 14:00–18:00 JST = 05:00–09:00 UTC.
    assert overlap_on(date(2026, 1, 15), time(14), time(18)) is None


def test_longer_day_widens_the_window() -> None:
    # Paris 08:00–18:00 CET = 07:00–17:00 UTC; Tokyo 08:00–18:00 JST = 23:00–09:00 UTC.
    # Shared: 07:00–09:00 UTC = 08:00–10:00 Paris, 2 hours.
    overlap = overlap_on(date(2026, 1, 15), time(8), time(18))
    assert overlap is not None
    assert (clock(overlap.home_start), clock(overlap.home_end)) == ("08:00", "10:00")


# -- Months -------------------------------------------------------------------------------


def test_march_and_october_2026_split_into_two_regimes() -> None:
    march = monthly_regimes(2026, 3)
    # Working days 2–27 March in CET, then 30–31 March in CEST.
    assert [(r.first_day.day, r.last_day.day, r.home_abbreviation) for r in march] == [
        (2, 27, "CET"),
        (30, 31, "CEST"),
    ]
    assert [r.overlap.duration for r in march if r.overlap] == [
        timedelta(hours=1),
        timedelta(hours=2),
    ]
    october = monthly_regimes(2026, 10)
    # 1–23 October in CEST, then 26–30 October in CET (31 October is a Saturday).
    assert [(r.first_day.day, r.last_day.day, r.home_abbreviation) for r in october] == [
        (1, 23, "CEST"),
        (26, 30, "CET"),
    ]


def test_months_without_a_change_have_one_regime() -> None:
    for month in (1, 2, 4, 5, 6, 7, 8, 9, 11, 12):
        assert len(monthly_regimes(2026, month)) == 1, month


def test_working_days_are_monday_to_friday() -> None:
    days = working_days(2026, 3)
    assert days[0] == date(2026, 3, 2)  # 1 March 2026 is a Sunday
    assert all(day.weekday() < 5 for day in days)
    assert len(days) == 22


# -- Parsing and formatting ----------------------------------------------------------------


def test_parsers_accept_what_authors_write_and_reject_the_rest() -> None:
    assert parse_clock("09:00") == time(9)
    assert parse_clock(" 8:30 ") == time(8, 30)
    assert parse_years("2026 2027") == [2026, 2027]
    assert parse_years("2026, 2028-2029") == [2026, 2028, 2029]
    for bad in ("25:00", "9h", ""):
        with pytest.raises(ValueError):
            parse_clock(bad)
    for bad in ("26", "2027-2026", "next"):
        with pytest.raises(ValueError):
            parse_years(bad)
    assert default_years(date(2026, 11, 25)) == (2026, 2027)
    assert format_offset(timedelta(hours=2)) == "UTC+02:00"
    assert format_duration(timedelta(hours=1, minutes=30)) == "1 h 30 min"


# -- The directive in a build --------------------------------------------------------------


def test_directive_renders_table_and_svg(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # A group of marks, each overlap bar a link to its month's row of the table.
    assert "<svg" in html and 'role="group"' in html
    links = re.findall(r'<a href="#(meeting-planner-\d+-row-\d+)"', html)
    assert links and all(f'id="{row}"' in html for row in links)
    assert "March 2026" in html and "30–31" in html
    assert html.count("<tr") >= 1 + 14  # header + 12 months + 2 extra for March and October
    assert "09:00–10:00" in html and "09:00–11:00" in html


@pytest.mark.sphinx(confoverrides={"meeting_planner_build_date": "2026-12-03"})
def test_without_years_twelve_months_from_the_build_date(app: SphinxTestApp) -> None:
    """The build date is set explicitly here; in a real build it is the last commit's."""
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "defaults.html").read_text(encoding="utf-8")
    assert "December 2026" in html and "November 2027" in html
    assert "November 2026" not in html and "December 2027" not in html
    # The answer first: the summary comes before the figure and the table.
    summary = html.index("meeting-planner-summary")
    assert summary < html.index("<svg") < html.index("<table")
    assert (
        "December 2026 to March 2027, November 2027: 09:00–10:00 in Paris is 17:00–18:00 "
        "in Tokyo (1 h)." in html
    )
    assert "March 2027 to October 2027: 09:00–11:00 in Paris is 16:00–18:00 in Tokyo (2 h)." in html


def test_the_build_date_is_the_last_commit_unless_set() -> None:
    class Config:
        meeting_planner_build_date = ""

    folder = str(Path(__file__).parent)
    committed = subprocess.run(
        ["git", "log", "-1", "--format=%cs"], cwd=folder, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert build_date(Config(), folder) == date.fromisoformat(committed)
    Config.meeting_planner_build_date = "2027-05-20"
    assert build_date(Config(), folder) == date(2027, 5, 20)
    assert rolling_months(date(2026, 12, 3)) == [(2026, 12)] + [(2027, m) for m in range(1, 12)]


def test_public_holidays_of_both_countries_are_listed(app: SphinxTestApp) -> None:
    # Hand-checked against the 2026 calendars: 1 May (Labour Day) is a Friday in France; in
    # Japan, 3 May (Constitution Memorial Day) is a Sunday, so it is not a working day lost,
    # while 4, 5 and 6 May (Greenery Day, Children's Day, a substitute holiday) are.
    may = public_holidays(2026, 5)
    assert [day.day for day, _name in may["JP"]] == [4, 5, 6]
    assert date(2026, 5, 1) in {day for day, _name in may["FR"]}
    assert "New Year" in public_holidays(2026, 1)["FR"][0][1]
    assert public_holidays(2026, 1)["JP"][0][0] == date(2026, 1, 1)
    assert "こどもの日" in {name for _day, name in public_holidays(2026, 5, "ja")["JP"]}
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "Public holidays on working days" in html
    assert (
        "Japan: 4 (Greenery Day), 5 (Children&#x27;s Day)" in html
        or "Japan: 4 (Greenery Day), 5 (Children’s Day)" in html
        or "Japan: 4 (Greenery Day), 5 (Children's Day)" in html
    )


def test_japanese_holiday_seasons_mark_their_months() -> None:
    """JNTO's three seasons: New Year (late December, early January), Golden Week (29 April
    to 5 May) and Obon (mainly 13 to 16 August, not a public holiday)."""

    def names(first: date, last: date) -> list[str]:
        return [season.name for season in seasons_in(first, last)]

    assert names(date(2026, 12, 1), date(2026, 12, 31)) == ["New Year holidays"]
    assert names(date(2027, 1, 1), date(2027, 1, 29)) == ["New Year holidays"]
    assert names(date(2026, 4, 1), date(2026, 4, 30)) == ["Golden Week"]
    assert names(date(2026, 5, 1), date(2026, 5, 29)) == ["Golden Week"]
    assert names(date(2026, 8, 3), date(2026, 8, 31)) == ["Obon"]
    # An April whose last working day is the 28th (29 and 30 April 2028 are a weekend) does
    # not touch Golden Week; neither do the months between the seasons.
    assert names(date(2028, 4, 3), date(2028, 4, 28)) == []
    assert names(date(2026, 6, 1), date(2026, 6, 30)) == []
    assert names(date(2026, 11, 2), date(2026, 11, 30)) == []


@pytest.mark.sphinx(confoverrides={"meeting_planner_build_date": "2026-12-03"})
def test_seasons_are_labelled_in_the_rolling_table(app: SphinxTestApp) -> None:
    """From a build date of 2026-12-03 the table runs to November 2027: each season's months
    carry its name, and no other month does."""
    app.build()
    assert app.warning.getvalue() == ""
    html = (app.outdir / "defaults.html").read_text(encoding="utf-8")
    rows: dict[str, list[str]] = {}  # month -> its rows' last cells
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.DOTALL):
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        if cells:
            rows.setdefault(cells[0], []).append(cells[-1])
    new_year = "New Year holidays in Japan (late December to early January)"
    golden_week = "Golden Week in Japan (29 April to 5 May)"
    obon = "Obon in Japan (mainly 13 to 16 August)"
    assert all(new_year in cell for cell in rows["December 2026"] + rows["January 2027"])
    assert any(golden_week in cell for cell in rows["April 2027"])
    assert all(golden_week in cell for cell in rows["May 2027"])
    assert all(obon in cell for cell in rows["August 2027"])
    # 11 August 2027, Mountain Day, is a Wednesday: the public holiday comes first.
    assert rows["August 2027"][0].startswith("Japan: 11 (Mountain Day)")
    seasons = (new_year, golden_week, obon)
    for month in ("February 2027", "June 2027", "September 2027", "November 2027"):
        assert not any(season in cell for cell in rows[month] for season in seasons), month
    assert "holiday seasons in Japan" in html


def test_summary_has_one_line_per_window() -> None:
    months = [
        (2026, month, monthly_regimes(2026, month, time(9), time(18))) for month in range(1, 13)
    ]
    lines = summary_lines(months)
    assert len(lines) == 2
    assert lines[0].startswith("January 2026 to March 2026, October 2026 to December 2026:")
    assert lines[1].startswith("March 2026 to October 2026: 09:00–11:00 in Paris")


@pytest.mark.sphinx("text")
def test_text_builder_keeps_the_table_and_drops_the_svg(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "<svg" not in text
    assert "March 2026" in text and "09:00–11:00" in text


def test_bad_option_is_a_located_error_not_a_traceback(app: SphinxTestApp) -> None:
    edit(app.srcdir / "index.md", ":workday-start: 09:00", ":workday-start: 25:00")
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:" in warnings and "ERROR" in warnings
    assert "'25:00' is not a time" in warnings
    assert "Traceback" not in warnings
