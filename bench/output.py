"""Output-side scale benchmark: word wrapping, the terminal view, era bands and CSL-JSON at scale.

Run: .venv/bin/python bench/output.py [--events 100000] [--sources 100000]
The events are copies of the shipped dataset's (ids made unique), so the text is real text with
dashes, middle dots and curly quotes. Times are the best of three runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

from timeline.escape import one_line
from timeline.exporters import REGISTRY
from timeline.loader import load
from timeline.models import Event, PartialDate, Source, Timeline
from timeline.render import rule, view_lines
from timeline.wrap import breaks

SHIPPED = Path(__file__).parent.parent / "data" / "events.yaml"


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=100_000)
    options = parser.parse_args()
    shipped = load([SHIPPED], use_cache=False)
    base = sorted(shipped.events, key=lambda e: (e.start, e.finish))
    events = [dataclasses.replace(base[i % len(base)], id=f"e{i}") for i in range(options.events)]
    events.sort(key=lambda e: (e.start, e.finish))

    paragraphs = []
    for event in events:
        paragraphs += [one_line(event.title), one_line(event.summary)]
        paragraphs += ["“" + one_line(q.text) + "” — X" for q in event.quotes]
    seconds = best(lambda: [breaks(p, 87, 87) for p in paragraphs])
    print(f"wrap.breaks, {len(paragraphs):,} paragraphs at 87 cells: {seconds:.2f} s")
    seconds = best(lambda: view_lines(events, shipped, 100), 1)
    print(f"view_lines, {len(events):,} events at 100 columns: {seconds:.2f} s")

    for size in (40_000, 400_000):
        for letter in ("E", "김"):
            label = letter * size
            seconds = best(lambda: rule(label, "timeline.era", 30, "═", left=True))  # noqa: B023
            print(f"era band of {size:,} × {letter!r} at 30 columns: {seconds * 1000:.1f} ms")

    cited = tuple(
        Event(
            id=f"e{i}",
            date=PartialDate(2018),
            title="t",
            sources=(Source(title="s", publisher="p", url=f"https://news.test/{i}", date=PartialDate(2018)),),
        )
        for i in range(options.sources)
    )
    timeline = Timeline(title="T", actors={}, events=cited)
    seconds = best(lambda: REGISTRY["csl-json"].export(cited, timeline), 1)
    print(f"csl-json, {options.sources:,} sources: {seconds:.2f} s")


if __name__ == "__main__":
    main()
