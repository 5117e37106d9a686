"""The word search: normalisation, terms, matching, relevance, highlights, and the FTS5 translation."""

from __future__ import annotations

import itertools
import sqlite3
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.search import Document, compile_query, document, highlights, normalise, terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hwasong-15", "hwasong 15"),
        ("KIM Jong-un", "kim jong un"),
        ("Pyeongchang’s “Olympics”!", "pyeongchang s olympics"),
        ("Café Olé, São Paulo", "cafe ole sao paulo"),
        ("김정은 위원장", "김정은 위원장"),  # Hangul stays whole syllables
        ("Путин", "путин"),
        ("ＤＭＺ ２０１９", "dmz 2019"),  # full-width forms
        ("  --  ", ""),
    ],
)
def test_normalise(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_terms_words_and_phrases() -> None:
    parsed = terms('Hanoi "fire and fury" KIM, “best not”')
    assert [(t.text, t.phrase) for t in parsed] == [
        ("fire and fury", True),
        ("best not", True),
        ("hanoi", False),
        ("kim", False),
    ]
    assert terms("?!") == []


def doc(title: str, text: str = "") -> Document:
    return Document(f" {normalise(title)} ", f" {normalise(title + ' ' + text)} ")


@pytest.mark.parametrize(
    ("query", "title", "text", "hit"),
    [
        ("hanoi summit", "Second summit in Hanoi", "", True),  # any order
        ("hanoi summit", "Kim meets Putin", "after the Hanoi talks", False),  # every word
        ("hwasong 15", "Tests Hwasong-15", "", True),  # punctuation
        ("HWASONG-15", "tests hwasong 15", "", True),
        ("cafe", "Café", "", True),  # accents
        ("summit", "Summits resume", "", True),  # a word matches the start of a word
        ("ummit", "Summits resume", "", False),  # ...not its middle
        ('"fire and fury"', "Fire and fury", "", True),
        ('"fury and fire"', "Fire and fury", "", False),  # a phrase keeps its order
        ('"fire fury"', "Fire and fury", "", False),
        ("김정은 singapore", "Singapore summit", "김정은", True),
    ],
)
def test_matches(query: str, title: str, text: str, hit: bool) -> None:
    assert compile_query(query).matches(doc(title, text)) is hit


def test_score_puts_title_hits_first() -> None:
    query = compile_query("hanoi summit")
    in_title = doc("Second summit in Hanoi")
    in_summary = doc("Kim and Putin meet", "the Hanoi summit the Hanoi summit the Hanoi summit")
    assert query.score(in_title) > query.score(in_summary)


def test_document_covers_every_searchable_field(mini) -> None:  # type: ignore[no-untyped-def]
    summit = next(e for e in mini.events if e.id == "summit")
    text = document(summit, mini).text
    for words in ("leaders meet", "sign a statement", "singapore", "김정은", "kim jong un", "white house",
                  "joint statement", "summit"):  # fmt: skip
        assert f" {words} " in text, words
    threat = next(e for e in mini.events if e.id == "threat")
    assert " fire and fury " in document(threat, mini).text  # quotes and place
    assert " bedminster " in document(threat, mini).text


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("Tests Hwasong-15 ICBM", "hwasong 15", ["Hwasong", "15"]),
        ("Trump warns of “fire and fury”", '"fire and fury"', ["fire and fury"]),
        ("Café summit, summits", "cafe summit", ["Café", "summit", "summit"]),
        ("김정은 met Trump", "김정은", ["김정은"]),
        ("Cafe\u0301s", "cafes", ["Cafe\u0301s"]),  # a decomposed accent stays inside the word
        ("Resummit", "summit", []),
    ],
)
def test_highlights_are_indices_of_the_displayed_text(text: str, query: str, marked: list[str]) -> None:
    ranges = highlights(text, [compile_query(query)])
    assert [text[a:b] for a, b in ranges] == marked


def test_label_says_what_was_understood() -> None:
    assert compile_query("Hanoi, Summit!").label() == '"hanoi summit"'
    assert compile_query('"Fire and Fury"').label() == '"fire and fury"'
    assert compile_query('kim "fire and fury"').label() == '"“fire and fury” kim"'


def test_same_results_from_an_fts5_index(mini) -> None:  # type: ignore[no-untyped-def]
    """The query's FTS5 form finds what ``matches`` finds, on an index of the same documents."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE ev USING fts5(id UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')"
        )
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no FTS5")
    for event in mini.events:
        db.execute("INSERT INTO ev VALUES (?, ?)", (event.id, document(event, mini).text))
    for text in ("summit", "kim summit", '"fire and fury"', "wire", "statement white"):
        query = compile_query(text)
        expected = {e.id for e in mini.events if query.matches(document(e, mini))}
        found = {row[0] for row in db.execute("SELECT id FROM ev WHERE ev MATCH ?", (query.fts5(),))}
        assert found == expected, text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=20))
def test_any_text_and_query_are_safe(text: str, query: str) -> None:
    compiled = compile_query(query)
    ranges = highlights(text, [compiled])
    assert all(0 <= a < b <= len(text) for a, b in ranges)
    assert all(b1 < a2 for (_, b1), (a2, _) in itertools.pairwise(ranges))  # sorted, apart
    nfc = unicodedata.is_normalized("NFC", text)
    if nfc and compiled and compiled.matches(Document(f" {normalise(text)} ", f" {normalise(text)} ")):
        assert ranges  # what matches can be shown


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_is_folded_as_the_general_rule_folds_it(text: str) -> None:
    import re

    assert normalise(text) == re.sub(r"[\W_]+", " ", text.casefold()).strip()
