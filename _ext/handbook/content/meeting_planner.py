"""France–Japan meeting planner: the working hours Paris and Tokyo share, month by month.

Why computed and not typed in: the answer changes twice a year with French summer time
(Japan has none), and hand-written offsets go stale or get the change weeks wrong. Every
offset here comes from the IANA time zone database through :mod:`zoneinfo`, so the page is
right for any year it is built for.

The arithmetic lives in pure functions (:func:`overlap_on`, :func:`monthly_regimes`) that the
tests call directly; the directive only turns their results into a table and an SVG figure.

Usage in a page::

    ```{meeting-planner}
    :years: 2026 2027
    :workday-start: 09:00
    :workday-end: 18:00
    ```

Without ``:years:`` the planner covers twelve months from the month of the build date: the
date of the last commit (``git log``), so that the same sources give the same page on any day
and any machine; ``meeting_planner_build_date`` in conf.py (or ``-D``) sets it explicitly, as
the tests do. The page is re-read when that date moves to another month.

Each month also lists the French and Japanese public holidays that fall on a working day,
from the maintained ``holidays`` package (not a hand-typed list). The package knows days, not
seasons, so the rows that fall in Japan's three main holiday seasons (:data:`JAPAN_SEASONS`:
New Year, Golden Week and Obon) also carry the season's name: Obon is not a public holiday
at all, yet some companies close for a few days in mid-August. The seasons and their dates
are those of the Japan National Tourism Organization's page on peak travel times, cited on
onboarding/time-zones.md.
"""

from __future__ import annotations

import calendar
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from babel.core import UnknownLocaleError
from babel.dates import format_skeleton
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from handbook.i18n.messages import N_, _, translated
from handbook.rendering.doc_tables import data_table
from handbook.rendering.svg_figures import svg_node

logger = logging.getLogger(__name__)

HOME_ZONE = "Europe/Paris"
AWAY_ZONE = "Asia/Tokyo"
DEFAULT_START = time(9, 0)
DEFAULT_END = time(18, 0)
# Saturday and Sunday are days off in both countries; public holidays are not modelled.
WORKING_WEEKDAYS = frozenset(range(5))


# -- Pure computation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    """The shared working time on one day, as aware datetimes in each city's own zone."""

    day: date
    home_start: datetime
    home_end: datetime
    away_start: datetime
    away_end: datetime

    @property
    def duration(self) -> timedelta:
        # Measured in UTC: a wall-clock difference would be wrong across a clock change.
        return self.home_end.astimezone(UTC) - self.home_start.astimezone(UTC)

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600


@dataclass(frozen=True)
class Regime:
    """A run of working days in one month that share the same offset and overlap window."""

    first_day: date
    last_day: date
    home_offset: timedelta
    home_abbreviation: str
    overlap: Overlap | None  # the first day's overlap stands for the whole run

    @property
    def key(self) -> tuple[object, ...]:
        return _regime_key(self.home_offset, self.overlap)


def parse_clock(text: str) -> time:
    """Read a wall-clock time written ``HH:MM`` (24-hour), as page authors write it."""
    match = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*", text or "")
    if not match:
        raise ValueError(f"{text!r} is not a time of the form HH:MM (00:00 to 23:59)")
    return time(int(match.group(1)), int(match.group(2)))


def parse_years(text: str) -> list[int]:
    """Read years separated by spaces or commas; a range ``2026-2028`` is accepted too."""
    years: list[int] = []
    for token in re.split(r"[\s,]+", (text or "").strip()):
        if not token:
            continue
        span = re.fullmatch(r"(\d{4})(?:[-–](\d{4}))?", token)
        if not span:
            raise ValueError(f"{token!r} is not a four-digit year or a range like 2026-2027")
        first, last = int(span.group(1)), int(span.group(2) or span.group(1))
        if last < first:
            raise ValueError(f"the range {token!r} ends before it starts")
        years.extend(range(first, last + 1))
    if not years:
        raise ValueError("no year given")
    return sorted(set(years))


def default_years(today: date) -> tuple[int, int]:
    """The current and the next year: what a visitor planning a stay needs."""
    return (today.year, today.year + 1)


def rolling_months(start: date, count: int = 12) -> list[tuple[int, int]]:
    """``count`` (year, month) pairs from the month of ``start``: a visitor plans ahead, so
    the months already past in the calendar year are of no use."""
    index = start.year * 12 + start.month - 1
    return [((index + offset) // 12, (index + offset) % 12 + 1) for offset in range(count)]


def last_commit_date(folder: str) -> date | None:
    """The committer date of the last commit of the checkout holding ``folder``."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
        return date.fromisoformat(out.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


#: The holiday calendars, by country code; names come in the build's language where the
#: package has it ("fr", "ja"), else in English.
HOLIDAY_COUNTRIES = ("FR", "JP")
HOLIDAY_COUNTRY_NAMES = {"FR": N_("France"), "JP": N_("Japan")}


def public_holidays(
    year: int, month: int, language: str = "en"
) -> dict[str, list[tuple[date, str]]]:
    """Each country's public holidays in a month that fall on a working day (Monday to
    Friday): the days a meeting cannot be held on one side."""
    found: dict[str, list[tuple[date, str]]] = {}
    for code in HOLIDAY_COUNTRIES:
        calendar_ = holidays.country_holidays(code, years=year)
        names = calendar_.supported_languages
        wanted = next((name for name in (language, "en_US", "en") if name in names), None)
        if wanted:
            calendar_ = holidays.country_holidays(code, years=year, language=wanted)
        found[code] = sorted(
            (day, name)
            for day, name in calendar_.items()
            if day.month == month and day.weekday() in WORKING_WEEKDAYS
        )
    return found


@dataclass(frozen=True)
class Season:
    """A holiday season in Japan: many people are off work, though not every day of it is a
    public holiday, so the ``holidays`` package cannot show it."""

    name: str
    #: When, in the words of the source, for the reader ("29 April to 5 May").
    when: str
    #: The (month, day) spans that decide which rows of the table carry the season.
    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...]

    def touches(self, first_day: date, last_day: date) -> bool:
        """Whether a run of days from ``first_day`` to ``last_day`` (one month) meets it."""
        for (start_month, start_day), (end_month, end_day) in self.spans:
            start = date(first_day.year, start_month, start_day)
            end = date(first_day.year, end_month, end_day)
            if first_day <= end and start <= last_day:
                return True
        return False


#: Japan's three main vacation times, as the Japan National Tourism Organization (JNTO)
#: names them on its page of travel tips (bib key JNTO_PeakTravel_2026): Golden Week, the
#: national holidays of 29 April and 3, 4 and 5 May; Obon, mainly 13 to 16 August; New
#: Year, time off "in late December and early January". For New Year the source gives no
#: days: the halves of the two months below only pick the December and January rows, which
#: always cover whole months (French clock changes fall in March and October).
JAPAN_SEASONS = (
    # Translators: the holiday season of late December and early January in Japan.
    Season(
        N_("New Year holidays"),
        N_("late December to early January"),
        (((1, 1), (1, 15)), ((12, 16), (12, 31))),
    ),
    # Translators: Japan's holiday season of 29 April to 5 May (four national holidays).
    Season(N_("Golden Week"), N_("29 April to 5 May"), (((4, 29), (5, 5)),)),
    # Translators: the mid-August holiday season in Japan; it is not a public holiday.
    Season(N_("Obon"), N_("mainly 13 to 16 August"), (((8, 13), (8, 16)),)),
)


def seasons_in(first_day: date, last_day: date) -> list[Season]:
    """The seasons of :data:`JAPAN_SEASONS` that a row's days meet."""
    return [season for season in JAPAN_SEASONS if season.touches(first_day, last_day)]


def overlap_on(
    day: date,
    workday_start: time = DEFAULT_START,
    workday_end: time = DEFAULT_END,
    home_zone: str = HOME_ZONE,
    away_zone: str = AWAY_ZONE,
) -> Overlap | None:
    """The time when the home working day of ``day`` overlaps a working day in the away zone.

    Both cities work ``workday_start``–``workday_end`` on their own clocks. The home day is
    compared with the away days before, on and after the same date, because an eastern city's
    day can straddle two home dates. The weekday is not checked here: callers decide which
    days count as working days. Returns ``None`` when the two windows do not meet.
    """
    if workday_end <= workday_start:
        raise ValueError("the working day must end after it starts")
    home_tz, away_tz = ZoneInfo(home_zone), ZoneInfo(away_zone)
    home_start = datetime.combine(day, workday_start, tzinfo=home_tz)
    home_end = datetime.combine(day, workday_end, tzinfo=home_tz)
    best: Overlap | None = None
    for shift in (-1, 0, 1):
        away_day = day + timedelta(days=shift)
        away_start = datetime.combine(away_day, workday_start, tzinfo=away_tz)
        away_end = datetime.combine(away_day, workday_end, tzinfo=away_tz)
        # Comparisons between aware datetimes of different zones are made in UTC.
        start = max(home_start, away_start)
        end = min(home_end, away_end)
        if start >= end:
            continue
        candidate = Overlap(
            day=day,
            home_start=start.astimezone(home_tz),
            home_end=end.astimezone(home_tz),
            away_start=start.astimezone(away_tz),
            away_end=end.astimezone(away_tz),
        )
        if best is None or candidate.duration > best.duration:
            best = candidate
    return best


def utc_offset(day: date, clock: time, zone: str) -> timedelta:
    """The UTC offset in force in ``zone`` at ``clock`` on ``day``."""
    offset = datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset
    return offset


def working_days(year: int, month: int) -> list[date]:
    """Monday to Friday of one month."""
    last = calendar.monthrange(year, month)[1]
    days = (date(year, month, number) for number in range(1, last + 1))
    return [day for day in days if day.weekday() in WORKING_WEEKDAYS]


def _regime_key(offset: timedelta, overlap: Overlap | None) -> tuple[object, ...]:
    if overlap is None:
        return (offset, None)
    return (
        offset,
        overlap.home_start.timetz().replace(tzinfo=None),
        overlap.home_end.timetz().replace(tzinfo=None),
        overlap.away_start.timetz().replace(tzinfo=None),
        overlap.away_end.timetz().replace(tzinfo=None),
    )


def monthly_regimes(
    year: int,
    month: int,
    workday_start: time = DEFAULT_START,
    workday_end: time = DEFAULT_END,
    home_zone: str = HOME_ZONE,
    away_zone: str = AWAY_ZONE,
) -> list[Regime]:
    """Split a month's working days into runs with the same offset and overlap.

    A month without a clock change gives one regime; March and October give two, because the
    French change falls on a Sunday and so between two runs of working days.
    """
    regimes: list[Regime] = []
    for day in working_days(year, month):
        overlap = overlap_on(day, workday_start, workday_end, home_zone, away_zone)
        start = datetime.combine(day, workday_start, tzinfo=ZoneInfo(home_zone))
        offset = start.utcoffset()
        assert offset is not None
        key = _regime_key(offset, overlap)
        if regimes and regimes[-1].key == key:
            previous = regimes[-1]
            regimes[-1] = Regime(
                previous.first_day,
                day,
                previous.home_offset,
                previous.home_abbreviation,
                previous.overlap,
            )
        else:
            regimes.append(Regime(day, day, offset, start.tzname() or "", overlap))
    return regimes


def format_offset(offset: timedelta) -> str:
    """``UTC+01:00`` style, the form the tz database and ISO 8601 use."""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def format_duration(duration: timedelta) -> str:
    """``1 h`` or ``1 h 30 min``: readers compare lengths, so keep them short."""
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return _("{hours} h").format(hours=hours)
    if hours == 0:
        return _("{minutes} min").format(minutes=rest)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def month_label(year: int, month: int, language: str, abbreviated: bool = False) -> str:
    """ "January 2026", "janvier 2026", "2026年1月": a month as the build's language writes it.

    Month names and their order with the year come from the CLDR data that Babel ships, not
    from the handbook catalogue: every language has them, correct and complete.
    """
    skeleton = "yMMM" if abbreviated else "yMMMM"
    try:
        return format_skeleton(skeleton, date(year, month, 1), locale=language)
    except (UnknownLocaleError, ValueError):
        return format_skeleton(skeleton, date(year, month, 1), locale="en")


def _window(start: datetime, end: datetime) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _days_label(regime: Regime) -> str:
    if regime.first_day == regime.last_day:
        return f"{regime.first_day.day}"
    return f"{regime.first_day.day}–{regime.last_day.day}"


# -- Rendering ---------------------------------------------------------------------------


def _table_rows(
    months: Sequence[tuple[int, int, list[Regime]]], language: str = "en"
) -> list[list[str]]:
    # Translators: in the meeting planner, when two working days do not overlap at all.
    none = _("none")
    rows: list[list[str]] = []
    for year, month, regimes in months:
        for regime in regimes:
            overlap = regime.overlap
            rows.append(
                [
                    month_label(year, month, language),
                    _days_label(regime),
                    f"{regime.home_abbreviation} ({format_offset(regime.home_offset)})",
                    _window(overlap.home_start, overlap.home_end) if overlap else none,
                    _window(overlap.away_start, overlap.away_end) if overlap else none,
                    format_duration(overlap.duration if overlap else timedelta(0)),
                    holidays_label(regime, public_holidays(year, month, language)),
                ]
            )
    return rows


def holidays_label(regime: Regime, found: dict[str, list[tuple[date, str]]]) -> str:
    """ "France: 1 (New Year's Day); Japan: 1 (New Year's Day), 12 (Coming of Age Day)", for
    the days of the regime's row, then the Japanese holiday seasons those days meet ("New Year
    holidays in Japan (late December to early January)"); an en dash when there is neither."""
    parts = []
    for code, days in found.items():
        inside = [
            f"{day.day} ({name})"
            for day, name in days
            if regime.first_day <= day <= regime.last_day
        ]
        if inside:
            parts.append(f"{translated(HOLIDAY_COUNTRY_NAMES[code])}: {', '.join(inside)}")
    for season in seasons_in(regime.first_day, regime.last_day):
        # Translators: {season} is a holiday season in Japan ("Golden Week"), {when} its
        # dates ("29 April to 5 May").
        parts.append(
            _("{season} in Japan ({when})").format(
                season=translated(season.name), when=translated(season.when)
            )
        )
    return "; ".join(parts) or "–"


def summary_lines(
    months: Sequence[tuple[int, int, list[Regime]]], language: str = "en"
) -> list[str]:
    """One line per distinct window, with the months it holds: the answer before the table
    ("November 2026 to March 2027: 09:00–10:00 in Paris, 17:00–18:00 in Tokyo, 1 h")."""
    windows: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for year, month, regimes in months:
        for regime in regimes:
            overlap = regime.overlap
            key = (
                (
                    _window(overlap.home_start, overlap.home_end),
                    _window(overlap.away_start, overlap.away_end),
                    format_duration(overlap.duration),
                )
                if overlap
                else ("", "", "")
            )
            if (year, month) not in windows.setdefault(key, []):
                windows[key].append((year, month))

    def label(run: list[tuple[int, int]]) -> str:
        first, last = run[0], run[-1]
        if first == last:
            return month_label(*first, language)
        # Translators: a span of months, "November 2026 to March 2027".
        return _("{first} to {last}").format(
            first=month_label(*first, language), last=month_label(*last, language)
        )

    lines = []
    for (paris, tokyo, length), spans in windows.items():
        runs: list[list[tuple[int, int]]] = []
        for year, month in spans:
            if runs and (runs[-1][-1][0] * 12 + runs[-1][-1][1]) + 1 == year * 12 + month:
                runs[-1].append((year, month))
            else:
                runs.append([(year, month)])
        period = ", ".join(label(run) for run in runs)
        if not paris:
            lines.append(_("{period}: no shared working hours.").format(period=period))
            continue
        # Translators: {period} is a span of months, {paris} and {tokyo} times ("09:00–10:00")
        # on each city's clock, {length} a duration ("1 h").
        lines.append(
            _("{period}: {paris} in Paris is {tokyo} in Tokyo ({length}).").format(
                period=period, paris=paris, tokyo=tokyo, length=length
            )
        )
    return lines


def row_id(ident: str, index: int) -> str:
    """The id of the table row for the figure's bar number ``index`` (from 0)."""
    return f"{ident}-row-{index + 1}"


def _hour_of(moment: datetime) -> float:
    return moment.hour + moment.minute / 60


def _away_segments_in_home_time(
    day: date, workday_start: time, workday_end: time, home_zone: str, away_zone: str
) -> list[tuple[float, float]]:
    """The away city's working hours drawn on the home day's 0–24 h clock face."""
    home_tz, away_tz = ZoneInfo(home_zone), ZoneInfo(away_zone)
    day_start = datetime.combine(day, time(0), tzinfo=home_tz)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=home_tz)
    segments = []
    for shift in (-1, 0, 1):
        away_day = day + timedelta(days=shift)
        start = max(datetime.combine(away_day, workday_start, tzinfo=away_tz), day_start)
        end = min(datetime.combine(away_day, workday_end, tzinfo=away_tz), day_end)
        if start < end:
            low = _hour_of(start.astimezone(home_tz))
            high = 24.0 if end == day_end else _hour_of(end.astimezone(home_tz))
            segments.append((low, high))
    return segments


#: Legend geometry, font size 11: the colour swatch and its gap, and between two entries.
LEGEND_SWATCH = 18
LEGEND_GAP = 17
LEGEND_ROW = 16


def _text_width(text: str) -> float:
    """Rough width of a label at font size 11: wide (CJK) characters take about twice the room."""
    return sum(11.0 if ord(char) > 0x2E80 else 6.2 for char in text)


def legend_layout(labels: Sequence[str], left: float, right: float) -> list[tuple[float, int]]:
    """Where each legend entry goes, as (x, row): translated labels differ in length, so an
    entry that would run past ``right`` starts a new row instead of overlapping the next."""
    places: list[tuple[float, int]] = []
    x, row = left, 0
    for label in labels:
        width = LEGEND_SWATCH + _text_width(label)
        if x > left and x + width > right:
            x, row = left, row + 1
        places.append((x, row))
        x += width + LEGEND_GAP
    return places


def render_svg(
    months: Sequence[tuple[int, int, list[Regime]]],
    workday_start: time,
    workday_end: time,
    home_zone: str = HOME_ZONE,
    away_zone: str = AWAY_ZONE,
    ident: str = "meeting-planner",
    language: str = "en",
) -> str:
    """One bar per regime on a 24-hour Paris clock: Paris hours, Tokyo hours, the overlap.

    Colours come from the page (``currentColor``) where they carry text, so the figure stays
    legible in the theme's light and dark modes.
    """
    label_width, plot_width, row_height = 150, 480, 20
    rows = [(year, month, regime) for year, month, regimes in months for regime in regimes]
    width = label_width + plot_width + 16
    legend = [
        ("#4c8bf5", "0.35", _("Paris working hours")),
        ("#f5a142", "0.45", _("Tokyo working hours (in Paris time)")),
        ("#1a7f37", "1", _("Overlap")),
    ]
    places = legend_layout([text for _colour, _opacity, text in legend], label_width, width - 8)
    top = 56 + LEGEND_ROW * places[-1][1]
    height = top + row_height * len(rows) + 12

    def x(hour: float) -> float:
        return label_width + plot_width * hour / 24

    lengths = sorted(
        {format_duration(r.overlap.duration) for _year, _month, r in rows if r.overlap}
    )
    description = _(
        "For each month, the bar shows Paris working hours ({start}–{end}), Tokyo working hours "
        "converted to Paris time, and their overlap. Overlap lengths: {lengths}."
    ).format(
        start=f"{workday_start:%H:%M}",
        end=f"{workday_end:%H:%M}",
        lengths=", ".join(lengths) or _("none"),
    )
    title = _("Working hours shared by Paris and Tokyo, by month")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="group" aria-labelledby="{ident}-title {ident}-desc" '
        f'class="meeting-planner-svg" font-family="sans-serif" font-size="11">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for (colour, opacity, text), (lx, row) in zip(legend, places, strict=True):
        ly = 6 + LEGEND_ROW * row
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="14" height="10" fill="{colour}" '
            f'fill-opacity="{opacity}"/>'
            f'<text x="{lx + LEGEND_SWATCH:.1f}" y="{ly + 9}" fill="currentColor">'
            f"{escape(text)}</text>"
        )
    # Hour axis, in Paris time.
    for hour in range(0, 25, 3):
        hx = x(hour)
        parts.append(
            f'<line x1="{hx:.1f}" y1="{top - 8}" x2="{hx:.1f}" y2="{height - 12}" '
            f'stroke="currentColor" stroke-opacity="0.2"/>'
            f'<text x="{hx:.1f}" y="{top - 12}" text-anchor="middle" '
            f'fill="currentColor">{hour:02d}:00</text>'
        )
    split_months = {(year, month) for year, month, regimes in months if len(regimes) > 1}
    for index, (year, month, regime) in enumerate(rows):
        y = top + index * row_height
        label = month_label(year, month, language, abbreviated=True)
        if (year, month) in split_months:
            label += f" ({_days_label(regime)})"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end" '
            f'fill="currentColor">{escape(label)}</text>'
        )
        day = regime.first_day
        home_low, home_high = _hour_of_clock(workday_start), _hour_of_clock(workday_end)
        parts.append(
            f'<rect x="{x(home_low):.1f}" y="{y + 3}" width="{x(home_high) - x(home_low):.1f}" '
            f'height="12" fill="#4c8bf5" fill-opacity="0.35"/>'
        )
        for low, high in _away_segments_in_home_time(
            day, workday_start, workday_end, home_zone, away_zone
        ):
            parts.append(
                f'<rect x="{x(low):.1f}" y="{y + 3}" width="{x(high) - x(low):.1f}" '
                f'height="12" fill="#f5a142" fill-opacity="0.45"/>'
            )
        if regime.overlap:
            low, high = _hour_of(regime.overlap.home_start), _hour_of(regime.overlap.home_end)
            # Translators: {month} is a month ("Mar 2026"), {paris} and {tokyo} are times
            # ("09:00–10:00") on each city's clock.
            tooltip = _("{month}: {paris} Paris, {tokyo} Tokyo").format(
                month=label,
                paris=_window(regime.overlap.home_start, regime.overlap.home_end),
                tokyo=_window(regime.overlap.away_start, regime.overlap.away_end),
            )
            # A link to the month's row of the table: the figures are a tap or a Tab away.
            parts.append(
                f'<a href="#{row_id(ident, index)}" aria-label="{escape(tooltip)}">'
                f'<rect x="{x(low):.1f}" y="{y + 3}" width="{x(high) - x(low):.1f}" '
                f'height="12" fill="#1a7f37"><title>{escape(tooltip)}</title></rect></a>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _hour_of_clock(clock: time) -> float:
    return clock.hour + clock.minute / 60


# -- Directive ---------------------------------------------------------------------------


class MeetingPlannerDirective(SphinxDirective):
    """``{meeting-planner}``: a month-by-month table (all builders) and an SVG (HTML)."""

    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], str]]] = {
        "years": directives.unchanged_required,
        "workday-start": directives.unchanged_required,
        "workday-end": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        location = (self.env.docname, self.lineno)
        try:
            start = parse_clock(self.options.get("workday-start", "09:00"))
            end = parse_clock(self.options.get("workday-end", "18:00"))
            if end <= start:
                raise ValueError("the working day must end after it starts")
            if "years" in self.options:
                years = parse_years(self.options["years"])
                calendar_months = [(year, month) for year in years for month in range(1, 13)]
            else:
                built = build_date(self.config, str(self.env.srcdir))
                calendar_months = rolling_months(built)
                # Remember, so the page is re-read when the build date moves to another month.
                _defaults(self.env)[self.env.docname] = (built.year, built.month)
            for zone in (HOME_ZONE, AWAY_ZONE):
                ZoneInfo(zone)  # fails early, with a message, if tzdata is missing
        except ZoneInfoNotFoundError as error:
            logger.error(
                "meeting-planner: time zone data not found (%s); install the 'tzdata' "
                "package or the system tzdata",
                error,
                location=location,
            )
            return []
        except ValueError as error:
            logger.error("meeting-planner: %s", error, location=location)
            return []

        months = [
            (year, month, monthly_regimes(year, month, start, end))
            for year, month in calendar_months
        ]
        ident = f"meeting-planner-{self.env.new_serialno('meeting-planner')}"
        language = self.config.language
        first, last = calendar_months[0], calendar_months[-1]
        # Translators: {start} and {end} are times ("09:00"), {period} a span of months
        # ("December 2026 to November 2027").
        title = _(
            "Shared working hours, {start}–{end} in both cities, Monday to Friday, "
            "{period}. Tokyo keeps JST (UTC+09:00) all year."
        ).format(
            start=f"{start:%H:%M}",
            end=f"{end:%H:%M}",
            period=_("{first} to {last}").format(
                first=month_label(*first, language), last=month_label(*last, language)
            ),
        )
        rows = _table_rows(months, language)
        table = data_table(
            rows,
            [
                _("Month"),
                _("Working days"),
                _("Paris time zone"),
                _("Overlap, Paris time"),
                _("Overlap, Tokyo time"),
                _("Length"),
                _("Public holidays on working days; holiday seasons in Japan"),
            ],
            title=title,
            classes=["meeting-planner-table"],
            row_ids=[row_id(ident, index) for index in range(len(rows))],
        )
        # Translated above, years included: Sphinx must not also put the title in the page's
        # catalogue, where its msgid would go stale when the default years move on.
        table[0]["translatable"] = False
        self.set_source_info(table)
        figure = nodes.figure(classes=["meeting-planner-figure"])
        figure += svg_node(render_svg(months, start, end, ident=ident, language=language))
        figure += nodes.caption(
            "",
            _(
                "Working hours of Paris and Tokyo on a 24-hour Paris clock; the table gives "
                "the same windows in figures."
            ),
        )
        self.set_source_info(figure)
        # The answer first: one line per window, then the figure and the table.
        summary = nodes.bullet_list(classes=["meeting-planner-summary"])
        for line in summary_lines(months, language):
            summary += nodes.list_item("", nodes.paragraph(text=line))
        self.set_source_info(summary)
        # HTML shows the SVG inline; the PDF gets it converted (see svg_figures).
        return [summary, figure, table]


# -- Environment state --------------------------------------------------------------------


def _defaults(env: BuildEnvironment) -> dict[str, tuple[int, ...]]:
    if not hasattr(env, "meeting_planner_default_years"):
        env.meeting_planner_default_years = {}
    return env.meeting_planner_default_years


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _defaults(env).pop(docname, None)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    _defaults(env).update(
        {name: years for name, years in _defaults(other).items() if name in docnames}
    )


def build_date(config: object, folder: str) -> date:
    """The date the rolling months start from: ``meeting_planner_build_date`` when set, else
    the last commit's date (reproducible: the same sources give the same page), else today,
    outside a git checkout."""
    given = getattr(config, "meeting_planner_build_date", "") or ""
    if given:
        return date.fromisoformat(str(given))
    return last_commit_date(folder) or date.today()


def outdated_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read pages whose rolling months started from another month than today's build."""
    today = build_date(app.config, str(app.srcdir))
    current = (today.year, today.month)
    return [
        name for name, years in _defaults(env).items() if years != current and name not in removed
    ]


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("handbook.rendering.svg_figures")
    app.setup_extension("handbook.i18n.messages")  # labels in the build's language
    app.add_directive("meeting-planner", MeetingPlannerDirective)
    # ISO date the rolling twelve months start from; empty: the last commit's date.
    app.add_config_value("meeting_planner_build_date", "", "env", types=(str,))
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated_pages)
    return {
        "version": "1.0",
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
