import dataclasses
import json
import os
import re
import sys
import typing
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DATA, MINI
from timeline import __version__, cache, fastload, loader, validate, yamlread
from timeline.errors import DataError
from timeline.loader import load
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline

EVERY_FIELD = DATA / "every-field.yaml"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "events.yaml"
    copy.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make any later YAML parse fail the test: what loads must be a cache hit."""

    def forbid() -> None:
        def fail(*args: object, **kwargs: object) -> None:
            raise AssertionError("parsed the YAML: the cache was missed")

        monkeypatch.setattr(yamlread, "parse_yaml", fail)
        monkeypatch.setattr(fastload, "parse_plain", fail)

    return forbid


def cached_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".tmp-")) if folder.exists() else []


def entry_of(tmp_path: Path) -> Path:
    (entry,) = cached_files(tmp_path)
    return entry


def test_a_hit_gives_the_same_timeline(data: Path, tmp_path: Path, no_parsing: Callable[[], None]) -> None:
    fresh = load([data], use_cache=False)
    first = load([data])
    assert len(cached_files(tmp_path)) == 1
    no_parsing()
    assert load([data]) == first == fresh


def test_the_shipped_dataset_is_served_from_the_cache(no_parsing: Callable[[], None]) -> None:
    fresh = load(use_cache=False)
    load()
    no_parsing()
    assert load() == fresh


def test_an_edit_is_reread_and_rechecked(data: Path) -> None:
    load([data])
    data.write_text(
        data.read_text(encoding="utf-8").replace("Fire and fury", "Fire and fury!"), encoding="utf-8"
    )
    assert load([data]).events[0].title == "Fire and fury!"
    data.write_text("events: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="'events' must be a list"):
        load([data])


def test_same_size_mtime_and_inode_is_still_a_miss(data: Path) -> None:
    """cp -p, rsync -t or an archive keep size and mtime; only the content tells."""
    assert load([data]).events[0].title == "Fire and fury"
    before = data.stat()
    text = data.read_text(encoding="utf-8")
    with open(data, "r+", encoding="utf-8") as handle:  # in place: same inode
        handle.write(text.replace("Fire and fury", "Fire and FURY"))
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = data.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert load([data]).events[0].title == "Fire and FURY"


def test_what_is_stored_stands_for_the_text_that_was_parsed(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is the hash of the very text parsed: a file that changes while it is read
    cannot leave its old content under its new key (or the reverse)."""
    on_disk = data.read_bytes()
    read_regular = loader._read_regular
    monkeypatch.setattr(loader, "_read_regular", lambda *_: on_disk.replace(b"Fire and fury", b"Changed"))
    assert load([data]).events[0].title == "Changed"
    monkeypatch.setattr(loader, "_read_regular", read_regular)
    assert load([data]).events[0].title == "Fire and fury"


def test_the_key_of_what_was_read_is_the_key_of_its_text(tmp_path: Path) -> None:
    """The loader hashes the bytes it decoded (after a byte-order mark), not the text encoded again."""
    path = tmp_path / "events.yaml"
    for content in ("title: plain\n", "\ufefftitle: Kim Jong Un, 김정은 — “quoted”\n", ""):
        path.write_text(content, encoding="utf-8")
        text, digest = loader._read_text(path, digest=True)
        assert text == content.removeprefix("\ufeff")
        assert cache.key_of([(str(path), digest or "")]) == cache.key([(str(path), text)])


def test_a_first_run_hashes_the_files_once(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing stored for the files, there is nothing to look up: the text read is hashed
    for the entry written, and the files are not hashed before (a 100,000-event file: 0.2 s each)."""
    hashed: list[int] = []
    digest_file = cache.digest_file
    monkeypatch.setattr(cache, "digest_file", lambda chunks: hashed.append(1) or digest_file(chunks))
    from timeline.query import Filter

    loader.load_selected([data], Filter(actors=("kim",)))
    assert len(hashed) == 1 and entry_of(data.parent)
    hashed.clear()
    load([data])  # an entry is stored: it is looked up by the files' content, which is hashed
    assert len(hashed) == 1


# -- the codec carries every field -----------------------------------------------------------


def models_reachable_from(root: type) -> list[type]:
    """Every dataclass reachable from ``root`` through its fields' type hints (walked here, apart
    from the codec, so that a model the codec forgets is still found)."""
    found: list[type] = []

    def walk(tp: Any) -> None:
        if dataclasses.is_dataclass(tp) and isinstance(tp, type) and tp not in found:
            found.append(tp)
            for hint in typing.get_type_hints(tp).values():
                walk(hint)
        for arg in typing.get_args(tp):
            walk(arg)

    walk(root)
    return found


def instances(value: Any) -> Iterator[Any]:
    """Every dataclass instance inside a value, itself included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield value
        for f in dataclasses.fields(value):
            yield from instances(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from instances(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from instances(item)


def is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return value in (None, "", (), {}, 0, False)  # a required field: at least not empty


def differences(a: Any, b: Any, where: str = "timeline") -> list[str]:
    """Field by field, not through __eq__ (a field may one day be compare=False)."""
    if type(a) is not type(b):
        return [f"{where}: {type(a).__name__} != {type(b).__name__}"]
    if dataclasses.is_dataclass(a):
        return [
            d
            for f in dataclasses.fields(a)
            for d in differences(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
        ]
    if isinstance(a, tuple):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{i}]")
        ]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{where}: keys {list(a)} != {list(b)}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}[{k!r}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def test_every_model_is_known_to_the_test() -> None:
    assert set(models_reachable_from(Timeline)) == {Timeline, Actor, Event, Source, Quote, Era, PartialDate}


def test_the_fixture_holds_a_non_default_value_in_every_field() -> None:
    """Fails when a model gains a field: give it a value in tests/data/every-field.yaml."""
    timeline = load([EVERY_FIELD], use_cache=False)
    found = list(instances(timeline))
    for model in models_reachable_from(Timeline):
        of_model = [item for item in found if type(item) is model]
        assert of_model, f"the fixture has no {model.__name__}"
        for item in of_model:
            for f in dataclasses.fields(model):
                assert not is_default(f, getattr(item, f.name)), (
                    f"{model.__name__}.{f.name} is at its default in {item!r}: set it in {EVERY_FIELD.name}"
                )


def test_every_field_survives_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_parsing: Callable[[], None]
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load([EVERY_FIELD], use_cache=False)
    assert load([EVERY_FIELD]) == fresh  # the first run writes the entry
    no_parsing()
    cached = load([EVERY_FIELD])
    assert differences(fresh, cached) == []
    assert cached == fresh


def test_the_codec_round_trip_keeps_every_field() -> None:
    fresh = load([EVERY_FIELD], use_cache=False)
    through_json = cache.decode(json.loads(json.dumps(cache.encode(fresh))))
    assert differences(fresh, through_json) == []


def drop(value: Any, model: type, name: str) -> Any:
    """The value as a codec that does not carry ``model.name`` would give it back."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: drop(getattr(value, f.name), model, name) for f in dataclasses.fields(value)}
        if type(value) is model:
            f = next(f for f in dataclasses.fields(model) if f.name == name)
            changes[name] = (
                f.default
                if f.default is not dataclasses.MISSING
                else f.default_factory()
                if f.default_factory is not dataclasses.MISSING
                else None
            )
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(drop(item, model, name) for item in value)
    if isinstance(value, dict):
        return {k: drop(item, model, name) for k, item in value.items()}
    return value


@pytest.mark.parametrize(
    ("model", "name"),
    [(m, f.name) for m in models_reachable_from(Timeline) for f in dataclasses.fields(m)],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_a_dropped_field_would_be_noticed(model: type, name: str) -> None:
    """The round-trip tests above can fail: losing any one field changes the fixture's timeline."""
    fresh = load([EVERY_FIELD], use_cache=False)
    assert differences(fresh, drop(fresh, model, name)) != []


def test_a_new_field_is_carried_without_touching_the_codec() -> None:
    @dataclasses.dataclass(frozen=True)
    class Inner:
        word: str
        when: PartialDate | None = None

    @dataclasses.dataclass(frozen=True)
    class Outer:
        items: tuple[Inner, ...]
        table: dict[str, Inner]
        count: int = 0
        flag: bool = False

    value = Outer((Inner("a", PartialDate(2018, 6, 12, True, True)), Inner("b")), {"k": Inner("c")}, 3, True)
    shapes: list[str] = []
    encode, decode = cache._compile(Outer, shapes, {})
    assert decode(json.loads(json.dumps(encode(value)))) == value


@pytest.mark.parametrize("hint", [float, set[str], list[str], dict[int, str], tuple[str, int], "Path"])
def test_a_field_the_codec_cannot_carry_fails_loudly(hint: Any) -> None:
    Model = dataclasses.make_dataclass("Model", [("odd", Path if hint == "Path" else hint)], frozen=True)
    with pytest.raises(TypeError, match="cannot carry"):
        cache._compile(Model, [], {})


def test_a_model_that_gains_a_field_makes_old_entries_misses() -> None:
    """The key carries the shape the codec was built from: entries of the old shape never match."""
    before = dataclasses.make_dataclass("Model", [("text", str)], frozen=True)
    after = dataclasses.make_dataclass("Model", [("text", str), ("extra", int, dataclasses.field(default=0))])
    shapes_before: list[str] = []
    shapes_after: list[str] = []
    cache._compile(before, shapes_before, {})
    cache._compile(after, shapes_after, {})
    assert shapes_before != shapes_after


def test_the_key_covers_version_format_models_name_and_content() -> None:
    assert cache.key([("a.yaml", "x")])[:3] == [__version__, cache.FORMAT, cache._codec()[2]]
    assert cache.key([("a.yaml", "x")]) != cache.key([("a.yaml", "y")])
    assert cache.key([("a.yaml", "x")]) != cache.key([("b.yaml", "x")])


# -- a corrupt entry is a silent miss, and is rebuilt -----------------------------------------


def _field(model: type, name: str) -> int:
    return [f.name for f in dataclasses.fields(model)].index(name)


def _set(entry: Path, change: Callable[[Any], None]) -> None:
    stored = json.loads(entry.read_text(encoding="ascii"))
    change(stored["timeline"])
    entry.write_text(json.dumps(stored), encoding="ascii")


def _first_event(body: Any) -> Any:
    return body[_field(Timeline, "events")][0]


CORRUPT: dict[str, Callable[[Path], None]] = {
    "empty list": lambda e: e.write_text("[]"),
    "a string": lambda e: e.write_text('"x"'),
    "null": lambda e: e.write_text("null"),
    "a number": lambda e: e.write_text("42"),
    "an empty object": lambda e: e.write_text("{}"),
    "empty file": lambda e: e.write_text(""),
    "not JSON": lambda e: e.write_text("{not json"),
    "not UTF-8": lambda e: e.write_bytes(b'{"key": "\xff\xfe"}'),
    "deeply nested arrays": lambda e: e.write_text("[" * 200_000 + "]" * 200_000),
    "deeply nested, unclosed": lambda e: e.write_text('{"key": ' + "[" * 200_000),
    "deep inside the timeline": lambda e: _set(
        e, lambda b: b.__setitem__(_field(Timeline, "eras"), [[[[[[[[[[[]]]]]]]]]]])
    ),
    "truncated": lambda e: e.write_bytes(e.read_bytes()[: len(e.read_bytes()) // 2]),
    "key of another version": lambda e: e.write_text(e.read_text().replace(f'"{__version__}"', '"0.0.0"', 1)),
    "body of the first format": lambda e: e.write_text(
        json.dumps(
            {
                "key": json.loads(e.read_text())["key"],
                "timeline": {
                    "title": "x",
                    "actors": [],
                    "events": [],
                    "eras": [],
                    "description": None,
                    "paths": [],
                },
            }
        )
    ),
    "timeline missing": lambda e: e.write_text(json.dumps({"key": json.loads(e.read_text())["key"]})),
    "a title that is a number": lambda e: _set(e, lambda b: b.__setitem__(_field(Timeline, "title"), 5)),
    "a year that is text": lambda e: _set(
        e, lambda b: _first_event(b)[_field(Event, "date")].__setitem__(0, "2017")
    ),
    "a year that is true": lambda e: _set(
        e, lambda b: _first_event(b)[_field(Event, "date")].__setitem__(0, True)
    ),
    "a flag that is 1": lambda e: _set(e, lambda b: _first_event(b)[_field(Event, "date")].__setitem__(3, 1)),
    "a date with a field too many": lambda e: _set(
        e, lambda b: _first_event(b)[_field(Event, "date")].append(None)
    ),
    "an event that is an object": lambda e: _set(
        e, lambda b: b[_field(Timeline, "events")].__setitem__(0, {})
    ),
    "actors that are a list": lambda e: _set(e, lambda b: b.__setitem__(_field(Timeline, "actors"), [])),
    "tags that are text": lambda e: _set(
        e, lambda b: _first_event(b).__setitem__(_field(Event, "tags"), "rhetoric")
    ),
    "a huge year": lambda e: _set(e, lambda b: _first_event(b)[_field(Event, "date")].__setitem__(0, 10**40)),
}


@pytest.mark.parametrize("corrupt", CORRUPT.values(), ids=CORRUPT.keys())
def test_a_corrupt_entry_is_ignored_silently_and_rebuilt(
    corrupt: Callable[[Path], None],
    data: Path,
    tmp_path: Path,
    invoke: Callable[..., Any],
    no_parsing: Callable[[], None],
) -> None:
    expected = invoke("--data", str(data), "show", "--color", "never", env={"TIMELINE_CACHE": "off"})
    assert expected.exit_code == 0
    load([data])
    corrupt(entry_of(tmp_path))
    result = invoke("--data", str(data), "show", "--color", "never")
    assert result.exit_code == 0
    assert result.stderr == ""
    link_ids = re.compile(r"id=\d+;")  # OSC 8 link ids differ from run to run
    assert link_ids.sub("", result.stdout) == link_ids.sub("", expected.stdout)
    no_parsing()  # the entry was rewritten: the next run is a hit again
    assert load([data]).title == "Fixture timeline"


def test_the_entry_of_another_version_is_replaced(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load([data])
    monkeypatch.setattr(cache, "__version__", "0.0.0")
    load([data])
    assert json.loads(entry_of(tmp_path).read_text())["key"][0] == "0.0.0"


@pytest.mark.parametrize("kind", ["directory", "fifo", "symlink to /dev/zero"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss(kind: str, data: Path, tmp_path: Path) -> None:
    load([data])
    entry = entry_of(tmp_path)
    entry.unlink()
    if kind == "directory":
        entry.mkdir()
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(entry)  # opening it for reading must not wait for a writer
    else:
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        entry.symlink_to("/dev/zero")  # reading it must not go on forever
    assert load([data]) == load([data], use_cache=False)


def test_a_forged_key_does_not_match(data: Path, tmp_path: Path) -> None:
    load([data])
    entry = entry_of(tmp_path)
    entry.write_text(
        entry.read_text(encoding="utf-8").replace('"key": ["', '"key": ["0', 1), encoding="utf-8"
    )
    assert load([data]).title == "Fixture timeline"


# -- a forged entry with a matching key is data, never trusted --------------------------------


def _replace_in(timeline: Timeline, model: type, index: int, **changes: Any) -> Timeline:
    """The timeline with the index-th instance of ``model`` changed."""
    count = [0]

    def walk(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            new = {f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value)}
            if type(value) is model:
                count[0] += 1
                if count[0] == index + 1:
                    new.update(changes)
            return dataclasses.replace(value, **new)
        if isinstance(value, tuple):
            return tuple(walk(item) for item in value)
        if isinstance(value, dict):
            return {k: walk(item) for k, item in value.items()}
        return value

    return walk(timeline)  # type: ignore[no-any-return]


FORGED: dict[str, Callable[[Timeline], Timeline]] = {
    "javascript: link": lambda t: _replace_in(t, Source, 0, url="javascript:alert(document.cookie)"),
    "data: link": lambda t: _replace_in(t, Source, 0, url="data:text/html,<script>alert(1)</script>"),
    "link without a host": lambda t: _replace_in(t, Source, 0, url="https://"),
    "link with a space": lambda t: _replace_in(t, Source, 0, url="https://news.test/a b"),
    "link with a control character": lambda t: _replace_in(
        t, Source, 0, url="https://news.test/\x1b]52;c;eA==\x07"
    ),
    "link with padding": lambda t: _replace_in(t, Source, 0, url=" https://news.test/x"),
    "event id not kebab-case": lambda t: _replace_in(t, Event, 0, id="Not An Id"),
    "duplicate event id": lambda t: _replace_in(t, Event, 1, id="threat"),
    "month 13": lambda t: _replace_in(t, Event, 0, date=PartialDate(2017, 13, 8)),
    "29 February 2019": lambda t: _replace_in(t, Event, 0, date=PartialDate(2019, 2, 29)),
    "year 0": lambda t: _replace_in(t, Event, 0, date=PartialDate(0)),
    "year 10000": lambda t: _replace_in(t, Event, 0, date=PartialDate(10000)),
    "a day without a month": lambda t: _replace_in(t, Event, 0, date=PartialDate(2017, None, 8)),
    "end before the date": lambda t: _replace_in(t, Event, 0, end=PartialDate(2016)),
    "bad source date": lambda t: _replace_in(t, Source, 0, date=PartialDate(2017, 2, 30)),
    "era ending before it starts": lambda t: dataclasses.replace(
        t, eras=(Era("Backwards", PartialDate(2020), PartialDate(2019)),)
    ),
    "empty title": lambda t: _replace_in(t, Event, 0, title=""),
    "untrimmed title": lambda t: _replace_in(t, Event, 0, title=" Fire and fury "),
    "untrimmed summary": lambda t: _replace_in(t, Event, 0, summary="A threat is made.\n"),
    "empty tag": lambda t: _replace_in(t, Event, 0, tags=("",)),
    "unknown actor": lambda t: _replace_in(t, Event, 0, actors=("nobody",)),
    "quote by an unknown actor": lambda t: _replace_in(t, Quote, 0, by="nobody"),
    "related event that does not exist": lambda t: _replace_in(t, Event, 0, related=("nowhere",)),
    "no sources": lambda t: _replace_in(t, Event, 0, sources=()),
    "source kind": lambda t: _replace_in(t, Source, 0, kind="tertiary"),
    "cameo not in the codebook": lambda t: _replace_in(t, Event, 0, cameo="999"),
    "cameo not a code": lambda t: _replace_in(t, Event, 0, cameo="<b>"),
    "country code": lambda t: _replace_in(t, Actor, 0, country="usa"),
    "actor filed under another id": lambda t: dataclasses.replace(
        t, actors={**t.actors, "trump": dataclasses.replace(t.actors["putin"])}
    ),
    "actor id not kebab-case": lambda t: dataclasses.replace(
        t, actors={**t.actors, "Bad Id": Actor("Bad Id", "Someone")}
    ),
    "empty alias": lambda t: _replace_in(t, Actor, 0, aliases=("",)),
    "other paths": lambda t: dataclasses.replace(t, paths=("/etc/passwd",)),
    "empty document title": lambda t: dataclasses.replace(t, title=""),
}


@pytest.mark.parametrize("forge", FORGED.values(), ids=FORGED.keys())
def test_a_forged_entry_with_a_matching_key_is_refused(
    forge: Callable[[Timeline], Timeline], data: Path, tmp_path: Path
) -> None:
    fresh = load([data], use_cache=False)
    forged = forge(fresh)
    assert forged != fresh
    key = cache.key([(str(data), data.read_text(encoding="utf-8"))])
    cache.write(key, forged)
    assert json.loads(entry_of(tmp_path).read_text())["key"] == key  # the key matches
    assert load([data]) == fresh


DATES = ["2017-08-08", "2017-08-08~?", "2017-00-08", "2017-08-00", "2017-13-08", "2019-02-29", "2020-02-29"]
DATES += ["0000", "0001", "0999", "1000", "9999", "9999-12-31", "2017-00"]


@pytest.mark.parametrize("text", DATES)
def test_a_date_from_the_cache_passes_exactly_the_checks_of_validation(
    text: str, data: Path, write: Callable[[str, str], Path]
) -> None:
    """Whatever validation decides about a date (today, or once its rules change), the cache
    decides the same about that date in a forged entry."""
    yaml = data.read_text(encoding="utf-8").replace("date: 2017-08-08", f'date: "{text}"', 1)
    try:
        load([write(yaml, "probe.yaml")], use_cache=False)
        validation_accepts = True
    except DataError:
        validation_accepts = False
    year, month, day = ([int(part) for part in text.rstrip("~?").split("-")] + [None, None])[:3]
    forged_date = PartialDate(year, month, day, "~" in text, "?" in text)  # type: ignore[arg-type]
    fresh = load([data], use_cache=False)
    forged = _replace_in(fresh, Event, 0, date=forged_date)
    cache.write(cache.key([(str(data), data.read_text(encoding="utf-8"))]), forged)
    cache_accepts = load([data]) == forged
    assert cache_accepts == validation_accepts


@pytest.mark.parametrize(
    "args",
    [
        ("export", "html"),
        ("show", "--color", "never"),
        ("show", "--color", "always"),
        ("export", "timelinejs"),
        ("export", "markdown"),
    ],
)
def test_a_forged_javascript_link_reaches_no_output(
    args: tuple[str, ...], data: Path, tmp_path: Path, invoke: Callable[..., Any]
) -> None:
    fresh = load([data], use_cache=False)
    key = cache.key([(str(data), data.read_text(encoding="utf-8"))])
    cache.write(key, _replace_in(fresh, Source, 0, url="javascript:alert(document.cookie)//"))
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    result = invoke("--data", str(data), *args)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "javascript" not in result.stdout
    link_ids = re.compile(r"id=\d+;")  # OSC 8 link ids differ from run to run
    assert link_ids.sub("", result.stdout) == link_ids.sub("", expected.stdout)


def test_the_cache_refuses_nothing_validation_accepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_parsing: Callable[[], None]
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    shipped = loader.packaged_dataset()
    for path in (MINI, EVERY_FIELD, shipped):
        fresh = load([path], use_cache=False)
        cache.check(fresh, [str(path)])  # does not raise
    both = load([MINI, EVERY_FIELD], use_cache=False)
    load([MINI, EVERY_FIELD])
    no_parsing()
    assert load([MINI, EVERY_FIELD]) == both


# -- file names that are not UTF-8 ------------------------------------------------------------


@pytest.fixture
def undecodable(tmp_path: Path) -> Path:
    if sys.platform in ("darwin", "win32"):
        pytest.skip("this file system only takes valid Unicode names")
    path = tmp_path / os.fsdecode(b"ev\xffents.yaml")
    try:
        path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


@pytest.mark.parametrize("setting", ["on", "off"])
def test_a_file_name_that_is_not_utf8_works(
    setting: str,
    undecodable: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    invoke: Callable[..., Any],
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TIMELINE_CACHE", setting)
    for _ in range(2):  # the first run writes the entry, the second reads it
        result = invoke("--data", str(undecodable), "show", "--compact", "--color", "never")
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout.startswith("Fixture timeline — 5 events")
    assert len(cached_files(tmp_path)) == (1 if setting == "on" else 0)


def test_a_file_name_that_is_not_utf8_is_a_cache_hit(
    undecodable: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_parsing: Callable[[], None]
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    fresh = load([undecodable], use_cache=False)
    assert fresh.paths == (str(undecodable),)
    load([undecodable])
    no_parsing()
    assert load([undecodable]) == fresh


# -- switches and location --------------------------------------------------------------------


def test_cache_off_writes_nothing(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_CACHE", "off")
    load([data])
    assert cached_files(tmp_path) == []


def test_an_unwritable_cache_only_costs_speed(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(blocker / "cache"))
    assert load([data]).title == "Fixture timeline"


def test_one_entry_per_set_of_files(data: Path, tmp_path: Path) -> None:
    load([data])
    data.write_text(data.read_text(encoding="utf-8").replace("Fire and fury", "Edited"), encoding="utf-8")
    load([data])
    other = tmp_path / "other.yaml"
    other.write_text(EVERY_FIELD.read_text(encoding="utf-8"), encoding="utf-8")
    load([other])
    load([data, other])
    assert len(cached_files(tmp_path)) == 3


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.directory() == Path("/x/cache/timeline")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.directory() == Path(os.path.expanduser("~")) / ".cache" / "timeline"


# -- the fast path the re-check relies on -----------------------------------------------------


@given(st.from_regex(validate._PLAIN_WEB_ADDRESS, fullmatch=True))
def test_the_fast_path_for_web_addresses_accepts_only_what_urlsplit_accepts(url: str) -> None:
    """`_is_web_address` answers plain addresses with a regex; `urlsplit` must agree."""
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert not any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url)
    assert validate._is_web_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://",
        "https:///x",
        "ftp://a.test/",
        "https://a.test/a b",
        "HTTPS://A.TEST/",
    ],
)
def test_addresses_off_the_fast_path_get_the_full_check(url: str) -> None:
    expected = urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname) and " " not in url
    assert validate._is_web_address(url) is expected


def test_temporaries_left_by_killed_writers_are_swept(data: Path, tmp_path: Path) -> None:
    """A writer killed midway (SIGKILL, power loss) leaves its `.tmp-*` file; the next write of
    the cache removes those not touched for an hour, and leaves a live writer's alone."""
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = [folder / ".tmp-abc123.sqlite", folder / ".tmp-def456.json"]
    for path in stale:
        path.write_bytes(b"half written")
        hours_ago = path.stat().st_mtime - 2 * cache.STALE_SECONDS
        os.utime(path, (hours_ago, hours_ago))
    live = folder / ".tmp-live789.sqlite"
    live.write_bytes(b"being written now")
    kept = folder / "notes.txt"  # not a temporary of ours
    kept.write_bytes(b"")
    os.utime(kept, (0, 0))
    load([data])  # a miss: writes the entry
    assert not any(path.exists() for path in stale)
    assert live.exists() and kept.exists()
    assert len(cached_files(tmp_path)) == 2  # the entry, and notes.txt
