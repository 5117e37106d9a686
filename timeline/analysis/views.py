"""Terminal layouts for stats, chart and actor dossiers, as the styled lines of ``render``.

The numbers come from the pure modules next to this one; this module only lays them out, with
the same named styles and escaping as the timeline view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from timeline.analysis.dossier import Dossier, sparkline
from timeline.analysis.goldstein import Chart, notes
from timeline.analysis.stats import Stats
from timeline.escape import one_line
from timeline.models import PartialDate, Timeline
from timeline.render import Line, Run, citation, compact_date_width, compact_lines, rule, wrap

BAR = "█"
BAR_WIDTH = 30
TOP = 15  # rows shown per long count in text; --format json has them all


def _day(value: dt.date) -> str:
    return PartialDate(value.year, value.month, value.day).display()


def _heading(timeline: Timeline, words: str, understood: Sequence[str], width: int) -> list[Line]:
    runs: list[Run] = [(one_line(timeline.title), "timeline.heading"), (f" — {words}", "timeline.count")]
    runs += [(" · " + one_line(part), "timeline.criteria") for part in understood]
    return wrap(runs, width)


def _plural(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def _bars(title: str, rows: Sequence[tuple[str, int]], width: int, limit: int | None = TOP) -> list[Line]:
    lines: list[Line] = [("", []), (title, [(0, len(title), "timeline.section")])]
    if not rows:
        return [*lines, ("  none", [(0, 6, "timeline.empty")])]
    shown = list(rows if limit is None else rows[:limit])
    label_width = min(max(len(one_line(label)) for label, _ in shown), max(width // 3, 8))
    top = max(n for _, n in rows) or 1
    digits = len(str(top))
    room = max(min(BAR_WIDTH, width - label_width - digits - 6), 1)
    for label, number in shown:
        name = one_line(label)
        if len(name) > label_width:
            name = name[: label_width - 1] + "…"
        bar = BAR * round(number / top * room) if number else ""
        text = f"  {name.ljust(label_width)}  {str(number).rjust(digits)} {bar}"
        start = len(text) - len(bar)
        lines.append((text.rstrip(), [(start, len(text), "timeline.bar")] if bar else []))
    if limit is not None and len(rows) > limit:
        more = f"  … and {len(rows) - limit} more (--format json lists all)"
        lines.append((more, [(0, len(more), "timeline.empty")]))
    return lines


def stats_lines(result: Stats, timeline: Timeline, width: int, understood: Sequence[str] = ()) -> list[Line]:
    """The counts as bar lists, after a summary of the busiest and quietest periods and the longest gap."""
    span = f"{_day(result.first)} – {_day(result.last)}" if result.first and result.last else "no dates"
    lines = _heading(timeline, f"{_plural(result.events, 'event')}, {span}", understood, width)
    if not result.events:
        return lines
    busiest, quietest = result.busiest_year_events, result.quietest_year_events
    month = result.busiest_month_events
    summary = [
        f"Busiest year: {', '.join(result.busiest_years)} ({_plural(busiest, 'event')})",
        f"quietest year: {', '.join(result.quietest_years)} ({_plural(quietest, 'event')})",
    ]
    if result.busiest_months:
        summary.append(f"busiest month: {', '.join(result.busiest_months)} ({_plural(month, 'event')})")
    lines.append(("", []))
    lines += wrap([(" · ".join(summary), None)], width)
    gap = result.longest_gap
    if gap is not None:
        text = (
            f"Longest gap: {_plural(gap.days, 'day')}, from {_day(gap.start)} ({gap.after}) "
            f"to {_day(gap.end)} ({gap.before})"
        )
        lines += wrap([(text, None)], width, hang=2)
    lines += _bars("By year", result.by_year, width, None)
    lines += _bars("By era", result.by_era, width, None)
    lines += _bars("By tag", result.by_tag, width)
    lines += _bars("By actor", result.by_actor, width)
    lines += _bars("By publisher (sources cited)", result.by_publisher, width)
    lines += _bars("By CAMEO root category", result.by_cameo, width, None)
    return lines


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−") if value else "0"


def chart_lines(result: Chart, timeline: Timeline, width: int, understood: Sequence[str] = ()) -> list[Line]:
    """One row per period: a bar left (conflict) or right (cooperation) of the axis, the sum, the
    number of events and the mean; era bands where an era begins; notes on the table used."""
    total = sum(p.events for p in result.periods)
    lines = _heading(
        timeline, f"{_plural(total, 'event')}, cooperation and conflict by {result.by}", understood, width
    )
    if not result.periods:
        return lines
    label = max(len(p.period) for p in result.periods)
    tail = 6 + 2 + 10 + 2 + 10  # sum, events, mean
    half = max((width - label - 2 - 1 - tail) // 2, 4)
    scale = half / result.extreme
    legend = f"{'conflict ←'.rjust(label + 2 + half)}│→ cooperation"
    lines += [("", []), (legend, [(0, len(legend), "timeline.empty")])]
    shown_eras: set[str] = set()
    for period in result.periods:
        for era in period.eras:
            if era not in shown_eras:
                shown_eras.add(era)
                lines.append(rule(one_line(era), "timeline.era", width, "═", left=True))
        size = round(abs(period.goldstein) * scale)
        if period.goldstein and size == 0:
            size = 1  # a small sum still shows which way it leans
        left = BAR * size if period.goldstein < 0 else ""
        right = BAR * size if period.goldstein > 0 else ""
        head = period.period.ljust(label) + "  " + left.rjust(half)
        spans: list[tuple[int, int, str]] = []
        if left:
            spans.append((len(head) - len(left), len(head), "timeline.conflict"))
        text = head + "│"
        if right:
            spans.append((len(text), len(text) + len(right), "timeline.cooperation"))
        text += right.ljust(half)
        if period.events:
            mean = f"mean {_signed(period.mean)}" if period.mean is not None else "no codes"
            count = _plural(period.events, "event").ljust(10)
            text += f"{_signed(period.goldstein).rjust(6)}  {count}  {mean}"
        else:
            spans.append((len(text), len(text) + 17, "timeline.empty"))
            text += f"{'0'.rjust(6)}  no events"
        lines.append((text.rstrip(), spans))
    lines.append(("", []))
    for note in notes(result):
        lines += wrap([(note, "timeline.empty")], width)
    return lines


def actor_lines(
    dossier: Dossier, timeline: Timeline, width: int, understood: Sequence[str] = ()
) -> list[Line]:
    """Who the actor is, when they appear, with whom, their quotes with citations, and their events."""
    actor = dossier.actor
    lines = _heading(timeline, f"{one_line(actor.name)} ({actor.id})", understood, width)
    facts: list[tuple[str, str]] = [
        ("Aliases", ", ".join(one_line(a) for a in actor.aliases) or "none"),
        ("Role", one_line(actor.role) if actor.role else "not given"),
        ("Country", one_line(actor.country) if actor.country else "not given"),
    ]
    first, last = dossier.first, dossier.last
    if first is not None and last is not None:
        facts.append(("First seen", f"{first.when()}  {one_line(first.title)}"))
        facts.append(("Last seen", f"{last.when()}  {one_line(last.title)}"))
        counts = [n for _, n in dossier.per_year]
        years = f"{dossier.per_year[0][0]}–{dossier.per_year[-1][0]}"
        facts.append(("Per year", f"{years} {sparkline(counts)}  {' '.join(str(n) for n in counts)}"))
    else:
        facts.append(("Events", "none"))
    if dossier.companions:
        facts.append(
            (
                "Appears with",
                ", ".join(f"{one_line(timeline.actor_name(a))} ({n})" for a, n in dossier.companions[:8]),
            )
        )
    lines.append(("", []))
    for key, value in facts:
        lines += wrap([(f"{key}:".ljust(14), "timeline.section"), (value, None)], width, hang=14)
    if dossier.quotes:
        lines += [("", []), ("Quotes", [(0, 6, "timeline.section")])]
        for event, quote in dossier.quotes:
            lines.append(("", []))
            lines += wrap([("“" + one_line(quote.text) + "”", "timeline.quote")], width, 2, hang=1)
            said: list[Run] = [(event.when(), "timeline.date"), (" · " + one_line(event.title), None)]
            lines += wrap(said, width, 4, hang=2)
            for number, source in enumerate(event.sources, 1):
                lines += wrap(citation(number, source), width, 4, hang=len(f"[{number}] "))
    if dossier.events:
        title = f"Events ({len(dossier.events)})"
        lines += [("", []), (title, [(0, len(title), "timeline.section")])]
        date_width = compact_date_width(dossier.events, width)
        for event in dossier.events:
            lines += compact_lines(event, timeline, width, None, date_width)
    return lines
