"""Ready-to-paste citations for chosen events: each event in one sentence with its date, then its sources.

Styles: ``plain`` (the terminal view's citation labels and the address), ``markdown`` (the
Markdown export's footnotes) and ``csl-json`` (the CSL-JSON export's items, for a reference manager).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from timeline import escape
from timeline.models import Event, Timeline

STYLES = ("markdown", "plain", "csl-json")


def sentence(event: Event, inert: Callable[[str], str] = escape.one_line) -> str:
    """The event in one sentence: its title, then its date (and place) in brackets, and a full stop.

    ``inert`` makes the data's text safe for the output (one line; Markdown-escaped for Markdown).
    """
    where = f", {inert(event.place)}" if event.place else ""
    return f"{inert(event.title)} ({event.when()}{where})."


def plain(events: Sequence[Event]) -> str:
    from timeline.render import citation  # the terminal view's label: "[1] Reuters — Title, 12 Jun 2018"

    blocks = []
    for event in events:
        lines = [sentence(event)]
        for number, source in enumerate(event.sources, 1):
            label = "".join(text for text, _ in citation(number, source))
            lines.append(f"{label}. {escape.printable(source.url)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def markdown(events: Sequence[Event]) -> str:
    from timeline.exporters.markdown import footnote_marks  # the Markdown export's footnotes

    notes: dict[str, int] = {}  # a source cited by two events is one footnote
    paragraphs: list[str] = []
    definitions: list[str] = []
    for event in events:
        marks = footnote_marks(event.sources, notes, definitions)
        paragraphs.append(sentence(event, escape.markdown) + marks)
    return "\n\n".join(paragraphs) + "\n\n" + "\n".join(definitions) + "\n"


def cite(events: Sequence[Event], timeline: Timeline, style: str) -> str:
    """The citations of ``events`` in ``style`` (one of STYLES)."""
    if style == "plain":
        return plain(events)
    if style == "markdown":
        return markdown(events)
    from timeline.exporters import REGISTRY

    return REGISTRY["csl-json"].export(events, timeline)
