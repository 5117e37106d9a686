"""Mermaid: a ``timeline`` diagram with a period per year, grouped in sections by year or era.

Mermaid's timeline grammar splits on ``:`` and treats ``#``, ``;`` and ``%%`` as comments or
separators, and renders ``<br>`` and other tags. Text from the dataset therefore has those
characters replaced by look-alikes (``∶ ； ＃ ％ ＜ ＞``), folded to one line, so it can only ever be
the text of one title, section or event.
"""

from __future__ import annotations

from collections.abc import Sequence

from timeline import escape
from timeline.display import era_of
from timeline.exporters import ExportOptions
from timeline.models import Event, Timeline

_LOOKALIKES = escape.ascii_table({":": "∶", ";": "；", "#": "＃", "<": "＜", ">": "＞", "%": "％", "`": "ˋ"})

OUTSIDE_ERAS = "Other"


def text(value: str) -> str:
    """One line of dataset text that Mermaid will show literally."""
    return escape.translated(escape.one_line(value), _LOOKALIKES)


def _when(event: Event) -> str | None:
    """The date within its year heading: "12 Jun", "27–28 Feb", "c. Aug"; None for a plain year."""
    date, year = event.date, f" {event.date.year}"
    if event.end is not None and event.end != date:
        full = event.when()
        return full.replace(year, "") if event.end.year == date.year else full
    if date.precision == "year":
        return date.display() if date.qualifier else None
    return date.display().replace(year, "")


def diagram(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    """The diagram source, without a Markdown fence."""
    lines = ["timeline", f"    title {text(timeline.title)}"]
    section: object = None
    period: int | None = None
    for event in events:
        if options.group == "era":
            era = era_of(timeline.eras, event)
            name = era.name if era else OUTSIDE_ERAS
            if name != section:
                section, period = name, None
                lines.append(f"    section {text(name)}")
        year = event.date.year
        if year != period:
            period = year
            lines.append(f"        {year}")
        when = _when(event)
        label = f"{when} · {event.title}" if when else event.title
        lines.append(f"            : {text(label)}")
    return "\n".join(lines) + "\n"


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return diagram(events, timeline, options)
