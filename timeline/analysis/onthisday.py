"""On this day: events of the same month and day in every year, within a window of days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from timeline.models import Event

_LEAP = 2000  # a leap year: a day given without a year may be 29 February
_LONGEST_SPAN = 400  # an event longer than this touches every day of the year: it is not "on" one


def distance(a: dt.date, b: dt.date) -> int:
    """Days from ``a`` to the nearest anniversary of ``b``'s month and day (the year of ``b`` is
    ignored; 29 February is 28 February in other years), e.g. 31 Dec 2017 to 10 Jan 2018: 10."""
    best = None
    for year in (a.year - 1, a.year, a.year + 1):
        day = 28 if (b.month, b.day) == (2, 29) and not calendar.isleap(year) else b.day
        gap = abs((a - dt.date(year, b.month, day)).days)
        best = gap if best is None else min(best, gap)
    assert best is not None
    return best


def on_this_day(events: Sequence[Event], day: dt.date, window: int = 0) -> list[tuple[Event, int]]:
    """Events known to the day that fall within ``window`` days of ``day``'s month and day in any
    year, each with its distance in days (0 = the same day), in date order."""
    found: list[tuple[Event, int]] = []
    for event in events:
        if event.date.precision != "day":
            continue
        length = (event.finish - event.start).days
        if length > _LONGEST_SPAN:
            continue
        best = min(distance(event.start + dt.timedelta(days=n), day) for n in range(length + 1))
        if best <= window:
            found.append((event, best))
    found.sort(key=lambda item: (item[0].start, item[0].finish))
    return found


def parse_day(text: str, today: dt.date) -> dt.date:
    """The day a user means: "12 June", "June 12", "06-12", "2018-06-12" or "today"; the year is
    ignored by on-this-day, so one may be left out. Raises UsageError when no day is given."""
    from timeline.dates import parse_user_date
    from timeline.errors import UsageError

    cleaned = text.strip()
    try:
        found = parse_user_date(cleaned, "DATE", today=today)
    except UsageError:
        found = None
    if found is not None:
        if found.precision != "day":
            raise UsageError(f"DATE: {text!r} has no day; try '12 June' or 2018-06-12")
        return found.first_day
    import re

    if match := re.fullmatch(r"(\d{1,2})-(\d{1,2})", cleaned):  # MM-DD, the ISO order without a year
        try:
            return dt.date(_LEAP, int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise UsageError(f"DATE: {text!r} is not a month and day (MM-DD)") from None
    from dateutil import parser

    try:
        a = parser.parse(cleaned, default=dt.datetime(_LEAP, 1, 1))
        b = parser.parse(cleaned, default=dt.datetime(_LEAP, 2, 2))
    except (ValueError, OverflowError, parser.ParserError):
        raise UsageError(f"DATE: cannot read {text!r} as a day; try '12 June' or 2018-06-12") from None
    if (a.month, a.day) != (b.month, b.day):
        raise UsageError(f"DATE: {text!r} needs a month and a day, e.g. '12 June'")
    return a.date()
