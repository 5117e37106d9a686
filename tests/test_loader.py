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
        "bomb.yaml:8:1: expands to more than 1,000,000 values through aliases (an alias bomb?); refused"
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
