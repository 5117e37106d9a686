"""Raw YAML values -> a Timeline of models; every problem is collected, then raised at once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from timeline import cameo
from timeline.dates import parse_data_date
from timeline.errors import DataError, Problem
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline
from timeline.yamlread import Map, Seq

SCHEMA_VERSION = 1
TOP_KEYS = ("schema", "title", "description", "actors", "events", "eras", "tags", "publishers")
ACTOR_KEYS = ("name", "aliases", "role", "country")
EVENT_KEYS = (
    "id",
    "date",
    "end",
    "title",
    "summary",
    "actors",
    "tags",
    "place",
    "cameo",
    "quotes",
    "sources",
    "related",
)
SOURCE_KEYS = ("title", "publisher", "url", "date", "kind")
QUOTE_KEYS = ("text", "by")
ERA_KEYS = ("name", "start", "end")
SOURCE_KINDS = ("primary", "secondary")

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY_RE = re.compile(r"[A-Z]{3}")
CAMEO_RE = re.compile(r"\d{2,4}")


def build(docs: list[tuple[str, Any]]) -> Timeline:
    """Validate raw documents (name, value) into one Timeline, or raise DataError."""
    checker = _Checker()
    timeline = checker.run(docs)
    if checker.problems:
        order = {name: index for index, (name, _) in enumerate(docs)}
        raise DataError(
            sorted(checker.problems, key=lambda p: (order.get(p.path, 0), p.line or 0, p.column or 0))
        )
    return timeline


def _type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _shown(value: object) -> str:
    """A value quoted in a message: a short repr of a plain value; a list or mapping by its kind
    (it may be an alias standing for millions of values)."""
    if isinstance(value, (dict, list)):
        return _type_name(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _suggest(word: object, choices: Iterable[str]) -> str:
    import difflib  # only a problem pays for it: the cache's re-check imports this module on every start

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _suggest_actor(word: str, actors: dict[str, Actor]) -> str:
    """Suggest an actor id, also when the word is one of an actor's names or aliases."""
    for actor in actors.values():
        if word.casefold() in (n.casefold() for n in (actor.name, *actor.aliases)):
            return f"; {word!r} is a name of {actor.id!r}: use the id"
    return _suggest(word, actors)


def _key_at(mapping: Any, key: Any) -> tuple[int, int] | None:
    """Where a key stood; None for the plain dicts of the fast path, which know no positions."""
    marks = getattr(mapping, "key_marks", None)
    return marks.get(key) if marks is not None else None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.name = ""
        # the dates read so far, by their text: 100,000 events repeat a few thousand days
        self.dates: dict[str, PartialDate] = {}
        self.codes: set[str] = set()  # CAMEO codes found in the codebook

    # -- reporting -------------------------------------------------------------------------

    def err(self, message: str, at: tuple[int, int] | None = None) -> None:
        line, column = at if at else (None, None)
        self.problems.append(Problem(self.name, message, line, column))

    def at(self, container: Any, key: Any = None) -> tuple[int, int] | None:
        if key is not None and isinstance(container, (Map, Seq)) and key in container.marks:
            return container.marks[key]
        return getattr(container, "mark", None)

    def keys(self, mapping: Map, allowed: tuple[str, ...], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.err(f"unknown key {key!r} in {what}{_suggest(key, allowed)}", _key_at(mapping, key))

    def mapping(self, value: Any, what: str, at: tuple[int, int] | None) -> Map | None:
        if isinstance(value, dict):  # a Map, or a plain dict on the fast path (timeline.fastload)
            return value  # type: ignore[return-value]
        self.err(f"{what} must be a mapping, got {_type_name(value)}", at)
        return None

    def text(self, mapping: Map, key: str, what: str, *, required: bool) -> str | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.err(f"{what} is missing required field {key!r}", self.at(mapping))
            return None
        value = mapping[key]
        if not isinstance(value, str):
            self.err(f"{what}: {key!r} must be text, got {_type_name(value)}", self.at(mapping, key))
            return None
        if not value.strip():
            self.err(f"{what}: {key!r} is empty", self.at(mapping, key))
            return None
        return value.strip()

    def text_list(self, mapping: Map, key: str, what: str) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.err(f"{what}: {key!r} must be a list, got {_type_name(value)}", self.at(mapping, key))
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.err(
                    f"{what}: {key}[{index}] must be text, got {_type_name(item)}", self.at(value, index)
                )
            else:
                items.append(item.strip())
        return tuple(items)

    def date(self, mapping: Map, key: str, what: str, *, required: bool) -> PartialDate | None:
        if key not in mapping or mapping[key] is None:
            if required:
                self.err(f"{what} is missing required field {key!r}", self.at(mapping))
            return None
        try:
            return self.parse_date(mapping[key])
        except ValueError as exc:
            self.err(f"{what}: {key!r}: {exc}", self.at(mapping, key))
            return None

    def parse_date(self, value: object) -> PartialDate:
        """``parse_data_date(value)``, remembered for text (the same text is the same date)."""
        if type(value) is not str:
            return parse_data_date(value)
        found = self.dates.get(value)
        if found is None:
            found = self.dates[value] = parse_data_date(value)
        return found

    # -- documents -------------------------------------------------------------------------

    def run(self, docs: list[tuple[str, Any]]) -> Timeline:
        title = ""
        description = None
        actors: dict[str, Actor] = {}
        tops: list[tuple[str, Map]] = []
        for name, raw in docs:
            self.name = name
            if raw is None:
                self.err("is empty: expected a mapping with 'actors' and 'events'")
                continue
            top = self.mapping(raw, "the document", (1, 1))
            if top is None:
                continue
            self.keys(top, TOP_KEYS, "the document")
            if "schema" in top and top["schema"] != SCHEMA_VERSION:
                self.err(
                    f"unsupported schema {_shown(top['schema'])}; this version reads schema {SCHEMA_VERSION}",
                    self.at(top, "schema"),
                )
            doc_title = self.text(top, "title", "the document", required=False)
            title = title or (doc_title or "")
            description = description or self.text(top, "description", "the document", required=False)
            self.actors(top, actors)
            tops.append((name, top))
        events: list[Event] = []
        eras: list[Era] = []
        seen: dict[str, str] = {}
        pending_related: list[tuple[str, Map]] = []
        for name, top in tops:
            self.name = name
            for event, raw_event in self.events(top, actors, seen):
                if event is not None:
                    events.append(event)
                pending_related.append((name, raw_event))
            eras.extend(self.eras(top))
            self.vocabularies(top)
        # every event's links are checked, also those of an event with other problems, so that
        # one run reports everything
        for name, raw_event in pending_related:
            self.name = name
            related = raw_event.get("related")
            raw_id = raw_event.get("id")
            what = f"event {raw_id!r}" if isinstance(raw_id, str) else "an event"
            if not isinstance(related, list):
                continue
            for index, other in enumerate(related):
                if isinstance(other, str) and other.strip() and other.strip() not in seen:
                    self.err(
                        f"{what}: related event {other.strip()!r} does not exist{_suggest(other, seen)}",
                        self.at(related, index),
                    )
        return Timeline(
            title=title or "Timeline",
            actors=actors,
            events=tuple(events),
            eras=tuple(eras),
            description=description,
            paths=tuple(name for name, _ in docs),
        )

    def actors(self, top: Map, actors: dict[str, Actor]) -> None:
        raw = top.get("actors")
        if raw is None:
            return
        table = self.mapping(raw, "'actors'", self.at(top, "actors"))
        if table is None:
            return
        for actor_id, entry in table.items():
            where = _key_at(table, actor_id)
            if not isinstance(actor_id, str) or not ID_RE.fullmatch(actor_id):
                self.err(f"actor id {actor_id!r} must be kebab-case (a-z, 0-9 and hyphens)", where)
                continue
            if actor_id in actors:
                self.err(f"actor {actor_id!r} is defined twice", where)
                continue
            what = f"actor {actor_id!r}"
            fields = self.mapping(entry, what, self.at(table, actor_id))
            if fields is None:
                continue
            self.keys(fields, ACTOR_KEYS, what)
            name = self.text(fields, "name", what, required=True)
            country = self.text(fields, "country", what, required=False)
            if country and not COUNTRY_RE.fullmatch(country):
                self.err(
                    f"{what}: country {country!r} must be an ISO 3166 alpha-3 code such as USA",
                    self.at(fields, "country"),
                )
            actors[actor_id] = Actor(
                id=actor_id,
                name=name or actor_id,
                aliases=self.text_list(fields, "aliases", what),
                role=self.text(fields, "role", what, required=False),
                country=country,
            )

    def vocabularies(self, top: Map) -> None:
        """`tags` (tag: description) and `publishers` (name: [aliases]): the curation policy's
        declared vocabularies, used by `validate --strict`; here only their shape is checked."""
        for key, values in (("tags", "a description"), ("publishers", "a list of other spellings")):
            raw = top.get(key)
            if raw is None:
                continue
            table = self.mapping(raw, f"'{key}'", self.at(top, key))
            if table is None:
                continue
            for name, value in table.items():
                where = _key_at(table, name)
                if not isinstance(name, str) or not name.strip():
                    self.err(f"'{key}': every key must be text, got {_type_name(name)}", where)
                elif key == "tags" and not ID_RE.fullmatch(name):
                    self.err(f"'tags': tag {name!r} must be kebab-case (a-z, 0-9 and hyphens)", where)
                elif key == "tags" and not (isinstance(value, str) and value.strip()):
                    self.err(f"'tags': {name!r} needs {values}", self.at(table, name))
                elif (
                    key == "publishers"
                    and value is not None
                    and (not isinstance(value, list) or not all(isinstance(v, str) and v for v in value))
                ):
                    self.err(f"'publishers': {name!r} needs {values} (or nothing)", self.at(table, name))

    def events(
        self, top: Map, actors: dict[str, Actor], seen: dict[str, str]
    ) -> list[tuple[Event | None, Map]]:
        raw = top.get("events")
        if raw is None:
            self.err("the document has no 'events' list", self.at(top))
            return []
        if not isinstance(raw, list):
            self.err(f"'events' must be a list, got {_type_name(raw)}", self.at(top, "events"))
            return []
        out: list[tuple[Event | None, Map]] = []
        quick = self.quick_event
        for index, entry in enumerate(raw):
            if type(entry) is dict:  # plain values (the fast path of timeline.loader)
                event = quick(entry, actors, seen)
                if event is not None:
                    out.append((event, entry))
                    continue
            at = self.at(raw, index)
            fields = self.mapping(entry, f"event #{index + 1}", at)
            if fields is None:
                continue
            out.append((self.event(fields, index, actors, seen), fields))
        return out

    def event(self, fields: Map, index: int, actors: dict[str, Actor], seen: dict[str, str]) -> Event | None:
        raw_id = fields.get("id")
        what = f"event {raw_id!r}" if isinstance(raw_id, str) else f"event #{index + 1}"
        self.keys(fields, EVENT_KEYS, what)
        before = len(self.problems)
        event_id = self.text(fields, "id", what, required=True)
        if event_id is not None:
            if not ID_RE.fullmatch(event_id):
                self.err(f"{what}: id must be kebab-case (a-z, 0-9 and hyphens)", self.at(fields, "id"))
            elif event_id in seen:
                self.err(
                    f"duplicate event id {event_id!r} (first in {seen[event_id]})", self.at(fields, "id")
                )
            else:
                line = self.at(fields, "id")
                seen[event_id] = f"{self.name}:{line[0]}" if line else self.name
        date = self.date(fields, "date", what, required=True)
        end = self.date(fields, "end", what, required=False)
        if date and end and end.last_day < date.first_day:
            self.err(f"{what}: end {end} is before its date {date}", self.at(fields, "end"))
        title = self.text(fields, "title", what, required=True)
        summary = self.text(fields, "summary", what, required=False) or ""
        event_actors = self.text_list(fields, "actors", what)
        for position, actor_id in enumerate(event_actors):
            if actor_id not in actors:
                self.err(
                    f"{what}: unknown actor {actor_id!r}{_suggest_actor(actor_id, actors)}",
                    self.at(fields.get("actors"), position),
                )
        tags = self.text_list(fields, "tags", what)
        code = fields.get("cameo")
        cameo_code: str | None = None
        if code is not None:
            if not isinstance(code, str) or not CAMEO_RE.fullmatch(code):
                self.err(
                    f'{what}: cameo must be a quoted code of 2 to 4 digits such as "043", got {_shown(code)}',
                    self.at(fields, "cameo"),
                )
            elif cameo.describe(code) is None:
                self.err(f"{what}: cameo {code!r} is not in the CAMEO codebook", self.at(fields, "cameo"))
            else:
                cameo_code = code
        quotes = self.quotes(fields, what, actors)
        sources = self.sources(fields, what)
        related = self.text_list(fields, "related", what)
        place = self.text(fields, "place", what, required=False)
        if len(self.problems) > before or event_id is None or date is None or title is None:
            return None
        return Event(
            id=event_id,
            date=date,
            end=end,
            title=title,
            summary=summary,
            actors=event_actors,
            tags=tags,
            place=place,
            cameo=cameo_code,
            quotes=quotes,
            sources=sources,
            related=related,
        )

    # -- the same checks, on a valid event only --------------------------------------------------
    #
    # Most events are valid. For a plain mapping, ``quick_event`` applies the rules of ``event``
    # and of the methods it calls without the bookkeeping that reporting needs (labels,
    # positions, one call per field), and builds the models directly. It reports nothing: on
    # anything it does not accept it answers None and ``event`` checks the mapping again in
    # full, which says what is wrong. So it must accept only what ``event`` accepts, and build
    # exactly what ``event`` builds (tests/test_validate.py compares the two on varied events).

    def quick_date(self, value: object) -> PartialDate | None:
        """The date of a field (None for an absent one is the caller's business); None if refused."""
        found = self.dates.get(value) if type(value) is str else None
        if found is None:
            try:
                found = self.parse_date(value)
            except ValueError:
                return None
        return found

    def quick_event(
        self, fields: dict[str, Any], actors: dict[str, Actor], seen: dict[str, str]
    ) -> Event | None:
        if not fields.keys() <= _EVENT_KEYS:
            return None
        get = fields.get
        event_id, title = get("id"), get("title")
        if type(event_id) is not str or type(title) is not str:
            return None
        event_id, title = event_id.strip(), title.strip()
        if not title or event_id in seen or not ID_RE.fullmatch(event_id):
            return None
        raw = get("date")
        date = None if raw is None else self.quick_date(raw)
        if date is None:
            return None
        raw = get("end")
        end = None
        if raw is not None:
            end = self.quick_date(raw)
            if end is None or end.last_day < date.first_day:
                return None
        summary, place = _quick_text(get("summary"), ""), _quick_text(get("place"), None)
        event_actors, tags = _quick_texts(get("actors")), _quick_texts(get("tags"))
        related = _quick_texts(get("related"))
        if summary is False or place is False or event_actors is None or tags is None or related is None:
            return None
        for actor_id in event_actors:
            if actor_id not in actors:
                return None
        code = get("cameo")
        if code is not None and (type(code) is not str or code not in self.codes):
            if type(code) is not str or not CAMEO_RE.fullmatch(code) or cameo.describe(code) is None:
                return None
            self.codes.add(code)
        quotes = self.quick_quotes(get("quotes"), actors)
        sources = self.quick_sources(get("sources"))
        if quotes is None or sources is None:
            return None
        seen[event_id] = self.name  # as ``event`` records it for a mapping without positions
        event = _new(Event)
        _set(
            event,
            "__dict__",
            {
                "id": event_id,
                "date": date,
                "title": title,
                "sources": sources,
                "end": end,
                "summary": summary,
                "actors": event_actors,
                "tags": tags,
                "place": place,
                "cameo": code,
                "quotes": quotes,
                "related": related,
            },
        )
        return event

    def quick_quotes(self, raw: object, actors: dict[str, Actor]) -> tuple[Quote, ...] | None:
        if raw is None:
            return ()
        if type(raw) is not list:
            return None
        out: list[Quote] = []
        for entry in raw:
            if type(entry) is not dict or not entry.keys() <= _QUOTE_KEYS:
                return None
            text, by = entry.get("text"), _quick_text(entry.get("by"), None)
            if type(text) is not str or by is False or (by is not None and by not in actors):
                return None
            text = text.strip()
            if not text:
                return None
            quote = _new(Quote)
            _set(quote, "__dict__", {"text": text, "by": by})
            out.append(quote)
        return tuple(out)

    def quick_sources(self, raw: object) -> tuple[Source, ...] | None:
        if type(raw) is not list or not raw:
            return None
        out: list[Source] = []
        dates = self.dates
        for entry in raw:
            if type(entry) is not dict or not entry.keys() <= _SOURCE_KEYS:
                return None  # an event's own keys in a source (``misplaced``) are not source keys
            get = entry.get
            title, publisher, url = get("title"), get("publisher"), get("url")
            if type(title) is not str or type(publisher) is not str or type(url) is not str:
                return None
            title, publisher, url = title.strip(), publisher.strip(), url.strip()
            if not title or not publisher or not url or not _is_web_address(url):
                return None
            raw_date = get("date")
            date = None
            if raw_date is not None:
                date = dates.get(raw_date) if type(raw_date) is str else None
                if date is None:
                    date = self.quick_date(raw_date)
                    if date is None:
                        return None
            kind = _quick_text(get("kind"), None)
            if kind is not None and kind not in SOURCE_KINDS:  # False (refused) is not a kind either
                return None
            source = _new(Source)
            _set(
                source,
                "__dict__",
                {"title": title, "publisher": publisher, "url": url, "date": date, "kind": kind},
            )
            out.append(source)
        return tuple(out)

    def misplaced(self, source: Map, event: Map) -> None:
        """A source holding an event's own keys is most likely an event pasted with the wrong
        indentation, which nests it inside the previous event's sources: say so, once."""
        own = [key for key in source if key in EVENT_KEYS and key not in SOURCE_KEYS]
        if "id" in own and len(own) >= 2:
            column = getattr(event, "mark", (0, 0))[1]
            self.err(
                "this looks like an event indented as a source; events start at column "
                f"{max(column - 2, 1)} (with '- id:'), like the one above",
                _key_at(source, "id"),
            )

    def quotes(self, fields: Map, what: str, actors: dict[str, Actor]) -> tuple[Quote, ...]:
        raw = fields.get("quotes")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.err(f"{what}: 'quotes' must be a list, got {_type_name(raw)}", self.at(fields, "quotes"))
            return ()
        out: list[Quote] = []
        for index, entry in enumerate(raw):
            label = f"{what}, quote #{index + 1}"
            quote = self.mapping(entry, label, self.at(raw, index))
            if quote is None:
                continue
            self.keys(quote, QUOTE_KEYS, label)
            text = self.text(quote, "text", label, required=True)
            by = self.text(quote, "by", label, required=False)
            if by is not None and by not in actors:
                self.err(f"{label}: unknown actor {by!r}{_suggest_actor(by, actors)}", self.at(quote, "by"))
            if text is not None:
                out.append(Quote(text=text, by=by))
        return tuple(out)

    def sources(self, fields: Map, what: str) -> tuple[Source, ...]:
        raw = fields.get("sources")
        if raw is None or (isinstance(raw, list) and not raw):
            self.err(f"{what} has no sources: every event needs at least one citation", self.at(fields))
            return ()
        if not isinstance(raw, list):
            self.err(f"{what}: 'sources' must be a list, got {_type_name(raw)}", self.at(fields, "sources"))
            return ()
        out: list[Source] = []
        for index, entry in enumerate(raw):
            label = f"{what}, source #{index + 1}"
            source = self.mapping(entry, label, self.at(raw, index))
            if source is None:
                continue
            self.keys(source, SOURCE_KEYS, label)
            self.misplaced(source, fields)
            title = self.text(source, "title", label, required=True)
            publisher = self.text(source, "publisher", label, required=True)
            url = self.text(source, "url", label, required=True)
            if url is not None and not _is_web_address(url):
                self.err(
                    f"{label}: url {url!r} must be an http:// or https:// address", self.at(source, "url")
                )
                url = None
            date = self.date(source, "date", label, required=False)
            kind = self.text(source, "kind", label, required=False)
            if kind is not None and kind not in SOURCE_KINDS:
                self.err(
                    f"{label}: kind must be 'primary' or 'secondary', got {kind!r}", self.at(source, "kind")
                )
            if title and publisher and url:
                out.append(Source(title=title, publisher=publisher, url=url, date=date, kind=kind))
        return tuple(out)

    def eras(self, top: Map) -> list[Era]:
        raw = top.get("eras")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.err(f"'eras' must be a list, got {_type_name(raw)}", self.at(top, "eras"))
            return []
        out: list[Era] = []
        for index, entry in enumerate(raw):
            label = f"era #{index + 1}"
            fields = self.mapping(entry, label, self.at(raw, index))
            if fields is None:
                continue
            self.keys(fields, ERA_KEYS, label)
            name = self.text(fields, "name", label, required=True)
            start = self.date(fields, "start", label, required=True)
            end = self.date(fields, "end", label, required=False)
            if start and end and end.last_day < start.first_day:
                self.err(f"{label}: end {end} is before its start {start}", self.at(fields, "end"))
            elif name and start:
                out.append(Era(name=name, start=start, end=end))
        return out


_EVENT_KEYS = frozenset(EVENT_KEYS)
_SOURCE_KEYS = frozenset(SOURCE_KEYS)
_QUOTE_KEYS = frozenset(QUOTE_KEYS)
# The quick path builds the frozen models as the cache's decoder does (timeline.cache), without
# their __init__: none of them has a __post_init__ (the cache's codec refuses a model that has).
_new = object.__new__
_set = object.__setattr__


def _quick_text(value: object, absent: str | None) -> str | bool | None:
    """What ``_Checker.text`` answers for an optional field: ``absent`` when it is absent or
    null, the stripped text; False when it would report a problem."""
    if value is None:
        return absent
    if type(value) is not str:
        return False
    value = value.strip()
    return value or False


def _quick_texts(value: object) -> tuple[str, ...] | None:
    """What ``_Checker.text_list`` answers, or None when it would report a problem."""
    if value is None:
        return ()
    if type(value) is not list:
        return None
    items: list[str] = []
    for item in value:
        if type(item) is not str:
            return None
        item = item.strip()
        if not item:
            return None
        items.append(item)
    return tuple(items)


# The plain form most addresses take, which the general check below accepts; matching it first
# only saves time (the cache re-checks every address on each warm start).
_PLAIN_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?")


def _is_web_address(url: str) -> bool:
    if _PLAIN_WEB_ADDRESS.fullmatch(url):
        return True
    # printable text without a space has no whitespace, Cc or Cf character: skip the slow scan
    fast = url.isprintable() and " " not in url
    if not fast and any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
