"""Making text from a dataset inert: for the terminal, Markdown, HTML and web addresses. One place."""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache
from typing import NamedTuple

# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text
# (every Bidi_Control character: the Arabic letter mark, embeddings, overrides and isolates;
# zero-width marks).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0xFF else f"\\x{ord(match.group()):02x}"


def printable(text: str) -> str:
    """Text with every control or reordering character shown as a visible escape such as ``\\x1b``.

    Newlines and tabs are kept; they are laid out, never sent as control sequences.
    """
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """Printable text with runs of whitespace (newlines included) folded to one space."""
    # Printable text (str.isprintable) holds no control, format, separator or non-ASCII space
    # character, so nothing in it is escaped and its only whitespace is " ": most text is
    # already one line, and is returned as it is.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(printable(text).split())


def quoted(text: str) -> str:
    """Text from the data or the command line, quoted for a one-line message: ``'Kim'``."""
    return f"'{one_line(text)}'"


def terminal(text: str) -> str:
    """Any output (JSON, CSV, Markdown...) made inert for a terminal: the view's unsafe characters
    shown as ``\\uXXXX``. Newlines, tabs and the CR of a CRLF line end are kept.

    For JSON this is lossless: inside a JSON string ``\\u001b`` is the escape of the character it
    replaces (and ``json.dumps`` never leaves one outside a string), so what is shown still parses
    to the same data. Only for output to a terminal: a pipe or a file gets the exact bytes.
    """
    return _TERMINAL.sub(_as_u, text)


# the same characters as _UNSAFE, except that a carriage return is kept where it ends a line
# (CSV and iCalendar end lines with CRLF); alone it could overwrite what a line shows
_TERMINAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\r(?!\n)"
)


def _as_u(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class AsciiTable(NamedTuple):
    """A ``str.translate`` table whose keys are ASCII characters, and those characters as bytes."""

    table: dict[int, str]
    keys: bytes


def ascii_table(mapping: dict[str, str]) -> AsciiTable:
    """The table of ``mapping`` (ASCII characters to their replacements) for ``translated``."""
    if not all(key.isascii() and len(key) == 1 for key in mapping):
        raise ValueError("an ASCII table maps single ASCII characters")
    return AsciiTable(str.maketrans(mapping), "".join(mapping).encode("ascii"))


def translated(text: str, table: AsciiTable) -> str:
    """``text.translate(table)``, without its cost when ``text`` holds none of the table's
    characters: ``str.translate`` looks every character up, about 10 µs for a paragraph with a
    curly quote in it, where testing the UTF-8 bytes (in which no other character has an ASCII
    byte) costs a tenth of that."""
    data = text.encode("utf-8", "surrogatepass")
    return text.translate(table.table) if len(data.translate(None, table.keys)) != len(data) else text


_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~#@$])")  # $ opens math on GitHub
# the dot of a bare domain ("CNSNews.com", "news.bbc.co.uk"): a letter or digit before it, at
# least two letters after, as in every top-level domain; "U.S." and "3.5" are left alone
_MD_DOMAIN_DOT = re.compile(r"\.(?<=[^\W_]\.)(?=[^\W\d_]{2})")  # the dot first: a fast literal scan
_MD_INLINE_TABLE = ascii_table({char: "\\" + char for char in "\\`*_[]<>&|~#@$"})  # as _MD_INLINE
_MD_BLOCK_MARK = re.compile(r"^([+\-=>])")
_MD_BLOCK_STARTS = ("+", "-", "=", ">")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def _escaped_dot(_: re.Match[str]) -> str:
    return "\\."


@lru_cache(maxsize=1 << 14)  # names, tags and publishers recur on every event of an export
def markdown(text: str) -> str:
    """Inline Markdown that renders literally and cannot add structure, links or HTML.

    The text is folded to one line, so it cannot end a paragraph; characters that open inline
    syntax (emphasis, code, links, HTML, entities, footnotes, autolinks, GitHub's ``$`` math) are
    backslash-escaped, and so are the dots of bare domains (which a linkify renderer would turn into
    links) and anything at the start that could open a block (list, quote, heading, rule).
    """
    escaped = translated(one_line(text), _MD_INLINE_TABLE)
    escaped = escaped.replace("www.", "www\\.").replace("://", "\\://")  # no bare-address autolinks
    escaped = _MD_DOMAIN_DOT.sub(_escaped_dot, escaped)  # nor links a linkify renderer finds in domains
    if escaped[:1].isdigit():
        escaped = _MD_ORDERED.sub(r"\1\\\2", escaped)
    return _MD_BLOCK_MARK.sub(r"\\\1", escaped) if escaped[:1] in _MD_BLOCK_STARTS else escaped


def html(text: str) -> str:
    """One line of text for HTML: markup characters and both quote marks escaped."""
    return _html.escape(one_line(text), quote=True)


def href(address: str) -> str:
    """A validated http(s) address for an HTML ``href="..."`` attribute."""
    return _html.escape(url(address), quote=True)


# what ``url`` percent-encodes: controls, space, DEL and the characters that could end or break out
# of ``<...>``, ``(...)``, a Markdown link or an HTML attribute (all ASCII: one byte each)
_URL_UNSAFE = re.compile("[\x00-\x20\x7f<>\"'`()\\[\\]{}\\\\|^]")


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match.group()):02X}"


def url(address: str) -> str:
    """A validated http(s) address made safe inside ``<...>``, ``(...)`` or an HTML attribute."""
    return _URL_UNSAFE.sub(_percent, address)
