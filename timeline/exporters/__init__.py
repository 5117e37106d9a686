"""The exporter registry: one pure module per format, each with ``export(events, timeline) -> str``.

Modules are imported only when their format is used, so a new format costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.models import Event, Timeline


@dataclass(frozen=True)
class Exporter:
    """A registered output format."""

    name: str
    extension: str  # with the dot; used to infer the format from -o FILE
    description: str  # one line, shown by --help and --list
    module: str

    def export(self, events: Sequence[Event], timeline: Timeline) -> str:
        return importlib.import_module(self.module).export(events, timeline)  # type: ignore[no-any-return]


EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        "markdown",
        ".md",
        "GitHub-flavoured Markdown, a heading per year, footnote citations",
        "timeline.exporters.markdown",
    ),
    Exporter(
        "json", ".json", "a JSON array of events with every field (see README)", "timeline.exporters.json"
    ),
)

REGISTRY: dict[str, Exporter] = {exporter.name: exporter for exporter in EXPORTERS}


def by_extension(filename: str) -> Exporter | None:
    """The exporter whose extension ends ``filename``, if any."""
    lowered = filename.lower()
    for exporter in EXPORTERS:
        if lowered.endswith(exporter.extension):
            return exporter
    return None
