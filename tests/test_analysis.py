"""Stats, the Goldstein chart, threads, dossiers, as-of and on-this-day on a hand-computed fixture.

tests/data/analysis.yaml: six events; the numbers below are worked out by hand from it and from
GDELT's table (046 +7.0, 138 −7.0, 0874 +10.0, 163 −8.0, 057 +8.0; e5 has no code).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from timeline.analysis import asof, dossier, goldstein, onthisday, stats, threads
from timeline.cameo import CODES
from timeline.loader import load
from timeline.models import Event, PartialDate, Source, Timeline

ANALYSIS = Path(__file__).parent / "data" / "analysis.yaml"


@pytest.fixture
def fixture() -> Timeline:
    return load([ANALYSIS])


def ids(events: list[Event] | tuple[Event, ...]) -> list[str]:
    return [e.id for e in events]


# -- the Goldstein table ------------------------------------------------------------------------


def test_the_shipped_table_is_gdelts_file_unchanged() -> None:
    import hashlib

    path = Path(goldstein.__file__).with_name("CAMEO.goldsteinscale.txt")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == "22ae69794e081b8cc9bb87a15f59fabdaa6e9ba00b1d08990b46cd75291c0ca8"
    assert path.read_text().splitlines()[0] == "CAMEOEVENTCODE\tGOLDSTEINSCALE"
    readme = path.with_name("README.md").read_text()
    assert "GDELT" in readme and digest in readme  # provenance stated next to the file


def test_every_codebook_code_has_a_score_of_its_own() -> None:
    for code in CODES:
        found = goldstein.score(code)
        assert found is not None and not found.inherited, code
        assert -10.0 <= found.value <= 10.0


@pytest.mark.parametrize(
    ("code", "value"),
    [("016", -2.0), ("022", 3.2), ("164", -7.0), ("165", -6.5), ("0874", 10.0), ("043", 2.8), ("20", -10.0)],
)
def test_scores_where_codebooks_disagree_are_gdelts(code: str, value: float) -> None:
    assert goldstein.score(code) == goldstein.Score(code, value, code)


def test_a_code_missing_from_the_table_takes_its_parents_score() -> None:
    assert goldstein.score("0429") == goldstein.Score("0429", 1.9, "042")  # 042 Make a visit
    assert goldstein.score("049") == goldstein.Score("049", 1.0, "04")
    assert goldstein.score("99") is None
    event = Event("x", PartialDate(2018, 6, 1), "x", (Source("t", "p", "https://x.test"),), cameo="0429")
    timeline = Timeline("t", {}, (event,))
    result = goldstein.chart([event], timeline, "year")
    assert result.periods[0].goldstein == 1.9
    assert goldstein.notes(result) == [
        "Goldstein scores (−10 conflict … +10 cooperation): GDELT CAMEO.goldsteinscale.txt",
        "CAMEO 0429 is not in the table: scored as its parent 042",
    ]


# -- chart ---------------------------------------------------------------------------------------


def test_chart_by_year(fixture: Timeline) -> None:
    result = goldstein.chart(fixture.events, fixture, "year")
    rows = [p.as_json() for p in result.periods]
    assert rows == [
        # 7.0 − 7.0 + 10.0 − 8.0 = 2.0 over 4 scored of 5 events
        {"period": "2018", "events": 5, "goldstein": 2.0, "mean": 0.5, "scored": 4,
         "eras": ["First era", "Second era"]},
        {"period": "2019", "events": 1, "goldstein": 8.0, "mean": 8.0, "scored": 1, "eras": ["Second era"]},
    ]  # fmt: skip
    assert result.unscored == 1 and result.table == "GDELT CAMEO.goldsteinscale.txt"


def test_chart_by_quarter_shows_empty_periods(fixture: Timeline) -> None:
    result = goldstein.chart(fixture.events, fixture, "quarter")
    assert [(p.period, p.events, p.goldstein, p.mean) for p in result.periods] == [
        ("2018-Q1", 3, 10.0, 3.3),  # 7.0 − 7.0 + 10.0; 10 / 3
        ("2018-Q2", 1, -8.0, -8.0),
        ("2018-Q3", 1, 0.0, None),  # e5 has no CAMEO code
        ("2018-Q4", 0, 0.0, None),
        ("2019-Q1", 1, 8.0, 8.0),
    ]
    assert [p.eras for p in result.periods][1:3] == [("First era",), ("Second era",)]


def test_chart_by_month(fixture: Timeline) -> None:
    result = goldstein.chart(fixture.events, fixture, "month")
    assert len(result.periods) == 15  # Jan 2018 to Mar 2019
    by = {p.period: (p.events, p.goldstein) for p in result.periods}
    assert by["2018-01"] == (1, 7.0) and by["2018-02"] == (2, 3.0) and by["2018-03"] == (0, 0.0)
    assert by["2018-05"] == (1, -8.0) and by["2019-03"] == (1, 8.0)
    assert goldstein.chart([], fixture, "month").periods == ()


# -- stats ---------------------------------------------------------------------------------------


def test_stats(fixture: Timeline) -> None:
    result = stats.stats(fixture.events, fixture)
    assert result.events == 6
    assert result.by_year == (("2018", 5), ("2019", 1))
    assert result.by_era == (("First era", 4), ("Second era", 2))
    assert result.by_tag == (("deal", 2), ("threat", 2), ("visit", 2), ("summit", 1))
    assert result.by_actor == (("Alpha", 4), ("Beta", 4), ("Gamma", 2))
    assert result.by_publisher == (("Paper", 3), ("Wire", 3), ("Agency", 2))
    assert result.by_cameo == (
        ("04 CONSULT", 1),
        ("05 ENGAGE IN DIPLOMATIC COOPERATION", 1),
        ("08 YIELD", 1),
        ("13 THREATEN", 1),
        ("16 REDUCE RELATIONS", 1),
    )
    assert (result.busiest_years, result.quietest_years, result.busiest_months) == (
        ("2018",),
        ("2019",),
        ("2018-02",),
    )
    assert (result.busiest_year_events, result.quietest_year_events, result.busiest_month_events) == (5, 1, 2)
    # e5 ends 15 Sep 2018, e6 starts 1 Mar 2019: 15+31+30+31+31+28+1 = 167 days
    assert result.longest_gap == stats.Gap(167, "e5", "e6", dt.date(2018, 9, 15), dt.date(2019, 3, 1))


def test_gaps_run_from_the_end_of_a_span_and_overlaps_leave_none(fixture: Timeline) -> None:
    by_id = {e.id: e for e in fixture.events}
    # e3 ends 22 Feb, e4 (May 2018) starts 1 May: 6 + 31 + 30 + 1 = 68 days
    assert stats.longest_gap([by_id["e3"], by_id["e4"]]) == stats.Gap(
        68, "e3", "e4", dt.date(2018, 2, 22), dt.date(2018, 5, 1)
    )
    assert stats.longest_gap([by_id["e1"]]) is None
    assert stats.longest_gap([by_id["e1"], by_id["e1"]]) is None


def test_quietest_year_counts_empty_years(mini: Timeline) -> None:
    result = stats.stats(mini.events, mini)
    assert result.by_year == (
        ("2017", 1),
        ("2018", 1),
        ("2019", 1),
        ("2020", 1),
        ("2021", 0),
        ("2022", 0),
        ("2023", 1),
    )
    assert result.quietest_years == ("2021", "2022") and result.quietest_year_events == 0


# -- threads ---------------------------------------------------------------------------------------


def test_threads_follow_links_both_ways(fixture: Timeline) -> None:
    assert ids(threads.thread(fixture, "e1")) == ["e1", "e2", "e3"]
    assert ids(threads.thread(fixture, "e3")) == ["e1", "e2", "e3"]
    assert ids(threads.thread(fixture, "e5")) == ["e4", "e5"]  # linked only from e4
    assert ids(threads.thread(fixture, "e6")) == ["e6"]
    assert threads.one_way(fixture) == [("e4", "e5")]
    by_id = {e.id: e for e in fixture.events}
    assert ids(threads.see_also(by_id["e2"], by_id)) == ["e1", "e3"]
    assert threads.see_also(by_id["e5"], by_id) == []


# -- as of -----------------------------------------------------------------------------------------


def test_as_of_keeps_sources_published_by_then(fixture: Timeline) -> None:
    known = asof.as_of(fixture, dt.date(2018, 2, 28))
    assert ids(known.events) == ["e1", "e2", "e3"]
    assert [s.title for s in known.events[2].sources] == ["Three"]  # "Three later" came in April
    # a source dated only to the month counts from its last day
    assert "e4" not in ids(asof.as_of(fixture, dt.date(2018, 5, 30)).events)
    assert "e4" in ids(asof.as_of(fixture, dt.date(2018, 5, 31)).events)
    # on the day itself: e6 was announced on 28 Feb 2019, the day before it happened
    eve = asof.as_of(fixture, dt.date(2019, 2, 28))
    assert ids(eve.events) == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert [s.title for s in eve.events[5].sources] == ["Six announced"]
    assert asof.label(dt.date(2019, 3, 1)) == "as known on 1 Mar 2019"


# -- dossier ---------------------------------------------------------------------------------------


def test_dossier(fixture: Timeline) -> None:
    result = dossier.dossier(fixture, "alpha")
    assert ids(result.events) == ["e1", "e2", "e3", "e6"]
    assert result.per_year == ((2018, 3), (2019, 1))
    assert result.companions == (("beta", 2), ("gamma", 1))
    assert [(e.id, q.text) for e, q in result.quotes] == [("e6", "Good deal")]
    assert (result.first.id, result.last.id) == ("e1", "e6")  # type: ignore[union-attr]
    assert dossier.sparkline([3, 1]) == "█▃" and dossier.sparkline([0, 2, 0]) == "▁█▁"
    assert dossier.dossier(fixture, "gamma").per_year == ((2018, 1), (2019, 1))


# -- on this day -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "window", "expected"),
    [
        ("2024-02-21", 0, ["e3"]),  # inside the span 20-22 Feb, any year
        ("2024-02-21", 7, ["e3"]),  # e6 (1 Mar 2019) is 8 days after 21 Feb 2019
        ("2024-02-21", 8, ["e3", "e6"]),
        ("2024-02-21", 16, ["e2", "e3", "e6"]),  # e2 (5 Feb) is 16 days before
        ("2024-12-31", 10, ["e1"]),  # around the turn of the year: 31 Dec 2017 to 10 Jan 2018
        ("2024-02-29", 1, ["e6"]),  # 29 Feb is 28 Feb in 2019: 1 day before 1 Mar
        ("2024-05-15", 30, []),  # e4 is known only to the month
    ],
)
def test_on_this_day(fixture: Timeline, day: str, window: int, expected: list[str]) -> None:
    found = onthisday.on_this_day(fixture.events, dt.date.fromisoformat(day), window)
    assert [e.id for e, _ in found] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 June", (6, 12)),
        ("June 12", (6, 12)),
        ("06-12", (6, 12)),
        ("2018-06-12", (6, 12)),
        ("today", (3, 4)),
    ],
)
def test_on_this_day_reads_a_day_without_a_year(text: str, expected: tuple[int, int]) -> None:
    day = onthisday.parse_day(text, dt.date(2026, 3, 4))
    assert (day.month, day.day) == expected


@pytest.mark.parametrize("text", ["June", "2018", "13-45", "nonsense"])
def test_on_this_day_refuses_what_is_not_a_day(text: str) -> None:
    from timeline.errors import UsageError

    with pytest.raises(UsageError):
        onthisday.parse_day(text, dt.date(2026, 3, 4))


# -- the command line ----------------------------------------------------------------------------------

DATA = ["--data", str(ANALYSIS)]
WIDE = {"COLUMNS": "80"}


def test_chart_command_text(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("chart", "--by", "quarter", "--color", "never", *DATA, env=WIDE)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Analysis fixture — 6 events, cooperation and conflict by quarter\n"
        "\n"
        "                   conflict ←│→ cooperation\n"
        "First era ══════════════════════════════════════════════════════════════════════\n"
        "2018-Q1                      │████████████████████ +10.0  3 events    mean +3.3\n"
        "2018-Q2      ████████████████│                      −8.0  1 event     mean −8.0\n"
        "Second era ═════════════════════════════════════════════════════════════════════\n"
        "2018-Q3                      │                         0  1 event     no codes\n"
        "2018-Q4                      │                         0  no events\n"
        "2019-Q1                      │████████████████      +8.0  1 event     mean +8.0\n"
        "\n"
        "Goldstein scores (−10 conflict … +10 cooperation): GDELT\n"
        "CAMEO.goldsteinscale.txt\n"
        "1 event without a CAMEO code counts as an event but scores nothing\n"
    )


def test_chart_command_json_and_as_of(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("chart", "--by", "year", "--format", "json", "--as-of", "2018-02-28", *DATA)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "period": "2018",
            "events": 3,
            "goldstein": 10.0,
            "mean": 3.3,
            "scored": 3,
            "eras": ["First era", "Second era"],
        }
    ]


def test_chart_in_colour_shows_cooperation_and_conflict_apart(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("chart", "--color", "always", *DATA, env=WIDE)
    assert result.exit_code == 0
    assert "\x1b[34m" in result.stdout and "\x1b[31m" not in result.stdout  # both years lean to cooperation
    conflict = invoke("chart", "--color", "always", "--tag", "threat", *DATA, env=WIDE)
    assert "\x1b[31m" in conflict.stdout and "\x1b[34m" not in conflict.stdout


def test_stats_command(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("stats", "--format", "json", *DATA)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["by_year"] == {"2018": 5, "2019": 1}
    assert data["longest_gap"] == {
        "days": 167,
        "after": "e5",
        "before": "e6",
        "from": "2018-09-15",
        "to": "2019-03-01",
    }
    assert data["busiest_months"] == {"periods": ["2018-02"], "events": 2}
    text = invoke("stats", "--color", "never", "--actor", "Beta", *DATA, env=WIDE)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == "Analysis fixture — 4 events, 10 Jan 2018 – 15 Sep 2018 · actor Beta (beta)"
    assert "Longest gap: 107 days, from 31 May 2018 (e4) to 15 Sep 2018 (e5)" in lines
    # Beta's events cite Wire (e1, e3), Agency (e3, e5) and Paper (e4)
    start = lines.index("By publisher (sources cited)") + 1
    assert lines[start : start + 4] == [
        "  Agency  2 ██████████████████████████████",
        "  Wire    2 ██████████████████████████████",
        "  Paper   1 ███████████████",
        "",
    ]


def test_as_of_in_the_heading_and_exports(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--compact", "--color", "never", "--as-of", "2018-02-28", *DATA, env=WIDE)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Analysis fixture — 3 events · as known on 28 Feb 2018"
    exported = invoke("export", "json", "--as-of", "2019-02-28", *DATA)
    records = json.loads(exported.stdout)
    assert [r["id"] for r in records] == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert [s["title"] for s in records[5]["sources"]] == ["Six announced"]
    partial = invoke("stats", "--format", "json", "--as-of", "2018", *DATA)  # to the end of 2018
    assert json.loads(partial.stdout)["events"] == 5
    bad = invoke("show", "--as-of", "12/06/2018", *DATA)
    assert bad.exit_code == 2 and bad.stderr.startswith("timeline: --as-of")


def test_thread_command(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("thread", "e2", "--color", "never", *DATA, env=WIDE)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Analysis fixture — 3 events · thread of e2"
    assert [line[:11] for line in result.stdout.splitlines() if line[:2].strip().isdigit()] == [
        "10 Jan 2018",
        "5 Feb 2018 ",
        "20–22 Feb 2",
    ]
    as_json = invoke("thread", "e5", "--format", "json", *DATA)
    assert [r["id"] for r in json.loads(as_json.stdout)] == ["e4", "e5"]
    missing = invoke("thread", "e7", *DATA)
    assert missing.exit_code == 2 and "no event has the id 'e7'" in missing.stderr


def test_validate_warns_about_one_way_links(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("validate", str(ANALYSIS))
    assert result.exit_code == 0
    assert result.stdout == f"{ANALYSIS}: valid: 6 events, 3 actors\n"
    assert result.stderr == "timeline: warning: event 'e4' is related to 'e5', which does not link back\n"


def test_actor_command(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("actor", "Al", "--color", "never", *DATA, env=WIDE)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Analysis fixture — Alpha (alpha)\n"
        "\n"
        "Aliases:      Al\n"
        "Role:         Leader\n"
        "Country:      USA\n"
        "First seen:   10 Jan 2018  Talks open\n"
        "Last seen:    1 Mar 2019  Agreement signed\n"
        "Per year:     2018–2019 █▃  3 1\n"
        "Appears with: Beta (2), Gamma (1)\n"
        "\n"
        "Quotes\n"
        "\n"
        "  “Good deal”\n"
        "    1 Mar 2019 · Agreement signed\n"
        "    [1] Wire — Six announced, 28 Feb 2019\n"
        "    [2] Paper — Six, 2 Mar 2019\n"
        "\n"
        "Events (4)\n"
        "10 Jan 2018     Talks open  (Alpha, Beta)\n"
        "5 Feb 2018      A threat  (Alpha)\n"
        "20–22 Feb 2018  A retreat  (Alpha, Beta)\n"
        "1 Mar 2019      Agreement signed  (Alpha, Gamma)\n"
    )
    data = json.loads(invoke("actor", "beta", "--format", "json", *DATA).stdout)
    assert (data["aliases"], data["role"], data["country"]) == ([], None, "PRK")
    assert data["per_year"] == {"2018": 4} and data["appears_with"][0] == {
        "id": "alpha",
        "name": "Alpha",
        "events": 2,
    }
    assert data["quotes"] == [
        {"text": "We agree", "event": "e5", "date": "2018-09-15",
         "sources": [{"title": "Five", "publisher": "Agency", "url": "https://news.test/5", "date": "2018-09-16", "kind": None}]}
    ]  # fmt: skip
    partial = invoke("actor", "gam", *DATA)
    assert partial.exit_code == 0 and partial.stderr == "timeline: gam: taken as Gamma (gamma)\n"
    unknown = invoke("actor", "Zeta", *DATA)
    assert unknown.exit_code == 2 and unknown.stderr.startswith("timeline: NAME: no actor matches 'Zeta'")


def test_on_this_day_command(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("on-this-day", "21 February", "--window", "16", "--color", "never", *DATA, env=WIDE)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Analysis fixture — 3 events · on this day: 21 Feb ± 16 days"
    none = invoke("on-this-day", "07-04", *DATA)
    assert (none.exit_code, none.stdout, none.stderr) == (0, "", "timeline: no events match\n")
    bad = invoke("on-this-day", "June", *DATA)
    assert bad.exit_code == 2 and bad.stderr.startswith("timeline: DATE:")


# -- see also -------------------------------------------------------------------------------------------


def test_see_also_in_the_terminal_view(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--id", "e2", "--color", "never", *DATA, env=WIDE)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [
        "             See also: 10 Jan 2018: Talks open",
        "                       20–22 Feb 2018: A retreat",
    ]
    compact = invoke("show", "--id", "e2", "--compact", "--color", "never", *DATA, env=WIDE)
    assert "See also" not in compact.stdout


def test_see_also_in_markdown_links_within_the_document(invoke) -> None:  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    result = invoke("export", "markdown", "--id", "e1", "--id", "e2", *DATA)
    assert result.exit_code == 0
    assert "See also: [10 Jan 2018: Talks open](#e1); 20–22 Feb 2018: A retreat\n" in result.stdout
    html = MarkdownIt("gfm-like").render(result.stdout)
    # each link's target is an anchor in the same document; e3 is not exported, so it is plain text
    assert '<a href="#e2">5 Feb 2018: A threat</a>' in html and '<a id="e2"></a>' in html
    assert '<a href="#e1">' in html and '<a id="e1"></a>' in html and "#e3" not in html


def test_see_also_in_html_links_within_the_page(invoke) -> None:  # type: ignore[no-untyped-def]
    from tests.test_formats import read_html

    result = invoke("export", "html", "--id", "e1", "--id", "e2", *DATA)
    page = read_html(result.stdout)
    anchors = {attrs["id"] for tag, attrs in page.tags if tag == "article"}
    links = [
        attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("#e")
    ]
    assert links == ["#e2", "#e1"] and set(link[1:] for link in links) <= anchors
    assert (
        '<p class="related">See also: <a href="#e1"><time datetime="2018-01-10">10 Jan 2018</time> Talks open</a>; '
        '<time datetime="2018-02-20">20–22 Feb 2018</time> A retreat</p>'
    ) in result.stdout


# -- svg ----------------------------------------------------------------------------------------------


def test_export_svg_is_a_self_contained_picture(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    from tests.test_formats import SVG_NS

    target = tmp_path / "chart.svg"
    result = invoke("export", "-o", str(target), "--by", "quarter", *DATA)
    assert (result.exit_code, result.stderr) == (0, f"timeline: wrote {target}\n")
    text = target.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert "<script" not in text.lower()
    assert root.find(SVG_NS + "title").text == "Analysis fixture: cooperation and conflict by quarter"  # type: ignore[union-attr]
    tips = [t.text for t in root.iter(SVG_NS + "title")]
    assert "2018-Q1: 3 events, Goldstein +10.0, mean +3.3" in tips
    assert "2018-Q4: 0 events, Goldstein 0" in tips
    bars = [r for r in root.iter(SVG_NS + "rect") if r.find(SVG_NS + "title") is not None]
    fills = [r.get("fill") for r in bars if "Q" in (r.find(SVG_NS + "title").text or "")]  # type: ignore[union-attr]
    assert fills == ["#1a73e8", "#d93025", "#9aa0a6", "#9aa0a6", "#1a73e8"]  # up, down, empty, empty, up
    texts = ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]
    assert "Goldstein scores (−10 conflict … +10 cooperation): GDELT CAMEO.goldsteinscale.txt" in texts
    assert "1 event without a CAMEO code counts as an event but scores nothing" in texts
    assert {"First era", "Second era"} <= set(texts)
    # hostile text in every field: tests/test_formats.py::check_svg
    by_month = ET.fromstring(invoke("export", "svg", "--by", "month", *DATA).stdout)
    assert (
        len([r for r in by_month.iter(SVG_NS + "rect") if r.get("height") == "2"]) == 11
    )  # 10 empty months, Sep (uncoded)


def test_html_export_embeds_the_chart_at_the_top(invoke) -> None:  # type: ignore[no-untyped-def]
    from tests.test_formats import external_resources, read_html

    result = invoke("export", "html", "--by", "year", *DATA)
    assert result.exit_code == 0
    page = read_html(result.stdout)
    tags = [tag for tag, _ in page.tags]
    assert tags.index("svg") < tags.index("main") and tags.index("header") < tags.index("svg")
    assert external_resources(page) == [] and "script" not in tags
    assert "cooperation and conflict by year" in page.text["title"][1]


def test_by_applies_to_svg_and_html_only(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "json", "--by", "year", *DATA)
    assert result.exit_code == 2
    assert result.stderr == "timeline: --by applies to the svg format and the html format, not json\n"


def test_as_of_is_stated_in_documents_and_not_in_data(invoke) -> None:  # type: ignore[no-untyped-def]
    note = "As known on 28 Feb 2018: only sources published by then."
    markdown = invoke("export", "markdown", "--as-of", "28 Feb 2018", *DATA).stdout
    assert markdown.splitlines()[:3] == ["# Analysis fixture", "", f"*{note}*"]
    html = invoke("show", "--format", "html", "--as-of", "28 Feb 2018", *DATA).stdout
    assert f'<p class="count">{note}</p>' in html
    svg = invoke("export", "svg", "--as-of", "28 Feb 2018", *DATA).stdout
    assert f"conflict. {note}</desc>" in svg
    records = json.loads(invoke("show", "--format", "json", "--as-of", "28 Feb 2018", *DATA).stdout)
    assert [r["id"] for r in records] == ["e1", "e2", "e3"]  # pure data: no note among the records


def test_new_modules_load_only_in_the_commands_that_use_them(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import MINI

    probe = (
        "import sys\n"
        "from timeline.cli import app\n"
        "try:\n"
        "    app(['show', '--data', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(','.join(sorted(m for m in sys.modules if m.startswith('timeline.'))))\n"
    )

    def loaded(path: Path) -> set[str]:
        env = {"TIMELINE_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "80"}
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, env=env, check=True
        )
        return set(done.stderr.split(","))

    assert not {m for m in loaded(MINI) if m.startswith(("timeline.analysis", "timeline.exporters.svg"))}
    # events with `related` links need only the threads module, for "See also"
    with_links = {m for m in loaded(ANALYSIS) if m.startswith("timeline.analysis")}
    assert with_links == {"timeline.analysis", "timeline.analysis.threads"}


HOSTILE_DATA = """\
schema: 1
title: "T \\x1b[2J"
actors:
  evil:
    name: "Evil \\x1b]8;;https://evil.test\\x07link[bold]"
    role: "Role \\u202e reversed"
eras:
  - {name: "Era \\x1b[31m red", start: 2018-01-01}
events:
  - id: x
    date: 2018-06-01
    title: "Title \\x1b[5m"
    actors: [evil]
    tags: [t]
    cameo: "043"
    quotes:
      - {text: "Quote \\x1b[0m", by: evil}
    sources:
      - {title: "S \\x1b[1m", publisher: "P \\x1b[1m", url: "https://news.test/x", date: 2018-06-01}
"""


@pytest.mark.parametrize(
    "args", [["stats"], ["chart"], ["actor", "evil"], ["thread", "x"], ["on-this-day", "06-01"]]
)
@pytest.mark.parametrize("color", ["never", "always"])
def test_data_text_is_never_a_terminal_control(invoke, write, args: list[str], color: str) -> None:  # type: ignore[no-untyped-def]
    path = write(HOSTILE_DATA)
    result = invoke(*args, "--color", color, "--data", str(path), env=WIDE)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout
    if color == "always":  # the tool's own styles, and nothing else, are escape sequences
        import re

        shown = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", shown)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\x1b" in shown  # shown as a visible escape instead


def test_as_of_with_ids_says_which_events_were_not_yet_on_record(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "show", "e6", "e1", "--as-of", "1 Mar 2018", "--compact", "--color", "never", *DATA, env=WIDE
    )
    assert result.exit_code == 0
    assert result.stderr == "timeline: e6: no source published by then (as known on 1 Mar 2018)\n"
    assert result.stdout.splitlines()[0] == "Analysis fixture — 1 event · as known on 1 Mar 2018 · id e1"
    alone = invoke("show", "--id", "e6", "--as-of", "1 Mar 2018", *DATA)
    assert (alone.exit_code, alone.stdout) == (0, "")
    assert alone.stderr.splitlines() == [
        "timeline: e6: no source published by then (as known on 1 Mar 2018)",
        "timeline: no events match",
    ]
    early = invoke("thread", "e2", "--as-of", "10 Feb 2018", "--format", "json", *DATA)
    assert [r["id"] for r in json.loads(early.stdout)] == ["e1", "e2"]  # e3 was reported on 23 Feb
    assert invoke("thread", "e6", "--as-of", "1 Mar 2018", *DATA).stdout == ""
    assert invoke("filter", "--as-of", "1 Mar 2018", "--format", "json", *DATA).exit_code == 0  # a criterion


def test_thread_is_compact_unless_full(invoke) -> None:  # type: ignore[no-untyped-def]
    compact = invoke("thread", "e2", "--as-of", "10 Feb 2018", "--color", "never", *DATA, env=WIDE)
    assert compact.stdout.splitlines()[-2:] == [
        "10 Jan 2018  Talks open  (Alpha, Beta)",
        "5 Feb 2018   A threat  (Alpha)",
    ]
    full = invoke("thread", "e2", "--full", "--color", "never", *DATA, env=WIDE)
    assert "             See also: 10 Jan 2018: Talks open" in full.stdout.splitlines()


def test_events_known_only_to_the_year_stay_out_of_finer_charts(mini: Timeline) -> None:
    by_year = goldstein.chart(mini.events, mini, "year")
    assert [p.period for p in by_year.periods][-1] == "2023" and by_year.imprecise == 0
    by_quarter = goldstein.chart(mini.events, mini, "quarter")
    assert by_quarter.periods[-1].period == "2020-Q2"  # the "2023~" event has no quarter
    assert by_quarter.imprecise == 1
    assert goldstein.notes(by_quarter)[-1] == (
        "1 event known only to the year is left out of a chart by quarter (see --by year)"
    )
