"""`timeline browse`: driven headless with Textual's pilot (keys in, screen and state out), snapshots of
the main screens at fixed sizes, hostile text, the browser opener replaced by a recorder, and the real
command in a pseudo-terminal (exit codes, the terminal restored, NO_COLOR)."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from timeline.cite import cite
from timeline.exporters import REGISTRY, ExportOptions
from timeline.loader import load
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline
from timeline.query import Filter, counts, select
from timeline.tui.app import HINT, KEYS, BrowseApp
from timeline.tui.model import Model, Narrowing
from timeline.tui.screens import Ask, Choose, Confirm, Notice

from .conftest import MINI

SNAPSHOTS = Path(__file__).parent / "snapshots"
README = Path(__file__).parent.parent / "README.md"


class Recorder:
    """Stands in for the system browser: records each address; ``works`` says whether one opened."""

    def __init__(self, works: bool = True) -> None:
        self.opened: list[str] = []
        self.works = works

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        return self.works


def screen_text(app: BrowseApp) -> str:
    """What the screen shows, as plain text lines (the compositor's full frame, styles dropped)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system=None,
        force_terminal=True, legacy_windows=False,
    )  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


Steps = Callable[[Any, BrowseApp], Awaitable[None]]


def drive(
    timeline: Timeline,
    steps: Steps,
    *,
    size: tuple[int, int] = (100, 30),
    criteria: Filter | None = None,
    opener: Callable[[str], bool] | None = None,
    folder: Path | None = None,
) -> BrowseApp:
    app = BrowseApp(
        timeline, criteria, opener=opener or Recorder(), folder=folder, export_options=ExportOptions()
    )

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot, app)

    asyncio.run(main())
    return app


async def press(pilot: Any, *keys: str) -> None:
    """Type ``keys``, then let the app finish what they started (a dialog opening, a search)."""
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()  # a new dialog is laid out on the turn after it opens


def ids(events: list[Event]) -> list[str]:
    return [e.id for e in events]


@pytest.fixture
def shipped() -> Timeline:
    return load(None)


# -- the command ---------------------------------------------------------------------------------


def test_browse_without_a_terminal_says_so_and_exits_2(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("browse")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr
        == "timeline: browse needs a terminal (standard output is not one); try 'timeline show'\n"
    )


def test_browse_is_listed_in_help(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("browse", "--help")
    assert result.exit_code == 0
    assert "--actor" in result.stdout and "Needs a terminal" in result.stdout


# -- the model: the same selection as the commands ------------------------------------------------


def test_model_narrows_with_the_same_search_and_filters_as_the_commands(mini: Timeline) -> None:
    model = Model(mini, Filter(tags=("summit",)))
    assert ids(model.view(Narrowing()).events) == ids(select(mini, Filter(tags=("summit",))))
    view = model.view(Narrowing(search="leaders meet"))
    expected = select(mini, Filter(tags=("summit",), search=("leaders meet",), match_all=True))
    assert ids(view.events) == ids(expected) == ["summit"]
    assert view.understood == ["tag summit", '"leaders meet"']
    both = model.view(Narrowing(actors=("kim-jong-un", "putin")))
    assert ids(both.events) == ["russia"]  # each pick narrows: Kim AND Putin


def test_model_keeps_the_command_lines_order_and_ignores_text_without_words(mini: Timeline) -> None:
    model = Model(mini, Filter(reverse=True))
    assert ids(model.view(Narrowing(search="summit")).events) == ["talks", "summit"]
    assert ids(model.view(Narrowing(search=" - ")).events) == ids(model.base.events)


def test_typing_on_narrows_like_a_fresh_search(shipped: Timeline) -> None:
    model = Model(shipped, Filter())
    for query in ('kim "fire and fury" x', "hwasong-15 icbm", "trump kim", "김정은 singapore", 'a "b c" d'):
        for end in range(1, len(query) + 1):
            typed = query[:end]
            fresh = Model(shipped, Filter()).view(Narrowing(search=typed))
            assert ids(model.view(Narrowing(search=typed)).events) == ids(fresh.events), typed
        for end in range(len(query), 0, -1):  # and back, with Backspace
            typed = query[:end]
            fresh = Model(shipped, Filter()).view(Narrowing(search=typed))
            assert ids(model.view(Narrowing(search=typed)).events) == ids(fresh.events), typed
    view = model.view(Narrowing(search="hwasong 15"))
    assert ids(view.events) == ids(select(shipped, Filter(search=("hwasong 15",))))  # the commands' search


def test_facet_counts_are_what_picking_would_keep(mini: Timeline) -> None:
    model = Model(mini, Filter())
    narrowing = Narrowing(tags=("summit",))
    per_actor, per_tag, per_era = model.facets(narrowing)
    for actor, count in per_actor.items():
        assert count == len(model.view(replace(narrowing, actors=(actor,))).events)
    assert per_tag["diplomacy"] == 1 and per_era == {"Summits": 2}


# -- keys in, screen and state out ----------------------------------------------------------------


def test_opens_on_the_first_event_with_its_full_text(mini: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        text = screen_text(app)
        assert "Fixture timeline — 5 events" in text
        assert "Fire and fury" in text and "“fire and fury” — Donald Trump" in text
        assert "[1] Wire — Threat story, 8 Aug 2017" in text
        assert app.shown is not None and app.shown.id == "threat"

    drive(mini, steps)


def test_moving_through_the_story(shipped: Timeline) -> None:
    events = select(shipped, Filter())

    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "j", "j")
        assert app.shown == events[2]
        await press(pilot, "k")
        assert app.shown == events[1]
        await press(pilot, "G")
        assert app.shown == events[-1]
        await press(pilot, "g")
        assert app.shown == events[0]
        await press(pilot, "right_square_bracket")  # next year
        assert app.shown is not None and app.shown.date.year == events[0].date.year + 1
        first_2018 = app.shown
        assert events[events.index(first_2018) - 1].date.year == events[0].date.year
        await press(pilot, "right_square_bracket", "left_square_bracket")
        assert app.shown == first_2018
        await press(pilot, "pagedown")
        moved = events.index(app.shown)
        assert moved > events.index(first_2018) + 5
        await press(pilot, "pageup")
        assert app.shown == first_2018
        assert f"{events.index(first_2018) + 1} of {len(events)}" in screen_text(app)

    drive(shipped, steps)


def test_search_as_you_type_uses_the_word_search_and_esc_clears(shipped: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "slash", *"hanoi summit")
        await pilot.pause()
        expected = select(shipped, Filter(search=("hanoi summit",)))
        assert ids(app.view.events) == ids(expected)
        assert app.shown is not None and app.shown.id == expected[0].id  # the first match is shown
        text = screen_text(app)
        assert f'{len(expected)} events · "hanoi summit"' in text
        await press(pilot, "down")  # arrows move the list while typing
        assert app.shown == expected[1]
        await press(pilot, "enter", "k")  # Enter keeps the search and goes back to the list
        assert app.shown == expected[0]
        await press(pilot, "j")
        assert app.shown == expected[1]
        await press(pilot, "escape")
        assert len(app.view.events) == len(shipped.events)
        assert app.shown == expected[1]  # the cursor stays on the event being read

    drive(shipped, steps)


def test_filter_panes_for_actors_tags_eras_and_dates_with_counts(shipped: Timeline) -> None:
    per_actor, per_tag = counts(shipped)

    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "a")
        assert isinstance(app.screen, Choose)
        text = screen_text(app)
        assert re.search(rf"\b{per_actor['putin']}  Vladimir Putin · putin", text)
        await press(pilot, *"putin", "enter")
        assert ids(app.view.events) == ids(select(shipped, Filter(actors=("putin",))))
        assert "· actor Vladimir Putin (putin)" in screen_text(app)
        await press(pilot, "t")
        _, tags_now = counts(replace(shipped, events=tuple(app.view.events)))
        tag = max(tags_now, key=lambda t: tags_now[t])
        await press(pilot, *tag, "enter")
        expected = select(shipped, Filter(actors=("putin",), tags=(tag,), match_all=True))
        assert ids(app.view.events) == ids(expected) and len(expected) == tags_now[tag]
        await press(pilot, "escape")  # clears what was picked here
        assert len(app.view.events) == len(shipped.events)
        await press(pilot, "p", "down", "enter")  # the second era
        era = next(e for e in shipped.eras if e.name == "Summit diplomacy")
        since, until = era.start.first_day, era.end.last_day if era.end else None
        assert ids(app.view.events) == ids(select(shipped, Filter(since=since, until=until)))
        assert "· era Summit diplomacy" in screen_text(app)
        await press(pilot, "d")
        assert isinstance(app.screen, Ask)
        await press(pilot, "ctrl+u", *"12/06/2018", "enter", "ctrl+u", "enter")
        assert isinstance(app.screen, Ask)  # an ambiguous date is refused, the dialog stays
        assert "12/06/2018" in screen_text(app)
        await press(pilot, "shift+tab", "ctrl+u", *"2019", "enter", "enter")
        assert ids(app.view.events) == ids(select(shipped, Filter(since=PartialDate(2019).first_day)))
        assert "· since 1 Jan 2019" in screen_text(app)

    drive(shipped, steps, size=(120, 40))
    assert per_tag  # the dataset has tags to pick


def test_enter_or_a_number_opens_a_source_through_the_opener(mini: Timeline) -> None:
    recorder = Recorder()

    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "enter")  # one source: opened at once
        await press(pilot, "j", "2")
        await press(pilot, "enter")  # two sources: pick one
        assert isinstance(app.screen, Choose)
        assert "[2] White House — Joint statement" in screen_text(app)
        await press(pilot, "down", "enter")
        await press(pilot, "9")
        assert "this event has 2 sources" in screen_text(app)

    drive(mini, steps, opener=recorder)
    assert recorder.opened == [
        "https://news.test/threat",
        "https://gov.test/statement",
        "https://gov.test/statement",
    ]


def test_without_a_browser_the_address_is_shown_and_can_be_copied(mini: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "1")
        assert isinstance(app.screen, Notice)
        text = screen_text(app)
        assert "No web browser is available here" in text and "https://news.test/threat" in text
        await press(pilot, "c")
        assert app.copied == "https://news.test/threat"
        await press(pilot, "escape")
        assert not isinstance(app.screen, Notice)

    drive(mini, steps, opener=Recorder(works=False))


@pytest.fixture
def linked(mini: Timeline) -> Timeline:
    """The fixture with "See also" links: threat -> summit, talks; summit -> threat."""
    links = {"threat": ("summit", "talks"), "summit": ("threat",)}
    events = tuple(replace(e, related=links.get(e.id, ())) for e in mini.events)
    return replace(mini, events=events)


def test_see_also_links_and_back(linked: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        text = screen_text(app)
        assert "See also (r)" in text and "27–28 Feb 2019  Second summit ends early" in text
        await press(pilot, "r")
        assert isinstance(app.screen, Choose)  # two links: pick one
        await press(pilot, "down", "enter")
        assert app.shown is not None and app.shown.id == "talks"
        assert app.event_list.cursor == 2  # the list follows
        await press(pilot, "b")
        assert app.shown is not None and app.shown.id == "threat"
        await press(pilot, "j", "r")  # summit: one link, followed at once
        assert app.shown is not None and app.shown.id == "threat"
        await press(pilot, "b", "b", "b")
        assert app.shown is not None and app.shown.id == "summit"
        assert "nothing to go back to" in screen_text(app)

    drive(linked, steps)


def test_a_link_to_an_event_outside_the_filter_is_shown_and_said_so(linked: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "r")
        assert app.shown is not None and app.shown.id == "threat"
        assert "not in the list" in screen_text(app)
        await press(pilot, "b")
        assert app.shown is not None and app.shown.id == "summit"
        assert "1 of 1" in screen_text(app)

    drive(linked, steps, criteria=Filter(ids=("summit",)))


def test_y_copies_the_markdown_citation(mini: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "j", "y")
        assert "copied the Markdown citation of summit" in screen_text(app)

    app = drive(mini, steps)
    summit = next(e for e in mini.events if e.id == "summit")
    assert app.copied == cite([summit], mini, "markdown")


def test_export_writes_the_listed_events_and_asks_before_overwriting(mini: Timeline, tmp_path: Path) -> None:
    target = tmp_path / "timeline.csv"

    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "slash", *"summit", "enter")
        await press(pilot, "e")
        assert isinstance(app.screen, Choose)
        await press(pilot, *"csv", "enter")
        assert isinstance(app.screen, Ask)
        await press(pilot, "enter")  # the proposed name: timeline.csv in the folder
        assert target.read_bytes().decode("utf-8") == REGISTRY["csv"].export(
            app.view.events, mini, ExportOptions()
        )
        target.write_text("keep me", encoding="utf-8")
        await press(pilot, "e", *"csv", "enter", "enter")
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        assert target.read_text(encoding="utf-8") == "keep me"
        await press(pilot, "e", *"csv", "enter", "enter", "y")
        assert target.read_text(encoding="utf-8").startswith("id,")
        assert f"wrote {target} (2 events)" in screen_text(app)

    drive(mini, steps, folder=tmp_path)


def test_question_mark_lists_every_key_and_the_readme_too(mini: Timeline) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for keys, what in KEYS:
            assert re.search(rf"{re.escape(keys)}\s+{re.escape(what)}", text), keys
        await press(pilot, "escape")
        assert not isinstance(app.screen, Notice)

    drive(mini, steps, size=(100, 40))
    readme = README.read_text(encoding="utf-8")
    for keys, what in KEYS:
        assert f"| `{keys}` | {what} |" in readme


def test_every_binding_is_in_the_key_list() -> None:
    listed = " ".join(keys for keys, _ in KEYS)
    names = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter", "down": "↓", "up": "↑",
             "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End", "backspace": "Backspace",
             "right_square_bracket": "]", "left_square_bracket": "[", "ctrl+c": "Ctrl-C"}  # fmt: skip
    for binding in BrowseApp.BINDINGS:
        for key in binding.key.split(","):  # type: ignore[union-attr]
            shown = names.get(key, key)
            assert shown in listed or (key.isdigit() and "1 … 9" in listed), key


def test_q_quits_and_ctrl_c_quits_with_130(mini: Timeline) -> None:
    async def quit_with(key: str) -> int | None:
        app = BrowseApp(mini, opener=Recorder())
        async with app.run_test() as pilot:
            await press(pilot, key)
            await pilot.pause()
        return app.return_code

    assert asyncio.run(quit_with("q")) == 0
    assert asyncio.run(quit_with("ctrl+c")) == 130


# -- snapshots at fixed sizes ---------------------------------------------------------------------


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8"), (
        f"{name}: run with UPDATE_SNAPSHOTS=1 and review the diff"
    )


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_main_screen(mini: Timeline, size: tuple[int, int]) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "j")
        check_snapshot(f"main-{size[0]}x{size[1]}", screen_text(app))

    drive(mini, steps, size=size)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_snapshot_search_and_pane(mini: Timeline, size: tuple[int, int]) -> None:
    async def steps(pilot: Any, app: BrowseApp) -> None:
        await press(pilot, "slash", *"kim", "enter")
        check_snapshot(f"search-{size[0]}x{size[1]}", screen_text(app))
        await press(pilot, "t")
        check_snapshot(f"tags-{size[0]}x{size[1]}", screen_text(app))

    drive(mini, steps, size=size)


def test_the_hint_line_fits_at_80_columns_with_the_help_key_first() -> None:
    assert HINT.startswith("? keys")


# -- hostile text ---------------------------------------------------------------------------------

HOSTILE = "[bold red]x[/] [link=https://evil.test]y[/link] \x1b[2J\x1b]8;;https://evil.test\x07z\u202e!"


def hostile_timeline() -> Timeline:
    text = HOSTILE
    source = Source(title=text, publisher=text, url="https://news.test/a", date=PartialDate(2018, 6, 12))
    event = Event(
        id="hostile", date=PartialDate(2018, 6, 12), title=text, summary=text, place=text,
        actors=("someone",), tags=(text,), quotes=(Quote(text=text, by="someone"),), sources=(source,),
    )  # fmt: skip
    return Timeline(
        title=text,
        actors={"someone": Actor(id="someone", name=text)},
        events=(event,),
        eras=(Era(name=text, start=PartialDate(2018)),),
    )


def test_hostile_text_is_shown_literally(tmp_path: Path) -> None:
    literal = (
        "[bold red]x[/] [link=https://evil.test]y[/link] \\x1b[2J\\x1b]8;;https://evil.test\\x07z\\u202e!"
    )

    async def steps(pilot: Any, app: BrowseApp) -> None:
        screens = [screen_text(app)]
        for key in ("a", "t", "p"):
            await press(pilot, key)
            screens.append(screen_text(app))
            await press(pilot, "escape")
        for text in screens:
            assert "\x1b" not in text and "\u202e" not in text
        main, actors, tags, eras = screens
        assert main.count("[bold red]x[/]") >= 5  # heading, era row, list, title, summary, ...
        assert literal[:40] in main
        assert "[bold red]x[/]" in actors and "[bold red]x[/]" in tags and "[bold red]x[/]" in eras
        await press(pilot, "y", "e", "enter", "enter")

    app = drive(hostile_timeline(), steps, size=(200, 60), folder=tmp_path)
    assert app.copied is not None and "\\[bold red\\]" in app.copied  # the citation is Markdown-escaped
    assert (tmp_path / "timeline.md").exists()


# -- the real command in a pseudo-terminal ----------------------------------------------------------


def _script() -> Path:
    script = Path(sys.executable).with_name("timeline")
    if not script.exists():
        pytest.skip("no console script next to this interpreter")
    return script


def run_in_pty(
    keys: bytes,
    env: dict[str, str] | None = None,
    wait_for: bytes = b"Fixture timeline",
    args: tuple[str, ...] = (),
    stdin_null: bool = False,
) -> tuple[int, bytes, bool]:
    """Run `timeline browse` on a pseudo-terminal; type ``keys`` once ``wait_for`` is on screen.

    Returns the exit status, everything written to the terminal, and whether the terminal's
    settings afterwards are those it had before.
    """
    import fcntl
    import pty
    import select as select_module
    import struct
    import termios
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal
        os.environ.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})})
        for name in ("COLUMNS", "LINES", "NO_COLOR"):
            if name not in (env or {}):
                os.environ.pop(name, None)
        os.environ.pop("CI", None)
        if stdin_null:
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.execv(str(_script()), [str(_script()), "--data", str(MINI), "browse", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    before = termios.tcgetattr(fd)
    output = b""
    deadline = time.monotonic() + 60  # an upper bound for a slow machine, not a measurement
    sent = False
    status = None
    while time.monotonic() < deadline:
        ready, _, _ = select_module.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            output += chunk
        if not sent and wait_for in output:
            os.write(fd, keys)
            sent = True
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
            break
    if status is None:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:  # still running after the deadline: stop it, and the test fails below
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
    try:
        after = termios.tcgetattr(fd)
    except termios.error:
        after = before
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output, after == before


@pytest.mark.parametrize(("key", "code"), [(b"q", 0), (b"\x03", 130)])
def test_real_terminal_is_restored_on_quit_and_ctrl_c(key: bytes, code: int) -> None:
    status, output, restored = run_in_pty(key)
    assert status == code
    assert b"\x1b[?1049h" in output  # the app took the alternate screen ...
    tail = output[output.rindex(b"\x1b[?1049h") :]
    assert b"\x1b[?1049l" in tail and b"\x1b[?25h" in tail  # ... and gave it back, cursor shown
    assert restored  # echo, line mode: the terminal's settings are as they were


def test_no_color_gives_only_greys() -> None:
    status, output, _ = run_in_pty(b"q", env={"NO_COLOR": "1"})
    assert status == 0
    colours = re.findall(rb"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)", output)
    assert colours and all(r == g == b for r, g, b in colours)
    status, output, _ = run_in_pty(b"q")
    colours = re.findall(rb"\x1b\[[0-9;]*?[34]8;2;(\d+);(\d+);(\d+)", output)
    assert any(not (r == g == b) for r, g, b in colours)  # and colour without it


def test_bad_criteria_fail_before_the_screen_is_taken() -> None:
    status, output, restored = run_in_pty(b"", args=("--actor", "nobody"))
    assert status == 2
    assert b"\x1b[?1049h" not in output
    assert output.decode().startswith("timeline: --actor: no actor matches 'nobody'")
    assert restored


def test_without_a_terminal_on_standard_input_it_says_so() -> None:
    status, output, _ = run_in_pty(b"", stdin_null=True)
    assert status == 2
    assert output.decode().strip() == (
        "timeline: browse needs a terminal (standard input is not one); try 'timeline show'"
    )


def test_over_many_events_the_search_waits_for_a_pause_in_typing(
    mini: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline.tui import app as app_module

    many = tuple(
        replace(e, id=f"{e.id}-{n}") for n in range(app_module.DEBOUNCE_FROM // 5 + 1) for e in mini.events
    )
    timeline = replace(mini, events=many)
    searched: list[str] = []
    view = Model._view

    def counting(self: Model, narrowing: Narrowing) -> Any:
        searched.append(narrowing.search)
        return view(self, narrowing)

    monkeypatch.setattr(Model, "_view", counting)

    async def steps(pilot: Any, app: BrowseApp) -> None:
        from textual import events

        await press(pilot, "slash")
        for character in "leaders":  # typed fast: all seven keys arrive before any search could run
            app.post_message(events.Key(character, character))
        search = app.main.query_one("#search")
        for _ in range(200):  # until the search has run (a bound, not a measurement)
            if app.narrowing.search == "leaders":
                break
            await pilot.pause(0.01)
        assert len(app.view.events) == len(many) // 5  # every copy of "The leaders meet"
        assert search.value == "leaders"

    drive(timeline, steps)
    assert searched == ["leaders"]  # one search for seven keys


def test_the_opener_refuses_text_browsers_and_reports_none(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    from timeline.tui.opener import open_in_browser

    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    def none() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert open_in_browser("https://news.test/a") is False
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("lynx"))
    assert open_in_browser("https://news.test/a") is False  # it would take over this terminal
    monkeypatch.setattr(webbrowser, "get", lambda: Graphical("firefox"))
    assert open_in_browser("javascript:alert(1)") is False
    assert open_in_browser("https://news.test/a") is True
    assert opened == ["https://news.test/a"]


def test_the_input_thread_wakes_as_often_as_the_escape_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    # a lone Esc is known only when the escape delay is up; the driver must look by then
    import selectors

    from textual import constants
    from textual.drivers import linux_driver

    from timeline.tui import _poll_input_faster

    monkeypatch.setattr(linux_driver, "selectors", selectors)  # undone after the test
    _poll_input_faster()
    asked: list[float | None] = []
    monkeypatch.setattr(
        selectors.SelectSelector, "select", lambda self, timeout=None: asked.append(timeout) or []
    )
    selector = linux_driver.selectors.SelectSelector()
    selector.select(0.1)
    selector.select(None)
    selector.select(0.001)
    delay = max(float(constants.ESCAPE_DELAY), 0.005)
    assert asked == [min(0.1, delay), delay, 0.001]
    assert linux_driver.selectors.EVENT_READ == selectors.EVENT_READ  # the rest of the module as it is
