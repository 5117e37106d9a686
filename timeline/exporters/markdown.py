"""GitHub-flavoured Markdown: a heading per year, an entry per event, citations as footnotes.

With ``--mermaid`` a Mermaid timeline diagram (see ``mermaid.py``) follows the title.
"""

from __future__ import annotations

from collections.abc import Sequence

from timeline import escape
from timeline.display import by_year, citation_label
from timeline.exporters import ExportOptions
from timeline.models import Event, Source, Timeline


def _footnote(source: Source) -> str:
    return f"{citation_label(source, escape.markdown)}. <{escape.url(source.url)}>"


def _entry(event: Event, timeline: Timeline, notes: dict[str, int], definitions: list[str]) -> list[str]:
    """One event: heading, actors, place and tags, summary with footnote marks, quotes."""
    out = [f"### {event.when()}: {escape.markdown(event.title)}", ""]
    meta = []
    if event.actors:
        meta.append("**Actors:** " + ", ".join(escape.markdown(timeline.actor_name(a)) for a in event.actors))
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
    return out


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    out: list[str] = [f"# {escape.markdown(timeline.title)}", ""]
    if timeline.description:
        out += [escape.markdown(timeline.description), ""]
    if options.mermaid and events:
        from timeline.exporters.mermaid import diagram

        # the diagram's lines are indented or keywords, so none can close the fence
        out += ["```mermaid", diagram(events, timeline, options).rstrip("\n"), "```", ""]
    notes: dict[str, int] = {}  # address -> footnote number: a source cited twice is one note
    definitions: list[str] = []
    for year, group in by_year(events):
        out += [f"## {year}", ""]
        for event in group:
            out += _entry(event, timeline, notes, definitions)
    if definitions:
        out += [*definitions, ""]
    return "\n".join(out)
