"""Word wrapping, directly: line breaks in terminal cells, long words, wide and narrow scripts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import wrap
from timeline.wrap import breaks, cells, fit


def lines(text: str, first: int, rest: int | None = None) -> list[str]:
    return [text[a:b] for a, b in breaks(text, first, first if rest is None else rest)]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("", 10, [""]),
        ("   ", 10, [""]),
        ("one two three", 13, ["one two three"]),
        ("one two three", 12, ["one two", "three"]),
        ("one two three", 7, ["one two", "three"]),  # exactly full
        ("one two three", 6, ["one", "two", "three"]),
        ("  lead and trail  ", 9, ["lead and", "trail"]),
        ("kept  spacing  inside", 30, ["kept  spacing  inside"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # a word longer than the line is cut
        ("ab abcdefghij cd", 4, ["ab", "abcd", "efgh", "ij", "cd"]),
        ("abcdefgh ij", 4, ["abcd", "efgh", "ij"]),
        ("abcdef xy", 4, ["abcd", "ef", "xy"]),
        ("a b", 0, ["a", "b"]),  # a width below one still makes progress
    ],
)
def test_breaks(text: str, width: int, expected: list[str]) -> None:
    assert lines(text, width) == expected


def test_first_word_longer_than_the_line_uses_each_lines_own_width() -> None:
    # the first line has 30 cells, the following ones 29 (a hanging indent of one)
    word = "“" + "x" * 70 + "”"
    assert [len(line) for line in lines(word, 30, 29)] == [30, 29, 13]
    assert [len(line) for line in lines("x" * 70 + " end", 30, 29)] == [30, 29, 15]


def test_wide_characters_count_two_cells() -> None:
    assert cells("김정은") == 6 and cells("abc") == 3 and cells("a — “b” · c") == 11
    assert lines("김정은 위원장", 6) == ["김정은", "위원장"]
    assert lines("김정은위원장", 5) == ["김정", "은위", "원장"]
    assert lines("ab김", 3) == ["ab", "김"]


def test_combining_marks_stay_with_their_letter() -> None:
    decomposed = "cafe\u0301 cafe\u0301"
    assert cells(decomposed) == 9
    assert lines(decomposed, 4) == ["cafe\u0301", "cafe\u0301"]


def test_a_wide_character_on_a_one_cell_line_still_moves_on() -> None:
    assert lines("김정", 1) == ["김", "정"]


def test_fit() -> None:
    assert fit("abcdef", 4) == 4 and fit("abc", 10) == 3 and fit("abc", -1) == 0
    assert fit("김정은", 5) == 2 and fit("a김", 2) == 1


@pytest.mark.parametrize("text", ["said — then · “quoted” ‘single’ …", "Kim – Putin"])
def test_punctuation_is_measured_by_length(text: str) -> None:
    # dashes, middle dots and curly quotes are one cell: such text takes the per-line path,
    # with no running sum of widths (the per-word path cost 42 of 52 s on 100k events)
    assert wrap._uniform(text)
    assert not wrap._uniform(text + "김") and not wrap._uniform("e\u0301")


@given(
    st.text(alphabet=st.sampled_from(list("ab c  —·“김\u0301é")), max_size=80),
    st.integers(min_value=2, max_value=30),
    st.integers(min_value=0, max_value=5),
)
def test_every_line_fits_and_nothing_is_lost(text: str, width: int, hang: int) -> None:
    rest = max(width - hang, 2)
    found = breaks(text, width, rest)
    for number, (start, end) in enumerate(found):
        line = text[start:end]
        assert cells(line) <= (width if number == 0 else rest)
        assert line == line.strip(" ")
    # nothing is lost or reordered: only the spaces where lines break are dropped
    assert "".join(text[a:b] for a, b in found).replace(" ", "") == text.replace(" ", "")


@given(
    st.text(alphabet=st.sampled_from(list("ab c   —·“")), max_size=80),
    st.integers(min_value=-1, max_value=30),
    st.integers(min_value=-1, max_value=30),
)
def test_one_cell_text_breaks_as_the_running_sum_would(text: str, first: int, rest: int) -> None:
    # the shortcut for text of one-cell characters makes the same lines as the general path
    fast = breaks(text, first, rest)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wrap, "_uniform", lambda text: False)  # every width summed, one by one
        assert breaks(text, first, rest) == fast
