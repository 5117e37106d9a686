"""The fast path of a first run (timeline.fastload): never a different answer from the positioned one.

The positioned reader (timeline.yamlread, PyYAML, YAML 1.1) is the reference. For every text, the
fast path must either give exactly the timeline the positioned path gives, or step aside (None),
so that every message stays the positioned one; hostile input never reaches yaml-rs's limits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import fastload, loader
from timeline.errors import DataError
from timeline.models import Timeline

from .conftest import MINI

BASE = MINI.read_text(encoding="utf-8")


def both(text: str) -> tuple[Timeline | None, Timeline | list[str]]:
    """(fast answer, positioned answer: a timeline or the lines of its error)."""
    texts: list[tuple[str, str | None, list[loader.Problem]]] = [("probe.yaml", text, [])]
    fast = loader._load_fast(texts)
    try:
        positioned: Timeline | list[str] = loader._load_positioned(texts)
    except DataError as exc:
        positioned = exc.lines()
    return fast, positioned


def agree(text: str) -> Timeline | None:
    fast, positioned = both(text)
    if fast is not None:
        assert fast == positioned
    return fast


def test_a_valid_file_takes_the_fast_path_and_gives_the_same_timeline() -> None:
    assert agree(BASE) is not None


def test_the_generated_benchmark_file_takes_the_fast_path() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "scale", Path(__file__).parent.parent / "bench" / "scale.py"
    )
    assert spec and spec.loader
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    assert agree(scale.generate(50)) is not None


# Values that YAML 1.1 (PyYAML) and YAML 1.2 (yaml-rs) read differently, or that only yamlread
# refuses or limits: each stands for a title, a place, a date, a key or the whole text.
TITLES = [
    "yes", "No", "on", "OFF", "y", "1:20", "190:20:30.15", "0o17", "017", "0841", "0x1F", "0b101", "1_000",
    "12e3", "1.5e3", ".inf", "-.NaN", "~", "null", "Null", "true", "2018-06-12", "2018-06-12 10:00:00",
    "2001-12-14t21:59:43.10-05:00", "=", "'yes'", '"on"', "'1:20'", "'2018-06-12'", "'0841'", "!!str 5",
    "!foo x", "&anchor x", "*alias", "<<", "'tab\there'", '"\\N"', '"\\x85"', '"line\\u2028sep"', "a\u2028b",
    "a\x85b", "caf\u00e9", "\u00a0x", "'\u200b'", '"\\e"', "[1, [2, [3]]]", "{a: 1}", "@x", "`x", "%x", "|\n      x",
]  # fmt: skip


@pytest.mark.parametrize("value", TITLES)
def test_a_title_is_read_as_yamlread_reads_it(value: str) -> None:
    agree(BASE.replace("title: Fire and fury", f"title: {value}", 1))


@pytest.mark.parametrize("value", TITLES)
def test_a_date_is_read_as_yamlread_reads_it(value: str) -> None:
    agree(BASE.replace("date: 2017-08-08", f"date: {value}", 1))


@pytest.mark.parametrize("value", ["yes", "on", "null", "1", "0o1", "1:2", "'on'"])
def test_an_actor_key_is_read_as_yamlread_reads_it(value: str) -> None:
    agree(BASE.replace("  putin:", f"  {value}:", 1))


@pytest.mark.parametrize(
    "text",
    [
        BASE.replace("schema: 1", "schema: 1e0"),
        BASE.replace("schema: 1", "schema: 0o1"),
        BASE.replace("schema: 1", "schema: 01"),
        BASE.replace("date: 2017-08-08", "date: 02017", 1),
        BASE.replace("date: 2017-08-08", "date: 0o3741", 1),
        BASE.replace("    place: Bedminster, New Jersey", "    place: Bedminster\n    place: Twice", 1),
        BASE + "---\nschema: 1\n",
        "%YAML 1.1\n---\n" + BASE,
        BASE.replace("  trump:\n", "  trump: &t\n", 1).replace("[trump]", "[*t]", 1),
        BASE.replace("    role: President\n", "    <<: {role: President}\n", 1),
        BASE.replace("    role: President", "    role:\tPresident", 1),
        BASE + "extra: " + "[" * 300 + "]" * 300 + "\n",
        BASE + "extra:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
        BASE + "extra: " + "- " * 5000 + "x\n",
        "\ufeff" + BASE,
        BASE.replace("Fire and fury", "Fire\x80and fury", 1),
        "",
        "# only a comment\n",
        "- a list\n",
    ],
    ids=lambda text: repr(text[-40:]),
)
def test_texts_the_fast_path_must_not_misread(text: str) -> None:
    agree(text)


def test_hostile_nesting_never_reaches_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml_rs

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("yaml-rs was given deep block nesting (it recurses: a crash)")

    monkeypatch.setattr(yaml_rs, "loads", fail)
    for text in ("- " * 100_000 + "x\n", "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000))):
        assert fastload.parse_plain(text) == (False, None)


PLAIN = st.lists(
    st.sampled_from([*"ynoYNO01289:.-+_eExXbB~!&*@`'\"#%|>[]{}, \t\\", "true", "null", "\u2028"]),
    min_size=1,
    max_size=12,
).map("".join)


@given(PLAIN)
def test_any_plain_title_is_read_as_yamlread_reads_it(value: str) -> None:
    agree(BASE.replace("title: Fire and fury", f"title: {value}", 1))


@given(PLAIN)
def test_any_plain_date_is_read_as_yamlread_reads_it(value: str) -> None:
    agree(BASE.replace("date: 2017-08-08", f"date: {value}", 1))


# The events list is parsed in pieces (to bound yaml-rs's own memory): cut anywhere it must not
# be, a piece fails to parse and the text goes down the positioned path.
SPLITS = {
    "items at column 0": BASE[: BASE.index("events:")]
    + "\n".join(
        line[2:] if line.startswith("  ") else line for line in BASE[BASE.index("events:") :].split("\n")
    ),
    "a comment between items": BASE.replace("\n  - id: ", "\n# a comment\n  - id: ", 2),
    "a literal block in an item": BASE.replace(
        "summary: A threat is made.", "summary: |\n      A threat\n      - is made.", 1
    ),
    "a quoted scalar whose next line starts like an item": BASE.replace(
        "title: Fire and fury", 'title: "Fire and\n  - fury"', 1
    ),
    "a quoted scalar with a line at the items' column": BASE.replace(
        "title: Fire and fury", 'title: "Fire and\n- fury"', 1
    ),
    "a flow list across lines": BASE.replace("actors: [trump]", "actors: [trump,\n  - kim-jong-un]", 1),
    "events: inside a string": BASE.replace("title: Fixture timeline", 'title: "Fixture\nevents:\n- x"', 1),
    "keys after the events": BASE + "eras:\n  - {name: Era, start: 2017}\n",
    "no events": BASE[: BASE.index("events:")] + "events:\n",
    "events as a flow list": BASE[: BASE.index("events:")] + "events: []\n",
}


@pytest.mark.parametrize("text", SPLITS.values(), ids=SPLITS.keys())
def test_the_events_list_read_in_pieces_is_the_list(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastload, "_PIECE", 1)
    agree(text)


def test_a_valid_file_read_in_pieces_still_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastload, "_PIECE", 1)
    assert agree(BASE) is not None
    assert agree(SPLITS["items at column 0"]) is not None
    assert agree(SPLITS["a comment between items"]) is not None


def test_the_loader_gives_the_fast_path_the_files_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a string with one non-ASCII character takes 2 or 4 bytes a character: the whole file is
    # never made one string on the fast path, only its pieces
    path = tmp_path / "events.yaml"
    path.write_text(BASE.replace("Fire and fury", "Fire — and fury", 1), encoding="utf-8")
    given: list[type] = []
    original = fastload.parse_plain

    def recorded(text: str | bytes) -> tuple[bool, object]:
        given.append(type(text))
        return original(text)

    monkeypatch.setattr(fastload, "parse_plain", recorded)
    timeline = loader.load([path], use_cache=False)
    assert given == [bytes]
    assert timeline.events[0].title.startswith("Fire — and fury")


@pytest.mark.parametrize("piece", [1, 2000])
def test_bytes_that_are_not_utf8_in_a_piece_get_the_located_message(
    piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastload, "_PIECE", piece)
    data = BASE.encode("utf-8")
    at = data.rindex(b"title: ") + len(b"title: ")
    path = tmp_path / "events.yaml"
    path.write_bytes(data[:at] + b"caf\xe9 " + data[at:])
    assert fastload.parse_plain(path.read_bytes()) == (False, None)
    with pytest.raises(DataError) as caught:
        loader.load([path], use_cache=False)
    line = data[:at].count(b"\n") + 1
    column = at - data.rfind(b"\n", 0, at) - 1 + 4
    assert caught.value.lines() == [f"{path}:{line}:{column}: is not valid UTF-8 (byte 0xe9)"]
