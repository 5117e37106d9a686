import contextlib
import copy
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.errors import DataError
from timeline.loader import load
from timeline.models import Timeline

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


# -- the quick path of validation (validate._Checker.quick_event) ---------------------------------
#
# On plain values (the fast path of the loader) a valid event is built without the bookkeeping of
# reporting. It must accept exactly what the full checks accept and build exactly what they build;
# on anything else it steps aside and the full checks report. Compared here on varied events.

MISSING = object()
DATES = [
    "2018-06-12",
    "2018",
    "2018-06~?",
    " 2018-06 ",
    "2018-02-30",
    "0000",
    "2018-6-1",
    2018,
    True,
    0,
    "",
    None,
]
DATES += [[2018], {"y": 2018}, dt.date(2018, 6, 12), dt.datetime(2018, 6, 12, 1, 2), 2018.0, MISSING]
TEXTS = ["Fine", " padded ", "", "  ", 5, None, True, ["Fine"], {"a": 1}, MISSING]
LISTS = [["trump"], [" trump "], ["kim", "trump", "kim"], ["nobody"], ["Donald Trump"], [""], [5], [None]]
LISTS += [[["trump"]], "trump", {"trump": 1}, [], None, MISSING]
QUOTES = [[{"text": "Q", "by": "trump"}], [{"text": " Q "}], [{"text": "Q", "by": None}], [{"text": " "}]]
QUOTES += [
    [{"text": "Q", "by": "nobody"}],
    [{"text": "Q", "by": ""}],
    [{"text": "Q", "by": 5}],
    [{"by": "kim"}],
]
QUOTES += [[{"text": "Q", "said": "x"}], ["Q"], [None], {"text": "Q"}, [], None, MISSING, [[{"text": "Q"}]]]


URLS = ["https://news.test/a b", " http://x.test/ ", "ftp://x.test", "https://", "https://ké.test/é"]
URLS += ["http://[::1]:80/x", "https://x.test/\u200b", "", 5, None, MISSING]
SOURCE_VARIANTS: dict[object, list[object]] = {
    "title": TEXTS,
    "publisher": TEXTS,
    "url": URLS,
    "date": DATES,
    "kind": ["primary", " secondary ", "tertiary", "", 1, None, MISSING],
}
EVENT_VARIANTS: dict[object, list[object]] = {
    "id": [" ok ", "two", "Not-Kebab", "a--b", "", 5, None, ["ok"], MISSING],
    "date": DATES,
    "end": [*DATES, "2017", "2018-06-11", "2018-06-30"],
    "title": TEXTS,
    "summary": TEXTS,
    "actors": LISTS,
    "tags": [["summit"], [" summit "], ["Not Kebab"], *LISTS],
    "place": TEXTS,
    "cameo": ["043", "0873", "43", "999", "9999", " 043", "04a", 43, None, MISSING],
    "quotes": QUOTES,
    "related": [["two"], [" two "], ["ok"], ["gone"], [""], "two", [5], None, MISSING],
    "sources": [[], None, "https://x.test", MISSING, [None], ["https://x.test"]],
}
EXTRA_KEYS = ["titel", "source", 7, "era", "summary", "related"]


def _varied(
    draw: st.DrawFn, base: dict[object, object], variants: dict[object, list[object]]
) -> dict[object, object]:
    """``base`` with a field or two drawn from their variants (valid ones or not), or a key more:
    mostly one change, so that most events are valid but for that change."""
    count = draw(st.sampled_from([0, 1, 1, 1, 2]))
    chosen = draw(st.lists(st.sampled_from(list(variants)), min_size=count, max_size=count, unique=True))
    value = dict(base)
    for key in chosen:
        value[key] = draw(st.sampled_from(variants[key]))
    if draw(st.integers(0, 10)) == 7:  # not 0: hypothesis draws the bounds often
        value[draw(st.sampled_from(EXTRA_KEYS))] = "x"
    return {key: item for key, item in value.items() if item is not MISSING}


def _source(draw: st.DrawFn) -> object:
    base: dict[object, object] = {
        "title": "S",
        "publisher": "P",
        "url": "https://news.test/a",
        "date": "2018-06-13",
    }
    if draw(st.integers(0, 20)) == 7:
        base.update(id="pasted", date="2018")  # an event indented as a source
    return _varied(draw, base, SOURCE_VARIANTS) if draw(st.booleans()) else base


@st.composite
def _event(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 20)) == 7:
        return draw(st.sampled_from([None, "event", ["id", "x"], 5]))
    base: dict[object, object] = {
        "id": "ok",
        "date": "2018-06-12",
        "title": "Fine",
        "summary": "S",
        "actors": ["trump"],
        "tags": ["summit"],
        "quotes": [{"text": "Q", "by": "kim"}],
        "sources": [_source(draw) for _ in range(draw(st.integers(1, 3)))],
    }
    return _varied(draw, base, EVENT_VARIANTS)


TWO = {
    "id": "two",
    "date": "2019",
    "title": "T",
    "sources": [{"title": "S", "publisher": "P", "url": "https://x.test"}],
}


def _outcome(doc: object, *, quick: bool) -> object:
    from unittest import mock

    from timeline import validate

    def stepping_aside(*_: object) -> None:
        return None

    patched = (
        mock.patch.object(validate._Checker, "quick_event", stepping_aside)
        if not quick
        else contextlib.nullcontext()
    )
    with patched:
        try:
            return validate.build([("F", copy.deepcopy(doc))])
        except DataError as exc:
            return exc.lines()


@given(st.lists(_event(), min_size=1, max_size=2), st.booleans())
def test_the_quick_path_builds_what_the_full_checks_build(events: list[object], two_first: bool) -> None:
    doc = {
        "schema": 1,
        "title": "T",
        "actors": {"trump": {"name": "Donald Trump"}, "kim": {"name": "Kim"}},
        "events": [copy.deepcopy(TWO), *events] if two_first else [*events, copy.deepcopy(TWO)],
    }
    assert _outcome(doc, quick=True) == _outcome(doc, quick=False)


GOOD = {
    "id": "ok",
    "date": "2018-06-12",
    "title": "Fine",
    "actors": ["trump"],
    "quotes": [{"text": "Q", "by": "kim"}],
    "sources": [{"title": "S", "publisher": "P", "url": "https://x.test", "date": "2018-06-13"}],
}
ONE_CHANGE = [("event", key, value) for key, values in EVENT_VARIANTS.items() for value in values]
ONE_CHANGE += [("source", key, value) for key, values in SOURCE_VARIANTS.items() for value in values]
ONE_CHANGE += [(where, key, "x") for where in ("event", "source") for key in EXTRA_KEYS]


@pytest.mark.parametrize(("where", "key", "value"), ONE_CHANGE)
def test_one_change_to_a_valid_event_is_judged_alike(where: str, key: object, value: object) -> None:
    event: dict[object, object] = copy.deepcopy(GOOD)
    target: dict[object, object] = event if where == "event" else event["sources"][0]  # type: ignore[index]
    if value is MISSING:
        target.pop(key, None)
    else:
        target[key] = value
    doc = {"title": "T", "actors": {"trump": {"name": "Donald Trump"}, "kim": {"name": "Kim"}}}
    doc["events"] = [event, TWO]
    assert _outcome(doc, quick=True) == _outcome(doc, quick=False)


def test_a_valid_plain_event_is_built_by_the_quick_path_alone() -> None:
    from unittest import mock

    from timeline import validate

    def refuse(*_: object) -> None:
        raise AssertionError("the full checks ran on a valid event")

    doc = {
        "title": "T",
        "actors": {"trump": {"name": "Donald Trump"}},
        "events": [
            {
                "id": " ok ",
                "date": "2018-06-12~",
                "end": "2018-06-13",
                "title": " T ",
                "actors": ["trump"],
                "tags": ["summit"],
                "cameo": "043",
                "quotes": [{"text": "Q", "by": "trump"}],
                "sources": [
                    {
                        "title": "S",
                        "publisher": "P",
                        "url": "https://x.test",
                        "date": "2018",
                        "kind": "primary",
                    }
                ],
                "related": ["two"],
            },
            TWO,
        ],
    }
    expected = _outcome(doc, quick=False)
    with mock.patch.object(validate._Checker, "event", refuse):
        assert _outcome(doc, quick=True) == expected
    assert isinstance(expected, Timeline) and expected.events[0].id == "ok"


def test_the_quick_path_builds_the_benchmark_file_as_the_full_checks_do() -> None:
    import importlib.util

    import yaml_rs

    spec = importlib.util.spec_from_file_location(
        "scale", Path(__file__).parent.parent / "bench" / "scale.py"
    )
    assert spec and spec.loader
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    doc = yaml_rs.loads(scale.generate(300), parse_datetime=False)
    quick = _outcome(doc, quick=True)
    assert isinstance(quick, Timeline) and len(quick.events) == 300
    assert quick == _outcome(doc, quick=False)


def test_a_date_written_twice_is_judged_twice(write) -> None:  # type: ignore[no-untyped-def]
    """Dates are remembered by their text once read; a refused one is refused at each place."""
    second = GOOD_EVENT.replace("id: ok", "id: other")
    bad = (GOOD_EVENT + second).replace("date: 2018-06-12", "date: '2018-02-30'")
    found = errors(write(HEAD + bad))
    assert found == [
        "F:7:11: event 'ok': 'date': impossible date '2018-02-30': day is out of range for month",
        "F:13:11: event 'other': 'date': impossible date '2018-02-30': day is out of range for month",
    ]
    good = load([write(HEAD + GOOD_EVENT + second.replace("2018-06-12", "'2018-06-12'"), "good.yaml")])
    assert [event.date for event in good.events] == [good.events[0].date] * 2


@pytest.mark.parametrize("model", ["Event", "Source", "Quote"])
def test_the_models_the_quick_path_builds_have_no_post_init(model: str) -> None:
    """It builds them without their __init__, as the cache's decoder does: a __post_init__ would
    be skipped (the full checks and the quick path must then build alike again)."""
    import dataclasses

    from timeline import models

    cls = getattr(models, model)
    assert not hasattr(cls, "__post_init__")
    assert all(
        field.init and field.default_factory is dataclasses.MISSING for field in dataclasses.fields(cls)
    )
