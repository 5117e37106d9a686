"""The record as it was known on a date: only sources published by then, only events they support."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from timeline.models import PartialDate, Source, Timeline


def published_by(source: Source, day: dt.date) -> bool:
    """True when the source was surely published on or before ``day``.

    A source known only to the month or year counts from the last day of that period (it may
    have come out that late); an undated source cannot be shown to be known and is left out.
    """
    return source.date is not None and source.date.last_day <= day


def as_of(timeline: Timeline, day: dt.date) -> Timeline:
    """The timeline with only the sources published by ``day`` and the events left with one."""
    events = []
    for event in timeline.events:
        sources = tuple(s for s in event.sources if published_by(s, day))
        if sources:
            events.append(event if sources == event.sources else replace(event, sources=sources))
    return replace(timeline, events=tuple(events))


def label(day: dt.date) -> str:
    """The heading's words: "as known on 1 Mar 2019"."""
    return f"as known on {PartialDate(day.year, day.month, day.day).display()}"


def note(known_on: str) -> str:
    """Under a document's title: "As known on 1 Mar 2019: only sources published by then."."""
    return f"{known_on[:1].upper()}{known_on[1:]}: only sources published by then."
