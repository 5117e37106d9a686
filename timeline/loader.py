"""Find the dataset (--data, $TIMELINE_DATA, packaged copy, checkout copy), read it, validate it.

The YAML itself is read by ``timeline.yamlread``, which keeps each value's line and column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.errors import DataError, Problem

if TYPE_CHECKING:
    from timeline.models import Timeline

ENV_VAR = "TIMELINE_DATA"
MAX_BYTES = 32 * 1024 * 1024  # a dataset is text written by hand; larger means a wrong file


def packaged_dataset() -> Path:
    """The shipped dataset: inside the installed package, or in the checkout for editable installs."""
    here = Path(__file__).resolve().parent
    inside = here / "data" / "events.yaml"
    if inside.is_file():
        return inside
    checkout = here.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "data" / "events.yaml").is_file():
        return checkout / "data" / "events.yaml"
    raise DataError([Problem(str(inside), "the shipped dataset is missing; reinstall, or pass --data")])


def locate(paths: list[Path] | None = None, environ: dict[str, str] | None = None) -> list[Path]:
    """The files to read: explicit paths, else $TIMELINE_DATA (os.pathsep-separated), else shipped."""
    if paths:
        return list(paths)
    env = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return [packaged_dataset()]


def read_text(path: Path) -> str:
    """The file's text, UTF-8 (a byte-order mark is allowed); every failure is a DataError."""
    name = str(path)
    try:
        if path.is_dir():
            raise DataError([Problem(name, "is a directory, not a YAML file")])
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(
                [
                    Problem(
                        name,
                        f"is {size / 1048576:.1f} MiB; datasets over {MAX_BYTES // 1048576} MiB are refused",
                    )
                ]
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, "no such file")]) from None
    except PermissionError:
        raise DataError([Problem(name, "permission denied")]) from None
    except OSError as exc:
        raise DataError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from None
    if b"\x00" in data[:8192]:
        raise DataError([Problem(name, "is a binary file, not YAML text")])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [Problem(name, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column)]
        ) from None


def load_raw(path: Path) -> Any:
    """Read one file into positioned plain values."""
    from timeline.yamlread import parse_yaml

    return parse_yaml(read_text(path), str(path))


def load(paths: list[Path] | None = None, *, use_cache: bool = True) -> Timeline:
    """Locate, read and validate the dataset(s); raises DataError listing every problem.

    An unchanged dataset comes from the cache of validated data (``timeline.cache``), so a
    normal start-up neither parses YAML nor imports the validator.
    """
    from timeline import cache

    files = locate(paths)
    key = cache.identity(files) if use_cache else None
    if key:
        cached = cache.read(key)
        if cached is not None:
            return cached
    docs: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for path in files:
        try:
            docs.append((str(path), load_raw(path)))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    from timeline.validate import build

    timeline = build(docs)
    if key:
        cache.write(key, timeline)
    return timeline
