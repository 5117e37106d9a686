"""The filter model: a Filter value and a pure select(timeline, filter) -> events."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.errors import UsageError
from timeline.escape import one_line, quoted
from timeline.models import Event, PartialDate, Timeline

if TYPE_CHECKING:
    from timeline.search import Document, Query

SORTS = ("date", "relevance")


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
    ids: tuple[str, ...] = ()  # event ids: only these events
    not_actors: tuple[str, ...] = ()  # remove events with any of these actors, after the rest
    not_tags: tuple[str, ...] = ()  # remove events with any of these tags, after the rest
    sort: str = "date"  # or "relevance": best search match first, title hits before others

    @property
    def is_empty(self) -> bool:
        """True when no criterion narrows the events (limit and order do not count)."""
        return not (
            self.actors
            or self.tags
            or self.search
            or self.since
            or self.until
            or self.ids
            or self.not_actors
            or self.not_tags
        )


@dataclass(frozen=True)
class Selection:
    """What ``run`` found: the events, the criteria as understood, and notes for the user."""

    events: list[Event]
    understood: list[str] = field(default_factory=list)  # "actor Kim Jong Un (kim-jong-un)", ...
    notes: list[str] = field(default_factory=list)  # "--actor kimm: taken as ...", for stderr
    queries: tuple[Query, ...] = ()  # the compiled searches, for highlighting
    ranked: bool = False  # ordered by relevance, not by date


def _norm(text: str) -> str:
    """Fold case, width and punctuation so "Kim Jong-un", "kim jong un" and "KimJongUn" agree."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def resolve_actor(timeline: Timeline, name: str) -> str:
    """The actor id NAME means: exact id, name or alias first, else a unique substring.

    Raises UsageError for an unknown or ambiguous NAME, naming the candidates.
    """
    return match_actor(timeline, name)[0]


def match_actor(timeline: Timeline, name: str, option: str = "--actor") -> tuple[str, bool]:
    """The actor id NAME means, and whether NAME was exact (an id, name or alias), not a part."""
    wanted = _norm(name)
    if not wanted:
        raise UsageError(f"{option}: {quoted(name)} is empty")
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
        return matches[0], bool(exact)
    if matches:
        # names and ids come from the data: shown inert, as in the view
        listing = ", ".join(f"{one_line(timeline.actors[a].name)} ({one_line(a)})" for a in sorted(matches))
        raise UsageError(f"{option} {quoted(name)} is ambiguous: it matches {listing}")
    import difflib  # only a failed lookup pays for it

    names = {n: a.id for a in timeline.actors.values() for n in (a.id, a.name, *a.aliases)}
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(quoted(c) for c in close)}?" if close else "; see 'timeline actors'"
    raise UsageError(f"{option}: no actor matches {quoted(name)}{hint}")


def resolve_tag(timeline: Timeline, tag: str, option: str = "--tag") -> str:
    """The tag as used in the data (case-insensitive); an unknown tag is a UsageError."""
    known = {t for e in timeline.events for t in e.tags}
    for candidate in known:
        if candidate.casefold() == tag.strip().casefold():
            return candidate
    import difflib

    close = difflib.get_close_matches(tag, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(quoted(c) for c in close)}?" if close else "; see 'timeline tags'"
    raise UsageError(f"{option}: no event has the tag {quoted(tag)}{hint}")


def resolve_id(timeline: Timeline, event_id: str) -> str:
    """An event id as written in the data; an unknown id is a UsageError with close matches."""
    known = {e.id for e in timeline.events}
    if event_id in known:
        return event_id
    import difflib

    close = difflib.get_close_matches(event_id, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise UsageError(f"no event has the id {event_id!r}{hint}")


def lookup(criteria: Filter, words: Sequence[str], known: Collection[str]) -> Filter:
    """Words that are all event ids (`timeline show hanoi-summit`) look those events up instead of
    searching: the last search, which holds the words, becomes ids. ``known``: at least those of the
    words that are ids of the dataset."""
    if not words or not all(word in known for word in words):
        return criteria
    from dataclasses import replace

    return replace(criteria, ids=(*criteria.ids, *words), search=criteria.search[:-1])


def _combine(hits: list[bool], match_all: bool) -> bool:
    return all(hits) if match_all else any(hits)


def _day(day: dt.date) -> str:
    return PartialDate(day.year, day.month, day.day).display()


def _either(words: list[str], match_all: bool) -> str:
    return (" and " if match_all else " or ").join(words)


def select(timeline: Timeline, criteria: Filter) -> list[Event]:
    """The events that match, in date order (file order among equals), reversed and limited."""
    return run(timeline, criteria).events


@dataclass
class Reading:
    """How ``run`` reads the criteria against a timeline: names and tags resolved as in the data,
    the heading's words, notes for stderr, and the compiled searches."""

    understood: list[str]
    notes: list[str]
    queries: tuple[Query, ...]
    actor_ids: list[str]
    not_actor_ids: list[str]
    tags: list[str]
    not_tags: set[str]
    ids: set[str]


def read(timeline: Timeline, criteria: Filter) -> Reading:
    """The criteria as ``run`` reads them (UsageError for an unknown actor, tag or id); the
    timeline's events serve only to know the tags and ids there are."""
    notes: list[str] = []
    understood: list[str] = []
    actor_ids: list[str] = []
    for name in criteria.actors:
        actor_id, exact = match_actor(timeline, name)
        actor_ids.append(actor_id)
        if not exact:
            notes.append(f"--actor {name}: taken as {timeline.actor_name(actor_id)} ({actor_id})")
    not_actor_ids: list[str] = []
    for name in criteria.not_actors:
        actor_id, exact = match_actor(timeline, name, "--not-actor")
        not_actor_ids.append(actor_id)
        if not exact:
            notes.append(f"--not-actor {name}: taken as {timeline.actor_name(actor_id)} ({actor_id})")
    tags = [resolve_tag(timeline, tag) for tag in criteria.tags]
    not_tags = {resolve_tag(timeline, tag, "--not-tag") for tag in criteria.not_tags}
    ids = {resolve_id(timeline, event_id) for event_id in criteria.ids}
    queries = _queries(criteria.search)
    if criteria.ids:
        understood.append("id " + ", ".join(dict.fromkeys(criteria.ids)))
    if actor_ids:
        names = [f"{timeline.actor_name(a)} ({a})" for a in actor_ids]
        understood.append(("actors " if len(names) > 1 else "actor ") + _either(names, criteria.match_all))
    if tags:
        understood.append(("tags " if len(tags) > 1 else "tag ") + _either(tags, criteria.match_all))
    if criteria.since:
        understood.append(f"since {_day(criteria.since)}")
    if criteria.until:
        understood.append(f"until {_day(criteria.until)}")
    if queries:
        understood.append(_either([q.label() for q in queries], criteria.match_all))
    for actor_id in not_actor_ids:
        understood.append(f"not {timeline.actor_name(actor_id)} ({actor_id})")
    for tag in sorted(not_tags):
        understood.append(f"not tag {tag}")
    if criteria.sort == "relevance" and queries:
        understood.append("by relevance")

    return Reading(understood, notes, queries, actor_ids, not_actor_ids, tags, not_tags, ids)


def run(timeline: Timeline, criteria: Filter, documents: Mapping[str, Document] | None = None) -> Selection:
    """Select events and say how the criteria were read (see ``Selection``).

    ``documents`` (event id -> ``search.document``) may be computed once by a caller that runs
    many searches over the same events (the browser, on every keystroke).
    """
    reading = read(timeline, criteria)
    understood, notes, queries = reading.understood, reading.notes, reading.queries
    actor_ids, not_actor_ids, tags, not_tags, ids = (
        reading.actor_ids,
        reading.not_actor_ids,
        reading.tags,
        reading.not_tags,
        reading.ids,
    )
    docs: Mapping[str, Document] = {}
    if queries:
        if documents is None:
            from timeline.search import document

            documents = {e.id: document(e, timeline) for e in timeline.events}
        docs = documents
    chosen: list[Event] = []
    for event in sorted(timeline.events, key=lambda e: (e.start, e.finish)):
        if ids and event.id not in ids:
            continue
        if criteria.since and event.finish < criteria.since:
            continue
        if criteria.until and event.start > criteria.until:
            continue
        if actor_ids and not _combine([a in event.actors for a in actor_ids], criteria.match_all):
            continue
        if tags and not _combine([t in event.tags for t in tags], criteria.match_all):
            continue
        if queries and not _combine([q.matches(docs[event.id]) for q in queries], criteria.match_all):
            continue
        if any(a in event.actors for a in not_actor_ids) or not_tags.intersection(event.tags):
            continue
        chosen.append(event)
    if criteria.reverse:
        chosen.reverse()
    if criteria.sort == "relevance" and queries:
        # a stable sort: date order among equals
        chosen.sort(key=lambda e: _relevance(queries, docs[e.id]), reverse=True)
    if criteria.limit is not None:
        chosen = chosen[: criteria.limit]
    ranked = criteria.sort == "relevance" and bool(queries)
    return Selection(chosen, understood, notes, queries, ranked)


def _queries(texts: tuple[str, ...]) -> tuple[Query, ...]:
    texts = tuple(text for text in texts if text.strip())
    if not texts:
        return ()
    from timeline.search import compile_query

    compiled = []
    for text in texts:
        query = compile_query(text)
        if not query:
            raise UsageError(f"--search {text!r}: no words to search for")
        compiled.append(query)
    return tuple(compiled)


def _relevance(queries: tuple[Query, ...], doc: Document) -> tuple[int, ...]:
    scores = [q.score(doc) for q in queries if q.matches(doc)]
    return tuple(sum(parts) for parts in zip(*scores, strict=True))


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
