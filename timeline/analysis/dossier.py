"""An actor's dossier: who they are, when they appear, with whom, what they said, and their events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.models import Actor, Event, Quote, Timeline

BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Dossier:
    """What the record says about one actor."""

    actor: Actor
    events: tuple[Event, ...]  # in date order
    per_year: tuple[tuple[int, int], ...]  # (year, events) from the first to the last appearance
    companions: tuple[tuple[str, int], ...]  # (actor id, shared events), most first
    quotes: tuple[tuple[Event, Quote], ...]  # their quotes, with the event whose sources cite them

    @property
    def first(self) -> Event | None:
        return self.events[0] if self.events else None

    @property
    def last(self) -> Event | None:
        return self.events[-1] if self.events else None


def sparkline(values: Sequence[int]) -> str:
    """One block per value, scaled to the largest; zero is a blank-looking lowest block."""
    top = max(values, default=0)
    if top == 0:
        return BLOCKS[0] * len(values)
    steps = len(BLOCKS) - 1
    return "".join(BLOCKS[0] if v == 0 else BLOCKS[max(1, round(v / top * steps))] for v in values)


def dossier(timeline: Timeline, actor_id: str, events: Sequence[Event] | None = None) -> Dossier:
    """The dossier of ``actor_id`` over ``events`` (default: the whole timeline)."""
    pool = timeline.events if events is None else events
    mine = sorted((e for e in pool if actor_id in e.actors), key=lambda e: (e.start, e.finish))
    years = Counter(e.start.year for e in mine)
    per_year = tuple((y, years.get(y, 0)) for y in range(min(years), max(years) + 1)) if years else ()
    companions: Counter[str] = Counter()
    for event in mine:
        companions.update(a for a in dict.fromkeys(event.actors) if a != actor_id)
    # their words, also where they are quoted in an event they are not listed in
    ordered = sorted(pool, key=lambda e: (e.start, e.finish))
    quotes = tuple((e, q) for e in ordered for q in e.quotes if q.by == actor_id)
    ranked = tuple(sorted(companions.items(), key=lambda item: (-item[1], item[0])))
    return Dossier(timeline.actors[actor_id], tuple(mine), per_year, ranked, quotes)
