"""The second process of large outputs (timeline.parallel): same results, in order, whatever happens
to the child, and no child left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from timeline import cache, index, loader, parallel

SHIPPED = loader.packaged_dataset()


class Numbers:
    """Batches of numbers, as timeline.index.Selected hands out events; ``bad`` batches fail
    when decoded in a process other than the one that made this object (the child)."""

    def __init__(self, count: int, size: int = 3, bad: frozenset[int] = frozenset(), die: int = -1) -> None:
        self.items = list(range(count))
        self.size = size
        self.bad = bad
        self.die = die
        self.parent = os.getpid()
        self.fell_back = False

    def __len__(self) -> int:
        return len(self.items)

    def batch_count(self) -> int:
        return -(-len(self.items) // self.size)

    def batch(self, number: int) -> list[int]:
        return self.items[number * self.size : (number + 1) * self.size]

    def decode_batch(self, number: int) -> list[int]:
        if os.getpid() != self.parent:
            if number in self.bad:
                raise ValueError("damaged")
            if number == self.die:
                os._exit(3)  # the child crashes
        return self.batch(number)


def render(batch: list[int]) -> tuple[str, int]:
    return ",".join(map(str, batch)), os.getpid()


def no_children() -> bool:
    """True when this process has no child process, running or unreaped."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture(autouse=True)
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_JOBS", "2")


def test_batches_come_back_in_order_and_the_child_does_every_other_one() -> None:
    results = list(parallel.map_batches(Numbers(20), render))
    assert [text for text, _ in results] == [
        "0,1,2",
        "3,4,5",
        "6,7,8",
        "9,10,11",
        "12,13,14",
        "15,16,17",
        "18,19",
    ]
    pids = [pid for _, pid in results]
    assert set(pids[0::2]) == {os.getpid()}
    assert os.getpid() not in pids[1::2]  # computed elsewhere
    assert no_children()


def test_one_job_computes_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_JOBS", "1")
    results = list(parallel.map_batches(Numbers(20), render))
    assert {pid for _, pid in results} == {os.getpid()}
    assert [text for text, _ in results][-1] == "18,19"


@pytest.mark.parametrize("numbers", [Numbers(30, bad=frozenset({5})), Numbers(30, die=3), Numbers(30, die=1)])
def test_what_the_child_cannot_do_is_done_here_and_the_child_is_not_used_again(numbers: Numbers) -> None:
    results = list(parallel.map_batches(numbers, render))
    assert ",".join(text for text, _ in results) == ",".join(map(str, range(30)))
    failed = numbers.die if numbers.die >= 0 else 5
    assert all(pid == os.getpid() for _, pid in results[failed:])
    assert no_children()


def test_a_reader_that_stops_early_leaves_no_child() -> None:
    results = parallel.map_batches(Numbers(3000, size=100), render)
    assert next(results)[0].startswith("0,1,2")
    assert next(results)[0].startswith("100,")
    results.close()  # as when the output's reader goes away (| head)
    assert no_children()


def test_map_events_slices_a_plain_sequence() -> None:
    assert list(parallel.map_events(list(range(7)), sum, size=3)) == [3, 12, 6]


# -- through the commands, on an index of many batches -------------------------------------------


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "INDEX_MIN_EVENTS", 0)
    monkeypatch.setattr(index.Selected, "BATCH", 7)  # the shipped events in ~40 batches
    copy = tmp_path / "events.yaml"
    copy.write_bytes(SHIPPED.read_bytes())
    return copy


@pytest.mark.parametrize(
    "args",
    [
        ("export", "csv"),
        ("export", "json"),
        ("export", "markdown"),
        ("export", "ics"),
        ("export", "timelinejs"),
        ("filter", "--since", "2019", "--format", "markdown"),  # "See also" outside the selection
        ("filter", "--actor", "Kim", "--reverse", "--format", "csv"),
        ("show", "--format", "json", "-n", "30"),
    ],
)
def test_two_processes_write_what_one_writes_and_what_the_files_answer(
    args: tuple[str, ...],
    data: Path,
    tmp_path: Path,
    invoke: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the calendar's time stamp
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    invoke("--data", str(data), "tags")  # writes the index
    assert list((tmp_path / "cache").glob("*.sqlite"))
    used: list[int] = []
    original = parallel.Child.start

    def counted(*arguments: Any) -> Any:
        child = original(*arguments)
        used.append(1)
        return child

    monkeypatch.setattr(parallel.Child, "start", counted)
    for jobs in ("2", "1"):
        result = invoke("--data", str(data), *args, env={"TIMELINE_JOBS": jobs})
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)
    assert used == [1]  # the two-process run did use a child
    assert no_children()


def test_a_damaged_row_in_a_later_batch_is_answered_from_the_files(
    data: Path, tmp_path: Path, invoke: Callable[..., Any]
) -> None:
    import sqlite3

    expected = invoke("--data", str(data), "export", "csv", env={"TIMELINE_CACHE": "off"})
    invoke("--data", str(data), "tags")
    (entry,) = (tmp_path / "cache").glob("*.sqlite")
    connection = sqlite3.connect(entry)
    for seq in (10, 200):  # in batch 1 (the child's) and batch 28 (this process's)
        connection.execute(
            "UPDATE events SET record = replace(record, 'https://', 'javascript://') WHERE seq = ?", (seq,)
        )
    connection.commit()
    connection.close()
    result = invoke("--data", str(data), "export", "csv")
    assert (result.exit_code, result.stdout) == (0, expected.stdout)
    assert "javascript" not in result.stdout


def test_a_closed_pipe_ends_both_processes_quietly(tmp_path: Path) -> None:
    """`timeline export csv | head -c 200` on a large index: the answer comes at once, both
    processes end, and nothing is said on stderr."""
    data = tmp_path / "big.yaml"
    bench = Path(__file__).resolve().parent.parent / "bench" / "scale.py"
    subprocess.run([sys.executable, str(bench), "--generate", "6000", "-o", str(data)], check=True)
    env = {**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache"), "TIMELINE_JOBS": "2"}
    command = [sys.executable, "-m", "timeline", "--data", str(data), "export", "csv"]
    subprocess.run([*command[:-2], "tags"], env=env, check=True, capture_output=True)  # the index
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(200).startswith(b"id,date,end,")
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait() in (0, 141)
    assert b"Traceback" not in stderr and b"Error" not in stderr
    assert not _running(str(data))  # the child was killed and reaped before the parent exited


def _running(marker: str) -> bool:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in command and b"export" in command:
                return True
    return False


def test_a_damaged_event_looked_up_for_see_also_is_answered_from_the_files(
    data: Path, tmp_path: Path, invoke: Callable[..., Any]
) -> None:
    import sqlite3

    args = ("filter", "--since", "2019", "--format", "markdown")
    expected = invoke("--data", str(data), *args, env={"TIMELINE_CACHE": "off"})
    full = loader.load([data], use_cache=False)
    chosen = {e.id for e in full.events if e.start.year >= 2019}
    outside = sorted({r for e in full.events if e.id in chosen for r in e.related} - chosen)
    assert outside  # the shipped threads run across 2019
    invoke("--data", str(data), "tags")
    (entry,) = (tmp_path / "cache").glob("*.sqlite")
    connection = sqlite3.connect(entry)
    connection.execute(
        "UPDATE events SET record = replace(record, 'https://', 'javascript://') WHERE id = ?", (outside[0],)
    )
    connection.commit()
    connection.close()
    for jobs in ("2", "1"):
        result = invoke("--data", str(data), *args, env={"TIMELINE_JOBS": jobs})
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, expected.stderr)
