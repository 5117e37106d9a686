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
import datetime as dt
import itertools
import json
import os
import sqlite3
import stat
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast, overload

from timeline.display import Passed
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
    ordered = sorted(enumerate(timeline.events), key=lambda pe: (pe[1].start, pe[1].finish))
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
    os.close(handle)
    try:
        connection = sqlite3.connect(temp)
        try:
            connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("key", json.dumps(key, ensure_ascii=True)),
                    ("header", json.dumps(header, ensure_ascii=True)),
                ],
            )
            connection.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (seq, pos, e.id, e.start.toordinal(), e.finish.toordinal(), json.dumps(encode_event(e)))
                    for seq, (pos, e) in enumerate(ordered)
                ),
            )
            connection.executemany(
                "INSERT INTO event_actor VALUES (?, ?)",
                ((actor, seq) for seq, (_, e) in enumerate(ordered) for actor in dict.fromkeys(e.actors)),
            )
            connection.executemany(
                "INSERT INTO event_tag VALUES (?, ?)",
                ((tag, seq) for seq, (_, e) in enumerate(ordered) for tag in dict.fromkeys(e.tags)),
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
        self.path, self.key = path, key  # to open it again (another process)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(self.connection.execute("SELECT name, value FROM meta").fetchall())
            if json.loads(meta["key"]) != key:
                raise Corrupt("another key")
            header = cache.decode(json.loads(meta["header"]))
            self.paths = [name for name, _ in key[3]]
            self._ids: set[str] | None = None
            self._positions: dict[str, int] | None = None
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
            lazy.query = (sql, params)
            return dataclasses.replace(header, events=lazy), lazy  # type: ignore[arg-type]
        events = self._events(rows, order=1)
        _confirm(events, actor_ids, tags, criteria)
        rest = dataclasses.replace(criteria, actors=(), tags=())
        events = query.select(dataclasses.replace(header, events=tuple(events)), rest)
        self.close()
        return dataclasses.replace(header, events=tuple(events)), events

    # -- the terminal view of a selection, streamed (what it needs besides the events) ----------

    def count(self, selected: Selected) -> int:
        """How many rows ``selected`` reads, counted in SQL without decoding any (the heading)."""
        sql, params = selected.query
        (found,) = self.connection.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        return int(found)

    def understand(self, criteria: Filter) -> Any:
        """``query.run``'s reading of the criteria (``Selection`` with its ``understood`` and
        ``notes``, no events), with tags resolved against every tag the index knows."""
        from timeline.query import run

        # one stand-in event carries every known tag; what run selects is not used
        known = types.SimpleNamespace(
            id="", tags=tuple(self.known_tags()), actors=(), start=dt.date.min, finish=dt.date.min
        )
        selection = run(dataclasses.replace(self.header, events=(cast(Event, known),)), criteria)
        return dataclasses.replace(selection, events=[])

    def positions(self) -> dict[str, int]:
        """Each event id and its row (``seq``), read once; also what ``ids`` answers."""
        if self._positions is None:
            rows = self.connection.execute("SELECT id, seq FROM events").fetchall()
            self._positions = dict(rows)
            if len(self._positions) != len(rows):
                raise Corrupt("ids")
            self._ids = set(self._positions)
        return self._positions

    def longest_date(self, selected: Selected) -> Any:
        """Of the rows ``selected`` reads, the dates (``Event.when``) that take the most room, for
        the compact view's date column: read from each record without decoding the rest, each
        date checked as ``cache.check`` checks it; None when there are no rows."""
        from timeline import cache
        from timeline.dates import parse_data_date

        decode = cache.date_codec()[1]
        names = [field.name for field in dataclasses.fields(Event)]
        at_date, at_end = names.index("date"), names.index("end")
        valid: set[Any] = set()
        longest: _Dates | None = None
        most = -1
        sql, params = selected.query
        for (record,) in self.connection.execute(f"SELECT record FROM ({sql})", params):
            value = json.loads(record)
            if type(value) is not list or len(value) != len(names):
                raise Corrupt("record")
            dates = _Dates(decode(value[at_date]), None if value[at_end] is None else decode(value[at_end]))
            for day in (dates.date, dates.end):
                if day is not None and day not in valid:
                    if parse_data_date(day.iso()) != day:
                        raise Corrupt("date")
                    valid.add(day)
            size = len(dates.when())
            if size > most:
                longest, most = dates, size
        return longest

    def events_by_id(self, ids: Iterable[str]) -> list[Event]:
        """The events with these ids (those that exist), decoded and checked together."""
        positions = self.positions()
        seqs = sorted({positions[i] for i in ids if i in positions})
        found: list[Event] = []
        for start in range(0, len(seqs), 500):  # within SQLite's limit on parameters
            part = seqs[start : start + 500]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT id, first, last, record FROM events WHERE seq IN ({marks})"
            found += self._events(self.connection.execute(sql, part).fetchall(), order=0)
        if sorted(positions[event.id] for event in found) != seqs:
            raise Corrupt("ids")
        return found

    def event(self, event_id: str) -> Event:
        """One event by id, decoded and checked; KeyError if there is none."""
        seq = self.positions()[event_id]
        rows = self.connection.execute("SELECT id, first, last, record FROM events WHERE seq = ?", (seq,))
        found = self._events(rows.fetchall(), order=0)
        if len(found) != 1 or found[0].id != event_id:
            raise Corrupt("event")
        return found[0]


class _Dates:
    """An event's dates alone, said as the event says them (``Event.when``)."""

    __slots__ = ("date", "end")
    when = Event.when

    def __init__(self, date: Any, end: Any) -> None:
        self.date, self.end = date, end


class Related(Mapping[str, Event]):
    """Every event of an index by id, for the "See also" lines of a selection's view (the events
    linked to may lie outside it): each read when first asked for, checked, and remembered (at
    most ``KEEP`` of them), through a connection of its own (a selection closes its own when
    read to the end, before its last events are laid out). A damaged index answers from the
    data files instead."""

    KEEP = 4096

    def __init__(self, index: Index) -> None:
        self.index = index
        self.own: Index | None = None
        self.found: dict[str, Event] = {}
        self.whole: dict[str, Event] | None = None  # the files' events, once the index failed

    def _fallback(self) -> dict[str, Event]:
        if self.whole is None:
            from timeline.loader import load

            self.close()
            self.whole = {event.id: event for event in load([Path(p) for p in self.index.paths]).events}
        return self.whole

    def _positions(self) -> dict[str, int] | None:
        """Each id's row, None once the index has failed."""
        if self.whole is not None:
            return None
        from timeline import cache

        try:
            if self.own is None:
                self.own = Index(self.index.path, self.index.key)
            return self.own.positions()
        except (OSError, Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            self._fallback()
            return None

    def __getitem__(self, event_id: str) -> Event:
        found = self.found.get(event_id)
        if found is not None:
            return found
        positions = self._positions()
        if positions is None or self.own is None:
            return self._fallback()[event_id]
        if event_id not in positions:
            raise KeyError(event_id)
        from timeline import cache

        try:
            found = self.own.event(event_id)
        except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            return self._fallback()[event_id]
        if len(self.found) >= self.KEEP:
            self.found.clear()
        self.found[event_id] = found
        return found

    def ahead(self, events: Iterable[Any], size: int = 400) -> Iterator[Any]:
        """``events`` as they come, the events they link to read ahead, ``size`` at a time: one
        query and one check for many, instead of one each (what checking a single event costs is
        mostly the timeline's own checks)."""
        from timeline import cache

        source = iter(events)
        while batch := list(itertools.islice(source, size)):
            wanted = {
                other
                for event in batch
                for other in getattr(event, "related", ())  # a ``Passed`` event links to nothing here
                if other not in self.found
            }
            positions = self._positions() if wanted else None
            if positions is not None and self.own is not None:
                if len(self.found) + len(wanted) > self.KEEP:
                    self.found.clear()
                try:
                    self.found.update((event.id, event) for event in self.own.events_by_id(wanted))
                except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
                    self._fallback()
            yield from batch

    def __contains__(self, event_id: object) -> bool:
        positions = self._positions()
        return event_id in (self._fallback() if positions is None else positions)

    def __iter__(self) -> Iterator[str]:
        positions = self._positions()
        return iter(self._fallback() if positions is None else positions)

    def __len__(self) -> int:
        positions = self._positions()
        return len(self._fallback() if positions is None else positions)

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
            self.own = None


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
        self.query: tuple[str, list[Any]] = ("", [])  # the SQL that reads the rows, for ``Index.count``
        self.done: list[Event] = []
        self.dropped = 0  # events passed on by ``drain`` and no longer kept in ``done``
        self.last: Event | None = None  # the last event read, for the order across batches
        self.finished = False

    def _more(self) -> bool:
        """Decode the next batch; False when there is none."""
        if self.finished:
            return False
        import sqlite3

        from timeline import cache

        try:
            batch = self.index._events(self.rows.fetchmany(self.BATCH), order=self.order)
            if batch and self.last is not None and self.order:
                spans = [(e.start, e.finish) for e in (self.last, batch[0])][:: self.order]
                if spans[1] < spans[0]:
                    raise Corrupt("order")
            self.confirm(batch)
        except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            self.finished = True
            self.index.close()
            answer = self.fallback()
            added = answer[self.dropped + len(self.done) :]
            self.done.extend(added)
            return bool(added)
        if not batch:
            self.finished = True
            self.index.close()
            return False
        self.done.extend(batch)
        self.last = batch[-1]
        return True

    def alternate(self, owned: Callable[[int], bool]) -> Iterator[Event | Passed]:
        """Every row in order, a batch at a time: decoded and checked in the batches ``owned``
        (by number from 0), ``Passed`` over in the others, which another process decodes. Every
        row's dates are checked to be in order; an error is raised, not answered from the files:
        the caller falls back (``timeline.parallel``). Not to be mixed with the other reads."""
        number = 0
        previous: tuple[int, int] | None = None
        while rows := self.rows.fetchmany(self.BATCH):
            spans = [(first, last) for _, first, last, _ in rows]
            if previous is not None:
                spans.insert(0, previous)
            if any(later < earlier for earlier, later in itertools.pairwise(spans[:: self.order])):
                raise Corrupt("order")
            previous = spans[-1]
            if owned(number):
                batch = self.index._events(rows, order=self.order)  # columns checked against records
                self.confirm(batch)
                yield from batch
            else:
                yield from (Passed(dt.date.fromordinal(first)) for _, first, _, _ in rows)
            number += 1

    def drain(self) -> Iterator[Event]:
        """Each event once, in order, not kept once passed on: memory holds a batch, not the
        answer (the terminal view of a large dataset). Not to be mixed with the other reads."""
        while self.done or self._more():
            batch, self.done = self.done, []
            self.dropped += len(batch)
            yield from batch

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
