import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINI
from timeline.errors import OutputError
from timeline.files import TEMP_MARK, temp_name, write_atomic


def test_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_atomic(target, "héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_refuses_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_force_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"


def test_missing_folder_and_directory_target(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "a.md", "x")
    with pytest.raises(OutputError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_failure_midway_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "new", force=True)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "secret.md"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    write_atomic(target, "newer", force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "a.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640


def test_a_symbolic_link_is_never_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("real")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    for target in (link, dangling):
        for force in (False, True):
            with pytest.raises(OutputError) as exc:
                write_atomic(target, "new", force=force)
            assert (
                str(exc.value) == f"{target}: is a symbolic link, not a regular file; refusing to replace it"
            )
            assert target.is_symlink()
    assert real.read_text() == "real" and not (tmp_path / "nowhere.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.md", "link.md", "real.md"]


def _device(tmp_path: Path) -> Path:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, AttributeError):
        return Path(os.devnull)  # refused before anything is written, so the real one is safe
    return node


@pytest.mark.parametrize("kind", ["a device", "a named pipe"])
def test_a_device_or_pipe_is_never_replaced(tmp_path: Path, kind: str) -> None:
    if kind == "a device":
        target = _device(tmp_path)
    else:
        target = tmp_path / "fifo"
        os.mkfifo(target)
    before = os.lstat(target)
    for force in (False, True):
        with pytest.raises(OutputError) as exc:
            write_atomic(target, "new", force=force)
        assert str(exc.value) == f"{target}: is {kind}, not a regular file; refusing to replace it"
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


def test_unwritable_places_are_one_line_errors(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    with pytest.raises(OutputError) as exc:
        write_atomic(plain / "a.md", "x")
    assert str(exc.value) == f"{plain / 'a.md'}: cannot write: a part of the path is not a folder"
    with pytest.raises(OutputError) as exc:
        write_atomic(plain / "sub" / "a.md", "x")
    assert str(exc.value) == f"{plain / 'sub' / 'a.md'}: cannot write: a part of the path is not a folder"


@pytest.mark.parametrize("where", ["missing/a.md", "plain.txt/a.md"])
def test_unwritable_output_exits_1_with_one_line(invoke, tmp_path: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "plain.txt").write_text("x")
    target = tmp_path / where
    result = invoke("export", "markdown", "-o", str(target), "--data", str(MINI))
    assert (result.exit_code, result.stdout) == (1, "")
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"timeline: {target}: ")
    assert "does not exist" in result.stderr or "not a folder" in result.stderr


def test_force_over_a_link_on_the_command_line(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    real = tmp_path / "real.md"
    real.write_text("real")
    (tmp_path / "out.md").symlink_to(real)
    result = invoke("export", "-o", str(tmp_path / "out.md"), "--force", "--data", str(MINI))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"timeline: {tmp_path / 'out.md'}: is a symbolic link, not a regular file; refusing to replace it\n"
    )
    assert real.read_text() == "real"


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_temporary_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    dead = tmp_path / temp_name(target, _dead_pid())
    alive = tmp_path / temp_name(target, os.getppid())  # a process that is still running
    other = tmp_path / temp_name(tmp_path / "b.md", _dead_pid())  # another target's: not ours
    for path in (dead, alive, other):
        path.write_text("partial")
    write_atomic(target, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", alive.name, other.name])


KILLED = """
import os, sys
from pathlib import Path
import timeline.files

def stall(fd):
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    sys.stdin.read()  # until killed

timeline.files.os.fsync = stall
timeline.files.write_atomic(Path(sys.argv[1]), "new text", force=True)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_export_leaves_nothing_for_long(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "a.md"
    target.write_text("old")
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline() == "ready\n"  # the temporary file is written, not yet renamed
    process.send_signal(sig)
    process.wait(timeout=30)
    process.stdin.close()
    process.stdout.close()
    left = tmp_path / temp_name(target, process.pid)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", left.name])
    assert target.read_text() == "old" and left.read_text() == "new text"
    write_atomic(target, "again", force=True)  # the next run cleans up after the killed one
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"] and target.read_text() == "again"


def test_a_folder_without_write_permission_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the tests run as root, who may write anywhere: the refusal is simulated where it happens
    real_open = os.open

    def denied(path: object, flags: int, *args: object) -> int:
        if TEMP_MARK in str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(OutputError) as exc:
        write_atomic(tmp_path / "a.md", "x")
    assert str(exc.value) == f"{tmp_path / 'a.md'}: cannot write: Permission denied"
    assert list(tmp_path.iterdir()) == []
