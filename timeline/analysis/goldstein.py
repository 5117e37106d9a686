"""The cooperation–conflict picture: CAMEO codes to Goldstein scores, summed per period.

The scores come from the GDELT table shipped next to this module (see README.md there); a code
missing from it takes its parent's score (4 digits -> 3 -> 2), and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from timeline.models import Event, Timeline

TABLE_FILE = "CAMEO.goldsteinscale.txt"
TABLE_NAME = f"GDELT {TABLE_FILE}"
NOTE = f"Goldstein scores (−10 conflict … +10 cooperation): {TABLE_NAME}"
BYS = ("year", "quarter", "month")


@cache
def table() -> dict[str, float]:
    """The GDELT table: CAMEO event code -> Goldstein score."""
    text = (Path(__file__).with_name(TABLE_FILE)).read_text(encoding="ascii")
    scores: dict[str, float] = {}
    for line in text.splitlines()[1:]:
        if line.strip():
            code, score = line.split("\t")
            scores[code] = float(score)
    return scores


@dataclass(frozen=True)
class Score:
    """The Goldstein score of one CAMEO code, and the code whose score it is (a parent if missing)."""

    code: str
    value: float
    scored_as: str

    @property
    def inherited(self) -> bool:
        return self.scored_as != self.code


def score(code: str) -> Score | None:
    """The score of ``code``: exact, else its 3-digit parent's, else its 2-digit root's; None if none."""
    scores = table()
    for candidate in (code, code[:3], code[:2]):
        if len(candidate) >= 2 and candidate in scores:
            return Score(code, scores[candidate], candidate)
    return None


def period_of(day: dt.date, by: str) -> str:
    """The period label of a day: "2018", "2018-Q2" or "2018-06"."""
    if by == "year":
        return f"{day.year:04d}"
    if by == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def _next(day: dt.date, by: str) -> dt.date | None:
    """The first day of the period after the one ``day`` is in (None after the year 9999)."""
    step = 12 if by == "year" else 3 if by == "quarter" else 1
    first_month = (day.month - 1) // step * step + 1
    month = first_month + step
    year = day.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1) if year <= dt.MAXYEAR else None


def _first(day: dt.date, by: str) -> dt.date:
    if by == "year":
        return dt.date(day.year, 1, 1)
    step = 3 if by == "quarter" else 1
    return dt.date(day.year, (day.month - 1) // step * step + 1, 1)


@dataclass(frozen=True)
class Period:
    """One row of the chart: the events starting in the period and their summed score."""

    period: str
    start: dt.date
    end: dt.date  # last day
    events: int
    scored: int  # events with a CAMEO code
    goldstein: float  # sum of the scores, rounded to 0.1
    eras: tuple[str, ...]  # names of the eras that overlap the period

    @property
    def mean(self) -> float | None:
        """The mean score of the scored events, rounded to 0.1; None when none is scored."""
        return round(self.goldstein / self.scored, 1) if self.scored else None

    def as_json(self) -> dict[str, object]:
        return {
            "period": self.period,
            "events": self.events,
            "goldstein": self.goldstein,
            "mean": self.mean,
            "scored": self.scored,
            "eras": list(self.eras),
        }


@dataclass(frozen=True)
class Chart:
    """The periods from the first event's to the last event's, empty ones included."""

    by: str
    periods: tuple[Period, ...]
    inherited: tuple[Score, ...]  # codes scored with a parent's score
    unscored: int  # events without a CAMEO code
    imprecise: int = 0  # events known only to the year, left out of a chart by quarter or month
    table: str = TABLE_NAME

    @property
    def extreme(self) -> float:
        """The largest absolute sum, for scaling bars (at least 1)."""
        return max([1.0, *(abs(p.goldstein) for p in self.periods)])


def chart(events: Sequence[Event], timeline: Timeline, by: str = "year") -> Chart:
    """Sum the Goldstein scores of ``events`` per period (by the day each event starts)."""
    if by not in BYS:
        raise ValueError(f"by must be one of {BYS}")
    placed = [e for e in events if by == "year" or e.date.precision != "year"]
    imprecise = len(events) - len(placed)
    if not placed:
        return Chart(by, (), (), 0, imprecise)
    buckets: dict[str, list[Event]] = {}
    for event in placed:
        buckets.setdefault(period_of(event.start, by), []).append(event)
    inherited: dict[str, Score] = {}
    unscored = 0
    periods: list[Period] = []
    day = _first(min(e.start for e in placed), by)
    last = max(e.start for e in placed)
    while day is not None and day <= last:
        following = _next(day, by)
        end = following - dt.timedelta(days=1) if following else dt.date.max
        label = period_of(day, by)
        total = 0.0
        scored = 0
        for event in buckets.get(label, ()):
            found = score(event.cameo) if event.cameo else None
            if found is None:
                unscored += 1
                continue
            if found.inherited:
                inherited[found.code] = found
            total += found.value
            scored += 1
        eras = tuple(
            era.name
            for era in timeline.eras
            if era.start.first_day <= end and (era.end is None or era.end.last_day >= day)
        )
        periods.append(Period(label, day, end, len(buckets.get(label, ())), scored, round(total, 1), eras))
        day = following
    return Chart(by, tuple(periods), tuple(inherited[c] for c in sorted(inherited)), unscored, imprecise)


def notes(result: Chart) -> list[str]:
    """What a reader must know to read the numbers: the table, parents' scores, unscored events."""
    out = [NOTE]
    for found in result.inherited:
        out.append(f"CAMEO {found.code} is not in the table: scored as its parent {found.scored_as}")
    if result.unscored:
        if result.unscored == 1:
            out.append("1 event without a CAMEO code counts as an event but scores nothing")
        else:
            out.append(f"{result.unscored} events without a CAMEO code count as events but score nothing")
    if result.imprecise:
        many = result.imprecise != 1
        out.append(
            f"{result.imprecise} event{'s' if many else ''} known only to the year "
            f"{'are' if many else 'is'} left out of a chart by {result.by} (see --by year)"
        )
    return out
