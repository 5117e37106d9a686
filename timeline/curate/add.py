"""`timeline add` and `timeline new`: a new event written into a dataset file, in the file's style.

The file is never re-serialised: the new event is rendered as YAML text in the file's own
indentation and quoting, and inserted between two existing lines (in date order), so every other
byte (comments, key order, quoting, blank lines, line width) stays exactly as it was. The whole
new text is parsed and validated before anything is written, and the write is atomic.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline.errors import DataError, Problem, UsageError

REQUIRED = ("date", "title", "sources")
# The order of an event's keys in the file (the shipped data's order).
ORDER = ("id", "date", "end", "title", "summary", "actors", "tags", "place", "cameo", "quotes", "sources")
SOURCE_ORDER = ("title", "publisher", "url", "date", "kind")
WIDTH = 104  # where the shipped file folds long text


@dataclass(frozen=True)
class Style:
    """How the file lays out its events: the column of an event's '- ' and whether nested lists
    are indented under their key."""

    indent: int = 0
    nested_indent: bool = False


@dataclass(frozen=True)
class Addition:
    """The result of adding an event: the new file text, the event's id and a unified diff."""

    text: str
    event_id: str
    diff: str
    lines: range  # the 1-based line numbers of the new event in the new text


def slug(title: str, limit: int = 60) -> str:
    """A kebab-case id from a title: ASCII letters and digits, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "event"


def propose_id(title: str, date: str, taken: set[str]) -> str:
    """A stable id from the title, made unique with the date (and then a number) if needed."""
    base = slug(title)
    if base not in taken:
        return base
    dated = f"{base}-{slug(str(date))}"
    if dated not in taken:
        return dated
    number = 2
    while f"{dated}-{number}" in taken:
        number += 1
    return f"{dated}-{number}"


def detect_style(text: str) -> Style:
    """The indentation the file uses for events and for the lists inside them."""
    lines = text.splitlines()
    indent = 0
    for line in lines:
        match = re.match(r"^( *)- id:", line)
        if match:
            indent = len(match.group(1))
            break
    nested = False
    for number, line in enumerate(lines[:-1]):
        match = re.match(r"^( *)sources:\s*$", line)
        if match:
            following = lines[number + 1]
            nested = len(following) - len(following.lstrip(" ")) > len(match.group(1))
            break
    return Style(indent, nested)


def render(event: dict[str, Any], style: Style) -> str:
    """The event as YAML text in the file's style: quoted dates and codes, folded summaries."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, indentless and not style.nested_indent)

    def text_node(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        if len(value) > 70 and "\n" not in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    def list_node(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
        flat = all(not isinstance(item, (dict, list)) for item in value)  # [a, b] on one line
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)

    Dumper.add_representer(str, text_node)
    Dumper.add_representer(list, list_node)
    dumped = yaml.dump(
        [event],
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH - style.indent,
        default_flow_style=False,
    )
    dumped = dumped.replace(": >\n", ": >-\n")  # the file's folded style keeps no final newline
    pad = " " * style.indent
    return "".join(pad + line if line.strip() else line for line in dumped.splitlines(keepends=True))


def ordered(event: dict[str, Any]) -> dict[str, Any]:
    """The event's keys in the file's order; sources' keys likewise; empty values left out."""
    out: dict[str, Any] = {}
    for key in (*ORDER, *[k for k in event if k not in ORDER]):
        value = event.get(key)
        if value in (None, "", [], ()):
            continue
        if key == "sources":
            value = [
                {k: s[k] for k in (*SOURCE_ORDER, *[k for k in s if k not in SOURCE_ORDER]) if s.get(k)}
                for s in value
            ]
        out[key] = value
    return out


def insert(path: Path, text: str, event: dict[str, Any]) -> Addition:
    """Insert ``event`` (plain values) into the dataset ``text`` read from ``path``, in date
    order; validate the result; return it with its diff. Raises DataError (nothing written)."""
    from timeline.dates import parse_data_date
    from timeline.validate import build
    from timeline.yamlread import parse_yaml

    name = str(path)
    missing = [key for key in REQUIRED if not event.get(key)]
    if missing:
        raise UsageError(f"the new event needs {', '.join(missing)}")
    top = parse_yaml(text, name)
    if not isinstance(top, dict) or not isinstance(top.get("events"), list):
        raise DataError([Problem(name, "has no 'events' list to add to")])
    events = top["events"]
    taken = {e.get("id") for e in events if isinstance(e, dict)}
    event = dict(event)
    if not event.get("id"):
        event["id"] = propose_id(str(event["title"]), str(event["date"]), taken)  # type: ignore[arg-type]
    elif event["id"] in taken:
        raise UsageError(f"an event with id {event['id']!r} exists already; choose another --id")
    try:
        when = parse_data_date(event["date"]).first_day
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None
    lines = text.splitlines(keepends=True)
    at = _insertion_line(top, events, when, len(lines))
    while 0 < at < len(lines) and lines[at - 1].lstrip().startswith("#"):
        at -= 1  # keep the comments that introduce the next event above it
    block = render(ordered(event), detect_style(text))
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    new_lines = [*lines[:at], block, *lines[at:]]
    new_text = "".join(new_lines)
    raw = parse_yaml(new_text, name)
    build([(name, raw)])  # raises DataError with file:line:column of the new text
    block_lines = range(at + 1, at + 1 + block.count("\n"))
    if isinstance(raw, dict) and ("tags" in raw or "publishers" in raw):
        # a file that declares its vocabularies holds a new event to them (validate --strict)
        from timeline.curate.strict import check

        problems = [p for p in check([(name, raw)]) if p.line in block_lines]
        if problems:
            raise DataError(problems)
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            f"a/{path.name}",
            f"b/{path.name}",
        )
    )
    return Addition(new_text, str(event["id"]), diff, block_lines)


def _insertion_line(top: Any, events: list[Any], when: Any, end: int) -> int:
    """The 0-based line before which the new event goes: before the first later event (and the
    comments directly above it), else after the last event."""
    from timeline.dates import parse_data_date

    for index, item in enumerate(events):
        try:
            first = parse_data_date(item.get("date")).first_day if isinstance(item, dict) else None
        except ValueError:
            first = None
        if first is not None and first > when:
            return events.marks[index][0] - 1
    # after the last event: the line of the next top-level key below 'events', else the end
    events_line = top.key_marks["events"][0]
    later = sorted(line for line, _ in top.key_marks.values() if line > events_line)
    if later and events and events.marks[len(events) - 1][0] < later[0]:
        return later[0] - 1
    return end


def template(style: Style) -> str:
    """A commented template event in the file's style, for `timeline new`."""
    pad = " " * style.indent
    sub = "  " if style.nested_indent else ""
    body = f"""- id: short-kebab-case-id        # stable and unique; never changed once published
  date: 'YYYY-MM-DD'              # the local date where it happened (YYYY-MM or YYYY if less is known)
  # end: 'YYYY-MM-DD'             # the last day, for an event that spans several days
  title: One line saying what happened
  summary: >-
    One to three sentences of plain fact; every fact in at least one source below.
  actors: [actor-id]              # ids from 'actors' (see `timeline actors`)
  tags: [diplomacy]               # from the tag vocabulary (see `timeline tags`)
  place: City, Country
  cameo: '036'                    # CAMEO code of the main action, quoted
  quotes:                         # optional; verbatim from a cited source
  {sub}- text: >-
  {sub}    The exact words.
  {sub}  by: actor-id
  sources:                        # at least one; two independent ones where they exist
  {sub}- title: The headline as published
  {sub}  publisher: Publisher Name
  {sub}  url: https://the-exact-address-you-read
  {sub}  date: 'YYYY-MM-DD'         # the publication date
  {sub}  kind: secondary           # primary for an official text (statement, treaty, KCNA)
"""
    return "".join(pad + line if line.strip() else line for line in body.splitlines(keepends=True))
