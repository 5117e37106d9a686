"""Citation health for `timeline sources`: the curator's to-do list, computed from the events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.models import Event


@dataclass(frozen=True)
class Health:
    """Counts and the events behind each finding (ids, in date order)."""

    events: int
    sources: int
    publishers: list[tuple[str, int]]  # (publisher, citations), most cited first
    single_source: list[str] = field(default_factory=list)
    single_publisher: list[str] = field(default_factory=list)  # 2+ sources, all one publisher
    no_primary: list[str] = field(default_factory=list)
    before_event: list[tuple[str, str]] = field(default_factory=list)  # (event id, source url)
    undated: list[tuple[str, str]] = field(default_factory=list)  # (event id, source url)

    def share(self, count: int, of: int | None = None) -> float:
        whole = self.events if of is None else of
        return round(100 * count / whole, 1) if whole else 0.0

    def as_dict(self) -> dict[str, object]:
        def block(ids: list[str]) -> dict[str, object]:
            return {"count": len(ids), "percent": self.share(len(ids)), "events": ids}

        def per_source(rows: list[tuple[str, str]]) -> dict[str, object]:
            return {
                "count": len(rows),
                "percent_of_sources": self.share(len(rows), self.sources),
                "items": [{"event": e, "url": u} for e, u in rows],
            }

        return {
            "events": self.events,
            "sources": self.sources,
            "publishers": [{"publisher": p, "citations": n} for p, n in self.publishers],
            "single_source": block(self.single_source),
            "single_publisher": block(self.single_publisher),
            "no_primary_source": block(self.no_primary),
            "sources_before_event": per_source(self.before_event),
            "undated_sources": per_source(self.undated),
        }


def health(events: Sequence[Event]) -> Health:
    publishers: Counter[str] = Counter()
    report = Health(events=len(events), sources=sum(len(e.sources) for e in events), publishers=[])
    for event in events:
        publishers.update(s.publisher for s in event.sources)
        if len(event.sources) == 1:
            report.single_source.append(event.id)
        elif len({s.publisher for s in event.sources}) == 1:
            report.single_publisher.append(event.id)
        if not any(s.kind == "primary" for s in event.sources):
            report.no_primary.append(event.id)
        for source in event.sources:
            if source.date is None:
                report.undated.append((event.id, source.url))
            elif source.date.last_day < event.start:
                report.before_event.append((event.id, source.url))
    report.publishers.extend(sorted(publishers.items(), key=lambda item: (-item[1], item[0])))
    return report
