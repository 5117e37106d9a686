from pathlib import Path

import pytest

from timeline.errors import OutputError
from timeline.files import write_atomic


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
