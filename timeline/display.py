"""Display rules shared by the terminal view and the exports: counts, citation labels, grouping by
year, and the era an event belongs to. Each rule lives here once; formats only escape and style."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby

from timeline.escape import one_line
from timeline.models import Era, Event, Source


def plural(count: int, noun: str) -> str:
    """A count with its noun: "1 event", "2 events", "0 events"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def citation_label(source: Source, text: Callable[[str], str] = one_line, *, date: bool = True) -> str:
    """A source as cited in the exports: ``Reuters, “Title”, 12 Jun 2018``.

    ``text`` escapes each piece for the format (HTML, Markdown; one line by default); with
    ``date=False`` the format adds the date itself (HTML marks it up as a ``<time>``).
    """
    label = f"{text(source.publisher)}, “{text(source.title)}”"
    if date and source.date:
        label += f", {text(source.date.display())}"
    return label


class Passed:
    """An event passed over, known only by its first day: it keeps its place among the years and
    eras of a view that another process lays out (``timeline.parallel``)."""

    __slots__ = ("date", "start")

    def __init__(self, start: dt.date) -> None:
        self.start = self.date = start  # the day's year is the year of the event's date


def by_year(events: Iterable[Event]) -> Iterator[tuple[int, list[Event]]]:
    """Consecutive events grouped under the year their date falls in, in the order given."""
    for year, group in groupby(events, key=lambda event: event.date.year):
        yield year, list(group)


def era_of(eras: Sequence[Era], event: Event | Passed) -> Era | None:
    """The era an event belongs to: the first era, in the dataset's order, that contains the
    event's first day. An event that starts before an era and runs into it belongs to the era it
    started in, so in a list sorted by date each era begins where its first event is."""
    start = event.start
    for era, first, last in _spans(eras):
        if first <= start and (last is None or start <= last):
            return era
    return None


_SPANS: list[tuple[Sequence[Era], list[tuple[Era, dt.date, dt.date | None]]]] = []


def _spans(eras: Sequence[Era]) -> list[tuple[Era, dt.date, dt.date | None]]:
    """Each era with its first and last day (None: still going on), worked out once for the
    timeline's eras last asked about: a view asks about every event, and working the days out
    again for each one cost more than the comparisons."""
    if _SPANS and _SPANS[0][0] is eras:
        return _SPANS[0][1]
    spans = [(era, era.start.first_day, era.end.last_day if era.end else None) for era in eras]
    if type(eras) is tuple:  # a timeline's eras: they cannot change under the memo (a list could)
        _SPANS[:] = [(eras, spans)]
    return spans
