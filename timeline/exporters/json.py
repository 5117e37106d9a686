"""JSON: an array of events with every schema field; dates as ISO strings at their precision.

The JSON Schema of this output ships beside this module (``events.schema.json``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import partial
from importlib import resources
from typing import Any

from timeline.exporters import ExportOptions
from timeline.models import Event, PartialDate, Timeline
from timeline.parallel import map_events


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value else None


def event_record(event: Event, timeline: Timeline) -> dict[str, Any]:
    """The documented JSON object for one event (see README, "JSON output")."""
    return {
        "id": event.id,
        "date": event.date.iso(),
        "end": _date(event.end),
        "precision": event.date.precision,
        "first_day": event.start.isoformat(),
        "last_day": event.finish.isoformat(),
        "title": event.title,
        "summary": event.summary,
        "actors": list(event.actors),
        "actor_names": [timeline.actor_name(a) for a in event.actors],
        "tags": list(event.tags),
        "place": event.place,
        "cameo": event.cameo,
        "quotes": [{"text": q.text, "by": q.by} for q in event.quotes],
        "sources": [
            {"title": s.title, "publisher": s.publisher, "url": s.url, "date": _date(s.date), "kind": s.kind}
            for s in event.sources
        ],
        "related": list(event.related),
    }


def schema() -> str:
    """The JSON Schema (draft 2020-12) that every export of this module validates against."""
    return resources.files(__package__).joinpath("events.schema.json").read_text(encoding="utf-8")


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The export as it is written, an event at a time: the text of
    ``json.dumps(records, ensure_ascii=False, indent=2) + "\\n"``, which with ``indent`` falls
    back to json's pure-Python encoder; here strings go through its C escaper."""
    if not events:
        yield "[]\n"
        return
    separator = "[\n  "
    for text in map_events(events, partial(_records, timeline=timeline)):
        yield separator + text
        separator = ",\n  "
    yield "\n]\n"


def _records(events: list[Event], timeline: Timeline) -> str:
    return ",\n  ".join(indented(event_record(event, timeline), "  ") for event in events)


_string = json.encoder.encode_basestring  # the C escaper when present, as json uses it here


def indented(value: Any, indent: str) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` lays it out at ``indent``
    (strings through json's C escaper: with ``indent``, ``json.dumps`` is pure Python)."""
    kind = type(value)
    if kind is str:
        return _string(value)  # type: ignore[no-any-return]
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        items = [
            f"{inner}{_string(k)}: {_string(v) if type(v) is str else indented(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if kind is list:
        if not value:
            return "[]"
        inner = indent + "  "
        items = [inner + (_string(v) if type(v) is str else indented(v, inner)) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    if kind is int:
        return int.__repr__(value)  # as json writes an int
    return json.dumps(value)  # None, booleans and floats, as json writes them
