from pathlib import Path

import pytest

from timeline.errors import DataError
from timeline.loader import load

HEAD = """\
schema: 1
title: T
actors:
  trump: {name: Donald Trump, country: USA}
events:
"""
GOOD_EVENT = """\
  - id: ok
    date: 2018-06-12
    title: Fine
    actors: [trump]
    sources:
      - {title: S, publisher: P, url: "https://news.test/a"}
"""


def errors(path: Path) -> list[str]:
    with pytest.raises(DataError) as exc:
        load([path])
    return [str(p).replace(str(path), "F") for p in exc.value.problems]


def test_the_fixture_is_valid(mini) -> None:  # type: ignore[no-untyped-def]
    assert [e.id for e in mini.events] == ["threat", "summit", "talks", "month-only", "russia"]
    assert mini.events[2].end is not None and mini.events[2].finish.isoformat() == "2019-02-28"
    assert mini.actors["kim-jong-un"].aliases == ("Kim", "Kim Jong-un", "김정은")


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            "  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}], titel: x}",
            "F:12:95: unknown key 'titel' in event 'a'; did you mean 'title'?",
        ),
        (
            "  - {id: a, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:5: event 'a' is missing required field 'date'",
        ),
        (
            "  - {id: a, date: 2018, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:5: event 'a' is missing required field 'title'",
        ),
        (
            "  - {id: a, date: 2018, title: [T], sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:32: event 'a': 'title' must be text, got a list",
        ),
        (
            "  - {id: a, date: 2019-02-30, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:19: event 'a': 'date': impossible date '2019-02-30': day is out of range for month",
        ),
        (
            "  - {id: a, date: 2018/06/12, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:19: event 'a': 'date': malformed date '2018/06/12'",
        ),
        (
            "  - {id: a, date: 2019-03-01, end: 2019-02-28, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:36: event 'a': end 2019-02-28 is before its date 2019-03-01",
        ),
        (
            "  - {id: a, date: 2018, title: T, actors: [trum], sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:44: event 'a': unknown actor 'trum'; did you mean 'trump'?",
        ),
        (
            "  - {id: a, date: 2018, title: T}",
            "F:12:5: event 'a' has no sources: every event needs at least one citation",
        ),
        ("  - {id: a, date: 2018, title: T, sources: []}", "F:12:5: event 'a' has no sources"),
        (
            "  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'ftp://x.test/a'}]}",
            "F:12:75: event 'a', source #1: url 'ftp://x.test/a' must be an http:// or https:// address",
        ),
        (
            "  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'javascript:alert(1)'}]}",
            "F:12:75: event 'a', source #1: url 'javascript:alert(1)' must be an http:// or https:// address",
        ),
        (
            "  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P}]}",
            "F:12:45: event 'a', source #1 is missing required field 'url'",
        ),
        (
            "  - {id: a, date: 2018, title: T, cameo: 43, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:42: event 'a': cameo must be a quoted code of 2 to 4 digits",
        ),
        (
            "  - {id: a, date: 2018, title: T, cameo: '999', sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:42: event 'a': cameo '999' is not in the CAMEO codebook",
        ),
        (
            "  - {id: Bad_Id, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:10: event 'Bad_Id': id must be kebab-case",
        ),
        ("  - null", "F:12:5: event #2 must be a mapping, got nothing"),
        ("  - just text", "F:12:5: event #2 must be a mapping, got text"),
        (
            "  - {id: a, date: 2018, title: T, related: [nope], sources: [{title: S, publisher: P, url: 'https://x.test'}]}",
            "F:12:45: event 'a': related event 'nope' does not exist",
        ),
    ],
)
def test_each_problem_is_reported_with_its_place(write, event: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = errors(write(HEAD + GOOD_EVENT + event + "\n"))
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_duplicate_ids(write) -> None:  # type: ignore[no-untyped-def]
    found = errors(write(HEAD + GOOD_EVENT + GOOD_EVENT))
    assert found == ["F:12:9: duplicate event id 'ok' (first in F:6)"]


def test_every_problem_at_once(write) -> None:  # type: ignore[no-untyped-def]
    text = HEAD.replace("title: T", "title: T\nextra: 1") + (
        "  - {id: a, date: 2018-13, title: T, actors: [nobody], sources: [{title: S, publisher: P, url: 'x'}]}\n"
    )
    found = errors(write(text))
    assert len(found) == 4
    assert found[0].startswith("F:3:1: unknown key 'extra' in the document")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "F: is empty"),
        ("# only a comment\n", "F: is empty"),
        ("- a\n- b\n", "F:1:1: the document must be a mapping, got a list"),
        ("title: T\nevents: {a: 1}\n", "F:2:9: 'events' must be a list, got a mapping"),
        ("title: T\n", "F:1:1: the document has no 'events' list"),
        ("schema: 2\nevents: []\n", "F:1:9: unsupported schema 2"),
        ("schema: &s [[1, 2], [3]]\nx: [*s, *s]\nevents: []\n", "F:1:9: unsupported schema a list;"),
        (
            "events:\n  - {id: a, date: 2018, title: T, cameo: {a: [1, 2]}, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
            "F:2:42: event 'a': cameo must be a quoted code of 2 to 4 digits such as \"043\", got a mapping",
        ),
        ("schema: " + "9" * 200 + "\nevents: []\n", "F:1:9: unsupported schema " + "9" * 59 + "…;"),
        ("actors: {trump: {name: T, country: usa}}\nevents: []\n", "F:1:36: actor 'trump': country 'usa'"),
        (
            "actors: {trump: {nmae: T}}\nevents: []\n",
            "F:1:18: unknown key 'nmae' in actor 'trump'; did you mean 'name'?",
        ),
        (
            "eras: [{name: E, start: 2019, end: 2018}]\nevents: []\n",
            "F:1:36: era #1: end 2018 is before its start 2019",
        ),
    ],
)
def test_document_shape(write, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    found = errors(write(text))
    assert any(problem.startswith(expected) for problem in found), found


def test_several_files_merge_and_clash(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write(HEAD + GOOD_EVENT, "one.yaml")
    second = write("events:\n" + GOOD_EVENT.replace("id: ok", "id: other"), "two.yaml")
    merged = load([first, second])
    assert [e.id for e in merged.events] == ["ok", "other"]
    clash = write("events:\n" + GOOD_EVENT, "three.yaml")
    with pytest.raises(DataError, match="duplicate event id 'ok'"):
        load([first, clash])
