"""Frozen dataclasses for a loaded timeline: partial dates, actors, sources, events and eras."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day; it stands for its whole period.

    ``approximate`` (written ``~``) and ``uncertain`` (written ``?``) follow ISO 8601-2 / EDTF.
    """

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        """ "day", "month" or "year"."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        """The date at its precision in ISO form, with its qualifier: "2018", "2018-06~"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    @property
    def qualifier(self) -> str:
        return ("~" if self.approximate else "") + ("?" if self.uncertain else "")

    def display(self) -> str:
        """Human form at its precision: "12 Jun 2018", "Jun 2018", "2018"; "c." if approximate."""
        if self.day is not None:
            text = f"{self.day} {MONTHS[self.month - 1]} {self.year}"  # type: ignore[index,operator]
        elif self.month is not None:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        if self.approximate:
            text = "c. " + text
        if self.uncertain:
            text += "?"
        return text

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True)
class Actor:
    """A person, government or body that takes part in events."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3, as CAMEO actor codes use


@dataclass(frozen=True)
class Source:
    """A citation: where a reader can check the event."""

    title: str
    publisher: str
    url: str
    date: PartialDate | None = None  # publication date
    kind: str | None = None  # "primary" (official text) or "secondary" (reporting)


@dataclass(frozen=True)
class Quote:
    """Verbatim words from a cited source, attributed to an actor id."""

    text: str
    by: str | None = None


@dataclass(frozen=True)
class Event:
    """One dated happening with its actors and citations."""

    id: str
    date: PartialDate
    title: str
    sources: tuple[Source, ...]
    end: PartialDate | None = None  # last day of a span
    summary: str = ""
    actors: tuple[str, ...] = ()  # actor ids
    tags: tuple[str, ...] = ()
    place: str | None = None
    cameo: str | None = None  # CAMEO event code of the main action
    quotes: tuple[Quote, ...] = ()
    related: tuple[str, ...] = ()  # ids of other events

    # cached: sorting and filtering ask for them for every event, and the browser on every key
    @cached_property
    def start(self) -> dt.date:
        """First day the event covers."""
        return self.date.first_day

    @cached_property
    def finish(self) -> dt.date:
        """Last day the event covers."""
        return (self.end or self.date).last_day

    def when(self) -> str:
        """The date or span at its precision: "12 Jun 2018", "27–28 Feb 2019", "30 Jun – 1 Jul 2019"."""
        start, end = self.date, self.end
        if end is None or end == start:
            return start.display()
        if start.precision == end.precision == "day" and not (start.qualifier or end.qualifier):
            if (start.year, start.month) == (end.year, end.month):
                return f"{start.day}–{end.display()}"
            if start.year == end.year:
                return f"{start.display()[:-5]} – {end.display()}"
        return f"{start.display()} – {end.display()}"


@dataclass(frozen=True)
class Era:
    """A named period shown as a band in the timeline."""

    name: str
    start: PartialDate
    end: PartialDate | None = None  # None: still going on


@dataclass(frozen=True)
class Timeline:
    """A whole validated dataset."""

    title: str
    actors: Mapping[str, Actor]
    events: tuple[Event, ...]
    eras: tuple[Era, ...] = ()
    description: str | None = None
    paths: tuple[str, ...] = field(default=())  # the files it was read from

    def actor_name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def era_of(self, event: Event) -> Era | None:
        """The era the event belongs to, if any (the rule: ``display.era_of``)."""
        from timeline.display import era_of

        return era_of(self.eras, event)
