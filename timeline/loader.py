"""Find the dataset (--data, $TIMELINE_DATA, packaged copy, checkout copy) and read YAML safely.

YAML is composed into nodes (C parser when present) and turned into plain values that remember
where they stood in the file, so that validation can say ``file:line:column``. Only the YAML
core types are built: tags such as ``!!python/object`` are refused, never executed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.errors import DataError, Problem

if TYPE_CHECKING:
    from timeline.models import Timeline

ENV_VAR = "TIMELINE_DATA"
MAX_BYTES = 32 * 1024 * 1024  # a dataset is text written by hand; larger means a wrong file
MAX_DEPTH = 64  # deeper than any sane dataset; bounds recursion


class Located:
    """Positions (1-based line, column) of a container and of each of its members."""

    mark: tuple[int, int] = (0, 0)
    marks: dict[Any, tuple[int, int]]


class Map(dict, Located):  # type: ignore[type-arg]
    """A YAML mapping that knows where it and each key stood."""

    def __init__(self) -> None:
        super().__init__()
        self.marks = {}
        self.key_marks: dict[Any, tuple[int, int]] = {}


class Seq(list, Located):  # type: ignore[type-arg]
    """A YAML sequence that knows where it and each item stood."""

    def __init__(self) -> None:
        super().__init__()
        self.marks = {}


def packaged_dataset() -> Path:
    """The shipped dataset: inside the installed package, or in the checkout for editable installs."""
    here = Path(__file__).resolve().parent
    inside = here / "data" / "events.yaml"
    if inside.is_file():
        return inside
    checkout = here.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data" / "events.yaml").is_file():
        return checkout / "data" / "events.yaml"
    raise DataError([Problem(str(inside), "the shipped dataset is missing; reinstall, or pass --data")])


def locate(paths: list[Path] | None = None, environ: dict[str, str] | None = None) -> list[Path]:
    """The files to read: explicit paths, else $TIMELINE_DATA (os.pathsep-separated), else shipped."""
    if paths:
        return list(paths)
    env = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return [packaged_dataset()]


def read_text(path: Path) -> str:
    """The file's text, UTF-8 (a byte-order mark is allowed); every failure is a DataError."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError([Problem(name, "is a directory, not a YAML file")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(
                [
                    Problem(
                        name,
                        f"is {size / 1048576:.1f} MiB; datasets over {MAX_BYTES // 1048576} MiB are refused",
                    )
                ]
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, "no such file")]) from None
    except PermissionError:
        raise DataError([Problem(name, "permission denied")]) from None
    except OSError as exc:
        raise DataError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    if b"\x00" in data[:8192]:
        raise DataError([Problem(name, "is a binary file, not YAML text")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [Problem(name, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column)]
        ) from None


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text into Map/Seq/scalars with positions; a syntax error is a DataError."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise DataError([Problem(name, f"YAML syntax error: {message}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DataError([Problem(name, f"YAML nested too deeply (over {MAX_DEPTH} levels)")]) from None
    if node is None:
        return None
    return _Builder(name).build(node)


class _Builder:
    """Turns composed nodes into values, refusing non-core tags, duplicate keys and deep nesting.

    Aliases resolve to the very same object, as in PyYAML, so an alias bomb costs nothing.
    """

    def __init__(self, name: str) -> None:
        import yaml

        self.yaml = yaml
        self.name = name
        self.constructor = yaml.constructor.SafeConstructor()
        self.done: dict[int, Any] = {}
        self.problems: list[Problem] = []

    def build(self, node: Any) -> Any:
        value = self._value(node, 0)
        if self.problems:
            raise DataError(self.problems)
        return value

    def _at(self, node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _value(self, node: Any, depth: int) -> Any:
        if id(node) in self.done:
            return self.done[id(node)]
        if depth > MAX_DEPTH:
            line, column = self._at(node)
            self.problems.append(Problem(self.name, f"nested deeper than {MAX_DEPTH} levels", line, column))
            raise DataError(self.problems)
        yaml = self.yaml
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                return self._refuse(node)
            result: Any = Map()
            result.mark = self._at(node)
            self.done[id(node)] = result
            for key_node, value_node in node.value:
                key = self._value(key_node, depth + 1)
                if isinstance(key, (dict, list)):
                    line, column = self._at(key_node)
                    self.problems.append(
                        Problem(self.name, "a mapping key must be a plain value", line, column)
                    )
                    continue
                if key in result:
                    line, column = self._at(key_node)
                    first = result.key_marks[key][0]
                    self.problems.append(
                        Problem(self.name, f"duplicate key {key!r} (first at line {first})", line, column)
                    )
                    continue
                result.key_marks[key] = self._at(key_node)
                result.marks[key] = self._at(value_node)
                result[key] = self._value(value_node, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._refuse(node)
            result = Seq()
            result.mark = self._at(node)
            self.done[id(node)] = result
            for index, item in enumerate(node.value):
                result.marks[index] = self._at(item)
                result.append(self._value(item, depth + 1))
            return result
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.startswith("tag:yaml.org,2002:python/"):
            return self._refuse(node)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value  # looks like a date but is not one: validation says why, in context
            line, column = self._at(node)
            reason = getattr(exc, "problem", None) or str(exc)
            self.problems.append(Problem(self.name, f"bad value: {reason}", line, column))
            return None
        if isinstance(value, dt.datetime):
            return value  # validation says why a time of day is wrong
        if isinstance(value, (bytes, set)):
            return self._refuse(node)
        self.done[id(node)] = value
        return value

    def _refuse(self, node: Any) -> None:
        line, column = self._at(node)
        self.problems.append(
            Problem(self.name, f"YAML tag {node.tag!r} is not allowed: only plain data is read", line, column)
        )
        return None


def load_raw(path: Path) -> Any:
    """Read one file into positioned plain values."""
    return parse_yaml(read_text(path), str(path))


def load(paths: list[Path] | None = None, *, use_cache: bool = True) -> Timeline:
    """Locate, read and validate the dataset(s); raises DataError listing every problem.

    An unchanged dataset comes from the cache of validated data (``timeline.cache``), so a
    normal start-up neither parses YAML nor imports the validator.
    """
    from timeline import cache

    files = locate(paths)
    key = cache.identity(files) if use_cache else None
    if key:
        cached = cache.read(key)
        if cached is not None:
            return cached
    docs: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            docs.append((str(path), load_raw(path)))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    from timeline.validate import build

    timeline = build(docs)
    if key:
        cache.write(key, timeline)
    return timeline
