"""CSL-JSON: the bibliography of every source cited by the exported events (Zotero, pandoc, citeproc).

One item per address, in order of first citation. An item's ``id`` depends only on its address
(the host and a short hash of the whole URL, e.g. ``nknews-org-3f2a1c9b``), so it stays the same
whatever is filtered, reordered or added. ``note`` lists the ids of the events that cite it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from timeline import escape
from timeline.exporters import ExportOptions
from timeline.exporters.json import indented
from timeline.models import Event, Source, Timeline

# the host of the plain form most addresses take, as ``urlsplit(url).hostname`` reads it (lowered)
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)(?::[0-9]*)?(?:[/?#]|$)")


def item_id(url: str) -> str:
    """The stable citation key of an address."""
    plain = _PLAIN_HOST.match(url)
    host = (plain.group(1).lower() if plain else urlsplit(url).hostname or "source").removeprefix("www.")
    slug = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "source"
    return f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def item(source: Source, key: str, cited_by: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": key,
        "type": "webpage" if source.kind == "primary" else "article-newspaper",
        "title": escape.one_line(source.title),
        "container-title": escape.one_line(source.publisher),
        "URL": source.url,
    }
    if source.date:
        parts = [source.date.year]
        if source.date.month is not None:
            parts.append(source.date.month)
            if source.date.day is not None:
                parts.append(source.date.day)
        issued: dict[str, Any] = {"date-parts": [parts]}
        if source.date.qualifier:
            issued["circa"] = True
        out["issued"] = issued
    out["note"] = "Cited for: " + ", ".join(cited_by)
    return out


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The bibliography as it is written, once every citation is known (an item names all the
    events that cite it): the text of ``json.dumps(items, ensure_ascii=False, indent=2) + "\\n"``."""
    # linear in the number of citations: dicts as ordered sets, a set of the keys given out
    first: dict[str, Source] = {}
    cited_by: dict[str, dict[str, None]] = {}
    for event in events:
        for source in event.sources:
            first.setdefault(source.url, source)
            cited_by.setdefault(source.url, {})[event.id] = None
    if not first:
        yield "[]\n"
        return
    taken: set[str] = set()
    separator = "[\n  "
    block: list[str] = []
    for url, source in first.items():
        key = item_id(url)
        if key in taken:  # two addresses sharing a short hash: the later one gets a longer key
            key += hashlib.sha256(url.encode("utf-8")).hexdigest()[8:16]
        taken.add(key)
        block.append(indented(item(source, key, list(cited_by[url])), "  "))
        if len(block) == 1000:
            yield separator + ",\n  ".join(block)
            separator, block = ",\n  ", []
    if block:
        yield separator + ",\n  ".join(block)
    yield "\n]\n"
