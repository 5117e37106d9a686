"""On this day: events of the same month and day in every year, within a window of days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from timeline.models import Event

_LEAP = 2000  # a leap year, so that 29 February has a place on the circle of days
_YEAR_DAYS = 366
_LONGEST_SPAN = 400  # an event longer than this touches every day of the year: it is not "on" one


def _day_of_year(month: int, day: int) -> int:
    return dt.date(_LEAP, month, day).timetuple().tm_yday


def distance(a: dt.date, b: dt.date) -> int:
    """Days between the month-and-day of two dates, around the year (31 Dec and 1 Jan are 1 apart)."""
    gap = abs(_day_of_year(a.month, a.day) - _day_of_year(b.month, b.day))
    return min(gap, _YEAR_DAYS - gap)


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
