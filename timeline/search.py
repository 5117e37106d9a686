"""Word search: one normalisation of text, queries of words and "quoted phrases", matching, relevance.

Pure and cheap per event: a query is compiled once (``compile_query``) and tested against each
event's normalised text (``document``), which a caller may precompute and keep (a browser
testing every keystroke, a cache). The same terms translate to an SQLite FTS5 expression
(``Query.fts5``): over the ``document`` texts under the ``ascii`` tokenizer (``timeline.index``),
it finds exactly what ``Query.matches`` finds.

Normalisation: compatibility forms (NFKD), accents dropped, case folded, everything that is not
a letter or a digit turned into one space; Hangul, Cyrillic and other scripts are kept. A word
of the query matches a word of the text that starts with it ("summit" finds "summits"); a quoted
phrase matches its words in sequence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from timeline.models import Event, Timeline

# combining marks left by NFKD: Latin, Greek and Cyrillic accents and their extensions
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NOT_WORD = re.compile(r"[\W_]+")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
# ASCII text, folded the same way as _NOT_WORD does but by a table (a third of the time on large datasets)
_ASCII_NOT_WORD = str.maketrans({chr(i): " " for i in range(128) if not chr(i).isalnum()})


def normalise(text: str) -> str:
    """Words of ``text`` folded for comparison, separated by single spaces: "Hwasong-15" -> "hwasong 15"."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_NOT_WORD).split())
    text = unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", text)))
    return _NOT_WORD.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character as ``normalise`` sees it: its folded letters, nothing (an accent), or a space."""
    folded = normalise(ch)
    if folded:
        return folded
    return "" if _MARKS.fullmatch(ch) else " "


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded character its index in ``text``.

    Text that NFC would change (Hangul written as separate jamo) folds differently from
    ``normalise``; datasets are NFC in practice.
    """
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded == " " and (not out or out[-1] == " "):
            continue
        for piece in folded:
            out.append(piece)
            where.append(index)
    return "".join(out), where


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query, normalised: "hwasong" or "fire and fury"."""

    text: str
    phrase: bool = False

    @property
    def needle(self) -> str:
        """What must occur in a padded document (``" " + text``): the start of a word."""
        return " " + self.text


def terms(query: str) -> list[Term]:
    """The words and quoted phrases of a query; empty ones (punctuation only) are dropped."""
    found: list[Term] = []
    rest: list[str] = []
    position = 0
    for match in _QUOTED.finditer(query):
        rest.append(query[position : match.start()])
        position = match.end()
        phrase = normalise(match.group(1))
        if phrase:
            found.append(Term(phrase, phrase=" " in phrase))
    rest.append(query[position:])
    for word in normalise(" ".join(rest)).split():
        found.append(Term(word))
    return found


@dataclass(frozen=True)
class Document:
    """An event's searchable text, normalised once: its title, and everything (title included)."""

    title: str  # " " + normalised title and id + " ": the headline fields, ranked first
    text: str  # " " + normalised searchable text + " "
    name: str = ""  # the normalised id ("singapore summit"): a query that says exactly this ranks first


def document(event: Event, timeline: Timeline) -> Document:
    """The searchable text of an event: title, summary, quotes, place, actors' names and aliases,
    the sources' publishers and titles, and the event id."""
    parts = [event.title, event.summary, event.place or "", event.id]
    parts += [quote.text for quote in event.quotes]
    for actor_id in event.actors:
        actor = timeline.actors.get(actor_id)
        parts += [actor_id] if actor is None else [actor.name, *actor.aliases]
    for source in event.sources:
        parts += [source.publisher, source.title]
    headline = f" {normalise(event.title + ' ' + event.id)} "
    return Document(headline, f" {normalise(' '.join(parts))} ", normalise(event.id))


@dataclass(frozen=True)
class Query:
    """A compiled search: every term must occur (in any order)."""

    source: str  # as the user typed it
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, doc: Document) -> bool:
        text = doc.text
        return all(term.needle in text for term in self.terms)

    def score(self, doc: Document) -> tuple[int, int, int, int]:
        """Relevance: the event whose id the query spells first ("Singapore summit"), then terms
        found in the title (or id), then the whole query there as a phrase, then how often the
        terms occur at all."""
        spelled = " ".join(t.text for t in self.terms)
        in_title = sum(term.needle in doc.title for term in self.terms)
        together = len(self.terms) > 1 and " " + spelled in doc.title
        count = sum(doc.text.count(term.needle) for term in self.terms)
        return int(spelled == doc.name), in_title, int(together), count

    def label(self) -> str:
        """The query as understood, in quotes: "hanoi summit", "fire and fury", "“fire and fury” kim"."""
        if len(self.terms) == 1:
            return f'"{self.terms[0].text}"'
        return '"' + " ".join(f"“{t.text}”" if t.phrase else t.text for t in self.terms) + '"'

    def fts5(self) -> str:
        """The same query as an SQLite FTS5 MATCH expression (prefix queries, phrases kept)."""
        return " AND ".join('"' + t.text.replace('"', '""') + '" *' for t in self.terms)


def compile_query(text: str) -> Query:
    """Compile a query once, to test many events cheaply."""
    return Query(text, tuple(terms(text)))


def highlights(text: str, queries: Iterable[Query]) -> list[tuple[int, int]]:
    """Where the terms of ``queries`` occur in ``text``, as sorted, merged (start, end) indices of ``text``.

    The indices are those of ``text`` itself, as displayed, whatever normalisation did to it.
    """
    needles = {term.text for query in queries for term in query.terms}
    if not needles or not text:
        return []
    folded, where = _folded_with_offsets(text)
    ranges: list[tuple[int, int]] = []
    for needle in needles:
        start = folded.find(needle)
        while start >= 0:
            if start == 0 or folded[start - 1] == " ":
                end = start + len(needle)
                ranges.append((where[start], where[end - 1] + 1))
            start = folded.find(needle, start + 1)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
