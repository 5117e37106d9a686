"""The terminal view as one Rich ``Text``, wrapped by ``timeline.wrap`` (Rich's own wrap is too slow).

Every string from the data goes through ``escape.one_line`` into a ``Text`` run: it is never
parsed as Rich markup and never reaches the terminal as a control sequence. Styles are named
in ``THEME`` so that they can be overridden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import Union, cast

from rich.console import Console
from rich.style import Style
from rich.text import Span, Text
from rich.theme import Theme

from timeline.display import Passed, by_year, era_of, plural
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
        "timeline.id": "dim",
        "timeline.match": "bold red",  # words that a search matched
        "timeline.criteria": "dim",  # the filter as understood, after the count
        "timeline.related": "dim",  # "See also:" before related events
        # stats, chart and actor (issue 11)
        "timeline.bar": "cyan",
        "timeline.cooperation": "blue",
        "timeline.conflict": "red",
        "timeline.section": "bold",
        "timeline.empty": "dim",
    }
)

WIDE_INDENT = 13  # "12 Jun 2018" plus two spaces
NARROW = 50  # below this width the date goes on its own line and the indent shrinks
MAX_WIDTH = 100  # wider terminals get lines of at most this width: long lines of prose tire the eye
COMPACT_DATE_MAX = 28  # the compact view's date column grows to fit date ranges, up to this


class Link(tuple):  # type: ignore[type-arg]
    """A link style made only when the view is rendered with styles: (address, theme style or "").

    Building a Rich ``Style`` per citation costs more than the plain view itself needs."""

    __slots__ = ()

    def __new__(cls, url: str, base: str = "") -> Link:
        return super().__new__(cls, (url, base))

    def style(self) -> Style:
        url, base = self
        return (THEME.styles[base] + Style(link=url)) if base else Style(link=url)


StyleType = Union[str, Style, Link, None]  # noqa: UP007 - runtime alias on Python 3.10
Run = tuple[str, StyleType]
Span3 = tuple[int, int, StyleType]
Line = tuple[str, list[Span3]]  # text of one output line and its styled ranges
Marks = Callable[[str], list[tuple[int, int]]]  # where a search matched in a displayed string


# False while a view is laid out for output that gets no styles (``plain_chunks``): the lines
# are the same, their styled ranges are left out, which is most of the cost of laying them out
_STYLED: ContextVar[bool] = ContextVar("timeline_styled", default=True)


def wrap(runs: Sequence[Run], width: int, indent: int = 0, hang: int = 0) -> list[Line]:
    """Greedy word wrap of styled runs to ``width`` cells; continuation lines indent ``hang`` more.

    The paragraph is wrapped as one plain string (``wrap.breaks``) and styles follow as character
    ranges, so the cost is per line, not per styled piece. Spacing inside a line is kept as given.
    """
    plain = "".join([text for text, _ in runs])
    if not _STYLED.get():
        room = width - indent
        if len(plain) <= room and cells(plain) <= room:
            return [(" " * indent + plain, [])]
        pads = (" " * indent, " " * (indent + hang))
        return [
            (pads[number > 0] + plain[start:end], [])
            for number, (start, end) in enumerate(breaks(plain, room, room - hang))
        ]
    spans: list[Span3] = []
    offset = 0
    for text, style in runs:
        if style is not None and text:
            spans.append((offset, offset + len(text), style))
        offset += len(text)
    if len(plain) <= width - indent and cells(plain) <= width - indent:  # the common short line
        return [(" " * indent + plain, [(a + indent, b + indent, style) for a, b, style in spans])]
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


def _match_style(style: StyleType) -> StyleType:
    match = THEME.styles["timeline.match"]
    if style is None:
        return match
    if isinstance(style, Link):
        return style.style() + match
    base = THEME.styles.get(style) if isinstance(style, str) else style
    return (base + match) if base is not None else match


def marked(runs: Sequence[Run], marks: Marks | None) -> list[Run]:
    """The runs with the ranges that ``marks`` finds in each styled as a match (the text unchanged)."""
    if marks is None:
        return list(runs)
    out: list[Run] = []
    for text, style in runs:
        position = 0
        for start, end in marks(text):
            if start > position:
                out.append((text[position:start], style))
            out.append((text[start:end], _match_style(style)))
            position = end
        if position < len(text):
            out.append((text[position:], style))
    return out


def _fits(runs: Sequence[Run], width: int, indent: int) -> list[Line]:
    """The runs as one line when they fit (no wrapping needed, nothing measured twice), else []."""
    text = "".join([run for run, _ in runs])
    if cells(text) > width - indent:
        return []
    if not _STYLED.get():
        return [(" " * indent + text, [])]
    spans: list[Span3] = []
    offset = indent
    for run, style in runs:
        if style is not None and run:
            spans.append((offset, offset + len(run), style))
        offset += len(run)
    return [(" " * indent + text, spans)]


def citation(number: int, source: Source) -> list[Run]:
    """[1] Reuters — Title, 12 Jun 2018, with the title linked to the address."""
    runs: list[Run] = [(f"[{number}] ", "timeline.cite"), (one_line(source.publisher), "timeline.publisher")]
    runs += [(" — ", None), (one_line(source.title), Link(source.url) if _STYLED.get() else None)]
    if source.date:
        runs.append((f", {source.date.display()}", None))
    return runs


def see_also_lines(event: Event, by_id: Mapping[str, Event], width: int, indent: int) -> list[Line]:
    """ "See also:" and each related event's date and title, one per line (issue 11)."""
    from timeline.analysis.threads import see_also

    lines: list[Line] = []
    lead = "See also: "
    for number, other in enumerate(see_also(event, by_id)):
        if number == 0:
            runs: list[Run] = [(lead, "timeline.related"), *_see_also_entry(other)]
            lines += wrap(runs, width, indent, hang=len(lead))
        else:  # later ones line up under the first; an event is often the "See also" of several
            lines += _see_also_line(other, width, indent + len(lead))
    return lines


def _see_also_entry(other: Event) -> list[Run]:
    return [(other.when(), "timeline.date"), (": " + one_line(other.title), None)]


_SEEN_ALSO: dict[tuple[str, str, int, int], list[Line]] = {}  # what the lines depend on -> them


def _see_also_line(other: Event, width: int, indent: int) -> list[Line]:
    key = (other.when(), other.title, width, indent)
    found = _SEEN_ALSO.get(key)
    if found is None:
        if len(_SEEN_ALSO) > 4096:
            _SEEN_ALSO.clear()
        found = _SEEN_ALSO[key] = wrap(_see_also_entry(other), width, indent)
    return [(text, list(spans)) for text, spans in found]


def event_lines(
    event: Event,
    timeline: Timeline,
    width: int,
    marks: Marks | None = None,
    by_id: Mapping[str, Event] | None = None,
) -> list[Line]:
    """One event: date and title, actors and place, tags and id, summary, quotes, numbered citations,
    and "See also" for its related events (looked up in ``by_id``, default: the timeline's)."""
    narrow = width < NARROW
    indent = 2 if narrow else WIDE_INDENT
    styled = _STYLED.get()
    date = event.when()
    title: list[Run] = marked([(one_line(event.title), "timeline.title")], marks)
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
        who = marked(who, marks)
        lines += _fits(who, width, indent) or wrap(who, width, indent)
    label: list[Run] = []
    if event.tags:
        label = [(" ".join("#" + one_line(t) for t in event.tags), "timeline.tag"), (" · ", "timeline.tag")]
    label += [("id ", "timeline.id"), *marked([(one_line(event.id), "timeline.id")], marks)]
    lines += _fits(label, width, indent) or wrap(label, width, indent)
    if event.summary:
        lines += wrap(marked([(one_line(event.summary), None)], marks), width, indent)
    for quote in event.quotes:
        said: list[Run] = [("“" + one_line(quote.text) + "”", "timeline.quote")]
        if quote.by:
            said.append((" — " + one_line(timeline.actor_name(quote.by)), None))
        lines += wrap(marked(said, marks), width, indent, hang=1)
    for number, source in enumerate(event.sources, 1):
        hang = len(f"[{number}] ")
        lines += wrap(marked(citation(number, source), marks), width, indent, hang=hang)
        # the address stays whole on one line, so that it can be copied; a narrow terminal soft-wraps it
        pad = indent + hang
        linked = [(pad, pad + len(source.url), Link(source.url, "timeline.url"))] if styled else []
        lines.append((" " * pad + source.url, linked))
    if event.related:
        if by_id is None:
            by_id = {e.id: e for e in timeline.events}
        lines += see_also_lines(event, by_id, width, indent)
    return lines


def compact_lines(
    event: Event, timeline: Timeline, width: int, marks: Marks | None = None, date_width: int = WIDE_INDENT
) -> list[Line]:
    """One event on one line (wrapped if it must): date, title, actors; titles start at ``date_width``."""
    date = event.when()
    runs: list[Run] = [(one_line(event.title), "timeline.title")]
    if event.actors:
        names = ", ".join(one_line(timeline.actor_name(a)) for a in event.actors)
        runs.append((f"  ({names})", "timeline.actor"))
    dated: list[Run] = [(date, "timeline.date"), (" " * max(date_width - len(date), 2), None)]
    return wrap(dated + marked(runs, marks), width, 0, hang=date_width if width >= NARROW else 2)


def compact_date_width(events: Iterable[Event], width: int) -> int:
    """The compact view's date column: wide enough for the longest date shown (a range), within limits."""
    longest = max((len(event.when()) for event in events), default=0) + 2
    return max(WIDE_INDENT, min(longest, COMPACT_DATE_MAX, width // 3))


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
    events: Sequence[Event],
    timeline: Timeline,
    width: int,
    *,
    compact: bool = False,
    understood: Sequence[str] = (),
    marks: Marks | None = None,
    grouped: bool = True,
    by_id: Mapping[str, Event] | None = None,
) -> list[Line]:
    """The whole view: a heading, then per year a rule, an era's band before its first event, and
    the events (``display`` decides which era an event is in; ``by_id`` as in ``view_blocks``)."""
    blocks = view_blocks(
        events,
        timeline,
        width,
        compact=compact,
        understood=understood,
        marks=marks,
        grouped=grouped,
        by_id=by_id,
    )
    return [line for block in blocks for line in block]


def view_blocks(
    events: Iterable[Event],
    timeline: Timeline,
    width: int,
    *,
    compact: bool = False,
    understood: Sequence[str] = (),
    marks: Marks | None = None,
    grouped: bool = True,
    count: int | None = None,
    by_id: Mapping[str, Event] | None = None,
    measured: Iterable[Event] | None = None,
) -> Iterator[list[Line]]:
    """The lines of ``view_lines`` as they are made: the heading, then an event at a time.

    The heading names the criteria as ``understood`` (actor ids resolved, dates as days), and
    ``marks`` finds the words a search matched, to highlight them. Events not in date order
    (ranked by relevance) are not ``grouped`` under years and eras.

    ``events`` may be read as they come (an index's selection) when ``count`` says how many
    there are and ``by_id`` finds related events ("See also"; default: the timeline's events);
    the compact view measures its date column on all of them first (or on ``measured``, what
    holds the longest of their dates), so it needs a sequence.
    An event ``Passed`` over yields an empty block: another process lays it out.
    """
    if count is None:
        count = len(cast(Sequence[Event], events))
    heading: list[Run] = [
        (one_line(timeline.title), "timeline.heading"),
        (f" — {plural(count, 'event')}", "timeline.count"),
    ]
    heading += [(" · " + one_line(part), "timeline.criteria") for part in understood]
    yield wrap(heading, width)
    if compact:
        date_width = compact_date_width(events if measured is None else measured, width)
    else:
        date_width = WIDE_INDENT
    shown_eras: set[int] = set()
    if by_id is None and not compact:
        by_id = {e.id: e for e in timeline.events}
    groups = by_year(events) if grouped else iter([(None, list(events))])
    for year, group in groups:
        lines: list[Line] = []
        if year is not None:
            lines += [("", []), rule(str(year), "timeline.year", width, "─")]
        for event in group:
            era = era_of(timeline.eras, event) if grouped else None
            if era is not None and id(era) not in shown_eras:
                shown_eras.add(id(era))
                lines.append(rule(era_label(era), "timeline.era", width, "═", left=True))
            if isinstance(event, Passed):  # laid out elsewhere, with the rules before it
                lines = []
            elif compact:
                lines += compact_lines(event, timeline, width, marks, date_width)
            else:
                lines.append(("", []))
                lines += event_lines(event, timeline, width, marks, by_id)
            yield lines
            lines = []


_ASCII = str.maketrans(
    {"—": "-", "–": "-", "·": "|", "“": '"', "”": '"', "─": "-", "═": "="}
    # bars, axes and sparklines of stats, chart and actor (issue 11)
    | {"█": "#", "│": "|", "←": "<", "→": ">", "−": "-"}
    | dict(zip("▁▂▃▄▅▆▇", "_.-=+*%", strict=True))
)


def plain_text(lines: list[Line], *, ascii_only: bool = False) -> str:
    """The view without styles, for pipes and NO_COLOR: what Rich would print, without the cost."""
    plain = "\n".join([text for text, _ in lines])  # a list: join reads a generator into one first
    return plain.translate(_ASCII) if ascii_only else plain


def to_text(lines: list[Line], *, ascii_only: bool = False) -> Text:
    """One Rich Text for all lines (a renderable), ASCII stand-ins where the terminal needs them."""
    # the ASCII stand-ins have the same length as what they replace: the spans stay valid
    text = Text(plain_text(lines, ascii_only=ascii_only), end="\n", no_wrap=True, overflow="ignore")
    offset = 0
    spans = text.spans
    for line, line_spans in lines:
        spans.extend(
            Span(offset + a, offset + b, style.style() if isinstance(style, Link) else style)
            for a, b, style in line_spans
            if style and b > a
        )
        offset += len(line) + 1
    return text


def _ascii_only(console: Console) -> bool:
    return not console.encoding.lower().startswith("utf")


def timeline_view(
    console: Console,
    events: Sequence[Event],
    timeline: Timeline,
    *,
    compact: bool = False,
    understood: Sequence[str] = (),
    marks: Marks | None = None,
    grouped: bool = True,
    by_id: Mapping[str, Event] | None = None,
) -> Text:
    """The view as one Text sized to the console (at most MAX_WIDTH); ASCII-only if it is not UTF."""
    width = min(console.width, MAX_WIDTH)
    lines = view_lines(
        events,
        timeline,
        width,
        compact=compact,
        understood=understood,
        marks=marks,
        grouped=grouped,
        by_id=by_id,
    )
    return to_text(lines, ascii_only=_ascii_only(console))


def plain_view(
    console: Console,
    events: Sequence[Event],
    timeline: Timeline,
    *,
    compact: bool = False,
    understood: Sequence[str] = (),
    grouped: bool = True,
) -> str:
    """The same view as plain text, for output that gets no styles."""
    return "".join(
        plain_chunks(console, events, timeline, compact=compact, understood=understood, grouped=grouped)
    )


def plain_chunks(
    console: Console,
    events: Iterable[Event],
    timeline: Timeline,
    *,
    compact: bool = False,
    understood: Sequence[str] = (),
    grouped: bool = True,
    count: int | None = None,
    by_id: Mapping[str, Event] | None = None,
    measured: Iterable[Event] | None = None,
) -> Iterator[str]:
    """``plain_view`` as it is made, an event at a time, for output written as it goes (``count``,
    ``by_id`` and ``measured`` as in ``view_blocks``)."""
    width = min(console.width, MAX_WIDTH)
    ascii_only = _ascii_only(console)
    first = True
    blocks = view_blocks(
        events,
        timeline,
        width,
        compact=compact,
        understood=understood,
        grouped=grouped,
        count=count,
        by_id=by_id,
        measured=measured,
    )
    while True:
        styled = _STYLED.set(False)  # only while this view's lines are made, not between them
        try:
            block = next(blocks, None)
        finally:
            _STYLED.reset(styled)
        if block is None:
            break
        if block:
            text = plain_text(block, ascii_only=ascii_only)
            yield text if first else "\n" + text
            first = False
