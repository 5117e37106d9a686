"""display.py: the display rules every format shares, and that the formats agree on them."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from timeline import escape
from timeline.display import by_year, citation_label, era_of, plural
from timeline.exporters import REGISTRY, ExportOptions
from timeline.models import Era, Event, PartialDate, Source, Timeline
from timeline.render import THEME, plain_view


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 events"), (1, "1 event"), (2, "2 events"), (172, "172 events")]
)
def test_plural(count: int, text: str) -> None:
    assert plural(count, "event") == text


def test_citation_label() -> None:
    dated = Source(
        title="Talks *end*", publisher="Reuters", url="https://x.test", date=PartialDate(2019, 2, 28)
    )
    undated = Source(title="Statement", publisher="KCNA\x1b[2J", url="https://x.test")
    assert citation_label(dated) == "Reuters, “Talks *end*”, 28 Feb 2019"
    assert citation_label(undated) == "KCNA\\x1b[2J, “Statement”"
    assert citation_label(dated, escape.markdown) == "Reuters, “Talks \\*end\\*”, 28 Feb 2019"
    assert citation_label(dated, escape.html, date=False) == "Reuters, “Talks *end*”"


def event(id: str, date: PartialDate, end: PartialDate | None = None) -> Event:
    return Event(
        id=id, date=date, end=end, title=id, sources=(Source(title="t", publisher="p", url="https://x.test"),)
    )


def test_by_year_groups_consecutive_events() -> None:
    events = [
        event("a", PartialDate(2018, 1)),
        event("b", PartialDate(2018, 5, 2)),
        event("c", PartialDate(2020)),
    ]
    assert [(y, [e.id for e in g]) for y, g in by_year(events)] == [(2018, ["a", "b"]), (2020, ["c"])]
    assert [y for y, _ in by_year(reversed(events))] == [2020, 2018]
    assert list(by_year([])) == []


FREEZE = Era(name="Freeze", start=PartialDate(2019, 10, 6), end=PartialDate(2023, 7, 24))
RUSSIA = Era(name="Russia", start=PartialDate(2023, 7, 25))
ERAS = (FREEZE, RUSSIA)


@pytest.mark.parametrize(
    ("start", "end", "era"),
    [
        (PartialDate(2019, 10, 5), None, None),  # the day before the first era
        (PartialDate(2019, 10, 6), None, FREEZE),  # first day, inclusive
        (PartialDate(2023, 7, 24), None, FREEZE),  # last day, inclusive
        (PartialDate(2023, 7, 25), None, RUSSIA),
        (PartialDate(2023, 7, 18), PartialDate(2023, 9, 27), FREEZE),  # starts in one, runs into the next
        (PartialDate(2023, 7), None, FREEZE),  # a month starts on its first day
        (PartialDate(2019, 9, 1), PartialDate(2019, 12, 1), None),  # starts before any era
        (PartialDate(2030), None, RUSSIA),  # an era without an end goes on
    ],
)
def test_era_of_is_the_era_an_event_starts_in(
    start: PartialDate, end: PartialDate | None, era: Era | None
) -> None:
    assert era_of(ERAS, event("e", start, end)) == era
    assert Timeline(title="T", actors={}, events=(), eras=ERAS).era_of(event("e", start, end)) == era


def test_the_first_of_overlapping_eras_wins() -> None:
    wide = Era(name="Wide", start=PartialDate(2018))
    assert era_of((wide, RUSSIA), event("e", PartialDate(2024))) == wide


def test_era_of_answers_for_the_eras_it_is_given_each_time() -> None:
    # the days of a timeline's eras are worked out once: other eras, or a list changed in place,
    # are never answered from that
    wide = Era(name="Wide", start=PartialDate(2018))
    in_2024 = event("e", PartialDate(2024))
    assert era_of(ERAS, in_2024) == RUSSIA
    assert era_of((wide, RUSSIA), in_2024) == wide
    assert era_of(ERAS, in_2024) == RUSSIA
    changing = [RUSSIA]
    assert era_of(changing, in_2024) == RUSSIA
    changing[0] = wide
    assert era_of(changing, in_2024) == wide


def test_every_format_puts_an_event_in_the_same_era() -> None:
    # Travis King's span (18 Jul - 27 Sep 2023) crosses from the freeze into the Russia alignment
    crossing = event("crossing", PartialDate(2023, 7, 18), PartialDate(2023, 9, 27))
    later = event("later", PartialDate(2023, 8, 1))
    timeline = Timeline(title="T", actors={}, events=(crossing, later), eras=ERAS)
    events = list(timeline.events)
    console = Console(file=io.StringIO(), width=60, theme=THEME, color_system=None)
    view = [line for line in plain_view(console, events, timeline).splitlines() if line.strip()]
    # the band of an era comes before the first event that starts in it, not before one that
    # merely runs into it
    marks = [line.split()[0] if line.startswith(("Freeze", "Russia")) else line.split()[-1] for line in view]
    seen = [mark for mark in marks if mark in ("Freeze", "Russia", "crossing", "later")]
    # (an event's title line and its id line both end with its id: count it once)
    assert [mark for i, mark in enumerate(seen) if i == 0 or seen[i - 1] != mark] == [
        "Freeze",
        "crossing",
        "Russia",
        "later",
    ]
    slides = json.loads(REGISTRY["timelinejs"].export(events, timeline))["events"]
    assert [s.get("group") for s in slides] == ["Freeze", "Russia"]
    mermaid = REGISTRY["mermaid"].export(events, timeline, ExportOptions(group="era"))
    assert mermaid.index("section Freeze") < mermaid.index("crossing") < mermaid.index("section Russia")
    assert mermaid.index("section Russia") < mermaid.index("later")
    html = REGISTRY["html"].export(events, timeline)
    assert html.index('class="era">Freeze') < html.index('id="crossing"') < html.index('class="era">Russia')
    assert html.index('class="era">Russia') < html.index('id="later"')
