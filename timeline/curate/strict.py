"""`validate --strict`: the curation policy of data/README.md as checks, located as file:line:column.

Run on the raw documents (which know where each value stood) after ordinary validation passed:
- tags come from the vocabulary the dataset declares (a top-level `tags:` mapping); an unknown
  tag, or a case variant of a declared one, is an error;
- publishers are spelled as the dataset declares them (a top-level `publishers:` mapping of
  canonical name -> other spellings); a declared other spelling, or a name that differs from a
  canonical one only in case, spacing or punctuation, is an error naming the canonical one;
- an http:// address on a host that the dataset itself cites over https:// (so the page has a
  secure address) is an error;
- a quote's speaker is among the event's actors.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from timeline.errors import Problem


def _squash(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def check(docs: list[tuple[str, Any]]) -> list[Problem]:
    """Every policy problem of the raw documents (name, value), in file order."""
    declared_tags: dict[str, str] = {}
    canonical: dict[str, str] = {}  # a spelling (declared alias) -> the canonical name
    names: set[str] = set()
    secure_hosts: set[str] = set()
    problems: list[Problem] = []
    for _, top in docs:
        if not isinstance(top, dict):
            continue
        tags = top.get("tags")
        if isinstance(tags, dict):
            declared_tags.update({str(k): str(v) for k, v in tags.items()})
        publishers = top.get("publishers")
        if isinstance(publishers, dict):
            for publisher, aliases in publishers.items():
                names.add(str(publisher))
                for alias in aliases or ():
                    canonical[str(alias)] = str(publisher)
        for event in _events(top):
            for source in _list(event.get("sources")):
                url = source.get("url") if isinstance(source, dict) else None
                if isinstance(url, str) and url.startswith("https://"):
                    secure_hosts.add((urlsplit(url).hostname or "").removeprefix("www."))
    squashed = {_squash(n): n for n in names}
    by_fold = {t.casefold(): t for t in declared_tags}
    for name, top in docs:
        if not isinstance(top, dict):
            continue

        def err(message: str, container: Any, key: Any = None, *, name: str = name) -> None:
            marks = getattr(container, "marks", {})
            line, column = marks.get(key, getattr(container, "mark", (None, None)))
            problems.append(Problem(name, message, line, column))

        if not declared_tags:
            err("declares no tag vocabulary: add a top-level 'tags:' mapping (tag: what it is for)", top)
        if not names:
            err(
                "declares no publishers: add a top-level 'publishers:' mapping (name: [other spellings])", top
            )
        for event in _events(top):
            what = f"event {event.get('id')!r}"
            tags = _list(event.get("tags"))
            for index, tag in enumerate(tags):
                if not isinstance(tag, str) or not declared_tags or tag in declared_tags:
                    continue
                if tag.casefold() in by_fold:
                    err(
                        f"{what}: tag {tag!r} is spelled {by_fold[tag.casefold()]!r} in the vocabulary",
                        tags,
                        index,
                    )
                else:
                    err(f"{what}: tag {tag!r} is not in the declared vocabulary ('tags:')", tags, index)
            actors = [a for a in _list(event.get("actors")) if isinstance(a, str)]
            for index, quote in enumerate(_list(event.get("quotes"))):
                by = quote.get("by") if isinstance(quote, dict) else None
                if isinstance(by, str) and by not in actors:
                    err(
                        f"{what}, quote #{index + 1}: speaker {by!r} is not among the event's actors",
                        quote,
                        "by",
                    )
            for index, source in enumerate(_list(event.get("sources"))):
                if not isinstance(source, dict):
                    continue
                label = f"{what}, source #{index + 1}"
                publisher = source.get("publisher")
                if isinstance(publisher, str) and names and publisher not in names:
                    proper = canonical.get(publisher) or squashed.get(_squash(publisher))
                    if proper:
                        err(f"{label}: publisher {publisher!r} is spelled {proper!r}", source, "publisher")
                    else:
                        err(
                            f"{label}: publisher {publisher!r} is not declared in 'publishers:'",
                            source,
                            "publisher",
                        )
                url = source.get("url")
                if isinstance(url, str) and url.startswith("http://"):
                    host = (urlsplit(url).hostname or "").removeprefix("www.")
                    if host in secure_hosts:
                        err(f"{label}: use https:// ({host} is cited over https elsewhere)", source, "url")
    return problems


def _events(top: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in _list(top.get("events")) if isinstance(e, dict)]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
