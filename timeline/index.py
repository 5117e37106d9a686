"""The cache of a large dataset as an embedded index (SQLite), so that a filter reads only what it prints.

From ``cache.INDEX_MIN_EVENTS`` events the cache entry (``timeline.cache``) is this one SQLite file instead
of JSON. It holds the same encoded, validated data, cut into records that can be read alone:

- ``meta``: the cache key (JSON) and the timeline without its events (title, actors, eras...);
- ``events``: one row per event in date order (``seq``: the order of ``query.select``, file
  order among equal dates), with its place in the file (``pos``), its id, the ordinals of its
  first and last day, and the event encoded by the cache's codec (JSON);
- ``event_actor`` and ``event_tag``: which events name which actor ids and tags.

It is a cache, never a second source of truth: it is keyed, like the JSON entry, on the content
of the data files, rebuilt whenever that changes, and whatever is decoded from it is checked
again by ``cache.check`` (a forged row is a miss, the file is read again). Rows selected through
the tables are checked against the criteria they were selected by, so a forged table cannot
make a filter answer wrong events either.

A filter (``select``) resolves actor names and tags exactly as ``query.select`` does, narrows
the rows by actor, tag and date in SQL, and decodes only those; a word search (``--search``)
is then applied to the decoded candidates by ``query.select`` itself. Small datasets keep the
JSON entry: importing sqlite3 costs a few milliseconds that `timeline show` on the shipped data
does not pay.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import sqlite3
import stat
import types
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast, overload

from timeline.models import Event, Timeline
from timeline.query import Filter

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY, pos INTEGER NOT NULL, id TEXT NOT NULL,
                     first INTEGER NOT NULL, last INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE event_actor (actor TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE event_tag (tag TEXT NOT NULL, seq INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX event_actor_by_actor ON event_actor (actor, seq);
CREATE INDEX event_tag_by_tag ON event_tag (tag, seq);
"""


class Corrupt(ValueError):
    """An index that is not what this version writes, or whose rows disagree with each other."""


def write(path: Path, key: Any, timeline: Timeline) -> None:
    """Write the index of ``timeline`` atomically at ``path``; OSError or sqlite3.Error on failure."""
    import tempfile

    from timeline import cache

    encode_event = cache.event_codec()[0]
    header = cache.encode(dataclasses.replace(timeline, events=()))
    events = timeline.events
    # date order, file order among equal dates (a stable sort by first and last day)
    spans = [(event.start.toordinal(), event.finish.toordinal()) for event in events]
    ordered = sorted(range(len(events)), key=spans.__getitem__)
    # one encoder for all records: json.dumps would set one up for each (no cycles in a record)
    record = json.JSONEncoder(check_circular=False).encode
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
    os.close(handle)
    try:
        connection = sqlite3.connect(temp)
        try:
            # 16 KiB pages: an event's record (1-2 KB) mostly fits a page instead of overflowing a
            # 4 KiB one; writing 100,000 events takes half the time and the file is 15% smaller
            connection.executescript(
                "PRAGMA page_size=16384; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA
            )
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("key", json.dumps(key, ensure_ascii=True)),
                    ("header", json.dumps(header, ensure_ascii=True)),
                ],
            )
            connection.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                (  # a generator: the records are not all held at once
                    (seq, pos, events[pos].id, *spans[pos], record(encode_event(events[pos])))
                    for seq, pos in enumerate(ordered)
                ),
            )
            connection.executemany(
                "INSERT INTO event_actor VALUES (?, ?)",
                (
                    (actor, seq)
                    for seq, pos in enumerate(ordered)
                    for actor in dict.fromkeys(events[pos].actors)
                ),
            )
            connection.executemany(
                "INSERT INTO event_tag VALUES (?, ?)",
                ((tag, seq) for seq, pos in enumerate(ordered) for tag in dict.fromkeys(events[pos].tags)),
            )
            connection.executescript(_INDEXES)
            connection.commit()
        finally:
            connection.close()
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


class Index:
    """An open, keyed index; every method raises Corrupt, sqlite3.Error or ValueError on a bad file."""

    def __init__(self, path: Path, key: Any) -> None:
        from timeline import cache

        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise Corrupt("not a regular file")
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(self.connection.execute("SELECT name, value FROM meta").fetchall())
            if json.loads(meta["key"]) != key:
                raise Corrupt("another key")
            header = cache.decode(json.loads(meta["header"]))
            self.paths = [name for name, _ in key[3]]
            self._ids: set[str] | None = None
            cache.check(header, self.paths, ids=set())
            self.header = header
            self.decode_event = cache.event_codec()[1]
        except BaseException:
            self.connection.close()
            raise

    def ids(self) -> set[str]:
        """Every event id in the index (read once, when a decoded event links to others)."""
        if self._ids is None:
            ids = [row[0] for row in self.connection.execute("SELECT id FROM events")]
            self._ids = set(ids)
            if len(self._ids) != len(ids):
                raise Corrupt("ids")
        return self._ids

    def close(self) -> None:
        self.connection.close()

    def _events(self, rows: Iterable[tuple[str, int, int, str]], order: int = 1) -> list[Event]:
        """Decode and check rows (id, first, last, record); the columns must agree with the record,
        and the events be in date order (``order`` 1), in reverse (-1) or in file order (0)."""
        from timeline import cache
        from timeline.gcpause import paused_gc

        events: list[Event] = []
        decode, loads = self.decode_event, json.loads
        with paused_gc():  # nothing decoded is garbage; the collector's passes cost more than decoding
            for event_id, first, last, record in rows:
                event = decode(loads(record))
                if (event.id, event.start.toordinal(), event.finish.toordinal()) != (event_id, first, last):
                    raise Corrupt("columns")
                events.append(event)
            # links are checked against every id; ids read from rows were checked against their records
            linked = any(event.related for event in events)
            part = dataclasses.replace(self.header, events=tuple(events))
            cache.check(part, self.paths, ids=self.ids() if linked else None)
        if order:
            spans = [(event.start, event.finish) for event in events][::order]
            if any(later < earlier for earlier, later in itertools.pairwise(spans)):
                raise Corrupt("order")
        return events

    def timeline(self) -> Timeline:
        """The whole timeline, events in file order as validation built them."""
        rows = self.connection.execute("SELECT id, first, last, record FROM events ORDER BY pos")
        return dataclasses.replace(self.header, events=tuple(self._events(rows, order=0)))

    def known_tags(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT DISTINCT tag FROM event_tag")]

    def select(self, criteria: Filter) -> tuple[Timeline, list[Event]]:
        """(the timeline with only the selected events, those events): what query.select answers."""
        from timeline import query

        header = self.header
        actor_ids = [query.resolve_actor(header, name) for name in criteria.actors]
        if criteria.tags:
            # resolve_tag reads the tags off the events: give it every tag the index knows
            known = types.SimpleNamespace(events=[types.SimpleNamespace(tags=tuple(self.known_tags()))])
            tags = [query.resolve_tag(cast(Timeline, known), tag) for tag in criteria.tags]
        else:
            tags = []
        where: list[str] = []
        params: list[Any] = []
        for table, column, values in (("event_actor", "actor", actor_ids), ("event_tag", "tag", tags)):
            if not values:
                continue
            if criteria.match_all:
                for value in values:
                    where.append(f"seq IN (SELECT seq FROM {table} WHERE {column} = ?)")
                    params.append(value)
            else:
                marks = ", ".join("?" * len(values))
                where.append(f"seq IN (SELECT seq FROM {table} WHERE {column} IN ({marks}))")
                params.extend(values)
        if criteria.since:
            where.append("last >= ?")
            params.append(criteria.since.toordinal())
        if criteria.until:
            where.append("first <= ?")
            params.append(criteria.until.toordinal())
        sql = "SELECT id, first, last, record FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        searching = any(s.strip() for s in criteria.search)
        sql += " ORDER BY seq DESC" if criteria.reverse and not searching else " ORDER BY seq"
        if criteria.limit is not None and not searching:
            sql += " LIMIT ?"
            params.append(max(criteria.limit, 0))
        descending = criteria.reverse and not searching
        rows = self.connection.execute(sql, params)
        if not searching:
            lazy = Selected(
                self, rows, -1 if descending else 1, lambda batch: _confirm(batch, actor_ids, tags, criteria)
            )
            lazy.fallback = lambda: _from_files(self.paths, criteria)
            return dataclasses.replace(header, events=lazy), lazy  # type: ignore[arg-type]
        events = self._events(rows, order=1)
        _confirm(events, actor_ids, tags, criteria)
        rest = dataclasses.replace(criteria, actors=(), tags=())
        events = query.select(dataclasses.replace(header, events=tuple(events)), rest)
        self.close()
        return dataclasses.replace(header, events=tuple(events)), events


class Selected(Sequence[Event]):
    """The events a filter selected, decoded and checked a batch at a time as they are first
    read, and kept: an export that writes as it goes starts at once (``| head``).

    Should a batch turn out damaged after others were read, the rest of the answer comes from
    the data files themselves (which also rebuilds the entry): what was read had passed every
    check, and the files answer the same selection, so the output is whole either way.
    """

    BATCH = 2000

    def __init__(self, index: Index, rows: Any, order: int, confirm: Any) -> None:
        self.index = index
        self.rows = rows
        self.order = order
        self.confirm = confirm
        self.fallback: Any = None
        self.done: list[Event] = []
        self.finished = False

    def _more(self) -> bool:
        """Decode the next batch; False when there is none."""
        if self.finished:
            return False
        import sqlite3

        from timeline import cache

        try:
            batch = self.index._events(self.rows.fetchmany(self.BATCH), order=self.order)
            if batch and self.done and self.order:
                spans = [(e.start, e.finish) for e in (self.done[-1], batch[0])][:: self.order]
                if spans[1] < spans[0]:
                    raise Corrupt("order")
            self.confirm(batch)
        except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            self.finished = True
            self.index.close()
            answer = self.fallback()
            added = answer[len(self.done) :]
            self.done.extend(added)
            return bool(added)
        if not batch:
            self.finished = True
            self.index.close()
            return False
        self.done.extend(batch)
        return True

    def __iter__(self) -> Iterator[Event]:
        position = 0
        while position < len(self.done) or self._more():
            yield self.done[position]
            position += 1

    def __len__(self) -> int:
        while self._more():
            pass
        return len(self.done)

    def __bool__(self) -> bool:
        return bool(self.done) or self._more()

    @overload
    def __getitem__(self, item: int) -> Event: ...
    @overload
    def __getitem__(self, item: slice) -> list[Event]: ...
    def __getitem__(self, item: int | slice) -> Event | list[Event]:
        len(self)
        return self.done[item]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def _from_files(paths: list[str], criteria: Filter) -> list[Event]:
    """The selection answered from the data files, past the cache (which it rebuilds)."""
    from pathlib import Path as _Path

    from timeline.loader import load
    from timeline.query import select

    return select(load([_Path(p) for p in paths]), criteria)


def _confirm(events: Sequence[Event], actor_ids: list[str], tags: list[str], criteria: Filter) -> None:
    """Raise Corrupt unless every event selected through the tables matches what selected it."""
    from timeline.query import _combine

    for event in events:
        if actor_ids and not _combine([a in event.actors for a in actor_ids], criteria.match_all):
            raise Corrupt("actor table")
        if tags and not _combine([t in event.tags for t in tags], criteria.match_all):
            raise Corrupt("tag table")
        if (criteria.since and event.finish < criteria.since) or (
            criteria.until and event.start > criteria.until
        ):
            raise Corrupt("dates")
