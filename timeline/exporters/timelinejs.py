"""TimelineJS 3 JSON (Knight Lab): a title slide, one slide per event, and the dataset's eras.

Dates carry only the parts the data knows (year; month; day). Approximate, uncertain and
month- or year-precision dates also get a ``display_date`` in the dataset's own wording.
TimelineJS inserts its strings as HTML, so every string from the dataset (headlines, texts, groups,
display dates, era names) is HTML-escaped; the citations are a list of links.
``autolink`` is off, so TimelineJS never turns text from the data into links itself.
Slides are grouped (``group``) by the era they fall in.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from timeline import __version__, escape
from timeline.display import citation_label, era_of, plural
from timeline.exporters import ExportOptions
from timeline.exporters.html import summary_and_quotes
from timeline.exporters.json import indented
from timeline.models import Event, PartialDate, Source, Timeline
from timeline.parallel import map_events

_h = escape.html


def _text_field(value: str) -> str:
    """For ``group`` and ``display_date``, which TimelineJS 3.9 reads as text (it parses them as HTML
    and keeps the ``textContent``) and then inserts as HTML: escaped twice, they survive both steps
    as the literal text."""
    return html.escape(_h(value), quote=True)


def date_object(value: PartialDate) -> dict[str, int]:
    """A TimelineJS date: integer year, and month and day only where known."""
    out = {"year": value.year}
    if value.month is not None:
        out["month"] = value.month
        if value.day is not None:
            out["day"] = value.day
    return out


def _day_object(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def _citation(source: Source) -> str:
    label = citation_label(source, _h)
    link = f'<a href="{escape.href(source.url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
    return f"<li>{link}</li>"


def event_text(event: Event, timeline: Timeline) -> str:
    """The slide body: summary, quotes, then the numbered citations."""
    parts = summary_and_quotes(event, timeline)
    parts.append("<p>Sources:</p><ol>" + "".join(_citation(s) for s in event.sources) + "</ol>")
    return "".join(parts)


def _needs_display_date(event: Event) -> bool:
    dates = [event.date] + ([event.end] if event.end else [])
    return any(d.precision != "day" or d.qualifier for d in dates)


def slide(event: Event, timeline: Timeline) -> dict[str, Any]:
    out: dict[str, Any] = {"start_date": date_object(event.date)}
    if event.end is not None and event.end != event.date:
        out["end_date"] = date_object(event.end)
    if _needs_display_date(event):
        out["display_date"] = _text_field(event.when())
    out["text"] = {"headline": _h(event.title), "text": event_text(event, timeline)}
    era = era_of(timeline.eras, event)
    if era is not None:
        out["group"] = _text_field(era.name)
    out["unique_id"] = event.id
    out["autolink"] = False
    return out


def _title(count: int, timeline: Timeline) -> dict[str, Any]:
    """The title slide."""
    intro = f"<p>{_h(timeline.description)}</p>" if timeline.description else ""
    intro += f"<p>{plural(count, 'event')}, each with its sources. Exported by timeline {__version__}.</p>"
    return {"text": {"headline": _h(timeline.title), "text": intro}, "autolink": False}


def _eras(timeline: Timeline, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The eras, clipped to the exported span (``first`` to ``last``), so a filtered export keeps a
    sensible axis; one that shrinks to a single day is left out (TimelineJS 3.9 stops loading on it)."""
    eras = []
    for era in timeline.eras:
        start = max(era.start.first_day, first)
        end = min(era.end.last_day if era.end else last, last)
        if start < end:
            eras.append(
                {
                    "start_date": _day_object(start),
                    "end_date": _day_object(end),
                    "text": {"headline": _h(era.name)},
                }
            )
    return eras


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The TimelineJS data object as it is written, a batch of slides at a time: the text of
    ``json.dumps(document, ensure_ascii=False, indent=2) + "\\n"``, with the keys title,
    events, scale and (when there are events) eras."""
    yield '{\n  "title": ' + indented(_title(len(events), timeline), "  ") + ',\n  "events": '
    if not events:
        yield '[],\n  "scale": "human"\n}\n'
        return
    separator = "[\n    "
    first = last = None
    for text, start, finish in map_events(events, partial(_slides, timeline=timeline)):
        yield separator + text
        separator = ",\n    "
        first = start if first is None else min(first, start)
        last = finish if last is None else max(last, finish)
    eras = _eras(timeline, dt.date.fromordinal(first or 1), dt.date.fromordinal(last or 1))
    yield '\n  ],\n  "scale": "human",\n  "eras": ' + indented(eras, "  ") + "\n}\n"


def _slides(events: list[Event], timeline: Timeline) -> tuple[str, int, int]:
    """A batch of slides laid out in the events list, with the first and last days they cover
    (as ordinals: the result goes through a pipe, ``timeline.parallel``)."""
    text = ",\n    ".join(indented(slide(event, timeline), "    ") for event in events)
    return text, min(e.start for e in events).toordinal(), max(e.finish for e in events).toordinal()
