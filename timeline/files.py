"""Writing an output file atomically: complete or not at all, never over a file without force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from timeline.errors import OutputError


def write_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder.

    Without ``force`` an existing file is refused, checked atomically at the moment of the
    final link, so a file that appears meanwhile is not replaced either.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a directory")
    if not force and target.exists():
        raise OutputError(f"{target}: already exists; use --force to replace it")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise OutputError(f"{target}: folder {folder} does not exist") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)  # fails if the target exists: no check-then-write race
            except FileExistsError:
                raise OutputError(f"{target}: already exists; use --force to replace it") from None
            except OSError:
                if target.exists():
                    raise OutputError(f"{target}: already exists; use --force to replace it") from None
                os.replace(temp, target)  # file systems without hard links
        os.chmod(target, 0o666 & ~_umask())
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
