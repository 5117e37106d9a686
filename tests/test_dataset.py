"""The shipped dataset holds to the curation standard in data/README.md."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from timeline import cameo
from timeline.loader import load, packaged_dataset
from timeline.models import Timeline
from timeline.validate import ID_RE

README = Path(__file__).resolve().parents[1] / "data" / "README.md"
TAGS = {
    "summit",
    "diplomacy",
    "talks",
    "letter",
    "rhetoric",
    "statement",
    "agreement",
    "sanctions",
    "un",
    "missile-test",
    "nuclear-test",
    "satellite-launch",
    "military",
    "military-exercise",
    "troops",
    "parade",
    "detainees",
    "remains",
    "inter-korean",
    "russia",
    "china",
    "japan",
    "policy",
    "election",
    "human-rights",
}
INTERNATIONAL_BODIES = {"un-security-council"}  # no ISO country code exists for them


@pytest.fixture(scope="module")
def shipped() -> Timeline:
    return load([packaged_dataset()])


def test_it_validates_and_is_large_enough(shipped: Timeline) -> None:
    assert len(shipped.events) >= 120


def test_ids_are_unique_kebab_case(shipped: Timeline) -> None:
    ids = [e.id for e in shipped.events]
    assert len(ids) == len(set(ids))
    assert all(ID_RE.fullmatch(i) for i in ids)


def test_events_are_in_date_order(shipped: Timeline) -> None:
    starts = [(e.start, e.finish) for e in shipped.events]
    assert starts == sorted(starts)


def test_every_event_is_complete_and_cited(shipped: Timeline) -> None:
    for event in shipped.events:
        assert event.summary and event.actors and event.tags and event.cameo, event.id
        assert event.sources, event.id
        for source in event.sources:
            assert re.match(r"https?://[^\s/]+", source.url), (event.id, source.url)
            assert source.kind in ("primary", "secondary"), (event.id, source.url)


def test_every_event_has_a_source_dated_to_the_day(shipped: Timeline) -> None:
    undated = [
        e.id for e in shipped.events if not any(s.date and s.date.precision == "day" for s in e.sources)
    ]
    assert undated == []


def test_at_least_half_have_two_sources(shipped: Timeline) -> None:
    multi = sum(len({s.publisher for s in e.sources}) >= 2 for e in shipped.events)
    assert multi * 2 >= len(shipped.events)


def test_actors_defined_and_used(shipped: Timeline) -> None:
    used = {a for e in shipped.events for a in e.actors} | {
        q.by for e in shipped.events for q in e.quotes if q.by
    }
    assert used == set(shipped.actors)


def test_recurring_actors_are_fully_described(shipped: Timeline) -> None:
    appearances = Counter(a for e in shipped.events for a in e.actors)
    for actor_id, count in appearances.items():
        actor = shipped.actors[actor_id]
        if count > 1:
            assert actor.name and actor.aliases and actor.role, actor_id
            assert actor.country or actor_id in INTERNATIONAL_BODIES, actor_id


def test_tags_come_from_the_vocabulary(shipped: Timeline) -> None:
    used = {t for e in shipped.events for t in e.tags}
    assert used <= TAGS, used - TAGS


def test_vocabulary_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.M))
    assert documented == TAGS


def test_cameo_codes_are_well_formed(shipped: Timeline) -> None:
    for event in shipped.events:
        assert event.cameo and re.fullmatch(r"\d{3,4}", event.cameo), event.id
        assert cameo.describe(event.cameo), event.id


def test_eras_are_ordered_and_do_not_overlap(shipped: Timeline) -> None:
    eras = shipped.eras
    assert len(eras) >= 4
    for before, after in itertools.pairwise(eras):
        assert before.end is not None and before.end.last_day < after.start.first_day


def test_quotes_are_attributed(shipped: Timeline) -> None:
    for event in shipped.events:
        for quote in event.quotes:
            assert quote.by, event.id
