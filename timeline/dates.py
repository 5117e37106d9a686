"""Partial dates from the data (ISO forms) and from the user (--since/--until, via dateutil)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from timeline.errors import UsageError
from timeline.models import PartialDate

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?]{0,2})")

# Years a dataset may use: every export can write them, and the day after the last one exists
# (an iCalendar all-day event ends on the next day). User bounds may also say 9999.
FIRST_YEAR = 1
LAST_YEAR = 9998


def parse_data_date(value: object) -> PartialDate:
    """A date as YAML gives it: a ``date``, an int year, or "YYYY[-MM[-DD]][~][?]".

    Raises ValueError with a reason for anything else, including impossible dates (month or day
    00, 30 February) and years outside FIRST_YEAR..LAST_YEAR (0001 to 9998).
    """
    return _parse_iso(value, LAST_YEAR)


def _parse_iso(value: object, last_year: int) -> PartialDate:
    if isinstance(value, dt.datetime):
        raise ValueError("a date must not carry a time of day")
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat(), last_year)
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"expected a date like 2018-06-12, 2018-06 or 2018, got {_kind(value)}")
    text = str(value).strip()
    match = _ISO.fullmatch(text)
    if not match or match.group(4) not in ("", "~", "?", "~?"):
        raise ValueError(f"malformed date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD, optionally ~ or ?")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    _check_year(year, text, last_year)
    for part, number in (("month", month), ("day", day)):
        if number == 0:  # written 00: not "not given", and not the first of anything
            raise ValueError(f"impossible date {text!r}: {part} 00 does not exist")
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r}: {exc}") from None
    qualifier = match.group(4)
    return PartialDate(year, month, day, approximate="~" in qualifier, uncertain="?" in qualifier)


def _check_year(year: int, text: str, last_year: int) -> None:
    if year < FIRST_YEAR:
        accepted = f"years {FIRST_YEAR:04d} to {last_year} are accepted"
        raise ValueError(f"impossible date {text!r}: year 0 does not exist ({accepted})")
    if year > last_year:
        raise ValueError(f"date {text!r} is out of range: years {FIRST_YEAR:04d} to {last_year} are accepted")


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


# Two defaults that differ in every field: a field that comes out different was not given.
_DEFAULT_A = dt.datetime(2000, 1, 1)
_DEFAULT_B = dt.datetime(2001, 2, 2)


_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def check_unambiguous(text: str, option: str = "date") -> None:
    """Refuse a numeric date whose day and month could be swapped ("12/06/2018"), showing both readings.

    A two-digit year is refused too: "12/06/18" has more readings than a reader can check.
    """
    match = _NUMERIC.fullmatch(text.strip())
    if not match:
        return
    first, _, second, year_text = match.groups()
    if len(year_text) == 2:
        raise UsageError(f"{option}: {text!r} has a two-digit year; write the date as YYYY-MM-DD")
    a, b, year = int(first), int(second), int(year_text)
    if a == b or a > 12 or b > 12 or min(a, b) < 1:
        return
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        readings.append((f"{day} {_MONTH_NAMES[month - 1]} {year}", f"{year:04d}-{month:02d}-{day:02d}"))
    if len(readings) == 2:
        (one, one_iso), (two, two_iso) = readings
        raise UsageError(f"{option}: {text!r} could be {one} or {two}; write {one_iso} or {two_iso}")


_RELATIVE_AGO = re.compile(r"(\d+|an?|one)\s+(day|week|month|year)s?\s+ago")
_RELATIVE_PERIOD = re.compile(r"(this|last)\s+(week|month|year)")


def relative_date(text: str, today: dt.date) -> PartialDate | None:
    """A date relative to ``today``, at its natural precision; None if ``text`` is not one.

    "today", "yesterday", "N days/weeks/months/years ago" (a day), "this/last week" (its Monday),
    "this/last month" (the month), "this/last year" (the year).
    """
    words = " ".join(text.strip().casefold().split())
    if words == "today":
        return PartialDate(today.year, today.month, today.day)
    if words == "yesterday":
        day = today - dt.timedelta(days=1)
        return PartialDate(day.year, day.month, day.day)
    match = _RELATIVE_AGO.fullmatch(words)
    if match:
        count = 1 if match.group(1) in ("a", "an", "one") else int(match.group(1))
        unit = match.group(2)
        try:
            if unit in ("day", "week"):
                day = today - dt.timedelta(days=count * (7 if unit == "week" else 1))
            else:
                months = count * (12 if unit == "year" else 1)
                year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
                month += 1
                day = dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
        except (ValueError, OverflowError):
            return None
        return PartialDate(day.year, day.month, day.day)
    match = _RELATIVE_PERIOD.fullmatch(words)
    if match:
        last = match.group(1) == "last"
        unit = match.group(2)
        if unit == "year":
            return PartialDate(today.year - last)
        if unit == "month":
            year, month = divmod(today.year * 12 + today.month - 1 - last, 12)
            return PartialDate(year, month + 1)
        monday = today - dt.timedelta(days=today.weekday() + 7 * last)
        return PartialDate(monday.year, monday.month, monday.day)
    return None


def parse_user_date(text: str, option: str = "date", *, today: dt.date | None = None) -> PartialDate:
    """A date bound typed by a user: "2018", "June 2018", "2018-06-12", "12 June 2018", "3 months ago".

    Precision is kept: what the user left out is not filled in from today's date. Relative
    dates count from ``today`` (the caller passes the real date; default: the system's).
    A numeric date that could be read day-first or month-first is refused.
    """
    cleaned = text.strip()
    if _ISO.fullmatch(cleaned):  # ISO forms are read here: dateutil reads "2018" as a time of day
        try:
            return _parse_iso(cleaned, dt.MAXYEAR)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
    relative = relative_date(cleaned, today or dt.date.today())
    if relative is not None:
        return relative
    check_unambiguous(cleaned, option)
    from dateutil import parser  # lazy: only filtering by date pays for dateutil

    try:
        a = parser.parse(cleaned, default=_DEFAULT_A)
        b = parser.parse(cleaned, default=_DEFAULT_B)
    except (ValueError, OverflowError, parser.ParserError):
        raise UsageError(
            f"{option}: cannot read {text!r} as a date; try 2018, 'June 2018' or 2018-06-12"
        ) from None
    if a.year != b.year:
        raise UsageError(f"{option}: {text!r} needs a year, e.g. 'June 2018'")
    if a.month != b.month:
        if a.day != b.day:
            return PartialDate(a.year)
        raise UsageError(f"{option}: {text!r} has a day but no month")
    if a.day != b.day:
        return PartialDate(a.year, a.month)
    return PartialDate(a.year, a.month, a.day)


def date_range(
    since: str | None,
    until: str | None,
    *,
    since_name: str = "--since",
    until_name: str = "--until",
    today: dt.date | None = None,
) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive bounds: --since from the start of its period, --until to the end of its period."""
    low = parse_user_date(since, since_name, today=today).first_day if since else None
    high = parse_user_date(until, until_name, today=today).last_day if until else None
    if low and high and low > high:
        raise UsageError(f"{since_name} {since} is after {until_name} {until}: nothing can match")
    return low, high
