"""Statistics over a selection of events: counts by year, era, tag, actor, publisher and CAMEO root,
the busiest and quietest periods, and the longest gap between consecutive events."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.models import Event, Timeline


@dataclass(frozen=True)
class Gap:
    """The days between one event's last day and the next event's first day."""

    days: int
    after: str  # event id
    before: str  # event id
    start: dt.date  # last day of ``after``
    end: dt.date  # first day of ``before``


@dataclass(frozen=True)
class Stats:
    """Every count as (label, number) pairs, largest first (years and eras in date order)."""

    events: int
    first: dt.date | None
    last: dt.date | None
    by_year: tuple[tuple[str, int], ...]
    by_era: tuple[tuple[str, int], ...]
    by_tag: tuple[tuple[str, int], ...]
    by_actor: tuple[tuple[str, int], ...]  # actor names
    by_publisher: tuple[tuple[str, int], ...]  # sources cited, per publisher
    by_cameo: tuple[tuple[str, int], ...]  # "04 CONSULT"
    busiest_years: tuple[str, ...]
    quietest_years: tuple[str, ...]  # years in the span with the fewest events (may be 0)
    busiest_months: tuple[str, ...]  # "2018-06"
    busiest_year_events: int
    quietest_year_events: int
    busiest_month_events: int
    longest_gap: Gap | None

    def as_json(self) -> dict[str, object]:
        gap = self.longest_gap
        return {
            "events": self.events,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "by_year": dict(self.by_year),
            "by_era": dict(self.by_era),
            "by_tag": dict(self.by_tag),
            "by_actor": dict(self.by_actor),
            "by_publisher": dict(self.by_publisher),
            "by_cameo_root": dict(self.by_cameo),
            "busiest_years": {"periods": list(self.busiest_years), "events": self.busiest_year_events},
            "quietest_years": {"periods": list(self.quietest_years), "events": self.quietest_year_events},
            "busiest_months": {"periods": list(self.busiest_months), "events": self.busiest_month_events},
            "longest_gap": None
            if gap is None
            else {
                "days": gap.days,
                "after": gap.after,
                "before": gap.before,
                "from": gap.start.isoformat(),
                "to": gap.end.isoformat(),
            },
        }


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _extremes(counts: dict[str, int], pick: str) -> tuple[tuple[str, ...], int]:
    if not counts:
        return (), 0
    target = max(counts.values()) if pick == "max" else min(counts.values())
    return tuple(k for k, n in counts.items() if n == target), target


def longest_gap(events: Sequence[Event]) -> Gap | None:
    """The longest stretch with no event, between consecutive events in date order.

    The gap runs from an event's last day to the next event's first day; events that overlap
    leave no gap. The earliest of equal gaps wins.
    """
    ordered = sorted(events, key=lambda e: (e.start, e.finish))
    best: Gap | None = None
    reach: Event | None = None  # the event seen so far that ends last
    for event in ordered:
        if reach is not None:
            days = (event.start - reach.finish).days
            if days > 0 and (best is None or days > best.days):
                best = Gap(days, reach.id, event.id, reach.finish, event.start)
        if reach is None or event.finish > reach.finish:
            reach = event
    return best


def stats(events: Sequence[Event], timeline: Timeline) -> Stats:
    """Count the events (each in the year, month and era in which it starts)."""
    from timeline.cameo import CODES

    years: Counter[str] = Counter()
    months: Counter[str] = Counter()
    eras: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    publishers: Counter[str] = Counter()
    roots: Counter[str] = Counter()
    for event in events:
        years[str(event.start.year)] += 1
        if event.date.precision != "year":
            months[f"{event.start.year:04d}-{event.start.month:02d}"] += 1
        era = timeline.era_of(event)
        if era is not None:
            eras[era.name] += 1
        tags.update(event.tags)
        actors.update(timeline.actor_name(a) for a in event.actors)
        publishers.update(source.publisher for source in event.sources)
        if event.cameo:
            root = event.cameo[:2]
            roots[f"{root} {CODES.get(root, '')}".strip()] += 1
    first = min((e.start for e in events), default=None)
    last = max((e.start for e in events), default=None)
    span: dict[str, int] = {}
    if first and last:
        span = {str(y): years.get(str(y), 0) for y in range(first.year, last.year + 1)}
    busiest, most = _extremes(span, "max")
    quietest, fewest = _extremes(span, "min")
    busy_months, most_in_month = _extremes(dict(months), "max")
    era_order = [era.name for era in timeline.eras]
    return Stats(
        events=len(events),
        first=first,
        last=last,
        by_year=tuple(span.items()),
        by_era=tuple((name, eras[name]) for name in era_order if eras[name]),
        by_tag=_ranked(tags),
        by_actor=_ranked(actors),
        by_publisher=_ranked(publishers),
        by_cameo=tuple(sorted(roots.items())),
        busiest_years=busiest,
        quietest_years=quietest,
        busiest_months=tuple(sorted(busy_months)),
        busiest_year_events=most,
        quietest_year_events=fewest,
        busiest_month_events=most_in_month,
        longest_gap=longest_gap(events),
    )
