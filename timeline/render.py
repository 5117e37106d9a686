"""The terminal view as one Rich ``Text``, wrapped here (Rich's per-paragraph wrap is too slow).

Every string from the data goes through ``escape.one_line`` into a ``Text`` run: it is never
parsed as Rich markup and never reaches the terminal as a control sequence. Styles are named
in ``THEME`` so that they can be overridden.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Union

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text
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
Span3 = tuple[int, int, StyleType]
Line = tuple[str, list[Span3]]  # text of one output line and its styled ranges

_WORD = re.compile(r"\S+")
# Text whose every character is one terminal cell and whose only space is " ": the ASCII line
# breaker measures it exactly (" — ", " · ", curly quotes, accented Latin letters, box rules).
_SINGLE_CELLS = re.compile("[\x20-\x7e\xa1-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u2500-\u257f]*")


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _cut(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut text[start:end] (one word wider than ``width``) into pieces that fit."""
    pieces: list[tuple[int, int]] = []
    used, begin = 0, start
    for index in range(start, end):
        size = _width(text[index])
        if used + size > width and used:
            pieces.append((begin, index))
            begin, used = index, 0
        used += size
    pieces.append((begin, end))
    return pieces


def wrap(runs: Sequence[Run], width: int, indent: int = 0, hang: int = 0) -> list[Line]:
    """Greedy word wrap of styled runs to ``width`` cells; continuation lines indent ``hang`` more.

    The paragraph is wrapped as one plain string and styles follow as character ranges, so the
    cost is per word, not per styled piece. Spacing inside a line is kept as given.
    """
    plain = "".join(text for text, _ in runs)
    spans: list[Span3] = []
    offset = 0
    for text, style in runs:
        if style is not None and text:
            spans.append((offset, offset + len(text), style))
        offset += len(text)
    if plain.isascii():
        slices = _slices_ascii(plain, width, indent, hang) or [(0, 0)]  # never None when folding
    else:
        # single-cell text breaks as ASCII does, unless a word must be folded (they fold differently)
        fast = (
            _slices_ascii(plain, width, indent, hang, fold=False) if _SINGLE_CELLS.fullmatch(plain) else None
        )
        slices = fast if fast is not None else _slices(plain, width, indent, hang)
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


def _slices_ascii(
    plain: str, width: int, indent: int, hang: int, fold: bool = True
) -> list[tuple[int, int]] | None:
    """Line breaks for ASCII text: jump a line's width ahead and back to a space (per line, not per word).

    With ``fold`` false, None instead of folding a word longer than the line."""
    slices: list[tuple[int, int]] = []
    avail = max(width - indent, 1)
    pos, size = 0, len(plain)
    while True:
        while pos < size and plain[pos] == " ":
            pos += 1
        if pos >= size:
            break
        if size - pos <= avail:
            end = size
        else:
            end = plain.rfind(" ", pos, pos + avail + 1)
            if end <= pos:  # one word longer than the line: fold it
                if not fold:
                    return None
                slices.append((pos, pos + avail))
                pos += avail
                avail = max(width - indent - hang, 1)
                continue
        stop = end
        while stop > pos and plain[stop - 1] == " ":
            stop -= 1
        slices.append((pos, stop))
        pos = end
        avail = max(width - indent - hang, 1)
    return slices or [(0, 0)]


def _slices(plain: str, width: int, indent: int, hang: int) -> list[tuple[int, int]]:
    """Line breaks for any text, measuring words in terminal cells (wide CJK characters count 2)."""
    slices: list[tuple[int, int]] = []
    avail = max(width - indent, 1)
    line_start = line_end = -1
    used = 0
    for match in _WORD.finditer(plain):
        start, end = match.span()
        size = _width(plain[start:end])
        if line_start >= 0:
            gap = _width(plain[line_end:start])
            if used + gap + size <= avail:
                line_end, used = end, used + gap + size
                continue
            slices.append((line_start, line_end))
            avail = max(width - indent - hang, 1)
        if size <= avail:
            line_start, line_end, used = start, end, size
            continue
        *full, last = _cut(plain, start, end, avail)
        slices.extend(full)
        avail = max(width - indent - hang, 1)
        line_start, line_end = last
        used = _width(plain[line_start:line_end])
    if line_start >= 0:
        slices.append((line_start, line_end))
    return slices or [(0, 0)]


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
    room = width - _width(label)
    if room < 2:
        text = label.strip()
        while _width(text) > max(width, 1) and len(text) > 1:
            text = text[:-2] + "…"  # a band too long for a narrow terminal is shortened, not spilled
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
    """The whole view: a heading, then per year a rule, era bands where eras begin, and events."""
    return [line for block in view_blocks(events, timeline, width, compact=compact) for line in block]


def view_blocks(
    events: Sequence[Event], timeline: Timeline, width: int, *, compact: bool = False
) -> Iterator[list[Line]]:
    """The lines of ``view_lines`` as they are made: the heading, then an event at a time."""
    count = f" — {len(events)} event{'s' if len(events) != 1 else ''}"
    yield wrap([(one_line(timeline.title), "timeline.heading"), (count, "timeline.count")], width)
    shown_eras: set[int] = set()
    year: int | None = None
    for event in events:
        lines: list[Line] = []
        if event.date.year != year:
            year = event.date.year
            lines += [("", []), rule(str(year), "timeline.year", width, "─")]
        for index, era in enumerate(timeline.eras):
            era_end = era.end.last_day if era.end else None
            if (
                index not in shown_eras
                and era.start.first_day <= event.finish
                and (era_end is None or era_end >= event.start)
            ):
                shown_eras.add(index)
                lines.append(rule(era_label(era), "timeline.era", width, "═", left=True))
        if compact:
            lines += compact_lines(event, timeline, width)
        else:
            lines.append(("", []))
            lines += event_lines(event, timeline, width)
        yield lines


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
    return "".join(plain_chunks(console, events, timeline, compact=compact))


def plain_chunks(
    console: Console, events: Sequence[Event], timeline: Timeline, *, compact: bool = False
) -> Iterator[str]:
    """``plain_view`` as it is made, an event at a time, for output written as it goes."""
    ascii_only = _ascii_only(console)
    first = True
    for block in view_blocks(events, timeline, console.width, compact=compact):
        if block:
            text = plain_text(block, ascii_only=ascii_only)
            yield text if first else "\n" + text
            first = False
