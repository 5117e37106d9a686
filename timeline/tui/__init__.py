"""`timeline browse`: the interactive reader (Textual). Imported only by that command."""

from __future__ import annotations

from timeline.exporters import ExportOptions
from timeline.models import Timeline
from timeline.query import Filter


def browse(timeline: Timeline, criteria: Filter, *, export_options: ExportOptions) -> int:
    """Run the app on the terminal until the reader quits; the exit code (130 after Ctrl-C)."""
    from timeline.tui.app import BrowseApp

    app = BrowseApp(timeline, criteria, export_options=export_options)
    app.run()
    return app.return_code or 0
