"""HTML: one self-contained page, readable on screen and in print.

No scripts, fonts, images or style sheets are fetched: the style is inline and a
Content-Security-Policy (``default-src 'none'``) forbids any request, so the file opens the same
offline and cannot be made to call home. Every piece of text from the dataset is HTML-escaped;
source links are validated http(s) addresses. In print, each link's address follows its text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from timeline import __version__, escape
from timeline.display import by_year, citation_label, era_of, plural
from timeline.exporters import ExportOptions
from timeline.models import Era, Event, PartialDate, Source, Timeline

STYLE = """
:root { color-scheme: light dark; --ink: #1d1d1f; --muted: #5f6368; --rule: #d6d6d6; --accent: #0b57d0;
  --band: #f1f3f4; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8eaed; --muted: #a0a4a8; --rule: #3c4043; --accent: #8ab4f8; --band: #2a2c2e; } }
body { margin: 0 auto; max-width: 46rem; padding: 1.5rem 1rem 4rem; color: var(--ink);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--ink); margin: 2.5rem 0 1rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
time { font-variant-numeric: tabular-nums; color: var(--muted); font-weight: 600; margin-right: .4rem; }
nav { font-size: .95rem; } nav a { margin-right: .6rem; }
a { color: var(--accent); } a:visited { color: var(--accent); }
article { padding: .75rem 0 1rem; border-bottom: 1px solid var(--rule); }
.meta, .lede, .count { color: var(--muted); font-size: .9rem; margin: 0 0 .4rem; }
.era { background: var(--band); padding: .35rem .6rem; margin: 1.25rem 0 .25rem; font-weight: 600; }
blockquote { margin: .5rem 0 .5rem 1rem; padding-left: .75rem; border-left: 3px solid var(--rule); }
.sources { font-size: .88rem; margin: .5rem 0 0; padding-left: 1.5rem; }
.sources li { overflow-wrap: anywhere; }
.sources time { font-weight: normal; margin: 0; }
.related { font-size: .88rem; margin: .5rem 0 0; } .related time { font-weight: normal; margin: 0; }
figure.chart { margin: 1.5rem 0 0; } figure.chart svg { max-width: 100%; height: auto; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  :root { --ink: #000; --muted: #333; --rule: #999; --accent: #000; --band: #eee; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  article { break-inside: avoid; }
  h2, h3, .era { break-after: avoid; }
  .sources a::after { content: " <" attr(href) ">"; font-size: .9em; overflow-wrap: anywhere; }
}
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


_h = escape.html


def _datetime(value: PartialDate) -> str:
    return value.iso().rstrip("~?")


def _span(era: Era) -> str:
    end = era.end.display() if era.end else "now"
    return f"{era.start.display()} – {end}"


def _source(source: Source) -> str:
    label = citation_label(source, _h, date=False)
    text = f'<a href="{escape.href(source.url)}" rel="noopener noreferrer">{label}</a>'
    if source.date:
        text += f', <time datetime="{_datetime(source.date)}">{_h(source.date.display())}</time>'
    return f"<li>{text}</li>"


def summary_and_quotes(event: Event, timeline: Timeline) -> list[str]:
    """The summary paragraph and a blockquote per quote, escaped (shared with TimelineJS)."""
    out = [f"<p>{_h(event.summary)}</p>"] if event.summary else []
    for quote in event.quotes:
        by = f" — {_h(timeline.actor_name(quote.by))}" if quote.by else ""
        out.append(f"<blockquote>“{_h(quote.text)}”{by}</blockquote>")
    return out


def see_also(event: Event, by_id: Mapping[str, Event], shown: set[str]) -> str:
    """ "See also" with each related event's date and title, linked when it is on this page."""
    from timeline.analysis.threads import see_also as related

    parts = []
    for other in related(event, by_id):
        label = f'<time datetime="{_datetime(other.date)}">{_h(other.when())}</time> {_h(other.title)}'
        parts.append(f'<a href="#{other.id}">{label}</a>' if other.id in shown else label)
    return f'<p class="related">See also: {"; ".join(parts)}</p>' if parts else ""


def article(
    event: Event,
    timeline: Timeline,
    by_id: Mapping[str, Event] | None = None,
    shown: set[str] | None = None,
) -> list[str]:
    out = [
        f'<article id="{event.id}">',
        f'<h3><time datetime="{_datetime(event.date)}">{_h(event.when())}</time> {_h(event.title)}</h3>',
    ]
    meta = []
    if event.actors:
        meta.append("Actors: " + ", ".join(_h(timeline.actor_name(a)) for a in event.actors))
    if event.place:
        meta.append("Place: " + _h(event.place))
    if event.tags:
        meta.append("Tags: " + ", ".join(_h(t) for t in event.tags))
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    out += summary_and_quotes(event, timeline)
    out.append('<ol class="sources">' + "".join(_source(s) for s in event.sources) + "</ol>")
    if event.related:
        if by_id is None:
            by_id = {e.id: e for e in timeline.events}
        also = see_also(event, by_id, set(by_id) if shown is None else shown)
        if also:
            out.append(also)
    out.append("</article>")
    return out


def export(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> str:
    return "".join(chunks(events, timeline, options))


def chunks(events: Sequence[Event], timeline: Timeline, options: ExportOptions) -> Iterator[str]:
    """The page as it is written: the head, the chart, then a section per year."""
    by_id: Mapping[str, Event]
    if hasattr(events, "lookup"):  # a large dataset's selection (timeline.index.Selected)
        selected: Any = events
        by_id, shown = selected.lookup(), set(selected.ids)
    else:
        by_id, shown = {e.id: e for e in timeline.events}, {e.id for e in events}
    if not isinstance(events, (list, tuple)):  # read once: the chart and the entries both need them
        events = list(events)
    title = _h(timeline.title)
    years = list(dict.fromkeys(e.date.year for e in events))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="timeline {__version__}">',
        f"<title>{title}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
    ]
    if timeline.description:
        out.append(f'<p class="lede">{_h(timeline.description)}</p>')
    if events:
        span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
        out.append(f'<p class="count">{plural(len(events), "event")}, {span}, each with its sources.</p>')
        if options.known_on:
            from timeline.analysis.asof import note

            out.append(f'<p class="count">{_h(note(options.known_on))}</p>')
        out.append("<nav>" + "".join(f'<a href="#y{y}">{y}</a>' for y in years) + "</nav>")
    out += ["</header>"]
    if events:
        from timeline.exporters.svg import svg

        chart = svg(events, timeline, options.by, options.known_on).rstrip("\n")
        out += ['<figure class="chart">', chart, "</figure>"]
    out += ["<main>"]
    yield "\n".join(out) + "\n"
    ahead = getattr(by_id, "ahead", None)  # the events linked to, read together (index.Related)
    for year, group in by_year(events):
        out = [f'<section id="y{year}">', f"<h2>{year}</h2>"]
        era: Era | None = None
        for event in ahead(group) if ahead else group:
            current = era_of(timeline.eras, event)
            if current is not None and current != era:
                out.append(
                    f'<p class="era">{_h(current.name)} <span class="meta">({_h(_span(current))})</span></p>'
                )
            era = current
            out += article(event, timeline, by_id, shown)
        out.append("</section>")
        yield "\n".join(out) + "\n"
    out = [
        "</main>",
        f"<footer>Exported by timeline {__version__}. Every entry links to its sources.</footer>",
        "</body>",
        "</html>",
    ]
    yield "\n".join(out) + "\n"
