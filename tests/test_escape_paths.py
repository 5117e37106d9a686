"""The shortcuts in timeline.escape give exactly what the general rules give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from timeline import escape


def general_one_line(text: str) -> str:
    return " ".join(escape.printable(text).split())


def test_one_line_of_every_character_is_the_general_rule() -> None:
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        for text in (chr(code), f"a{chr(code)}b"):
            assert escape.one_line(text) == general_one_line(text), hex(code)


@given(
    st.lists(
        st.sampled_from([" ", "  ", "a", "\n", "\t", "\x1b", "\x85", "\xa0", "\u2028", "\u200b", "é", "—"])
    )
)
def test_one_line_of_any_text_is_the_general_rule(parts: list[str]) -> None:
    text = "".join(parts)
    assert escape.one_line(text) == general_one_line(text)


@given(st.text())
def test_url_escaping_percent_encodes_exactly_the_unsafe_characters(address: str) -> None:
    expected = "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        if ch in " <>\"'`()[]{}\\|^" or ord(ch) < 33 or ord(ch) == 127
        else ch
        for ch in address
    )
    assert escape.url(address) == expected
