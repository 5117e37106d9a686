"""Hostile and broken conditions, end to end in real processes: pipes, signals, terminals, locales."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI
from timeline.errors import TimelineError
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


def test_ctrl_c_exits_130_without_traceback() -> None:
    # stdout is a pipe nobody reads: the process blocks writing, and then gets SIGINT
    process = subprocess.Popen([*COMMAND, "show"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert process.stdout is not None and process.stderr is not None
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    stderr = process.stderr.read()
    assert process.wait(timeout=30) == 130
    assert b"Traceback" not in stderr
    process.stdout.close()


def run_in_terminal(term: str, *args: str) -> bytes:
    """Run in a pseudo-terminal (so the tool sees a real terminal) and return what it printed."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, *args], stdin=child, stdout=child, stderr=child, env=env(TERM=term, COLUMNS="80")
    )
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


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_yaml_documents(document: object) -> None:
    check(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 8), st.text(max_size=6)), max_size=4))
def test_mutations_of_a_valid_dataset(edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for position, cut, insert in edits:
        text = text[:position] + insert + text[position + cut :]
    check(text)


@settings(max_examples=500, deadline=None)
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
