"""GitHub-flavoured Markdown: a heading per year, an entry per event, citations as footnotes.

With ``--mermaid`` a Mermaid timeline diagram (see ``mermaid.py``) follows the title.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from functools import partial
from typing import Any, Protocol

from timeline import escape
from timeline.display import citation_label
from timeline.exporters import ExportOptions
from timeline.models import Event, Source, Timeline
from timeline.parallel import map_events


class _Lines(Protocol):
    def extend(self, lines: list[str], /) -> None: ...


class _Spool:
    """Lines written now and read back at the end, in memory up to a few megabytes, then in a
    temporary file (removed when closed), so that memory does not grow with the export."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=1 << 23, mode="w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed by chunks()
        self.count = 0

    def extend(self, lines: list[str]) -> None:  # lines of the export: none holds a newline
        self.file.write("\n".join(lines) + "\n")
        self.count += len(lines)

    def read(self, size: int) -> Iterator[str]:
        """What was written, each line ended by a newline, ``size`` characters at a time."""
        self.file.seek(0)
        while text := self.file.read(size):
            yield text


def _footnote(source: Source) -> str:
    return f"{citation_label(source, escape.markdown)}. <{escape.url(source.url)}>"


def footnote_marks(sources: Sequence[Source], notes: dict[str, int], definitions: _Lines) -> str:
    """The marks ("[^1][^2]") citing ``sources``; a source not yet noted gets the next number and
    its definition. ``notes`` maps an address to its number, so a source cited twice is one note."""
    return "".join(_marks([s.url for s in sources], lambda i: _footnote(sources[i]), notes, definitions))


def _marks(
    urls: Sequence[str], footnote: Callable[[int], str], notes: dict[str, int], definitions: _Lines
) -> list[str]:
    """The mark ("[^3]") of each address in ``urls``: one not yet in ``notes`` gets the next
    number, and its definition, ``footnote(i)`` being the note of ``urls[i]``, is added."""
    marks: list[str] = []
    new: list[str] = []
    for place, url in enumerate(urls):
        number = notes.get(url)
        if number is None:
            number = notes[url] = len(notes) + 1
            new.append(f"[^{number}]: {footnote(place)}")
        marks.append(f"[^{number}]")
    if new:
        definitions.extend(new)
    return marks


# Entries are made a batch at a time, maybe in another process (``timeline.parallel``), before
# the notes of earlier batches are known: a batch marks its k-th new address as NUL k NUL (NUL
# never survives ``escape.markdown``), and the marks are numbered in order when it is written.


def _entry(event: Event, timeline: Timeline, marks: Callable[[Sequence[Source]], str]) -> list[str]:
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
    out += [summary + marks(event.sources), ""]
    for quote in event.quotes:
        line = f"> “{escape.markdown(quote.text)}”"
        if quote.by:
            line += f" — {escape.markdown(timeline.actor_name(quote.by))}"
        out += [line, ""]
    return out


_Batch = tuple[list[tuple[int, str]], list[str], list[str]]  # (year, entry), addresses, footnotes


def _entries(
    events: list[Event], timeline: Timeline, by_id: Mapping[str, Event], shown: Set[str], targets: Set[str]
) -> _Batch:
    """A batch of entries (each with its year), and the addresses it cites first, with their footnotes."""
    local: dict[str, int] = {}
    addresses: list[str] = []
    footnotes: list[str] = []

    def marks(sources: Sequence[Source]) -> str:
        out = ""
        for source in sources:
            place = local.get(source.url)
            if place is None:
                place = local[source.url] = len(addresses)
                addresses.append(source.url)
                footnotes.append(_footnote(source))
            out += f"\x00{place}\x00"
        return out

    prefetch = getattr(by_id, "prefetch", None)  # a large dataset's (``index.Related``)
    if prefetch is not None:  # the events this batch links to, read together
        prefetch(events)
    entries: list[tuple[int, str]] = []
    for event in events:
        out = [f'<a id="{event.id}"></a>', ""] if event.id in targets else []
        out += _entry(event, timeline, marks)
        if event.related and (also := _see_also(event, by_id, shown)):
            out += [also, ""]
        entries.append((event.date.year, "\n".join(out)))
    return entries, addresses, footnotes


def _see_also(event: Event, by_id: Mapping[str, Event], shown: Set[str]) -> str:
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
    definitions = _Spool()  # footnotes come last: past a few megabytes, kept in a temporary file
    with definitions.file:
        first = True
        for lines in _blocks(events, timeline, options, definitions):
            if lines:
                yield ("" if first else "\n") + "\n".join(lines)
                first = False
        if definitions.count:  # as their lines would join the others: after a newline, each ended by one
            yield "\n"
            yield from definitions.read(1 << 20)


def _blocks(
    events: Sequence[Event], timeline: Timeline, options: ExportOptions, definitions: _Spool
) -> Iterator[list[str]]:
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
    indexed = hasattr(events, "lookup")  # a large dataset's selection (timeline.index.Selected)
    if indexed:  # read once, as it is written: what the entries need is known beforehand
        selected: Any = events
        by_id: Mapping[str, Event] = selected.lookup()
        shown = set(selected.ids)
        linked = {other for _, related in selected.links for other in related.split()}
    else:
        by_id = {e.id: e for e in timeline.events}
        shown = {e.id for e in events}
        linked = {other for e in events for other in e.related}
    # an anchor for each event that another one here links to ("See also"), as ids are kebab-case
    targets = linked & shown
    work = partial(_entries, timeline=timeline, by_id=by_id, shown=shown, targets=targets)
    year: int | None = None
    for entries, addresses, footnotes in map_events(events, work):
        marks = _marks(addresses, footnotes.__getitem__, notes, definitions)
        block: list[str] = []  # the batch's lines, written together
        for event_year, text in entries:
            if event_year != year:
                block += [f"## {event_year}", ""]
                year = event_year
            if "\x00" in text:
                parts = text.split("\x00")  # text, place, text, place, ..., text
                parts[1::2] = [marks[int(place)] for place in parts[1::2]]
                text = "".join(parts)
            block.append(text)
        yield block
