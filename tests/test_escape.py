"""escape.py directly: the terminal filter, and output formats made inert for a terminal."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import HOSTILE
from timeline.escape import one_line, printable, quoted, terminal
from timeline.exporters import EXPORTERS, REGISTRY

from .test_formats import hostile_timeline

# every C0/C1 control but newline and tab, DEL, and every Bidi_Control or zero-width format mark
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x9b31m", "\\x9b31m"),
        ("\u061cmark", "\\u061cmark"),  # the Arabic letter mark, a direction control
        ("\u202eevil\u202c", "\\u202eevil\\u202c"),
        ("\u2066iso\u2069", "\\u2066iso\\u2069"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("김정은 “quoted” — ok", "김정은 “quoted” — ok"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_quoted_for_messages() -> None:
    assert quoted("Kim") == "'Kim'"
    assert quoted("a\x1b]52;c;eA==\x07\nb") == "'a\\x1b]52;c;eA==\\x07 b'"


def test_terminal_keeps_json_exact_and_inert() -> None:
    for value in HOSTILE:
        timeline = hostile_timeline(value)
        exact = REGISTRY["json"].export(timeline.events, timeline)
        shown = terminal(exact)
        assert not UNSAFE.search(shown.replace("\r\n", "\n")), repr(shown)
        assert json.loads(shown) == json.loads(exact)  # still the same data, read back


def test_terminal_on_every_format() -> None:
    for value in HOSTILE:
        timeline = hostile_timeline(value)
        for exporter in EXPORTERS:
            shown = terminal(exporter.export(timeline.events, timeline))
            assert not UNSAFE.search(shown.replace("\r\n", "\n")), (exporter.name, value)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\r\nb", "a\r\nb"),  # CSV and iCalendar line ends are kept
        ("a\rb", "a\\u000db"),  # a lone carriage return could overwrite the line: shown
        ("a\x1b[2Jb\x07", "a\\u001b[2Jb\\u0007"),
        ("\x9b\x7f\u061c\u202e", "\\u009b\\u007f\\u061c\\u202e"),
        ("tab\tnew\n", "tab\tnew\n"),
    ],
)
def test_terminal(raw: str, shown: str) -> None:
    assert terminal(raw) == shown


def test_terminal_leaves_the_shipped_json_as_it_is(shipped) -> None:  # type: ignore[no-untyped-def]
    exact = REGISTRY["json"].export(shipped.events, shipped)
    assert terminal(exact) == exact


def test_one_line() -> None:
    assert one_line("a\n\n b\u061c\tc") == "a b\\u061c c"


@given(
    st.lists(st.integers(0, 0x10FFFF), max_size=60).map(lambda codes: "".join(map(chr, codes)))
    | st.text(max_size=60)
)
def test_translated_is_str_translate(text: str) -> None:
    from timeline.escape import _MD_INLINE_TABLE, translated

    assert translated(text, _MD_INLINE_TABLE) == text.translate(_MD_INLINE_TABLE.table)
    assert translated(text + "*“", _MD_INLINE_TABLE) == (text + "*“").translate(_MD_INLINE_TABLE.table)


def test_an_ascii_table_refuses_other_keys() -> None:
    from timeline.escape import ascii_table

    with pytest.raises(ValueError):
        ascii_table({"“": '"'})
    with pytest.raises(ValueError):
        ascii_table({"ab": "c"})
