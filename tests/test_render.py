import io
import re

import pytest
from rich.console import Console

from tests.conftest import HOSTILE
from timeline.escape import one_line
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline
from timeline.render import THEME, timeline_view
from timeline.wrap import cells


def render(
    timeline: Timeline, events=None, width: int = 72, compact: bool = False, color: bool = False
) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        theme=THEME,
        color_system="truecolor" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    view = timeline_view(
        console, list(events if events is not None else timeline.events), timeline, compact=compact
    )
    console.print(view, soft_wrap=True)
    return out.getvalue()


EXPECTED_72 = """\
Fixture timeline — 5 events

───────────────────────────────── 2017 ─────────────────────────────────

8 Aug 2017   Fire and fury
             Donald Trump · Bedminster, New Jersey
             #rhetoric · id threat
             A threat is made.
             “fire and fury” — Donald Trump
             [1] Wire — Threat story, 8 Aug 2017
                 https://news.test/threat

───────────────────────────────── 2018 ─────────────────────────────────
Summits · Jan 2018 – Oct 2019 ══════════════════════════════════════════

12 Jun 2018  The leaders meet
             Donald Trump, Kim Jong Un · Singapore
             #summit #diplomacy · id summit
             They sign a statement.
             [1] Paper — Summit story, 12 Jun 2018
                 https://news.test/summit
             [2] White House — Joint statement
                 https://gov.test/statement

───────────────────────────────── 2019 ─────────────────────────────────

27–28 Feb 2019
             Second summit ends early
             Donald Trump, Kim Jong Un
             #summit · id talks
             [1] Wire — Hanoi story
                 https://news.test/hanoi

───────────────────────────────── 2020 ─────────────────────────────────

Jun 2020     A month-precision event
             Kim Yo Jong
             #statement · id month-only
             [1] Paper — June story
                 https://news.test/june

───────────────────────────────── 2023 ─────────────────────────────────

c. 2023      An approximate year
             Kim Jong Un, Vladimir Putin
             #russia #summit · id russia
             [1] Wire — Russia story
                 https://news.test/russia
"""


def test_full_view_at_72_columns(mini) -> None:  # type: ignore[no-untyped-def]
    assert render(mini) == EXPECTED_72


def test_narrow_view_puts_dates_on_their_own_line(mini) -> None:  # type: ignore[no-untyped-def]
    text = render(mini, mini.events[:1], width=24)
    assert text == (
        "Fixture timeline — 1\n"
        "event\n"
        "\n"
        "───────── 2017 ─────────\n"
        "\n"
        "8 Aug 2017\n"
        "  Fire and fury\n"
        "  Donald Trump ·\n"
        "  Bedminster, New Jersey\n"
        "  #rhetoric · id threat\n"
        "  A threat is made.\n"
        "  “fire and fury” —\n"
        "   Donald Trump\n"
        "  [1] Wire — Threat\n"
        "      story, 8 Aug 2017\n"
        "      https://news.test/threat\n"
    )
    # every line fits, except the address, which is never cut so that it can be copied whole
    assert max(len(line) for line in text.splitlines() if "https://" not in line) <= 24


def test_compact_view(mini) -> None:  # type: ignore[no-untyped-def]
    lines = render(mini, mini.events[1:3], compact=True).splitlines()
    assert lines[3:] == [
        "Summits · Jan 2018 – Oct 2019 ══════════════════════════════════════════",
        "12 Jun 2018     The leaders meet  (Donald Trump, Kim Jong Un)",
        "",
        "───────────────────────────────── 2019 ─────────────────────────────────",
        "27–28 Feb 2019  Second summit ends early  (Donald Trump, Kim Jong Un)",
    ]


def hostile_timeline() -> Timeline:
    event = Event(
        id="x",
        date=PartialDate(2018, 6, 12),
        title="[bold red]Boom[/] \x1b[31mred\x1b]0;title\x07 \u202eevil",
        summary="[link=https://evil.test]click[/link] \x9b31m",
        place="\x1b]8;;https://evil.test\x1b\\here\x1b]8;;\x1b\\",
        sources=(Source(title="[i]t[/i]", publisher="P\x1b[2J", url="https://news.test/a"),),
    )
    return Timeline(title="T", actors={}, events=(event,))


def test_data_is_never_markup_or_control_sequences() -> None:
    timeline = hostile_timeline()
    plain = render(timeline, width=100)
    assert "[bold red]Boom[/]" in plain
    assert "\\x1b[31mred\\x1b]0;title\\x07 \\u202eevil" in plain
    assert "[link=https://evil.test]click[/link] \\x9b31m" in plain
    assert "\x1b" not in plain and "\x07" not in plain and "\u202e" not in plain and "\x9b" not in plain
    colored = render(timeline, width=100, color=True)
    # the only escape sequences are our own styles and the one link to the cited address
    assert "evil.test" not in colored.replace("[link=https://evil.test]", "").replace(
        "\\x1b]8;;https://evil.test", ""
    )
    assert colored.count("\x1b]8;") == 4  # open+close for the citation title and for its address
    assert "\x1b[2J" not in colored and "\x1b]0;" not in colored


def test_piped_output_has_no_escape_codes(mini) -> None:  # type: ignore[no-untyped-def]
    assert "\x1b" not in render(mini)
    assert "\x1b]8;" in render(mini, color=True)  # OSC-8 links when the terminal has colour


def test_a_word_longer_than_the_line_fits_at_30_columns() -> None:
    word = "x" * 70
    event = Event(
        id="q",
        date=PartialDate(2018, 6, 12),
        title="Quote",
        quotes=(Quote(text=word),),
        sources=(Source(title="T", publisher="P", url="https://news.test/a"),),
    )
    text = render(Timeline(title="T", actors={}, events=(event,)), width=30)
    quote = [line for line in text.splitlines() if "x" in line]
    assert quote == ["  “" + "x" * 27, "   " + "x" * 27, "   " + "x" * 16 + "”"]
    assert max(len(line) for line in text.splitlines() if "https://" not in line) <= 30


@pytest.mark.parametrize("width", [1, 2, 10, 30])
def test_a_long_era_name_is_shortened_to_the_width(width: int) -> None:
    event = Event(
        id="e",
        date=PartialDate(2018),
        title="E",
        sources=(Source(title="T", publisher="P", url="https://news.test/a"),),
    )
    for name in ("E" * 40_000, "김" * 20_000):
        era = Era(name=name, start=PartialDate(2018))
        lines = render(Timeline(title="T", actors={}, events=(event,), eras=(era,)), width=width).splitlines()
        band = next(line for line in lines if line.startswith(name[0]) or line == "…")
        assert band.endswith("…") and cells(band) <= max(width, 1) and cells(band) >= width - 1


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_corpus_is_inert_in_the_view(value: str) -> None:
    source = Source(title=value, publisher=value, url="https://news.test/a")
    event = Event(
        id="x",
        date=PartialDate(2018, 6, 12),
        title=value,
        summary=value,
        place=value,
        actors=("a",),
        tags=(value,),
        quotes=(Quote(text=value, by="a"),),
        sources=(source,),
    )
    era = Era(name=value, start=PartialDate(2018))
    timeline = Timeline(title=value, actors={"a": Actor(id="a", name=value)}, events=(event,), eras=(era,))
    for width in (30, 100):
        plain = render(timeline, width=width)
        assert not UNSAFE.search(plain.replace("\n", "")), repr(plain)
        assert one_line(value) in plain.replace("\n", " ") or width == 30
        colored = render(timeline, width=width, color=True)
        # our own styles (CSI ... m) and the OSC-8 links to the cited address, nothing else
        own = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*;(https://news\.test/a)?\x1b\\", "", colored)
        assert not UNSAFE.search(own.replace("\n", "")), repr(own)
