"""The command layer: the only module that imports typer or writes to the terminal.

It parses options, calls the core, and turns every TimelineError into a one-line message on
stderr with the exit code of its kind. stdout carries data only.
"""

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer
from typer.core import TyperGroup

from timeline import __version__
from timeline.errors import ExitCode, TimelineError, UsageError
from timeline.exporters import EXPORTERS, REGISTRY, by_extension

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.console import Console

    from timeline.exporters import Exporter, ExportOptions
    from timeline.loader import Texts
    from timeline.models import Event, Timeline
    from timeline.query import Filter, Selection


class _Group(TyperGroup):
    """The command group: usage errors become one `timeline: …` line, like every other message."""

    def main(  # type: ignore[override]
        self, args: list[str] | None = None, *, standalone_mode: bool = True, **extra: Any
    ) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        if not arguments:
            arguments = ["--help"]  # bare `timeline`: the help, and success
        try:
            code = super().main(args=arguments, standalone_mode=False, **extra)
        except Exception as exc:  # typer's vendored Click raises its own exception types
            if not (callable(getattr(exc, "format_message", None)) and hasattr(exc, "exit_code")):
                raise
            code = _usage_message(exc)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _usage_message(exc: Any) -> int:
    """Write a Click usage error (bad option, bad choice, missing argument) as one line; its exit code."""
    from timeline.escape import one_line

    message = one_line(exc.format_message())
    context = getattr(exc, "ctx", None)
    if context is not None:
        message += f" (see '{context.command_path} --help')"
    sys.stderr.write(f"timeline: {message}\n")
    sys.stderr.flush()
    return int(exc.exit_code)


app = typer.Typer(
    cls=_Group,
    name="timeline",
    help="Read, filter and export a curated, cited chronology "
    "(shipped: US–North Korea relations, 2017 to today).\n\n"
    "Examples:\n\n"
    "  timeline show --since 2019 --until 2019\n\n"
    "  timeline filter --actor Kim --tag summit\n\n"
    "  timeline export markdown --search DMZ -o dmz.md",
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


# the terminal view, or any export format written to stdout
ShowFormat = Enum(  # type: ignore[misc]
    "ShowFormat", {"terminal": "terminal", **{e.name: e.name for e in EXPORTERS}}, type=str
)


class Group(str, Enum):
    year = "year"
    era = "era"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


ExportFormat = Enum("ExportFormat", {e.name: e.name for e in EXPORTERS}, type=str)  # type: ignore[misc]


class Sort(str, Enum):
    date = "date"
    relevance = "relevance"


class CiteStyle(str, Enum):
    markdown = "markdown"
    plain = "plain"
    csl_json = "csl-json"


# -- completion: values from the dataset in use (the cached, validated copy), never an error -------


def _completion_timeline(ctx: typer.Context) -> Optional["Timeline"]:
    from timeline.loader import load

    paths = None
    for context in (ctx, ctx.find_root()):
        value = context.params.get("data")
        if value:
            paths = [Path(p) for p in value]
            break
    try:
        return load(paths)
    except Exception:  # a completion must never fail loudly
        return None


def _starting(incomplete: str, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    wanted = incomplete.casefold()
    seen: set[str] = set()
    out = []
    for value, help_text in candidates:
        if value.casefold().startswith(wanted) and value not in seen:
            seen.add(value)
            out.append((value, help_text))
    return out


def _complete_actors(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    timeline = _completion_timeline(ctx)
    if timeline is None:
        return []
    candidates = [(a.id, a.name) for a in timeline.actors.values()]
    candidates += [(alias, a.name) for a in timeline.actors.values() for alias in a.aliases]
    return _starting(incomplete, candidates)


def _complete_tags(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    timeline = _completion_timeline(ctx)
    if timeline is None:
        return []
    from timeline.query import counts

    _, per_tag = counts(timeline)
    return _starting(incomplete, [(t, f"{n} events") for t, n in sorted(per_tag.items())])


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    timeline = _completion_timeline(ctx)
    if timeline is None:
        return []
    events = sorted(timeline.events, key=lambda e: (e.start, e.finish))
    return _starting(incomplete, [(e.id, f"{e.when()}: {_short(e.title)}") for e in events])


def _short(text: str, size: int = 48) -> str:
    from timeline.escape import one_line

    text = one_line(text)
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# -- shared options -------------------------------------------------------------------------

DataOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer 0.28 reads Optional[...] on every supported Python
    typer.Option(
        "--data",
        "-d",
        help="Events file to read (repeatable). Default: $TIMELINE_DATA, else the shipped dataset.",
        metavar="PATH",
        show_default=False,
    ),
]
ColorOpt = Annotated[
    Optional[Color],  # noqa: UP045
    typer.Option("--color", help="Colour and links: auto (default), always or never. NO_COLOR is honoured."),
]
ActorOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--actor",
        "-a",
        help="Actor id, name or alias, e.g. Kim (repeatable).",
        metavar="NAME",
        rich_help_panel="Filters",
        autocompletion=_complete_actors,
    ),
]
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag",
        "-t",
        help="Tag, e.g. summit (repeatable).",
        metavar="TAG",
        rich_help_panel="Filters",
        autocompletion=_complete_tags,
    ),
]
SearchOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--search",
        "-s",
        help="Words, in any order, in the title, summary, quotes, place, actors, sources or id; "
        'case, accents and punctuation ignored; "a phrase" in quotes (repeatable).',
        metavar="TEXT",
        rich_help_panel="Filters",
    ),
]
SinceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--since",
        "--from",
        help="From this date on: 2018, 'June 2018', 2018-06-12, '3 months ago', 'last year'.",
        metavar="DATE",
        rich_help_panel="Filters",
    ),
]
UntilOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--until",
        "--to",
        help="Up to and including this date's whole period: --until 2019 includes 31 Dec 2019.",
        metavar="DATE",
        rich_help_panel="Filters",
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Require ALL given actors, tags and search texts (default: ANY of each).",
        rich_help_panel="Filters",
    ),
]
LimitOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(
        "--limit", "-n", min=0, help="Show at most N events.", metavar="N", rich_help_panel="Filters"
    ),
]
ReverseOpt = Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.", rich_help_panel="Filters")]
IdOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--id",
        help="Only the event with this id (repeatable); see the full view or 'show -f csv'.",
        metavar="ID",
        rich_help_panel="Filters",
        autocompletion=_complete_ids,
    ),
]
NotActorOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--not-actor",
        help="Leave out events with this actor (repeatable), after the rest of the filter.",
        metavar="NAME",
        rich_help_panel="Filters",
        autocompletion=_complete_actors,
    ),
]
NotTagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--not-tag",
        help="Leave out events with this tag (repeatable), after the rest of the filter.",
        metavar="TAG",
        rich_help_panel="Filters",
        autocompletion=_complete_tags,
    ),
]
SortOpt = Annotated[
    Sort,
    typer.Option(
        "--sort",
        help="date (default), or relevance: the best search matches first, title hits before others.",
        rich_help_panel="Filters",
    ),
]

AsOfOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--as-of",
        help="The record as known on DATE: only sources published on or before it, and only the "
        "events they support.",
        metavar="DATE",
        rich_help_panel="Filters",
    ),
]


class By(str, Enum):
    year = "year"
    quarter = "quarter"
    month = "month"


FormatOpt = Annotated[
    ShowFormat,  # type: ignore[valid-type]
    typer.Option(
        "--format",
        "-f",
        help="terminal (default), or any export format written to stdout ('timeline export --list').",
    ),
]

# -- plumbing -------------------------------------------------------------------------------


@dataclass
class Settings:
    """The global options (given before or after the command name), kept on the root context."""

    data: list[Path] | None = None
    color: Color = Color.auto


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def _fail(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        sys.stderr.write(f"timeline: {line}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


@contextmanager
def _guard() -> Iterator[None]:
    """Map core errors, Ctrl-C and closed pipes to messages and exit codes, never tracebacks."""
    try:
        yield
    except TimelineError as exc:
        lines = exc.lines()
        if len(lines) > 1:
            lines.append(f"{len(lines)} problems found")
        _fail(lines, exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        # what is left in stdout's buffer is dropped: flushed into a pipe that nobody reads now
        # (the reader was interrupted too), the exit would block for ever
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python's final flush quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None


def _load(ctx: typer.Context, paths: list[Path] | None, *, use_cache: bool = True) -> "Timeline":
    from timeline.loader import load

    return load(paths or _settings(ctx).data, use_cache=use_cache)


def _console(ctx: typer.Context, color: Color | None) -> "Console":
    from rich.console import Console

    from timeline.render import THEME

    choice = color or _settings(ctx).color
    common: dict[str, Any] = {"theme": THEME, "highlight": False, "emoji": False, "markup": False}
    if choice is Color.never or (choice is Color.auto and os.environ.get("NO_COLOR")):
        return Console(color_system=None, **common)
    if choice is Color.always:
        truecolor = os.environ.get("COLORTERM") in ("truecolor", "24bit")
        return Console(force_terminal=True, color_system="truecolor" if truecolor else "256", **common)
    return Console(**common)


def _filter(
    actor: list[str] | None,
    tag: list[str] | None,
    search: list[str] | None,
    since: str | None,
    until: str | None,
    match_all: bool,
    limit: int | None,
    reverse: bool,
    *,
    ids: list[str] | None = None,
    not_actor: list[str] | None = None,
    not_tag: list[str] | None = None,
    sort: Sort = Sort.date,
) -> "Filter":
    from timeline.query import Filter

    low = high = None
    if since or until:
        import datetime as dt

        from timeline.dates import date_range

        low, high = date_range(since, until, today=dt.date.today())  # relative dates count from today
    return Filter(
        actors=tuple(actor or ()),
        tags=tuple(tag or ()),
        search=tuple(search or ()),
        since=low,
        until=high,
        match_all=match_all,
        limit=limit,
        reverse=reverse,
        ids=tuple(ids or ()),
        not_actors=tuple(not_actor or ()),
        not_tags=tuple(not_tag or ()),
        sort=sort.value,
    )


def _lookup(criteria: "Filter", words: list[str], timeline: "Timeline") -> "Filter":
    """Words that are all event ids (`timeline show hanoi-summit`) look those events up, not search."""
    if not words:
        return criteria
    from timeline.query import lookup

    return lookup(criteria, words, {event.id for event in timeline.events})


def _warn(message: str) -> None:
    sys.stderr.write(f"timeline: {message}\n")
    sys.stderr.flush()


def _select(timeline: "Timeline", criteria: "Filter") -> "Selection":
    from timeline.query import run

    return _told(run(timeline, criteria), criteria)


def _told(selection: "Selection", criteria: "Filter") -> "Selection":
    """The selection, once what it says to the user (notes, warnings) is on stderr."""
    for note in selection.notes:
        _warn(note)
    if criteria.sort == "relevance" and not selection.queries:
        _warn("--sort relevance has no effect without a search")
    if not selection.events:
        _warn("no events match")
    return selection


def _indexed(
    ctx: typer.Context,
    data: list[Path] | None,
    criteria: "Filter",
    exporter: "Exporter",
    words: Sequence[str] = (),
) -> "tuple[Timeline, Any] | None":
    """(timeline, events) straight from a large dataset's index, decoding only the matches, with
    the messages ``_select`` gives; None when there is no index, or the criteria or the format
    need what only a whole load answers (an unknown id; a related event outside the selection).
    ``words``: the free words of `show`/`filter`, ids to look up when all are (``query.lookup``)."""
    from timeline.loader import load_indexed

    read_as: list[Filter] = []
    found = load_indexed(data or _settings(ctx).data, criteria, words, read_as)
    if found is None:
        return None
    timeline, events = found
    if exporter.whole and not (exporter.looks_up and hasattr(events, "lookup")):
        # it names related events ("See also"): the index answers alone only when none of them
        # is outside the selection; otherwise the whole timeline is loaded
        events = list(events)
        chosen = {event.id for event in events}
        if any(other not in chosen for event in events for other in event.related):
            return None
        from dataclasses import replace

        timeline = replace(timeline, events=tuple(events))
    from timeline.query import match_actor

    criteria = read_as[0]
    # what query.run says of a partial name, and _select of the sort, said here too
    for option, names in (("--actor", criteria.actors), ("--not-actor", criteria.not_actors)):
        for name in names:
            actor_id, exact = match_actor(timeline, name, option)
            if not exact:
                _warn(f"{option} {name}: taken as {timeline.actor_name(actor_id)} ({actor_id})")
    if criteria.sort == "relevance" and not any(text.strip() for text in criteria.search):
        _warn("--sort relevance has no effect without a search")
    if not events:
        _warn("no events match")
    return timeline, events


def _view_indexed(
    ctx: typer.Context,
    data: list[Path] | None,
    criteria: "Filter",
    compact: bool,
    color: Color | None,
    *,
    pager: bool,
) -> bool:
    """The plain terminal view of a large dataset straight from its index, written as it is made:
    only the selected events are decoded, a batch at a time, and none is kept (``| head`` prints
    at once). False, with nothing written, when it does not apply: no index, criteria that only
    a whole load answers (words, ids, exclusions, relevance), or output with styles or paged."""
    if criteria.ids or criteria.not_actors or criteria.not_tags or criteria.sort != "date":
        return False
    if any(text.strip() for text in criteria.search):
        return False
    console = _console(ctx, color)
    if console.color_system is not None or console.is_terminal:
        return False  # styled (today's path)
    if pager and sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        return False  # paged: the whole text, to know whether it fits the screen
    from timeline.loader import open_index

    index = open_index(data or _settings(ctx).data)
    if index is None:
        return False
    import sqlite3

    from timeline import cache
    from timeline.index import Corrupt, Related

    try:
        try:
            selection = index.understand(criteria)
            _, events = index.select(criteria)
            # the first batch is read and checked before anything is written: a damaged one
            # makes the selection the files' answer (``index.Selected``), counted as such
            if len(events):
                events.batch(0)
            count = len(events)
            # the compact view's date column fits the longest date, read before anything is written
            longest = index.longest_date(events) if compact and not events.fell_back else None
        except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            index.close()  # a bad entry is a miss: the caller reads the files, which rebuilds it
            return False
        for note in selection.notes:
            _warn(note)
        if not count:
            _warn("no events match")
            return True
        import itertools

        from timeline import parallel
        from timeline.render import plain_chunks

        related = Related(index)
        if not compact and not events.fell_back and parallel.worth(count):
            # a large view is laid out by two processes (the same bytes)
            chunks = parallel.view_chunks(
                console,
                index,
                criteria,
                count,
                selection.understood,
                related,
                lambda: _serial_events(index, criteria),
            )
        else:
            chunks = plain_chunks(
                console,
                related.ahead(iter(events)),
                index.header,
                compact=compact,
                understood=selection.understood,
                count=count,
                by_id=related,
                # compact: the longest date, or (the files' answer) the events themselves
                measured=None if not compact else [longest] if longest is not None else list(events),
            )
        try:
            _write_chunks(itertools.chain(chunks, ["\n"]))
        finally:
            chunks.close()  # a child process ends here, whatever ended the writing
            related.close()
    finally:
        index.close()
    return True


def _view_found(
    ctx: typer.Context,
    data: list[Path] | None,
    criteria: "Filter",
    words: list[str],
    compact: bool,
    color: Color | None,
    *,
    pager: bool,
) -> bool:
    """The terminal view of what a large dataset's index finds for words, ids, exclusions or
    relevance (only the matches decoded: its word-search table, ``index.Index.select``), with
    "See also" looked up by id (``index.Related``); False, with nothing written, when there is no
    index or it leaves the criteria to the whole load (an unknown id names close ones)."""
    if criteria.is_empty and not words:
        return False
    from timeline.loader import open_index

    index = open_index(data or _settings(ctx).data)
    if index is None:
        return False
    import sqlite3

    from timeline import cache
    from timeline.index import Corrupt, Related

    try:
        try:
            timeline, events = index.select(criteria, words)
            read = index.criteria or criteria  # words that are all ids, looked up
            from dataclasses import replace

            selection = replace(index.understand(read), events=list(events))
        except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
            return False  # a bad entry is a miss (or an unknown id): the caller reads the files
        _told(selection, read)
        related = Related(index)
        try:
            _emit(ctx, selection, timeline, ShowFormat.terminal, compact, color, pager, by_id=related)  # type: ignore[attr-defined]
        finally:
            related.close()
    finally:
        index.close()
    return True


def _serial_events(index: Any, criteria: "Filter") -> "Iterable[Event]":
    """The selected events from the index, else from the files (a damaged or closed index)."""
    import sqlite3

    from timeline import cache
    from timeline.index import Corrupt, _from_files

    try:
        return iter(index.select(criteria)[1])  # type: ignore[no-any-return]
    except (Corrupt, cache.Corrupt, sqlite3.Error, ValueError, TypeError, KeyError):
        return _from_files(index.paths, criteria)


def _utf8(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "") == "utf8"


def _write(text: str, *, data: bool = False) -> None:
    """Write to stdout. Data formats (JSON, Markdown) are UTF-8 whatever the locale says, and
    inert on a terminal (see ``_write_chunks``)."""
    _write_chunks((text,), data=data)


def _write_chunks(chunks: "Iterable[str]", *, data: bool = False) -> None:
    """Write pieces of output as they come, so that memory does not grow with the output and a
    reader that stops early (``| head``) stops the work. Data is UTF-8 whatever the locale says;
    on a terminal it is made inert, as the view is (exact into a pipe or a file)."""
    terminal = data and sys.stdout.isatty()
    binary = data and not _utf8(sys.stdout) and hasattr(sys.stdout, "buffer")
    if binary:
        sys.stdout.flush()
    out = sys.stdout.buffer if binary else sys.stdout
    if terminal:
        from timeline.escape import terminal as inert
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            text = "".join(pending)
            text = inert(text) if terminal else text
            out.write(text.encode("utf-8") if binary else text)  # type: ignore[arg-type]
            pending, size = [], 0
    text = "".join(pending)
    text = inert(text) if terminal else text
    out.write(text.encode("utf-8") if binary else text)  # type: ignore[arg-type]
    out.flush()


def _options(**choices: Any) -> "ExportOptions":
    """Export options, with the time stamp from SOURCE_DATE_EPOCH (reproducible builds) or now."""
    import datetime as dt

    from timeline.exporters import ExportOptions

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        stamp = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return ExportOptions(stamp=stamp, **choices)


def _pager_command() -> list[str] | None:
    """$TIMELINE_PAGER, else $PAGER, else `less -FRX`, as git does; empty or `cat` means none."""
    import shlex

    for name in ("TIMELINE_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            try:
                command = shlex.split(value)
            except ValueError:
                return None
            return None if not command or command == ["cat"] else command
    return ["less", "-FRX"]


def _page(text: str) -> bool:
    """Write ``text`` through the pager; False if none started (the caller then writes it itself)."""
    import signal
    import subprocess

    command = _pager_command()
    if command is None:
        return False
    # less keeps colours and links (-R), quits when the text fits (-F), leaves it on screen (-X)
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except (OSError, ValueError):
        return False
    assert process.stdin is not None
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager, as in git
    try:
        try:
            process.stdin.write(text.encode(encoding, errors="replace"))
            process.stdin.close()
        except BrokenPipeError:  # the reader quit the pager before the end: that is fine
            pass
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True


def _output(text: str, *, pager: bool, height: int, data: bool = False) -> None:
    """Write to stdout, through the pager when asked and the text is longer than the screen."""
    if pager and text.count("\n") > height and _page(text):
        return
    _write(text, data=data)


def _emit(
    ctx: typer.Context,
    selection: "Selection",
    timeline: "Timeline",
    fmt: ShowFormat,  # type: ignore[valid-type]
    compact: bool,
    color: Color | None,
    pager: bool,
    known_on: str | None = None,
    by_id: "Mapping[str, Event] | None" = None,
) -> None:
    """Write the selection; ``by_id`` finds the events of "See also" (default: the timeline's)."""
    events = selection.events
    # a dumb terminal cannot run a pager well (less warns and misdraws), as git knows
    pager = pager and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    if fmt is not ShowFormat.terminal:  # type: ignore[attr-defined]
        options = _options(known_on=known_on)
        if pager:  # the whole text, to know whether it fits the screen
            import shutil

            text = REGISTRY[fmt.value].export(events, timeline, options)
            _output(text, pager=pager, height=shutil.get_terminal_size().lines, data=True)
        else:
            _write_chunks(REGISTRY[fmt.value].chunks(events, timeline, options), data=True)
        return
    if not events:
        return
    from timeline.render import plain_chunks, timeline_view

    console = _console(ctx, color)
    grouped = not selection.ranked  # years and eras make sense only in date order
    if console.color_system is None and not console.is_terminal:
        # nothing to style: the same text, without building and rendering Rich spans
        chunks = plain_chunks(
            console,
            events,
            timeline,
            compact=compact,
            understood=selection.understood,
            grouped=grouped,
            by_id=by_id,
        )
        if pager:  # the whole text, to know whether it fits the screen
            _output("".join(chunks) + "\n", pager=pager, height=console.height)
        else:
            import itertools

            _write_chunks(itertools.chain(chunks, ["\n"]))
        return
    marks = None
    if selection.queries:
        from functools import partial

        from timeline.search import highlights

        marks = partial(highlights, queries=selection.queries)
    view = timeline_view(
        console,
        events,
        timeline,
        compact=compact,
        understood=selection.understood,
        marks=marks,
        grouped=grouped,
        by_id=by_id,
    )
    if not pager:
        console.print(view, soft_wrap=True)
        return
    with console.capture() as captured:
        console.print(view, soft_wrap=True)
    _output(captured.get(), pager=True, height=console.height)


# -- commands -------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        _write(f"timeline {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: DataOpt = None,
    color: Annotated[
        Color, typer.Option("--color", help="Colour and links: auto, always or never.")
    ] = Color.auto,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Settings(data=data, color=color)


_SHOW_HELP = """Show the timeline, grouped by year, with numbered citations; WORDS search, IDs look up.

Examples: `timeline show`, `timeline show --since 2019 --compact`, `timeline show Hanoi summit`,
`timeline show hanoi-summit`, `timeline show --format json`.
"""

_FILTER_HELP = """Show only the events that match; at least one criterion is required.

Examples: `timeline filter Hanoi summit`, `timeline filter --actor Kim`,
`timeline filter -a Kim -a Putin --all --since 2023`, `timeline filter --search '"fire and fury"'`,
`timeline filter --tag summit --until 2019 --not-tag russia`, `timeline filter DMZ --sort relevance`.
"""

WordsArg = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(
        help="Words to search for (as --search), or event ids to look up (as --id) when all are ids.",
        metavar="[WORDS|IDS]...",
        show_default=False,
        autocompletion=_complete_ids,
    ),
]


def view(
    ctx: typer.Context,
    words: WordsArg = None,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    sort: SortOpt = Sort.date,
    fmt: FormatOpt = ShowFormat.terminal,  # type: ignore[attr-defined]
    compact: Annotated[bool, typer.Option("--compact", "-c", help="One line per event.")] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page (default: page long output on a terminal).")
    ] = False,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """The body of `show` and `filter`: they differ only in that `filter` needs a criterion."""
    with _guard():
        words = [w for w in words or () if w.strip()]
        search = [*(search or ()), " ".join(words)] if words else search
        criteria = _filter(
            actor, tag, search, since, until, match_all, limit, reverse,
            ids=ids, not_actor=not_actor, not_tag=not_tag, sort=sort,
        )  # fmt: skip
        if ctx.info_name == "filter" and criteria.is_empty and not as_of:
            raise UsageError(
                "filter needs a criterion: words, --actor, --tag, --search, --since, --until, --id, "
                "--not-actor or --not-tag (use 'timeline show' for everything)"
            )
        if fmt is not ShowFormat.terminal:  # type: ignore[attr-defined]
            for flag, given in (("--compact", compact), ("--color", color is not None)):
                if given:
                    _warn(f"{flag} has no effect with --format {fmt.value}")
        indexed = None
        if fmt is ShowFormat.terminal and not as_of:  # type: ignore[attr-defined]
            # from a large dataset's index: streamed when it can be; words, ids, exclusions and
            # relevance from the matches it finds, laid out as usual
            if not words and _view_indexed(ctx, data, criteria, compact, color, pager=not no_pager):
                return
            if _view_found(ctx, data, criteria, words, compact, color, pager=not no_pager):
                return
        elif fmt is not ShowFormat.terminal and not as_of:  # type: ignore[attr-defined]
            indexed = _indexed(ctx, data, criteria, REGISTRY[fmt.value], words)
        if indexed is not None:
            from timeline.query import Selection

            timeline, events = indexed
            _emit(ctx, Selection(events, []), timeline, fmt, compact, color, pager=not no_pager)
            return
        timeline = _load(ctx, data)
        criteria = _lookup(criteria, words, timeline)
        whole = timeline
        timeline, known_on = _as_of(timeline, as_of)
        if known_on and criteria.ids:
            from dataclasses import replace

            ids = _unknown_then(whole, timeline, criteria.ids, known_on[0])
            # none of the events asked for was on record: nothing to show (limit 0), not everything
            criteria = replace(criteria, ids=ids or criteria.ids, limit=criteria.limit if ids else 0)
            timeline = timeline if ids else whole
        selection = _select(timeline, criteria)
        selection.understood[:0] = known_on
        _emit(ctx, selection, timeline, fmt, compact, color, pager=not no_pager, known_on=_first(known_on))


app.command("show", help=_SHOW_HELP)(view)
app.command("filter", help=_FILTER_HELP)(view)


_EXPORT_HELP = (
    "Export the (filtered) timeline to a file format.\n\n"
    + "\n\n".join(f"{e.name} ({e.extension}): {e.description}" for e in EXPORTERS)
    + "\n\nExamples: `timeline export markdown --search DMZ -o dmz.md`, `timeline export -o events.ics`, "
    "`timeline export timelinejs -o story.timeline.json`, `timeline export json --schema`, "
    "`timeline export markdown --mermaid --group era`, `timeline export --list`."
)


@app.command(help=_EXPORT_HELP)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Optional[ExportFormat],  # type: ignore[valid-type]  # noqa: UP045
        typer.Argument(
            help="Output format; may be left out when -o FILE has a known extension.",
            show_default=False,
            metavar="FORMAT",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.", metavar="FILE"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    list_formats: Annotated[bool, typer.Option("--list", help="List the formats and exit.")] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="json: print the JSON Schema of the export instead.")
    ] = False,
    mermaid: Annotated[
        bool, typer.Option("--mermaid", help="markdown: embed a Mermaid timeline diagram after the title.")
    ] = False,
    group: Annotated[
        Group, typer.Option("--group", "-g", help="mermaid (and --mermaid): sections by year or by era.")
    ] = Group.year,
    by: Annotated[
        Optional[By],  # noqa: UP045
        typer.Option(
            "--by", help="svg (and the chart atop html): one bar per year, quarter or month; default by span."
        ),
    ] = None,
    as_of: AsOfOpt = None,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    sort: SortOpt = Sort.date,
    data: DataOpt = None,
) -> None:
    with _guard():
        if list_formats:
            width = max(len(e.name) for e in EXPORTERS)
            ext = max(len(e.extension) for e in EXPORTERS)
            _write(
                "".join(
                    f"{e.name.ljust(width)}  {e.extension.ljust(ext)}  {e.description}\n" for e in EXPORTERS
                )
            )
            return
        if fmt is None:
            exporter = by_extension(output.name) if output else None
            if exporter is None:
                known = ", ".join(e.name for e in EXPORTERS)
                raise UsageError(f"export needs a FORMAT ({known}), or -o FILE with a known extension")
        else:
            exporter = REGISTRY[fmt.value]
        exporter.check_options(
            {"schema": schema, "mermaid": mermaid, "group": group is not Group.year, "by": by is not None}
        )
        if schema:
            from timeline.exporters.json import schema as json_schema

            chunks: Iterable[str] = [json_schema()]
        else:
            criteria = _filter(
                actor, tag, search, since, until, match_all, limit, reverse,
                ids=ids, not_actor=not_actor, not_tag=not_tag, sort=sort,
            )  # fmt: skip
            indexed = None if as_of else _indexed(ctx, data, criteria, exporter)
            if indexed is not None:
                timeline, events = indexed
                known_on: list[str] = []
            else:
                timeline, known_on = _as_of(_load(ctx, data), as_of)
                events = _select(timeline, criteria).events
            choices = {"group": group.value, "mermaid": mermaid, "by": by.value if by else None}
            choices["known_on"] = _first(known_on)
            chunks = exporter.chunks(events, timeline, _options(**choices))
        if output is None or str(output) == "-":
            _write_chunks(chunks, data=True)
            return
        text = "".join(chunks)
        from timeline.files import write_atomic

        write_atomic(output, text, force=force)
        sys.stderr.write(f"timeline: wrote {output}\n")


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            help="Files to check ('-' reads standard input). Default: --data, $TIMELINE_DATA, "
            "else the shipped dataset.",
            show_default=False,
            metavar="[PATH]...",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also check the curation policy: declared tags and publishers, https, quote speakers.",
        ),
    ] = False,
    data: DataOpt = None,
) -> None:
    """Check a dataset against the schema and report every problem as file:line:column.

    Exits 0 when valid, 1 otherwise. `-` reads standard input. Examples: `timeline validate
    data/events.yaml`, `git show HEAD:data/events.yaml | timeline validate -`, `timeline validate
    --strict` (the policy of data/README.md, as in CI).
    """
    with _guard():
        from timeline.loader import locate

        chosen = paths or data or _settings(ctx).data
        # a full check of the files themselves, whatever is cached
        stdin = any(str(p) == "-" for p in paths or ())
        timeline = _checked(_texts(paths if stdin and paths else locate(chosen)), strict)
        from timeline.analysis.threads import one_way

        for source, target in one_way(timeline):
            _warn(f"warning: event {source!r} is related to {target!r}, which does not link back")
        files = ", ".join(timeline.paths)
        mode = " (strict)" if strict else ""
        _write(f"{files}: valid{mode}: {len(timeline.events)} events, {len(timeline.actors)} actors\n")


def _checked(texts: "Texts", strict: bool) -> "Timeline":
    """The timeline the texts make, checked (``strict``: also the curation policy); raises
    DataError with every problem, located. A valid text is read fast, without positions, as the
    loader reads it; any problem sends every text down the positioned path, which says where."""
    from timeline.curate.strict import check
    from timeline.errors import DataError
    from timeline.gcpause import paused_gc
    from timeline.loader import plain_documents, positioned_documents
    from timeline.validate import build

    with paused_gc():  # millions of objects built, none of them garbage (timeline.fastload)
        plain = plain_documents(texts)
        if plain is not None:
            try:
                found: Timeline | None = build(plain)
            except DataError:
                found = None
            if found is not None and not (strict and check(plain)):
                return found
            del plain, found  # before the positioned values are built
        docs = positioned_documents(texts)
        timeline = build(docs)
        problems = check(docs) if strict else []
    if problems:
        raise DataError(problems)
    return timeline


def _texts(paths: list[Path]) -> "Texts":
    """Each file as the loader reads it (``loader.read_texts``), where '-' stands for standard
    input (read once, named <stdin> in messages), or None and why it could not be read."""
    from timeline.errors import Problem
    from timeline.loader import read_texts

    texts: Texts = []
    stdin_read = False
    for path in paths:
        if str(path) != "-":
            texts += read_texts([path])
            continue
        if stdin_read:
            twice = Problem("<stdin>", "'-' given twice; standard input is read once")
            texts.append(("<stdin>", None, [twice]))
            continue
        stdin_read = True
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            texts.append(("<stdin>", raw.decode("utf-8-sig"), []))
        except UnicodeDecodeError as exc:
            wrong = Problem("<stdin>", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
            texts.append(("<stdin>", None, [wrong]))
    return texts


def _listing(rows: list[tuple[str, str, int]], fmt: ListFormat, key: str) -> None:
    if fmt is ListFormat.json:
        import json

        records = [
            {key: a, "name": b, "events": n} if key == "id" else {key: a, "events": n} for a, b, n in rows
        ]
        _write(json.dumps(records, ensure_ascii=False, indent=2) + "\n", data=True)
        return
    from timeline.escape import one_line

    first = max((len(r[0]) for r in rows), default=0)
    for a, b, n in rows:
        _write(f"{n:>4}  {one_line(a).ljust(first)}  {one_line(b)}".rstrip() + "\n")


@app.command()
def actors(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    data: DataOpt = None,
) -> None:
    """List the actors you can filter on: event count, id, name and aliases (json: also role, country).

    Example: `timeline actors`, then `timeline filter --actor <id or alias>`.
    """
    with _guard():
        from timeline.query import counts

        timeline = _load(ctx, data)
        per_actor, _ = counts(timeline)
        if fmt is ListFormat.json:
            import json

            records = [
                {
                    "id": actor.id,
                    "name": actor.name,
                    "aliases": list(actor.aliases),
                    "role": actor.role,
                    "country": actor.country,
                    "events": per_actor[actor.id],
                }
                for actor in sorted(timeline.actors.values(), key=lambda a: (-per_actor[a.id], a.id))
            ]
            _write(json.dumps(records, ensure_ascii=False, indent=2) + "\n", data=True)
            return
        rows = []
        for actor in sorted(timeline.actors.values(), key=lambda a: (-per_actor[a.id], a.id)):
            label = actor.name + (f" ({', '.join(actor.aliases)})" if actor.aliases else "")
            rows.append((actor.id, label if fmt is ListFormat.text else actor.name, per_actor[actor.id]))
        _listing(rows, fmt, "id")


@app.command()
def tags(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    data: DataOpt = None,
) -> None:
    """List the tags you can filter on, with event counts. Example: `timeline tags`."""
    with _guard():
        from timeline.query import counts

        _, per_tag = counts(_load(ctx, data))
        rows = [(t, "", n) for t, n in sorted(per_tag.items(), key=lambda item: (-item[1], item[0]))]
        _listing(rows, fmt, "tag")


# -- finding things: cite, lookup by id, completion (issue 10) ------------------------------


@app.command()
def cite(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(help="Event ids (see the full view).", metavar="ID...", autocompletion=_complete_ids),
    ],
    style: Annotated[
        CiteStyle, typer.Option("--style", help="markdown (footnotes, default), plain or csl-json.")
    ] = CiteStyle.markdown,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
) -> None:
    """Print ready-to-paste citations: each event in one sentence with its date, then its sources.

    Examples: `timeline cite singapore-summit`, `timeline cite hanoi-summit --style plain`,
    `timeline cite singapore-summit hanoi-summit --style csl-json > refs.json`,
    `timeline cite hanoi-summit --as-of 2019-03-01` (only the sources published by then).
    """
    with _guard():
        from timeline.cite import cite as citations

        if not as_of:  # a large dataset's index reads only these events (an unknown id: the files)
            from timeline.loader import load_indexed
            from timeline.query import Filter

            unique = tuple(dict.fromkeys(ids))
            found = load_indexed(data or _settings(ctx).data, Filter(ids=unique))
            if found is not None:
                header, events = found
                by_id = {event.id: event for event in events}
                _write(citations([by_id[event_id] for event_id in unique], header, style.value), data=True)
                return
        whole = _load(ctx, data)
        timeline, known = _as_of(whole, as_of)
        wanted = _unknown_then(whole, timeline, tuple(dict.fromkeys(ids)), known[0]) if known else ids
        by_id = {event.id: event for event in timeline.events}
        if known:
            chosen = [by_id[event_id] for event_id in wanted]
        else:
            from timeline.query import resolve_id

            chosen = [by_id[resolve_id(timeline, event_id)] for event_id in dict.fromkeys(wanted)]
        if chosen:
            _write(citations(chosen, timeline, style.value), data=True)


# -- understanding the record: stats, chart, thread, actor, on-this-day (issue 11) -----------


def _as_of(timeline: "Timeline", as_of: str | None) -> tuple["Timeline", list[str]]:
    """The timeline as known on --as-of DATE (the end of its period), and the heading's words."""
    if not as_of:
        return timeline, []
    import datetime as dt

    from timeline.analysis.asof import as_of as known_on
    from timeline.analysis.asof import label
    from timeline.dates import parse_user_date

    day = parse_user_date(as_of, "--as-of", today=dt.date.today()).last_day
    return known_on(timeline, day), [label(day)]


def _unknown_then(whole: "Timeline", known: "Timeline", ids: tuple[str, ...], label: str) -> tuple[str, ...]:
    """The ids still on record in ``known``; a note for each real event that was not yet."""
    from timeline.query import resolve_id

    on_record = {event.id for event in known.events}
    kept = []
    for event_id in ids:
        event_id = resolve_id(whole, event_id)  # an unknown id is still an error
        if event_id in on_record:
            kept.append(event_id)
        else:
            _warn(f"{event_id}: no source published by then ({label})")
    return tuple(kept)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _print_lines(ctx: typer.Context, color: Color | None, build: Any) -> None:
    """Lay out ``build(width)`` (styled lines of ``render``) on the console, or as plain text."""
    from timeline.render import MAX_WIDTH, _ascii_only, plain_text, to_text

    console = _console(ctx, color)
    lines = build(min(console.width, MAX_WIDTH))
    if console.color_system is None and not console.is_terminal:
        _write(plain_text(lines, ascii_only=_ascii_only(console)) + "\n")
        return
    console.print(to_text(lines, ascii_only=_ascii_only(console)), soft_wrap=True)


def _json(value: object) -> None:
    import json

    _write(json.dumps(value, ensure_ascii=False, indent=2) + "\n", data=True)


def _chosen(
    ctx: typer.Context,
    data: list[Path] | None,
    as_of: str | None,
    criteria: "Filter | None" = None,
) -> "tuple[Timeline, Selection]":
    """Load, apply --as-of, select (everything without criteria); the heading names both."""
    from timeline.query import Filter

    timeline, known_on = _as_of(_load(ctx, data), as_of)
    selection = _select(timeline, criteria or Filter())
    selection.understood[:0] = known_on
    return timeline, selection


_STATS_HELP = (
    "Counts by year, era, tag, actor, publisher and CAMEO root category, with bars; the busiest and "
    "quietest periods; the longest gap between events.\n\n"
    "Examples: `timeline stats`, `timeline stats --actor Putin`, "
    "`timeline stats --since 2025 --format json`, `timeline stats --as-of 2019-02-26`."
)


@app.command(help=_STATS_HELP)
def stats(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    with _guard():
        from timeline.analysis.stats import stats as count

        criteria = _filter(
            actor, tag, search, since, until, match_all, None, False,
            ids=ids, not_actor=not_actor, not_tag=not_tag,
        )  # fmt: skip
        timeline, selection = _chosen(ctx, data, as_of, criteria)
        result = count(selection.events, timeline)
        if fmt is ListFormat.json:
            _json(result.as_json())
            return
        from timeline.analysis.views import stats_lines

        _print_lines(ctx, color, lambda width: stats_lines(result, timeline, width, selection.understood))


_CHART_HELP = (
    "The cooperation–conflict picture: per period, the summed Goldstein score of the events' CAMEO "
    "codes (−10 conflict … +10 cooperation, from GDELT's table), the number of events and the mean.\n\n"
    "Bars to the right are cooperation, to the left conflict; era bands mark where eras begin; empty "
    'periods say so. `--format json` gives [{"period", "events", "goldstein", "mean", ...}]. '
    "The same chart as a picture: `timeline export svg`.\n\n"
    "Examples: `timeline chart`, `timeline chart --by quarter --since 2018 --until 2019`, "
    "`timeline chart --by month --actor Putin --format json`."
)


@app.command(help=_CHART_HELP)
def chart(
    ctx: typer.Context,
    by: Annotated[By, typer.Option("--by", help="One row per year, quarter or month.")] = By.year,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    with _guard():
        from timeline.analysis.goldstein import chart as make_chart

        criteria = _filter(
            actor, tag, search, since, until, match_all, None, False,
            ids=ids, not_actor=not_actor, not_tag=not_tag,
        )  # fmt: skip
        timeline, selection = _chosen(ctx, data, as_of, criteria)
        result = make_chart(selection.events, timeline, by.value)
        if fmt is ListFormat.json:
            _json([period.as_json() for period in result.periods])
            return
        from timeline.analysis.views import chart_lines

        _print_lines(ctx, color, lambda width: chart_lines(result, timeline, width, selection.understood))


@app.command()
def thread(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="An event id.", metavar="ID", autocompletion=_complete_ids)],
    full: Annotated[bool, typer.Option("--full", help="Each event in full, not one line each.")] = False,
    fmt: FormatOpt = ShowFormat.terminal,  # type: ignore[attr-defined]
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """The whole thread of an event: every event linked to it by `related`, directly or not, in date order.

    Examples: `timeline thread singapore-summit`, `timeline thread hanoi-summit --full`,
    `timeline thread singapore-summit --format markdown`.
    """
    with _guard():
        from timeline.analysis.threads import thread as connected
        from timeline.query import Selection, resolve_id

        whole = _load(ctx, data)
        timeline, known_on = _as_of(whole, as_of)
        event_id = resolve_id(whole, event_id)
        on_record = not known_on or _unknown_then(whole, timeline, (event_id,), known_on[0])
        events = connected(timeline, event_id) if on_record else []
        selection = Selection(events, [*known_on, f"thread of {event_id}"])
        _emit(ctx, selection, timeline, fmt, not full, color, pager=True, known_on=_first(known_on))


@app.command()
def actor(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="Actor id, name or alias.", metavar="NAME", autocompletion=_complete_actors)
    ],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """An actor's dossier: who they are, when they appear, with whom, their quotes and events.

    Name, aliases, role, country, first and last appearance, events per year (a sparkline), the
    actors they appear with most, their quotes with citations, and their events in compact form.

    Examples: `timeline actor Kim`, `timeline actor "Kim Yo Jong"`, `timeline actor putin --format json`.
    """
    with _guard():
        from timeline.analysis.dossier import dossier
        from timeline.query import match_actor

        timeline, known_on = _as_of(_load(ctx, data), as_of)
        actor_id, exact = match_actor(timeline, name, "NAME")
        if not exact:
            _warn(f"{name}: taken as {timeline.actor_name(actor_id)} ({actor_id})")
        result = dossier(timeline, actor_id)
        if fmt is ListFormat.json:
            _json(_dossier_json(result, timeline))
            return
        from timeline.analysis.views import actor_lines

        _print_lines(ctx, color, lambda width: actor_lines(result, timeline, width, known_on))


def _dossier_json(result: Any, timeline: "Timeline") -> dict[str, object]:
    from timeline.exporters.json import event_record

    def brief(event: Any) -> dict[str, object] | None:
        return None if event is None else {"id": event.id, "date": event.date.iso(), "title": event.title}

    actor = result.actor
    return {
        "id": actor.id,
        "name": actor.name,
        "aliases": list(actor.aliases),
        "role": actor.role,
        "country": actor.country,
        "first": brief(result.first),
        "last": brief(result.last),
        "per_year": {str(year): n for year, n in result.per_year},
        "appears_with": [
            {"id": a, "name": timeline.actor_name(a), "events": n} for a, n in result.companions
        ],
        "quotes": [
            {
                "text": q.text,
                "event": e.id,
                "date": e.date.iso(),
                "sources": event_record(e, timeline)["sources"],
            }
            for e, q in result.quotes
        ],
        "events": [brief(e) for e in result.events],
    }


@app.command("on-this-day")
def on_this_day(
    ctx: typer.Context,
    day: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="A day: '12 June', 06-12, 2018-06-12 (default: today).", metavar="[DATE]"),
    ] = None,
    window: Annotated[
        int, typer.Option("--window", "-w", min=0, max=183, help="Also N days either side.", metavar="N")
    ] = 0,
    full: Annotated[bool, typer.Option("--full", help="Each event in full, not one line each.")] = False,
    fmt: FormatOpt = ShowFormat.terminal,  # type: ignore[attr-defined]
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """Events of the same month and day in every year (known to the day), in date order.

    Examples: `timeline on-this-day`, `timeline on-this-day "12 June"`,
    `timeline on-this-day 06-12 --window 3`.
    """
    with _guard():
        import datetime as dt

        from timeline.analysis.onthisday import on_this_day as same_day
        from timeline.analysis.onthisday import parse_day
        from timeline.models import MONTHS
        from timeline.query import Selection

        today = dt.date.today()
        wanted = parse_day(day, today) if day else today
        timeline, known_on = _as_of(_load(ctx, data), as_of)
        events = [event for event, _ in same_day(timeline.events, wanted, window)]
        label = f"on this day: {wanted.day} {MONTHS[wanted.month - 1]}"
        if window:
            label += f" ± {window} day{'s' if window != 1 else ''}"
        selection = Selection(events, [*known_on, label])
        if not events:
            _warn("no events match")
        _emit(ctx, selection, timeline, fmt, not full, color, pager=True, known_on=_first(known_on))


# -- curating: add, new, schema, sources, diff (issue 12) -----------------------------------

# (issue 12's commands go here)


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _target(ctx: typer.Context, data: list[Path] | None) -> Path:
    """The one dataset file that `add` writes: --data, $TIMELINE_DATA, else the checkout's file;
    never the copy inside an installed package."""
    from timeline.loader import locate

    paths = locate(data or _settings(ctx).data)
    if len(paths) != 1:
        raise UsageError("add writes one file: pass a single --data FILE")
    path = paths[0]
    package = Path(__file__).resolve().parent
    if package in path.resolve().parents:
        raise UsageError(
            f"{path} is the read-only copy inside the installed package; pass the file to edit "
            "with --data FILE (e.g. a checkout's data/events.yaml)"
        )
    return path


def _snippet(text: str, name: str) -> dict[str, Any]:
    """An event given as YAML (a mapping, or a list holding one mapping)."""
    from timeline.errors import DataError, Problem
    from timeline.yamlread import parse_yaml

    value = parse_yaml(text, name)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, dict):
        raise DataError([Problem(name, "expected one event: a YAML mapping with date, title, sources...")])
    return _plain(value)


def _plain(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@app.command()
def add(
    ctx: typer.Context,
    date: Annotated[
        str | None, typer.Option(help="Local date it happened: 2018-06-12, 2018-06 or 2018.")
    ] = None,
    end: Annotated[Optional[str], typer.Option(help="Last day, for a span.")] = None,  # noqa: UP045
    title: Annotated[Optional[str], typer.Option(help="One line.")] = None,  # noqa: UP045
    summary: Annotated[Optional[str], typer.Option(help="One to three sentences of fact.")] = None,  # noqa: UP045
    actor: Annotated[
        Optional[list[str]], typer.Option("--actor", "-a", help="Actor id, name or alias (repeatable).")  # noqa: UP045
    ] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,  # noqa: UP045
    place: Annotated[Optional[str], typer.Option(help="Where it happened.")] = None,  # noqa: UP045
    cameo: Annotated[Optional[str], typer.Option(help="CAMEO event code, e.g. 036.")] = None,  # noqa: UP045
    quote: Annotated[list[str] | None, typer.Option(help="A verbatim quote (repeatable, with --by).")] = None,
    by: Annotated[Optional[list[str]], typer.Option(help="Who said the quote of the same position.")] = None,  # noqa: UP045
    source: Annotated[list[str] | None, typer.Option(help="Source URL (repeatable).", metavar="URL")] = None,
    source_title: Annotated[
        list[str] | None, typer.Option(help="Headline of the source of the same position.")
    ] = None,
    publisher: Annotated[
        list[str] | None, typer.Option(help="Publisher of the source of the same position.")
    ] = None,
    source_date: Annotated[Optional[list[str]], typer.Option(help="Publication date of that source.")] = None,  # noqa: UP045
    kind: Annotated[Optional[list[str]], typer.Option(help="primary or secondary, for that source.")] = None,  # noqa: UP045
    event_id: Annotated[
        str | None, typer.Option("--id", help="The id (default: proposed from the title).")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="Read the event from a YAML file ('-': stdin).", metavar="FILE"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the unified diff; write nothing.")
    ] = False,
    data: DataOpt = None,
) -> None:
    """Add an event to a dataset file, in date order, leaving every other byte as it was.

    The new file is validated before anything is written, and written atomically. Missing
    required fields are asked for on a terminal.

    Examples: `timeline add --date 2019-06-30 --title "Trump meets Kim at the DMZ" -a Trump -a Kim
    --tag summit --source https://... --source-title "..." --publisher Reuters --source-date 2019-06-30
    --data data/events.yaml --dry-run`; `timeline add --from event.yaml`; `timeline new > event.yaml`.
    """
    with _guard():
        from timeline.curate.add import insert
        from timeline.loader import read_text
        from timeline.query import resolve_actor

        path = _target(ctx, data)
        text = read_text(path)
        if from_file is not None:
            snippet = sys.stdin.read() if str(from_file) == "-" else read_text(from_file)
            event = _snippet(snippet, "<stdin>" if str(from_file) == "-" else str(from_file))
        elif not any((date, title, source)) and not sys.stdin.isatty():
            event = _snippet(sys.stdin.read(), "<stdin>")
        else:
            event = {}
        timeline = _load(ctx, [path])
        fields = {
            "id": event_id,
            "date": date,
            "end": end,
            "title": title,
            "summary": summary,
            "place": place,
        }
        event.update({k: v for k, v in fields.items() if v})
        if cameo:
            event["cameo"] = cameo
        if actor:
            event["actors"] = [resolve_actor(timeline, name) for name in actor]
        if tag:
            event["tags"] = list(tag)
        if quote:
            speakers = list(by or [])
            event["quotes"] = [
                {"text": q, **({"by": resolve_actor(timeline, speakers[i])} if i < len(speakers) else {})}
                for i, q in enumerate(quote)
            ]
        if source:
            columns = (source_title or [], publisher or [], source_date or [], kind or [])
            event["sources"] = [
                {
                    "title": columns[0][i] if i < len(columns[0]) else None,
                    "publisher": columns[1][i] if i < len(columns[1]) else None,
                    "url": url,
                    "date": columns[2][i] if i < len(columns[2]) else None,
                    "kind": columns[3][i] if i < len(columns[3]) else "secondary",
                }
                for i, url in enumerate(source)
            ]
        if sys.stdin.isatty() and sys.stdout.isatty():
            _ask_missing(event)
        addition = insert(path, text, event)
        if dry_run:
            _write(addition.diff)
            return
        from timeline.files import write_atomic

        write_atomic(path, addition.text, force=True)
        sys.stderr.write(f"timeline: added {addition.event_id} to {path}\n")


def _ask_missing(event: dict[str, Any]) -> None:
    """On a terminal, prompt for the fields an event cannot do without."""
    for key, prompt in (("date", "Date (YYYY-MM-DD)"), ("title", "Title"), ("summary", "Summary")):
        if not event.get(key):
            event[key] = typer.prompt(prompt)
    if not event.get("sources"):
        event["sources"] = [
            {
                "url": typer.prompt("Source URL"),
                "title": typer.prompt("Source headline"),
                "publisher": typer.prompt("Publisher"),
                "date": typer.prompt("Publication date (YYYY-MM-DD)"),
                "kind": "secondary",
            }
        ]


@app.command()
def new(ctx: typer.Context, data: DataOpt = None) -> None:
    """Print a commented template event in the dataset file's own style.

    Example: `timeline new > event.yaml`, edit it, then `timeline add --from event.yaml`.
    """
    with _guard():
        from timeline.curate.add import Style, detect_style, template
        from timeline.loader import locate, read_text

        paths = locate(data or _settings(ctx).data)
        style = detect_style(read_text(paths[0])) if paths else Style()
        _write(template(style))


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of the dataset file that curators edit.

    Editors that speak the YAML language server check data/events.yaml against it (see its
    first line). Example: `timeline schema > dataset.schema.json`.
    """
    with _guard():
        from importlib.resources import files

        _write(
            files("timeline.curate").joinpath("dataset.schema.json").read_text(encoding="utf-8"), data=True
        )


@app.command()
def sources(
    ctx: typer.Context,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="text or json.")] = ListFormat.text,
    data: DataOpt = None,
) -> None:
    """Citation health: the curator's to-do list.

    Publishers by citations; events resting on one source or one publisher; events with no
    primary source; sources dated before their event; undated sources; with the share of each.
    Examples: `timeline sources`, `timeline sources --since 2025 --format json`.
    """
    with _guard():
        from timeline.curate.health import health

        criteria = _filter(
            actor, tag, search, since, until, match_all, None, False,
            ids=ids, not_actor=not_actor, not_tag=not_tag,
        )  # fmt: skip
        _, selection = _chosen(ctx, data, as_of, criteria)
        report = health(selection.events)
        if fmt is ListFormat.json:
            import json

            _write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n", data=True)
            return
        _write(_health_text(report))


def _health_text(report: Any) -> str:
    from timeline.escape import one_line

    lines = [f"{report.events} events, {report.sources} sources", "", "Citations by publisher:"]
    width = max((len(one_line(p)) for p, _ in report.publishers[:25]), default=0)
    lines += [f"  {n:>4}  {one_line(p).ljust(width)}".rstrip() for p, n in report.publishers[:25]]
    if len(report.publishers) > 25:
        lines.append(f"  ... and {len(report.publishers) - 25} more publishers (--format json lists all)")
    for title, ids in (
        ("Events resting on a single source", report.single_source),
        ("Events whose sources are all one publisher", report.single_publisher),
        ("Events with no primary (official) source", report.no_primary),
    ):
        lines += ["", f"{title}: {len(ids)} ({report.share(len(ids))}%)"]
        lines += [f"  {one_line(i)}" for i in ids[:40]]
        if len(ids) > 40:
            lines.append(f"  ... and {len(ids) - 40} more (--format json lists all)")
    for title, rows in (
        ("Sources published before the event they cite", report.before_event),
        ("Undated sources", report.undated),
    ):
        lines += ["", f"{title}: {len(rows)} ({report.share(len(rows), report.sources)}% of sources)"]
        lines += [f"  {one_line(e)}  {one_line(u)}" for e, u in rows[:40]]
    return "\n".join(lines) + "\n"


@app.command()
def diff(
    ctx: typer.Context,
    old: Annotated[Optional[Path], typer.Argument(help="The older dataset file.", show_default=False)] = None,  # noqa: UP045
    new: Annotated[Optional[Path], typer.Argument(help="The newer dataset file.", show_default=False)] = None,  # noqa: UP045
    rev: Annotated[
        str | None,
        typer.Option("--rev", help="Compare the working file with its version at this git revision."),
    ] = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json or markdown (a changelog).")
    ] = DiffFormat.text,
    data: DataOpt = None,
) -> None:
    """What changed between two versions of a dataset: events, actors and eras added, removed and
    changed, field by field.

    Examples: `timeline diff old.yaml data/events.yaml`, `timeline diff --rev HEAD~5`,
    `timeline diff --rev v1.0 --format markdown > CHANGES.md`.
    """
    with _guard():
        import tempfile

        from timeline.curate import diff as differ
        from timeline.loader import locate

        if rev is not None:
            if new is not None:
                raise UsageError("--rev compares one file with its past: give at most one FILE")
            paths = [old] if old else locate(data or _settings(ctx).data)
            if len(paths) != 1:
                raise UsageError("--rev compares one file: pass a single --data FILE")
            current = paths[0]
            with tempfile.TemporaryDirectory() as folder:
                past = Path(folder) / f"{current.name}@{rev.replace('/', '_')}"
                past.write_text(differ.revision_text(current, rev), encoding="utf-8")
                before = _load(ctx, [past], use_cache=False)
            after = _load(ctx, [current], use_cache=False)
            names = (f"{current.name} at {rev}", current.name)
        else:
            if old is None or new is None:
                raise UsageError("diff needs two files, OLD and NEW (or --rev REVISION)")
            before = _load(ctx, [old], use_cache=False)
            after = _load(ctx, [new], use_cache=False)
            names = (str(old), str(new))
        result = differ.compare(before, after)
        if fmt is DiffFormat.json:
            import json

            _write(json.dumps(differ.as_dict(result), ensure_ascii=False, indent=2) + "\n", data=True)
        elif fmt is DiffFormat.markdown:
            _write(differ.markdown(result, *names), data=True)
        else:
            _write(differ.text(result))


# -- browsing (issue 15) ---------------------------------------------------------------------


@app.command()
def browse(
    ctx: typer.Context,
    words: WordsArg = None,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    ids: IdOpt = None,
    not_actor: NotActorOpt = None,
    not_tag: NotTagOpt = None,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    sort: SortOpt = Sort.date,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """Read the (filtered) timeline full-screen: search as you type, filter panes, sources one key away.

    Press ? in the app for every key. Examples: `timeline browse`, `timeline browse --since 2023`,
    `timeline browse -a Putin`. Needs a terminal.
    """
    with _guard():
        if not (sys.stdout.isatty() and sys.stdin.isatty()):
            which = "standard output" if not sys.stdout.isatty() else "standard input"
            raise UsageError(f"browse needs a terminal ({which} is not one); try 'timeline show'")
        words = [w for w in words or () if w.strip()]
        search = [*(search or ()), " ".join(words)] if words else search
        criteria = _filter(
            actor, tag, search, since, until, match_all, limit, reverse,
            ids=ids, not_actor=not_actor, not_tag=not_tag, sort=sort,
        )  # fmt: skip
        timeline = _load(ctx, data)
        criteria = _lookup(criteria, words, timeline)
        _select(timeline, criteria)  # bad criteria fail here, before the screen is taken over
        if (color or _settings(ctx).color) is Color.never:
            os.environ["NO_COLOR"] = "1"  # Textual's switch for monochrome
        from timeline.tui import browse as run_browser

        code = run_browser(timeline, criteria, export_options=_options())
    if code:
        raise typer.Exit(code)


def main() -> None:
    """Console-script entry point."""
    if not _utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        # a non-UTF-8 terminal: show what it cannot encode as '?', never crash on it
        sys.stdout.reconfigure(errors="replace")
    _only_the_command_given(sys.argv[1:])
    app(prog_name="timeline")  # `python -m timeline` too: its usage lines and shell completion


_GLOBAL_WITH_VALUE = ("--data", "-d", "--color")


def _only_the_command_given(args: list[str]) -> None:
    """Register only the command the user named: typer builds every registered command's options
    before it parses (~0.4 ms each), and `timeline show` should not pay for the other commands.

    Bare `timeline`, `--help` and shell completion keep every command."""
    if os.environ.get("_TIMELINE_COMPLETE"):
        return
    names = {
        info.name or (info.callback.__name__ if info.callback else "") for info in app.registered_commands
    }
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in _GLOBAL_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        if arg in names:
            app.registered_commands[:] = [
                info
                for info in app.registered_commands
                if (info.name or (info.callback.__name__ if info.callback else "")) == arg
            ]
        return
