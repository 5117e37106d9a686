import os
from pathlib import Path

import pytest

from tests.conftest import MINI
from timeline import cache
from timeline.errors import DataError
from timeline.loader import load


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "events.yaml"
    copy.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def cached_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_hit_gives_the_same_timeline(data: Path, tmp_path: Path) -> None:
    fresh = load([data], use_cache=False)
    first = load([data])
    assert len(cached_files(tmp_path)) == 1
    assert load([data]) == first == fresh


def test_an_edit_is_reread_and_rechecked(data: Path) -> None:
    load([data])
    data.write_text(
        data.read_text(encoding="utf-8").replace("Fire and fury", "Fire and fury!"), encoding="utf-8"
    )
    assert load([data]).events[0].title == "Fire and fury!"
    data.write_text("events: 3\n", encoding="utf-8")
    with pytest.raises(DataError, match="'events' must be a list"):
        load([data])


def test_a_corrupt_cache_is_ignored(data: Path, tmp_path: Path) -> None:
    load([data])
    (entry,) = cached_files(tmp_path)
    entry.write_text("{not json", encoding="utf-8")
    assert load([data]).title == "Fixture timeline"


def test_a_forged_key_does_not_match(data: Path, tmp_path: Path) -> None:
    load([data])
    (entry,) = cached_files(tmp_path)
    entry.write_text(
        entry.read_text(encoding="utf-8").replace('"key": ["', '"key": ["0', 1), encoding="utf-8"
    )
    assert load([data]).title == "Fixture timeline"


def test_cache_off_writes_nothing(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_CACHE", "off")
    load([data])
    assert cached_files(tmp_path) == []


def test_an_unwritable_cache_only_costs_speed(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(blocker / "cache"))
    assert load([data]).title == "Fixture timeline"


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.directory() == Path("/x/cache/timeline")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.directory() == Path(os.path.expanduser("~")) / ".cache" / "timeline"
