"""The terminal view of a large dataset straight from its index: the same bytes as from the files,
written as it is made, by one process or two; a damaged index or a failed child changes nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline import cache, index, loader, parallel
from timeline.loader import load

SHIPPED = loader.packaged_dataset()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped dataset (it has "See also" links) with its cache an index whatever its size,
    read in small batches so that a view spans many of them."""
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "INDEX_MIN_EVENTS", 0)
    monkeypatch.setattr(index.Selected, "BATCH", 7)
    copy = tmp_path / "events.yaml"
    copy.write_bytes(SHIPPED.read_bytes())
    load([copy])  # writes the index
    assert list((tmp_path / "cache").glob("*.sqlite"))
    return copy


@pytest.fixture(params=["one process", "two processes"])
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "two processes" and not hasattr(os, "fork"):
        pytest.skip("no fork")
    monkeypatch.setattr(parallel, "worth", lambda count: request.param == "two processes")
    return str(request.param)


def only_the_view_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the view loads the whole timeline instead of reading the selection."""

    def fail(self: object) -> None:
        raise AssertionError("the whole timeline was decoded")

    monkeypatch.setattr(index.Index, "timeline", fail)


VIEWS = [
    ("show",),
    ("show", "--reverse"),
    ("show", "--limit", "30"),
    ("show", "--reverse", "--limit", "23"),
    ("show", "--compact"),
    ("show", "--compact", "--reverse", "-n", "40"),
    ("filter", "--actor", "Kim"),
    ("filter", "--actor", "putin", "--actor", "Kim", "--all"),
    ("filter", "--actor", "Kim Jong"),  # a partial name: the note on stderr
    ("filter", "--tag", "summit", "--since", "2018", "--until", "2019"),
    ("filter", "--since", "2025"),
    ("filter", "--actor", "Kim", "--since", "1990", "--until", "1991"),  # nothing matches
]


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(a) for a in VIEWS])
@pytest.mark.parametrize("columns", ["80", "44"])
def test_the_view_through_the_index_prints_the_same_bytes(
    args: tuple[str, ...],
    columns: str,
    processes: str,
    data: Path,
    invoke: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off", "COLUMNS": columns})
    only_the_view_path(monkeypatch)
    result = invoke("--data", str(data), *args, env={"COLUMNS": columns})
    assert result.exit_code == expected.exit_code
    assert result.stdout == expected.stdout
    assert result.stderr == expected.stderr


def test_a_narrow_filter_decodes_only_what_it_shows(
    data: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[str] = []
    events = index.Index._events

    def counting(self: index.Index, rows: Any, order: int = 1) -> list[Any]:
        found = events(self, rows, order)
        decoded.extend(event.id for event in found)
        return found

    monkeypatch.setattr(index.Index, "_events", counting)
    only_the_view_path(monkeypatch)
    result = invoke("--data", str(data), "filter", "--since", "2019-02-27", "--until", "2019-02-28")
    assert result.exit_code == 0
    whole = load([data], use_cache=False)
    shown = [e for e in whole.events if e.id in result.stdout and e.start.isoformat() <= "2019-02-28"]
    related = {other for event in shown for other in event.related}
    assert shown and set(decoded) <= {e.id for e in shown} | related
    assert len(decoded) < len(whole.events) // 4


FORGERIES = {
    "a javascript link in the first row": "UPDATE events SET record = "
    "replace(record, 'https://', 'javascript://') WHERE seq = 0",
    "a javascript link in a later row": "UPDATE events SET record = "
    "replace(record, 'https://', 'javascript://') WHERE seq = 100",
    "a javascript link in the last row": "UPDATE events SET record = "
    "replace(record, 'https://', 'javascript://') WHERE seq = (SELECT max(seq) FROM events)",
    "a month no calendar has": "UPDATE events SET record = json_set(record, '$[1][1]', 13) WHERE seq = 60",
    "dates out of order": "UPDATE events SET first = first + 1000, last = last + 1000 WHERE seq = 50",
    "a related event forged": "UPDATE events SET record = replace(record, 'https://', 'javascript://') "
    "WHERE id IN (SELECT value FROM events, json_each(json_extract(record, '$[11]')) WHERE seq < 200)",
    "an event under an actor it does not name": "INSERT INTO event_actor SELECT 'kim-jong-un', seq "
    "FROM events WHERE seq NOT IN (SELECT seq FROM event_actor WHERE actor = 'kim-jong-un')",
}


@pytest.mark.parametrize("statement", FORGERIES.values(), ids=FORGERIES.keys())
@pytest.mark.parametrize(
    "args", [("show",), ("filter", "--actor", "Kim", "--reverse"), ("show", "--compact", "--since", "2018")]
)
def test_a_forged_index_gives_the_answer_of_the_files(
    statement: str,
    args: tuple[str, ...],
    processes: str,
    data: Path,
    tmp_path: Path,
    invoke: Callable[..., Any],
) -> None:
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    (entry,) = (tmp_path / "cache").glob("*.sqlite")
    connection = sqlite3.connect(entry)
    assert connection.execute(statement).rowcount
    connection.commit()
    connection.close()
    result = invoke("--data", str(data), *args)
    assert result.exit_code == expected.exit_code == 0
    assert "javascript" not in result.stdout
    assert result.stdout == expected.stdout
    assert result.stderr == expected.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
@pytest.mark.parametrize("after", [0, 1, 3])
def test_a_child_that_dies_leaves_the_view_whole(
    after: int, data: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = invoke("--data", str(data), "show", env={"TIMELINE_CACHE": "off"})
    monkeypatch.setattr(parallel, "worth", lambda count: True)
    send = parallel._send
    sent = [0]

    def dying(writer: int, payload: bytes) -> None:  # runs in the child only
        if sent[0] == after:
            os._exit(3)  # as a crash would: no message, the pipe closed mid-way
        sent[0] += 1
        send(writer, payload)

    monkeypatch.setattr(parallel, "_send", dying)
    result = invoke("--data", str(data), "show")
    assert result.exit_code == 0
    assert result.stdout == expected.stdout


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_child_that_fails_leaves_the_view_whole(
    data: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = invoke("--data", str(data), "filter", "--actor", "Kim", env={"TIMELINE_CACHE": "off"})
    monkeypatch.setattr(parallel, "worth", lambda count: True)
    parent = os.getpid()
    opened = index.Index.__init__

    def failing(self: index.Index, path: Path, key: Any) -> None:
        if os.getpid() != parent:
            raise sqlite3.OperationalError("unable to open database file")
        opened(self, path, key)

    monkeypatch.setattr(index.Index, "__init__", failing)
    result = invoke("--data", str(data), "filter", "--actor", "Kim")
    assert result.exit_code == 0
    assert result.stdout == expected.stdout


def test_a_second_process_only_for_a_large_view() -> None:
    assert not parallel.worth(parallel.MIN_EVENTS - 1)
    assert not parallel.worth(0)


# A view in a process of its own, laid out by two (any size), its index written first.
SCRIPT = """
import sys
from timeline import cache, index, parallel
cache.INDEX_MIN_EVENTS = 0
index.Selected.BATCH = 3
parallel.worth = lambda count: True
from timeline.loader import load
from pathlib import Path
load([Path(sys.argv[1])])
from timeline.cli import main
sys.argv[1:] = ["--data", sys.argv[1], "show"]
main()
"""


def interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_view(data: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "80"}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: a child left behind would be found in it
        preexec_fn=interruptible,  # Ctrl-C works even where these tests run with SIGINT ignored
    )


def left_behind(process: subprocess.Popen[bytes]) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_a_reader_that_stops_early_ends_both_processes_quietly(data: Path, tmp_path: Path) -> None:
    process = start_view(data, tmp_path)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # as `| head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait() == 141  # ExitCode.BROKEN_PIPE, as a shell reports SIGPIPE
    assert first.startswith(b"Trump and Kim")
    assert b"Traceback" not in stderr and b"Error" not in stderr
    assert not left_behind(process)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_ctrl_c_ends_both_processes_quietly(data: Path, tmp_path: Path) -> None:
    process = start_view(data, tmp_path)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # it is writing; the pipe fills up behind this line
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole foreground group
    process.stdout.read()
    stderr = process.stderr.read()
    assert process.wait() == 130
    assert b"Traceback" not in stderr
    assert not left_behind(process)


FOUND = [
    ("filter", "DMZ"),
    ("filter", "--search", '"fire and fury"', "--compact"),
    ("show", "hanoi-summit"),
    ("show", "hanoi-summit", "singapore-summit"),
    ("filter", "--id", "hanoi-summit", "--id", "trump-dmz-tweet-invitation"),
    ("filter", "--not-tag", "summit", "-n", "12"),
    ("filter", "--actor", "Kim", "--not-actor", "Trump", "--reverse", "-n", "9"),
    ("filter", "summit", "--sort", "relevance", "-n", "4"),
    ("filter", "--actor", "kimm", "--search", "missile"),  # a partial name: the note on stderr
    ("filter", "zzzqqq"),  # nothing matches
]


@pytest.mark.parametrize("args", FOUND)
def test_words_ids_and_exclusions_are_answered_from_the_matches_alone(
    args: tuple[str, ...], data: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    only_the_view_path(monkeypatch)

    def no_whole_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the files were read")

    monkeypatch.setattr(loader, "_load", no_whole_load)
    result = invoke("--data", str(data), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)


def test_an_unknown_id_is_left_to_the_whole_load(data: Path, invoke: Callable[..., Any]) -> None:
    expected = invoke("--data", str(data), "show", "--id", "hanoi-sumit", env={"TIMELINE_CACHE": "off"})
    result = invoke("--data", str(data), "show", "--id", "hanoi-sumit")
    assert result.exit_code == expected.exit_code == 2
    assert result.stderr == expected.stderr
    assert "hanoi-summit" in result.stderr  # the close ids named


@pytest.mark.parametrize("style", ["markdown", "plain", "csl-json"])
def test_cite_reads_only_the_events_cited(
    style: str, data: Path, invoke: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("cite", "singapore-summit", "hanoi-summit", "singapore-summit", "--style", style)
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    invoke("--data", str(data), "tags")  # writes the index
    unknown = invoke("--data", str(data), "cite", "hanoi-sumit")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert "no event has the id 'hanoi-sumit'; did you mean 'hanoi-summit'" in unknown.stderr

    def no_whole_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the files were read")

    monkeypatch.setattr(loader, "_load", no_whole_load)
    result = invoke("--data", str(data), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, "")
    assert result.stdout.index("Singapore") < result.stdout.index("Hanoi")  # in the order asked
