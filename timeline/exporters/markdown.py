"""GitHub-flavoured Markdown: a heading per year, an entry per event, citations as footnotes.

With ``--mermaid`` a Mermaid timeline diagram (see ``mermaid.py``) follows the title.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from timeline import escape
from timeline.exporters import ExportOptions
from timeline.models import Event, Source, Timeline


def _footnote(source: Source) -> str:
    text = f"{escape.markdown(source.publisher)}, “{escape.markdown(source.title)}”"
    if source.date:
        text += f", {source.date.display()}"
    return f"{text}. <{escape.url(source.url)}>"


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The export as it is written: its lines joined by newlines, a block of lines at a time."""
    first = True
    for lines in _blocks(events, timeline, options):
        if lines:
            yield ("" if first else "\n") + "\n".join(lines)
            first = False


def _blocks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[list[str]]:
    out: list[str] = [f"# {escape.markdown(timeline.title)}", ""]
    if timeline.description:
        out += [escape.markdown(timeline.description), ""]
    if options.mermaid and events:
        from timeline.exporters.mermaid import diagram

        # the diagram's lines are indented or keywords, so none can close the fence
        out += ["```mermaid", diagram(events, timeline, options).rstrip("\n"), "```", ""]
    yield out
    notes: dict[str, int] = {}  # address -> footnote number: a source cited twice is one note
    definitions: list[str] = []
    year: int | None = None
    for event in events:
        out = []
        if event.date.year != year:
            year = event.date.year
            out += [f"## {year}", ""]
        out += [f"### {event.when()}: {escape.markdown(event.title)}", ""]
        meta = []
        if event.actors:
            meta.append(
                "**Actors:** " + ", ".join(escape.markdown(timeline.actor_name(a)) for a in event.actors)
            )
        if event.place:
            meta.append("**Place:** " + escape.markdown(event.place))
        if event.tags:
            meta.append("**Tags:** " + ", ".join(escape.markdown(t) for t in event.tags))
        if meta:
            out += [" · ".join(meta), ""]
        marks = ""
        for source in event.sources:
            number = notes.get(source.url)
            if number is None:
                number = notes[source.url] = len(notes) + 1
                definitions.append(f"[^{number}]: {_footnote(source)}")
            marks += f"[^{number}]"
        summary = escape.markdown(event.summary) if event.summary else "Sources:"
        out += [summary + marks, ""]
        for quote in event.quotes:
            line = f"> “{escape.markdown(quote.text)}”"
            if quote.by:
                line += f" — {escape.markdown(timeline.actor_name(quote.by))}"
            out += [line, ""]
        yield out
    for start in range(0, len(definitions), 1000):  # blocks join as the lines would
        yield definitions[start : start + 1000]
    if definitions:
        yield [""]
