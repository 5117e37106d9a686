"""`timeline browse`: the interactive reader (Textual). Imported only by that command."""

from __future__ import annotations

import os
from typing import Any

from timeline.exporters import ExportOptions
from timeline.models import Timeline
from timeline.query import Filter

# A lone Esc is known only once no escape sequence follows it. Textual waits ESCDELAY (100 ms by
# default) for that, and its Linux input thread only looks again when its select() times out
# (every 100 ms), so Esc took 120-150 ms. A local terminal sends a sequence in one write: 25 ms
# is enough (vim users set the same), and the reader polls as often. ESCDELAY set by the user wins.
ESCAPE_MS = 25


def browse(timeline: Timeline, criteria: Filter, *, export_options: ExportOptions) -> int:
    """Run the app on the terminal until the reader quits; the exit code (130 after Ctrl-C)."""
    os.environ.setdefault("ESCDELAY", str(ESCAPE_MS))  # read when Textual is first imported
    from timeline.tui.app import BrowseApp

    _poll_input_faster()
    app = BrowseApp(timeline, criteria, export_options=export_options)
    app.run()
    return app.return_code or 0


def _poll_input_faster() -> None:
    """Make the Linux driver's input thread wake at least every ESCDELAY, so a lone Esc is
    answered when its delay is up instead of at the thread's next 100 ms timeout."""
    try:
        from textual import constants
        from textual.drivers import linux_driver
    except ImportError:  # another platform's driver
        return
    real = linux_driver.selectors
    if getattr(real, "_timeline_quick", False):
        return
    most = max(float(constants.ESCAPE_DELAY), 0.005)

    class QuickSelector(real.SelectSelector):  # type: ignore[name-defined,misc]
        def select(self, timeout: float | None = None) -> Any:
            return super().select(most if timeout is None else min(timeout, most))

    class Selectors:
        """The module ``selectors`` as the driver sees it, with the quicker selector."""

        _timeline_quick = True

        def __getattr__(self, name: str) -> Any:
            return QuickSelector if name == "SelectSelector" else getattr(real, name)

    linux_driver.selectors = Selectors()  # type: ignore[assignment]
