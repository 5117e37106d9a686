"""The pager, in real processes under a pseudo-terminal: long output on a terminal goes through
$TIMELINE_PAGER (else $PAGER, else less -FRX); --no-pager, short output and pipes never page;
a pager that cannot start falls back to writing directly."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.test_robustness import COMMAND, env, run_in_terminal

SHOW = ("show", "--data", str(MINI))


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A pager command that records what it was given (and $LESS) in a file, and shows nothing."""
    record = tmp_path / "paged.json"
    script = tmp_path / "pager.py"
    script.write_text(
        "import json, os, sys\n"
        "data = sys.stdin.buffer.read().decode('utf-8')\n"
        f"open({str(record)!r}, 'w').write(json.dumps({{'text': data, 'less': os.environ.get('LESS')}}))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{sys.executable} {script}", record


def paged(record: Path) -> dict[str, str] | None:
    return json.loads(record.read_text(encoding="utf-8")) if record.exists() else None


def test_long_output_on_a_terminal_goes_through_the_pager(recorder: tuple[str, Path]) -> None:
    command, record = recorder
    screen = run_in_terminal("xterm-256color", *SHOW, LINES="10", TIMELINE_PAGER=command)
    got = paged(record)
    assert got is not None, screen
    assert "Fixture timeline" in got["text"] and "https://news.test/russia" in got["text"]
    assert "\x1b[" in got["text"] and "\x1b]8;" in got["text"]  # colours and links kept
    assert got["less"] == os.environ.get("LESS", "FRX")  # for a $PAGER that is plain less, as git does
    assert b"Fixture timeline" not in screen  # the text went to the pager only


def test_short_output_is_not_paged(recorder: tuple[str, Path]) -> None:
    command, record = recorder
    screen = run_in_terminal("xterm-256color", *SHOW, "--compact", LINES="50", TIMELINE_PAGER=command)
    assert paged(record) is None
    assert b"Fixture timeline" in screen


def test_no_pager_option(recorder: tuple[str, Path]) -> None:
    command, record = recorder
    screen = run_in_terminal("xterm-256color", *SHOW, "--no-pager", LINES="10", TIMELINE_PAGER=command)
    assert paged(record) is None
    assert b"https://news.test/russia" in screen


def test_a_pipe_is_never_paged(recorder: tuple[str, Path]) -> None:
    command, record = recorder
    result = subprocess.run(
        [*COMMAND, *SHOW], capture_output=True, env=env(LINES="10", TIMELINE_PAGER=command), check=True
    )
    assert paged(record) is None
    assert result.stdout.startswith(b"Fixture timeline")


def test_a_pager_that_cannot_start_falls_back_to_writing(tmp_path: Path) -> None:
    screen = run_in_terminal(
        "xterm-256color", *SHOW, LINES="10", TIMELINE_PAGER=str(tmp_path / "no-such-pager")
    )
    assert b"Fixture timeline" in screen and b"https://news.test/russia" in screen
    assert b"Traceback" not in screen and b"timeline:" not in screen


def test_pager_variable_falls_back_to_pager(
    recorder: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    command, record = recorder
    monkeypatch.delenv("TIMELINE_PAGER", raising=False)
    run_in_terminal("xterm-256color", *SHOW, LINES="10", PAGER=command)
    assert paged(record) is not None


def test_timeline_pager_wins_over_pager(recorder: tuple[str, Path], tmp_path: Path) -> None:
    command, record = recorder
    run_in_terminal("xterm-256color", *SHOW, LINES="10", PAGER=str(tmp_path / "nope"), TIMELINE_PAGER=command)
    assert paged(record) is not None


def test_data_formats_are_paged_too_and_stay_data(recorder: tuple[str, Path]) -> None:
    command, record = recorder
    run_in_terminal("xterm-256color", *SHOW, "-f", "json", LINES="10", TIMELINE_PAGER=command)
    got = paged(record)
    assert got is not None
    assert len(json.loads(got["text"])) == 5


def test_less_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import cli

    monkeypatch.delenv("TIMELINE_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    assert cli._pager_command() == ["less", "-FRX"]
    monkeypatch.setenv("PAGER", "cat")
    assert cli._pager_command() is None  # `cat` or empty: no pager, as git
    monkeypatch.setenv("TIMELINE_PAGER", "most -s")
    assert cli._pager_command() == ["most", "-s"]
