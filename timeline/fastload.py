"""The fast path of a first run: YAML read without positions, for a file that turns out valid.

``timeline.yamlread`` keeps the line and column of every value so that validation can say
``file:line:column``; that costs about a second per 10,000 events. Most files are valid, and a
valid file needs no positions. So the loader first reads the text with the Rust parser of
``yaml-rs`` (about 30× faster) into plain dicts and lists, validates those, and only when
anything is wrong re-reads the file with positions, so that every message is exactly the
positioned one. This module never reports a problem itself: it answers the plain values, or
None when it cannot vouch that they are exactly what ``yamlread`` would build.

``yaml-rs`` reads YAML 1.2 and ``yamlread`` (PyYAML) YAML 1.1, and their limits differ, so the
fast path is taken only for text where the two cannot disagree. The text is refused (None: read
it with positions) when it holds anything that could be

- a tag (``!``), an anchor or alias (``&``, ``*``), a merge key (``<<``), a directive or a
  second document: ``yamlread`` refuses or counts these (alias bombs), so it reads them;
- a tab, or a character YAML does not allow (PyYAML refuses it where yaml-rs may not);
- block nesting deeper than ``yamlread.MAX_DEPTH`` could start (a line whose indentation and
  block indicators are 32 characters wide or more; yaml-rs itself stops flow nesting at 256
  levels and recurses on block nesting, so deep block nesting never reaches it);
- a plain number YAML 1.1 and 1.2 read differently (leading zero, ``0o``, an exponent
  without a dot), right after ``:``, ``-``, ``[`` or ``,``;

and the values are refused when a string among them is one that YAML 1.1 would have read as
something else had it been written plain (``yes``, ``on``, ``1:20``, a date outside a date
field...), since yaml-rs gives no sign of whether it was quoted. Duplicate keys are an error
of yaml-rs here, which also sends the file down the positioned path. Validation of what is
built then refuses any nesting deeper than the schema's few levels, so a fast-path result
never holds anything ``MAX_DEPTH`` would refuse. The size limit is the loader's, before either.

The cyclic garbage collector is paused while millions of objects are built (``gcpause``):
none of them is garbage, and its passes over them cost more than the building itself.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

# Text the fast path leaves to yamlread (see the module docstring). Each pattern is searched
# only when a plain substring test says it could match: one combined pattern costs 20x more.
_TOKEN = re.compile(r"(?:^|[\s\[\]{},])(?:!|[&*][^\s])")  # a tag, an anchor or an alias
_DOCUMENT = re.compile(r"(?m:^(?:%|---|\.\.\.))")  # a directive, a document marker
_DEEP = re.compile(r"\n[ ?:-]{32}")  # deep block nesting could start here
_NUMBER = re.compile(r"[:\-\[,] +[-+]?(?:0[0-9oOxXbB_]|[0-9][0-9_]*[eE])")  # read differently
# characters PyYAML's reader refuses (its Reader.NON_PRINTABLE), and the line breaks of YAML 1.1
# that YAML 1.2 reads as text (NEL, LINE and PARAGRAPH SEPARATOR)
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_TEXT = bytes(range(0x20, 0x7F)) + b"\n\r"


def _refused(text: str) -> bool:
    """Whether the text holds anything the fast path leaves to yamlread."""
    if "\t" in text or "<<" in text or text.startswith("\ufeff"):
        return True
    if ("!" in text or "&" in text or "*" in text) and _TOKEN.search(text):
        return True
    if (text.startswith(("%", "---", "...")) or "\n%" in text or "\n---" in text or "\n..." in text) and (
        _DOCUMENT.search(text)
    ):
        return True
    if _DEEP.search("\n" + text[:64]) or _DEEP.search(text):
        return True
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_TEXT))
    return bool(_NOT_PRINTABLE.search(text))


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_KEYS = frozenset(("date", "end", "start"))
_NUMBER_KEYS = _DATE_KEYS | {"schema"}  # where validation accepts a number
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def parse_plain(text: str | bytes) -> tuple[bool, Any]:
    """(True, plain values) when the fast path vouches for them, else (False, None). ``text`` may
    be the file's UTF-8 bytes: they are decoded a piece at a time, and the whole file never becomes
    one string (with a single non-ASCII character in it, a string takes 2 or 4 bytes a character:
    the whole file's would double the peak memory of a first run)."""
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency; without it, read with positions
        return False, None
    data = text.encode("utf-8", "surrogatepass") if type(text) is str else text
    try:
        value = _in_pieces(data, yaml_rs.loads)
    except Exception:  # any refusal (not UTF-8, refused text, a parse error): the positioned path says why
        return False, None
    agrees, numbers = _agrees(value)
    if not agrees or (numbers and _NUMBER_BYTES.search(data)):
        return False, None
    return True, value


_NUMBER_BYTES = re.compile(_NUMBER.pattern.encode("ascii"))  # all ASCII: the same matches in UTF-8
_EVENTS_KEY = re.compile(rb"^events:[ ]*(?:#[^\n]*)?\n", re.MULTILINE)
_PIECE = 2000  # events parsed at a time


class _NotSplit(Exception):
    """The pieces did not reassemble into the document they were cut from."""


class _Refused(Exception):
    """A piece of the text holds something the fast path leaves to yamlread (``_refused``)."""


def _checked(data: bytes) -> str:
    """A piece of the file, cut at the start of a line, decoded (strictly) and checked."""
    text = data.decode("utf-8")
    if _refused(text):
        raise _Refused
    return text


def _in_pieces(data: bytes, loads: Any) -> Any:
    """The document, with its top-level ``events`` block list parsed a few thousand items at a
    time: yaml-rs holds its own tree of what it parses besides the Python values, and the whole
    file at once doubles the peak memory of a first run. Each piece is decoded and checked
    (``_refused``) on its own, cut at the start of a line, where none of the checks' patterns
    can straddle the cut, so every part of the text is checked once.

    The list is cut only before a line holding ``-`` at the items' indentation, which in a
    block list starts the next item unless it is inside a quoted scalar or a flow collection;
    a piece cut there does not parse (an unclosed quote or bracket), nor does a document whose
    ``events: []`` stand-in fell inside a string. Either way the text is refused as a whole.
    """
    found = _EVENTS_KEY.search(data)
    if found is None:
        return loads(_checked(data), parse_datetime=False)
    begin = found.end()
    first = re.compile(rb"^( *)-(?: |$)", re.MULTILINE).match(data, _skip_blank(data, begin))
    if first is None:
        return loads(_checked(data), parse_datetime=False)
    indent = first.group(1)
    # the block ends at the first line, not blank nor a comment, indented less than its items,
    # or at the same indentation without an item's "-"
    end_match = re.compile(
        rb"^(?! *(?:#|$))(?!" + indent + rb"-(?: |$))(?!" + indent + rb" )", re.MULTILINE
    ).search(data, first.start())
    end = end_match.start() if end_match else len(data)
    starts = [
        m.start()
        for m in re.compile(rb"^" + indent + rb"-(?: |$)", re.MULTILINE).finditer(data, first.start(), end)
    ]
    _checked(data[found.start() : first.start()])  # the key's line and what precedes the first item
    rest = _checked(data[: found.start()]) + "events: []\n" + _checked(data[end:])
    document = loads(rest, parse_datetime=False)
    if type(document) is not dict or document.get("events") != []:
        raise _NotSplit("events")
    events: list[Any] = []
    bounds = [*starts[::_PIECE], end]
    for low, high in itertools.pairwise(bounds):
        piece = loads(_checked(data[low:high]), parse_datetime=False)
        if type(piece) is not list:
            raise _NotSplit("piece")
        events += piece
    if len(events) != len(starts):
        raise _NotSplit("count")
    document["events"] = events
    return document


def _skip_blank(data: bytes, position: int) -> int:
    """The start of the first line from ``position`` that is neither blank nor a comment."""
    blank = re.compile(rb"(?: *(?:#[^\n]*)?\n)*")
    return blank.match(data, position).end()  # type: ignore[union-attr]


@functools.lru_cache(maxsize=4096)
def _plain_is_text(text: str) -> bool:
    """Whether yaml-rs reads ``text`` written plain as a string (then it may have been plain)."""
    import yaml_rs

    try:
        return type(yaml_rs.loads("k: " + text, parse_datetime=False).get("k")) is str
    except Exception:  # not even a plain scalar: it was quoted
        return False


def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    import yaml

    table: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
    return {
        first: [(tag, pattern) for tag, pattern in entries if tag != _STR_TAG]
        for first, entries in table.items()
        if first
    }


def _agrees(root: Any) -> tuple[bool, bool]:
    """(agrees, numbers): agrees when no string among the values would be something else to
    YAML 1.1, had it been written plain (a full date, YYYY-MM-DD, in a date field is allowed, as
    validation reads the date and its text alike); numbers when a number stands where
    validation accepts one (a date's year, the schema), so that how it was written matters."""
    resolvers = _resolvers()

    def ambiguous(text: str, date_field: bool) -> bool:
        for tag, pattern in resolvers.get(text[:1], ()):
            if pattern.match(text):
                if date_field and tag == _TIMESTAMP_TAG and _FULL_DATE.fullmatch(text):
                    return False
                # a string that yaml-rs too reads as something else when plain was quoted
                return _plain_is_text(text)
        return False

    numbers = False
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        if type(value) is dict:
            for key, item in value.items():
                kind = type(item)
                if kind is str:
                    if item and item[0] in resolvers and ambiguous(item, key in _DATE_KEYS):
                        return False, numbers
                elif kind is dict or kind is list:
                    push(item)
                elif (kind is int or kind is float) and key in _NUMBER_KEYS:
                    numbers = True
                if type(key) is str and key and key[0] in resolvers and ambiguous(key, False):
                    return False, numbers
        elif type(value) is list:
            for item in value:
                kind = type(item)
                if kind is str:
                    if item and item[0] in resolvers and ambiguous(item, False):
                        return False, numbers
                elif kind is dict or kind is list:
                    push(item)
        elif type(value) is str and value and value[0] in resolvers and ambiguous(value, False):
            return False, numbers
    return True, numbers


class _Duplicate(ValueError):
    """A JSON object with a key twice: the positioned reader reports it."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Duplicate
    return value


def parse_json(text: str | bytes) -> tuple[bool, Any]:
    """(True, plain values) of a JSON data file (its text, or its UTF-8 bytes), else (False, None):
    not UTF-8, a syntax error, a duplicate key or nesting past json's own limit, which
    ``timeline.jsonread`` and the loader then report, located."""
    import json

    try:
        if type(text) is bytes:
            text = text.decode("utf-8")  # strictly: json.loads would let an encoded surrogate through
        return True, json.loads(text, object_pairs_hook=_unique)
    except (ValueError, RecursionError):  # UnicodeDecodeError, JSONDecodeError, _Duplicate: ValueErrors
        return False, None
