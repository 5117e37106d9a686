"""Searches, id lookups and exclusions answered by a large dataset's index: the whole load's answer
and messages, decoding only the candidates; the word-search table built once, on the first search."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import cache, fastload, index, yamlread
from timeline.loader import load, load_selected
from timeline.models import Timeline
from timeline.query import Filter, select
from timeline.search import compile_query, normalise

# Text the generated events gain, a different line every few events: accents, Hangul, Cyrillic,
# full-width forms, curly quotes, a phrase, hyphenated names, a folded ß.
EXTRAS = [
    "Café Olé in São Paulo",
    "김정은 위원장 at Panmunjom",
    "Hwasong-15 launch",
    "fire and fury, said Trump",
    "Pyeongchang’s “Olympics”",
    "ＤＭＺ ２０１９ meeting",
    "Путин and Kim Jong-un",
    "Straße des Friedens",
    "KIM Yo-jong’s statement",
]


def _generated(count: int) -> str:
    spec = importlib.util.spec_from_file_location(
        "scale", Path(__file__).parent.parent / "bench" / "scale.py"
    )
    assert spec and spec.loader
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    lines = scale.generate(count).splitlines()
    titles = 0
    for number, line in enumerate(lines):
        if line.startswith("  title: '"):
            if titles % 5 == 0:
                lines[number] = line[:-1] + " " + EXTRAS[titles // 5 % len(EXTRAS)] + "'"
            titles += 1
    return "\n".join(lines) + "\n"


class Dataset:
    def __init__(self, path: Path, cache_dir: Path, full: Timeline) -> None:
        self.path, self.cache_dir, self.full = path, cache_dir, full

    def entry(self, cache_dir: Path | None = None) -> Path:
        (found,) = (cache_dir or self.cache_dir).glob("*.sqlite")
        return found


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dataset]:
    """2,000 generated events (an index, as any dataset this large), with a warm index that has
    its search table (built by one search)."""
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "events.yaml"
    path.write_text(_generated(cache.INDEX_MIN_EVENTS), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TIMELINE_CACHE_DIR", str(folder / "cache"))
        full = load([path], use_cache=False)
        load([path])
        load_selected([path], Filter(search=("summit",)))
        yield Dataset(path, folder / "cache", full)


@pytest.fixture
def warm(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(dataset.cache_dir))
    return dataset


@pytest.fixture
def copied(dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """The warm index copied into this test's own cache folder, to be damaged."""
    folder = tmp_path / "own-cache"
    folder.mkdir()
    shutil.copy(dataset.entry(), folder / dataset.entry().name)
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    return Dataset(dataset.path, folder, dataset.full)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed the YAML: the index was missed")

    monkeypatch.setattr(yamlread, "parse_yaml", fail)
    monkeypatch.setattr(fastload, "parse_plain", fail)


def count_decoded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the events decoded from index rows."""
    decoded = [0]
    real = index.Index._events

    def spy(self: index.Index, rows: Any, order: int = 1) -> Any:
        events = real(self, rows, order)
        decoded[0] += len(events)
        return events

    monkeypatch.setattr(index.Index, "_events", spy)
    return decoded


CRITERIA = {
    "a word": Filter(search=("summit",)),
    "a prefix": Filter(search=("denucl",)),
    "no match": Filter(search=("kimchi",)),
    "accents folded": Filter(search=("cafe ole",)),
    "accents typed": Filter(search=("CAFÉ São",)),
    "Hangul word": Filter(search=("김정은",)),
    "Hangul prefix": Filter(search=("김정",)),
    "Hangul and Latin": Filter(search=("위원장 panmunjom",)),
    "hyphenated name": Filter(search=("hwasong 15",)),
    "hyphen typed": Filter(search=("Hwasong-15",)),
    "a phrase": Filter(search=('"fire and fury"',)),
    "a phrase's prefix": Filter(search=('"fire and fu"',)),
    "a phrase in curly quotes": Filter(search=("“and fury said”",)),
    "the words of a phrase out of order": Filter(search=("fury fire",)),
    "a phrase that does not occur": Filter(search=('"fury and fire"',)),
    "a phrase and a word": Filter(search=('"fire and fury" trump',)),
    "curly apostrophe": Filter(search=("pyeongchang s olympics",)),
    "full-width": Filter(search=("dmz 2019",)),
    "Cyrillic": Filter(search=("путин kim",)),
    "ß folded": Filter(search=("strasse",)),
    "ß typed": Filter(search=("Straße",)),
    "an id": Filter(search=("event-0000042",)),
    "a publisher": Filter(search=("kcna",)),
    "an actor alias": Filter(search=("a17 talks",)),
    "any of two searches": Filter(search=("hwasong", "путин")),
    "all of two searches": Filter(search=("summit", "kim"), match_all=True),
    "a blank search": Filter(search=("  ",)),
    "search, actor, tag": Filter(search=("summit",), actors=("actor-07",), tags=("talks",)),
    "search, dates": Filter(search=("kim",), since=dt.date(2000, 1, 1), until=dt.date(2012, 6, 30)),
    "search, reverse, limit": Filter(search=("missile",), reverse=True, limit=7),
    "by relevance": Filter(search=("summit talks",), sort="relevance"),
    "by relevance, limited": Filter(search=("fire fury",), sort="relevance", limit=3),
    "by relevance, reversed": Filter(search=("kim",), sort="relevance", reverse=True),
    "relevance without a search": Filter(actors=("actor-03",), sort="relevance"),
    "ids": Filter(ids=("event-0000042", "event-0000007", "event-0001999")),
    "ids, reversed": Filter(ids=("event-0000042", "event-0000007"), reverse=True),
    "ids and a search": Filter(ids=("event-0000042", "event-0000005"), search=("hwasong",)),
    "not an actor": Filter(not_actors=("actor-01", "A2")),
    "not a tag": Filter(not_tags=("SUMMIT",), limit=50),
    "actor, not a tag": Filter(actors=("actor-05",), not_tags=("talks", "un")),
    "search, not an actor": Filter(search=("fire and fury",), not_actors=("actor-11",)),
    "search, not a tag, by relevance": Filter(search=("kim",), not_tags=("summit",), sort="relevance"),
}


@pytest.mark.parametrize("chosen", CRITERIA.values(), ids=CRITERIA.keys())
def test_the_index_answers_what_the_whole_load_answers(
    chosen: Filter, warm: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = select(warm.full, chosen)
    no_parsing(monkeypatch)
    decoded = count_decoded(monkeypatch)
    timeline, events = load_selected([warm.path], chosen)
    assert list(events) == expected
    if chosen.search and chosen.limit is None and chosen.match_all is False:
        assert decoded[0] == len(expected)  # the search table gave exactly the matches
    assert list(timeline.events) == expected  # (a selection read twice is decoded twice: none kept)


def test_the_search_table_tokenizes_as_the_python_matcher_compares() -> None:
    """Sanity of the property test below on a few hand-picked texts."""
    db = sqlite3.connect(":memory:")
    db.execute(index._SEARCH_SCHEMA)
    db.execute(
        "INSERT INTO search (rowid, doc) VALUES (1, ?)", (" " + normalise("Café-Olé 김정은 x_y") + " ",)
    )
    # a letter to Python that SQLite's unicode61 tokenizer (Unicode 6.1) takes for a separator
    db.execute("INSERT INTO search (rowid, doc) VALUES (2, ' b ')")
    for query, found in (
        ("cafe", 1),
        ("ole 김", 1),
        ("정은", 0),
        ("x y", 1),
        ('"x y"', 1),
        ("afe", 0),
        ("ᦰb", 0),
    ):
        rows = db.execute("SELECT rowid FROM search WHERE search MATCH ?", (compile_query(query).fts5(),))
        assert len(rows.fetchall()) == found, query


@given(
    st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=6),
    st.text(max_size=12),
    st.integers(0, 30),
)
def test_the_search_table_finds_what_the_python_matcher_finds(texts: list[str], typed: str, cut: int) -> None:
    """Any text, and a query made of any text or of a piece of an indexed text (a prefix, a
    phrase, a word cut anywhere): the FTS5 table's candidates are exactly the matches."""
    docs = [" " + normalise(text) + " " for text in texts]
    db = sqlite3.connect(":memory:")
    db.execute(index._SEARCH_SCHEMA)
    db.executemany("INSERT INTO search (rowid, doc) VALUES (?, ?)", enumerate(docs))
    pieces = [typed, texts[0][cut:], texts[0][:cut], '"' + texts[-1][cut // 2 :] + '"']
    for piece in pieces:
        query = compile_query(piece)
        if not query:
            continue
        expected = {n for n, doc in enumerate(docs) if all(t.needle in doc for t in query.terms)}
        found = {
            row[0] for row in db.execute("SELECT rowid FROM search WHERE search MATCH ?", (query.fts5(),))
        }
        assert found == expected, piece


def test_a_search_that_matches_few_events_decodes_few(warm: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded = count_decoded(monkeypatch)
    _, events = load_selected([warm.path], Filter(search=("event-0000042",)))
    assert [e.id for e in events] == ["event-0000042"]
    assert decoded[0] == 1
    _, events = load_selected([warm.path], Filter(search=('"fire and fury"',), limit=2))
    assert len(events) == 2
    assert decoded[0] < len(warm.full.events) // 5  # the phrase is in one event of 45


def test_the_first_search_builds_the_table_once_and_keeps_one_file(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh-cache"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    load([dataset.path])  # writes the index, without the search table
    entry = dataset.entry(folder)
    assert not _has_table(entry)
    chosen = Filter(search=("hwasong",))
    assert list(load_selected([dataset.path], chosen)[1]) == select(dataset.full, chosen)
    assert _has_table(entry)
    assert sorted(p.name for p in folder.iterdir()) == [entry.name]  # no temporary left
    decoded = count_decoded(monkeypatch)
    assert list(load_selected([dataset.path], chosen)[1]) == select(dataset.full, chosen)
    assert decoded[0] == len(select(dataset.full, chosen))  # not built again


def _has_table(entry: Path) -> bool:
    with sqlite3.connect(entry) as db:
        return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone() is not None


def test_two_processes_building_the_table_at_once_each_answer_and_leave_a_whole_entry(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh-cache"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    load([dataset.path])
    key = loader_key(dataset.path)
    first, second = (index.Index(dataset.entry(folder), key) for _ in range(2))
    chosen = Filter(search=("путин",))
    for opened in (first, second):  # both opened before either built the table
        assert opened.select(chosen)[1] == select(dataset.full, chosen)
    assert _has_table(dataset.entry(folder))
    assert sorted(p.name for p in folder.iterdir()) == [dataset.entry(folder).name]


def loader_key(path: Path) -> Any:
    from timeline.loader import _quick_key

    return _quick_key([path])


def test_a_table_that_cannot_be_built_is_searched_without(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh-cache"
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder))
    load([dataset.path])

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(shutil, "copyfile", refuse)
    no_parsing(monkeypatch)
    chosen = Filter(search=("cafe",))
    assert list(load_selected([dataset.path], chosen)[1]) == select(dataset.full, chosen)
    assert not _has_table(dataset.entry(folder))
    assert sorted(p.name for p in folder.iterdir()) == [dataset.entry(folder).name]


FORGED = {
    "rows pointing at events that do not match": "INSERT INTO search (rowid, doc) "
    "SELECT seq, ' hwasong ' FROM events WHERE seq % 3 = 0",
    "a search table that is not FTS5": "DROP TABLE search; CREATE TABLE search (rowid INTEGER, doc TEXT)",
    "a search table of another tokenizer": "DROP TABLE search; "
    "CREATE VIRTUAL TABLE search USING fts5(doc, tokenize='porter'); "
    "INSERT INTO search (rowid, doc) SELECT seq, 'hwasong' FROM events",
    "a javascript link in a candidate": "UPDATE events SET record = replace(record, 'https://', 'javascript://') "
    "WHERE id = 'event-0000005'",
}


@pytest.mark.parametrize("statement", FORGED.values(), ids=FORGED.keys())
def test_a_forged_search_table_gives_the_same_answer(
    statement: str, copied: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(copied.entry()) as db:
        db.executescript(statement)
    chosen = Filter(search=("hwasong",))
    events = list(load_selected([copied.path], chosen)[1])
    assert events == select(copied.full, chosen)
    assert all("javascript" not in source.url for event in events for source in event.sources)


@pytest.mark.parametrize(
    "args",
    [
        ("filter", "--search", "hwasong 15", "--format", "json"),
        ("filter", "Café", "Olé", "--format", "csv"),
        ("show", "김정은", "--format", "markdown"),
        ("show", "event-0000042", "--format", "json"),
        ("show", "event-0000042", "event-0000007", "--format", "json", "--reverse"),
        ("show", "event-0000042", "summit", "--format", "json"),
        ("filter", "--id", "event-0000042", "--format", "json"),
        ("filter", "--id", "event-00000042", "--format", "json"),
        ("filter", "--id", "nothing-like-it", "--format", "json"),
        ("filter", "--search", '"fire and fury"', "--sort", "relevance", "--format", "json"),
        ("filter", "kim", "--sort", "relevance", "-n", "3", "--format", "csv"),
        ("show", "event-0000042", "--sort", "relevance", "--format", "json"),
        ("filter", "--actor", "actor-03", "--sort", "relevance", "--format", "json", "-n", "2"),
        ("filter", "--not-actor", "Number 29", "--not-tag", "summit", "-n", "5", "--format", "json"),
        ("filter", "--not-actor", "Number 2", "--format", "json"),
        ("filter", "--not-tag", "sumit", "--format", "json"),
        ("filter", "--search", "--", "--format", "json"),
        ("filter", "--search", "kimchi", "--format", "json"),
        ("filter", "--actor", "Number 17", "--search", "summit", "-n", "2", "--format", "json"),
        ("export", "markdown", "--search", "путин", "--not-tag", "talks"),
        ("export", "ics", "--id", "event-0000042"),
        ("export", "html", "--search", "straße"),
    ],
)
def test_the_commands_print_the_same_through_the_index(
    args: tuple[str, ...], warm: Dataset, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    stamp = {"SOURCE_DATE_EPOCH": "1700000000"}
    expected = invoke("--data", str(warm.path), *args, env={"TIMELINE_CACHE": "off", **stamp})
    if expected.exit_code == 0:
        no_parsing(monkeypatch)  # answered by the index alone
    result = invoke("--data", str(warm.path), *args, env=stamp)
    assert (result.exit_code, result.stdout, result.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


def test_processes_searching_a_fresh_index_at_once_answer_alike_and_leave_one_whole_entry(
    dataset: Dataset, tmp_path: Path, invoke: Callable[..., Any]
) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "fresh-cache"
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(folder)}
    env.pop("TIMELINE_CACHE", None)
    args = ["--data", str(dataset.path), "filter", "--search", "hwasong 15", "--format", "json"]
    subprocess.run(
        [sys.executable, "-m", "timeline", "--data", str(dataset.path), "tags"], env=env, check=True
    )
    assert not _has_table(dataset.entry(folder))
    command = [sys.executable, "-m", "timeline", *args]
    running = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)
    ]
    answers = [process.communicate() for process in running]
    expected = invoke(*args, env={"TIMELINE_CACHE": "off"})
    assert {(out.decode(), err.decode()) for out, err in answers} == {(expected.stdout, expected.stderr)}
    assert [process.returncode for process in running] == [0, 0, 0]
    assert sorted(p.name for p in folder.iterdir()) == [dataset.entry(folder).name]
    assert _has_table(dataset.entry(folder))
    with sqlite3.connect(dataset.entry(folder)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
