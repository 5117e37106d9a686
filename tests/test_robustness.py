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
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINI
from timeline.errors import TimelineError
from timeline.loader import parse_yaml
from timeline.validate import build

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
    # stdout is a pipe nobody reads: once the first byte arrives the process is writing, and it
    # blocks when the pipe is full (the view is far larger than a pipe's buffer); then SIGINT
    process = subprocess.Popen([*COMMAND, "show"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1)
    process.send_signal(signal.SIGINT)
    stderr = process.stderr.read()
    assert process.wait(timeout=30) == 130
    assert b"Traceback" not in stderr
    process.stdout.close()


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
        handle.truncate(40 * 1024 * 1024)  # sparse: costs no disk
    result = invoke("validate", str(big))
    assert result.exit_code == 1
    assert result.stderr == f"timeline: {big}: is 40.0 MiB; datasets over 32 MiB are refused\n"


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
