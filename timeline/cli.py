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
    from timeline.models import Event, Timeline
    from timeline.query import Filter


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
    add_completion=False,
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
    ),
]
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--tag", "-t", help="Tag, e.g. summit (repeatable).", metavar="TAG", rich_help_panel="Filters"
    ),
]
SearchOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--search",
        "-s",
        help="Text in title, summary, quotes or place; case-insensitive (repeatable).",
        metavar="TEXT",
        rich_help_panel="Filters",
    ),
]
SinceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--since",
        "--from",
        help="From this date on: 2018, 'June 2018', 2018-06-12.",
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
) -> Filter:
    from timeline.dates import date_range
    from timeline.query import Filter

    low, high = date_range(since, until) if (since or until) else (None, None)
    return Filter(
        actors=tuple(actor or ()),
        tags=tuple(tag or ()),
        search=tuple(search or ()),
        since=low,
        until=high,
        match_all=match_all,
        limit=limit,
        reverse=reverse,
    )


def _select(timeline: Timeline, criteria: Filter) -> list[Event]:
    from timeline.query import select

    events = select(timeline, criteria)
    if not events:
        sys.stderr.write("timeline: no events match\n")
    return events


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


def _emit(
    ctx: typer.Context,
    events: list[Event],
    timeline: Timeline,
    fmt: ShowFormat,  # type: ignore[valid-type]
    compact: bool,
    color: Color | None,
) -> None:
    if fmt is not ShowFormat.terminal:  # type: ignore[attr-defined]
        _write(REGISTRY[fmt.value].export(events, timeline, _options()), data=True)
        return
    if not events:
        return
    from timeline.render import plain_view, timeline_view

    console = _console(ctx, color)
    if console.color_system is None and not console.is_terminal:
        # nothing to style: the same text, without building and rendering Rich spans
        _write(plain_view(console, events, timeline, compact=compact) + "\n")
    else:
        console.print(timeline_view(console, events, timeline, compact=compact), soft_wrap=True)


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


_SHOW_HELP = """Show the timeline, grouped by year, with numbered citations.

Examples: `timeline show`, `timeline show --since 2019 --compact`, `timeline show --format json`.
"""

_FILTER_HELP = """Show only the events that match; at least one criterion is required.

Examples: `timeline filter --actor Kim`, `timeline filter -a Kim -a Putin --all --since 2023`,
`timeline filter --search DMZ`, `timeline filter --tag summit --until 2019`.
"""


def view(
    ctx: typer.Context,
    actor: ActorOpt = None,
    tag: TagOpt = None,
    search: SearchOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    match_all: AllOpt = False,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    fmt: FormatOpt = ShowFormat.terminal,  # type: ignore[attr-defined]
    compact: Annotated[bool, typer.Option("--compact", "-c", help="One line per event.")] = False,
    data: DataOpt = None,
    color: ColorOpt = None,
) -> None:
    """The body of `show` and `filter`: they differ only in that `filter` needs a criterion."""
    with _guard():
        criteria = _filter(actor, tag, search, since, until, match_all, limit, reverse)
        if ctx.info_name == "filter" and criteria.is_empty:
            raise UsageError(
                "filter needs a criterion: --actor, --tag, --search, --since or --until "
                "(use 'timeline show' for everything)"
            )
        timeline = _load(ctx, data)
        _emit(ctx, _select(timeline, criteria), timeline, fmt, compact, color)


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
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
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
            criteria = _filter(actor, tag, search, since, until, match_all, limit, reverse)
            timeline = _load(ctx, data)
            events = _select(timeline, criteria)
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
            help="Files to check. Default: --data, $TIMELINE_DATA, else the shipped dataset.",
            show_default=False,
            metavar="[PATH]...",
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Check a dataset against the schema and report every problem as file:line:column.

    Exits 0 when valid, 1 otherwise. Example: `timeline validate data/events.yaml`.
    """
    with _guard():
        timeline = _load(ctx, paths or data, use_cache=False)  # a full check, whatever is cached
        files = ", ".join(timeline.paths)
        _write(f"{files}: valid: {len(timeline.events)} events, {len(timeline.actors)} actors\n")


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

# (issue 10's commands go here)


# -- understanding the record: stats, chart, thread, actor, on-this-day (issue 11) -----------

# (issue 11's commands go here)


# -- curating: add, new, schema, sources, diff (issue 12) -----------------------------------

# (issue 12's commands go here)


# -- browsing (issue 15) ---------------------------------------------------------------------

# (issue 15's command goes here)


def main() -> None:
    """Console-script entry point."""
    if not _utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        # a non-UTF-8 terminal: show what it cannot encode as '?', never crash on it
        sys.stdout.reconfigure(errors="replace")
    app()
