"""Every export format, read back by a real parser of that format, on the fixture, on the shipped
dataset and on hostile text; plus the TimelineJS field rules and the Mermaid timeline grammar."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from timeline.escape import one_line
from timeline.exporters import EXPORTERS, REGISTRY, ExportOptions
from timeline.exporters import csv as csv_export
from timeline.exporters.json import schema
from timeline.loader import load
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline

from .conftest import HOSTILE, MINI

STAMP = ExportOptions(stamp=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))


def export(name: str, events: Any, timeline: Timeline, **options: Any) -> str:
    return REGISTRY[name].export(list(events), timeline, ExportOptions(stamp=STAMP.stamp, **options))


# -- readers: one real parser per format ------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows), "every row has every column"
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def read_ics(text: str) -> list[icalendar.Event]:
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # CRLF only
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line  # folded (RFC 5545 §3.1)
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RESOURCE_TAGS = {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base"}


class Page(HTMLParser):
    """An HTML document as tags with attributes, and the text of each element we care about."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text.setdefault(self.stack[-1], []).append(data)
            if self.stack[-1] == "style":
                self.styles.append(data)


def read_html(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert page.stack == [], "every element is closed"
    return page


def external_resources(page: Page) -> list[str]:
    """Anything that would make a browser fetch something when the page opens."""
    found = [tag for tag, _ in page.tags if tag in RESOURCE_TAGS]
    found += [
        f"{tag}[{name}]" for tag, attrs in page.tags for name in attrs if name in ("src", "srcset", "poster")
    ]
    found += [f"style:{s}" for s in page.styles if re.search(r"url\(|@import|@font-face", s)]
    found += [f"style attribute on {tag}" for tag, attrs in page.tags if "style" in attrs]
    found += [
        "meta refresh" for tag, attrs in page.tags if tag == "meta" and attrs.get("http-equiv") == "refresh"
    ]
    return found


# -- TimelineJS 3 field rules -------------------------------------------------------------------

DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}
SLIDE_KEYS = {
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "background",
    "autolink",
    "unique_id",
}


def tljs_date(value: dict[str, Any]) -> tuple[int, int, int]:
    assert set(value) <= DATE_KEYS, value
    year = value["year"]
    assert type(year) is int, f"year must be an integer: {year!r}"
    month, day = value.get("month"), value.get("day")
    if month is not None:
        assert type(month) is int and 1 <= month <= 12, value
    if day is not None:
        assert month is not None, "a day needs a month"
        assert type(day) is int
        dt.date(year, month, day)  # raises for 31 June
    return (year, month or 1, day or 1)


def check_timelinejs(document: dict[str, Any]) -> None:
    """The rules TimelineJS 3 applies to its JSON (timeline.knightlab.com/docs/json-format.html)."""
    assert set(document) <= {"title", "events", "eras", "scale"}
    assert document.get("scale", "human") in ("human", "cosmological")
    slides = document["events"]
    assert isinstance(slides, list)
    ids = [s["unique_id"] for s in slides if "unique_id" in s]
    if "title" in document and "unique_id" in document["title"]:
        ids.append(document["title"]["unique_id"])
    assert len(ids) == len(set(ids)), "unique_id values are unique"
    for slide in slides:
        assert set(slide) <= SLIDE_KEYS, slide.keys()
        start = tljs_date(slide["start_date"])  # required on every event slide
        if "end_date" in slide:
            assert tljs_date(slide["end_date"]) >= start
        text = slide.get("text", {})
        assert set(text) <= {"headline", "text"} and all(isinstance(v, str) for v in text.values())
        for key in ("group", "display_date", "unique_id"):
            assert isinstance(slide.get(key, ""), str)
    for era in document.get("eras", []):
        assert "start_date" in era and "end_date" in era, "both dates on every era"
        # TimelineJS 3.9.11 stops loading on an era that starts and ends on the same day
        assert tljs_date(era["start_date"]) < tljs_date(era["end_date"])
        assert isinstance(era.get("text", {}).get("headline", ""), str)


# -- CSL-JSON data rules ------------------------------------------------------------------------

# The CSL 1.0.2 item types and the variables this export may use (CSL-JSON input schema,
# citation-style-language/schema: schemas/input/csl-data.json): an item needs "id" and "type";
# dates are {"date-parts": [[year, month?, day?]]}, optionally "circa".
CSL_TYPES = {
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "document",
    "post",
    "post-weblog",
    "report",
    "speech",
    "treaty",
    "webpage",
}
CSL_VARIABLES = {"id", "type", "title", "container-title", "URL", "issued", "note"}


def check_csl(items: list[dict[str, Any]]) -> None:
    assert isinstance(items, list)
    for item in items:
        assert {"id", "type"} <= set(item) <= CSL_VARIABLES, item.keys()
        assert item["type"] in CSL_TYPES
        assert all(isinstance(item[k], str) for k in item if k != "issued")
        if "issued" in item:
            assert set(item["issued"]) <= {"date-parts", "circa"}
            [parts] = item["issued"]["date-parts"]
            assert 1 <= len(parts) <= 3 and all(type(p) is int for p in parts)
            dt.date(parts[0], *[*parts[1:], 1, 1][:2])  # a real date
    assert len({i["id"] for i in items}) == len(items)


# -- Mermaid timeline grammar -------------------------------------------------------------------

# The lexer rules of Mermaid's timeline grammar (packages/mermaid/src/diagrams/timeline/parser/
# timeline.jison), in order; jison takes the first rule that matches, case-insensitively.
# OLD_RULES are those of earlier Mermaid releases, which also stop at '#' and ';'.
NEW_RULES = [
    (r"%%(?!\{)[^\n]*", None),
    (r"[^}]%%[^\n]*", None),
    (r"\n+", "NEWLINE"),
    (r"\s+", None),
    (r"#[^\n]*", None),
    (r"timeline", "timeline"),
    (r"title\s[^\n]+", "title"),
    (r"accTitle\s*:\s*", "INVALID"),
    (r"accDescr\s*[:{]\s*", "INVALID"),
    (r"section\s[^:\n]+", "section"),
    (r":\s(?:[^:\n]|:(?!\s))+", "event"),
    (r"[^#:\n]+", "period"),
    (r".", "INVALID"),
]
OLD_RULES = [
    *NEW_RULES[:6],
    (r"title\s[^#\n;]+", "title"),
    *NEW_RULES[7:9],
    (r"section\s[^#:\n;]+", "section"),
    (r":\s[^#:\n;]+", "event"),
    *NEW_RULES[11:],
]


def mermaid_tokens(source: str, rules: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    compiled = [(re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in rules]
    tokens, position = [], 0
    while position < len(source):
        for pattern, kind in compiled:
            match = pattern.match(source, position)
            if match and match.end() > position:
                if kind is not None:
                    tokens.append((kind, match.group()))
                position = match.end()
                break
    return tokens


def read_mermaid(source: str) -> dict[str, Any]:
    """Parse a timeline diagram with both grammars; they must agree."""
    results = []
    for rules in (NEW_RULES, OLD_RULES):
        tokens = [t for t in mermaid_tokens(source, rules) if t[0] != "NEWLINE"]
        assert tokens[0] == ("timeline", "timeline")
        assert "INVALID" not in [kind for kind, _ in tokens], tokens
        diagram: dict[str, Any] = {"title": None, "sections": [], "periods": []}
        for kind, text in tokens[1:]:
            if kind == "title":
                diagram["title"] = text[6:]
            elif kind == "section":
                diagram["sections"].append(text[8:].strip())
            elif kind == "period":
                diagram["periods"].append((text.strip(), []))
            elif kind == "event":
                assert diagram["periods"], "an event needs a period"
                diagram["periods"][-1][1].append(text[2:].strip())
        results.append(diagram)
    assert results[0] == results[1]
    return results[0]


# -- the fixture, format by format --------------------------------------------------------------


def test_json_validates_against_its_schema(mini: Timeline, shipped: Timeline) -> None:
    document = json.loads(schema())
    jsonschema.Draft202012Validator.check_schema(document)
    validator = jsonschema.Draft202012Validator(document)
    for timeline in (mini, shipped):
        validator.validate(json.loads(export("json", timeline.events, timeline)))
    # the schema can fail: it is strict about fields and dates
    record = json.loads(export("json", mini.events[:1], mini))
    for broken in (
        {**record[0], "extra": 1},
        {**record[0], "date": "2017-13-01"},
        {**record[0], "sources": []},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate([broken])


def test_csv_columns_and_values(mini: Timeline) -> None:
    text = export("csv", mini.events, mini)
    assert text.splitlines()[0] == (
        "id,date,end,first_day,last_day,precision,title,summary,actors,actor_ids,tags,place,cameo,quotes,"
        "source_count,source_1_publisher,source_1_title,source_1_date,source_1_url,"
        "source_2_publisher,source_2_title,source_2_date,source_2_url"
    )
    rows = read_csv(text)
    assert [r["id"] for r in rows] == ["threat", "summit", "talks", "month-only", "russia"]
    summit = rows[1]
    assert summit["actors"].split("\n") == ["Donald Trump", "Kim Jong Un"]
    assert summit["actor_ids"].split("\n") == ["trump", "kim-jong-un"]
    assert summit["tags"].split("\n") == ["summit", "diplomacy"]
    assert (summit["source_count"], summit["source_2_publisher"], summit["source_2_url"]) == (
        "2",
        "White House",
        "https://gov.test/statement",
    )
    assert (summit["source_1_date"], summit["source_2_date"]) == ("2018-06-12", "")
    assert rows[0]["quotes"] == "“fire and fury” — Donald Trump"
    assert (rows[2]["date"], rows[2]["end"], rows[2]["last_day"]) == (
        "2019-02-27",
        "2019-02-28",
        "2019-02-28",
    )
    assert (rows[3]["date"], rows[3]["precision"], rows[3]["first_day"]) == ("2020-06", "month", "2020-06-01")
    assert rows[0]["source_2_url"] == ""


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("x=1", "x=1"),
        ("2018-06-12", "2018-06-12"),
    ],
)
def test_csv_neutralises_formulas(value: str, cell: str) -> None:
    assert csv_export.cell(value) == cell


def test_timelinejs_follows_the_field_rules(mini: Timeline) -> None:
    document = json.loads(export("timelinejs", mini.events, mini))
    check_timelinejs(document)
    assert document["title"]["text"]["headline"] == "Fixture timeline"
    slides = {s["unique_id"]: s for s in document["events"]}
    assert list(slides) == ["threat", "summit", "talks", "month-only", "russia"]
    assert slides["threat"]["start_date"] == {"year": 2017, "month": 8, "day": 8}
    assert "display_date" not in slides["threat"]
    assert slides["talks"]["end_date"] == {"year": 2019, "month": 2, "day": 28}
    assert slides["month-only"]["start_date"] == {"year": 2020, "month": 6}
    assert slides["month-only"]["display_date"] == "Jun 2020"
    assert slides["russia"]["start_date"] == {"year": 2023}
    assert slides["russia"]["display_date"] == "c. 2023"
    assert slides["summit"]["group"] == "Summits" and "group" not in slides["threat"]
    assert slides["summit"]["autolink"] is False
    page = read_html(slides["summit"]["text"]["text"])
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links == ["https://news.test/summit", "https://gov.test/statement"]
    assert [tag for tag, _ in page.tags] == ["p", "p", "ol", "li", "a", "li", "a"]
    # the era is clipped to the exported span
    assert document["eras"] == [
        {
            "start_date": {"year": 2018, "month": 1, "day": 1},
            "end_date": {"year": 2019, "month": 10, "day": 31},
            "text": {"headline": "Summits"},
        }
    ]
    only_2018 = json.loads(export("timelinejs", mini.events[1:2], mini))
    check_timelinejs(only_2018)
    assert only_2018["eras"] == []  # clipped to one day: left out


@pytest.mark.parametrize(
    "broken",
    [
        {"events": [{"start_date": {"year": "2018"}}]},
        {"events": [{"start_date": {"year": 2018, "month": 13}}]},
        {"events": [{"start_date": {"year": 2018, "month": 6, "day": 31}}]},
        {"events": [{"start_date": {"year": 2018, "day": 3}}]},
        {"events": [{"text": {"headline": "no date"}}]},
        {
            "events": [
                {"start_date": {"year": 2018}, "unique_id": "a"},
                {"start_date": {"year": 2019}, "unique_id": "a"},
            ]
        },
        {"events": [], "eras": [{"start_date": {"year": 2018}}]},
        {"events": [], "eras": [{"start_date": {"year": 2018}, "end_date": {"year": 2018}}]},
    ],
)
def test_timelinejs_rules_can_fail(broken: dict[str, Any]) -> None:
    with pytest.raises((AssertionError, KeyError, ValueError)):
        check_timelinejs(broken)


def test_html_is_self_contained(mini: Timeline) -> None:
    text = export("html", mini.events, mini)
    page = read_html(text)
    assert text.startswith("<!DOCTYPE html>\n")
    assert external_resources(page) == []
    csp = [
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and csp[0].startswith("default-src 'none';")
    anchors = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    sources = [s.url for e in mini.events for s in e.sources]
    assert [a for a in anchors if not a.startswith("#")] == sources
    years = {f"#y{e.date.year}" for e in mini.events}
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {a for a in anchors if a.startswith("#")} == years and {y[1:] for y in years} <= ids
    assert {e.id for e in mini.events} <= ids
    assert "".join(page.text["h1"]) == "Fixture timeline"
    assert "5 events, 2017–2023, each with its sources." in text
    assert "1 event, 2018, each with its sources." in export("html", mini.events[1:2], mini)
    assert "@media print" in "".join(page.styles)
    # the page itself proves the check can fail
    assert external_resources(read_html('<img src="https://x.test/a.png"><style>@import "x.css";</style>'))


def test_ics_events(mini: Timeline) -> None:
    events = read_ics(export("ics", mini.events, mini))
    assert [str(e["UID"]) for e in events] == [f"{e.id}@cited-timeline" for e in mini.events]
    spans = [(e["DTSTART"].dt, e["DTEND"].dt) for e in events]
    assert spans == [
        (dt.date(2017, 8, 8), dt.date(2017, 8, 9)),
        (dt.date(2018, 6, 12), dt.date(2018, 6, 13)),
        (dt.date(2019, 2, 27), dt.date(2019, 3, 1)),  # a span: DTEND is the day after the last day
        (dt.date(2020, 6, 1), dt.date(2020, 7, 1)),
        (dt.date(2023, 1, 1), dt.date(2024, 1, 1)),
    ]
    assert all(type(start) is dt.date for start, _ in spans)  # all-day events, not date-times
    assert all(e["DTSTAMP"].dt == STAMP.stamp for e in events)
    summit = events[1]
    assert str(summit["SUMMARY"]) == "The leaders meet"
    assert str(summit["LOCATION"]) == "Singapore"
    assert str(summit["DESCRIPTION"]) == (
        "They sign a statement.\n\nSources:\n"
        "1. Paper, “Summit story”, 12 Jun 2018. https://news.test/summit\n"
        "2. White House, “Joint statement”. https://gov.test/statement"
    )
    assert str(events[3]["DESCRIPTION"]).startswith("Date: Jun 2020 (not known to the day)")


def test_ics_uids_are_stable(mini: Timeline) -> None:
    once = export("ics", mini.events, mini)
    again = export("ics", reversed(mini.events), mini)
    assert sorted(str(e["UID"]) for e in read_ics(once)) == sorted(str(e["UID"]) for e in read_ics(again))


def test_csl_json_bibliography(mini: Timeline) -> None:
    items = json.loads(export("csl-json", list(mini.events) * 2, mini))
    check_csl(items)
    assert [i["URL"] for i in items] == list(dict.fromkeys(s.url for e in mini.events for s in e.sources))
    assert len({i["id"] for i in items}) == len(items)
    summit = items[1]
    assert summit == {
        "id": summit["id"],
        "type": "article-newspaper",
        "title": "Summit story",
        "container-title": "Paper",
        "URL": "https://news.test/summit",
        "issued": {"date-parts": [[2018, 6, 12]]},
        "note": "Cited for: summit",
    }
    assert items[2]["type"] == "webpage" and "issued" not in items[2]  # primary, undated
    assert re.fullmatch(r"news-test-[0-9a-f]{8}", summit["id"])
    # ids depend on the address only: the same whatever else is exported, and in what order
    alone = json.loads(export("csl-json", mini.events[1:2], mini))
    assert alone[0]["id"] == summit["id"]


def test_mermaid_by_year_and_by_era(mini: Timeline) -> None:
    by_year = export("mermaid", mini.events, mini)
    assert by_year == (
        "timeline\n"
        "    title Fixture timeline\n"
        "        2017\n"
        "            : 8 Aug · Fire and fury\n"
        "        2018\n"
        "            : 12 Jun · The leaders meet\n"
        "        2019\n"
        "            : 27–28 Feb · Second summit ends early\n"
        "        2020\n"
        "            : Jun · A month-precision event\n"
        "        2023\n"
        "            : c. 2023 · An approximate year\n"
    )
    diagram = read_mermaid(by_year)
    assert diagram["title"] == "Fixture timeline"
    assert [p for p, _ in diagram["periods"]] == ["2017", "2018", "2019", "2020", "2023"]
    by_era = read_mermaid(export("mermaid", mini.events, mini, group="era"))
    assert by_era["sections"] == ["Other", "Summits", "Other"]
    assert sum(len(events) for _, events in by_era["periods"]) == len(mini.events)


def test_markdown_can_embed_the_diagram(mini: Timeline) -> None:
    text = export("markdown", mini.events, mini, mermaid=True, group="era")
    fences = [t for t in MarkdownIt("gfm-like").parse(text) if t.type == "fence"]
    assert [f.info for f in fences] == ["mermaid"]
    assert fences[0].content == export("mermaid", mini.events, mini, group="era")
    assert "```" not in export("markdown", mini.events, mini)


# -- the shipped dataset: every format is accepted by its parser --------------------------------


def test_every_format_reads_back_on_the_shipped_dataset(shipped: Timeline) -> None:
    events = shipped.events
    assert len(read_csv(export("csv", events, shipped))) == len(events)
    document = json.loads(export("timelinejs", events, shipped))
    check_timelinejs(document)
    assert len(document["events"]) == len(events) and len(document["eras"]) == len(shipped.eras)
    page = read_html(export("html", events, shipped))
    assert external_resources(page) == []
    assert sum(tag == "article" for tag, _ in page.tags) == len(events)
    assert len(read_ics(export("ics", events, shipped))) == len(events)
    items = json.loads(export("csl-json", events, shipped))
    check_csl(items)
    assert len(items) == len({s.url for e in events for s in e.sources}) == len({i["id"] for i in items})
    for group in ("year", "era"):
        diagram = read_mermaid(export("mermaid", events, shipped, group=group))
        assert sum(len(e) for _, e in diagram["periods"]) == len(events)


@pytest.mark.parametrize("name", ["json", "timelinejs", "csl-json"])
@pytest.mark.parametrize("count", [0, 1, 5])
def test_streamed_json_is_laid_out_as_json_dumps_with_indent(name: str, count: int) -> None:
    for timeline in (load([MINI]), hostile_timeline(HOSTILE[0]), extreme_timeline()):
        text = export(name, timeline.events[:count], timeline)
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


# -- hostile text in every field of every format ------------------------------------------------


def hostile_timeline(text: str) -> Timeline:
    source = Source(
        title=text, publisher=text, url="https://news.test/a?q=1&r=2", date=PartialDate(2018, 6, 12)
    )
    event = Event(
        id="hostile",
        date=PartialDate(2018, 6),  # known to the month: TimelineJS gets a display_date
        title=text,
        summary=text,
        place=text,
        actors=("someone",),
        tags=(text,),
        quotes=(Quote(text=text, by="someone"),),
        sources=(source,),
    )
    return Timeline(
        title=text,
        description=text,
        actors={"someone": Actor(id="someone", name=text)},
        events=(event,),
        eras=(Era(name=text, start=PartialDate(2018)),),
    )


def _flat(text: str) -> str:
    return one_line(text)


def check_json(text: str, value: str) -> None:
    records = json.loads(text)
    jsonschema.validate(records, json.loads(schema()))
    assert records[0]["title"] == records[0]["summary"] == value  # data, kept exactly


def check_csv(text: str, value: str) -> None:
    [row] = read_csv(text)
    for key, cell in row.items():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (key, cell)
    expected = csv_export.cell(_flat(value))
    assert row["title"] == row["summary"] == row["place"] == row["source_1_title"] == expected
    assert row["id"] == "hostile" and row["source_1_url"] == "https://news.test/a?q=1&r=2"


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[str] = []

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def text_of(fragment: str) -> str:
    collect = Collect()
    collect.feed(fragment)
    return "".join(collect.data)


def check_timelinejs_text(text: str, value: str) -> None:
    document = json.loads(text)
    check_timelinejs(document)
    [slide] = document["events"]
    assert text_of(slide["text"]["headline"]) == _flat(value)
    assert "<" not in text_of(slide["text"]["headline"]) or "<" in value  # shown as text, not markup
    page = read_html(slide["text"]["text"])
    assert [tag for tag, _ in page.tags] == ["p", "blockquote", "p", "ol", "li", "a"]
    assert [a["href"] for t, a in page.tags if t == "a"] == ["https://news.test/a?q=1&r=2"]
    assert "".join(page.text["p"]).startswith(_flat(value))
    # TimelineJS reads group as text (DOMParser textContent) and then inserts it as HTML:
    # after both steps it must be the literal text
    assert text_of(text_of(slide["group"])) == _flat(value)
    assert text_of(text_of(slide["display_date"])) == "Jun 2018"
    assert text_of(document["title"]["text"]["headline"]) == _flat(value)


def check_html(text: str, value: str) -> None:
    page = read_html(text)
    assert external_resources(page) == []
    allowed = {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "p",
        "nav",
        "a",
        "main",
        "section",
        "h2",
        "span",
        "article",
        "h3",
        "time",
        "blockquote",
        "ol",
        "li",
        "footer",
        *SVG_ELEMENTS,  # the chart at the top (issue 11)
    }
    assert {tag for tag, _ in page.tags} <= allowed
    assert [a["href"] for t, a in page.tags if t == "a"] == ["#y2018", "https://news.test/a?q=1&r=2"]
    assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
    # the page's title first; the chart's titles (its own, its bars', its eras') follow
    assert "".join(page.text["h1"]) == page.text["title"][0] == _flat(value)
    assert "".join(page.text["h3"]).strip() == _flat(value)


SVG_ELEMENTS = {"figure", "svg", "title", "desc", "rect", "line", "text"}
SVG_NS = "{http://www.w3.org/2000/svg}"


def check_svg(text: str, value: str) -> None:
    """A picture parsed as XML: only shapes and text, no script, handler, link or external resource."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)
    assert root.tag == SVG_NS + "svg"
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    assert tags <= SVG_ELEMENTS - {"figure"}, tags
    for element in root.iter():
        for name, attribute in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name.lower(), name
            assert "url(" not in attribute and "://" not in attribute.replace(
                "http://www.w3.org/2000/svg", ""
            )
    title = root.find(SVG_NS + "title")
    assert title is not None and title.text == f"{_flat(value)}: cooperation and conflict by month"
    texts = ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]
    assert texts[0] == _flat(value)  # the heading, as text
    assert any(t.startswith("Goldstein scores") and "GDELT CAMEO.goldsteinscale.txt" in t for t in texts)


def check_ics(text: str, value: str) -> None:
    [event] = read_ics(text)
    flat = _flat(value)
    assert str(event["SUMMARY"]) == str(event["LOCATION"]) == flat
    assert str(event["UID"]) == "hostile@cited-timeline"
    assert str(event["DESCRIPTION"]).startswith(f"Date: Jun 2018 (not known to the day)\n\n{flat}\n\n")
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2018, 6, 1), dt.date(2018, 7, 1))


def check_csl_json(text: str, value: str) -> None:
    check_csl(json.loads(text))
    [item] = json.loads(text)
    assert set(item) == {"id", "type", "title", "container-title", "URL", "issued", "note"}
    assert item["title"] == item["container-title"] == _flat(value)
    assert re.fullmatch(r"news-test-[0-9a-f]{8}", item["id"])


def check_mermaid(text: str, value: str) -> None:
    diagram = read_mermaid(text)
    assert diagram["periods"] == [("2018", [diagram["periods"][0][1][0]])]  # one period, one event
    assert len(diagram["sections"]) == 0
    [event] = diagram["periods"][0][1]
    assert event.startswith("Jun · ")
    assert len(text.splitlines()) == 4  # timeline, title, period, event: nothing injected


def check_markdown(text: str, value: str) -> None:
    tokens = MarkdownIt("gfm-like").parse(text)
    assert [t.info for t in tokens if t.type == "fence"] == ["mermaid"]
    check_mermaid(next(t for t in tokens if t.type == "fence").content, value)
    assert sum(t.type == "heading_open" for t in tokens) == 3  # title, year, event


CHECKS: dict[str, Callable[[str, str], None]] = {
    "json": check_json,
    "csv": check_csv,
    "timelinejs": check_timelinejs_text,
    "html": check_html,
    "ics": check_ics,
    "csl-json": check_csl_json,
    "mermaid": check_mermaid,
    "markdown": check_markdown,  # the rest of Markdown's hostile checks: test_exporters.py
    "svg": check_svg,
}


def test_every_format_has_a_hostile_check() -> None:
    assert set(CHECKS) == {e.name for e in EXPORTERS}


@pytest.mark.parametrize("name", list(CHECKS))
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_inert(name: str, value: str) -> None:
    timeline = hostile_timeline(value)
    CHECKS[name](export(name, timeline.events, timeline, mermaid=name == "markdown"), value)


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("exporter", EXPORTERS, ids=lambda e: e.name)
def test_format_from_extension_and_no_overwrite(invoke, tmp_path: Path, exporter) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"out{exporter.extension}"
    result = invoke("export", "-o", str(target), "--data", str(MINI), env={"SOURCE_DATE_EPOCH": "0"})
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"timeline: wrote {target}\n"
    mini = load([MINI])
    options = ExportOptions(stamp=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    assert target.read_bytes() == exporter.export(mini.events, mini, options).encode("utf-8")
    again = invoke("export", exporter.name, "-o", str(target), "--data", str(MINI), "--limit", "1")
    assert again.exit_code == 1 and "exists" in again.stderr
    assert target.read_bytes() == exporter.export(mini.events, mini, options).encode("utf-8")
    forced = invoke(
        "export", exporter.name, "-o", str(target), "--force", "--data", str(MINI), "--limit", "1"
    )
    assert forced.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left


@pytest.mark.parametrize("name", [e.name for e in EXPORTERS])
def test_show_and_filter_take_every_format(invoke, name: str) -> None:  # type: ignore[no-untyped-def]
    env = {"SOURCE_DATE_EPOCH": "0"}
    shown = invoke("show", "--format", name, "--data", str(MINI), env=env)
    exported = invoke("export", name, "--data", str(MINI), env=env)
    assert shown.exit_code == exported.exit_code == 0
    assert shown.stdout == exported.stdout and shown.stderr == ""
    filtered = invoke("filter", "--tag", "summit", "-f", name, "--data", str(MINI), env=env)
    assert filtered.stdout == invoke("export", name, "--tag", "summit", "--data", str(MINI), env=env).stdout


def test_json_schema_option(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "json", "--schema")
    assert result.exit_code == 0 and json.loads(result.stdout) == json.loads(schema())
    target = tmp_path / "events.schema.json"
    assert invoke("export", "json", "--schema", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


def test_ics_is_reproducible_with_source_date_epoch(invoke) -> None:  # type: ignore[no-untyped-def]
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    first = invoke("export", "ics", "--data", str(MINI), env=env).stdout
    assert first == invoke("export", "ics", "--data", str(MINI), env=env).stdout
    assert "DTSTAMP:20260101T000000Z" in first


def test_markdown_mermaid_option(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("export", "markdown", "--mermaid", "--group", "era", "--data", str(MINI))
    assert result.exit_code == 0
    assert "```mermaid\ntimeline\n    title Fixture timeline\n    section Other\n" in result.stdout


# -- the years every export must write: 1 to 9999 -----------------------------------------------


def extreme_timeline() -> Timeline:
    def event(id: str, date: PartialDate, end: PartialDate | None = None) -> Event:
        source = Source(title=id, publisher="P", url=f"https://news.test/{id}", date=date)
        return Event(id=id, date=date, end=end, title=id, sources=(source,))

    events = (
        event("year-1", PartialDate(1)),
        event("year-999", PartialDate(999, 3, 4)),
        event("span-999", PartialDate(999, 12, 30), PartialDate(1000, 1, 2)),
        event("year-9999", PartialDate(9999, 12, 31)),
        event("whole-9999", PartialDate(9999)),
    )
    eras = (
        Era(name="Early", start=PartialDate(1), end=PartialDate(999)),
        Era(name="Late", start=PartialDate(9999)),
    )
    return Timeline(title="Extremes", actors={}, events=events, eras=eras)


def test_every_format_writes_years_1_to_9999() -> None:
    timeline = extreme_timeline()
    events = timeline.events
    D = dt.date
    [*_, last] = ics = read_ics(export("ics", events, timeline))
    assert [(e["DTSTART"].dt, e.get("DTEND") and e["DTEND"].dt) for e in ics[:3]] == [
        (D(1, 1, 1), D(2, 1, 1)),
        (D(999, 3, 4), D(999, 3, 5)),
        (D(999, 12, 30), D(1000, 1, 3)),
    ]
    text = export("ics", events, timeline)
    assert "DTSTART;VALUE=DATE:00010101\r\n" in text and "DTSTART;VALUE=DATE:09990304\r\n" in text
    # 31 Dec 9999 has no day after it: the span is a duration instead of a DTEND
    assert "DTEND" not in str(ics[3].to_ical()) and ics[3]["DURATION"].dt == dt.timedelta(days=1)
    assert last["DTSTART"].dt == D(9999, 1, 1) and last["DURATION"].dt == dt.timedelta(days=365)
    records = json.loads(export("json", events, timeline))
    jsonschema.validate(records, json.loads(schema()))
    assert [(r["date"], r["first_day"], r["last_day"]) for r in records] == [
        ("0001", "0001-01-01", "0001-12-31"),
        ("0999-03-04", "0999-03-04", "0999-03-04"),
        ("0999-12-30", "0999-12-30", "1000-01-02"),
        ("9999-12-31", "9999-12-31", "9999-12-31"),
        ("9999", "9999-01-01", "9999-12-31"),
    ]
    rows = read_csv(export("csv", events, timeline))
    assert [r["first_day"] for r in rows] == [
        "0001-01-01",
        "0999-03-04",
        "0999-12-30",
        "9999-12-31",
        "9999-01-01",
    ]
    assert rows[1]["source_1_date"] == "0999-03-04"
    document = json.loads(export("timelinejs", events, timeline))
    check_timelinejs(document)
    assert [s["start_date"]["year"] for s in document["events"]] == [1, 999, 999, 9999, 9999]
    assert [s.get("group") for s in document["events"]] == ["Early", "Early", "Early", "Late", "Late"]
    page = read_html(export("html", events, timeline))
    times = [a["datetime"] for t, a in page.tags if t == "time"]
    assert times[:2] == ["0001", "0001"] and "0999-03-04" in times and "9999-12-31" in times
    assert [a["href"] for t, a in page.tags if t == "a"][:4] == [
        "#y1",
        "#y999",
        "#y9999",
        "https://news.test/year-1",
    ]
    items = json.loads(export("csl-json", events, timeline))
    check_csl(items)
    assert [i["issued"]["date-parts"][0][0] for i in items] == [1, 999, 999, 9999, 9999]
    diagram = read_mermaid(export("mermaid", events, timeline))
    assert [period for period, _ in diagram["periods"]] == ["1", "999", "9999"]
    tokens = MarkdownIt("gfm-like").parse(export("markdown", events, timeline))
    headings = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"
    ]
    assert headings == ["1", "999", "9999"]


def test_ics_stamp_has_four_digit_years() -> None:
    timeline = extreme_timeline()
    early = ExportOptions(stamp=dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    text = REGISTRY["ics"].export(timeline.events[:1], timeline, early)
    assert "DTSTAMP:09990102T030405Z\r\n" in text
    assert read_ics(text)[0]["DTSTAMP"].dt == dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


@given(st.text(alphabet=st.sampled_from("aé€😀 ,;\\"), min_size=20, max_size=300))
@example("a" * 151)
@example("€" * 60)
@example("")
def test_ics_fold_is_greedy_and_never_splits_a_character(line: str) -> None:
    from timeline.exporters.ics import fold

    pieces = fold(line).split("\r\n")
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line
    for n, piece in enumerate(pieces):
        assert len(piece.encode("utf-8")) <= 75
        if n:
            assert piece.startswith(" ") and len(piece) > 1
        if n + 1 < len(pieces):  # full: the next character did not fit
            nxt = pieces[n + 1][1]
            assert len(piece.encode("utf-8")) + len(nxt.encode("utf-8")) > 75


@given(
    st.text(alphabet=st.sampled_from("aB.-:/?#@[]1_%\\ "), max_size=30).map(lambda rest: "https://" + rest)
)
@example("https://Example.COM/x")
@example("http://a.b:80/x")
@example("https://user@host.test/")
def test_csl_json_key_reads_the_host_as_urlsplit_does(url: str) -> None:
    import hashlib
    from urllib.parse import urlsplit

    from timeline.exporters.csljson import item_id

    try:
        host = (urlsplit(url).hostname or "source").removeprefix("www.")
    except ValueError:
        return
    slug = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "source"
    assert item_id(url) == f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def test_csl_json_keys_stay_unique_when_short_hashes_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.exporters import csljson

    timeline = extreme_timeline()
    monkeypatch.setattr(csljson, "item_id", lambda url: "news-test-00000000")
    items = json.loads(export("csl-json", timeline.events, timeline))
    ids = [i["id"] for i in items]
    assert ids[0] == "news-test-00000000" and len(set(ids)) == len(ids) == 5
    assert all(re.fullmatch(r"news-test-00000000([0-9a-f]{8})?", i) for i in ids)


def test_csl_json_lists_each_citing_event_once_in_order() -> None:
    source = Source(title="S", publisher="P", url="https://news.test/same")
    events = tuple(
        Event(id=f"e{n}", date=PartialDate(2018), title="t", sources=(source, source)) for n in range(3)
    )
    timeline = Timeline(title="T", actors={}, events=events)
    [item] = json.loads(export("csl-json", [*events, events[0]], timeline))
    assert item["note"] == "Cited for: e0, e1, e2"
