"""Read YAML text into plain values that remember where they stood: ``file:line:column``.

YAML is read as the parser's event stream (libyaml when present) and built, with an explicit
stack, into plain values that remember where they stood in the file, so that validation can say
``file:line:column``. Only the YAML core types are built: tags such as ``!!python/object`` are
refused, never executed.
"""

from __future__ import annotations

from typing import Any, NoReturn

from timeline.errors import DataError, Problem

MAX_DEPTH = 64  # deeper than any sane dataset; bounds the builder's stack


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


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text into Map/Seq/scalars with positions; every failure is a DataError."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return _Builder(name, loader).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message = "a tab where YAML needs spaces (indent with spaces only)"
        raise DataError([Problem(name, f"YAML syntax error: {message}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()


MAX_VALUES = 1_000_000  # values after expanding aliases; far above any real dataset
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NO_KEY = object()


class _Frame:
    __slots__ = ("container", "key", "key_mark", "size")

    def __init__(self, container: Any) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.size = 1


class _Builder:
    """Builds values from the parser's event stream with an explicit stack.

    PyYAML's composer recurses once per nesting level (the C one until the process crashes), so
    it is not used: depth is bounded here before anything recurses. Only the YAML core types are
    built; other tags are refused. Aliases resolve to the very same object, and their expanded
    size is counted, so an alias bomb is refused without being expanded.
    """

    def __init__(self, name: str, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.name = name
        self.loader = loader
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[int, int] = {}
        self.problems: list[Problem] = []

    def fail(self, message: str, mark: tuple[int, int] | None = None) -> NoReturn:
        line, column = mark if mark else (None, None)
        self.problems.append(Problem(self.name, message, line, column))
        raise DataError(self.problems)

    def problem(self, message: str, mark: tuple[int, int]) -> None:
        self.problems.append(Problem(self.name, message, mark[0], mark[1]))

    def run(self) -> Any:
        yaml = self.yaml
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        while True:
            event = self.loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            mark = (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.fail("holds more than one YAML document ('---'); put everything in one", mark)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                frame = stack.pop()
                self.sizes[id(frame.container)] = frame.size
                if stack:
                    stack[-1].size += frame.size
                continue
            size = 1
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    self.fail(f"unknown alias *{event.anchor}", mark)
                value = self.anchors[event.anchor]
                size = self.sizes.get(id(value), 1)
            elif isinstance(event, yaml.ScalarEvent):
                value = self.scalar(event, mark)
            else:  # a sequence or mapping starts
                is_map = isinstance(event, yaml.MappingStartEvent)
                if event.tag not in (None, "!", _CORE + ("map" if is_map else "seq")):
                    self.refuse(event.tag, mark)
                if len(stack) >= MAX_DEPTH:
                    self.fail(f"nested deeper than {MAX_DEPTH} levels; refused", mark)
                value = Map() if is_map else Seq()
                value.mark = mark
            if getattr(event, "anchor", None) and not isinstance(event, yaml.AliasEvent):
                self.anchors[event.anchor] = value
            if stack:
                stack[-1].size += size
                if stack[0].size > MAX_VALUES:
                    limit = f"{MAX_VALUES:,}"
                    self.fail(
                        f"expands to more than {limit} values through aliases (an alias bomb?); refused", mark
                    )
                self.attach(stack[-1], value, mark)
            else:
                root = value
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append(_Frame(value))
        if self.problems:
            raise DataError(self.problems)
        return root

    def scalar(self, event: Any, mark: tuple[int, int]) -> Any:
        yaml = self.yaml
        tag = event.tag
        if tag in (None, "!"):
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            self.refuse(tag, mark)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            if tag == _CORE + "timestamp":
                return event.value  # looks like a date but is not one: validation says why, in context
            self.problem(f"bad value: {getattr(exc, 'problem', None) or exc}", mark)
            return None

    def refuse(self, tag: str, mark: tuple[int, int]) -> NoReturn:
        self.fail(f"YAML tag {tag!r} is not allowed: only plain data is read", mark)

    def attach(self, frame: _Frame, value: Any, mark: tuple[int, int]) -> None:
        container = frame.container
        if isinstance(container, Seq):
            container.marks[len(container)] = mark
            container.append(value)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                self.problem("a mapping key must be a plain value", mark)
                value = object()  # a placeholder that matches nothing
            frame.key, frame.key_mark = value, mark
            return
        key, frame.key = frame.key, _NO_KEY
        if key in container:
            first = container.key_marks[key][0]
            self.problem(f"duplicate key {key!r} (first at line {first})", frame.key_mark)
            return
        container.key_marks[key] = frame.key_mark
        container.marks[key] = mark
        container[key] = value
