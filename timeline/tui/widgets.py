"""The browser's own widgets: the event list (virtual: it draws only the rows on screen) and the ruler.

Data text reaches the screen as Rich ``Segment``/``Text`` runs made inert by ``escape.one_line``:
never parsed as markup, never sent as control sequences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from timeline.escape import one_line
from timeline.models import Event, Timeline
from timeline.render import compact_date_width
from timeline.search import Query, highlights

# one colour per era, in order, repeated; with NO_COLOR the era rows still name each era
ERA_COLOURS = ("magenta", "cyan", "yellow", "green", "blue", "red")

Row = tuple[str, int]  # ("era", era index) or ("event", event index)


def era_style(index: int) -> Style:
    return Style(color=ERA_COLOURS[index % len(ERA_COLOURS)])


class EventList(ScrollView, can_focus=True):
    """The events, one line each (era band, date, title), with an era row where an era begins."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-list--date",
        "event-list--title",
        "event-list--cursor",
        "event-list--era",
        "event-list--match",
    }
    DEFAULT_CSS = """
    EventList { overflow-x: hidden; }
    EventList > .event-list--date { color: $text-muted; }
    EventList > .event-list--title { }
    EventList > .event-list--cursor { background: $accent 40%; text-style: bold reverse; }
    EventList:focus > .event-list--cursor { background: $accent; text-style: bold reverse; }
    EventList > .event-list--era { text-style: bold; }
    EventList > .event-list--match { text-style: bold underline; color: $warning; }
    """

    class Moved(Message):
        """The cursor is on another event (index into the list's events, -1 when empty)."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def __init__(
        self,
        timeline: Timeline,
        every: Sequence[Event],
        eras: Mapping[str, int | None],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.timeline = timeline
        self.every = every  # all the events it may show (the command line's selection)
        self.eras = eras  # event id -> era index
        self.events: list[Event] = []
        self.queries: tuple[Query, ...] = ()
        self.rows: list[Row] = []
        self.row_of: list[int] = []  # event index -> row
        self.cursor = -1
        self._era_of: dict[int, int | None] = {}
        self._column = (-1, 0)  # (list width, date column) computed for that width
        self._styles: dict[str, Style] = {}

    # -- content ---------------------------------------------------------------------------

    def show(self, events: Sequence[Event], queries: tuple[Query, ...], keep: str | None = None) -> None:
        """Show ``events``; the cursor stays on the event with id ``keep`` if it is still there."""
        self.events = list(events)
        self.queries = queries
        self.rows, self.row_of = [], []
        era_of: dict[int, int | None] = {}
        shown: set[int] = set()
        for index, event in enumerate(self.events):
            era = self.eras.get(event.id)
            era_of[index] = era
            if era is not None and era not in shown:
                shown.add(era)
                self.rows.append(("era", era))
            self.row_of.append(len(self.rows))
            self.rows.append(("event", index))
        self._era_of = era_of
        cursor = 0 if self.events else -1
        if keep is not None:
            for index, event in enumerate(self.events):
                if event.id == keep:
                    cursor = index
                    break
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.cursor = -2  # force a Moved message
        self.move_to(cursor, top=keep is None)
        self.refresh()

    @property
    def current(self) -> Event | None:
        return self.events[self.cursor] if 0 <= self.cursor < len(self.events) else None

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, index: int, *, top: bool = False) -> None:
        index = max(0, min(index, len(self.events) - 1)) if self.events else -1
        changed = index != self.cursor
        previous, self.cursor = self.cursor, index
        scrolled = False
        if index >= 0:
            row = self.row_of[index]
            first = row - 1 if row > 0 and self.rows[row - 1][0] == "era" else row
            height = max(self.scrollable_content_region.height, 1)
            y = round(self.scroll_offset.y)
            if top or first < y:
                scrolled = first != y
                self._scroll(first)
            elif row >= y + height:
                scrolled = True
                self._scroll(row - height + 1)
        if scrolled or not (0 <= previous < len(self.row_of)) or index < 0:
            self.refresh()
        else:  # only the two rows that changed are drawn again
            y = round(self.scroll_offset.y)
            for row in (self.row_of[previous], self.row_of[index]):
                self.refresh(Region(0, row - y, self.size.width, 1))
        if changed:
            self.post_message(self.Moved(index))

    def _scroll(self, y: int) -> None:
        # `immediate`: scroll before the next frame, so the rows drawn match the cursor (Textual >= 0.82)
        self.scroll_to(y=y, animate=False, **_IMMEDIATE)

    def move_by(self, delta: int) -> None:
        if self.events:
            self.move_to(self.cursor + delta)

    def page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def year_step(self, direction: int) -> None:
        """To the first event of the next (1) or previous (-1) year in the list."""
        if not self.events:
            return
        year = self.events[self.cursor].date.year
        index = self.cursor
        if direction > 0:
            while index < len(self.events) and self.events[index].date.year == year:
                index += 1
            self.move_to(min(index, len(self.events) - 1))
            return
        start = index
        while start > 0 and self.events[start - 1].date.year == year:
            start -= 1  # the first event of this year
        if start == 0:
            self.move_to(0)
            return
        previous = self.events[start - 1].date.year
        index = start - 1
        while index > 0 and self.events[index - 1].date.year == previous:
            index -= 1
        self.move_to(index)

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_offset.y)
        if 0 <= row < len(self.rows) and self.rows[row][0] == "event":
            self.move_to(self.rows[row][1])

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        if self.cursor >= 0:
            self.move_to(self.cursor)

    # -- drawing ---------------------------------------------------------------------------

    def _date_column(self, width: int) -> int:
        """The compact view's date column (wide enough for ranges when there is room), less the band.

        Measured over every event the list may show, once per width, so that it stays put as the
        list narrows.
        """
        if self._column[0] != width:
            self._column = (width, compact_date_width(self.every, width) - 1)
        return self._column[1]

    def _style(self, name: str) -> Style:
        """A component style (or "base"), looked up once per style change: the list draws many rows."""
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style if name == "base" else self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        self._styles = {}
        super().notify_style_update()

    def on_focus(self) -> None:
        self._styles = {}
        self.refresh()

    def on_blur(self) -> None:
        self._styles = {}
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_offset.y)
        base = self._style("base")
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, base)
        kind, index = self.rows[row]
        if kind == "era":
            era = self.timeline.eras[index]
            style = base + self._style("event-list--era") + era_style(index)
            label = f"═ {one_line(era.name)} "
            segments = [Segment(label, style), Segment("═" * max(width - len(label), 0), style)]
            return Strip(segments).crop(0, width)
        event = self.events[index]
        cursor = index == self.cursor
        cursor_style = self._style("event-list--cursor") if cursor else None
        era = self._era_of.get(index)
        band = Segment("▌" if era is not None else " ", base + era_style(era) if era is not None else base)
        date_style = base + self._style("event-list--date")
        title_style = base + self._style("event-list--title")
        match_style = self._style("event-list--match")
        column = self._date_column(width)
        date = event.when()
        if len(date) >= column:  # a range that does not fit: its first day (the event in full has it all)
            date = event.date.display()
        text = Text(" " + date.ljust(column), style=date_style)
        title = one_line(event.title)
        start = len(text)
        text.append(title, style=title_style)
        for a, b in highlights(title, self.queries):
            text.stylize(match_style, start + a, start + b)
        if cursor_style is not None:
            text.stylize(cursor_style)
        segments = [band, *text.render(self.app.console)]
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = Strip([*strip.crop(0, width - 1), Segment("…", cursor_style or title_style)])
        fill = (base + cursor_style) if cursor_style is not None else base
        return strip.extend_cell_length(width, fill).crop(0, width)


class Detail(Widget):
    """The selected event in full: lines laid out by the caller (``render.event_lines``).

    It scrolls itself (J/K, the mouse wheel) rather than being a scrolling container, so that
    showing another event redraws this pane only, without laying out the whole screen again.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Strip] = []
        self.top = 0
        self._base: Style | None = None

    def show(self, text: Text) -> None:
        """Show ``text`` (already wrapped to the width: one line per line) from the top."""
        console = self.app.console
        self.lines = [Strip(line.render(console)) for line in text.split("\n", allow_blank=True)]
        self.top = 0
        self.refresh()

    def scroll_by_lines(self, delta: int) -> None:
        self.top = max(0, min(self.top + delta, len(self.lines) - self.size.height))
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.scroll_by_lines(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.scroll_by_lines(-3)

    def notify_style_update(self) -> None:
        self._base = None
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        row = self.top + y
        more = len(self.lines) - (self.top + height)
        if y == height - 1 and more > 0:
            return (
                Strip([Segment(f"↓ {more + 1} more lines (J scrolls, K back)", base + Style(dim=True))])
                .extend_cell_length(width, base)
                .crop(0, width)
            )
        if not 0 <= row < len(self.lines):
            return Strip.blank(width, base)
        return self.lines[row].apply_style(base).extend_cell_length(width, base).crop(0, width)


class Ruler(Widget):
    """Where the selected event stands in the whole story: years above, era bands and a marker below."""

    DEFAULT_CSS = """
    Ruler { height: 2; }
    """

    def __init__(self, timeline: Timeline, first: dt.date, last: dt.date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline = timeline
        self.first = first
        self.last = last
        self.at: Event | None = None

    def point(self, event: Event | None) -> None:
        self.at = event
        self.refresh()

    def _x(self, day: dt.date, width: int) -> int:
        span = max((self.last - self.first).days, 1)
        return max(0, min(width - 1, round((day - self.first).days / span * (width - 1))))

    def years(self, width: int) -> str:
        line = [" "] * width
        for year in range(self.first.year, self.last.year + 1):
            x = self._x(max(dt.date(year, 1, 1), self.first), width)
            label = str(year)
            if x + len(label) <= width and all(c == " " for c in line[max(x - 1, 0) : x + len(label) + 1]):
                line[x : x + len(label)] = label
        return "".join(line)

    def bar(self, width: int) -> list[tuple[str, Style | None]]:
        """The era bands as runs of text and style, the selected event a ◆."""
        eras = [(self._x(e.start.first_day, width), self._x(e.end.last_day if e.end else self.last, width))
                for e in self.timeline.eras]  # fmt: skip
        marker = self._x(self.at.start, width) if self.at is not None else -1
        runs: list[tuple[str, Style | None]] = []
        for x in range(width):
            if x == marker:
                piece: tuple[str, Style | None] = ("◆", Style(bold=True))
            else:
                era = next((i for i, (a, b) in enumerate(eras) if a <= x <= b), None)
                if era is None:
                    piece = ("─", Style(dim=True))
                else:
                    piece = ("┃" if x == eras[era][0] and era > 0 else "━", era_style(era))
            if runs and runs[-1][1] == piece[1]:
                runs[-1] = (runs[-1][0] + piece[0], piece[1])
            else:
                runs.append(piece)
        return runs

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return Strip([Segment(self.years(width), base)])
        if y == 1:
            return Strip([Segment(text, base + style if style else base) for text, style in self.bar(width)])
        return Strip.blank(width, base)


def _immediate() -> dict[str, bool]:
    import inspect

    return {"immediate": True} if "immediate" in inspect.signature(ScrollView.scroll_to).parameters else {}


_IMMEDIATE = _immediate()
