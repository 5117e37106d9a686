"""The cache of a large dataset as an embedded index (SQLite), so that a filter reads only what it prints.

From ``cache.INDEX_MIN_EVENTS`` events the cache entry (``timeline.cache``) is this one SQLite file instead
of JSON. It holds the same encoded, validated data, cut into records that can be read alone:

- ``meta``: the cache key (JSON) and the timeline without its events (title, actors, eras...);
- ``events``: one row per event in date order (``seq``: the order of ``query.select``, file
  order among equal dates), with its place in the file (``pos``), its id, the ordinals of its
  first and last day, its number of sources, the ids it links to ("See also", space-separated),
  and the event encoded by the cache's codec (JSON); every column is checked against the
  record when the row is decoded;
- ``event_actor`` and ``event_tag``: which events name which actor ids and tags.

It is a cache, never a second source of truth: it is keyed, like the JSON entry, on the content
of the data files, rebuilt whenever that changes, and whatever is decoded from it is checked
again by ``cache.check`` (a forged row is a miss, the file is read again). Rows selected through
the tables are checked against the criteria they were selected by, so a forged table cannot
make a filter answer wrong events either.

A filter (``select``) resolves actor names, tags and ids exactly as ``query.select`` does,
narrows the rows by actor, tag, id, exclusion and date in SQL, and decodes only those. A word
search (``--search``, words) narrows them through ``search``, an FTS5 table of each event's
normalised text built on the first search (see ``Index.search_ready``); ``query.select`` then
searches the decoded candidates itself, so the answer (and ``--sort relevance``) is exactly
the whole load's. Without a search, a selection (``Selected``) is its rows' numbers, days,
source counts and links, read at once; its events are decoded a batch at a time as the output
reads them (``timeline.parallel`` has a second process decode every other batch), and events
outside it are looked up by id (``Related``). Small datasets keep the JSON entry: importing
sqlite3 costs a few milliseconds that `timeline show` on the shipped data does not pay.
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
                     first INTEGER NOT NULL, last INTEGER NOT NULL, sources INTEGER NOT NULL,
                     related TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE event_actor (actor TEXT NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE event_tag (tag TEXT NOT NULL, seq INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX event_actor_by_actor ON event_actor (actor, seq);
CREATE INDEX event_tag_by_tag ON event_tag (tag, seq);
CREATE INDEX events_by_id ON events (id);
"""
# The word search: ``search.document(...).text`` of each event (rowid: its seq), already
# normalised by ``search.normalise`` into words of letters and digits one space apart. The
# ``ascii`` tokenizer splits such text only at its spaces (every other character of it is a
# letter or a digit, or not ASCII) and folds nothing but A-Z, which it does not contain: its
# tokens are the very words ``Query.matches`` compares, and ``Query.fts5`` (each term a prefix
# phrase) finds what ``Query.matches`` finds. Contentless: the text is not stored twice.
# Built on the first search of an index, not by ``write``: computing every event's text costs
# more than the rest of the index, and a dataset that is never searched never pays for it.
_SEARCH_SCHEMA = "CREATE VIRTUAL TABLE search USING fts5(doc, content='', tokenize='ascii')"


class Corrupt(ValueError):
    """An index that is not what this version writes, or whose rows disagree with each other."""


class Unanswered(ValueError):
    """Criteria the index leaves to the whole load: an unknown event id (whose message lists the
    close ones among all ids)."""


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
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (  # a generator: the records are not all held at once
                    (
                        seq,
                        pos,
                        events[pos].id,
                        *spans[pos],
                        len(events[pos].sources),
                        " ".join(events[pos].related),
                        record(encode_event(events[pos])),
                    )
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
        self.path, self.key = path, key
        self.criteria: Filter | None = None  # as the last ``select`` read them (words looked up)
        self.connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(self.connection.execute("SELECT name, value FROM meta").fetchall())
            if json.loads(meta["key"]) != key:
                raise Corrupt("another key")
            header = cache.decode(json.loads(meta["header"]))
            self.paths = [name for name, _ in key[3]]
            self._ids: set[str] | None = None
            self._tags: list[str] | None = None
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

    def reopen(self) -> None:
        """A connection of this process's own (after a fork: SQLite connections must not cross one)."""
        self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)

    def _events(self, rows: Iterable[tuple[str, int, int, int, str, str]], order: int = 1) -> list[Event]:
        """Decode and check rows (id, first, last, sources, related, record); the columns must agree
        with the record, and the events be in date order (``order`` 1), in reverse (-1) or in file
        order (0)."""
        from timeline import cache
        from timeline.gcpause import paused_gc

        events: list[Event] = []
        decode, loads = self.decode_event, json.loads
        with paused_gc():  # nothing decoded is garbage; the collector's passes cost more than decoding
            for event_id, first, last, sources, related, record in rows:
                event = decode(loads(record))
                start, finish = event.start.toordinal(), event.finish.toordinal()
                if (event.id, start, finish, len(event.sources), " ".join(event.related)) != (
                    event_id,
                    first,
                    last,
                    sources,
                    related,
                ):
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
        rows = self.connection.execute(
            "SELECT id, first, last, sources, related, record FROM events ORDER BY pos"
        )
        return dataclasses.replace(self.header, events=tuple(self._events(rows, order=0)))

    def known_tags(self) -> list[str]:
        """Every tag of the index (read once)."""
        if self._tags is None:
            self._tags = [row[0] for row in self.connection.execute("SELECT DISTINCT tag FROM event_tag")]
        return self._tags

    def search_ready(self) -> bool:
        """Whether the index has its word-search table, building it first if need be: False when
        it cannot be built (a read-only cache folder, a busy disk), and the decoded rows are then
        searched instead.

        The table is added to a copy of the index, which then replaces it as ``write`` does: the
        entry stays one file, readers never see it half built, and two processes building it at
        once each install a whole one. Every row is decoded and checked to be indexed.
        """
        if _has_search(self.connection):
            return True
        import shutil
        import tempfile

        from timeline.search import document

        try:
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".sqlite")
        except OSError:
            return False
        os.close(handle)
        try:
            shutil.copyfile(self.path, temp)
            built = sqlite3.connect(temp)
            try:
                built.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
                (key,) = built.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
                if json.loads(key) != self.key:
                    return False  # replaced meanwhile, by another dataset's index: leave it be
                if not _has_search(built):
                    built.execute(_SEARCH_SCHEMA)
                    rows = built.execute(
                        "SELECT seq, id, first, last, sources, related, record FROM events ORDER BY seq"
                    )
                    while batch := rows.fetchmany(Selected.BATCH):
                        events = self._events([row[1:] for row in batch], order=1)
                        built.executemany(
                            "INSERT INTO search (rowid, doc) VALUES (?, ?)",
                            (
                                (row[0], document(event, self.header).text)
                                for row, event in zip(batch, events, strict=True)
                            ),
                        )
                    built.commit()
            finally:
                built.close()
            os.replace(temp, self.path)
            reopened = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        except (OSError, sqlite3.Error):
            return False
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        try:
            (key,) = reopened.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if json.loads(key) != self.key or not _has_search(reopened):
                reopened.close()
                return False
        except (sqlite3.Error, ValueError, TypeError):
            reopened.close()
            return False
        self.connection.close()
        self.connection = reopened
        return True

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are event ids in the index."""
        wanted = sorted(set(ids))
        marks = ", ".join("?" * len(wanted))
        rows = self.connection.execute(f"SELECT id FROM events WHERE id IN ({marks})", wanted)
        return {row[0] for row in rows}

    def select(self, criteria: Filter, words: Sequence[str] = ()) -> tuple[Timeline, Sequence[Event]]:
        """(the timeline with only the selected events, those events): what query.select answers.

        ``words``: the free words of `show`/`filter` (the last search), an id lookup when all
        are ids (``query.lookup``). Raises Unanswered for what the whole load must answer."""
        from timeline import query

        header = self.header
        if words:
            criteria = query.lookup(criteria, words, self.known_ids(words))
        self.criteria = criteria  # as read: the caller's messages depend on it
        # resolved in the order query.run resolves them, so that the first mistake is the one named
        actor_ids = [query.resolve_actor(header, name) for name in criteria.actors]
        not_actor_ids = [query.match_actor(header, name, "--not-actor")[0] for name in criteria.not_actors]
        tags: list[str] = []
        not_tags: list[str] = []
        if criteria.tags or criteria.not_tags:
            # resolve_tag reads the tags off the events: give it every tag the index knows
            known = types.SimpleNamespace(events=[types.SimpleNamespace(tags=tuple(self.known_tags()))])
            everything = cast(Timeline, known)
            tags = [query.resolve_tag(everything, tag) for tag in criteria.tags]
            not_tags = [query.resolve_tag(everything, tag, "--not-tag") for tag in criteria.not_tags]
        ids = sorted(set(criteria.ids))
        if ids and len(self.known_ids(ids)) != len(ids):
            raise Unanswered("an unknown id")
        queries = query._queries(criteria.search)
        where: list[str] = []
        params: list[Any] = []
        if ids:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
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
        excluded = (("event_actor", "actor", not_actor_ids), ("event_tag", "tag", not_tags))
        for table, column, values in excluded:
            if values:
                marks = ", ".join("?" * len(values))
                where.append(f"seq NOT IN (SELECT seq FROM {table} WHERE {column} IN ({marks}))")
                params.extend(values)
        if queries and self.search_ready():
            # candidates: query.select below searches them again, so that the answer is exact
            where.append("seq IN (SELECT rowid FROM search WHERE search MATCH ?)")
            params.append((" AND " if criteria.match_all else " OR ").join(f"({q.fts5()})" for q in queries))
        sql = "SELECT id, first, last, sources, related, record FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        searching = bool(queries)
        sql += " ORDER BY seq DESC" if criteria.reverse and not searching else " ORDER BY seq"
        if criteria.limit is not None and not searching:
            sql += " LIMIT ?"
            params.append(max(criteria.limit, 0))
        descending = criteria.reverse and not searching
        chosen = _Chosen(actor_ids, tags, set(ids), set(not_actor_ids), set(not_tags))
        if not searching:
            # the selection's row numbers now (small), its rows a batch at a time when read
            found = self.connection.execute(
                sql.replace(
                    "id, first, last, sources, related, record", "seq, first, last, sources, id, related", 1
                ),
                params,
            )
            seqs, spans = [], []
            most = 0
            selected_ids, links = [], []
            for seq, first, last, sources, event_id, related in found:
                seqs.append(seq)
                spans.append((first, last))
                most = max(most, sources)
                selected_ids.append(event_id)
                if related:
                    links.append((event_id, related))
            # each row's days are checked against its record when decoded: in order here, in order there
            if any(
                later < earlier for earlier, later in itertools.pairwise(spans[:: -1 if descending else 1])
            ):
                raise Corrupt("order")
            from functools import partial

            confirm = partial(_confirm, chosen=chosen, criteria=criteria)
            lazy = Selected(self, seqs, -1 if descending else 1, confirm)
            lazy.fallback = lambda: _from_files(self.paths, criteria)
            lazy.most_sources = most
            lazy.ids = selected_ids
            lazy.links = links
            lazy.query = (sql, params)  # the rows' SQL (the compact view's date pass)
            lazy.firsts = [first for first, _ in spans]
            return dataclasses.replace(header, events=lazy), lazy  # type: ignore[arg-type]
        rows = self.connection.execute(sql, params)
        events = self._events(rows, order=1)
        _confirm(events, chosen, criteria)
        # what the tables selected is confirmed; resolving it again against the candidates alone
        # could not find the tags and ids that are not among them
        rest = dataclasses.replace(criteria, actors=(), tags=(), ids=(), not_actors=(), not_tags=())
        events = query.select(dataclasses.replace(header, events=tuple(events)), rest)
        return dataclasses.replace(header, events=tuple(events)), events

    # -- the terminal view of a selection, streamed (what it needs besides the events) ----------

    def understand(self, criteria: Filter) -> Any:
        """``query.run``'s reading of the criteria (``Selection`` with its ``understood``,
        ``notes`` and searches, no events), with tags and ids resolved against every tag and id
        the index knows; UsageError as ``run`` raises it."""
        from timeline.query import Selection, read

        # stand-ins for the events: one per id asked for (known ids only reach here), and the
        # first with every known tag; ``read`` looks at nothing else of them
        stand_ins = [types.SimpleNamespace(id=i, tags=()) for i in criteria.ids] or [
            types.SimpleNamespace(id="", tags=())
        ]
        stand_ins[0].tags = tuple(self.known_tags())
        reading = read(dataclasses.replace(self.header, events=tuple(stand_ins)), criteria)  # type: ignore[arg-type]
        ranked = criteria.sort == "relevance" and bool(reading.queries)
        return Selection([], reading.understood, reading.notes, reading.queries, ranked)

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
            sql = f"SELECT id, first, last, sources, related, record FROM events WHERE seq IN ({marks})"
            found += self._events(self.connection.execute(sql, part).fetchall(), order=0)
        if sorted(positions[event.id] for event in found) != seqs:
            raise Corrupt("ids")
        return found

    def event(self, event_id: str) -> Event:
        """One event by id, decoded and checked; KeyError if there is none."""
        seq = self.positions()[event_id]
        rows = self.connection.execute(
            "SELECT id, first, last, sources, related, record FROM events WHERE seq = ?", (seq,)
        )
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
        self.pid = os.getpid()

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
            if os.getpid() != self.pid:  # a forked process: a connection must not cross a fork
                self.pid, self.own = os.getpid(), None
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
        source = iter(events)
        while batch := list(itertools.islice(source, size)):
            self.prefetch(batch)
            yield from batch

    def prefetch(self, events: Sequence[Any]) -> None:
        """Read the events that ``events`` link to, together (one query and one check)."""
        from timeline import cache

        wanted = {
            other
            for event in events
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


def _has_search(connection: sqlite3.Connection) -> bool:
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search'")
    return found.fetchone() is not None


class Selected(Sequence[Event]):
    """The events a filter selected: their row numbers, and their rows decoded and checked a batch
    of consecutive events at a time as they are read, and not kept. An export that writes as it
    goes starts at once (``| head``) and holds one batch at a time; ``timeline.parallel`` has a
    second process decode and write every other batch.

    Should a batch turn out damaged, the rest of the answer comes from the data files themselves
    (which also rebuilds the entry): what was read had passed every check, and the files answer
    the same selection, so the output is whole either way.
    """

    BATCH = 1000

    def __init__(self, index: Index, seqs: list[int], order: int, confirm: Any) -> None:
        self.index = index
        self.seqs = seqs
        self.order = order
        self.confirm = confirm
        self.fallback: Any = None
        self.answer: list[Event] | None = None  # the files' answer, once a batch was damaged
        self.pid = os.getpid()
        self.kept: list[Event] | None = None  # every event, when read out of order ([i])
        self.last: tuple[int, list[Event]] | None = None  # the batch read last, and its number
        # the most sources an event of the selection has (each row's count is checked against its
        # record as it is decoded): CSV's header, before any event is read
        self.most_sources = 0
        # the selection's ids, in order, and (id, the ids it links to) where it links to any;
        # each row's id and links are checked against its record as it is decoded
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.query: tuple[str, list[Any]] = ("", [])
        self.firsts: list[int] = []  # each selected row's first day (ordinal), in order

    def lookup(self) -> Related:
        """Any event of the dataset by id, decoded when first asked for ("See also" names events
        the selection may leave out)."""
        return Related(self.index)

    @property
    def fell_back(self) -> bool:
        return self.answer is not None

    def batch_count(self) -> int:
        size = len(self.seqs) if self.answer is None else len(self.answer)
        return -(-size // self.BATCH)

    def decode_batch(self, number: int) -> list[Event]:
        """Batch ``number`` from the index; raises Corrupt, sqlite3.Error... when it is damaged."""
        wanted = self.seqs[number * self.BATCH : (number + 1) * self.BATCH]
        if not wanted:
            return []
        if os.getpid() != self.pid:  # a forked process: a connection must not cross a fork
            self.pid = os.getpid()
            self.index.reopen()
        low, high = min(wanted), max(wanted)
        chosen = set(wanted)
        rows = self.index.connection.execute(
            "SELECT seq, id, first, last, sources, related, record FROM events"
            " WHERE seq BETWEEN ? AND ? ORDER BY seq",
            (low, high),
        )
        picked = [row[1:] for row in rows if row[0] in chosen]
        if len(picked) != len(wanted):
            raise Corrupt("rows")
        if self.order < 0:
            picked.reverse()
        batch = self.index._events(picked, order=self.order)
        self.confirm(batch)
        return batch

    def batch(self, number: int) -> list[Event]:
        """Batch ``number``, from the files' answer if this or an earlier batch was damaged."""
        import sqlite3

        from timeline import cache

        if self.answer is None:
            if self.last is not None and self.last[0] == number:
                return self.last[1]  # read ahead (the view checks the first batch before writing)
            try:
                self.last = (number, self.decode_batch(number))
                return self.last[1]
            except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
                self.index.close()
                self.answer = list(self.fallback())
        if number == self.batch_count() - 1:
            return self.answer[number * self.BATCH :]
        return self.answer[number * self.BATCH : (number + 1) * self.BATCH]

    def alternate(self, owned: Callable[[int], bool]) -> Iterator[Event | Passed]:
        """Every row in order, a batch at a time: decoded and checked in the batches ``owned``
        (by number from 0), ``Passed`` over in the others, which another process decodes (the
        rows' order was checked when they were selected). An error is raised, not answered from
        the files: the caller falls back (``timeline.parallel``)."""
        for number in range(self.batch_count()):
            if owned(number):
                yield from self.decode_batch(number)
            else:
                part = self.firsts[number * self.BATCH : (number + 1) * self.BATCH]
                yield from (Passed(dt.date.fromordinal(first)) for first in part)

    def __iter__(self) -> Iterator[Event]:
        if self.kept is not None:
            yield from self.kept
            return
        number = 0
        while number < self.batch_count():
            yield from self.batch(number)
            number += 1

    def __len__(self) -> int:
        return len(self.seqs) if self.answer is None else len(self.answer)

    def __bool__(self) -> bool:
        return len(self) > 0

    @overload
    def __getitem__(self, item: int) -> Event: ...
    @overload
    def __getitem__(self, item: slice) -> list[Event]: ...
    def __getitem__(self, item: int | slice) -> Event | list[Event]:
        if self.kept is None:
            self.kept = list(self)
        return self.kept[item]

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


@dataclasses.dataclass(frozen=True)
class _Chosen:
    """The criteria of a selection as resolved against the index (ids, tags as in the data)."""

    actors: list[str]
    tags: list[str]
    ids: set[str]
    not_actors: set[str]
    not_tags: set[str]


def _confirm(events: Sequence[Event], chosen: _Chosen, criteria: Filter) -> None:
    """Raise Corrupt unless every event selected through the tables matches what selected it."""
    from timeline.query import _combine

    for event in events:
        if chosen.actors and not _combine([a in event.actors for a in chosen.actors], criteria.match_all):
            raise Corrupt("actor table")
        if chosen.tags and not _combine([t in event.tags for t in chosen.tags], criteria.match_all):
            raise Corrupt("tag table")
        if (criteria.since and event.finish < criteria.since) or (
            criteria.until and event.start > criteria.until
        ):
            raise Corrupt("dates")
        if chosen.ids and event.id not in chosen.ids:
            raise Corrupt("ids")
        if chosen.not_actors.intersection(event.actors) or chosen.not_tags.intersection(event.tags):
            raise Corrupt("exclusions")
