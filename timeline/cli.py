"""The command layer: the only module that imports typer or writes to the terminal.

It parses options, calls the core, and turns every TimelineError into a one-line message on
stderr with the exit code of its kind. stdout carries data only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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
    from rich.console import Console

    from timeline.exporters import ExportOptions
    from timeline.models import Timeline
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


def _completion_timeline(ctx: typer.Context) -> Timeline | None:
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
    return _starting(incomplete, [(e.id, f"{e.when()}: {e.title}") for e in events])


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
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python's final flush quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(ExitCode.BROKEN_PIPE) from None


def _load(ctx: typer.Context, paths: list[Path] | None, *, use_cache: bool = True) -> Timeline:
    from timeline.loader import load

    return load(paths or _settings(ctx).data, use_cache=use_cache)


def _console(ctx: typer.Context, color: Color | None) -> Console:
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
) -> Filter:
    import datetime as dt

    from timeline.dates import date_range
    from timeline.query import Filter

    low, high = date_range(since, until, today=dt.date.today()) if (since or until) else (None, None)
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


def _lookup(criteria: Filter, words: list[str], timeline: Timeline) -> Filter:
    """Words that are all event ids (`timeline show hanoi-summit`) look those events up, not search."""
    known = {event.id for event in timeline.events}
    if not words or not all(word in known for word in words):
        return criteria
    from dataclasses import replace

    return replace(criteria, ids=(*criteria.ids, *words), search=criteria.search[:-1])


def _warn(message: str) -> None:
    sys.stderr.write(f"timeline: {message}\n")
    sys.stderr.flush()


def _select(timeline: Timeline, criteria: Filter) -> Selection:
    from timeline.query import run

    selection = run(timeline, criteria)
    for note in selection.notes:
        _warn(note)
    if criteria.sort == "relevance" and not selection.queries:
        _warn("--sort relevance has no effect without a search")
    if not selection.events:
        _warn("no events match")
    return selection


def _utf8(stream: Any) -> bool:
    return (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "") == "utf8"


def _write(text: str, *, data: bool = False) -> None:
    """Write to stdout. Data formats (JSON, Markdown) are UTF-8 whatever the locale says."""
    if data and not _utf8(sys.stdout) and hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _options(**choices: Any) -> ExportOptions:
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
    selection: Selection,
    timeline: Timeline,
    fmt: ShowFormat,  # type: ignore[valid-type]
    compact: bool,
    color: Color | None,
    pager: bool,
) -> None:
    events = selection.events
    # a dumb terminal cannot run a pager well (less warns and misdraws), as git knows
    pager = pager and sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    if fmt is not ShowFormat.terminal:  # type: ignore[attr-defined]
        import shutil

        text = REGISTRY[fmt.value].export(events, timeline, _options())
        _output(text, pager=pager, height=shutil.get_terminal_size().lines, data=True)
        return
    if not events:
        return
    from timeline.render import plain_view, timeline_view

    console = _console(ctx, color)
    if console.color_system is None and not console.is_terminal:
        # nothing to style: the same text, without building and rendering Rich spans
        text = plain_view(console, events, timeline, compact=compact, understood=selection.understood)
        _output(text + "\n", pager=pager, height=console.height)
        return
    marks = None
    if selection.queries:
        from timeline.search import highlights

        queries = selection.queries

        def marks(text: str) -> list[tuple[int, int]]:
            return highlights(text, queries)

    view = timeline_view(
        console, events, timeline, compact=compact, understood=selection.understood, marks=marks
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
        if ctx.info_name == "filter" and criteria.is_empty:
            raise UsageError(
                "filter needs a criterion: words, --actor, --tag, --search, --since, --until, --id, "
                "--not-actor or --not-tag (use 'timeline show' for everything)"
            )
        if fmt is not ShowFormat.terminal:  # type: ignore[attr-defined]
            for flag, given in (("--compact", compact), ("--color", color is not None)):
                if given:
                    _warn(f"{flag} has no effect with --format {fmt.value}")
        timeline = _load(ctx, data)
        criteria = _lookup(criteria, words, timeline)
        _emit(ctx, _select(timeline, criteria), timeline, fmt, compact, color, pager=not no_pager)


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
        exporter.check_options({"schema": schema, "mermaid": mermaid, "group": group is not Group.year})
        if schema:
            from timeline.exporters.json import schema as json_schema

            text = json_schema()
        else:
            criteria = _filter(
                actor, tag, search, since, until, match_all, limit, reverse,
                ids=ids, not_actor=not_actor, not_tag=not_tag, sort=sort,
            )  # fmt: skip
            timeline = _load(ctx, data)
            events = _select(timeline, criteria).events
            text = exporter.export(events, timeline, _options(group=group.value, mermaid=mermaid))
        if output is None or str(output) == "-":
            _write(text, data=True)
            return
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
    data: DataOpt = None,
) -> None:
    """Check a dataset against the schema and report every problem as file:line:column.

    Exits 0 when valid, 1 otherwise. Examples: `timeline validate data/events.yaml`,
    `git show HEAD:data/events.yaml | timeline validate -`.
    """
    with _guard():
        if paths and any(str(p) == "-" for p in paths):
            timeline = _validate_with_stdin(paths)
        else:
            timeline = _load(ctx, paths or data, use_cache=False)  # a full check, whatever is cached
        files = ", ".join(timeline.paths)
        _write(f"{files}: valid: {len(timeline.events)} events, {len(timeline.actors)} actors\n")


def _validate_with_stdin(paths: list[Path]) -> Timeline:
    """Validate files where '-' stands for standard input (read once, named <stdin> in messages)."""
    from timeline.errors import DataError, Problem
    from timeline.loader import load_raw, parse_yaml
    from timeline.validate import build

    docs = []
    problems: list[Problem] = []
    stdin_read = False
    for path in paths:
        try:
            if str(path) != "-":
                docs.append((str(path), load_raw(path)))
                continue
            if stdin_read:
                raise DataError([Problem("<stdin>", "'-' given twice; standard input is read once")])
            stdin_read = True
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise DataError(
                    [Problem("<stdin>", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")]
                ) from None
            docs.append(("<stdin>", parse_yaml(text, "<stdin>")))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return build(docs)


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
    """List the actors you can filter on: event count, id, name and aliases.

    Example: `timeline actors`, then `timeline filter --actor <id or alias>`.
    """
    with _guard():
        from timeline.query import counts

        timeline = _load(ctx, data)
        per_actor, _ = counts(timeline)
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
    data: DataOpt = None,
) -> None:
    """Print ready-to-paste citations: each event in one sentence with its date, then its sources.

    Examples: `timeline cite singapore-summit`, `timeline cite hanoi-summit --style plain`,
    `timeline cite singapore-summit hanoi-summit --style csl-json > refs.json`.
    """
    with _guard():
        from timeline.cite import cite as citations
        from timeline.query import resolve_id

        timeline = _load(ctx, data)
        by_id = {event.id: event for event in timeline.events}
        chosen = [by_id[resolve_id(timeline, event_id)] for event_id in dict.fromkeys(ids)]
        _write(citations(chosen, timeline, style.value), data=True)


# -- understanding the record: stats, chart, thread, actor, on-this-day (issue 11) -----------

# (issue 11's commands go here)


# -- curating: add, new, schema, sources, diff (issue 12) -----------------------------------

# (issue 12's commands go here)


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
    app()
