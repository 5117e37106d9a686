"""The terminal view as one Rich ``Text``, wrapped by ``timeline.wrap`` (Rich's own wrap is too slow).

Every string from the data goes through ``escape.one_line`` into a ``Text`` run: it is never
parsed as Rich markup and never reaches the terminal as a control sequence. Styles are named
in ``THEME`` so that they can be overridden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from rich.console import Console
from rich.style import Style
from rich.text import Span, Text
from rich.theme import Theme

from timeline.display import by_year, era_of, plural
from timeline.escape import one_line
from timeline.models import Era, Event, Source, Timeline
from timeline.wrap import breaks, cells, fit

THEME = Theme(
    {
        "timeline.heading": "bold",
        "timeline.count": "dim",
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
NARROW = 50  # below this width the date goes on its own line and the indent shrinks

StyleType = Union[str, Style, None]  # noqa: UP007 - runtime alias on Python 3.10
Run = tuple[str, StyleType]
Span3 = tuple[int, int, StyleType]
Line = tuple[str, list[Span3]]  # text of one output line and its styled ranges


def wrap(runs: Sequence[Run], width: int, indent: int = 0, hang: int = 0) -> list[Line]:
    """Greedy word wrap of styled runs to ``width`` cells; continuation lines indent ``hang`` more.

    The paragraph is wrapped as one plain string (``wrap.breaks``) and styles follow as character
    ranges, so the cost is per line, not per styled piece. Spacing inside a line is kept as given.
    """
    plain = "".join(text for text, _ in runs)
    spans: list[Span3] = []
    offset = 0
    for text, style in runs:
        if style is not None and text:
            spans.append((offset, offset + len(text), style))
        offset += len(text)
    slices = breaks(plain, width - indent, width - indent - hang)
    lines: list[Line] = []
    for number, (start, end) in enumerate(slices):
        pad = indent if number == 0 else indent + hang
        moved = [
            (max(a, start) - start + pad, min(b, end) - start + pad, style)
            for a, b, style in spans
            if a < end and b > start
        ]
        lines.append((" " * pad + plain[start:end], moved))
    return lines


def citation(number: int, source: Source) -> list[Run]:
    """[1] Reuters — Title, 12 Jun 2018, with the title linked to the address."""
    runs: list[Run] = [(f"[{number}] ", "timeline.cite"), (one_line(source.publisher), "timeline.publisher")]
    runs += [(" — ", None), (one_line(source.title), Style(link=source.url))]
    if source.date:
        runs.append((f", {source.date.display()}", None))
    return runs


def event_lines(event: Event, timeline: Timeline, width: int) -> list[Line]:
    """One event: date and title, actors and place, tags, summary, quotes, numbered citations."""
    narrow = width < NARROW
    indent = 2 if narrow else WIDE_INDENT
    date = event.when()
    title: list[Run] = [(one_line(event.title), "timeline.title")]
    if narrow or len(date) + 2 > indent:
        lines: list[Line] = [(date, [(0, len(date), "timeline.date")])]
        lines += wrap(title, width, indent)
    else:
        first, *rest = wrap(title, width, indent)
        lines = [(date + first[0][len(date) :], [(0, len(date), "timeline.date"), *first[1]]), *rest]
    who: list[Run] = []
    for actor_id in event.actors:
        if who:
            who.append((", ", None))
        who.append((one_line(timeline.actor_name(actor_id)), "timeline.actor"))
    if event.place:
        if who:
            who.append((" · ", None))
        who.append((one_line(event.place), "timeline.place"))
    if who:
        lines += wrap(who, width, indent)
    if event.tags:
        lines += wrap([(" ".join("#" + one_line(t) for t in event.tags), "timeline.tag")], width, indent)
    if event.summary:
        lines += wrap([(one_line(event.summary), None)], width, indent)
    for quote in event.quotes:
        said: list[Run] = [("“" + one_line(quote.text) + "”", "timeline.quote")]
        if quote.by:
            said.append((" — " + one_line(timeline.actor_name(quote.by)), None))
        lines += wrap(said, width, indent, hang=1)
    for number, source in enumerate(event.sources, 1):
        hang = len(f"[{number}] ")
        lines += wrap(citation(number, source), width, indent, hang=hang)
        # the address stays whole on one line, so that it can be copied; a narrow terminal soft-wraps it
        linked = THEME.styles["timeline.url"] + Style(link=source.url)
        pad = indent + hang
        lines.append((" " * pad + source.url, [(pad, pad + len(source.url), linked)]))
    return lines


def compact_lines(event: Event, timeline: Timeline, width: int) -> list[Line]:
    """One event on one line (wrapped if it must): date, title, actors."""
    date = event.when()
    runs: list[Run] = [(date, "timeline.date"), (" " * max(WIDE_INDENT - len(date), 2), None)]
    runs.append((one_line(event.title), "timeline.title"))
    if event.actors:
        names = ", ".join(one_line(timeline.actor_name(a)) for a in event.actors)
        runs.append((f"  ({names})", "timeline.actor"))
    return wrap(runs, width, 0, hang=WIDE_INDENT if width >= NARROW else 2)


def rule(label: str, style: StyleType, width: int, char: str, *, left: bool = False) -> Line:
    """A horizontal rule with a label, centred (year) or at the left (era)."""
    label = f"{label} " if left else f" {label} "
    room = width - cells(label)
    if room < 2:
        text = label.strip()
        if cells(text) > max(width, 1) and len(text) > 1:
            # a band too long for a narrow terminal is shortened, not spilled (in one pass: a
            # shortening loop is quadratic in the label's length)
            text = text[: fit(text, max(width, 1) - 1)] + "…"
        return (text, [(0, len(text), style)])
    if left:
        return (label + char * room, [(0, len(label) + room, style)])
    before = room // 2
    text = char * before + label + char * (room - before)
    return (
        text,
        [
            (0, before, "timeline.rule"),
            (before, before + len(label), style),
            (before + len(label), len(text), "timeline.rule"),
        ],
    )


def era_label(era: Era) -> str:
    end = era.end.display() if era.end else "now"
    return f"{one_line(era.name)} · {era.start.display()} – {end}"


def view_lines(
    events: Sequence[Event], timeline: Timeline, width: int, *, compact: bool = False
) -> list[Line]:
    """The whole view: a heading, then per year a rule, an era's band before its first event, and
    the events (``display`` decides which era an event is in)."""
    count = f" — {plural(len(events), 'event')}"
    lines = wrap([(one_line(timeline.title), "timeline.heading"), (count, "timeline.count")], width)
    shown_eras: set[int] = set()
    for year, group in by_year(events):
        lines += [("", []), rule(str(year), "timeline.year", width, "─")]
        for event in group:
            era = era_of(timeline.eras, event)
            if era is not None and id(era) not in shown_eras:
                shown_eras.add(id(era))
                lines.append(rule(era_label(era), "timeline.era", width, "═", left=True))
            if compact:
                lines += compact_lines(event, timeline, width)
            else:
                lines.append(("", []))
                lines += event_lines(event, timeline, width)
    return lines


_ASCII = str.maketrans({"—": "-", "–": "-", "·": "|", "“": '"', "”": '"', "─": "-", "═": "="})


def plain_text(lines: list[Line], *, ascii_only: bool = False) -> str:
    """The view without styles, for pipes and NO_COLOR: what Rich would print, without the cost."""
    plain = "\n".join(text for text, _ in lines)
    return plain.translate(_ASCII) if ascii_only else plain


def to_text(lines: list[Line], *, ascii_only: bool = False) -> Text:
    """One Rich Text for all lines (a renderable), ASCII stand-ins where the terminal needs them."""
    # the ASCII stand-ins have the same length as what they replace: the spans stay valid
    text = Text(plain_text(lines, ascii_only=ascii_only), end="\n", no_wrap=True, overflow="ignore")
    offset = 0
    spans = text.spans
    for line, line_spans in lines:
        spans.extend(Span(offset + a, offset + b, style) for a, b, style in line_spans if style and b > a)
        offset += len(line) + 1
    return text


def _ascii_only(console: Console) -> bool:
    return not console.encoding.lower().startswith("utf")


def timeline_view(
    console: Console, events: Sequence[Event], timeline: Timeline, *, compact: bool = False
) -> Text:
    """The view as one Text sized to the console, ASCII-only where its encoding is not UTF."""
    lines = view_lines(events, timeline, console.width, compact=compact)
    return to_text(lines, ascii_only=_ascii_only(console))


def plain_view(
    console: Console, events: Sequence[Event], timeline: Timeline, *, compact: bool = False
) -> str:
    """The same view as plain text, for output that gets no styles."""
    lines = view_lines(events, timeline, console.width, compact=compact)
    return plain_text(lines, ascii_only=_ascii_only(console))
