"""SVG: the cooperation–conflict chart (``timeline chart``) as one self-contained picture.

No scripts, no styles or fonts fetched, no links: only shapes and text, every string from the
dataset XML-escaped. Each bar carries a ``<title>`` (a tooltip and a label for screen readers).
The HTML export embeds the same picture at the top of the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from timeline import escape
from timeline.exporters import ExportOptions
from timeline.models import Event, Timeline

WIDTH = 960
PLOT_LEFT = 56
PLOT_RIGHT = 16
TOP = 64  # below the title and the subtitle
BAND = 22  # era bands, above the plot
PLOT_HEIGHT = 300
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"
COOPERATION = "#1a73e8"  # blue up, red down: still legible in grey, by direction
CONFLICT = "#d93025"
ERA_FILLS = ("#f1f3f4", "#e8eaed")
BY_WORDS = {"year": "year", "quarter": "quarter", "month": "month"}

_h = escape.html


def choose_by(events: Sequence[Event], by: str | None) -> str:
    """The period: as asked, else by month for up to 2 years, by quarter up to 15, else by year."""
    if by and by != "auto":
        return by
    if not events:
        return "year"
    years = max(e.start.year for e in events) - min(e.start.year for e in events) + 1
    return "month" if years <= 2 else "quarter" if years <= 15 else "year"


def _number(value: float) -> str:
    return f"{value:+.1f}" if value else "0"


def svg(
    events: Sequence[Event], timeline: Timeline, by: str | None = None, known_on: str | None = None
) -> str:
    """The chart as an ``<svg>`` element (no XML declaration, so that HTML can embed it as is)."""
    from timeline.analysis.goldstein import chart, notes

    if not isinstance(events, (list, tuple)):  # a large dataset's selection: decoded once, not per pass
        events = list(events)
    by = choose_by(events, by)
    result = chart(events, timeline, by)
    periods = result.periods
    count = max(len(periods), 1)
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    column = plot_width / count
    plot_top = TOP + BAND + 8
    zero = plot_top + PLOT_HEIGHT / 2
    step = 10 if result.extreme > 20 else 5 if result.extreme > 5 else 1
    top_value = float(math.ceil(result.extreme / step) * step)  # a round number at the top of the scale
    scale = (PLOT_HEIGHT / 2 - 4) / top_value
    footer_top = plot_top + PLOT_HEIGHT + 60
    note_lines = notes(result)
    height = footer_top + 18 * (len(note_lines) + 1) + 8
    title = f"{timeline.title}: cooperation and conflict by {BY_WORDS[by]}"
    total = sum(p.events for p in periods)
    summary = (
        f"Summed Goldstein scores of {total} event{'s' if total != 1 else ''} per {by}, "
        f"above the line cooperation, below it conflict."
    )
    if known_on:
        from timeline.analysis.asof import note

        summary += " " + note(known_on)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-labelledby="chart-title chart-desc" '
        f'font-family="{FONT}" font-size="12" fill="#202124">',
        f'<title id="chart-title">{_h(title)}</title>',
        f'<desc id="chart-desc">{_h(summary)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{PLOT_LEFT}" y="28" font-size="18" font-weight="bold">{_h(timeline.title)}</text>',
        f'<text x="{PLOT_LEFT}" y="48" fill="#5f6368">{_h(summary)}</text>',
    ]
    # era bands: behind the plot, named above it where there is room
    for index, era in enumerate(timeline.eras):
        covered = [i for i, p in enumerate(periods) if era.name in p.eras]
        if not covered:
            continue
        x = PLOT_LEFT + covered[0] * column
        width = (covered[-1] - covered[0] + 1) * column
        fill = ERA_FILLS[index % 2]
        out.append(
            f'<rect x="{x:.1f}" y="{TOP:.0f}" width="{width:.1f}" height="{BAND + 8 + PLOT_HEIGHT}" '
            f'fill="{fill}"><title>{_h(era.name)}</title></rect>'
        )
        room = int(width / 6.5)  # about 6.5 pixels per character at 11px
        if room >= 4:
            name = era.name if len(era.name) <= room else era.name[: room - 1] + "…"
            out.append(
                f'<text x="{x + 4:.1f}" y="{TOP + 15:.0f}" font-size="11" fill="#3c4043">{_h(name)}</text>'
            )
    # scale: the zero line and the extremes
    levels = [(v, zero - v * scale) for v in (top_value, top_value / 2, 0.0, -top_value / 2, -top_value)]
    for value, y in levels:
        out.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{WIDTH - PLOT_RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#5f6368" if value == 0 else "#dadce0"}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{PLOT_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{f'{value:+g}' if value else '0'}</text>"
        )
    out.append(
        f'<text x="14" y="{zero - 8:.1f}" font-size="11" fill="{COOPERATION}" '
        f'transform="rotate(-90 14 {zero - 8:.1f})" text-anchor="start">cooperation ↑</text>'
    )
    out.append(
        f'<text x="14" y="{zero + 8:.1f}" font-size="11" fill="{CONFLICT}" '
        f'transform="rotate(-90 14 {zero + 8:.1f})" text-anchor="end">conflict ↓</text>'
    )
    # bars, with a tooltip each; counts under the plot where there is room
    gap = 1 if column < 8 else 2
    for index, period in enumerate(periods):
        x = PLOT_LEFT + index * column + gap / 2
        width = max(column - gap, 1)
        mean = "" if period.mean is None else f", mean {period.mean:+.1f}"
        tip = (
            f"{period.period}: {period.events} event{'s' if period.events != 1 else ''}, "
            f"Goldstein {_number(period.goldstein)}{mean}"
        )
        if period.goldstein:
            size = abs(period.goldstein) * scale
            y = zero - size if period.goldstein > 0 else zero
            fill = COOPERATION if period.goldstein > 0 else CONFLICT
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{size:.1f}" fill="{fill}">'
                f"<title>{_h(tip)}</title></rect>"
            )
        else:
            out.append(
                f'<rect x="{x:.1f}" y="{zero - 1:.1f}" width="{width:.1f}" height="2" fill="#9aa0a6">'
                f"<title>{_h(tip)}</title></rect>"
            )
        if column >= 14:
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{plot_top + PLOT_HEIGHT + 14:.0f}" font-size="9" '
                f'text-anchor="middle" fill="#5f6368">{period.events}</text>'
            )
        if period.period.endswith(("-Q1", "-01")) or by == "year":
            label = period.period[:4]
            out.append(
                f'<text x="{x:.1f}" y="{plot_top + PLOT_HEIGHT + 30:.0f}" font-size="11">{label}</text>'
            )
    if column >= 14:
        out.append(
            f'<text x="{PLOT_LEFT - 6}" y="{plot_top + PLOT_HEIGHT + 14:.0f}" font-size="9" '
            f'text-anchor="end" fill="#5f6368">events</text>'
        )
    for number, line in enumerate(note_lines):
        out.append(
            f'<text x="{PLOT_LEFT}" y="{footer_top + 18 * number:.0f}" font-size="11" fill="#5f6368">'
            f"{_h(line)}</text>"
        )
    out.append(
        f'<text x="{PLOT_LEFT}" y="{footer_top + 18 * len(note_lines):.0f}" font-size="11" fill="#5f6368">'
        "Each event counts in the period in which it starts. Made with timeline.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return svg(events, timeline, options.by, options.known_on)
