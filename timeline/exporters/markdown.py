"""GitHub-flavoured Markdown: a heading per year, an entry per event, citations as footnotes.

With ``--mermaid`` a Mermaid timeline diagram (see ``mermaid.py``) follows the title.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from timeline import escape
from timeline.display import by_year, citation_label
from timeline.exporters import ExportOptions
from timeline.models import Event, Source, Timeline


def _footnote(source: Source) -> str:
    return f"{citation_label(source, escape.markdown)}. <{escape.url(source.url)}>"


def footnote_marks(sources: Sequence[Source], notes: dict[str, int], definitions: list[str]) -> str:
    """The marks ("[^1][^2]") citing ``sources``; a source not yet noted gets the next number and
    its definition. ``notes`` maps an address to its number, so a source cited twice is one note."""
    marks = ""
    for source in sources:
        number = notes.get(source.url)
        if number is None:
            number = notes[source.url] = len(notes) + 1
            definitions.append(f"[^{number}]: {_footnote(source)}")
        marks += f"[^{number}]"
    return marks


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
    summary = escape.markdown(event.summary) if event.summary else "Sources:"
    out += [summary + footnote_marks(event.sources, notes, definitions), ""]
    for quote in event.quotes:
        line = f"> “{escape.markdown(quote.text)}”"
        if quote.by:
            line += f" — {escape.markdown(timeline.actor_name(quote.by))}"
        out += [line, ""]
    return out


def _see_also(event: Event, by_id: dict[str, Event], shown: set[str]) -> str:
    """ "See also:" with each related event's date and title, a link when it is in this document."""
    from timeline.analysis.threads import see_also

    parts = []
    for other in see_also(event, by_id):
        label = f"{other.when()}: {escape.markdown(other.title)}"
        parts.append(f"[{label}](#{other.id})" if other.id in shown else label)
    return "See also: " + "; ".join(parts) if parts else ""


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
    if options.known_on:
        from timeline.analysis.asof import note

        out += [f"*{escape.markdown(note(options.known_on))}*", ""]
    if options.mermaid and events:
        from timeline.exporters.mermaid import diagram

        # the diagram's lines are indented or keywords, so none can close the fence
        out += ["```mermaid", diagram(events, timeline, options).rstrip("\n"), "```", ""]
    yield out
    notes: dict[str, int] = {}  # address -> footnote number: a source cited twice is one note
    definitions: list[str] = []
    by_id = {e.id: e for e in timeline.events}
    shown = {e.id for e in events}
    # an anchor for each event that another one here links to ("See also"), as ids are kebab-case
    targets = {r for e in events for r in e.related if r in shown}
    for year, group in by_year(events):
        out = [f"## {year}", ""]
        for event in group:
            if event.id in targets:
                out += [f'<a id="{event.id}"></a>', ""]
            out += _entry(event, timeline, notes, definitions)
            if event.related and (also := _see_also(event, by_id, shown)):
                out += [also, ""]
            yield out
            out = []
    for start in range(0, len(definitions), 1000):  # blocks join as the lines would
        yield definitions[start : start + 1000]
    if definitions:
        yield [""]
