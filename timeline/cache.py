"""A cache of validated datasets, so that start-up does not re-parse and re-check unchanged YAML.

An entry is keyed by a BLAKE2b hash of the exact text that was parsed, each file's name, this
version of timeline and the shape of the models (the codec is derived from the dataclasses, so
a model change is a new format): a hit means the same text checked by the same code. What
comes out is checked again with validation's cheap rules (``check``), so an entry is data,
never trusted: a forged or corrupt entry is a miss, silently, and the file is read again.
``TIMELINE_CACHE=off`` disables the cache; ``TIMELINE_CACHE_DIR`` moves it (default:
$XDG_CACHE_HOME/timeline or ~/.cache/timeline).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import os
import re
import stat
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Set
from pathlib import Path
from typing import Any

from timeline import __version__
from timeline.models import Event, PartialDate, Timeline

try:  # the same BLAKE2b as hashlib's, without hashlib loading OpenSSL (2 ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Pythons without the built-in module
    from hashlib import blake2b

# From this many events the entry is an embedded index (timeline/index.py) instead of JSON, so
# that a filter decodes only what it prints; below, `timeline show` does not import sqlite3.
INDEX_MIN_EVENTS = 2000
FORMAT = 3  # bump when the layout below changes in a way the models' shape does not show

Key = list[Any]


class Corrupt(ValueError):
    """A cache entry that is not what this version writes, or that validation would refuse."""


def directory() -> Path | None:
    if os.environ.get("TIMELINE_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    explicit = os.environ.get("TIMELINE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def key(texts: list[tuple[str, str]]) -> Key:
    """What a cached copy must have been built from: (file name, text as parsed) for each file.

    The content is hashed, not the file's size and modification time: a file replaced by one of
    the same size and mtime (``cp -p``, ``rsync -t``, an archive, a coarse clock) is a miss.
    """
    return key_of(
        [(name, blake2b(text.encode("utf-8", "surrogatepass")).hexdigest()) for name, text in texts]
    )


def key_of(digests: list[tuple[str, str]]) -> Key:
    """The key from (file name, BLAKE2b hex digest of its text as UTF-8) for each file."""
    return [__version__, FORMAT, _codec()[2], [[name, digest] for name, digest in digests]]


def digest_file(data: Iterable[bytes]) -> str:
    """The digest ``key`` takes of a text, from the chunks of its UTF-8 bytes (after any BOM)."""
    hasher = blake2b()
    for chunk in data:
        hasher.update(chunk)
    return hasher.hexdigest()


def _file(key: Key) -> Path | None:
    return _file_of([name for name, _ in key[3]])


def present(names: list[str], *, index: bool = False) -> bool:
    """Whether an entry (or, with ``index``, an index) is stored for these files, whatever their
    content: when none is, a first run need not hash the files to look one up."""
    path = _file_of(names)
    if path is None:
        return False
    return os.path.exists(path.with_suffix(".sqlite")) or (not index and os.path.exists(path))


def _file_of(files: list[str]) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    names = [os.path.abspath(name) for name in files]
    # one entry per set of files; the name is only for people looking in the folder
    digest = blake2b(os.fsencode("\0".join(names)), digest_size=10).hexdigest()
    readable = re.sub(r"[^A-Za-z0-9.-]+", "_", os.path.basename(names[-1]) if names else "").strip("_.")
    return folder / f"{readable[:60]}-{digest}.json"


def read(key: Key) -> Timeline | None:
    """The cached timeline for this key, or None on a miss or on anything wrong with the entry."""
    try:
        path = _file(key)
        if path is None:
            return None
        if os.path.exists(path.with_suffix(".sqlite")):
            return _read_index(key)
        data = _read_regular(path)
        from timeline.gcpause import paused_gc

        with paused_gc():  # many objects, none of them garbage (see timeline.fastload)
            stored = json.loads(data)
            if type(stored) is not dict or stored.get("key") != key:
                return None
            timeline = decode(stored.get("timeline"))
            check(timeline, [name for name, _ in key[3]])
        return timeline
    # Corrupt in any way (unreadable, not JSON, nested past the parser's recursion limit, too big,
    # another layout, wrong types, values validation refuses): a miss, which rebuilds the entry.
    except (OSError, ValueError, TypeError, RecursionError, MemoryError, OverflowError):
        return None


def _read_index(key: Key) -> Timeline | None:
    import sqlite3

    index = open_index(key)
    if index is None:
        return None
    try:
        return index.timeline()  # type: ignore[no-any-return]
    except (ValueError, TypeError, KeyError, sqlite3.Error):  # Corrupt of either kind is a ValueError
        return None
    finally:
        index.close()


def open_index(key: Key) -> Any:
    """The open ``timeline.index.Index`` of a large dataset for this key, or None (a miss)."""
    path = _file(key)
    if path is None or not os.path.exists(path.with_suffix(".sqlite")):
        return None
    import sqlite3

    from timeline import index

    try:
        return index.Index(path.with_suffix(".sqlite"), key)
    except (OSError, ValueError, TypeError, KeyError, RecursionError, MemoryError, sqlite3.Error):
        return None


def _read_regular(path: Path) -> bytes:
    # O_NONBLOCK so that a FIFO planted in the cache folder cannot block the open
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Corrupt("not a regular file")
        return handle.read()


STALE_SECONDS = 3600  # a temporary older than this was left by a process that was killed


def sweep(folder: Path) -> None:
    """Remove the temporaries (``.tmp-*``) that writers killed midway left in the cache folder: any
    not touched for an hour (a live writer, even of a large index, finishes in seconds)."""
    import time

    limit = time.time() - STALE_SECONDS
    try:
        names = [entry for entry in os.scandir(folder) if entry.name.startswith(".tmp-")]
    except OSError:
        return
    for entry in names:
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
        except OSError:
            pass  # gone already, or not ours to remove


def write(key: Key, timeline: Timeline) -> None:
    try:
        path = _file(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep(path.parent)
        indexed = path.with_suffix(".sqlite")
        if len(timeline.events) >= INDEX_MIN_EVENTS:
            import sqlite3

            from timeline import index

            try:
                index.write(indexed, key, timeline)
            except sqlite3.Error:
                return
            if os.path.exists(path):
                os.unlink(path)  # one entry per set of files
            return
        if os.path.exists(indexed):
            os.unlink(indexed)
        # ASCII JSON: file names that are not valid UTF-8 (lone surrogates) survive the trip
        text = json.dumps({"key": key, "timeline": encode(timeline)}, ensure_ascii=True)
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(text)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except (OSError, ValueError):
        pass  # a cache that cannot be written only costs speed


# -- the codec, derived from the models --------------------------------------------------------
#
# A dataclass is a JSON list of its fields in declaration order, a tuple a list, a mapping an
# object, None null, and str, int and bool themselves. Encoder and decoder are built once from
# the type hints of the models reachable from Timeline, so a new field is carried without
# anyone touching this file, and a field of a type the codec cannot carry fails loudly here.


def encode(timeline: Timeline) -> Any:
    """The timeline as plain JSON values."""
    return _codec()[0](timeline)


def decode(data: Any) -> Timeline:
    """A timeline from plain JSON values; raises Corrupt on anything but the exact shape."""
    return _codec()[1](data)  # type: ignore[no-any-return]


@functools.cache
def _codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any], str]:
    """(encoder, decoder, a digest of the shape they carry) for Timeline."""
    shapes: list[str] = []
    encoder, decoder = _compile(Timeline, shapes, {})
    return encoder, decoder, blake2b("".join(shapes).encode(), digest_size=8).hexdigest()


@functools.cache
def event_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(encoder, decoder) of one Event, as the timeline's codec carries it (``timeline.index``)."""
    done: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}
    _compile(Timeline, [], done)
    return done[Event]


@functools.cache
def date_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(encoder, decoder) of one PartialDate, as the timeline's codec carries it (``timeline.index``)."""
    done: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}
    _compile(Timeline, [], done)
    return done[PartialDate]


_SCALARS = (str, int, bool)


def _compile(
    tp: Any, shapes: list[str], done: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]]
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    if tp in _SCALARS:
        shapes.append(tp.__name__)
        return _identity, _scalar(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp in done:
            shapes.append(tp.__name__)
            return done[tp]
        return _compile_dataclass(tp, shapes, done)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if _optional(tp):
        shapes.append("?")
        enc, dec = _compile(_optional(tp), shapes, done)
        return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        shapes.append("*")
        enc, dec = _compile(args[0], shapes, done)
        return (lambda v: [enc(x) for x in v]), _sequence(dec, args[0] if args[0] in _SCALARS else None)
    if origin in (dict, Mapping) and args[0] is str:
        shapes.append("{")
        enc, dec = _compile(args[1], shapes, done)
        return (lambda v: {k: enc(x) for k, x in v.items()}), _mapping(dec)
    raise TypeError(f"the cache codec cannot carry {tp!r}; teach timeline/cache.py that type")


def _optional(tp: Any) -> Any:
    """X for ``X | None``, else None."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return args[0] if args[1] is type(None) else args[1]
    return None


def _compile_dataclass(
    cls: type, shapes: list[str], done: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]]
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        raise TypeError(f"the cache codec needs every field of {cls.__name__} in __init__")
    names = [f.name for f in fields]

    # The decoder is generated, as dataclasses generates __init__: it runs for every instance on
    # every warm start, and checking scalar fields inline halves its cost.
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"the cache codec builds {cls.__name__} without __init__: no __post_init__")
    namespace: dict[str, Any] = {
        "cls": cls,
        "Corrupt": Corrupt,
        "NoneType": type(None),
        "new": object.__new__,
        "setattr": object.__setattr__,
    }
    done[cls] = (lambda value: namespace["encode"](value), lambda value: namespace["decode"](value))
    hints = typing.get_type_hints(cls)
    shapes.append(f"{cls.__name__}(")
    checks: list[str] = []
    arguments: list[str] = []
    encoded: list[str] = []  # the encoder is generated too: scalars are themselves
    for index, name in enumerate(names):
        shapes.append(f"{name}:")
        enc, dec = _compile(hints[name], shapes, done)
        hint, var = hints[name], f"a{index}"
        if hint in _SCALARS:
            checks.append(f"type({var}) is not {hint.__name__}")
            arguments.append(var)
            encoded.append(f"value.{name}")
        elif _optional(hint) in _SCALARS:
            checks.append(f"({var} is not None and type({var}) is not {_optional(hint).__name__})")
            arguments.append(var)
            encoded.append(f"value.{name}")
        else:
            namespace[f"d{index}"] = dec
            namespace[f"e{index}"] = enc
            arguments.append(f"d{index}({var})")
            encoded.append(f"e{index}(value.{name})")
    shapes.append(")")
    variables = "".join(f"a{i}, " for i in range(len(names)))
    source = [
        "def decode(value):",
        f"    if type(value) is not list or len(value) != {len(names)}:",
        f"        raise Corrupt('expected {cls.__name__}')",
        f"    {variables}= value",
    ]
    if checks:
        source += [f"    if {' or '.join(checks)}:", f"        raise Corrupt('a field of {cls.__name__}')"]
    # Built as the frozen dataclass's __init__ would (it sets each field; no class here has a
    # __post_init__), at a third of its cost: one dict for the instance's fields.
    fields_dict = (
        "{" + ", ".join(f"{name!r}: {arg}" for name, arg in zip(names, arguments, strict=True)) + "}"
    )
    if all(hints[name] in (int, bool) or _optional(hints[name]) in (int, bool) for name in names):
        # Only numbers and flags (a PartialDate): equal values, exact types already checked,
        # are one immutable instance, shared, as the same date recurs across events.
        namespace["memo"] = {}
        source += [
            f"    key = ({variables})",
            "    found = memo.get(key)",
            "    if found is None:",
            "        found = new(cls)",
            f"        setattr(found, '__dict__', {fields_dict})",
            "        if len(memo) < 100000:",
            "            memo[key] = found",
            "    return found",
        ]
    else:
        source += [
            "    built = new(cls)",
            f"    setattr(built, '__dict__', {fields_dict})",
            "    return built",
        ]
    source += ["def encode(value):", f"    return [{', '.join(encoded)}]"]
    exec("\n".join(source), namespace)
    return namespace["encode"], namespace["decode"]


def _identity(value: Any) -> Any:
    return value


def _scalar(tp: type) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if type(value) is not tp:  # exact: true is not an int here
            raise Corrupt(f"expected {tp.__name__}")
        return value

    return decode


def _sequence(dec: Callable[[Any], Any], scalar: type | None) -> Callable[[Any], Any]:
    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Corrupt("expected a list")
        if scalar is not None:
            if value and set(map(type, value)) != {scalar}:
                raise Corrupt(f"expected a list of {scalar.__name__}")
            return tuple(value)
        return tuple([dec(item) for item in value])

    return decode


def _mapping(dec: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise Corrupt("expected an object")
        return {k: dec(item) for k, item in value.items()}

    return decode


# -- the checks of validation, again ------------------------------------------------------------


_VALID_DATES: set[PartialDate] = set()  # dates that passed the check (a large selection's batches)


def check(timeline: Timeline, paths: list[str], *, ids: Set[str] | None = None) -> None:
    """Raise Corrupt unless the timeline is one validation could have built from ``paths``.

    ``ids``: the ids of all the dataset's events, when ``timeline`` holds only some of them (an
    index lookup, ``timeline.index``); its events' ids and links are then checked against those.

    The cheap rules of ``timeline.validate`` (ids, dates and spans, web addresses, codes, kinds,
    references, trimmed non-empty text), with the rules themselves imported from there and from
    ``timeline.dates``, so each keeps one home. Types were already enforced by the decoder. Items
    are gathered first and checked in bulk: this runs on every warm start.
    """
    from timeline import cameo
    from timeline.dates import parse_data_date
    from timeline.validate import CAMEO_RE, COUNTRY_RE, ID_RE, SOURCE_KINDS, _is_web_address

    actors = timeline.actors
    texts = [timeline.title]  # validation strips text and never keeps it empty
    optional = [timeline.description]  # the same, or None when absent
    dates: set[PartialDate] = set()
    spans: list[tuple[PartialDate, PartialDate]] = []
    refs: list[str] = []  # actor ids used by events and quotes
    related: list[str] = []
    urls: list[str] = []
    if list(timeline.paths) != paths:
        raise Corrupt("paths")
    for actor_id, actor in actors.items():
        if actor_id != actor.id or not ID_RE.fullmatch(actor_id):
            raise Corrupt("actor id")
        if actor.country is not None and not COUNTRY_RE.fullmatch(actor.country):
            raise Corrupt("country")
        texts.append(actor.name)
        texts.extend(actor.aliases)
        optional.append(actor.role)
    for event in timeline.events:
        if not ID_RE.fullmatch(event.id):
            raise Corrupt("event id")
        code = event.cameo
        if code is not None and not (CAMEO_RE.fullmatch(code) and cameo.describe(code)):
            raise Corrupt("cameo")
        if not event.sources:
            raise Corrupt("no sources")
        dates.add(event.date)
        if event.end is not None:
            spans.append((event.date, event.end))
        texts.append(event.title)
        texts.extend(event.tags)
        optional.append(event.summary or None)
        optional.append(event.place)
        refs.extend(event.actors)
        for quote in event.quotes:
            texts.append(quote.text)
            if quote.by is not None:
                refs.append(quote.by)
        for source in event.sources:
            texts.append(source.title)
            texts.append(source.publisher)
            urls.append(source.url)
            if source.date is not None:
                dates.add(source.date)
            if source.kind is not None and source.kind not in SOURCE_KINDS:
                raise Corrupt("kind")
        related.extend(event.related)
    own = {event.id for event in timeline.events}
    if len(own) != len(timeline.events) or not actors.keys() >= set(refs):
        raise Corrupt("ids")
    if ids is not None and not own <= ids:
        raise Corrupt("ids")
    if not (own if ids is None else ids).issuperset(related):
        raise Corrupt("ids")
    for era in timeline.eras:
        texts.append(era.name)
        dates.add(era.start)
        if era.end is not None:
            spans.append((era.start, era.end))
    dates.update(end for _, end in spans)
    texts.extend(t for t in optional if t is not None)
    # none empty, none with space at either end (in C: this runs over every text of a warm start)
    if not all(texts) or not all(map(operator.eq, texts, map(str.strip, texts))):
        raise Corrupt("text")
    for value in dates.difference(_VALID_DATES):  # the data-date parser: the one home of date rules
        try:
            same = parse_data_date(value.iso()) == value
        except (ValueError, OverflowError):
            same = False
        if not same:
            raise Corrupt("date")
        if len(_VALID_DATES) < 100000:
            _VALID_DATES.add(value)  # a date's validity is its value's: checked once per process
    if not all(start.first_day <= end.last_day for start, end in spans):
        raise Corrupt("span")
    if not all(url == url.strip() and _is_web_address(url) for url in urls):
        raise Corrupt("url")
