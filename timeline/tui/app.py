"""The browser: the event list beside the selected event in full, a ruler, search as you type, panes.

It calls the same core as the commands: ``query.run`` (through ``model.Model``) to select,
``render.event_lines`` to show an event, ``cite`` for citations and the exporter registry for
exports. Opening a source goes through ``opener`` (a function of the address that says whether
a browser took it), so that tests can record instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from timeline.escape import one_line, printable
from timeline.exporters import EXPORTERS, ExportOptions
from timeline.models import Event, Timeline
from timeline.query import Filter
from timeline.tui.model import Model, Narrowing, View
from timeline.tui.screens import Ask, Choose, Confirm, Notice
from timeline.tui.widgets import Detail, EventList, Ruler

Opener = Callable[[str], bool]

# Every key, in the order of the help screen and the README (tests check both against the bindings).
KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  j k", "previous / next event"),
    ("PgUp PgDn", "a screen up / down"),
    ("g G  Home End", "first / last event"),
    ("[ ]", "previous / next year"),
    ("/", "search as you type (same words as --search); Enter keeps it"),
    ("Esc", "clear the search, else the filters picked here"),
    ("a", "filter by actor (with counts)"),
    ("t", "filter by tag (with counts)"),
    ("p", "filter by era, a period (with counts)"),
    ("d", "filter by date range (since, until)"),
    ("Enter  o", "open a source in the web browser"),
    ("1 … 9", "open source number N"),
    ("r", 'follow a "See also" link'),
    ("b  Backspace", "back to where you followed it from"),
    ("y", "copy the event's Markdown citation"),
    ("e", "export what is listed (any format; asks before overwriting)"),
    ("s", "save a screenshot (SVG) in the current folder"),
    ("J K", "scroll the event's text"),
    ("?", "this list of keys"),
    ("q  Ctrl-C", "quit"),
)

DEBOUNCE_FROM = 2000  # events; with fewer, a search takes a few milliseconds and runs on every key
DEBOUNCE = 0.02  # seconds of no typing before the search runs (keys typed together stay one search)

SEARCH_PLACEHOLDER = '/ search: words or "a phrase"; Enter keeps it, Esc clears it'
HINT = "? keys  / search  a t p d filters  ↵ source  r links  y cite  e export  q quit"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _themed(text: Text) -> Text:
    """The terminal view's named styles ("timeline.date") resolved from its theme (Textual knows none)."""
    from rich.text import Span

    from timeline.render import THEME

    text.spans[:] = [
        Span(s.start, s.end, THEME.styles.get(s.style, "") if isinstance(s.style, str) else s.style)
        for s in text.spans
    ]
    return text


class BrowseApp(App[None]):
    """`timeline browse`: read a chronology, narrow it, open its sources."""

    TITLE = "timeline browse"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #heading { height: 1; padding: 0 1; background: $boost; }
    #ruler { padding: 0 1; }
    #main { height: 1fr; }
    #list {
        width: 45%; min-width: 30; max-width: 70; scrollbar-size-vertical: 1;
        border-right: vkey $primary-background-lighten-2;
    }
    #detail { width: 1fr; padding: 0 1; }
    #bottom { dock: bottom; height: 2; }
    #search { height: 1; border: none; padding: 0 1; }
    #search:focus { background: $accent 30%; }
    #hint { height: 1; padding: 0 1; color: $text-muted; background: $boost; }
    """
    # Every key is a priority binding: it runs as the key arrives, in order, so that the keys
    # typed right after one that moves the focus ("/" then words) go where the focus now is.
    # ``k`` lets a key through to a text box or a dialog (see ``action_k``).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "interrupt", "Quit", priority=True, show=False),
        Binding("q", "k('quit_app')", priority=True, show=False),
        Binding("question_mark", "k('keys')", priority=True, show=False),
        Binding("slash", "k('search')", priority=True, show=False),
        Binding("escape", "escape", priority=True, show=False),
        Binding("enter", "enter", priority=True, show=False),
        Binding("j", "k('move', 1)", priority=True, show=False),
        Binding("k", "k('move', -1)", priority=True, show=False),
        # arrows and pages move the list from the search box too: search, then look
        Binding("down", "nav('move', 1)", priority=True, show=False),
        Binding("up", "nav('move', -1)", priority=True, show=False),
        Binding("pagedown", "nav('page', 1)", priority=True, show=False),
        Binding("pageup", "nav('page', -1)", priority=True, show=False),
        Binding("g,home", "k('edge', 0)", priority=True, show=False),
        Binding("G,end", "k('edge', 1)", priority=True, show=False),
        Binding("right_square_bracket", "k('year', 1)", priority=True, show=False),
        Binding("left_square_bracket", "k('year', -1)", priority=True, show=False),
        Binding("a", "k('pick_actor')", priority=True, show=False),
        Binding("t", "k('pick_tag')", priority=True, show=False),
        Binding("p", "k('pick_era')", priority=True, show=False),
        Binding("d", "k('pick_dates')", priority=True, show=False),
        Binding("o", "k('open_source')", priority=True, show=False),
        *(Binding(str(n), f"k('open_number', {n})", priority=True, show=False) for n in range(1, 10)),
        Binding("r", "k('related')", priority=True, show=False),
        Binding("b,backspace", "k('back')", priority=True, show=False),
        Binding("y", "k('cite')", priority=True, show=False),
        Binding("e", "k('export')", priority=True, show=False),
        Binding("s", "k('screenshot_svg')", priority=True, show=False),
        Binding("J", "k('scroll_detail', 1)", priority=True, show=False),
        Binding("K", "k('scroll_detail', -1)", priority=True, show=False),
    ]

    def __init__(
        self,
        timeline: Timeline,
        criteria: Filter | None = None,
        *,
        opener: Opener | None = None,
        export_options: ExportOptions | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__()
        from timeline.tui.opener import open_in_browser

        self.timeline = timeline
        self.model = Model(timeline, criteria or Filter())
        self.narrowing = Narrowing()
        self.view = View(
            list(self.model.base.events), list(self.model.base.understood), self.model.base.queries
        )
        self.opener: Opener = opener or open_in_browser
        self.export_options = export_options or ExportOptions()
        self.folder = folder or Path.cwd()  # where exports and screenshots go by default
        self.shown: Event | None = None  # the event in the detail pane (a followed link may be unlisted)
        self.history: list[str] = []  # event ids to go back to after following "See also"
        self.copied: str | None = None  # the last text copied, for the tests and the status line
        self._search_generation = 0
        self._said = False  # a message is in the hint line until the next key

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        yield Ruler(self.timeline, self.model.first, self.model.last, id="ruler")
        with Horizontal(id="main"):
            yield EventList(self.timeline, self.model.base.events, self.model.eras, id="list")
            yield Detail(id="detail")
        with Vertical(id="bottom"):
            yield Input(placeholder=SEARCH_PLACEHOLDER, id="search")
            yield Static(Text(HINT), id="hint")

    def on_mount(self) -> None:
        self.event_list.focus()
        self._refresh_view(keep=None)
        # the search's text of every event, made while the reader reads (a second at 10,000 events)
        self.run_worker(lambda: self.model.documents, thread=True, exit_on_error=False)

    @property
    def main(self) -> Screen[None]:
        """The screen under any dialog (the app's own ``query_one`` looks at the top screen only)."""
        return self.screen_stack[0]

    @property
    def event_list(self) -> EventList:
        return self.main.query_one("#list", EventList)

    # -- showing ---------------------------------------------------------------------------

    def _refresh_view(self, keep: str | None) -> None:
        self.event_list.show(self.view.events, self.view.queries, keep=keep)
        self._heading()
        if not self.view.events:
            self.shown = None
            self._detail()

    def _heading(self) -> None:
        count = len(self.view.events)
        text = Text(one_line(self.timeline.title), style="bold", no_wrap=True, overflow="ellipsis")
        text.append(f" — {count} event{'s' if count != 1 else ''}", style="dim")
        for part in self.view.understood:
            text.append(" · " + one_line(part), style="dim")
        self.main.query_one("#heading", Static).update(text)

    def on_event_list_moved(self, message: EventList.Moved) -> None:
        self.shown = self.event_list.current
        self._detail()

    def on_resize(self) -> None:
        self.call_after_refresh(self._detail)

    def _detail(self) -> None:
        from timeline.render import MAX_WIDTH, event_lines, to_text
        from timeline.search import highlights

        detail = self.main.query_one("#detail", Detail)
        ruler = self.main.query_one("#ruler", Ruler)
        event = self.shown
        ruler.point(event)
        if event is None:
            detail.show(Text("No events match. Esc clears the filters picked here.", style="dim"))
            return
        width = max(min(detail.scrollable_content_region.width, MAX_WIDTH), 20)
        queries = self.view.queries

        def marks(text: str) -> list[tuple[int, int]]:
            return highlights(text, queries)

        text = Text(no_wrap=True, overflow="fold")
        listed = self.event_list.current is event
        where = f"{self.event_list.cursor + 1} of {len(self.view.events)}" if listed else "not in the list"
        era = self.timeline.era_of(event)
        text.append(where + (f" · {one_line(era.name)}" if era else "") + "\n", style="dim")
        text.append_text(
            _themed(to_text(event_lines(event, self.timeline, width, marks if queries else None)))
        )
        related = [self.model.by_id[r] for r in event.related if r in self.model.by_id]
        if related:
            text.append("\nSee also (r)\n", style="bold")
            for other in related:
                text.append(f"  {other.when()}  ", style="dim")
                text.append(one_line(other.title) + "\n")
        if self.history:
            text.append("\nb: back\n", style="dim")
        detail.show(text)

    def _say(self, message: str | Text) -> None:
        """A one-line message in the hint line, until the next key."""
        self.main.query_one("#hint", Static).update(message if isinstance(message, Text) else Text(message))
        self._said = True

    def on_key(self) -> None:
        if self._said:
            self._said = False
            self.main.query_one("#hint", Static).update(Text(HINT))

    # -- narrowing -------------------------------------------------------------------------

    def narrow(self, narrowing: Narrowing) -> None:
        self.narrowing = narrowing
        keep = self.shown.id if self.shown is not None else None
        self.view = self.model.view(narrowing)
        self._refresh_view(keep=keep)

    # -- keys ------------------------------------------------------------------------------

    def _in_list(self) -> bool:
        """True when keys are commands: the main screen, and no text box has the focus."""
        return self.screen is self.main and not isinstance(self.focused, Input)

    def action_k(self, name: str, *args: int) -> None:
        """Run the command ``name`` for a key, or let the key through to a text box or a dialog."""
        if not self._in_list():
            raise SkipAction()
        getattr(self, f"action_{name}")(*args)

    def action_nav(self, name: str, *args: int) -> None:
        """Like ``k``, for keys that also work while typing a search (arrows, pages)."""
        if self.screen is not self.main or (isinstance(self.focused, Input) and self.focused.id != "search"):
            raise SkipAction()
        getattr(self, f"action_{name}")(*args)

    def action_enter(self) -> None:
        if self.screen is not self.main:
            raise SkipAction()
        if self.focused is self.main.query_one("#search", Input):  # keep the search, back to the list
            self._search_generation += 1
            self._apply_search(self._search_generation)
            self.set_focus(self.event_list)
            return
        if isinstance(self.focused, Input):
            raise SkipAction()
        self.action_open_source()

    def action_escape(self) -> None:
        if self.screen is not self.main:
            raise SkipAction()
        self.action_clear()

    def action_search(self) -> None:
        # at once: the keys typed right after "/" belong to the search
        self.set_focus(self.main.query_one("#search", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        # Only the newest text is searched: a key that comes before the search has run replaces
        # it. Over many events the search also waits for a pause in the typing, so that each
        # key shows at once and the list follows when the reader stops.
        self._search_generation += 1
        if len(self.model.base.events) > DEBOUNCE_FROM:
            self.set_timer(DEBOUNCE, partial(self._apply_search, self._search_generation))
        else:
            self.call_later(self._apply_search, self._search_generation)

    def _apply_search(self, generation: int) -> None:
        if generation != self._search_generation:
            return
        text = self.main.query_one("#search", Input).value
        if text != self.narrowing.search:
            self.narrow(dataclasses.replace(self.narrowing, search=text))

    def action_clear(self) -> None:
        search = self.main.query_one("#search", Input)
        if search.has_focus or self.narrowing.search:
            search.value = ""
            self._search_generation += 1
            self.narrow(dataclasses.replace(self.narrowing, search=""))
            self.set_focus(self.event_list)
            return
        if not self.narrowing.is_empty:
            self.narrow(Narrowing())
            self._say("filters cleared")

    def _pick(self, title: str, lines: list[Text], then: Callable[[int], None]) -> None:
        def chosen(index: int | None) -> None:
            if index is not None:
                then(index)

        self.push_screen(Choose(title, lines, narrow=len(lines) > 5), chosen)

    @staticmethod
    def _line(count: int, label: str, picked: bool) -> Text:
        line = Text(("✓ " if picked else "  ") + f"{count:>5}  ", style="bold" if picked else "")
        line.append(one_line(label))
        return line

    def action_pick_actor(self) -> None:
        per_actor, _, _ = self.model.facets(self.narrowing)
        picked = set(self.narrowing.actors)
        ids = sorted(
            (a for a in self.timeline.actors if per_actor.get(a) or a in picked),
            key=lambda a: (-per_actor.get(a, 0), a),
        )
        lines = [
            self._line(per_actor.get(a, 0), f"{self.timeline.actor_name(a)} · {a}", a in picked) for a in ids
        ]

        def then(index: int) -> None:
            chosen = ids[index]
            actors = tuple(a for a in self.narrowing.actors if a != chosen)
            if chosen not in picked:
                actors += (chosen,)
            self.narrow(dataclasses.replace(self.narrowing, actors=actors))

        self._pick("Actors (events listed now; Enter adds or removes one)", lines, then)

    def action_pick_tag(self) -> None:
        _, per_tag, _ = self.model.facets(self.narrowing)
        picked = set(self.narrowing.tags)
        tags = sorted(set(per_tag) | picked, key=lambda t: (-per_tag.get(t, 0), t))
        lines = [self._line(per_tag.get(t, 0), t, t in picked) for t in tags]

        def then(index: int) -> None:
            chosen = tags[index]
            kept = tuple(t for t in self.narrowing.tags if t != chosen)
            self.narrow(
                dataclasses.replace(self.narrowing, tags=kept if chosen in picked else (*kept, chosen))
            )

        self._pick("Tags (events listed now; Enter adds or removes one)", lines, then)

    def action_pick_era(self) -> None:
        if not self.timeline.eras:
            self._say("this dataset has no eras; d picks a date range")
            return
        _, _, per_era = self.model.facets(self.narrowing)
        eras = list(self.timeline.eras)
        lines = []
        for era in eras:
            end = era.end.display() if era.end else "now"
            label = f"{era.name} · {era.start.display()} – {end}"
            lines.append(self._line(per_era.get(era.name, 0), label, era.name == self.narrowing.era))

        def then(index: int) -> None:
            era = eras[index]
            if era.name == self.narrowing.era:  # picked again: taken off
                self.narrow(dataclasses.replace(self.narrowing, era=None, since=None, until=None))
                return
            since = era.start.first_day
            until = era.end.last_day if era.end else None
            self.narrow(dataclasses.replace(self.narrowing, era=era.name, since=since, until=until))

        self._pick("Eras (Enter picks one; again takes it off)", lines, then)

    def action_pick_dates(self) -> None:
        from timeline.dates import date_range
        from timeline.errors import UsageError

        def bounds(values: list[str]) -> tuple[dt.date | None, dt.date | None]:
            since, until = (v.strip() or None for v in values)
            return date_range(since, until, since_name="since", until_name="until", today=dt.date.today())

        def check(values: list[str]) -> str | None:
            try:
                bounds(values)
            except UsageError as exc:
                return one_line(str(exc))
            return None

        def done(values: list[str] | None) -> None:
            if values is not None:
                since, until = bounds(values)
                self.narrow(dataclasses.replace(self.narrowing, era=None, since=since, until=until))

        now = self.narrowing
        fields = [
            ("since: 2018, June 2018, 2018-06-12, 3 months ago (empty: none)", _iso(now.since)),
            ("until: 2019 (its whole year), 2019-02 … (empty: none)", _iso(now.until)),
        ]
        self.push_screen(Ask("Date range (Enter moves on, then applies)", fields, check), done)

    # -- moving ----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self.event_list.move_by(delta)

    def action_page(self, direction: int) -> None:
        self.event_list.move_by(direction * self.event_list.page())

    def action_edge(self, end: int) -> None:
        self.event_list.move_to(len(self.view.events) - 1 if end else 0)

    def action_year(self, direction: int) -> None:
        self.event_list.year_step(direction)

    def action_scroll_detail(self, direction: int) -> None:
        self.main.query_one("#detail", Detail).scroll_by_lines(direction * 3)

    def show_event(self, event: Event) -> None:
        """Show ``event`` in full, moving the cursor to it when it is listed."""
        for index, listed in enumerate(self.view.events):
            if listed.id == event.id:
                self.event_list.move_to(index)
                break
        self.shown = event
        self._detail()

    def action_related(self) -> None:
        event = self.shown
        if event is None:
            return
        related = [self.model.by_id[r] for r in event.related if r in self.model.by_id]
        if not related:
            self._say('this event has no "See also" links')
            return

        def follow(index: int) -> None:
            self.history.append(event.id)
            self.show_event(related[index])

        if len(related) == 1:
            follow(0)
            return
        lines = [Text(f"{other.when()}  ").append(one_line(other.title)) for other in related]
        self._pick("See also", lines, follow)

    def action_back(self) -> None:
        if not self.history:
            self._say("nothing to go back to")
            return
        self.show_event(self.model.by_id[self.history.pop()])

    # -- sources, citations, exports --------------------------------------------------------

    def action_open_source(self) -> None:
        event = self.shown
        if event is None:
            return
        if len(event.sources) == 1:
            self.action_open_number(1)
            return
        from timeline.render import citation

        lines = [Text("".join(text for text, _ in citation(n, s))) for n, s in enumerate(event.sources, 1)]
        self._pick("Open a source", lines, lambda index: self.action_open_number(index + 1))

    def action_open_number(self, number: int) -> None:
        event = self.shown
        if event is None:
            return
        if not 1 <= number <= len(event.sources):
            self._say(f"this event has {len(event.sources)} source{'s' if len(event.sources) != 1 else ''}")
            return
        url = event.sources[number - 1].url
        if self.opener(url):
            self._say(Text(f"opened [{number}] ") + Text(printable(url)))
            return
        body = Text("No web browser is available here. The address of source ", style="bold")
        body.append(f"[{number}]:\n\n")
        body.append(printable(url))
        self.push_screen(Notice(body, copy=url))

    def copy_to_clipboard(self, text: str) -> None:
        self.copied = text
        super().copy_to_clipboard(text)

    def action_cite(self) -> None:
        if self.shown is None:
            return
        from timeline.cite import cite

        self.copy_to_clipboard(cite([self.shown], self.timeline, "markdown"))
        self._say(Text("copied the Markdown citation of ") + Text(one_line(self.shown.id)))

    def action_export(self) -> None:
        events = list(self.view.events)
        if not events:
            self._say("nothing to export")
            return
        lines = [Text(f"{e.name:<11} {e.extension:<15} {e.description}") for e in EXPORTERS]

        def chosen_format(index: int) -> None:
            exporter = EXPORTERS[index]
            default = str(self.folder / f"timeline{exporter.extension}")

            def check(values: list[str]) -> str | None:
                return None if values[0].strip() else "a file name, please"

            def chosen_file(values: list[str] | None) -> None:
                if values is None:
                    return
                path = Path(values[0].strip()).expanduser()
                if not path.is_absolute():
                    path = self.folder / path
                if path.exists() and not path.is_dir():
                    question = Text(f"{path} exists. Replace it?")
                    self.push_screen(
                        Confirm(question), lambda yes: yes and self._export(exporter, path, events)
                    )
                    return
                self._export(exporter, path, events, force=False)

            note = f"{len(events)} event{'s' if len(events) != 1 else ''} as {exporter.name}"
            self.push_screen(
                Ask(f"Export to which file? ({note})", [("file name", default)], check), chosen_file
            )

        self._pick("Export what is listed: which format?", lines, chosen_format)

    def _export(self, exporter, path: Path, events: list[Event], *, force: bool = True) -> None:  # type: ignore[no-untyped-def]
        from timeline.errors import TimelineError
        from timeline.files import write_atomic

        try:
            write_atomic(path, exporter.export(events, self.timeline, self.export_options), force=force)
        except TimelineError as exc:
            self._say(Text(one_line(str(exc)), style="bold"))
            return
        self._say(Text(f"wrote {path} ({len(events)} event{'s' if len(events) != 1 else ''})"))

    # -- the rest --------------------------------------------------------------------------

    def action_keys(self) -> None:
        width = max(len(keys) for keys, _ in KEYS)
        body = Text("Keys\n\n", style="bold")
        body.append("\n".join(f"{keys:<{width}}  {what}" for keys, what in KEYS), style="")
        self.push_screen(Notice(body))

    def action_screenshot_svg(self) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"timeline-browse-{stamp}.svg"
        self.save_screenshot(name, str(self.folder))
        self._say(Text(f"saved {self.folder / name}"))

    def action_quit_app(self) -> None:
        self.exit(return_code=0)

    def action_interrupt(self) -> None:
        self.exit(return_code=130)
