import json

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tests.conftest import HOSTILE
from timeline.escape import one_line
from timeline.exporters import EXPORTERS, REGISTRY, by_extension
from timeline.models import Event, PartialDate, Quote, Source, Timeline


def markdown_tokens(text: str):  # type: ignore[no-untyped-def]
    return MarkdownIt("gfm-like").use(footnote_plugin).parse(text)


def test_registry() -> None:
    assert [e.name for e in EXPORTERS] == list(REGISTRY)
    assert list(REGISTRY) == [
        "markdown",
        "json",
        "csv",
        "timelinejs",
        "html",
        "ics",
        "csl-json",
        "mermaid",
        "svg",
    ]
    assert by_extension("x.MD") is REGISTRY["markdown"]
    assert by_extension("x.json") is REGISTRY["json"]
    assert by_extension("story.timeline.json") is REGISTRY["timelinejs"]
    assert by_extension("refs.csl.json") is REGISTRY["csl-json"]
    assert by_extension("cal.ics") is REGISTRY["ics"]
    assert by_extension("x.txt") is None


def test_json_has_every_field(mini) -> None:  # type: ignore[no-untyped-def]
    records = json.loads(REGISTRY["json"].export(mini.events, mini))
    assert records[0] == {
        "id": "threat",
        "date": "2017-08-08",
        "end": None,
        "precision": "day",
        "first_day": "2017-08-08",
        "last_day": "2017-08-08",
        "title": "Fire and fury",
        "summary": "A threat is made.",
        "actors": ["trump"],
        "actor_names": ["Donald Trump"],
        "tags": ["rhetoric"],
        "place": "Bedminster, New Jersey",
        "cameo": "138",
        "quotes": [{"text": "fire and fury", "by": "trump"}],
        "sources": [
            {
                "title": "Threat story",
                "publisher": "Wire",
                "url": "https://news.test/threat",
                "date": "2017-08-08",
                "kind": "secondary",
            }
        ],
        "related": [],
    }
    assert records[2]["end"] == "2019-02-28"
    assert (records[3]["date"], records[3]["precision"], records[3]["last_day"]) == (
        "2020-06",
        "month",
        "2020-06-30",
    )
    assert records[4]["date"] == "2023~"


def test_markdown_structure(mini) -> None:  # type: ignore[no-untyped-def]
    text = REGISTRY["markdown"].export(mini.events, mini)
    tokens = markdown_tokens(text)
    headings = [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[:4] == [
        ("h1", "Fixture timeline"),
        ("h2", "2017"),
        ("h3", "8 Aug 2017: Fire and fury"),
        ("h2", "2018"),
    ]
    refs = {
        t.meta["label"]
        for tok in tokens
        if tok.type == "inline"
        for t in tok.children or []
        if t.type == "footnote_ref"
    }
    defined = {t.meta["label"] for t in tokens if t.type == "footnote_open"}
    assert refs == defined == {"1", "2", "3", "4", "5", "6"}
    assert "[^2]: Paper, “Summit story”, 12 Jun 2018. <https://news\\.test/summit>" not in text
    assert "[^2]: Paper, “Summit story”, 12 Jun 2018. <https://news.test/summit>" in text


def test_markdown_reuses_a_note_for_the_same_address(mini) -> None:  # type: ignore[no-untyped-def]
    twice = mini.events[0]
    text = REGISTRY["markdown"].export([twice, twice], mini)
    assert text.count("[^1]:") == 1 and text.count("[^1]") == 3


def test_hostile_text_stays_inert_in_markdown() -> None:
    for hostile in HOSTILE:
        event = Event(
            id="x",
            date=PartialDate(2018),
            title=hostile,
            summary=hostile,
            place=hostile,
            tags=(hostile,),
            quotes=(Quote(text=hostile),),
            sources=(Source(title=hostile, publisher=hostile, url="https://news.test/a"),),
        )
        timeline = Timeline(title=hostile, actors={}, events=(event,))
        tokens = markdown_tokens(REGISTRY["markdown"].export([event], timeline))
        kinds = {t.type for t in tokens}
        assert kinds <= {
            "heading_open",
            "heading_close",
            "inline",
            "paragraph_open",
            "paragraph_close",
            "blockquote_open",
            "blockquote_close",
            "footnote_block_open",
            "footnote_block_close",
            "footnote_open",
            "footnote_close",
            "footnote_anchor",
        }, (hostile, kinds)
        inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
        links = [c.attrGet("href") for c in inline if c.type == "link_open"]
        assert links == ["https://news.test/a"], (hostile, links)
        assert not [
            c for c in inline if c.type in ("html_inline", "image", "code_inline", "em_open", "s_open")
        ]
        strong = [inline[i + 1].content for i, c in enumerate(inline) if c.type == "strong_open"]
        assert strong == ["Place:", "Tags:"], hostile  # only the exporter's own labels
        assert sum(t.type == "heading_open" for t in tokens) == 3  # title, year, event
        assert sum(t.type == "footnote_open" for t in tokens) == 1


def linkify_tokens(text: str):  # type: ignore[no-untyped-def]
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    parser = MarkdownIt("gfm-like", {"linkify": True}).enable("linkify")
    return parser.use(footnote_plugin).use(dollarmath_plugin).parse(text)


def links_and_math(text: str) -> tuple[list[str], list[str]]:
    inline = [c for t in linkify_tokens(text) if t.type == "inline" for c in t.children or []]
    links = [c.attrGet("href") for c in inline if c.type == "link_open"]
    math = [c.content for c in inline if c.type.startswith("math")]
    return links, math  # type: ignore[return-value]


def test_markdown_of_the_shipped_data_links_only_its_sources(shipped) -> None:  # type: ignore[no-untyped-def]
    text = REGISTRY["markdown"].export(shipped.events, shipped)
    assert "CNSNews\\.com" in text  # a publisher that is a bare domain
    links, math = links_and_math(text)
    sources = {s.url for e in shipped.events for s in e.sources}
    ids = {e.id for e in shipped.events}
    outside = {link for link in links if not link.startswith("#")}
    inside = {link[1:] for link in links if link.startswith("#")}  # "See also" between events
    assert outside == sources and inside <= ids and math == []


@pytest.mark.parametrize(
    "value",
    [
        "CNSNews.com",
        "reported by news.bbc.co.uk and NKNews.org",
        "mail kim@evil.test or www.evil.test",
        "a.io b.рф",
        "costs $5 and $x^2$ and $$y$$",
        "$$\nx\n$$",
    ],
)
def test_markdown_has_no_linkified_domains_or_math(value: str) -> None:
    event = Event(
        id="x",
        date=PartialDate(2018),
        title=value,
        summary=value,
        place=value,
        tags=(value,),
        quotes=(Quote(text=value),),
        sources=(Source(title=value, publisher=value, url="https://news.test/a"),),
    )
    text = REGISTRY["markdown"].export([event], Timeline(title=value, actors={}, events=(event,)))
    links, math = links_and_math(text)
    assert (links, math) == (["https://news.test/a"], [])
    plain = [c.content for t in linkify_tokens(text) if t.type == "inline" for c in t.children or []]
    assert one_line(value) in "".join(plain)  # still shown as written


@pytest.mark.parametrize("value", ["U.S. officials", "e.g. 3.5 per cent", "v2.0"])
def test_markdown_leaves_ordinary_dots_alone(value: str) -> None:
    from timeline.escape import markdown

    assert markdown(value) == value
