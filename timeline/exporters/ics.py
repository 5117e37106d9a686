"""iCalendar (RFC 5545): one all-day VEVENT per event.

A day-precision event covers its day; a span, or a date known only to the month or year, covers
its whole period (DTEND is the day after, as RFC 5545 all-day events require; for an event that
ends on 31 Dec 9999, a DURATION in days), and the description says how precise the date is.
Years are always written with four digits (0001 to 9999). UIDs come from event ids, so
re-importing an export updates events instead of duplicating them. Text is escaped as RFC 5545
TEXT and lines are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import partial

from timeline import __version__, escape
from timeline.display import citation_label
from timeline.exporters import ExportOptions
from timeline.models import Event, Timeline
from timeline.parallel import map_events

UID_DOMAIN = "cited-timeline"


def text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; no control characters."""
    value = escape.printable(value).replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence: each
    folded line holds at most 75 octets, its leading space included."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    pieces: list[bytes] = []
    start, room = 0, 75
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # inside a character: it starts the next line
            end -= 1
        pieces.append(data[start:end])
        start, room = end, 74  # a folded line begins with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _day(value: dt.date) -> str:
    """A DATE value, with the four-digit year RFC 5545 requires (strftime writes 999, not 0999)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _stamp(value: dt.datetime) -> str:
    utc = value.astimezone(dt.timezone.utc)
    return f"{_day(utc)}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"


def _end(event: Event) -> str:
    """DTEND, the day after the last (RFC 5545 all-day events); for an event that ends on
    31 Dec 9999, whose day after cannot be written, the same span as a DURATION in days."""
    if event.finish == dt.date.max:
        return f"DURATION:P{(event.finish - event.start).days + 1}D"
    return f"DTEND;VALUE=DATE:{_day(event.finish + dt.timedelta(days=1))}"


def description(event: Event, timeline: Timeline) -> str:
    parts = []
    if event.date.precision != "day" or event.date.qualifier or (event.end and event.end.precision != "day"):
        parts.append(f"Date: {event.when()} (not known to the day)")
    if event.summary:
        parts.append(escape.one_line(event.summary))
    for quote in event.quotes:
        by = f" — {timeline.actor_name(quote.by)}" if quote.by else ""
        parts.append(f"“{escape.one_line(quote.text)}”{by}")
    sources = ["Sources:"]
    for number, source in enumerate(event.sources, 1):
        sources.append(f"{number}. {citation_label(source)}. {source.url}")
    parts.append("\n".join(sources))
    return "\n\n".join(parts)


def vevent(event: Event, timeline: Timeline, stamp: dt.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.id}@{UID_DOMAIN}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_day(event.start)}",
        _end(event),
        f"SUMMARY:{text(escape.one_line(event.title))}",
        f"DESCRIPTION:{text(description(event, timeline))}",
    ]
    if event.place:
        lines.append(f"LOCATION:{text(escape.one_line(event.place))}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(text(escape.one_line(t)) for t in event.tags))
    if event.sources:
        lines.append(f"URL;VALUE=URI:{escape.url(event.sources[0].url)}")
    return [*lines, "TRANSP:TRANSPARENT", "END:VEVENT"]


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The calendar as it is written, a batch of events at a time (``timeline.parallel``)."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{UID_DOMAIN}//timeline {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(escape.one_line(timeline.title))}",
        f"NAME:{text(escape.one_line(timeline.title))}",
    ]
    yield _lines(head)
    yield from map_events(events, partial(_vevents, timeline=timeline, stamp=options.stamp))
    yield _lines(["END:VCALENDAR"])


def _vevents(events: list[Event], timeline: Timeline, stamp: dt.datetime) -> str:
    return "".join(_lines(vevent(event, timeline, stamp)) for event in events)


def _lines(lines: list[str]) -> str:
    return "".join(fold(line) + "\r\n" for line in lines)
