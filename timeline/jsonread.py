"""Read a JSON data file (``.json``, the same schema as the YAML) into values that know their place.

The loader reads a JSON file fast with the ``json`` module (``timeline.fastload.parse_json``)
and validates the plain values. Only when there is a problem to report is the text read again
here, into the ``Map``/``Seq`` values of ``timeline.yamlread`` with the line and column of each
value and key, so that every message of validation is located as it is for YAML. A syntax error
is reported where ``json.JSONDecodeError`` puts it. The limits are those of YAML files: at most
``yamlread.MAX_DEPTH`` levels of nesting (checked here, without recursion), a duplicate key is
a problem located at its second occurrence, and the size limit is the loader's. JSON has no
aliases, so there is no expansion to bound.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NoReturn

from timeline.errors import DataError, Problem
from timeline.yamlread import MAX_DEPTH, Map, Seq

_SPACE = re.compile(r"[ \t\n\r]*")
_CONSTANTS = {"true": True, "false": False, "null": None}
_SPECIAL = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}  # as json reads them


def parse_json(text: str, name: str) -> Any:
    """Parse JSON text into Map/Seq/scalars with positions; every failure is a DataError."""
    import json

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(name, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno)]) from None
    except RecursionError:
        pass  # nested past json's own recursion limit: the reader below refuses it, located
    return _Reader(text, name).run()


class _Reader:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.breaks = [match.start() for match in re.finditer("\n", text)]
        self.problems: list[Problem] = []

    def mark(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.breaks, offset)
        start = self.breaks[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def fail(self, message: str, offset: int) -> NoReturn:
        self.problems.append(Problem(self.name, message, *self.mark(offset)))
        raise DataError(self.problems)

    def scalar(self, at: int) -> tuple[Any, int]:
        """The scalar at ``at`` (a string, number or constant) and the offset after it."""
        import json.decoder
        import json.scanner

        text = self.text
        if text[at] == '"':
            return json.decoder.scanstring(text, at + 1)  # type: ignore[no-any-return]
        number = json.scanner.NUMBER_RE.match(text, at)
        if number:
            integer, fraction, exponent = number.groups()
            if fraction or exponent:
                return float(integer + (fraction or "") + (exponent or "")), number.end()
            return int(integer), number.end()
        for word, value in (*_CONSTANTS.items(), *_SPECIAL.items()):
            if text.startswith(word, at):
                return value, at + len(word)
        self.fail("JSON syntax error: expected a value", at)

    def run(self) -> Any:
        text = self.text
        position = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
        stack: list[Any] = []  # open containers; for a Map, the pending key and its offset
        keys: list[tuple[Any, int]] = []
        root: Any = None
        while True:
            # a value starts at `position`
            start = position
            char = text[position : position + 1]
            if char in ("{", "["):
                if len(stack) >= MAX_DEPTH:
                    self.fail(f"nested deeper than {MAX_DEPTH} levels; refused", start)
                value: Any = Map() if char == "{" else Seq()
                value.mark = self.mark(start)
                position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            else:
                value, position = self.scalar(position)
                position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if stack:
                self.attach(stack[-1], keys, value, start)
            else:
                root = value
            if isinstance(value, (Map, Seq)):
                stack.append(value)
                keys.append((None, 0))
            # close what ends here, then find where the next value starts
            while stack:
                container = stack[-1]
                closing = "}" if isinstance(container, Map) else "]"
                if text.startswith(closing, position):
                    stack.pop()
                    keys.pop()
                    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
                    continue
                if len(container) or keys[-1][0] is not None:
                    if not text.startswith(",", position):
                        self.fail("JSON syntax error: expected ',' or the end of a list or object", position)
                    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
                if isinstance(container, Map):
                    key_at = position
                    if not text.startswith('"', position):
                        self.fail("JSON syntax error: expected a key in double quotes", position)
                    key, position = self.scalar(position)
                    position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
                    if not text.startswith(":", position):
                        self.fail("JSON syntax error: expected ':'", position)
                    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
                    keys[-1] = (key, key_at)
                break
            if not stack:
                break
        if self.problems:
            raise DataError(self.problems)
        return root

    def attach(self, container: Any, keys: list[tuple[Any, int]], value: Any, start: int) -> None:
        mark = self.mark(start)
        if isinstance(container, Seq):
            container.marks[len(container)] = mark
            container.append(value)
            return
        key, key_at = keys[-1]
        keys[-1] = (None, 0)
        key_mark = self.mark(key_at)
        if key in container:
            first = container.key_marks[key][0]
            self.problems.append(
                Problem(self.name, f"duplicate key {key!r} (first at line {first})", *key_mark)
            )
            return
        container.key_marks[key] = key_mark
        container.marks[key] = mark
        container[key] = value
