"""Read YAML text into plain values that remember where they stood: ``file:line:column``.

YAML is read as the parser's event stream (libyaml when present) and built, with an explicit
stack, into plain values that remember where they stood in the file, so that validation can say
``file:line:column``. Only the YAML core types are built: tags such as ``!!python/object`` are
refused, never executed; a value that does not fit its explicit tag (``!!bool foo``) is a problem.

Limits, set by shape and by expansion rather than by size, so that an honest file of any size
(100,000 events, about 10 million values) is read, and a hostile one is refused before it costs
more than reading it did:

- nesting: at most ``MAX_DEPTH`` (64) levels of mappings and sequences. Recent libyaml builds
  refuse very deep flow nesting with its own message; the text is then re-read with PyYAML's
  pure-Python parser, so that the refusal is the same with every PyYAML;
- aliases: the values a document expands to, counting each alias as the whole value it names,
  may exceed ``EXPANSION_FLOOR`` (1,000,000) only while they stay within ``MAX_EXPANSION`` (10)
  times the values written in the file. A file without aliases is never refused by this rule.

The size of the file itself is bounded by ``timeline.loader.MAX_BYTES``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from timeline.errors import DataError, Problem

MAX_DEPTH = 64  # deeper than any sane dataset; bounds the builder's stack
EXPANSION_FLOOR = 1_000_000  # values after expanding aliases that any file may reach
MAX_EXPANSION = 10  # beyond the floor: expanded values per value written in the file


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

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _parse(text, name, fast)
        except _TooDeep:
            pass  # libyaml's own nesting limit: re-read so that our limit answers, as everywhere
    try:
        return _parse(text, name, yaml.SafeLoader)
    except _TooDeep as exc:  # pragma: no cover - the pure-Python parser has no nesting limit
        raise DataError([exc.problem]) from None


class _TooDeep(Exception):
    """libyaml refused to nest deeper than its own limit (as in PyYAML 6.0.4's wheels)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _parse(text: str, name: str, loader_class: Any) -> Any:
    import yaml

    loader = None
    try:
        loader = loader_class(text)  # the pure-Python reader checks the characters here
        return _Builder(name, loader).run()
    except yaml.reader.ReaderError as exc:
        # Unlike the others, this error has no mark; libyaml counts its position in bytes.
        index = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        if index < 0:
            index = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(text[index : index + 1] or "\0")
        message = (
            f"character U+{code:04X} is not allowed in YAML text; write it as an escape in double quotes"
        )
        raise DataError([Problem(name, f"YAML syntax error: {message}", line, column)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = Problem(name, f"YAML syntax error: {message}", line, column)
        if "maximum nesting depth" in str(exc.problem):
            raise _TooDeep(problem) from None
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            problem = Problem(
                name,
                "YAML syntax error: a tab where YAML needs spaces (indent with spaces only)",
                line,
                column,
            )
        raise DataError([problem]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, "YAML error: " + " ".join(str(exc).split()))]) from None
    finally:
        if loader is not None:
            loader.dispose()


_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_STR = _CORE + "str"
_NO_KEY = object()


class _Frame:
    __slots__ = ("container", "key", "key_mark", "start")

    def __init__(self, container: Any, start: int) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.start = start  # the expanded count before this container


class _Builder:
    """Builds values from the parser's event stream with an explicit stack.

    PyYAML's composer recurses once per nesting level (the C one until the process crashes), so
    it is not used: depth is bounded here before anything recurses. Only the YAML core types are
    built; other tags are refused. Aliases resolve to the very same object, and their expanded
    size is counted wherever they stand, so an alias bomb is refused without being expanded.
    """

    def __init__(self, name: str, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.name = name
        self.loader = loader
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, Any] = {}
        self.sizes: dict[int, int] = {}  # expanded size of each finished anchored container
        self.problems: list[Problem] = []
        self.written = 0  # values as written in the file (an alias is one)
        self.expanded = 0  # values once every alias is replaced by what it names

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
                self.sizes[id(frame.container)] = self.expanded - frame.start
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
            start = self.expanded
            self.count(size, mark)
            if stack:
                self.attach(stack[-1], value, mark)
            else:
                root = value
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append(_Frame(value, start))
        if self.problems:
            raise DataError(self.problems)
        return root

    def count(self, size: int, mark: tuple[int, int]) -> None:
        """Count one value written in the file that stands for ``size`` values once expanded."""
        self.written += 1
        self.expanded += size
        if self.expanded > EXPANSION_FLOOR:
            limit = max(EXPANSION_FLOOR, MAX_EXPANSION * self.written)
            if self.expanded > limit:
                self.fail(
                    f"expands to more than {limit:,} values through aliases (an alias bomb?); refused", mark
                )

    def scalar(self, event: Any, mark: tuple[int, int]) -> Any:
        yaml = self.yaml
        tag = event.tag
        explicit = tag not in (None, "!")
        if not explicit:
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _CORE + "merge":
            self.fail("merge keys ('<<') are not supported: write the fields out", mark)
        if tag == _STR:
            return event.value  # most values: what the constructor would return, without its cost
        if tag not in _SCALAR_TAGS:
            self.refuse(tag, mark)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # SafeConstructor raises KeyError, IndexError... on odd explicit values
            if tag == _CORE + "timestamp" and not explicit:
                return event.value  # looks like a date but is not one: validation says why, in context
            shown = "!!" + tag[len(_CORE) :]
            reason = getattr(exc, "problem", None) or (exc if isinstance(exc, ValueError) else None)
            text = event.value if len(event.value) <= 40 else event.value[:39] + "…"
            self.problem(f"{text!r} is not a valid {shown} value" + (f" ({reason})" if reason else ""), mark)
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
