"""The command layer: the only module that imports typer or writes to the terminal.

It parses options, calls the core, and turns every TimelineError into a one-line message on
stderr with the exit code of its kind. stdout carries data only.
"""

from __future__ import annotations

import itertools
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

    return _matched(select(timeline, criteria))


def _load_selected(
    ctx: typer.Context, paths: list[Path] | None, criteria: Filter
) -> tuple[Timeline, Sequence[Event]]:
    """Load and select at once: a large dataset's index decodes only the matching events."""
    from timeline.loader import load_selected

    timeline, events = load_selected(paths or _settings(ctx).data, criteria)
    return timeline, _matched(events)


def _matched(events: Sequence[Event]) -> Sequence[Event]:
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


def _write_chunks(chunks: Iterable[str], *, data: bool = False) -> None:
    """Write pieces of output as they come, so that memory does not grow with the output and a
    reader that stops early (``| head``) stops the work."""
    binary = data and not _utf8(sys.stdout) and hasattr(sys.stdout, "buffer")
    if binary:
        sys.stdout.flush()
    out = sys.stdout.buffer if binary else sys.stdout
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            text = "".join(pending)
            out.write(text.encode("utf-8") if binary else text)  # type: ignore[arg-type]
            pending, size = [], 0
    text = "".join(pending)
    out.write(text.encode("utf-8") if binary else text)  # type: ignore[arg-type]
    out.flush()


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
        _write_chunks(REGISTRY[fmt.value].chunks(events, timeline, _options()), data=True)
        return
    if not events:
        return
    from timeline.render import plain_chunks, timeline_view

    console = _console(ctx, color)
    if console.color_system is None and not console.is_terminal:
        # nothing to style: the same text, without building and rendering Rich spans
        _write_chunks(itertools.chain(plain_chunks(console, events, timeline, compact=compact), ["\n"]))
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
        timeline, events = _load_selected(ctx, data, criteria)
        _emit(ctx, events, timeline, fmt, compact, color)


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

            chunks: Iterable[str] = [json_schema()]
        else:
            criteria = _filter(actor, tag, search, since, until, match_all, limit, reverse)
            timeline, events = _load_selected(ctx, data, criteria)
            chunks = exporter.chunks(events, timeline, _options(group=group.value, mermaid=mermaid))
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
            help="Files to check. Default: --data, $TIMELINE_DATA, else the shipped dataset.",
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
    data/events.yaml`, `timeline validate --strict` (the policy of data/README.md, as in CI).
    """
    with _guard():
        chosen = paths or data or _settings(ctx).data
        timeline = _load(ctx, chosen, use_cache=False)  # a full check, whatever is cached
        if strict:
            from timeline.curate.strict import check
            from timeline.errors import DataError
            from timeline.loader import load_raw, locate

            problems = check([(str(p), load_raw(p)) for p in locate(chosen)])
            if problems:
                raise DataError(problems)
        files = ", ".join(timeline.paths)
        mode = " (strict)" if strict else ""
        _write(f"{files}: valid{mode}: {len(timeline.events)} events, {len(timeline.actors)} actors\n")


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

        criteria = _filter(actor, tag, search, since, until, match_all, None, False)
        timeline = _load(ctx, data)
        report = health(_select(timeline, criteria))
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

# (issue 15's command goes here)


def main() -> None:
    """Console-script entry point."""
    if not _utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        # a non-UTF-8 terminal: show what it cannot encode as '?', never crash on it
        sys.stdout.reconfigure(errors="replace")
    app()
