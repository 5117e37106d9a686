"""The exporter registry: one pure module per format, each with ``export(events, timeline, options) -> str``.

Modules are imported only when their format is used, so a new format costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from timeline.errors import UsageError
from timeline.models import Event, Timeline


@dataclass(frozen=True)
class ExportOptions:
    """Choices that some formats honour; every exporter receives them and ignores what it doesn't use."""

    group: str = "year"  # mermaid (and the Markdown embed): "year" or "era"
    mermaid: bool = False  # markdown: embed a Mermaid timeline diagram after the title
    # ics: the DTSTAMP of every VEVENT; the command layer passes the current time
    # (or SOURCE_DATE_EPOCH, for reproducible files)
    stamp: dt.datetime = field(default=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    by: str | None = None  # svg (and the chart atop html): year, quarter or month; None: by the span
    known_on: str | None = None  # --as-of: "as known on 1 Mar 2019", for the headings of documents


@dataclass(frozen=True)
class Exporter:
    """A registered output format."""

    name: str
    extension: str  # with the dot; used to infer the format from -o FILE
    description: str  # one line, shown by --help and --list
    module: str
    # The `export` options this format honours, each with the option it needs ("" for none):
    # markdown honours --group only together with --mermaid.
    options: tuple[tuple[str, str], ...] = ()
    # it shows more of the timeline than the events it is given ("See also" names related events
    # that the selection may leave out), so a large dataset's index cannot answer for it alone
    whole: bool = False
    # ...but given a large dataset's selection (timeline.index.Selected), it reads the events once,
    # as it writes, and looks related events up by id: the index answers for it alone
    looks_up: bool = False

    def check_options(self, chosen: dict[str, bool]) -> None:
        """Refuse an option this format does not honour (``chosen``: option name -> given)."""
        honoured = dict(self.options)
        for name, given in chosen.items():
            if not given:
                continue
            if name not in honoured:
                raise UsageError(f"--{name} applies to {_where(name)}, not {self.name}")
            needs = honoured[name]
            if needs and not chosen.get(needs):
                raise UsageError(f"--{name} applies to {_where(name)}")

    def export(
        self, events: Sequence[Event], timeline: Timeline, options: ExportOptions | None = None
    ) -> str:
        module = importlib.import_module(self.module)
        return module.export(events, timeline, options or ExportOptions())  # type: ignore[no-any-return]

    def chunks(
        self, events: Sequence[Event], timeline: Timeline, options: ExportOptions | None = None
    ) -> Iterator[str]:
        """The same text as ``export``, in pieces as it is made (for formats that stream)."""
        module = importlib.import_module(self.module)
        if hasattr(module, "chunks"):
            return module.chunks(events, timeline, options or ExportOptions())  # type: ignore[no-any-return]
        return iter([module.export(events, timeline, options or ExportOptions())])


EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        "markdown",
        ".md",
        "GitHub-flavoured Markdown, a heading per year, footnote citations",
        "timeline.exporters.markdown",
        whole=True,
        looks_up=True,
        options=(("mermaid", ""), ("group", "mermaid")),
    ),
    Exporter(
        "json",
        ".json",
        "a JSON array of events with every field (schema: --schema)",
        "timeline.exporters.json",
        options=(("schema", ""),),
    ),
    Exporter(
        "csv",
        ".csv",
        "one row per event for spreadsheets, sources in numbered columns",
        "timeline.exporters.csv",
    ),
    Exporter(
        "timelinejs",
        ".timeline.json",
        "Knight Lab TimelineJS 3 JSON: title slide, events, eras",
        "timeline.exporters.timelinejs",
    ),
    Exporter(
        "html",
        ".html",
        "one self-contained web page, readable on screen and in print",
        "timeline.exporters.html",
        whole=True,
        looks_up=True,
        options=(("by", ""),),
    ),
    Exporter("ics", ".ics", "iCalendar (RFC 5545): an all-day event per entry", "timeline.exporters.ics"),
    Exporter(
        "csl-json",
        ".csl.json",
        "CSL-JSON bibliography of every cited source (Zotero, pandoc)",
        "timeline.exporters.csljson",
    ),
    Exporter(
        "mermaid",
        ".mmd",
        "a Mermaid timeline diagram by year or era (--group)",
        "timeline.exporters.mermaid",
        options=(("group", ""),),
    ),
    Exporter(
        "svg",
        ".svg",
        "the cooperation–conflict chart (Goldstein scores per period) as one self-contained picture",
        "timeline.exporters.svg",
        options=(("by", ""),),
    ),
)

REGISTRY: dict[str, Exporter] = {exporter.name: exporter for exporter in EXPORTERS}


def _where(option: str) -> str:
    """'the json format', 'the mermaid format and markdown --mermaid': where an option applies."""
    places = []
    for exporter in EXPORTERS:
        needs = dict(exporter.options).get(option)
        if needs == "":
            places.insert(0, f"the {exporter.name} format")
        elif needs:
            places.append(f"{exporter.name} --{needs}")
    return " and ".join(places)


def by_extension(filename: str) -> Exporter | None:
    """The exporter whose extension ends ``filename``, if any; the longest match wins
    (``x.timeline.json`` is TimelineJS, ``x.json`` plain JSON)."""
    lowered = filename.lower()
    matches = [e for e in EXPORTERS if lowered.endswith(e.extension)]
    return max(matches, key=lambda e: len(e.extension), default=None)
