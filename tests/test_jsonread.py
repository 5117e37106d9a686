"""JSON data files: the same schema and the same checks as YAML, messages located by line and column."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml_rs

from timeline.errors import DataError
from timeline.loader import load

from .conftest import MINI


def as_json(indent: int | None = 2) -> str:
    return json.dumps(yaml_rs.loads(MINI.read_text(encoding="utf-8"), parse_datetime=False), indent=indent)


def write(tmp_path: Path, text: str, name: str = "events.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load([path], use_cache=False)
    return caught.value.lines()


def where(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("indent", [2, None])
def test_a_json_file_gives_the_timeline_its_yaml_gives(indent: int | None, tmp_path: Path) -> None:
    path = write(tmp_path, as_json(indent))
    from_json = load([path])
    assert dataclasses.replace(from_json, paths=()) == dataclasses.replace(load([MINI]), paths=())
    assert load([path]) == from_json  # and again, from the cache


def test_a_syntax_error_is_located_where_json_puts_it(tmp_path: Path) -> None:
    text = as_json().replace('"schema": 1,', '"schema": 1,,', 1)
    path = write(tmp_path, text)
    line, column = where(text, ",,")
    assert problems(path) == [
        f"{path}:{line}:{column + 1}: JSON syntax error: Expecting property name enclosed in double quotes"
    ]


def test_validation_problems_are_located_by_line_and_column(tmp_path: Path) -> None:
    text = as_json().replace('"title": "Fire and fury"', '"title": 5', 1)
    text = text.replace('"url": "https://news.test/threat"', '"url": "ftp://x"', 1)
    path = write(tmp_path, text)
    title = where(text, '"title": 5')
    url = where(text, '"ftp://x"')
    assert problems(path) == [
        f"{path}:{title[0]}:{title[1] + 9}: event 'threat': 'title' must be text, got a number",
        f"{path}:{url[0]}:{url[1]}: event 'threat', source #1: url 'ftp://x' must be an http:// or https:// address",
    ]


def test_a_duplicate_key_is_a_located_problem(tmp_path: Path) -> None:
    text = as_json().replace('"title": "Fire and fury",', '"title": "Fire and fury", "title": "Twice",', 1)
    path = write(tmp_path, text)
    line, column = where(text, '"title": "Twice"')
    assert problems(path) == [f"{path}:{line}:{column}: duplicate key 'title' (first at line {line})"]


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deep_nesting_is_refused_located(depth: int, tmp_path: Path) -> None:
    text = '{"extra": ' + "[" * depth + "]" * depth + "}"
    path = write(tmp_path, text)
    assert problems(path) == [f"{path}:1:{11 + 63}: nested deeper than 64 levels; refused"]


def test_an_empty_json_file_is_a_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert problems(path) == [f"{path}:1:1: JSON syntax error: Expecting value"]


def test_the_commands_read_json_data(tmp_path: Path, invoke: Callable[..., Any]) -> None:
    path = write(tmp_path, as_json())
    expected = invoke("--data", str(MINI), "filter", "--actor", "Kim", "--format", "csv")
    result = invoke("--data", str(path), "filter", "--actor", "Kim", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == expected.stdout
    checked = invoke("--data", str(path), "validate")
    assert checked.exit_code == 0
    assert checked.stdout.startswith(f"{path}: valid")
