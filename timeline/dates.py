"""Partial dates from the data (ISO forms) and from the user (--since/--until, via dateutil)."""

from __future__ import annotations

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


def parse_user_date(text: str, option: str = "date") -> PartialDate:
    """A date bound typed by a user: "2018", "June 2018", "2018-06-12", "12 June 2018".

    Precision is kept: what the user left out is not filled in from today's date.
    """
    cleaned = text.strip()
    if _ISO.fullmatch(cleaned):  # ISO forms are read here: dateutil reads "2018" as a time of day
        try:
            return _parse_iso(cleaned, dt.MAXYEAR)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}") from None
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
    since: str | None, until: str | None, *, since_name: str = "--since", until_name: str = "--until"
) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive bounds: --since from the start of its period, --until to the end of its period."""
    low = parse_user_date(since, since_name).first_day if since else None
    high = parse_user_date(until, until_name).last_day if until else None
    if low and high and low > high:
        raise UsageError(f"{since_name} {since} is after {until_name} {until}: nothing can match")
    return low, high
