"""Writing an output file atomically: complete or not at all, never over a file without force.

The text goes to a temporary file beside the target, named ``.NAME.timeline-tmp-PID``, which then
replaces the target in one step. A process killed meanwhile (SIGKILL, power loss) leaves its
temporary file behind; the next write to the same target removes those whose process is gone.
Only a regular file is ever replaced, and it keeps its permissions: a device, a pipe or a
symbolic link at the target is refused, with or without force.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from timeline.errors import OutputError
from timeline.escape import one_line

TEMP_MARK = ".timeline-tmp-"


def temp_name(target: Path, pid: int) -> str:
    """The name of the temporary file that process ``pid`` writes ``target`` through."""
    return f".{target.name}{TEMP_MARK}{pid}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # it exists but belongs to someone else; or not a pid at all
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary files left for ``target`` by processes that no longer run."""
    folder = target.parent
    prefix = f".{target.name}{TEMP_MARK}"
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return removed
    for name in names:
        pid = name[len(prefix) :]
        if pid.isascii() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
                removed.append(folder / name)
    return removed


def _kind(mode: int) -> str | None:
    """What a non-regular file is, for the message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder.

    Without ``force`` an existing file is refused, checked atomically at the moment of the
    final link, so a file that appears meanwhile is not replaced either. With ``force`` a
    regular file is replaced and keeps its mode; anything else at ``path`` is refused.
    """
    target = Path(path)
    shown = one_line(str(target))
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise OutputError(f"{shown}: cannot write: a part of the path is not a folder") from None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{shown}: is a directory")
        kind = _kind(info.st_mode)
        if kind is not None:
            raise OutputError(f"{shown}: is {kind}, not a regular file; refusing to replace it")
        if not force:
            raise OutputError(f"{shown}: already exists; use --force to replace it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists() or any(p.exists() and not p.is_dir() for p in folder.parents):
            raise OutputError(f"{shown}: cannot write: a part of the path is not a folder")
        raise OutputError(f"{shown}: folder {one_line(str(folder))} does not exist")
    remove_stale(target)
    temp = folder / temp_name(target, os.getpid())
    # never more permissive than the file it replaces; a new file gets the umask's usual mode
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    try:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()  # left by an earlier process that had this same pid
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # keep the owner too, where we are allowed to
                os.chown(temp, info.st_uid, info.st_gid)
                os.chmod(temp, mode)  # a change of owner may clear set-id bits
        if force:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)  # fails if the target exists: no check-then-write race
            except FileExistsError:
                raise OutputError(f"{shown}: already exists; use --force to replace it") from None
            except OSError:
                if os.path.lexists(target):
                    raise OutputError(f"{shown}: already exists; use --force to replace it") from None
                os.replace(temp, target)  # file systems without hard links
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
