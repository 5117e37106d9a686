"""CSV for spreadsheets: one row per event, in a fixed, documented column order.

Columns (README, "CSV columns"): id, date, end, first_day, last_day, precision, title, summary,
actors, actor_ids, tags, place, cameo, quotes, source_count, then for N = 1 … the largest number
of sources on an exported event: source_N_publisher, source_N_title, source_N_date, source_N_url.

Text is folded to one line. A cell holding several values (actors, actor_ids, tags, quotes) lists
them one per line, so splitting the cell on newlines gives the values back. A cell that a
spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is prefixed with an apostrophe, the convention spreadsheets read as "this is text".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from functools import partial

from timeline import escape
from timeline.exporters import ExportOptions
from timeline.models import Event, Timeline
from timeline.parallel import map_events

FIXED_COLUMNS = (
    "id",
    "date",
    "end",
    "first_day",
    "last_day",
    "precision",
    "title",
    "summary",
    "actors",
    "actor_ids",
    "tags",
    "place",
    "cameo",
    "quotes",
    "source_count",
)
SOURCE_FIELDS = ("publisher", "title", "date", "url")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A cell value that a spreadsheet shows as text, never evaluates."""
    return cells([value])[0]


def cells(values: list[str]) -> list[str]:
    """``cell`` of each value (one row at a time: a call per cell costs a tenth of the export)."""
    return ["'" + value if value.startswith(_FORMULA_START) else value for value in values]


def _many(values: Sequence[str]) -> str:
    return "\n".join(escape.one_line(v) for v in values)


def columns(width: int) -> list[str]:
    """The header for rows with up to ``width`` sources."""
    numbered = [f"source_{n}_{f}" for n in range(1, width + 1) for f in SOURCE_FIELDS]
    return [*FIXED_COLUMNS, *numbered]


def row(event: Event, timeline: Timeline, width: int) -> list[str]:
    quotes = [f"“{q.text}” — {timeline.actor_name(q.by)}" if q.by else f"“{q.text}”" for q in event.quotes]
    values = [
        event.id,
        event.date.iso(),
        event.end.iso() if event.end else "",
        event.start.isoformat(),
        event.finish.isoformat(),
        event.date.precision,
        escape.one_line(event.title),
        escape.one_line(event.summary),
        _many([timeline.actor_name(a) for a in event.actors]),
        _many(event.actors),
        _many(event.tags),
        escape.one_line(event.place or ""),
        event.cameo or "",
        _many(quotes),
        str(len(event.sources)),
    ]
    for source in event.sources:
        date = source.date.iso() if source.date else ""
        values += [escape.one_line(source.publisher), escape.one_line(source.title), date, source.url]
    values += [""] * (len(FIXED_COLUMNS) + len(SOURCE_FIELDS) * width - len(values))
    return cells(values)


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The export as it is written, a few hundred rows at a time (a large dataset's selection knows
    its widest row before any is read, and has a second process write every other batch)."""
    most = getattr(events, "most_sources", None)
    width = max(most, 1) if isinstance(most, int) else max((len(e.sources) for e in events), default=1)
    yield _text([columns(width)])
    yield from map_events(events, partial(_rows, timeline=timeline, width=width))


def _rows(events: list[Event], timeline: Timeline, width: int) -> str:
    return _text(row(e, timeline, width) for e in events)


def _text(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # RFC 4180
    return out.getvalue()
