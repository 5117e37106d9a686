"""Every class of broken dataset: exit 1, one located line per problem on stderr, nothing on stdout."""

from __future__ import annotations

from pathlib import Path

import pytest

# Nine levels of nine aliases in one event (about 700 bytes): 9**9 values if expanded.
BOMB_IN_AN_EVENT = "\n".join(
    [
        "events:",
        "  - id: a",
        "    date: 2018",
        "    title: T",
        '    a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
    ]
    + [f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    + ["    cameo: *a8", "    sources: [{title: S, publisher: P, url: 'https://x.test'}]", ""]
)

CASES: list[tuple[str, str | bytes, str]] = [
    ("empty", "", "F: is empty: expected a mapping with 'actors' and 'events'"),
    ("only comments", "# nothing\n# here\n", "F: is empty: expected a mapping with 'actors' and 'events'"),
    ("not UTF-8", b"title: caf\xe9\nevents: []\n", "F:1:11: is not valid UTF-8 (byte 0xe9)"),
    ("binary garbage", bytes(range(256)) * 4, "F: is a binary file, not YAML text"),
    ("bad indentation", "title: T\nevents:\n  - id: a\n   date: 2018\n",
     "F:4:4: YAML syntax error: while parsing a block collection; did not find expected '-' indicator"),
    ("tab indentation", "events:\n\t- id: a\n", "F:2:1: YAML syntax error: a tab where YAML needs spaces (indent with spaces only)"),
    ("unclosed quote", "title: 'open\nevents: []\n",
     "F:3:1: YAML syntax error: while scanning a quoted scalar; found unexpected end of stream"),
    ("unclosed bracket", "events: [1, 2\n",
     "F:2:1: YAML syntax error: while parsing a flow sequence; did not find expected ',' or ']'"),
    ("duplicate key", "title: A\ntitle: B\nevents: []\n", "F:2:1: duplicate key 'title' (first at line 1)"),
    ("list at the top", "- a\n- b\n", "F:1:1: the document must be a mapping, got a list"),
    ("events not a list", "events: {a: 1}\n", "F:1:9: 'events' must be a list, got a mapping"),
    ("null event", "events:\n  - null\n", "F:2:5: event #1 must be a mapping, got nothing"),
    ("scalar event", "events:\n  - 42\n", "F:2:5: event #1 must be a mapping, got a number"),
    ("wrong type", "events:\n  - {id: a, date: 2018, title: 5, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:32: event 'a': 'title' must be text, got a number"),
    ("unknown key", "events: []\ntitel: x\n", "F:2:1: unknown key 'titel' in the document; did you mean 'title'?"),
    ("missing field", "events:\n  - {id: a, date: 2018, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:5: event 'a' is missing required field 'title'"),
    ("malformed date", "events:\n  - {id: a, date: 2018/1, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': malformed date '2018/1': use YYYY, YYYY-MM or YYYY-MM-DD, optionally ~ or ?"),
    ("impossible date", "events:\n  - {id: a, date: 2018-02-29, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': impossible date '2018-02-29': day is out of range for month"),
    ("end before start", "events:\n  - {id: a, date: 2019-03-01, end: 2019-02-01, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:36: event 'a': end 2019-02-01 is before its date 2019-03-01"),
    ("unknown actor", "events:\n  - {id: a, date: 2018, title: T, actors: [who], sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:44: event 'a': unknown actor 'who'"),
    ("duplicate id", "events:\n  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n"
     "  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:3:10: duplicate event id 'a' (first in F:2)"),
    ("python object", "events: !!python/object/apply:os.system ['echo hi']\n",
     "F:1:9: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: only plain data is read"),
    ("javascript: address", "events:\n  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'javascript:alert(1)'}]}\n",
     "F:2:75: event 'a', source #1: url 'javascript:alert(1)' must be an http:// or https:// address"),
    ("data: address", "events:\n  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'data:text/html,x'}]}\n",
     "F:2:75: event 'a', source #1: url 'data:text/html,x' must be an http:// or https:// address"),
    ("file: address", "events:\n  - {id: a, date: 2018, title: T, sources: [{title: S, publisher: P, url: 'file:///etc/passwd'}]}\n",
     "F:2:75: event 'a', source #1: url 'file:///etc/passwd' must be an http:// or https:// address"),
    ("deep nesting", "a: " + "[" * 5000 + "]" * 5000 + "\n", "F:1:67: nested deeper than 64 levels; refused"),
    ("deep nesting, 100k", "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "F:1:67: nested deeper than 64 levels; refused"),
    ("deep block nesting", "".join("  " * i + "-\n" for i in range(1000)) + "  " * 1000 + "x\n",
     "F:65:129: nested deeper than 64 levels; refused"),
    ("!!timestamp foo", "title: !!timestamp foo\nevents: []\n", "F:1:8: 'foo' is not a valid !!timestamp value"),
    ("!!bool foo", "title: !!bool foo\nevents: []\n", "F:1:8: 'foo' is not a valid !!bool value"),
    ("!!int empty", 'title: !!int ""\nevents: []\n', "F:1:8: '' is not a valid !!int value"),
    ("!!float empty", 'title: !!float ""\nevents: []\n', "F:1:8: '' is not a valid !!float value"),
    ("!!timestamp date", "events:\n  - {id: a, date: !!timestamp 2019-02-30, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: '2019-02-30' is not a valid !!timestamp value (day is out of range for month)"),
    ("merge key", "s: &s {title: S}\nevents:\n  - {<<: *s}\n", "F:3:6: merge keys ('<<') are not supported: write the fields out"),
    ("month 00", "events:\n  - {id: a, date: 2019-00-15, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': impossible date '2019-00-15': month 00 does not exist"),
    ("day 00", "events:\n  - {id: a, date: 2019-05-00, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': impossible date '2019-05-00': day 00 does not exist"),
    ("quoted month 00", "events:\n  - {id: a, date: '2019-00', title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': impossible date '2019-00': month 00 does not exist"),
    ("end day 00", "events:\n  - {id: a, date: 2019-05-01, end: 2019-05-00, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:36: event 'a': 'end': impossible date '2019-05-00': day 00 does not exist"),
    ("source date month 00", "events:\n  - {id: a, date: 2019, title: T, sources: [{title: S, publisher: P, url: 'https://x.test', date: 2019-00-01}]}\n",
     "F:2:99: event 'a', source #1: 'date': impossible date '2019-00-01': month 00 does not exist"),
    ("year 0000", "events:\n  - {id: a, date: 0000-01-01, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': impossible date '0000-01-01': year 0 does not exist (years 0001 to 9998 are accepted)"),
    ("year 9999", "events:\n  - {id: a, date: 9999-12-31, title: T, sources: [{title: S, publisher: P, url: 'https://x.test'}]}\n",
     "F:2:19: event 'a': 'date': date '9999-12-31' is out of range: years 0001 to 9998 are accepted"),
    ("era year 9999", "events: []\neras:\n  - {name: E, start: 2019, end: 9999}\n",
     "F:3:33: era #1: 'end': date '9999' is out of range: years 0001 to 9998 are accepted"),
    ("control character", "title: 'a\x07b'\nevents: []\n",
     "F:1:10: YAML syntax error: character U+0007 is not allowed in YAML text; write it as an escape in double quotes"),
    ("escape sequence", "events: []\ntitle: \x1b[2Jx\n",
     "F:2:8: YAML syntax error: character U+001B is not allowed in YAML text; write it as an escape in double quotes"),
    ("alias bomb in an event", BOMB_IN_AN_EVENT,
     "F:11:14: expands to more than 1,000,000 values through aliases (an alias bomb?); refused"),
    ("alias bomb under a later key", "events: []\n" + BOMB_IN_AN_EVENT.replace("events:", "eras:"),
     "F:12:14: expands to more than 1,000,000 values through aliases (an alias bomb?); refused"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["show", "validate", "export markdown"])
def test_bad_dataset(invoke, tmp_path: Path, command: str, content: str | bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = invoke(*command.split(), "--data", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "timeline: " + expected.replace("F", str(path), 1).replace(
        "(first in F:", f"(first in {path}:"
    )
    assert "Traceback" not in result.stderr


def test_missing_path_and_directory(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for target, message in (
        (tmp_path / "none.yaml", "no such file"),
        (tmp_path, "is a directory, not a YAML file"),
    ):
        result = invoke("show", "--data", str(target))
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"timeline: {target}: {message}\n"
