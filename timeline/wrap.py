"""Word wrapping measured in terminal cells: one greedy algorithm for every kind of text.

A line is found by jumping a line's width ahead and stepping back to the last space, so the cost
is per line, not per word. Text whose characters are all one cell wide (ASCII, and also "—",
"·" and curly quotes) is measured by its length; other text (wide CJK, combining marks) by a
running sum of character widths, computed once per paragraph. A word longer than a line is cut
to the line's width.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from rich.cells import get_character_cell_size


def char_width(ch: str) -> int:
    """Cells one character takes. A variation selector counts one: it can widen the character
    before it, so counting it keeps a line from overflowing."""
    return 1 if ch == "\ufe0f" else get_character_cell_size(ch)


# characters measured so far: one cell wide, or not (grown as text is seen, so that the common
# case is a single set operation in C)
_ONE_CELL: set[str] = {chr(code) for code in range(32, 127)}
_OTHER: set[str] = set()


def _uniform(text: str) -> bool:
    """True when every character of ``text`` is one cell wide."""
    if text.isascii() or _ONE_CELL.issuperset(text):
        return True
    new = set(text).difference(_ONE_CELL)
    if not new.isdisjoint(_OTHER):
        return False
    for ch in new:
        (_ONE_CELL if char_width(ch) == 1 else _OTHER).add(ch)
    return _ONE_CELL.issuperset(new)


def cells(text: str) -> int:
    """The width of ``text`` in terminal cells."""
    return len(text) if _uniform(text) else sum(map(char_width, text))


def fit(text: str, width: int) -> int:
    """The length of the longest prefix of ``text`` that fits in ``width`` cells."""
    if _uniform(text):
        return min(len(text), max(width, 0))
    used = 0
    for index, ch in enumerate(text):
        used += char_width(ch)
        if used > width:
            return index
    return len(text)


def _reach(text: str) -> Callable[[int, int], int]:
    """A function (start, cells) -> the furthest end index such that text[start:end] fits."""
    size = len(text)
    if _uniform(text):
        return lambda start, room: min(start + room, size)
    offsets = [0, *accumulate(map(char_width, text))]  # offsets[i]: cells before index i
    # bisect_right takes the last index with that offset, so zero-width marks stay with their letter
    return lambda start, room: bisect_right(offsets, offsets[start] + room) - 1


def breaks(text: str, first: int, rest: int) -> list[tuple[int, int]]:
    """Greedy line breaks of ``text`` as (start, end) index pairs: the first line holds ``first``
    cells, the others ``rest``. Spaces where a line breaks are dropped; spacing inside a line is
    kept. A word wider than a line is cut; every line holds at least one character."""
    if _uniform(text):
        return _uniform_breaks(text, max(first, 1), max(rest, 1))
    reach = _reach(text)
    lines: list[tuple[int, int]] = []
    room = max(first, 1)
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] == " ":
            pos += 1
        if pos >= size:
            break
        end = reach(pos, room)
        # a space just past the line still ends it; the rest of the text may fit as it is
        space = size if end >= size else text.rfind(" ", pos, end + 1)
        if space > pos:
            stop = space
            while text[stop - 1] == " ":
                stop -= 1
            lines.append((pos, stop))
            pos = space
        else:  # one word wider than the line: cut it there
            end = max(end, pos + 1)
            lines.append((pos, end))
            pos = end
        room = max(rest, 1)
    return lines or [(0, 0)]


def _uniform_breaks(text: str, room: int, rest: int) -> list[tuple[int, int]]:
    """``breaks`` of text whose characters are all one cell wide: the same steps, with a line's
    reach its length (the common case, laid out for every paragraph of the view)."""
    lines: list[tuple[int, int]] = []
    pos, size = 0, len(text)
    find = text.rfind
    while True:
        while pos < size and text[pos] == " ":
            pos += 1
        if pos >= size:
            break
        end = pos + room
        space = size if end >= size else find(" ", pos, end + 1)
        if space > pos:
            stop = space
            while text[stop - 1] == " ":
                stop -= 1
            lines.append((pos, stop))
            pos = space
        else:  # one word wider than the line: cut it there
            lines.append((pos, end))
            pos = end
        room = rest
    return lines or [(0, 0)]
