"""Rich renderables for the terminal view, built from pre-wrapped lines (no Table: it is slow).

Every string from the data goes through ``escape.printable`` into a ``Text``: it is never parsed
as Rich markup and never reaches the terminal as a control sequence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from timeline.escape import one_line, printable
from timeline.models import Era, Event, Source, Timeline

THEME = Theme(
    {
        "timeline.heading": "bold",
        "timeline.year": "bold",
        "timeline.rule": "bright_black",
        "timeline.era": "magenta",
        "timeline.date": "bold cyan",
        "timeline.title": "bold",
        "timeline.actor": "green",
        "timeline.place": "italic",
        "timeline.tag": "dim",
        "timeline.quote": "italic",
        "timeline.cite": "dim",
        "timeline.publisher": "yellow",
        "timeline.url": "blue",
    }
)

WIDE_INDENT = 13  # "12 Jun 2018" plus two spaces
NARROW = 50  # below this width the date goes on its own line


def _wrap(console: Console, text: Text, width: int, indent: int, hang: int = 0) -> list[Text]:
    """Wrap ``text`` to ``width`` at ``indent``; lines after the first are indented ``hang`` more."""
    lines = [line for line in text.wrap(console, max(width - indent, 1), overflow="fold")] or [Text()]
    for line in lines:
        line.rstrip()
    first, rest = lines[0], lines[1:]
    if rest and hang:
        tail = Text(" ").join(rest)
        rest = list(tail.wrap(console, max(width - indent - hang, 1), overflow="fold"))
        for line in rest:
            line.rstrip()
    return [Text(" " * indent) + first] + [Text(" " * (indent + hang)) + line for line in rest]


def citation(number: int, source: Source) -> Text:
    """"[1] Reuters — Title, 12 Jun 2018" with the title linked to the address."""
    line = Text()
    line.append(f"[{number}] ", style="timeline.cite")
    line.append(one_line(source.publisher), style="timeline.publisher")
    line.append(" — ")
    line.append(one_line(source.title), style=Style(link=source.url))
    if source.date:
        line.append(f", {source.date.display()}")
    return line


def event_block(console: Console, event: Event, timeline: Timeline, width: int) -> Text:
    """One event: date and title, actors and place, tags, summary, quotes, numbered citations."""
    narrow = width < NARROW
    indent = 2 if narrow else WIDE_INDENT
    date = event.when()
    title = Text(one_line(event.title), style="timeline.title")
    lines: list[Text] = []
    if narrow or len(date) + 2 > indent:
        lines.append(Text(date, style="timeline.date"))
        lines.extend(_wrap(console, title, width, indent))
    else:
        wrapped = _wrap(console, title, width, indent)
        first = Text()
        first.append(date, style="timeline.date")
        first.append(" " * (indent - len(date)))
        first.append_text(wrapped[0][indent:])
        lines.append(first)
        lines.extend(wrapped[1:])
    who = Text()
    for position, actor_id in enumerate(event.actors):
        if position:
            who.append(", ")
        who.append(one_line(timeline.actor_name(actor_id)), style="timeline.actor")
    if event.place:
        if who:
            who.append(" · ")
        who.append(one_line(event.place), style="timeline.place")
    if who:
        lines.extend(_wrap(console, who, width, indent))
    if event.tags:
        tags = Text(" ".join("#" + one_line(t) for t in event.tags), style="timeline.tag")
        lines.extend(_wrap(console, tags, width, indent))
    if event.summary:
        lines.extend(_wrap(console, Text(one_line(event.summary)), width, indent))
    for quote in event.quotes:
        said = Text()
        said.append("“" + one_line(quote.text) + "”", style="timeline.quote")
        if quote.by:
            said.append(" — " + one_line(timeline.actor_name(quote.by)))
        lines.extend(_wrap(console, said, width, indent, hang=1))
    for number, source in enumerate(event.sources, 1):
        cite = citation(number, source)
        hang = len(f"[{number}] ")
        lines.extend(_wrap(console, cite, width, indent, hang=hang))
        address = Text(printable(source.url), style="timeline.url")
        address.stylize(Style(link=source.url))
        lines.extend(_wrap(console, address, width, indent + hang))
    return Text("\n").join(lines)


def compact_line(console: Console, event: Event, timeline: Timeline, width: int) -> Text:
    """One event on one line (wrapped if it must): date, title, actors."""
    line = Text()
    line.append(event.when(), style="timeline.date")
    line.append(" " * max(WIDE_INDENT - len(line), 2))
    line.append(one_line(event.title), style="timeline.title")
    if event.actors:
        names = ", ".join(one_line(timeline.actor_name(a)) for a in event.actors)
        line.append(f"  ({names})", style="timeline.actor")
    return Text("\n").join(_wrap(console, line, width, 0, hang=WIDE_INDENT if width >= NARROW else 2))


def era_band(era: Era) -> Rule:
    end = era.end.display() if era.end else "now"
    return Rule(
        Text(f"{one_line(era.name)} · {era.start.display()} – {end}", style="timeline.era"),
        characters="═",
        style="timeline.era",
        align="left",
    )


def timeline_view(
    console: Console, events: Sequence[Event], timeline: Timeline, *, compact: bool = False
) -> Iterator[RenderableType]:
    """The whole view: a heading, then per year a rule, era bands where eras begin, and events."""
    width = console.width
    heading = Text()
    heading.append(one_line(timeline.title), style="timeline.heading")
    heading.append(f" — {len(events)} event{'s' if len(events) != 1 else ''}", style="timeline.cite")
    yield heading
    shown_eras: set[int] = set()
    year: int | None = None
    for event in events:
        if event.date.year != year:
            year = event.date.year
            yield Text()
            yield Rule(Text(str(year), style="timeline.year"), style="timeline.rule")
        for index, era in enumerate(timeline.eras):
            if index in shown_eras:
                continue
            era_end = era.end.last_day if era.end else None
            if era.start.first_day <= event.finish and (era_end is None or era_end >= event.start):
                shown_eras.add(index)
                yield era_band(era)
        if compact:
            yield compact_line(console, event, timeline, width)
        else:
            yield Text()
            yield event_block(console, event, timeline, width)
