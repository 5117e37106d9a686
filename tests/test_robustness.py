"""Hostile and broken conditions, end to end in real processes: pipes, signals, terminals, locales."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pty
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI, scaled
from timeline.errors import TimelineError
from timeline.exporters import EXPORTERS
from timeline.validate import build
from timeline.yamlread import parse_yaml

COMMAND = [sys.executable, "-m", "timeline"]


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TIMELINE_DATA")}
    return {**base, **extra}


def test_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen([*COMMAND, "show"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()  # like `| head -c 100`
    stderr = process.stderr.read()
    # 141 where the write fails with EPIPE; some kernels end a blocked write silently instead
    assert process.wait(timeout=30) in (0, 141)
    assert stderr == b""


def interruptible() -> None:
    """In a child about to run the tool: Ctrl-C as a terminal gives it, even when these tests run
    where SIGINT is ignored (a job started in the background, `nohup`): Python then never
    installs its handler, and the signal would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_without_traceback() -> None:
    # stdout is a pipe nobody reads: once the first byte arrives the process is writing, and it
    # blocks when the pipe is full (the view is far larger than a pipe's buffer); then SIGINT
    process = subprocess.Popen(
        [*COMMAND, "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
        preexec_fn=interruptible,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1)
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)  # a signal that did nothing: the view ends, exit 0
    finally:
        process.kill()
    assert process.returncode == 130
    assert b"Traceback" not in stderr


def run_in_terminal(term: str, *args: str, **extra: str) -> bytes:
    """Run in a pseudo-terminal (so the tool sees a real terminal) and return what it printed.

    The terminal is 80 columns by 200 lines unless ``extra`` (environment variables) says otherwise.
    """
    main, child = pty.openpty()
    variables = env(**{"TERM": term, "COLUMNS": "80", "LINES": "200", **extra})
    process = subprocess.Popen([*COMMAND, *args], stdin=child, stdout=child, stderr=child, env=variables)
    os.close(child)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 10)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=30)
    os.close(main)
    return out


def test_dumb_terminal_gets_no_escape_codes() -> None:
    args = ("show", "--data", str(MINI))
    assert b"\x1b[" in run_in_terminal("xterm-256color", *args)  # a real terminal gets colour...
    dumb = run_in_terminal("dumb", *args)
    assert b"Fixture timeline" in dumb
    assert b"\x1b" not in dumb  # ...a dumb one none


def test_non_utf8_locale(tmp_path: Path) -> None:
    hangul = tmp_path / "hangul.yaml"
    hangul.write_text(
        MINI.read_text(encoding="utf-8").replace("A threat is made.", "김정은 — “quoted”"), "utf-8"
    )
    view = subprocess.run(
        [*COMMAND, "show", "--data", str(hangul)], capture_output=True, env=env(PYTHONIOENCODING="ascii")
    )
    assert view.returncode == 0, view.stderr
    text = view.stdout.decode("ascii")  # nothing it cannot encode reaches the terminal
    assert '??? - "quoted"' in text and "-- 5 events" not in text and "Fixture timeline - 5 events" in text
    data = subprocess.run(
        [*COMMAND, "show", "-f", "json", "--data", str(hangul)],
        capture_output=True,
        env=env(PYTHONIOENCODING="ascii"),
    )
    assert data.returncode == 0
    assert json.loads(data.stdout.decode("utf-8"))[0]["summary"] == "김정은 — “quoted”"  # data stays UTF-8


def test_twenty_columns(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--data", str(MINI), env={"COLUMNS": "20"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 20 for line in lines if "://" not in line), lines
    assert "      https://news.test/threat" in lines  # addresses are never cut


def test_very_wide_terminal(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "--data", str(MINI), env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert "12 Jun 2018  The leaders meet" in result.stdout


def test_big_file_is_refused_with_a_reason(tmp_path: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(1536 * 1024 * 1024)  # sparse: costs no disk
    result = invoke("validate", str(big))
    assert result.exit_code == 1
    assert result.stderr == f"timeline: {big}: is 1536.0 MiB; datasets over 1024 MiB (1 GiB) are refused\n"


def test_a_large_honest_file_is_within_the_size_limit() -> None:
    from timeline.loader import MAX_BYTES

    assert MAX_BYTES >= 165 * 1000 * 1000 * 2  # a 100,000-event file (about 165 MB), with room to grow


@pytest.mark.parametrize("command", ["show", "validate", "export json"])
def test_devices_fifos_and_sockets_are_refused_without_reading(invoke, tmp_path: Path, command: str) -> None:  # type: ignore[no-untyped-def]
    import socket

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # nobody writes: opening it for reading would block forever
    sock_path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target, kind in (
            (Path("/dev/zero"), "a device"),  # reading it never ends
            (fifo, "a named pipe (FIFO)"),
            (sock_path, "a socket"),
        ):
            result = invoke(*command.split(), "--data", str(target))
            assert (result.exit_code, result.stdout) == (1, "")
            assert (
                result.stderr
                == f"timeline: {target}: is {kind}, not a regular file; only regular files are read\n"
            )
    finally:
        server.close()


def test_a_file_replaced_by_a_fifo_after_the_check_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline import loader

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    real_stat = os.stat
    regular = real_stat(MINI)
    monkeypatch.setattr(
        loader.os, "stat", lambda p, *a, **k: regular if Path(p) == fifo else real_stat(p, *a, **k)
    )
    with pytest.raises(TimelineError) as exc:
        loader.read_text(fifo)  # the open does not wait for a writer; the open file is checked again
    assert exc.value.lines() == [
        f"{fifo}: is a named pipe (FIFO), not a regular file; only regular files are read"
    ]


def _deny(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Tests run as root, who can read a mode-000 file: make the open fail as it would for a user."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


@pytest.mark.parametrize("command", ["show", "validate", "export markdown"])
def test_an_unreadable_data_file_is_one_line_and_exit_1(
    invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "secret.yaml"
    target.write_text(VALID, encoding="utf-8")
    target.chmod(0)
    _deny(monkeypatch, target)
    result = invoke(*command.split(), "--data", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"timeline: {target}: permission denied\n"


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads mode-000 files; the mocked test covers it"
)
def test_an_unreadable_data_file_for_real(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "secret.yaml"
    target.write_text(VALID, encoding="utf-8")
    target.chmod(0)
    result = invoke("validate", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"timeline: {target}: permission denied\n"


# -- property-based: whatever the input, the loader answers with its own error or a timeline -------

VALID = MINI.read_text(encoding="utf-8")


def check(text: str) -> None:
    with contextlib.suppress(TimelineError):  # the tool's own error: a message, never a traceback
        build([("f.yaml", parse_yaml(text, "f.yaml"))])


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates())  # fmt: skip
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=scaled(2))
@given(documents)
def test_random_yaml_documents(document: object) -> None:
    check(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=scaled(4))
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 8), st.text(max_size=6)), max_size=4))
def test_mutations_of_a_valid_dataset(edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for position, cut, insert in edits:
        text = text[:position] + insert + text[position + cut :]
    check(text)


@settings(max_examples=scaled(4))
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "events: [1, 2]\n",
        "events:\n  - {id: a, date: [2018]}\n",
        "actors: [a]\nevents: []\n",
        "? [a]\n: 1\n",
        "{[1]: 2}\n",
    ],
)
def test_odd_shapes_are_errors(text: str) -> None:
    with pytest.raises(TimelineError):
        build([("f.yaml", parse_yaml(text, "f.yaml"))])


# -- fuzzing: structured documents through every command ------------------------------------------

FORMATS = sorted(e.name for e in EXPORTERS)

TAGGED = [
    "!!timestamp foo", "!!bool foo", '!!int ""', '!!float ""', "!!str 5", "!!null x", "!!int 0x",
    "!!timestamp 2019-02-30", "!!timestamp 2018-06-12T10:00:00Z", "!!binary aGk=", "!custom x",
    "!!python/name:os.system", "!!set {a}", "!!omap [a: 1]", "!!float .nan", "!!float -.inf", "!!int 1_000",
]  # fmt: skip
DATES = [
    "2018-06-12", "2018-06", "2018", "'2018-06~'", "'2019?'", "2019-00-15", "2019-05-00", "2019-02-30",
    "0000-01-01", "0001-01-01", "0999-12-31", "9998-12-31", "9999-12-31", "'0000'", "1", "-5", "99999",
    "2018-06-12T10:00:00", "'12 June 2018'", "1e400", ".nan",
]  # fmt: skip
ODD = st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(
    "\x00\x07\x1b\x7f\x85\x9b\u061c\u200b\u200e\u202e\u2066\ufeff\ufffe\uffff\U0001f600\u0301김"
)


@st.composite
def yaml_scalar(draw: st.DrawFn) -> str:
    """A scalar as YAML text: plain, double-quoted (escapes included), tagged, or a date."""
    kind = draw(st.sampled_from(["text", "raw", "tagged", "date", "plain"]))
    if kind == "text":  # JSON strings are YAML double-quoted scalars; \uXXXX escapes reach the data
        return json.dumps(draw(st.text(ODD, max_size=12)), ensure_ascii=draw(st.booleans()))
    if kind == "raw":  # raw characters in the file, some of which YAML refuses
        return '"' + draw(st.text(ODD, max_size=8)).replace("\\", "").replace('"', "") + '"'
    if kind == "tagged":
        return draw(st.sampled_from(TAGGED))
    if kind == "date":
        return draw(st.sampled_from(DATES))
    return draw(
        st.sampled_from(
            ["null", "~", "true", "no", "0", "-1", "3.5", "0o17", "0x1F", "1:20", "x", "[]", "{}"]
        )
    )


def yaml_value(good: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly a value of the right shape; sometimes any scalar, list or mapping (wrong types)."""
    wrong = st.recursive(
        yaml_scalar(),
        lambda inner: (
            st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
            | st.lists(st.tuples(st.sampled_from(["a", "id", "date", "<<", "? x"]), inner), max_size=3).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
            )
        ),
        max_leaves=6,
    )
    return st.one_of(good, good, good, wrong)


def flow_map(fields: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """A flow mapping with a random subset of ``fields`` (and sometimes an unknown key)."""
    keys = st.lists(st.sampled_from([*fields, "extra"]), unique=True, max_size=len(fields) + 1)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        parts = [f"{key}: {draw(fields.get(key, yaml_scalar()))}" for key in draw(keys)]
        return "{" + ", ".join(parts) + "}"

    return build()


def flow_list(item: st.SearchStrategy[str], max_size: int = 3) -> st.SearchStrategy[str]:
    return st.lists(item, max_size=max_size).map(lambda xs: "[" + ", ".join(xs) + "]")


TEXT = st.text(ODD, min_size=1, max_size=20).map(lambda t: json.dumps(t, ensure_ascii=False))
IDS = st.sampled_from(["trump", "kim-jong-un", "putin", "a", "b", "Bad Id", "", "x" * 70])
DATE = st.sampled_from(DATES)
URL = st.sampled_from(
    ["'https://x.test/a'", "'http://x.test'", "'javascript:alert(1)'", "'https://x.test/\u202e'", "x"]
)
SOURCE = flow_map({"title": yaml_value(TEXT), "publisher": yaml_value(TEXT), "url": yaml_value(URL),
                   "date": yaml_value(DATE), "kind": yaml_value(st.sampled_from(["primary", "secondary", "other"]))})  # fmt: skip
EVENT = flow_map({
    "id": yaml_value(IDS), "date": yaml_value(DATE), "end": yaml_value(DATE), "title": yaml_value(TEXT),
    "summary": yaml_value(TEXT), "actors": yaml_value(flow_list(IDS)), "tags": yaml_value(flow_list(TEXT)),
    "place": yaml_value(TEXT), "cameo": yaml_value(st.sampled_from(["'043'", "043", "'9999'", "'01'"])),
    "quotes": yaml_value(flow_list(flow_map({"text": yaml_value(TEXT), "by": yaml_value(IDS)}))),
    "sources": yaml_value(flow_list(SOURCE)), "related": yaml_value(flow_list(IDS)),
})  # fmt: skip
ACTOR = flow_map({"name": yaml_value(TEXT), "aliases": yaml_value(flow_list(TEXT)), "role": yaml_value(TEXT),
                  "country": yaml_value(st.sampled_from(["USA", "PRK", "usa", "US"]))})  # fmt: skip
ERA = flow_map({"name": yaml_value(TEXT), "start": yaml_value(DATE), "end": yaml_value(DATE)})


@st.composite
def datasets(draw: st.DrawFn) -> str:
    """A whole file shaped like a dataset, with anchors, aliases and merge keys sprinkled in."""
    lines = [
        "schema: 1" if draw(st.booleans()) else f"schema: {draw(yaml_scalar())}",
        f"title: {draw(yaml_value(TEXT))}",
    ]
    actors = draw(st.lists(st.tuples(IDS, ACTOR), max_size=3))
    lines.append("actors: {" + ", ".join(f"{json.dumps(i)}: {a}" for i, a in actors) + "}")
    events = draw(st.lists(EVENT, max_size=4))
    anchored = draw(st.booleans()) and bool(events)
    lines.append("events:")
    for index, item in enumerate(events):
        if anchored and index == 0:
            item = "&e " + item
        elif anchored and draw(st.booleans()):
            item = draw(st.sampled_from(["*e", "{<<: *e, id: merged}", "*nope", "[*e, *e]"]))
        lines.append(f"  - {item}")
    if draw(st.booleans()):
        lines.append("eras: " + draw(flow_list(ERA)))
    return "\n".join(lines) + "\n"


VALID_DATES = ["2018-06-12", "2018-06", "2018", "'2018-06~'", "'2019?'", "0001-01-01", "'0001'", "0999-12-31",
               "1000", "9998-12-31", "'9998-12~?'", "2020-02-29"]  # fmt: skip


def _yaml_allows(c: str) -> bool:
    return (
        c in "\t\n\r\x85"
        or " " <= c <= "~"
        or "\xa0" <= c <= "\ud7ff"
        or "\ue000" <= c <= "\ufffd"
        or c >= "\U00010000"
    )


def _yaml_quoted(text: str) -> str:
    """A double-quoted YAML scalar: characters YAML allows raw stay raw, the others are escaped."""
    return "".join(c if _yaml_allows(c) else f"\\u{ord(c):04x}" for c in json.dumps(text, ensure_ascii=False))


SOME_TEXT = st.text(ODD, max_size=20).map(lambda t: _yaml_quoted("x" + t))


@st.composite
def valid_datasets(draw: st.DrawFn) -> str:
    """A valid file with hostile but legal content: escaped control and direction characters in
    text, extreme years, anchors and aliases; every command must accept it."""
    actors = ["trump", "kim-jong-un"]
    lines = [f"title: {draw(SOME_TEXT)}", "actors:"]
    lines += [
        f"  {a}: {{name: {draw(SOME_TEXT)}, aliases: [{draw(SOME_TEXT)}], country: USA}}" for a in actors
    ]
    lines.append("events:")
    for index in range(draw(st.integers(1, 4))):
        date = draw(st.sampled_from(VALID_DATES))
        end = ", end: 9998-12-31" if draw(st.booleans()) else ""
        source = (
            "*s"
            if index and draw(st.booleans())
            else (
                f"{'&s ' if index == 0 else ''}{{title: {draw(SOME_TEXT)}, publisher: {draw(SOME_TEXT)}, "
                f"url: 'https://x.test/{index}', date: {draw(st.sampled_from(VALID_DATES))}}}"
            )
        )
        lines.append(
            f"  - {{id: e{index}, date: {date}{end}, title: {draw(SOME_TEXT)}, summary: {draw(SOME_TEXT)}, "
            f"actors: [{draw(st.sampled_from(actors))}], tags: [{draw(SOME_TEXT)}], place: {draw(SOME_TEXT)}, "
            f"quotes: [{{text: {draw(SOME_TEXT)}, by: trump}}], sources: [{source}]}}"
        )
    lines.append(f"eras: [{{name: {draw(SOME_TEXT)}, start: {draw(st.sampled_from(VALID_DATES))}}}]")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=scaled(0.5),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(st.tuples(datasets(), st.just(False)), st.tuples(valid_datasets(), st.just(True))))
def test_fuzzed_datasets_through_every_command(invoke, tmp_path: Path, data: tuple[str, bool]) -> None:  # type: ignore[no-untyped-def]
    text, valid = data
    # a new file for each example: the cache must never answer for another example's file
    path = tmp_path / f"fuzz-{next(_COUNTER)}.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    for command in ("show", "validate", *(f"export {name}" for name in FORMATS)):
        result = invoke(*command.split(), "--data", str(path))
        assert result.exit_code in (0, 1), (command, result.exit_code, result.stderr)
        if valid:
            assert result.exit_code == 0, (command, result.stderr)
        if command == "validate":
            event(f"validate exits {result.exit_code}")
        assert "Traceback" not in result.stderr
        if result.exit_code == 1:
            assert result.stdout == "", command  # stdout carries data only
            assert result.stderr and all(line.startswith("timeline: ") for line in result.stderr.splitlines())


_COUNTER = itertools.count()

# -- output side of issue 9: messages on a real terminal, a killed export -------------------------


def test_ambiguous_actor_message_is_inert_on_a_terminal(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        MINI.read_text(encoding="utf-8").replace(
            "name: Kim Yo Jong", 'name: "Kim Yo Jong \\e]52;c;ZWNobyBwd25lZA==\\a\\e[2J\\e[H\\u202e\\u061c"'
        ),
        encoding="utf-8",
    )
    out = run_in_terminal("xterm-256color", "show", "--actor", "Jong", "--data", str(hostile))
    assert b"is ambiguous" in out
    assert b"\x1b]52" not in out and b"\x1b[2J" not in out and b"\x07" not in out  # no clipboard, no clear
    assert "\u202e".encode() not in out and "\u061c".encode() not in out
    assert b"Kim Yo Jong \\x1b]52;c;ZWNobyBwd25lZA==\\x07\\x1b[2J\\x1b[H\\u202e\\u061c (kim-yo-jong)" in out


def test_a_killed_export_is_cleaned_up_by_the_next_one(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    # a process that dies by SIGKILL halfway through writing its temporary file
    stale = tmp_path / f".out.md.timeline-tmp-{_dead_pid()}"
    stale.write_text("# half")
    result = subprocess.run(
        [*COMMAND, "export", "-o", str(target), "--data", str(MINI)], capture_output=True, env=env()
    )
    assert result.returncode == 0 and result.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_json_on_a_terminal_is_inert_and_exact_in_a_pipe(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        MINI.read_text(encoding="utf-8").replace(
            "summary: A threat is made.", 'summary: "\\e]52;c;eA==\\a \\u202e \\x9b"'
        ),
        encoding="utf-8",
    )
    on_terminal = run_in_terminal("xterm-256color", "show", "-f", "json", "--data", str(hostile))
    assert b"\x1b" not in on_terminal
    assert "\u202e".encode() not in on_terminal and "\x9b".encode() not in on_terminal
    piped = subprocess.run(
        [*COMMAND, "show", "-f", "json", "--data", str(hostile)], capture_output=True, env=env(), check=True
    )
    assert "\u202e".encode() in piped.stdout  # exact data into a pipe
    assert json.loads(on_terminal.decode("utf-8").replace("\r\n", "\n")) == json.loads(piped.stdout)


INTERRUPTED_WITH_A_FULL_PIPE = """
import fcntl, os, sys
from timeline import cli
flags = fcntl.fcntl(1, fcntl.F_GETFL)
fcntl.fcntl(1, fcntl.F_SETFL, flags | os.O_NONBLOCK)
try:
    while True:  # fill the pipe that nobody reads
        os.write(1, b"x" * 4096)
except BlockingIOError:
    pass
fcntl.fcntl(1, fcntl.F_SETFL, flags)
sys.stdout.write("still in the buffer")  # what the exit would flush into the full pipe
try:
    with cli._guard():
        raise KeyboardInterrupt
except Exception as exc:
    sys.exit(exc.exit_code)
"""


def test_ctrl_c_with_output_pending_into_a_full_pipe_exits_at_once() -> None:
    """Interrupted while the reader is not reading: exit 130 at once, not block for ever in the
    final flush of what stdout still buffers."""
    buffered = {k: v for k, v in env().items() if k != "PYTHONUNBUFFERED"}  # stdout keeps what it is given
    process = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_WITH_A_FULL_PIPE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=buffered,
    )
    assert process.stderr is not None and process.stdout is not None
    try:
        assert process.wait(timeout=30) == 130
    finally:
        process.kill()
        process.stdout.close()
        process.stderr.close()
