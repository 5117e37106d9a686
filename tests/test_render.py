import io

from rich.console import Console

from timeline.models import Event, PartialDate, Source, Timeline
from timeline.render import THEME, timeline_view


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
             #rhetoric
             A threat is made.
             “fire and fury” — Donald Trump
             [1] Wire — Threat story, 8 Aug 2017
                 https://news.test/threat

───────────────────────────────── 2018 ─────────────────────────────────
Summits · Jan 2018 – Oct 2019 ══════════════════════════════════════════

12 Jun 2018  The leaders meet
             Donald Trump, Kim Jong Un · Singapore
             #summit #diplomacy
             They sign a statement.
             [1] Paper — Summit story, 12 Jun 2018
                 https://news.test/summit
             [2] White House — Joint statement
                 https://gov.test/statement

───────────────────────────────── 2019 ─────────────────────────────────

27–28 Feb 2019
             Second summit ends early
             Donald Trump, Kim Jong Un
             #summit
             [1] Wire — Hanoi story
                 https://news.test/hanoi

───────────────────────────────── 2020 ─────────────────────────────────

Jun 2020     A month-precision event
             Kim Yo Jong
             #statement
             [1] Paper — June story
                 https://news.test/june

───────────────────────────────── 2023 ─────────────────────────────────

c. 2023      An approximate year
             Kim Jong Un, Vladimir Putin
             #russia #summit
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
        "  #rhetoric\n"
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
        "12 Jun 2018  The leaders meet  (Donald Trump, Kim Jong Un)",
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


# -- the line breaker's fast path -------------------------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rich.cells import cell_len  # noqa: E402

from timeline import render as render_module  # noqa: E402


def test_every_character_the_fast_line_breaker_takes_is_one_cell_and_not_a_space() -> None:
    for code in range(0x110000):
        char = chr(code)
        if render_module._SINGLE_CELLS.fullmatch(char):
            assert cell_len(char) == 1 and (char == " " or not char.isspace()), hex(code)


@given(
    st.lists(st.sampled_from(["a", "b", " ", "  ", "é", " — ", "·", "“", "”", "’", "…", "long-word-here"]))
    .map("".join)
    .filter(lambda text: len(text) <= 160),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=4),
)
def test_the_fast_line_breaker_breaks_single_cell_text_as_the_general_one(
    text: str, width: int, indent: int, hang: int
) -> None:
    assert render_module._SINGLE_CELLS.fullmatch(text)
    fast = render_module._slices_ascii(text, width, indent, hang, fold=False)
    if fast is not None:  # None: a word is folded, and the general breaker then breaks the text
        assert fast == render_module._slices(text, width, indent, hang)
