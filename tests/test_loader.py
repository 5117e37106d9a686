from pathlib import Path

import pytest

from timeline.errors import DataError
from timeline.loader import ENV_VAR, locate, packaged_dataset, read_text
from timeline.yamlread import parse_yaml


def problems(exc: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_explicit_paths_win_over_the_environment(tmp_path: Path) -> None:
    assert locate([tmp_path / "a.yaml"], environ={ENV_VAR: "/x.yaml"}) == [tmp_path / "a.yaml"]


def test_environment_variable_may_name_several_files() -> None:
    import os

    assert locate(None, environ={ENV_VAR: f"/a.yaml{os.pathsep}/b.yaml"}) == [
        Path("/a.yaml"),
        Path("/b.yaml"),
    ]


def test_shipped_dataset_is_found_without_configuration() -> None:
    assert locate(None, environ={}) == [packaged_dataset()]
    assert packaged_dataset().name == "events.yaml"


def test_values_remember_their_line_and_column() -> None:
    value = parse_yaml("title: x\nevents:\n  - id: a\n    date: 2018\n", "f.yaml")
    assert value.marks["title"] == (1, 8)
    assert value["events"].marks[0] == (3, 5)
    assert value["events"][0].marks["date"] == (4, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1,\n", "f.yaml:2:1: YAML syntax error"),
        ("a: 'open\n", "f.yaml:2:1: YAML syntax error"),
        ("a:\n\t- 1\n", "f.yaml:2:1: YAML syntax error"),
        ("a: 1\n  b: 2\n", "f.yaml:2:4: YAML syntax error"),
        ("a: 1\na: 2\n", "f.yaml:2:1: duplicate key 'a' (first at line 1)"),
        ("x: !!python/object/apply:os.system ['true']\n", "f.yaml:1:4: YAML tag"),
        ("x: !!binary aGk=\n", "f.yaml:1:4: YAML tag 'tag:yaml.org,2002:binary' is not allowed"),
        ("x: !custom 1\n", "f.yaml:1:4: YAML tag '!custom' is not allowed"),
    ],
)
def test_yaml_problems_are_located(text: str, expected: str) -> None:
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "f.yaml")
    assert problems(exc)[0].startswith(expected)


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(DataError):
        parse_yaml(f"x: !!python/object/apply:os.system ['touch {marker}']\n", "f.yaml")
    assert not marker.exists()


def test_ordinary_aliases_share_one_object() -> None:
    value = parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert value["b"] is value["a"] == [1, 2]


def test_alias_bomb_is_refused_quickly() -> None:
    import time

    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    with pytest.raises(DataError) as exc:
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 1.0
    assert problems(exc) == [
        "bomb.yaml:7:10: expands to more than 1,000,000 values through aliases (an alias bomb?); refused"
    ]


def test_unknown_alias_and_several_documents() -> None:
    with pytest.raises(DataError, match=r"f.yaml:1:4: unknown alias \*nope"):
        parse_yaml("a: *nope\n", "f.yaml")
    with pytest.raises(DataError, match=r"f.yaml:2:1: holds more than one YAML document"):
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")


@pytest.mark.parametrize("depth", [200, 100_000])  # the C composer used to crash the process at 100k
def test_deep_nesting_is_refused(depth: int) -> None:
    with pytest.raises(DataError) as exc:
        parse_yaml("a: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert problems(exc) == ["deep.yaml:1:67: nested deeper than 64 levels; refused"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xef\xbb\xbftitle: ok\n", None),
        (b"title: caf\xe9\n", "bad.yaml:1:11: is not valid UTF-8 (byte 0xe9)"),
        (b"\x00\x01\x02binary", "bad.yaml: is a binary file, not YAML text"),
    ],
)
def test_encodings(tmp_path: Path, content: bytes, expected: str | None) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    if expected is None:
        assert read_text(path) == "title: ok\n"
        return
    with pytest.raises(DataError) as exc:
        read_text(path)
    assert problems(exc) == [expected.replace("bad.yaml", str(path))]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        read_text(tmp_path / "nope.yaml")
    assert problems(exc) == [f"{tmp_path / 'nope.yaml'}: no such file"]
    with pytest.raises(DataError) as exc:
        read_text(tmp_path)
    assert problems(exc) == [f"{tmp_path}: is a directory, not a YAML file"]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:67"),  # libyaml ≥ 0.2.5 refuses this itself
        ("a: " + "[" * 1_000 + "]" * 1_000 + "\n", "1:67"),
        ("a: " + "{a: " * 5_000 + "}" * 5_000 + "\n", "1:256"),
        ("".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "v\n", "65:129"),
        ("".join("  " * i + "-\n" for i in range(2_000)) + "  " * 2_000 + "v\n", "65:129"),
    ],
    ids=["flow-100k", "flow-1k", "flow-map", "block-map", "block-seq"],
)
def test_deep_nesting_gets_one_refusal_whatever_the_parser(
    monkeypatch: pytest.MonkeyPatch, libyaml: bool, text: str, where: str
) -> None:
    import yaml

    if libyaml and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "deep.yaml")
    assert problems(exc) == [f"deep.yaml:{where}: nested deeper than 64 levels; refused"]


def test_libyaml_nesting_error_is_answered_by_our_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever depth libyaml stops at, and whatever it says, the refusal is the tool's own."""
    import yaml

    class Refusing(yaml.SafeLoader):
        def get_event(self):  # type: ignore[no-untyped-def]
            raise yaml.parser.ParserError(
                "while increasing flow level",
                self.get_mark(),
                "exceeded maximum nesting depth",
                self.get_mark(),
            )

    monkeypatch.setattr(yaml, "CSafeLoader", Refusing, raising=False)
    with pytest.raises(DataError) as exc:
        parse_yaml("a: " + "[" * 70 + "]" * 70 + "\n", "deep.yaml")
    assert problems(exc) == ["deep.yaml:1:67: nested deeper than 64 levels; refused"]
    assert parse_yaml("a: [[1]]\n", "ok.yaml") == {"a": [[1]]}  # any error of that kind: re-read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: !!timestamp foo\n", "f.yaml:1:8: 'foo' is not a valid !!timestamp value"),
        (
            "title: !!timestamp 2019-02-30\n",
            "f.yaml:1:8: '2019-02-30' is not a valid !!timestamp value (day is out of range for month)",
        ),
        ("title: !!bool foo\n", "f.yaml:1:8: 'foo' is not a valid !!bool value"),
        ('title: !!int ""\n', "f.yaml:1:8: '' is not a valid !!int value"),
        ('title: !!float ""\n', "f.yaml:1:8: '' is not a valid !!float value"),
        ("title: !!int 0x\n", "f.yaml:1:8: '0x' is not a valid !!int value"),
        ('title: !!float "-"\n', "f.yaml:1:8: '-' is not a valid !!float value"),
        (
            "a: !!int " + "9" * 5000 + "\n",
            "f.yaml:1:4: '999999999999999999999999999999999999999…' is not a valid !!int value",
        ),
        (
            "a: &x {b: 1}\nc: {<<: *x}\n",
            "f.yaml:2:5: merge keys ('<<') are not supported: write the fields out",
        ),
    ],
)
def test_values_that_do_not_fit_their_tag_are_located(text: str, expected: str) -> None:
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "f.yaml")
    assert len(exc.value.problems) == 1
    assert problems(exc)[0].startswith(expected)


def test_an_implicit_impossible_date_is_left_for_validation_to_explain() -> None:
    assert parse_yaml("date: 2019-02-30\n", "f.yaml") == {"date": "2019-02-30"}


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: é ab\x07c\n",
            "f.yaml:1:12: YAML syntax error: character U+0007 is not allowed in YAML text",
        ),
        (
            "a: 1\nb: 김정은 x\x7f\n",
            "f.yaml:2:9: YAML syntax error: character U+007F is not allowed in YAML text",
        ),
        (
            "a: 1\n\nb: '\x1b[2J'\n",
            "f.yaml:3:5: YAML syntax error: character U+001B is not allowed in YAML text",
        ),
        ("a: \x85ok\x9b\n", "f.yaml:1:7: YAML syntax error: character U+009B is not allowed in YAML text"),
    ],
)
def test_control_characters_get_one_located_line(
    monkeypatch: pytest.MonkeyPatch, libyaml: bool, text: str, expected: str
) -> None:
    import yaml

    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "f.yaml")
    assert len(exc.value.problems) == 1
    assert problems(exc)[0] == expected + "; write it as an escape in double quotes"


def bomb_in_an_event(levels: int = 9) -> str:
    """A small file whose aliases, all inside one event, expand to 9**levels values."""
    lines = [
        "events:",
        "  - id: a",
        "    date: 2018",
        "    title: T",
        '    a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
    ]
    lines += [f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    lines.append(f"    cameo: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_alias_bomb_inside_an_event_is_refused() -> None:
    text = bomb_in_an_event()
    assert len(text.encode()) < 800
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "bomb.yaml")
    assert problems(exc) == [
        "bomb.yaml:11:14: expands to more than 1,000,000 values through aliases (an alias bomb?); refused"
    ]


def test_aliases_are_counted_at_their_expanded_size() -> None:
    # 9 + 9 * 10 values written; the last list stands for 1 + 9 * 10 values wherever it is aliased
    value = parse_yaml(
        "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [" + ", ".join(["*a"] * 9) + "]\nc: [[*b]]\n", "f.yaml"
    )
    assert value["c"][0][0] is value["b"]


def test_many_values_without_aliases_are_never_an_alias_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import yamlread

    monkeypatch.setattr(yamlread, "EXPANSION_FLOOR", 1_000)  # the rule is relative: test it small
    # ten times the floor, and 'eras' after 'events' (a 50,000-event file was once refused so)
    rows = "\n".join(["  - [1, 2, 3, 4, 5, 6, 7, 8, 9]"] * 1_000)
    value = parse_yaml(f"events:\n{rows}\neras: [x]\n", "big.yaml")
    assert len(value["events"]) == 1_000 and value["eras"] == ["x"]


@pytest.mark.parametrize(("aliased", "refused"), [(8, False), (100, True)])
def test_expansion_is_bounded_relative_to_the_file(
    monkeypatch: pytest.MonkeyPatch, aliased: int, refused: bool
) -> None:
    from timeline import yamlread

    monkeypatch.setattr(yamlread, "EXPANSION_FLOOR", 1_000)
    # every row aliases a shared list: 5 values written per row stand for 5 + aliased values
    shared = "[" + ", ".join(["1"] * aliased) + "]"
    rows = "\n".join(["  - [1, 2, 3, *s]"] * 3_000)
    text = f"shared: &s {shared}\nrows:\n{rows}\n"
    if not refused:
        assert len(parse_yaml(text, "f.yaml")["rows"]) == 3_000
        return
    with pytest.raises(DataError) as exc:
        parse_yaml(text, "f.yaml")
    assert len(exc.value.problems) == 1
    assert "values through aliases (an alias bomb?); refused" in problems(exc)[0]
