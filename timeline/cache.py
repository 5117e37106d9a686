"""A cache of validated datasets, so that start-up does not re-parse and re-check unchanged YAML.

Keyed by this version of timeline and each file's resolved path, size, modification time and
inode: any edit makes a miss, which re-reads and re-validates the file. The cache is optional:
an unreadable, corrupt or unwritable cache is ignored. ``TIMELINE_CACHE=off`` disables it;
``TIMELINE_CACHE_DIR`` moves it (default: $XDG_CACHE_HOME/timeline or ~/.cache/timeline).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from timeline import __version__
from timeline.models import Actor, Era, Event, PartialDate, Quote, Source, Timeline

FORMAT = 1


def directory() -> Path | None:
    if os.environ.get("TIMELINE_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    explicit = os.environ.get("TIMELINE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def identity(paths: list[Path]) -> list[Any] | None:
    """What must be unchanged for a cached copy to be valid; None if a file cannot be stat'ed."""
    try:
        stats = [(str(p.resolve()), p.stat()) for p in paths]
    except (OSError, RuntimeError):
        return None
    return [__version__, FORMAT] + [[name, s.st_size, s.st_mtime_ns, s.st_ino] for name, s in stats]


def _file(key: list[Any]) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", "+".join(str(entry[0]) for entry in key[2:])).strip("_")
    return folder / f"{name[-120:]}.json"


def read(key: list[Any]) -> Timeline | None:
    path = _file(key)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            stored = json.load(handle)
        if stored.get("key") != key:
            return None
        return _decode(stored["timeline"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def write(key: list[Any], timeline: Timeline) -> None:
    path = _file(key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"key": key, "timeline": _encode(timeline)}, out, ensure_ascii=False)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def _date(value: PartialDate | None) -> list[Any] | None:
    if value is None:
        return None
    return [value.year, value.month, value.day, value.approximate, value.uncertain]


def _undate(value: list[Any] | None) -> PartialDate | None:
    return None if value is None else PartialDate(*value)


def _encode(timeline: Timeline) -> dict[str, Any]:
    return {
        "title": timeline.title,
        "description": timeline.description,
        "paths": list(timeline.paths),
        "actors": [[a.id, a.name, list(a.aliases), a.role, a.country] for a in timeline.actors.values()],
        "eras": [[e.name, _date(e.start), _date(e.end)] for e in timeline.eras],
        "events": [
            [
                e.id,
                _date(e.date),
                e.title,
                [[s.title, s.publisher, s.url, _date(s.date), s.kind] for s in e.sources],
                _date(e.end),
                e.summary,
                list(e.actors),
                list(e.tags),
                e.place,
                e.cameo,
                [[q.text, q.by] for q in e.quotes],
                list(e.related),
            ]
            for e in timeline.events
        ],
    }


def _decode(data: dict[str, Any]) -> Timeline:
    actors = {row[0]: Actor(row[0], row[1], tuple(row[2]), row[3], row[4]) for row in data["actors"]}
    events = tuple(
        Event(
            id=row[0],
            date=_undate(row[1]),
            title=row[2],  # type: ignore[arg-type]
            sources=tuple(Source(s[0], s[1], s[2], _undate(s[3]), s[4]) for s in row[3]),
            end=_undate(row[4]),
            summary=row[5],
            actors=tuple(row[6]),
            tags=tuple(row[7]),
            place=row[8],
            cameo=row[9],
            quotes=tuple(Quote(q[0], q[1]) for q in row[10]),
            related=tuple(row[11]),
        )
        for row in data["events"]
    )
    eras = tuple(Era(row[0], _undate(row[1]), _undate(row[2])) for row in data["eras"])  # type: ignore[arg-type]
    return Timeline(
        title=data["title"],
        actors=actors,
        events=events,
        eras=eras,
        description=data["description"],
        paths=tuple(data["paths"]),
    )
