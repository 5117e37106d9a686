"""`timeline diff`: what changed between two versions of a dataset, by id and field by field."""

from __future__ import annotations

import dataclasses
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.errors import UsageError
from timeline.models import Actor, Era, Event, Timeline

EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event) if f.name != "id")
ACTOR_FIELDS = tuple(f.name for f in dataclasses.fields(Actor) if f.name != "id")
ERA_FIELDS = tuple(f.name for f in dataclasses.fields(Era) if f.name != "name")


@dataclass(frozen=True)
class Change:
    """One field of one record: its value before and after, as plain data."""

    field: str
    old: Any
    new: Any


@dataclass
class Section:
    """Added, removed and changed records of one kind (events, actors or eras)."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[dict[str, Any], list[Change]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Diff:
    events: Section
    actors: Section
    eras: Section

    @property
    def empty(self) -> bool:
        return self.events.empty and self.actors.empty and self.eras.empty


def plain(value: Any) -> Any:
    """Model values as JSON-ready data: dates in ISO form, records as mappings."""
    from timeline.models import PartialDate

    if isinstance(value, PartialDate):
        return value.iso()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _label(event: Event) -> dict[str, Any]:
    return {"id": event.id, "date": event.date.iso(), "title": event.title}


def _compare(old: Any, new: Any, names: tuple[str, ...]) -> list[Change]:
    out = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:  # equal models are equal as plain data: nothing to convert
            continue
        before, after = plain(before), plain(after)
        if before != after:
            out.append(Change(name, before, after))
    return out


def compare(old: Timeline, new: Timeline) -> Diff:
    before = {e.id: e for e in old.events}
    after = {e.id: e for e in new.events}
    events = Section(
        added=[_label(e) for e in new.events if e.id not in before],
        removed=[_label(e) for e in old.events if e.id not in after],
    )
    for event in new.events:
        if event.id in before:
            changes = _compare(before[event.id], event, EVENT_FIELDS)
            if changes:
                events.changed.append((_label(event), changes))
    actors = Section(
        added=[{"id": a.id, "name": a.name} for i, a in new.actors.items() if i not in old.actors],
        removed=[{"id": a.id, "name": a.name} for i, a in old.actors.items() if i not in new.actors],
    )
    for actor_id, actor in new.actors.items():
        if actor_id in old.actors:
            changes = _compare(old.actors[actor_id], actor, ACTOR_FIELDS)
            if changes:
                actors.changed.append(({"id": actor_id, "name": actor.name}, changes))
    old_eras = {e.name: e for e in old.eras}
    new_eras = {e.name: e for e in new.eras}
    eras = Section(
        added=[{"name": n} for n in new_eras if n not in old_eras],
        removed=[{"name": n} for n in old_eras if n not in new_eras],
    )
    for name, era in new_eras.items():
        if name in old_eras:
            changes = _compare(old_eras[name], era, ERA_FIELDS)
            if changes:
                eras.changed.append(({"name": name}, changes))
    return Diff(events, actors, eras)


def as_dict(diff: Diff) -> dict[str, Any]:
    def section(part: Section) -> dict[str, Any]:
        return {
            "added": part.added,
            "removed": part.removed,
            "changed": [
                {**record, "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes]}
                for record, changes in part.changed
            ],
        }

    return {"events": section(diff.events), "actors": section(diff.actors), "eras": section(diff.eras)}


def _short(value: Any, limit: int = 90) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(record: dict[str, Any]) -> str:
    if "title" in record:
        return f"{record['date']} {record['title']} ({record['id']})"
    if "id" in record:
        return f"{record['name']} ({record['id']})"
    return str(record["name"])


def text(diff: Diff) -> str:
    """A plain-text report, one line per record and one indented line per changed field."""
    from timeline.escape import one_line

    if diff.empty:
        return "no differences\n"
    lines: list[str] = []
    for title, part in (("events", diff.events), ("actors", diff.actors), ("eras", diff.eras)):
        for record in part.added:
            lines.append(f"+ {title[:-1]} {one_line(_name(record))}")
        for record in part.removed:
            lines.append(f"- {title[:-1]} {one_line(_name(record))}")
        for record, changes in part.changed:
            lines.append(f"~ {title[:-1]} {one_line(_name(record))}")
            for change in changes:
                old, new = one_line(_short(change.old)), one_line(_short(change.new))
                lines.append(f"    {change.field}: {old} -> {new}")
    return "\n".join(lines) + "\n"


def markdown(diff: Diff, old_name: str, new_name: str) -> str:
    """A changelog a newsroom can publish: added, corrected and removed entries."""
    from timeline.escape import markdown as markdown_text

    out = [f"# Changes from {markdown_text(old_name)} to {markdown_text(new_name)}", ""]
    if diff.empty:
        return "\n".join([*out, "No changes.", ""])

    def entry(record: dict[str, Any]) -> str:
        return markdown_text(_name(record))

    for heading, records in (("Added", diff.events.added), ("Removed", diff.events.removed)):
        if records:
            out += [f"## {heading}", "", *[f"- {entry(r)}" for r in records], ""]
    if diff.events.changed:
        out += ["## Corrected and updated", ""]
        for record, changes in diff.events.changed:
            fields = ", ".join(c.field for c in changes)
            out.append(f"- {entry(record)}: {markdown_text(fields)}")
        out.append("")
    for heading, part in (("Actors", diff.actors), ("Eras", diff.eras)):
        if part.empty:
            continue
        out += [f"## {heading}", ""]
        out += [f"- added: {entry(r)}" for r in part.added]
        out += [f"- removed: {entry(r)}" for r in part.removed]
        out += [f"- changed: {entry(r)} ({', '.join(c.field for c in ch)})" for r, ch in part.changed]
        out.append("")
    return "\n".join(out)


def revision_text(path: Path, revision: str) -> str:
    """The text of ``path`` as it was at git ``revision`` (the file's own repository)."""
    folder = path.resolve().parent
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = path.resolve().relative_to(Path(top).resolve())
        shown = subprocess.run(
            ["git", "-C", top, "show", f"{revision}:{relative.as_posix()}"],
            capture_output=True,
            check=True,
        )
    except FileNotFoundError:
        raise UsageError("--rev needs git, which is not installed") from None
    except subprocess.CalledProcessError as exc:
        message = (
            (exc.stderr or b"").decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else exc.stderr
        )
        first = (message or "git failed").strip().splitlines()[0] if message else "git failed"
        raise UsageError(f"--rev {revision}: {first}") from None
    except ValueError:
        raise UsageError(f"--rev: {path} is not inside a git repository") from None
    return shown.stdout.decode("utf-8", "replace")
