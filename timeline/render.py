"""The terminal view as one Rich ``Text``, wrapped here (Rich's per-paragraph wrap is too slow).

Every string from the data goes through ``escape.one_line`` into a ``Text`` run: it is never
parsed as Rich markup and never reaches the terminal as a control sequence. Styles are named
in ``THEME`` so that they can be overridden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from timeline.escape import one_line
from timeline.models import Era, Event, Source, Timeline

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


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _words(runs: Sequence[Run]) -> list[list[Run]]:
    """Split styled runs into words; a word may span runs ("Trump" + ",")."""
    words: list[list[Run]] = []
    joined = False  # whether the next piece continues the last word
    for text, style in runs:
        for index, piece in enumerate(text.split(" ")):
            if index:
                joined = False
            if not piece:
                continue
            if joined and words:
                words[-1].append((piece, style))
            else:
                words.append([(piece, style)])
            joined = True
    return words


def _fold(word: list[Run], width: int) -> list[list[Run]]:
    """Cut a word wider than ``width`` into pieces that fit (long addresses)."""
    pieces: list[list[Run]] = [[]]
    used = 0
    for text, style in word:
        chunk = ""
        for char in text:
            size = _width(char)
            if used + size > width and used:
                if chunk:
                    pieces[-1].append((chunk, style))
                pieces.append([])
                chunk, used = "", 0
            chunk += char
            used += size
        if chunk:
            pieces[-1].append((chunk, style))
    return pieces


def wrap(runs: Sequence[Run], width: int, indent: int = 0, hang: int = 0) -> list[list[Run]]:
    """Greedy word wrap of styled runs to ``width`` cells; continuation lines indent ``hang`` more."""
    lines: list[list[Run]] = []
    line: list[Run] = []
    used = 0
    avail = max(width - indent, 1)
    for word in _words(runs):
        size = sum(_width(text) for text, _ in word)
        if line and used + 1 + size <= avail:
            line.append((" ", None))
            line.extend(word)
            used += 1 + size
            continue
        if line:
            lines.append(line)
            avail = max(width - indent - hang, 1)
        if size <= avail:
            line, used = list(word), size
            continue
        *full, last = _fold(word, avail)
        lines.extend(full)
        line, used = last, sum(_width(text) for text, _ in last)
    if line or not lines:
        lines.append(line)
    return [[(" " * (indent if n == 0 else indent + hang), None), *ln] for n, ln in enumerate(lines)]


def citation(number: int, source: Source) -> list[Run]:
    """[1] Reuters — Title, 12 Jun 2018, with the title linked to the address."""
    runs: list[Run] = [(f"[{number}] ", "timeline.cite"), (one_line(source.publisher), "timeline.publisher")]
    runs += [(" — ", None), (one_line(source.title), Style(link=source.url))]
    if source.date:
        runs.append((f", {source.date.display()}", None))
    return runs


def event_lines(event: Event, timeline: Timeline, width: int) -> list[list[Run]]:
    """One event: date and title, actors and place, tags, summary, quotes, numbered citations."""
    narrow = width < NARROW
    indent = 2 if narrow else WIDE_INDENT
    date = event.when()
    title: list[Run] = [(one_line(event.title), "timeline.title")]
    lines: list[list[Run]] = []
    if narrow or len(date) + 2 > indent:
        lines.append([(date, "timeline.date")])
        lines += wrap(title, width, indent)
    else:
        wrapped = wrap(title, width, indent)
        wrapped[0][0] = (" " * (indent - len(date)), None)
        lines.append([(date, "timeline.date"), *wrapped[0]])
        lines += wrapped[1:]
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
        linked = THEME.styles["timeline.url"] + Style(link=source.url)
        lines += wrap([(source.url, linked)], width, indent + hang)
    return lines


def compact_lines(event: Event, timeline: Timeline, width: int) -> list[list[Run]]:
    """One event on one line (wrapped if it must): date, title, actors."""
    date = event.when()
    runs: list[Run] = [(date, "timeline.date"), (" " * max(WIDE_INDENT - len(date) - 1, 1), None)]
    runs.append((one_line(event.title), "timeline.title"))
    if event.actors:
        names = ", ".join(one_line(timeline.actor_name(a)) for a in event.actors)
        runs.append((f"  ({names})", "timeline.actor"))
    return wrap(runs, width, 0, hang=WIDE_INDENT if width >= NARROW else 2)


def rule(label: str, style: StyleType, width: int, line: str, *, left: bool = False) -> list[Run]:
    """A horizontal rule with a label, centred (year) or at the left (era)."""
    label = f" {label} " if not left else f"{label} "
    room = width - _width(label)
    if room < 2:
        return [(label.strip()[: max(width, 1)], style)]
    if left:
        return [(label, style), (line * room, style)]
    before = room // 2
    return [(line * before, "timeline.rule"), (label, style), (line * (room - before), "timeline.rule")]


def era_label(era: Era) -> str:
    end = era.end.display() if era.end else "now"
    return f"{one_line(era.name)} · {era.start.display()} – {end}"


def timeline_view(console: Console, events: Sequence[Event], timeline: Timeline, *, compact: bool = False) -> Text:
    """The whole view: a heading, then per year a rule, era bands where eras begin, and events."""
    width = console.width
    unicode = console.encoding.lower().startswith("utf")
    thin, thick = ("─", "═") if unicode else ("-", "=")
    count = f" — {len(events)} event{'s' if len(events) != 1 else ''}"
    lines = wrap([(one_line(timeline.title), "timeline.heading"), (count, "timeline.count")], width)
    shown_eras: set[int] = set()
    year: int | None = None
    for event in events:
        if event.date.year != year:
            year = event.date.year
            lines += [[], rule(str(year), "timeline.year", width, thin)]
        for index, era in enumerate(timeline.eras):
            era_end = era.end.last_day if era.end else None
            if index not in shown_eras and era.start.first_day <= event.finish and (
                era_end is None or era_end >= event.start
            ):
                shown_eras.add(index)
                lines.append(rule(era_label(era), "timeline.era", width, thick, left=True))
        if compact:
            lines += compact_lines(event, timeline, width)
        else:
            lines.append([])
            lines += event_lines(event, timeline, width)
    return _assemble(lines, unicode)


def _assemble(lines: list[list[Run]], unicode: bool) -> Text:
    """One Text for all lines, with adjacent runs of one style merged (Rich pays per span)."""
    text = Text(end="\n", no_wrap=True, overflow="ignore")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        pending, pending_style = "", None
        for index, (piece, style) in enumerate(line):
            if piece == " " and style is None and 0 < index < len(line) - 1 and line[index + 1][1] == pending_style:
                style = pending_style  # a space between two words of one style joins them
            if style == pending_style:
                pending += piece
                continue
            if pending:
                text.append(pending, pending_style)
            pending, pending_style = piece, style
        if pending:
            text.append(pending, pending_style)
    if not unicode:  # a terminal that cannot show them gets ASCII stand-ins, not mojibake
        text.plain = text.plain.translate(_ASCII)
    return text


_ASCII = str.maketrans({"—": "-", "–": "-", "·": "|", "“": '"', "”": '"', "‘": "'", "’": "'"})
