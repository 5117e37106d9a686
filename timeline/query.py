"""The filter model: a Filter value and a pure select(timeline, filter) -> events."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass

from timeline.errors import UsageError
from timeline.escape import one_line, quoted
from timeline.models import Event, Timeline


@dataclass(frozen=True)
class Filter:
    """What to keep. Values of one option match ANY unless ``match_all``; options combine with AND."""

    actors: tuple[str, ...] = ()  # names as typed by the user; resolved against the timeline
    tags: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    since: dt.date | None = None  # inclusive
    until: dt.date | None = None  # inclusive
    match_all: bool = False
    limit: int | None = None
    reverse: bool = False

    @property
    def is_empty(self) -> bool:
        """True when no criterion narrows the events (limit and order do not count)."""
        return not (self.actors or self.tags or self.search or self.since or self.until)


def _norm(text: str) -> str:
    """Fold case, width and punctuation so "Kim Jong-un", "kim jong un" and "KimJongUn" agree."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def resolve_actor(timeline: Timeline, name: str) -> str:
    """The actor id NAME means: exact id, name or alias first, else a unique substring.

    Raises UsageError for an unknown or ambiguous NAME, naming the candidates.
    """
    wanted = _norm(name)
    if not wanted:
        raise UsageError(f"--actor: {quoted(name)} is empty")
    exact: list[str] = []
    partial: list[str] = []
    for actor in timeline.actors.values():
        names = [_norm(n) for n in (actor.id, actor.name, *actor.aliases)]
        if wanted in names:
            exact.append(actor.id)
        elif any(wanted in n for n in names):
            partial.append(actor.id)
    matches = exact or partial
    if len(matches) == 1:
        return matches[0]
    if matches:
        # names and ids come from the data: shown inert, as in the view
        listing = ", ".join(f"{one_line(timeline.actors[a].name)} ({one_line(a)})" for a in sorted(matches))
        raise UsageError(f"--actor {quoted(name)} is ambiguous: it matches {listing}")
    names = {n: a.id for a in timeline.actors.values() for n in (a.id, a.name, *a.aliases)}
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(quoted(c) for c in close)}?" if close else "; see 'timeline actors'"
    raise UsageError(f"--actor: no actor matches {quoted(name)}{hint}")


def resolve_tag(timeline: Timeline, tag: str) -> str:
    """The tag as used in the data (case-insensitive); an unknown tag is a UsageError."""
    known = {t for e in timeline.events for t in e.tags}
    for candidate in known:
        if candidate.casefold() == tag.strip().casefold():
            return candidate
    close = difflib.get_close_matches(tag, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(quoted(c) for c in close)}?" if close else "; see 'timeline tags'"
    raise UsageError(f"--tag: no event has the tag {quoted(tag)}{hint}")


def _haystack(event: Event) -> str:
    parts = [event.title, event.summary, event.place or ""] + [q.text for q in event.quotes]
    return "\n".join(parts).casefold()


def _combine(hits: list[bool], match_all: bool) -> bool:
    return all(hits) if match_all else any(hits)


def select(timeline: Timeline, criteria: Filter) -> list[Event]:
    """The events that match, in date order (file order among equals), reversed and limited."""
    actor_ids = [resolve_actor(timeline, name) for name in criteria.actors]
    tags = [resolve_tag(timeline, tag) for tag in criteria.tags]
    needles = [s.casefold() for s in criteria.search if s.strip()]
    chosen: list[Event] = []
    for event in sorted(timeline.events, key=lambda e: (e.start, e.finish)):
        if criteria.since and event.finish < criteria.since:
            continue
        if criteria.until and event.start > criteria.until:
            continue
        if actor_ids and not _combine([a in event.actors for a in actor_ids], criteria.match_all):
            continue
        if tags and not _combine([t in event.tags for t in tags], criteria.match_all):
            continue
        if needles:
            haystack = _haystack(event)
            if not _combine([n in haystack for n in needles], criteria.match_all):
                continue
        chosen.append(event)
    if criteria.reverse:
        chosen.reverse()
    if criteria.limit is not None:
        chosen = chosen[: criteria.limit]
    return chosen


def counts(timeline: Timeline) -> tuple[dict[str, int], dict[str, int]]:
    """Events per actor id and per tag."""
    actors = dict.fromkeys(timeline.actors, 0)
    tags: dict[str, int] = {}
    for event in timeline.events:
        for actor in event.actors:
            actors[actor] = actors.get(actor, 0) + 1
        for tag in event.tags:
            tags[tag] = tags.get(tag, 0) + 1
    return actors, tags
