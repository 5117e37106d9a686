"""Threads of related events: the "see also" of an event, the whole connected thread, one-way links."""

from __future__ import annotations

from collections.abc import Mapping

from timeline.models import Event, Timeline


def _by_id(timeline: Timeline) -> dict[str, Event]:
    return {event.id: event for event in timeline.events}


def see_also(event: Event, by_id: Mapping[str, Event]) -> list[Event]:
    """The events ``event`` links to that exist (in ``by_id``), in date order."""
    found = [by_id[i] for i in dict.fromkeys(event.related) if i in by_id and i != event.id]
    return sorted(found, key=lambda e: (e.start, e.finish))


def thread(timeline: Timeline, event_id: str) -> list[Event]:
    """Every event connected to ``event_id`` by ``related`` links in either direction, in date order."""
    by_id = _by_id(timeline)
    neighbours: dict[str, set[str]] = {i: set() for i in by_id}
    for event in timeline.events:
        for other in event.related:
            if other in by_id and other != event.id:
                neighbours[event.id].add(other)
                neighbours[other].add(event.id)
    seen = {event_id}
    todo = [event_id]
    while todo:
        for other in neighbours.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return sorted((by_id[i] for i in seen if i in by_id), key=lambda e: (e.start, e.finish, e.id))


def one_way(timeline: Timeline) -> list[tuple[str, str]]:
    """Links (from, to) whose target exists but does not link back, in file order."""
    by_id = _by_id(timeline)
    out = []
    for event in timeline.events:
        for other in dict.fromkeys(event.related):
            target = by_id.get(other)
            if target is not None and other != event.id and event.id not in target.related:
                out.append((event.id, other))
    return out
