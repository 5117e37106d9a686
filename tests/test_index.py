"""The embedded index of a large dataset's cache: the same answers as loading everything, fewer decoded."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline import cache, fastload, loader, yamlread
from timeline.dates import date_range
from timeline.errors import UsageError
from timeline.loader import load, load_selected
from timeline.models import Event
from timeline.query import Filter, select

SHIPPED = loader.packaged_dataset()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped dataset in a temporary folder, with its cache an index whatever its size."""
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "INDEX_MIN_EVENTS", 0)
    copy = tmp_path / "events.yaml"
    copy.write_bytes(SHIPPED.read_bytes())
    return copy


def entry(tmp_path: Path) -> Path:
    (found,) = (tmp_path / "cache").glob("*.sqlite")
    return found


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed the YAML: the index was missed")

    monkeypatch.setattr(yamlread, "parse_yaml", fail)
    monkeypatch.setattr(fastload, "parse_plain", fail)


def criteria(**choices: Any) -> Filter:
    since, until = choices.pop("since", None), choices.pop("until", None)
    low, high = date_range(since, until) if (since or until) else (None, None)
    return Filter(since=low, until=high, **choices)


CRITERIA = {
    "everything": criteria(),
    "one actor": criteria(actors=("Kim",)),
    "two actors, any": criteria(actors=("Kim", "Putin")),
    "two actors, all": criteria(actors=("Kim", "Putin"), match_all=True),
    "tag": criteria(tags=("SUMMIT",)),
    "two tags, all": criteria(tags=("summit", "diplomacy"), match_all=True),
    "actor and tag": criteria(actors=("Trump",), tags=("summit", "letter")),
    "since and until": criteria(since="2019", until="June 2019"),
    "spans overlap a bound": criteria(since="2019-02-28", until="2019-02-28"),
    "limit": criteria(actors=("Kim",), limit=3),
    "reverse and limit": criteria(actors=("Kim",), limit=4, reverse=True),
    "reverse": criteria(tags=("summit",), reverse=True),
    "search": criteria(search=("DMZ",)),
    "search, actor, reverse, limit": criteria(search=("missile",), actors=("Kim",), reverse=True, limit=5),
    "nothing matches": criteria(actors=("Kim",), since="1990", until="1991"),
    "limit 0": criteria(limit=0),
}


@pytest.mark.parametrize("chosen", CRITERIA.values(), ids=CRITERIA.keys())
def test_the_index_answers_what_select_answers(
    chosen: Filter, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = load([data], use_cache=False)
    expected = select(full, chosen)
    load([data])  # writes the index
    assert entry(tmp_path).exists()
    no_parsing(monkeypatch)
    timeline, events = load_selected([data], chosen)
    assert events == expected
    assert timeline.events == tuple(expected)  # only what was selected was decoded
    assert dataclasses.replace(timeline, events=()) == dataclasses.replace(full, events=())


def test_a_hit_on_the_index_gives_the_whole_timeline_in_file_order(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = load([data], use_cache=False)
    load([data])
    no_parsing(monkeypatch)
    assert load([data]) == full
    assert not list((tmp_path / "cache").glob("*.json"))  # one entry per set of files


@pytest.mark.parametrize(
    "chosen", [criteria(actors=("Nobody",)), criteria(actors=("Kim J",)), criteria(tags=("sumit",))]
)
def test_unknown_or_ambiguous_names_fail_as_without_the_index(chosen: Filter, data: Path) -> None:
    with pytest.raises(UsageError) as without:
        select(load([data], use_cache=False), chosen)
    load([data])
    with pytest.raises(UsageError) as through:
        load_selected([data], chosen)
    assert str(through.value) == str(without.value)


FORGERIES: dict[str, str] = {
    "a javascript link in a record": "UPDATE events SET record = replace(record, 'https://', 'javascript://') "
    "WHERE seq = (SELECT min(seq) FROM event_actor WHERE actor = 'kim-jong-un')",
    "an event listed under an actor it does not name": "INSERT INTO event_actor "
    "SELECT 'kim-jong-un', seq FROM events WHERE seq NOT IN (SELECT seq FROM event_actor WHERE actor = 'kim-jong-un')",
    "a record under another id": "UPDATE events SET id = 'other' WHERE seq = (SELECT min(seq) FROM event_actor "
    "WHERE actor = 'kim-jong-un')",
    "dates out of order": "UPDATE events SET first = first + 1000, last = last + 1000 WHERE seq = 0",
    "another key": "UPDATE meta SET value = '[]' WHERE name = 'key'",
    "no events table": "DROP TABLE events",
}


@pytest.mark.parametrize("statement", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_index_is_a_miss_and_is_rebuilt(statement: str, data: Path, tmp_path: Path) -> None:
    chosen = criteria(actors=("Kim",))
    full = load([data], use_cache=False)
    load([data])
    connection = sqlite3.connect(entry(tmp_path))
    connection.execute(statement)
    connection.commit()
    connection.close()
    _, events = load_selected([data], chosen)
    assert events == select(full, chosen)
    assert all("javascript" not in source.url for event in events for source in event.sources)
    assert load([data]) == full  # and the entry was rebuilt


def test_a_corrupt_file_is_a_miss(data: Path, tmp_path: Path) -> None:
    full = load([data], use_cache=False)
    load([data])
    entry(tmp_path).write_bytes(b"not a database" * 100)
    assert load_selected([data], criteria())[1] == select(full, criteria())


def test_an_edit_rebuilds_the_index(data: Path) -> None:
    load([data])
    data.write_text(data.read_text(encoding="utf-8").replace("Singapore", "Sentosa"), encoding="utf-8")
    _, events = load_selected([data], criteria(search=("Sentosa",)))
    assert events == select(load([data], use_cache=False), criteria(search=("Sentosa",)))


@pytest.mark.parametrize(
    "args",
    [
        ("filter", "--actor", "Kim", "--format", "json"),
        ("filter", "--tag", "summit", "--since", "2018", "--reverse"),
        ("show", "--format", "csv", "-n", "7"),
        ("export", "markdown", "--search", "missile"),
        ("show",),
        ("show", "--compact", "--reverse", "-n", "9"),
        ("filter", "--since", "2019", "--format", "markdown"),
        ("filter", "--since", "2019", "--format", "html"),  # "See also" outside the selection
        *[
            ("cite", "hanoi-summit", "singapore-summit", "hanoi-summit", "--style", s)
            for s in ("markdown", "csl-json")
        ],
        *[("export", name, "--actor", "Kim") for name in ("json", "csv", "timelinejs", "html", "csl-json")],
        *[("export", name, "--since", "2018") for name in ("ics", "mermaid", "markdown", "json", "svg")],
        ("export", "markdown", "--mermaid", "--group", "era"),
        ("filter", "--actor", "Kim", "--since", "1990", "--until", "1991"),
    ],
)
def test_the_commands_print_the_same_bytes_through_the_index(
    args: tuple[str, ...], data: Path, tmp_path: Path, invoke: Callable[..., Any]
) -> None:
    stamp = {"SOURCE_DATE_EPOCH": "1700000000"}  # iCalendar's DTSTAMP: the same in both runs
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off", **stamp})
    invoke("--data", str(data), "show", "-n", "1")  # writes the index
    assert entry(tmp_path).exists()
    result = invoke("--data", str(data), *args, env=stamp)
    assert result.exit_code == expected.exit_code == 0
    assert result.stdout == expected.stdout
    assert result.stderr == expected.stderr


@pytest.mark.parametrize("where", ["seq = (SELECT max(seq) FROM events)", "seq = 7", "seq = 0"])
def test_a_damaged_row_met_after_others_were_read_completes_from_the_files(
    where: str, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline import index

    monkeypatch.setattr(index.Selected, "BATCH", 5)
    full = load([data], use_cache=False)
    load([data])
    connection = sqlite3.connect(entry(tmp_path))
    connection.execute(
        f"UPDATE events SET record = replace(record, 'https://', 'javascript://') WHERE {where}"
    )
    connection.commit()
    connection.close()
    for chosen in (criteria(), criteria(reverse=True, limit=50)):
        _, events = load_selected([data], chosen)
        read = []
        for event in events:  # as an export reads them: one at a time
            read.append(event)
        assert read == select(full, chosen)
        assert all("javascript" not in source.url for event in read for source in event.sources)


def test_a_selection_is_decoded_as_it_is_read(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import index

    monkeypatch.setattr(index.Selected, "BATCH", 5)
    decoded: list[int] = []
    original = index.Index._events

    def spy(self: index.Index, rows: Any, order: int = 1) -> list[Event]:
        events = original(self, rows, order)
        decoded.append(len(events))
        return events

    monkeypatch.setattr(index.Index, "_events", spy)
    load([data])
    _, events = load_selected([data], criteria())
    assert isinstance(events, index.Selected)
    everything = load([data], use_cache=False).events
    assert len(events) == len(everything)  # counted without decoding
    assert decoded == []
    reading = iter(events)
    first = next(reading)
    assert decoded == [5]  # one batch decoded for the first event
    assert first == select(load([data], use_cache=False), criteria())[0]
    assert [first, *reading] == select(load([data], use_cache=False), criteria())
    assert sum(decoded) == len(everything)  # each batch once, none kept for a second reading
