"""What the browser shows, without Textual: the command line's selection, narrowed as the reader asks.

The command-line filter is run once (``query.run``); every narrowing in the app (words typed
after ``/``, actors, tags, an era or a date range picked in a pane) is another ``query.run``
over those events, with the search documents computed once. The events keep the command
line's order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property

from timeline.errors import UsageError
from timeline.models import Era, Event, Timeline
from timeline.query import Filter, Selection, counts, run
from timeline.search import Document, Query


@dataclass(frozen=True)
class Narrowing:
    """What the reader picked in the app; each part narrows further (all must hold)."""

    search: str = ""  # as typed after "/"
    actors: tuple[str, ...] = ()  # actor ids
    tags: tuple[str, ...] = ()
    era: str | None = None  # an era's name; it sets ``since`` and ``until``
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return self == Narrowing()


@dataclass(frozen=True)
class View:
    """The events on screen, the criteria as understood, and the searches to highlight."""

    events: list[Event]
    understood: list[str] = field(default_factory=list)
    queries: tuple[Query, ...] = ()


class Model:
    """The command line's selection of a timeline and the narrowings of it."""

    def __init__(self, timeline: Timeline, criteria: Filter) -> None:
        self.timeline = timeline
        self.base: Selection = run(timeline, criteria)
        self._scope = replace(timeline, events=tuple(self.base.events))
        self._order = {event.id: index for index, event in enumerate(self.base.events)}
        self.by_id = {event.id: event for event in timeline.events}
        self._last: tuple[Narrowing, list[Event]] = (Narrowing(), list(self.base.events))
        self._views: dict[Narrowing, View] = {}  # the latest views, oldest first
        days = [d for e in timeline.events for d in (e.start, e.finish)]
        self.first: dt.date = min(days, default=dt.date.today())
        self.last: dt.date = max(days, default=dt.date.today())

    @cached_property
    def eras(self) -> dict[str, int | None]:
        """Event id -> the index of the era it starts in (None: no era), for the list's bands."""
        index = {id(era): number for number, era in enumerate(self.timeline.eras)}
        out: dict[str, int | None] = {}
        for event in self.base.events:
            era = self.timeline.era_of(event)
            out[event.id] = None if era is None else index[id(era)]
        return out

    @cached_property
    def documents(self) -> dict[str, Document]:
        """The searchable text of every event, computed on the first search only."""
        from timeline.search import document

        return {event.id: document(event, self.timeline) for event in self.base.events}

    def view(self, narrowing: Narrowing) -> View:
        """The command line's events narrowed by ``narrowing``, in the command line's order."""
        if narrowing.is_empty:
            return View(list(self.base.events), list(self.base.understood), self.base.queries)
        known = self._views.pop(narrowing, None)  # Backspace returns to a text searched a moment ago
        if known is None:
            known = self._view(narrowing)
        self._views[narrowing] = known
        if len(self._views) > 64:
            del self._views[next(iter(self._views))]
        self._last = (narrowing, known.events)
        return known

    def _view(self, narrowing: Narrowing) -> View:
        search = (narrowing.search,) if narrowing.search.strip() else ()
        scope = self._scope
        last_narrowing, last_events = self._last
        if (
            last_narrowing.search.strip()
            and narrowing.search.startswith(last_narrowing.search)
            and replace(narrowing, search="") == replace(last_narrowing, search="")
        ):
            # Typing on only narrows: every word or phrase of the longer text is a longer (or
            # an added) term, so its matches are among the last ones; search only those.
            scope = replace(self.timeline, events=tuple(last_events))
        criteria = Filter(
            actors=narrowing.actors,
            tags=narrowing.tags,
            search=search,
            since=narrowing.since,
            until=narrowing.until,
            match_all=True,
        )
        try:
            selection = run(scope, criteria, self.documents if search else None)
        except UsageError:  # typed text with no words yet ("-"): no search
            selection = run(self._scope, replace(criteria, search=()))
        keep = {event.id for event in selection.events}
        events = [event for event in self.base.events if event.id in keep]
        understood = list(selection.understood)
        if narrowing.era is not None:
            understood = [u for u in understood if not u.startswith(("since ", "until "))]
            understood.append(f"era {narrowing.era}")
        return View(events, [*self.base.understood, *understood], (*self.base.queries, *selection.queries))

    def facets(self, narrowing: Narrowing) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Events per actor id, per tag and per era name among what picking one would narrow.

        Actors and tags are counted in the current view (picking one keeps that many); eras over
        the view without its date range, since picking an era replaces the range.
        """
        current = self.view(narrowing).events
        per_actor, per_tag = counts(replace(self.timeline, events=tuple(current)))
        undated = self.view(replace(narrowing, era=None, since=None, until=None)).events
        per_era = {era.name: sum(1 for e in undated if overlaps(e, era)) for era in self.timeline.eras}
        return per_actor, per_tag, per_era


def era_bounds(era: Era) -> tuple[dt.date, dt.date | None]:
    return era.start.first_day, era.end.last_day if era.end else None


def overlaps(event: Event, era: Era) -> bool:
    """True when the event's span overlaps the era (as ``--since``/``--until`` match)."""
    start, end = era_bounds(era)
    return event.finish >= start and (end is None or event.start <= end)
